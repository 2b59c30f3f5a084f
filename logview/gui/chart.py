"""The chart of a `stats ... by bin(...)` result: one line per numeric column and group
(`core.analysis.chart_series` computes them), with a legend and a plain-text tooltip of the values
under the mouse.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime

import numpy as np
import polars as pl
import pyqtgraph as pg
from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (
    QSizePolicy,
    QToolTip,
    QWidget,
)

from logview.core.analysis.chart_series import ChartSeries, chart_series
from logview.core.shared.display import elide_start, exact_number, zone_of
from logview.gui.theme import OTHER_SERIES_COLOUR, SERIES_COLOURS, is_dark
from logview.gui.timeline import (
    CountAxis,
    TimeAxis,
    level_colours,
    plain_tooltip,
    plot_or_hint,
)

HINT = "Run a stats … by bin(5m) query to see a chart here."
LEGEND_CHARS = 32


class TimeSeriesChart(QWidget):
    """The lines of a `stats ... by bin(...)` result, or a hint when there is nothing to chart."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._series: list[ChartSeries] = []
        self._tz: str | None = None
        self.axis = TimeAxis()
        # The legend sits beside the plot, not over it: it never hides a line.
        self.plot = pg.GraphicsLayoutWidget()
        self.plot.ci.layout.setContentsMargins(2, 8, 8, 2)
        self.plot_item = self.plot.addPlot(
            row=0, col=0, axisItems={"bottom": self.axis, "left": CountAxis()}
        )
        self.plot_item.hideButtons()
        self.plot_item.setMenuEnabled(False)
        self.plot_item.showGrid(y=True, alpha=0.15)
        self.view_box = self.plot_item.getViewBox()
        self.view_box.setMouseEnabled(x=False, y=False)
        self.view_box.setMenuEnabled(False)
        self.plot.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.legend = pg.LegendItem(verSpacing=-4)
        self.plot.addItem(self.legend, row=0, col=1)
        self.legend.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self.plot.ci.layout.setAlignment(self.legend, Qt.AlignmentFlag.AlignTop)
        self.plot.ci.layout.setColumnStretchFactor(0, 1)
        self.axis.setStyle(hideOverlappingLabels=False)
        self.cursor = pg.InfiniteLine(angle=90, movable=False)
        self.cursor.hide()
        self.plot_item.addItem(self.cursor, ignoreBounds=True)
        self.curves: list[pg.PlotDataItem] = []
        self.plot.scene().sigMouseMoved.connect(self._on_mouse_moved)

        self.hint, self._stack = plot_or_hint(self, self.plot, HINT, wrap=True)
        self._apply_palette()
        self.show_frame(None)

    def show_frame(self, frame: pl.DataFrame | None) -> None:
        """Chart `frame` (a stats result); None or a frame without a Datetime column shows the hint."""
        series = chart_series(frame) if frame is not None else None
        self._clear()
        if not series:
            if series is None:
                self.hint.setText(HINT)
            elif frame is not None and frame.height == 0:
                self.hint.setText("The query returned no rows to chart.")
            else:
                self.hint.setText("The result has no numeric column to chart.")
            self._stack.setCurrentWidget(self.hint)
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
            self.legend.addItem(curve, elide_start(line.name, LEGEND_CHARS))
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
