"""MySQL (and MariaDB): the error log in each release's layout, and the slow query log.

Error log:
- 5.1/5.5: `161209 14:18:50 [Note] ...` (a space-padded hour: `161209  4:18:50`), InnoDB's
  `161209 14:18:50  InnoDB: ...`
- 5.6: `2016-12-09 14:18:50 12345 [Note] ...` (the connection id; InnoDB writes its thread
  in hex: `2016-12-09 14:18:50 7f2b3c InnoDB: ...`)
- 5.7: `2016-12-09T14:18:50.123456Z 0 [Note] ...`
- 8.0: `2023-03-06T18:34:17.383211Z 0 [System] [MY-010116] [Server] ...`
Levels: Note and System are INFO, Warning WARN, Error/ERROR ERROR. Fields: thread, code
(`MY-010116`), subsystem (`Server`, `InnoDB`, `Repl`). Unstamped lines (a crash's backtrace,
`Version: '5.5.62' socket: ...`) join the entry above.

Slow query log: one entry per query, from its `# Time:` (or, where the server left that out,
its `# User@Host:`) line to the next. The stamp is its `# Time:` (when the query was written;
the server leaves the line out when the second has not changed since the query above, whose
time it then takes, unless it started later), else the `SET timestamp=...;` epoch (when it
started). The statistics of its `#` lines become
fields (query_time, lock_time, rows_sent, rows_examined, and those MariaDB and Percona add), so
do user, host, ip, id and schema; the body is the query. The server's banner (`mysqld,
Version: ... started with:` and the two lines after it) is the file's header, no entry, where
it opens the file and where a restart writes it again. No levels.
"""

from __future__ import annotations

import re

import polars as pl

from logview.core.reading.formats import (
    INDENTED_RE,
    Format,
    ParseContext,
    Sample,
    line_share,
)
from logview.core.reading.parsers.headed import (
    MYSQL_BANNER,
    MYSQL_BANNERS,
    entries_from_starts,
    header_parts,
    iso_text,
    map_levels,
    present_fields,
    read_stamps,
    sample_text,
    scored,
    without_tool_lines,
)
from logview.core.shared.regex import ascii_classes, compiled
from logview.core.shared.table import TS, empty_parsed

LEVELS = {"Note": "INFO", "System": "INFO", "Warning": "WARN", "Error": "ERROR",
          "ERROR": "ERROR"}  # fmt: skip
_STAMP = (
    r"(?P<stamp>(?P<yymmdd>\d{6}) (?P<clock>[ \d]\d:\d{2}:\d{2})"
    r"|\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2})?)"
)
ERROR_LOG = ascii_classes(
    rf"^{_STAMP}\s+(?:(?P<thread>\d+|[0-9a-f]{{6,16}})\s+)?"
    r"(?:\[(?P<level>Note|Warning|ERROR|Error|System)\]\s?"
    r"(?:\[(?P<code>MY-\d+)\] \[(?P<subsystem>[A-Za-z]+)\] )?)?"
)
# What the sniffer asks of a line: a stamp and a level (or InnoDB's own lines).
_ERROR_LOG_STRICT = compiled(
    ascii_classes(
        rf"^{_STAMP}\s+(?:(?:\d+|[0-9a-f]{{6,16}})\s+)?"
        r"(?:\[(?:Note|Warning|ERROR|Error|System)\]|InnoDB: )"
    )
)
_MYSQL_ONLY = re.compile(r"\[(?:Note|System)\]|\[MY-\d+\]|InnoDB: |mysqld")


def sniff_error_log(sample: Sample) -> float:
    """Return 0.8 when 60% of the sampled lines (indented ones aside) are MySQL error log
    lines and one at least says MySQL (`[Note]`, `[System]`, `[MY-...]`, InnoDB, mysqld)."""
    if _MYSQL_ONLY.search(sample_text(sample)) is None:
        return 0.0
    return scored(line_share(sample, _ERROR_LOG_STRICT, skip=INDENTED_RE), 0.8)


