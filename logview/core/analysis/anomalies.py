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
otherwise. Given the messages, the tokens of the busiest patterns are judged too (new token value,
token value shift, HTTP errors, numeric token: see `token_anomalies`).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import numpy as np
import polars as pl

from logview.core.analysis.anomaly_kinds import (
    CONTEXT_AFTER,
    CONTEXT_BEFORE,
    ERROR_LEVELS,
    MIN_COUNT,
    P_LIMIT,
    RECENT,
    SPIKE_RATIO,
    TOLERANCE,
    Anomaly,
    Kind,
    Priority,
    count_of,
    expected_words,
    lower_tail,
    most_urgent_first,
    priority_of,
    recent_span,
    regular,
    runs_of,
    score_of,
    stretches,
    upper_tail,
)
from logview.core.analysis.pattern_templates import Template
from logview.core.analysis.silence import Dimension, identity_fields, present, silent_values
from logview.core.analysis.token_anomalies import slot_values, token_anomalies
from logview.core.analysis.windows import Windows, count_matrix
from logview.core.shared import body
from logview.core.shared.errors import Cancelled

__all__ = ["WINDOWS", "Anomaly", "Kind", "Priority", "Watch", "detect", "most_urgent_first"]

WINDOWS = (1, 5, 10, 15, 30, 60)  # minutes a window may last
SEASON_DAYS = 7
WARMUP = 12  # windows of history before anything is judged, at the least
TRAINING = timedelta(days=1)  # the baseline learnt before judging (or half the data)
MIN_EXPECTED = 10.0
SAMPLES = 3
SAMPLE_CHARS = 500


