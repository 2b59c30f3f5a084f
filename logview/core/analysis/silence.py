"""Silence: a host, worker, pod or source that logged steadily and stops while its siblings
go on.

A value of an identity field (`host`, `thread`, a pod or worker field), of a pattern's token
(an enumeration of a few values: `worker-3`), or a source, is judged against the others of its
kind: from its share of their entries in the RECENT windows before, its expected count in
each window that follows is that share of what they logged then. A value present in at least
REGULAR of those windows that logs nothing for a run of windows whose expected counts add up
so that P(no entry) = exp(-sum) < P_LIMIT has stopped. Where the others log nothing too,
nothing is expected of it: the whole log went quiet, which is no silence of one value.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

import numpy as np
import polars as pl

from logview.core.analysis.anomaly_kinds import (
    CONTEXT_AFTER,
    CONTEXT_BEFORE,
    P_LIMIT,
    RECENT,
    Anomaly,
    Kind,
    count_of,
    expected_words,
    recent_span,
    regular,
    score_of,
    stretches,
)
from logview.core.analysis.windows import Windows, count_matrix
from logview.core.shared.display import short_source_names
from logview.core.shared.errors import Cancelled

MAX_VALUES = 64  # more values than this are ids, not siblings
# Field names that say who logged an entry, compared lower-case.
IDENTITY_WORDS = ("host", "node", "pod", "instance", "worker", "container", "thread", "replica")


def identity_fields(columns: Iterable[str]) -> list[str]:
    """Return the columns that say who logged an entry (a host, pod, worker, thread...)."""
    return [c for c in columns if any(word in c.lower() for word in IDENTITY_WORDS)]


@dataclass(frozen=True)
class Dimension:
    """Values to judge against each other: a field, a source, or a pattern's token."""

    name: str  # what the values are: "host", "source", or the token's label ("<worker>")
    values: pl.DataFrame  # w (window), ts, v (the value as text), src (may be absent)
    pattern: str | None = None
    template: str | None = None
    token: int | None = None


def present(values: pl.DataFrame) -> pl.DataFrame:
    """Return the rows of a Dimension's `values` that have a value (`v`): a filter copies
    every column, so not when all have one."""
    return values.drop_nulls("v") if values["v"].null_count() else values


def silent_values(
    dimensions: list[Dimension],
    first_judged: int,
    windows: Windows,
    cancelled: Callable[[], bool] = lambda: False,
) -> list[Anomaly]:
    """Return the values of `dimensions` that stopped while their siblings went on, one
    anomaly per value and silence (found in several dimensions, the best evidence stays)."""
    found: dict[tuple[str, int], Anomaly] = {}
    for dimension in dimensions:
        if cancelled():
            raise Cancelled()
        for anomaly, first in _judge(dimension, first_judged, windows):
            if dimension.token is not None and not _identity(dimension.name, str(anomaly.value)):
                continue
            key = (str(anomaly.value), first)
            near = [k for k in found if k[0] == key[0] and abs(k[1] - first) <= 1]
            best = max([found[k] for k in near] + [anomaly], key=lambda a: a.expected)
            for k in near:
                del found[k]
            found[key] = best
    # A source that stopped: its hosts, threads and tokens stopped with it.
    quiet = {(a.value, a.start) for a in found.values() if a.token_name == "source"}
    began = _beginnings(dimensions)
    out = []
    for (_value, first), anomaly in found.items():
        if anomaly.token_name == "source":
            # A source stopping where another begins is a rotated log handing over to the
            # next file, not a silence.
            if any(abs(first - b) <= 1 for b in began):
                continue
        elif (anomaly.source, anomaly.start) in quiet:
            continue
        out.append(anomaly)
    return out


def _identity(name: str, value: str) -> bool:
    """Return whether a token's value names someone (a host, a worker: it has letters, or the
    token is named so) rather than measures something (a count going quiet is no one)."""
    return any(ch.isalpha() for ch in value) or bool(identity_fields([name.strip("<>")]))


def _beginnings(dimensions: list[Dimension]) -> list[int]:
    """Return the windows in which some source logged its first entry."""
    sources = next((d.values for d in dimensions if d.name == "source"), None)
    if sources is None:
        return []
    return sources.group_by("v").agg(pl.col("w").min())["w"].to_list()


def _judge(dimension: Dimension, first_judged: int, windows: Windows) -> list[tuple[Anomaly, int]]:
    values, n = dimension.values, len(windows)
    training = values.filter(pl.col("w") < first_judged)["v"]
    distinct = training.n_unique()
    if distinct < 2 or distinct > MAX_VALUES:
        return []
    names = sorted(values["v"].unique().to_list())
    index = {v: i for i, v in enumerate(names)}
    counts = count_matrix(values, "v", index, n)
    total = counts.sum(axis=0)
    cols = np.arange(n)
    # A source is named by its shortest trailing path that no other source ends with.
    shown = short_source_names(names) if dimension.name == "source" else {}
    out = []
    for value, i in index.items():
        row = counts[i]
        for first, last in stretches((row == 0) & (cols >= first_judged)):
            if not regular(row, first):
                continue
            lo = max(0, first - RECENT)
            share = row[lo:first].sum() / max(total[lo:first].sum(), 1)
            expected = float(share * total[first : last + 1].sum())
            if expected < -math.log(P_LIMIT):
                continue
            last_seen = values.filter((pl.col("v") == value) & (pl.col("w") < first))["ts"].max()
            out.append((_anomaly(dimension, value, shown.get(value, value), first, last,
                                 expected, last_seen, len(names) - 1, row, windows), first))  # fmt: skip
    return out


def _anomaly(
    dimension: Dimension,
    value: str,
    shown: str,
    first: int,
    last: int,
    expected: float,
    last_seen: object,
    siblings: int,
    row: np.ndarray,
    windows: Windows,
) -> Anomaly:
    name = dimension.name
    seen = last_seen.strftime("%Y-%m-%d %H:%M:%S") if isinstance(last_seen, datetime) else "?"
    windows_silent = int(windows.absolute[last] - windows.absolute[first]) + 1
    others = count_of(siblings, "other value")
    description = (
        f"{name} {shown!r} logged nothing after {seen} while {others} went on: "
        f"{expected_words(expected, 'entry')} in {count_of(windows_silent, 'window')}"
    )
    lo, hi = max(0, first - CONTEXT_BEFORE), min(len(windows), last + 1 + CONTEXT_AFTER)
    source = value if name == "source" else None
    if source is None and "src" in dimension.values.columns:
        top = dimension.values.filter(pl.col("v") == value)["src"].drop_nulls().mode()
        source = str(top.sort()[0]) if top.len() else None
    return Anomaly(
        id=f"{Kind.STOPPED}:{dimension.pattern or name}:{value}:{windows.absolute[first]}",
        kind=Kind.STOPPED,
        start=windows.start(first),
        end=windows.end(last),
        pattern=dimension.pattern,
        template=dimension.template or f"{name} = {shown}",
        observed=0,
        expected=round(expected, 1),
        score=round(score_of(math.exp(-expected)), 2),
        priority="HIGH" if name in ("source", "host") else "MEDIUM",
        description=description,
        token=dimension.token,
        value=value,
        token_name=name,
        counts=tuple(int(c) for c in row[lo:hi]),
        counts_start=windows.start(lo),
        baseline=f"its share of the entries of every {name} in {recent_span(first, windows)}",
        source=source,
    )
