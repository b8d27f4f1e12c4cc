"""The "peers like me" block of a KPI's page: sentences, numbers and a quartile bar.

An owner reads "your value"; a mentor reads "this business's value": the product speaks to a
mentor about the business, never as if it were theirs.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from metrics.engine import KPIS, KpiDef, Period
from metrics.formatting import format_value, period_name
from metrics.models.business import Business
from metrics.peers.quartiles import BAR_ORDER, MIN_PEERS, Comparison, Quarter, Status
from metrics.peers.selectors import ProgrammePeers, kpi_among_peers, member_programmes


class Unavailable(StrEnum):
    """Why a KPI is compared with no one, before any programme is looked at."""

    OWN_KPI = "own_kpi"
    NO_PROGRAMME = "no_programme"
    NO_SECTOR = "no_sector"


@dataclass(frozen=True, slots=True)
class BarCell:
    quarter: str
    own: bool


@dataclass(frozen=True, slots=True)
class PeerBlock:
    """One programme's comparison, ready for the template."""

    programme: str
    sentences: tuple[str, ...]
    rows: tuple[tuple[str, str], ...] = ()  # the numbers: label, value
    bar: tuple[BarCell, ...] = ()
    marker: str = ""  # the word on the bar's highlighted quarter


def unavailable_text(reason: Unavailable, *, owner: bool) -> str:
    """Why nothing is compared, in a plain sentence."""
    if reason is Unavailable.OWN_KPI:
        if owner:
            return _(
                "This is a KPI of your own. Only the built-in KPIs are compared with similar "
                "businesses, since each business defines its own KPIs differently."
            )
        return _(
            "This is one of this business's own KPIs. Only the built-in KPIs are compared with "
            "similar businesses, since each business defines its own KPIs differently."
        )
    if reason is Unavailable.NO_PROGRAMME:
        if owner:
            return _(
                "Similar businesses are those in the same programme as you. You are not a "
                "member of a programme's cohort now, so there is no one to compare with."
            )
        return _(
            "Similar businesses are those in the same programme. This business is not a "
            "member of a programme's cohort now, so there is no one to compare it with."
        )
    if owner:
        return _(
            "Your business has no sector yet, so there are no similar businesses to compare "
            "it with."
        )
    return _(
        "This business has no sector set, so there are no similar businesses to compare it with."
    )


def _placed(quarter: Quarter, count: int, programme: str, owner: bool) -> str:
    values = {"count": count, "programme": programme}
    if owner:
        if quarter is Quarter.BEST:
            text = ngettext(
                "Your value is in the best quarter of %(count)s similar business in %(programme)s.",
                "Your value is in the best quarter of %(count)s similar businesses in "
                "%(programme)s.",
                count,
            )
        elif quarter is Quarter.BETTER:
            text = ngettext(
                "Your value is in the better half of %(count)s similar business in "
                "%(programme)s, but not in the best quarter.",
                "Your value is in the better half of %(count)s similar businesses in "
                "%(programme)s, but not in the best quarter.",
                count,
            )
        elif quarter is Quarter.WEAKER:
            text = ngettext(
                "Your value is in the weaker half of %(count)s similar business in "
                "%(programme)s, but not in the weakest quarter.",
                "Your value is in the weaker half of %(count)s similar businesses in "
                "%(programme)s, but not in the weakest quarter.",
                count,
            )
        else:
            text = ngettext(
                "Your value is in the weakest quarter of %(count)s similar business in "
                "%(programme)s.",
                "Your value is in the weakest quarter of %(count)s similar businesses in "
                "%(programme)s.",
                count,
            )
    elif quarter is Quarter.BEST:
        text = ngettext(
            "This business's value is in the best quarter of %(count)s similar business in "
            "%(programme)s.",
            "This business's value is in the best quarter of %(count)s similar businesses in "
            "%(programme)s.",
            count,
        )
    elif quarter is Quarter.BETTER:
        text = ngettext(
            "This business's value is in the better half of %(count)s similar business in "
            "%(programme)s, but not in the best quarter.",
            "This business's value is in the better half of %(count)s similar businesses in "
            "%(programme)s, but not in the best quarter.",
            count,
        )
    elif quarter is Quarter.WEAKER:
        text = ngettext(
            "This business's value is in the weaker half of %(count)s similar business in "
            "%(programme)s, but not in the weakest quarter.",
            "This business's value is in the weaker half of %(count)s similar businesses in "
            "%(programme)s, but not in the weakest quarter.",
            count,
        )
    else:
        text = ngettext(
            "This business's value is in the weakest quarter of %(count)s similar business in "
            "%(programme)s.",
            "This business's value is in the weakest quarter of %(count)s similar businesses "
            "in %(programme)s.",
            count,
        )
    return text % values


