"""Web server logs: Apache/Nginx access logs (common and combined) and their error logs."""

from __future__ import annotations

import re

import polars as pl

from logview.core.reading import levels
from logview.core.reading.formats import Format, ParseContext, Sample, line_share
from logview.core.reading.parsers.fields import parse_stamps, scaled, status_level
from logview.core.reading.parsers.headed import entries_from_matches, patch_rows
from logview.core.reading.stamp_search import stamp_start_regex
from logview.core.shared import body
from logview.core.shared.regex import ascii_classes
from logview.core.shared.table import TS, empty_parsed

_QUOTED = r'(?:[^"\\]|\\.)*'
# client ident user [stamp] "request" status bytes ["referer" "agent"] [request time] [...]
# Whatever follows (extra fields some configurations append) is kept in the message only.
ACCESS = ascii_classes(
    r"^(?P<client>\S+) (?P<ident>\S+) (?P<user>\S+) \[(?P<stamp>[^\]]+)\]"
    rf' "(?P<request>{_QUOTED})" (?P<status>\d{{3}}|-) (?P<bytes>\d+|-)'
    rf'(?: "(?P<referer>{_QUOTED})" "(?P<agent>{_QUOTED})")?'
    r"(?: (?P<request_time>\d+(?:\.\d+)?))?(?:\s.*)?$"
)
# A request that is not `METHOD target [protocol]` ("-", a TLS handshake sent to the HTTP
# port) leaves method, path and protocol null; the rest of the line still parses.
REQUEST = ascii_classes(r"^(?P<method>[A-Za-z]+) (?P<path>\S+)(?: (?P<protocol>[A-Z]+/[\d.]+))?$")
_ACCESS_EXTRAS = ("client", "ident", "user", "method", "path", "protocol", "status", "bytes",
                  "referer", "agent")  # fmt: skip

# [Sun Dec 04 04:47:44 2005] [error] [client 1.2.3.4] msg  (Apache 2.2)
# [Wed Oct 11 14:32:52.123456 2000] [core:error] [pid 123:tid 456] [client ...] msg  (2.4)
APACHE_ERROR = ascii_classes(
    r"^\[(?P<stamp>[A-Z][a-z]{2} [A-Z][a-z]{2} [ \d]?\d \d{2}:\d{2}:\d{2}(?:\.\d+)? \d{4})\]"
    r" \[(?:(?P<module>[^:\]\s]+):)?(?P<level>[A-Za-z]+)\d*\]"
    r"(?: \[pid (?P<pid>\d+)(?::tid (?P<tid>\d+))?\])?"
    r"(?: \[client (?P<client>[^\]]+)\])?(?: |$)"
)
# 2024/01/02 03:04:05 [error] 1234#5678: *9 message, client: 1.2.3.4, server: ...  (Nginx)
NGINX_ERROR = ascii_classes(
    r"^(?P<stamp>\d{4}/\d{2}/\d{2} \d{2}:\d{2}:\d{2}) \[(?P<level>[a-z]+)\]"
    r" (?P<pid>\d+)#(?P<tid>\d+): "
)
_NGINX_CLIENT = ascii_classes(r", client: ([^,\s]+)")
_ERROR_EXTRAS = ("module", "pid", "tid", "client")
# The same, for sniffing with Python's `re` (see `formats.line_share`).
_ACCESS_RE, _APACHE_ERROR_RE, _NGINX_ERROR_RE = (
    re.compile(p, re.ASCII) for p in (ACCESS, APACHE_ERROR, NGINX_ERROR)
)


# --- access logs ---------------------------------------------------------------------------


def sniff_access(sample: Sample) -> float:
    """Return 0.9 when at least 80% of the sampled lines are access log lines, less with fewer."""
    return scaled(line_share(sample, _ACCESS_RE), 0.9)


def parse_access(lines: pl.DataFrame, ctx: ParseContext) -> pl.DataFrame:
    """Return one entry per access log line (common or combined format, Apache or Nginx).

    The level is derived from the status: 5xx is ERROR, 4xx WARN, everything else INFO (access
    logs carry no level of their own). Extras: client ident user method path protocol status
    bytes referer agent, plus request_time when the lines end with one; values are as written
    ("-" included), but a field that is "-" (not given) on every line is left out: ident almost
    always is, and each such column would cost 16 bytes a row for nothing. The stamp's offset
    is honoured. The message is the line as written; its body the request and what follows.
    """
    if lines.height == 0:
        return empty_parsed()
    fields = _access_fields(lines["text"])
    given = fields.select((pl.col(*_ACCESS_EXTRAS, "request_time") != "-").any()).row(0, named=True)
    extras = [name for name in (*_ACCESS_EXTRAS, "request_time") if given[name]]
    matched = fields["stamp"].is_not_null()
    columns = fields.select(
        pl.when(matched).then(status_level(pl.col("status"))).alias("level"), *extras
    ).with_columns(
        ts=_access_stamps(fields, ctx),
        # The body is the request and what follows it (client, user and stamp are fields):
        # patterns are of requests (logview.core.shared.body.REQUEST).
        body_at=lines["text"].str.find('"', literal=True).cast(pl.UInt32),
        body_kind=pl.lit(body.REQUEST, dtype=pl.UInt8),
    )
    return entries_from_matches(lines, matched, columns, ctx=ctx)


