"""The timeline: entries per time bucket as bars stacked by level, and the selected time range.

The bars come from `core.analysis.histogram.histogram` (one `BarGraphItem` per level, ERROR and FATAL on
top so that spikes stand out). The selection is made by dragging on the plot: the view box turns
a left-button drag into a `LinearRegionItem` (snapped to a round time), and the region itself
can then be moved or its edges dragged. Either way `range_selected` is emitted once, when the
mouse is released. A double click emits `range_reset`. The wheel and the mouse never pan or
zoom the data: the range shown is always the histogram's.

`TimeAxis` (stamps in any IANA zone, on round local times) and `CountAxis` (compact counts) are
shared with the chart of `stats ... by bin()` results.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

import numpy as np
import pyqtgraph as pg
from PySide6 import QtGui
from PySide6.QtCore import QEvent, QPointF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFontMetricsF, QPalette
from PySide6.QtWidgets import QLabel, QSizePolicy, QStackedLayout, QToolTip, QVBoxLayout, QWidget

from logview.core.analysis.histogram import Histogram, nice_width, to_datetime
from logview.core.shared.display import bucket_span, short_number, zone_of
from logview.gui.theme import INFO_BAR_COLOURS, LEVEL_COLOURS, is_dark

# Stacking order, bottom to top: the levels that matter most sit on top of each bar.
STACK_ORDER = ("NONE", "TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL")
_EPOCH_NAIVE = datetime(1970, 1, 1)
_DAY = 86_400.0
# Tick steps in seconds below a day; longer steps are days, months and years (`TimeAxis`).
_SUBDAY_STEPS = (
    0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5,
    1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200,
)  # fmt: skip
_DAY_STEPS = (1, 2, 7, 14)  # days; a week step falls on Mondays
_MONTH_STEPS = (1, 2, 3, 6, 12, 24, 60, 120, 600, 1200)  # months
_MAX_TICKS = 200


def level_colours(dark: bool) -> dict[str, QColor]:
    """Return the bar colour of every level, for a light or a dark palette."""
    pairs = {**LEVEL_COLOURS, "INFO": INFO_BAR_COLOURS}
    return {level: QColor(pair[int(dark)]) for level, pair in pairs.items()}


def plot_or_hint(
    owner: QWidget, plot: QWidget, text: str, *, wrap: bool = False
) -> tuple[QLabel, QStackedLayout]:
    """Lay `owner` out as `plot`, or a plain-text hint (`text`) shown in its place.

    Returns the hint and the stack; the stack's current widget says which one shows.
    """
    hint = QLabel(text)
    hint.setTextFormat(Qt.TextFormat.PlainText)
    hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
    hint.setWordWrap(wrap)
    stack = QStackedLayout()
    stack.addWidget(plot)
    stack.addWidget(hint)
    layout = QVBoxLayout(owner)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addLayout(stack)
    return hint, stack


def plain_tooltip(text: str) -> str:
    """Return `text` as a tooltip that shows it verbatim.

    QToolTip renders anything that looks like HTML as rich text, so a "<" in a value could
    become markup; the escaped form with line breaks always shows the text as written.
    """
    return QtGui.Qt.convertFromPlainText(text, QtGui.Qt.WhiteSpaceMode.WhiteSpaceNormal)


class TimeAxis(pg.AxisItem):
    """A bottom axis of seconds since the epoch, labelled in a time zone on round local times."""

    def __init__(self, tz: str | None = None, **kwargs) -> None:
        super().__init__("bottom", **kwargs)
        self.enableAutoSIPrefix(False)
        self._zone = zone_of(tz)

    def set_time_zone(self, tz: str | None) -> None:
        """Label ticks in `tz` (an IANA name; None is UTC)."""
        self._zone = zone_of(tz)
        self.picture = None
        self.update()

    def tickValues(self, minVal: float, maxVal: float, size: float) -> list:
        if size <= 0 or not maxVal > minVal or not math.isfinite(maxVal - minVal):
            return []
        seconds_per_px = (maxVal - minVal) / size
        for step in self._steps():
            if step / seconds_per_px >= self._label_px(step):
                try:
                    return [(step, self._ticks(minVal, maxVal, step))]
                except (OverflowError, OSError, ValueError):
                    return []  # a range past what datetime can hold: no ticks rather than a crash
        return []

    def tickStrings(self, values: list[float], scale: float, spacing: float) -> list[str]:
        return [self._label(value, spacing) for value in values]

    # -- steps and their ticks -------------------------------------------------------------
    @staticmethod
    def _steps() -> list[float]:
        """Return every tick step in seconds, finest first (days and months as their length)."""
        days = [n * _DAY for n in _DAY_STEPS]
        months = [n * 30.5 * _DAY for n in _MONTH_STEPS]
        return [*_SUBDAY_STEPS, *days, *months]

    def _label_px(self, step: float) -> float:
        """Return the room a label of this step needs, gap included."""
        sample = self._label(0.0, step) if step < _DAY else "Mar 30"
        metrics = QFontMetricsF(self.style["tickFont"] or self.font())
        return metrics.horizontalAdvance(sample) + 3 * metrics.averageCharWidth()

    def _ticks(self, low: float, high: float, step: float) -> list[float]:
        """Return the UTC seconds of the round local times every `step` in [low, high]."""
        zone = self._zone
        if step < _DAY:
            # Walk the local clock and map each round local time back to UTC (DST-safe).
            offset = self._local(low).utcoffset().total_seconds()
            first = math.floor((low + offset) / step) * step
            count = min(int((high - low) / step) + 3, _MAX_TICKS)
            locals_ = (first + i * step for i in range(count))
            ticks = {self._utc(t) for t in locals_}
        elif step < 28 * _DAY:
            days = round(step / _DAY)
            day = self._local(low).date()
            if days == 7:
                day -= timedelta(days=day.weekday())
            else:
                day -= timedelta(days=(day - _EPOCH_NAIVE.date()).days % days)
            ticks = set()
            for i in range(_MAX_TICKS):
                moment = datetime.combine(day + timedelta(days=i * days), datetime.min.time(), zone)
                ticks.add(moment.timestamp())
                if moment.timestamp() > high:
                    break
        else:
            months = round(step / (30.5 * _DAY))
            first = self._local(low)
            index = (first.year * 12 + first.month - 1) // months * months
            ticks = set()
            for i in range(_MAX_TICKS):
                year, month = divmod(index + i * months, 12)
                if not 1 <= year <= 9999:
                    break
                moment = datetime(year, month + 1, 1, tzinfo=zone).timestamp()
                ticks.add(moment)
                if moment > high:
                    break
        return sorted(t for t in ticks if low <= t <= high)

    def _local(self, seconds: float) -> datetime:
        return datetime.fromtimestamp(seconds, UTC).astimezone(self._zone)

    def _utc(self, local_seconds: float) -> float:
        naive = _EPOCH_NAIVE + timedelta(seconds=local_seconds)
        return naive.replace(tzinfo=self._zone).timestamp()

    def _label(self, value: float, step: float) -> str:
        try:
            moment = self._local(value)
        except (OverflowError, OSError, ValueError):
            return ""
        if step < 1:
            return moment.strftime("%H:%M:%S.%f")[:-3]
        if step < 60:
            return moment.strftime("%H:%M:%S")
        if step < _DAY:
            if moment.hour == 0 and moment.minute == 0:
                return f"{moment:%b} {moment.day}"  # midnight: the day, not 00:00
            return moment.strftime("%H:%M")
        if step < 28 * _DAY:
            return f"{moment:%b} {moment.day}"
        if step < 360 * _DAY and moment.month != 1:
            return moment.strftime("%b")
        return moment.strftime("%Y")


class CountAxis(pg.AxisItem):
    """A left axis of counts written short: 950, 1.2k, 3M."""

    def __init__(self, **kwargs) -> None:
        super().__init__("left", **kwargs)
        self.enableAutoSIPrefix(False)

    def tickStrings(self, values: list[float], scale: float, spacing: float) -> list[str]:
        return [short_number(v) for v in values]


class _SelectionViewBox(pg.ViewBox):
    """A view box that neither pans nor zooms: a left drag selects, a double click resets."""

    def __init__(self, timeline: Timeline) -> None:
        super().__init__(enableMenu=False)
        self.setMouseEnabled(x=False, y=False)
        self._timeline = timeline

    def mouseDragEvent(self, ev, axis=None) -> None:
        if ev.button() != Qt.MouseButton.LeftButton or axis is not None:
            ev.ignore()
            return
        ev.accept()
        first = self.mapSceneToView(ev.buttonDownScenePos()).x()
        here = self.mapSceneToView(ev.scenePos()).x()
        self._timeline._on_drag(first, here, finished=ev.isFinish())

    def mouseClickEvent(self, ev) -> None:
        if ev.double() and ev.button() == Qt.MouseButton.LeftButton:
            ev.accept()
            self._timeline._on_double_click()
        else:
            ev.ignore()

    def wheelEvent(self, ev, axis=None) -> None:
        ev.ignore()  # let the window scroll; the data range never changes by accident


class Timeline(QWidget):
    """Entries per time bucket, stacked by level, with the selected time range over them."""

    range_selected = Signal(object, object)  # start, end: aware UTC datetimes
    range_reset = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._histogram: Histogram | None = None
        self._tz: str | None = None
        self._quiet = False
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

        self.axis = TimeAxis()
        self.count_axis = CountAxis()
        self.view_box = _SelectionViewBox(self)
        self.plot = pg.PlotWidget(
            viewBox=self.view_box, axisItems={"bottom": self.axis, "left": self.count_axis}
        )
        item = self.plot.getPlotItem()
        item.hideButtons()
        item.setMenuEnabled(False)
        item.layout.setContentsMargins(2, 4, 20, 0)
        self.count_axis.setWidth(36)
        self.count_axis.setStyle(tickLength=-4, maxTickLevel=0)
        self.axis.setStyle(tickLength=-4, hideOverlappingLabels=24)  # edge labels may overhang
        self.axis.setHeight(20)
        self.plot.setFocusPolicy(Qt.FocusPolicy.NoFocus)

        self.bars: dict[str, pg.BarGraphItem] = {}
        for level in STACK_ORDER:
            bar = pg.BarGraphItem(x0=[], width=[], height=[], y0=[], pen=pg.mkPen(None))
            self.plot.addItem(bar)
            self.bars[level] = bar
        # The baseline of a comparison, shifted onto the current range: a dashed step line.
        self.overlay = pg.PlotDataItem(stepMode="center")
        self.overlay.setZValue(5)
        self.plot.addItem(self.overlay)
        # What the bars and the line are, above the plot while comparing (a legend over the
        # plot would hide the bars it explains).
        self.legend = QLabel()
        self.legend.setTextFormat(Qt.TextFormat.PlainText)
        self.legend.setAlignment(Qt.AlignmentFlag.AlignRight)
        small = self.legend.font()
        small.setPointSizeF(small.pointSizeF() * 0.85)
        self.legend.setFont(small)
        self.legend.hide()
        self.region = pg.LinearRegionItem(orientation="vertical", swapMode="sort")
        self.region.setZValue(10)
        self.region.hide()
        self.region.sigRegionChangeFinished.connect(self._on_region_changed)
        self.plot.addItem(self.region)
        self.plot.scene().sigMouseMoved.connect(self._on_mouse_moved)

        self.hint, self._stack = plot_or_hint(self, self.plot, "No time stamps to chart.")
        self.layout().insertWidget(0, self.legend)
        self.plot.setToolTip(
            "The entries of the result over the range shown. Drag to zoom in on a time range, "
            "double-click to see all of it; Back (Alt+Left) returns to the range before."
        )
        self._apply_palette()
        self.set_histogram(None)

    def sizeHint(self) -> QSize:
        return QSize(600, 110)

    # -- public API ------------------------------------------------------------------------
    def set_histogram(self, h: Histogram | None) -> None:
        """Draw `h` (None or a histogram without buckets shows a hint instead)."""
        self._histogram = h
        if h is None or h.starts.size == 0:
            for bar in self.bars.values():
                bar.setOpts(x0=[], width=[], height=[], y0=[])
            self._stack.setCurrentWidget(self.hint)
            return
        self._stack.setCurrentWidget(self.plot)
        x0 = h.starts / 1e6
        width = h.width_us / 1e6
        bottom = np.zeros(h.starts.size, dtype=np.float64)
        for level in STACK_ORDER:
            counts = h.counts[level].astype(np.float64)
            # A sliver between bars reads as columns; the bars of one bucket touch.
            self.bars[level].setOpts(
                x0=x0 + width * 0.06, width=width * 0.88, y0=bottom.copy(), height=counts
            )
            bottom += counts
        low, high = float(x0[0]), float(x0[-1] + width)
        top = max(bottom.max(), 1) * 1.08
        self.view_box.setRange(xRange=(low, high), yRange=(0, top), padding=0)
        self.region.setBounds((low, high))

    def set_overlay(self, h: Histogram | None, shift_us: int = 0, label: str = "") -> None:
        """Draw a baseline's counts as a dashed step line over this timeline's buckets, moved
        `shift_us` later so that it lines up with the range it is compared with (None removes
        it). The baseline's buckets are summed into this timeline's, so both read on one axis."""
        main = self._histogram
        if h is None or h.starts.size == 0 or main is None or main.starts.size == 0:
            self.overlay.setData([], [])
            self.legend.hide()
            return
        index = (h.starts + shift_us - main.starts[0]) // main.width_us
        inside = (index >= 0) & (index < main.starts.size)
        if not inside.any():
            self.overlay.setData([], [])
            self.legend.hide()
            return
        sums = np.bincount(index[inside], weights=h.totals[inside], minlength=main.starts.size)
        low, high = int(index[inside].min()), int(index[inside].max())
        edges = np.r_[main.starts[low : high + 1], main.starts[high] + main.width_us]
        colour = self.palette().color(QPalette.ColorRole.Text)
        self.overlay.setData(edges / 1e6, sums[low : high + 1])
        self.overlay.setPen(pg.mkPen(colour, width=2, style=Qt.PenStyle.DashLine))
        self.legend.setText(f"bars: now    dashed line: {label or 'the baseline'}")
        self.legend.show()

    def set_marks(self, marks: list[tuple[datetime, datetime, str]]) -> None:
        """Shade these [start, end) windows in their colours (anomalies), replacing any."""
        for item in getattr(self, "_marks", []):
            self.plot.removeItem(item)
        self._marks = []
        for start, end, colour in marks:
            shade = QColor(colour)
            shade.setAlpha(70)
            item = pg.LinearRegionItem(
                values=(start.timestamp(), end.timestamp()), movable=False, brush=shade,
                pen=pg.mkPen(None),
            )  # fmt: skip
            item.setZValue(4)
            self.plot.addItem(item)
            self._marks.append(item)

    def marks(self) -> list[tuple[float, float]]:
        """Return the shaded windows as (start, end) seconds."""
        return [tuple(item.getRegion()) for item in getattr(self, "_marks", [])]

    def overlay_data(self) -> tuple[np.ndarray, np.ndarray]:
        """Return the overlay line's x (seconds) and y, empty when none is drawn."""
        x, y = self.overlay.getData()
        return (np.asarray([]), np.asarray([])) if x is None else (x, y)

    def set_selection(self, start: datetime | None, end: datetime | None) -> None:
        """Show [start, end) as the selected range, without emitting; (None, None) hides it.

        One missing bound is the edge of the histogram."""
        if start is None and end is None:
            self.region.hide()
            return
        low, high = self._extent()
        left = start.timestamp() if start is not None else low
        right = end.timestamp() if end is not None else high
        self._show_region(left, right)

    def selection(self) -> tuple[datetime, datetime] | None:
        """Return the selected range as aware UTC datetimes, or None when none is shown."""
        if not self.region.isVisible():
            return None
        left, right = self.region.getRegion()
        return to_datetime(round(left * 1e6)), to_datetime(round(right * 1e6))

    def select_range(self, start: datetime, end: datetime) -> None:
        """Select [start, end) as a finished drag does: show it and emit `range_selected`."""
        self._show_region(start.timestamp(), end.timestamp())
        self._emit_selection()

    def set_time_zone(self, tz: str | None) -> None:
        """Label the axis and tooltips in `tz` (an IANA name; None is UTC)."""
        self._tz = tz
        self.axis.set_time_zone(tz)

    def text_at(self, seconds: float) -> str | None:
        """Return the tooltip for the bucket holding `seconds` since the epoch (None: outside)."""
        h = self._histogram
        if h is None or h.starts.size == 0:
            return None
        index = math.floor((seconds * 1e6 - h.starts[0]) / h.width_us)
        if not 0 <= index < h.starts.size:
            return None
        zone = zone_of(self._tz)
        start = to_datetime(h.starts[index]).astimezone(zone)
        end = to_datetime(h.starts[index] + h.width_us).astimezone(zone)
        counts = {level: int(h.counts[level][index]) for level in reversed(STACK_ORDER)}
        total = sum(counts.values())
        lines = [bucket_span(start, end, h.width_us), f"{total:,} entries"]
        lines += [f"{level}: {n:,}" for level, n in counts.items() if n]
        return "\n".join(lines)

    # -- interaction -----------------------------------------------------------------------
    def _on_drag(self, first: float, here: float, *, finished: bool) -> None:
        if self._histogram is None or self._histogram.starts.size == 0:
            return
        low, high = self._extent()
        left, right = sorted((min(max(first, low), high), min(max(here, low), high)))
        if finished:
            left, right = self._snap(left, right)
        self._show_region(left, right)
        if finished:
            self._emit_selection()

    def _on_double_click(self) -> None:
        self.range_reset.emit()

    def _on_region_changed(self) -> None:
        if self._quiet:
            return
        left, right = self._snap(*self.region.getRegion())
        self._show_region(left, right)
        self._emit_selection()

    def _on_mouse_moved(self, scene_pos: QPointF) -> None:
        if not self.view_box.sceneBoundingRect().contains(scene_pos):
            QToolTip.hideText()
            return
        text = self.text_at(self.view_box.mapSceneToView(scene_pos).x())
        if text is None:
            QToolTip.hideText()
            return
        view = self.plot
        global_pos = view.viewport().mapToGlobal(view.mapFromScene(scene_pos))
        QToolTip.showText(global_pos, plain_tooltip(text), view)

    def _emit_selection(self) -> None:
        chosen = self.selection()
        if chosen is not None:
            self.range_selected.emit(*chosen)

    def _show_region(self, left: float, right: float) -> None:
        self._quiet = True
        try:
            self.region.setRegion((left, right))
            self.region.show()
        finally:
            self._quiet = False

    def _snap(self, left: float, right: float) -> tuple[float, float]:
        """Return [left, right] widened to round times (about 1/600 of the span shown)."""
        low, high = self._extent()
        step = nice_width(int((high - low) * 1e6), 600) / 1e6
        left = math.floor(left / step + 1e-9) * step
        right = math.ceil(right / step - 1e-9) * step
        if right <= left:
            right = left + step
        return max(left, low), min(right, high)

    def _extent(self) -> tuple[float, float]:
        h = self._histogram
        if h is None or h.starts.size == 0:
            return 0.0, 1.0
        return h.starts[0] / 1e6, (h.starts[-1] + h.width_us) / 1e6

    # -- palette ---------------------------------------------------------------------------
    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.PaletteChange:
            self._apply_palette()
        super().changeEvent(event)

    def _apply_palette(self) -> None:
        palette = self.palette()
        colours = level_colours(is_dark(palette))
        for level, bar in self.bars.items():
            bar.setOpts(brush=pg.mkBrush(colours[level]))
        self.plot.setBackground(palette.color(QPalette.ColorRole.Base))
        text = palette.color(QPalette.ColorRole.PlaceholderText)
        for axis in (self.axis, self.count_axis):
            axis.setPen(pg.mkPen(text))
            axis.setTextPen(pg.mkPen(palette.color(QPalette.ColorRole.Text)))
        highlight = QColor(palette.color(QPalette.ColorRole.Highlight))
        fill = QColor(highlight)
        fill.setAlpha(45)
        hover = QColor(highlight)
        hover.setAlpha(70)
        self.region.setBrush(pg.mkBrush(fill))
        self.region.setHoverBrush(pg.mkBrush(hover))
        for line in self.region.lines:
            line.setPen(pg.mkPen(highlight, width=2))
            line.setHoverPen(pg.mkPen(highlight, width=4))
        hint_palette = self.hint.palette()
        hint_palette.setColor(QPalette.ColorRole.WindowText, text)
        self.hint.setPalette(hint_palette)
