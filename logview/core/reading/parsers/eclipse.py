"""Eclipse's platform log (`<workspace>/.metadata/.log`, and the same file of every Eclipse
RCP application: DBeaver, STM32CubeIDE, Spring Tools, ...), as `org.eclipse.core.runtime`'s
log writer writes it:

    !SESSION 2024-06-27 08:52:31.204 -----------------------------------------------
    eclipse.buildId=4.32.0.20240601-0610
    !ENTRY org.eclipse.egit.ui 2 0 2024-06-27 08:52:49.611
    !MESSAGE Warning: The environment variable HOME is not set.
    !STACK 0
    java.lang.NullPointerException ...

An entry opens at `!SESSION` (the session's start, its settings after it; no level) or at
`!ENTRY` (the plug-in, the status's severity, its code, the stamp); `!MESSAGE`, `!STACK`,
`!SUBENTRY` and every other line join it. Severities are IStatus's: 1 INFO, 2 WARNING, 4
ERROR, 8 CANCEL (INFO), 0 OK (INFO). Field: plugin. Stamps are local time without a zone.
"""

from __future__ import annotations

import re

import polars as pl

from logview.core.reading.formats import Format, ParseContext, Sample, line_share
from logview.core.reading.parsers.headed import (
    entries_from_starts,
    header_parts,
    map_levels,
    present_fields,
    read_stamps,
    scored,
)
from logview.core.shared.regex import ascii_classes, compiled
from logview.core.shared.table import empty_parsed

LEVELS = {"0": "INFO", "1": "INFO", "2": "WARN", "4": "ERROR", "8": "INFO"}
_STAMP = r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(?:\.\d{1,3})?"
HEADER = ascii_classes(
    rf"^!(?:SESSION (?P<session>{_STAMP})"
    rf"|ENTRY (?P<plugin>\S+) (?P<severity>\d+) -?\d+ (?P<entry>{_STAMP}))"
)
_HEADER_RE = compiled(HEADER)
# (the log's own lines: its keywords open with `!`; the rest, a session's settings and a
# stack's lines, are not looked at)
_OTHER_RE = re.compile(r"^(?!!)")


def sniff(sample: Sample) -> float:
    """Return 0.9 when the sampled lines that open with `!` are the log's headers."""
    keywords = re.compile(r"^!(?:MESSAGE|STACK|SUBENTRY) ")
    return scored(line_share(sample, _HEADER_RE, keywords, skip=_OTHER_RE), 0.9)


def parse_eclipse(lines: pl.DataFrame, ctx: ParseContext) -> pl.DataFrame:
    """Return one entry per `!SESSION` or `!ENTRY` line (see the module)."""
    if lines.height == 0:
        return empty_parsed()
    parts = header_parts(lines["text"], HEADER)
    columns = parts.select(
        map_levels(pl.col("severity"), LEVELS).alias("level"),
        pl.col("plugin"),
        pl.col("h").str.len_chars().cast(pl.UInt32).alias("body_at"),
    ).with_columns(ts=read_stamps(parts, pl.coalesce("session", "entry"), ctx))
    matched = parts["h"].is_not_null()
    return entries_from_starts(lines, matched, present_fields(columns), ctx=ctx)


FORMATS: list[Format] = [
    Format("eclipse", "Eclipse platform log (.metadata/.log)", sniff, parse_lines=parse_eclipse),
]
