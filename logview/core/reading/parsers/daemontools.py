"""daemontools, runit and s6 logs: each line behind a TAI64N label, `@4000000063f3a7b51e8b4a44
message`, or (svlogd `-tt`/`-ttt`) a UTC stamp `2023-03-06_18:34:17.38321 message`.

A TAI64N label is 8 bytes of seconds (2^62 + 10 for 1970-01-01 00:00:00 UTC, which is what
daemontools and runit write: Unix time plus that constant, no leap-second table) and 4 bytes
of nanoseconds, in hex. The stamp is read here, exactly, from that arithmetic. s6-log writes
true TAI instead (UTC plus the leap seconds: 37 since 2017), 27 seconds later: where the
lines carry a stamp of their own that the labels run ahead of by a steady whole number of
seconds (1 to 27), the labels are read back by that many, and a note says so. Every line of a
program's output gets its own label, so each is an entry; a line without one joins the entry
above. The level is looked for in the text after the label, as plain text's is.
"""

from __future__ import annotations

import polars as pl

from logview.core.reading.formats import (
    Format,
    ParseContext,
    Sample,
    line_share,
)
from logview.core.reading.levels import level_from_text
from logview.core.reading.parsers.headed import (
    entries_from_starts,
    header_parts,
    read_stamps,
    scored,
)
from logview.core.reading.stamp_search import detect_layout
from logview.core.reading.timestamps import read_line_stamps
from logview.core.shared.regex import ascii_classes, compiled
from logview.core.shared.table import TS, empty_parsed

HEADER = ascii_classes(
    r"^(?:@(?P<tai>[0-9a-f]{24})|(?P<svlogd>\d{4}-\d{2}-\d{2}[_T]\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?))"
    r"(?: |$)"
)
_HEADER_RE = compiled(HEADER)
# 2^62 + 10: the label of 1970-01-01 00:00:00 UTC as daemontools' tai64n writes it.
_TAI_EPOCH = (1 << 62) + 10


def sniff(sample: Sample) -> float:
    """Return 0.9 when 60% of the sampled lines start with a TAI64N label (or an svlogd
    stamp with its `_`), else 0."""
    tai = any(line.startswith("@4") for line in sample.lines)
    svlogd = any(len(line) > 10 and line[10] == "_" for line in sample.lines)
    return scored(line_share(sample, _HEADER_RE), 0.9) if tai or svlogd else 0.0


def tai64n_stamps(labels: pl.Expr) -> pl.Expr:
    """Return TAI64N labels (24 hex digits, without `@`) as UTC datetimes."""
    seconds = labels.str.slice(0, 16).str.to_integer(base=16, strict=False) - _TAI_EPOCH
    nanos = labels.str.slice(16, 8).str.to_integer(base=16, strict=False)
    return (seconds * 1_000_000 + nanos // 1_000).cast(TS)


def parse_daemontools(lines: pl.DataFrame, ctx: ParseContext) -> pl.DataFrame:
    """Return one entry per labelled line (see the module)."""
    if lines.height == 0:
        return empty_parsed()
    text = lines["text"]
    parts = header_parts(text, HEADER)
    ts = parts.select(tai64n_stamps(pl.col("tai")).alias("ts")).to_series()
    if parts["svlogd"].null_count() < parts.height:
        svlogd = pl.col("svlogd").str.replace("_", "T", literal=True) + "Z"
        ts = ts.fill_null(read_stamps(parts, svlogd, ctx, zone_known=True))
    body_at = parts["h"].str.len_chars().cast(pl.UInt32)
    ts = _with_leap_seconds(ts, text, body_at, ctx)
    columns = pl.DataFrame(
        [ts.rename("ts"), level_from_text(text, body_at).rename("level"), body_at.rename("body_at")]
    )
    # What follows the label is a program's own line, header included: it is learned.
    return entries_from_starts(lines, parts["h"].is_not_null(), columns, header_read=False)


_LEAP_SAMPLE = 200


def _with_leap_seconds(
    ts: pl.Series, text: pl.Series, body_at: pl.Series, ctx: ParseContext
) -> pl.Series:
    """Return `ts`, read back by the leap seconds s6-log's labels count (see the module) where
    the lines' own UTC stamps show them; else as it is."""
    labelled = ts.is_not_null()
    if not labelled.any():
        return ts
    rows = labelled.arg_true().head(_LEAP_SAMPLE)
    payload = text.gather(rows).str.slice(body_at.gather(rows).fill_null(0))
    layout = detect_layout(payload.to_list())
    if layout is None:
        return ts
    # A stamp without a zone is read in the source's: a wrong one puts hours between them,
    # and nothing is changed.
    own = read_line_stamps(payload, layout, mtime=ctx.mtime, tz=ctx.tz).ts
    ahead = (ts.gather(rows) - own.cast(ts.dtype)).dt.total_milliseconds().drop_nulls()
    if ahead.len() < 2:
        return ts
    seconds = round(ahead.median() / 1000)
    steady = (ahead - seconds * 1000).abs().max() < 1500
    if not (1 <= seconds <= 27 and steady):
        return ts
    ctx.note(f"TAI64N labels count {seconds + 10} leap seconds (s6-log's TAI): read back by them")
    return ts.dt.offset_by(f"-{seconds}s")


FORMATS: list[Format] = [
    Format(
        "tai64n",
        "daemontools / runit (TAI64N)",
        sniff,
        parse_lines=parse_daemontools,
        levels_from_text=True,
    )
]
