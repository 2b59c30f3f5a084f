"""The window's background tasks: loading, mining and views, each a `task(progress,
cancelled)` for a worker around a core call (`core.view.compute_view` for views)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import polars as pl

from logview.core.ingest import Ingested, SourceOverride
from logview.core.patterns import Mined, mine_entries
from logview.core.table import time_order
from logview.core.view import View, ViewState, compute_view
from logview.gui.workers import ingest_task


@dataclass(frozen=True)
class Loaded:
    """An ingest result with what the window needs of it computed off the UI thread."""

    ingested: Ingested
    order: np.ndarray  # the table's rows in time order


def load_task(
    paths: list[str],
    overrides: Mapping[str, SourceOverride],
    preview: Callable[[pl.DataFrame], None] | None = None,
    formats_folder: Path | None = None,
) -> Callable:
    """Return a worker task that ingests `paths` (with the user's formats of `formats_folder`
    and beside them) and sorts the rows' time order; `preview` gets the first source read,
    before the merge."""
    ingesting = ingest_task(paths, overrides, preview=preview, formats_folder=formats_folder)

    def task(progress: Callable[[float, str], None], cancelled: Callable[[], bool]) -> Loaded:
        ingested = ingesting(progress, cancelled)
        return Loaded(ingested, time_order(ingested.table).to_numpy())

    return task


def mine_task(table: pl.DataFrame) -> Callable:
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
) -> Callable:
    """Return a worker task that computes the view `state` asks for (`compute_view`)."""

    def task(progress: Callable[[float, str], None], cancelled: Callable[[], bool]) -> View:
        return compute_view(
            table, state, order, timeline=timeline, mined=mined, baseline=baseline,
            cancelled=cancelled,
        )  # fmt: skip

    return task
