"""The content file parser: good files, and clear errors that name the file."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from guidance.content_loader import (
    CONTENT_DIR,
    STRICT,
    STRICT_LINKS,
    ContentError,
    broken_links,
    parse_page,
    read_pages,
)

GOOD = """\
+++
slug = "kpi-conversion-rate"
topic = "kpis"
country = ""
region = ""
kpis = ["conversion_rate"]
order = 90
reviewed = 2026-11-23
review_by = 2027-11-23
figures_year = 2026
sources = [
{title = "URSSAF", url = "https://www.urssaf.fr", checked = 2026-12-06, sections = ["what-to-try"]},
  { title = "INSEE", url = "https://www.insee.fr", checked = 2026-11-23 },
]

[en]
title = "Conversion rate"
summary = "Out of every 100 visitors, how many bought."

[fr]
title = "Taux de conversion"
summary = "Sur 100 visiteurs, combien ont acheté."

[nl]
title = "Conversieratio"
summary = "Hoeveel van elke 100 bezoekers iets kochten."

[ar]
title = "معدل التحويل"
summary = "كم شخصًا اشترى من كل 100 زائر."

[uk]
title = "Коефіцієнт конверсії"
summary = "Скільки зі 100 відвідувачів купили."
+++
<!-- en -->
## What to try {#what-to-try}

English body.
<!-- fr -->
## Que faire {#what-to-try}

Corps en français.
<!-- nl -->
## Wat je kunt doen {#what-to-try}

Tekst in het Nederlands.
<!-- ar -->
## ما الذي يمكنك تجربته {#what-to-try}

نص باللغة العربية.
<!-- uk -->
## Що спробувати {#what-to-try}

