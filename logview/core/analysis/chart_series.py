"""What the chart draws of a stats result (polars and numpy only): the lines of a
`stats ... by bin(...)` result, the bars of any other.

Lines: the first Datetime column is x, every numeric column a series, and where the result is
also grouped by other columns (`by level, bin(5m)`), one series per group value: the 10
largest by total, the rest summed as "other". Integer columns (counts, sums of counts) read a
missing bin as 0; float columns (averages, percentiles) leave a gap.

Bars (`bar_chart`): one group of bars per value of the first group field, the highest first;
with a second group field, the bars of a group are that field's values side by side. Groups
beyond MAX_GROUPS are left out with a note, not summed as "other": the rest of a column of
averages, maxima or distinct counts has no sum that means anything.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

TOP_GROUPS = 10
OTHER = "other"
NONE = "(none)"  # a group whose value is missing
# Bins are filled in between the first and the last when there are at most this many.
_MAX_FILLED_BINS = 20_000
# Working column names, out of the way of a result's own columns.
_X, _GROUP, _COLOUR = "\x00x", "\x00group", "\x00colour"


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
            [pl.col(g).cast(pl.String).fill_null(NONE) for g in groups], separator=" / "
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


# Bars: at most MAX_GROUPS groups along the axis and MAX_BARS bars in all (fewer groups, but
# never under MIN_GROUPS, when each holds several bars: a bar stays wider than a few letters of
# its label on a laptop's screen), and at most MAX_COLOURS series, so that no two share a
# colour of the palette.
MAX_GROUPS = 30
MAX_BARS = 60
MIN_GROUPS = 6
MAX_COLOURS = 8


@dataclass(frozen=True)
class BarSeries:
    """Bars of one colour: what they show (a value of the second group field, or a value
    column) and their height in each group (NaN where the result holds no value)."""

    name: str
    values: np.ndarray


@dataclass(frozen=True)
class BarChart:
    """The bars of a stats result: the groups along the axis (labels in full), the series
    drawn side by side in each group, what the groups and heights are, and what was left out."""

    groups: tuple[str, ...]
    series: tuple[BarSeries, ...]
    axis: str  # the first group field ("" when the groups are a one-row result's columns)
    value: str  # the value column the heights show ("" when the series name their columns)
    legend: str  # what the series are: the second group field, or ""
    notes: tuple[str, ...] = ()


def bar_chart(frame: pl.DataFrame) -> BarChart | None:
    """Return the bars of a stats result that is not a time series, or None when it has no
    row or no numeric column to draw.

    One row without group fields (`stats count(*), avg(ms)`) shows each value as a bar; by
    one group field, a bar per value column in each group; by two or more, the first value
    column only, the groups by the first field and the colours by the others.
    """
    values = [c for c, t in frame.schema.items() if t.is_numeric()]
    groups = [
        c
        for c, t in frame.schema.items()
        if not (t.is_numeric() or t.is_temporal() or t.is_nested())
    ]
    if not values or frame.height == 0:
        return None
    if not groups:
        return _ungrouped(frame, values)
    if len(groups) == 1:
        return _by_one_field(frame, groups[0], values)
    return _by_two_fields(frame, groups[0], groups[1:], values)


def _ungrouped(frame: pl.DataFrame, values: list[str]) -> BarChart:
    """Return the bars of a result without group fields: one row's values side by side, or,
    for several rows (a result whose groups were dropped), the rows in their order."""
    if frame.height == 1:
        heights = np.array([_number(frame[v][0]) for v in values], dtype=np.float64)
        return BarChart(tuple(values), (BarSeries("", heights),), "", "", "")
    shown, notes = _first_values(values)
    rows = min(frame.height, _groups_room(len(shown)))
    if rows < frame.height:
        notes += (f"{frame.height:,} rows: the first {rows} are shown",)
    series = tuple(BarSeries(v, _heights(frame[v].head(rows))) for v in shown)
    labels = tuple(str(i) for i in range(1, rows + 1))
    return BarChart(labels, series, "row", shown[0] if len(shown) == 1 else "", "", notes)


def _by_one_field(frame: pl.DataFrame, group: str, values: list[str]) -> BarChart:
    """Return a group per row, ordered by the first value column (highest first), with a
    bar per value column."""
    shown, notes = _first_values(values)
    ranked = frame.with_columns(_label(group)).sort(
        _height(frame, values[0]), descending=True, nulls_last=True, maintain_order=True
    )
    room = _groups_room(len(shown))
    if ranked.height > room:
        notes = (_cut_note(ranked.height, group, room, values[0]), *notes)
    kept = ranked.head(room)
    series = tuple(BarSeries(v, _heights(kept[v])) for v in shown)
    single = shown[0] if len(shown) == 1 else ""
    return BarChart(tuple(kept[_GROUP].to_list()), series, group, single, "", notes)


def _by_two_fields(frame: pl.DataFrame, first: str, rest: list[str], values: list[str]) -> BarChart:
    """Return the groups of the first field, the highest total first, each with a bar per
    value of the other fields (the highest MAX_COLOURS totals), showing the first value."""
    value = values[0]
    legend = " / ".join(rest)
    colour = pl.concat_str([_text(c) for c in rest], separator=" / ").alias(_COLOUR)
    cells = frame.select(_label(first), colour, _height(frame, value))
    groups = _ranked(cells, _GROUP, value)
    colours = _ranked(cells, _COLOUR, value)
    notes: tuple[str, ...] = ()
    if len(colours) > MAX_COLOURS:
        notes += (_cut_note(len(colours), legend, MAX_COLOURS, value),)
        colours = colours[:MAX_COLOURS]
    room = _groups_room(len(colours))
    if len(groups) > room:
        notes = (_cut_note(len(groups), first, room, value), *notes)
        groups = groups[:room]
    if len(values) > 1:
        notes += (f"only {value} is drawn: the colours show {legend}",)
    # A combination the result does not hold has no bar (not a bar of 0): each group then
    # holds the bars it has, side by side.
    grid = np.full((len(colours), len(groups)), np.nan, dtype=np.float64)
    where = {name: i for i, name in enumerate(groups)}
    which = {name: i for i, name in enumerate(colours)}
    inside = cells.filter(pl.col(_GROUP).is_in(groups) & pl.col(_COLOUR).is_in(colours))
    for group, name, height in inside.iter_rows():  # at most MAX_BARS cells (a repeat wins)
        grid[which[name], where[group]] = _number(height)
    series = tuple(BarSeries(name, grid[i]) for i, name in enumerate(colours))
    return BarChart(tuple(groups), series, first, value, legend, notes)


def bar_slots(chart: BarChart, band: float = 0.8) -> tuple[list[np.ndarray], float]:
    """Return where each series' bars stand (x, NaN where a group has no value of it) and
    their width: group g spans g - band/2 to g + band/2, its bars side by side in series order
    and centred, as wide as the fullest group allows."""
    present = np.isfinite(np.array([s.values for s in chart.series], dtype=np.float64))
    per_group = present.sum(axis=0)
    width = band / max(int(per_group.max(initial=0)), 1)
    before = np.cumsum(present, axis=0) - present  # bars left of each one in its group
    x = np.arange(len(chart.groups)) - per_group * width / 2 + (before + 0.5) * width
    return [np.where(row, xs, np.nan) for row, xs in zip(present, x, strict=True)], width


def _text(column: str) -> pl.Expr:
    """Return a group column as the text of its labels, a missing value named NONE."""
    return pl.col(column).cast(pl.String).fill_null(NONE)


def _label(column: str) -> pl.Expr:
    return _text(column).alias(_GROUP)


def _height(frame: pl.DataFrame, value: str) -> pl.Expr:
    """Return a value column with NaN read as no value: polars sorts NaN above every number,
    which would put a group without a value first."""
    column = pl.col(value)
    return column.fill_nan(None) if frame.schema[value].is_float() else column


def _ranked(cells: pl.DataFrame, key: str, value: str) -> list[str]:
    """Return the distinct values of `key`, the highest total of `value` first, ties in the
    result's order (the stats result is sorted by its groups)."""
    totals = cells.group_by(key, maintain_order=True).agg(pl.col(value).sum().alias("total"))
    ordered = totals.sort("total", descending=True, nulls_last=True, maintain_order=True)
    return ordered[key].to_list()


