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
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl

from logview import __version__
from logview.core.reading.source_info import (
    SourceInfo,
    SourceOverride,
    info_from_json,
    info_to_json,
)
from logview.core.shared.places import cache_root
from logview.core.shared.table import SCHEMA, extra_dtype, merged_order

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
    """The cache folder: `get` what a file produced, `put` it (written by a background
    thread; `flush` waits for the writes asked for); `get_parts` and `put_parts` for any
    frames computed from a table (its patterns); `evict` down to the limit."""

    def __init__(self, folder: Path | None = None, limit: int = DEFAULT_LIMIT) -> None:
        self.folder = folder or default_folder()
        self.limit = limit
        self.warnings: list[str] = []  # one line per write that failed, for the next load
        self._queue: queue.Queue[tuple[str, dict[str, pl.DataFrame], dict[str, Any]]]
        self._queue = queue.Queue()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    # -- a file's sources -------------------------------------------------------------------
    def get(self, key: str) -> Cached | None:
        """Return what a file produced, kept under `key`; None when there is no such entry
        or it is damaged (then it is removed)."""
        found = self.get_parts(key)
        if found is None:
            return None
        parts, meta = found
        try:
            sources = []
            for source in meta["sources"]:
                frame = parts[source["part"]] if source["part"] else None
                info = info_from_json(source["info"])
                if (frame.height if frame is not None else 0) != info.entries:
                    raise ValueError("entries missing")
                sources.append((frame, info))
        except Exception:  # noqa: BLE001 - a damaged entry of any kind is read again, not trusted
            self._remove(self.folder / key)
            return None
        return Cached(tuple(sources))

    def put(self, key: str, sources: list[tuple[pl.DataFrame | None, SourceInfo]]) -> None:
        """Keep what one file produced under `key`, written in the background."""
        parts = {str(i): frame for i, (frame, _) in enumerate(sources) if frame is not None}
        described = [
            {"part": str(i) if frame is not None else "", "info": info_to_json(info)}
            for i, (frame, info) in enumerate(sources)
        ]
        self.put_parts(key, parts, {"sources": described})

    # -- any entry: frames and what describes them ------------------------------------------
    def get_parts(self, key: str) -> tuple[dict[str, pl.DataFrame], dict[str, Any]] | None:
        """Return the frames and the description kept under `key`; None when there is no
        such entry or it is damaged (then it is removed)."""
        entry = self.folder / key
        if not (entry / MANIFEST).is_file():
            return None
        try:
            described = self._manifest(key)
            parts = {}
            for name, rows in described["parts"].items():
                frame = pl.read_parquet(entry / f"{name}.parquet")
                if frame.height != rows:
                    raise ValueError("rows missing")
                parts[name] = frame
            self._touch(key)
            return parts, described["meta"]
        except Exception:  # noqa: BLE001 - a damaged entry of any kind is read again, not trusted
            self._remove(entry)
            return None

    def describe(self, key: str) -> list[dict[str, Any]] | None:
        """Return the sources kept under a file's `key` (each `part` and `info`) without
        reading their columns; None when there is no such entry or its manifest is wanting."""
        try:
            sources = self._manifest(key)["meta"]["sources"]
            if not all(
                (self.folder / key / f"{s['part']}.parquet").is_file() for s in sources if s["part"]
            ):
                return None
            self._touch(key)
            return list(sources)
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def _manifest(self, key: str) -> dict[str, Any]:
        """Return the manifest of `key`'s entry; raises OSError or ValueError when there is
        none or it is of another cache version."""
        described = json.loads((self.folder / key / MANIFEST).read_text(encoding="utf-8"))
        if described.get("version") != CACHE_VERSION:
            raise ValueError("another cache version")
        return described

    def _touch(self, key: str) -> None:
        """Mark `key`'s entry used now: the last to be evicted."""
        with contextlib.suppress(OSError):
            os.utime(self.folder / key / MANIFEST)

    def discard(self, key: str) -> None:
        """Remove the entry of `key` (one found wanting by whoever read it)."""
        self._remove(self.folder / key)

    def put_parts(self, key: str, parts: dict[str, pl.DataFrame], meta: dict[str, Any]) -> None:
        """Keep `parts` (named frames) and `meta` (JSON-able) under `key`, written in the
        background (`flush` waits for it)."""
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(
                    target=self._write_queued, name="logview-cache", daemon=True
                )
                self._thread.start()
        self._queue.put((key, parts, meta))

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
            key, parts, meta = self._queue.get()
            try:
                self._write_parts(key, parts, meta)
            finally:
                self._queue.task_done()

    def _write_parts(self, key: str, parts: dict[str, pl.DataFrame], meta: dict[str, Any]) -> bool:
        """Write an entry now, atomically; return whether it was. A failure is one line in
        `warnings`."""
        target = self.folder / key
        if target.exists():
            return True
        temp: Path | None = None
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            temp = Path(tempfile.mkdtemp(dir=self.folder, prefix=f".{key}.", suffix=".partial"))
            for name, frame in parts.items():
                frame.write_parquet(temp / f"{name}.parquet", compression="zstd", statistics=False)
            rows = {name: frame.height for name, frame in parts.items()}
            text = json.dumps({"version": CACHE_VERSION, "parts": rows, "meta": meta})
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


