"""`manage.py load_guidance` and the data migration put the content files in the database."""

from __future__ import annotations

from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from guidance.content_loader import read_pages
from guidance.models import GuidePage
from tests.guidance.helpers import make_page
from tests.guidance.test_content_loader import GOOD, OLD_FORMAT


def _load(directory: Path | None = None) -> str:
    out = StringIO()
    options = {"directory": directory} if directory else {}
    call_command("load_guidance", stdout=out, **options)
    return out.getvalue()


@pytest.mark.django_db
def test_the_migration_loaded_every_content_file() -> None:
    expected = {page.slug for page in read_pages()}
    assert expected <= set(GuidePage.objects.values_list("slug", flat=True))


@pytest.mark.django_db
def test_it_reloads_pages_and_keeps_pages_staff_added() -> None:
    first = read_pages()[0]
    GuidePage.objects.filter(slug=first.slug).update(title_fr="Changed by hand")
    GuidePage.objects.get(slug=first.slug).sources.all().delete()
    make_page("added-in-the-admin")

    output = _load()

    page = GuidePage.objects.get(slug=first.slug)
    assert page.title_fr == first.texts["fr"].title
    assert page.body_nl == first.texts["nl"].body
    assert [(s.title, s.url) for s in page.sources.all()] == [
        (s.title, s.url) for s in first.sources
    ]
    assert GuidePage.objects.filter(slug="added-in-the-admin").exists()
    assert f"Loaded {len(read_pages())} guide pages: 0 new" in output


@pytest.mark.django_db
def test_it_creates_pages_from_another_directory(tmp_path: Path) -> None:
    (tmp_path / "kpis").mkdir()
    (tmp_path / "kpis" / "conversion_rate.md").write_text(
        GOOD.replace("kpi-conversion-rate", "kpi-test-only"), encoding="utf-8"
    )
    assert "1 new" in _load(tmp_path)
    page = GuidePage.objects.get(slug="kpi-test-only")
    assert (page.title_en, page.title_fr, page.title_nl) == (
        "Conversion rate",
        "Taux de conversion",
        "Conversieratio",
    )
    assert (page.title_ar, page.title_uk) == ("معدل التحويل", "Коефіцієнт конверсії")
    assert page.languages() == ["en", "fr", "nl", "ar", "uk"]
    assert (page.reviewed, page.review_by, page.figures_year) == (
        date(2026, 11, 23),
        date(2027, 11, 23),
        2026,
    )
    assert page.kpis == ["conversion_rate"]
    assert list(page.sources.values_list("url", "checked", "sections")) == [
        ("https://www.urssaf.fr", date(2026, 12, 6), ["what-to-try"]),
        ("https://www.insee.fr", date(2026, 11, 23), []),
    ]
    assert "1 updated" in _load(tmp_path)
    assert GuidePage.objects.filter(slug="kpi-test-only").count() == 1


@pytest.mark.django_db
def test_a_file_without_arabic_and_ukrainian_loads_with_those_texts_empty(tmp_path: Path) -> None:
    (tmp_path / "kpis").mkdir()
    (tmp_path / "kpis" / "conversion_rate.md").write_text(
        OLD_FORMAT.replace("kpi-conversion-rate", "kpi-old-format"), encoding="utf-8"
    )
    with pytest.raises(CommandError, match=r"kpis/conversion_rate\.md: the marker <!-- ar -->"):
        _load(tmp_path)  # strict by default, now that every shipped file has five languages
    call_command("load_guidance", directory=tmp_path, strict=False, stdout=StringIO())
    page = GuidePage.objects.get(slug="kpi-old-format")
    assert page.languages() == ["en", "fr", "nl"]
    assert (page.title_ar, page.body_uk, page.review_by) == ("", "", None)
    assert page.text("ar").language == "en"


@pytest.mark.django_db
def test_a_broken_file_stops_the_load_and_names_the_file(tmp_path: Path) -> None:
    (tmp_path / "kpis").mkdir()
    (tmp_path / "kpis" / "conversion_rate.md").write_text(
        GOOD.replace("<!-- nl -->", ""), encoding="utf-8"
    )
    with pytest.raises(CommandError, match=r"kpis/conversion_rate\.md: the marker <!-- nl -->"):
        _load(tmp_path)
