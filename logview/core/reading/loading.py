"""Opening sources for a reader: ingest them with the user's formats, report how far it got
in words, and sort the merged table's time order, all off the UI thread (`load`)."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import polars as pl

from logview.core.reading.format_files import load as load_user_formats
from logview.core.reading.ingest import Ingested, Progress, SourceOverride, ingest
from logview.core.shared.display import progress_text
from logview.core.shared.table import time_order


@dataclass(frozen=True)
class Loaded:
    """An ingest result with its rows' time order."""

    ingested: Ingested
    order: np.ndarray  # the table's rows in time order


def load(
    paths: list[str],
    overrides: Mapping[str, SourceOverride],
    *,
    report: Callable[[float, str], None] | None = None,
    preview: Callable[[pl.DataFrame], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
    formats_folder: Path | None = None,
) -> Loaded:
    """Ingest `paths` with the user's formats of `formats_folder` and beside them, telling
    `report` the fraction done and a line of bytes, entries and speed, and sort their time
    order; `preview` is given the first source read, before the merge."""
    started = time.monotonic()

    def progress(p: Progress) -> None:
        if report is not None:
            fraction = p.bytes_done / p.bytes_total if p.bytes_total else 0.0
            elapsed = time.monotonic() - started
            report(fraction, progress_text(p.bytes_done, p.bytes_total, p.entries, elapsed))

    ingested = ingest(
        list(paths),
        overrides=overrides,
        progress=progress,
        cancelled=cancelled or (lambda: False),
        preview=preview,
        user_formats=load_user_formats(paths, formats_folder),
    )
    return Loaded(ingested, time_order(ingested.table).to_numpy())


def summary(ingested: Ingested, seconds: float) -> str:
    """One line on what a load read: "1,234 entries from 3 sources, 1 skipped in 0.4 s"."""
    skipped = sum(1 for s in ingested.sources if s.format == "skipped")
    read = len(ingested.sources) - skipped
    note = f", {skipped} skipped" if skipped else ""
    return (
        f"{ingested.table.height:,} entries from {read} source{'s' if read != 1 else ''}"
        f"{note} in {seconds:.1f} s"
    )
