"""Opening sources for a reader: ingest them with the user's formats, report how far it got
in words, stage by stage, and sort the merged table's time order, all off the UI thread
(`load`)."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import polars as pl

from logview.core.reading.column_cache import ColumnCache
from logview.core.reading.format_files import load as load_user_formats
from logview.core.reading.ingest import MERGING, Ingested, Progress, SourceOverride, ingest
from logview.core.shared.display import stage_progress_text
from logview.core.shared.table import source_names, time_order

# The stages of a load after ingest's (READING, PARSING, MERGING): the time order sorted,
# then the last report, at 1.0.
SORTING = "sorting"
DONE = "done"
# At most this many reports a second reach `report`, but for the last stages' (more only cost
# repaints): once every byte is read the fraction stays 1.0, which a UI's own throttle lets
# through every time, and an archive's last small members are read in a burst.
REPORTS_A_SECOND = 20


@dataclass(frozen=True)
class Loaded:
    """An ingest result with its rows' time order."""

    ingested: Ingested
    order: np.ndarray  # the table's rows in time order
    source_names: list[
        str
    ]  # the distinct values of its source column (found here, off the UI thread)


def load(
    paths: list[str],
    overrides: Mapping[str, SourceOverride],
    *,
    report: Callable[[float, str], None] | None = None,
    preview: Callable[[pl.DataFrame], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
    formats_folder: Path | None = None,
    cache: ColumnCache | None = None,
) -> Loaded:
    """Ingest `paths` with the user's formats of `formats_folder` and beside them, telling
    `report` the share of the bytes read and a line on the stage the load is at
    (`stage_progress_text`), and sort their time order; `preview` is given the first source
    read, before the merge. The last report, once the load is done, is at 1.0; the stages
    after reading stay at 1.0 once every byte is read, so a bar can show them as busy.
    With a `cache`, files read before are taken from it (`ingest`)."""
    started = time.monotonic()
    latest, sent = Progress(0, 0, 0, ""), started - 1.0

    def progress(p: Progress) -> None:
        nonlocal latest, sent
        latest, now = p, time.monotonic()
        last_stages = p.stage in (MERGING, SORTING, DONE)  # once each
        if report is not None and (last_stages or now - sent >= 1 / REPORTS_A_SECOND):
            sent = now
            report(_fraction(p), _text(p, now - started))

    ingested = ingest(
        list(paths),
        overrides=overrides,
        progress=progress,
        cancelled=cancelled or (lambda: False),
        preview=preview,
        user_formats=load_user_formats(paths, formats_folder),
        cache=cache,
    )
    last = replace(latest, entries=ingested.table.height, source="", lines=0, step="")
    progress(replace(last, stage=SORTING))
    order = time_order(ingested.table).to_numpy()
    names = source_names(ingested.table)
    progress(replace(last, stage=DONE))
    return Loaded(ingested, order, names)


def _fraction(p: Progress) -> float:
    """Return the share of a load done as a bar shows it: the bytes read, then 1.0 when done."""
    if p.stage == DONE:
        return 1.0
    return p.bytes_done / p.bytes_total if p.bytes_total else 0.0


def _text(p: Progress, seconds: float) -> str:
    """Return the line on a load's progress `seconds` after it started."""
    return stage_progress_text(
        p.stage, p.bytes_done, p.bytes_total, p.entries, seconds, source=p.source,
        lines=p.lines, step=p.step, sources_done=p.sources_done, sources=p.sources,
    )  # fmt: skip


def summary(ingested: Ingested, seconds: float) -> str:
    """One line on what a load read: "1,234 entries from 3 sources, 1 skipped in 0.4 s",
    and how many of its files came from the column cache."""
    skipped = sum(1 for s in ingested.sources if s.format == "skipped")
    read = len(ingested.sources) - skipped
    note = f", {skipped} skipped" if skipped else ""
    kept = ingested.files_cached
    cached = f" ({kept} file{'s' if kept != 1 else ''} from the cache)" if kept else ""
    return (
        f"{ingested.table.height:,} entries from {read} source{'s' if read != 1 else ''}"
        f"{note} in {seconds:.1f} s{cached}"
    )
