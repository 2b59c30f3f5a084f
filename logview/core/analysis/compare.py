"""Compare a time range with a baseline: an earlier period of the same data, or another set of
sources aligned by offset from each range's start.

Patterns are matched across the two by template: the rows of both are mined once, together,
so a pattern has one id on both sides. Per pattern: counts now and then, rates per hour (the
ranges may differ in length), the change, and a status with a stated test:

- **new**: absent from the baseline, present now; **gone**: the opposite;
- **up** / **down**: the Poisson rate test says the rates differ (two-sided p < ALPHA: given
  n = now + then events, `now` is Binomial(n, t_now / (t_now + t_then)) when the rates are
  equal; exact for n <= 500, normal with continuity correction above) *and* the rate changed
  by at least MIN_CHANGE (5%); so 3 -> 5 is steady and 300 -> 500 is up;
- **steady** otherwise.

A baseline that holds no entries makes every pattern new: the comparison then says so
(`Comparison.warning`) instead of counting them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np
import polars as pl

from logview.core.analysis.pattern_templates import Template
from logview.core.analysis.pattern_view import format_change
from logview.core.analysis.patterns import PATTERN, mine_entries
from logview.core.shared.body import body_columns
from logview.core.shared.errors import LogviewError

ALPHA = 0.01
MIN_CHANGE = 0.05  # a rate change under 5% is steady whatever the test says

BASELINES = {
    "previous-hour": timedelta(hours=1),
    "previous-day": timedelta(days=1),
    "previous-week": timedelta(weeks=1),
    "previous-month": timedelta(days=30),
}


@dataclass(frozen=True)
class Range:
    start: datetime
    end: datetime  # exclusive

    @property
    def hours(self) -> float:
        return max((self.end - self.start).total_seconds() / 3600, 1e-9)


@dataclass(frozen=True)
class PatternChange:
    id: str
    template: str
    now: int
    then: int
    change_pct: float | None  # rate change in percent; None when the baseline rate is 0
    p_value: float
    status: str  # new, gone, up, down, steady
    severity: str


@dataclass(frozen=True)
class Comparison:
    now: Range
    then: Range
    label: str  # "previous day", "the baseline sources", ...
    patterns: tuple[PatternChange, ...]  # new first, then significant changes, biggest first
    errors_now: int
    errors_then: int

    def counts(self) -> dict[str, int]:
        out = {"new": 0, "gone": 0, "up": 0, "down": 0, "steady": 0}
        for change in self.patterns:
            out[change.status] += 1
        return out

    @property
    def warning(self) -> str | None:
        """Return why the comparison says nothing, for the window to show (None when it
        says something): the baseline holds no entries, so every pattern would read as new."""
        if any(change.then for change in self.patterns):
            return None
        span = f"{self.then.start:%Y-%m-%d %H:%M} \u2013 {self.then.end:%Y-%m-%d %H:%M}"
        return (
            f"the baseline ({_named(self.label)}, {span}) holds no entries: nothing to compare with"
        )

    def summary(self) -> str:
        """Return the one-line summary: "12 new patterns, 3 gone, 1 up, 0 down, errors
        \u221210% vs previous day", or the warning when there is nothing to compare with."""
        if self.warning:
            return self.warning
        counts = self.counts()
        parts = [
            f"{counts['new']} new pattern{'s' * (counts['new'] != 1)}",
            f"{counts['gone']} gone",
            f"{counts['up']} up, {counts['down']} down",
        ]
        errors = errors_change(self.errors_now, self.errors_then, self.now.hours, self.then.hours)
        return ", ".join([*parts, *([errors] if errors else [])]) + f" vs {self.label}"


