"""A report of an investigation, to hand to a ticket: what was read, what was asked, what the
view showed (its timeline against the baseline, its patterns, the anomalies and incidents in
its range) and what the reader marked, with their notes, gathered as plain frozen data
(`report_of`) and written as one HTML file or as Markdown with its charts beside it
(`write_report`).

The view's part comes from `compute_view` with the window's own arguments, so the report and
the window cannot disagree. Every list is bounded (the most that a ticket reader reads, and a
file that stays small whatever the table's size), and the report says where it was cut. Log
text is kept as it is, made visible (`visible_text`) and cut to LINE_CHARS; escaping it is
the renderers' job, each for its own format.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path, PurePath
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import numpy as np
import polars as pl

from logview import __version__
from logview.core.analysis.anomaly_kinds import Anomaly, most_urgent_first
from logview.core.analysis.histogram import Histogram
from logview.core.analysis.incidents import Incident
from logview.core.analysis.patterns import Mined
from logview.core.analysis.view import View, ViewState, compute_view
from logview.core.investigation import report_html, report_markdown
from logview.core.investigation.bookmarks import Bookmark, entry_rows
from logview.core.investigation.report_rows import (
    STACK_ORDER,
    TOP_ANOMALIES,
    TOP_BOOKMARKS,
    TOP_INCIDENTS,
    TOP_RESULT_ROWS,
    TOP_SOURCES,
    Cut,
    Report,
    Timeline,
    anomaly_row,
    bookmark_rows,
    cut_line,
    incident_row,
    pattern_rows,
    source_row,
)
from logview.core.reading.source_info import SourceInfo
from logview.core.shared.display import short_source_names
from logview.core.shared.errors import Cancelled, LogviewError


def report_of(
    table: pl.DataFrame,
    sources: Sequence[SourceInfo],
    state: ViewState,
    *,
    mined: Mined | None,
    anomalies: Sequence[Anomaly] = (),
    incidents: Sequence[Incident] = (),
    bookmarks: Sequence[Bookmark] = (),
    notes: str = "",
    baseline: pl.DataFrame | None = None,
    order: np.ndarray | None = None,
    zone: str = "UTC",
    title: str | None = None,
    cancelled: Callable[[], bool] = lambda: False,
) -> Report:
    """Return the report of what `state` shows of `table` (read from `sources`): the view as
    the window computes it (`compute_view`, with `mined` patterns and the `baseline` sources
    when comparing with sources), the `anomalies` and `incidents` in its range, the
    `bookmarks` with the entries around each marked one (`order`: the table's time order,
    when known) and the reader's `notes`; times in `zone`; `title` names the report (by
    default the sources' common folder). Raises Cancelled when
    `cancelled()` turns true, LogviewError for an unknown zone."""
    try:
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        raise LogviewError(
            f"unknown time zone {zone!r}: give an IANA name such as Europe/Berlin"
        ) from None
    view = compute_view(
        table, state, order, timeline=True, mined=mined, baseline=baseline,
        bookmarked=entry_rows(table, bookmarks), cancelled=cancelled,
    )  # fmt: skip
    if cancelled():
        raise Cancelled()
    start, end, asked = _range_of(table, state, view)
    names = short_source_names(s.name for s in sources)
    patterns, patterns_total, compared = pattern_rows(view)
    columns, rows, result_total = _result_of(view)
    kept_anomalies = [
        a for a in anomalies if _in_scope(a.start, a.end, a.source, start, end, state)
    ]
    kept_anomalies.sort(key=most_urgent_first)
    kept_incidents = [n for n in incidents if _in_scope(n.start, n.end, None, start, end, state)]
    if cancelled():
        raise Cancelled()
    marks = bookmark_rows(table, bookmarks[:TOP_BOOKMARKS], view, anomalies, order, names)
    summary = None
    if view.comparison is not None:
        then = view.comparison.then
        summary = view.comparison.summary()  # (a warning names the baseline's span itself)
        if view.comparison.warning is None:
            summary += f" ({_plain_span(then.start, then.end, zone)})"
    matched = None
    if view.result.rows is not None:
        matched = view.result.rows.len()
    return Report(
        title=title or _title_of(sources),
        made=datetime.now(UTC),
        version=__version__,
        zone=zone,
        sources=tuple(source_row(s, names) for s in sources[:TOP_SOURCES]),
        sources_cut=Cut(min(len(sources), TOP_SOURCES), len(sources)),
        query=state.query,
        start=start,
        end=end,
        range_asked=asked,
        excluded=tuple(sorted(state.excluded)),
        entries=table.height,
        matched=matched,
        comparison=summary,
        timeline=_timeline_of(view),
        patterns=patterns,
        patterns_cut=Cut(len(patterns), patterns_total),
        compared=compared,
        result_columns=columns,
        result_rows=rows,
        result_cut=Cut(len(rows), result_total),
        incidents=tuple(incident_row(n) for n in kept_incidents[:TOP_INCIDENTS]),
        incidents_cut=Cut(min(len(kept_incidents), TOP_INCIDENTS), len(kept_incidents)),
        anomalies=tuple(anomaly_row(a, names) for a in kept_anomalies[:TOP_ANOMALIES]),
        anomalies_cut=Cut(min(len(kept_anomalies), TOP_ANOMALIES), len(kept_anomalies)),
        bookmarks=marks,
        bookmarks_cut=Cut(len(marks), len(bookmarks)),
        notes=notes,
    )


def write_report(report: Report, path: str | os.PathLike[str]) -> list[Path]:
    """Return the files written for `report` at `path`: one self-contained HTML file for a
    `.html` (or `.htm`) path; for `.md`, the Markdown file and its charts as PNG files in the
    folder `<name>_files` beside it. Every file is written whole or not at all."""
    target = report_target(path)
    try:
        if target.suffix.lower() == ".md":
            return report_markdown.write(report, target)
        return [report_html.write(report, target)]
    except OSError as err:
        raise LogviewError(f"cannot write {target}: {err.strerror or err}") from None


def report_target(path: str | os.PathLike[str]) -> Path:
    """Return `path` as a report's file; raises LogviewError when its name does not say HTML
    or Markdown or its folder does not exist (checked before the work of a report)."""
    target = Path(path)
    if target.suffix.lower() not in (".html", ".htm", ".md"):
        raise LogviewError(
            f"cannot tell the report's format from {target.name!r}: name it .html or .md"
        )
    if not target.parent.is_dir():
        raise LogviewError(f"cannot write {target}: the folder {target.parent} does not exist")
    return target


def _title_of(sources: Sequence[SourceInfo]) -> str:
    """Return what the sources are, in a few words: "app.log", or "demo-1 (8 sources)" after
    the folder they share."""
    if not sources:
        return "no sources"
    if len(sources) == 1:
        return PurePath(sources[0].name).name or sources[0].name
    try:
        shared = PurePath(os.path.commonpath([s.path for s in sources])).name
    except ValueError:  # relative and absolute paths, or two drives
        shared = ""
    return f"{shared or PurePath(sources[0].path).name} ({len(sources):,} sources)"


def _plain_span(start: datetime, end: datetime, zone: str) -> str:
    local = ZoneInfo(zone)
    return f"{start.astimezone(local):%Y-%m-%d %H:%M} \u2013 {end.astimezone(local):%Y-%m-%d %H:%M}"


def _range_of(table: pl.DataFrame, state: ViewState, view: View) -> tuple[datetime, datetime, bool]:
    """Return the range the view covers and whether it was chosen (else the data's span)."""
    if view.comparison is not None:
        return view.comparison.now.start, view.comparison.now.end, state.start is not None
    first, last = table["ts"].min(), table["ts"].max()
    fallback = datetime(1970, 1, 1, tzinfo=UTC)
    start = state.start or first or fallback
    end = state.end or (last + timedelta(microseconds=1) if last is not None else fallback)
    return start, end, state.start is not None or state.end is not None  # type: ignore[return-value]


def _in_scope(
    start: datetime, end: datetime, source: str | None, lo: datetime, hi: datetime, state: ViewState
) -> bool:
    """Return whether a span overlaps the range shown and its source is not left out."""
    return start < hi and end > lo and (source is None or source not in state.excluded)


def _timeline_of(view: View) -> Timeline | None:
    """Return the view's timeline, with the baseline's entries summed into its buckets as the
    window draws them: moved by the shift that lines the baseline up with the range."""
    h = view.histogram
    if h is None or h.starts.size == 0:
        return None
    levels = tuple(
        (lv, tuple(int(n) for n in h.counts[lv])) for lv in STACK_ORDER if lv in h.counts
    )
    overlay = None
    label = ""
    if view.overlay is not None and view.comparison is not None:
        overlay = _overlay(h, view.overlay, view.overlay_shift_us)
        label = view.comparison.label
    starts = tuple(int(s) for s in h.starts)
    return Timeline(starts, int(h.width_us), levels, overlay, label)


def _overlay(main: Histogram, other: Histogram, shift_us: int) -> tuple[int | None, ...] | None:
    """Return `other`'s totals summed into `main`'s buckets after moving it by `shift_us`,
    None for the buckets it does not reach (the window's `Timeline.set_overlay`)."""
    if other.starts.size == 0:
        return None
    index = (other.starts + shift_us - main.starts[0]) // main.width_us
    inside = (index >= 0) & (index < main.starts.size)
    if not inside.any():
        return None
    sums = np.bincount(index[inside], weights=other.totals[inside], minlength=main.starts.size)
    low, high = int(index[inside].min()), int(index[inside].max())
    return tuple(int(s) if low <= i <= high else None for i, s in enumerate(sums))


def _result_of(view: View) -> tuple[tuple[str, ...], tuple[tuple[str, ...], ...], int]:
    """Return a stats result's columns and first rows as text (nothing for a result of entries)."""
    if view.result.rows is not None:
        return (), (), 0
    frame = view.result.frame
    head = frame.head(TOP_RESULT_ROWS)
    rows = tuple(
        tuple(cut_line("" if v is None else str(v)) for v in row) for row in head.iter_rows()
    )
    return tuple(frame.columns), rows, frame.height