def _stamps(parts: pl.DataFrame, ctx: ParseContext) -> pl.Series:
    """Return the error log's stamps: `yyMMdd H:MM:SS` rewritten as ISO, the others as they are."""
    short = pl.col("yymmdd")
    rewritten = iso_text(
        pl.lit("20") + short.str.slice(0, 2), short.str.slice(2, 2), short.str.slice(4, 2),
        pl.col("clock"),
    )  # fmt: skip
    return read_stamps(parts, pl.coalesce(rewritten, pl.col("stamp")), ctx)


def parse_error_log(lines: pl.DataFrame, ctx: ParseContext) -> pl.DataFrame:
    """Return one entry per stamped error log line, with the unstamped lines after it."""
    if lines.height == 0:
        return empty_parsed()
    text = lines["text"]
    parts = header_parts(text, ERROR_LOG)
    matched = parts["stamp"].is_not_null()
    ts = _stamps(parts, ctx) if matched.any() else pl.Series("ts", [None] * text.len(), dtype=TS)
    columns = parts.select(
        map_levels(pl.col("level"), LEVELS).alias("level"),
        "thread",
        "code",
        "subsystem",
        pl.col("h").str.len_chars().cast(pl.UInt32).alias("body_at"),
    ).with_columns(ts=ts)
    return entries_from_starts(lines, matched, present_fields(columns), joins="any", ctx=ctx)


# --- slow query log ------------------------------------------------------------------------

_TIME = ascii_classes(r"^# Time: ")
_USER_HOST = ascii_classes(r"^# User@Host: ")
_BANNER_LINES = compiled(MYSQL_BANNER)
_TIME_VALUE = ascii_classes(
    r"(?m)^# Time: (?:(?P<yymmdd>\d{6}) +(?P<clock>\d{1,2}:\d{2}:\d{2}(?:\.\d+)?)"
    r"|(?P<iso>\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?))"
)
_SET_TIMESTAMP = ascii_classes(r"(?m)^SET timestamp=(\d+);")
_USER_LINE = ascii_classes(r"(?m)^# User@Host: ")
_USER = ascii_classes(
    r"(?m)^# User@Host: (?P<user>[^\[\s]*)\[[^\]]*\] @ (?P<host>[^\s\[]*) *\[(?P<ip>[^\]]*)\]"
    r"(?:\s+Id:\s+(?P<id>\d+))?"
)
_SCHEMA = ascii_classes(r"(?m)^(?:use (\S+);|# .*\bSchema: (\S+))")
# A statistic of a `#` line: `Query_time: 2.000123`, `Rows_examined: 100`, `QC_hit: No`.
_STATISTIC = ascii_classes(r"(?:^# |\s)([A-Z][A-Za-z_]*): +([^\s:]+)")
_NOT_STATISTICS = {"Time", "User@Host", "Id", "Schema"}
MAX_STATISTICS = 32
# Where the query starts: after the `#` lines, `use db;` and `SET timestamp=...;`.
_HEADER_BLOCK = ascii_classes(
    r"^((?:# [^\n]*(?:\n|$)|use [^\n]*;(?:\n|$)|SET timestamp=\d+;(?:\n|$))*)"
)


def sniff_slow_log(sample: Sample) -> float:
    """Return 0.9 when the sample has `# User@Host:` and `# Query_time:` lines and its
    first line (the server's banner aside) is a `#` line."""
    if "# Query_time:" not in sample_text(sample):
        return 0.0
    lines = [line for line in sample.lines if not _BANNER_LINES.match(line)]
    if not lines or not lines[0].startswith("# "):
        return 0.0
    has_user = any(line.startswith("# User@Host:") for line in lines)
    has_stats = any(line.startswith("# Query_time:") for line in lines)
    return 0.9 if has_user and has_stats else 0.0


def parse_slow_log(lines: pl.DataFrame, ctx: ParseContext) -> pl.DataFrame:
    """Return one entry per slow query (see the module)."""
    # (the server's banner is the file's header: no entry, and noted)
    lines = without_tool_lines(lines, MYSQL_BANNER, MYSQL_BANNERS, ctx)
    if lines.height == 0:
        return empty_parsed()
    text = lines["text"]
    frame = text.rename("text").to_frame()
    starts = frame.select(
        pl.col("text").str.contains(_TIME)
        | (
            pl.col("text").str.contains(_USER_HOST)
            & ~pl.col("text").shift(1).str.contains(_TIME).fill_null(False)
        )
    ).to_series()
    nulls = pl.Series([None] * lines.height, dtype=pl.String)
    columns = pl.DataFrame({"ts": pl.Series([None] * lines.height, dtype=TS), "level": nulls})
    entries = entries_from_starts(lines, starts, columns, joins="any", ctx=ctx)
    return _with_statistics(entries, ctx)


