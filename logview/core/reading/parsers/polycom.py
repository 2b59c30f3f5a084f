"""Poly (Polycom) phones' application and boot logs (`<MAC>-app.log`, `<MAC>-boot.log`), as
their web interface exports them: `0628070214|curl |4|00|Curl error 60: ...`.

The stamp (`MMDDhhmmss`, the phone's local time without a year; a phone whose clock is not yet
set writes January 1st), the module padded to five characters, the event class, the count of
events missed before this one, the message. Classes as Poly's syslog bulletin maps them to
severities: 0 and 1 debug (DEBUG), 2 and 3 detail (INFO), 4 a minor error (ERROR), 5 a major
error (critical: FATAL), 6 a fatal error (FATAL); `*` marks what is logged at every level and
states none. Fields: module, missed. Lines without a header join the entry above.
"""

from __future__ import annotations

import polars as pl

from logview.core.reading.formats import Format, ParseContext, Sample, line_share
from logview.core.reading.parsers.headed import (
    entries_from_starts,
    header_parts,
    map_levels,
    month_day_text,
    present_fields,
    read_stamps,
    scored,
)
from logview.core.shared.regex import ascii_classes, compiled
from logview.core.shared.table import empty_parsed

LEVELS = {
    "0": "DEBUG", "1": "DEBUG", "2": "INFO", "3": "INFO", "4": "ERROR", "5": "FATAL",
    "6": "FATAL",
}  # fmt: skip
HEADER = ascii_classes(
    r"^(?P<m>\d{2})(?P<d>\d{2})(?P<H>\d{2})(?P<M>\d{2})(?P<S>\d{2})\|(?P<module>[^|]{1,8})\|"
    r"(?P<class>[0-9*])\|(?P<missed>\d{2})\|"
)
_HEADER_RE = compiled(HEADER)


def sniff(sample: Sample) -> float:
    """Return 0.85 when most sampled lines open with a Poly phone's header."""
    return scored(line_share(sample, _HEADER_RE), 0.85)


def parse_polycom(lines: pl.DataFrame, ctx: ParseContext) -> pl.DataFrame:
    """Return one entry per header line (see the module)."""
    if lines.height == 0:
        return empty_parsed()
    parts = header_parts(lines["text"], HEADER)
    clock = pl.concat_str([pl.col("H"), pl.col("M"), pl.col("S")], separator=":")
    yearless = month_day_text(pl.col("m"), pl.col("d"), clock)
    columns = parts.select(
        map_levels(pl.col("class"), LEVELS).alias("level"),
        pl.col("module").str.strip_chars(),
        pl.col("missed"),
        pl.col("h").str.len_chars().cast(pl.UInt32).alias("body_at"),
    ).with_columns(ts=read_stamps(parts, yearless, ctx))
    matched = parts["h"].is_not_null()
    return entries_from_starts(lines, matched, present_fields(columns), ctx=ctx)


FORMATS: list[Format] = [
    Format("polycom", "Poly phone log", sniff, parse_lines=parse_polycom),
]