def detect(
    ts: pl.Series,
    levels: pl.Series,
    ids: pl.Series,
    templates: dict[str, Template],
    *,
    every: timedelta = timedelta(minutes=5),
    training: timedelta | None = None,
    messages: pl.DataFrame | pl.Series | None = None,
    sources: pl.Series | None = None,
    cancelled: Callable[[], bool] = lambda: False,
) -> list[Anomaly]:
    """Return the anomalies of the rows (stamps, levels and pattern ids of the same rows),
    most important first; `cancelled` is asked between steps (Cancelled is raised).

    Nothing is judged during the training span at the start of the data: `training`, by
    default TRAINING or half the data's span when that is shorter (and never under WARMUP
    windows). With `messages` (the same rows: the table's entries with their body columns, or
    plain messages), the token kinds are judged too, on the entries' bodies, and the values
    of fields and tokens that stop. With `sources` (each row's source), a pattern first seen
    in a source's own training span is that source starting, not a new pattern; a pattern
    whose sources logged nothing is not judged silent (the source is); sources that stop are
    found.
    """
    columns = {"ts": ts, "level": levels.cast(pl.String), "id": ids}
    if sources is not None:
        # As categories: a source's name as text on every row (its path, 60 bytes and more)
        # cost 0.8 GiB at 10M entries.
        columns["src"] = sources.cast(pl.Categorical)
    if messages is not None:
        rows = body.entries(messages)
        columns["m"] = rows["message"]
        columns.update((c, rows[c]) for c in body.body_columns(rows) if c != "message")
        columns.update((f"field:{c}", rows[c]) for c in identity_fields(rows.columns))
    frame = pl.DataFrame(columns)
    if ts.null_count():  # (a filter copies every column, the messages' 16-byte views too)
        frame = frame.drop_nulls("ts")
    if frame.height == 0:
        return []
    width = int(every.total_seconds() * 1_000_000)
    windows, column = Windows.of(frame["ts"].dt.epoch("us").to_numpy(), width)
    frame = frame.with_columns(w=pl.Series(column), a=pl.Series(windows.absolute[column]))
    n_windows = len(windows)
    span = int(windows.absolute[-1]) + 1
    if training is None:
        training = min(TRAINING, every * span / 2)
    trained = math.ceil(training / every)  # windows of time
    first_judged = max(WARMUP, int(np.searchsorted(windows.absolute, trained)))
    names = sorted(frame["id"].unique().to_list())
    index = {name: i for i, name in enumerate(names)}
    counts = count_matrix(frame, "id", index, n_windows)
    severity = dict(frame.group_by("id").agg(pl.col("level").mode().sort().first()).iter_rows())
    totals = counts.sum(axis=0)
    errors = np.zeros(n_windows, dtype=np.int64)
    err = frame.filter(pl.col("level").is_in(ERROR_LEVELS)).group_by("w").len()
    errors[err["w"].to_numpy()] = err["len"].to_numpy()
    if cancelled():
        raise Cancelled()

    per_day = max(1, round(86_400_000_000 / width))
    expected, days = _expected(counts, windows, per_day, cancelled)
    scope = _Scope(frame, index, n_windows)
    young = scope.young_patterns(frame, trained)
    hits: list[Hit] = []
    seen_before = np.cumsum(counts, axis=1) - counts  # entries before each window
    settle = max(RECENT, per_day // 2)
    for p in range(len(names)):
        if p % 64 == 0 and cancelled():
            raise Cancelled()
        hits += _judge_pattern(
            p, counts[p], expected[p], seen_before[p], windows, first_judged, settle,
            scope.active(p), young.get(names[p]),
        )  # fmt: skip
    surge = [s for s in _error_surges(errors, totals) if s[0] >= first_judged]
    anomalies = _merge(hits, names, counts, templates, severity, windows, days)
    anomalies += _merge_surges(surge, errors, windows)
    slots = slot_values(frame, templates, first_judged, cancelled) if messages is not None else []
    if cancelled():
        raise Cancelled()
    anomalies += token_anomalies(slots, templates, first_judged, windows, severity)
    anomalies += silent_values([*_identities(frame), *slots], first_judged, windows, cancelled)
    anomalies = _with_context(anomalies, frame, index, counts, errors, windows)
    anomalies.sort(key=most_urgent_first)
    return anomalies


def _identities(frame: pl.DataFrame) -> list[Dimension]:
    """Return the sources and the identity fields' values, a Dimension each."""
    keep = [c for c in ("w", "ts", "src") if c in frame.columns]
    out = []

    if "src" in frame.columns:
        out.append(Dimension("source", present(frame.select(*keep, v=pl.col("src")))))
    for column in (c for c in frame.columns if c.startswith("field:")):
        # As categories, as the table keeps them (text on every row cost more than the rows).
        values = present(frame.select(*keep, v=pl.col(column).cast(pl.Categorical)))
        out.append(Dimension(column.removeprefix("field:"), values))
    return out


# (kind, pattern row, window, expected, score)
Hit = tuple[str, int, int, float, float]


class _Scope:
    """The sources a pattern logs in: which windows they logged in, and how long they had
    been logging when it first appeared."""

    def __init__(self, frame: pl.DataFrame, index: dict[str, int], n_windows: int) -> None:
        self._active: dict[tuple[str, ...], np.ndarray] = {}
        self._sources_of: dict[int, tuple[str, ...]] = {}
        if "src" not in frame.columns:
            return
        names = sorted(frame["src"].drop_nulls().unique().to_list())
        self._src_index = {n: i for i, n in enumerate(names)}
        self._counts = count_matrix(frame.drop_nulls("src"), "src", self._src_index, n_windows)
        pairs = frame.select("id", "src").drop_nulls().unique()
        for pid, src in pairs.iter_rows():
            self._sources_of.setdefault(index[pid], ())
            self._sources_of[index[pid]] += (src,)

    def active(self, p: int) -> np.ndarray | None:
        """Return where pattern row `p`'s sources logged anything (None: unknown)."""
        sources = tuple(sorted(self._sources_of.get(p, ())))
        if not sources:
            return None
        if sources not in self._active:
            rows = [self._src_index[s] for s in sources]
            self._active[sources] = self._counts[rows].sum(axis=0) > 0
        return self._active[sources]

    def young_patterns(self, frame: pl.DataFrame, trained: int) -> dict[str, int]:
        """Return the patterns whose first entries came from sources that had been logging
        for less than `trained` windows (the source starting, not something new), each with
        the absolute window its source's own training ends at: nothing is judged before."""
        if "src" not in frame.columns:
            return {}
        spans = frame.group_by("src").agg(pl.col("a").min().alias("first"), pl.col("a").max())
        began: dict[str, int] = {}
        ends: list[tuple[int, str]] = []
        for src, first, last in spans.sort("first").iter_rows():
            # A source that begins where another ended continues it (a rotated log).
            before = [began[s] for end, s in ends if abs(end - first) <= 1]
            began[src] = min(before, default=first)
            ends.append((last, src))
        first = frame.select(
            "id", "a", pl.col("src").replace_strict(began, default=None).alias("began"),
            pl.col("a").min().over("id").alias("first"),
        ).filter(pl.col("a") == pl.col("first"))  # fmt: skip
        ages = first.group_by("id").agg((pl.col("a") - pl.col("began")).max().alias("age"))
        young = ages.filter(pl.col("age") < trained)["id"].to_list()
        starts = first.filter(pl.col("id").is_in(young)).group_by("id").agg(pl.col("began").min())
        return {pid: int(began) + trained for pid, began in starts.iter_rows()}


def _judge_pattern(
    p: int,
    row: np.ndarray,
    exp: np.ndarray,
    seen_before: np.ndarray,
    windows: Windows,
    first_judged: int,
    settle: int,
    active: np.ndarray | None,
    young: int | None,
) -> list[Hit]:
    """Return the hits of one pattern's counts `row` against their expected counts `exp`."""
    n = row.size
    hits: list[Hit] = []
    cols = np.arange(n)
    present = np.flatnonzero(row)
    fresh_end = -1
    if present.size and present[0] >= first_judged and young is None:
        # New: from its first entry for as long as it keeps appearing (gaps of up to
        # TOLERANCE windows included).
        last = int(present[0])
        for w in present[1:]:
            if not windows.adjacent(last, int(w), TOLERANCE):
                break
            last = int(w)
        fresh_end = last
        hits += [(Kind.NEW_PATTERN, p, int(w), 0.0, float(row[w]))
                 for w in present if w <= fresh_end]  # fmt: skip
    judged = (cols >= first_judged) & (cols > fresh_end) & ~np.isnan(exp)
    if young is not None:  # its source's own training span: the source starting
        judged &= windows.absolute >= young
    if active is not None:
        judged &= active | (row > 0)
    safe = np.where(np.isnan(exp), 0.0, exp)
    # Only an established pattern (seen half a day before) can drop or stop: an incident's
    # own new patterns going quiet again is the incident ending.
    established = np.zeros(n, dtype=bool)
    if n > settle:
        established[settle:] = seen_before[: n - settle] > 0
    spiked = judged & (row >= MIN_COUNT) & (row >= SPIKE_RATIO * np.maximum(safe, 0.5))
    for w in np.flatnonzero(spiked):
        p_value = upper_tail(int(row[w]), max(safe[w], 0.5))
        if p_value < P_LIMIT:
            hits.append((Kind.SPIKE, p, int(w), float(safe[w]), score_of(p_value)))
    silent = np.zeros(n, dtype=bool)
    quiet = judged & established & (row == 0)
    for first, last in stretches(quiet):
        if not regular(row, first):
            continue
        silent[first : last + 1] = True
        # A silence is judged on its whole run: P(no entry) = exp(-sum expected).
        total = float(safe[first : last + 1].sum())
        if total >= -math.log(P_LIMIT):
            score = score_of(math.exp(-total))
            hits += [(Kind.STOPPED, p, w, float(safe[w]), score) for w in range(first, last + 1)]
    dropped = judged & established & ~silent & (safe >= MIN_EXPECTED)
    dropped &= row <= safe / SPIKE_RATIO
    for w in np.flatnonzero(dropped):
        p_value = lower_tail(int(row[w]), float(safe[w]))
        if p_value < P_LIMIT:
            hits.append((Kind.DROP, p, int(w), float(safe[w]), score_of(p_value)))
    return hits


def _expected(
    counts: np.ndarray, windows: Windows, per_day: int, cancelled: Callable[[], bool]
) -> tuple[np.ndarray, np.ndarray]:
    """Return the expected count of every pattern in every window, from before it only, and
    for each window the number of earlier days it was learnt from (0: the recent windows).

    The median of the same time of day on earlier days (the windows beside it included), else
    of the last RECENT windows: robust to an earlier incident. Where that median is small the
    mean of those windows and the recent ones is used instead: a median of a few small counts
    is often 0 and would make a rare pattern's ordinary burst look like a spike. A day whose
    windows were cut out (nothing at all was logged then) is left out.
    """
    patterns, n = counts.shape
    out = np.full((patterns, n), np.nan)
    days_used = np.zeros(n, dtype=np.int64)
    earlier = {
        (k, j): windows.columns(windows.absolute - k * per_day + j)
        for k in range(1, SEASON_DAYS + 1)
        for j in (-1, 0, 1)
    }
    for w in range(WARMUP, n):
        if w % 512 == 0 and cancelled():
            raise Cancelled()
        recent = counts[:, max(0, w - RECENT) : w]
        slots, days = [], 0
        for k in range(1, SEASON_DAYS + 1):
            # A day counts where its window and the one before it were kept.
            if earlier[k, -1][w] < 0 or earlier[k, 0][w] < 0:
                continue
            slots += [c for j in (-1, 0, 1) if 0 <= (c := int(earlier[k, j][w])) < w]
            days += 1
        days_used[w] = days
        seasonal = counts[:, slots] if slots else recent
        median = np.median(seasonal, axis=1)
        mean = np.concatenate([seasonal, recent], axis=1).mean(axis=1)
        out[:, w] = np.where(median >= MIN_COUNT, median, np.maximum(median, mean))
    return out, days_used


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
            p_value = upper_tail(observed, expected)  # Poisson approximation of the binomial
            if p_value < P_LIMIT:
                found.append((w, expected, score_of(p_value)))
    return found


def _merge(
    hits: list[Hit],
    names: list[str],
    counts: np.ndarray,
    templates: dict[str, Template],
    severity: dict[str, str],
    windows: Windows,
    days: np.ndarray,
) -> list[Anomaly]:
    out: list[Anomaly] = []
    close = lambda a, b: windows.adjacent(a, b, TOLERANCE)  # noqa: E731
    for run in runs_of(hits, key=lambda h: (h[1], h[0]), window=lambda h: h[2], adjacent=close):
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
                id=f"{kind}:{pid}:{windows.absolute[first]}",
                kind=kind,
                start=windows.start(first),
                end=windows.end(last),
                pattern=pid,
                template=text,
                observed=observed,
                expected=round(expected, 1),
                score=round(score, 2),
                priority=priority_of(kind, level, text, ratio),
                description=_describe(
                    kind,
                    observed,
                    expected,
                    int(windows.absolute[last] - windows.absolute[first]) + 1,
                ),
                peak=max(int(counts[p, h[2]]) for h in run),
                baseline=_baseline(kind, first, windows, int(days[first])),
            )
        )
    return out


