"""A log pasted into a report: the lines its code fences hold.

A log copied from a bug report or a forum post comes with the reporter's words around it, and
the log itself between code fences: Markdown's (GitHub, GitLab: a line of three backticks or
tildes, with the language after the opening one), Jira's (`{noformat}`, `{code}`,
`{code:java}`). Where most of a source's lines lie between such fences, the lines outside
them and the fences themselves are the report's, not the log's: left out, and noted. A report
is small: its fences are in the sample sniffing reads, and only where they are is the whole
source looked at.
"""

from __future__ import annotations

import polars as pl

from logview.core.shared.regex import ascii_classes

FENCE = ascii_classes(
    r"^[ \t]{0,3}(?:```|~~~)[\w+.-]*[ \t]*$|^\{(?:noformat|code)(?::[^}\n]*)?\}[ \t]*$"
)
# What a line must hold to be worth the look (a fence's own characters).
_MARKS = ("```", "~~~", "{noformat}", "{code")
# The fenced lines must be half the non-blank ones at least (the fences aside): a report
# around a log, not a log that quotes a fence now and then.
_FENCED_SHARE = 0.5


def fenced_sample(lines: tuple[str, ...]) -> tuple[str, ...]:
    """Return a sniffing sample's lines without a report's text around its fenced log (the
    lines unchanged where there is none)."""
    if not any(mark in line for line in lines for mark in _MARKS):
        return lines
    keep = fenced(pl.Series(lines, dtype=pl.String))
    if keep is None:
        return lines
    return tuple(line for line, kept in zip(lines, keep, strict=True) if kept)


def fenced(text: pl.Series) -> pl.Series | None:
    """Return which of a source's lines to keep (those between an opening fence and its
    closing one; an opening fence without one holds the rest), or None where the source is
    no report around a fenced log."""
    fence = text.str.contains(FENCE).fill_null(False)
    if fence.sum() < 2:
        return None
    inside = (fence.cast(pl.UInt32).cum_sum() % 2 == 1) & ~fence
    present = (text.str.strip_chars() != "").fill_null(False) & ~fence
    kept = int((inside & present).sum())
    if not kept or kept < _FENCED_SHARE * int(present.sum()):
        return None
    return inside.rename("fenced")


def outside_note(count: int) -> str:
    """Return the note for `count` lines of a report left out around its fenced log."""
    return (
        f"{count} lines of a report's text around its code fences left out: the fenced log is read"
    )