def _with_statistics(entries: pl.DataFrame, ctx: ParseContext) -> pl.DataFrame:
    """Return the entries with their stamp, statistics, user, host, schema and body."""
    message = entries["message"]
    time = message.str.extract_groups(_TIME_VALUE).struct.unnest()
    short = pl.col("yymmdd")
    written = pl.coalesce(
        iso_text(
            pl.lit("20") + short.str.slice(0, 2), short.str.slice(2, 2), short.str.slice(4, 2),
            pl.col("clock"),
        ),
        pl.col("iso"),
    )  # fmt: skip
    zoned = pl.col("iso").str.contains(r"(?:Z|[+-][0-9]{2}:?[0-9]{2})$").fill_null(False)
    stamps = time.with_columns(
        _set=message.str.extract(_SET_TIMESTAMP, 1), _written=written, _zoned=zoned
    )
    ts = pl.Series("ts", [None] * entries.height, dtype=TS)
    if (
        stamps["_written"].null_count() < stamps.height
        or stamps["_set"].null_count() < stamps.height
    ):
        with_zone = read_stamps(stamps, pl.when(pl.col("_zoned")).then(pl.col("_written")), ctx)
        epoch = read_stamps(stamps, pl.col("_set"), ctx, zone_known=True)
        local = read_stamps(stamps, pl.when(~pl.col("_zoned")).then(pl.col("_written")), ctx)
        # A query without a `# Time:` was written in the same second as the one above it (and
        # no sooner than it started: a later start says the line was lost).
        written_at = with_zone.fill_null(local)
        query = message.str.contains(_USER_LINE)
        above = pl.select(pl.max_horizontal(written_at.forward_fill(), epoch)).to_series()
        ts = written_at.zip_with(written_at.is_not_null() | ~query, above).fill_null(epoch)
    user = message.str.extract_groups(_USER).struct.unnest()
    schema = message.str.extract_groups(_SCHEMA).struct.unnest()
    fields = {
        "user": user["user"],
        "host": pl.select(pl.when(user["host"] != "").then(user["host"])).to_series(),
        "ip": pl.select(pl.when(user["ip"] != "").then(user["ip"])).to_series(),
        "id": user["id"],
        "schema": pl.select(pl.coalesce(schema["1"], schema["2"])).to_series(),
    }
    statistics = _statistics(message)
    body_at = message.str.extract(_HEADER_BLOCK, 1).str.len_chars().cast(pl.UInt32)
    extras = pl.DataFrame({**fields, **statistics})
    extras = extras.select(c for c in extras.columns if extras[c].null_count() < extras.height)
    return entries.with_columns(ts=ts, body_at=body_at).hstack(extras)


def _statistics(message: pl.Series) -> dict[str, pl.Series]:
    """Return the `#` lines' statistics of each entry, one column per key (lower case)."""
    comment = message.str.extract_all(ascii_classes(r"(?m)^# [^\n]*"))
    pairs = comment.list.join("\n").str.extract_all(_STATISTIC)
    keys = (
        pairs.explode()
        .drop_nulls()
        .str.extract(ascii_classes(r"([A-Z][A-Za-z_]*):"), 1)
        .value_counts(sort=True)
    )
    names = [k for k in keys[keys.columns[0]].to_list() if k and k not in _NOT_STATISTICS]
    out: dict[str, pl.Series] = {}
    joined = comment.list.join("\n")
    for key in names[:MAX_STATISTICS]:  # a loop over the distinct keys (a dozen or so)
        regex = ascii_classes(rf"(?:^# |\s){re.escape(key)}: +([^\s:]+)")
        out[key.lower()] = joined.str.extract(regex, 1)
    return out


FORMATS: list[Format] = [
    Format("mysql-slow", "MySQL slow query log", sniff_slow_log, parse_lines=parse_slow_log,
           levels_from_text=True, levels_from_words=False),
    Format("mysql", "MySQL error log", sniff_error_log, parse_lines=parse_error_log),
]  # fmt: skip
