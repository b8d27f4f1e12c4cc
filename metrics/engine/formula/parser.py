"""A recursive-descent parser over the tokens: formula text into a tree and the codes it uses.

The tokenizer and the parser are our own; nothing here hands text to Python. Nesting is counted
before each recursion, so hostile input fails with a FormulaError, never a RecursionError.
"""

from __future__ import annotations

import difflib
from collections.abc import Collection
from decimal import Decimal
from typing import Any

from metrics.engine.formula import tree
from metrics.engine.formula.tokens import Token, tokenize
from metrics.engine.formula.tree import (
    FUNCTIONS,
    MAX_DEPTH,
    MAX_LENGTH,
    MONTHS,
    RESERVED,
    FormulaError,
    with_params,
)
from metrics.engine.text import gettext_lazy as _

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
        self.tokens = tokenize(text)
        self.position = 0
        self.depth = 0
        self.used_figures: set[str] = set()
        self.used_kpis: set[str] = set()
        self.previous_figures: set[str] = set()
        self.previous_kpis: set[str] = set()

    @property
    def token(self) -> Token:
        return self.tokens[self.position]

    def advance(self) -> Token:
        token = self.tokens[self.position]
        self.position += 1
        return token

    def enter(self, token: Token) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise FormulaError(
                with_params(
                    _("Too deeply nested: at most %(max)d levels (column %(column)d)"),
                    max=MAX_DEPTH,
                    column=token.column,
                ),
                token.column,
            )

    def unexpected(self, token: Token | None = None) -> FormulaError:
        token = token or self.token
        if token.kind == "end":
            return FormulaError(
                with_params(
                    _("The formula ends too early (column %(column)d)"), column=token.column
                ),
                token.column,
            )
        return FormulaError(
            with_params(
                _("Unexpected “%(token)s” at column %(column)d"),
                token=token.text,
                column=token.column,
            ),
            token.column,
        )

    def missing_operator(self) -> FormulaError:
        token = self.token
        return FormulaError(
            with_params(
                _("An operator (+ - * /) is missing before “%(token)s” at column %(column)d"),
                token=token.text,
                column=token.column,
            ),
            token.column,
        )

    def close(self, opening: Token) -> None:
        if self.token.kind == ")":
            self.advance()
            return
        if self.token.kind in _OPERAND_STARTS:
            raise self.missing_operator()
        if self.token.kind == "end":
            raise FormulaError(
                with_params(
                    _("Missing “)” to close the “(” at column %(column)d"), column=opening.column
                ),
                opening.column,
            )
        raise self.unexpected()

    def parse(self) -> tree.Node:
        root = self.expression()
        if self.token.kind != "end":
            if self.token.kind in _OPERAND_STARTS:
                raise self.missing_operator()
            raise self.unexpected()
        return root

    def expression(self) -> tree.Node:
        return self.chain("+-", self.term)

    def term(self) -> tree.Node:
        return self.chain("*/", self.unary)

    def chain(self, operators: str, operand: Any) -> tree.Node:
        first = operand()
        rest: list[tree.Operand] = []
        while self.token.kind == "op" and self.token.text in operators:
            op = self.advance().text
            start = self.token.start
            node = operand()
            end = self.tokens[self.position - 1].end
            rest.append(tree.Operand(op, node, _clean_source(self.text[start:end])))
        return tree.Chain(first, tuple(rest)) if rest else first

    def unary(self) -> tree.Node:
        token = self.token
        if token.kind == "op" and token.text == "-":
            self.advance()
            self.enter(token)
            operand = self.unary()
            self.depth -= 1
            return tree.Negate(operand, token.column)
        return self.primary()

    def primary(self) -> tree.Node:
        token = self.token
        if token.kind == "number":
            self.advance()
            return tree.Number(Decimal(token.text), token.column)
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

    def name(self) -> tree.Node:
        token = self.advance()
        name = token.text
        called = self.token.kind == "("
        if called and name not in FUNCTIONS:
            raise FormulaError(
                with_params(
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
                    with_params(
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
            return tree.Months(token.column)
        return self.code(token)

    def code(self, token: Token) -> tree.FigureRef | tree.KpiRef:
        ref = self.resolve(token)
        if isinstance(ref, tree.FigureRef):
            self.used_figures.add(ref.code)
        else:
            self.used_kpis.add(ref.code)
        return ref

    def resolve(self, token: Token) -> tree.FigureRef | tree.KpiRef:
        # A code that is both a figure and a KPI (revenue) means the figure: they are equal.
        name = token.text
        if name in self.figures:
            return tree.FigureRef(name, token.column)
        if name in self.kpis:
            return tree.KpiRef(name, token.column)
        candidates = sorted({*self.figures, *self.kpis, MONTHS})
        close = difflib.get_close_matches(name.lower(), candidates, n=1, cutoff=0.6)
        if len(name) > 40:
            name = name[:40] + "…"  # a long word is quoted in part: enough to recognise it
        if close:
            message = with_params(
                _(
                    "Unknown figure or KPI “%(name)s” at column %(column)d"
                    " — did you mean “%(close)s”?"
                ),
                name=name,
                column=token.column,
                close=close[0],
            )
        else:
            message = with_params(
                _("Unknown figure or KPI “%(name)s” at column %(column)d"),
                name=name,
                column=token.column,
            )
        raise FormulaError(message, token.column)

    def previous(self, token: Token) -> tree.Previous:
        argument = self.token
        follow = self.tokens[self.position + 1].kind if argument.kind != "end" else "end"
        if argument.kind != "name" or argument.text in RESERVED or follow not in (")", "end"):
            raise FormulaError(
                with_params(
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
        if isinstance(ref, tree.FigureRef):
            self.previous_figures.add(ref.code)
            return tree.Previous(ref.code, False, token.column)
        self.previous_kpis.add(ref.code)
        return tree.Previous(ref.code, True, token.column)

    def call(self, token: Token) -> tree.Call:
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
            return tree.Call(name, tuple(args), token.column)
        raise FormulaError(with_params(message, name=name, column=token.column), token.column)


def parse(text: str, figures: Collection[str], kpis: Collection[str]) -> tree.Formula:
    """Parse ``text`` over the given figure and KPI codes; raise FormulaError if it is invalid."""
    if not isinstance(text, str) or not text.strip():
        raise FormulaError(_("The formula is empty"))
    if len(text) > MAX_LENGTH:
        raise FormulaError(
            with_params(_("The formula is longer than %(max)d characters"), max=MAX_LENGTH),
            MAX_LENGTH + 1,
        )
    parser = _Parser(text, figures, kpis)
    root = parser.parse()
    return tree.Formula(
        text=text,
        root=root,
        figures=frozenset(parser.used_figures),
        kpis=frozenset(parser.used_kpis),
        previous_figures=frozenset(parser.previous_figures),
        previous_kpis=frozenset(parser.previous_kpis),
    )
