"""The starter sets keep the rule written in metrics/businesses/advice.py, per way of selling."""

from __future__ import annotations

from collections import Counter

import pytest
from django.utils import translation

from metrics.businesses.advice import (
    EXAMPLE_TARGETS,
    FIRST_TARGET,
    STARTERS,
    advice_for,
    reasons_for,
    starters_for,
)
from metrics.engine import KPIS, Stage
from metrics.models.business import SalesChannel

CHANNELS = [channel.value for channel in SalesChannel]


def test_every_way_of_selling_has_a_starter_set() -> None:
    assert sorted(STARTERS) == sorted(CHANNELS)


@pytest.mark.parametrize("channel", CHANNELS)
def test_a_starter_set_has_five_to_eight_catalogue_kpis_once_each(channel: str) -> None:
    codes = advice_for(channel)
    assert 5 <= len(codes) <= 8
    assert len(set(codes)) == len(codes)
    assert [code for code in codes if code not in KPIS] == []


@pytest.mark.parametrize("channel", CHANNELS)
def test_every_stage_but_referral_is_covered_and_none_crowds_the_rest(channel: str) -> None:
    stages = Counter(KPIS[code].stage for code in advice_for(channel))
    required = {Stage.ACQUISITION, Stage.ACTIVATION, Stage.RETENTION, Stage.REVENUE}
    assert required - set(stages) == set(), f"{channel} misses {required - set(stages)}"
    assert None not in stages
    assert max(stages.values()) <= 3


@pytest.mark.parametrize("channel", CHANNELS)
def test_no_business_domain_has_more_than_three(channel: str) -> None:
    domains = Counter(KPIS[code].domain for code in advice_for(channel))
    assert max(domains.values()) <= 3


@pytest.mark.parametrize("channel", CHANNELS)
def test_the_first_target_and_the_examples_fit_the_set(channel: str) -> None:
    assert FIRST_TARGET[channel] in advice_for(channel)
    assert [code for code in advice_for(channel) if code not in EXAMPLE_TARGETS] == []


@pytest.mark.parametrize("channel", CHANNELS)
def test_every_reason_is_one_short_sentence_in_every_language(channel: str) -> None:
    for language in ("en", "fr", "nl", "ar", "uk"):
        with translation.override(language):
            reasons = reasons_for(channel)
        for code, reason in reasons.items():
            assert 10 < len(reason) <= 110, (language, code, reason)
            assert reason.count(". ") == 0, (language, code, reason)


def test_the_shop_set_speaks_of_the_shop() -> None:
    with translation.override("en"):
        reasons = reasons_for("shop")
    assert reasons["conversion_rate"] == (
        "You sell in a shop: conversion tells you how many visitors buy."
    )
    with translation.override("fr"):
        assert reasons_for("shop")["conversion_rate"] != reasons["conversion_rate"]


def test_an_unknown_way_of_selling_gets_the_shop_set() -> None:
    assert starters_for("carrier pigeon") == STARTERS["shop"]
