"""Incidents: anomalies that overlap in time and are related, told as one story.

Two anomalies are linked when their spans overlap (SLACK windows either side counted) and
they are related:
- **same source**: most of their entries came from one source (or they are of one pattern);
- **shared ids**: their entries share request or trace ids (a field named like
  `related.TRACE_FIELDS`), in at least MIN_SHARED of the smaller set;
- **together**: their entries per minute over the two spans rise and fall together (Pearson
  correlation >= MIN_CORRELATION);
- an error surge, which belongs to no source, is linked to the error-level anomalies it
  overlaps.
An incident is a linked group of at least two anomalies. It has a span, its members (one per
source, each with its anomalies, ordered by onset so that the first sign comes first), a
headline, and the links that made it, each a reason a reader can check.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np
import polars as pl

from logview.core.analysis.anomaly_kinds import ERROR_LEVELS, Anomaly, Kind, Priority, count_of
from logview.core.analysis.related import trace_field
from logview.core.shared.display import short_source_names

SLACK = 1  # windows either side of a span that still count as overlapping
MIN_CORRELATION = 0.6
MIN_SHARED = 0.1
HEADLINE_PARTS = 4
SHORT = 40  # characters of a template in a headline


@dataclass(frozen=True)
class Member:
    """The anomalies of one source within an incident (source None: across sources)."""

    source: str | None
    anomalies: tuple[Anomaly, ...]  # by onset
    name: str = "all sources"  # the source's shortest trailing path no other one ends with

    @property
    def start(self) -> datetime:
        return self.anomalies[0].start


@dataclass(frozen=True)
class Incident:
    id: str
    start: datetime
    end: datetime
    priority: str
    headline: str
    first_sign: str
    members: tuple[Member, ...]  # by onset
    links: tuple[str, ...]  # why its anomalies belong together, in words

    @property
    def anomalies(self) -> list[Anomaly]:
        return sorted((a for m in self.members for a in m.anomalies), key=_onset)


def find_incidents(
    anomalies: list[Anomaly], table: pl.DataFrame, ids: pl.Series, every: timedelta
) -> list[Incident]:
    """Return the incidents among `anomalies`, most urgent first. `table` holds the entries'
    `ts`, `level` and, where known, `source` and a trace id field; `ids` their pattern ids."""
    if len(anomalies) < 2:
        return []
    # Only the entries near some anomaly are read (a large table stays uncopied).
    near = pl.lit(False)
    for a in anomalies:
        near |= pl.col("ts").is_between(a.start - timedelta(hours=1), a.end + timedelta(hours=1))
    keep = table.select(near.fill_null(False)).to_series()
    frame = _frame(table.filter(keep), ids.filter(keep))
    parent = list(range(len(anomalies)))
    reasons: dict[int, set[str]] = {}

    def union(i: int, j: int, why: str) -> None:
        ri, rj = _root(parent, i), _root(parent, j)
        parent[rj] = ri
        reasons.setdefault(ri, set()).update(reasons.pop(rj, set()) if ri != rj else set())
        reasons[ri].add(why)

    slack = every * SLACK
    order = sorted(range(len(anomalies)), key=lambda i: anomalies[i].start)
    series = _series(anomalies, frame)
    for x, i in enumerate(order):
        a = anomalies[i]
        for j in order[x + 1 :]:
            b = anomalies[j]
            if b.start > a.end + slack:
                break
            if b.end + slack < a.start:
                continue
            why = _related(a, b, series.get(i), series.get(j), frame)
            if why:
                union(i, j, why)
    groups: dict[int, list[Anomaly]] = {}
    for i, a in enumerate(anomalies):
        groups.setdefault(_root(parent, i), []).append(a)
    out = [_incident(members, reasons.get(root, set()))
           for root, members in groups.items() if len(members) >= 2]  # fmt: skip
    out.sort(key=lambda n: (-Priority(n.priority).rank, n.start))
    return out


def _root(parent: list[int], i: int) -> int:
    while parent[i] != i:
        parent[i] = parent[parent[i]]
        i = parent[i]
    return i


def _frame(table: pl.DataFrame, ids: pl.Series) -> pl.DataFrame:
    columns = {"ts": table["ts"], "level": table["level"].cast(pl.String), "id": ids}
    if "source" in table.columns:
        columns["src"] = table["source"].cast(pl.String)
    trace = trace_field(table.columns)
    if trace is not None:
        columns["trace"] = table[trace].cast(pl.String)
    return pl.DataFrame(columns).drop_nulls("ts")


def _rows(a: Anomaly, frame: pl.DataFrame) -> pl.Expr | None:
    """Return which entries are the anomaly's (None: a silence has none)."""
    if a.kind == Kind.STOPPED:
        return None
    if a.kind == Kind.ERROR_SURGE:
        return pl.col("level").is_in(ERROR_LEVELS)
    return pl.col("id") == a.pattern


