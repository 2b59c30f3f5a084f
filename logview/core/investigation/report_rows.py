"""A report's content as plain frozen data (`Report`): its sources, patterns, anomalies,
incidents and bookmarks as rows, each list bounded (`Cut`), log text made visible and cut
(`cut_line`), and its timeline; `report.report_of` gathers them, the renderers read them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import numpy as np
import polars as pl

from logview.core.analysis.anomaly_kinds import Anomaly
from logview.core.analysis.context import with_context
from logview.core.analysis.incidents import Incident
from logview.core.analysis.pattern_view import format_change
from logview.core.analysis.patterns import PATTERN
from logview.core.analysis.view import View
from logview.core.investigation.bookmarks import Bookmark, entry_rows
from logview.core.reading.source_info import SourceInfo
from logview.core.shared.display import visible_text
from logview.core.shared.table import time_order

# How much of each list a report holds: a ticket reader reads the top of a list, and a report
# of a 2M-entry table stays as small as one of a thousand.
TOP_PATTERNS = 50
TOP_ANOMALIES = 100
TOP_INCIDENTS = 20
TOP_BOOKMARKS = 200
TOP_SOURCES = 200
TOP_RESULT_ROWS = 50  # rows of a stats query's result
CONTEXT_LINES = 3  # entries either side of a bookmarked one
ENTRY_LINES = 20  # lines of a bookmarked entry itself (a stack trace)
LINE_CHARS = 400  # a log line is cut here
SAMPLES = 3  # sample entries per anomaly


@dataclass(frozen=True)
class SourceRow:
    name: str  # as the table knows it: the path, inside archives too
    short: str  # its shortest trailing path no other source ends with
    format: str  # the format's label, as the sources panel shows it
    entries: int
    first: datetime | None
    last: datetime | None
    notes: tuple[str, ...]


@dataclass(frozen=True)
class PatternRow:
    id: str
    template: str
    count: int
    share: float  # of the entries matched
    severity: str
    spark: tuple[int, ...]  # entries per bucket over the matched entries' span
    before: int | None = None  # in the baseline, when comparing
    status: str | None = None  # new, gone, up, down, steady
    change: str = ""  # "+45%", "×10" for up and down


@dataclass(frozen=True)
class AnomalyRow:
    id: str
    priority: str
    kind: str
    start: datetime
    end: datetime
    template: str
    description: str
    baseline: str  # what it was compared with, in words
    source: str | None
    samples: tuple[str, ...]


@dataclass(frozen=True)
class IncidentRow:
    id: str
    priority: str
    start: datetime
    end: datetime
    headline: str
    first_sign: str
    links: tuple[str, ...]
    members: tuple[tuple[str, int], ...]  # (source, anomalies of it)


@dataclass(frozen=True)
class ContextLine:
    ts: datetime | None
    level: str
    source: str
    line: int
    text: str
    marked: bool  # the bookmarked entry itself


@dataclass(frozen=True)
class BookmarkRow:
    kind: str  # entry, pattern, anomaly
    title: str
    note: str
    ts: datetime | None
    where: str  # entry: "source:line"; pattern and anomaly: their id
    found: bool  # still in these sources (an entry whose file changed is not)
    lines: tuple[ContextLine, ...] = ()  # entry: the entries around it, itself marked
    count: int | None = None  # pattern: its entries in the view


def cut_line(text: str | None, limit: int = LINE_CHARS) -> str:
    """Return the first line of `text` made visible and cut to `limit` characters, with
    " ⏎ N more lines" when it has more."""
    if not text:
        return ""
    first, newline, rest = text.partition("\n")
    shown = visible_text(first if len(first) <= limit else first[: limit - 1] + "\u2026")
    more = rest.count("\n") + 1 if newline else 0
    return shown + (f" \u23ce {more} more line{'s' * (more != 1)}" if more else "")


def cut_lines(text: str | None, lines: int = ENTRY_LINES, limit: int = LINE_CHARS) -> str:
    """Return up to `lines` lines of `text`, each made visible and cut to `limit` characters,
    and a last line saying how many more there are."""
    if not text:
        return ""
    parts = text.split("\n", lines)
    more = parts.pop().count("\n") + 1 if len(parts) > lines else 0
    shown = [visible_text(p if len(p) <= limit else p[: limit - 1] + "\u2026") for p in parts]
    if more:
        shown.append(f"\u2026 {more} more line{'s' * (more != 1)}")
    return "\n".join(shown)


def source_row(info: SourceInfo, names: dict[str, str]) -> SourceRow:
    """Return a source's row; `names` are the sources' short names."""
    label = info.format_label if info.format != "skipped" else "not read"
    notes = tuple(cut_line(n) for n in info.notes)
    short = names.get(info.name, info.name)
    return SourceRow(info.name, short, label, info.entries, info.first, info.last, notes)


def pattern_rows(view: View) -> tuple[tuple[PatternRow, ...], int, bool]:
    """Return the view's first TOP_PATTERNS patterns in the window's order, how many there
    are, and whether they carry a comparison."""
    if view.patterns is None:
        return (), 0, False
    frame = view.patterns.frame
    compared = "status" in frame.columns
    rows = []
    for r in frame.head(TOP_PATTERNS).iter_rows(named=True):  # distinct patterns, at most 50
        status = r.get("status")
        pct = r.get("change_pct")
        change = format_change(pct) if status in ("up", "down") and pct is not None else ""
        rows.append(
            PatternRow(
                id=r[PATTERN], template=cut_line(r["template"]), count=int(r["count"] or 0),
                share=float(r["ratio"] or 0.0), severity=r["severity"] or "NONE",
                spark=tuple(int(n) for n in (r["spark"] or ())),
                before=int(r["before"] or 0) if compared else None,
                status=status or ("steady" if compared else None), change=change,
            )
        )  # fmt: skip
    return tuple(rows), frame.height, compared


def anomaly_row(a: Anomaly, names: dict[str, str]) -> AnomalyRow:
    """Return an anomaly's row; its source by its short name (`names`)."""
    source = names.get(a.source, a.source) if a.source is not None else None
    return AnomalyRow(
        a.id, a.priority, a.kind, a.start, a.end, cut_line(a.template), cut_line(a.description),
        cut_line(a.baseline), source, tuple(cut_line(s) for s in a.samples[:SAMPLES]),
    )  # fmt: skip