# The fast path. Most lines of an access log are plain `common` or `combined` lines; those are
# cut on their quotes and spaces (a few cheap passes) instead of going through ACCESS's capture
# groups (the dearest part of reading the file). A line takes the fast path only when it is
# proven to read the same both ways: FAST_HEAD matches it, it holds no backslash (so no
# escaped quote), and it has exactly 2 quotes (common) or 6 quoted in the combined places,
# `"referer" "agent"` at the end, optionally followed by the request time. Every other line
# goes through ACCESS, row by row in the same frame.
_FAST_TOKEN = ascii_classes(r'[^\s"]+')
_MONTH = "(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)"
# A CLF stamp with an offset, every part in range: `strptime` reads these exactly as the
# timestamps module's CLF layout does (a value outside this shape goes to parse_stamps).
CLF_STAMP = (
    rf"(?:0[1-9]|[12][0-9]|3[01])/{_MONTH}/[1-9][0-9]{{3}}:(?:[01][0-9]|2[0-3]):[0-5][0-9]:"
    r"[0-5][0-9] [+-](?:[01][0-9]|2[0-3])[0-5][0-9]"
)
_CLF_FORMAT = "%d/%b/%Y:%H:%M:%S %z"
_CLF_WIDTH = 26
FAST_HEAD = (
    rf"^{_FAST_TOKEN} {_FAST_TOKEN} {_FAST_TOKEN} \[{CLF_STAMP}\]"
    rf' "[A-Za-z]+ {_FAST_TOKEN} [A-Z]+/[0-9.]+" (?:[0-9]{{3}}|-) (?:[0-9]+|-)(?: "|$)'
)
_REQUEST_TIME = r"^ ([0-9]+(?:\.[0-9]+)?)$"
_FIELDS = (*_ACCESS_EXTRAS, "request_time", "stamp")


def _access_fields(text: pl.Series) -> pl.DataFrame:
    """Return ACCESS's fields (the extras, request_time and stamp) of every line of `text`.

    `_fast` says which lines took the fast path (their stamp has CLF_STAMP's shape).
    """
    frame = text.rename("text").to_frame()
    t = pl.col("text")
    candidate = frame.select(
        t.str.contains(FAST_HEAD) & ~t.str.contains("\\", literal=True)
    ).to_series()
    if not candidate.any():
        return _access_fields_slow(text).with_columns(_fast=pl.lit(False))
    fast = _access_fields_fast(frame, candidate)
    ok = fast["_ok"]
    fast = fast.drop("_ok")
    if ok.all():
        return fast.with_columns(_fast=ok)
    slow = _access_fields_slow(text.filter(~ok))
    return patch_rows(fast, ok, slow).with_columns(_fast=ok)


def _access_fields_fast(frame: pl.DataFrame, candidate: pl.Series) -> pl.DataFrame:
    """Return the fields of the fast-path lines, and `_ok` (whether a line took that path)."""
    t = pl.col("text")
    # Streamed, a batch of lines at a time: the pieces cut from the lines (a dozen string
    # columns, 16 bytes a row each before any text) then live a batch at a time, not all at
    # once. The result is made one chunk again, as the merge needs.
    quoted = frame.lazy().select(_candidate=candidate, parts=t.str.split_exact('"', 7))
    quoted = quoted.unnest("parts")
    # field_0 `client ident user [stamp] `, field_1 the request, field_2 ` status bytes `,
    # field_3 referer, field_4 " ", field_5 agent, field_6 what follows (request time);
    # field_7 is null unless there is a 7th quote. FAST_HEAD proved fields 0-2.
    tail = pl.col("field_6")
    request_time = tail.str.extract(_REQUEST_TIME, 1)
    common = pl.col("field_3").is_null()
    combined = (
        tail.is_not_null()
        & pl.col("field_7").is_null()
        & (pl.col("field_4") == " ")
        & ((tail == "") | request_time.is_not_null())
    )
    ok = pl.col("_candidate") & (common | combined)
    head = pl.col("field_0").str.splitn(" ", 4)
    request = pl.col("field_1").str.split_exact(" ", 2)
    status_bytes = pl.col("field_2").str.split_exact(" ", 3)
    return (
        quoted.select(
            head.struct.field("field_0").alias("client"),
            head.struct.field("field_1").alias("ident"),
            head.struct.field("field_2").alias("user"),
            request.struct.field("field_0").alias("method"),
            request.struct.field("field_1").alias("path"),
            request.struct.field("field_2").alias("protocol"),
            status_bytes.struct.field("field_1").alias("status"),
            status_bytes.struct.field("field_2").alias("bytes"),
            pl.col("field_3").alias("referer"),
            pl.col("field_5").alias("agent"),
            request_time.alias("request_time"),
            head.struct.field("field_3").str.slice(1, _CLF_WIDTH).alias("stamp"),
            ok.fill_null(False).alias("_ok"),
        )
        .collect(engine="streaming")
        .rechunk()
    )


