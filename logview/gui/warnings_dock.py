"""The Warnings dock: every source skipped or partly read, and every job that failed, one line
each (cut in the middle where the dock is narrow; whole in its tooltip)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget, QListWidget, QListWidgetItem, QMainWindow, QWidget

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

    def show_below(self, window: QMainWindow, above: QDockWidget) -> None:
        """Show the dock (when it holds warnings) under `above`, a few lines high: the dock
        above keeps most of the height; hide it when it holds none."""
        if not self.list.count():
            self.hide()
            return
        if self.isVisible():
            return
        self.show()
        height = above.height() + self.height()
        window.resizeDocks([above, self], [height - 140, 140], Qt.Orientation.Vertical)

    def clear(self) -> None:
        self.list.clear()

    def texts(self) -> list[str]:
        """Return the warnings shown, first to last."""
        return [self.list.item(i).text() for i in range(self.list.count())]
