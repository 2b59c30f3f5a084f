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
token value shift, HTTP errors, numeric token: see `_token_anomalies`).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any

import numpy as np
import polars as pl

from logview.core.analysis.pattern_templates import Template
from logview.core.shared import body
from logview.core.shared.display import short_number

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
CONTEXT_BEFORE = 12
CONTEXT_AFTER = 3
SAMPLES = 3
SAMPLE_CHARS = 500
_CRASH = re.compile(r"exception|panic|\boom\b|out of memory|fatal|segfault|traceback", re.I)
_ERROR_LEVELS = ("ERROR", "FATAL")


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


def detect(
    ts: pl.Series,
    levels: pl.Series,
    ids: pl.Series,
    templates: dict[str, Template],
    *,
    every: timedelta = timedelta(minutes=5),
    training: timedelta | None = None,
    messages: pl.DataFrame | pl.Series | None = None,
) -> list[Anomaly]:
    """Return the anomalies of the rows (stamps, levels and pattern ids of the same rows),
    most important first.

    Nothing is judged during the training span at the start of the data: `training`, by
    default TRAINING or half the data's span when that is shorter (and never under WARMUP
    windows). With `messages` (the same rows: the table's entries with their body columns, or
    plain messages), the token kinds are judged too, on the entries' bodies.
    """
    columns = {"ts": ts, "level": levels.cast(pl.String), "id": ids}
    if messages is not None:
        rows = body.entries(messages)
        columns["m"] = rows["message"]
        columns.update((c, rows[c]) for c in body.body_columns(rows) if c != "message")
    frame = pl.DataFrame(columns).drop_nulls("ts")
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
                hits.append((Kind.NEW_PATTERN, p, w, 0.0, float(observed)))
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
                    hits.extend((Kind.STOPPED, p, s, exp[s], _score(math.exp(-silent_expected)))
                                for s in silence)  # fmt: skip
                elif flagged:
                    hits.append((Kind.STOPPED, p, w, e, _score(math.exp(-silent_expected))))
                continue
            silence, silent_expected, flagged = [], 0.0, False
            if math.isnan(e):
                continue
            if observed >= MIN_COUNT and observed >= SPIKE_RATIO * max(e, 0.5):
                p_value = _upper_tail(observed, max(e, 0.5))
                if p_value < P_LIMIT:
                    hits.append((Kind.SPIKE, p, w, e, _score(p_value)))
                    continue
            if established and e >= MIN_EXPECTED and observed <= e / SPIKE_RATIO:
                p_value = _lower_tail(observed, e)
                if p_value < P_LIMIT:
                    hits.append((Kind.DROP, p, w, e, _score(p_value)))
    surge = [s for s in _error_surges(errors, totals) if s[0] >= first_judged]
    anomalies = _merge(hits, names, counts, templates, severity, start_us, width)
    anomalies += _merge_surges(surge, errors, start_us, width)
    if messages is not None:
        anomalies += _token_anomalies(frame, templates, first_judged, start_us, width, severity)
    anomalies = _with_context(anomalies, frame, index, counts, errors, start_us, width)
    anomalies.sort(key=most_urgent_first)
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
    out: list[Anomaly] = []
    for run in _runs(hits, key=lambda h: (h[1], h[0]), window=lambda h: h[2]):
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
    return out


def _runs(hits: list, key: Any, window: Any) -> Iterator[list]:
    """Yield the runs of hits with the same key in consecutive windows, in key order."""
    run: list = []
    for hit in sorted(hits, key=lambda h: (key(h), window(h))):
        if run and key(hit) == key(run[-1]) and window(hit) == window(run[-1]) + 1:
            run.append(hit)
            continue
        if run:
            yield run
        run = [hit]
    if run:
        yield run


