"""Anomalies of the values a pattern's tokens take: new values of an enumeration, a known value's
share surging (HTTP errors when it is a 4xx or 5xx status), a numeric token's median climbing."""

from __future__ import annotations

import re
from collections.abc import Callable

import polars as pl

from logview.core.analysis.anomaly_kinds import (
    MIN_COUNT,
    P_LIMIT,
    SPIKE_RATIO,
    TOLERANCE,
    Anomaly,
    Kind,
    count_of,
    expected_words,
    priority_of,
    runs_of,
    score_of,
    upper_tail,
)
from logview.core.analysis.pattern_templates import Template
from logview.core.analysis.silence import Dimension, present
from logview.core.analysis.windows import Windows
from logview.core.shared import body
from logview.core.shared.display import short_number
from logview.core.shared.errors import Cancelled

TOKEN_PATTERNS = 50  # the busiest patterns whose token values are judged


CATEGORICAL = 20  # a token with at most this many values in training is an enumeration


MIN_TRAINING = 50  # entries of a pattern in training before its tokens are judged


_STATUS = re.compile(r"[1-5][0-9][0-9]")


_DATE_LIKE = (
    r"^[0-9]{4}-[0-9]{2}-[0-9]{2}|^[0-9]{1,2}:[0-9]{2}(:[0-9]{2})?|^[0-9]{2}/[A-Z][a-z]{2}/"
)


def slot_values(
    frame: pl.DataFrame,
    templates: dict[str, Template],
    first_judged: int,
    cancelled: Callable[[], bool] = lambda: False,
) -> list[Dimension]:
    """Return the values of the tokens of the busiest patterns (those with at least
    MIN_TRAINING entries in training), a Dimension per token.

    One pass finds each busy pattern's rows and its entries in training; each pattern's
    rows are then gathered and their lines split once for all of its tokens."""
    from logview.core.analysis.patterns import slot_of_words

    out: list[Dimension] = []
    keep = [c for c in ("w", "ts", "src") if c in frame.columns]
    groups = (
        frame.lazy()
        .with_row_index("_row")
        .group_by("id")
        .agg(pl.col("_row"), (pl.col("w") < first_judged).sum().alias("trained"))
        .sort([pl.col("_row").list.len(), "id"], descending=[True, False])
        .head(TOKEN_PATTERNS)
        .filter(pl.col("id").is_in([p for p, t in templates.items() if t.slots]))
        .collect()
    )
    rows_of = groups["_row"]  # (each pattern's rows stay a Series: no Python ints)
    for i, (pid, trained) in enumerate(zip(groups["id"], groups["trained"], strict=True)):
        if cancelled():  # asked between patterns (a second of work or more on millions)
            raise Cancelled()
        if trained < MIN_TRAINING:
            continue
        template = templates[pid]
        picked = frame[rows_of[i]]
        words = picked.select(
            *keep, body.body_lines(picked.rename({"m": "message"})).str.split(" ")
        )
        for slot in template.slots:
            values = words.select(*keep, slot_of_words(pl.col("line"), slot).alias("v"))
            out.append(Dimension(slot.label, present(values), pid, template.text, slot.number))
    return out


def token_anomalies(
    slot_values: list[Dimension],
    templates: dict[str, Template],
    first_judged: int,
    windows: Windows,
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
    found: list[tuple[str, str, int, str, int, int, float, float]] = []
    for dimension in slot_values:
        found += _judge_token(
            dimension.values, str(dimension.pattern), int(dimension.token or 0), first_judged
        )
    return merge_tokens(found, templates, severity, windows, first_judged)


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
                p_value = upper_tail(n, max(expected, 0.5))
                if p_value < P_LIMIT:
                    kind = (
                        Kind.HTTP_ERRORS if status and str(v)[0] in "45" else Kind.TOKEN_VALUE_SHIFT
                    )
                    hits.append((kind, pid, token, v, w, n, expected, score_of(p_value)))
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


def merge_tokens(
    hits: list[tuple[str, str, int, str, int, int, float, float]],
    templates: dict[str, Template],
    severity: dict[str, str],
    windows: Windows,
    first_judged: int = 0,
) -> list[Anomaly]:
    """Return the anomalies of token hits, a run of windows of one kind, pattern, token and
    value (gaps of up to TOLERANCE windows included) being one."""

    out: list[Anomaly] = []

    def key(h: tuple) -> tuple:
        # A numeric token's runs go by token (its value is the window's median).
        return (h[0], h[1], h[2], "" if h[0] == Kind.NUMERIC_TOKEN else str(h[3]))

    close = lambda a, b: windows.adjacent(a, b, TOLERANCE)  # noqa: E731
    for run in runs_of(hits, key=key, window=lambda h: h[4], adjacent=close):
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
            what = f"{label} took the new value {value!r} in {count_of(observed, 'entry')}"
        else:
            entries = count_of(observed, "entry")
            what = f"{label} = {value!r} in {entries} where {expected_words(expected)}"
        server_error = bool(_STATUS.fullmatch(str(value))) and str(value).startswith("5")
        high = kind in (Kind.HTTP_ERRORS, Kind.NEW_TOKEN_VALUE) and server_error
        out.append(
            Anomaly(
                id=f"{kind}:{pid}:{token}:{value}:{windows.absolute[first]}",
                kind=kind,
                start=windows.start(first),
                end=windows.end(last),
                pattern=pid,
                template=text,
                observed=observed,
                expected=round(expected, 1),
                score=round(max(h[7] for h in run), 2),
                priority="HIGH" if high else priority_of(kind, level, text, 0.0),
                description=what,
                token=token,
                value=str(value),
                token_name=label,
                peak=max(h[5] for h in run),
                baseline=(
                    f"its values from {windows.start(0):%Y-%m-%d %H:%M} to "
                    f"{windows.start(min(first_judged, len(windows) - 1)):%Y-%m-%d %H:%M}"
                ),
            )
        )
    return out
