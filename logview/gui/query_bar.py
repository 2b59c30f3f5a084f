"""The query bar: the query text with its history, its error under it, a hint when a search
found nothing but reads as a misspelt query, and its filter chips."""

from __future__ import annotations

from collections.abc import Mapping
from html import escape

from PySide6.QtCore import QEvent, QObject, QPoint, QRect, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QFontDatabase, QKeyEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLayout,
    QLayoutItem,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from logview.core.analysis.query import is_plain_search, suggest
from logview.core.analysis.query.chips import Chip, chips, remove_chip
from logview.core.shared.display import visible_text
from logview.gui.timeline import plain_tooltip

# A plain search runs this long after the last key: typing stays fluid, results feel live.
SEARCH_DELAY_MS = 250
HISTORY = 50


class QueryBar(QWidget):
    """Query text, Run, the error of the last run, a suggestion for a misspelt command and a
    chip per click-to-filter command."""

    submitted = Signal(str)  # Enter, Run, a debounced plain search, a removed chip, a suggestion

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
        self.edit.textChanged.connect(self._clear_hint)
        self.run_button = QPushButton("Run")
        self.run_button.setToolTip("Run the query (Enter)")
        self.run_button.clicked.connect(self.run)
        self.error = QLabel()
        self.error.setTextFormat(Qt.TextFormat.PlainText)
        self.error.setObjectName("query_error")
        self.error.setStyleSheet("color: #d32f2f;")
        self.error.hide()
        self._build_hint()
        self.chip_area = QWidget()
        self.chip_row = _FlowLayout(self.chip_area)
        self.chip_area.hide()
        self._chips: list[tuple[Chip, QToolButton, str, str]] = []  # chip, button, label, tip
        self._pattern_names: dict[str, str] = {}
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.run)
        self._history: list[str] = []
        self._at = 0  # position in history while browsing with up/down
        self._edited = False  # typed into since it last ran: a count that arrives is not its own
        line = QHBoxLayout()
        line.setContentsMargins(0, 0, 0, 0)
        line.addWidget(self.edit, 1)
        line.addWidget(self.run_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(line)
        layout.addWidget(self.error)
        layout.addWidget(self.hint)
        layout.addWidget(self.chip_area)

    def _build_hint(self) -> None:
        """The line that offers a misspelt command's query, with a button that runs it."""
        self.hint = QWidget()
        self.hint.setObjectName("query_hint")
        self.hint_label = QLabel()
        self.hint_label.setTextFormat(Qt.TextFormat.RichText)
        # A long query is cut by the bar's width (its tooltip has it all), never widens it.
        self.hint_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.hint_button = QPushButton("Run It")
        self.hint_button.setToolTip("Put this query in the bar and run it")
        self.hint_button.clicked.connect(self.use_suggestion)
        row = QHBoxLayout(self.hint)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.hint_label, 1)
        row.addWidget(self.hint_button)
        self.hint.hide()
        self._suggestion: str | None = None

    # -- text -------------------------------------------------------------------------------
    def text(self) -> str:
        return self.edit.text()

    def set_text(self, text: str, *, run: bool = True) -> None:
        """Show `text` (and its chips); run it unless told not to."""
        self.edit.setText(text)
        self._edited = False
        self._show_chips()
        if run:
            self.run()

    def run(self) -> None:
        """Submit the current text and remember it."""
        self._timer.stop()
        self._edited = False
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
        self._edited = True
        # Plain searches filter as you type; queries run on Enter (half a query is an error).
        if is_plain_search(text):
            self._timer.start()
        else:
            self._timer.stop()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.edit and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            if event.key() in (Qt.Key.Key_Up, Qt.Key.Key_Down) and self._history:
                self._edited = True  # another text than the one that ran
            if event.key() == Qt.Key.Key_Up and self._history:
                self._at = max(0, self._at - 1)
                self.edit.setText(self._history[self._at])
                return True
            if event.key() == Qt.Key.Key_Down and self._history:
                self._at = min(len(self._history), self._at + 1)
                self.edit.setText(self._history[self._at] if self._at < len(self._history) else "")
                return True
        return super().eventFilter(watched, event)

    # -- a search that found nothing --------------------------------------------------------
    def show_result_count(self, count: int) -> None:
        """Take the number of entries the text found: none, for a search whose first word is a
        misspelt command (`fitler @level = "ERROR"`), offers the query it was meant to be.
        Any other count, or a count for a text typed over since, shows nothing."""
        suggestion = suggest(self.edit.text()) if count == 0 and not self._edited else None
        self._suggestion = suggestion
        if suggestion is not None:
            shown = visible_text(suggestion)
            # The query in the edit's font, as written (escaped: it is the user's text).
            family = self.edit.font().family()
            query = (
                f"<span style=\"font-family: '{family}'; white-space: pre\">{escape(shown)}</span>"
            )
            self.hint_label.setText(f"No entry has these words. Did you mean: {query}?")
            self.hint_label.setToolTip(plain_tooltip(shown))
        self.hint.setVisible(suggestion is not None)

    def suggestion(self) -> str | None:
        """Return the query the hint offers, None when none is shown."""
        return self._suggestion if self.hint.isVisibleTo(self) else None

    def use_suggestion(self) -> None:
        """Put the suggested query in the bar and run it."""
        if self._suggestion is not None:
            self.set_text(self._suggestion)

    def _clear_hint(self) -> None:
        self._suggestion = None
        self.hint.hide()

    # -- chips ------------------------------------------------------------------------------
    def set_pattern_names(self, names: Mapping[str, str]) -> None:
        """Name the patterns the chips show by their templates (pattern id -> template text);
        an id without a template is shown as the id."""
        self._pattern_names = dict(names)
        self._show_chips()

    def chip_labels(self) -> list[str]:
        return [label for _, _, label, _ in self._chips]

    def chip_tooltips(self) -> list[str]:
        """Return each chip's tooltip as plain text (what it keeps or hides, in full)."""
        return [tip for _, _, _, tip in self._chips]

    def remove_chip(self, index: int) -> None:
        """Remove the `index`th chip's command from the text and run the query."""
        chip = chips(self.edit.text())[index]
        self.set_text(remove_chip(self.edit.text(), chip))

    def _show_chips(self) -> None:
        for _, button, _, _ in self._chips:
            self.chip_row.removeWidget(button)
            button.hide()  # now: it is deleted when the event loop next turns
            button.deleteLater()
        self._chips = []
        for i, chip in enumerate(chips(self.edit.text())):
            label, tip = chip.describe(self._pattern_names)
            button = QToolButton()
            button.setText(f"{label.replace('&', '&&')}  ✕")  # "&" would mark a shortcut key
            button.setToolTip(plain_tooltip(f"{tip}\n\nClick to remove this filter."))
            button.setAutoRaise(False)
            button.clicked.connect(lambda _=False, i=i: self.remove_chip(i))
            self.chip_row.addWidget(button)
            self._chips.append((chip, button, label, tip))
        self.chip_area.setVisible(bool(self._chips))