Текст українською.
"""

# The same page before its Arabic and Ukrainian texts, review date and checked dates.
OLD_FORMAT = (
    GOOD.split("<!-- ar -->")[0]
    .split("\n[ar]\n")[0]
    .replace(", checked = 2026-12-06", "")
    .replace(", checked = 2026-11-23", "")
    .replace("review_by = 2027-11-23\n", "")
    + "\n+++\n"
    + GOOD.split("+++\n", 2)[2].split("<!-- ar -->")[0]
)

NAME = "kpis/conversion_rate.md"


def test_it_parses_a_good_file() -> None:
    page = parse_page(GOOD, NAME)
    assert page.slug == "kpi-conversion-rate"
    assert (page.topic, page.country, page.region) == ("kpis", "", "")
    assert page.kpis == ("conversion_rate",)
    assert page.order == 90
    assert page.reviewed == date(2026, 11, 23)
    assert page.review_by == date(2027, 11, 23)
    assert page.figures_year == 2026
    assert [(s.title, s.url, s.checked, s.sections) for s in page.sources] == [
        ("URSSAF", "https://www.urssaf.fr", date(2026, 12, 6), ("what-to-try",)),
        ("INSEE", "https://www.insee.fr", date(2026, 11, 23), ()),
    ]
    assert page.texts["fr"].title == "Taux de conversion"
    assert page.texts["nl"].summary == "Hoeveel van elke 100 bezoekers iets kochten."
    assert page.texts["en"].body == "## What to try {#what-to-try}\n\nEnglish body.\n"
    assert "Corps en français." in page.texts["fr"].body
    assert "English" not in page.texts["fr"].body
    assert page.texts["nl"].body.endswith("Tekst in het Nederlands.\n")
    assert page.texts["ar"].title == "معدل التحويل"
    assert page.texts["uk"].body == "## Що спробувати {#what-to-try}\n\nТекст українською.\n"
    assert "Tekst" not in page.texts["nl"].body.split("Nederlands.")[1]
    assert page.missing_languages == ()


def test_outside_strict_mode_a_file_may_still_lack_arabic_ukrainian_and_dates() -> None:
    page = parse_page(OLD_FORMAT, NAME, strict=False)
    assert list(page.texts) == ["en", "fr", "nl"]
    assert page.missing_languages == ("ar", "uk")
    assert page.review_by is None
    assert [s.checked for s in page.sources] == [None, None]
    # One of the two new languages alone is fine too, in its place.
    front, body = GOOD.split("\n[uk]\n")[0], GOOD.split("+++\n", 2)[2].split("<!-- uk -->")[0]
    with_arabic = parse_page(f"{front}\n+++\n{body}", NAME, strict=False)
    assert with_arabic.missing_languages == ("uk",)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (OLD_FORMAT, "the marker <!-- ar --> is missing"),
        (GOOD.replace("review_by = 2027-11-23\n", ""), "no 'review_by' date"),
        (GOOD.replace(", checked = 2026-11-23", ""), "source 2 (INSEE) has no 'checked' date"),
    ],
)
def test_strict_mode_asks_for_five_languages_and_every_date(text: str, expected: str) -> None:
    assert expected in _error(text, strict=True)


def _error(text: str, name: str = NAME, strict: bool = False) -> str:
    with pytest.raises(ContentError) as caught:
        parse_page(text, name, strict=strict)
    message = str(caught.value)
    assert message.startswith(f"{name}: "), message
    return message


def test_bad_toml_is_reported_with_the_file_name() -> None:
    message = _error(GOOD.replace("order = 90", "order = = 90"))
    assert "not valid TOML" in message
    assert "line" in message


def test_a_missing_language_marker_is_named() -> None:
    message = _error(GOOD.replace("<!-- fr -->\n", ""))
    assert "<!-- fr --> is missing" in message


def test_markers_in_the_wrong_order_are_refused() -> None:
    swapped = GOOD.replace("<!-- fr -->", "<!-- XX -->").replace("<!-- nl -->", "<!-- fr -->")
    message = _error(swapped.replace("<!-- XX -->", "<!-- nl -->"))
    assert "en, fr, nl, ar, uk" in message
    assert "found en, nl, fr, ar, uk" in message


def test_a_repeated_marker_is_refused() -> None:
    message = _error(GOOD + "<!-- en -->\nMore.\n")
    assert "once each" in message


def test_an_unknown_language_marker_is_refused() -> None:
    message = _error(GOOD.replace("<!-- nl -->", "<!-- de -->"))
    assert "unknown language marker <!-- de -->" in message


def test_a_file_without_front_matter_is_refused() -> None:
    assert "must start with a line '+++'" in _error(GOOD.split("+++\n", 2)[2])
    assert "no closing line" in _error("+++\nslug = 'x'\n")


def test_text_before_the_first_marker_is_refused() -> None:
    message = _error(GOOD.replace("+++\n<!-- en -->", "+++\nStray text.\n<!-- en -->"))
    assert "text before the <!-- en --> marker" in message


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ('slug = "kpi-conversion-rate"', 'slug = "Kpi Conversion"', "slug 'Kpi Conversion'"),
        ('topic = "kpis"', 'topic = "recipes"', "topic 'recipes' is not one of"),
        ('country = ""', 'country = "de"', "country 'de' is not one of"),
        ('region = ""', 'region = "flanders"', "region 'flanders' does not belong"),
        ("reviewed = 2026-11-23", 'reviewed = "2026-11-23"', "'reviewed' must be a date"),
        ("reviewed = 2026-11-23\n", "", "no 'reviewed' date"),
        ('kpis = ["conversion_rate"]', 'kpis = "conversion_rate"', "'kpis' must be a list"),
        ("order = 90", "order = -1", "'order' must be a whole number"),
        ('url = "https://www.urssaf.fr"', 'url = "www.x.fr"', "starting with https://"),
        ('slug = "kpi-conversion-rate"', 'slug = "kpi-conversion-rate"\nreviewd = 1', "reviewd"),
        ('title = "Taux de conversion"', 'title = ""', "the title in 'fr' is empty"),
        ("[nl]\n", "[nl_]\n", "unknown keys in the front matter: nl_"),
        ("[ar]\n", "[uk_]\n", "unknown keys in the front matter: uk_"),
        ("review_by = 2027-11-23", "review_by = 2026-01-01", "is before 'reviewed'"),
        ("review_by = 2027-11-23", 'review_by = "2027"', "'review_by' must be a date"),
        ("figures_year = 2026", 'figures_year = "2026"', "'figures_year' must be a year"),
        ("checked = 2026-12-06", 'checked = "yesterday"', "'checked' of source 1 must be a date"),
        ('sections = ["what-to-try"]', 'sections = "acre"', "'sections' of source 1 must be"),
        ('sections = ["what-to-try"]', 'sections = ["#acre"]', "'sections' of source 1 must be"),
        ("checked = 2026-12-06", 'checked = 2026-12-06, note = "x"', "and nothing else"),
    ],
)
def test_front_matter_mistakes_are_explained(old: str, new: str, expected: str) -> None:
    assert old in GOOD
    assert expected in _error(GOOD.replace(old, new, 1))


def test_a_table_without_its_body_is_refused() -> None:
    message = _error(GOOD.split("<!-- uk -->")[0])
    assert "there is a [uk] table but no <!-- uk --> body" in message


def test_guide_links_are_collected_with_their_anchor() -> None:
    text = GOOD.replace(
        "English body.", "See [taxes](guide:fr-tax#acre) and [x][ref].\n\n[ref]: guide:fr-bank"
    )
    page = parse_page(text, NAME)
    assert page.links == (("en", "fr-tax", "acre"), ("en", "fr-bank", ""))
    assert "guide:Fr_Tax" in _error(text.replace("guide:fr-tax#", "guide:Fr_Tax#"))


def test_an_empty_body_is_refused() -> None:
    message = _error(
        GOOD.replace("Tekst in het Nederlands.\n", "").replace(
            "## Wat je kunt doen {#what-to-try}\n\n", ""
        )
    )
    assert "the body in 'nl' is empty" in message


def _write(directory: Path, name: str, text: str) -> None:
    path = directory / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def test_read_pages_skips_the_readme_and_checks_folders(tmp_path: Path) -> None:
    _write(tmp_path, "README.md", "Not a page.")
    _write(tmp_path, "kpis/conversion_rate.md", GOOD)
    assert [page.slug for page in read_pages(tmp_path)] == ["kpi-conversion-rate"]

    _write(tmp_path, "kpis/churn_rate.md", GOOD.replace("kpi-conversion-rate", "kpi-churn"))
    with pytest.raises(ContentError, match=r"^kpis/churn_rate\.md: 'kpis' must include"):
        read_pages(tmp_path)


def test_read_pages_refuses_a_slug_used_twice(tmp_path: Path) -> None:
    _write(tmp_path, "kpis/conversion_rate.md", GOOD)
    _write(tmp_path, "kpis/orders.md", GOOD.replace('["conversion_rate"]', '["orders"]'))
    with pytest.raises(ContentError, match=r"already used by kpis/conversion_rate\.md"):
        read_pages(tmp_path)


def test_read_pages_refuses_a_country_page_in_the_wrong_folder(tmp_path: Path) -> None:
    country_page = GOOD.replace('topic = "kpis"', 'topic = "bank"').replace(
        'country = ""', 'country = "fr"'
    )
    _write(tmp_path, "nl/bank.md", country_page)
    with pytest.raises(ContentError, match=r"^nl/bank\.md: a page in nl/ must have country 'nl'"):
        read_pages(tmp_path)


def test_a_link_to_an_unknown_slug_is_an_error_naming_the_file(tmp_path: Path) -> None:
    _write(tmp_path, "kpis/conversion_rate.md", GOOD)
    _write(
        tmp_path,
        "fr/bank.md",
        GOOD.replace('topic = "kpis"', 'topic = "bank"')
        .replace('country = ""', 'country = "fr"')
        .replace('slug = "kpi-conversion-rate"', 'slug = "fr-bank"')
        .replace("Corps en français.", "Lisez [la page](guide:kpi-conversion-rate#what-to-try).")
        .replace("Текст українською.", "[Податки](guide:fr-tax)."),
    )
    assert len(read_pages(tmp_path, links=False)) == 2
    with pytest.raises(ContentError) as caught:
        read_pages(tmp_path, links=True)
    assert str(caught.value).startswith("fr/bank.md: the link guide:fr-tax (uk) names no page")
    assert broken_links(read_pages(tmp_path, links=False)) == [str(caught.value)]


def test_every_shipped_content_file_parses_in_strict_mode() -> None:
    # Strict is the default now that every file has five languages and dated sources.
    assert STRICT and STRICT_LINKS
    pages = read_pages(CONTENT_DIR, strict=True, links=True)
    assert pages, "guidance/content/ holds no page files"
    assert [page.name for page in pages if page.missing_languages] == []
