"""Related patterns: the patterns that occur with a given one.

Two scores, each stated with the result:
- "time": the Pearson correlation of the two patterns' counts per time bucket over the
  entries' span (BUCKETS buckets, at least a second wide): 1 when they move together
  exactly, 0 when unrelated. A pattern seen in fewer than two buckets has no shape over time
  and gets no time score.
- "trace": where the entries carry a request or trace id (a field named like TRACE_FIELDS),
  the share of the pattern's ids in which the other pattern also occurs: 1 when every request
  that logged A also logged B.
A pattern's related list holds the best scores above MIN_SCORE, the trace score first where
there is one.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

BUCKETS = 120
MIN_SCORE = 0.3
# The trace score pairs the patterns of each trace (k patterns give k*k pairs): beyond this
# many traces, a fixed sample of them (by hash, so the same every run) is scored.
MAX_TRACES = 50_000


# Field names that carry a request or trace id, compared lower-case without `_`, `-`, `.`.
TRACE_FIELDS = ("traceid", "requestid", "correlationid", "xrequestid", "spanid", "reqid")


@dataclass(frozen=True)
class Related:
    id: str
    score: float  # in (MIN_SCORE, 1]
    count: int  # the other pattern's entries
    basis: str  # "trace" or "time", see the module


def trace_field(columns: list[str]) -> str | None:
    """Return the column that carries a request or trace id, if any."""
    for column in columns:
        if column.lower().replace("_", "").replace("-", "").replace(".", "") in TRACE_FIELDS:
            return column
    return None


def related_patterns(
    ts: pl.Series,
    ids: pl.Series,
    *,
    traces: pl.Series | None = None,
    top: int = 5,
    buckets: int = BUCKETS,
) -> dict[str, tuple[Related, ...]]:
    """Return, for every pattern id in `ids`, its most related patterns, best first.

    `ts`, `ids` and `traces` (a request/trace id per row, null where none) are columns of the
    same rows; rows without a stamp have no time score.
    """
    by_time = _by_time(ts, ids, top=top, buckets=buckets)
    if traces is None or traces.null_count() == traces.len():
        return by_time
    by_trace = _by_trace(ids, traces, top=top)
    out: dict[str, tuple[Related, ...]] = {}
    for pid in set(by_time) | set(by_trace):
        merged = {r.id: r for r in by_time.get(pid, ())}
        merged.update({r.id: r for r in by_trace.get(pid, ())})  # the trace score wins
        ranked = sorted(merged.values(), key=lambda r: (r.basis != "trace", -r.score, r.id))
        out[pid] = tuple(ranked[:top])
    return out


def _by_trace(ids: pl.Series, traces: pl.Series, *, top: int) -> dict[str, tuple[Related, ...]]:
    pairs = pl.DataFrame({"id": ids, "trace": traces.cast(pl.String)}).drop_nulls().unique()
    if pairs.height == 0:
        return {}
    distinct = pairs["trace"].n_unique()
    if distinct > MAX_TRACES:
        every = -(-distinct // MAX_TRACES)
        pairs = pairs.filter(pl.col("trace").hash(seed=7) % every == 0)
    per_pattern = pairs.group_by("id").len().rename({"len": "traces"})
    entries = ids.value_counts(name="count").rename({ids.name: "other"})
    both = (
        pairs.join(pairs.rename({"id": "other"}), on="trace")
        .filter(pl.col("id") != pl.col("other"))
        .group_by("id", "other")
        .len()
        .join(per_pattern, on="id")
        .with_columns(score=pl.col("len") / pl.col("traces"))
        .filter(pl.col("score") > MIN_SCORE)
        .join(entries, on="other")
        .sort(["id", "score", "other"], descending=[False, True, False])
        .group_by("id", maintain_order=True)
        .head(top)
    )
    out: dict[str, list[Related]] = {}
    for pid, other, score, count in both.select("id", "other", "score", "count").iter_rows():
        out.setdefault(pid, []).append(Related(other, round(score, 3), count, "trace"))
    return {pid: tuple(r) for pid, r in out.items()}


def _by_time(
    ts: pl.Series, ids: pl.Series, *, top: int, buckets: int
) -> dict[str, tuple[Related, ...]]:
    frame = pl.DataFrame({"ts": ts, "id": ids}).drop_nulls()
    if frame.height == 0:
        return {}
    start, end = frame["ts"].min(), frame["ts"].max()
    span_us = max(int((end - start).total_seconds() * 1_000_000), 1)  # type: ignore[operator]
    width_us = max(span_us // buckets + 1, 1_000_000)
    counts = (
        frame.select(
            "id",
            ((pl.col("ts") - pl.lit(start)).dt.total_microseconds() // width_us).alias("b"),
        )
        .group_by("id", "b")
        .len()
    )
    names = sorted(counts["id"].unique().to_list())
    index = {name: i for i, name in enumerate(names)}
    n_buckets = int(counts["b"].max()) + 1  # type: ignore[arg-type]
    matrix = np.zeros((len(names), n_buckets))
    rows = np.array([index[i] for i in counts["id"].to_list()], dtype=np.int64)
    matrix[rows, counts["b"].to_numpy()] = counts["len"].to_numpy()
    totals = matrix.sum(axis=1)
    shaped = (matrix > 0).sum(axis=1) >= 2
    centred = matrix - matrix.mean(axis=1, keepdims=True)
    norms = np.linalg.norm(centred, axis=1)
    norms[norms == 0] = np.inf
    unit = centred / norms[:, None]
    scores = unit @ unit.T
    out: dict[str, tuple[Related, ...]] = {}
    for i, name in enumerate(names):
        if not shaped[i]:
            out[name] = ()
            continue
        row = scores[i].copy()
        row[i] = -1.0
        row[~shaped] = -1.0
        best = [j for j in np.argsort(-row, kind="stable")[:top] if row[j] > MIN_SCORE]
        out[name] = tuple(
            Related(names[j], round(float(row[j]), 3), int(totals[j]), "time") for j in best
        )
    return out
