"""The text patterns are about: each entry's body, as the one helper everything mines through.

The table keeps every entry whole (`message`) and says where its body starts (`body_at`, a
character offset; null is 0) and what kind of body it is (`body_kind`; null is text). Patterns,
compare, anomalies, token values, inspect and the `pattern` query command read entries through
`body_lines`, so they agree on what an entry's words are, and no copy of the messages is kept:
the lines are cut from `message` when a pass needs them, at most MAX_MINED_CHARS each.

Body kinds:
- TEXT: the message from `body_at` (after the header `logview.core.reading.header` found).
- REQUEST: an access log's request, `METHOD target status` read from the request and status
  fields of the line (client, user, referrer, User-Agent, bytes and duration are fields, never
  template text). Its pattern is the method and the route: the target with the path segments
  that look like ids masked (`route_mask`), the status a named token.
"""

from __future__ import annotations

import polars as pl

from logview.core.shared.regex import ascii_classes

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
    """Return the first line of each message from `start` that says something (a record
    whose first line is all header, HPE's IML `Event: 1 Added: <date>`, is its next line's),
    whitespace runs made one space, capped at MAX_MINED_CHARS."""
    head = (
        messages.str.slice(start, 2 * MAX_MINED_CHARS)
        .str.strip_chars_start()
        .str.replace(r"\n(?s:.*)", "")
    )
    # Only runs of two or more whitespace characters, or one that is not a space, are
    # replaced: matching every single space would cost five times as much.
    runs = r"[\t\x0B\x0C\r ]{2,}|[\t\x0B\x0C\r]"
    return head.str.replace_all(runs, " ").str.strip_chars(" ").str.slice(0, MAX_MINED_CHARS)


def body_start(columns: object) -> pl.Expr | int:
    """Return the expression of where each entry's body starts in its message (0 without a
    `body_at` column). `columns` is a frame's column names."""
    return pl.col(BODY_AT).fill_null(0) if BODY_AT in columns else 0  # type: ignore[operator]


# The access parser's fields a request's line is made of (read from the message where a frame
# lacks them).
REQUEST_FIELDS = ("method", "path", "status")


def request_parts(columns: object) -> pl.Expr | None:
    """Return the struct (method, target, status) of each request body (null elsewhere), or
    None when the frame has no request bodies."""
    if BODY_KIND not in columns:  # type: ignore[operator]
        return None
    if all(f in columns for f in REQUEST_FIELDS):  # type: ignore[operator]
        method, target, status = (pl.col(f).cast(pl.String) for f in REQUEST_FIELDS)
        parts = pl.struct(method.alias("method"), target.alias("target"), status.alias("status"))
        whole = method.is_not_null() & target.is_not_null() & status.is_not_null()
        return pl.when((pl.col(BODY_KIND) == REQUEST) & whole).then(parts)
    text = pl.col("message").cast(pl.String).str.slice(body_start(columns), 2 * MAX_MINED_CHARS)
    parts = text.str.extract_groups(_REQUEST)
    return pl.when(pl.col(BODY_KIND) == REQUEST).then(parts)


def entries(rows: pl.DataFrame | pl.Series) -> pl.DataFrame:
    """Return `rows` as a frame of entries: a Series of messages is entries whose body is the
    whole message (a frame is returned as it is)."""
    if isinstance(rows, pl.DataFrame):
        return rows
    return rows.rename("message").to_frame()


def body_columns(frame: pl.DataFrame) -> list[str]:
    """Return the columns of `frame` the body helper reads: `message`, the body columns and,
    with requests, the access parser's request fields."""
    wanted = (
        "message",
        BODY_AT,
        BODY_KIND,
        *(REQUEST_FIELDS if BODY_KIND in frame.columns else ()),
    )
    return [c for c in wanted if c in frame.columns]


def line_expr(columns: object) -> pl.Expr:
    """Return the expression of each entry's body line (what `line_columns` calls `line`) on
    a frame with these columns."""
    parts = request_parts(columns)
    if parts is None:
        return _text_line(columns)
    return pl.coalesce(_request_line(parts), _text_line(columns))


