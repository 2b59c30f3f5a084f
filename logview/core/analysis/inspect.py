"""Inspecting one pattern over the rows of a result: its histogram over the range, sample
entries, the values of each token, the patterns alongside it and, when comparing, the same
over the baseline (`inspect`, Qt-free; the inspect pane shows it)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np
import polars as pl

from logview.core.analysis.histogram import Histogram, histogram
from logview.core.analysis.pattern_templates import Template
from logview.core.analysis.pattern_view import pattern_rows, related_in, samples, token_values
from logview.core.analysis.patterns import Mined, TokenValues
from logview.core.analysis.related import Related, trace_field
from logview.core.analysis.view import View
from logview.core.shared.body import body_columns, body_lines
from logview.core.shared.display import format_stamp

SAMPLES = 12


@dataclass(frozen=True)
class Inspection:
    """What the pane shows of one pattern over the rows of the current result."""

    template: Template
    count: int
    histogram: Histogram
    samples: tuple[tuple[int, str, str], ...]  # table row, stamp text, first line
    tokens: tuple[TokenValues, ...]
    related: tuple[Related, ...]
    baseline: Histogram | None = None  # the pattern over the baseline, when comparing
    baseline_shift_us: int = 0
    baseline_label: str = ""
    baseline_shares: tuple[dict[str, float], ...] = ()  # per token: value -> share before


def inspect(
    table: pl.DataFrame,
    ids: pl.Series,
    rows: np.ndarray,
    template: Template,
    span: tuple[datetime | None, datetime | None] = (None, None),
    baseline: tuple[np.ndarray, int, str] | None = None,
) -> Inspection:
    """Return the inspection of `template`'s pattern over `rows` (table rows; `ids` are the
    table's pattern ids).

    The histogram covers `span` (the selected range; the data's whole span where a bound is
    None), so that it shows where in the range the pattern happens. `baseline` is (the rows
    the query returns over the baseline, the shift that lines the baseline up with the range
    in microseconds, its label)."""
    mine = pattern_rows(ids, rows, template.id)
    picked = samples(table, mine, SAMPLES)
    index = pl.Series(picked, dtype=pl.UInt32)
    lines = body_lines(table.select(body_columns(table)).gather(index)).to_frame()
    stamps = table["ts"].gather(index).to_list()
    shown = tuple(
        (int(r), format_stamp(s) if s else "", line)
        for r, s, line in zip(picked, stamps, lines.to_series().to_list(), strict=True)
    )
    frame = table.lazy().with_row_index("__row").filter(pl.col("__row").is_in(mine))
    start, end = span
    stamps = table["ts"]
    start = start or stamps.min()
    end = end or (stamps.max() + timedelta(microseconds=1) if stamps.max() else None)
    counts = histogram(frame.select("ts", "level"), start=start, end=end)
    trace = trace_field(table.columns)
    related = related_in(table, ids, rows, traces=trace).get(template.id, ())
    before = shares = None
    shift, label = 0, ""
    if baseline is not None:
        then_rows, shift, label = baseline
        theirs = pattern_rows(ids, then_rows, template.id)
        then_frame = table.lazy().with_row_index("__row").filter(pl.col("__row").is_in(theirs))
        lo = (start - timedelta(microseconds=shift)) if start else None
        hi = (end - timedelta(microseconds=shift)) if end else None
        before = histogram(then_frame.select("ts", "level"), start=lo, end=hi)
        shares = tuple(
            {v: c / max(theirs.size, 1) for v, c in values.top}
            for values in token_values(table, theirs, template, top=50)
        )
    return Inspection(
        template,
        int(mine.size),
        counts,
        shown,
        token_values(table, mine, template),
        related,
        before,
        shift,
        label,
        shares or (),
    )


def inspect_view(
    table: pl.DataFrame, mined: Mined, view: View, pattern_id: str
) -> Inspection | None:
    """Return the inspection of pattern `pattern_id` over the rows `view` matched, in its
    range and against its baseline when it compares (None: no such pattern, or a view of
    stats rather than rows)."""
    template = mined.by_id.get(pattern_id)
    if template is None or view.rows is None or view.result.rows is None:
        return None
    rows = view.result.rows.to_numpy().astype(np.int64, copy=False)
    baseline = None
    if view.comparison is not None and view.baseline_rows is not None:
        baseline = (view.baseline_rows, view.overlay_shift_us, view.comparison.label)
    span = (view.state.start, view.state.end)
    return inspect(table, mined.ids, rows, template, span, baseline)