def incident_row(n: Incident) -> IncidentRow:
    members = tuple((m.name, len(m.anomalies)) for m in n.members)
    return IncidentRow(
        n.id, n.priority, n.start, n.end, cut_line(n.headline), cut_line(n.first_sign),
        tuple(n.links), members,
    )  # fmt: skip


def bookmark_rows(
    table: pl.DataFrame,
    bookmarks: Sequence[Bookmark],
    view: View,
    anomalies: Sequence[Anomaly],
    order: np.ndarray | None,
    names: dict[str, str],
) -> tuple[BookmarkRow, ...]:
    """Return the bookmarks as the report lists them: each entry with the entries around it
    in time order, each pattern with its count in the view, each anomaly with its window."""
    rows = entry_rows(table, bookmarks)
    rows_of: dict[tuple[str, int], int] = {}
    if rows.size:
        found = pl.DataFrame(
            {
                "source": table["source"].gather(rows).cast(pl.String),
                "line": table["line"].gather(rows),
            }
        )
        rows_of = {
            (s, int(n)): int(r)
            for s, n, r in zip(found["source"], found["line"], rows, strict=True)
        }
        if order is None:
            order = time_order(table).to_numpy()
    counts: dict[str, int] = {}
    if view.patterns is not None:
        frame = view.patterns.frame
        counts = dict(zip(frame[PATTERN].to_list(), frame["count"].to_list(), strict=True))
    by_id = {a.id: a for a in anomalies}
    out = []
    for b in bookmarks:  # the reader's marks: a few dozen
        if b.kind == "entry":
            row = rows_of.get((b.source or "", b.line or 0))
            lines = _context(table, row, order, names) if row is not None else ()
            shown = f"{names.get(b.source or '', b.source)}:{b.line}" if b.source else b.key
            out.append(
                BookmarkRow(b.kind, cut_line(b.title), b.note, b.ts, shown, row is not None, lines)
            )
        elif b.kind == "pattern":
            count = counts.get(b.pattern or b.key)
            out.append(BookmarkRow(b.kind, cut_line(b.title or b.template), b.note, b.ts, b.key,
                                   count is not None, count=count))  # fmt: skip
        else:
            a = by_id.get(b.key)
            ts = a.start if a is not None else b.ts
            out.append(BookmarkRow(b.kind, cut_line(b.title), b.note, ts, b.key, a is not None))
    return tuple(out)


