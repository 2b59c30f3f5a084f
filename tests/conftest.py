"""Shared test setup: Qt renders offscreen, settings and the column cache never touch the
user's own files, and Qt tests collect garbage only between tests."""

import gc
import os

# Before any Qt import (pytest-qt imports Qt when its plugin loads, after conftest).
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402


@pytest.fixture(autouse=True)
def isolated_cache(tmp_path_factory, monkeypatch):
    """Keep each test's column cache in a folder of its own; return that folder."""
    folder = tmp_path_factory.mktemp("column-cache")
    monkeypatch.setenv("LOGVIEW_CACHE_DIR", str(folder))
    return folder


@pytest.fixture(autouse=True)
def no_question_on_close(monkeypatch):
    """Windows close without asking to save their bookmarks (a test of asking turns it on)."""
    monkeypatch.setenv("LOGVIEW_CLOSE_WITHOUT_ASKING", "1")


@pytest.fixture
def isolated_settings(tmp_path, monkeypatch):
    """Point QSettings' user files at a folder under tmp_path; return that folder."""
    from PySide6.QtCore import QSettings

    folder = tmp_path / "settings"
    folder.mkdir()
    for fmt in (QSettings.Format.IniFormat, QSettings.Format.NativeFormat):
        QSettings.setPath(fmt, QSettings.Scope.UserScope, str(folder))
    return folder


@pytest.fixture
def open_window(qtbot, tmp_path):
    """Return a function that opens paths in a new window (its settings under tmp_path), shows
    it and waits for one of its signals: by default the patterns, since mining ends with the
    view shown again, which must not be taken for the view of what a test does next."""
    from logview.gui.main_window import MainWindow
    from logview.gui.settings import Settings

    def open_(paths, *, until="sig_patterns_ready", size=(1300, 850)):
        win = MainWindow(Settings(tmp_path / "settings.ini"))
        qtbot.addWidget(win)
        win.resize(*size)
        win.show()
        with qtbot.waitSignal(getattr(win, until), timeout=60_000):
            win.open_paths([str(p) for p in paths])
        return win

    return open_


@pytest.fixture(autouse=True)
def garbage_between_qt_tests(request):
    """In a test that drives Qt, Python collects no garbage by itself; it does so once the test
    is over, as the app collects on its GUI thread's timer (`gui.app._application`).
    A collection that starts inside a Qt call (a signal's disconnection holding Qt's lock)
    and frees a Qt object left over from an earlier test (a plot's menu) would wait for that
    lock forever."""
    if "qtbot" not in request.fixturenames and "qapp" not in request.fixturenames:
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.collect()
        gc.enable()