def errors_change(now: int, then: int, hours_now: float, hours_then: float) -> str | None:
    """Return how the error rate changed, as the summary says it: "errors +40%", "errors
    \u221210%", "errors \u00d7490" from ten times the rate on (a percentage of a small base,
    +48850%, says less than the factor; the Patterns tab's change column turns to a factor at
    the same point), "errors steady" where the change rounds to nothing (not "+0%"), "errors
    \u00f7200" for a fall that would round to \u2212100% while errors remain, "12 errors (none
    before)", "no errors (40 before)"; None when there were none on either side."""
    if not then:
        return f"{now:,} error{'s' * (now != 1)} (none before)" if now else None
    if not now:
        return f"no errors ({then:,} before)"
    ratio = (now / hours_now) / (then / hours_then)
    pct = 100 * (ratio - 1)
    if round(pct) == 0:
        return "errors steady"
    if round(pct) == -100:
        return f"errors \u00f7{1 / ratio:,.0f}"
    return f"errors {format_change(pct)}"


def _named(label: str) -> str:
    """Return a baseline's label as a noun: "the previous day", "3:00:00 earlier"."""
    return f"the {label}" if label.startswith("previous") else label


# Durations as people write them: "3h", "90m", "1.5d", "1h30m", "2w", or "0:05:00" (a sign in
# front for a clock offset). One grammar for the command line and the window.
_UNITS = {"w": "weeks", "d": "days", "h": "hours", "m": "minutes", "s": "seconds"}
_CLOCK = r"(\d+):(\d{2})(?::(\d{2}))?"
_PARTS = r"(?:(\d+(?:\.\d+)?)\s*w)?\s*" + r"\s*".join(
    rf"(?:(\d+(?:\.\d+)?)\s*{unit})?" for unit in "dhms"
)


def _duration(text: str) -> tuple[int, timedelta] | None:
    """Return (sign, duration) of `text` in the grammar above, None when it is not one."""
    import re

    text = text.strip()
    sign = -1 if text.startswith("-") else 1
    body = text.lstrip("+-").strip()
    if match := re.fullmatch(_CLOCK, body):
        hours, minutes, seconds = (int(g or 0) for g in match.groups())
        return sign, timedelta(hours=hours, minutes=minutes, seconds=seconds)
    match = re.fullmatch(_PARTS, body)
    if not body or match is None or not any(match.groups()):
        return None
    amounts = {unit: float(g) for unit, g in zip(_UNITS.values(), match.groups(), strict=True) if g}
    return sign, timedelta(**amounts)


def parse_duration(text: str) -> timedelta:
    """Return a duration written like "3h", "90m", "2d", "1w", "45s", "1h30m"."""
    read = _duration(text or "")
    if read is None or read[0] < 0 or (text or "").strip().startswith("+"):
        raise LogviewError(f"not a duration: {text!r} (write 3h, 90m, 2d, 1w or 45s)")
    return read[1]


def format_duration(duration: timedelta) -> str:
    """Return a duration in the grammar `parse_duration` reads: "3h", "1h30m", "2d", "45s"."""
    seconds = int(abs(duration).total_seconds())
    parts = []
    for unit, size in (("d", 86_400), ("h", 3_600), ("m", 60), ("s", 1)):
        count, seconds = divmod(seconds, size)
        if count:
            parts.append(f"{count}{unit}")
    return "".join(parts) or "0s"


def parse_offset(text: str) -> timedelta:
    """Return a clock offset written like "+2h", "-90s", "1h30m", "-0:05:00"."""
    read = _duration(text)
    if read is None:
        raise ValueError(f"not an offset: {text!r} (write +2h, -90s, 1h30m or -0:05:00)")
    return read[0] * read[1]


def baseline_range(now: Range, against: str, offset: timedelta | None = None) -> Range:
    """Return the baseline of `now`: the same length, earlier by the period or `offset`."""
    if against == "previous-period":
        shift = now.end - now.start
    elif against == "offset":
        if offset is None or offset <= timedelta(0):
            raise LogviewError("a custom baseline needs a positive offset such as 3h")
        shift = offset
    elif against in BASELINES:
        shift = BASELINES[against]
    else:
        known = ", ".join(["previous-period", *BASELINES])
        raise LogviewError(f"unknown baseline {against!r} (known: {known}, or an offset)")
    return Range(now.start - shift, now.end - shift)


