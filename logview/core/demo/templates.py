"""Log line templates and the seeded variables that fill them, vectorised per template.

A template is a weighted line with {placeholders}; `_render` draws a template per event time
and fills each placeholder column at once. `_table` and `_timeline` read templates from the
plain-text tables the service modules hold.
"""

from __future__ import annotations

import string
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np
import polars as pl

from logview.core.demo.scenario import FAILOVER_AT, _at, _incident_weight, _us

# A string column: one value per event, drawn for the event times it is given.
Variable = Callable[[np.ndarray], pl.Series]


@dataclass(frozen=True)
class _Pools:
    """Identifiers shared by every service, so one order id can be followed across sources."""

    orders: pl.Series
    customers: pl.Series
    skus: pl.Series
    clients: pl.Series
    users: pl.Series

    @staticmethod
    def draw(rng: np.random.Generator) -> _Pools:
        # Python loops here run over a few thousand pool values, not over log lines.
        orders = [f"ord-{v:08x}" for v in rng.integers(0x10000000, 0xFFFFFFFF, 6000)]
        customers = [f"cus-{v:06d}" for v in rng.integers(100000, 999999, 2500)]
        skus = [f"SKU-{v:05d}" for v in rng.integers(10000, 99999, 800)]
        nets = ["81.2", "92.184", "178.62", "5.146", "86.75", "37.120", "109.190", "2.24", "77.13"]
        clients = [
            f"{nets[n]}.{a}.{b}"
            for n, a, b in zip(
                rng.integers(0, len(nets), 3000),
                rng.integers(0, 256, 3000),
                rng.integers(1, 255, 3000),
                strict=True,
            )
        ]
        users = [f"usr-{v:05d}" for v in rng.integers(10000, 99999, 1500)]
        return _Pools(*(pl.Series(values) for values in (orders, customers, skus, clients, users)))


