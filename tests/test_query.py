"""The query language: Logs Insights commands over the shared table, checked against plain Python.

Every expectation is computed here from the fixture's rows (a list of dicts), never from the
engine: the suite is an oracle. Comparisons follow SQL's three-valued logic, so a filter keeps a
row only where its condition is True (a null operand makes a comparison null, not False).
"""

from __future__ import annotations

import math
import random
import re
from datetime import UTC, datetime, timedelta

import polars as pl
import pytest

from logview.core.analysis.query import QueryError, run_query

# ---------------------------------------------------------------------------------------------
# The fixture: a small ingest table, sorted by time (seq = row index), built from seeded choices.

START = datetime(2026, 3, 10, 13, 58, 30, tzinfo=UTC)
N = 150
LEVEL = pl.Enum(["TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL", "NONE"])
NAMES = ("alice", "Bob", "carol", "ALICE", "dave")
ACCESS, APP, ERRLOG, DB, SYSLOG = (
    "bundle/nginx/access.log", "bundle/app/app.log", "bundle/nginx/error.log",
    "bundle/db/postgres.log", "syslog",
)  # fmt: skip
MISC = (
    "disk usage at {k}% on /dev/sda1", "cache miss for key k{k}", 'client said "hi" and left',
    "ip 10x0x0x5 blocked", "filtering rules reloaded", "", "Retrying request to 10.0.0.5",
)  # fmt: skip
EXTRAS = ("status", "latency_ms", "user", "http.method", "path", "odd name")


def _row(rng: random.Random, i: int) -> dict:
    kinds = ("access",) * 5 + ("login",) * 2 + ("failure", "timeout", "trace", "misc", "misc")
    kind, k = rng.choice(kinds), rng.randint(1, 99)
    row = dict.fromkeys(EXTRAS)
    row["odd name"] = rng.choice(("x", "y", None))
    if kind == "access":
        method = rng.choice(("GET", "GET", "POST"))
        path = rng.choice(("/api/orders/17", "/api/orders", "/login", "/static/app.js"))
        status = rng.choice(("200", "200", "200", "404", "500", "503"))
        n = rng.randint(1, 400)
        latency = rng.choice((str(n), str(n), f"{n}.5", "12", "abc", ""))
        level = "ERROR" if status[0] == "5" else "WARN" if status == "404" else "INFO"
        row |= {"status": status, "latency_ms": latency, "http.method": method, "path": path}
        row |= {"user": rng.choice((*NAMES, None))}
        message, source = f"{method} {path} HTTP/1.1 {status} {latency}ms", ACCESS
    elif kind == "login":
        row["user"] = rng.choice(NAMES)
        ip = f"10.0.{rng.randint(0, 9)}.{rng.randint(1, 254)}"
        message, source = f"user {row['user']} logged in from {ip} via ssh", APP
        level = rng.choice(("INFO", "DEBUG"))
    elif kind == "failure":
        row["user"] = rng.choice(("", None))
        message, source, level = f"user-{k} failed to authenticate", APP, "WARN"
    elif kind == "timeout":
        message = rng.choice(
            (f"Connection timeout after {k} s", "TIMEOUT waiting for db pool",
             "upstream timed out (110: Connection timed out)")
        )  # fmt: skip
        source, level = rng.choice((ERRLOG, DB)), rng.choice(("ERROR", "WARN"))
    elif kind == "trace":
        message = (
            f"Unhandled error in worker {k}\nTraceback (most recent call last):\n"
            f'  File "app.py", line {k}, in run\nValueError: bad value {k}'
        )
        source, level = APP, rng.choice(("ERROR", "FATAL"))
    else:
        message = rng.choice(MISC).format(k=k)
        source, level = rng.choice((SYSLOG, DB)), rng.choice(("INFO", "TRACE", "NONE"))
    ts = START + timedelta(seconds=i * 11 + i % 3)
    return {"ts": ts, "level": level, "source": source, "message": message, **row}


def _make_rows() -> list[dict]:
    rng = random.Random(20260310)
    rows = [_row(rng, i) for i in range(N)]
    lines: dict[str, int] = {}
    for seq, row in enumerate(rows):
        lines[row["source"]] = row["line"] = lines.get(row["source"], 0) + 1
        row["seq"] = seq
    return rows


ROWS = _make_rows()
TABLE = pl.DataFrame(
    [{k: r[k] for k in ("ts", "level", "source", "line", "message", "seq", *EXTRAS)} for r in ROWS],
    schema={
        "ts": pl.Datetime("us", "UTC"), "level": LEVEL, "source": pl.Categorical(),
        "line": pl.UInt64, "message": pl.String, "seq": pl.UInt32,
        **dict.fromkeys(EXTRAS, pl.String),
    },
)  # fmt: skip
ALL = list(range(N))


def at(hh: int, mm: int, ss: int = 0) -> datetime:
    return datetime(2026, 3, 10, hh, mm, ss, tzinfo=UTC)


# ---------------------------------------------------------------------------------------------
# The oracle: field values, three-valued logic, grouping.


def num(value: object) -> float | None:
    """Return a field as a number the way a String column casts to float: null when it is not one."""
    if value is None or isinstance(value, float | int):
        return value
    return float(value) if re.fullmatch(r"[+-]?\d+(\.\d+)?", value) else None


def log_of(row: dict) -> str:
    return row["source"].rpartition("/")[0]


