"""The log table: a Qt model that reads cells straight from the polars table, and its delegate.

No per-row objects: `data()` indexes the table's columns (held as polars Series) for the few
cells a view paints. Measured at 1M rows: `series[row]` 0.53 µs a cell, a cached Python list
0.45 µs, a numpy object array 0.44 µs, `frame[col][row]` 1.07 µs. Caching lists would save
0.1 µs a cell at a cost of 55 ms and ~100 bytes a row per column up front, so the model holds
the Series and formats only what is painted.
"""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import polars as pl
from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QPointF,
    QRect,
    Qt,
)
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontDatabase,
    QFontMetrics,
    QIcon,
    QPainter,
    QPalette,
    QPixmap,
    QPolygonF,
)
from PySide6.QtWidgets import (
    QApplication,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from logview.core.reading.header import FIELDS as HEADER_FIELDS
from logview.core.shared.body import BODY_AT
from logview.core.shared.display import (
    format_stamp,
    message_cell_text,
    message_summary,
    more_lines_marker,
    short_source_names,
    visible_text,
)
from logview.core.shared.table import (
    CORE_COLUMNS,
    INTERNAL_COLUMNS,
    empty_table,
    time_order,
)
from logview.core.shared.table import source_names as distinct_sources
from logview.gui.theme import BOOKMARK_COLOURS, BOOKMARK_TINTS, DIMMED, LEVEL_COLOURS, is_dark

HEADERS = {
    "ts": "Time (UTC)",
    "level": "Level",
    "source": "Source",
    "line": "Line",
    "message": "Message",
}
# (first line, more-lines count) of a message cell, for the delegate that keeps the marker visible.
MESSAGE_PARTS_ROLE = Qt.ItemDataRole.UserRole + 1
# QTableView lays rows out in 32-bit pixels: past 2**31 px of rows it misdraws and hangs.
MAX_VIEW_PIXELS = 2**31 - 1

_Index = QModelIndex | QPersistentModelIndex


def monospace_font() -> QFont:
    """Return the system's fixed-width font."""
    return QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)


# What the core columns are, for their header's tooltip (the other columns are fields).
HEADER_TIPS = {
    "ts": "when the entry was written, in the zone shown (View > Time Zone)",
    "level": "its severity, read from the entry or, marked so, from its words",
    "source": "the file (or archive member) it comes from",
    "line": "the line it starts on in its source",
    "message": "the entry's text after its header (the whole entry is below)",
}


