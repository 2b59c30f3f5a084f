"""The text patterns are about: each entry's body, as the one helper everything mines through.

The table keeps every entry whole (`message`) and says where its body starts (`body_at`, a
character offset; null is 0) and what kind of body it is (`body_kind`; null is text). Patterns,
compare, anomalies, token values, inspect and the `pattern` query command read entries through
`body_lines`, so they agree on what an entry's words are, and no copy of the messages is kept:
the lines are cut from `message` when a pass needs them, at most MAX_MINED_CHARS each.

Body kinds:
- TEXT: the message from `body_at` (after the header `logview.core.header` found).
- REQUEST: an access log's request, `METHOD target status` read from the request and status
  fields of the line (client, user, referrer, User-Agent, bytes and duration are fields, never
  template text). Its pattern is the method and the route: the target with the path segments
  that look like ids masked (`route_mask`), the status a named token.
"""

from __future__ import annotations

import polars as pl

from logview.core.regex import ascii_classes

BODY_AT = "body_at"
BODY_KIND = "body_kind"
TEXT = 0
REQUEST = 1

# The longest first line mined: a longer one is mined on its start (the whole message stays in
# the table and in the samples).
MAX_MINED_CHARS = 2048

# An access log body starts at the request's opening quote: `"GET /a?b=1 HTTP/1.1" 200 512 ...`.
_REQUEST = ascii_classes(
    r'^"(?P<method>[A-Za-z]+) (?P<target>\S+)(?: [^"]*)?" (?P<status>\d{3}|-)(?:\s|$)'
)


def first_line(messages: pl.Expr, start: pl.Expr | int = 0) -> pl.Expr:
    """Return the first line of each message from `start`, whitespace runs made one space,
    capped at MAX_MINED_CHARS."""
    head = messages.str.slice(start, 2 * MAX_MINED_CHARS).str.replace(r"\n(?s:.*)", "")
    # Only runs of two or more whitespace characters, or one that is not a space, are
    # replaced: matching every single space would cost five times as much.
    runs = r"[\t\x0B\x0C\r ]{2,}|[\t\x0B\x0C\r]"
    return head.str.replace_all(runs, " ").str.strip_chars(" ").str.slice(0, MAX_MINED_CHARS)


def body_start(columns: object) -> pl.Expr | int:
    """Return the expression of where each entry's body starts in its message (0 without a
    `body_at` column). `columns` is a frame's column names."""
    return pl.col(BODY_AT).fill_null(0) if BODY_AT in columns else 0  # type: ignore[operator]


def body_text(columns: object) -> pl.Expr:
    """Return the expression of each entry's body: its message from `body_at` on, whole."""
    start = body_start(columns)
    message = pl.col("message").cast(pl.String).fill_null("")
    return message.str.slice(start) if not isinstance(start, int) else message


def request_parts(columns: object) -> pl.Expr | None:
    """Return the struct (method, target, status) of each request body (null elsewhere), or
    None when the frame has no request bodies."""
    if BODY_KIND not in columns:  # type: ignore[operator]
        return None
    text = pl.col("message").cast(pl.String).str.slice(body_start(columns), 2 * MAX_MINED_CHARS)
    parts = text.str.extract_groups(_REQUEST)
    return pl.when(pl.col(BODY_KIND) == REQUEST).then(parts)


def line_columns(frame: pl.DataFrame) -> pl.DataFrame:
    """Return, for each entry of `frame` (the table or rows of it), the first line of its body
    normalised as the miner reads it (`line`) and whether it is a request (`request`).

    A request's line is `METHOD target status`. Works on any frame with a `message` column.
    """
    columns = frame.columns
    text_line = first_line(pl.col("message").cast(pl.String).fill_null(""), body_start(columns))
    parts = request_parts(columns)
    if parts is None or not frame.select((pl.col(BODY_KIND) == REQUEST).any()).item():
        return frame.select(text_line.alias("line"), pl.lit(False).alias("request"))
    lines = frame.select(text_line.alias("line"), parts.alias("p"))
    p = pl.col("p").struct
    is_request = p.field("method").is_not_null()
    request_line = pl.concat_str(
        [p.field("method").str.to_uppercase(), p.field("target"), p.field("status")], separator=" "
    )
    return lines.select(
        pl.when(is_request).then(request_line).otherwise(pl.col("line")).alias("line"),
        is_request.fill_null(False).alias("request"),
    )


def body_lines(frame: pl.DataFrame) -> pl.Series:
    """Return the normalised first line of each entry's body (see `line_columns`)."""
    return line_columns(frame)["line"]


# --- routes --------------------------------------------------------------------------------

_HEX = "[0-9a-fA-F]"
# A path segment (or a piece of one) that names one thing among many: a number, a UUID, a hex
# run of 8 or more, a long token of letters and digits (a session or an object key). Stable
# words (`api`, `v2`, `orders`, `SKU-`) stay: they name the route.
ROUTE_IDS = ascii_classes(
    "|".join(
        (
            rf"{_HEX}{{8}}-{_HEX}{{4}}-{_HEX}{{4}}-{_HEX}{{4}}-{_HEX}{{12}}",
            rf"(?-u:\b){_HEX}{{8,}}(?-u:\b)",
            r"[A-Za-z0-9_\-]{20,}",
            r"(?-u:\b)\d+(?:[.,]\d+)*(?-u:\b)",
        )
    )
)
# The values of a query string: `?q=alice&page=3` is `?q=<*>&page=<*>`.
_QUERY_VALUE = r"=[^&#]*"


def route_mask(target: pl.Expr, wildcard: str) -> pl.Expr:
    """Return each request target as its route: ids in the path and query values masked."""
    path = target.str.replace(r"[?#].*$", "")
    query = target.str.extract(r"([?#].*)$", 1).fill_null("")
    masked_path = path.str.replace_all(ROUTE_IDS, wildcard, literal=False)
    masked_query = query.str.replace_all(_QUERY_VALUE, "=" + wildcard)
    return masked_path + masked_query