def _groups_room(bars_per_group: int) -> int:
    """Return how many groups are drawn when each holds `bars_per_group` bars."""
    return min(MAX_GROUPS, max(MIN_GROUPS, MAX_BARS // max(bars_per_group, 1)))


def _first_values(values: list[str]) -> tuple[list[str], tuple[str, ...]]:
    """Return the value columns drawn (the first MAX_COLOURS) and a note when some are not."""
    if len(values) <= MAX_COLOURS:
        return values, ()
    note = f"{len(values)} value columns: the first {MAX_COLOURS} are drawn"
    return values[:MAX_COLOURS], (note,)


def _cut_note(total: int, field: str, shown: int, value: str) -> str:
    """Return the note of groups left out: "412 values of path: the 30 with the highest
    count(*) are shown"."""
    return f"{total:,} values of {field}: the {shown} with the highest {value} are shown"


def _heights(column: pl.Series) -> np.ndarray:
    """Return a column's values as bar heights, NaN where there is none."""
    return column.cast(pl.Float64).fill_null(np.nan).to_numpy().astype(np.float64, copy=False)


def _number(value: object) -> float:
    return np.nan if value is None else float(value)  # type: ignore[arg-type]


def value_title(chart: BarChart | None) -> str:
    """Return the left axis' title: the value drawn, and by what the bars are coloured."""
    if chart is None or not chart.value:
        return ""
    return f"{chart.value} by {chart.legend}" if chart.legend else chart.value