def _request_line(parts: pl.Expr) -> pl.Expr:
    p = parts.struct
    return pl.concat_str(
        [p.field("method").str.to_uppercase(), p.field("target"), p.field("status")], separator=" "
    )


def line_columns(rows: pl.DataFrame | pl.Series) -> pl.DataFrame:
    """Return, for each entry of `rows` (the table or rows of it, or plain messages), the first
    line of its body normalised as the miner reads it (`line`) and whether it is a request
    (`request`).

    A request's line is `METHOD target status`. Works on any frame with a `message` column.
    """
    frame = entries(rows)
    columns = frame.columns
    parts = request_parts(columns)
    if parts is None or not frame.select((pl.col(BODY_KIND) == REQUEST).any()).item():
        return frame.select(_text_line(columns), pl.lit(False).alias("request"))
    # Each kind of line is made on its own rows only (a when/then would make both on all),
    # the two at once (a lazy concat runs its parts in parallel).
    numbered = frame.lazy().with_row_index("_row").with_columns(parts.alias("_p"))
    is_request = pl.col("_p").is_not_null()
    texts = numbered.filter(~is_request).select("_row", _text_line(columns))
    requests = numbered.filter(is_request).select("_row", _request_line(pl.col("_p")).alias("line"))
    lines = pl.concat(
        [
            texts.with_columns(pl.lit(False).alias("request")),
            requests.with_columns(pl.lit(True).alias("request")),
        ]
    )
    return lines.sort("_row").drop("_row").collect()


def _text_line(columns: object) -> pl.Expr:
    message = pl.col("message").cast(pl.String).fill_null("")
    return first_line(message, body_start(columns)).alias("line")


def body_lines(rows: pl.DataFrame | pl.Series) -> pl.Series:
    """Return the normalised first line of each entry's body (see `line_columns`)."""
    return line_columns(rows)["line"]


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


# More distinct literal segments than this after one route prefix are values, not routes
# (`/api/users/alice/profile`, `/static/img/<file>`): a REST API has a few dozen resources
# under one prefix, not hundreds.
ROUTE_SIBLINGS = 32
# More distinct paths than this after one prefix (once the siblings are generalised) are a
# path of values (files in folders, object keys), not routes: `/static/<path>`.
ROUTE_PATHS = 256


def generalise_routes(targets: list[str], wildcard: str) -> list[str]:
    """Return each masked target (`route_mask`) with the path segments that are values by
    their number replaced by `wildcard`: where more than ROUTE_SIBLINGS distinct segments
    follow the same route prefix, each is a value (`/api/users/<*>/profile`); where more than
    ROUTE_PATHS distinct paths follow a prefix, all of it is one (`/static/<*>`). A loop over
    distinct paths, by depth: a path is a tuple of segment ids, a prefix an id of its own."""
    unique = list(dict.fromkeys(targets))
    cut = [min([i for i in (t.find("?"), t.find("#")) if i >= 0] or [len(t)]) for t in unique]
    paths = [t[:c].split("/") for t, c in zip(unique, cut, strict=True)]
    rests = [t[c:] for t, c in zip(unique, cut, strict=True)]
    depth = max((len(p) for p in paths), default=0)
    for at in range(1, depth):
        children: dict[tuple[str, ...], set[str]] = {}
        for path in paths:
            if len(path) > at:
                children.setdefault(tuple(path[:at]), set()).add(path[at])
        crowded = {prefix for prefix, seen in children.items() if len(seen) > ROUTE_SIBLINGS}
        for path in paths:
            if len(path) > at and path[at] != wildcard and tuple(path[:at]) in crowded:
                path[at] = wildcard
    for at in range(depth - 1, 0, -1):  # the deepest prefixes first
        after: dict[tuple[str, ...], set[str]] = {}
        for path in paths:
            if len(path) > at:
                after.setdefault(tuple(path[:at]), set()).add("/".join(path[at:]))
        crowded = {prefix for prefix, seen in after.items() if len(seen) > ROUTE_PATHS}
        if crowded:
            for path in paths:
                if len(path) > at and tuple(path[:at]) in crowded:
                    path[at:] = [wildcard]
    done = {t: "/".join(p) + r for t, p, r in zip(unique, paths, rests, strict=True)}
    return [done[t] for t in targets]
