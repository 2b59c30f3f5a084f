"""Inspect one pattern: its histogram over the range, sample entries with the variable parts
highlighted, the values of each token, and the patterns that occur alongside it."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QPalette, QTextCursor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLabel,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTextEdit,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from logview.core.analysis.inspect import Inspection
from logview.core.analysis.pattern_templates import slot_spans
from logview.core.shared.display import format_share, visible_text
from logview.gui.log_model import monospace_font
from logview.gui.timeline import Timeline

ROW_ROLE = Qt.ItemDataRole.UserRole + 1
VALUE_ROLE = Qt.ItemDataRole.UserRole + 2


class InspectPane(QWidget):
    """The inspection of one pattern, in tabs."""

    filter_token = Signal(str, str, str, bool)  # pattern id, token name, value, exclude
    range_selected = Signal(object, object)
    open_row = Signal(int)  # a table row to show in the Logs tab
    inspect_requested = Signal(str)
    filter_patterns = Signal(list, bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.inspection: Inspection | None = None
        self._names: dict[str, str] = {}
        self.title = QLabel("Select a pattern and press Inspect (or double-click it).")
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        self.title.setWordWrap(True)
        self.title.setFont(monospace_font())
        self.tabs = QTabWidget()
        self.histogram = Timeline()
        self.histogram.range_selected.connect(self.range_selected)
        self.samples = QPlainTextEdit()
        self.samples.setReadOnly(True)
        self.samples.setFont(monospace_font())
        self.samples.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.samples.setToolTip("Click an entry to show it in the Logs tab")
        self.samples.cursorPositionChanged.connect(self._on_sample_cursor)
        self._sample_rows: list[int] = []
        self.sample_spans: list[list[tuple[int, int]]] = []
        self._filling = False
        self.tokens = QTreeWidget()
        self.tokens.setHeaderLabels(["Token / value", "Count", "Share", "Share before"])
        self.tokens.itemClicked.connect(self._on_token_clicked)
        self.tokens.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.tokens.customContextMenuRequested.connect(self._on_token_menu)
        self.related = QTableWidget(0, 4)
        self.related.setHorizontalHeaderLabels(["Pattern", "Score", "Basis", "Count"])
        self.related.verticalHeader().setVisible(False)
        self.related.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.related.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.related.horizontalHeader().setStretchLastSection(False)
        self.related.cellDoubleClicked.connect(self._on_related_double_clicked)
        self.related_add = QPushButton("Add Selected to Filter")
        self.related_add.clicked.connect(self._on_related_add)
        related = QWidget()
        related_layout = QVBoxLayout(related)
        related_layout.setContentsMargins(0, 0, 0, 0)
        related_layout.addWidget(self.related, 1)
        related_layout.addWidget(self.related_add)
        self.tabs.addTab(self.histogram, "Histogram")
        self.tabs.addTab(self.samples, "Log samples")
        self.tabs.addTab(self.tokens, "Token values")
        self.tabs.addTab(related, "Related patterns")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.title)
        layout.addWidget(self.tabs, 1)

    def show_absent(self, text: str) -> None:
        """Empty the pane, saying why (the pattern inspected is not in the result shown)."""
        self.inspection = None
        self.title.setText(text)
        self.histogram.set_histogram(None)
        self.histogram.set_overlay(None)
        self.samples.clear()
        self.tokens.clear()
        self.related.setRowCount(0)

    def show_failure(self, message: str) -> None:
        """Say that the inspection asked for could not be computed, and why."""
        self.title.setText(visible_text(f"Could not inspect this pattern: {message}"))

    def show_inspection(self, inspection: Inspection, names: dict[str, str]) -> None:
        """Show `inspection`; `names` gives the template text of every pattern id."""
        self.inspection = inspection
        self._names = names
        template = inspection.template
        self.title.setText(visible_text(f"{template.text}    ({inspection.count:,} entries)"))
        self.histogram.set_histogram(inspection.histogram)
        self.histogram.set_overlay(
            inspection.baseline, inspection.baseline_shift_us, inspection.baseline_label
        )
        self._fill_samples(inspection)
        self._fill_tokens(inspection)
        self._fill_related(inspection)

    # -- samples ----------------------------------------------------------------------------
    def _fill_samples(self, inspection: Inspection) -> None:
        slots = inspection.template.slots
        highlight = QColor(self.palette().color(QPalette.ColorRole.Highlight))
        highlight.setAlpha(80)
        lines, self._sample_rows, self.sample_spans = [], [], []
        for row, stamp, line in inspection.samples:
            lead = f"{stamp}  "
            lines.append(visible_text(lead + line))
            self._sample_rows.append(row)
            self.sample_spans.append(
                [(len(lead) + a, len(lead) + b) for a, b in slot_spans(line, slots)]
            )
        self._filling = True
        self.samples.setPlainText("\n".join(lines))  # plain text: log text is never markup
        selections = []
        document = self.samples.document()
        for number, spans in enumerate(self.sample_spans):
            block = document.findBlockByNumber(number)
            for start, end in spans:
                selection = QTextEdit.ExtraSelection()
                cursor = QTextCursor(block)
                cursor.setPosition(block.position() + start)
                cursor.setPosition(block.position() + end, QTextCursor.MoveMode.KeepAnchor)
                selection.cursor = cursor
                selection.format.setBackground(highlight)
                selections.append(selection)
        self.samples.setExtraSelections(selections)
        self._filling = False

    def sample_highlights(self, index: int) -> list[tuple[int, int]]:
        """Return the (start, end) character spans highlighted in sample line `index`."""
        return self.sample_spans[index]

    def sample_row(self, index: int) -> int:
        """Return the table row of sample line `index`."""
        return self._sample_rows[index]

    def _on_sample_cursor(self) -> None:
        if self._filling:
            return
        number = self.samples.textCursor().blockNumber()
        if 0 <= number < len(self._sample_rows):
            self.open_row.emit(self._sample_rows[number])

    # -- tokens -----------------------------------------------------------------------------
    def _fill_tokens(self, inspection: Inspection) -> None:
        self.tokens.clear()
        self.tokens.setColumnHidden(3, not inspection.baseline_shares)
        for number, values in enumerate(inspection.tokens):
            before = (
                inspection.baseline_shares[number]
                if number < len(inspection.baseline_shares)
                else {}
            )
            slot = values.slot
            numeric = ""
            if values.numeric:
                low, median, high = values.numeric
                numeric = f", min {low:g} / median {median:g} / max {high:g}"
            head = QTreeWidgetItem(
                [visible_text(f"{slot.label} {values.kind}, {values.distinct:,} distinct{numeric}")]
            )
            self.tokens.addTopLevelItem(head)
            shown = 0
            for value, count in values.top:
                share = count / inspection.count if inspection.count else 0.0
                then = before.get(value)
                then_text = "" if not inspection.baseline_shares else (
                    "new" if then is None else format_share(then)
                )  # fmt: skip
                child = QTreeWidgetItem(
                    [visible_text(value), f"{count:,}", format_share(share), then_text]
                )
                child.setData(0, VALUE_ROLE, (slot.name, value))
                child.setToolTip(0, "Click: filter to this value. Right-click: exclude it.")
                head.addChild(child)
                shown += count
            rest = inspection.count - shown
            if rest > 0 and values.distinct > len(values.top):
                head.addChild(
                    QTreeWidgetItem(
                        ["(others)", f"{rest:,}", format_share(rest / inspection.count)]
                    )
                )
            head.setExpanded(True)
        self.tokens.resizeColumnToContents(0)

    def open_on_token(self, label: str, value: str | None) -> None:
        """Show the Token values tab on the token shown as `label` (`<status>`), its `value`
        selected where it is among the top values."""
        self.tabs.setCurrentWidget(self.tokens)
        for i in range(self.tokens.topLevelItemCount()):
            head = self.tokens.topLevelItem(i)
            if not head.text(0).startswith(f"{label} "):
                continue
            chosen = next(
                (head.child(j) for j in range(head.childCount())
                 if value is not None and head.child(j).text(0) == visible_text(value)),
                head,
            )  # fmt: skip
            self.tokens.setCurrentItem(chosen)
            self.tokens.scrollToItem(chosen)
            return

    def _on_token_clicked(self, item: QTreeWidgetItem, _column: int) -> None:
        self._filter_token(item, exclude=False)

    def _on_token_menu(self, point) -> None:  # noqa: ANN001
        item = self.tokens.itemAt(point)
        if item is None or item.data(0, VALUE_ROLE) is None:
            return
        menu = QMenu(self)
        menu.addAction("Filter to This Value").triggered.connect(
            lambda: self._filter_token(item, exclude=False)
        )
        menu.addAction("Exclude This Value").triggered.connect(
            lambda: self._filter_token(item, exclude=True)
        )
        menu.exec(self.tokens.viewport().mapToGlobal(point))

    def _filter_token(self, item: QTreeWidgetItem, *, exclude: bool) -> None:
        data = item.data(0, VALUE_ROLE)
        if data is None or self.inspection is None:
            return
        name, value = data
        self.filter_token.emit(self.inspection.template.id, name, value, exclude)

    # -- related ----------------------------------------------------------------------------
    def _fill_related(self, inspection: Inspection) -> None:
        self.related.setRowCount(len(inspection.related))
        for row, related in enumerate(inspection.related):
            name = QTableWidgetItem(visible_text(self._names.get(related.id, related.id)))
            name.setData(ROW_ROLE, related.id)
            self.related.setItem(row, 0, name)
            self.related.setItem(row, 1, QTableWidgetItem(f"{related.score:.2f}"))
            self.related.setItem(row, 2, QTableWidgetItem(related.basis))
            self.related.setItem(row, 3, QTableWidgetItem(f"{related.count:,}"))
        self.related.resizeColumnsToContents()

    def _on_related_double_clicked(self, row: int, _column: int) -> None:
        self.inspect_requested.emit(self.related.item(row, 0).data(ROW_ROLE))

    def _on_related_add(self) -> None:
        rows = sorted({i.row() for i in self.related.selectionModel().selectedRows()})
        ids = [self.related.item(r, 0).data(ROW_ROLE) for r in rows]
        if ids:
            self.filter_patterns.emit(ids, False)
