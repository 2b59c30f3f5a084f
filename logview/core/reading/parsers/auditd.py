"""Linux audit logs (`/var/log/audit/audit.log`, and `ausearch -i` output).

Each record is `type=SYSCALL msg=audit(1485893834.891:1234): arch=c000003e syscall=59 ...`,
after an optional `node=host `. The stamp is the epoch in `audit(...)` (`ausearch -i` writes
it as local time, `03/06/2023 18:34:17.383`), and the number after the colon is the event's
serial. Each record is an entry, as each is a line with its own header (`ausearch` and
`aureport` group the records of one event, SYSCALL, EXECVE, CWD, PATH, PROCTITLE..., by that
stamp and serial: the `serial` field does the same here, `stats count(*) by serial`). In
`ausearch`'s output, which prints each event's records together between `----` lines, an
event is an entry (its first record's type and fields). Fields:
node, type, serial, and the key=value pairs that most records have (the first value of each
key: `pid`, `uid`, `comm`, `exe`, `key`, `res`, ...; inside `msg='...'` too). The body is the record
after its `msg=audit(...): `. Audit records carry no level. `ausearch`'s `----` separators
are not entries.
"""

from __future__ import annotations

import re

import polars as pl

from logview.core.reading.formats import (
    Format,
    ParseContext,
    Sample,
    line_share,
)
from logview.core.reading.parsers.headed import (
    header_parts,
    iso_text,
    read_stamps,
    sample_text,
    scored,
)
from logview.core.shared.body import TEXT
from logview.core.shared.regex import ascii_classes, compiled
from logview.core.shared.table import TS, empty_parsed

HEADER = ascii_classes(
    r"^(?:node=(?P<node>\S+) )?type=(?P<type>\S+) msg=audit\("
    r"(?:(?P<epoch>\d{9,10}\.\d{1,9})|(?P<local>\d{2}/\d{2}/\d{4} \d{2}:\d{2}:\d{2}(?:\.\d{1,6})?))"
    r":(?P<serial>\d+)\) ?: ?"
)
_HEADER_RE = compiled(HEADER)
_SEPARATOR = compiled(r"^-{4,}$")
_PAIR = ascii_classes(r"""(?:^|[\s'])([a-z_][\w\-]*)=("(?:[^"\\]|\\.)*"|[^\s']*)""")
_NOT_FIELDS = {"type", "msg", "node"}
# A key becomes a field when this share of the events has it (at most MAX_FIELDS keys).
_KEY_SHARE = 0.05
MAX_FIELDS = 48


def sniff(sample: Sample) -> float:
    """Return 0.95 when 60% of the sampled lines (`----` separators aside) are audit records
    (above logfmt's 0.85, which would read their pairs one line at a time)."""
    if "msg=audit(" not in sample_text(sample):
        return 0.0
    return scored(line_share(sample, _HEADER_RE, skip=_SEPARATOR), 0.95)


def parse_auditd(lines: pl.DataFrame, ctx: ParseContext) -> pl.DataFrame:
    """Return one entry per audit record (see the module); other lines are entries alone."""
    text = lines["text"]
    parts = header_parts(text, HEADER)
    frame = (
        pl.DataFrame([lines["line"].cast(pl.UInt64), text.rename("text")])
        .hstack(parts)
        .with_row_index("_row")
    )
    separator = pl.col("text").str.contains(r"^-{4,}$")
    grouped = frame.select(separator.any()).item()
    frame = frame.with_columns(_event=separator.cum_sum()).filter(
        ~separator & (pl.col("text").str.strip_chars() != "")
    )
    if frame.height == 0:
        return empty_parsed()
    events = frame.rename({"text": "message"})
    if grouped:
        # `ausearch` prints an event's records together between `----` lines: one entry.
        events = events.group_by("_event", maintain_order=True).agg(
            pl.col("line").first(),
            pl.col("message").str.join("\n"),
            pl.col("h", "node", "type", "serial", "epoch", "local").first(),
        )
    ts = pl.Series("ts", [None] * events.height, dtype=TS)
    if events["epoch"].null_count() < events.height:
        ts = read_stamps(events, pl.col("epoch"), ctx, zone_known=True)
    if events["local"].null_count() < events.height:
        local = pl.col("local")
        iso = iso_text(
            local.str.slice(6, 4), local.str.slice(0, 2), local.str.slice(3, 2), local.str.slice(11)
        )
        ts = ts.fill_null(read_stamps(events, iso, ctx))
    out = events.select(
        pl.lit(ts).alias("ts"),
        pl.lit(None, dtype=pl.String).alias("level"),
        "line",
        "message",
        pl.col("h").str.len_chars().cast(pl.UInt32).alias("body_at"),
        # The record's header is read: no other is learned (`header.learn_and_split`).
        pl.lit(TEXT, dtype=pl.UInt8).alias("body_kind"),
        "node",
        "type",
        "serial",
    )
    out = out.select(
        c
        for c in out.columns
        if c in ("ts", "level", "line", "message") or out[c].null_count() < out.height
    )
    return out.hstack(_pairs(out["message"]))


def _pairs(message: pl.Series) -> pl.DataFrame:
    """Return the key=value fields most events have (the first value of each key)."""
    found = (
        message.rename("m")
        .to_frame()
        .with_row_index("_row")
        .select("_row", pair=pl.col("m").str.extract_all(_PAIR))
        .explode("pair")
        .drop_nulls("pair")
        .select("_row", key=pl.col("pair").str.extract(ascii_classes(r"([a-z_][\w\-]*)="), 1))
        .unique()
    )
    counts = (
        found.group_by("key").agg(pl.len().alias("n")).sort(["n", "key"], descending=[True, False])
    )
    needed = max(1, int(_KEY_SHARE * message.len()))
    keys = [k for k, n in counts.iter_rows() if n >= needed and k not in _NOT_FIELDS]
    columns = {}
    for key in keys[:MAX_FIELDS]:  # a loop over the distinct keys
        regex = ascii_classes(rf"""(?:^|[\s']){re.escape(key)}=("(?:[^"\\]|\\.)*"|[^\s']*)""")
        value = message.str.extract(regex, 1)
        quoted = (
            value.str.starts_with('"') & value.str.ends_with('"') & (value.str.len_chars() >= 2)
        )
        columns[key] = pl.select(
            pl.when(quoted).then(value.str.slice(1, value.str.len_chars() - 2)).otherwise(value)
        ).to_series()
    return pl.DataFrame(columns)


FORMATS: list[Format] = [
    Format(
        "auditd",
        "Linux audit log",
        sniff,
        parse_lines=parse_auditd,
        levels_from_text=True,
        levels_from_words=False,
    )
]
