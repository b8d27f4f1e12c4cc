"""A small, safe formula language: numbers, codes, + - * /, parentheses and four functions.

The tokenizer and the recursive-descent parser are our own; nothing here hands text to Python.
Nesting is counted before each recursion, so hostile input fails with a FormulaError, never a
RecursionError.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Collection
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from metrics.engine.text import lazy_format

MAX_LENGTH = 500
MAX_DEPTH = 20
MAX_NUMBER_LENGTH = 30
FUNCTIONS = ("min", "max", "abs", "previous")
MONTHS = "months"
RESERVED = frozenset((*FUNCTIONS, MONTHS))


class FormulaError(ValueError):
    """A formula that cannot be used, with a translated message and the 1-based column."""

    def __init__(
        self, message: Promise | str, column: int | None = None, kpi: str | None = None
    ) -> None:
        super().__init__(message, column)
        self.message = message
        self.column = column
        self.kpi = kpi

    def __str__(self) -> str:
        if self.kpi:
            return str(_("In “%(kpi)s”: %(message)s") % {"kpi": self.kpi, "message": self.message})
        return str(self.message)


def _error(message: Promise | str, **params: Any) -> Promise | str:
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


# ---------------------------------------------------------------------------------------------
# Tokens


@dataclass(frozen=True, slots=True)
class _Token:
    kind: str  # "number", "name", "op", "(", ")", ",", "end"
    text: str
    start: int
    end: int

    @property
    def column(self) -> int:
        return self.start + 1


_SPACE = frozenset(" \t\r\n")
_DIGITS = frozenset("0123456789")
_NAME_START = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_")
_NAME_CHARS = _NAME_START | _DIGITS
_QUOTES = frozenset("'\"`“”‘’«»„‚")
_LOOKALIKES = {"×": "*", "·": "*", "÷": "/", "−": "-", "–": "-", "—": "-"}
_NUMBER_RE = re.compile(r"[0-9]+(?:\.[0-9]+)?")
_NAME_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_SIMPLE = {"+": "op", "-": "op", "*": "op", "/": "op", "(": "(", ")": ")", ",": ","}


def _shown(char: str) -> str:
    if char.isascii() and char.isprintable():
        return f"“{char}”"
    if char.isprintable() and not char.isspace():
        return f"“{char}” (U+{ord(char):04X})"
    return f"U+{ord(char):04X}"


def _tokenize(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    length = len(text)
    index = 0
    while index < length:
        char = text[index]
        column = index + 1
        if char in _SPACE:
            index += 1
        elif char in _DIGITS:
            match = _NUMBER_RE.match(text, index)
            assert match is not None
            end = match.end()
            follow = text[end] if end < length else ""
            if follow == ".":
                raise FormulaError(
                    _error(_("Malformed number at column %(column)d"), column=column), column
                )
            if follow and follow in _NAME_CHARS:
                word = _NAME_RE.match(text, end)
                whole = text[index : word.end() if word else end + 1]
                if follow in "eE":
                    raise FormulaError(
                        _error(
                            _("Exponents such as “%(text)s” are not allowed (column %(column)d)"),
                            text=whole[:MAX_NUMBER_LENGTH],
                            column=column,
                        ),
                        column,
                    )
                raise FormulaError(
                    _error(
                        _("Unexpected “%(text)s” at column %(column)d"),
                        text=whole[:MAX_NUMBER_LENGTH],
                        column=column,
                    ),
                    column,
                )
            if end - index > MAX_NUMBER_LENGTH:
                raise FormulaError(
                    _error(
                        _("Numbers may have at most %(max)d characters (column %(column)d)"),
                        max=MAX_NUMBER_LENGTH,
                        column=column,
                    ),
                    column,
                )
            tokens.append(_Token("number", text[index:end], index, end))
            index = end
        elif char in _NAME_START:
            match = _NAME_RE.match(text, index)
            assert match is not None
            end = match.end()
            tokens.append(_Token("name", text[index:end], index, end))
            index = end
        elif char == "*" and text.startswith("**", index):
            raise FormulaError(
                _error(_("“**” is not allowed (column %(column)d)"), column=column), column
            )
        elif char in _SIMPLE:
            tokens.append(_Token(_SIMPLE[char], char, index, index + 1))
            index += 1
        elif char == ".":
            if index + 1 < length and text[index + 1] in _DIGITS:
                message = _("Write a digit before the decimal point, as in 0.5 (column %(column)d)")
            else:
                message = _("Attribute access is not allowed (column %(column)d)")
            raise FormulaError(_error(message, column=column), column)
        elif char in _QUOTES:
            raise FormulaError(
                _error(_("Text in quotes is not allowed (column %(column)d)"), column=column),
                column,
            )
        elif char in _LOOKALIKES:
            raise FormulaError(
                _error(
                    _("Use “%(ascii)s” instead of “%(char)s” (column %(column)d)"),
                    ascii=_LOOKALIKES[char],
                    char=char,
                    column=column,
                ),
                column,
            )
        else:
            raise FormulaError(
                _error(
                    _("Unexpected character %(char)s at column %(column)d"),
                    char=_shown(char),
                    column=column,
                ),
                column,
            )
    tokens.append(_Token("end", "", length, length))
    return tokens


# ---------------------------------------------------------------------------------------------
# Parser

_OPERAND_STARTS = frozenset(("number", "name", "("))


def _clean_source(source: str) -> str:
    """The operand's text on one line, without one pair of parentheses around all of it."""
    source = " ".join(source.split())
    if source.startswith("(") and source.endswith(")"):
        depth = 0
        for position, char in enumerate(source):
            depth += char == "("
            depth -= char == ")"
            if depth == 0 and position < len(source) - 1:
                return source
        return source[1:-1].strip()
    return source


