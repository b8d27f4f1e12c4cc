"""The formula language's words, limits, errors and tree (what the parser builds)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from metrics.engine.text import Message, lazy_format
from metrics.engine.text import gettext_lazy as _

MAX_LENGTH = 500
MAX_DEPTH = 20
MAX_NUMBER_LENGTH = 30
FUNCTIONS = ("min", "max", "abs", "previous")
MONTHS = "months"
RESERVED = frozenset((*FUNCTIONS, MONTHS))


class FormulaError(ValueError):
    """A formula that cannot be used, with a translated message and the 1-based column."""

    def __init__(
        self, message: Message | str, column: int | None = None, kpi: str | None = None
    ) -> None:
        super().__init__(message, column)
        self.message = message
        self.column = column
        self.kpi = kpi

    def __str__(self) -> str:
        if self.kpi:
            text = _("In “%(kpi)s”: %(message)s")
            return str(lazy_format(text, {"kpi": self.kpi, "message": self.message}))
        return str(self.message)


def with_params(message: Message, **params: Any) -> Message:
    """``message`` with the parameters it will be formatted with when shown."""
    return lazy_format(message, params) if params else message


# ---------------------------------------------------------------------------------------------
# The tree. Chains keep a run of + and - (or * and /) flat, so long sums do not make deep trees.


@dataclass(frozen=True, slots=True)
class Number:
    value: Decimal
    column: int


@dataclass(frozen=True, slots=True)
class Months:
    column: int


@dataclass(frozen=True, slots=True)
class FigureRef:
    code: str
    column: int


@dataclass(frozen=True, slots=True)
class KpiRef:
    code: str
    column: int


@dataclass(frozen=True, slots=True)
class Previous:
    """``previous(code)``: a figure or KPI in the previous period of the same length."""

    code: str
    is_kpi: bool
    column: int


@dataclass(frozen=True, slots=True)
class Negate:
    operand: Node
    column: int


@dataclass(frozen=True, slots=True)
class Operand:
    """One step of a chain: the operator, the operand and the operand's source text."""

    op: str
    node: Node
    source: str


@dataclass(frozen=True, slots=True)
class Chain:
    """``first`` followed by operands joined with + and -, or with * and /, left to right."""

    first: Node
    rest: tuple[Operand, ...]


@dataclass(frozen=True, slots=True)
class Call:
    """``min``, ``max`` or ``abs`` applied to its arguments."""

    name: str
    args: tuple[Node, ...]
    column: int


Node = Number | Months | FigureRef | KpiRef | Previous | Negate | Chain | Call


@dataclass(frozen=True, slots=True)
class Formula:
    """A parsed formula and the codes it depends on."""

    text: str
    root: Node
    figures: frozenset[str]
    kpis: frozenset[str]
    previous_figures: frozenset[str]
    previous_kpis: frozenset[str]

    @property
    def previous(self) -> frozenset[str]:
        """Every code used inside ``previous(...)``."""
        return self.previous_figures | self.previous_kpis