def _baseline(kind: str, first: int, windows: Windows, days: int) -> str:
    """Return what a pattern's windows from `first` on were compared with, in words."""
    if kind == Kind.NEW_PATTERN:
        return f"the entries from {windows.start(0):%Y-%m-%d %H:%M} to {windows.start(first):%Y-%m-%d %H:%M}"
    if days:
        return f"the same time of day on {count_of(days, 'earlier day')}"
    return recent_span(first, windows)


def _merge_surges(
    surges: list[tuple[int, float, float]], errors: np.ndarray, windows: Windows
) -> list[Anomaly]:
    out: list[Anomaly] = []
    close = lambda a, b: windows.adjacent(a, b, TOLERANCE)  # noqa: E731
    for run in runs_of(surges, key=lambda s: 0, window=lambda s: s[0], adjacent=close):
        first, last = run[0][0], run[-1][0]
        observed = int(errors[first : last + 1].sum())
        expected = float(sum(s[1] for s in run))
        out.append(
            Anomaly(
                id=f"error surge:{windows.absolute[first]}",
                kind=Kind.ERROR_SURGE,
                start=windows.start(first),
                end=windows.end(last),
                pattern=None,
                template="ERROR and FATAL entries",
                observed=observed,
                expected=round(expected, 1),
                score=round(max(s[2] for s in run), 2),
                priority="HIGH",
                description=f"{count_of(observed, 'error')} where {expected_words(expected)}",
                peak=max(int(errors[s[0]]) for s in run),
                baseline=f"the share of errors in {recent_span(first, windows)}",
            )
        )
    return out


