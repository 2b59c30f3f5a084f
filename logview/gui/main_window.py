"""The main window: sources on the left, the log table with the selected entry below it,
warnings in a dock, loading in a worker with progress and cancel in the status bar."""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QModelIndex, Qt, QThreadPool, Signal
from PySide6.QtGui import QAction, QCloseEvent, QDragEnterEvent, QDropEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDockWidget,
    QFileDialog,
    QHeaderView,
    QLabel,
    QListWidget,
    QMainWindow,
    QProgressBar,
    QPushButton,
    QSplitter,
    QStyle,
    QTableView,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from logview.core.display import visible_text
from logview.core.ingest import Ingested
from logview.gui.detail_pane import DetailPane
from logview.gui.log_model import MAX_VIEW_PIXELS, LogTableModel, MessageDelegate
from logview.gui.settings import Settings
from logview.gui.sources_panel import SourcesPanel
from logview.gui.workers import Worker, ingest_task

# Widest a column may start at; users can drag it wider.
MAX_COLUMN_PX = 260
MESSAGE_COLUMN_PX = 360


class MainWindow(QMainWindow):
    """One investigation: the sources opened, their merged table, and what went wrong reading them."""

    sig_load_finished = Signal(object)  # Ingested
    sig_load_failed = Signal(str)
    sig_load_cancelled = Signal()

    def __init__(self, settings: Settings, *, remember: bool = True) -> None:
        """Build the window; with `remember` false (screenshots), nothing is written to settings."""
        super().__init__()
        self.settings = settings
        self._remember = remember
        self.ingested: Ingested | None = None
        self._worker: Worker | None = None
        self._workers: set[Worker] = set()  # kept alive until their last signal arrives
        self._pool = QThreadPool(self)
        self._started = 0.0
        self._loading_paths: list[str] = []
        self.setWindowTitle("logview")
        self.setAcceptDrops(True)
        self.setDockNestingEnabled(True)
        self._build_table()
        self._build_docks()
        self._build_status_bar()
        self._build_menus()
        self.setCentralWidget(self._build_centre())
        self._show_status("Open log files, folders or archives (File > Open, or drop them here).")

    # -- building ---------------------------------------------------------------------------
    def _build_table(self) -> None:
        self.model = LogTableModel(parent=self)
        self.table_view = view = QTableView()
        view.setModel(self.model)
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setWordWrap(False)
        view.setTextElideMode(Qt.TextElideMode.ElideRight)
        view.setShowGrid(False)
        view.setAlternatingRowColors(True)
        view.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self._message_delegate = MessageDelegate(view)
        metrics = view.fontMetrics()
        mono = self.model.monospace_metrics()
        self.row_height = max(metrics.height(), mono.height()) + 6
        rows = view.verticalHeader()
        rows.setVisible(False)
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setMinimumSectionSize(self.row_height)
        rows.setDefaultSectionSize(self.row_height)
        self.model.set_max_rows(MAX_VIEW_PIXELS // self.row_height - 1)
        columns = view.horizontalHeader()
        columns.setHighlightSections(False)
        columns.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        columns.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        view.selectionModel().currentRowChanged.connect(self._on_table_current_row_changed)

    def _build_centre(self) -> QWidget:
        self.detail = DetailPane()
        logs = QSplitter(Qt.Orientation.Vertical)
        logs.addWidget(self.table_view)
        logs.addWidget(self.detail)
        logs.setStretchFactor(0, 3)
        logs.setStretchFactor(1, 1)
        logs.setSizes([600, 220])
        # The Patterns and Anomalies issues add their tabs here.
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(logs, "Logs")
        centre = QWidget()
        layout = QVBoxLayout(centre)
        layout.setContentsMargins(0, 0, 0, 0)
        # The query bar and the time-range histogram go above the tabs (later issues).
        layout.addWidget(self.tabs, 1)
        return centre

    def _build_docks(self) -> None:
        self.sources_panel = SourcesPanel()
        self.sources_dock = QDockWidget("Sources", self)
        self.sources_dock.setObjectName("sources_dock")
        self.sources_dock.setWidget(self.sources_panel)
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.sources_dock)
        self.warnings_list = QListWidget()
        self.warnings_list.setWordWrap(False)
        self.warnings_list.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.warnings_dock = QDockWidget("Warnings", self)
        self.warnings_dock.setObjectName("warnings_dock")
        self.warnings_dock.setWidget(self.warnings_list)
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.warnings_dock)
        self.splitDockWidget(self.sources_dock, self.warnings_dock, Qt.Orientation.Vertical)
        self.warnings_dock.hide()
        self.resizeDocks([self.sources_dock], [470], Qt.Orientation.Horizontal)

    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        self.status_label = QLabel()
        self.status_label.setTextFormat(Qt.TextFormat.PlainText)
        bar.addWidget(self.status_label, 1)
        self.warnings_button = QToolButton()
        self.warnings_button.setAutoRaise(True)
        self.warnings_button.setToolTip("Show or hide the warnings")
        self.warnings_button.clicked.connect(self._on_warnings_button_clicked)
        self.warnings_button.hide()
        self.progress_label = QLabel()
        self.progress_bar = QProgressBar()
        self.progress_bar.setRange(0, 1000)
        self.progress_bar.setFixedWidth(180)
        self.progress_bar.setTextVisible(False)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.clicked.connect(self.cancel_loading)
        for widget in (
            self.warnings_button,
            self.progress_label,
            self.progress_bar,
            self.cancel_button,
        ):
            bar.addPermanentWidget(widget)
        self._set_loading(False)

    def _build_menus(self) -> None:
        menu = self.menuBar().addMenu("&File")
        self.open_action = QAction("&Open…", self)
        self.open_action.setShortcut(QKeySequence.StandardKey.Open)
        self.open_action.triggered.connect(self._on_open_action_triggered)
        folder = QAction("Open &Folder…", self)
        folder.setShortcut(QKeySequence("Ctrl+Shift+O"))
        folder.triggered.connect(self._on_open_folder_action_triggered)
        self.recent_menu = menu.addMenu("Open &Recent")
        self.recent_menu.aboutToShow.connect(self._on_recent_menu_about_to_show)
        quit_action = QAction("&Quit", self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        quit_action.triggered.connect(self.close)
        menu.addAction(self.open_action)
        menu.addAction(folder)
        menu.addMenu(self.recent_menu)
        menu.addSeparator()
        menu.addAction(quit_action)
        view = self.menuBar().addMenu("&View")
        view.addAction(self.sources_dock.toggleViewAction())
        view.addAction(self.warnings_dock.toggleViewAction())

    # -- loading ----------------------------------------------------------------------------
    def open_paths(self, paths: Sequence[str]) -> None:
        """Start reading `paths` in the background; the result replaces the current investigation.

        A load already running is cancelled: the newest request wins.
        """
        paths = [str(p) for p in paths]
        if not paths:
            return
        self.cancel_loading()
        if self._remember:
            self.settings.add_recent(paths)
        worker = Worker(ingest_task(paths))
        worker.signals.progress.connect(self._on_worker_progress)
        worker.signals.finished.connect(self._on_worker_finished)
        worker.signals.failed.connect(self._on_worker_failed)
        worker.signals.cancelled.connect(self._on_worker_cancelled)
        self._worker = worker
        self._workers.add(worker)
        self._loading_paths = paths
        self._started = time.monotonic()
        self._set_loading(True)
        self._show_status(f"Opening {_describe_paths(paths)}…")
        self._pool.start(worker)

    def cancel_loading(self) -> None:
        """Ask the running load, if any, to stop; the current investigation stays."""
        if self._worker is not None:
            self._worker.cancel()
            self._show_status("Cancelling…")

    def is_loading(self) -> bool:
        """Return whether a load is running."""
        return self._worker is not None

    def _worker_of_sender(self) -> Worker | None:
        """Return the worker whose signal is being handled, forgetting it if it was superseded."""
        sender = self.sender()
        for worker in list(self._workers):
            if worker.signals is sender:
                return worker
        return None

    def _on_worker_progress(self, fraction: float, text: str) -> None:
        if self._worker_of_sender() is self._worker and self._worker is not None:
            self.progress_bar.setValue(round(fraction * 1000))
            self.progress_label.setText(text)

    def _on_worker_finished(self, result: Ingested) -> None:
        if not self._is_final_of_current():
            return
        self.show_ingested(result)
        seconds = time.monotonic() - self._started
        skipped = sum(1 for s in result.sources if s.format == "skipped")
        read = len(result.sources) - skipped
        note = f", {skipped} skipped" if skipped else ""
        self._show_status(
            f"{result.table.height:,} entries from {read} source{'s' if read != 1 else ''}"
            f"{note} in {seconds:.1f} s"
        )
        self.sig_load_finished.emit(result)

    def _on_worker_failed(self, message: str) -> None:
        if not self._is_final_of_current():
            return
        self._add_warnings([f"could not open {_describe_paths(self._loading_paths)}: {message}"])
        self._show_status(f"Could not open {_describe_paths(self._loading_paths)}: {message}")
        self.sig_load_failed.emit(message)

    def _on_worker_cancelled(self) -> None:
        if not self._is_final_of_current():
            return
        self._show_status("Loading cancelled.")
        self.sig_load_cancelled.emit()

    def _is_final_of_current(self) -> bool:
        """Return whether the final signal being handled comes from the current load (and end it)."""
        worker = self._worker_of_sender()
        if worker is not None:
            self._workers.discard(worker)
        if worker is None or worker is not self._worker:
            return False
        self._worker = None
        self._set_loading(False)
        return True

    def show_ingested(self, result: Ingested) -> None:
        """Show an ingest result: its table, its sources and its warnings."""
        self.ingested = result
        self.model.set_table(result.table)
        for column in range(self.model.columnCount()):
            self.table_view.setItemDelegateForColumn(column, None)
        if (message := self.model.column_of("message")) >= 0:
            self.table_view.setItemDelegateForColumn(message, self._message_delegate)
        self._size_columns()
        self.sources_panel.set_sources(result.sources)
        self.detail.show_entry(None)
        if self.model.rowCount():
            self.table_view.selectRow(0)
        self.warnings_list.clear()
        warnings = list(result.warnings)
        if self.model.is_capped():
            warnings.append(
                f"showing the first {self.model.rowCount():,} of {result.table.height:,} entries: "
                "the table cannot scroll further"
            )
        self._add_warnings(warnings)
        self.setWindowTitle(f"{_describe_paths(self._loading_paths)} \u2013 logview")

    def _add_warnings(self, warnings: Sequence[str]) -> None:
        for warning in warnings:
            self.warnings_list.addItem(visible_text(warning))
            self.warnings_list.item(self.warnings_list.count() - 1).setToolTip(
                visible_text(warning)
            )
        count = self.warnings_list.count()
        self.warnings_button.setText(f"\u26a0 {count} warning{'s' if count != 1 else ''}")
        self.warnings_button.setVisible(count > 0)
        if count and not self.warnings_dock.isVisible():
            self.warnings_dock.show()
            # A few lines are enough; the sources keep most of the height.
            height = self.sources_dock.height() + self.warnings_dock.height()
            self.resizeDocks(
                [self.sources_dock, self.warnings_dock],
                [height - 140, 140],
                Qt.Orientation.Vertical,
            )
        elif not count:
            self.warnings_dock.hide()

    def _size_columns(self) -> None:
        """Set each column's starting width from its content's shape, not by measuring every row."""
        view, model = self.table_view, self.model
        plain, mono = view.fontMetrics(), model.monospace_metrics()
        header = view.horizontalHeader()
        pad = 18
        table = model.table()
        for column in range(model.columnCount()):
            name = model.column_name(column)
            title = (
                plain.horizontalAdvance(str(model.headerData(column, Qt.Orientation.Horizontal)))
                + pad
            )
            if name == "ts":
                width = mono.horizontalAdvance("2026-03-10 14:05:01.123") + pad
            elif name == "level":
                width = plain.horizontalAdvance("ERROR") + pad
            elif name == "line":
                width = plain.horizontalAdvance(f"{table['line'].max() or 0:,}") + pad
            elif name == "source":
                sample = [model.display_text(0, column)] if table.height else []
                sample += list(model.short_sources().values())
                width = max((plain.horizontalAdvance(s) for s in sample), default=0) + pad
            elif name == "message":
                # End at the view's right edge; extra columns follow beyond it.
                # The vertical scroll bar may not be shown yet: leave room for it.
                used = sum(header.sectionSize(c) for c in range(column))
                scroll_bar = view.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent)
                room = view.width() - 2 * view.frameWidth() - scroll_bar - used
                width = max(MESSAGE_COLUMN_PX, room)
            else:
                # Extra fields: a look at the first rows is enough to pick a starting width.
                values = table[name].head(200).drop_nulls().to_list()
                width = max((plain.horizontalAdvance(str(v)) for v in values), default=0) + pad
            header.resizeSection(
                column, min(max(width, title), MAX_COLUMN_PX if name != "message" else width)
            )
        only_core = model.columnCount() <= 5
        header.setStretchLastSection(only_core)

    def _set_loading(self, loading: bool) -> None:
        for widget in (self.progress_label, self.progress_bar, self.cancel_button):
            widget.setVisible(loading)
        self.progress_bar.setValue(0)
        self.progress_label.setText("")

    def _show_status(self, text: str) -> None:
        self.status_label.setText(visible_text(text))

    def status_text(self) -> str:
        """Return the status bar's message."""
        return self.status_label.text()

    # -- user actions -----------------------------------------------------------------------
    def _on_table_current_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self.detail.show_entry(self.model.row_values(current.row()) if current.isValid() else None)

    def _on_warnings_button_clicked(self) -> None:
        self.warnings_dock.setVisible(not self.warnings_dock.isVisible())

    def _on_open_action_triggered(self) -> None:
        paths, _filter = QFileDialog.getOpenFileNames(
            self, "Open log files or archives", self._start_folder()
        )
        self.open_paths(paths)

    def _on_open_folder_action_triggered(self) -> None:
        folder = QFileDialog.getExistingDirectory(
            self, "Open a folder of logs", self._start_folder()
        )
        if folder:
            self.open_paths([folder])

    def _on_recent_menu_about_to_show(self) -> None:
        self.recent_menu.clear()
        recent = self.settings.recent_paths()
        for path in recent:
            action = self.recent_menu.addAction(visible_text(path))
            action.triggered.connect(lambda _checked=False, p=path: self.open_paths([p]))
        if not recent:
            self.recent_menu.addAction("(none)").setEnabled(False)

    def _start_folder(self) -> str:
        recent = self.settings.recent_paths()
        return str(Path(recent[0]).parent) if recent else str(Path.home())

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if _local_paths(event.mimeData().urls()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = _local_paths(event.mimeData().urls())
        if paths:
            event.acceptProposedAction()
            self.open_paths(paths)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange):
            self.model.update_palette(self.palette())
        super().changeEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.cancel_loading()
        # Ingest checks for cancellation between chunks, so this wait is short; leaving a
        # worker running past the window's end would emit into deleted objects.
        self._pool.waitForDone()
        if self._remember:
            self.settings.set_value("window/geometry", self.saveGeometry())
            self.settings.set_value("window/state", self.saveState())
            self.settings.sync()
        super().closeEvent(event)

    def restore_layout(self) -> bool:
        """Return whether the saved window geometry and dock layout were restored."""
        geometry = self.settings.value("window/geometry")
        if geometry.isEmpty():
            return False
        self.restoreGeometry(geometry)
        state = self.settings.value("window/state")
        if not state.isEmpty():
            self.restoreState(state)
        return True


def _local_paths(urls: Sequence[Any]) -> list[str]:
    return [url.toLocalFile() for url in urls if url.isLocalFile()]


def _describe_paths(paths: Sequence[str]) -> str:
    """Return a short name for what was opened: "app.log", or "app.log and 2 more"."""
    if not paths:
        return "nothing"
    first = Path(paths[0]).name or paths[0]
    return first if len(paths) == 1 else f"{first} and {len(paths) - 1} more"
