"""The start page: its buttons and its recent files say what was chosen (it opens nothing
itself), a file that is gone is greyed and cannot be chosen, and it fits a 1280x720 window."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette

from logview.gui.settings import Settings
from logview.gui.start_page import StartPage


@pytest.fixture
def files(tmp_path):
    """A log, a folder of logs and a log that is gone, opened in that order."""
    log = tmp_path / "app.log"
    log.write_text("2026-03-10 14:00:00 INFO up\n")
    folder = tmp_path / "bundle"
    folder.mkdir()
    return str(log), str(folder), str(tmp_path / "gone.log")


@pytest.fixture
def page(qtbot, tmp_path, files):
    settings = Settings(tmp_path / "settings.ini")
    for path in files:
        settings.add_recent([path])
    page = StartPage(settings)
    qtbot.addWidget(page)
    page.resize(900, 600)
    page.show()
    qtbot.waitExposed(page)
    return page


def _row(page: StartPage, path: str):
    tree = page.recent_list
    return next(tree.topLevelItem(i) for i in range(tree.topLevelItemCount())
                if tree.topLevelItem(i).data(0, Qt.ItemDataRole.UserRole) == path)  # fmt: skip


def _click(qtbot, page: StartPage, path: str) -> None:
    tree = page.recent_list
    rect = tree.visualItemRect(_row(page, path))
    qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


@pytest.mark.parametrize(
    ("button", "signal"),
    [
        ("open_button", "open_requested"),
        ("folder_button", "open_folder_requested"),
        ("demo_button", "demo_requested"),
    ],
)
def test_each_button_says_what_was_asked(qtbot, page, button, signal):
    with qtbot.waitSignal(getattr(page, signal), timeout=1000):
        qtbot.mouseClick(getattr(page, button), Qt.MouseButton.LeftButton)


def test_recent_files_are_listed_newest_first_and_the_gone_one_is_greyed(page, files):
    log, folder, gone = files
    assert page.recent_paths() == [gone, folder, log]
    row = _row(page, gone)
    assert not row.flags() & Qt.ItemFlag.ItemIsEnabled  # drawn in the palette's disabled text
    assert row.text(1).startswith("not found") and "not found" in row.toolTip(0)
    assert _row(page, log).text(0) == "app.log" and _row(page, folder).text(0) == "bundle"
    assert page.recent_list.isVisible() and not page.no_recent.isVisible()


def test_a_click_or_return_on_a_recent_file_chooses_it_and_the_gone_one_chooses_nothing(
    qtbot, page, files
):
    log, folder, gone = files
    with qtbot.waitSignal(page.recent_chosen, timeout=1000) as chosen:
        _click(qtbot, page, folder)
    assert chosen.args == [folder]
    with qtbot.assertNotEmitted(page.recent_chosen, wait=100):
        _click(qtbot, page, gone)
    page.recent_list.setFocus()
    page.recent_list.setCurrentItem(_row(page, log))
    with qtbot.waitSignal(page.recent_chosen, timeout=1000) as chosen:
        qtbot.keyClick(page.recent_list, Qt.Key.Key_Return)
    assert chosen.args == [log]


def test_the_list_is_read_again_when_the_page_is_shown(qtbot, tmp_path, files):
    settings = Settings(tmp_path / "settings.ini")
    page = StartPage(settings)
    qtbot.addWidget(page)
    page.show()
    assert page.recent_paths() == [] and not page.recent_list.isVisible()
    assert page.no_recent.isVisible()
    page.hide()
    settings.add_recent([files[0]])
    page.show()
    assert page.recent_paths() == [files[0]] and page.recent_list.isVisible()


def test_it_fits_a_small_window_with_ten_recent_files_in_palette_colours(qtbot, tmp_path):
    settings = Settings(tmp_path / "settings.ini")
    settings.set_value("recent/paths", [f"/srv/logs/host-{i}/service.log" for i in range(10)])
    page = StartPage(settings)
    qtbot.addWidget(page)
    page.resize(800, 640)  # 1280x720 less a 470-pixel dock, the menu and the status bar
    page.show()
    qtbot.waitExposed(page)
    inside = page.rect()
    for widget in (page.open_button, page.demo_button, page.recent_list, page.hint):
        corner = widget.mapTo(page, widget.rect().bottomRight())
        assert inside.contains(corner), widget
    assert page.hint.foregroundRole() == QPalette.ColorRole.PlaceholderText
    assert page.styleSheet() == ""  # colours come from the palette: light and dark alike
