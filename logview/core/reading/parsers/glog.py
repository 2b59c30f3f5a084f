"""glog and klog (Kubernetes components): `E0517 15:04:22.619632   12345 file.cc:123] message`.

The header is the level letter (I INFO, W WARN, E ERROR, F FATAL), the month and day (glog 0.7
adds the year: `E20230517`), the time to the microsecond in local time, the thread id, and the
source file and line before `]`. Fields: thread, file, file_line. Lines that start no entry (a
multi-line message, a goroutine dump) join the entry above.
"""

from __future__ import annotations

import polars as pl

from logview.core.reading.formats import (
    Format,
    ParseContext,
    Sample,
    line_share,
)
from logview.core.reading.parsers.headed import (
    compiled,
    entries_from_starts,
    header_parts,
    iso_text,
    map_levels,
    month_day_text,
    read_stamps,
    scored,
)
from logview.core.shared.regex import ascii_classes
from logview.core.shared.table import TS, empty_parsed

LEVELS = {"I": "INFO", "W": "WARN", "E": "ERROR", "F": "FATAL"}
HEADER = ascii_classes(
    r"^(?P<level>[IWEF])(?P<Y>\d{4})?(?P<m>\d{2})(?P<d>\d{2}) "
    r"(?P<time>\d{2}:\d{2}:\d{2}\.\d{6}) +(?P<thread>\d+) (?P<file>[^:\s\]]+):(?P<file_line>\d+)\] ?"
)
_HEADER_RE = compiled(HEADER)
# Indented lines, and the lines glog writes at the top of each file.
_SKIPPED = compiled(
    r"^(?:\s|Log file created at: |Running on machine: |Running duration |Log line format: )"
)


def sniff(sample: Sample) -> float:
    """Return 0.85 when 60% of the sampled lines (indented ones and the file's own header
    aside) are glog lines."""
    return scored(line_share(sample, _HEADER_RE, skip=_SKIPPED), 0.85)


def parse_glog(lines: pl.DataFrame, ctx: ParseContext) -> pl.DataFrame:
    """Return one entry per glog line (see the module)."""
    if lines.height == 0:
        return empty_parsed()
    text = lines["text"]
    parts = header_parts(text, HEADER)
    matched = parts["h"].is_not_null()
    ts = pl.Series("ts", [None] * text.len(), dtype=TS)
    if matched.any():
        with_year = pl.col("Y").is_not_null()
        iso = iso_text(pl.col("Y"), pl.col("m"), pl.col("d"), pl.col("time"))
        yearless = month_day_text(pl.col("m"), pl.col("d"), pl.col("time"))
        if parts["Y"].null_count() < parts.height:
            ts = read_stamps(parts, pl.when(with_year).then(iso), ctx)
        if parts.select((pl.col("h").is_not_null() & ~with_year).any()).item():
            ts = ts.fill_null(read_stamps(parts, pl.when(~with_year).then(yearless), ctx))
    columns = parts.select(
        map_levels(pl.col("level"), LEVELS).alias("level"),
        "thread",
        "file",
        "file_line",
        pl.col("h").str.len_chars().cast(pl.UInt32).alias("body_at"),
    ).with_columns(ts=ts)
    return entries_from_starts(lines, matched, columns, ctx=ctx)


FORMATS: list[Format] = [Format("glog", "glog / klog", sniff, parse_lines=parse_glog)]