class _FlowLayout(QLayout):
    """Lays widgets out left to right and wraps them onto more lines: however many chips a
    query has, they never make the window wider than the screen."""

    SPACING = 4

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setContentsMargins(0, 0, 0, 0)
        self._items: list[QLayoutItem] = []

    def addItem(self, item: QLayoutItem) -> None:
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._arrange(QRect(0, 0, width, 0), move=False)

    def setGeometry(self, rect: QRect) -> None:
        super().setGeometry(rect)
        self._arrange(rect, move=True)

    def sizeHint(self) -> QSize:
        return self.minimumSize()

    def minimumSize(self) -> QSize:
        size = QSize()
        for item in self._items:
            size = size.expandedTo(item.minimumSize())
        return size

    def _arrange(self, rect: QRect, *, move: bool) -> int:
        """Place the items in lines as wide as `rect` (when `move`); return the height used."""
        x, y, line = rect.x(), rect.y(), 0
        for item in self._items:
            hint = item.sizeHint()
            if line and x + hint.width() > rect.right() + 1:
                x, y, line = rect.x(), y + line + self.SPACING, 0
            if move:
                item.setGeometry(QRect(QPoint(x, y), hint))
            x += hint.width() + self.SPACING
            line = max(line, hint.height())
        return y + line - rect.y()
