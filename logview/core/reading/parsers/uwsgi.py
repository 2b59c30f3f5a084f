"""uWSGI logs: its request lines among its own messages and the application's output.

A request line: `[pid: 1234|app: 0|req: 1/1] 127.0.0.1 () {34 vars in 600 bytes} [Mon Mar  6
18:34:17 2023] GET /x => generated 12 bytes in 3 msecs (HTTP/1.1 200) 2 headers in 64 bytes
(1 switches on core 0)`. Its body is the request (method, path, status: like an access log's,
`logview.core.shared.body.REQUEST`), its level from the status (5xx ERROR, 4xx WARN, else INFO).
Fields: pid, app, req, client, user, method, path, protocol, status, bytes, msecs (micros
written as milliseconds), core.

Other lines (uWSGI's start-up messages, the application's prints) are entries of their own,
without a time unless they carry one in the same ctime brackets (`*** Starting uWSGI ... on
[Thu Mar 14 09:26:50 2024] ***`) or open with it as its `log-date` option writes it (`Fri Jun
28 09:15:44 2024 - ...`), their level from their text; an indented line joins the entry above, and so
does the line right after indented ones (a Python traceback's `ValueError: ...`).
"""

from __future__ import annotations

import polars as pl

from logview.core.reading.formats import Format, ParseContext, Sample
from logview.core.reading.parsers.fields import status_level
from logview.core.reading.parsers.headed import (
    entries_from_starts,
    present_fields,
    read_stamps,
    sample_text,
)
from logview.core.shared import body
from logview.core.shared.regex import ascii_classes, compiled
from logview.core.shared.table import empty_parsed

REQUEST = ascii_classes(
    r"^(?P<h>\[pid: (?P<pid>\d+)\|app: (?P<app>-?\d+)\|req: (?P<req>\d+/\d+)\] (?P<client>\S*)"
    r" \((?P<user>[^)]*)\) \{\d+ vars in \d+ bytes\} \[(?P<stamp>[^\]]+)\] )"
    r"(?P<method>\S+) (?P<path>\S+) => generated (?P<bytes>\d+) bytes in (?P<duration>\d+)"
    r" (?P<unit>msecs|micros)(?: \(via [^)]*\))? \((?P<protocol>[^ )]+) (?P<status>\d{3})\)"
    r"(?: \d+ headers in \d+ bytes \(\d+ switches on core (?P<core>\d+)\))?"
)
_REQUEST_RE = compiled(REQUEST)
_CTIME = r"[A-Z][a-z]{2} [A-Z][a-z]{2} [ \d]\d \d{2}:\d{2}:\d{2} \d{4}"
_OWN_STAMP = ascii_classes(rf"\[({_CTIME})\]")
# Its `log-date` option's prefix, the same ctime and ` - ` (`Fri Jun 28 09:15:44 2024 - ***
# HARAKIRI ON WORKER 3 ...`).
_LOG_DATE = ascii_classes(rf"^({_CTIME}) - ")
_FIELDS = ("pid", "app", "req", "client", "user", "method", "path", "protocol", "status",
           "bytes", "msecs", "core")  # fmt: skip


def sniff(sample: Sample) -> float:
    """Return 0.85 when a third of the sampled lines are uWSGI request lines (start-up
    messages often fill the start of the file), or three are and uWSGI names itself."""
    if "[pid: " not in sample_text(sample):
        return 0.0
    requests = sum(1 for line in sample.lines if _REQUEST_RE.match(line))
    named = any("uWSGI" in line for line in sample.lines)
    if requests >= len(sample.lines) / 3 or (requests >= 3 and named):
        return 0.85
    return 0.0


def parse_uwsgi(lines: pl.DataFrame, ctx: ParseContext) -> pl.DataFrame:
    """Return one entry per request line and per other message (see the module)."""
    if lines.height == 0:
        return empty_parsed()
    text = lines["text"]
    parts = text.str.extract_groups(REQUEST).struct.unnest()
    matched = parts["pid"].is_not_null()
    micros = pl.col("unit") == "micros"
    columns = parts.with_columns(
        msecs=pl.when(micros)
        .then((pl.col("duration").cast(pl.Float64) / 1000).cast(pl.String))
        .otherwise(pl.col("duration")),
        user=pl.when(pl.col("user") != "").then(pl.col("user")),
    ).select(
        pl.when(pl.col("status").is_not_null()).then(status_level(pl.col("status"))).alias("level"),
        *_FIELDS,
        pl.col("h").str.len_chars().cast(pl.UInt32).alias("body_at"),
    )
    # uWSGI's own messages may carry the time in the same ctime brackets (`*** Starting uWSGI
    # 2.0.23 (64bit) on [Thu Mar 14 09:26:50 2024] ***`).
    stamps = parts.with_columns(
        stamp=pl.coalesce(
            pl.col("stamp"),
            pl.lit(text.str.extract(_LOG_DATE, 1)),
            pl.lit(text.str.extract(_OWN_STAMP, 1)),
        )
    )
    columns = columns.with_columns(
        ts=read_stamps(stamps, pl.col("stamp"), ctx),
        body_kind=pl.when(pl.lit(matched)).then(pl.lit(body.REQUEST, dtype=pl.UInt8)),
    )
    indented = text.str.contains(r"^\s").fill_null(False)
    blank = text.str.strip_chars() == ""
    after_indented = indented.shift(1).fill_null(False)
    starts = matched | (~indented & ~blank & ~after_indented)
    return entries_from_starts(lines, starts, present_fields(columns), ctx=ctx)


FORMATS: list[Format] = [Format("uwsgi", "uWSGI log", sniff, parse_lines=parse_uwsgi)]