# -- keys and what is kept, for ingest ------------------------------------------------------
def source_key(
    path: Path,
    name: str,
    overrides: Mapping[str, SourceOverride],
    tz: str | None,
    limits: object,
    formats_digest: str,
) -> str | None:
    """Return the key of file `path` (shown as `name`) read this way: with the overrides of
    its sources, the default zone, the limits and the user's formats (`formats_digest`)."""
    own = sorted(
        (source, repr(override))
        for source, override in overrides.items()
        if source == name or source.startswith(f"{name}/")
    )
    return file_key(path, [own, tz, repr(limits), formats_digest])


def table_key(keys: Sequence[str | None]) -> str | None:
    """Return the key of a table made of files with these keys, in this order (None when one
    of them has none, or there are none)."""
    if not keys or any(key is None for key in keys):
        return None
    return hashlib.blake2b("\n".join(keys).encode(), digest_size=20).hexdigest()  # type: ignore[arg-type]


def keep(
    cache: ColumnCache,
    fresh: Mapping[str, tuple[str, str]],
    results: Sequence[tuple[pl.DataFrame | None, SourceInfo]],
    warnings: Sequence[str],
) -> None:
    """Keep in the cache each file read now (`fresh`: its path -> its key and name) that was
    read whole and without a warning."""
    by_file: dict[str, list[tuple[pl.DataFrame | None, SourceInfo]]] = {}
    for frame, info in results:
        by_file.setdefault(info.path, []).append((frame, info))
    for path, (key, name) in fresh.items():
        sources = by_file.get(path)
        if not sources or any(info.format == "skipped" for _, info in sources):
            continue
        if any(w.startswith((f"{name}:", f"{name}/")) for w in warnings):
            continue  # (a warning names its source: the file, or a member inside it)
        cache.put(key, sources)


# -- the table as a scan of the cache ------------------------------------------------------
def scan_files(
    cache: ColumnCache,
    paths: Sequence[str | os.PathLike[str]],
    overrides: Mapping[str, SourceOverride],
    tz: str | None,
    limits: object,
    formats_digest: str,
) -> pl.LazyFrame | None:
    """Return the table `ingest` would make of `paths` as a lazy scan of the cache's Parquet
    files (nothing is read until it is collected, and then only the columns and rows asked
    for), or None when a file is not in the cache (or there is nothing to scan).

    The table is the same: the sources in reading order, the columns `_merge` gives them, and
    `seq`, their time order, read from the stamps alone."""
    from logview.core.reading.folders import _expand

    warnings: list[str] = []
    inputs = _expand(paths, warnings.append, lambda: False)
    if warnings or not inputs:
        return None
    parts: list[Path] = []
    for item in inputs:
        key = source_key(item.path, item.name, overrides, tz, limits, formats_digest)
        described = cache.describe(key) if key is not None else None
        if described is None:
            return None
        parts += [cache.folder / key / f"{s['part']}.parquet" for s in described if s["part"]]
    if not parts:
        return None
    try:
        schemas = [pl.read_parquet_schema(part) for part in parts]
        stamps = [pl.read_parquet(part, columns=["ts"])["ts"] for part in parts]
    except Exception:  # noqa: BLE001 - a part that does not read: the files are parsed instead
        return None
    extras: dict[str, None] = {}
    for schema in schemas:
        extras.update((c, None) for c in schema if c not in SCHEMA)
    scans = [
        pl.scan_parquet(part).with_columns(
            pl.lit(None, dtype=extra_dtype(c)).alias(c) for c in extras if c not in schema
        )
        for part, schema in zip(parts, schemas, strict=True)
    ]
    columns = [c for c in SCHEMA if c != "seq"]
    return (
        pl.concat([scan.select(*columns, *extras) for scan in scans], how="vertical")
        .with_columns(merged_order(stamps).alias("seq"))
        .select(*SCHEMA, *extras)
    )
