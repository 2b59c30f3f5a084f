"""The columnar cache: each file's parsed columns, kept so that opening it again reads them
instead of parsing it.

An entry holds everything one file on disk produced (a plain file, or every member of an
archive): each source's columns as a zstd Parquet file and a manifest (`manifest.json`) with
the sources' details. It is found by a key over the file's identity (its resolved path, size,
modification time, inode and a hash of its first and last 64 KiB), how it was asked to be read
(the overrides of its sources, the default zone, the user's formats, the limits) and
CACHE_VERSION with the app's version: a changed, truncated, replaced or rotated file has
another key, and so has a file read with another parser.

- Writes are atomic: an entry is built in a temp folder and renamed into place; a second
  window that wrote the same entry first wins, and the other's copy is dropped.
- Reads trust nothing: a manifest that does not parse, a file missing or a column that does
  not read is a damaged entry, removed; the file is then parsed again.
- The folder is bounded (`limit` bytes, DEFAULT_LIMIT): after each write the least recently
  used entries (a read touches the manifest) go until it fits.
- A write that fails (a full disk, a read-only folder) costs one warning; the app goes on
  without the entry.

Only files whose reading had nothing to say are cached: a file with a warning (bad bytes, a
refused member, a parser problem) is read again next time, so its warning is too.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import queue
import shutil
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from logview import __version__
from logview.core.reading.source_info import SourceInfo, info_from_json, info_to_json
from logview.core.shared.places import cache_root

# Bump when what a parse produces changes in a way the app's version would not show (a
# development build keeps its version across parser changes).
CACHE_VERSION = 1
DEFAULT_LIMIT = 8 * 2**30  # bytes of cache kept, the least recently used going first
EDGE_BYTES = 64 * 1024  # the head and the tail of a file hashed into its key
STALE_SECONDS = 3600.0  # a temp folder this old is a write that never finished
MANIFEST = "manifest.json"


def default_folder() -> Path:
    """Return the column cache's folder."""
    chosen = os.environ.get("LOGVIEW_CACHE_DIR", "")
    return Path(chosen) if chosen else cache_root() / "columns"


_SHARED: dict[Path, ColumnCache] = {}


def shared_cache() -> ColumnCache | None:
    """Return the process's column cache (one writer for every window), or None when the
    user turned it off (LOGVIEW_NO_CACHE=1)."""
    if os.environ.get("LOGVIEW_NO_CACHE", "") not in ("", "0"):
        return None
    folder = default_folder()
    if folder not in _SHARED:
        _SHARED[folder] = ColumnCache(folder)
    return _SHARED[folder]


@dataclass(frozen=True)
class Cached:
    """What one file produced, as read back from the cache: each source's columns (None for
    a source with no entries) and details."""

    sources: tuple[tuple[pl.DataFrame | None, SourceInfo], ...]


def file_key(path: Path, context: Sequence[object]) -> str | None:
    """Return the cache key of the file at `path` read in `context` (JSON-able parts), or
    None when it cannot be read."""
    try:
        with open(path, "rb") as handle:
            stat = os.fstat(handle.fileno())
            head = handle.read(EDGE_BYTES)
            if stat.st_size > 2 * EDGE_BYTES:
                handle.seek(stat.st_size - EDGE_BYTES)
            tail = handle.read(EDGE_BYTES)
    except OSError:
        return None
    identity = [
        CACHE_VERSION,
        __version__,
        str(path.resolve()),
        stat.st_size,
        stat.st_mtime_ns,
        stat.st_ino,
        hashlib.blake2b(head + tail, digest_size=16).hexdigest(),
        *context,
    ]
    text = json.dumps(identity, sort_keys=True, default=str)
    return hashlib.blake2b(text.encode(), digest_size=20).hexdigest()


