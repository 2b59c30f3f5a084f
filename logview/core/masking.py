"""Obvious variables in log messages, masked in one vectorised pass.

The pattern engine mines the *shapes* of messages: the first line with its whitespace
collapsed, then every run that is plainly a value (a UUID, an IP address, a URL, a path, a hex
number, a number with or without a unit) replaced by a placeholder naming its kind. Millions
of messages fall to a few thousand shapes, and only those are mined.

A mask replaces characters inside one space-separated token and never a space, so the tokens
of a shape line up one to one with the tokens of the normalised line: this is what lets token
values be read back by position.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from logview.core.regex import ascii_classes

# The longest first line mined: a longer one is mined on its start (the whole message stays in
# the table and in the samples).
MAX_MINED_CHARS = 2048


@dataclass(frozen=True)
class Mask:
    kind: str
    value: str  # regex of the value
    lead: str = ""  # regex of the character before it (Rust's regex has no look-behind)


_HEX = "[0-9a-fA-F]"
# In the order they apply: more specific kinds first, so that an IP address is not read as
# four numbers, nor a UUID as runs of hex.
MASKS: tuple[Mask, ...] = (
    # A date and time written as one word: ISO 8601 with a `T`, or CLF's 10/Oct/2000:13:55:36.
    Mask(
        "ts",
        r"\b(?:\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:[.,]\d+)?(?:Z|[+-]\d{2}:?\d{2})?"
        r"|\d{2}/[A-Z][a-z]{2}/\d{4}:\d{2}:\d{2}:\d{2})(?:\b|$)",
    ),
    Mask("uuid", rf"\b{_HEX}{{8}}-{_HEX}{{4}}-{_HEX}{{4}}-{_HEX}{{4}}-{_HEX}{{12}}\b"),
    Mask("url", r"\b[a-zA-Z][a-zA-Z0-9+.\-]*://[^\s\"'<>]+"),
    Mask("ip", r"\d{1,3}(?:\.\d{1,3}){3}(?::\d{1,5})?\b", lead=r"^|[^\w.]"),
    Mask("path", r"(?:/[\w.\-~%@+]+){2,}/?", lead=r"^|[\s=:(\[\"',]"),
    Mask("hex", rf"\b0[xX]{_HEX}+\b"),
    # A number standing alone in its word, signed or not, with a fraction and a short unit:
    # 42, -7, 3.5, 12ms, 512MB. Digits inside a word (node12, blk_-345) are the miner's job.
    Mask("num", r"-?\d+(?:[.,]\d+)*(?:[a-zA-Z]{1,3})?\b", lead=r"^|[^\w.\-]"),
    Mask("hex", rf"\b{_HEX}{{8,}}\b"),
)
KINDS = tuple(dict.fromkeys(m.kind for m in MASKS))
PLACEHOLDERS = frozenset(f"<{kind}>" for kind in KINDS)


def first_line(messages: pl.Expr) -> pl.Expr:
    """Return the first line of each message, whitespace runs made one space, capped."""
    head = messages.str.slice(0, 2 * MAX_MINED_CHARS).str.replace(r"\n(?s:.*)", "")
    # Only runs of two or more whitespace characters, or one that is not a space, are
    # replaced: matching every single space would cost five times as much.
    runs = r"[\t\x0B\x0C\r ]{2,}|[\t\x0B\x0C\r]"
    return head.str.replace_all(runs, " ").str.strip_chars(" ").str.slice(0, MAX_MINED_CHARS)


def _ascii(pattern: str) -> str:
    # ASCII classes and word boundaries: a Unicode `\b` keeps Rust's fast engines off any
    # line with a non-ASCII character.
    return ascii_classes(pattern).replace(r"\b", r"(?-u:\b)")


def mask(lines: pl.Expr) -> pl.Expr:
    """Return the shape of each normalised line: obvious values replaced by `<kind>`."""
    shape = lines
    for m in MASKS:
        value = _ascii(m.value)
        if m.lead:
            regex = f"({_ascii(m.lead)})(?:{value})"
            shape = shape.str.replace_all(regex, f"${{1}}<{m.kind}>")
        else:
            shape = shape.str.replace_all(value, f"<{m.kind}>")
    return shape
