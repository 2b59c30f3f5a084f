"""Obvious variables in log messages, masked in one vectorised pass.

The pattern engine mines the *shapes* of messages: the first line with its whitespace
collapsed, then every run that is plainly a value (a date-time, a UUID, a URL, an IP address,
a path, a hex number, a number with or without a unit) replaced by Drain's wildcard `<*>`.
Millions of messages fall to a few thousand shapes, and only those are mined.

All kinds are one alternation, applied in one `replace_all` (one pass over the text costs a
third of one pass per kind; capture groups, which a look-behind would need, cost three
times more again, so boundaries are `\\b` and `\\B` only). Where alternatives could match at
the same place the more specific comes first. The kind of a variable is read back from its
values (`kind_of`), not from the mask.

A mask replaces characters inside one space-separated token and never a space, so the tokens
of a shape line up one to one with the tokens of the normalised line: this is what lets token
values be read back by position.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import polars as pl

# The line mined is each body's first line (`body.first_line`, re-exported here for the
# callers that mask plain messages).
from logview.core.shared.body import first_line  # noqa: F401
from logview.core.shared.regex import ascii_classes

WILDCARD = "<*>"

_HEX = "[0-9a-fA-F]"
# kind -> regex of a value of that kind, most specific first.
KINDS: dict[str, str] = {
    # A date and time written as one word: ISO 8601 with a `T`, or CLF's 10/Oct/2000:13:55:36.
    "timestamp": r"\b(?:\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:[.,]\d+)?(?:Z|[+-]\d{2}:?\d{2})?"
    r"|\d{2}/[A-Z][a-z]{2}/\d{4}:\d{2}:\d{2}:\d{2})(?:\b|$)",
    "uuid": rf"\b{_HEX}{{8}}-{_HEX}{{4}}-{_HEX}{{4}}-{_HEX}{{4}}-{_HEX}{{12}}\b",
    "url": r"\b[a-zA-Z][a-zA-Z0-9+.\-]*://[^\s\"'<>]+",
    "ip": r"\b\d{1,3}(?:\.\d{1,3}){3}(?::\d{1,5})?\b",
    # A host name with a port is an endpoint, as an IP address with one is: db-7.example.net:8443.
    "endpoint": r"\b[A-Za-z0-9][A-Za-z0-9\-]*(?:\.[A-Za-z0-9\-]+)+:\d{1,5}\b",
    # An absolute path of two segments or more, not glued to a word before it.
    "path": r"\B(?:/[\w.\-~%@+]+){2,}/?",
    "hex": rf"\b0[xX]{_HEX}+\b|\b{_HEX}{{8,}}\b",
    # A number starting a word, with a fraction and a short unit: 42, 3.5, 12ms, 512MB, the
    # 18574 of ord-18574. Digits after letters in a word (node12) are the miner's job. A sign
    # or a comparison not glued to a word is the number's: offset=-1, <1 ms, ~5s (but the
    # hyphens of worker-3 and 10-12 are not signs).
    "number": r"(?:\B[-+<>~]|\b)\d+(?:[.,]\d+)*(?:[a-zA-Z]{1,3})?\b",
}


def _ascii(pattern: str) -> str:
    # ASCII classes and word boundaries: a Unicode `\b` keeps Rust's fast engines off any
    # line with a non-ASCII character.
    return ascii_classes(pattern).replace(r"\b", r"(?-u:\b)").replace(r"\B", r"(?-u:\B)")


MASK = "|".join(f"(?:{_ascii(regex)})" for regex in KINDS.values())
_WHOLE = {kind: re.compile(f"(?:{regex})", re.ASCII) for kind, regex in KINDS.items()}


def mask(lines: pl.Expr) -> pl.Expr:
    """Return the shape of each normalised line: obvious values replaced by `<*>`."""
    return lines.str.replace_all(MASK, WILDCARD)


def kind_of(values: Iterable[str]) -> str:
    """Return the kind every value is wholly of (`KINDS`' names), or "text"."""
    sample = [v for v in values if v]
    if not sample:
        return "text"
    for kind, regex in _WHOLE.items():
        if all(regex.fullmatch(v) for v in sample):
            return kind
    return "text"
