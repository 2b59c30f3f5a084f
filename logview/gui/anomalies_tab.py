"""The Anomalies tab: the anomalies of the loaded logs, most important first, with filters and
the actions Filter Logs to This Anomaly and Inspect."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np
from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from logview.core.analysis.anomalies import WINDOWS, Anomaly, Kind, Priority, most_urgent_first
from logview.core.analysis.histogram import Histogram
from logview.core.shared.display import format_stamp, visible_text
from logview.core.shared.table import LEVELS
from logview.gui.log_model import monospace_font
from logview.gui.theme import DIMMED, PRIORITY_COLOURS
from logview.gui.timeline import Timeline

COLUMNS = ("Priority", "Kind", "Pattern", "Window", "Observed", "Expected", "What happened")
_Index = QModelIndex | QPersistentModelIndex


# (label, scope, hours or None for forever, state)
SUPPRESS_CHOICES: tuple[tuple[str, str, float | None, str], ...] = (
    ("This Anomaly for an Hour", "anomaly", 1.0, "suppressed"),
    ("This Anomaly for a Day", "anomaly", 24.0, "suppressed"),
    ("This Anomaly Forever", "anomaly", None, "suppressed"),
    ("This Pattern for a Day", "pattern", 24.0, "suppressed"),
    ("This Pattern Forever", "pattern", None, "suppressed"),
    ("This Token Value Forever", "value", None, "suppressed"),
    ("Mark as Normal (learn it)", "kind", None, "baseline"),
)


class AnomalyModel(QAbstractTableModel):
    """Anomalies, one per row."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._all: list[Anomaly] = []
        self._rows: list[Anomaly] = []
        self.states: dict[str, str] = {}  # anomaly id -> "suppressed" or "normal" (shown dim)
        self.min_priority = 0
        self.kind: str | None = None

    def set_anomalies(self, anomalies: list[Anomaly], states: dict[str, str] | None = None) -> None:
        self._all = list(anomalies)
        self.states = dict(states or {})
        self.refilter()

    def refilter(self) -> None:
        self.beginResetModel()
        self._rows = [
            a
            for a in self._all
            if Priority(a.priority).rank >= self.min_priority
            and (self.kind is None or a.kind == self.kind)
        ]
        self.endResetModel()

    def anomaly(self, row: int) -> Anomaly:
        return self._rows[row]

    def all(self) -> list[Anomaly]:
        return list(self._all)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        a = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (
                a.priority,
                a.kind,
                visible_text(a.template),
                f"{format_stamp(a.start)[:16]} – {format_stamp(a.end)[11:16]}",
                f"{a.observed:,}",
                f"{a.expected:,.1f}",
                visible_text(
                    f"[{self.states[a.id]}] {a.description}" if a.id in self.states
                    else a.description
                ),
            )[column]  # fmt: skip
        if role == Qt.ItemDataRole.ForegroundRole and a.id in self.states:
            return QColor(DIMMED)  # suppressed or marked normal
        if role == Qt.ItemDataRole.ForegroundRole and column == 0:
            return QColor(PRIORITY_COLOURS[a.priority])
        if role == Qt.ItemDataRole.ToolTipRole and column == 2:
            return visible_text(a.template)
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (4, 5):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class AnomaliesTab(QWidget):
    """The anomaly table, its filters and actions."""

    window_changed = Signal(int)  # minutes
    filter_requested = Signal(object)  # Anomaly: show its entries in the Logs tab
    inspect_requested = Signal(object)  # Anomaly
    suppress_requested = Signal(object, str, object, str)  # Anomaly, scope, until, state
    unsuppress_requested = Signal(object)  # Anomaly: lift what hides it

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = AnomalyModel(self)
        self.every = QComboBox()
        for minutes in WINDOWS:
            self.every.addItem(f"{minutes} min windows", minutes)
        self.every.setCurrentIndex(WINDOWS.index(5))
        self.every.currentIndexChanged.connect(
            lambda i: self.window_changed.emit(int(self.every.itemData(i)))
        )
        self.priority = QComboBox()
        for label in ("All priorities", "MEDIUM and HIGH", "HIGH only"):
            self.priority.addItem(label)
        self.priority.currentIndexChanged.connect(self._on_filters_changed)
        self.kind = QComboBox()
        self.kind.addItem("All kinds")
        for kind in Kind:
            self.kind.addItem(kind)
        self.kind.currentIndexChanged.connect(self._on_filters_changed)
        for box in (self.every, self.priority, self.kind):
            box.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            box.setMinimumContentsLength(6)
        self.filter_button = QPushButton("Show Entries")
        self.filter_button.setToolTip("Filter the logs to this anomaly's entries in its window")
        self.filter_button.clicked.connect(lambda: self._emit(self.filter_requested))
        self.inspect_button = QPushButton("Inspect")
        self.inspect_button.clicked.connect(lambda: self._emit(self.inspect_requested))
        self.suppress_button = QPushButton("Suppress")
        self.suppress_menu = QMenu(self)
        for label, scope, hours, state in SUPPRESS_CHOICES:
            action = self.suppress_menu.addAction(label)
            action.triggered.connect(
                lambda _=False, s=scope, h=hours, st=state: self._suppress(s, h, st)
            )
        self.suppress_menu.addSeparator()
        self.unsuppress_action = self.suppress_menu.addAction("Unsuppress (show it again)")
        self.unsuppress_action.setEnabled(False)
        self.unsuppress_action.triggered.connect(lambda: self._emit(self.unsuppress_requested))
        self.suppress_button.setMenu(self.suppress_menu)
        self.show_hidden = QCheckBox("Show suppressed")
        self.show_hidden.toggled.connect(lambda _: self._show())
        self._active: list[Anomaly] = []
        self._hidden: list[Anomaly] = []
        self._normal: list[Anomaly] = []
        self.timeline = Timeline()
        self.timeline.setToolTip("Anomaly windows, shaded by priority")
        self.timeline.setMaximumHeight(80)  # a strip: the main timeline is above
        self.status = QLabel("Anomalies appear here once the patterns are mined.")
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.verticalHeader().setVisible(False)
        self.view.setWordWrap(False)
        self.view.doubleClicked.connect(lambda _: self._emit(self.filter_requested))
        header = self.view.horizontalHeader()
        for column, width in enumerate((70, 95, 0, 170, 80, 80, 0)):
            if width:
                header.resizeSection(column, width)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(6, QHeaderView.ResizeMode.Stretch)
        # Two rows, so that the tab fits a small window.
        tools = QHBoxLayout()
        for widget in (self.every, self.priority, self.kind, self.show_hidden):
            tools.addWidget(widget)
        tools.addStretch(1)
        actions = QHBoxLayout()
        actions.addStretch(1)
        for widget in (self.filter_button, self.inspect_button, self.suppress_button):
            actions.addWidget(widget)
        # The selected anomaly: its pattern's counts around it, and sample entries.
        self.detail_plot = Timeline()
        self.detail_plot.setToolTip(
            "The pattern's entries per window around the anomaly (its windows shaded)"
        )
        self.detail_samples = QPlainTextEdit()
        self.detail_samples.setReadOnly(True)
        self.detail_samples.setFont(monospace_font())
        self.detail_samples.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.detail_samples.setPlaceholderText("Sample entries of the selected anomaly")
        for widget in (self.detail_plot, self.detail_samples, self.view):
            widget.setMinimumHeight(30)  # the window must still fit a small screen
        detail = QSplitter(Qt.Orientation.Horizontal)
        detail.addWidget(self.detail_plot)
        detail.addWidget(self.detail_samples)
        detail.setSizes([300, 500])
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.view)
        split.addWidget(detail)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        split.setSizes([400, 120])
        self.view.selectionModel().selectionChanged.connect(lambda *_: self._show_detail())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addLayout(tools)
        layout.addLayout(actions)
        layout.addWidget(self.timeline)
        layout.addWidget(split, 1)
        layout.addWidget(self.status)

    def _show_detail(self) -> None:
        """Show the selected anomaly's counts around it and its sample entries."""
        anomaly = self.selected()
        self.unsuppress_action.setEnabled(anomaly is not None and anomaly.id in self.model.states)
        if anomaly is None or not anomaly.counts or anomaly.counts_start is None:
            self.detail_plot.set_histogram(None)
            self.detail_plot.set_marks([])
            self.detail_samples.setPlainText("")
            return
        width_us = round(self._window().total_seconds() * 1e6)
        start_us = round(anomaly.counts_start.timestamp() * 1e6)
        counts = np.array(anomaly.counts, dtype=np.int64)
        level = "ERROR" if anomaly.pattern is None else "INFO"
        self.detail_plot.set_histogram(
            Histogram(
                start_us + width_us * np.arange(len(counts), dtype=np.int64),
                width_us,
                {name: counts if name == level else np.zeros_like(counts) for name in LEVELS},
                int(counts.sum()),
            )
        )
        self.detail_plot.set_marks(
            [(anomaly.start, anomaly.end, PRIORITY_COLOURS[anomaly.priority])]
        )
        lines = [anomaly.description, ""]
        lines += [visible_text(m) for m in anomaly.samples] or ["(no entries: a silence or a drop)"]
        self.detail_samples.setPlainText("\n".join(lines))

    def _window(self) -> timedelta:
        return timedelta(minutes=int(self.every.currentData()))

    def set_histogram(self, histogram: Histogram | None) -> None:
        """Show the entries over time under the anomaly marks."""
        self.timeline.set_histogram(histogram)
        self._mark()

    def set_anomalies(
        self,
        anomalies: list[Anomaly],
        suppressed: list[Anomaly] | None = None,
        normal: list[Anomaly] | None = None,
    ) -> None:
        """Show the active anomalies; the suppressed and marked-normal ones are counted, and
        shown too with Show suppressed."""
        self._active, self._hidden, self._normal = list(anomalies), suppressed or [], normal or []
        self._show()

    def _show(self) -> None:
        shown = self._active + (self._hidden + self._normal if self.show_hidden.isChecked() else [])
        shown.sort(key=most_urgent_first)
        states = {a.id: "suppressed" for a in self._hidden}
        states.update((a.id, "normal") for a in self._normal)
        self.model.set_anomalies(shown, states)
        self._mark()
        high = sum(a.priority == "HIGH" for a in self._active)
        text = f"{len(self._active):,} anomalies, {high:,} of them HIGH"
        if self._hidden or self._normal:
            text += f"; {len(self._hidden):,} suppressed, {len(self._normal):,} marked normal"
        self.status.setText(text)
        if self.model.rowCount():
            self.view.selectRow(0)

    def _suppress(self, scope: str, hours: float | None, state: str) -> None:
        anomaly = self.selected()
        if anomaly is None:
            return
        until = datetime.now(UTC) + timedelta(hours=hours) if hours else None
        self.suppress_requested.emit(anomaly, scope, until, state)

    def _mark(self) -> None:
        shown = [a for a in self.model.all() if a.priority != "LOW"]
        self.timeline.set_marks([(a.start, a.end, PRIORITY_COLOURS[a.priority]) for a in shown])

    def set_busy(self, text: str) -> None:
        self.status.setText(text)

    def selected(self) -> Anomaly | None:
        rows = self.view.selectionModel().selectedRows()
        return self.model.anomaly(rows[0].row()) if rows else None

    def _emit(self, signal: Any) -> None:
        anomaly = self.selected()
        if anomaly is not None:
            signal.emit(anomaly)

    def _on_filters_changed(self, *_args: object) -> None:
        self.model.min_priority = self.priority.currentIndex()
        self.model.kind = None if self.kind.currentIndex() == 0 else self.kind.currentText()
        self.model.refilter()