def _series(anomalies: list[Anomaly], frame: pl.DataFrame) -> dict[int, np.ndarray]:
    """Return each anomaly's entries per minute over the span of all of them (with margins)."""
    start = min(a.start for a in anomalies) - timedelta(hours=1)
    end = max(a.end for a in anomalies) + timedelta(hours=1)
    if (end - start) > timedelta(days=3):
        return {}  # anomalies spread over days: correlation over so long a span says little
    near = frame.filter(pl.col("ts").is_between(start, end, closed="left"))
    minute = ((pl.col("ts") - pl.lit(start)).dt.total_seconds() // 60).cast(pl.Int64)
    n = int((end - start).total_seconds() // 60) + 1
    out = {}
    for i, a in enumerate(anomalies):
        which = _rows(a, frame)
        if which is None:
            continue
        counts = near.filter(which).group_by(minute.alias("m")).len()
        series = np.zeros(n)
        series[counts["m"].to_numpy()] = counts["len"].to_numpy()
        out[i] = series
    return out


def _related(
    a: Anomaly, b: Anomaly, sa: np.ndarray | None, sb: np.ndarray | None, frame: pl.DataFrame
) -> str | None:
    """Return why two overlapping anomalies belong together, or None."""
    if a.pattern is not None and a.pattern == b.pattern:
        return "same pattern"
    if a.source is not None and a.source == b.source:
        return f"same source ({short_source_names([a.source])[a.source]})"
    surge = [x for x in (a, b) if x.kind == Kind.ERROR_SURGE]
    if surge:
        other = b if surge[0] is a else a
        if other.priority == "HIGH" and other.kind != Kind.STOPPED:
            return "errors of the same time"
        return None
    if "trace" in frame.columns and a.pattern is not None and b.pattern is not None:
        shared = _shared_ids(a, b, frame)
        if shared >= MIN_SHARED:
            return f"shared request ids ({shared:.0%})"
    if sa is not None and sb is not None:
        return _together(sa, sb)
    return None


def _together(sa: np.ndarray, sb: np.ndarray) -> str | None:
    active = (sa > 0) | (sb > 0)
    if active.sum() < 3 or sa.std() == 0 or sb.std() == 0:
        return None
    r = float(np.corrcoef(sa, sb)[0, 1])
    return f"counts move together (r = {r:.2f})" if r >= MIN_CORRELATION else None


def _shared_ids(a: Anomaly, b: Anomaly, frame: pl.DataFrame) -> float:
    def ids_of(x: Anomaly) -> set[str]:
        rows = frame.filter((pl.col("id") == x.pattern) & pl.col("ts").is_between(x.start, x.end))
        return set(rows["trace"].drop_nulls().head(10_000).to_list())

    left, right = ids_of(a), ids_of(b)
    if not left or not right:
        return 0.0
    return len(left & right) / min(len(left), len(right))


def _onset(a: Anomaly) -> tuple:
    return (a.start, -Priority(a.priority).rank, -a.score)


def _incident(anomalies: list[Anomaly], links: set[str]) -> Incident:
    by_source: dict[str | None, list[Anomaly]] = {}
    for a in sorted(anomalies, key=_onset):
        key = None if a.kind == Kind.ERROR_SURGE else a.source
        by_source.setdefault(key, []).append(a)
    names = short_source_names(s for s in by_source if s is not None)
    members = sorted(
        (Member(s, tuple(m), names.get(s, "all sources")) for s, m in by_source.items()),
        key=lambda m: _onset(m.anomalies[0]),
    )
    first = min(anomalies, key=_onset)
    start, end = first.start, max(a.end for a in anomalies)
    leads = [
        max(m.anomalies, key=lambda a: (Priority(a.priority).rank, a.observed)) for m in members
    ]
    parts = [phrase(a) for a in leads[:HEADLINE_PARTS]]
    if len(leads) > HEADLINE_PARTS:
        parts.append(f"{len(leads) - HEADLINE_PARTS} more")
    first_sign = f"{phrase(first)} at {first.start:%H:%M}"
    day = f"{start:%Y-%m-%d} " if start.date() == end.date() else ""
    span = f"{day}{start:%H:%M}-{end:%H:%M}" if day else f"{start:%m-%d %H:%M}-{end:%m-%d %H:%M}"
    headline = f"{span}: {', '.join(parts)}; first sign: {first_sign}"
    priority = max((a.priority for a in anomalies), key=lambda p: Priority(p).rank)
    return Incident(f"incident:{first.id}", start, end, priority, headline, first_sign,
                    tuple(members), _summarised(links))  # fmt: skip


def _summarised(links: set[str]) -> tuple[str, ...]:
    """Return the links in words, the correlations as one range."""
    together = sorted(float(x.split("= ")[1].rstrip(")")) for x in links if x.startswith("counts"))
    out = sorted(x for x in links if not x.startswith("counts"))
    if together:
        pairs = count_of(len(together), "pair")
        out.append(
            f"counts per minute move together (r {together[0]:.2f}-{together[-1]:.2f}, {pairs})"
        )
    return tuple(out)


def phrase(a: Anomaly) -> str:
    """Return an anomaly in a few words: "new `Charge failed for order…` (461)"."""
    text = a.template if len(a.template) <= SHORT else a.template[: SHORT - 1] + "…"
    ratio = a.observed / a.expected if a.expected else 0.0
    if a.kind == Kind.NEW_PATTERN:
        return f"new `{text}` ({a.observed:,})"
    if a.kind == Kind.SPIKE:
        # Nothing expected (none before): the count says it, a ratio cannot.
        return f"`{text}` x{ratio:.0f}" if a.expected else f"`{text}` ({a.observed:,}, none before)"
    if a.kind == Kind.DROP:
        return f"`{text}` down {1 - ratio:.0%}"
    if a.kind == Kind.STOPPED:
        if a.pattern is None:  # a source or a field's value: "source = worker.log"
            return f"{a.template} stopped"
        return f"{a.token_name} {a.value} stopped" if a.value else f"`{text}` stopped"
    if a.kind == Kind.ERROR_SURGE:
        return f"errors x{ratio:.0f}" if a.expected else f"{a.observed:,} errors (none before)"
    if a.kind == Kind.NUMERIC_TOKEN:
        return f"{a.token_name} high on `{text}`"
    return f"{a.token_name} = {a.value} on `{text}` ({a.observed:,})"
