"""Small helpers for translated text and enums with translated labels."""

from __future__ import annotations

from enum import StrEnum
from typing import Any, Self

from django.utils.functional import Promise, lazy


def _format(message: str, params: dict[str, Any]) -> str:
    return str(message) % params


#: Format a (lazy) message only when it is displayed, so it follows the active language.
lazy_format = lazy(_format, str)


class LabelledEnum(StrEnum):
    """A string enum whose members carry a translated label: ``MEMBER = "value", _("Label")``."""

    _label: Promise | str

    def __new__(cls, value: str, label: Promise | str) -> Self:
        member = str.__new__(cls, value)
        member._value_ = value
        member._label = label
        return member

    @property
    def label(self) -> str:
        """The translated label in the active language."""
        return str(self._label)

    @classmethod
    def choices(cls) -> list[tuple[str, Promise | str]]:
        """(value, lazy label) pairs for form and model fields."""
        return [(member.value, member._label) for member in cls]
