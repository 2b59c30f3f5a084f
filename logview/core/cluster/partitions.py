"""One partition's work, a plain function that runs the same wherever it runs: a file parsed
into the column cache (on storage every worker and the client share) and its entries masked
and counted by shape. What comes back is small: per source, its distinct shapes with their
counts and the first lines of each; the 8-byte shape key of every entry is written beside the
cache for the client to read, not sent."""

from __future__ import annotations

import hashlib
import os
import socket
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from logview.core.analysis.pattern_templates import NAMING_ROWS
from logview.core.analysis.shapes import read_shapes
from logview.core.reading.column_cache import ColumnCache
from logview.core.reading.format_files import NO_USER_FORMATS, UserFormats
from logview.core.reading.ingest import ingest
from logview.core.shared.atomic import write_atomic
from logview.core.shared.errors import LogviewError

KEYS_FOLDER = "cluster-keys"  # in the shared cache folder: each source's shape keys


@dataclass(frozen=True)
class Partition:
    """A file to read, as a walk of the command's paths names it, and how to read it."""

    path: str
    cache: str  # the column cache folder, shared by the workers and the client
    run: str  # the run's name: its shape keys are kept under it
    tz: str | None = None
    user_formats: UserFormats = NO_USER_FORMATS


@dataclass(frozen=True)
class SourceShapes:
    """One source's entries by shape: what the client mines."""

    name: str
    entries: int
    distinct: pl.DataFrame  # _key, shape, len
    firsts: pl.DataFrame  # row (in the source), _key, line
    keys: str  # the Parquet file of the shape key of each entry, in order


@dataclass(frozen=True)
class PartitionResult:
    """What a partition sends back."""

    path: str
    sources: tuple[SourceShapes, ...]
    warnings: tuple[str, ...]
    worker: str  # host:pid of the process that ran it
    cached: bool = field(default=False)  # the file was in the cache already


def keys_folder(cache: str | os.PathLike[str], run: str) -> Path:
    return Path(cache) / KEYS_FOLDER / run


def parse_and_shape(part: Partition) -> PartitionResult:
    """Return the shapes of the sources in `part`'s file, parsed into the shared column cache
    (taken from it when there already). An unreadable file gives its warning and no sources,
    as it does to a local load."""
    cache = ColumnCache(Path(part.cache))
    worker = f"{socket.gethostname()}:{os.getpid()}"
    try:
        ingested = ingest([part.path], tz=part.tz, user_formats=part.user_formats, cache=cache)
    except LogviewError as err:  # nothing of it could be read: said as a local load says it
        return PartitionResult(part.path, (), (str(err),), worker)
    table = ingested.table
    folder = keys_folder(part.cache, part.run)
    folder.mkdir(parents=True, exist_ok=True)
    sources = []
    offset = 0
    for name, length in source_runs(table):
        rows = table.slice(offset, length)
        offset += length
        shapes = read_shapes(rows, NAMING_ROWS, lambda _share, _text: None)
        digest = hashlib.blake2b(f"{part.path}\n{name}".encode(), digest_size=12).hexdigest()
        keys = folder / f"{digest}.parquet"
        frame = shapes.keys.to_frame("_key")
        write_atomic(keys, lambda handle, frame=frame: frame.write_parquet(handle))
        sources.append(SourceShapes(name, length, shapes.distinct, shapes.firsts, str(keys)))
    cache.flush()
    return PartitionResult(
        part.path, tuple(sources), ingested.warnings, worker, ingested.files_cached > 0
    )


def source_runs(table: pl.DataFrame) -> list[tuple[str, int]]:
    """Return the table's sources in its order with their entries (a source's rows are
    together: `shared.table`)."""
    if not table.height:
        return []
    runs = table["source"].cast(pl.String).rle()
    return [(r["value"], r["len"]) for r in runs.struct.unnest().iter_rows(named=True)]
