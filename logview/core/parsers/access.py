"""Web server logs: Apache/Nginx access logs (common and combined) and their error logs."""

from __future__ import annotations

import polars as pl

from logview.core import levels
from logview.core.formats import Format, ParseContext, Sample
from logview.core.parsers.jsonlines import parse_stamps, scaled
from logview.core.parsers.syslog import entries_from_matches
from logview.core.table import empty_parsed

_QUOTED = r'(?:[^"\\]|\\.)*'
# client ident user [stamp] "request" status bytes ["referer" "agent"] [request time] [...]
# Whatever follows (extra fields some configurations append) is kept in the message only.
ACCESS = (
    r"^(?P<client>\S+) (?P<ident>\S+) (?P<user>\S+) \[(?P<stamp>[^\]]+)\]"
    rf' "(?P<request>{_QUOTED})" (?P<status>\d{{3}}|-) (?P<bytes>\d+|-)'
    rf'(?: "(?P<referer>{_QUOTED})" "(?P<agent>{_QUOTED})")?'
    r"(?: (?P<request_time>\d+(?:\.\d+)?))?(?:\s.*)?$"
)
# A request that is not `METHOD target [protocol]` ("-", a TLS handshake sent to the HTTP
# port) leaves method, path and protocol null; the rest of the line still parses.
REQUEST = r"^(?P<method>[A-Za-z]+) (?P<path>\S+)(?: (?P<protocol>[A-Z]+/[\d.]+))?$"
_ACCESS_EXTRAS = ("client", "ident", "user", "method", "path", "protocol", "status", "bytes",
                  "referer", "agent")  # fmt: skip

# [Sun Dec 04 04:47:44 2005] [error] [client 1.2.3.4] msg  (Apache 2.2)
# [Wed Oct 11 14:32:52.123456 2000] [core:error] [pid 123:tid 456] [client ...] msg  (2.4)
APACHE_ERROR = (
    r"^\[(?P<stamp>[A-Z][a-z]{2} [A-Z][a-z]{2} [ \d]?\d \d{2}:\d{2}:\d{2}(?:\.\d+)? \d{4})\]"
    r" \[(?:(?P<module>[^:\]\s]+):)?(?P<level>[A-Za-z]+)\d*\]"
    r"(?: \[pid (?P<pid>\d+)(?::tid (?P<tid>\d+))?\])?"
    r"(?: \[client (?P<client>[^\]]+)\])?(?: |$)"
)
# 2024/01/02 03:04:05 [error] 1234#5678: *9 message, client: 1.2.3.4, server: ...  (Nginx)
NGINX_ERROR = (
    r"^(?P<stamp>\d{4}/\d{2}/\d{2} \d{2}:\d{2}:\d{2}) \[(?P<level>[a-z]+)\]"
    r" (?P<pid>\d+)#(?P<tid>\d+): "
)
_NGINX_CLIENT = r", client: ([^,\s]+)"
_ERROR_EXTRAS = ("module", "pid", "tid", "client")


def _share(sample: Sample, *regexes: str) -> float:
    if not sample.lines:
        return 0.0
    text = pl.Series(sample.lines, dtype=pl.String)
    matched = pl.repeat(False, text.len(), eager=True)
    for regex in regexes:
        matched = matched | text.str.contains(regex)
    return float(matched.mean() or 0.0)  # type: ignore[arg-type]


# --- access logs ---------------------------------------------------------------------------


def sniff_access(sample: Sample) -> float:
    """Return 0.9 when at least 80% of the sampled lines are access log lines, less with fewer."""
    return scaled(_share(sample, ACCESS), 0.9)


def status_level(status: pl.Expr) -> pl.Expr:
    """Return the level of an HTTP status: 5xx ERROR, 4xx WARN, anything else INFO."""
    code = status.cast(pl.Int32, strict=False)
    return (
        pl.when(code >= 500)
        .then(pl.lit("ERROR"))
        .when(code >= 400)
        .then(pl.lit("WARN"))
        .otherwise(pl.lit("INFO"))
    )


def parse_access(lines: pl.DataFrame, ctx: ParseContext) -> pl.DataFrame:
    """Return one entry per access log line (common or combined format, Apache or Nginx).

    The level is derived from the status: 5xx is ERROR, 4xx WARN, everything else INFO (access
    logs carry no level of their own). Extras: client ident user method path protocol status
    bytes referer agent, plus request_time when the lines end with one; values are as written
    ("-" included). The stamp's offset is honoured. The message is the line as written.
    """
    if lines.height == 0:
        return empty_parsed()
    parts = lines["text"].str.extract_groups(ACCESS).struct.unnest()
    request = parts["request"].str.extract_groups(REQUEST).struct.unnest()
    parts = parts.hstack(request)
    extras = list(_ACCESS_EXTRAS)
    if parts["request_time"].is_not_null().any():
        extras.append("request_time")
    matched = parts["stamp"].is_not_null()
    columns = parts.select(
        pl.when(matched).then(status_level(pl.col("status"))).alias("level"), *extras
    ).with_columns(ts=parse_stamps(parts["stamp"], ctx))
    return entries_from_matches(lines, matched, columns)


# --- error logs ----------------------------------------------------------------------------


def sniff_error_log(sample: Sample) -> float:
    """Return 0.85 when at least 80% of the sampled lines are Apache or Nginx error log lines."""
    return scaled(_share(sample, APACHE_ERROR, NGINX_ERROR), 0.85)


def parse_error_log(lines: pl.DataFrame, ctx: ParseContext) -> pl.DataFrame:
    """Return one entry per Apache (2.2 or 2.4) or Nginx error log line.

    The level is the bracketed word (`[error]`, `[core:warn]`, Apache's `trace1`..`trace8`
    read as TRACE). Extras: module (Apache 2.4), pid, tid and client (Apache's `[client ..]`,
    Nginx's `client: ..`). The message is the line as written; indented lines that follow
    (a PHP stack trace) join it.
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
    return entries_from_matches(lines, columns["_matched"], columns.drop("_matched"))


FORMATS: list[Format] = [
    Format("access", "Access log (Apache/Nginx)", sniff_access, parse_lines=parse_access),
    Format("http-error", "Error log (Apache/Nginx)", sniff_error_log, parse_lines=parse_error_log),
]
