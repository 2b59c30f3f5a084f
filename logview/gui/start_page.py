"""The start page: what the window shows while nothing is open. The app's name, the three ways
in (files, a folder, the demo), the files opened lately, and a hint that files can be dropped
on the window. It says what was chosen with signals; the window opens it."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import PurePath

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QIcon, QKeySequence, QPalette, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSizePolicy,
    QStyle,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from logview.core.reading.source_groups import home_relative
from logview.core.shared.display import visible_text
from logview.gui.settings import Settings

# The page's column is this wide at most (in average characters): on a wide screen the
# buttons and the recent files stay together in the middle, not at its edges.
COLUMN_CHARS = 112
# The recent list is as high as its rows, this many at most, and never lower than the fewest
# (or its rows): a short window scrolls the list rather than push the hint off the page.
MOST_ROWS, FEWEST_ROWS = 10, 3
# Where a recent row keeps its whole path, as stored.
_PATH = Qt.ItemDataRole.UserRole
HINT = "Or drop log files, folders or archives anywhere on this window to open them."


class StartPage(QWidget):
    """The window's page while nothing is open: buttons to open files, a folder or the demo,
    the recent files of `settings` (newest first; one that is gone is greyed, "not found"),
    and the drop hint. Colours are the palette's, so it reads in light and dark themes."""

    open_requested = Signal()  # Open Files…: the window asks which
    open_folder_requested = Signal()  # Open Folder…
    demo_requested = Signal()  # Open the Demo
    recent_chosen = Signal(str)  # a recent path that exists, to open again

    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._settings = settings
        self.setObjectName("start_page")
        style = self.style()
        self._file_icon = style.standardIcon(QStyle.StandardPixmap.SP_FileIcon)
        self._folder_icon = style.standardIcon(QStyle.StandardPixmap.SP_DirIcon)
        self.open_button = self._button(
            "Open Files…",
            self._file_icon,
            "Open log files or archives",
            QKeySequence.StandardKey.Open,
        )
        self.open_button.setDefault(True)
        self.folder_button = self._button(
            "Open Folder…",
            self._folder_icon,
            "Open every log in a folder",
            QKeySequence("Ctrl+Shift+O"),
        )
        # The app's own icon: the demo is logview showing what it does.
        self.demo_button = self._button(
            "Open the Demo",
            self.windowIcon(),
            "Open a generated support bundle with an incident in it",
        )
        self.open_button.clicked.connect(self.open_requested)
        self.folder_button.clicked.connect(self.open_folder_requested)
        self.demo_button.clicked.connect(self.demo_requested)
        self.recent_list = self._recent_list()
        self.no_recent = _faint_label("Files you open will be listed here.")
        self.hint = _faint_label(HINT)
        self.hint.setWordWrap(True)
        self._lay_out()
        self.refresh()

    # -- building ---------------------------------------------------------------------------
    def _button(
        self,
        text: str,
        icon: QIcon,
        tip: str,
        keys: QKeySequence | QKeySequence.StandardKey | None = None,
    ) -> QPushButton:
        """Return one of the page's large buttons, its shortcut (the File menu's) in its tip."""
        button = QPushButton(icon, text)
        if keys is not None:
            shortcut = QKeySequence(keys).toString(QKeySequence.SequenceFormat.NativeText)
            tip = f"{tip} ({shortcut})"
        button.setToolTip(tip)
        button.setMinimumHeight(round(button.fontMetrics().height() * 2.4))
        button.setIconSize(QSize(20, 20))
        button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        return button

    def _recent_list(self) -> QTreeWidget:
        """Return the list of recent paths: the name, then the folder (cut in the middle)."""
        tree = QTreeWidget()
        tree.setObjectName("recent_list")
        tree.setColumnCount(2)
        tree.setHeaderHidden(True)
        tree.setRootIsDecorated(False)
        tree.setUniformRowHeights(True)
        tree.setAllColumnsShowFocus(True)
        tree.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        tree.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        header = tree.header()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setMaximumSectionSize(round(tree.fontMetrics().averageCharWidth() * 48))
        # One click opens, as a link does; the keyboard's Return or Enter on the current row.
        tree.itemClicked.connect(lambda item, _column: self._choose(item))
        for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            shortcut = QShortcut(QKeySequence(key), tree)
            shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
            shortcut.activated.connect(lambda: self._choose(tree.currentItem()))
        return tree

    def _heading(self) -> QHBoxLayout:
        """Return the app's icon (where the application has one) and name, large."""
        title = QLabel("logview")
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 2.6)
        font.setWeight(font.Weight.DemiBold)
        title.setFont(font)
        icon = QLabel()
        size = round(title.fontMetrics().height() * 1.1)
        icon.setPixmap(self.windowIcon().pixmap(size, size))
        icon.setVisible(not self.windowIcon().isNull())
        heading = QHBoxLayout()
        heading.setSpacing(12)
        heading.addWidget(icon)
        heading.addWidget(title)
        heading.addStretch(1)
        return heading

    def _lay_out(self) -> None:
        """Put everything in one column in the middle of the page, a little above centre."""
        tagline = _faint_label("Read log files, folders and support bundles, offline.")
        buttons = QHBoxLayout()
        buttons.setSpacing(8)
        for button in (self.open_button, self.folder_button, self.demo_button):
            buttons.addWidget(button)
        recent = QLabel("Recent")
        bold = recent.font()
        bold.setWeight(bold.Weight.DemiBold)
        recent.setFont(bold)
        column = QVBoxLayout()
        column.setSpacing(6)
        column.addLayout(self._heading())
        column.addWidget(tagline)
        column.addSpacing(18)
        column.addLayout(buttons)
        column.addSpacing(22)
        column.addWidget(recent)
        column.addWidget(self.recent_list)
        column.addWidget(self.no_recent)
        column.addSpacing(14)
        column.addWidget(self.hint)
        holder = QWidget()
        holder.setLayout(column)
        holder.setMaximumWidth(round(self.fontMetrics().averageCharWidth() * COLUMN_CHARS))
        holder.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Maximum)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(holder, 4)
        row.addStretch(1)
        page = QVBoxLayout(self)
        page.setContentsMargins(24, 24, 24, 24)
        page.addStretch(2)
        page.addLayout(row)
        page.addStretch(3)

    # -- the recent files -------------------------------------------------------------------
    def refresh(self) -> None:
        """List the settings' recent paths again: they change with every open, and a file
        can go (or come back) while the page is hidden."""
        self.show_recent(self._settings.recent_paths())

    def show_recent(self, paths: Sequence[str]) -> None:
        """List `paths`, newest first; one that no longer exists is greyed, "not found", and
        cannot be chosen."""
        tree = self.recent_list
        tree.clear()
        row_height = round(tree.fontMetrics().height() * 1.75)
        for path in paths:
            item = _recent_item(path)
            item.setIcon(0, self._folder_icon if os.path.isdir(path) else self._file_icon)
            item.setSizeHint(1, QSize(0, row_height))  # the last column: its width stretches
            tree.addTopLevelItem(item)
        rows, frame = min(len(paths), MOST_ROWS), 2 * tree.frameWidth()
        tree.setMinimumHeight(row_height * min(rows, FEWEST_ROWS) + frame)
        tree.setMaximumHeight(row_height * rows + frame)
        tree.setVisible(bool(paths))
        self.no_recent.setVisible(not paths)

    def recent_paths(self) -> list[str]:
        """Return the paths listed, first to last."""
        tree = self.recent_list
        return [tree.topLevelItem(i).data(0, _PATH) for i in range(tree.topLevelItemCount())]

    def _choose(self, item: QTreeWidgetItem | None) -> None:
        """Say that the path of `item` was chosen, unless it is gone (or there is none)."""
        if item is not None and item.flags() & Qt.ItemFlag.ItemIsEnabled:
            self.recent_chosen.emit(item.data(0, _PATH))

    def showEvent(self, event: QShowEvent) -> None:
        self.refresh()
        super().showEvent(event)


def _recent_item(path: str) -> QTreeWidgetItem:
    """Return the row of one recent path: its name, and its folder (with ~ for the home
    folder), or "not found" and greyed (not enabled) when it is gone."""
    pure = PurePath(path)
    folder = home_relative(str(pure.parent))
    found = os.path.exists(path)
    where = folder if found else f"not found \u00b7 {folder}"
    item = QTreeWidgetItem([visible_text(pure.name or path), visible_text(where)])
    item.setData(0, _PATH, path)
    item.setToolTip(0, visible_text(path if found else f"{path} (not found)"))
    item.setToolTip(1, item.toolTip(0))
    if not found:
        item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEnabled & ~Qt.ItemFlag.ItemIsSelectable)
    return item


def _faint_label(text: str) -> QLabel:
    """Return a label in the palette's faint text colour (what is said in passing)."""
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
    return label
