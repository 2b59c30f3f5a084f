"""Running the partitions and bringing their shapes home: the files behind the paths are
parsed and shaped where they are read (`partitions.parse_and_shape`), here, in a process pool
or on Dask workers; the client then reads the table from the shared column cache, puts the
sources' shapes together in the table's order, and mines them (`patterns.mine_shapes`): the
same patterns, ids and counts as mining the table here, since the shapes are the same.

Backends, by the `--cluster` text: `inline` (this process, one file after another),
`processes:N` (a pool of N processes here), `local:N` (a Dask LocalCluster of N worker
processes) and a Dask scheduler's address (`tcp://host:8786`). Dask is an optional extra
(`pip install 'logview[cluster]'`), imported only when asked for.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import shutil
import time
import uuid
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl

from logview.core.analysis.mined_parts import mined_key, to_parts
from logview.core.analysis.pattern_templates import NAMING_ROWS
from logview.core.analysis.patterns import Mined, mine_shapes
from logview.core.analysis.shapes import Shapes, merged_shapes, read_shapes
from logview.core.cluster.partitions import (
    Partition,
    PartitionResult,
    keys_folder,
    parse_and_shape,
    source_runs,
)
from logview.core.reading.column_cache import ColumnCache
from logview.core.reading.folders import file_names
from logview.core.reading.format_files import NO_USER_FORMATS, UserFormats
from logview.core.reading.ingest import Ingested, ingest
from logview.core.shared.errors import LogviewError

RETRIES = 2  # a partition whose run raised (a worker lost mid-task is Dask's to rerun anyway)
Report = Callable[[str], None]  # one line on how a stage is going


@dataclass(frozen=True)
class ClusterRun:
    """A cluster run's table (read from the shared cache), its patterns, and what it cost."""

    ingested: Ingested
    mined: Mined
    stages: tuple[tuple[str, float], ...]  # (stage, seconds), in order
    partitions: int
    bytes_to_client: int  # the partitions' results as sent (pickled): shapes, not rows
    workers: dict[str, int]  # worker (host:pid) -> partitions it ran


class Backend:
    """Runs a function over partitions somewhere; `map` gives the results in order."""

    name = "inline"

    def map(
        self, fn: Callable[[Partition], PartitionResult], items: Sequence[Partition], done: Report
    ) -> list[PartitionResult]:
        results = []
        for i, item in enumerate(items):
            results.append(_result(lambda item=item: fn(item), item))
            done(f"{i + 1} of {len(items)} partitions")
        return results

    def close(self) -> None:
        """Let go of the workers."""


class ProcessBackend(Backend):
    """A pool of processes on this machine."""

    def __init__(self, processes: int) -> None:
        self.name = f"processes:{processes}"
        # Spawned, not forked: a fork of a process with polars' threads running can hang.
        context = multiprocessing.get_context("spawn")
        self._pool = ProcessPoolExecutor(max_workers=processes, mp_context=context)

    def map(self, fn, items, done):  # noqa: ANN001, ANN201 - Backend's
        futures = {self._pool.submit(fn, item): i for i, item in enumerate(items)}
        results: list[Any] = [None] * len(items)
        for n, future in enumerate(as_completed(futures), 1):
            results[futures[future]] = _result(future.result, items[futures[future]])
            done(f"{n} of {len(items)} partitions ({results[futures[future]].worker})")
        return results

    def close(self) -> None:
        self._pool.shutdown(cancel_futures=True)


class DaskBackend(Backend):
    """Dask distributed: a scheduler's address, or a LocalCluster of `local` processes."""

    def __init__(self, address: str | None = None, local: int = 0) -> None:
        try:
            from distributed import Client, LocalCluster
        except ImportError as err:
            raise LogviewError(
                "--cluster needs Dask: pip install 'logview[cluster]' (dask[distributed])"
            ) from err
        self._cluster = None
        try:
            if local:
                self.name = f"local:{local}"
                self._cluster = LocalCluster(
                    n_workers=local, threads_per_worker=1, processes=True,
                    dashboard_address=None,
                )  # fmt: skip
                self.client = Client(self._cluster)
            else:
                self.name = str(address)
                self.client = Client(address, timeout="20s")
        except (OSError, TimeoutError) as err:
            raise LogviewError(f"cannot reach the Dask scheduler {address}: {err}") from err

    def map(self, fn, items, done):  # noqa: ANN001, ANN201 - Backend's
        from distributed import as_completed as dask_completed

        futures = self.client.map(fn, items, pure=False, retries=RETRIES)
        where = {future.key: i for i, future in enumerate(futures)}
        results: list[Any] = [None] * len(items)
        counts: dict[str, int] = {}
        for n, future in enumerate(dask_completed(futures), 1):
            i = where[future.key]
            results[i] = _result(future.result, items[i])
            counts[results[i].worker] = counts.get(results[i].worker, 0) + 1
            by_worker = ", ".join(f"{w} {c}" for w, c in sorted(counts.items()))
            done(f"{n} of {len(items)} partitions (by worker: {by_worker})")
        return results

    def close(self) -> None:
        self.client.close()
        if self._cluster is not None:
            self._cluster.close()


