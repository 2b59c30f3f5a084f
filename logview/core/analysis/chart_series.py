"""The lines of a `stats ... by bin(...)` result, for the chart (polars and numpy only).

The first Datetime column is x, every numeric column a series, and where the result is also
grouped by other columns (`by level, bin(5m)`), one series per group value: the 10 largest by
total, the rest summed as "other". Integer columns (counts, sums of counts) read a missing bin
as 0; float columns (averages, percentiles) leave a gap.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

TOP_GROUPS = 10
OTHER = "other"
# Bins are filled in between the first and the last when there are at most this many.
_MAX_FILLED_BINS = 20_000
# Working column names, out of the way of a result's own columns.
_X, _GROUP = "\x00x", "\x00group"


@dataclass(frozen=True)
class ChartSeries:
    """One line: its name, x (seconds since the epoch) and y (NaN where there is no value)."""

    name: str
    x: np.ndarray
    y: np.ndarray
    is_other: bool = False


def chart_series(frame: pl.DataFrame) -> list[ChartSeries] | None:
    """Return the lines of a stats result, or None when it has no Datetime column to chart."""
    x_column = next((c for c, t in frame.schema.items() if isinstance(t, pl.Datetime)), None)
    if x_column is None:
        return None
    values = [c for c, t in frame.schema.items() if t.is_numeric()]
    groups = [
        c
        for c, t in frame.schema.items()
        if c != x_column and not t.is_numeric() and not t.is_temporal()
    ]
    frame = frame.filter(pl.col(x_column).is_not_null())
    if not values or frame.height == 0:
        return []
    micros = pl.col(x_column).dt.epoch("us").alias(_X)
    if not groups:
        grouped = frame.select(micros, *values, pl.lit("").alias(_GROUP))
        names = [""]
    else:
        key = pl.concat_str(
            [pl.col(g).cast(pl.String).fill_null("(none)") for g in groups], separator=" / "
        ).alias(_GROUP)
        ranked = (
            frame.group_by(key)
            .agg(pl.col(values[0]).sum().alias("total"))
            .sort(["total", _GROUP], descending=[True, False], nulls_last=True)[_GROUP]
            .to_list()
        )
        top = ranked[:TOP_GROUPS]
        label = pl.when(key.is_in(top)).then(key).otherwise(pl.lit(OTHER)).alias(_GROUP)
        # A sum of nothing but nulls stays null (a gap), not 0.
        sums = [pl.when(pl.col(v).count() > 0).then(pl.col(v).sum()).alias(v) for v in values]
        grouped = frame.group_by(micros, label).agg(sums)
        names = top + ([OTHER] if len(ranked) > TOP_GROUPS else [])
    grid = _bins(grouped[_X].unique().sort().to_numpy())
    x = grid / 1e6
    series = []
    for value in values:
        fill = 0.0 if frame.schema[value].is_integer() else np.nan
        for name in names:
            rows = grouped.filter(pl.col(_GROUP) == name)
            y = np.full(grid.size, fill, dtype=np.float64)
            y[np.searchsorted(grid, rows[_X].to_numpy())] = rows[value].cast(pl.Float64).to_numpy()
            label = _series_name(name, value, len(values), bool(groups))
            series.append(ChartSeries(label, x, y, is_other=bool(groups) and name == OTHER))
    return series


def _bins(present: np.ndarray) -> np.ndarray:
    """Return the bins to draw: every step from the first to the last when the present ones lie
    on one regular step (a bin with no rows is then shown as such), else the present ones."""
    if present.size < 3:
        return present
    step = int(np.diff(present).min())
    span = int(present[-1] - present[0])
    if step <= 0 or span // step + 1 > _MAX_FILLED_BINS or np.any((present - present[0]) % step):
        return present
    return np.arange(present[0], present[-1] + 1, step, dtype=np.int64)


def _series_name(group: str, value: str, n_values: int, grouped: bool) -> str:
    if not grouped:
        return value
    return group if n_values == 1 else f"{group} · {value}"
