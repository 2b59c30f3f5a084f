"""The demo's two days and its incident: when things happen, and how busy it is.

Times are microseconds since the epoch in int64 arrays; traffic follows a diurnal curve and
the incident ramps in and out, so every service draws its events from the same story.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import numpy as np
import polars as pl

START = datetime(2026, 3, 9, tzinfo=UTC)
END = START + timedelta(days=2)
INCIDENT_START = datetime(2026, 3, 10, 14, 5, tzinfo=UTC)
INCIDENT_END = datetime(2026, 3, 10, 14, 40, tzinfo=UTC)
FAILOVER_AT = datetime(2026, 3, 10, 14, 24, 10, tzinfo=UTC)
WORKER_STALL = (
    datetime(2026, 3, 10, 14, 12, tzinfo=UTC),
    datetime(2026, 3, 10, 14, 22, tzinfo=UTC),
)
# logrotate (cron.daily at 06:25) cut orders.log into .1 and .2.gz (compress + delaycompress).
ROTATIONS = (datetime(2026, 3, 9, 6, 25, tzinfo=UTC), datetime(2026, 3, 10, 6, 25, tzinfo=UTC))

US = 1_000_000
MINUTE_US = 60 * US


def _seconds(moment: datetime) -> int:
    return int(moment.timestamp())


def _us(moment: datetime) -> int:
    return int(moment.timestamp()) * US


def _diurnal(minute_us: np.ndarray) -> np.ndarray:
    """Return the relative traffic at each minute: a night trough and an afternoon peak (UTC)."""
    hour = (minute_us // MINUTE_US % 1440) / 60.0
    return 0.2 + 1.6 * np.exp(-(((hour - 14.5) / 4.5) ** 2))


def _incident_weight(ts_us: np.ndarray) -> np.ndarray:
    """Return how bad the incident is at each time, 0 (none) to 1 (worst), ramping in and out."""
    start, end = _us(INCIDENT_START), _us(INCIDENT_END)
    ramp_in = np.clip((ts_us - start) / (7 * MINUTE_US), 0, 1)
    ramp_out = np.clip((end - ts_us) / (6 * MINUTE_US), 0, 1)
    return np.where((ts_us >= start) & (ts_us < end), np.minimum(ramp_in, ramp_out), 0.0)


def _arrivals(
    rng: np.random.Generator,
    per_minute: float,
    shape: Callable[[np.ndarray], np.ndarray] = _diurnal,
    start: datetime = START,
    end: datetime = END,
) -> np.ndarray:
    """Return sorted event times (µs since the epoch): a Poisson count per minute, spread within it."""
    minutes = np.arange(_us(start), _us(end), MINUTE_US, dtype=np.int64)
    counts = rng.poisson(per_minute * shape(minutes))
    times = np.repeat(minutes, counts) + rng.integers(0, MINUTE_US, counts.sum())
    return np.sort(times)


def _periodic(
    rng: np.random.Generator,
    every: timedelta,
    offset: timedelta = timedelta(0),
    jitter_ms: int = 400,
) -> np.ndarray:
    """Return times every `every` from START + offset, each a little late, as schedulers are."""
    step = int(every.total_seconds()) * US
    times = np.arange(_us(START) + int(offset.total_seconds()) * US, _us(END), step, dtype=np.int64)
    return times + rng.integers(0, jitter_ms * 1000 + 1, len(times))


def _at(moment: datetime, *, plus_ms: int = 0) -> np.ndarray:
    return np.array([_us(moment) + plus_ms * 1000], dtype=np.int64)


def _stamps(ts_us: np.ndarray, pattern: str) -> pl.Series:
    """Return the times formatted with a chrono `pattern`."""
    return pl.Series(ts_us, dtype=pl.Int64).cast(pl.Datetime("us", "UTC")).dt.strftime(pattern)


def _flat(minute_us: np.ndarray) -> np.ndarray:
    return np.ones(len(minute_us))


def _hourly(rng: np.random.Generator, minute: int) -> np.ndarray:
    return _periodic(rng, timedelta(hours=1), timedelta(minutes=minute), jitter_ms=900)


def _every_minute(rng: np.random.Generator) -> np.ndarray:
    return _periodic(rng, timedelta(minutes=1), timedelta(seconds=7))


def _split_by_incident(ts: np.ndarray, threshold: float = 0.3) -> tuple[np.ndarray, np.ndarray]:
    """Return the times when the incident is below `threshold`, and those when it is at or above."""
    bad = _incident_weight(ts) >= threshold
    return ts[~bad], ts[bad]