def sources_range(now: Range, table: pl.DataFrame, other: pl.DataFrame) -> Range:
    """Return the range of `other` (another set of sources) compared with `table`'s `now`: as
    long, and as far from the other sources' first entry as `now` starts from `table`'s
    (the two were recorded at different times; their runs are lined up on their starts).

    The command line and the window both compare other sources with this range."""
    first, their_first = table["ts"].min(), other["ts"].min()
    if first is None or their_first is None:
        raise LogviewError("the other sources have no time-stamped entry to compare with")
    start = their_first + (now.start - first)  # type: ignore[operator]
    return Range(start, start + (now.end - now.start))


def default_range(table: pl.DataFrame, against: str) -> Range:
    """Return the range compared when none is given: the data's last period (its second half
    for previous-period)."""
    stamps = table["ts"].drop_nulls()
    if stamps.len() == 0:
        raise LogviewError("no entry has a time stamp: nothing to compare")
    first, last = stamps.min(), stamps.max()
    end = last + timedelta(microseconds=1)  # type: ignore[operator]
    if against in BASELINES:
        return Range(max(first, end - BASELINES[against]), end)  # type: ignore[type-var]
    return Range(first + (end - first) / 2, end)  # type: ignore[operator]


def rate_test(now: int, then: int, hours_now: float, hours_then: float) -> float:
    """Return the two-sided p-value that two Poisson counts come from the same rate."""
    n = now + then
    if n == 0:
        return 1.0
    p = hours_now / (hours_now + hours_then)
    if n <= 500:
        pmf = [math.exp(_log_binom(n, k, p)) for k in range(n + 1)]
        observed = pmf[now]
        return min(1.0, sum(q for q in pmf if q <= observed * (1 + 1e-7)))
    mean, sd = n * p, math.sqrt(n * p * (1 - p))
    z = (abs(now - mean) - 0.5) / sd if sd else 0.0
    return math.erfc(max(z, 0.0) / math.sqrt(2))


def _log_binom(n: int, k: int, p: float) -> float:
    if p <= 0:
        return 0.0 if k == 0 else -math.inf
    if p >= 1:
        return 0.0 if k == n else -math.inf
    return (
        math.lgamma(n + 1) - math.lgamma(k + 1) - math.lgamma(n - k + 1)
        + k * math.log(p) + (n - k) * math.log1p(-p)
    )  # fmt: skip


def status_of(now: int, then: int, hours_now: float, hours_then: float) -> tuple[str, float]:
    """Return (status, p-value) of a pattern's counts in the two ranges."""
    p_value = rate_test(now, then, hours_now, hours_then)
    if then == 0 and now > 0:
        return "new", p_value
    if now == 0 and then > 0:
        return "gone", p_value
    change = (now / hours_now) / (then / hours_then) - 1 if then else 0.0
    if p_value < ALPHA and abs(change) >= MIN_CHANGE:
        return ("up" if change > 0 else "down"), p_value
    return "steady", p_value