class ColumnCache:
    """The cache folder: `get` an entry, `put` one (written by a background thread; `flush`
    waits for the writes asked for), `evict` down to the limit."""

    def __init__(self, folder: Path | None = None, limit: int = DEFAULT_LIMIT) -> None:
        self.folder = folder or default_folder()
        self.limit = limit
        self.warnings: list[str] = []  # one line per write that failed, for the next load
        self._queue: queue.Queue[tuple[str, list[tuple[pl.DataFrame | None, SourceInfo]]] | None]
        self._queue = queue.Queue()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    # -- reading ----------------------------------------------------------------------------
    def get(self, key: str) -> Cached | None:
        """Return the entry of `key`, or None when there is none or it is damaged (then it
        is removed)."""
        entry = self.folder / key
        manifest = entry / MANIFEST
        if not manifest.is_file():
            return None
        try:
            described = json.loads(manifest.read_text(encoding="utf-8"))
            if described.get("version") != CACHE_VERSION:
                raise ValueError("another cache version")
            sources = []
            for source in described["sources"]:
                part = source["part"]
                frame = pl.read_parquet(entry / part) if part else None
                if frame is not None and frame.height != source["info"]["entries"]:
                    raise ValueError("entries missing")
                sources.append((frame, info_from_json(source["info"])))
            with contextlib.suppress(OSError):
                os.utime(manifest)  # used now: the last to be evicted
            return Cached(tuple(sources))
        except Exception:  # noqa: BLE001 - a damaged entry of any kind is read again, not trusted
            self._remove(entry)
            return None

    # -- writing ----------------------------------------------------------------------------
    def put(self, key: str, sources: list[tuple[pl.DataFrame | None, SourceInfo]]) -> None:
        """Keep what one file produced under `key`, written in the background."""
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(
                    target=self._write_queued, name="logview-cache", daemon=True
                )
                self._thread.start()
        self._queue.put((key, sources))

    def flush(self, timeout: float | None = None) -> bool:
        """Wait until every write asked for is done (or `timeout` seconds); return whether
        they are."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while self._queue.unfinished_tasks:
            if deadline is not None and time.monotonic() > deadline:
                return False
            time.sleep(0.01)
        return True

    def _write_queued(self) -> None:
        while True:
            key, sources = self._queue.get()
            try:
                self.write(key, sources)
            finally:
                self._queue.task_done()

    def write(self, key: str, sources: list[tuple[pl.DataFrame | None, SourceInfo]]) -> bool:
        """Write an entry now; return whether it was. A failure is one line in `warnings`."""
        target = self.folder / key
        if target.exists():
            return True
        temp: Path | None = None
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            temp = Path(tempfile.mkdtemp(dir=self.folder, prefix=f".{key}.", suffix=".partial"))
            described = []
            for i, (frame, info) in enumerate(sources):
                part = f"{i}.parquet" if frame is not None else ""
                if frame is not None:
                    frame.write_parquet(temp / part, compression="zstd", statistics=False)
                described.append({"part": part, "info": info_to_json(info)})
            text = json.dumps({"version": CACHE_VERSION, "sources": described})
            with open(temp / MANIFEST, "w", encoding="utf-8") as handle:
                handle.write(text)
                handle.flush()
                os.fsync(handle.fileno())
            try:
                os.rename(temp, target)
            except OSError:
                if not target.exists():
                    raise
                self._remove(temp)  # another window wrote it first
            temp = None
        except Exception as err:  # noqa: BLE001 - a cache that cannot be written is no cache
            if temp is not None:
                self._remove(temp)
            reason = err.strerror if isinstance(err, OSError) and err.strerror else err
            with self._lock:
                self.warnings.append(
                    f"could not keep parsed columns in {self.folder} ({reason}): "
                    "files are parsed again next time"
                )
            return False
        self.evict()
        return True

    def take_warnings(self) -> list[str]:
        """Return the warnings of the writes that failed since last asked, once each."""
        with self._lock:
            taken, self.warnings = self.warnings, []
        return taken

    # -- size -------------------------------------------------------------------------------
    def evict(self) -> None:
        """Remove the least recently used entries until the folder is within `limit`, and the
        temp folders of writes that never finished."""
        try:
            children = list(self.folder.iterdir())
        except OSError:
            return
        now = time.time()
        entries = []
        for child in children:
            try:
                if child.name.endswith(".partial"):
                    if now - child.stat().st_mtime > STALE_SECONDS:
                        self._remove(child)
                    continue
                used = (child / MANIFEST).stat().st_mtime
                size = sum(f.stat().st_size for f in child.iterdir())
            except OSError:
                continue
            entries.append((used, size, child))
        total = sum(size for _, size, _ in entries)
        for _used, size, child in sorted(entries, key=lambda e: e[0]):
            if total <= self.limit:
                break
            self._remove(child)
            total -= size

    def size(self) -> int:
        """Return the bytes the cache's entries take."""
        try:
            return sum(f.stat().st_size for entry in self.folder.iterdir() for f in entry.iterdir())
        except OSError:
            return 0

    @staticmethod
    def _remove(path: Path) -> None:
        shutil.rmtree(path, ignore_errors=True)
