"""Texts the engine shows to people, kept as message ids until someone shows them.

The engine imports no Django, yet its KPI names, enum labels, reasons and error messages must
appear in the reader's language. So each of them is a :class:`Message`: an English message id, an
optional translation context and the parameters to put in it. ``str(message)`` asks the
*translator* for the words at the moment the text is shown. The translator is plain English until
the Django side installs its own at start-up (``MetricsConfig.ready`` calls
``metrics.engine_text.install``), which uses Django's gettext and the locale's month names.

Why a translator handed in, rather than translating at every place a text is shown: KPI names,
labels and errors are read as ``kpi.name``, ``member.label`` or ``str(error)`` by templates, forms,
exports and the command line. A message that translates itself when it becomes a string behaves
like Django's lazy strings did, so those places need not know where a text comes from, while the
engine holds only message ids and runs, in English, with no settings at all.

The markers below are named after keywords that ``makemessages`` passes to xgettext
(``gettext_lazy`` and ``_``, ``pgettext_lazy``, ``gettext``, ``ngettext``), so the catalogue
still finds every message id written in the engine.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Protocol, Self


class Translator(Protocol):
    """What the engine needs from a translation system."""

    def gettext(self, message: str) -> str: ...

    def pgettext(self, context: str, message: str) -> str: ...

    def ngettext(self, singular: str, plural: str, number: int) -> str: ...

    def month(self, month: date) -> str:
        """A month and its year for people, e.g. ``March 2025``."""
        ...


_MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


class English:
    """The message ids themselves: what the engine shows when nobody installed a translator."""

    def gettext(self, message: str) -> str:
        return message

    def pgettext(self, context: str, message: str) -> str:
        return message

    def ngettext(self, singular: str, plural: str, number: int) -> str:
        return singular if number == 1 else plural

    def month(self, month: date) -> str:
        return f"{_MONTH_NAMES[month.month - 1]} {month.year}"


_translator: Translator = English()


def set_translator(translator: Translator) -> None:
    """Show every engine text through ``translator`` from now on."""
    global _translator
    _translator = translator


def get_translator() -> Translator:
    """The translator in use."""
    return _translator


class Message:
    """A text to translate when shown: message id, optional context, and its parameters."""

    __slots__ = ("context", "msgid", "params")

    def __init__(
        self, msgid: str, params: Mapping[str, Any] | None = None, context: str | None = None
    ) -> None:
        self.msgid = msgid
        self.params = dict(params or {})
        self.context = context

    def __str__(self) -> str:
        if self.context is None:
            text = _translator.gettext(self.msgid)
        else:
            text = _translator.pgettext(self.context, self.msgid)
        # Parameters that are messages themselves are translated here too, by ``%s``.
        return text % self.params if self.params else text

    def __repr__(self) -> str:
        return f"Message({self.msgid!r}, {self.params!r}, {self.context!r})"

    # Compared and hashed as the text shown, as Django's lazy strings are.
    def __eq__(self, other: object) -> bool:
        if isinstance(other, Message | str):
            return str(self) == str(other)
        return NotImplemented

    def __lt__(self, other: Message | str) -> bool:
        return str(self) < str(other)

    def __hash__(self) -> int:
        return hash(str(self))

    def __add__(self, other: str) -> str:
        return str(self) + other

    def __radd__(self, other: str) -> str:
        return other + str(self)


def gettext_lazy(message: str) -> Message:
    """Mark ``message`` for the catalogue; it is translated each time it is shown."""
    return Message(message)


def pgettext_lazy(context: str, message: str) -> Message:
    """Like :func:`gettext_lazy`, for a word whose translation depends on ``context``."""
    return Message(message, context=context)


def gettext(message: str) -> str:
    """Translate ``message`` now, in the translator's active language."""
    return _translator.gettext(message)


def ngettext(singular: str, plural: str, number: int) -> str:
    """Translate now, choosing the plural form for ``number``."""
    return _translator.ngettext(singular, plural, number)


def month_text(month: date) -> str:
    """A month for people, in the translator's active language."""
    return _translator.month(month)


def lazy_format(message: Message, params: Mapping[str, Any]) -> Message:
    """``message`` with parameters, formatted only when shown, so it follows the language."""
    return Message(message.msgid, params, message.context)


class LabelledEnum(StrEnum):
    """A string enum whose members carry a translated label: ``MEMBER = "value", _("Label")``."""

    _label: Message

    if TYPE_CHECKING:
        # What type checkers see: ``Unit("money")`` looks a member up by its value; the real
        # ``__new__`` below only runs while the class body defines the members.
        def __new__(cls, value: str, label: Message | None = None) -> Self: ...

    def __new__(cls, value: str, label: Message) -> Self:  # type: ignore[no-redef]  # see above
        member = str.__new__(cls, value)
        member._value_ = value
        member._label = label
        return member

    @property
    def label(self) -> str:
        """The translated label in the active language."""
        return str(self._label)

    @property
    def label_message(self) -> Message:
        """The label as a message, to translate later (for choices made once, shown often)."""
        return self._label

    @classmethod
    def choices(cls) -> list[tuple[str, Message]]:
        """(value, label message) pairs; the labels are translated when shown."""
        return [(member.value, member._label) for member in cls]
