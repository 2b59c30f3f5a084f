"""W3C extended log format: IIS, and other servers and firewalls that write it.

Directives start with `#` (`#Software:`, `#Version:`, `#Date:`, `#Fields:`); the other lines
are records, fields separated by spaces in the order of the last `#Fields:` directive above them
(which may change mid-file, after a restart or a configuration change). A field is a token, or
a quoted string in which `""` is a quote (the W3C draft's `<string>`); IIS writes spaces as `+`
instead. Directives are the format's description, not entries.

Each field becomes a column named by its identifier as written (`s-ip`, `cs(User-Agent)`,
`time-taken`), except `cs-method`, `cs-uri-stem` (or `cs-uri`) and `sc-status`, which are the
access logs' `method`, `path` and `status`: a record with all three has the request as its body
(`logview.core.shared.body.REQUEST`), like an access log line, and the status gives the level (5xx
ERROR, 4xx WARN, else INFO). Stamps are `date` and `time` in UTC, as the format defines them;
a record with `time` only takes its date from the `#Date:` directive above it (Windows
Firewall's `#Time Format: Local` makes them the machine's time instead). A field that is
`-` (no value) on every record is left out.

Microsoft Exchange writes its logs (message tracking, SMTP and other protocol logs) the same
way with commas: `#Fields: date-time,client-ip,...`, records as CSV (a field with a comma is
quoted), the stamp an ISO `date-time` field.

Zeek (Bro) writes the same design in its TSV logs: `#fields` then the names, tab-separated,
records tab-separated, and the stamp in a `ts` field of epoch seconds (`#open`, `#close`,
`#types` are directives too).
"""

from __future__ import annotations

import re

import polars as pl

from logview.core.reading.formats import Format, ParseContext, Sample
from logview.core.reading.parsers.fields import status_level
from logview.core.reading.parsers.headed import read_stamps, sample_text
from logview.core.reading.timestamps import dates_from_header_lines, stamps_from_times
from logview.core.shared import body
from logview.core.shared.regex import ascii_classes
from logview.core.shared.table import TS, empty_parsed, extra_column_name

