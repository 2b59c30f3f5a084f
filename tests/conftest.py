"""Shared test setup: Qt renders offscreen, and settings never touch the user's own files."""

import os

# Before any Qt import (pytest-qt imports Qt when its plugin loads, after conftest).
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402


@pytest.fixture
def isolated_settings(tmp_path, monkeypatch):
    """Point QSettings' user files at a folder under tmp_path; return that folder."""
    from PySide6.QtCore import QSettings

    folder = tmp_path / "settings"
    folder.mkdir()
    for fmt in (QSettings.Format.IniFormat, QSettings.Format.NativeFormat):
        QSettings.setPath(fmt, QSettings.Scope.UserScope, str(folder))
    return folder
