"""The Patterns tab: one row per pattern of the current result, with its tokens drawn as chips,
counts, severity, a sparkline and its span; search, severity filter, and the row actions
Add to Filter, Exclude and Inspect."""

from __future__ import annotations

import re
from typing import Any

import polars as pl
from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QRectF,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QPainter, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from logview.core.analysis.compare import STATUS_RANK
from logview.core.analysis.pattern_view import SEVERITY_ORDER
from logview.core.shared.display import format_stamp, visible_text
from logview.gui.log_model import monospace_font
from logview.gui.theme import LEVEL_COLOURS, STATUS_COLOURS, is_dark

COLUMNS = ("Pattern", "Count", "Ratio", "Severity", "Trend", "First seen", "Last seen")
# Shown after COLUMNS while comparing; "Explains" is the pattern's share of the whole
# difference in entries between the range and its baseline (scaled to the same length).
COMPARE_COLUMNS = ("Before", "Change", "Status", "Explains")
SORT_ROLE = Qt.ItemDataRole.UserRole + 10
SPARK_ROLE = Qt.ItemDataRole.UserRole + 11
_TOKEN = re.compile(r"<\d+>")
_Index = QModelIndex | QPersistentModelIndex


class PatternModel(QAbstractTableModel):
    """The rows of a `PatternRows.frame` (pattern, template, count, ratio, severity, first,
    last, spark)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._frame = pl.DataFrame()
        self._rows: list[dict[str, Any]] = []
        self._comparing = False

    def set_frame(self, frame: pl.DataFrame) -> None:
        self.beginResetModel()
        self._frame = frame
        self._rows = frame.to_dicts()  # one dict per pattern: hundreds, not millions
        self._comparing = "status" in frame.columns
        self.endResetModel()

    def columns(self) -> tuple[str, ...]:
        return COLUMNS + COMPARE_COLUMNS if self._comparing else COLUMNS

    def pattern_id(self, row: int) -> str:
        return self._rows[row]["pattern"]

    def row_of(self, pattern_id: str) -> int:
        return next((i for i, r in enumerate(self._rows) if r["pattern"] == pattern_id), -1)

    def record(self, row: int) -> dict[str, Any]:
        return self._rows[row]

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.columns())

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.columns()[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        record = self._rows[index.row()]
        column = index.column()
        if column >= len(COLUMNS):
            return self._compare_data(record, column - len(COLUMNS), role)
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return visible_text(record["template"])
            if column == 1:
                return f"{record['count']:,}"
            if column == 2:
                return f"{record['ratio']:.1%}"
            if column == 3:
                return record["severity"]
            if column == 5:
                return format_stamp(record["first"])
            if column == 6:
                return format_stamp(record["last"])
            return ""
        if role == SORT_ROLE:
            if column == 3:
                return SEVERITY_ORDER.index(record["severity"])
            if column == 4:
                return sum(record["spark"])
            return (
                record["template"], record["count"], record["ratio"], 0, 0,
                record["first"], record["last"],
            )[column]  # fmt: skip
        if role == SPARK_ROLE:
            return record["spark"]
        if role == Qt.ItemDataRole.ToolTipRole and column == 0:
            return visible_text(f"{record['pattern']}: {record['template']}")
        if role == Qt.ItemDataRole.ForegroundRole and column == 3:
            colours = LEVEL_COLOURS.get(record["severity"])
            return QColor(colours[0]) if colours else None
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (1, 2):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _compare_data(self, record: dict[str, Any], column: int, role: int) -> Any:
        status = record.get("status") or "steady"
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return f"{record.get('before') or 0:,}"
            if column == 1:
                pct = record.get("change_pct")
                return (
                    "new"
                    if pct is None and status == "new"
                    else ("" if pct is None else f"{pct:+.0f}%")
                )
            if column == 3:
                return f"{record.get('explains') or 0.0:+.0%}"
            return status
        if role == SORT_ROLE:
            if column == 0:
                return record.get("before") or 0
            if column == 1:
                pct = record.get("change_pct")
                return float("inf") if pct is None else pct
            if column == 3:
                return abs(record.get("explains") or 0.0)
            return STATUS_RANK.get(status, 3)
        if role == Qt.ItemDataRole.ForegroundRole and column == 2 and status in STATUS_COLOURS:
            return QColor(STATUS_COLOURS[status])
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (0, 1, 3):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class TemplateDelegate(QStyledItemDelegate):
    """Draws a template's variable tokens (<1>, <2>, ...) as rounded chips."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _Index) -> None:
        text = index.data(Qt.ItemDataRole.DisplayRole) or ""
        opt = QStyleOptionViewItem(option)
        opt.text = ""
        style = opt.widget.style() if opt.widget is not None else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        painter.save()
        font = monospace_font()
        painter.setFont(font)
        metrics = painter.fontMetrics()
        rect = option.rect.adjusted(4, 0, -4, 0)
        x = float(rect.left())
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        text_colour = option.palette.color(
            QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        )
        chip = option.palette.color(QPalette.ColorRole.Highlight)
        chip.setAlpha(60 if not is_dark(option.palette) else 110)
        for part in re.split(r"(<\d+>)", text):
            if not part:
                continue
            width = metrics.horizontalAdvance(part)
            room = rect.right() - x
            if width + (6 if _TOKEN.fullmatch(part) else 0) > room:
                # The rest does not fit: what is left of this part, cut with "…".
                painter.setPen(text_colour)
                cut = metrics.elidedText(part, Qt.TextElideMode.ElideRight, max(0, int(room)))
                painter.drawText(QRectF(x, rect.top(), room, rect.height()),
                                 Qt.AlignmentFlag.AlignVCenter, cut or "…")  # fmt: skip
                break
            area = QRectF(x, rect.top() + 3, width + (6 if _TOKEN.fullmatch(part) else 0),
                          rect.height() - 6)  # fmt: skip
            if _TOKEN.fullmatch(part):
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(chip)
                painter.drawRoundedRect(area, 4, 4)
                area.translate(3, 0)
            painter.setPen(text_colour)
            painter.drawText(area, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, part)
            x += area.width() + (3 if _TOKEN.fullmatch(part) else 0)
        painter.restore()


