"""The chart of a stats result: a `stats ... by bin(...)` result as lines, one per numeric
column and group, any other stats result as bars by group (`core.analysis.chart_series`
computes both), with a legend and a plain-text tooltip of the values under the mouse.
"""

from __future__ import annotations

import html
import math
from datetime import UTC, datetime

import numpy as np
import polars as pl
import pyqtgraph as pg
from PySide6.QtCore import QEvent, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPalette
from PySide6.QtWidgets import (
    QLabel,
    QSizePolicy,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from logview.core.analysis.chart_series import (
    BarChart,
    BarSeries,
    ChartSeries,
    bar_chart,
    bar_slots,
    chart_series,
    value_title,
)
from logview.core.analysis.query import QueryResult
from logview.core.shared.display import elide_start, exact_number, visible_text, zone_of
from logview.gui.theme import OTHER_SERIES_COLOUR, SERIES_COLOURS, is_dark
from logview.gui.timeline import (
    CountAxis,
    TimeAxis,
    level_colours,
    plain_tooltip,
    plot_or_hint,
)

HINT = (
    "Run a stats query to see a chart here: stats count(*) by @level draws bars, "
    "stats count(*) by bin(5m) lines over time."
)
LEGEND_CHARS = 32
# The share of a group's slot its bars fill: the rest is the gap between groups.
BAR_BAND = 0.8
# Pixels kept clear between two labels under the bars; a slanted label's longest text.
LABEL_GAP_PX = 6
SLANTED_LABEL_PX = 150
# A single series of at most this many bars has its values written above the bars: read at a
# glance, and a small value beside a big one (a one-row result's average beside its count)
# is not lost.
VALUE_LABELS = 12
_SLANT = math.sqrt(0.5)  # the sine and cosine of 45 degrees


def _plot_and_legend(
    bottom: pg.AxisItem,
) -> tuple[pg.GraphicsLayoutWidget, pg.PlotItem, pg.LegendItem]:
    """Return a still plot (no pan, zoom or menu; counts on the left, `bottom` under it) with
    its legend beside it, not over it, where it never hides a line or a bar."""
    plot = pg.GraphicsLayoutWidget()
    plot.ci.layout.setContentsMargins(2, 8, 8, 2)
    item = plot.addPlot(row=0, col=0, axisItems={"bottom": bottom, "left": CountAxis()})
    item.hideButtons()
    item.setMenuEnabled(False)
    item.showGrid(y=True, alpha=0.15)
    box = item.getViewBox()
    box.setMouseEnabled(x=False, y=False)
    box.setMenuEnabled(False)
    plot.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    legend = pg.LegendItem(verSpacing=-4)
    plot.addItem(legend, row=0, col=1)
    legend.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
    plot.ci.layout.setAlignment(legend, Qt.AlignmentFlag.AlignTop)
    plot.ci.layout.setColumnStretchFactor(0, 1)
    return plot, item, legend


class TimeSeriesChart(QWidget):
    """The Visualization tab: the lines of a `stats ... by bin(...)` result, the bars of any
    other stats result (`bar_plot`), or a hint when there is nothing to chart."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._series: list[ChartSeries] = []
        self._tz: str | None = None
        self.axis = TimeAxis()
        self.plot, self.plot_item, self.legend = _plot_and_legend(self.axis)
        self.view_box = self.plot_item.getViewBox()
        self.axis.setStyle(hideOverlappingLabels=False)
        self.cursor = pg.InfiniteLine(angle=90, movable=False)
        self.cursor.hide()
        self.plot_item.addItem(self.cursor, ignoreBounds=True)
        self.curves: list[pg.PlotDataItem] = []
        self.plot.scene().sigMouseMoved.connect(self._on_mouse_moved)

        self.hint, self._stack = plot_or_hint(self, self.plot, HINT, wrap=True)
        self.bar_plot = BarPlot()
        self._stack.addWidget(self.bar_plot)
        self._apply_palette()
        self.show_frame(None)

    def show_result(self, result: QueryResult | None) -> None:
        """Chart a query's result: a stats result by bin() as lines, any other stats result as
        bars by group; rows, patterns and None show the hint."""
        if result is None or result.kind != "stats":
            self.show_frame(None)
            return
        if result.time_series:
            self.show_frame(result.frame)
            return
        self._clear()
        chart = bar_chart(result.frame)
        if chart is None:
            self._show_hint(result.frame)
            return
        self.bar_plot.show_chart(chart)
        self._stack.setCurrentWidget(self.bar_plot)

    def bars(self) -> BarChart | None:
        """Return the bars shown (None while lines or the hint show)."""
        return self.bar_plot.chart() if self._stack.currentWidget() is self.bar_plot else None

    def show_frame(self, frame: pl.DataFrame | None) -> None:
        """Chart `frame` (a stats result); None or a frame without a Datetime column shows the hint."""
        series = chart_series(frame) if frame is not None else None
        self._clear()
        if not series:
            self._show_hint(frame if series is not None else None)
            return
        self._series = series
        self._stack.setCurrentWidget(self.plot)
        for line in series:
            # Dots where the points are few or isolated: a lone point draws no line.
            few = line.x.size <= 40 or np.count_nonzero(np.isfinite(line.y)) < 2
            curve = pg.PlotDataItem(
                line.x,
                line.y,
                name=line.name,
                connect="finite",
                antialias=True,
                symbol="o" if few else None,
                symbolSize=5,
                symbolPen=None,
            )
            self.plot_item.addItem(curve)
            self.legend.addItem(curve, html.escape(elide_start(line.name, LEGEND_CHARS)))
            self.curves.append(curve)
        self._colour_curves()
        self.view_box.autoRange(padding=0.02)
        low = min(float(np.nanmin(s.y)) if np.isfinite(s.y).any() else 0.0 for s in series)
        if low >= 0:  # counts and durations read best from a zero baseline
            self.view_box.setYRange(0, self.view_box.viewRange()[1][1], padding=0)

    def series(self) -> list[ChartSeries]:
        """Return the lines shown (none while the hint shows)."""
        return list(self._series)

    def set_time_zone(self, tz: str | None) -> None:
        """Label the axis and tooltips in `tz` (an IANA name; None is UTC)."""
        self._tz = tz
        self.axis.set_time_zone(tz)

    def text_at(self, seconds: float) -> str | None:
        """Return the tooltip for the bin nearest `seconds` since the epoch (None: no lines)."""
        if not self._series:
            return None
        x = self._series[0].x
        index = int(np.argmin(np.abs(x - seconds)))
        moment = datetime.fromtimestamp(float(x[index]), UTC).astimezone(zone_of(self._tz))
        lines = [f"{moment:%Y-%m-%d %H:%M:%S} {moment.tzname() or ''}".rstrip()]
        for line in self._series:
            value = line.y[index]
            lines.append(f"{line.name}: {'–' if math.isnan(value) else exact_number(value)}")
        return "\n".join(lines)

    # -- internals -------------------------------------------------------------------------
    def _show_hint(self, frame: pl.DataFrame | None) -> None:
        """Show why nothing is charted: no stats result (None), no rows or no numbers."""
        if frame is None:
            self.hint.setText(HINT)
        elif frame.height == 0:
            self.hint.setText("The query returned no rows to chart.")
        else:
            self.hint.setText("The result has no numeric column to chart.")
        self._stack.setCurrentWidget(self.hint)

    def _colours(self, series: list[ChartSeries]) -> list[QColor]:
        """Return a colour per line: the level colours when the groups are levels, else a
        qualitative palette in order; "other" is grey."""
        dark = is_dark(self.palette())
        levels = level_colours(dark)
        if all(line.name in levels for line in series if not line.is_other):
            return [QColor(OTHER_SERIES_COLOUR) if s.is_other else levels[s.name] for s in series]
        cycle = (QColor(c) for c in SERIES_COLOURS * (1 + len(series) // len(SERIES_COLOURS)))
        return [QColor(OTHER_SERIES_COLOUR) if s.is_other else next(cycle) for s in series]

    def _colour_curves(self) -> None:
        for line, curve, colour in zip(
            self._series, self.curves, self._colours(self._series), strict=True
        ):
            style = Qt.PenStyle.DashLine if line.is_other else Qt.PenStyle.SolidLine
            curve.setPen(pg.mkPen(colour, width=2, style=style))
            curve.setSymbolBrush(colour)

    def _clear(self) -> None:
        for curve in self.curves:
            self.plot_item.removeItem(curve)
        self.curves = []
        self._series = []
        self.legend.clear()
        self.cursor.hide()
        self.bar_plot.clear()

    def _on_mouse_moved(self, scene_pos: QPointF) -> None:
        box = self.view_box
        if not self._series or not box.sceneBoundingRect().contains(scene_pos):
            self.cursor.hide()
            QToolTip.hideText()
            return
        seconds = box.mapSceneToView(scene_pos).x()
        text = self.text_at(seconds)
        x = self._series[0].x
        self.cursor.setValue(float(x[np.argmin(np.abs(x - seconds))]))  # the bin of the text
        self.cursor.show()
        global_pos = self.plot.viewport().mapToGlobal(self.plot.mapFromScene(scene_pos))
        QToolTip.showText(global_pos, plain_tooltip(text or ""), self.plot)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.PaletteChange:
            self._apply_palette()
        super().changeEvent(event)

    def _apply_palette(self) -> None:
        palette = self.palette()
        text = palette.color(QPalette.ColorRole.Text)
        faint = palette.color(QPalette.ColorRole.PlaceholderText)
        self.plot.setBackground(palette.color(QPalette.ColorRole.Base))
        for name in ("bottom", "left"):
            axis = self.plot_item.getAxis(name)
            axis.setPen(pg.mkPen(faint))
            axis.setTextPen(pg.mkPen(text))
        self.legend.setLabelTextColor(text)
        cursor = QColor(faint)
        cursor.setAlpha(160 if is_dark(palette) else 120)
        self.cursor.setPen(pg.mkPen(cursor, width=1))
        hint_palette = self.hint.palette()
        hint_palette.setColor(QPalette.ColorRole.WindowText, faint)
        self.hint.setPalette(hint_palette)
        self._colour_curves()


class CategoryAxis(pg.AxisItem):
    """A bottom axis naming the groups of bars: a label under each, level when every label
    fits its group's width, else slanted at 45 degrees (room for SLANTED_LABEL_PX of text),
    elided in the middle ("payme…db-1": both ends tell similar names apart)."""

    def __init__(self) -> None:
        super().__init__("bottom")
        self.labels: tuple[str, ...] = ()
        self.slanted = False
        self._group_px = 0.0
        self._font = QFont()
        # Ticks point down at the labels, not up into the bars.
        self.setStyle(hideOverlappingLabels=False, tickFont=self._font, tickLength=4)

    def set_labels(self, labels: tuple[str, ...]) -> None:
        """Name the groups at 0, 1, 2, ... along the axis."""
        self.labels = labels
        self.picture = None  # drawn again with the new labels
        self.update()

    def shown_label(self, index: int) -> str:
        """Return the label drawn under group `index`: one line, elided to the room it has."""
        room = SLANTED_LABEL_PX if self.slanted else max(0.0, self._group_px - LABEL_GAP_PX)
        text = visible_text(self.labels[index])
        return QFontMetricsF(self._font).elidedText(text, Qt.TextElideMode.ElideMiddle, room)

    def tickValues(self, minVal: float, maxVal: float, size: float) -> list:
        span = maxVal - minVal
        self._group_px = size / span if span > 0 else 0.0
        self._fit_labels()
        return [(1.0, [float(i) for i in range(len(self.labels)) if minVal <= i <= maxVal])]

    def tickStrings(self, values: list[float], scale: float, spacing: float) -> list[str]:
        return [self.shown_label(round(v)) for v in values]

    def _fit_labels(self) -> None:
        """Slant the labels when one is wider than its group, and make room for them below:
        the axis then takes the height of the longest slanted label."""
        metrics = QFontMetricsF(self._font)
        widths = [metrics.horizontalAdvance(visible_text(label)) for label in self.labels]
        slanted = any(width > self._group_px - LABEL_GAP_PX for width in widths)
        if slanted != self.slanted:
            self.prepareGeometryChange()  # the bounding rect changes with the slant
            self.slanted = slanted
        height = None
        if slanted:
            longest = min(max(widths), SLANTED_LABEL_PX)
            title = self.label.boundingRect().height() * 0.8 if self.label.isVisible() else 0
            height = math.ceil(
                _SLANT * (longest + metrics.height())
                + self.style["tickTextOffset"][1]
                + max(0, self.style["tickLength"])
                + title
            )
        if height != self.fixedHeight:
            self.setHeight(height)

    def generateDrawSpecs(self, p: QPainter) -> tuple | None:
        specs = super().generateDrawSpecs(p)
        if specs is None or not self.slanted:
            return specs
        axis, ticks, _level = specs
        bounds = self.mapRectFromParent(self.geometry())
        low, high = self.range
        scale = bounds.width() / (high - low) if high > low else 0.0
        top = bounds.top() + max(0, self.style["tickLength"]) + self.style["tickTextOffset"][1]
        anchors = [
            (QPointF(bounds.left() + (i - low) * scale, top), self.shown_label(i))
            for i in range(len(self.labels))
            if low <= i <= high
        ]
        return axis, ticks, anchors

    def drawPicture(self, p: QPainter, axisSpec: tuple, tickSpecs: list, textSpecs: list) -> None:
        if not self.slanted:
            super().drawPicture(p, axisSpec, tickSpecs, textSpecs)
            return
        super().drawPicture(p, axisSpec, tickSpecs, [])
        p.setFont(self._font)
        p.setPen(self.textPen())
        height = QFontMetricsF(self._font).height()
        flags = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        for anchor, text in textSpecs:  # each ends under its group, running down to the left
            p.save()
            p.translate(anchor)
            p.rotate(-45)
            p.drawText(
                QRectF(-SLANTED_LABEL_PX - 2, -height / 2, SLANTED_LABEL_PX, height), flags, text
            )
            p.restore()

    def boundingRect(self) -> QRectF:
        rect = super().boundingRect()
        return rect.adjusted(-SLANTED_LABEL_PX * _SLANT, 0, 0, 0) if self.slanted else rect


class BarPlot(QWidget):
    """Bars by group (`core.analysis.chart_series.bar_chart` shapes them): each group's bars
    side by side, a colour per series (the level colours where the groups or the series are
    levels), labels under them, the values and the whole label in a tooltip, and a note of
    what was left out."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._chart: BarChart | None = None
        self.axis = CategoryAxis()
        # The left axis says what the colours are.
        self.plot, self.plot_item, self.legend = _plot_and_legend(self.axis)
        self.view_box = self.plot_item.getViewBox()
        self.highlight = pg.LinearRegionItem(movable=False)
        self.highlight.setZValue(-10)  # behind the bars
        self.highlight.hide()
        self.plot_item.addItem(self.highlight, ignoreBounds=True)
        self.items: list[pg.BarGraphItem] = []
        self.value_labels: list[pg.TextItem] = []
        self.note = QLabel()
        self.note.setTextFormat(Qt.TextFormat.PlainText)
        self.note.setWordWrap(True)
        self.note.setContentsMargins(8, 0, 8, 4)
        self.note.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.plot, 1)
        layout.addWidget(self.note)
        self.plot.scene().sigMouseMoved.connect(self._on_mouse_moved)
        self._apply_palette()

    def show_chart(self, chart: BarChart) -> None:
        """Draw `chart`'s bars, labels, legend and notes in place of what was shown."""
        self.clear()
        self._chart = chart
        slots, width = bar_slots(chart, BAR_BAND)
        for series, x in zip(chart.series, slots, strict=True):
            drawn = np.isfinite(x)  # a group without a value of the series has no bar
            item = pg.BarGraphItem(
                x=x[drawn], height=series.values[drawn], width=width * 0.9, pen=pg.mkPen(None)
            )
            self.plot_item.addItem(item)
            if len(chart.series) > 1:
                self.legend.addItem(item, html.escape(elide_start(series.name, LEGEND_CHARS)))
            self.items.append(item)
        if len(chart.series) == 1 and len(chart.groups) <= VALUE_LABELS:
            self._label_values(chart.series[0])
        self.axis.set_labels(chart.groups)
        note = "; ".join(chart.notes)
        self.note.setText(f"{note[:1].upper()}{note[1:]}." if note else "")
        self.note.setVisible(bool(chart.notes))
        self._apply_palette()
        self._fit()

    def _label_values(self, series: BarSeries) -> None:
        """Write each bar's value above it (below, for a negative one)."""
        for x, value in enumerate(series.values):
            if math.isnan(value):
                continue
            label = pg.TextItem(exact_number(value), anchor=(0.5, 1.0 if value >= 0 else 0.0))
            label.setPos(x, value)
            self.plot_item.addItem(label, ignoreBounds=True)
            self.value_labels.append(label)

    def chart(self) -> BarChart | None:
        """Return the bars shown (None when there are none)."""
        return self._chart

    def clear(self) -> None:
        """Remove the bars, labels, legend and notes."""
        for item in [*self.items, *self.value_labels]:
            self.plot_item.removeItem(item)
        self.items, self.value_labels = [], []
        self._chart = None
        self.legend.clear()
        self.axis.set_labels(())
        self.note.hide()
        self.highlight.hide()

    def text_at(self, index: int) -> str | None:
        """Return the tooltip of group `index`: its whole label and the value of each bar."""
        chart = self._chart
        if chart is None or not 0 <= index < len(chart.groups):
            return None
        lines = [chart.groups[index]]
        if chart.legend:
            lines.append(f"{chart.value} by {chart.legend}:")
        for series in chart.series:
            value = series.values[index]
            shown = "–" if math.isnan(value) else exact_number(value)
            lines.append(f"{series.name}: {shown}" if series.name else shown)
        return "\n".join(lines)

    # -- internals -------------------------------------------------------------------------
    def _colours(self, chart: BarChart) -> list[list[QColor]]:
        """Return each series' colour per group: the level colours where the groups (one
        series) or the series are levels, else the series palette in order."""
        levels = level_colours(is_dark(self.palette()))
        groups = len(chart.groups)
        if len(chart.series) == 1:
            if all(group in levels for group in chart.groups):
                return [[levels[group] for group in chart.groups]]
            return [[QColor(SERIES_COLOURS[0])] * groups]
        if all(series.name in levels for series in chart.series):
            return [[levels[series.name]] * groups for series in chart.series]
        cycle = [QColor(c) for c in SERIES_COLOURS]
        return [[cycle[i % len(cycle)]] * groups for i in range(len(chart.series))]

    def _colour_bars(self) -> None:
        if self._chart is None:
            return
        colours = self._colours(self._chart)
        for item, series, per_group in zip(self.items, self._chart.series, colours, strict=True):
            drawn = np.flatnonzero(np.isfinite(series.values))
            brushes = [pg.mkBrush(per_group[i]) for i in drawn]
            item.setOpts(brush=pg.mkBrush(per_group[0]), brushes=brushes)

    def _fit(self) -> None:
        """Show every group, and the heights from zero (or below it) with a little room above."""
        chart = self._chart
        assert chart is not None
        heights = np.concatenate([s.values for s in chart.series])
        heights = heights[np.isfinite(heights)]
        low = min(0.0, float(heights.min())) if heights.size else 0.0
        high = max(0.0, float(heights.max())) if heights.size else 1.0
        # Room above the bars, more where their values are written over them.
        room = (high - low) * (0.12 if self.value_labels else 0.05) or 1.0
        self.view_box.setRange(
            xRange=(-0.5, len(chart.groups) - 0.5),
            yRange=(low - room if low < 0 else 0.0, high + room),
            padding=0,
        )

    def _group_at(self, scene_pos: QPointF) -> int | None:
        """Return the group under the mouse, over the bars or their labels, or None."""
        if self._chart is None:
            return None
        over = self.view_box.sceneBoundingRect().contains(scene_pos)
        if not (over or self.axis.sceneBoundingRect().contains(scene_pos)):
            return None
        index = round(self.view_box.mapSceneToView(scene_pos).x())
        return index if 0 <= index < len(self._chart.groups) else None

    def _on_mouse_moved(self, scene_pos: QPointF) -> None:
        index = self._group_at(scene_pos)
        if index is None:
            self.highlight.hide()
            QToolTip.hideText()
            return
        self.highlight.setRegion((index - 0.5, index + 0.5))
        self.highlight.show()
        global_pos = self.plot.viewport().mapToGlobal(self.plot.mapFromScene(scene_pos))
        QToolTip.showText(global_pos, plain_tooltip(self.text_at(index) or ""), self.plot)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.PaletteChange:
            self._apply_palette()
        super().changeEvent(event)

    def _apply_palette(self) -> None:
        palette = self.palette()
        text = palette.color(QPalette.ColorRole.Text)
        faint = palette.color(QPalette.ColorRole.PlaceholderText)
        self.plot.setBackground(palette.color(QPalette.ColorRole.Base))
        chart = self._chart
        titles = {"bottom": chart.axis if chart else "", "left": value_title(chart)}
        for name, title in titles.items():
            axis = self.plot_item.getAxis(name)
            axis.setPen(pg.mkPen(faint))
            axis.setTextPen(pg.mkPen(text))
            axis.setLabel(html.escape(title) or None, color=text.name())
        self.legend.setLabelTextColor(text)
        shade = QColor(faint)
        shade.setAlpha(60 if is_dark(palette) else 40)
        self.highlight.setBrush(pg.mkBrush(shade))
        for line in self.highlight.lines:
            line.setPen(pg.mkPen(None))
        note_palette = self.note.palette()
        note_palette.setColor(QPalette.ColorRole.WindowText, faint)
        self.note.setPalette(note_palette)
        for label in self.value_labels:
            label.setColor(text)
        self._colour_bars()
