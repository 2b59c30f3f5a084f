"""The report's charts as geometry: the timeline's bars, the baseline's step line and the
axes' ticks in pixels, computed once and drawn by both renderers (as SVG in HTML, as a PNG
beside Markdown), so that the two show the same chart."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np

from logview.core.investigation.report_rows import Timeline
from logview.core.shared.display import short_number

WIDTH, HEIGHT = 960, 240
LEFT, RIGHT, TOP, BOTTOM = 52, 14, 12, 36  # margins around the plot: the axes' labels
# The window's light palette (gui/theme.py's LEVEL_COLOURS and INFO_BAR_COLOURS): a report is
# printed and pasted on white.
LEVEL_COLOURS = {
    "FATAL": "#9c0d0d",
    "ERROR": "#d32f2f",
    "WARN": "#a86400",
    "INFO": "#8fb0d6",
    "DEBUG": "#7a7a7a",
    "TRACE": "#9a9a9a",
    "NONE": "#b0b0b0",
}
BASELINE_COLOUR = "#222222"
GRID_COLOUR = "#e3e3e3"
AXIS_COLOUR = "#555555"
# Tick steps in seconds a person reads at a glance, smallest first.
_STEPS = (
    1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200,
    86400, 2 * 86400, 7 * 86400, 14 * 86400, 30 * 86400, 91 * 86400, 365 * 86400,
)  # fmt: skip
_MAX_TICKS = 8
_LABEL_ROOM = 20  # pixels a tick's label needs right of it
_SPARKS = "\u2581\u2582\u2583\u2584\u2585\u2586\u2587\u2588"


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    colour: str


@dataclass(frozen=True)
class Tick:
    at: float  # pixels along its axis
    label: str
    second: str = ""  # a second line under an x tick: the date where it changes


@dataclass(frozen=True)
class Chart:
    """A timeline drawn in a WIDTH x HEIGHT box (pixels, y down)."""

    width: int
    height: int
    plot: tuple[float, float, float, float]  # left, top, right, bottom
    bars: tuple[Bar, ...]
    baseline: tuple[tuple[tuple[float, float], ...], ...]  # step lines, broken where it has no data
    x_ticks: tuple[Tick, ...]
    y_ticks: tuple[Tick, ...]
    bucket: str  # the width of a bar in words: "15 min"


def timeline_chart(t: Timeline, zone: str, width: int = WIDTH, height: int = HEIGHT) -> Chart:
    """Return the geometry of timeline `t` in a `width` x `height` box: stacked bars per
    level, the baseline as a step line over the same buckets, ticks in `zone`."""
    left, top, right, bottom = LEFT, TOP, width - RIGHT, height - BOTTOM
    n = len(t.starts_us)
    stacked = np.zeros(n, dtype=np.float64)
    most = float(t.totals.max()) if n else 0.0
    if t.baseline is not None:
        most = max(most, max((v for v in t.baseline if v is not None), default=0))
    top_value = _nice_top(most)
    step_x = (right - left) / max(n, 1)
    scale = (bottom - top) / top_value
    bars = []
    for level, counts in t.levels:  # seven levels; the buckets are arrays
        values = np.asarray(counts, dtype=np.float64)
        for i in np.flatnonzero(values):
            y1 = bottom - stacked[i] * scale
            h = values[i] * scale
            bars.append(Bar(left + i * step_x + step_x * 0.06, y1 - h, step_x * 0.88, h,
                            LEVEL_COLOURS.get(level, LEVEL_COLOURS["NONE"])))  # fmt: skip
        stacked += values
    lines: list[tuple[tuple[float, float], ...]] = []
    if t.baseline is not None:
        run: list[tuple[float, float]] = []
        for i, value in enumerate(t.baseline):  # buckets: a few hundred at most
            if value is None:
                if run:
                    lines.append(tuple(run))
                run = []
                continue
            y = bottom - value * scale
            run += [(left + i * step_x, y), (left + (i + 1) * step_x, y)]
        if run:
            lines.append(tuple(run))
    start = t.starts_us[0] if n else 0
    span_us = n * t.width_us
    x_ticks = _time_ticks(
        start, span_us, zone, lambda us: left + (us - start) / span_us * (right - left), width
    )
    y_ticks = tuple(Tick(bottom - v * scale, short_number(v)) for v in np.linspace(0, top_value, 5))
    return Chart(width, height, (left, top, right, bottom), tuple(bars), tuple(lines), x_ticks,
                 y_ticks, _duration(t.width_us))  # fmt: skip


def spark_points(values: tuple[int, ...], width: float, height: float) -> list[tuple[float, float]]:
    """Return a sparkline's points in a `width` x `height` box (y down), one per value."""
    if not values:
        return []
    most = max(values) or 1
    step = width / max(len(values) - 1, 1)
    return [(i * step, height - 1 - v / most * (height - 2)) for i, v in enumerate(values)]