class _Parser:
    def __init__(self, text: str, figures: Collection[str], kpis: Collection[str]) -> None:
        self.text = text
        self.figures = figures
        self.kpis = kpis
        self.tokens = _tokenize(text)
        self.position = 0
        self.depth = 0
        self.used_figures: set[str] = set()
        self.used_kpis: set[str] = set()
        self.previous_figures: set[str] = set()
        self.previous_kpis: set[str] = set()

    @property
    def token(self) -> _Token:
        return self.tokens[self.position]

    def advance(self) -> _Token:
        token = self.tokens[self.position]
        self.position += 1
        return token

    def enter(self, token: _Token) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise FormulaError(
                _error(
                    _("Too deeply nested: at most %(max)d levels (column %(column)d)"),
                    max=MAX_DEPTH,
                    column=token.column,
                ),
                token.column,
            )

    def unexpected(self, token: _Token | None = None) -> FormulaError:
        token = token or self.token
        if token.kind == "end":
            return FormulaError(
                _error(_("The formula ends too early (column %(column)d)"), column=token.column),
                token.column,
            )
        return FormulaError(
            _error(
                _("Unexpected “%(token)s” at column %(column)d"),
                token=token.text,
                column=token.column,
            ),
            token.column,
        )

    def missing_operator(self) -> FormulaError:
        token = self.token
        return FormulaError(
            _error(
                _("An operator (+ - * /) is missing before “%(token)s” at column %(column)d"),
                token=token.text,
                column=token.column,
            ),
            token.column,
        )

    def close(self, opening: _Token) -> None:
        if self.token.kind == ")":
            self.advance()
            return
        if self.token.kind in _OPERAND_STARTS:
            raise self.missing_operator()
        if self.token.kind == "end":
            raise FormulaError(
                _error(
                    _("Missing “)” to close the “(” at column %(column)d"), column=opening.column
                ),
                opening.column,
            )
        raise self.unexpected()

    def parse(self) -> Node:
        root = self.expression()
        if self.token.kind != "end":
            if self.token.kind in _OPERAND_STARTS:
                raise self.missing_operator()
            raise self.unexpected()
        return root

    def expression(self) -> Node:
        return self.chain("+-", self.term)

    def term(self) -> Node:
        return self.chain("*/", self.unary)

    def chain(self, operators: str, operand: Any) -> Node:
        first = operand()
        rest: list[Operand] = []
        while self.token.kind == "op" and self.token.text in operators:
            op = self.advance().text
            start = self.token.start
            node = operand()
            end = self.tokens[self.position - 1].end
            rest.append(Operand(op, node, _clean_source(self.text[start:end])))
        return Chain(first, tuple(rest)) if rest else first

    def unary(self) -> Node:
        token = self.token
        if token.kind == "op" and token.text == "-":
            self.advance()
            self.enter(token)
            operand = self.unary()
            self.depth -= 1
            return Negate(operand, token.column)
        return self.primary()

    def primary(self) -> Node:
        token = self.token
        if token.kind == "number":
            self.advance()
            return Number(Decimal(token.text), token.column)
        if token.kind == "(":
            self.advance()
            self.enter(token)
            node = self.expression()
            self.close(token)
            self.depth -= 1
            return node
        if token.kind == "name":
            return self.name()
        raise self.unexpected()

    def name(self) -> Node:
        token = self.advance()
        name = token.text
        called = self.token.kind == "("
        if called and name not in FUNCTIONS:
            raise FormulaError(
                _error(
                    _(
                        "Functions other than min, max, abs and previous are not allowed "
                        "(column %(column)d)"
                    ),
                    column=token.column,
                ),
                token.column,
            )
        if name in FUNCTIONS:
            if not called:
                raise FormulaError(
                    _error(
                        _("“%(name)s” must be followed by “(” (column %(column)d)"),
                        name=name,
                        column=token.column,
                    ),
                    token.column,
                )
            opening = self.advance()
            self.enter(token)
            node = self.previous(token) if name == "previous" else self.call(token)
            self.close(opening)
            self.depth -= 1
            return node
        if name == MONTHS:
            return Months(token.column)
        return self.code(token)

    def code(self, token: _Token) -> FigureRef | KpiRef:
        ref = self.resolve(token)
        if isinstance(ref, FigureRef):
            self.used_figures.add(ref.code)
        else:
            self.used_kpis.add(ref.code)
        return ref

    def resolve(self, token: _Token) -> FigureRef | KpiRef:
        # A code that is both a figure and a KPI (revenue) means the figure: they are equal.
        name = token.text
        if name in self.figures:
            return FigureRef(name, token.column)
        if name in self.kpis:
            return KpiRef(name, token.column)
        candidates = sorted({*self.figures, *self.kpis, MONTHS})
        close = difflib.get_close_matches(name.lower(), candidates, n=1, cutoff=0.6)
        if len(name) > 40:
            name = name[:40] + "…"  # a long word is quoted in part: enough to recognise it
        if close:
            message = _error(
                _(
                    "Unknown figure or KPI “%(name)s” at column %(column)d"
                    " — did you mean “%(close)s”?"
                ),
                name=name,
                column=token.column,
                close=close[0],
            )
        else:
            message = _error(
                _("Unknown figure or KPI “%(name)s” at column %(column)d"),
                name=name,
                column=token.column,
            )
        raise FormulaError(message, token.column)

    def previous(self, token: _Token) -> Previous:
        argument = self.token
        follow = self.tokens[self.position + 1].kind if argument.kind != "end" else "end"
        if argument.kind != "name" or argument.text in RESERVED or follow not in (")", "end"):
            raise FormulaError(
                _error(
                    _(
                        "previous() takes one figure or KPI code, as in previous(revenue) "
                        "(column %(column)d)"
                    ),
                    column=token.column,
                ),
                token.column,
            )
        self.advance()
        ref = self.resolve(argument)
        if isinstance(ref, FigureRef):
            self.previous_figures.add(ref.code)
            return Previous(ref.code, False, token.column)
        self.previous_kpis.add(ref.code)
        return Previous(ref.code, True, token.column)

    def call(self, token: _Token) -> Call:
        args = [self.expression()]
        while self.token.kind == ",":
            self.advance()
            args.append(self.expression())
        name = token.text
        if name == "abs" and len(args) != 1:
            message = _("abs() takes exactly one value (column %(column)d)")
        elif name != "abs" and len(args) < 2:
            message = _("%(name)s() needs at least two values (column %(column)d)")
        else:
            return Call(name, tuple(args), token.column)
        raise FormulaError(_error(message, name=name, column=token.column), token.column)


def parse(text: str, figures: Collection[str], kpis: Collection[str]) -> Formula:
    """Parse ``text`` over the given figure and KPI codes; raise FormulaError if it is invalid."""
    if not isinstance(text, str) or not text.strip():
        raise FormulaError(_("The formula is empty"))
    if len(text) > MAX_LENGTH:
        raise FormulaError(
            _error(_("The formula is longer than %(max)d characters"), max=MAX_LENGTH),
            MAX_LENGTH + 1,
        )
    parser = _Parser(text, figures, kpis)
    root = parser.parse()
    return Formula(
        text=text,
        root=root,
        figures=frozenset(parser.used_figures),
        kpis=frozenset(parser.used_kpis),
        previous_figures=frozenset(parser.previous_figures),
        previous_kpis=frozenset(parser.previous_kpis),
    )