_TOKEN = r'"(?:[^"]|"")*"|\S+'
_TOKEN_RE = re.compile(_TOKEN)
_FIELDS = "#Fields:"
_ZEEK_FIELDS = "#fields\t"
_DATE_TIME = ascii_classes(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(?:\s|$)")
RENAMED = {"cs-method": "method", "cs-uri-stem": "path", "sc-status": "status"}
_STAMP_FIELDS = ("date", "time", "ts", "date-time")
# A CSV field (Exchange's logs): quoted with `""` for a quote, or anything up to a comma.
_CSV_FIELD = r'(?:^|,)(?:"(?:[^"]|"")*"|[^,]*)'
_CSV_FIELD_RE = re.compile(_CSV_FIELD)


def _comma_names(value: str) -> list[str] | None:
    """Return the names of a `#Fields:` directive's value written with commas, else None."""
    value = value.strip()
    return value.split(",") if "," in value and " " not in value else None


def sniff(sample: Sample) -> float:
    """Return 0.95 when the sample has a `#Fields:` directive and most records after it hold
    as many fields as it names, else 0."""
    text = sample_text(sample)
    zeek = _ZEEK_FIELDS in text
    if _FIELDS not in text and not zeek:
        return 0.0
    names: list[str] | None = None
    comma: list[str] | None = None
    records = fitting = 0
    for line in sample.lines:  # at most the 200 sampled lines
        if line.startswith(_FIELDS):
            comma = _comma_names(line[len(_FIELDS) :])
            names = comma or line[len(_FIELDS) :].split()
        elif line.startswith(_ZEEK_FIELDS):
            names = line[len(_ZEEK_FIELDS) :].split("\t")
        elif not line.startswith("#") and names is not None:
            records += 1
            if zeek:
                found = len(line.split("\t"))
            elif comma:
                found = len(_CSV_FIELD_RE.findall(line))
            else:
                found = len(_TOKEN_RE.findall(line))
            fitting += found == len(names)
    if names is None or (records and fitting < 0.8 * records):
        return 0.0
    return 0.95


def parse_w3c(lines: pl.DataFrame, ctx: ParseContext) -> pl.DataFrame:
    """Return one entry per record (see the module)."""
    text = lines["text"]
    zeek = text.str.starts_with(_ZEEK_FIELDS).any()
    directive, cut = (_ZEEK_FIELDS, len(_ZEEK_FIELDS)) if zeek else (_FIELDS, len(_FIELDS))
    first = text.filter(text.str.starts_with(directive)).head(1).to_list()
    comma = not zeek and bool(first) and _comma_names(first[0][cut:]) is not None
    frame = lines.select(
        "line",
        "text",
        pl.when(pl.col("text").str.starts_with(directive))
        .then(
            pl.col("text")
            .str.slice(cut)
            .str.strip_chars()
            .str.replace_all("\t" if not comma else ",", " ", literal=True)
        )
        .forward_fill()
        .alias("_fields"),
        dates_from_header_lines(text).dt.to_string("%Y-%m-%d").alias("_date"),
    ).filter(~pl.col("text").str.starts_with("#") & (pl.col("text").str.strip_chars() != ""))
    if frame.height == 0 or text.len() == 0:
        return empty_parsed()
    if frame["_fields"].null_count():
        # Records with no `#Fields:` above them (lines appended to a followed file, a file cut
        # at its head) are kept, with their date and time when they start with them.
        ctx.note("records before any #Fields: directive: read by their leading date and time")
        dated = pl.col("text").str.contains(_DATE_TIME)
        guess = pl.when(dated).then(pl.lit("date time")).otherwise(pl.lit(""))
        frame = frame.with_columns(pl.col("_fields").fill_null(guess))
    if zeek:
        tokens = pl.col("text").str.split("\t")
    elif comma:
        fields_of = pl.col("text").str.extract_all(_CSV_FIELD)
        tokens = fields_of.list.eval(pl.element().str.strip_prefix(","))
    else:
        tokens = pl.col("text").str.extract_all(_TOKEN)
    frame = frame.with_columns(_tokens=tokens)
    layouts = frame["_fields"].unique(maintain_order=True).to_list()
    # A loop over the distinct `#Fields:` directives and their names (a few dozen at most).
    positions: dict[str, list[tuple[str, int]]] = {}
    for layout in layouts:
        for i, name in enumerate(layout.split()):
            positions.setdefault(name, []).append((layout, i))
    values = {name: _value(at) for name, at in positions.items()}
    # with_columns, not select: a literal (no layout names a field) takes the frame's height.
    fields = frame.with_columns(
        **values, _leading=_leading_stamp_length(layouts, "\t" if zeek else "," if comma else " ")
    ).select(*values, "_leading")
    # Windows Firewall's log says `#Time Format: Local`: its times are the machine's.
    local = text.str.starts_with("#Time Format: Local").any()
    ts = _stamps(fields, frame, ctx, local=local)
    extras = [n for n in positions if n not in _STAMP_FIELDS]
    given = fields.select((pl.col(extras) != "-").any()).row(0, named=True) if extras else {}
    kept = [n for n in extras if given.get(n)]
    columns = fields.select(pl.col(n).alias(extra_column_name(RENAMED.get(n, n))) for n in kept)
    if "path" not in columns.columns and "cs-uri" in columns.columns:
        columns = columns.rename({"cs-uri": "path"})
    level = (
        columns.select(status_level(pl.col("status"))).to_series()
        if "status" in columns.columns
        else pl.Series([None] * frame.height, dtype=pl.String)
    )
    out = pl.DataFrame(
        [
            ts.rename("ts"),
            level.rename("level"),
            frame["line"].cast(pl.UInt64).rename("line"),
            frame["text"].rename("message"),
        ]
    )
    if all(f in columns.columns for f in body.REQUEST_FIELDS):
        out = out.with_columns(body_kind=pl.lit(body.REQUEST, dtype=pl.UInt8))
    else:
        # The record's fields are read: nothing of a header is left to learn in what follows
        # its stamp (`header.learn_and_split` skips sources whose bodies are known).
        out = out.with_columns(
            body_at=fields["_leading"], body_kind=pl.lit(body.TEXT, dtype=pl.UInt8)
        )
    return out.hstack(columns)


def _value(at: list[tuple[str, int]]) -> pl.Expr:
    """Return the expression of one field's value: the token at its place in each record's
    `#Fields:` layout, a quoted string unquoted."""
    expr = pl.lit(None, dtype=pl.String)
    for layout, i in reversed(at):
        token = pl.col("_tokens").list.get(i, null_on_oob=True)
        expr = pl.when(pl.col("_fields") == layout).then(token).otherwise(expr)
    quoted = expr.str.starts_with('"') & expr.str.ends_with('"') & (expr.str.len_chars() >= 2)
    inner = expr.str.slice(1, expr.str.len_chars() - 2).str.replace_all('""', '"', literal=True)
    return pl.when(quoted).then(inner).otherwise(expr)


def _leading_stamp_length(layouts: list[str], gap: str = " ") -> pl.Expr:
    """Return where a record's body starts: after its leading `date` and `time` fields."""
    expr = pl.lit(None, dtype=pl.UInt32)
    for layout in layouts:
        names = layout.split()
        lead = 0
        while lead < len(names) and names[lead] in _STAMP_FIELDS:
            lead += 1
        if lead:
            field = f"[^{gap}]+{gap}+"
            length = pl.col("text").str.extract(f"^((?:{field}){{{lead}}})", 1).str.len_chars()
            expr = pl.when(pl.col("_fields") == layout).then(length).otherwise(expr)
    return expr.cast(pl.UInt32)


def _stamps(
    fields: pl.DataFrame, frame: pl.DataFrame, ctx: ParseContext, *, local: bool
) -> pl.Series:
    """Return the records' stamps: `date` (or the `#Date:` directive's) and `time`, in UTC
    (`local`: in the zone the user gave, UTC by default)."""
    if "date-time" in fields.columns:
        # Exchange's ISO stamps with their zone (`2024-03-14T09:21:03.118Z`)
        return read_stamps(fields, pl.col("date-time"), ctx, zone_known=True)
    if "time" not in fields.columns and "ts" in fields.columns:
        # Zeek's epoch seconds with microseconds
        seconds = fields["ts"].cast(pl.Float64, strict=False)
        micros = (seconds * 1_000_000).round().cast(pl.Int64)
        return micros.cast(TS).rename("ts")
    if "time" not in fields.columns:
        return pl.Series("ts", [None] * fields.height, dtype=TS)
    if "date" not in fields.columns:
        # Times alone: dated by the `#Date:` directive above, a day later after each midnight.
        header = frame["_date"].str.to_date("%Y-%m-%d", strict=False)
        read = stamps_from_times(fields["time"], header, tz=ctx.tz if local else None)
        for note in read.notes:
            ctx.note(note)
        return read.ts.cast(TS).rename("ts")
    date = fields["date"]
    stamps = pl.DataFrame(
        {"date": date.cast(pl.String).fill_null(frame["_date"]), "time": fields["time"]}
    )
    iso = pl.concat_str([pl.col("date"), pl.lit("T"), pl.col("time"), pl.lit("" if local else "Z")])
    return read_stamps(stamps, iso, ctx, zone_known=not local)


# (Its rows are fields, no prose: no level is read from their words, Zeek's `REFUSED` rcode
# or a status's name.)
FORMATS: list[Format] = [
    Format(
        "w3c",
        "W3C extended log (IIS)",
        sniff,
        parse_lines=parse_w3c,
        levels_from_text=True,
        levels_from_words=False,
    )
]