def _merge_surges(
    surges: list[tuple[int, float, float]], errors: np.ndarray, start_us: int, width: int
) -> list[Anomaly]:
    out: list[Anomaly] = []
    for run in _runs(surges, key=lambda s: 0, window=lambda s: s[0]):
        first, last = run[0][0], run[-1][0]
        observed = int(errors[first : last + 1].sum())
        expected = float(sum(s[1] for s in run))
        out.append(
            Anomaly(
                id=f"error surge:{first}",
                kind=Kind.ERROR_SURGE,
                start=_at(start_us, width, first),
                end=_at(start_us, width, last + 1),
                pattern=None,
                template="ERROR and FATAL entries",
                observed=observed,
                expected=round(expected, 1),
                score=round(max(s[2] for s in run), 2),
                priority="HIGH",
                description=f"{_count(observed, 'error')} where {_expected_words(expected)}",
            )
        )
    return out


def _with_context(
    anomalies: list[Anomaly],
    frame: pl.DataFrame,
    index: dict[str, int],
    counts: np.ndarray,
    errors: np.ndarray,
    start_us: int,
    width: int,
) -> list[Anomaly]:
    """Return the anomalies with their counts around them and sample entries."""
    if not anomalies:
        return anomalies
    n_windows = counts.shape[1]

    def window(moment: datetime) -> int:
        return round((moment.timestamp() * 1_000_000 - start_us) / width)

    spans = [(window(a.start), window(a.end) - 1) for a in anomalies]
    # Samples come from the windows of some anomaly only: usually a small part of the data.
    in_some = np.zeros(n_windows, dtype=bool)
    for first, last in spans:
        in_some[first : last + 1] = True
    rows = None
    if "m" in frame.columns:
        rows = frame.filter(pl.Series(in_some).gather(frame["w"])).select("id", "level", "w", "m")
    out = []
    for a, (first, last) in zip(anomalies, spans, strict=True):
        row = counts[index[a.pattern]] if a.pattern in index else errors
        lo, hi = max(0, first - CONTEXT_BEFORE), min(n_windows, last + 1 + CONTEXT_AFTER)
        samples: tuple[str, ...] = ()
        if rows is not None:
            which = pl.col("w").is_between(first, last)
            if a.pattern is None:
                which &= pl.col("level").is_in(_ERROR_LEVELS)
            else:
                which &= pl.col("id") == a.pattern
            if a.value is not None and a.kind != Kind.NUMERIC_TOKEN:
                which &= pl.col("m").str.contains(a.value, literal=True)
            found = rows.filter(which).head(SAMPLES)["m"].str.slice(0, SAMPLE_CHARS)
            samples = tuple(found.to_list())
        out.append(
            replace(
                a,
                counts=tuple(int(c) for c in row[lo:hi]),
                counts_start=_at(start_us, width, lo),
                samples=samples,
            )
        )
    return out


def _priority(kind: str, level: str, text: str, ratio: float) -> str:
    if level in _ERROR_LEVELS or _CRASH.search(text):
        return "HIGH"
    if level == "WARN" or kind == Kind.STOPPED or ratio >= 10 or (ratio and ratio <= 0.1):
        return "MEDIUM"
    return "LOW"


def _describe(kind: str, observed: int, expected: float, windows: int) -> str:
    span = _count(windows, "window")
    if kind == Kind.NEW_PATTERN:
        return f"never seen before; {_count(observed, 'entry')} in {span}"
    if kind == Kind.SPIKE:
        return f"{_count(observed, 'entry')} where {_expected_words(expected)} ({span})"
    if kind == Kind.DROP:
        found = f"only {_count(observed, 'entry')}" if observed else "no entries"
        return f"{found} where {_expected_words(expected)} ({span})"
    return f"silent for {span} where {_expected_words(expected, 'entry')}"


def _count(n: int, noun: str) -> str:
    """Return "1 entry", "12 entries", "1,204 errors": a count with its noun agreeing."""
    return f"{n:,} {noun if n == 1 else _plural(noun)}"


def _plural(noun: str) -> str:
    return f"{noun[:-1]}ies" if noun.endswith("y") else f"{noun}s"


