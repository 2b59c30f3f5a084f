"""Run a query over the table: the time range, then each command in turn, collected once."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

import numpy as np
import polars as pl

from logview.core.analysis.query.compiler import (
    BOOKMARKED_COLUMN,
    PATTERN_COLUMN,
    ROW,
    TOKEN_PREFIX,
    Scope,
    Typed,
    check_regex,
    compile_expr,
    condition,
    output_columns,
    stats_command,
    text,
)
from logview.core.analysis.query.errors import QueryError
from logview.core.analysis.query.parser import COMMANDS, Bin, Command, Field, parse, walk
from logview.core.analysis.query.search import search_condition
from logview.core.shared.table import BODY_COLUMNS

DEFAULT_FIELDS = ("@timestamp", "@message")


@dataclass(frozen=True)
class QueryResult:
    kind: str  # "rows", "stats" or "patterns"
    frame: pl.DataFrame
    rows: pl.Series | None  # for rows: the input table's row of each result row, in order
    time_series: bool  # stats ... by bin(): drawn as a time series


def is_plain_search(text: str) -> bool:
    """Return whether `text` is a plain search: it does not start with a command word and has
    no `|` outside its quoted phrases and /regexes/ (so `/a|b/` is a search)."""
    words = text.split(None, 1)
    if not words:
        return True
    if words[0].split("|", 1)[0].lower() in COMMANDS:
        return False
    return "|" not in _QUOTED.sub("", text)


_QUOTED = re.compile(r'"(?:\\.|[^"\\])*"?|/(?:\\.|[^/\\])*/?')


def run_query(
    table: pl.DataFrame,
    text: str,
    *,
    start: datetime | None = None,
    end: datetime | None = None,
    where: pl.Expr | None = None,
    patterns: pl.Series | None = None,
    templates: dict | None = None,
    bookmarked: np.ndarray | None = None,
    columns: bool = True,
) -> QueryResult:
    """Return the result of `text` over `table`'s rows stamped in [start, end).

    `where` narrows the rows first, like the range (the GUI's excluded sources). With
    `columns` false, a row result has only `rows` (its frame is empty): for a caller that
    shows the table's rows itself. `patterns` (the pattern id of each row, from the pattern
    engine) backs `@pattern`, and with `templates` (pattern id -> Template) `@token.<name>`;
    without them, a query that uses either mines the rows in range first. `bookmarked` (the
    table rows the reader marked) backs `@bookmarked`. Raises QueryError.
    """
    frame = table.lazy().with_row_index(ROW)
    if patterns is not None:
        frame = frame.with_columns(patterns.alias(PATTERN_COLUMN))
    if bookmarked is not None and "@bookmarked" in text.lower():
        marked = pl.Series(bookmarked, dtype=pl.UInt32)
        frame = frame.with_columns(pl.col(ROW).is_in(marked.implode()).alias(BOOKMARKED_COLUMN))
    if start is not None:
        frame = frame.filter(pl.col("ts") >= start)
    if end is not None:
        frame = frame.filter(pl.col("ts") < end)
    if where is not None:
        frame = frame.filter(where)
    if is_plain_search(text):
        found = search_condition(text, pl.col("message"))
        if found is not None:
            frame = frame.filter(found)
        return _rows(
            _in_time_order(frame),
            Scope(frame.collect_schema()),
            DEFAULT_FIELDS_OUTPUT,
            columns_wanted=columns,
        )
    commands = parse(text)
    if patterns is None and _uses_pattern_field(commands):
        frame, templates = _with_patterns(frame)
    return _run(frame, commands, columns=columns, templates=templates)


DEFAULT_FIELDS_OUTPUT: tuple[tuple[str, str], ...] = tuple((f, f) for f in DEFAULT_FIELDS)


def _uses_pattern_field(commands: list[Command]) -> bool:
    return any(
        isinstance(node, Field)
        and (node.name.lower() == "@pattern" or node.name.lower().startswith(TOKEN_PREFIX))
        for command in commands
        for node in walk(command)
    )


def _with_patterns(frame: pl.LazyFrame) -> tuple[pl.LazyFrame, dict]:
    """Return the rows with the pattern id of each, mined on them, and the templates."""
    from logview.core.analysis.patterns import mine_entries

    rows = frame.collect()
    if not rows.height:
        return rows.with_columns(pl.lit(None, dtype=pl.String).alias(PATTERN_COLUMN)).lazy(), {}
    mined = mine_entries(rows)
    return rows.with_columns(mined.ids.alias(PATTERN_COLUMN)).lazy(), mined.by_id


def _in_time_order(frame: pl.LazyFrame) -> pl.LazyFrame:
    """Return the rows in time order: the table keeps each source's rows together and their
    place in time in `seq`; sorting the rows left (after the filters) costs least."""
    return frame.sort("seq") if "seq" in frame.collect_schema() else frame


def _run(
    frame: pl.LazyFrame, commands: list[Command], *, columns: bool, templates: dict | None = None
) -> QueryResult:
    scope = Scope(frame.collect_schema(), templates=templates)
    ordered = "seq" not in scope.schema  # a table without `seq` is in time order already
    kind = "rows"
    time_series = False
    outputs: tuple[tuple[str, str], ...] | None = None  # (shown name, column)
    made = 0
    for command in commands:
        word = command.word
        if kind == "rows" and not ordered and word in ("sort", "limit", "dedup"):
            frame, ordered = _in_time_order(frame), True
        if word == "filter":
            assert command.condition is not None
            frame = frame.filter(condition(compile_expr(command.condition, scope), command.column))
        elif word in ("fields", "display"):
            shown: list[tuple[str, str]] = []
            additions: list[pl.Expr] = []
            for name, typed in output_columns(command.outputs, scope):
                column = f"__out{made}"
                made += 1
                additions.append(typed.expr.alias(column))
                scope.made[name] = Typed(pl.col(column), typed.type)
                shown.append((name, column))
            frame = frame.with_columns(additions)
            outputs = tuple(shown)
        elif word == "stats":
            if kind != "rows":
                raise QueryError(
                    "stats works on rows, not on a stats or pattern result", command.column
                )
            frame, scope = stats_command(frame, command, scope)
            kind, outputs = "stats", None
            time_series = any(isinstance(g, Bin) for g in command.groups)
        elif word == "sort":
            keys = [compile_expr(expr, scope).expr for expr, _, _ in command.order]
            frame = frame.sort(
                keys,
                descending=[d for _, _, d in command.order],
                nulls_last=True,
                maintain_order=True,
            )
        elif word == "limit":
            frame = frame.head(command.limit)
        elif word == "dedup":
            keys = [compile_expr(k, scope).expr for k in command.keys]
            names = [f"__dedup{i}" for i in range(len(keys))]
            frame = (
                frame.with_columns(k.alias(n) for k, n in zip(keys, names, strict=True))
                .unique(subset=names, keep="first", maintain_order=True)
                .drop(names)
            )
        elif word == "parse":
            frame, scope = _parse(frame, command, scope)
        elif word == "pattern":
            frame, scope = _pattern(frame, command, scope)
            kind, outputs = "patterns", None
    if kind == "rows":
        if not ordered:
            frame = _in_time_order(frame)
        return _rows(frame, scope, outputs or DEFAULT_FIELDS_OUTPUT, columns_wanted=columns)
    result = _collect(frame)
    if outputs:
        result = result.select(pl.col(c).alias(n) for n, c in outputs)
    return QueryResult(kind, result, None, time_series)


def _parse(frame: pl.LazyFrame, command: Command, scope: Scope) -> tuple[pl.LazyFrame, Scope]:
    assert command.source is not None
    source = text(compile_expr(command.source, scope), command.column)
    # Rust's regex names groups (?P<name>...); (?<name>...) is read the same way.
    regex = check_regex(re.sub(r"\(\?<(?=[A-Za-z_])", "(?P<", command.regex), command.column)
    glob = command.regex.startswith("(?s)")  # a glob's groups are numbered, a regex's named
    parts = source.str.extract_groups(regex)
    columns = []
    for i, name in enumerate(command.captures):
        column = f"__parse{command.column}_{i}"
        columns.append(parts.struct.field(str(i + 1) if glob else name).alias(column))
        scope.made[name] = Typed(pl.col(column), "str")
    return frame.with_columns(columns), scope


def _pattern(frame: pl.LazyFrame, command: Command, scope: Scope) -> tuple[pl.LazyFrame, Scope]:
    from logview.core.analysis.patterns import PATTERN, mine

    if command.source is None or (
        isinstance(command.source, Field) and command.source.name.lower() == "@message"
    ):
        # The entries' bodies, as the Patterns tab mines them (logview.core.shared.body).
        columns = [c for c in BODY_COLUMNS if c in scope.schema]
        rows = _collect(frame.select("ts", "level", "message", *columns))
    else:
        message = compile_expr(command.source, scope).expr
        rows = _collect(frame.select(pl.col("ts"), pl.col("level"), message.alias("message")))
    found = mine(rows)
    result = pl.DataFrame(
        {
            PATTERN: [p.id for p in found.patterns],
            "template": [p.template for p in found.patterns],
            "count": [p.count for p in found.patterns],
            "ratio": [p.ratio for p in found.patterns],
            "severity": [p.severity for p in found.patterns],
            "first": [p.first for p in found.patterns],
            "last": [p.last for p in found.patterns],
        },
        schema={
            PATTERN: pl.String,
            "template": pl.String,
            "count": pl.Int64,
            "ratio": pl.Float64,
            "severity": pl.String,
            "first": pl.Datetime("us", "UTC"),
            "last": pl.Datetime("us", "UTC"),
        },
    )
    made = Scope(pl.Schema(), aggregated=True)
    for name, dtype in result.schema.items():
        made.made[name] = Typed(
            pl.col(name),
            "num" if dtype.is_numeric() else "time" if isinstance(dtype, pl.Datetime) else "str",
        )
    return result.lazy(), made


def _rows(
    frame: pl.LazyFrame, scope: Scope, outputs: tuple[tuple[str, str], ...], *, columns_wanted: bool
) -> QueryResult:
    if not columns_wanted:
        # The caller shows table rows itself: building the columns would copy every message.
        result = _collect(frame.select(pl.col(ROW)))
        return QueryResult("rows", pl.DataFrame(), result[ROW], False)
    columns = []
    for shown, column in outputs:
        typed = scope.made.get(shown) if column == shown else Typed(pl.col(column), "str")
        if typed is None:
            typed = scope.field(shown)
        columns.append(typed.expr.alias(shown))
    result = _collect(frame.select(*columns, pl.col(ROW)))
    return QueryResult("rows", result.drop(ROW), result[ROW], False)


QUERY_FAILED = "query failed"  # how a query that parsed but did not run says so


def _collect(frame: pl.LazyFrame) -> pl.DataFrame:
    try:
        return frame.collect()
    except pl.exceptions.PolarsError as err:
        reason = str(err).strip().splitlines()[0][:200]
        raise QueryError(f"{QUERY_FAILED}: {reason}") from None
