"""The Help menu's dialogs: the window's keyboard shortcuts, the query reference and About.

The shortcuts are read from the window each time the dialog is shown (its actions with
shortcuts, by their text, and its `QShortcut`s, by their `whatsThis`), so the list cannot
drift from the bindings. The query reference is the Markdown shipped in the package
(`logview/resources/query.md`), shown offline: nothing it names is ever fetched.

The words are `core.shared.help_text`'s (grouping and ordering the shortcuts, sizes, About's
text, the reference), tested without widgets; this module reads the window and lays out what
they return. Keys are shown in the platform's own text by Qt (`native_text`), which knows
every platform's symbols.
"""

from __future__ import annotations

import platform
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

import polars as pl
import pyqtgraph
import PySide6
from PySide6.QtCore import QObject, QSize, Qt, QUrl, qVersion
from PySide6.QtGui import (
    QAction,
    QColor,
    QDesktopServices,
    QFont,
    QFontMetricsF,
    QGuiApplication,
    QKeySequence,
    QPalette,
    QShortcut,
    QShowEvent,
    QTextBlock,
    QTextCursor,
    QTextDocument,
    QTextFormat,
)
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QDockWidget,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QTextBrowser,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

import logview
from logview.core.shared.help_text import (
    GENERAL,
    Binding,
    about_text,
    fitted_size,
    grouped,
    plain_label,
    query_reference,
)

# Sizes the dialogs would like; each is cut to 90% of the screen they open on (1280x720
# laptops leave about 1280x680 to windows).
REFERENCE_SIZE = (920, 760)
SHORTCUTS_SIZE = (560, 560)


# -- reading the window --------------------------------------------------------------------
def native_text(keys: str) -> str:
    """Return a key sequence in portable text as the platform writes it (⌘F on macOS)."""
    sequence = QKeySequence(keys, QKeySequence.SequenceFormat.PortableText)
    return sequence.toString(QKeySequence.SequenceFormat.NativeText)


def window_bindings(window: QWidget) -> list[Binding]:
    """Return every binding of `window`: its visible actions that have shortcuts (under their
    menu's title) and its `QShortcut`s (under General, described by their `whatsThis`).
    Those of other windows (dialogs parented to it) are left out: their keys work there."""
    bindings = []
    for action in _actions(window):
        keys = _portable(action.shortcuts())
        if keys and action.isVisible() and _belongs_to(action, window):
            menu = _menu_of(action)
            group = plain_label(menu.title()) if menu is not None else GENERAL
            bindings.append(Binding(keys, plain_label(action.text()), group))
    for shortcut in window.findChildren(QShortcut):
        keys = _portable(shortcut.keys())
        if keys and _belongs_to(shortcut, window):
            bindings.append(Binding(keys, shortcut.whatsThis(), GENERAL))
    return bindings


def menu_titles(window: QWidget) -> list[str]:
    """Return the titles of the menu bar's menus, left to right, as `grouped` orders them."""
    bar = window.menuBar() if hasattr(window, "menuBar") else None
    menus = [action.menu() for action in bar.actions()] if bar is not None else []
    return [plain_label(menu.title()) for menu in menus if menu is not None]


def _portable(sequences: Iterable[QKeySequence]) -> tuple[str, ...]:
    texts = (s.toString(QKeySequence.SequenceFormat.PortableText) for s in sequences)
    return tuple(text for text in texts if text)


def _actions(window: QWidget) -> Iterator[QAction]:
    """Yield the window's actions once each: its children, its own, and its menus' (an
    action shown in a menu need not be the window's child)."""
    found = [*window.findChildren(QAction), *window.actions()]
    found += [action for menu in window.findChildren(QMenu) for action in menu.actions()]
    yield from dict.fromkeys(found)


def _belongs_to(item: QObject, window: QWidget) -> bool:
    """Return whether `item` is bound in `window` itself: on the way up its parents it meets
    the window before any other window (a dialog)."""
    parent = item.parent()
    while parent is not None:
        if parent is window:
            return True
        if isinstance(parent, QWidget) and parent.isWindow() and not _part_of_window(parent):
            return False
        parent = parent.parent()
    return False


def _part_of_window(widget: QWidget) -> bool:
    """Return whether a widget Qt counts as a window is still part of the main window: a menu
    (a popup) or a floating dock, whose keys Qt matches as the main window's."""
    return isinstance(widget, (QMenu, QDockWidget))


def _menu_of(action: QAction) -> QMenu | None:
    return next((o for o in action.associatedObjects() if isinstance(o, QMenu)), None)


