"""Tokens of the query language, each with the column it starts at (1-based)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from logview.core.analysis.query.errors import QueryError


@dataclass(frozen=True)
class Token:
    kind: str  # name, number, duration, string, regex, op, end
    text: str  # the value: a name, a number's digits, a string's content, a regex's pattern
    column: int  # 1-based
    end: int  # 0-based offset just after the token in the query text
    flags: str = ""  # a regex's flags ("i")

    def is_word(self, *words: str) -> bool:
        return self.kind == "name" and self.text.lower() in words


_NAME = re.compile(r"@?[A-Za-z_][A-Za-z0-9_.]*")
_NUMBER = re.compile(r"\d+(?:\.\d+)?(?:[eE][+-]?\d+)?")
_DURATION = re.compile(r"(\d+)([a-zA-Z]+)")
_OPS = (
    "!=",
    "<=",
    ">=",
    "=~",
    "=",
    "<",
    ">",
    "+",
    "-",
    "*",
    "/",
    "%",
    "(",
    ")",
    "[",
    "]",
    ",",
    "|",
)
# After these, a `/` divides; anywhere else it starts a regex.
_OPERAND_ENDS = {"name", "number", "duration", "string", "regex"}


def tokenize(text: str) -> list[Token]:
    """Return the tokens of `text` ending with an `end` token; raises QueryError."""
    tokens: list[Token] = []
    i, n = 0, len(text)
    while True:
        while i < n and text[i].isspace():
            i += 1
        if i >= n:
            tokens.append(Token("end", "", n + 1, n))
            return tokens
        ch = text[i]
        previous = tokens[-1] if tokens else None
        operand_before = (
            previous is not None
            and (previous.kind in _OPERAND_ENDS or previous.text in (")", "]"))
            and not (previous.kind == "name" and previous.text.lower() in _OPERATOR_WORDS)
            # `parse FIELD /regex/`: the field is followed by the regex, not divided.
            and not (len(tokens) >= 2 and tokens[-2].is_word("parse"))
        )
        if ch in "\"'":
            token, i = _string(text, i)
        elif ch == "`":
            close = text.find("`", i + 1)
            if close < 0:
                raise QueryError("unterminated `name`", i + 1)
            token, i = Token("name", text[i + 1 : close], i + 1, close + 1), close + 1
        elif ch == "/" and not operand_before:
            token, i = _regex(text, i)
        elif "0" <= ch <= "9":  # not str.isdigit(): "¹" and "٣" are digits to it, not numbers
            duration = _DURATION.match(text, i)
            if duration and not _NUMBER.fullmatch(duration.group(0)):
                token = Token("duration", duration.group(0), i + 1, duration.end())
                i = duration.end()
            else:
                number = _NUMBER.match(text, i)
                assert number is not None
                token, i = Token("number", number.group(0), i + 1, number.end()), number.end()
        elif (name := _NAME.match(text, i)) is not None:
            word = name.group(0).rstrip(".") or name.group(0)  # `x.` ends before its dot
            token, i = Token("name", word, i + 1, i + len(word)), i + len(word)
        else:
            op = next((op for op in _OPS if text.startswith(op, i)), None)
            if op is None:
                raise QueryError(f"unexpected character {ch!r}", i + 1)
            token, i = Token("op", op, i + 1, i + len(op)), i + len(op)
        tokens.append(token)


# Words that take an operand after them: a `/` that follows one starts a regex.
_OPERATOR_WORDS = {"like", "and", "or", "not", "in", "by", "as"}


def _string(text: str, start: int) -> tuple[Token, int]:
    quote = text[start]
    out: list[str] = []
    i = start + 1
    while i < len(text):
        ch = text[i]
        if ch == "\\" and i + 1 < len(text):
            out.append(text[i + 1])
            i += 2
            continue
        if ch == quote:
            return Token("string", "".join(out), start + 1, i + 1), i + 1
        out.append(ch)
        i += 1
    raise QueryError("unterminated string", start + 1)


def _regex(text: str, start: int) -> tuple[Token, int]:
    out: list[str] = []
    i = start + 1
    while i < len(text):
        ch = text[i]
        if ch == "\\" and i + 1 < len(text):
            # `\/` is a slash in the pattern; every other escape is the regex's own.
            out.append("/" if text[i + 1] == "/" else text[i : i + 2])
            i += 2
            continue
        if ch == "/":
            flags = re.match(r"[a-zA-Z]*", text[i + 1 :])
            assert flags is not None
            letters = flags.group(0)
            if letters and set(letters) - {"i"}:
                raise QueryError(f"unknown regex flag in /{''.join(out)}/{letters}", i + 2)
            end = i + 1 + len(letters)
            return Token("regex", "".join(out), start + 1, end, letters), end
        out.append(ch)
        i += 1
    raise QueryError("unterminated /regex/", start + 1)
