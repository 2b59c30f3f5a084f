"""The detail pane: the selected entry's fields, its whole message and a Copy button.

Big tables show one line per entry, cut with "…"; this pane shows the entry whole.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from logview.core.shared.display import field_text, visible_text
from logview.gui.log_model import monospace_font


class DetailPane(QWidget):
    """The selected entry: its fields in a list, its whole message as plain text, a Copy button.

    Right-click a field to filter to its value or exclude it (`filter_requested`).
    """

    filter_requested = Signal(str, str, bool)  # table column, value, exclude

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._values: dict[str, Any] = {}
        self.title = QLabel("No entry selected")
        self.title.setTextFormat(Qt.TextFormat.PlainText)  # log text is never rich text
        self.copy_button = QPushButton("Copy")
        self.copy_button.setToolTip("Copy the entry's fields and message to the clipboard")
        self.copy_button.setEnabled(False)
        self.copy_button.clicked.connect(self.copy_to_clipboard)
        self.fields = QTableWidget(0, 2)
        self.fields.setHorizontalHeaderLabels(["Field", "Value"])
        self.fields.verticalHeader().setVisible(False)
        self.fields.horizontalHeader().setStretchLastSection(True)
        self.fields.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.fields.setWordWrap(False)
        self.fields.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.fields.customContextMenuRequested.connect(self._on_fields_context_menu)
        self.message = QPlainTextEdit()
        self.message.setReadOnly(True)
        self.message.setFont(monospace_font())
        self.message.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.message.setPlaceholderText("Select an entry to see its whole message.")
        header = QHBoxLayout()
        header.addWidget(self.title, 1)
        header.addWidget(self.copy_button)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.fields)
        split.addWidget(self.message)
        self.fields.setMinimumWidth(200)
        split.setStretchFactor(0, 0)
        split.setStretchFactor(1, 1)
        split.setSizes([340, 900])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(header)
        layout.addWidget(split, 1)
        self._text = ""

    def show_entry(self, values: dict[str, Any] | None) -> None:
        """Show one entry's fields (a row of the table by column name), or nothing with None."""
        self.fields.setRowCount(0)
        self._values = dict(values or {})
        self.copy_button.setEnabled(values is not None)
        if values is None:
            self.title.setText("No entry selected")
            self.message.setPlainText("")
            self._text = ""
            return
        shown = {
            name: field_text(name, value) for name, value in values.items() if name != "message"
        }
        shown = {name: text for name, text in shown.items() if text}
        self.fields.setRowCount(len(shown))
        for row, (name, text) in enumerate(shown.items()):
            self.fields.setItem(row, 0, QTableWidgetItem(name))
            self.fields.setItem(row, 1, QTableWidgetItem(visible_text(text)))
        self.fields.resizeColumnToContents(0)
        message = values.get("message") or ""
        self.title.setText(visible_text(f"{shown.get('source', '')}:{shown.get('line', '')}"))
        self.message.setPlainText(visible_text(message, keep_newlines=True))
        self._text = "\n".join([*(f"{k}: {v}" for k, v in shown.items()), "", message])

    def field_menu(self, row: int) -> QMenu | None:
        """Return the filter menu of the field in `row` (None for the time, or no field)."""
        item = self.fields.item(row, 0)
        if item is None or item.text() == "ts":
            return None
        name = item.text()
        value = self._values.get(name)
        if value is None:
            return None
        menu = QMenu(self)
        for label, exclude in (("Filter to This Value", False), ("Exclude This Value", True)):
            action = menu.addAction(label)
            action.triggered.connect(
                lambda _=False, e=exclude: self.filter_requested.emit(name, str(value), e)
            )
        return menu

    def _on_fields_context_menu(self, point: QPoint) -> None:
        menu = self.field_menu(self.fields.rowAt(point.y()))
        if menu is not None:
            menu.exec(self.fields.viewport().mapToGlobal(point))

    def copy_to_clipboard(self) -> None:
        """Put the shown entry's text on the clipboard."""
        QApplication.clipboard().setText(self._text)