def _result(get: Callable[[], PartitionResult], item: Partition) -> PartitionResult:
    """Return a partition's result; a partition whose run failed (after Dask's retries) is a
    LogviewError naming it."""
    try:
        return get()
    except LogviewError:
        raise
    except Exception as err:  # noqa: BLE001 - whatever a worker raised, said in one line
        reason = str(err).strip().splitlines()[0][:200] if str(err).strip() else ""
        raise LogviewError(
            f"{item.path}: its partition failed: {type(err).__name__}: {reason}"
        ) from err


def backend_for(spec: str) -> Backend:
    """Return the backend `spec` names: inline, processes:N, local:N or a scheduler address."""
    kind, _, count = spec.partition(":")
    if spec == "inline":
        return Backend()
    if kind in ("processes", "local") and count.isdigit() and int(count) > 0:
        return ProcessBackend(int(count)) if kind == "processes" else DaskBackend(local=int(count))
    if kind in ("processes", "local"):
        raise LogviewError(f"--cluster {spec}: give a number of workers, e.g. {kind}:2")
    if "://" not in spec and ":" not in spec:
        raise LogviewError(
            f"--cluster {spec}: give a scheduler's address (tcp://host:8786) or local:N"
        )
    return DaskBackend(address=spec)


def run(
    paths: Sequence[str],
    backend: Backend,
    cache_folder: str | Path,
    *,
    tz: str | None = None,
    user_formats: UserFormats = NO_USER_FORMATS,
    report: Report = lambda _line: None,
) -> ClusterRun:
    """Return the table of `paths` and its patterns, the files parsed and shaped on
    `backend`'s workers into `cache_folder` (which they and this process share)."""
    stages: list[tuple[str, float]] = []
    name = uuid.uuid4().hex[:12]
    files = sorted(file_names(paths), key=_work, reverse=True)
    parts = [Partition(p, str(cache_folder), name, tz, user_formats) for p in files]
    started = time.monotonic()
    try:
        results = backend.map(
            parse_and_shape, parts, lambda line: report(f"parse and shape: {line}")
        )
        stages.append(("parse and shape (workers)", time.monotonic() - started))
        started = time.monotonic()
        cache = ColumnCache(Path(cache_folder))
        ingested = ingest(paths, tz=tz, user_formats=user_formats, cache=cache)
        stages.append(("read the table from the cache", time.monotonic() - started))
        started = time.monotonic()
        report(f"mine: {sum(len(r.sources) for r in results)} sources' shapes")
        mined = mine_shapes(combine(ingested.table, results))
        stages.append(("mine the shapes (client)", time.monotonic() - started))
        if ingested.cache_key is not None:  # the window, and the next run, take it from there
            cache.put_parts(mined_key(ingested.cache_key), *to_parts(mined))
        cache.flush()
    finally:
        shutil.rmtree(keys_folder(cache_folder, name), ignore_errors=True)
    workers: dict[str, int] = {}
    for result in results:
        workers[result.worker] = workers.get(result.worker, 0) + 1
    sent = sum(len(pickle.dumps(r, protocol=pickle.HIGHEST_PROTOCOL)) for r in results)
    return ClusterRun(ingested, mined, tuple(stages), len(parts), sent, workers)


COMPRESSED = (".gz", ".bz2", ".xz", ".zst", ".zip", ".tgz", ".tbz2", ".txz")
COMPRESSION_RATIO = 10  # what text logs shrink to, about: a compressed file's work estimate


def _work(path: str) -> int:
    """Return an estimate of a file's work (its bytes as text), to hand out the biggest first:
    the run ends when its longest partition does, so that one should start first."""
    try:
        size = os.path.getsize(path)
    except OSError:
        return 0
    return size * COMPRESSION_RATIO if path.lower().endswith(COMPRESSED) else size


def combine(table: pl.DataFrame, results: Sequence[PartitionResult]) -> Shapes:
    """Return the shapes of `table`'s entries put together from the partitions' (each
    source's rows in the table's order); a source no partition shaped (or shaped otherwise)
    is shaped here."""
    by_name = {s.name: s for r in results for s in r.sources}
    keys, distinct, firsts = [], [], []
    offset = 0
    for name, length in source_runs(table):
        got = by_name.get(name)
        if got is not None and got.entries == length:
            keys.append(pl.read_parquet(got.keys)["_key"])
            distinct.append(got.distinct)
            first = got.firsts
        else:
            shapes = read_shapes(table.slice(offset, length), NAMING_ROWS, lambda _s, _t: None)
            keys.append(shapes.keys)
            distinct.append(shapes.distinct)
            first = shapes.firsts
        firsts.append(first.with_columns((pl.col("row").cast(pl.UInt32) + offset).alias("row")))
        offset += length
    if not keys:
        return read_shapes(table, NAMING_ROWS, lambda _s, _t: None)
    return merged_shapes(keys, distinct, firsts, NAMING_ROWS)
