"""The Anomalies tab: the anomalies of the loaded logs, most important first, with filters and
the actions Filter Logs to This Anomaly and Inspect."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np
from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
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
from logview.core.analysis.incidents import Incident
from logview.core.shared.display import visible_text, window_text
from logview.core.shared.table import LEVELS
from logview.gui.columns import FittedColumns
from logview.gui.incidents_view import IncidentsView
from logview.gui.investigation import Investigation
from logview.gui.log_model import monospace_font
from logview.gui.theme import DIMMED, PRIORITY_COLOURS, themed
from logview.gui.timeline import Timeline

COLUMNS = ("Priority", "Kind", "Pattern", "Window", "Observed", "Expected", "What happened")
TIPS = (
    "How much it matters: HIGH, MEDIUM or LOW",
    "What changed: a new pattern, a spike, a drop, a silence, a surge of errors, a new value",
    "The pattern it concerns (hover for all of it)",
    "The time windows it spans",
    "Entries seen in its windows",
    "Entries its history led to expect there",
    "What happened, in words",
)
# The other columns' widths, in the order they give way when the Pattern column needs room.
_GIVE_WAY = ((0, 64), (3, 124), (1, 118), (4, 74), (5, 74), (6, 280))
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
        self.only: set[str] | None = None  # the anomalies of the incident chosen, if one is

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
            and (self.only is None or a.id in self.only)
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
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.ToolTipRole:
            return TIPS[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        a = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (
                a.priority,
                a.kind,
                visible_text(a.template),
                window_text(a.start, a.end),
                f"{a.observed:,}",
                f"{a.expected:,.0f}" if a.expected >= 10 else f"{a.expected:.1f}".rstrip("0").rstrip("."),
                visible_text(
                    f"[{self.states[a.id]}] {a.description}" if a.id in self.states
                    else a.description
                ),
            )[column]  # fmt: skip
        if role == Qt.ItemDataRole.ForegroundRole and a.id in self.states:
            return QColor(DIMMED)  # suppressed or marked normal
        if role == Qt.ItemDataRole.ForegroundRole and column == 0:
            return themed(PRIORITY_COLOURS[a.priority])
        if role == Qt.ItemDataRole.ToolTipRole and column in (2, 6):
            return visible_text(f"{a.template}\n\n{a.description}", keep_newlines=True)
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (4, 5):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class AnomaliesTab(QWidget):
    """The anomaly table, its filters and actions."""

    window_changed = Signal(int)  # minutes
    marks_changed = Signal(list)  # [(start, end, colour)]: the windows to shade on the timeline
    filter_requested = Signal(object)  # Anomaly: show its entries in the Logs tab
    inspect_requested = Signal(object)  # Anomaly
    suppress_requested = Signal(object, str, object, str)  # Anomaly, scope, until, state
    unsuppress_requested = Signal(object)  # Anomaly: lift what hides it
    bookmark_requested = Signal(object)  # Anomaly: bookmark it (or unmark)

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
            box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)  # never cut
        self.every.setToolTip("The length of the windows the logs are judged in")
        self.priority.setToolTip("Show only the anomalies this important")
        self.kind.setToolTip("Show only the anomalies of this kind")
        self.filter_button = QPushButton("Show Entries")
        self.filter_button.setToolTip("Filter the logs to this anomaly's entries in its window")
        self.filter_button.clicked.connect(lambda: self._emit(self.filter_requested))
        self.inspect_button = QPushButton("Inspect")
        self.inspect_button.setToolTip(
            "Inspect its pattern over its window against a normal time, in the Patterns tab"
        )
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
        self.suppress_button.setToolTip(
            "Hide this anomaly (or its pattern, or its value) for a while"
        )
        self.show_hidden = QCheckBox("Show suppressed")
        self.show_hidden.setToolTip(
            "List the suppressed anomalies and those marked normal too, dimmed"
        )
        self.show_hidden.toggled.connect(lambda _: self._show())
        self._active: list[Anomaly] = []
        self._hidden: list[Anomaly] = []
        self._normal: list[Anomaly] = []
        self.status = QLabel("Anomalies appear here once the patterns are mined.")
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.verticalHeader().setVisible(False)
        self.view.setWordWrap(False)
        self.view.doubleClicked.connect(lambda _: self._emit(self.filter_requested))
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self._on_context_menu)
        self._fitted = FittedColumns(self.view, 2, _GIVE_WAY, share=0.35, least=180)
        # The filters, then the actions: on one row where the width allows, else on two.
        tools = QGridLayout()
        tools.setContentsMargins(0, 0, 0, 0)
        filters, actions = QHBoxLayout(), QHBoxLayout()
        for widget in (self.every, self.priority, self.kind, self.show_hidden):
            filters.addWidget(widget)
        filters.addStretch(1)
        actions.addStretch(1)
        for widget in (self.filter_button, self.inspect_button, self.suppress_button):
            actions.addWidget(widget)
        self._tools, self._filters, self._actions = tools, filters, actions
        self._one_row: bool | None = None
        # The selected anomaly beside the list: its pattern's counts around it, what happened
        # and sample entries.
        self.detail_plot = Timeline()
        self.detail_plot.setToolTip(
            "The pattern's entries per window around the anomaly (its windows shaded)"
        )
        self.detail_samples = QPlainTextEdit()
        self.detail_samples.setReadOnly(True)
        self.detail_samples.setFont(monospace_font())
        self.detail_samples.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.detail_samples.setPlaceholderText("Sample entries of the selected anomaly")
        for widget in (self.detail_plot, self.detail_samples, self.view):
            widget.setMinimumHeight(30)  # the window must still fit a small screen
        detail = QSplitter(Qt.Orientation.Vertical)
        detail.addWidget(self.detail_plot)
        detail.addWidget(self.detail_samples)
        detail.setStretchFactor(1, 1)
        self.incidents = IncidentsView()
        self.incidents.setMinimumHeight(30)
        self.incidents.narrowed.connect(self._narrow)
        self.incidents.anomaly_chosen.connect(self.select_anomaly)
        listing = QSplitter(Qt.Orientation.Vertical)
        listing.addWidget(self.incidents)
        listing.addWidget(self.view)
        listing.setStretchFactor(1, 1)
        listing.setSizes([110, 400])
        split = QSplitter(Qt.Orientation.Horizontal)
        split.setChildrenCollapsible(False)
        split.addWidget(listing)
        split.addWidget(detail)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        split.setSizes([600, 400])  # the list three fifths of the width, as it grows
        self.view.selectionModel().selectionChanged.connect(lambda *_: self._show_detail())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addLayout(tools)
        layout.addWidget(split, 1)
        layout.addWidget(self.status)
        self._arrange_tools(one_row=False)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        wide = self._filters.sizeHint().width() + self._actions.sizeHint().width() + 12
        self._arrange_tools(one_row=event.size().width() >= wide)
        super().resizeEvent(event)

    def _arrange_tools(self, *, one_row: bool) -> None:
        if one_row == self._one_row:
            return
        self._one_row = one_row
        self._tools.removeItem(self._filters)
        self._tools.removeItem(self._actions)
        self._tools.addLayout(self._filters, 0, 0)
        self._tools.addLayout(self._actions, 0 if one_row else 1, 1 if one_row else 0)

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
            [(anomaly.start, anomaly.end, themed(PRIORITY_COLOURS[anomaly.priority]).name())]
        )
        lines = [
            anomaly.description,
            f"Compared with {anomaly.baseline}." if anomaly.baseline else "",
            "",
        ]
        lines += [visible_text(m) for m in anomaly.samples] or ["(no entries: a silence or a drop)"]
        self.detail_samples.setPlainText("\n".join(lines))

    def _window(self) -> timedelta:
        return timedelta(minutes=int(self.every.currentData()))

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

    def show_anomalies_of(self, investigation: Investigation) -> None:
        """Show the investigation's anomalies as its jobs find them (and its rules hide some):
        busy while it looks, its failure if the look fails."""

        def show(*_args: object) -> None:
            self.set_anomalies(*investigation.split_anomalies())
            self.set_incidents(investigation.incidents)

        investigation.anomalies_started.connect(
            lambda minutes: self.set_busy(f"Looking for anomalies in {minutes}-minute windows…")
        )
        investigation.anomalies_failed.connect(
            lambda message: self.set_busy(f"Could not look for anomalies: {message}")
        )
        investigation.anomalies_found.connect(show)
        investigation.suppressions_changed.connect(show)

    def marks(self) -> list[tuple[datetime, datetime, str]]:
        """Return the spans of the incidents and the windows of the other HIGH and MEDIUM
        anomalies listed, in their colours."""
        colour = lambda priority: themed(PRIORITY_COLOURS[priority]).name()  # noqa: E731
        incidents = self.incidents.incidents
        inside = {a.id for n in incidents for a in n.anomalies}
        shown = [a for a in self.model.all() if a.priority != "LOW" and a.id not in inside]
        return [(n.start, n.end, colour(n.priority)) for n in incidents] + [
            (a.start, a.end, colour(a.priority)) for a in shown
        ]

    def set_incidents(self, incidents: list[Incident]) -> None:
        """Show the incidents above the list (all anomalies listed until one is chosen)."""
        self.incidents.set_incidents(incidents, len(self._active))
        self._narrow(None)

    def _narrow(self, ids: set[str] | None) -> None:
        self.model.only = ids
        self.model.refilter()
        self._mark()
        if self.model.rowCount():
            self.view.selectRow(0)

    def select_anomaly(self, anomaly_id: str) -> None:
        """Select the anomaly `anomaly_id` in the list, if it is listed."""
        for row in range(self.model.rowCount()):
            if self.model.anomaly(row).id == anomaly_id:
                self.view.selectRow(row)
                self.view.scrollTo(self.model.index(row, 0))
                return

    def _mark(self) -> None:
        self.marks_changed.emit(self.marks())

    def context_menu(self) -> QMenu:
        """Return the right-click menu of the selected anomaly: its actions and suppression."""
        menu = QMenu(self)
        menu.addAction("Show Entries", lambda: self._emit(self.filter_requested))
        menu.addAction("Inspect", lambda: self._emit(self.inspect_requested))
        menu.addSeparator()
        menu.addAction("Bookmark", lambda: self._emit(self.bookmark_requested))
        menu.addMenu(self.suppress_menu).setText("Suppress")
        return menu

    def _on_context_menu(self, point: QPoint) -> None:
        if self.selected() is not None:
            self.context_menu().exec(self.view.viewport().mapToGlobal(point))

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
