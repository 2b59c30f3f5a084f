"""What a view of a table is and how it is computed: the query, its time range, the sources
left out, the context size and the comparison (`ViewState`), turned into the rows, timeline,
patterns and comparison to show (`compute_view`).

The window runs `compute_view` in a worker; the headless commands use the same pieces
(`compare.sources_range`, `baseline_range`), so the two cannot disagree.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

import numpy as np
import polars as pl

from logview.core.analysis.compare import (
    STATUS_RANK,
    Comparison,
    Range,
    baseline_range,
    compare_rows,
    compare_tables,
    format_duration,
    sources_range,
)
from logview.core.analysis.context import with_context
from logview.core.analysis.histogram import Histogram, histogram
from logview.core.analysis.pattern_view import PatternRows, summarise
from logview.core.analysis.patterns import PATTERN, Mined
from logview.core.analysis.query import QueryResult, run_query
from logview.core.analysis.query.chips import field_name
from logview.core.shared.body import body_columns
from logview.core.shared.display import zone_of
from logview.core.shared.errors import Cancelled, LogviewError

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
    compare: str | None = None  # "previous-day", ..., "offset"; None: no comparison
    compare_offset: timedelta | None = None  # for "offset"

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
    comparison: Comparison | None = None  # against the baseline, when comparing
    overlay: Histogram | None = None  # the baseline's timeline
    overlay_shift_us: int = 0  # how far the baseline moves to line up with the range
    baseline_rows: np.ndarray | None = None  # the rows the query returns over the baseline

    def summary(self, total: int) -> str:
        """One line on what is shown: entries of the `total` (or result rows), and how fast."""
        took = f" · query {self.seconds * 1000:.0f} ms"
        if self.rows is None:
            return f"{self.result.frame.height:,} result rows{took}"
        matched = len(self.rows) if self.is_match is None else int(self.is_match.sum())
        around = "" if self.is_match is None else f" (+{len(self.rows) - matched:,} around them)"
        return f"{matched:,} of {total:,} entries{around}{took}"


def compute_view(
    table: pl.DataFrame,
    state: ViewState,
    order: np.ndarray | None,
    *,
    timeline: bool = False,
    mined: Mined | None = None,
    baseline: pl.DataFrame | None = None,
    bookmarked: np.ndarray | None = None,
    cancelled: Callable[[], bool] = lambda: False,
) -> View:
    """Return what `state` shows of `table`: the query's rows with their context, the
    timeline (with `timeline`: `timeline_of`), the patterns of the rows (once the table is
    `mined`) and the comparison the state asks for (with `baseline`, the other sources).
    `order` is the table's time order, when known; `bookmarked` the rows marked (for
    `@bookmarked`)."""
    started = time.monotonic()
    result = run_query(
        table,
        state.query,
        start=state.start,
        end=state.end,
        where=state.where(),
        columns=False,
        patterns=mined.ids if mined is not None else None,
        templates=mined.by_id if mined is not None else None,
        bookmarked=bookmarked,
    )
    if cancelled():
        raise Cancelled()
    counts = timeline_of(table, state, result.rows) if timeline else None
    rows = is_match = None
    if result.rows is not None:
        rows = result.rows.to_numpy().astype(np.int64, copy=False)
        if state.context and rows.size:
            where = state.where()  # sources left out give no context either
            eligible = None if where is None else table.select(where).to_series().to_numpy()
            rows, is_match = with_context(
                table, rows, state.context, order=order, eligible=eligible
            )
    patterns = comparison = overlay = baseline_rows = None
    shift = 0
    if mined is not None and result.rows is not None:
        matches = result.rows.to_numpy().astype(np.int64, copy=False)
        patterns = summarise(table, mined.ids, matches, mined.by_id)
        if state.compare == "sources" and baseline is not None:
            comparison, overlay, shift = _compare_sources(table, baseline, state, mined, matches)
        elif state.compare and state.compare != "sources":
            comparison, overlay, shift, baseline_rows = _compare(
                table, state, mined, matches, bookmarked
            )
        if comparison is not None and comparison.warning is None:
            # (An empty baseline makes every pattern "new": the patterns stay as they are and
            # the comparison's summary says why.)
            patterns = _with_comparison(patterns, comparison)
    return View(
        state, result, rows, is_match, time.monotonic() - started, counts, patterns,
        comparison, overlay, shift, baseline_rows,
    )  # fmt: skip


def timeline_of(table: pl.DataFrame, state: ViewState, rows: pl.Series | None) -> Histogram:
    """Return the timeline of a result: its entries (`rows`, the query's; every entry of the
    sources in scope for a result of stats) counted over the range selected, or over the
    span of the sources in scope when none is, so that the axis stays put as the query
    changes and zooms in with the range."""
    where = state.where()
    start, end = state.start, state.end
    if start is None or end is None:
        scope = table.lazy() if where is None else table.lazy().filter(where)
        span = scope.select(first=pl.col("ts").min(), last=pl.col("ts").max()).collect()
        first, last = span.row(0)
        start = start or first
        end = end or (last + timedelta(microseconds=1) if last is not None else None)
    if rows is None:
        return histogram(table, start=start, end=end, where=where)
    # Series gathers: an eager select of the table would first merge its chunks (0.9 s at 5M).
    entries = pl.DataFrame([table["ts"].gather(rows), table["level"].gather(rows)])
    return histogram(entries, start=start, end=end)


def _compare(
    table: pl.DataFrame,
    state: ViewState,
    mined: Mined,
    matches: np.ndarray,
    bookmarked: np.ndarray | None = None,
) -> tuple[Comparison, Histogram, int, np.ndarray]:
    """Return the comparison of the rows shown with the same query over the baseline range,
    the baseline's timeline, the shift that lines it up with the range shown, and the
    baseline's rows."""
    stamps = table["ts"]
    first, last = stamps.min(), stamps.max()
    if first is None:
        raise LogviewError("no entry has a time stamp: nothing to compare")
    now = Range(state.start or first, state.end or last + timedelta(microseconds=1))  # type: ignore[arg-type, operator]
    then = baseline_range(now, state.compare or "previous-period", state.compare_offset)
    before = run_query(
        table, state.query, start=then.start, end=then.end, where=state.where(),
        columns=False, patterns=mined.ids, templates=mined.by_id, bookmarked=bookmarked,
    )  # fmt: skip
    then_rows = (
        before.rows.to_numpy().astype(np.int64, copy=False)
        if before.rows is not None
        else np.array([], dtype=np.int64)
    )
    label = compare_label(state.compare, state.compare_offset)
    comparison = compare_rows(
        table, mined.ids, mined.by_id, matches, then_rows, now, then, label=label
    )
    overlay = histogram(table, start=then.start, end=then.end, where=state.where())
    shift = int((now.start - then.start).total_seconds() * 1_000_000)
    return comparison, overlay, shift, then_rows


