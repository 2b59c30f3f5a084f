"""The Warnings dock: every source skipped or partly read, and every job that failed, one line
each (cut in the middle where the dock is narrow; whole in its tooltip)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget, QListWidget, QListWidgetItem, QWidget

from logview.core.shared.display import visible_text


class WarningsDock(QDockWidget):
    """A list of one-line warnings in a dock, hidden while it is empty."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Warnings", parent)
        self.setObjectName("warnings_dock")
        self.list = QListWidget()
        self.list.setWordWrap(False)
        self.list.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.setWidget(self.list)

    def add(self, warnings: Sequence[str]) -> int:
        """Add `warnings` and return how many there are now."""
        for warning in warnings:
            item = QListWidgetItem(visible_text(warning))
            item.setToolTip(visible_text(warning))
            self.list.addItem(item)
        return self.list.count()

    def clear(self) -> None:
        self.list.clear()

    def texts(self) -> list[str]:
        """Return the warnings shown, first to last."""
        return [self.list.item(i).text() for i in range(self.list.count())]
