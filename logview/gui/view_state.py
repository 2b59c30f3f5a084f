"""What the window shows: the query, the time range, the sources left out and the context
size, turned into a result by the core in a worker (the tasks here run off the UI thread)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

import numpy as np
import polars as pl

from logview.core.context import with_context
from logview.core.errors import Cancelled
from logview.core.histogram import Histogram, histogram
from logview.core.ingest import Ingested, SourceOverride
from logview.core.pattern_view import PatternRows, summarise
from logview.core.patterns import Mined, mine_messages
from logview.core.query import QueryResult, run_query
from logview.core.query.chips import field_name
from logview.core.table import time_order
from logview.gui.workers import ingest_task

# Table columns -> the query field a click filters on (extras are their own names).
QUERY_FIELDS = {"level": "@level", "source": "@logStream", "line": "@line", "message": "@message"}


@dataclass(frozen=True)
class ViewState:
    """Everything that decides the rows shown."""

    query: str = ""
    start: datetime | None = None
    end: datetime | None = None
    excluded: frozenset[str] = field(default_factory=frozenset)
    context: int = 0

    def where(self) -> pl.Expr | None:
        if not self.excluded:
            return None
        return ~pl.col("source").cast(pl.String).is_in(sorted(self.excluded))

    def with_(self, **changes: Any) -> ViewState:
        return replace(self, **changes)


@dataclass(frozen=True)
class View:
    """A result ready to show."""

    state: ViewState
    result: QueryResult
    rows: np.ndarray | None  # table rows shown in the Logs table (row results)
    is_match: np.ndarray | None  # per shown row: a match (True) or context around one
    seconds: float
    histogram: Histogram | None = None  # the timeline, when the sources in scope changed
    patterns: PatternRows | None = None  # the patterns of the rows, once the table is mined


@dataclass(frozen=True)
class Loaded:
    """An ingest result with what the window needs of it computed off the UI thread."""

    ingested: Ingested
    order: np.ndarray  # the table's rows in time order


def load_task(
    paths: list[str],
    overrides: Mapping[str, SourceOverride],
    preview: Callable[[pl.DataFrame], None] | None = None,
) -> Callable:
    """Return a worker task that ingests `paths` and sorts the rows' time order; `preview`
    gets the first source read, before the merge."""
    ingesting = ingest_task(paths, overrides, preview=preview)

    def task(progress: Callable[[float, str], None], cancelled: Callable[[], bool]) -> Loaded:
        ingested = ingesting(progress, cancelled)
        return Loaded(ingested, time_order(ingested.table).to_numpy())

    return task


def mine_task(table: pl.DataFrame) -> Callable:
    """Return a worker task that mines the patterns of the whole table (ids and templates)."""

    def task(progress: Callable[[float, str], None], cancelled: Callable[[], bool]) -> Mined:
        return mine_messages(table["message"])

    return task


def query_task(
    table: pl.DataFrame,
    state: ViewState,
    order: np.ndarray | None,
    *,
    timeline: bool = False,
    mined: Mined | None = None,
) -> Callable:
    """Return a worker task that runs the state's query and adds the context rows (and the
    timeline's histogram of the sources in scope, when asked)."""

    def task(progress: Callable[[float, str], None], cancelled: Callable[[], bool]) -> View:
        import time

        started = time.monotonic()
        counts = histogram(table, where=state.where()) if timeline else None
        result = run_query(
            table,
            state.query,
            start=state.start,
            end=state.end,
            where=state.where(),
            columns=False,
            patterns=mined.ids if mined is not None else None,
        )
        if cancelled():
            raise Cancelled()
        rows = is_match = None
        if result.rows is not None:
            rows = result.rows.to_numpy().astype(np.int64, copy=False)
            if state.context and rows.size:
                rows, is_match = with_context(table, rows, state.context, order=order)
        patterns = None
        if mined is not None and result.rows is not None:
            matches = result.rows.to_numpy().astype(np.int64, copy=False)
            patterns = summarise(table, mined.ids, matches, mined.by_id)
        return View(state, result, rows, is_match, time.monotonic() - started, counts, patterns)

    return task


def filter_field(column: str) -> str:
    """Return the query field written for a table column."""
    return QUERY_FIELDS.get(column, field_name(column))


def parse_offset(text: str) -> timedelta:
    """Return a clock offset written like "+2h", "-90s", "1h30m", "-0:05:00"."""
    import re

    text = text.strip()
    sign = -1 if text.startswith("-") else 1
    body = text.lstrip("+-").strip()
    if re.fullmatch(r"\d+:\d{2}(:\d{2})?", body):
        parts = [int(p) for p in body.split(":")] + [0]
        return sign * timedelta(hours=parts[0], minutes=parts[1], seconds=parts[2])
    match = re.fullmatch(r"(?:(\d+)d)?\s*(?:(\d+)h)?\s*(?:(\d+)m)?\s*(?:(\d+(?:\.\d+)?)s)?", body)
    if not body or match is None or not any(match.groups()):
        raise ValueError(f"not an offset: {text!r} (write +2h, -90s, 1h30m or -0:05:00)")
    days, hours, minutes, seconds = (float(g) if g else 0.0 for g in match.groups())
    return sign * timedelta(days=days, hours=hours, minutes=minutes, seconds=seconds)