def _context(
    table: pl.DataFrame, row: int, order: np.ndarray | None, names: dict[str, str]
) -> tuple[ContextLine, ...]:
    """Return the entries around table row `row` in time order (`with_context`), the entry
    itself whole (up to ENTRY_LINES lines), the others' first lines; sources by their short
    `names`."""
    around, is_match = with_context(
        table, np.array([row], dtype=np.int64), CONTEXT_LINES, order=order
    )
    index = pl.Series(around, dtype=pl.UInt32)
    picked = {
        name: table[name].gather(index) for name in ("ts", "level", "source", "line", "message")
    }
    out = []
    for i, marked in enumerate(is_match.tolist()):  # 2 * CONTEXT_LINES + 1 entries
        message = picked["message"][i]
        out.append(
            ContextLine(
                picked["ts"][i], str(picked["level"][i]),
                names.get(str(picked["source"][i]), str(picked["source"][i])),
                int(picked["line"][i]), cut_lines(message) if marked else cut_line(message), marked,
            )
        )  # fmt: skip
    return tuple(out)


# The levels of a timeline bar from the bottom up, as the window stacks them.
STACK_ORDER = ("NONE", "TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL")


@dataclass(frozen=True)
class Timeline:
    """Entries per bucket and level, and the baseline's entries summed into the same buckets."""

    starts_us: tuple[int, ...]  # bucket starts, µs since the epoch (UTC)
    width_us: int
    levels: tuple[tuple[str, tuple[int, ...]], ...]  # (level, counts), STACK_ORDER
    baseline: tuple[int | None, ...] | None  # per bucket; None where the baseline does not reach
    baseline_label: str = ""

    @property
    def totals(self) -> np.ndarray:
        """Return the entries per bucket, all levels together."""
        if not self.levels:
            return np.zeros(len(self.starts_us), dtype=np.int64)
        return np.sum([counts for _, counts in self.levels], axis=0, dtype=np.int64)


@dataclass(frozen=True)
class Cut:
    """How many of a list the report holds of how many there are."""

    shown: int
    total: int

    def said(self, noun: str, plural: str | None = None) -> str:
        """Return "top 50 of 812 patterns", or "3 patterns" when nothing was cut."""
        name = noun if self.total == 1 else plural or f"{noun}s"
        if self.shown < self.total:
            return f"top {self.shown:,} of {self.total:,} {name}"
        return f"{self.total:,} {name}"


@dataclass(frozen=True)
class Report:
    title: str
    made: datetime  # UTC
    version: str
    zone: str  # the IANA zone every time is shown in
    sources: tuple[SourceRow, ...]
    sources_cut: Cut
    query: str
    start: datetime  # the range shown
    end: datetime
    range_asked: bool  # False: the whole span, no range was chosen
    excluded: tuple[str, ...]
    entries: int  # in the table
    matched: int | None  # entries the query returned (None for a stats result)
    comparison: str | None  # the comparison's summary, with its baseline range
    timeline: Timeline | None
    patterns: tuple[PatternRow, ...]
    patterns_cut: Cut
    compared: bool  # the patterns have before, change and status
    result_columns: tuple[str, ...]  # a stats result: its columns and first rows
    result_rows: tuple[tuple[str, ...], ...]
    result_cut: Cut
    incidents: tuple[IncidentRow, ...]
    incidents_cut: Cut
    anomalies: tuple[AnomalyRow, ...]
    anomalies_cut: Cut
    bookmarks: tuple[BookmarkRow, ...]
    bookmarks_cut: Cut
    notes: str

    def when(self, moment: datetime | None, *, seconds: bool = True) -> str:
        """Return `moment` in the report's zone, "2026-03-10 14:05:01" ("" for None)."""
        if moment is None:
            return ""
        local = moment.astimezone(ZoneInfo(self.zone))
        return f"{local:%Y-%m-%d %H:%M:%S}" if seconds else f"{local:%Y-%m-%d %H:%M}"

    def made_text(self) -> str:
        """Return when the report was made, in its zone (and in UTC beside, when another)."""
        text = f"{self.when(self.made)} {self.zone}"
        if self.when(self.made) != f"{self.made.astimezone(UTC):%Y-%m-%d %H:%M:%S}":
            text += f" ({self.made.astimezone(UTC):%Y-%m-%d %H:%M:%S} UTC)"
        return text

    def span(self, first: datetime | None, last: datetime | None) -> str:
        """Return "2026-03-10 14:05:00 – 2026-03-10 14:40:00" in the report's zone."""
        if first is None or last is None:
            return ""
        return f"{self.when(first)} \u2013 {self.when(last)}"
