"""The Patterns tab: one row per pattern of the current result, with its tokens drawn as chips,
counts, severity, a sparkline and its span; search, severity filter, and the row actions
Add to Filter, Exclude and Inspect."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import polars as pl
from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    QRectF,
    QSortFilterProxyModel,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QKeySequence, QPainter, QPalette, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QSplitter,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from logview.core.analysis.compare import STATUS_RANK
from logview.core.analysis.pattern_view import SEVERITY_ORDER, change_text
from logview.core.shared.display import format_share, format_stamp, visible_text, zone_of
from logview.gui.columns import FittedColumns, use_desktop_sort_arrows
from logview.gui.inspect_pane import InspectPane
from logview.gui.investigation import Investigation
from logview.gui.log_model import monospace_font
from logview.gui.theme import LEVEL_COLOURS, STATUS_COLOURS, is_dark, themed

# The table's columns by key: title and header tooltip. While comparing, one "before → now"
# cell with the status takes the place of Count and Share.
_COLUMNS = {
    "pattern": (
        "Pattern",
        "The pattern's text: <1>, <2>… mark the parts that vary (hover for all)",
    ),
    "count": ("Count", "The pattern's entries in the result"),
    "share": ("Share", "The pattern's share of the result's entries"),
    "change": ("Before \u2192 now", "Its entries in the baseline and now, and how it changed"),
    "severity": ("Severity", "The level most of its entries have"),
    "trend": ("Trend", "Its entries over the result's time span"),
    "first": ("First", "Its first entry in the result (hover for the whole stamp)"),
    "last": ("Last", "Its last entry in the result (hover for the whole stamp)"),
}
PLAIN = ("pattern", "count", "share", "severity", "trend", "first", "last")
COMPARING = ("pattern", "change", "severity", "trend", "first", "last")
# The other columns' widths, in the order they give way when the Pattern column needs room.
_GIVE_WAY = {"change": 190, "count": 72, "severity": 74, "share": 62, "trend": 90, "last": 0,
             "first": 0}  # fmt: skip
SORT_ROLE = Qt.ItemDataRole.UserRole + 10
SPARK_ROLE = Qt.ItemDataRole.UserRole + 11
# A slot of a template: numbered, or named by the key before it or the kind of its values.
_TOKEN = re.compile(r"(<(?:\d+|[a-z_][a-z0-9_]*)>)")
_Index = QModelIndex | QPersistentModelIndex


class PatternModel(QAbstractTableModel):
    """The rows of a `PatternRows.frame` (pattern, template, count, ratio, severity, first,
    last, spark; and while comparing before, change_pct, status, explains)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._frame = pl.DataFrame()
        self._rows: list[dict[str, Any]] = []
        self._keys: tuple[str, ...] = PLAIN
        self._zone: str | None = None
        self._clock = "%H:%M"

    def set_frame(self, frame: pl.DataFrame) -> None:
        self.beginResetModel()
        self._frame = frame
        self._rows = frame.to_dicts()  # one dict per pattern: hundreds, not millions
        self._keys = COMPARING if "status" in frame.columns else PLAIN
        self._clock = self._clock_for()
        self.endResetModel()

    def set_time_zone(self, zone: str | None) -> None:
        """Show the times in `zone` (IANA name; None is UTC)."""
        self._zone = zone
        self._clock = self._clock_for()
        if self._rows:
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(self._rows) - 1, len(self._keys) - 1)
            )

    def _clock_for(self) -> str:
        """Return the layout of the First and Last cells: the time of day where the result
        lies within one day (in the zone shown), else the date too."""
        stamps = [r[k] for r in self._rows for k in ("first", "last") if r.get(k) is not None]
        if not stamps:
            return "%H:%M"
        zone = zone_of(self._zone)
        one_day = min(stamps).astimezone(zone).date() == max(stamps).astimezone(zone).date()
        return "%H:%M" if one_day else "%m-%d %H:%M"

    def keys(self) -> tuple[str, ...]:
        return self._keys

    def time_only(self) -> bool:
        """Return whether First and Last show the time of day alone (the result lies in a day)."""
        return self._clock == "%H:%M"

    def column_of(self, key: str) -> int:
        return self._keys.index(key) if key in self._keys else -1

    def comparing(self) -> bool:
        return self._keys is COMPARING

    def pattern_id(self, row: int) -> str:
        return self._rows[row]["pattern"]

    def row_of(self, pattern_id: str) -> int:
        return next((i for i, r in enumerate(self._rows) if r["pattern"] == pattern_id), -1)

    def record(self, row: int) -> dict[str, Any]:
        return self._rows[row]

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._keys)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or section >= len(self._keys):
            return None
        title, tip = _COLUMNS[self._keys[section]]
        if role == Qt.ItemDataRole.DisplayRole:
            return title
        if role == Qt.ItemDataRole.ToolTipRole:
            return tip
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        record = self._rows[index.row()]
        key = self._keys[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(record, key)
        if role == SORT_ROLE:
            return self._sort_key(record, key)
        if role == SPARK_ROLE:
            return record["spark"]
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(record, key)
        if role == Qt.ItemDataRole.ForegroundRole:
            if key == "severity" and (colours := LEVEL_COLOURS.get(record["severity"])):
                return themed(colours)
            status = record.get("status")
            if key == "change" and status in STATUS_COLOURS:
                return themed(STATUS_COLOURS[status])
        if role == Qt.ItemDataRole.TextAlignmentRole and key in ("count", "share", "change"):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _text(self, record: dict[str, Any], key: str) -> str:
        if key == "pattern":
            return visible_text(record["template"])
        if key == "count":
            return f"{record['count']:,}"
        if key == "share":
            return format_share(record["ratio"])
        if key == "severity":
            return record["severity"]
        if key in ("first", "last"):
            stamp = record[key]
            return (
                "" if stamp is None else stamp.astimezone(zone_of(self._zone)).strftime(self._clock)
            )
        if key == "change":
            return change_text(record)
        return ""

    def _sort_key(self, record: dict[str, Any], key: str) -> Any:
        if key == "pattern":
            return record["template"]
        if key == "severity":
            return SEVERITY_ORDER.index(record["severity"])
        if key == "trend":
            return sum(record["spark"])
        if key == "share":
            return record["ratio"]
        if key == "change":  # new first, then up, down, gone, steady; biggest change first
            pct = record.get("change_pct")
            size = float("inf") if pct is None else abs(pct)
            return (STATUS_RANK.get(record.get("status") or "steady", 3), -size)
        return record[key]

    def _tooltip(self, record: dict[str, Any], key: str) -> str | None:
        if key in ("first", "last"):
            stamp = record[key]
            return None if stamp is None else format_stamp(stamp, self._zone)
        if key not in ("pattern", "change"):
            return None
        lines = [record["template"], "",
                 f"{record['count']:,} entries ({format_share(record['ratio'])}), mostly "
                 f"{record['severity']}",
                 f"from {format_stamp(record['first'], self._zone)} "
                 f"to {format_stamp(record['last'], self._zone)}"]  # fmt: skip
        if self._keys is COMPARING:
            explains = record.get("explains") or 0.0
            lines.append(f"before: {record.get('before') or 0:,}; now: {record['count']:,} "
                         f"({change_text(record)})")  # fmt: skip
            lines.append(f"{abs(explains):.0%} of the difference in entries between the two "
                         "periods is this pattern's")  # fmt: skip
        lines.append(f"id {record['pattern']}")
        return visible_text("\n".join(lines), keep_newlines=True)


class TemplateDelegate(QStyledItemDelegate):
    """Draws a template's variable tokens (<1>, <2>, ...) on rounded chips, in the text's own
    spacing (a chip adds no space: `ord-<1>:` stays one word), cut with "…" where it does
    not fit."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _Index) -> None:
        text = index.data(Qt.ItemDataRole.DisplayRole) or ""
        opt = QStyleOptionViewItem(option)
        opt.text = ""
        style = opt.widget.style() if opt.widget is not None else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        painter.save()
        painter.setFont(monospace_font())
        metrics = painter.fontMetrics()
        rect = option.rect.adjusted(4, 0, -4, 0)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        text_colour = option.palette.color(
            QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        )
        chip = option.palette.color(
            QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Highlight
        )
        chip.setAlpha(60 if not is_dark(option.palette) else 110)
        parts = [p for p in _TOKEN.split(text) if p]
        widths = [metrics.horizontalAdvance(p) for p in parts]
        fits = sum(widths) <= rect.width()
        # Where the text does not fit, the last part drawn leaves room for the "…".
        limit = rect.right() - (0 if fits else metrics.horizontalAdvance("\u2026"))
        x = float(rect.left())
        painter.setPen(text_colour)
        for part, width in zip(parts, widths, strict=True):
            token = bool(_TOKEN.fullmatch(part))
            if x + width > limit:
                room = int(rect.right() - x)
                cut = (
                    "\u2026"
                    if token
                    else metrics.elidedText(part, Qt.TextElideMode.ElideRight, room)
                )
                painter.setPen(text_colour)
                painter.drawText(QRectF(x, rect.top(), room, rect.height()),
                                 Qt.AlignmentFlag.AlignVCenter, cut or "\u2026")  # fmt: skip
                break
            area = QRectF(x, rect.top(), width, rect.height())
            if token:
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(chip)
                painter.drawRoundedRect(area.adjusted(-1, 3, 1, -3), 4, 4)
                painter.setPen(text_colour)
            painter.drawText(area, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, part)
            x += width
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
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Highlight
        painter.setBrush(option.palette.color(role))  # the selection is drawn in Highlight
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
    """The pattern table of the current result and its actions; the inspection of the selected
    pattern beside it, once asked for (Inspect, Enter or a double click), following the
    selection until it is closed."""

    filter_requested = Signal(list, bool)  # pattern ids, exclude
    inspect_requested = Signal(str)
    bookmark_requested = Signal(list)  # pattern ids: bookmark them (or unmark)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = PatternModel(self)
        self.proxy = _Proxy(self)
        self.proxy.setSourceModel(self.model)
        self._entries = 0
        self.search = QLineEdit()
        self.search.setPlaceholderText("Find a pattern by its text")
        self.search.setToolTip("Show only the patterns whose text holds these characters")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._on_search_changed)
        self.severity = QComboBox()
        for label in ("All severities", "ERROR and worse", "WARN and worse", "INFO and worse"):
            self.severity.addItem(label)
        self.severity.setToolTip("Show only the patterns whose entries are mostly this bad")
        self.severity.currentIndexChanged.connect(self._on_severity_changed)
        self.add_button = QPushButton("Add to Filter")
        self.add_button.setToolTip("Show only the entries of the selected patterns")
        self.exclude_button = QPushButton("Exclude")
        self.exclude_button.setToolTip("Hide the entries of the selected patterns")
        self.inspect_button = QPushButton("Inspect")
        self.inspect_button.setIcon(
            self.style().standardIcon(QStyle.StandardPixmap.SP_FileDialogContentsView)
        )
        self.inspect_button.setToolTip(
            "Histogram, samples, token values and related patterns of the selected pattern "
            "(Enter, or a double click)"
        )
        self.add_button.clicked.connect(lambda: self._request_filter(False))
        self.exclude_button.clicked.connect(lambda: self._request_filter(True))
        self.inspect_button.clicked.connect(self.inspect_selected)
        self.status = QLabel()
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.summary = QLabel()
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setObjectName("compare_summary")
        self.summary.setWordWrap(True)
        font = self.summary.font()
        font.setBold(True)
        self.summary.setFont(font)
        self.summary.hide()
        self.view = QTableView()
        self.view.setModel(self.proxy)
        self.view.setSortingEnabled(True)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.verticalHeader().setVisible(False)
        self.view.setWordWrap(False)
        self.view.setItemDelegateForColumn(0, TemplateDelegate(self.view))
        self.view.doubleClicked.connect(self._on_double_clicked)
        for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            enter = QShortcut(QKeySequence(key), self.view, self.inspect_selected)
            enter.setContext(Qt.ShortcutContext.WidgetShortcut)
            enter.setWhatsThis("Inspect the selected pattern (in the pattern list)")
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self._on_context_menu)
        use_desktop_sort_arrows(self.view)
        self._spark = SparkDelegate(self.view)
        self._fitted = FittedColumns(self.view, 0, [], share=0.5)
        self._lay_out_columns()
        self.view.sortByColumn(1, Qt.SortOrder.DescendingOrder)
        self.inspect_pane = InspectPane()
        close = QToolButton()
        close.setAutoRaise(True)
        close.setText("\u2715")
        close.setToolTip("Close the inspection (the list takes the width back)")
        close.clicked.connect(self.close_inspection)
        heading = QLabel("Inspect")
        heading.setFont(font)
        top = QHBoxLayout()
        top.setContentsMargins(4, 0, 0, 0)
        top.addWidget(heading, 1)
        top.addWidget(close)
        self.inspect_box = QWidget()
        box = QVBoxLayout(self.inspect_box)
        box.setContentsMargins(0, 0, 0, 0)
        box.addLayout(top)
        box.addWidget(self.inspect_pane, 1)
        self.inspect_box.hide()
        self._follow = QTimer(self)  # the selection settles before it is inspected
        self._follow.setSingleShot(True)
        self._follow.setInterval(150)
        self._follow.timeout.connect(self._inspect_followed)
        self.view.selectionModel().selectionChanged.connect(lambda *_: self._follow.start())
        tools = QHBoxLayout()
        tools.addWidget(self.search, 1)
        tools.addWidget(self.severity)
        tools.addWidget(self.add_button)
        tools.addWidget(self.exclude_button)
        tools.addWidget(self.inspect_button)
        listed = QWidget()
        column = QVBoxLayout(listed)
        column.setContentsMargins(0, 0, 0, 0)
        column.addLayout(tools)
        column.addWidget(self.view, 1)
        column.addWidget(self.status)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(listed)
        self.splitter.addWidget(self.inspect_box)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.said = QLabel()  # what an action of the window changed in the view, with Undo
        self.said.setTextFormat(Qt.TextFormat.PlainText)
        self.said.setWordWrap(True)
        self.undo_button = QPushButton("Undo")
        self.undo_button.setToolTip("Show the view as it was before")
        self.undo_button.clicked.connect(self._on_undo)
        dismiss = QToolButton()
        dismiss.setAutoRaise(True)
        dismiss.setText("\u2715")
        dismiss.setToolTip("Dismiss")
        self._undo: Callable[[], None] | None = None
        self.said_bar = QFrame()
        self.said_bar.setFrameShape(QFrame.Shape.StyledPanel)
        strip = QHBoxLayout(self.said_bar)
        strip.setContentsMargins(6, 2, 2, 2)
        strip.addWidget(self.said, 1)
        strip.addWidget(self.undo_button)
        strip.addWidget(dismiss)
        dismiss.clicked.connect(self.said_bar.hide)
        self.said_bar.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addWidget(self.said_bar)
        layout.addWidget(self.summary)
        layout.addWidget(self.splitter, 1)
        self.set_busy("Patterns appear here once the logs are loaded.")

    def set_frame(self, frame: pl.DataFrame, entries: int, summary: str | None = None) -> None:
        """Show the patterns of a result of `entries` entries; `summary` is the comparison's
        one line (None when not comparing: the compare column goes)."""
        was = self.model.comparing()
        self.model.set_frame(frame)
        self.proxy.invalidate()
        self._entries = entries
        self._lay_out_columns()
        if self.model.comparing() != was:
            key = "change" if self.model.comparing() else "count"
            self.view.sortByColumn(self.model.column_of(key), Qt.SortOrder.DescendingOrder
                                   if key == "count" else Qt.SortOrder.AscendingOrder)  # fmt: skip
        self._show_count()
        self.summary.setText(visible_text(summary or ""))
        self.summary.setVisible(bool(summary))
        self._inspect_again()

    def _inspect_again(self) -> None:
        """Keep the open inspection true to the result shown: the same pattern inspected over
        the new result, or a word that the result has none of it."""
        inspected = self.inspect_pane.inspection
        if not self.inspecting() or inspected is None:
            return
        pattern = inspected.template.id
        if self.model.row_of(pattern) < 0:
            self.inspect_pane.show_absent("This result has no entry of the pattern inspected.")
            return
        self.select(pattern)
        self.inspect_requested.emit(pattern)

    def set_time_zone(self, zone: str | None) -> None:
        self.model.set_time_zone(zone)
        self._lay_out_columns()

    def _lay_out_columns(self) -> None:
        """Give the Pattern column half the width; the others keep theirs while they fit."""
        keys = self.model.keys()
        for column in range(len(keys)):
            self.view.setItemDelegateForColumn(column, None)
        self.view.setItemDelegateForColumn(0, TemplateDelegate(self.view))
        self.view.setItemDelegateForColumn(keys.index("trend"), self._spark)
        clock = 54 if self.model.time_only() else 96
        widths = {**_GIVE_WAY, "first": clock, "last": clock}
        order = [k for k in _GIVE_WAY if k in keys]
        self._fitted.set_columns([(keys.index(k), widths[k]) for k in order])

    def _show_count(self) -> None:
        if self._entries == 0:
            self.status.setText(
                "No entry in this result, so no pattern: widen the range or change the query."
            )
            return
        total, shown = self.model.rowCount(), self.proxy.rowCount()
        patterns = f"{total:,} pattern{'s' * (total != 1)}"
        if shown != total:
            patterns = f"{shown:,} of {patterns} shown (the search or severity hides the rest)"
        self.status.setText(
            f"{patterns} in {self._entries:,} entr{'y' if self._entries == 1 else 'ies'}"
        )

    def set_busy(self, text: str) -> None:
        self.status.setText(text)

    def show_mining_of(self, investigation: Investigation, *, quiet: Callable[[], bool]) -> None:
        """Say, under the table, how the investigation's mining goes (not while `quiet()`:
        the patterns shown then stay until the new ones come) and why it failed."""

        def busy(text: str) -> None:
            if not quiet():
                self.set_busy(text)

        investigation.mining_started.connect(
            lambda entries: busy(f"Mining the patterns of {entries:,} entries…")
        )
        investigation.mining_progress.connect(
            lambda fraction, text: busy(
                f"Mining the patterns of "
                f"{investigation.mined_height:,} entries: {text} "
                f"({fraction:.0%})"
            )  # fmt: skip
        )
        investigation.mining_failed.connect(
            lambda message: self.set_busy(f"Could not mine patterns: {message}")
        )

    def say(self, text: str, undo: Callable[[], None]) -> None:
        """Say above the table what the window changed in the view, with Undo (which runs
        `undo`, then the line goes)."""
        self._undo = undo
        self.said.setText(visible_text(text))
        self.said_bar.show()

    def _on_undo(self) -> None:
        undo, self._undo = self._undo, None
        self.said_bar.hide()
        if undo is not None:
            undo()

    def _selected_rows(self) -> list[int]:
        """Return the model rows of the selected patterns, in the model's order."""
        selected = self.view.selectionModel().selectedRows()
        return sorted({self.proxy.mapToSource(i).row() for i in selected})

    def selected_ids(self) -> list[str]:
        return [self.model.pattern_id(r) for r in self._selected_rows()]

    def current_id(self) -> str | None:
        """Return the pattern of the current row (the one the keyboard is on), if any."""
        index = self.view.currentIndex()
        if not index.isValid():
            ids = self.selected_ids()
            return ids[0] if ids else None
        return self.model.pattern_id(self.proxy.mapToSource(index).row())

    def select(self, pattern_id: str) -> None:
        row = self.model.row_of(pattern_id)
        if row >= 0:
            self.view.selectRow(self.proxy.mapFromSource(self.model.index(row, 0)).row())

    # -- inspection ---------------------------------------------------------------------------
    def inspecting(self) -> bool:
        return not self.inspect_box.isHidden()

    def open_inspection(self) -> None:
        """Show the inspect pane beside the list (the window fills it)."""
        if not self.inspecting():
            self.inspect_box.show()
            width = self.splitter.width()
            self.splitter.setSizes([int(width * 0.58), width - int(width * 0.58)])

    def close_inspection(self) -> None:
        self.inspect_box.hide()

    def inspect_selected(self) -> None:
        pattern = self.current_id()
        if pattern is not None:
            self.inspect_requested.emit(pattern)

    def _inspect_followed(self) -> None:
        if self.inspecting() and len(self.selected_ids()) == 1:
            self.inspect_selected()

    def context_menu(self) -> QMenu:
        """Return the right-click menu of the selected patterns: what the buttons do, and
        copying their text."""
        menu = QMenu(self)
        menu.addAction("Inspect", self.inspect_selected)
        menu.addAction("Add to Filter", lambda: self._request_filter(False))
        menu.addAction("Exclude", lambda: self._request_filter(True))
        menu.addSeparator()
        menu.addAction("Bookmark", lambda: self.bookmark_requested.emit(self.selected_ids()))
        menu.addAction("Copy Pattern Text", self._copy_templates)
        return menu

    def _on_context_menu(self, point: QPoint) -> None:
        if self.selected_ids():
            self.context_menu().exec(self.view.viewport().mapToGlobal(point))

    def _copy_templates(self) -> None:
        texts = [self.model.record(r)["template"] for r in self._selected_rows()]
        QApplication.clipboard().setText("\n".join(texts))

    def _request_filter(self, exclude: bool) -> None:
        ids = self.selected_ids()
        if ids:
            self.filter_requested.emit(ids, exclude)

    def _on_double_clicked(self, index: QModelIndex) -> None:
        self.inspect_requested.emit(self.model.pattern_id(self.proxy.mapToSource(index).row()))

    def _on_search_changed(self, text: str) -> None:
        self.proxy.needle = text.lower()
        self.proxy.invalidate()
        self._show_count()

    def _on_severity_changed(self, index: int) -> None:
        self.proxy.worst = (len(SEVERITY_ORDER), 2, 3, 4)[index]
        self.proxy.invalidate()
        self._show_count()