def _expected_words(expected: float, noun: str = "") -> str:
    """Return what was expected: "about 99 were expected", "about 1 entry was expected",
    "almost none were expected" (under one half, rather than "about 0")."""
    n = round(expected)
    if n == 0:
        return f"almost no {_plural(noun)} were expected" if noun else "almost none were expected"
    return f"about {_count(n, noun) if noun else f'{n:,}'} {'was' if n == 1 else 'were'} expected"


# --- token values ------------------------------------------------------------------------

TOKEN_PATTERNS = 50  # the busiest patterns whose token values are judged
CATEGORICAL = 20  # a token with at most this many values in training is an enumeration
MIN_TRAINING = 50  # entries of a pattern in training before its tokens are judged
_STATUS = re.compile(r"[1-5][0-9][0-9]")
_DATE_LIKE = (
    r"^[0-9]{4}-[0-9]{2}-[0-9]{2}|^[0-9]{1,2}:[0-9]{2}(:[0-9]{2})?|^[0-9]{2}/[A-Z][a-z]{2}/"
)


def _token_anomalies(
    frame: pl.DataFrame,
    templates: dict[str, Template],
    first_judged: int,
    start_us: int,
    width: int,
    severity: dict[str, str],
) -> list[Anomaly]:
    """Return the token kinds, for the tokens of the busiest patterns:

    - **new token value**: an enumeration token (<= CATEGORICAL values in training) takes a
      value never seen before, in at least MIN_COUNT entries of a window;
    - **token value shift** (**HTTP errors** when the token is an HTTP status and the value a
      4xx or 5xx): a known value's count in a window is >= SPIKE_RATIO x its training share of
      the window's entries, >= MIN_COUNT, Poisson upper tail < P_LIMIT;
    - **numeric token**: a numeric token's median in a window above SPIKE_RATIO x its
      training 99th percentile, over at least MIN_COUNT entries.
    """
    from logview.core.analysis.patterns import slot_of_line

    found: list[tuple[str, str, int, str, int, int, float, float]] = []
    busiest = frame.group_by("id").len().sort(["len", "id"], descending=[True, False])
    for pid in busiest.head(TOKEN_PATTERNS)["id"].to_list():
        template = templates.get(pid)
        if template is None or not template.slots:
            continue
        picked = frame.filter(pl.col("id") == pid)
        rows = picked.select("w").with_columns(m=body.body_lines(picked.rename({"m": "message"})))
        if rows.filter(pl.col("w") < first_judged).height < MIN_TRAINING:
            continue
        for slot in template.slots:
            values = rows.select("w", slot_of_line(pl.col("m"), slot).alias("v")).drop_nulls()
            found += _judge_token(values, pid, slot.number, first_judged)
    return _merge_tokens(found, templates, severity, start_us, width)


def _judge_token(
    values: pl.DataFrame, pid: str, token: int, first_judged: int
) -> list[tuple[str, str, int, str, int, int, float, float]]:
    """Return (kind, pattern, token, value, window, observed, expected, score) hits."""
    train = values.filter(pl.col("w") < first_judged)["v"]
    later = values.filter(pl.col("w") >= first_judged)
    if train.len() == 0 or later.height == 0:
        return []
    hits = []
    totals = dict(later.group_by("w").len().iter_rows())
    distinct = train.n_unique()
    if train.head(200).str.contains(_DATE_LIKE).all():
        return []  # dates and times change by nature
    if distinct <= CATEGORICAL:
        shares = {v: n / train.len() for v, n in train.value_counts().iter_rows()}
        status = all(_STATUS.fullmatch(str(v)) for v in shares)
        seen = set(shares)
        per = later.group_by("w", "v").len().sort(["w", "v"])
        for w, v, n in per.iter_rows():
            if v not in seen:
                if n >= MIN_COUNT:
                    hits.append((Kind.NEW_TOKEN_VALUE, pid, token, v, w, n, 0.0, float(n)))
                    seen.add(v)
                continue
            if v not in shares:
                continue
            expected = shares[v] * totals[w]
            if n >= MIN_COUNT and n >= SPIKE_RATIO * max(expected, 0.5):
                p_value = _upper_tail(n, max(expected, 0.5))
                if p_value < P_LIMIT:
                    kind = (
                        Kind.HTTP_ERRORS if status and str(v)[0] in "45" else Kind.TOKEN_VALUE_SHIFT
                    )
                    hits.append((kind, pid, token, v, w, n, expected, _score(p_value)))
        return hits
    numbers = train.cast(pl.Float64, strict=False)
    if numbers.null_count() > 0:
        return []
    high = float(numbers.quantile(0.99) or 0.0)
    medians = (
        later.with_columns(pl.col("v").cast(pl.Float64, strict=False))
        .group_by("w")
        .agg(pl.col("v").median().alias("median"), pl.len().alias("n"))
        .sort("w")
    )
    for w, median, n in medians.iter_rows():
        if median is not None and n >= MIN_COUNT and high > 0 and median > SPIKE_RATIO * high:
            hits.append((Kind.NUMERIC_TOKEN, pid, token, f"{median:g}", w, n, high, median / high))
    return hits