def _fit(dialog: QDialog, preferred: tuple[int, int]) -> None:
    screen = dialog.screen() or QGuiApplication.primaryScreen()
    room = screen.availableGeometry().size()
    dialog.resize(*fitted_size(preferred, (room.width(), room.height())))


def _no_default_buttons(dialog: QDialog) -> None:
    """Keep Enter for the dialog's fields: a dialog presses its default button on Enter."""
    for button in dialog.findChildren(QPushButton):
        button.setAutoDefault(False)
        button.setDefault(False)


# -- the dialogs ---------------------------------------------------------------------------
class ShortcutsDialog(QDialog):
    """The window's keyboard shortcuts, by group; read again from the window on every show."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self._window = window
        self.setWindowTitle("Keyboard Shortcuts")
        self.tree = QTreeWidget()
        self.tree.setColumnCount(2)
        self.tree.setHeaderLabels(["Keys", "Action"])
        self.tree.setRootIsDecorated(False)
        self.tree.setItemsExpandable(False)
        self.tree.setSelectionMode(QTreeWidget.SelectionMode.NoSelection)
        self.tree.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tree)
        layout.addWidget(buttons)
        _fit(self, SHORTCUTS_SIZE)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt's name)
        self.refresh()
        super().showEvent(event)

    def refresh(self) -> None:
        """List the window's bindings as they are now."""
        self.tree.clear()
        bold = QFont(self.font())
        bold.setBold(True)
        line = QFontMetricsF(self.font()).height()
        bindings = window_bindings(self._window)
        for group, rows in grouped(bindings, menu_titles(self._window)):
            head = QTreeWidgetItem(self.tree, [group])
            head.setFont(0, bold)
            head.setFirstColumnSpanned(True)
            # Room above a group's title, and rows a little apart, to be read at a glance.
            head.setSizeHint(1, QSize(0, round(line * 2)))
            head.setTextAlignment(0, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom)
            for row in rows:
                keys = " or ".join(native_text(k) for k in row.keys)
                item = QTreeWidgetItem(head, [keys, row.description or "—"])
                item.setSizeHint(1, QSize(0, round(line * 1.5)))
        self.tree.expandAll()
        self.tree.resizeColumnToContents(0)
        self.tree.setColumnWidth(0, self.tree.columnWidth(0) + round(line * 1.5))

    def listed(self) -> list[tuple[str, str, str]]:
        """Return the rows shown: (group, keys, what they do)."""
        rows = []
        for i in range(self.tree.topLevelItemCount()):
            head = self.tree.topLevelItem(i)
            for j in range(head.childCount()):
                item = head.child(j)
                rows.append((head.text(0), item.text(0), item.text(1)))
        return rows