def _compare_sources(
    table: pl.DataFrame,
    baseline: pl.DataFrame,
    state: ViewState,
    mined: Mined,
    matches: np.ndarray,
) -> tuple[Comparison, Histogram, int]:
    """Return the comparison of the rows shown with the same query over another set of
    sources, aligned by offset from each one's first entry; both are mined together and the
    result's patterns are named by this table's ids where the templates agree."""
    first, last = table["ts"].min(), table["ts"].max()
    if first is None:
        raise LogviewError("no entry has a time stamp: nothing to compare")
    now = Range(state.start or first, state.end or last + timedelta(microseconds=1))  # type: ignore[arg-type, operator]
    then = sources_range(now, table, baseline)
    before = run_query(baseline, state.query, start=then.start, end=then.end, columns=False)
    index_now = pl.Series(matches, dtype=pl.UInt32)
    now_rows = table.select("ts", "level", *body_columns(table))
    now_rows = now_rows[index_now] if matches.size else now_rows.head(0)
    then_rows = baseline.select("ts", "level", *body_columns(baseline))
    then_rows = then_rows[before.rows] if before.rows is not None else then_rows.head(0)
    comparison, _, _ = compare_tables(now_rows, then_rows, now, then, label="the other sources")
    by_text = {t.text: pid for pid, t in mined.by_id.items()}
    renamed = tuple(replace(c, id=by_text.get(c.template, c.id)) for c in comparison.patterns)
    comparison = replace(comparison, patterns=renamed)
    overlay = histogram(baseline, start=then.start, end=then.end)
    shift = int((now.start - then.start).total_seconds() * 1_000_000)
    return comparison, overlay, shift