class LogTableModel(QAbstractTableModel):
    """The rows of an ingested table: time, level, source, line, message, then extra columns."""

    def __init__(self, table: pl.DataFrame | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._mono = monospace_font()
        self._max_rows: int | None = None
        self._level_brushes: dict[str, QColor] = {}
        self._context_brush = QColor(DIMMED)
        self._zone: ZoneInfo | None = None
        self._hidden: set[str] = set()
        self._marked: frozenset[int] = frozenset()  # table rows bookmarked
        self._set(table if table is not None else empty_table())
        self.update_palette(QApplication.palette())

    # -- the table -------------------------------------------------------------------------
    def set_table(
        self,
        table: pl.DataFrame,
        order: np.ndarray | None = None,
        source_names: list[str] | None = None,
    ) -> None:
        """Show `table` instead of the current one, all rows in time order (`order`, the
        table's `time_order`, and `source_names`, its source column's distinct values, when the
        caller has them: sorting 10M rows takes a while, finding their sources 20 ms)."""
        self.beginResetModel()
        self._set(table, order, source_names)
        self.endResetModel()

    def grow_table(self, table: pl.DataFrame) -> None:
        """Take `table`: the shown one with rows appended (followed files). The rows shown stay
        (their positions are the same in the grown table) until the next `set_rows`."""
        reset = table.columns != self._table.columns
        if reset:
            self.beginResetModel()
        self._table = table
        self._choose_columns()
        if reset:
            self.endResetModel()

    def set_rows(self, rows: np.ndarray, context: np.ndarray | None = None) -> None:
        """Show only table rows `rows`, in that order; rows where `context` is False are
        context around the matches, drawn dimmed."""
        self.beginResetModel()
        self._rows = rows
        self._is_match = context
        self.endResetModel()

    def set_bookmarked(self, rows: np.ndarray) -> None:
        """Mark table rows `rows` as bookmarked: a mark in the first column, a tinted row."""
        self._marked = frozenset(int(r) for r in rows)
        if self.rowCount():
            self.dataChanged.emit(
                self.index(0, 0), self.index(self.rowCount() - 1, self.columnCount() - 1)
            )

    def bookmarked_rows(self) -> np.ndarray:
        """Return the table rows marked as bookmarked (sorted)."""
        return np.array(sorted(self._marked), dtype=np.int64)

    def is_bookmarked(self, row: int) -> bool:
        """Return whether view row `row` shows a bookmarked entry."""
        return bool(self._marked) and self.table_row(row) in self._marked

    def set_hidden_columns(self, names: set[str]) -> None:
        """Hide these table columns (the column chooser)."""
        self.beginResetModel()
        self._hidden = set(names)
        self._choose_columns()
        self.endResetModel()

    def set_time_zone(self, zone: str | None) -> None:
        """Show stamps in `zone` (IANA name; None is UTC)."""
        self.beginResetModel()
        self._zone = ZoneInfo(zone) if zone else None
        self.endResetModel()

    def all_columns(self) -> list[str]:
        """Return every table column that can be shown, in order: time, level, source, line,
        the message (its body: the stamp and level have their own columns), the header's
        fields (host, program, pid, thread, logger), then the other fields."""
        table = self._table
        core = [c for c in CORE_COLUMNS if c in table.columns and c not in INTERNAL_COLUMNS]
        header = [c for c in HEADER_FIELDS if c in table.columns]
        return core + header + [c for c in table.columns if c not in CORE_COLUMNS + (*header,)]

    def view_rows(self) -> np.ndarray:
        """Return the table rows shown, in view order."""
        return np.asarray(self._rows)

    def is_context(self, row: int) -> bool:
        """Return whether view row `row` is context around a match rather than a match."""
        return self._is_match is not None and not bool(self._is_match[row])

    def _choose_columns(self) -> None:
        self._names = [c for c in self.all_columns() if c not in self._hidden or c == "message"]
        self._series = [self._table[name] for name in self._names]
        self._body_at = self._table[BODY_AT] if BODY_AT in self._table.columns else None

    def _value(self, row: int, column: int) -> Any:
        """Return the value of a cell of view row `row`: for the message, its body."""
        at = self.table_row(row)
        value = self._series[column][at]
        if self._body_at is not None and value and self._names[column] == "message":
            start = self._body_at[at]
            if start:
                # The header's end: the space after it is no part of the body.
                return value[start:].lstrip(" \t")
        return value

    def _set(
        self,
        table: pl.DataFrame,
        order: np.ndarray | None = None,
        source_names: list[str] | None = None,
    ) -> None:
        self._table = table
        # View row -> table row: the table keeps sources apart, the view shows time order.
        if order is None:
            order = (
                time_order(table).to_numpy() if "seq" in table.columns else np.arange(table.height)
            )
        self._rows = order
        self._is_match: np.ndarray | None = None
        self._choose_columns()
        if source_names is None:
            source_names = distinct_sources(table)
        self._short_sources = short_source_names(source_names)

    def table(self) -> pl.DataFrame:
        """Return the table shown."""
        return self._table

    def column_name(self, column: int) -> str:
        """Return the table column shown in view column `column`."""
        return self._names[column]

    def column_of(self, name: str) -> int:
        """Return the view column showing table column `name`, -1 if not shown."""
        return self._names.index(name) if name in self._names else -1

    def short_sources(self) -> dict[str, str]:
        """Return the short name shown for each source (full name -> shortest unique suffix)."""
        return dict(self._short_sources)

    def monospace_metrics(self) -> QFontMetrics:
        """Return the metrics of the fixed-width font used for times and messages."""
        return QFontMetrics(self._mono)

    def set_max_rows(self, rows: int | None) -> None:
        """Show at most `rows` rows (the view's pixel limit), or all with None."""
        self.beginResetModel()
        self._max_rows = rows
        self.endResetModel()

    def is_capped(self) -> bool:
        """Return whether the table has more rows than the view can show."""
        return self._max_rows is not None and len(self._rows) > self._max_rows

    def table_row(self, row: int) -> int:
        """Return the table row shown in view row `row`."""
        return int(self._rows[row])

    def row_values(self, row: int) -> dict[str, Any]:
        """Return every field of one view row by column name (for the detail pane)."""
        at = self.table_row(row)
        return dict(zip(self._names, (series[at] for series in self._series), strict=True))

    def update_palette(self, palette: QPalette) -> None:
        """Pick level colours readable on `palette` (light or dark)."""
        dark = int(is_dark(palette))
        self._level_brushes = {level: QColor(pair[dark]) for level, pair in LEVEL_COLOURS.items()}
        self._context_brush = palette.color(QPalette.ColorRole.PlaceholderText)
        self._mark_tint = QColor(BOOKMARK_TINTS[dark])
        self._mark_icon = _bookmark_icon(QColor(BOOKMARK_COLOURS[dark]))
        self._gutter = _bookmark_icon(QColor(Qt.GlobalColor.transparent))
        if self.rowCount():
            self.dataChanged.emit(self.index(0, 1), self.index(self.rowCount() - 1, 1))

    # -- Qt model interface ----------------------------------------------------------------
    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        if parent.isValid():
            return 0
        height = len(self._rows)
        return height if self._max_rows is None else min(height, self._max_rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._names)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            name = self._names[section]
            if name == "ts":
                return f"Time ({self._zone.key if self._zone else 'UTC'})"
            return HEADERS.get(name, name)
        if role == Qt.ItemDataRole.ToolTipRole:
            name = self._names[section]
            about = HEADER_TIPS.get(name, "a field of the entries (click a cell to filter on it)")
            return f"{name}: {about}"
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # Called several times per painted cell (one per role): return early for roles not used.
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self.display_text(index.row(), column)
        if role == MESSAGE_PARTS_ROLE:
            value = self._value(index.row(), column)
            return message_summary(value) if isinstance(value, str) else ("", 0)
        if role == Qt.ItemDataRole.ForegroundRole:
            if self._is_match is not None and not self._is_match[index.row()]:
                return self._context_brush
            if self._names[column] == "level":
                return self._level_brushes.get(self._series[column][self.table_row(index.row())])
            return None
        if role == Qt.ItemDataRole.BackgroundRole:
            return self._mark_tint if self.is_bookmarked(index.row()) else None
        if role == Qt.ItemDataRole.DecorationRole:
            # The first column keeps a gutter on every row, so that a mark moves no text.
            if column != 0:
                return None
            return self._mark_icon if self.is_bookmarked(index.row()) else self._gutter
        if role == Qt.ItemDataRole.FontRole:
            return self._mono if self._names[column] in ("message", "ts") else None
        if role == Qt.ItemDataRole.ToolTipRole:
            if self._names[column] == "source":
                return visible_text(str(self._series[column][self.table_row(index.row())]))
            return None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if self._names[column] == "line":
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            return None
        return None

    def display_text(self, row: int, column: int) -> str:
        """Return the one-line text shown in a cell of view row `row`."""
        value = self._value(row, column)
        if value is None:
            return ""
        name = self._names[column]
        if name == "ts":
            return format_stamp(value.astimezone(self._zone) if self._zone else value)
        if name == "source":
            return visible_text(self._short_sources.get(value, value))
        if isinstance(value, str):
            return message_cell_text(value)
        return str(value)


GUTTER_PX = 14  # the first column's room for a bookmark's mark (its icon and a gap)


def _bookmark_icon(colour: QColor) -> QIcon:
    """Return the gutter mark of a bookmarked entry: a bookmark ribbon in `colour`."""
    pixmap = QPixmap(10, 12)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(colour)
    ribbon = [(0, 0), (10, 0), (10, 12), (5, 8), (0, 12)]
    painter.drawPolygon(QPolygonF([QPointF(x, y) for x, y in ribbon]))
    painter.end()
    return QIcon(pixmap)


class MessageDelegate(QStyledItemDelegate):
    """Draws a message's first line elided to fit, keeping its "⏎ N more lines" marker visible.

    Qt's own elision would cut the marker off long first lines, hiding that there is more.
    """

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _Index) -> None:
        first, more = index.data(MESSAGE_PARTS_ROLE) or ("", 0)
        if not more:
            super().paint(painter, option, index)
            return
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        widget = opt.widget
        style = widget.style() if widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        rect: QRect = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, opt, widget)
        # The same inner margin QCommonStyle leaves around item text.
        margin = style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, widget) + 1
        rect = rect.adjusted(margin, 0, -margin, 0)
        metrics = opt.fontMetrics
        marker = more_lines_marker(more)
        marker_width = metrics.horizontalAdvance(marker)
        text = metrics.elidedText(
            first, Qt.TextElideMode.ElideRight, max(0, rect.width() - marker_width)
        )
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        group = (
            QPalette.ColorGroup.Active
            if opt.state & QStyle.StateFlag.State_Active
            else QPalette.ColorGroup.Inactive
        )
        text_role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        painter.save()
        painter.setFont(opt.font)
        painter.setPen(opt.palette.color(group, text_role))
        flags = (
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter | Qt.TextFlag.TextSingleLine
        )
        painter.drawText(rect, flags, text)
        marker_rect = rect.adjusted(metrics.horizontalAdvance(text), 0, 0, 0)
        if not selected:
            painter.setPen(opt.palette.color(group, QPalette.ColorRole.PlaceholderText))
        painter.drawText(marker_rect, flags, marker)
        painter.restore()


class FrameModel(QAbstractTableModel):
    """A small result frame (stats, patterns) shown as it is: every cell as plain text."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._frame = pl.DataFrame()

    def set_frame(self, frame: pl.DataFrame) -> None:
        self.beginResetModel()
        self._frame = frame
        self._columns = [frame[c] for c in frame.columns]
        self.endResetModel()

    def frame(self) -> pl.DataFrame:
        return self._frame

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else self._frame.height

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else self._frame.width

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return visible_text(self._frame.columns[section])
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            value = self._columns[index.column()][index.row()]
            if value is None:
                return ""
            if isinstance(value, float):
                return (
                    f"{value:,.3f}".rstrip("0").rstrip(".")
                    if not value.is_integer()
                    else f"{value:,.0f}"
                )
            if isinstance(value, int) and not isinstance(value, bool):
                return f"{value:,}"
            if hasattr(value, "strftime"):
                return format_stamp(value)
            return message_cell_text(str(value))
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if self._frame.dtypes[index.column()].is_numeric():
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None