def field(name: str):
    """Return the function reading a query field from an oracle row."""
    core = {"@timestamp": "ts", "@message": "message", "@logStream": "source", "@level": "level"}
    if name == "@log":
        return log_of
    if name == "@line":
        return lambda r: r["line"]
    return lambda r: r[core.get(name, name)]


def cmp(a, op: str, b) -> bool | None:
    if a is None or b is None:
        return None
    return {"=": a == b, "!=": a != b, "<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b}[op]


def n_(name: str, op: str, value: float):
    """A numeric comparison of a field with a number literal."""
    return lambda r: cmp(num(field(name)(r)), op, value)


def s_(name: str, op: str, value: str):
    """A string comparison of a field with a string literal."""
    return lambda r: cmp(field(name)(r), op, value)


def AND(*ps):
    def test(r):
        values = [p(r) for p in ps]
        return False if False in values else None if None in values else True

    return test


def OR(*ps):
    def test(r):
        values = [p(r) for p in ps]
        return True if True in values else None if None in values else False

    return test


def NOT(p):
    return lambda r: None if p(r) is None else not p(r)


def has(name: str, needle: str):
    """Case-sensitive substring (like "text"); null field -> null."""
    return lambda r: None if field(name)(r) is None else needle in field(name)(r)


def matches(name: str, pattern: str, flags: int = 0):
    return lambda r: (
        None if field(name)(r) is None else bool(re.search(pattern, field(name)(r), flags))
    )


def present(name: str):
    return lambda r: field(name)(r) is not None


def where(pred, rows: list[int] | None = None) -> list[int]:
    return [i for i in (ALL if rows is None else rows) if pred(ROWS[i]) is True]


def words(*needles: str, without: tuple[str, ...] = ()):
    """Plain search: every needle a case-insensitive substring of the message, no excluded one."""

    def test(r):
        text = r["message"].lower()
        return all(w.lower() in text for w in needles) and not any(
            w.lower() in text for w in without
        )

    return test


def dedup(order: list[int], *names: str) -> list[int]:
    seen, kept = set(), []
    for i in order:
        key = tuple(field(n)(ROWS[i]) for n in names)
        if key not in seen:
            seen.add(key)
            kept.append(i)
    return kept


def groups(keys: list, pred=None) -> dict[tuple, list[dict]]:
    found: dict[tuple, list[dict]] = {}
    for row in ROWS:
        if pred is None or pred(row) is True:
            found.setdefault(tuple(k(row) for k in keys), []).append(row)
    return dict(sorted(found.items()))


def stats(keys: list, aggs: list, pred=None) -> list[tuple]:
    return [(*key, *(a(rs) for a in aggs)) for key, rs in groups(keys, pred).items()]


def numbers(name, rows):
    return [v for v in (num(field(name)(r)) for r in rows) if v is not None]


def count_all(rows):
    return len(rows)


def count_of(name):
    return lambda rows: sum(field(name)(r) is not None for r in rows)


def distinct(name):
    return lambda rows: len({field(name)(r) for r in rows} - {None})


def agg(fn, name):
    return lambda rows: fn(numbers(name, rows)) if numbers(name, rows) else None


def avg(values):
    return sum(values) / len(values)


def earliest(name):
    return lambda rows: field(name)(min(rows, key=lambda r: r["ts"]))


def latest(name):
    return lambda rows: field(name)(max(rows, key=lambda r: r["ts"]))


def bucket(seconds: int):
    def start(r):
        epoch = int(r["ts"].timestamp())
        return datetime.fromtimestamp(epoch - epoch % seconds, UTC)

    return start


def percentiles(values: list[float], p: float) -> list[float]:
    """Return the p-th percentile by every common definition (nearest rank, lower, higher,
    nearest, midpoint, linear): an engine may use any of them."""
    v, n = sorted(values), len(values)
    rank = p / 100 * (n - 1)
    lo, hi = v[math.floor(rank)], v[math.ceil(rank)]
    return [v[max(1, math.ceil(p / 100 * n)) - 1], lo, hi, v[round(rank)], (lo + hi) / 2,
            lo + (hi - lo) * (rank - math.floor(rank))]  # fmt: skip


def same(got, want) -> bool:
    if isinstance(want, float) and got is not None and not isinstance(got, str | datetime):
        return math.isclose(got, want, rel_tol=1e-9, abs_tol=1e-9)
    return got == want


# ---------------------------------------------------------------------------------------------
# Row queries: plain search, filter, limit, dedup (compared by input row indices).

LOGIN = matches("@message", r"^user \S+ logged in")
S200, S404, S503 = n_("status", "=", 200), n_("status", "=", 404), n_("status", "=", 503)
ALICE = s_("user", "=", "alice")

PLAIN = [
    ("", ALL, "empty"),
    ("   ", ALL, "whitespace"),
    ("timeout", where(words("timeout")), "word"),
    ("TimeOut", where(words("timeout")), "word-any-case"),
    ("timeout db", where(words("timeout", "db")), "words-and"),
    ("connection TIMED", where(words("connection", "timed")), "words-and-any-case"),
    ('"logged in from"', where(words("logged in from")), "phrase"),
    ('"LOGGED In"', where(words("logged in")), "phrase-any-case"),
    ('"GET /api/orders"', where(words("get /api/orders")), "phrase-with-slash"),
    ("/user-[0-9]+ failed/", where(matches("@message", r"user-[0-9]+ failed")), "regex"),
    ("/TIMEOUT/", where(matches("@message", "TIMEOUT")), "regex-case-sensitive"),
    ("/[Tt]imed? ?out/", where(matches("@message", "[Tt]imed? ?out")), "regex-class-and-optional"),
    ("/TIMEOUT|timeout/", where(matches("@message", "TIMEOUT|timeout")), "regex-alternation"),
    ("/timeout/i", where(words("timeout")), "regex-insensitive"),
    ("/^GET /", where(matches("@message", "^GET ")), "regex-anchored"),
    ("-timeout", where(words(without=("timeout",))), "exclude"),
    ("user -alice", where(words("user", without=("alice",))), "word-and-exclude"),
    ('"logged in" -ALICE -bob', where(words("logged in", without=("alice", "bob"))), "phrase-and-excludes"),
    ("-nosuchword", ALL, "exclude-absent"),
    ("nosuchword", [], "absent"),
    ("valueerror", where(words("valueerror")), "continuation-line"),
    ("10.0.0.5", where(words("10.0.0.5")), "dot-is-literal"),
    ("% usage", where(words("%", "usage")), "percent"),
    ("filtering rules", where(words("filtering", "rules")), "starts-like-a-command-word"),
    ("user-1", where(words("user-1")), "inner-hyphen-is-literal"),
]  # fmt: skip

FILTER = [
    # numbers against String fields: cast to float, non-numbers are null
    ("filter status = 404", where(S404), "num-eq"),
    ("filter status != 200", where(n_("status", "!=", 200)), "num-ne-skips-null"),
    ("filter latency_ms > 100", where(n_("latency_ms", ">", 100)), "num-gt"),
    ("filter latency_ms >= 250.5", where(n_("latency_ms", ">=", 250.5)), "num-ge-float"),
    ("filter latency_ms < 12", where(n_("latency_ms", "<", 12)), "num-lt"),
    ("filter latency_ms <= 12", where(n_("latency_ms", "<=", 12)), "num-le"),
    ("filter latency_ms = 12", where(n_("latency_ms", "=", 12)), "num-eq-12"),
    ("filter latency_ms > 0", where(n_("latency_ms", ">", 0)), "non-numeric-excluded"),
    ("filter @line <= 3", where(lambda r: r["line"] <= 3), "line-number"),
    # strings: case-sensitive
    ('filter status = "404"', where(s_("status", "=", "404")), "str-eq"),
    ('filter status != "200"', where(s_("status", "!=", "200")), "str-ne-skips-null"),
    ('filter user = "alice"', where(ALICE), "str-case-sensitive"),
    ("filter user = 'Bob'", where(s_("user", "=", "Bob")), "single-quotes"),
    ('filter user != "alice"', where(s_("user", "!=", "alice")), "str-ne"),
    ('filter user < "b"', where(s_("user", "<", "b")), "str-lt-bytewise"),
    ('filter user >= "carol"', where(s_("user", ">=", "carol")), "str-ge"),
    # like, regex, in
    ('filter user like "lice"', where(has("user", "lice")), "like-substring"),
    ('filter @message like "timeout"', where(has("@message", "timeout")), "like-case-sensitive"),
    ("filter user like /^[ab]/", where(matches("user", "^[ab]")), "like-regex"),
    ("filter user like /^[ab]/i", where(matches("user", "^[ab]", re.I)), "like-regex-i"),
    ("filter @message like /timeout/i", where(matches("@message", "timeout", re.I)), "like-regex-i-msg"),
    ('filter user not like "lice"', where(NOT(has("user", "lice"))), "not-like"),
    ("filter user not like /^a/i", where(NOT(matches("user", "^a", re.I))), "not-like-regex"),
    ("filter @message =~ /^GET /", where(matches("@message", "^GET ")), "regex-op"),
    (r"filter @message like /ValueError: bad value \d+$/", where(matches("@message", r"ValueError: bad value \d+$")), "regex-multiline-message"),
    (r"filter path like /^\/api\//", where(matches("path", r"^/api/")), "regex-escaped-slash"),
    (r'filter @message like "\"hi\""', where(has("@message", '"hi"')), "string-escaped-quote"),
    ('filter user in ["alice", "carol"]', where(lambda r: r["user"] in ("alice", "carol")), "in-strings"),
    ('filter user not in ["alice", "Bob"]', where(lambda r: r["user"] is not None and r["user"] not in ("alice", "Bob")), "not-in-skips-null"),
    ("filter status in [200, 404]", where(lambda r: num(r["status"]) in (200, 404)), "in-numbers"),
    ('filter @level in ["ERROR", "FATAL"]', where(lambda r: r["level"] in ("ERROR", "FATAL")), "in-level"),
    # functions
    ("filter ispresent(user)", where(present("user")), "ispresent"),
    ("filter not ispresent(user)", where(NOT(present("user"))), "not-ispresent"),
    ("filter isempty(user)", where(lambda r: r["user"] in (None, "")), "isempty"),
    ("filter not isempty(user)", where(lambda r: r["user"] not in (None, "")), "not-isempty"),
    ('filter strcontains(@message, "failed")', where(has("@message", "failed")), "strcontains"),
    ('filter tolower(user) = "alice"', where(lambda r: r["user"] is not None and r["user"].lower() == "alice"), "tolower"),
    ('filter toupper(user) = "BOB"', where(lambda r: r["user"] is not None and r["user"].upper() == "BOB"), "toupper"),
    # arithmetic
    ("filter latency_ms * 2 > 100", where(n_("latency_ms", ">", 50)), "times"),
    ("filter latency_ms + 1 >= 13", where(n_("latency_ms", ">=", 12)), "plus"),
    ("filter latency_ms - 10 = 2", where(n_("latency_ms", "=", 12)), "minus"),
    ("filter latency_ms / 2 < 10", where(n_("latency_ms", "<", 20)), "divide"),
    ("filter latency_ms + 10 * 2 > 40", where(n_("latency_ms", ">", 20)), "times-before-plus"),
    ("filter (latency_ms + 10) * 2 > 40", where(n_("latency_ms", ">", 10)), "parenthesised-sum"),
    # built-in fields
    ('filter @timestamp >= "2026-03-10T14:05:00Z"', where(lambda r: r["ts"] >= at(14, 5)), "time-literal"),
    ('filter @timestamp >= "2026-03-10T14:05:00Z" and @timestamp < "2026-03-10T14:10:00Z"', where(lambda r: at(14, 5) <= r["ts"] < at(14, 10)), "time-range"),
    ('filter @level = "ERROR"', where(s_("@level", "=", "ERROR")), "level"),
    ('filter @logStream = "bundle/nginx/access.log"', where(s_("@logStream", "=", ACCESS)), "logstream"),
    ("filter @logStream like /nginx/", where(has("@logStream", "nginx")), "logstream-like"),
    ('filter @log = "bundle/nginx"', where(lambda r: log_of(r) == "bundle/nginx"), "log-folder"),
    ('filter @log = ""', where(lambda r: log_of(r) == ""), "log-no-folder"),
    ('filter @message = ""', where(lambda r: r["message"] == ""), "empty-message"),
    ('filter http.method = "POST"', where(s_("http.method", "=", "POST")), "dotted-name"),
    ('filter `http.method` = "POST"', where(s_("http.method", "=", "POST")), "backticked-dotted"),
    ('filter `odd name` = "x"', where(s_("odd name", "=", "x")), "backticked-space"),
    # unknown fields are null, never an error
    ('filter nosuch = "x"', [], "unknown-eq"),
    ('filter nosuch != "x"', [], "unknown-ne"),
    ("filter ispresent(nosuch)", [], "unknown-ispresent"),
    ("filter not ispresent(nosuch)", ALL, "unknown-not-ispresent"),
    ("filter isempty(nosuch)", ALL, "unknown-isempty"),
    # boolean logic and precedence, nulls three-valued
    ('filter status = 404 or status = 503 and user = "alice"', where(OR(S404, AND(S503, ALICE))), "and-before-or"),
    ('filter (status = 404 or status = 503) and user = "alice"', where(AND(OR(S404, S503), ALICE)), "parentheses"),
    ("filter not status = 200 and ispresent(user)", where(AND(NOT(S200), present("user"))), "not-before-and"),
    ("filter not (status = 200) and ispresent(user)", where(AND(NOT(S200), present("user"))), "not-parenthesised"),
    ("filter not ispresent(user) or status = 404", where(OR(NOT(present("user")), S404)), "not-before-or"),
    ('filter status = 200 and latency_ms > 100 or user = "carol"', where(OR(AND(S200, n_("latency_ms", ">", 100)), s_("user", "=", "carol"))), "and-or-chain"),
    ('filter user = "alice" or user != "alice"', where(present("user")), "null-never-compares"),
    ('filter not (user = "alice")', where(NOT(ALICE)), "not-null-is-null"),
    ("filter not (status = 200 or status = 404)", where(NOT(OR(S200, S404))), "not-or-null"),
    ("filter not not ispresent(user)", where(present("user")), "double-not"),
    ('filter (ispresent(user) and (status = 404 or @level = "DEBUG"))', where(AND(present("user"), OR(S404, s_("@level", "=", "DEBUG")))), "nested-parentheses"),
    # chains and case-insensitive command words
    ("filter status = 200 | filter latency_ms > 100", where(AND(S200, n_("latency_ms", ">", 100))), "two-filters"),
    ("FILTER status = 404", where(S404), "upper-command"),
    ('Filter @level = "ERROR"', where(s_("@level", "=", "ERROR")), "mixed-case-command"),
    ("fields status as code | filter code = 404", where(S404), "filter-on-renamed"),
]  # fmt: skip

LIMIT_DEDUP = [
    ("limit 5", ALL[:5], "limit"),
    ("LIMIT 2", ALL[:2], "upper-limit"),
    ("filter status = 200 | limit 3", where(S200)[:3], "filter-limit"),
    ("limit 10 | sort @timestamp desc", ALL[9::-1], "limit-then-sort"),
    ("sort @timestamp asc | limit 4", ALL[:4], "sort-asc-limit"),
    ("dedup @logStream", dedup(ALL, "@logStream"), "dedup"),
    ("sort @timestamp desc | dedup @logStream", dedup(ALL[::-1], "@logStream"), "dedup-after-sort"),
    ("dedup @level, @logStream", dedup(ALL, "@level", "@logStream"), "dedup-two-fields"),
    ("filter ispresent(status) | dedup status", dedup(where(present("status")), "status"), "dedup-extra"),
    ("filter ispresent(http.method) | DEDUP http.method", dedup(where(present("http.method")), "http.method"), "dedup-dotted-upper"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("query", "expected"), [pytest.param(q, e, id=i) for q, e, i in PLAIN + FILTER + LIMIT_DEDUP]
)
def test_row_queries_return_the_matching_input_rows_in_order(query, expected):
    result = run_query(TABLE, query)
    assert result.kind == "rows"
    assert result.rows.dtype == pl.UInt32
    assert result.rows.to_list() == expected
    assert result.frame.height == len(expected)
    assert result.time_series is False


def test_the_fixture_gives_every_interesting_case_some_rows():
    """Guard for the oracle: the seeded fixture must not leave interesting cases empty."""
    for query, expected, _ in PLAIN + FILTER + LIMIT_DEDUP:
        if "nosuch" not in query:
            assert 0 < len(expected), query


# ---------------------------------------------------------------------------------------------
# Sorting: the key sequence must match (ties may come in any order), nulls last both ways.


SORTS = [
    ("sort @timestamp asc", None, "@timestamp", False, None),
    ("sort @timestamp", None, "@timestamp", True, None),
    ("sort @timestamp desc | limit 5", None, "@timestamp", True, 5),
    ("sort user asc", None, "user", False, None),
    ("sort user desc", None, "user", True, None),
    ("filter ispresent(status) | sort status desc | limit 7", present("status"), "status", True, 7),
    ("SORT @line asc | LIMIT 4", None, "@line", False, 4),
    ("sort @line desc | limit 10", None, "@line", True, 10),
    ('filter @level = "ERROR" | sort @timestamp desc | limit 3', s_("@level", "=", "ERROR"), "@timestamp", True, 3),
    ("sort @logStream asc | limit 20", None, "@logStream", False, 20),
    ("sort http.method desc", None, "http.method", True, None),
]  # fmt: skip


@pytest.mark.parametrize(
    ("query", "pred", "name", "descending", "limit"),
    [pytest.param(*case, id=case[0]) for case in SORTS],
)
def test_sort_orders_by_the_field_with_nulls_last(query, pred, name, descending, limit):
    key = field(name)
    kept = where(pred) if pred else ALL
    values = sorted((key(ROWS[i]) for i in kept if key(ROWS[i]) is not None), reverse=descending)
    values += [None] * sum(key(ROWS[i]) is None for i in kept)
    rows = run_query(TABLE, query).rows.to_list()
    assert [key(ROWS[i]) for i in rows] == values[:limit]
    assert len(set(rows)) == len(rows) and set(rows) <= set(kept)


# ---------------------------------------------------------------------------------------------
# Result columns: fields, display, renames, parse.

GLOB_LOGIN = 'parse @message "user * logged in from * via" as who, ip'
RE_LOGIN = r"user (\S+) logged in from (\S+) via"


def login_parts(r):
    found = re.search(RE_LOGIN, r["message"])
    return found.groups() if found else (None, None)


def http_parts(r):
    found = re.search(r"HTTP/1\.1 (.*?) (.*?)ms", r["message"])
    return found.groups() if found else (None, None)


def column(rows, fn):
    return [fn(ROWS[i]) for i in rows]


LOGINS = where(LOGIN)
SLOW = where(lambda r: cmp(num(http_parts(r)[1]), ">", 100))
COLUMNS = [
    ("", ["@timestamp", "@message"], ALL, [field("@timestamp"), field("@message")], "default-columns"),
    ("filter status = 404", ["@timestamp", "@message"], where(S404), [field("@timestamp"), field("@message")], "default-after-filter"),
    ("fields status, @timestamp", ["status", "@timestamp"], ALL, [field("status"), field("@timestamp")], "fields-order"),
    ("display user, status", ["user", "status"], ALL, [field("user"), field("status")], "display"),
    ("fields status as code", ["code"], ALL, [field("status")], "rename"),
    ("fields @logStream, @log, @level, @line", ["@logStream", "@log", "@level", "@line"], ALL, [field(n) for n in ("@logStream", "@log", "@level", "@line")], "builtin-fields"),
    ("fields http.method, `odd name`", ["http.method", "odd name"], ALL, [field("http.method"), field("odd name")], "dotted-and-backticked"),
    ("FIELDS status | filter status = 404", ["status"], where(S404), [field("status")], "fields-then-filter"),
    ('filter user = "alice" | display @message, user', ["@message", "user"], where(ALICE), [field("@message"), field("user")], "filter-then-display"),
    (f"{GLOB_LOGIN} | filter ispresent(who) | fields who, ip", ["who", "ip"], LOGINS, [lambda r: login_parts(r)[0], lambda r: login_parts(r)[1]], "parse-glob"),
    (f"{GLOB_LOGIN} | fields who", ["who"], ALL, [lambda r: login_parts(r)[0]], "parse-keeps-unmatched-rows"),
    (r'parse @message /user (?<who>\S+) logged in from (?<ip>\S+) via/ | filter who = "alice" | fields ip', ["ip"], where(AND(LOGIN, ALICE)), [lambda r: login_parts(r)[1]], "parse-regex"),
    (r'parse @message /user (?P<who>\S+) logged in/ | filter tolower(who) = "alice" | fields who', ["who"], where(lambda r: LOGIN(r) and r["user"].lower() == "alice"), [field("user")], "parse-regex-python-groups"),
    ('parse @message "HTTP/1.1 * *ms" as code, ms | filter ms > 100 | fields code, ms', ["code", "ms"], SLOW, [lambda r: http_parts(r)[0], lambda r: http_parts(r)[1]], "parse-then-numeric-filter"),
    (r"parse @message /failed to (?<what>\w+)$/ | filter ispresent(what) | fields what", ["what"], where(has("@message", "failed to")), [lambda r: "authenticate"], "parse-regex-anchored"),
    ('parse @message "logged in from *" as rest | filter ispresent(rest) | fields rest', ["rest"], LOGINS, [lambda r: r["message"].split(" from ")[1]], "parse-trailing-star-takes-the-rest"),
    ('parse @logStream "bundle/*/*.log" as svc, file | filter svc = "nginx" | fields file', ["file"], where(has("@logStream", "nginx")), [lambda r: r["source"].split("/")[2][:-4]], "parse-other-field"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("query", "columns", "rows", "values"),
    [pytest.param(q, c, r, v, id=i) for q, c, r, v, i in COLUMNS],
)
def test_result_columns_are_the_named_fields_in_order(query, columns, rows, values):
    result = run_query(TABLE, query)
    assert result.frame.columns == columns
    assert result.rows.to_list() == rows and rows
    for name, fn in zip(columns, values, strict=True):
        assert result.frame[name].to_list() == column(rows, fn), name


# ---------------------------------------------------------------------------------------------
# stats: one row per group, groups first and ascending, named as written.

HAS_STATUS = present("status")
LAT = "latency_ms"
STATS = [
    ("stats count(*)", ["count(*)"], stats([], [count_all])),
    ("stats count(*) as n", ["n"], stats([], [count_all])),
    ("STATS count(status)", ["count(status)"], stats([], [count_of("status")])),
    ("stats count(user), count(*) by @logStream", ["@logStream", "count(user)", "count(*)"], stats([field("@logStream")], [count_of("user"), count_all])),
    ("filter ispresent(status) | stats count(*) by status", ["status", "count(*)"], stats([field("status")], [count_all], HAS_STATUS)),
    ("stats count(*) by @logStream", ["@logStream", "count(*)"], stats([field("@logStream")], [count_all])),
    ("stats count(*) by @level", ["@level", "count(*)"], stats([field("@level")], [count_all])),
    ("stats count(*) as n by @log", ["@log", "n"], stats([log_of], [count_all])),
    ("stats count(*) by @logStream, @level", ["@logStream", "@level", "count(*)"], stats([field("@logStream"), field("@level")], [count_all])),
    ("filter ispresent(status) | stats count(*) by status, http.method", ["status", "http.method", "count(*)"], stats([field("status"), field("http.method")], [count_all], HAS_STATUS)),
    ('filter @level = "ERROR" | stats count(*) by @logStream', ["@logStream", "count(*)"], stats([field("@logStream")], [count_all], s_("@level", "=", "ERROR"))),
    ("stats sum(latency_ms)", ["sum(latency_ms)"], stats([], [agg(sum, LAT)])),
    ("stats avg(latency_ms)", ["avg(latency_ms)"], stats([], [agg(avg, LAT)])),
    ("stats min(latency_ms), max(latency_ms)", ["min(latency_ms)", "max(latency_ms)"], stats([], [agg(min, LAT), agg(max, LAT)])),
    ("filter ispresent(status) | stats avg(latency_ms) as mean, max(latency_ms) by status", ["status", "mean", "max(latency_ms)"], stats([field("status")], [agg(avg, LAT), agg(max, LAT)], HAS_STATUS)),
    ("filter ispresent(http.method) | stats sum(latency_ms) as total by http.method", ["http.method", "total"], stats([field("http.method")], [agg(sum, LAT)], present("http.method"))),
    ("stats min(@line), max(@line) by @logStream", ["@logStream", "min(@line)", "max(@line)"], stats([field("@logStream")], [agg(min, "@line"), agg(max, "@line")])),
    ("stats count_distinct(@logStream)", ["count_distinct(@logStream)"], stats([], [distinct("@logStream")])),
    ("filter ispresent(user) | stats count_distinct(user) as users", ["users"], stats([], [distinct("user")], present("user"))),
    ("stats earliest(@message), latest(@message)", ["earliest(@message)", "latest(@message)"], stats([], [earliest("@message"), latest("@message")])),
    ("filter ispresent(status) | stats earliest(status) as first, latest(status) as last by @logStream", ["@logStream", "first", "last"], stats([field("@logStream")], [earliest("status"), latest("status")], HAS_STATUS)),
    ("stats count(*) by @logStream | limit 2", ["@logStream", "count(*)"], stats([field("@logStream")], [count_all])[:2]),
    ("stats count(*) as n by @logStream | sort @logStream desc", ["@logStream", "n"], stats([field("@logStream")], [count_all])[::-1]),
    (f"{GLOB_LOGIN} | filter ispresent(who) | stats count(*) by who", ["who", "count(*)"], stats([field("user")], [count_all], LOGIN)),
    ('parse @message "HTTP/1.1 * *ms" as code, ms | filter ispresent(code) | stats avg(ms) by code', ["code", "avg(ms)"], stats([field("status")], [agg(avg, LAT)], HAS_STATUS)),
]  # fmt: skip
BINS = [
    ("stats count(*) by bin(5m)", ["bin(5m)", "count(*)"], stats([bucket(300)], [count_all])),
    ("stats count(*) by bin(1m)", ["bin(1m)", "count(*)"], stats([bucket(60)], [count_all])),
    ("stats count(*) by bin(30s)", ["bin(30s)", "count(*)"], stats([bucket(30)], [count_all])),
    ("stats count(*) by bin(1h)", ["bin(1h)", "count(*)"], stats([bucket(3600)], [count_all])),
    ("stats count(*) as n by bin(1d)", ["bin(1d)", "n"], stats([bucket(86400)], [count_all])),
    ("stats count(*) as n, avg(latency_ms) by bin(10m)", ["bin(10m)", "n", "avg(latency_ms)"], stats([bucket(600)], [count_all, agg(avg, LAT)])),
    ("Stats max(latency_ms) by bin(5m)", ["bin(5m)", "max(latency_ms)"], stats([bucket(300)], [agg(max, LAT)])),
]  # fmt: skip


@pytest.mark.parametrize(
    ("query", "columns", "expected", "series"),
    [pytest.param(q, c, e, False, id=q) for q, c, e in STATS]
    + [pytest.param(q, c, e, True, id=q) for q, c, e in BINS],
)
def test_stats_aggregate_each_group(query, columns, expected, series):
    result = run_query(TABLE, query)
    assert (result.kind, result.rows, result.time_series) == ("stats", None, series)
    assert result.frame.columns == columns
    got = result.frame.rows()
    assert len(got) == len(expected), got
    for have, want in zip(got, expected, strict=True):
        assert all(same(h, w) for h, w in zip(have, want, strict=True)), (have, want)


def test_bins_are_utc_bucket_starts_without_gaps():
    starts = run_query(TABLE, "stats count(*) by bin(5m)").frame["bin(5m)"].to_list()
    assert starts[0] == at(13, 55) and all(s.utcoffset() == timedelta(0) for s in starts)
    assert [b - a for a, b in zip(starts, starts[1:], strict=False)] == [timedelta(minutes=5)] * (
        len(starts) - 1
    )


@pytest.mark.parametrize("p", [50, 90, 95, 99])
def test_pct_is_a_percentile_by_a_common_definition(p):
    frame = run_query(TABLE, f"stats pct(latency_ms, {p})").frame
    assert frame.columns == [f"pct(latency_ms,{p})"]
    got = frame.item()
    assert any(math.isclose(got, c) for c in percentiles(numbers(LAT, ROWS), p)), got


@pytest.mark.parametrize(
    "query", ["stats count(*) as n by status", "stats count(*) as n by @logStream"]
)
def test_sort_and_limit_apply_to_the_stats_result(query):
    name = query.rsplit(" ", 1)[1]
    counts = {k[0]: len(v) for k, v in groups([field(name)], present(name)).items()}
    frame = run_query(TABLE, f"filter ispresent({name}) | {query} | sort n desc | limit 2").frame
    assert frame["n"].to_list() == sorted(counts.values(), reverse=True)[:2]
    assert all(counts[k] == n for k, n in frame.select(name, "n").rows())


# ---------------------------------------------------------------------------------------------
# pattern


@pytest.mark.parametrize(
    ("query", "pred"),
    [
        pytest.param("pattern @message", None, id="pattern-message"),
        pytest.param("pattern", None, id="pattern-bare"),
        pytest.param("PATTERN @message", None, id="pattern-upper"),
        pytest.param(
            'filter @level = "ERROR" | pattern @message',
            s_("@level", "=", "ERROR"),
            id="after-filter",
        ),
        pytest.param(
            "filter @message like /timeout/i | pattern", words("timeout"), id="after-regex"
        ),
    ],
)
def test_pattern_counts_every_row_that_reaches_it(query, pred):
    result = run_query(TABLE, query)
    reached = len(where(pred)) if pred else N
    assert (result.kind, result.rows, result.time_series) == ("patterns", None, False)
    assert {"pattern", "template", "count", "ratio", "severity"} <= set(result.frame.columns)
    counts = result.frame["count"].to_list()
    assert sum(counts) == reached and counts == sorted(counts, reverse=True)
    for count, ratio in result.frame.select("count", "ratio").rows():
        assert math.isclose(ratio, count / reached, rel_tol=1e-6)


def test_filter_on_a_pattern_id_gives_that_patterns_rows():
    top = run_query(TABLE, "pattern @message").frame.row(0, named=True)
    rows = run_query(TABLE, f'filter @pattern = "{top["pattern"]}"').rows
    assert rows.len() == top["count"]


# ---------------------------------------------------------------------------------------------
# Time range: [start, end) before the query; rows stay input-table indices.


def span(start: datetime | None, end: datetime | None):
    return lambda r: (start is None or r["ts"] >= start) and (end is None or r["ts"] < end)


RANGES = [
    ("", at(14, 5), None, where(span(at(14, 5), None)), "start-only"),
    ("", None, at(14, 10), where(span(None, at(14, 10))), "end-only"),
    ("", at(14, 5), at(14, 10), where(span(at(14, 5), at(14, 10))), "both"),
    ("", at(14, 5), at(14, 5), [], "empty-range"),
    ("filter status = 200", at(14, 2), at(14, 12, 30), where(AND(span(at(14, 2), at(14, 12, 30)), S200)), "with-filter"),
    ("timeout", at(14, 0), at(14, 20), where(AND(span(at(14, 0), at(14, 20)), words("timeout"))), "with-plain-search"),
    ("sort @timestamp desc | limit 3", None, at(14, 10), where(span(None, at(14, 10)))[::-1][:3], "with-sort-limit"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("query", "start", "end", "expected"), [pytest.param(*c[:4], id=c[4]) for c in RANGES]
)
def test_time_range_applies_before_the_query_and_rows_stay_table_rows(query, start, end, expected):
    assert run_query(TABLE, query, start=start, end=end).rows.to_list() == expected


def test_time_range_applies_to_stats():
    frame = run_query(TABLE, "stats count(*) by bin(5m)", start=at(14, 0), end=at(14, 10)).frame
    want = stats([bucket(300)], [count_all], lambda r: at(14, 0) <= r["ts"] < at(14, 10))
    assert frame.rows() == want and len(want) == 2


# ---------------------------------------------------------------------------------------------
# Errors: always QueryError, one line, with a column where one can be named.

ERRORS = [
    ("filter (status = 200", "expected ')'", None, "unbalanced-open"),
    ("filter ((status = 200) or user = 'a'", "expected ')'", None, "unbalanced-nested"),
    ("filter status = 200)", None, None, "unbalanced-close"),
    ("filter status = 200 | frobnicate", None, 23, "unknown-command"),
    ("limit 5 | sort @timestamp | bogus x", None, None, "unknown-command-last"),
    ("filter nosuchfn(user)", None, 8, "unknown-function"),
    ("stats nosuchagg(status)", None, None, "unknown-aggregate"),
    ("filter status =", None, None, "missing-right-operand"),
    ("filter = 200", None, None, "missing-left-operand"),
    ("filter status = 200 and", None, None, "missing-after-and"),
    ("filter not", None, None, "missing-after-not"),
    ("filter latency_ms * > 2", None, None, "missing-arithmetic-operand"),
    ("filter status = 200 |", None, None, "missing-command-after-pipe"),
    ("limit -1", None, 7, "negative-limit"),
    ("limit abc", None, 7, "word-limit"),
    ("limit", None, None, "missing-limit"),
    ("stats count(*) by bin(5x)", None, None, "bad-bin-unit"),
    ("stats by status", None, None, "stats-without-aggregate"),
    ("stats", None, None, "stats-empty"),
    ("stats count(*) by", None, None, "stats-missing-group"),
    ('filter user = "alice', None, None, "unterminated-double"),
    ("filter user = 'alice", None, None, "unterminated-single"),
    ("filter `odd name = 'x'", None, None, "unterminated-backtick"),
    ('filter user in ["a", "b"', None, None, "unterminated-list"),
    ("filter status = 200 200", None, 21, "trailing-garbage"),
    ("sort @timestamp sideways", None, None, "trailing-after-sort"),
    ("dedup", None, None, "dedup-without-fields"),
]  # fmt: skip
BAD_REGEXES = [
    ("filter @message like /[a-/", "[a-", "filter-like"),
    ("filter user =~ /(unclosed/", "(unclosed", "filter-match"),
    ("/[a-/", "[a-", "plain-search"),
    ("parse @message /(?<who>[a-/", "[a-", "parse"),
]


@pytest.mark.parametrize(
    ("query", "needle", "column"), [pytest.param(q, n, c, id=i) for q, n, c, i in ERRORS]
)
def test_bad_queries_raise_a_one_line_query_error_with_a_column(query, needle, column):
    with pytest.raises(QueryError) as caught:
        run_query(TABLE, query)
    message = str(caught.value)
    assert message and "\n" not in message
    assert isinstance(caught.value.column, int) and caught.value.column >= 1
    if needle:
        assert needle in message
    if column:
        assert caught.value.column == column


@pytest.mark.parametrize(("query", "needle"), [pytest.param(q, n, id=i) for q, n, i in BAD_REGEXES])
def test_a_bad_regex_is_a_query_error_naming_the_regex(query, needle):
    with pytest.raises(QueryError) as caught:
        run_query(TABLE, query)
    message = str(caught.value)
    assert "\n" not in message and needle in message and "regex" in message.lower()
    assert caught.value.column is None or caught.value.column >= 1


def test_rows_without_columns_give_the_same_rows_and_no_frame():
    for text in ("", "timeout", 'filter @level = "ERROR" | sort @timestamp desc | limit 5'):
        full = run_query(TABLE, text)
        bare = run_query(TABLE, text, columns=False)
        assert bare.rows.to_list() == full.rows.to_list()
        assert bare.frame.width == 0


def test_bookmarked_selects_the_rows_the_reader_marked():
    import numpy as np

    table = pl.DataFrame(
        {
            "ts": [datetime(2024, 1, 1, 0, 0, i, tzinfo=UTC) for i in range(4)],
            "message": ["a", "b", "c", "d"],
            "seq": pl.Series([0, 1, 2, 3], dtype=pl.UInt32),
        }
    )
    marked = np.array([3, 1], dtype=np.uint32)
    assert run_query(table, "filter @bookmarked", bookmarked=marked).rows.to_list() == [1, 3]
    assert run_query(table, "filter not @bookmarked", bookmarked=marked).rows.to_list() == [0, 2]
    # Nothing marked (or no bookmarks given): nothing is bookmarked.
    assert run_query(table, "filter @bookmarked").rows.to_list() == []
    counted = run_query(table, "stats count(*) as n by @bookmarked", bookmarked=marked).frame
    assert sorted(counted.rows()) == [(False, 2), (True, 2)]
