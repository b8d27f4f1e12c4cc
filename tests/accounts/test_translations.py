"""Every user-facing string is translated into every enabled language."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

BASE_DIR = Path(settings.BASE_DIR)
LANGUAGES = [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
IGNORED = [".venv", "node_modules", "staticfiles", "tests/*", "bench/*", "artifacts"]
_ENTRY = re.compile(r"\n\n(?=#|msgctxt|msgid)")


def _problems(po_file: Path) -> list[str]:
    """Entries of a catalogue that are fuzzy or have an empty translation."""
    problems = []
    for block in _ENTRY.split(po_file.read_text(encoding="utf-8"))[1:]:
        if block.lstrip().startswith("#~"):
            continue
        msgid = re.search(r'^msgid ((?:".*"\n?)+)', block, re.M)
        label = msgid.group(1).replace('"\n"', "").strip()[:70] if msgid else block[:70]
        if re.search(r"^#,.*\bfuzzy\b", block, re.M):
            problems.append(f"fuzzy: {label}")
        for match in re.finditer(r'^msgstr(?:\[\d\])? ((?:".*"\n?)+)', block, re.M):
            if match.group(1).replace('"', "").replace("\n", "") == "":
                problems.append(f"empty: {label}")
                break
    return problems


@pytest.fixture(scope="module")
def fresh_catalogues(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The catalogues as makemessages would leave them now, built in a copy of the sources.

    makemessages writes into any ``locale`` folder above the files it reads, so it runs in a
    throwaway copy of the project: the real catalogues are never touched by the tests.
    """
    copy = tmp_path_factory.mktemp("project") / "project"
    shutil.copytree(
        BASE_DIR,
        copy,
        ignore=shutil.ignore_patterns(
            ".git",
            ".venv",
            "node_modules",
            "staticfiles",
            "artifacts",
            "docs",
            "*.sqlite3",
            "__pycache__",
            "*.mo",
        ),
    )
    arguments = [f"--locale={code}" for code in LANGUAGES]
    arguments += [f"--ignore={pattern}" for pattern in IGNORED]
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "--no-location", "--no-obsolete", *arguments],
        cwd=copy,
        check=True,
        capture_output=True,
        timeout=300,
    )
    return copy / "locale"


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_catalogue_is_complete(fresh_catalogues: Path, language: str) -> None:
    po_file = fresh_catalogues / language / "LC_MESSAGES" / "django.po"
    assert po_file.exists(), f"No catalogue for {language}: run make messages"
    problems = _problems(po_file)
    assert problems == [], f"{len(problems)} untranslated in {language}: {problems[:20]}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_catalogue_compiles_with_matching_placeholders(language: str) -> None:
    po_file = BASE_DIR / "locale" / language / "LC_MESSAGES" / "django.po"
    result = subprocess.run(
        ["msgfmt", "--check-format", "-c", "-o", "/dev/null", str(po_file)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr


def test_the_checker_finds_an_empty_and_a_fuzzy_entry(tmp_path: Path) -> None:
    po_file = tmp_path / "django.po"
    po_file.write_text(
        'msgid ""\nmsgstr ""\n"Language: fr\\n"\n\n'
        'msgid "Done"\nmsgstr "Fait"\n\n'
        'msgid "Empty"\nmsgstr ""\n\n'
        '#, fuzzy\nmsgid "Guess"\nmsgstr "Devine"\n\n'
        'msgid "One"\nmsgid_plural "Many"\nmsgstr[0] "Un"\nmsgstr[1] ""\n',
        encoding="utf-8",
    )
    assert _problems(po_file) == ['empty: "Empty"', 'fuzzy: "Guess"', 'empty: "One"']


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_language_is_active_in_a_smoke_sentence(language: str) -> None:
    with translation.override(language):
        assert translation.gettext("There is a problem") != "There is a problem"
