"""The query bar: the query text with its history, its error under it, and its filter chips."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QFontDatabase, QKeyEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from logview.core.analysis.query import is_plain_search
from logview.core.analysis.query.chips import Chip, chips
from logview.core.shared.display import visible_text

# A plain search runs this long after the last key: typing stays fluid, results feel live.
SEARCH_DELAY_MS = 250
HISTORY = 50


class QueryBar(QWidget):
    """Query text, Run, the error of the last run, and a chip per click-to-filter command."""

    submitted = Signal(str)  # Enter, Run, a debounced plain search, a removed chip

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.edit = QLineEdit()
        self.edit.setPlaceholderText(
            'Search words, "a phrase", /regex/, -exclude … or a query: filter @level = "ERROR" | stats count(*) by bin(5m)'
        )
        self.edit.setClearButtonEnabled(True)
        self.edit.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.edit.installEventFilter(self)
        self.edit.returnPressed.connect(self.run)
        self.edit.textEdited.connect(self._on_text_edited)
        self.run_button = QPushButton("Run")
        self.run_button.setToolTip("Run the query (Enter)")
        self.run_button.clicked.connect(self.run)
        self.error = QLabel()
        self.error.setTextFormat(Qt.TextFormat.PlainText)
        self.error.setObjectName("query_error")
        self.error.setStyleSheet("color: #d32f2f;")
        self.error.hide()
        self.chip_row = QHBoxLayout()
        self.chip_row.setContentsMargins(0, 0, 0, 0)
        self.chip_row.setSpacing(4)
        self.chip_row.addStretch(1)
        self._chips: list[tuple[Chip, QToolButton]] = []
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.run)
        self._history: list[str] = []
        self._at = 0  # position in history while browsing with up/down
        line = QHBoxLayout()
        line.setContentsMargins(0, 0, 0, 0)
        line.addWidget(self.edit, 1)
        line.addWidget(self.run_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(line)
        layout.addWidget(self.error)
        layout.addLayout(self.chip_row)

    # -- text -------------------------------------------------------------------------------
    def text(self) -> str:
        return self.edit.text()

    def set_text(self, text: str, *, run: bool = True) -> None:
        """Show `text` (and its chips); run it unless told not to."""
        self.edit.setText(text)
        self._show_chips()
        if run:
            self.run()

    def run(self) -> None:
        """Submit the current text and remember it."""
        self._timer.stop()
        text = self.edit.text().strip()
        if text and (not self._history or self._history[-1] != text):
            self._history.append(text)
            del self._history[:-HISTORY]
        self._at = len(self._history)
        self._show_chips()
        self.submitted.emit(text)

    def show_error(self, message: str | None) -> None:
        """Show one line under the bar (None hides it)."""
        self.error.setText(visible_text(message or ""))
        self.error.setVisible(bool(message))

    def history(self) -> list[str]:
        return list(self._history)

    def set_history(self, history: list[str]) -> None:
        self._history = list(history)[-HISTORY:]
        self._at = len(self._history)

    def _on_text_edited(self, text: str) -> None:
        # Plain searches filter as you type; queries run on Enter (half a query is an error).
        if is_plain_search(text):
            self._timer.start()
        else:
            self._timer.stop()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.edit and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            if event.key() == Qt.Key.Key_Up and self._history:
                self._at = max(0, self._at - 1)
                self.edit.setText(self._history[self._at])
                return True
            if event.key() == Qt.Key.Key_Down and self._history:
                self._at = min(len(self._history), self._at + 1)
                self.edit.setText(self._history[self._at] if self._at < len(self._history) else "")
                return True
        return super().eventFilter(watched, event)

    # -- chips ------------------------------------------------------------------------------
    def chip_labels(self) -> list[str]:
        return [chip.label for chip, _ in self._chips]

    def remove_chip(self, index: int) -> None:
        """Remove the `index`th chip's command from the text and run the query."""
        chip = chips(self.edit.text())[index]
        from logview.core.analysis.query.chips import remove_chip

        self.set_text(remove_chip(self.edit.text(), chip))

    def _show_chips(self) -> None:
        for _, button in self._chips:
            self.chip_row.removeWidget(button)
            button.deleteLater()
        self._chips = []
        for i, chip in enumerate(chips(self.edit.text())):
            button = QToolButton()
            button.setText(f"{visible_text(chip.label)}  ✕")
            button.setToolTip("Remove this filter")
            button.setAutoRaise(False)
            button.clicked.connect(lambda _=False, i=i: self.remove_chip(i))
            self.chip_row.insertWidget(i, button)
            self._chips.append((chip, button))
