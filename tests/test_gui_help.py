"""The Help menu: its items, the keyboard shortcuts read from the window, the query reference
shipped in the package, and About."""

from __future__ import annotations

import tomllib
from fnmatch import fnmatch
from importlib import metadata, resources
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QAction, QKeySequence, QShortcut, QTextDocument
from PySide6.QtWidgets import QApplication, QDialog, QDockWidget, QMainWindow, QWidget

import logview
from logview.core.shared.help_text import (
    GENERAL,
    Binding,
    fitted_size,
    grouped,
    key_order,
    plain_label,
    query_reference,
)
from logview.gui.help import OfflineBrowser
from logview.gui.menus import Menus
from logview.gui.settings import Settings

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.usefixtures("isolated_settings")


@pytest.fixture
def window(qtbot, tmp_path: Path) -> QMainWindow:
    """A small window with the menus, a menu of its own, window actions and shortcuts."""
    win = QMainWindow()
    qtbot.addWidget(win)
    win.menus = Menus(win, Settings(tmp_path / "settings.ini"), None, [])  # type: ignore[attr-defined]
    edit = win.menuBar().addMenu("&Edit")
    copy = QAction("&Copy Rows…", win)
    copy.setShortcut(QKeySequence("Ctrl+Shift+C"))
    edit.addAction(copy)
    edit.addAction("No Keys")  # listed nowhere: it has no shortcut
    hidden = QAction("Hidden", win)
    hidden.setShortcut(QKeySequence("Ctrl+H"))
    hidden.setVisible(False)
    edit.addAction(hidden)
    tab = QAction("Second Tab", win)
    tab.setShortcut(QKeySequence("Ctrl+2"))
    win.addAction(tab)  # a window action in no menu
    QShortcut(QKeySequence("Ctrl+L"), win, lambda: None, whatsThis="Focus the query bar")
    QShortcut(QKeySequence("F3"), win, lambda: None)  # not described (yet)
    dock = QDockWidget("Sources", win)
    dock.setWidget(QWidget())
    win.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, dock)
    dock.setFloating(True)  # a window to Qt, but its keys are the main window's
    QShortcut(QKeySequence("Ctrl+D"), dock.widget(), lambda: None, whatsThis="Docked key")
    own = QDialog(win)  # another window's keys work there, not in this one
    QShortcut(QKeySequence("Ctrl+G"), own, lambda: None, whatsThis="Dialog's own")
    win.resize(800, 600)
    win.show()
    return win


# -- the Qt-free part ----------------------------------------------------------------------
def test_a_menu_items_text_loses_its_mnemonic_and_ellipsis():
    assert plain_label("&Open…") == "Open"
    assert plain_label("Open &Folder...") == "Open Folder"
    assert plain_label("Save && &Quit") == "Save & Quit"


def test_keys_sort_plain_first_then_by_modifiers_then_naturally():
    keys = ["Ctrl+Shift+F", "Ctrl+10", "F10", "Ctrl+2", "Esc", "F3", "Ctrl++", "Alt+1", "Ctrl+F"]
    assert sorted(keys, key=key_order) == [
        "Esc", "F3", "F10", "Ctrl+2", "Ctrl+10", "Ctrl++", "Ctrl+F", "Alt+1", "Ctrl+Shift+F",
    ]  # fmt: skip


def test_groups_come_general_first_then_in_menu_bar_order_then_by_name():
    bindings = [
        Binding(("Ctrl+/",), "Keyboard Shortcuts", "Help"),
        Binding(("Ctrl+Q",), "Quit", "File"),
        Binding(("Ctrl+O",), "Open", "File"),
        Binding(("Ctrl+9",), "Tool", "Zeta"),
        Binding(("Ctrl+B",), "Bold", "Alpha"),
        Binding(("Ctrl+L",), "Focus the query bar", GENERAL),
    ]
    result = grouped(bindings, ["File", "View", "Help"])
    assert [(g, [b.keys[0] for b in rows]) for g, rows in result] == [
        (GENERAL, ["Ctrl+L"]),
        ("File", ["Ctrl+O", "Ctrl+Q"]),
        ("Help", ["Ctrl+/"]),
        ("Alpha", ["Ctrl+B"]),
        ("Zeta", ["Ctrl+9"]),
    ]


def test_dialogs_fit_a_small_laptops_screen_and_keep_their_size_on_a_large_one():
    assert fitted_size((920, 760), (1280, 680)) == (920, 612)
    assert fitted_size((920, 760), (1920, 1040)) == (920, 760)


# -- the menu ------------------------------------------------------------------------------
def test_help_menu_comes_after_view_with_its_three_items(window):
    menus = [a.menu() for a in window.menuBar().actions()]
    assert [m.title() for m in menus][:3] == ["&File", "&View", "&Help"]
    items = [a.text() for a in menus[2].actions() if not a.isSeparator()]
    assert items == ["&Keyboard Shortcuts", "&Query Reference", "&About logview"]
    assert window.menus.shortcuts_action.shortcut() == QKeySequence("Ctrl+/")
    assert window.menus.reference_action.shortcuts() == QKeySequence.keyBindings(
        QKeySequence.StandardKey.HelpContents
    )