class SparkDelegate(QStyledItemDelegate):
    """Draws a pattern's counts per time bucket as small bars."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _Index) -> None:
        opt = QStyleOptionViewItem(option)
        opt.text = ""
        if opt.widget is not None:
            opt.widget.style().drawControl(
                QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget
            )
        counts = index.data(SPARK_ROLE) or []
        if not counts:
            return
        top = max(counts) or 1
        rect = option.rect.adjusted(3, 4, -3, -4)
        step = rect.width() / len(counts)
        painter.save()
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(option.palette.color(QPalette.ColorRole.Highlight))
        for i, n in enumerate(counts):
            if n:
                height = max(1.0, rect.height() * n / top)
                painter.drawRect(
                    QRectF(
                        rect.left() + i * step, rect.bottom() - height, max(1.0, step - 1), height
                    )
                )
        painter.restore()


class _Proxy(QSortFilterProxyModel):
    """Search in templates and a minimum severity."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.needle = ""
        self.worst = len(SEVERITY_ORDER)  # show severities up to this index
        self.setSortRole(SORT_ROLE)

    def filterAcceptsRow(self, row: int, parent: _Index) -> bool:  # noqa: N802 - Qt's name
        model = self.sourceModel()
        assert isinstance(model, PatternModel)
        record = model.record(row)
        if self.needle and self.needle not in record["template"].lower():
            return False
        return SEVERITY_ORDER.index(record["severity"]) < self.worst