def spark_text(values: tuple[int, ...], width: int = 20) -> str:
    """Return a sparkline in block characters, `values` summed into at most `width` cells."""
    if not values:
        return ""
    cells = np.array_split(np.asarray(values, dtype=np.int64), min(width, len(values)))
    sums = np.array([c.sum() for c in cells])
    most = sums.max() or 1
    return (
        "".join(_SPARKS[int(round(v / most * 7))] if v else " " for v in sums).rstrip()
        or _SPARKS[0]
    )


def _nice_top(value: float) -> float:
    """Return the axis top for `value`: 1, 2, 2.5 or 5 times a power of ten, at least 4."""
    if value <= 4:
        return 4.0
    power = 10 ** math.floor(math.log10(value))
    for m in (1, 2, 2.5, 5, 10):
        if value <= m * power:
            return m * power
    return 10 * power


def _time_ticks(
    start_us: int, span_us: int, zone: str, x_of: Callable[[float], float], width_px: float
) -> tuple[Tick, ...]:
    """Return ticks at round local times of `zone` over the span, dates under the first tick
    and where the day changes."""
    if span_us <= 0:
        return ()
    span_s = span_us / 1e6
    step = next((s for s in _STEPS if span_s / s <= _MAX_TICKS), _STEPS[-1])
    local = ZoneInfo(zone)
    first = datetime.fromtimestamp(start_us / 1e6, UTC).astimezone(local).replace(tzinfo=None)
    midnight = first.replace(hour=0, minute=0, second=0, microsecond=0)
    if step >= 86400:
        midnight = midnight.replace(day=1) if step >= 30 * 86400 else midnight
    k = math.ceil((first - midnight).total_seconds() / step)
    ticks = []
    last_date = None
    for j in range(_MAX_TICKS + 2):  # at most a few ticks
        wall = midnight + timedelta(seconds=(k + j) * step)
        moment = wall.replace(tzinfo=local)
        us = moment.timestamp() * 1e6
        if us > start_us + span_us:
            break
        if us < start_us or x_of(us) > width_px - _LABEL_ROOM:
            continue  # (a label at the right edge would be cut)
        if step >= 86400:
            label, second = (
                f"{wall:%m-%d}",
                f"{wall:%Y}" if last_date is None or wall.year != last_date.year else "",
            )
        else:
            label = f"{wall:%H:%M:%S}" if step < 60 else f"{wall:%H:%M}"
            second = f"{wall:%m-%d}" if last_date is None or wall.date() != last_date.date() else ""
        last_date = wall
        ticks.append(Tick(x_of(us), label, second))
    return tuple(ticks)


def _duration(width_us: int) -> str:
    """Return a bucket width in words: "500 ms", "30 s", "15 min", "3 h", "7 d"."""
    for unit, name in (
        (86_400_000_000, "d"),
        (3_600_000_000, "h"),
        (60_000_000, "min"),
        (1_000_000, "s"),
    ):
        if width_us >= unit and width_us % unit == 0:
            return f"{width_us // unit} {name}"
    return f"{width_us / 1000:g} ms"
