"""The user's settings: one table of defaults over QSettings, with a version for migrations.

Qt writes QSettings files through QSaveFile (a temp file renamed over the old one), so a crash
never leaves a half-written settings file.
"""

from __future__ import annotations

import os
from typing import Any

from PySide6.QtCore import QByteArray, QSettings

from logview.core.shared.atomic import damaged_text

# Bump when a key changes meaning; `Settings` drops what an older version stored.
VERSION = 1
MAX_RECENT = 10

DEFAULTS: dict[str, Any] = {
    "window/geometry": QByteArray(),
    "window/state": QByteArray(),
    "recent/paths": [],
    "display/tz": "",  # IANA zone times are shown in; "" is UTC
    "columns/hidden": [],  # Logs table columns the user hid
    "query/history": [],  # the query bar's history, oldest first
}


class Settings:
    """Typed access to the keys in DEFAULTS, stored in a QSettings file."""

    def __init__(self, path: str | os.PathLike[str] | None = None) -> None:
        """Open the user's settings, or the INI file at `path` (tests, portable installs)."""
        self._path = path
        self._store = self._open()
        self.problems: list[str] = []  # for the warnings panel: a file that was set aside
        if self._store.status() == QSettings.Status.FormatError or damaged_text(
            self._store.fileName()
        ):
            # Unreadable (garbage, a binary file): keep it for a look, start from the defaults.
            name = self._store.fileName()
            del self._store
            aside = f"{name}.corrupt"
            os.replace(name, aside)
            self._store = self._open()
            self.problems.append(
                f"settings in {name} could not be read; set aside as {os.path.basename(aside)}"
            )
        stored = self._store.value("version")
        if stored is not None and str(stored) != str(VERSION):
            # Only version 1 exists: anything else was written by a different logview; start clean
            # rather than misread it.
            self._store.clear()

    def _open(self) -> QSettings:
        if self._path is None:
            return QSettings(
                QSettings.Format.IniFormat, QSettings.Scope.UserScope, "logview", "logview"
            )
        return QSettings(os.fspath(self._path), QSettings.Format.IniFormat)

    @property
    def file_name(self) -> str:
        """Return the file the settings are stored in."""
        return self._store.fileName()

    def value(self, key: str) -> Any:
        """Return the stored value of `key`, or its default; a stored value of the wrong type is ignored."""
        default = DEFAULTS[key]
        stored = self._store.value(key)
        if stored is None:
            return default
        if isinstance(default, list):
            # QSettings gives a str for a one-item list in INI files.
            return [stored] if isinstance(stored, str) else list(stored)
        return stored if isinstance(stored, type(default)) else default

    def set_value(self, key: str, value: Any) -> None:
        """Store `value` under `key` (which must be in DEFAULTS)."""
        if key not in DEFAULTS:
            raise KeyError(f"unknown setting {key!r}: add it to DEFAULTS")
        self._store.setValue("version", VERSION)
        self._store.setValue(key, value)

    def recent_paths(self) -> list[str]:
        """Return the paths opened most recently, newest first."""
        return [str(p) for p in self.value("recent/paths")]

    def add_recent(self, paths: list[str]) -> None:
        """Put `paths` at the front of the recent list, without duplicates, at most MAX_RECENT."""
        merged = [*paths, *(p for p in self.recent_paths() if p not in paths)]
        self.set_value("recent/paths", merged[:MAX_RECENT])

    def sync(self) -> None:
        """Write pending changes to disk now."""
        self._store.sync()
