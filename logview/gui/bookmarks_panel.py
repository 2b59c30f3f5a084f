"""The Bookmarks panel: the entries, patterns and anomalies marked in the investigation, each
with its note, and the investigation's notes. A double-click (or Enter) goes to a bookmark; a
note is edited in place."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QSignalBlocker, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QResizeEvent, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QStyledItemDelegate,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from logview.core.investigation.bookmarks import Bookmark
from logview.core.shared.display import format_stamp, visible_text

KIND_LABELS = {"entry": "Entry", "pattern": "Pattern", "anomaly": "Anomaly"}
TIME, WHAT, NOTE = range(3)
NOTE_SHARE = 0.38  # of the list's width, for the notes (the rest elides what is marked)
NOTES_QUIET_MS = 400  # notes typed are passed on once typing pauses


class BookmarksPanel(QWidget):
    """The bookmarks listed, with Go To, Remove and their notes; the investigation's notes."""

    jump_requested = Signal(object)  # Bookmark: show what it marks
    remove_requested = Signal(object)  # Bookmark
    note_edited = Signal(object, str)  # Bookmark, its new note
    notes_edited = Signal(str)  # the investigation's notes, as typed

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._marks: list[Bookmark] = []
        self._zone: str | None = None
        self.list = QTreeWidget()
        self.list.setHeaderLabels(["When", "What", "Note"])
        self.list.header().setStretchLastSection(False)
        self.list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.list.setRootIsDecorated(False)
        self.list.setUniformRowHeights(True)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setEditTriggers(
            QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.SelectedClicked
        )
        self.list.setItemDelegate(_NoteEditor(self.list))
        self.list.itemActivated.connect(self._on_item_activated)
        self.list.itemChanged.connect(self._on_item_changed)
        self.list.itemSelectionChanged.connect(self._enable)
        remove = QShortcut(QKeySequence.StandardKey.Delete, self.list)
        remove.setContext(Qt.ShortcutContext.WidgetShortcut)
        remove.activated.connect(self.remove_selected)
        self.empty = QLabel(
            "No bookmarks yet. Press M on a log entry, or right-click a pattern or an "
            "anomaly and choose Bookmark. Query them with filter @bookmarked."
        )
        self.empty.setWordWrap(True)
        self.empty.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.empty.setTextFormat(Qt.TextFormat.PlainText)
        self.go_button = QPushButton("Go To")
        self.go_button.clicked.connect(self._go_selected)
        self.note_button = QPushButton("Edit Note")
        self.note_button.clicked.connect(self._edit_selected_note)
        self.remove_button = QPushButton("Remove")
        self.remove_button.clicked.connect(self.remove_selected)
        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        for button in (self.go_button, self.note_button, self.remove_button):
            # A narrow dock squeezes the buttons rather than widening the window's minimum.
            button.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
            button.setMinimumWidth(0)
            buttons.addWidget(button)
        marks = QWidget()
        column = QVBoxLayout(marks)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.empty)
        column.addWidget(self.list, 1)
        column.addLayout(buttons)
        self.notes = QPlainTextEdit()
        self.notes.setPlaceholderText(
            "Notes on this investigation: what the customer reported, what you found, next "
            "steps. Saved with the investigation and put in the report."
        )
        self._quiet = QTimer(self, singleShot=True, interval=NOTES_QUIET_MS)
        self._quiet.timeout.connect(lambda: self.notes_edited.emit(self.notes.toPlainText()))
        self.notes.textChanged.connect(self._quiet.start)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(marks)
        split.addWidget(self.notes)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(split)
        self.set_bookmarks([])

    def set_bookmarks(self, marks: Sequence[Bookmark], zone: str | None = None) -> None:
        """List `marks` (times in `zone`, IANA; None is UTC), keeping the one selected."""
        chosen = self.selected()
        self._marks, self._zone = list(marks), zone
        with QSignalBlocker(self.list):
            self.list.clear()
            for mark in self._marks:
                stamp = format_stamp(mark.ts, zone) if mark.ts is not None else ""
                what = visible_text(_first_line(mark.title or mark.key))[:300]
                if mark.kind != "entry":
                    what = f"{KIND_LABELS[mark.kind]}: {what}"
                # The day and the second: the year and the fraction are in the tooltip.
                item = QTreeWidgetItem([stamp[5:19], what, mark.note])
                item.setToolTip(TIME, stamp)
                item.setToolTip(WHAT, visible_text(mark.title or mark.key)[:2000])
                if mark.note:
                    item.setToolTip(NOTE, mark.note)
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable)
                self.list.addTopLevelItem(item)
                if chosen is not None and (chosen.kind, chosen.key) == (mark.kind, mark.key):
                    self.list.setCurrentItem(item)
        self._size_columns()
        self.empty.setVisible(not self._marks)
        self.list.setVisible(bool(self._marks))
        self._enable()

    def _size_columns(self) -> None:
        """The time as wide as it is, the notes a share of the rest, what is marked the rest."""
        self.list.resizeColumnToContents(TIME)
        room = self.list.viewport().width() - self.list.columnWidth(TIME)
        note = max(60, int(room * NOTE_SHARE))
        self.list.setColumnWidth(NOTE, note)
        self.list.setColumnWidth(WHAT, max(80, room - note))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._size_columns()

    def set_notes(self, text: str) -> None:
        """Show the investigation's notes (without reporting them as typed)."""
        if text != self.notes.toPlainText():
            with QSignalBlocker(self.notes):
                self.notes.setPlainText(text)

    def bookmarks(self) -> list[Bookmark]:
        return list(self._marks)

    def selected(self) -> Bookmark | None:
        item = self.list.currentItem()
        if item is None or not item.isSelected():
            return None
        index = self.list.indexOfTopLevelItem(item)
        return self._marks[index] if 0 <= index < len(self._marks) else None

    def select(self, index: int) -> None:
        self.list.setCurrentItem(self.list.topLevelItem(index))

    def remove_selected(self) -> None:
        mark = self.selected()
        if mark is not None:
            self.remove_requested.emit(mark)

    def _go_selected(self) -> None:
        mark = self.selected()
        if mark is not None:
            self.jump_requested.emit(mark)

    def _edit_selected_note(self) -> None:
        item = self.list.currentItem()
        if item is not None:
            self.list.editItem(item, NOTE)

    def _enable(self) -> None:
        chosen = self.selected() is not None
        for button in (self.go_button, self.note_button, self.remove_button):
            button.setEnabled(chosen)

    def _on_item_activated(self, item: QTreeWidgetItem, _column: int) -> None:
        index = self.list.indexOfTopLevelItem(item)
        if 0 <= index < len(self._marks):
            self.jump_requested.emit(self._marks[index])

    def _on_item_changed(self, item: QTreeWidgetItem, column: int) -> None:
        index = self.list.indexOfTopLevelItem(item)
        if not 0 <= index < len(self._marks):
            return
        mark = self._marks[index]
        if column == NOTE and item.text(NOTE) != mark.note:
            self.note_edited.emit(mark, item.text(NOTE))

    def flush_notes(self) -> None:
        """Pass on notes still being typed now (before a save)."""
        if self._quiet.isActive():
            self._quiet.stop()
            self.notes_edited.emit(self.notes.toPlainText())


class _NoteEditor(QStyledItemDelegate):
    """Edits the Note column only: the rest of a bookmark is what it marks."""

    def createEditor(self, parent, option, index):  # noqa: ANN001, N802 - Qt's signature
        return super().createEditor(parent, option, index) if index.column() == NOTE else None


def _first_line(text: str) -> str:
    return text.split("\n", 1)[0]