class OfflineBrowser(QTextBrowser):
    """A text browser that loads nothing: no image, file or address a document names is
    read, and a click on a web link opens the user's browser rather than navigating."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setOpenLinks(False)
        self.anchorClicked.connect(self._follow)

    def loadResource(self, kind: int, name: QUrl) -> None:  # noqa: N802 (Qt's name)
        return None

    def _follow(self, url: QUrl) -> None:
        if url.scheme() in ("http", "https"):
            QDesktopServices.openUrl(url)
        elif url.hasFragment() and not url.path():
            self.scrollToAnchor(url.fragment())


def _space_out(document: QTextDocument, palette: QPalette) -> None:
    """Give Qt's Markdown layout room to breathe: space above headings (it sets none, so a
    heading sat on the code above it) and a shade behind code blocks, taken from the text
    colour so that it shows on light and dark palettes alike."""
    document.setDocumentMargin(12)
    line = QFontMetricsF(document.defaultFont()).height()
    shade = QColor(palette.color(QPalette.ColorRole.Text))
    shade.setAlpha(24)
    block = document.begin()
    while block.isValid():
        shape = block.blockFormat()
        if shape.headingLevel() and block.position() > 0:
            shape.setTopMargin(line)
            shape.setBottomMargin(line * 0.3)
            QTextCursor(block).setBlockFormat(shape)
        elif _is_code(block):
            shape.setBackground(shade)
            shape.setLeftMargin(line * 0.5)  # the shade reaches left of the code
            shape.setTopMargin(0 if _is_code(block.previous()) else line * 0.5)
            shape.setBottomMargin(0 if _is_code(block.next()) else line * 0.5)
            QTextCursor(block).setBlockFormat(shape)
        block = block.next()


def _is_code(block: QTextBlock) -> bool:
    """Return whether `block` is a line of a Markdown code block (one block per line)."""
    return block.isValid() and block.blockFormat().hasProperty(QTextFormat.Property.BlockCodeFence)


class QueryReferenceDialog(QDialog):
    """The query language reference with a find field; not modal, so that it stays open
    beside the window while a query is written."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Query Reference")
        self.browser = OfflineBrowser()
        self.browser.setMarkdown(query_reference())
        _space_out(self.browser.document(), self.browser.palette())
        self.find_edit = QLineEdit()
        self.find_edit.setPlaceholderText("Find (Enter or F3: next, Shift+F3: previous)")
        self.find_edit.setClearButtonEnabled(True)
        self.find_edit.textChanged.connect(lambda _text: self.find(again=True))
        self.find_edit.returnPressed.connect(self.find)
        self.find_label = QLabel()
        self.find_label.setTextFormat(Qt.TextFormat.PlainText)
        row = QHBoxLayout()
        row.addWidget(QLabel("Find:"))
        row.addWidget(self.find_edit, 1)
        row.addWidget(self.find_label)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.browser, 1)
        layout.addWidget(buttons)
        _no_default_buttons(self)
        for keys, slot in (
            (QKeySequence.StandardKey.Find, self.show_find),
            (QKeySequence.StandardKey.FindNext, self.find),
            (QKeySequence.StandardKey.FindPrevious, lambda: self.find(backward=True)),
        ):
            QShortcut(keys, self, slot)
        self.browser.setFocus()
        _fit(self, REFERENCE_SIZE)

    def show_find(self) -> None:
        self.find_edit.setFocus()
        self.find_edit.selectAll()

    def find(self, *, backward: bool = False, again: bool = False) -> bool:
        """Select the next (or previous) occurrence of the find text, any case, going round
        at the end; `again` (while typing) starts at the current match, so it grows."""
        needle = self.find_edit.text()
        cursor = self.browser.textCursor()
        if again:
            cursor.setPosition(cursor.selectionStart())
            self.browser.setTextCursor(cursor)
        if not needle:
            self.find_label.clear()
            return False
        flags = QTextDocument.FindFlag.FindBackward if backward else QTextDocument.FindFlag(0)
        found = self.browser.find(needle, flags)
        if not found:  # go round
            cursor.movePosition(
                cursor.MoveOperation.End if backward else cursor.MoveOperation.Start
            )
            self.browser.setTextCursor(cursor)
            found = self.browser.find(needle, flags)
        self.find_label.setText("" if found else "not found")
        return found


def about_rows(settings_file: str, formats_folder: Path) -> list[tuple[str, str]]:
    """Return what About shows: the version (as `logview --version` prints it, from the
    package's metadata), those of what it runs on, and where the user's files are."""
    return [
        ("Version", logview.__version__),
        ("Python", platform.python_version()),
        ("Qt", f"{qVersion()} (PySide6 {PySide6.__version__})"),
        ("polars", pl.__version__),
        ("pyqtgraph", pyqtgraph.__version__),
        ("System", platform.platform(terse=True)),
        ("Settings", settings_file),
        ("Your formats", str(formats_folder)),
    ]


class AboutDialog(QDialog):
    """Versions and where settings live, selectable, with a button that copies them all."""

    def __init__(self, rows: Sequence[tuple[str, str]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("About logview")
        self.rows = list(rows)
        title = QLabel("logview")
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        title.setFont(font)
        blurb = QLabel("A desktop log explorer. Reads log files and archives locally, offline.")
        heading = QVBoxLayout()
        heading.addWidget(title)
        heading.addWidget(blurb)
        top = QHBoxLayout()
        icon = QApplication.windowIcon()
        if not icon.isNull():  # the application's (app.py sets it)
            picture = QLabel()
            picture.setPixmap(icon.pixmap(48, 48))
            top.addWidget(picture, 0, Qt.AlignmentFlag.AlignTop)
        top.addLayout(heading, 1)
        form = QFormLayout()
        for label, value in self.rows:
            field = QLabel(value)
            field.setTextFormat(Qt.TextFormat.PlainText)
            field.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            form.addRow(f"{label}:", field)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        copy = buttons.addButton("&Copy", QDialogButtonBox.ButtonRole.ActionRole)
        copy.setToolTip("Copy these lines, for a bug report")
        copy.clicked.connect(self.copy)
        folder = buttons.addButton("Open Settings &Folder", QDialogButtonBox.ButtonRole.ActionRole)
        folder.clicked.connect(self.open_settings_folder)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addSpacing(6)
        layout.addLayout(form)
        layout.addSpacing(6)
        layout.addWidget(buttons)

    def copy(self) -> None:
        QGuiApplication.clipboard().setText(about_text(self.rows))

    def open_settings_folder(self) -> None:
        settings = dict(self.rows)["Settings"]
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(Path(settings).parent)))
