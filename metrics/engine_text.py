"""The engine's texts in the reader's language: the Django side of ``metrics.engine.text``.

The engine keeps message ids and asks a translator for the words when a text is shown. This
module is that translator for the web app and the command line: Django's gettext in the active
language, and the locale's month format. ``MetricsConfig.ready`` installs it, so every process
that loads the app (server, tests, management commands) shows translated engine texts, while
the engine itself imports no Django.

It lives beside ``formatting.py`` rather than in it: formatting writes numbers and periods,
this module only connects two translation systems, and it must be importable from ``apps.py``
at start-up without pulling in the rest of the presentation code.
"""

from __future__ import annotations

from datetime import date
from typing import cast

from django.utils import translation
from django.utils.functional import Promise, lazy

from metrics.engine.text import LabelledEnum, Message, set_translator


class DjangoTranslator:
    """Engine texts through Django's translation catalogues, in the active language."""

    def gettext(self, message: str) -> str:
        return translation.gettext(message)

    def pgettext(self, context: str, message: str) -> str:
        return translation.pgettext(context, message)

    def ngettext(self, singular: str, plural: str, number: int) -> str:
        return translation.ngettext(singular, plural, number)

    def month(self, month: date) -> str:
        from metrics.formatting import month_name

        return month_name(month)


def install() -> None:
    """Show the engine's texts through Django's translations from now on."""
    set_translator(DjangoTranslator())


def _shown(message: Message) -> str:
    return str(message)


#: A Django lazy string for an engine message, for places that need one (model field choices,
#: whose labels migrations write as plain text).
lazy_message = lazy(_shown, str)


def choices(enum: type[LabelledEnum]) -> list[tuple[str, Promise]]:
    """(value, lazy label) pairs of an engine enum, for model and form fields."""
    return [(member.value, cast(Promise, lazy_message(member.label_message))) for member in enum]
