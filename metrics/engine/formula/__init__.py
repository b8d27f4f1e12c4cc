"""A small, safe formula language: numbers, codes, + - * /, parentheses and four functions.

``tree`` holds the words, limits, errors and tree; ``tokens`` reads text into tokens; ``parser``
builds the tree and notes which codes a formula uses. The engine runs the tree
(``metrics.engine.evaluate``).
"""

from __future__ import annotations

from metrics.engine.formula.parser import parse
from metrics.engine.formula.tree import (
    FUNCTIONS,
    MAX_DEPTH,
    MAX_LENGTH,
    MAX_NUMBER_LENGTH,
    MONTHS,
    RESERVED,
    Call,
    Chain,
    FigureRef,
    Formula,
    FormulaError,
    KpiRef,
    Months,
    Negate,
    Node,
    Number,
    Operand,
    Previous,
)

__all__ = [
    "FUNCTIONS",
    "MAX_DEPTH",
    "MAX_LENGTH",
    "MAX_NUMBER_LENGTH",
    "MONTHS",
    "RESERVED",
    "Call",
    "Chain",
    "FigureRef",
    "Formula",
    "FormulaError",
    "KpiRef",
    "Months",
    "Negate",
    "Node",
    "Number",
    "Operand",
    "Previous",
    "parse",
]