class PatternsTab(QWidget):
    """The pattern table of the current result and its actions."""

    filter_requested = Signal(list, bool)  # pattern ids, exclude
    inspect_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = PatternModel(self)
        self.proxy = _Proxy(self)
        self.proxy.setSourceModel(self.model)
        self.search = QLineEdit()
        self.search.setPlaceholderText("Find a pattern by its text")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._on_search_changed)
        self.severity = QComboBox()
        for label in ("All severities", "ERROR and worse", "WARN and worse", "INFO and worse"):
            self.severity.addItem(label)
        self.severity.currentIndexChanged.connect(self._on_severity_changed)
        self.add_button = QPushButton("Add to Filter")
        self.add_button.setToolTip("Show only the entries of the selected patterns")
        self.exclude_button = QPushButton("Exclude")
        self.exclude_button.setToolTip("Hide the entries of the selected patterns")
        self.inspect_button = QPushButton("Inspect")
        self.inspect_button.setIcon(
            self.style().standardIcon(QStyle.StandardPixmap.SP_FileDialogContentsView)
        )
        self.inspect_button.setToolTip("Histogram, samples, token values and related patterns")
        self.add_button.clicked.connect(lambda: self._request_filter(False))
        self.exclude_button.clicked.connect(lambda: self._request_filter(True))
        self.inspect_button.clicked.connect(self._on_inspect_clicked)
        self.status = QLabel()
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.summary = QLabel()
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setObjectName("compare_summary")
        font = self.summary.font()
        font.setBold(True)
        self.summary.setFont(font)
        self.summary.hide()
        self.view = QTableView()
        self.view.setModel(self.proxy)
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(1, Qt.SortOrder.DescendingOrder)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.verticalHeader().setVisible(False)
        self.view.setWordWrap(False)
        self.view.setItemDelegateForColumn(0, TemplateDelegate(self.view))
        self.view.setItemDelegateForColumn(4, SparkDelegate(self.view))
        self.view.doubleClicked.connect(self._on_double_clicked)
        self._size_columns()
        tools = QHBoxLayout()
        tools.addWidget(self.search, 1)
        tools.addWidget(self.severity)
        tools.addWidget(self.add_button)
        tools.addWidget(self.exclude_button)
        tools.addWidget(self.inspect_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addWidget(self.summary)
        layout.addLayout(tools)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.status)
        self.set_busy("Patterns appear here once the logs are loaded.")

    def set_frame(self, frame: pl.DataFrame, entries: int, summary: str | None = None) -> None:
        """Show the patterns of a result of `entries` entries; `summary` is the comparison's
        one line (None when not comparing: the compare columns go)."""
        comparing = "status" in frame.columns
        was = self.model.columnCount() > len(COLUMNS)
        self.model.set_frame(frame)
        self.proxy.invalidate()
        if comparing != was:
            self._size_columns()
        if comparing and not was:
            self.view.sortByColumn(len(COLUMNS) + 2, Qt.SortOrder.AscendingOrder)  # new first
        elif was and not comparing:
            self.view.sortByColumn(1, Qt.SortOrder.DescendingOrder)
        self.status.setText(f"{frame.height:,} patterns in {entries:,} entries")
        self.summary.setText(visible_text(summary or ""))
        self.summary.setVisible(bool(summary))

    def _size_columns(self) -> None:
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        widths = [70, 55, 65, 100, 165, 165] + [60, 60, 60, 65] * (self.model.columnCount() > 7)
        for column, width in enumerate(widths, start=1):
            if column < self.model.columnCount():
                header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
                header.resizeSection(column, width)

    def set_busy(self, text: str) -> None:
        self.status.setText(text)

    def selected_ids(self) -> list[str]:
        rows = {self.proxy.mapToSource(i).row() for i in self.view.selectionModel().selectedRows()}
        return [self.model.pattern_id(r) for r in sorted(rows)]

    def select(self, pattern_id: str) -> None:
        row = self.model.row_of(pattern_id)
        if row >= 0:
            self.view.selectRow(self.proxy.mapFromSource(self.model.index(row, 0)).row())

    def _request_filter(self, exclude: bool) -> None:
        ids = self.selected_ids()
        if ids:
            self.filter_requested.emit(ids, exclude)

    def _on_inspect_clicked(self) -> None:
        ids = self.selected_ids()
        if ids:
            self.inspect_requested.emit(ids[0])

    def _on_double_clicked(self, index: QModelIndex) -> None:
        self.inspect_requested.emit(self.model.pattern_id(self.proxy.mapToSource(index).row()))

    def _on_search_changed(self, text: str) -> None:
        self.proxy.needle = text.lower()
        self.proxy.invalidate()

    def _on_severity_changed(self, index: int) -> None:
        self.proxy.worst = (len(SEVERITY_ORDER), 2, 3, 4)[index]
        self.proxy.invalidate()
