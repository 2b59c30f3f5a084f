"""Redis server logs: `4961:M 30 May 2023 12:50:13.457 * Ready to accept connections`.

The process id, a role letter (M master, S replica, C a child writing a snapshot or the AOF,
X sentinel), the stamp (with a year since Redis 5, without one before), then a mark for the
level: `.` debug, `-` verbose (both DEBUG), `*` notice (INFO), `#` warning (WARN). Redis 2.x
wrote `[4961] 30 May 12:50:13.457 * ...` without a role. Fields: pid, role (its name). A
line written from a signal handler has the pid and epoch seconds instead (`1:signal-handler
(1719479103) Received SIGTERM scheduling shutdown...`), and no level.
Lines without a header (the ASCII-art logo at start-up) join the entry above; a crash's
`=== REDIS BUG REPORT START ... ===` and `... END ...` banners start entries of their own, its
stack, registers and client list joining the stamped lines among them.
"""

from __future__ import annotations

import polars as pl

from logview.core.reading.formats import (
    INDENTED_RE,
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
    month_number,
    present_fields,
    read_stamps,
    scored,
)
from logview.core.shared.regex import ascii_classes, compiled
from logview.core.shared.table import TS, empty_parsed

LEVELS = {".": "DEBUG", "-": "DEBUG", "*": "INFO", "#": "WARN"}
ROLES = {"M": "master", "S": "replica", "C": "child", "X": "sentinel"}
HEADER = ascii_classes(
    r"^(?:(?P<pid>\d+):(?P<role>[MSCX])|\[(?P<old_pid>\d+)\]) (?P<d>\d{1,2}) (?P<b>[A-Z][a-z]{2})"
    r"(?: (?P<Y>\d{4}))? (?P<time>\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?) (?P<mark>[.\-*#]) "
)
_HEADER_RE = compiled(HEADER)
_SIGNAL_HANDLER = ascii_classes(r"^(?P<handler_pid>\d+):signal-handler \((?P<epoch>\d{10})\) ")


# Redis's header (`48211:M 14 Mar 2024 09:26:41.118 * `) is no other writer's: a third of the
# lines is enough, for a crash's bug report (its stack, registers, client list) runs long.
_SNIFF_SHARE = 0.3


def sniff(sample: Sample) -> float:
    """Return 0.85 when a third of the sampled lines (indented ones aside) are Redis lines."""
    return scored(line_share(sample, _HEADER_RE, skip=INDENTED_RE), 0.85, _SNIFF_SHARE)


def parse_redis(lines: pl.DataFrame, ctx: ParseContext) -> pl.DataFrame:
    """Return one entry per Redis line (see the module)."""
    if lines.height == 0:
        return empty_parsed()
    text = lines["text"]
    parts = header_parts(text, HEADER)
    matched = parts["h"].is_not_null()
    month = month_number(pl.col("b"))
    with_year = pl.col("Y").is_not_null()
    ts = pl.Series("ts", [None] * text.len(), dtype=TS)
    if parts.select((matched & parts["Y"].is_not_null()).any()).item():
        iso = iso_text(pl.col("Y"), month, pl.col("d"), pl.col("time"))
        ts = read_stamps(parts, pl.when(with_year).then(iso), ctx)
    if parts.select((matched & parts["Y"].is_null()).any()).item():
        yearless = month_day_text(month, pl.col("d"), pl.col("time"))
        ts = ts.fill_null(read_stamps(parts, pl.when(~with_year).then(yearless), ctx))
    columns = parts.select(
        map_levels(pl.col("mark"), LEVELS).alias("level"),
        pl.coalesce("pid", "old_pid").alias("pid"),
        pl.col("role").replace_strict(ROLES, default=None, return_dtype=pl.String),
        pl.col("h").str.len_chars().cast(pl.UInt32).alias("body_at"),
    ).with_columns(ts=ts)
    # A line written from a signal handler (`1:signal-handler (1719479103) Received SIGTERM
    # scheduling shutdown...`): the process id, the time in epoch seconds, no level.
    handler = header_parts(text, _SIGNAL_HANDLER)
    from_handler = handler["h"].is_not_null()
    if from_handler.any():
        columns = columns.with_columns(
            ts=columns["ts"].fill_null(read_stamps(handler, pl.col("epoch"), ctx)),
            pid=columns["pid"].fill_null(handler["handler_pid"]),
            body_at=columns["body_at"].fill_null(handler["h"].str.len_chars().cast(pl.UInt32)),
        )
    # Its crash report opens and closes with a banner of its own, the report between.
    banner = text.str.starts_with("=== REDIS BUG REPORT").fill_null(False)
    starts = matched | banner | from_handler
    return entries_from_starts(lines, starts, present_fields(columns), ctx=ctx)


FORMATS: list[Format] = [Format("redis", "Redis log", sniff, parse_lines=parse_redis)]