def compare_tables(
    now_rows: pl.DataFrame,
    then_rows: pl.DataFrame,
    now: Range,
    then: Range,
    *,
    label: str,
) -> tuple[Comparison, pl.Series, dict[str, Template]]:
    """Return the comparison of two sets of rows (each with ts, level, message and the body
    columns where the table has them), mined together; also the pattern id of each row (now's
    rows first) and the templates."""
    both = pl.concat(
        [side.select("ts", "level", *body_columns(side)) for side in (now_rows, then_rows)],
        how="diagonal_relaxed",
    )
    mined = mine_entries(both)
    side = np.r_[np.zeros(now_rows.height, dtype=bool), np.ones(then_rows.height, dtype=bool)]
    frame = pl.DataFrame({PATTERN: mined.ids, "then": side, "level": both["level"].cast(pl.String)})
    counts = frame.group_by(PATTERN).agg(
        (~pl.col("then")).sum().alias("now"),
        pl.col("then").sum().alias("before"),
        pl.col("level").mode().sort().first().alias("severity"),
    )
    changes = []
    for pid, n_now, n_then, severity in counts.iter_rows():
        status, p_value = status_of(int(n_now), int(n_then), now.hours, then.hours)
        pct = 100 * ((n_now / now.hours) / (n_then / then.hours) - 1) if n_then else None
        changes.append(
            PatternChange(
                pid,
                mined.by_id[pid].text,
                int(n_now),
                int(n_then),
                pct,
                p_value,
                status,
                severity or "NONE",
            )  # fmt: skip
        )
    changes.sort(key=_rank)
    errors = frame.filter(pl.col("level").is_in(["ERROR", "FATAL"]))
    errors_then = int(errors["then"].sum())
    comparison = Comparison(
        now, then, label, tuple(changes), errors.height - errors_then, errors_then
    )
    return comparison, mined.ids, mined.by_id


def compare_rows(
    table: pl.DataFrame,
    ids: pl.Series,
    templates: dict[str, Template],
    now_rows: np.ndarray,
    then_rows: np.ndarray,
    now: Range,
    then: Range,
    *,
    label: str,
) -> Comparison:
    """Return the comparison of two row sets of one table whose patterns are already mined
    (`ids`, one per table row): nothing is re-mined, the ids are counted on both sides."""
    sides = []
    for rows in (now_rows, then_rows):
        index = pl.Series(rows, dtype=pl.UInt32)
        sides.append(
            pl.DataFrame(
                {PATTERN: ids.gather(index), "level": table["level"].cast(pl.String).gather(index)}
            )
        )
    counts = [
        side.group_by(PATTERN).agg(pl.len().alias("n"), pl.col("level").mode().sort().first())
        for side in sides
    ]
    merged = counts[0].join(counts[1], on=PATTERN, how="full", coalesce=True, suffix="_then")
    changes = []
    for pid, n_now, level_now, n_then, level_then in merged.iter_rows():
        n_now, n_then = int(n_now or 0), int(n_then or 0)
        status, p_value = status_of(n_now, n_then, now.hours, then.hours)
        pct = 100 * ((n_now / now.hours) / (n_then / then.hours) - 1) if n_then else None
        template = templates[pid].text if pid in templates else pid
        changes.append(
            PatternChange(
                pid,
                template,
                n_now,
                n_then,
                pct,
                p_value,
                status,
                level_now or level_then or "NONE",
            )  # fmt: skip
        )
    changes.sort(key=_rank)
    errors = [int(side["level"].is_in(["ERROR", "FATAL"]).sum()) for side in sides]
    return Comparison(now, then, label, tuple(changes), errors[0], errors[1])


# How a pattern's change ranks in a comparison, first to last: the one order of the command
# line, the Patterns tab's rows and its Status column's sort.
STATUS_RANK = {"new": 0, "up": 1, "down": 1, "gone": 2, "steady": 3}


def _rank(change: PatternChange) -> tuple:
    order = STATUS_RANK[change.status]
    size = abs(change.now - change.then)
    return (order, -size, change.template)


@dataclass(frozen=True)
class Explanation:
    change: PatternChange
    share: float  # of the whole difference in entries (rate-normalised), signed


def explain(comparison: Comparison, *, top: int = 20) -> list[Explanation]:
    """Return the patterns ranked by how much of the difference between the window and its
    baseline they explain: each one's change in entries (the baseline scaled to the window's
    length) over the sum of the absolute changes."""
    scale = comparison.now.hours / comparison.then.hours
    deltas = [(c, c.now - c.then * scale) for c in comparison.patterns]
    total = sum(abs(d) for _, d in deltas) or 1.0
    ranked = sorted(deltas, key=lambda cd: (-abs(cd[1]), cd[0].template))
    return [Explanation(c, d / total) for c, d in ranked[:top]]