def _access_fields_slow(text: pl.Series) -> pl.DataFrame:
    """Return ACCESS's fields of `text` through its capture groups (any line)."""
    parts = text.str.extract_groups(ACCESS).struct.unnest()
    request = parts["request"].str.extract_groups(REQUEST).struct.unnest()
    return parts.hstack(request).select(_FIELDS)


def _access_stamps(fields: pl.DataFrame, ctx: ParseContext) -> pl.Series:
    """Return the stamps read as UTC.

    When every stamp has CLF_STAMP's shape and reads as a date, `strptime` with the explicit
    layout gives what `parse_stamps` would (which then picks the same CLF layout), faster.
    Anything else goes to `parse_stamps`.
    """
    stamps = fields["stamp"]
    if stamps.null_count() < stamps.len():
        others = stamps.filter(~fields["_fast"]).drop_nulls()
        if others.str.contains(rf"^{CLF_STAMP}$").all():
            ts = stamps.str.strptime(TS, _CLF_FORMAT, strict=False)
            if ts.null_count() == stamps.null_count():
                return ts.rename("ts")
    return parse_stamps(stamps, ctx)


# --- error logs ----------------------------------------------------------------------------


def sniff_error_log(sample: Sample) -> float:
    """Return 0.85 when at least 80% of the sampled lines are Apache or Nginx error log lines."""
    return scaled(line_share(sample, _APACHE_ERROR_RE, _NGINX_ERROR_RE), 0.85)


def parse_error_log(lines: pl.DataFrame, ctx: ParseContext) -> pl.DataFrame:
    """Return one entry per Apache (2.2 or 2.4) or Nginx error log line.

    The level is the bracketed word (`[error]`, `[core:warn]`, Apache's `trace1`..`trace8`
    read as TRACE). Extras: module (Apache 2.4), pid, tid and client (Apache's `[client ..]`,
    Nginx's `client: ..`). The message is the line as written; the lines that follow without
    a stamp of their own (a PHP stack trace, indented or not) join it.
    """
    if lines.height == 0:
        return empty_parsed()
    text = lines["text"]
    apache = text.str.extract_groups(APACHE_ERROR).struct.unnest()
    nginx = text.str.extract_groups(NGINX_ERROR).struct.unnest()
    nginx_client = text.str.extract(_NGINX_CLIENT, 1)
    # Each server has its own stamp layout; a column is read with one layout, so each kind
    # is read on its own.
    ts = parse_stamps(apache["stamp"], ctx).fill_null(parse_stamps(nginx["stamp"], ctx))
    frame = pl.DataFrame({"apache": apache.to_struct(), "nginx": nginx.to_struct()})
    a, n = pl.col("apache").struct, pl.col("nginx").struct
    matched = a.field("stamp").is_not_null() | n.field("stamp").is_not_null()
    columns = frame.select(
        levels.normalise(pl.coalesce(a.field("level"), n.field("level"))).alias("level"),
        a.field("module").alias("module"),
        pl.coalesce(a.field("pid"), n.field("pid")).alias("pid"),
        pl.coalesce(a.field("tid"), n.field("tid")).alias("tid"),
        pl.coalesce(
            a.field("client"), pl.when(n.field("stamp").is_not_null()).then(pl.lit(nginx_client))
        ).alias("client"),
        matched.alias("_matched"),
    ).with_columns(ts=ts)
    header = text.str.extract(f"^({APACHE_ERROR.removeprefix('^')})", 1).fill_null(
        text.str.extract(f"^({NGINX_ERROR.removeprefix('^')})", 1)
    )
    columns = columns.with_columns(body_at=header.str.len_chars().cast(pl.UInt32))
    # A FastCGI message's lines (`PHP message: ...`, `Stack trace:`, `#0 ...`) are written as
    # they come: every line without a stamp of its own continues the entry above.
    joins = ~pl.col("text").str.contains(stamp_start_regex())
    return entries_from_matches(
        lines, columns["_matched"], columns.drop("_matched"), joins=joins, ctx=ctx
    )


FORMATS: list[Format] = [
    Format("access", "Access log (Apache/Nginx)", sniff_access, parse_lines=parse_access),
    Format("http-error", "Error log (Apache/Nginx)", sniff_error_log, parse_lines=parse_error_log),
]
