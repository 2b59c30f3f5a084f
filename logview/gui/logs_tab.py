"""The Logs tab: the log table over the shared table's rows with the selected entry's detail
below it (or a results table for stats queries), and a find bar.

It shows what it is given (a table, the rows of a view, a result frame) and says what the
reader asked for (a filter on a value, a column shown or hidden); it runs no query itself.
"""

from __future__ import annotations

import numpy as np
import polars as pl
from PySide6.QtCore import QEvent, QModelIndex, QPoint, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QSplitter,
    QStackedWidget,
    QStyle,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from logview.core.shared.display import rows_as_text
from logview.gui.detail_pane import DetailPane
from logview.gui.log_model import (
    GUTTER_PX,
    MAX_VIEW_PIXELS,
    FrameModel,
    LogTableModel,
    MessageDelegate,
)

# Widest a column may start at; users can drag it wider.
MAX_COLUMN_PX = 260
MESSAGE_COLUMN_PX = 360

Anchor = tuple[int | None, int, bool]  # the current table row, the scroll position, at the end


class LogsTab(QWidget):
    """The log table and detail pane, the results table, and the find bar."""

    filter_requested = Signal(str, str, bool)  # column, value, exclude
    hidden_columns_changed = Signal(list)  # the names of the hidden columns, sorted
    bookmark_requested = Signal(list)  # table rows: bookmark the entries (or unmark)

    def __init__(self, hidden_columns: set[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._hidden_columns = set(hidden_columns)
        self._build_table()
        self.detail = DetailPane()
        self.detail.filter_requested.connect(self.filter_requested)
        logs = QSplitter(Qt.Orientation.Vertical)
        logs.addWidget(self.table_view)
        logs.addWidget(self.detail)
        logs.setStretchFactor(0, 3)
        logs.setStretchFactor(1, 1)
        logs.setSizes([600, 220])
        self.result_model = FrameModel(self)
        self.result_view = QTableView()
        self.result_view.setModel(self.result_model)
        self.result_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.result_view.verticalHeader().setVisible(False)
        self.result_view.setAlternatingRowColors(True)
        self.result_view.horizontalHeader().setStretchLastSection(False)
        # Columns sized to what is on screen and the next rows, not to every row of a long
        # result (thousands of bins measured cell by cell held the window for 80 ms).
        self.result_view.horizontalHeader().setResizeContentsPrecision(200)
        self.stack = QStackedWidget()
        self.stack.addWidget(logs)
        self.stack.addWidget(self.result_view)
        self.find_bar = self._build_find_bar()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.find_bar)
        copy = QShortcut(QKeySequence.StandardKey.Copy, self.table_view)
        copy.setContext(Qt.ShortcutContext.WidgetShortcut)
        copy.activated.connect(self.copy_selected_rows)
        # M marks the entry, as lnav's `m` does.
        mark = QShortcut(QKeySequence("M"), self.table_view)
        mark.setContext(Qt.ShortcutContext.WidgetShortcut)
        mark.activated.connect(self.bookmark_selected)
        mark.setWhatsThis("Bookmark the selected log entries (again: remove the bookmark)")
        # U and Shift+U go to the next and the previous bookmark, as in lnav.
        for keys, step, what in (("U", 1, "next"), ("Shift+U", -1, "previous")):
            go = QShortcut(QKeySequence(keys), self.table_view)
            go.setContext(Qt.ShortcutContext.WidgetShortcut)
            go.activated.connect(lambda step=step: self.go_to_bookmark(step))
            go.setWhatsThis(f"Go to the {what} bookmarked log entry")

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
        view.selectionModel().currentRowChanged.connect(self._on_current_row_changed)
        view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        view.customContextMenuRequested.connect(self._on_table_context_menu)
        columns.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        columns.customContextMenuRequested.connect(self._on_header_context_menu)

    def _build_find_bar(self) -> QWidget:
        bar = QWidget()
        row = QHBoxLayout(bar)
        row.setContentsMargins(0, 0, 0, 0)
        self.find_edit = QLineEdit()
        self.find_edit.setPlaceholderText("Find in results (F3: next)")
        self.find_edit.returnPressed.connect(self.find_next)
        self.find_label = QLabel()
        self.find_label.setTextFormat(Qt.TextFormat.PlainText)
        close = QToolButton()
        close.setText("✕")
        close.setAutoRaise(True)
        close.clicked.connect(bar.hide)
        row.addWidget(QLabel("Find:"))
        row.addWidget(self.find_edit, 1)
        row.addWidget(self.find_label)
        row.addWidget(close)
        bar.hide()
        return bar

    # -- what is shown -----------------------------------------------------------------------
    def set_table(
        self,
        table: pl.DataFrame,
        order: np.ndarray | None = None,
        source_names: list[str] | None = None,
    ) -> None:
        """Show a new table (a load's result, or its first source while loading): its columns
        sized from their content, its first row selected. `order` and `source_names` are the
        table's time order and distinct sources, where the caller has them."""
        self.model.set_table(table, order, source_names)
        self.model.set_hidden_columns(self._hidden_columns)
        for column in range(self.model.columnCount()):
            self.table_view.setItemDelegateForColumn(column, None)
        if (message := self.model.column_of("message")) >= 0:
            self.table_view.setItemDelegateForColumn(message, self._message_delegate)
        self.stack.setCurrentIndex(0)
        self.size_columns()
        self.detail.show_entry(None)
        if self.model.rowCount():
            self.table_view.selectRow(0)

    def clear(self) -> None:
        self.model.set_table(self.model.table().clear())

    def show_rows(self, rows: np.ndarray, is_match: np.ndarray | None, anchor: Anchor | None):
        """Show a view's rows (`is_match` marks the matches among context rows); with an
        `anchor` (the same view, grown), stay where the reader was."""
        self.model.set_rows(rows, is_match)
        self.stack.setCurrentIndex(0)
        if anchor is not None:
            self._restore_anchor(anchor, rows)
            return
        self.detail.show_entry(None)
        if self.model.rowCount():
            self.table_view.selectRow(0)

    def show_frame(self, frame: pl.DataFrame) -> None:
        """Show a stats query's result table in place of the log table."""
        self.result_model.set_frame(frame)
        self.result_view.resizeColumnsToContents()
        self.stack.setCurrentIndex(1)

    def select_table_row(self, row: int) -> bool:
        """Select table row `row` if the rows shown hold it; return whether they do."""
        found = np.flatnonzero(self.model.view_rows()[: self.model.rowCount()] == row)
        if not found.size:
            return False
        self.stack.setCurrentIndex(0)
        self.table_view.selectRow(int(found[0]))
        self.table_view.scrollTo(self.model.index(int(found[0]), 0))
        return True

    def go_to_bookmark(self, step: int) -> bool:
        """Select the bookmarked entry shown after (`step` 1) or before (-1) the current row;
        return whether there is one."""
        marked = self.model.bookmarked_rows()
        if not marked.size:
            return False
        shown = np.flatnonzero(np.isin(self.model.view_rows()[: self.model.rowCount()], marked))
        current = self.table_view.currentIndex().row()
        ahead = shown[shown > current] if step > 0 else shown[shown < current][::-1]
        if not ahead.size:
            return False
        self.table_view.selectRow(int(ahead[0]))
        self.table_view.scrollTo(self.model.index(int(ahead[0]), 0))
        return True

    def anchor(self) -> Anchor:
        """Return what the log table shows (its current entry, its scroll position, whether it
        is scrolled to the end), to keep it across a view that grew."""
        bar = self.table_view.verticalScrollBar()
        current = self.table_view.currentIndex()
        row = self.model.table_row(current.row()) if current.isValid() else None
        return row, bar.value(), bar.value() >= bar.maximum()

    def _restore_anchor(self, anchor: Anchor, rows: np.ndarray) -> None:
        row, scroll, at_end = anchor
        if row is not None:
            found = np.flatnonzero(rows == row)
            if found.size:
                self.table_view.selectRow(int(found[0]))
        if at_end:
            self.table_view.scrollToBottom()
        else:
            self.table_view.verticalScrollBar().setValue(scroll)

    def size_columns(self) -> None:
        """Set each column's starting width from its content's shape, not by measuring every row."""
        view, model = self.table_view, self.model
        plain, mono = view.fontMetrics(), model.monospace_metrics()
        header = view.horizontalHeader()
        pad = 18
        table = model.table()
        head = table.head(200)  # (one slice: a Series method per column costs a query each)
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
                values = [v for v in head[name].to_list() if v is not None]
                width = max((plain.horizontalAdvance(str(v)) for v in values), default=0) + pad
            if column == 0:
                width += GUTTER_PX
            header.resizeSection(
                column, min(max(width, title), MAX_COLUMN_PX if name != "message" else width)
            )
        only_core = model.columnCount() <= 5
        header.setStretchLastSection(only_core)

    def set_column_shown(self, name: str, shown: bool) -> None:
        """Show or hide a column of the log table."""
        hidden = self._hidden_columns
        hidden.discard(name) if shown else hidden.add(name)
        self.model.set_hidden_columns(hidden)
        self.size_columns()
        self.hidden_columns_changed.emit(sorted(hidden))

    def set_time_zone(self, zone: str | None) -> None:
        self.model.set_time_zone(zone)

    # -- the reader's actions ----------------------------------------------------------------
    def filter_on_cell(self, row: int, column: int, *, exclude: bool = False) -> None:
        """Ask for a filter on the value of a cell of the log table."""
        name = self.model.column_name(column)
        value = self.model.row_values(row)[name]
        if value is not None:
            self.filter_requested.emit(name, str(value), exclude)

    def selected_rows_text(self) -> str:
        """Return the selected rows as text: time, level, source, message, tab-separated."""
        return rows_as_text(self.model.row_values(row) for row in self._selected_view_rows())

    def _selected_view_rows(self) -> list[int]:
        return sorted({i.row() for i in self.table_view.selectionModel().selectedRows()})

    def bookmark_selected(self) -> None:
        """Ask to bookmark the selected entries (each marked one is unmarked)."""
        rows = self._selected_view_rows()
        if rows and self.stack.currentIndex() == 0:
            self.bookmark_requested.emit([self.model.table_row(r) for r in rows])

    def copy_selected_rows(self) -> None:
        text = self.selected_rows_text()
        if text:
            QApplication.clipboard().setText(text)

    def show_find(self) -> None:
        self.find_bar.show()
        self.find_edit.setFocus()
        self.find_edit.selectAll()

    def find_next(self) -> None:
        """Select the next row of the log table whose message holds the find text (any case)."""
        needle, table = self.find_edit.text(), self.model.table()
        if not needle or "message" not in table.columns:
            return
        rows = self.model.view_rows()[: self.model.rowCount()]
        messages = table["message"].gather(rows)
        found = messages.str.to_lowercase().str.contains(needle.lower(), literal=True)
        hits = np.flatnonzero(found.fill_null(False).to_numpy())
        if hits.size == 0:
            self.find_label.setText("not found")
            return
        current = self.table_view.currentIndex().row()
        later = hits[hits > current]
        target = int(later[0] if later.size else hits[0])
        self.find_label.setText(f"{int(np.searchsorted(hits, target)) + 1} of {hits.size:,}")
        self.table_view.selectRow(target)
        self.table_view.scrollTo(self.model.index(target, 0))

    def escape(self) -> None:
        """Close the find bar and clear the selection."""
        if self.find_bar.isVisible():
            self.find_bar.hide()
        self.table_view.clearSelection()

    def _on_current_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self.detail.show_entry(self.model.row_values(current.row()) if current.isValid() else None)

    def _on_table_context_menu(self, point: QPoint) -> None:
        index = self.table_view.indexAt(point)
        if not index.isValid():
            return
        name = self.model.column_name(index.column())
        menu = QMenu(self)
        if name != "ts":
            value = self.model.display_text(index.row(), index.column())
            short = value if len(value) <= 40 else value[:39] + "…"
            keep = menu.addAction(f"Filter to {short!r}")
            keep.triggered.connect(lambda: self.filter_on_cell(index.row(), index.column()))
            drop = menu.addAction(f"Exclude {short!r}")
            drop.triggered.connect(
                lambda: self.filter_on_cell(index.row(), index.column(), exclude=True)
            )
            menu.addSeparator()
        mark = menu.addAction("Bookmark")
        mark.setShortcut(QKeySequence("M"))
        mark.triggered.connect(self.bookmark_selected)
        copy = menu.addAction("Copy Rows")
        copy.triggered.connect(self.copy_selected_rows)
        menu.exec(self.table_view.viewport().mapToGlobal(point))

    def _on_header_context_menu(self, point: QPoint) -> None:
        menu = QMenu(self)
        for name in self.model.all_columns():
            if name == "message":
                continue
            action = menu.addAction(name)
            action.setCheckable(True)
            action.setChecked(name not in self._hidden_columns)
            action.toggled.connect(lambda on, n=name: self.set_column_shown(n, on))
        menu.exec(self.table_view.horizontalHeader().mapToGlobal(point))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange):
            self.model.update_palette(self.palette())
        super().changeEvent(event)
