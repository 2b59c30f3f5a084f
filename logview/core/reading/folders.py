"""The paths a walk is given, expanded into the regular files it will open.

Folders are walked in sorted order without following links; special files are refused with a
warning, and a file is opened so that one that became a link or a FIFO cannot hang the walk.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from logview.core.reading.member_names import JUNK_DIRS, JUNK_NAMES
from logview.core.shared.errors import Cancelled, LogviewError


@dataclass(frozen=True)
class _Input:
    """A file the walk will open: its display name, path and size."""

    name: str
    path: Path
    size: int
    from_folder: bool


def _expand(
    paths: Sequence[str | os.PathLike[str]],
    warn: Callable[[str], None],
    cancelled: Callable[[], bool],
) -> list[_Input]:
    """Return the regular files behind `paths`, folders walked in sorted order."""
    found: list[_Input] = []
    for arg in paths:
        name = os.fspath(arg)
        path = Path(name)
        try:
            info = path.stat()  # a symlink given directly is followed
        except OSError as err:
            warn(f"{name}: cannot read: {err.strerror or err}")
            continue
        if stat.S_ISDIR(info.st_mode):
            found.extend(_walk_folder(path, name.rstrip("/\\") or name, warn, cancelled))
        elif stat.S_ISREG(info.st_mode):
            found.append(_Input(name, path, info.st_size, False))
        else:
            warn(f"{name}: skipped: not a regular file ({_file_kind(info.st_mode)})")
    return found


def file_names(paths: Sequence[str | os.PathLike[str]]) -> list[str]:
    """Return the regular files behind `paths` as a walk of them names them (folders walked
    in sorted order; what cannot be read is left out, the walk itself says why)."""
    return [item.name for item in _expand(paths, lambda _warning: None, lambda: False)]


def _walk_folder(
    folder: Path, prefix: str, warn: Callable[[str], None], cancelled: Callable[[], bool]
) -> list[_Input]:
    """Return the regular files under `folder` in path order (`find | sort`), links not followed."""
    found: list[_Input] = []
    pending: list[tuple[Path, str, os.stat_result | None]] = [(folder, prefix, None)]
    while pending:  # an explicit stack: folder depth must not meet the recursion limit
        path, name, info = pending.pop()
        if info is None or stat.S_ISDIR(info.st_mode):
            if cancelled():
                raise Cancelled()
            try:
                with os.scandir(path) as listing:
                    entries = sorted(listing, key=lambda e: e.name, reverse=True)
                children = [
                    (Path(e.path), f"{name}/{e.name}", e.stat(follow_symlinks=False))
                    for e in entries
                    if e.name not in JUNK_NAMES and e.name not in JUNK_DIRS
                ]
            except OSError as err:
                warn(f"{name}: cannot read: {err.strerror or err}")
                continue
            pending.extend(children)
        elif stat.S_ISLNK(info.st_mode):
            warn(f"{name}: skipped: symbolic link")
        elif stat.S_ISREG(info.st_mode):
            found.append(_Input(name, path, info.st_size, True))
        else:
            warn(f"{name}: skipped: not a regular file ({_file_kind(info.st_mode)})")
    return found


def _file_kind(mode: int) -> str:
    for test, kind in (
        (stat.S_ISFIFO, "FIFO"),
        (stat.S_ISSOCK, "socket"),
        (stat.S_ISCHR, "character device"),
        (stat.S_ISBLK, "block device"),
    ):
        if test(mode):
            return kind
    return "special file"


def _open_regular(item: _Input) -> BinaryIO:
    """Return `item` opened read-only, refusing anything that became a link or a special file."""
    nonblocking = getattr(os, "O_NONBLOCK", 0)
    flags = os.O_RDONLY | getattr(os, "O_BINARY", 0) | nonblocking
    if item.from_folder:
        flags |= getattr(os, "O_NOFOLLOW", 0)
    # Non-blocking, and checked after opening: a file that became a FIFO since the folder was
    # listed must not hang the walk.
    fd = os.open(item.path, flags)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise LogviewError(f"{item.name}: skipped: not a regular file")
        if nonblocking:
            os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise
