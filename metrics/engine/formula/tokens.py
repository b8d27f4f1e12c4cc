"""Formula text into tokens, refusing at once what the language does not have (quotes, ``**``…)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from metrics.engine.formula.tree import MAX_NUMBER_LENGTH, FormulaError, with_params
from metrics.engine.text import Message
from metrics.engine.text import gettext_lazy as _


@dataclass(frozen=True, slots=True)
class Token:
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


def _fail(message: Message, column: int, **params: Any) -> FormulaError:
    return FormulaError(with_params(message, column=column, **params), column)


def tokenize(text: str) -> list[Token]:
    """The tokens of ``text``, ending with an "end" token; FormulaError at the first bad one."""
    tokens: list[Token] = []
    length = len(text)
    index = 0
    while index < length:
        char = text[index]
        if char in _SPACE:
            index += 1
            continue
        if char in _DIGITS:
            token = _number(text, index)
        elif char in _NAME_START:
            match = _NAME_RE.match(text, index)
            assert match is not None
            token = Token("name", match[0], index, match.end())
        elif char in _SIMPLE and not text.startswith("**", index):
            token = Token(_SIMPLE[char], char, index, index + 1)
        else:
            raise _refusal(text, index)
        tokens.append(token)
        index = token.end
    tokens.append(Token("end", "", length, length))
    return tokens


def _number(text: str, index: int) -> Token:
    match = _NUMBER_RE.match(text, index)
    assert match is not None
    end = match.end()
    column = index + 1
    follow = text[end] if end < len(text) else ""
    if follow == ".":
        raise _fail(_("Malformed number at column %(column)d"), column)
    if follow and follow in _NAME_CHARS:
        word = _NAME_RE.match(text, end)
        whole = text[index : word.end() if word else end + 1][:MAX_NUMBER_LENGTH]
        if follow in "eE":
            message = _("Exponents such as “%(text)s” are not allowed (column %(column)d)")
        else:
            message = _("Unexpected “%(text)s” at column %(column)d")
        raise _fail(message, column, text=whole)
    if end - index > MAX_NUMBER_LENGTH:
        raise _fail(
            _("Numbers may have at most %(max)d characters (column %(column)d)"),
            column,
            max=MAX_NUMBER_LENGTH,
        )
    return Token("number", text[index:end], index, end)


def _refusal(text: str, index: int) -> FormulaError:
    """Why the character at ``index`` cannot start a token."""
    char = text[index]
    column = index + 1
    if char == "*":
        return _fail(_("“**” is not allowed (column %(column)d)"), column)
    if char == ".":
        if index + 1 < len(text) and text[index + 1] in _DIGITS:
            return _fail(
                _("Write a digit before the decimal point, as in 0.5 (column %(column)d)"), column
            )
        return _fail(_("Attribute access is not allowed (column %(column)d)"), column)
    if char in _QUOTES:
        return _fail(_("Text in quotes is not allowed (column %(column)d)"), column)
    if char in _LOOKALIKES:
        return _fail(
            _("Use “%(ascii)s” instead of “%(char)s” (column %(column)d)"),
            column,
            ascii=_LOOKALIKES[char],
            char=char,
        )
    return _fail(_("Unexpected character %(char)s at column %(column)d"), column, char=_shown(char))
