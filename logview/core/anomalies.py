"""Log anomalies: each evaluation window judged against a baseline learnt from before it.

Counts per pattern per window (a matrix: patterns x windows) are walked forward. The
expected count of a pattern in a window is seasonal where there is history (the median of the
same time of day on up to SEASON_DAYS earlier days, the window beside it included), else the
median of the last RECENT windows; never anything from the window or after it. Kinds and
their stated rules (after a training span: see `detect`):

- **new pattern**: seen in the window, never before it (after WARMUP windows of history); it
  lasts while the pattern keeps appearing window after window;
- **spike**: observed >= SPIKE_RATIO x expected, observed >= MIN_COUNT, and the Poisson upper
  tail P(X >= observed | expected) < P_LIMIT;
- **drop**: expected >= MIN_EXPECTED, observed <= expected / SPIKE_RATIO, and the Poisson lower
  tail < P_LIMIT, for a pattern seen at least half a day before (an incident's own patterns
  going quiet is not a drop; the same holds for stopped);
- **stopped**: a regular pattern (in >= REGULAR of its last RECENT windows) silent for a run
  of windows whose expected counts add up so that P(no entry) = exp(-sum) < P_LIMIT; the
  anomaly starts where the silence did;
- **error surge**: the window's share of ERROR/FATAL entries >= SPIKE_RATIO x its baseline
  share, with at least MIN_COUNT errors and a binomial tail < P_LIMIT.

Consecutive windows of the same kind and pattern merge into one anomaly with a duration.
Priority: HIGH for error-level patterns, error surges and texts naming a crash (`Exception`,
`panic`, `OOM`, `fatal`, ...); MEDIUM for warnings and for changes of 10x or more; LOW
otherwise. (Token value kinds come in a later step.)
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import numpy as np
import polars as pl

from logview.core.patterns import Template

WINDOWS = (1, 5, 10, 15, 30, 60)  # minutes a window may last
RECENT = 12  # windows of recent history
SEASON_DAYS = 7
WARMUP = 12  # windows of history before anything is judged, at the least
TRAINING = timedelta(days=1)  # the baseline learnt before judging (or half the data)
SPIKE_RATIO = 3.0
MIN_COUNT = 5
MIN_EXPECTED = 10.0
REGULAR = 0.9
P_LIMIT = 1e-6
_CRASH = re.compile(r"exception|panic|\boom\b|out of memory|fatal|segfault|traceback", re.I)
_ERROR_LEVELS = ("ERROR", "FATAL")


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


def detect(
    ts: pl.Series,
    levels: pl.Series,
    ids: pl.Series,
    templates: dict[str, Template],
    *,
    every: timedelta = timedelta(minutes=5),
    training: timedelta | None = None,
) -> list[Anomaly]:
    """Return the anomalies of the rows (stamps, levels and pattern ids of the same rows),
    most important first.

    Nothing is judged during the training span at the start of the data: `training`, by
    default TRAINING or half the data's span when that is shorter (and never under WARMUP
    windows).
    """
    frame = pl.DataFrame({"ts": ts, "level": levels.cast(pl.String), "id": ids}).drop_nulls("ts")
    if frame.height == 0:
        return []
    width = int(every.total_seconds() * 1_000_000)
    start_us = (int(frame["ts"].min().timestamp() * 1e6) // width) * width  # type: ignore[union-attr]
    frame = frame.with_columns(w=((pl.col("ts").dt.epoch("us") - start_us) // width).cast(pl.Int64))
    n_windows = int(frame["w"].max()) + 1  # type: ignore[arg-type]
    if training is None:
        training = min(TRAINING, every * n_windows / 2)
    first_judged = max(WARMUP, math.ceil(training / every))
    names = sorted(frame["id"].unique().to_list())
    index = {name: i for i, name in enumerate(names)}
    counts = np.zeros((len(names), n_windows), dtype=np.int64)
    grouped = frame.group_by("id", "w").len()
    rows = np.array([index[i] for i in grouped["id"].to_list()], dtype=np.int64)
    counts[rows, grouped["w"].to_numpy()] = grouped["len"].to_numpy()
    severity = dict(frame.group_by("id").agg(pl.col("level").mode().sort().first()).iter_rows())
    totals = counts.sum(axis=0)
    errors = np.zeros(n_windows, dtype=np.int64)
    err = frame.filter(pl.col("level").is_in(_ERROR_LEVELS)).group_by("w").len()
    errors[err["w"].to_numpy()] = err["len"].to_numpy()

    per_day = max(1, round(86_400_000_000 / width))
    expected = _expected(counts, per_day)
    hits: list[tuple[str, int, int, float, float]] = []  # kind, pattern row, window, exp, score
    seen_before = np.cumsum(counts, axis=1) - counts  # entries before each window
    settle = max(RECENT, per_day // 2)
    for p in range(len(names)):
        row, exp = counts[p], expected[p]
        fresh = False  # inside the run of windows that started with the pattern's first entry
        silence: list[int] = []  # windows of the current silent run of a regular pattern
        silent_expected = 0.0
        flagged = False
        for w in range(first_judged, n_windows):
            observed = int(row[w])
            fresh = bool(observed) and (seen_before[p, w] == 0 or fresh)
            if fresh:
                hits.append(("new pattern", p, w, 0.0, float(observed)))
                continue
            e = exp[w]
            # Only an established pattern (seen half a day before) can drop or stop: an
            # incident's own new patterns going quiet again is the incident ending.
            established = w >= settle and seen_before[p, w - settle] > 0
            if (
                observed == 0
                and not math.isnan(e)
                and established
                and (silence or _regular(row, w))
            ):
                # A silence is judged on its whole run: P(no entry) = exp(-sum expected).
                silence.append(w)
                silent_expected += e
                if not flagged and silent_expected >= -math.log(P_LIMIT):
                    flagged = True
                    hits.extend(("stopped", p, s, exp[s], _score(math.exp(-silent_expected)))
                                for s in silence)  # fmt: skip
                elif flagged:
                    hits.append(("stopped", p, w, e, _score(math.exp(-silent_expected))))
                continue
            silence, silent_expected, flagged = [], 0.0, False
            if math.isnan(e):
                continue
            if observed >= MIN_COUNT and observed >= SPIKE_RATIO * max(e, 0.5):
                p_value = _upper_tail(observed, max(e, 0.5))
                if p_value < P_LIMIT:
                    hits.append(("spike", p, w, e, _score(p_value)))
                    continue
            if established and e >= MIN_EXPECTED and observed <= e / SPIKE_RATIO:
                p_value = _lower_tail(observed, e)
                if p_value < P_LIMIT:
                    hits.append(("drop", p, w, e, _score(p_value)))
    surge = [s for s in _error_surges(errors, totals) if s[0] >= first_judged]
    anomalies = _merge(hits, names, counts, templates, severity, start_us, width)
    anomalies += _merge_surges(surge, errors, start_us, width)
    order = {"HIGH": 0, "MEDIUM": 1, "LOW": 2}
    anomalies.sort(key=lambda a: (order[a.priority], -a.score, a.start, a.template))
    return anomalies


def _expected(counts: np.ndarray, per_day: int) -> np.ndarray:
    """Return the expected count of every pattern in every window, from before it only.

    The median of the same time of day on earlier days (the windows beside it included), else
    of the last RECENT windows: robust to an earlier incident. Where that median is small the
    mean of those windows and the recent ones is used instead: a median of a few small counts
    is often 0 and would make a rare pattern's ordinary burst look like a spike.
    """
    patterns, windows = counts.shape
    out = np.full((patterns, windows), np.nan)
    for w in range(WARMUP, windows):
        recent = counts[:, max(0, w - RECENT) : w]
        days = [w - k * per_day for k in range(1, SEASON_DAYS + 1) if w - k * per_day - 1 >= 0]
        if days:
            slots = np.concatenate([counts[:, d - 1 : d + 2] for d in days], axis=1)
        else:
            slots = recent
        median = np.median(slots, axis=1)
        mean = np.concatenate([slots, recent], axis=1).mean(axis=1)
        out[:, w] = np.where(median >= MIN_COUNT, median, np.maximum(median, mean))
    return out


def _regular(row: np.ndarray, w: int) -> bool:
    recent = row[max(0, w - RECENT) : w]
    return recent.size >= RECENT // 2 and float((recent > 0).mean()) >= REGULAR


def _upper_tail(k: int, mean: float) -> float:
    """P(X >= k) for X ~ Poisson(mean) (normal approximation for large counts)."""
    if mean > 50 or k > 500:
        return 0.5 * math.erfc((k - 0.5 - mean) / math.sqrt(2 * mean))
    term = math.exp(-mean)
    below = 0.0
    for i in range(k):
        below += term
        term *= mean / (i + 1)
    return max(0.0, 1.0 - below)


def _lower_tail(k: int, mean: float) -> float:
    """P(X <= k) for X ~ Poisson(mean) (normal approximation for large counts)."""
    if mean > 50:
        return 0.5 * math.erfc((mean - k - 0.5) / math.sqrt(2 * mean))
    term = math.exp(-mean)
    total = 0.0
    for i in range(k + 1):
        total += term
        term *= mean / (i + 1)
    return min(1.0, total)


def _score(p_value: float) -> float:
    return min(30.0, -math.log10(max(p_value, 1e-30)))


def _error_surges(errors: np.ndarray, totals: np.ndarray) -> list[tuple[int, float, float]]:
    """Return (window, expected errors, score) for windows whose error share surges."""
    found = []
    for w in range(WARMUP, errors.size):
        lo = max(0, w - RECENT)
        base_errors, base_total = errors[lo:w].sum(), totals[lo:w].sum()
        if base_total == 0 or totals[w] == 0:
            continue
        share = max(base_errors / base_total, 1e-4)
        observed = int(errors[w])
        expected = share * totals[w]
        if observed >= MIN_COUNT and observed / totals[w] >= SPIKE_RATIO * share:
            p_value = _upper_tail(observed, expected)  # Poisson approximation of the binomial
            if p_value < P_LIMIT:
                found.append((w, expected, _score(p_value)))
    return found


def _at(start_us: int, width: int, w: int) -> datetime:
    return datetime.fromtimestamp((start_us + w * width) / 1e6, tz=UTC)


def _merge(
    hits: list[tuple[str, int, int, float, float]],
    names: list[str],
    counts: np.ndarray,
    templates: dict[str, Template],
    severity: dict[str, str],
    start_us: int,
    width: int,
) -> list[Anomaly]:
    hits.sort(key=lambda h: (h[1], h[0], h[2]))
    out: list[Anomaly] = []
    run: list[tuple[str, int, int, float, float]] = []
    for hit in [*hits, ("", -1, -1, 0.0, 0.0)]:
        if run and (hit[0], hit[1]) == (run[-1][0], run[-1][1]) and hit[2] == run[-1][2] + 1:
            run.append(hit)
            continue
        if run:
            kind, p, first = run[0][0], run[0][1], run[0][2]
            last = run[-1][2]
            pid = names[p]
            text = templates[pid].text if pid in templates else pid
            observed = int(counts[p, first : last + 1].sum())
            expected = float(sum(h[3] for h in run))
            score = max(h[4] for h in run)
            level = severity.get(pid) or "NONE"
            ratio = observed / expected if expected else float("inf")
            out.append(
                Anomaly(
                    id=f"{kind}:{pid}:{first}",
                    kind=kind,
                    start=_at(start_us, width, first),
                    end=_at(start_us, width, last + 1),
                    pattern=pid,
                    template=text,
                    observed=observed,
                    expected=round(expected, 1),
                    score=round(score, 2),
                    priority=_priority(kind, level, text, ratio),
                    description=_describe(kind, observed, expected, last - first + 1),
                )
            )
        run = [hit] if hit[1] >= 0 else []
    return out


def _merge_surges(
    surges: list[tuple[int, float, float]], errors: np.ndarray, start_us: int, width: int
) -> list[Anomaly]:
    out: list[Anomaly] = []
    run: list[tuple[int, float, float]] = []
    for surge in [*surges, (-10, 0.0, 0.0)]:
        if run and surge[0] == run[-1][0] + 1:
            run.append(surge)
            continue
        if run:
            first, last = run[0][0], run[-1][0]
            observed = int(errors[first : last + 1].sum())
            expected = float(sum(s[1] for s in run))
            out.append(
                Anomaly(
                    id=f"error surge:{first}",
                    kind="error surge",
                    start=_at(start_us, width, first),
                    end=_at(start_us, width, last + 1),
                    pattern=None,
                    template="ERROR and FATAL entries",
                    observed=observed,
                    expected=round(expected, 1),
                    score=round(max(s[2] for s in run), 2),
                    priority="HIGH",
                    description=f"{observed:,} errors where about {expected:,.0f} were expected",
                )
            )
        run = [surge] if surge[0] >= 0 else []
    return out


def _priority(kind: str, level: str, text: str, ratio: float) -> str:
    if level in _ERROR_LEVELS or _CRASH.search(text):
        return "HIGH"
    if level == "WARN" or kind == "stopped" or ratio >= 10 or (ratio and ratio <= 0.1):
        return "MEDIUM"
    return "LOW"


def _describe(kind: str, observed: int, expected: float, windows: int) -> str:
    span = f"{windows} window{'s' * (windows != 1)}"
    if kind == "new pattern":
        return f"never seen before; {observed:,} entries in {span}"
    if kind == "spike":
        return f"{observed:,} entries where about {expected:,.0f} were expected ({span})"
    if kind == "drop":
        return f"only {observed:,} entries where about {expected:,.0f} were expected ({span})"
    return f"silent for {span} where about {expected:,.0f} entries were expected"
