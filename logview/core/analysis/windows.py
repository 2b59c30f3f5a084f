"""The evaluation windows of a span of entries, kept only where there was logging.

A log that spans years with few entries must cost what its entries cost. The windows kept
are those holding entries and the empty ones between two of them at most GAP windows apart
(a quiet spell inside a stretch of logging, which can be judged: a pattern that stops while
others go on). A longer gap, in which nothing at all was logged, is cut out: nothing is
judged in it, and the windows after it take the ones before it as their recent history.
Windows are numbered twice: `absolute` counts every window since the first one's start (the
time axis), the kept windows' positions (columns) are what detectors walk.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np
import polars as pl

GAP = 12  # empty windows in a row that are still a quiet spell, not a cut


@dataclass(frozen=True)
class Windows:
    width_us: int
    start_us: int  # the first window's start, a multiple of width_us
    absolute: np.ndarray  # int64, increasing: each kept window's number from start_us

    @classmethod
    def of(
        cls, stamps_us: np.ndarray, width_us: int, *, gap: int = GAP
    ) -> tuple[Windows, np.ndarray]:
        """Return the windows of entries stamped `stamps_us` (epoch microseconds, no nulls)
        and each entry's column."""
        start_us = (int(stamps_us.min()) // width_us) * width_us
        number = (stamps_us - start_us) // width_us
        occupied = np.unique(number)
        step = np.diff(occupied)
        fill = np.where(step <= gap + 1, step, 1)  # windows kept from each occupied one on
        base = np.repeat(occupied[:-1], fill)
        offset = np.arange(int(fill.sum())) - np.repeat(np.cumsum(fill) - fill, fill)
        absolute = np.append(base + offset, occupied[-1]).astype(np.int64)
        windows = cls(width_us, start_us, absolute)
        return windows, np.searchsorted(absolute, number).astype(np.int64)

    def __len__(self) -> int:
        return int(self.absolute.size)

    def start(self, column: int) -> datetime:
        """Return when kept window `column` starts."""
        return _moment(self.start_us + int(self.absolute[column]) * self.width_us)

    def end(self, column: int) -> datetime:
        """Return when kept window `column` ends."""
        return _moment(self.start_us + (int(self.absolute[column]) + 1) * self.width_us)

    def column_at(self, moment: datetime) -> int:
        """Return the kept window that starts at `moment`, or the first one after it."""
        number = (round(moment.timestamp() * 1_000_000) - self.start_us) // self.width_us
        return int(np.searchsorted(self.absolute, number))

    def columns(self, absolute: np.ndarray) -> np.ndarray:
        """Return the columns of windows numbered `absolute`, -1 where one was cut out."""
        at = np.minimum(np.searchsorted(self.absolute, absolute), len(self) - 1)
        return np.where(self.absolute[at] == absolute, at, -1)

    def adjacent(self, left: int, right: int, tolerance: int = 0) -> bool:
        """Return whether kept window `right` follows `left` with at most `tolerance` windows
        between them."""
        return 0 < int(self.absolute[right] - self.absolute[left]) <= tolerance + 1


def count_matrix(frame: pl.DataFrame, key: str, index: dict[str, int], n: int) -> np.ndarray:
    """Return the entries of `frame` (a `w` column: each entry's kept window) per `key` value
    (rows, in `index` order) per window (n columns)."""
    counts = np.zeros((len(index), n), dtype=np.int64)
    grouped = frame.group_by(key, "w").len()
    rows = np.array([index[i] for i in grouped[key].to_list()], dtype=np.int64)
    counts[rows, grouped["w"].to_numpy()] = grouped["len"].to_numpy()
    return counts


def _moment(us: int) -> datetime:
    return datetime.fromtimestamp(us / 1e6, tz=UTC)