def _merge_tokens(
    hits: list[tuple[str, str, int, str, int, int, float, float]],
    templates: dict[str, Template],
    severity: dict[str, str],
    start_us: int,
    width: int,
) -> list[Anomaly]:
    out: list[Anomaly] = []

    def key(h: tuple) -> tuple:
        # A numeric token's runs go by token (its value is the window's median).
        return (h[0], h[1], h[2], "" if h[0] == Kind.NUMERIC_TOKEN else str(h[3]))

    for run in _runs(hits, key=key, window=lambda h: h[4]):
        kind, pid, token, value = run[0][:4]
        template = templates.get(pid)
        label = template.slots[token - 1].label if template else f"<{token}>"
        first, last = run[0][4], run[-1][4]
        observed = sum(h[5] for h in run)
        # A numeric token's expectation is its training 99th percentile, the same each window.
        expected = run[0][6] if kind == Kind.NUMERIC_TOKEN else sum(h[6] for h in run)
        text = templates[pid].text if pid in templates else pid
        level = severity.get(pid) or "NONE"
        if kind == Kind.NUMERIC_TOKEN:
            median, ceiling = short_number(float(value)), short_number(expected)
            what = f"{label} reached a median of {median} (99% of it stayed under {ceiling} before)"
        elif kind == Kind.NEW_TOKEN_VALUE:
            what = f"{label} took the new value {value!r} in {_count(observed, 'entry')}"
        else:
            entries = _count(observed, "entry")
            what = f"{label} = {value!r} in {entries} where {_expected_words(expected)}"
        server_error = bool(_STATUS.fullmatch(str(value))) and str(value).startswith("5")
        high = kind in (Kind.HTTP_ERRORS, Kind.NEW_TOKEN_VALUE) and server_error
        out.append(
            Anomaly(
                id=f"{kind}:{pid}:{token}:{value}:{first}",
                kind=kind,
                start=_at(start_us, width, first),
                end=_at(start_us, width, last + 1),
                pattern=pid,
                template=text,
                observed=observed,
                expected=round(expected, 1),
                score=round(max(h[7] for h in run), 2),
                priority="HIGH" if high else _priority(kind, level, text, 0.0),
                description=what,
                token=token,
                value=str(value),
                token_name=label,
            )
        )
    return out


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
    ) -> tuple[list[Anomaly], datetime | None]:
        """Return the anomalies of the closed windows and where they end, changing nothing
        (so that a window can run it in a worker and `take` the result)."""
        until = self.closed_until(ts)
        if until is None:
            return [], None
        closed = (ts < until).fill_null(True)  # an entry without a stamp is never in a window
        found = detect(
            ts.filter(closed),
            levels.filter(closed),
            ids.filter(closed),
            templates,
            every=self.every,
            messages=messages.filter(closed) if messages is not None else None,
        )
        return found, until

    def take(self, found: list[Anomaly], until: datetime | None) -> list[Anomaly]:
        """Return the anomalies of `found` not reported before, and remember them."""
        new = [a for a in found if a.id not in self._reported]
        self._reported.update(a.id for a in found)
        if until is not None:
            self.judged_until = until
        return new
