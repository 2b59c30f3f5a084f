"""Atomic file writes: whatever the app saves is either the old file or the new one, never half;
and the check that a text file the app saved was not damaged since (`damaged_text`)."""

from __future__ import annotations

import contextlib
import glob
import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

# The process's umask, read once at import (reading it means setting it, which is not safe
# while other threads create files).
_UMASK = os.umask(0o022)
os.umask(_UMASK)


def write_atomic(path: str | os.PathLike[str], write: Callable[[BinaryIO], None]) -> Path:
    """Return `path` after `write` filled a temp file beside it that then replaced it.

    The temp file is flushed and fsynced before the rename, so a crash or a kill at any point
    leaves either the previous file or the complete new one. Temp files a killed save left
    beside it (older than STALE_SECONDS, so not another process's save in progress) are
    removed after a save succeeds. The file gets the permissions it had, or those a new file
    gets (the temp file behind it is private to the user).
    """
    target = Path(path)
    try:
        mode = target.stat().st_mode & 0o7777
    except OSError:
        mode = 0o666 & ~_UMASK
    fd, temp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".partial")
    try:
        with os.fdopen(fd, "wb") as handle:
            write(handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, mode)
        os.replace(temp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
    _sweep(target)
    return target


STALE_SECONDS = 60.0


def _sweep(target: Path) -> None:
    """Remove the temp files of earlier saves of `target` that never finished."""
    pattern = os.path.join(
        glob.escape(str(target.parent)), f".{glob.escape(target.name)}.*.partial"
    )
    cutoff = time.time() - STALE_SECONDS
    for leftover in glob.glob(pattern):
        with contextlib.suppress(OSError):
            if os.lstat(leftover).st_mtime < cutoff:
                os.unlink(leftover)


def damaged_text(path: str | os.PathLike[str]) -> bool:
    """Return whether a text file the app writes holds what it never writes: NUL bytes or
    invalid UTF-8 in its first MiB (False when it is absent or cannot be read)."""
    try:
        with open(path, "rb") as handle:
            data = handle.read(1 << 20)
    except OSError:
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return True
    return b"\x00" in data
