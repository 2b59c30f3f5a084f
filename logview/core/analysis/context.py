"""Context around matches, like `grep -C N`: the entries just before and after each match in
time order, so that a filtered view still shows what led up to an error."""

from __future__ import annotations

import numpy as np
import polars as pl

from logview.core.shared.table import time_order


def with_context(
    table: pl.DataFrame,
    rows: np.ndarray,
    n: int,
    *,
    order: np.ndarray | None = None,
    eligible: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Return (rows in time order with up to `n` neighbours each side, is_match per row).

    `rows` are table rows (the matches); neighbours are taken in the whole table's time order
    (`order`, from `table.time_order`, may be passed in to save its sort), among the rows
    `eligible` marks when given (a source left out gives no context either).
    """
    if order is None:
        order = time_order(table).to_numpy()
    if eligible is not None and n > 0 and rows.size:
        kept = order[eligible[order]]  # the time order of the eligible rows
        place = np.full(eligible.size, -1, dtype=np.int64)
        place[kept] = np.arange(kept.size)
        matches = place[rows]
        offsets = np.arange(-n, n + 1, dtype=np.int64)
        around = (matches[:, None] + offsets[None, :]).ravel()
        around = np.unique(around[(around >= 0) & (around < kept.size)])
        return kept[around], np.isin(around, matches)
    if n <= 0 or rows.size == 0:
        positions = np.sort(np.asarray(table["seq"].to_numpy()[rows], dtype=np.int64))
        return order[positions], np.ones(positions.size, dtype=bool)
    seq = table["seq"].to_numpy()
    matches = np.asarray(seq[rows], dtype=np.int64)
    offsets = np.arange(-n, n + 1, dtype=np.int64)
    around = (matches[:, None] + offsets[None, :]).ravel()
    around = np.unique(around[(around >= 0) & (around < order.size)])
    is_match = np.isin(around, matches, assume_unique=False)
    return order[around], is_match
