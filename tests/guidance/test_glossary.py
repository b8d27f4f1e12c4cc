"""One term per concept per language: the guide pages and the app's catalogues follow
guidance/glossary.toml, and the glossary holds the key terms agreed for issue 14."""

from __future__ import annotations

import re
import tomllib
from functools import cache
from pathlib import Path

import pytest
from django.conf import settings

from guidance.content_loader import read_pages

GLOSSARY_FILE = Path(settings.BASE_DIR) / "guidance" / "glossary.toml"
GLOSSARY: dict[str, dict[str, dict]] = tomllib.loads(GLOSSARY_FILE.read_text(encoding="utf-8"))
LANGUAGES = ("en", "fr", "nl", "ar", "uk")
CASES = [(language, concept) for language in LANGUAGES for concept in GLOSSARY[language]]

# The key terms of the brief's table, word for word.
KEY_TERMS = {
    "target": ("target", "cible", "streefwaarde", "القيمة المستهدفة", "цільове значення"),
    "goal": ("goal", "objectif", "doel", "الهدف", "ціль"),
    "figure": ("figure", "chiffre", "cijfer", "رقم", "дані"),
    "kpi": (
        "KPI",
        "indicateur clé (KPI)",
        "kpi (kernprestatie-indicator)",
        "مؤشر الأداء الرئيسي (KPI)",
        "ключовий показник (KPI)",
    ),
    "average_order_value": (
        "average order value",
        "panier moyen",
        "gemiddelde bestelwaarde",
        "متوسط قيمة الطلب",
        "середня вартість замовлення",
    ),
    "runway": (
        "runway",
        "autonomie de trésorerie",
        "kasbuffer in maanden",
        "المدة التي يكفيها النقد",
        "запас грошей у місяцях",
    ),
    "churn_rate": (
        "churn rate",
        "taux d'attrition",
        "klantverloop",
        "معدل فقدان العملاء",
        "відтік клієнтів",
    ),
    "break_even": (
        "break-even",
        "seuil de rentabilité",
        "break-evenpunt",
        "نقطة التعادل",
        "точка беззбитковості",
    ),
    "mentor": ("mentor", "mentor", "mentor", "المرشد", "ментор"),
}


def _unquote(lines: list[str]) -> str:
    text = "".join(line.strip()[1:-1] for line in lines if line.strip().startswith('"'))
    return re.sub(r'\\(["\\n])', lambda m: {"n": "\n"}.get(m.group(1), m.group(1)), text)


@cache
def catalogue(language: str) -> dict[str, list[str]]:
    """msgid → its translations (every plural form); English maps each msgid to itself."""
    path = Path(settings.BASE_DIR) / "locale" / ("fr" if language == "en" else language)
    text = (path / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    entries: dict[str, list[str]] = {}
    for block in text.split("\n\n"):
        parts: dict[str, list[str]] = {}
        key = ""
        for line in block.splitlines():
            match = re.match(r"^(msgid|msgid_plural|msgstr(?:\[\d+\])?) (\".*\")$", line)
            if match:
                key = match.group(1)
                parts[key] = [match.group(2)]
            elif line.startswith('"') and key:
                parts[key].append(line)
        if not parts.get("msgid") or _unquote(parts["msgid"]) == "":
            continue
        msgid = _unquote(parts["msgid"])
        if language == "en":
            entries[msgid] = [msgid, _unquote(parts.get("msgid_plural", ['""']))]
        else:
            entries[msgid] = [_unquote(v) for k, v in parts.items() if k.startswith("msgstr")]
    return entries


@cache
def guide_text(language: str) -> str:
    """Every title, summary and body in the language, as the reader sees the words."""
    pages = [page for page in read_pages() if language in page.texts]
    return "\n".join(_page_text(page, language) for page in pages)


def _finds(text: str, phrase: str) -> bool:
    pattern = r"(?<!\w)" + re.escape(phrase).replace("'", "['’]") + r"(?!\w)"
    return re.search(pattern, text, re.IGNORECASE) is not None


def _uses(text: str, entry: dict) -> bool:
    return any(_finds(text, form) for form in [entry["term"], *entry.get("forms", [])])


def test_the_glossary_holds_the_key_terms_of_the_brief_in_every_language() -> None:
    assert set(GLOSSARY) == set(LANGUAGES)
    concepts = set(GLOSSARY["en"])
    for language in LANGUAGES:
        assert set(GLOSSARY[language]) == concepts, language
        for concept, entry in GLOSSARY[language].items():
            assert entry["term"] and entry["ui"] and entry["forbidden"], (language, concept)
            clash = [v for v in entry["forbidden"] if _uses(v, {"term": entry["term"]})]
            assert not any(v == entry["term"] for v in clash), (language, concept)
    for concept, terms in KEY_TERMS.items():
        assert tuple(GLOSSARY[language][concept]["term"] for language in LANGUAGES) == terms
    assert {"period", "on_track", "close", "behind", "quarterly_review", "lender"} <= concepts


@pytest.mark.parametrize(("language", "concept"), CASES, ids=[f"{lang}-{c}" for lang, c in CASES])
def test_the_catalogue_uses_the_term(language: str, concept: str) -> None:
    entry = GLOSSARY[language][concept]
    entries = catalogue(language)
    wrong = {
        msgid: entries.get(msgid)
        for msgid in entry["ui"]
        if msgid not in entries or not all(_uses(text, entry) for text in entries[msgid] if text)
    }
    assert wrong == {}, f"{language}: these strings do not say {entry['term']!r}"
    found = {
        msgid: variant
        for msgid, texts in entries.items()
        for variant in entry["forbidden"]
        if any(_finds(text, variant) for text in texts)
    }
    assert found == {}, f"{language}: the catalogue uses forbidden variants of {entry['term']!r}"


@pytest.mark.parametrize(("language", "concept"), CASES, ids=[f"{lang}-{c}" for lang, c in CASES])
def test_the_guide_uses_the_term(language: str, concept: str) -> None:
    entry = GLOSSARY[language][concept]
    text = guide_text(language)
    pages_with_variants = {
        page.name: [
            variant for variant in entry["forbidden"] if _finds(_page_text(page, language), variant)
        ]
        for page in read_pages()
        if language in page.texts
    }
    found = {name: variants for name, variants in pages_with_variants.items() if variants}
    assert found == {}, f"{language}: pages use forbidden variants of {entry['term']!r}"
    if entry.get("in_guide", True):
        assert _uses(text, entry), f"No {language} guide page says {entry['term']!r}"


def _page_text(page, language: str) -> str:
    """The words of a page: without link targets and heading anchors, which are addresses."""
    text = page.texts[language]
    words = f"{text.title}\n{text.summary}\n{text.body}"
    return re.sub(r"\{#[^}]*\}", "", re.sub(r"\]\([^)]*\)", "]", words))


def test_a_forbidden_variant_is_found_as_a_whole_word_only() -> None:
    assert _finds("Le point mort est atteint.", "point mort")
    assert _finds("De gemiddelde Orderwaarde stijgt.", "gemiddelde orderwaarde")
    assert _finds("Taux d’attrition", "taux d'attrition")
    assert not _finds("Zet je streefwaarde hoger.", "target")
    assert not _finds("kernprestatie-indicator", "prestatie-indicator")
    assert not _finds("appointment", "point")