# -- keyboard shortcuts --------------------------------------------------------------------
def test_shortcuts_dialog_lists_every_binding_of_the_window(qtbot, window):
    window.menus.shortcuts_action.trigger()
    dialog = window.menus.show_shortcuts()
    assert dialog.isVisible() and not dialog.isModal()
    listed = dialog.listed()
    help_keys = " or ".join(
        s.toString(QKeySequence.SequenceFormat.NativeText)
        for s in QKeySequence.keyBindings(QKeySequence.StandardKey.HelpContents)
    )
    assert ("General", "Ctrl+L", "Focus the query bar") in listed
    assert ("General", "F3", "—") in listed  # bound, so listed, though not described
    assert ("General", "Ctrl+2", "Second Tab") in listed
    assert ("General", "Ctrl+D", "Docked key") in listed
    assert ("Edit", "Ctrl+Shift+C", "Copy Rows") in listed
    assert ("Help", "Ctrl+/", "Keyboard Shortcuts") in listed
    assert ("Help", help_keys, "Query Reference") in listed
    assert ("File", "Ctrl+Shift+O", "Open Folder") in listed
    descriptions = [row[2] for row in listed]
    assert "Hidden" not in descriptions and "Dialog's own" not in descriptions
    assert "No Keys" not in descriptions


def test_shortcuts_added_later_are_listed_on_the_next_show(qtbot, window):
    dialog = window.menus.show_shortcuts()
    dialog.reject()
    QShortcut(QKeySequence("Ctrl+3"), window, lambda: None, whatsThis="Third tab")
    assert window.menus.show_shortcuts() is dialog
    assert ("General", "Ctrl+3", "Third tab") in dialog.listed()


def test_the_main_windows_shortcuts_are_listed(qtbot, tmp_path):
    from logview.gui.main_window import MainWindow

    win = MainWindow(Settings(tmp_path / "settings.ini"))
    qtbot.addWidget(win)
    keys = {row[1] for row in win.menus.show_shortcuts().listed()}
    assert {"Ctrl+L", "Ctrl+F", "F3", "Esc", "Ctrl+O", "Ctrl+/"} <= keys


# -- the query reference -------------------------------------------------------------------
def test_the_reference_ships_in_the_package_and_is_its_one_copy():
    shipped = resources.files("logview").joinpath("resources/query.md")
    assert shipped.is_file()
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    globs = project["tool"]["setuptools"]["package-data"]["logview"]
    assert any(fnmatch("resources/query.md", glob) for glob in globs)  # in wheels, so frozen
    assert "## Commands" in query_reference()
    pointer = (ROOT / "docs" / "query.md").read_text(encoding="utf-8")
    assert "logview/resources/query.md" in pointer and "## Commands" not in pointer


def _headings(document: QTextDocument) -> list[str]:
    block, found = document.begin(), []
    while block.isValid():
        if block.blockFormat().headingLevel():
            found.append(block.text())
        block = block.next()
    return found


def test_query_reference_shows_the_commands_and_finds_text(qtbot, window):
    window.menus.reference_action.trigger()
    dialog = window.menus.show_query_reference()
    assert dialog.isVisible() and not dialog.isModal()
    document = dialog.browser.document()
    assert {"Commands", "Fields", "stats", "Errors"} <= set(_headings(document))
    assert 'filter @level = "ERROR"' in document.toPlainText()
    dialog.find_edit.setText("dedup user")
    assert dialog.browser.textCursor().selectedText() == "dedup user"
    dialog.find_edit.setText("no such words")
    assert dialog.find_label.text() == "not found"


def test_ctrl_f_in_the_reference_goes_to_its_find_field_and_enter_finds_again(qtbot, window):
    dialog = window.menus.show_query_reference()
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    dialog.browser.setFocus()
    qtbot.keyClick(dialog.browser, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert dialog.find_edit.hasFocus()
    qtbot.keyClicks(dialog.find_edit, "filter")
    first = dialog.browser.textCursor().selectionStart()
    qtbot.keyClick(dialog.find_edit, Qt.Key.Key_Return)
    assert dialog.isVisible()  # Enter finds the next one; it presses no Close button
    assert dialog.browser.textCursor().selectionStart() > first


def test_the_reference_browser_loads_nothing_it_names(tmp_path):
    local = tmp_path / "picture.png"
    local.write_bytes(b"\x89PNG")
    browser = OfflineBrowser()
    kind = QTextDocument.ResourceType.ImageResource
    for url in (QUrl("https://example.com/a.png"), QUrl.fromLocalFile(str(local))):
        assert browser.loadResource(kind, url) is None
    assert not browser.openLinks()


# -- About and closing ---------------------------------------------------------------------
def test_about_shows_the_version_the_cli_prints_and_where_settings_live(qtbot, window, tmp_path):
    window.menus.about_action.trigger()
    dialog = window.menus.show_about()
    rows = dict(dialog.rows)
    assert rows["Version"] == logview.__version__ == metadata.version("logview")
    assert {"Python", "Qt", "polars"} <= rows.keys()
    assert rows["Settings"] == str(tmp_path / "settings.ini")
    assert dialog.isModal()
    dialog.copy()
    assert f"Version: {logview.__version__}" in QApplication.clipboard().text()


@pytest.mark.parametrize("show", ["show_shortcuts", "show_query_reference", "show_about"])
def test_escape_closes_each_dialog(qtbot, window, show):
    dialog = getattr(window.menus, show)()
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()
