"""What an anomaly is: its kinds and priorities, the record of one, and the statistics and words
every detector shares (the Poisson tails, the score, runs of windows, counts in words)."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from logview.core.analysis.windows import Windows

CRASH = re.compile(r"exception|panic|\boom\b|out of memory|fatal|segfault|traceback", re.I)


ERROR_LEVELS = ("ERROR", "FATAL")


SPIKE_RATIO = 3.0


MIN_COUNT = 5


P_LIMIT = 1e-6
RECENT = 12  # windows of recent history
TOLERANCE = 2  # windows without a hit inside one anomaly's run
REGULAR = 0.9  # the share of its recent windows something regular appears in
CONTEXT_BEFORE, CONTEXT_AFTER = 12, 3  # windows of counts kept around an anomaly


class Kind(StrEnum):
    """What an anomaly is, in the order the Anomalies tab offers them; compared as text."""

    NEW_PATTERN = "new pattern"
    SPIKE = "spike"
    DROP = "drop"
    STOPPED = "stopped"
    ERROR_SURGE = "error surge"
    NEW_TOKEN_VALUE = "new token value"
    TOKEN_VALUE_SHIFT = "token value shift"
    HTTP_ERRORS = "HTTP errors"
    NUMERIC_TOKEN = "numeric token"


class Priority(StrEnum):
    """An anomaly's priority, least urgent first: compared as text (`a.priority == "HIGH"`)
    and ranked (`Priority(a.priority).rank`)."""

    LOW = "LOW"
    MEDIUM = "MEDIUM"
    HIGH = "HIGH"

    @property
    def rank(self) -> int:
        return list(Priority).index(self)


def most_urgent_first(anomaly: Anomaly) -> tuple:
    """Return the sort key that lists anomalies most urgent first, then by score, start and
    template: the one order of the command line and the window."""
    return (-Priority(anomaly.priority).rank, -anomaly.score, anomaly.start, anomaly.template)


@dataclass(frozen=True)
class Anomaly:
    id: str
    kind: str  # new pattern, spike, drop, stopped, error surge
    start: datetime
    end: datetime
    pattern: str | None
    template: str
    observed: int
    expected: float
    score: float  # -log10 of the test's p-value (capped), or the ratio for new patterns
    priority: str  # HIGH, MEDIUM, LOW
    description: str
    token: int | None = None  # the token kinds: which variable (its slot's number, 1-based)
    value: str | None = None  # ... and its value
    token_name: str | None = None  # ... and the slot as its template shows it: "<status>"
    # The pattern's entries (the errors', for an error surge) per window around the anomaly:
    # CONTEXT_BEFORE windows before it, its own, CONTEXT_AFTER after; the first starts at
    # `counts_start`.
    counts: tuple[int, ...] = ()
    counts_start: datetime | None = None
    samples: tuple[str, ...] = ()  # up to SAMPLES entries of the anomaly (given the messages)
    peak: int = 0  # the most entries in one of its windows (errors, for an error surge)
    baseline: str = ""  # what it was compared with, in words a reader can check
    source: str | None = None  # the source most of its entries came from, when known


def upper_tail(k: int, mean: float) -> float:
    """P(X >= k) for X ~ Poisson(mean) (normal approximation for large counts)."""
    if mean > 50 or k > 500:
        return 0.5 * math.erfc((k - 0.5 - mean) / math.sqrt(2 * mean))
    term = math.exp(-mean)
    below = 0.0
    for i in range(k):
        below += term
        term *= mean / (i + 1)
    return max(0.0, 1.0 - below)


def lower_tail(k: int, mean: float) -> float:
    """P(X <= k) for X ~ Poisson(mean) (normal approximation for large counts)."""
    if mean > 50:
        return 0.5 * math.erfc((mean - k - 0.5) / math.sqrt(2 * mean))
    term = math.exp(-mean)
    total = 0.0
    for i in range(k + 1):
        total += term
        term *= mean / (i + 1)
    return min(1.0, total)


def score_of(p_value: float) -> float:
    return min(30.0, -math.log10(max(p_value, 1e-30)))


def runs_of(
    hits: list, key: Any, window: Any, adjacent: Callable[[int, int], bool] | None = None
) -> Iterator[list]:
    """Yield the runs of hits with the same key in consecutive windows (or windows that are
    `adjacent(earlier, later)`), in key order."""
    follows = adjacent or (lambda a, b: b == a + 1)
    run: list = []
    for hit in sorted(hits, key=lambda h: (key(h), window(h))):
        if run and key(hit) == key(run[-1]) and follows(window(run[-1]), window(hit)):
            run.append(hit)
            continue
        if run:
            yield run
        run = [hit]
    if run:
        yield run


def priority_of(kind: str, level: str, text: str, ratio: float) -> str:
    if level in ERROR_LEVELS or CRASH.search(text):
        return "HIGH"
    if level == "WARN" or kind == Kind.STOPPED or ratio >= 10 or (ratio and ratio <= 0.1):
        return "MEDIUM"
    return "LOW"


def count_of(n: int, noun: str) -> str:
    """Return "1 entry", "12 entries", "1,204 errors": a count with its noun agreeing."""
    return f"{n:,} {noun if n == 1 else plural(noun)}"


def plural(noun: str) -> str:
    return f"{noun[:-1]}ies" if noun.endswith("y") else f"{noun}s"


def expected_words(expected: float, noun: str = "") -> str:
    """Return what was expected: "about 99 were expected", "about 1 entry was expected",
    "almost none were expected" (under one half, rather than "about 0")."""
    n = round(expected)
    if n == 0:
        return f"almost no {plural(noun)} were expected" if noun else "almost none were expected"
    return f"about {count_of(n, noun) if noun else f'{n:,}'} {'was' if n == 1 else 'were'} expected"


def recent_span(first: int, windows: Windows) -> str:
    """Return "the 12 windows before (03-10 13:05-14:05)": the recent history of window `first`."""
    lo = max(0, first - RECENT)
    since, until = windows.start(lo), windows.start(first)
    # Across a gap cut out of the windows, the two ends may be days or years apart.
    end = f"{until:%H:%M}" if since.date() == until.date() else f"{until:%Y-%m-%d %H:%M}"
    start = f"{since:%m-%d %H:%M}" if since.date() == until.date() else f"{since:%Y-%m-%d %H:%M}"
    return f"the {count_of(first - lo, 'window')} before ({start}-{end})"


def regular(row: np.ndarray, w: int) -> bool:
    """Return whether counts `row` were above zero in at least REGULAR of the RECENT windows
    before window `w` (and there are at least half that many)."""
    recent = row[max(0, w - RECENT) : w]
    return recent.size >= RECENT // 2 and float((recent > 0).mean()) >= REGULAR


def stretches(mask: np.ndarray) -> list[tuple[int, int]]:
    """Return the (first, last) positions of each run of True in `mask`."""
    edges = np.diff(np.concatenate([[0], mask.astype(np.int8), [0]]))
    starts, ends = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1) - 1
    return list(zip(starts.tolist(), ends.tolist(), strict=True))
