"""glog and klog (Kubernetes components): `E0517 15:04:22.619632   12345 file.cc:123] message`.

The header is the level letter (I INFO, W WARN, E ERROR, F FATAL), the month and day (glog 0.7
adds the year: `E20230517`), the time to the microsecond in local time, the thread id, and the
source file and line before `]`. Fields: thread, file, file_line. Lines that start no entry (a
multi-line message, a goroutine dump) join the entry above.

A glog file opens with a header of its own (`Log file created at: 2024/03/14 09:20:03`,
`Running on machine: ...`, `Binary: ...`, `Application fingerprint: ...`,
`Log line format: ...`): it is no entry (a note
says so), and its date gives the year of the stamps that have none (a stamp whose month and
day come before the header's is of the next year).
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
    entries_from_starts,
    header_parts,
    iso_text,
    map_levels,
    month_day_text,
    read_stamps,
    scored,
    tool_lines,
)
from logview.core.shared.regex import ascii_classes, compiled
from logview.core.shared.table import TS, empty_parsed

LEVELS = {"I": "INFO", "W": "WARN", "E": "ERROR", "F": "FATAL"}
HEADER = ascii_classes(
    r"^(?P<level>[IWEF])(?P<Y>\d{4})?(?P<m>\d{2})(?P<d>\d{2}) "
    r"(?P<time>\d{2}:\d{2}:\d{2}\.\d{6})(?P<z>Z)? +(?P<thread>\d+) (?P<file>[^:\s\]]+):(?P<file_line>\d+)\] ?"
)
_HEADER_RE = compiled(HEADER)
# Indented lines, and the lines glog writes at the top of each file.
_FILE_HEADER = ascii_classes(
    r"^(?:Log file created at: |Running on machine: |Binary: |Application fingerprint: "
    r"|Running duration |Log line format: )"
)
_SKIPPED = compiled(r"^\s|" + _FILE_HEADER[1:])
_CREATED = ascii_classes(r"^Log file created at: (\d{4})/(\d{2})/(\d{2}) ")


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
    created = None
    first = int(matched.arg_max() or 0) if matched.any() else text.len()
    if first:
        header = tool_lines(text, _FILE_HEADER, "glog file header", ctx, among=_before(first, text))
        if header is not None:
            dates = text.filter(header).str.extract_groups(_CREATED).struct.unnest().drop_nulls()
            created = dates.row(0) if dates.height else None
            lines, text, parts = lines.filter(~header), text.filter(~header), parts.filter(~header)
            matched = parts["h"].is_not_null()
    if created is not None:
        # The header's year for stamps without one; the next year after a new year's day.
        year, month_day = int(created[0]), created[1] + created[2]
        later = (pl.col("m") + pl.col("d")) < month_day
        parts = parts.with_columns(
            Y=pl.when(pl.col("h").is_not_null() & pl.col("Y").is_null())
            .then((pl.lit(year) + later.cast(pl.Int32)).cast(pl.String))
            .otherwise(pl.col("Y"))
        )
    ts = pl.Series("ts", [None] * text.len(), dtype=TS)
    if matched.any():
        with_year = pl.col("Y").is_not_null()
        # (a `Z` after the time: glog's UTC option, as Nutanix's services write it)
        iso = iso_text(pl.col("Y"), pl.col("m"), pl.col("d"), pl.col("time"), pl.col("z"))
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


def _before(first: int, text: pl.Series) -> pl.Series:
    """Return a mask of the lines of `text` before line `first` (0-based)."""
    return pl.int_range(text.len(), eager=True) < first


FORMATS: list[Format] = [Format("glog", "glog / klog", sniff, parse_lines=parse_glog)]