def compare_label(against: str | None, offset: timedelta | None) -> str:
    if against == "offset" and offset is not None:
        return f"{format_duration(offset)} earlier"
    return (against or "").replace("-", " ")


def _with_comparison(patterns: PatternRows, comparison: Comparison) -> PatternRows:
    """Return the pattern rows with before, change and status columns, gone patterns added,
    new ones first."""
    scale = comparison.now.hours / comparison.then.hours
    deltas = [c.now - c.then * scale for c in comparison.patterns]
    spread = sum(abs(d) for d in deltas) or 1.0
    changes = pl.DataFrame(
        {
            PATTERN: [c.id for c in comparison.patterns],
            "explains": [d / spread for d in deltas],
            "before": [c.then for c in comparison.patterns],
            "change_pct": [c.change_pct for c in comparison.patterns],
            "status": [c.status for c in comparison.patterns],
            "gone_template": [c.template for c in comparison.patterns],
            "gone_severity": [c.severity for c in comparison.patterns],
        },
        schema={PATTERN: pl.String, "explains": pl.Float64, "before": pl.Int64,
                "change_pct": pl.Float64,
                "status": pl.String, "gone_template": pl.String, "gone_severity": pl.String},
    )  # fmt: skip
    frame = patterns.frame.join(changes, on=PATTERN, how="full", coalesce=True)
    frame = (
        frame.with_columns(
            pl.col("template").fill_null(pl.col("gone_template")),
            pl.col("severity").fill_null(pl.col("gone_severity")),
            pl.col("count").fill_null(0),
            pl.col("ratio").fill_null(0.0),
            pl.col("spark").fill_null(pl.lit([], dtype=pl.List(pl.UInt32))),
            rank=pl.col("status").replace_strict(STATUS_RANK, default=3, return_dtype=pl.Int32),
        )
        .sort(["rank", "count"], descending=[False, True])
        .drop("gone_template", "gone_severity", "rank")
    )
    return PatternRows(frame, patterns.spark_start, patterns.spark_width_us)


@dataclass(frozen=True)
class AnomalyView:
    """How an anomaly is inspected: the state to show and, in words, what changed."""

    state: ViewState
    said: str


def inspect_anomaly_state(
    state: ViewState,
    start: datetime,
    end: datetime,
    first: datetime | None,
    zone: str | None = None,
) -> AnomalyView:
    """Return the state that inspects an anomaly of [start, end): its window, the reader's
    query kept, compared with a time before the anomaly that its detection took as normal:
    the previous day where the data holds it (the seasonal baseline), else the hour before
    (the recent one), else the data's beginning. `first` is the data's first stamp; the
    window is said in `zone` (an IANA name; None is UTC)."""
    length = end - start
    if first is not None and start - timedelta(days=1) >= first:
        compare, offset, against = "previous-day", None, "the previous day"
    elif first is not None and start - timedelta(hours=1) >= first:
        compare, offset, against = "offset", timedelta(hours=1), "the hour before"
    else:
        back = max(start - first, length) if first is not None else length
        compare, offset, against = "offset", back, "the data's beginning"
    changed = state.with_(start=start, end=end, compare=compare, compare_offset=offset)
    kept = f"; your query \u201c{state.query}\u201d is kept" if state.query.strip() else ""
    local = zone_of(zone)
    window = f"{start.astimezone(local):%Y-%m-%d %H:%M} \u2013 {end.astimezone(local):%H:%M}"
    said = (f"Inspecting the anomaly: the range is its window, {window} {zone or 'UTC'}, "
            f"compared with {against}{kept}.")  # fmt: skip
    return AnomalyView(changed, said)


def shows_what_was_asked(view: View, tab: str, comparing: bool) -> bool:
    """Return whether `view`, just shown, is what a screenshot of `tab` (logs, patterns, ...) waits for.

    A stats or patterns result is final as it comes: it has no entries whose patterns could
    be mined or compared (waiting for them hung the screenshot). A result of entries waits
    for its comparison when one was asked for, and on the Patterns tab for its patterns.
    """
    if view.rows is None:
        return True
    if comparing and view.comparison is None:
        return False
    return tab != "patterns" or view.patterns is not None


def filter_field(column: str) -> str:
    """Return the query field written for a table column."""
    return QUERY_FIELDS.get(column, field_name(column))