def _with_context(
    anomalies: list[Anomaly],
    frame: pl.DataFrame,
    index: dict[str, int],
    counts: np.ndarray,
    errors: np.ndarray,
    windows: Windows,
) -> list[Anomaly]:
    """Return the anomalies with their counts around them, sample entries and the source most
    of their entries came from."""
    if not anomalies:
        return anomalies
    n_windows = counts.shape[1]
    spans = [(windows.column_at(a.start), windows.column_at(a.end) - 1) for a in anomalies]
    # Samples come from the windows of some anomaly only: usually a small part of the data.
    in_some = np.zeros(n_windows, dtype=bool)
    for first, last in spans:
        in_some[first : last + 1] = True
    wanted = [c for c in ("id", "level", "w", "m", "src") if c in frame.columns]
    rows = frame.filter(pl.Series(in_some).gather(frame["w"])).select(wanted)
    out = []
    for a, (first, last) in zip(anomalies, spans, strict=True):
        row = counts[index[a.pattern]] if a.pattern in index else errors
        lo, hi = max(0, first - CONTEXT_BEFORE), min(n_windows, last + 1 + CONTEXT_AFTER)
        which = pl.col("w").is_between(first, last)
        if a.pattern is None:
            which &= pl.col("level").is_in(ERROR_LEVELS)
        else:
            which &= pl.col("id") == a.pattern
        if a.value is not None and a.kind != Kind.NUMERIC_TOKEN and "m" in rows.columns:
            which &= pl.col("m").str.contains(a.value, literal=True)
        own = rows.filter(which)
        samples: tuple[str, ...] = ()
        if "m" in rows.columns and a.kind != Kind.STOPPED:
            samples = tuple(own.head(SAMPLES)["m"].str.slice(0, SAMPLE_CHARS).to_list())
        source = a.source
        if source is None and "src" in own.columns and a.pattern is not None:
            # (A silence has no entries of its own: the pattern's entries tell its source.)
            of = own if own.height else frame.filter(pl.col("id") == a.pattern)
            top = of["src"].drop_nulls().mode()
            source = str(top.sort()[0]) if top.len() else None
        out.append(
            replace(
                a,
                counts=tuple(int(c) for c in row[lo:hi]) if a.counts == () else a.counts,
                counts_start=windows.start(lo) if a.counts_start is None else a.counts_start,
                samples=samples,
                source=source,
            )
        )
    return out


