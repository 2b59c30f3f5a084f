"""The window's background tasks: loading, mining and views, each a `task(report,
cancelled)` for a worker around a core call (`core.view.compute_view` for views)."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import polars as pl

from logview.core.display import progress_text
from logview.core.format_files import load as load_user_formats
from logview.core.ingest import Ingested, Progress, SourceOverride, ingest
from logview.core.patterns import Mined, mine_entries
from logview.core.table import time_order
from logview.core.view import View, ViewState, compute_view
from logview.gui.workers import Report, Task


@dataclass(frozen=True)
class Loaded:
    """An ingest result with what the window needs of it computed off the UI thread."""

    ingested: Ingested
    order: np.ndarray  # the table's rows in time order


def load_task(
    paths: list[str],
    overrides: Mapping[str, SourceOverride],
    *,
    preview: bool = False,
    formats_folder: Path | None = None,
) -> Task:
    """Return a worker task that ingests `paths` (with the user's formats of `formats_folder`
    and beside them), reporting bytes, entries and speed, and sorts the rows' time order; with
    `preview`, the first source read goes out as a partial result, before the merge."""

    def task(report: Report, cancelled: Callable[[], bool]) -> Loaded:
        started = time.monotonic()

        def progress(p: Progress) -> None:
            fraction = p.bytes_done / p.bytes_total if p.bytes_total else 0.0
            report(fraction, progress_text(p.bytes_done, p.bytes_total, p.entries,
                                           time.monotonic() - started))  # fmt: skip

        ingested = ingest(
            list(paths),
            overrides=overrides,
            progress=progress,
            cancelled=cancelled,
            preview=report.partial if preview else None,
            user_formats=load_user_formats(paths, formats_folder),
        )
        return Loaded(ingested, time_order(ingested.table).to_numpy())

    return task


def mine_task(table: pl.DataFrame) -> Task:
    """Return a worker task that mines the patterns of the whole table (ids and templates)."""

    def task(progress: Callable[[float, str], None], cancelled: Callable[[], bool]) -> Mined:
        return mine_entries(table)

    return task


def query_task(
    table: pl.DataFrame,
    state: ViewState,
    order: np.ndarray | None,
    *,
    timeline: bool = False,
    mined: Mined | None = None,
    baseline: pl.DataFrame | None = None,
) -> Task:
    """Return a worker task that computes the view `state` asks for (`compute_view`)."""

    def task(progress: Callable[[float, str], None], cancelled: Callable[[], bool]) -> View:
        return compute_view(
            table, state, order, timeline=timeline, mined=mined, baseline=baseline,
            cancelled=cancelled,
        )  # fmt: skip

    return task