def _sentences(comparison: Comparison, programme: str, period: str, owner: bool) -> tuple[str, ...]:
    count = comparison.peers
    if comparison.status is Status.TOO_FEW:
        if count is None:  # below the privacy floor: not even how many
            return (
                _(
                    "Too few similar businesses in %(programme)s have a value for %(period)s "
                    "to compare with: a comparison needs at least %(minimum)s."
                )
                % {"programme": programme, "period": period, "minimum": MIN_PEERS},
            )
        return (
            ngettext(
                "Only %(count)s similar business in %(programme)s has a value for %(period)s: "
                "a comparison needs at least %(minimum)s.",
                "Only %(count)s similar businesses in %(programme)s have a value for "
                "%(period)s: a comparison needs at least %(minimum)s.",
                count,
            )
            % {"count": count, "programme": programme, "period": period, "minimum": MIN_PEERS},
        )
    assert count is not None
    if comparison.quarter is not None:
        return (_placed(comparison.quarter, count, programme, owner),)
    among = ngettext(
        "%(count)s similar business in %(programme)s has a value for %(period)s.",
        "%(count)s similar businesses in %(programme)s have a value for %(period)s.",
        count,
    ) % {"count": count, "programme": programme, "period": period}
    if owner:
        missing = _("You have no value for the whole of %(period)s to place among them.")
    else:
        missing = _("This business has no value for the whole of %(period)s to place among them.")
    return among, missing % {"period": period}


def peer_block(
    found: ProgrammePeers,
    *,
    kpi: KpiDef,
    own: Decimal | None,
    currency: str,
    period: str,
    owner: bool,
) -> PeerBlock:
    """One programme's comparison of ``own`` (the business's value) in the reader's words."""
    comparison = found.comparison
    programme = found.programme.name
    sentences = _sentences(comparison, programme, period, owner)
    bounds = comparison.quartiles
    if bounds is None:
        return PeerBlock(programme, sentences)
    rows = [
        (_("Lower quartile"), format_value(bounds.q1, kpi.unit, currency)),
        (_("Median"), format_value(bounds.median, kpi.unit, currency)),
        (_("Upper quartile"), format_value(bounds.q3, kpi.unit, currency)),
    ]
    if own is not None:
        label = _("Your value") if owner else _("This business's value")
        rows.append((label, format_value(own, kpi.unit, currency)))
    rows.append((_("Which way is better"), str(kpi.direction.label)))
    bar = tuple(BarCell(quarter.value, quarter is comparison.quarter) for quarter in BAR_ORDER)
    marker = _("You") if owner else _("This business")
    return PeerBlock(programme, sentences, tuple(rows), bar, marker)


def peer_blocks(
    business: Business, kpi: KpiDef, period: Period, own: Decimal | None, *, owner: bool
) -> tuple[list[PeerBlock], Unavailable | None]:
    """The KPI among similar businesses in each programme, or why it is compared with no one.

    Three queries at most: the programmes, the peers, and the peers' figures.
    """
    if kpi.code not in KPIS:
        return [], Unavailable.OWN_KPI
    programmes = member_programmes(business)
    if not programmes:
        return [], Unavailable.NO_PROGRAMME
    if not business.sector:
        return [], Unavailable.NO_SECTOR
    found = kpi_among_peers(business, programmes, kpi.code, period, own)
    name = period_name(period)
    blocks = [
        peer_block(item, kpi=kpi, own=own, currency=business.currency, period=name, owner=owner)
        for item in found
    ]
    return blocks, None