def _describe(kind: str, observed: int, expected: float, windows: int) -> str:
    span = count_of(windows, "window")
    if kind == Kind.NEW_PATTERN:
        return f"never seen before; {count_of(observed, 'entry')} in {span}"
    if kind == Kind.SPIKE:
        return f"{count_of(observed, 'entry')} where {expected_words(expected)} ({span})"
    if kind == Kind.DROP:
        found = f"only {count_of(observed, 'entry')}" if observed else "no entries"
        return f"{found} where {expected_words(expected)} ({span})"
    return f"silent for {span} where {expected_words(expected, 'entry')}"


class Watch:
    """The anomalies of a growing table (a followed file), each window judged once closed.

    A window has closed when an entry stamped at or after its end has arrived (windows are
    aligned as `detect` aligns them: on multiples of their length since the epoch); the open
    window is not judged, so that its partial counts do not read as a drop. `judge` returns
    every anomaly of the closed windows and, apart, those not reported before: the ones to
    notify about.
    """

    def __init__(self, every: timedelta = timedelta(minutes=5)) -> None:
        self.every = every
        self.judged_until: datetime | None = None
        self._reported: set[str] = set()

    def closed_until(self, ts: pl.Series) -> datetime | None:
        """Return the end of the last closed window (the start of the open one), or None."""
        latest = ts.max()
        if latest is None:
            return None
        width = int(self.every.total_seconds() * 1_000_000)
        latest_us = int(latest.timestamp() * 1_000_000)  # type: ignore[union-attr]
        return datetime.fromtimestamp((latest_us // width) * width / 1e6, tz=UTC)

    def due(self, ts: pl.Series) -> bool:
        """Return whether a window closed since the last `judge`."""
        until = self.closed_until(ts)
        return until is not None and (self.judged_until is None or until > self.judged_until)

    def judge(
        self,
        ts: pl.Series,
        levels: pl.Series,
        ids: pl.Series,
        templates: dict[str, Template],
        messages: pl.DataFrame | pl.Series | None = None,
    ) -> tuple[list[Anomaly], list[Anomaly]]:
        """Return (every anomaly of the closed windows, those among them not reported before)."""
        found, until = self.detect(ts, levels, ids, templates, messages)
        return found, self.take(found, until)

    def detect(
        self,
        ts: pl.Series,
        levels: pl.Series,
        ids: pl.Series,
        templates: dict[str, Template],
        messages: pl.DataFrame | pl.Series | None = None,
        cancelled: Callable[[], bool] = lambda: False,
    ) -> tuple[list[Anomaly], datetime | None]:
        """Return the anomalies of the closed windows and where they end, changing nothing
        (so that a window can run it in a worker and `take` the result). Given the table as
        `messages`, its sources are judged too."""
        until = self.closed_until(ts)
        if until is None:
            return [], None
        closed = (ts < until).fill_null(True)  # an entry without a stamp is never in a window
        rows = messages.filter(closed) if messages is not None else None
        found = detect(
            ts.filter(closed),
            levels.filter(closed),
            ids.filter(closed),
            templates,
            every=self.every,
            messages=rows,
            sources=rows["source"]
            if isinstance(rows, pl.DataFrame) and "source" in rows.columns
            else None,
            cancelled=cancelled,
        )
        return found, until

    def take(self, found: list[Anomaly], until: datetime | None) -> list[Anomaly]:
        """Return the anomalies of `found` not reported before, and remember them."""
        new = [a for a in found if a.id not in self._reported]
        self._reported.update(a.id for a in found)
        if until is not None:
            self.judged_until = until
        return new
