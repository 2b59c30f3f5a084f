"""Related patterns: the patterns whose occurrences rise and fall with a given one.

The score is the Pearson correlation of the two patterns' counts per time bucket over the
entries' span (BUCKETS buckets, at least a second wide): 1 when they move together exactly,
0 when unrelated. Only positive scores are reported; a pattern seen in fewer than two
buckets has no shape over time and is left out.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

BUCKETS = 120
MIN_SCORE = 0.3


@dataclass(frozen=True)
class Related:
    id: str
    score: float  # correlation of per-bucket counts, in (MIN_SCORE, 1]
    count: int


def related_patterns(
    ts: pl.Series, ids: pl.Series, *, top: int = 5, buckets: int = BUCKETS
) -> dict[str, tuple[Related, ...]]:
    """Return, for every pattern id in `ids`, its most related patterns, best first.

    `ts` and `ids` are columns of the same rows; rows without a stamp are not counted.
    """
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
        out[name] = tuple(Related(names[j], round(float(row[j]), 3), int(totals[j])) for j in best)
    return out
