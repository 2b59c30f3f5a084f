"""macOS unified logging as `log show` prints it (sysdiagnose's and support scripts' text).

The default style: `2024-03-14 02:26:50.101843-0700 0x6d  Default  0x0  0  0  kernel: ...`
(stamp with its offset, thread, type, activity, pid, TTL, then the process and the message);
the compact style: `2024-03-14 02:26:50.101 Df kernel[0:6d] ...` (a two-letter type, the
process with its pid and thread). Types are levels: Debug, Info, Default (os_log's notice,
INFO), Error, Fault (the worst, FATAL); Activity, Signpost, State and other event kinds have
none. Indented lines continue the message above. The tool's own lines (the `Filtering ...`
and `Skipping ...` notes, the column titles, the closing rule and counts) are not entries: a
note counts them.
"""

from __future__ import annotations

import polars as pl

from logview.core.reading.formats import INDENTED_RE, Format, ParseContext, Sample, line_share
from logview.core.reading.parsers.headed import (
    entries_from_starts,
    header_parts,
    map_levels,
    present_fields,
    read_stamps,
    without_tool_lines,
)
from logview.core.shared.regex import ascii_classes, compiled
from logview.core.shared.table import empty_parsed

LEVELS = {"Debug": "DEBUG", "Info": "INFO", "Default": "INFO", "Error": "ERROR",
          "Fault": "FATAL", "Db": "DEBUG", "I": "INFO", "Df": "INFO", "E": "ERROR",
          "F": "FATAL"}  # fmt: skip
_STAMP = r"(?P<stamp>\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3,6}(?:[+-]\d{4})?)"
HEADER = ascii_classes(
    rf"^{_STAMP} +(?:"
    # default style: thread, type, activity, pid, TTL, then `process: `
    r"(?P<tid>0x[0-9a-f]+) +(?P<type>[A-Z][a-z]+) +0x[0-9a-f]+ +(?P<pid>\d+) +\d+ +"
    r"(?:(?P<program>[^\s:][^:]*?): )?"
    # compact style: a type code, then `process[pid:tid] `
    r"|(?P<code>Df|Db|I|E|F|A|Sp|St) +(?P<cprogram>[^\s\[]+)\[(?P<cpid>\d+):(?P<ctid>[0-9a-f]+)\] )"
)
_HEADER_RE = compiled(HEADER)
# What `log show` writes around the entries.
_TOOL_LINES = ascii_classes(
    r"^(?:Filtering the log data|Skipping (?:info|debug)|Timestamp +(?:Thread|Ty) |-{20,}\s*$"
    r"|Log +- Default:|Activity +- Create:|Boundary +- |Signpost +- |Timestamp +\(|Timestamp\s*$)"
)
_TITLES_RE = compiled(r"^Timestamp +(?:Thread +Type +Activity|Ty +Process)")


def sniff(sample: Sample) -> float:
    """Return 0.9 when 60% of the sampled lines (indented ones aside) are `log show` entries,
    or 30% with `log show`'s column titles among them, else 0."""
    share = line_share(sample, _HEADER_RE, skip=INDENTED_RE)
    titled = any(_TITLES_RE.match(line) for line in sample.lines[:20])
    return 0.9 if share >= 0.6 or (titled and share >= 0.3) else 0.0


def parse_log_show(lines: pl.DataFrame, ctx: ParseContext) -> pl.DataFrame:
    """Return one entry per `log show` entry (see the module)."""
    lines = without_tool_lines(lines, _TOOL_LINES, "log show (filter, titles, counts)", ctx)
    if lines.height == 0:
        return empty_parsed()
    parts = header_parts(lines["text"], HEADER)
    matched = parts["h"].is_not_null()
    stamp = pl.col("stamp").str.replace(r"([+-]\d{2})(\d{2})$", "$1:$2")
    columns = parts.select(
        map_levels(pl.coalesce("type", "code"), LEVELS).alias("level"),
        pl.coalesce("program", "cprogram").alias("program"),
        pl.coalesce("pid", "cpid").alias("pid"),
        pl.coalesce("tid", "ctid").alias("tid"),
        pl.col("h").str.len_chars().cast(pl.UInt32).alias("body_at"),
    ).with_columns(ts=read_stamps(parts, stamp, ctx))
    return entries_from_starts(lines, matched, present_fields(columns), ctx=ctx)


FORMATS: list[Format] = [Format("macos-log", "macOS log show", sniff, parse_lines=parse_log_show)]