def _variables(rng: np.random.Generator, pools: _Pools) -> dict[str, Variable]:
    """Return the placeholders templates may use, each drawing its values for given times."""

    def pick(pool: pl.Series) -> Variable:
        return lambda ts: pool.gather(rng.integers(0, len(pool), len(ts)))

    def ints(low: int, high: int) -> Variable:
        return lambda ts: pl.Series(rng.integers(low, high + 1, len(ts))).cast(pl.String)

    def choice(*values: str) -> Variable:
        return pick(pl.Series(values))

    def latency(median_ms: float, incident_factor: float = 1.0) -> Variable:
        def draw(ts: np.ndarray) -> pl.Series:
            factor = 1 + (incident_factor - 1) * _incident_weight(ts)
            return (
                pl.Series(np.round(rng.lognormal(np.log(median_ms), 0.45, len(ts)) * factor))
                .cast(pl.Int64)
                .cast(pl.String)
            )

        return draw

    def amount(ts: np.ndarray) -> pl.Series:
        cents = pl.Series(rng.integers(499, 45000, len(ts)))
        return (cents // 100).cast(pl.String) + "." + (cents % 100).cast(pl.String).str.zfill(2)

    def seconds(ts: np.ndarray) -> pl.Series:
        return pl.Series(np.round(rng.lognormal(0.0, 0.8, len(ts)), 2)).cast(pl.String)

    def db_host(ts: np.ndarray) -> pl.Series:
        return pl.Series(np.where(ts >= _us(FAILOVER_AT), "payments-db-2", "payments-db-1"))

    def waiting(ts: np.ndarray) -> pl.Series:
        level = _incident_weight(ts)
        return (
            pl.Series(np.round(level * rng.integers(40, 160, len(ts))))
            .cast(pl.Int64)
            .cast(pl.String)
        )

    def busy(ts: np.ndarray) -> pl.Series:
        level = _incident_weight(ts)
        normal = rng.integers(3, 19, len(ts))
        return pl.Series(np.where(level > 0.3, 50, normal)).cast(pl.String)

    def idle(ts: np.ndarray) -> pl.Series:
        level = _incident_weight(ts)
        return pl.Series(np.where(level > 0.3, 0, rng.integers(20, 47, len(ts)))).cast(pl.String)

    def hex_digits(width: int) -> Variable:
        alphabet = np.array(list("0123456789abcdef"))

        def draw(ts: np.ndarray) -> pl.Series:
            # A (n, width) array of one-character strings viewed as n strings of `width` chars.
            chars = np.ascontiguousarray(alphabet[rng.integers(0, 16, (len(ts), width))])
            return pl.Series(chars.view(f"<U{width}").ravel())

        return draw

    def request_id(ts: np.ndarray) -> pl.Series:
        raw = pl.DataFrame({"hex": hex_digits(32)(ts)})
        spans = ((0, 8), (8, 4), (12, 4), (16, 4), (20, 12))
        parts = [pl.col("hex").str.slice(start, length) for start, length in spans]
        return raw.select(pl.concat_str(parts, separator="-"))["hex"]

    return {
        "order": pick(pools.orders),
        "customer": pick(pools.customers),
        "sku": pick(pools.skus),
        "ip": pick(pools.clients),
        "user": pick(pools.users),
        "amount": amount,
        "secs": seconds,
        "ms": latency(35),
        "slow_ms": latency(1800),
        "pay_ms": latency(45, incident_factor=60),
        "db_ms": latency(3, incident_factor=900),
        "db_host": db_host,
        "waiting": waiting,
        "active": busy,
        "idle": idle,
        "qty": ints(1, 6),
        "count": ints(0, 40),
        "small": ints(1, 9),
        "page": ints(1, 8),
        "thread": (lambda ts: "http-nio-8080-exec-" + ints(1, 40)(ts)),
        "job": (lambda ts: "job-" + ints(1_000_000, 9_999_999)(ts)),
        "pid": ints(1200, 32000),
        "port": ints(32768, 60999),
        "session": ints(1000, 9999),
        "attempt": ints(1, 2),
        "queue": choice("default", "default", "emails", "reports", "webhooks"),
        "category": choice("shoes", "jackets", "bags", "hats", "outdoor", "kids", "sale", "new"),
        "query": choice(
            "running+shoes", "rain+jacket", "backpack", "wool+hat", "gift+card", "sandals"
        ),
        "card": choice("visa", "mastercard", "amex", "paypal", "sepa"),
        "carrier": choice("DHL", "UPS", "DPD", "PostNL"),
        "hex8": hex_digits(8),
        "hex32": hex_digits(32),
        "rid": request_id,
    }


@dataclass(frozen=True)
class _Template:
    weight: float
    level: str
    text: str  # with {placeholders} from _variables
    logger: str = ""
    fields: tuple[str, ...] = ()  # placeholders also written as JSON fields (payments)


def _fill(
    text: str, ts: np.ndarray, variables: dict[str, Variable]
) -> tuple[pl.Series, dict[str, pl.Series]]:
    """Return `text` filled in for each time, and the values drawn for each placeholder."""
    pieces: list[pl.Expr] = []
    values: dict[str, pl.Series] = {}
    for literal, name, _spec, _conversion in string.Formatter().parse(text):
        if literal:
            pieces.append(pl.lit(literal))
        if name:
            if name not in values:
                values[name] = variables[name](ts)
            pieces.append(pl.col(name))
    if not values:
        return pl.Series("text", [text.replace("{{", "{").replace("}}", "}")] * len(ts)), values
    filled = pl.DataFrame(values).select(pl.concat_str(pieces).alias("text"))["text"]
    return filled, values


def _render(
    rng: np.random.Generator,
    ts: np.ndarray,
    templates: Sequence[_Template],
    variables: dict[str, Variable],
    first: int = 0,
) -> pl.DataFrame:
    """Return one row per time (`ts`, `level`, `text`, `template`, placeholder values), sorted by time.

    Each time gets a template drawn by weight; the loop runs over templates, not events.
    """
    weights = np.array([t.weight for t in templates], dtype=float)
    chosen = rng.choice(len(templates), size=len(ts), p=weights / weights.sum())
    parts = []
    for index, template in enumerate(templates):
        rows = ts[chosen == index]
        if len(rows):
            parts.append(_rows(template, rows, variables, first + index))
    return _sorted(parts)


def _rows(
    template: _Template, ts: np.ndarray, variables: dict[str, Variable], index: int = -1
) -> pl.DataFrame:
    """Return `template` rendered at each time, with the values of its placeholders and fields."""
    text, values = _fill(template.text, ts, variables)
    for name in template.fields:
        if name not in values:
            values[name] = variables[name](ts)
    return pl.DataFrame(
        {
            "ts": ts,
            "level": [template.level] * len(ts),
            "logger": [template.logger] * len(ts),
            "text": text,
            "template": [index] * len(ts),
        }
    ).with_columns(**values)


def _events(
    events: Sequence[tuple[datetime, _Template]], variables: dict[str, Variable]
) -> pl.DataFrame:
    """Return rows for one-off events at fixed times (a failover, a restart)."""
    return _sorted(
        [_rows(t, _at(moment), variables, i - len(events)) for i, (moment, t) in enumerate(events)]
    )


def _sorted(parts: Sequence[pl.DataFrame]) -> pl.DataFrame:
    return pl.concat(parts, how="diagonal").sort("ts", "template", maintain_order=True)


def _table(text: str, columns: int = 3) -> tuple[_Template, ...]:
    """Return templates from a table of `weight | level | text [| logger | fields]` rows.

    Only the first `columns` cells are split off, so a text may itself hold " | ".
    """
    templates = []
    for row in text.strip().splitlines():  # over template rows, a few dozen
        weight, level, body, *rest = (cell.strip() for cell in row.split(" | ", columns - 1))
        logger = rest[0] if rest else ""
        fields = tuple(rest[1].split()) if len(rest) > 1 else ()
        templates.append(_Template(float(weight), level, body, logger, fields))
    return tuple(templates)


def _timeline(text: str, columns: int = 3) -> list[tuple[datetime, _Template]]:
    """Return one-off events on the incident day from `HH:MM:SS.fff | level | text [| ...]` rows."""
    events = []
    for row in text.strip().splitlines():
        clock, rest = row.split(" | ", 1)
        moment = datetime.strptime(f"2026-03-10 {clock.strip()}", "%Y-%m-%d %H:%M:%S.%f")
        events.append((moment.replace(tzinfo=UTC), _table(f"1 | {rest}", columns)[0]))
    return events
