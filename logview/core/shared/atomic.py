"""Atomic file writes: whatever the app saves is either the old file or the new one, never half."""

from __future__ import annotations

import contextlib
import glob
import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO


def write_atomic(path: str | os.PathLike[str], write: Callable[[BinaryIO], None]) -> Path:
    """Return `path` after `write` filled a temp file beside it that then replaced it.

    The temp file is flushed and fsynced before the rename, so a crash or a kill at any point
    leaves either the previous file or the complete new one. Temp files a killed save left
    beside it (older than STALE_SECONDS, so not another process's save in progress) are
    removed after a save succeeds.
    """
    target = Path(path)
    fd, temp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".partial")
    try:
        with os.fdopen(fd, "wb") as handle:
            write(handle)
            handle.flush()
            os.fsync(handle.fileno())
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
