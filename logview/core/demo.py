"""A generated support bundle with a findable incident, for first runs, demos and tests.

The bundle is a folder holding what a support engineer typically receives for one ticket:
- `support-bundle-web-01-2026-03-10.tar.gz`: `gateway/access.log` (Nginx combined),
  `orders/orders.log{,.1,.2.gz}` (ISO-stamped text with Java stack traces, rotated by logrotate),
  `payments/payments.log` (JSON lines), `worker/worker.log` (Python logging with tracebacks),
  `var/log/messages` (RFC 3164 syslog, no year in its stamps);
- `logs-insights-results-auth.csv`: a CloudWatch Logs Insights export of the `auth` Lambda.

Two days, 2026-03-09 00:00 to 2026-03-10 23:59 UTC, with diurnal traffic, heartbeats every
minute and hourly cron jobs. On 2026-03-10 from 14:05 to 14:40 UTC the payments database pool is
exhausted: payments latency climbs and new errors appear, the gateway answers 503/504 on
`/api/checkout`, orders retries and logs stack traces, payments fails over to
`db_host=payments-db-2`, and the worker stalls (no heartbeat from 14:12 to 14:22) until systemd
restarts it. Everything is drawn from one seeded generator, vectorised per template, so the same
seed always gives the same bytes.
"""

from __future__ import annotations

import gzip
import io
import os
import shutil
import string
import sys
import tarfile
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import polars as pl

# Bump when the generated content changes, so demo_path() regenerates instead of reusing.
DEMO_VERSION = 1

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

BUNDLE_NAME = "support-bundle-web-01-2026-03-10.tar.gz"
INSIGHTS_NAME = "logs-insights-results-auth.csv"
BUNDLE_ROOT = "support-bundle"

US = 1_000_000
MINUTE_US = 60 * US
# A string column: one value per event, drawn for the event times it is given.
Variable = Callable[[np.ndarray], pl.Series]


def write_demo_bundle(folder: Path, *, seed: int = 7) -> Path:
    """Return `folder` after writing the demo bundle into it (replacing what was there).

    The bundle is built in a temporary sibling and renamed into place, so `folder` is either
    absent, the previous bundle or the complete new one, never half written.
    """
    folder = Path(folder)
    folder.parent.mkdir(parents=True, exist_ok=True)
    building = Path(
        tempfile.mkdtemp(dir=folder.parent, prefix=f".{folder.name}.", suffix=".partial")
    )
    os.chmod(building, 0o755)  # mkdtemp makes it private; the bundle is ordinary user data
    try:
        _write_bundle(building, seed)
        _replace_folder(building, folder)
    except BaseException:
        shutil.rmtree(building, ignore_errors=True)
        raise
    return folder


def demo_path() -> Path:
    """Return the demo bundle folder in the user's cache, generating it on first use."""
    folder = _cache_root() / f"demo-{DEMO_VERSION}"
    if (folder / BUNDLE_NAME).is_file() and (folder / INSIGHTS_NAME).is_file():
        return folder
    try:
        return write_demo_bundle(folder)
    except OSError:
        # Another process may have renamed its bundle into place first: theirs is as good.
        if (folder / BUNDLE_NAME).is_file() and (folder / INSIGHTS_NAME).is_file():
            return folder
        raise


def _cache_root() -> Path:
    """Return logview's folder in the platform's user cache directory."""
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Caches"
    else:
        xdg = os.environ.get("XDG_CACHE_HOME", "")
        # The XDG spec says a relative value is invalid and must be ignored.
        base = Path(xdg) if xdg and Path(xdg).is_absolute() else Path.home() / ".cache"
    return base / "logview"


def _replace_folder(new: Path, target: Path) -> None:
    """Rename `new` to `target`, moving an existing `target` aside first and deleting it after."""
    if not target.exists():
        os.rename(new, target)
        return
    old = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}.", suffix=".old"))
    os.rename(target, old / "bundle")
    try:
        os.rename(new, target)
    except OSError:
        os.rename(old / "bundle", target)
        os.rmdir(old)
        raise
    # The new bundle is in place; a leftover hidden ".old" folder would only cost disk space.
    shutil.rmtree(old, ignore_errors=True)


# ---------------------------------------------------------------- writing the files


@dataclass(frozen=True)
class _File:
    path: str  # inside the bundle
    data: bytes
    mtime: int  # seconds since the epoch: the file's last entry, as on the real host


def _write_bundle(folder: Path, seed: int) -> None:
    """Write the tarball and the Logs Insights CSV into `folder`."""
    pools = _Pools.draw(np.random.default_rng([seed, 0]))
    services: list[Callable[[np.random.Generator, _Pools], list[_File]]] = [
        _gateway_log,
        _orders_logs,
        _payments_log,
        _worker_log,
        _syslog_messages,
    ]
    files: list[_File] = []
    for index, service in enumerate(services, start=1):
        files.extend(service(np.random.default_rng([seed, index]), pools))
    with open(folder / BUNDLE_NAME, "wb") as out:
        out.write(_tar_gz(files))
    insights = _auth_insights_csv(np.random.default_rng([seed, len(services) + 1]), pools)
    (folder / INSIGHTS_NAME).write_bytes(insights.data)
    os.utime(folder / INSIGHTS_NAME, (insights.mtime, insights.mtime))
    os.utime(folder / BUNDLE_NAME, (_seconds(END), _seconds(END)))


def _tar_gz(files: Sequence[_File]) -> bytes:
    """Return a reproducible .tar.gz of `files`: fixed owners, modes, order and gzip header."""
    raw = io.BytesIO()
    with (
        gzip.GzipFile(
            filename="", mode="wb", fileobj=raw, mtime=_seconds(END), compresslevel=6
        ) as gz,
        tarfile.open(fileobj=gz, mode="w", format=tarfile.PAX_FORMAT) as tar,
    ):
        folders = sorted({str(p) for f in files for p in Path(BUNDLE_ROOT, f.path).parents} - {"."})
        for name in folders:
            tar.addfile(_tar_info(name, tarfile.DIRTYPE, 0o755, _seconds(END)))
        for f in sorted(files, key=lambda f: f.path):
            info = _tar_info(f"{BUNDLE_ROOT}/{f.path}", tarfile.REGTYPE, 0o644, f.mtime)
            info.size = len(f.data)
            tar.addfile(info, io.BytesIO(f.data))
    return raw.getvalue()


def _tar_info(name: str, kind: bytes, mode: int, mtime: int) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.type, info.mode, info.mtime = kind, mode, mtime
    info.uid = info.gid = 0
    info.uname = info.gname = "root"
    return info


def _text_file(path: str, lines: pl.Series, ts_us: np.ndarray) -> _File:
    """Return a file of `lines` (entries, possibly multi-line) stamped with its last entry's time."""
    data = (lines.str.join("\n").item() + "\n").encode() if len(lines) else b""
    last = int(ts_us.max()) // US + 1 if len(ts_us) else _seconds(START)
    return _File(path, data, last)


def _seconds(moment: datetime) -> int:
    return int(moment.timestamp())


def _us(moment: datetime) -> int:
    return int(moment.timestamp()) * US


# ---------------------------------------------------------------- time


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


# ---------------------------------------------------------------- variables and templates


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


# ---------------------------------------------------------------- gateway: Nginx combined

# weight | method path | status:weight ... | median bytes of a 2xx body | fixed user agent
_ENDPOINTS = """
14   | GET /api/products?category={category}&page={page} | 200:96 304:3 500:0.2 | 5200
16   | GET /api/products/{sku}                      | 200:92 304:3 404:5     | 2100
5    | GET /api/products/{sku}/reviews?page={page}  | 200:99 404:1           | 3400
6    | GET /api/search?q={query}                    | 200:98 400:1 500:0.3   | 7800
8    | GET /api/cart                                | 200:90 401:10          | 900
5    | POST /api/cart/items                         | 201:94 400:5 409:1     | 310
2    | DELETE /api/cart/items/{sku}                 | 204:97 404:3           | 0
3    | POST /api/checkout                           | 200:96 400:2 402:2     | 640
4    | GET /api/orders/{order}                      | 200:95 404:5           | 1500
2    | GET /api/orders?customer={customer}&limit=20 | 200:99 401:1           | 4800
0.5  | POST /api/orders/{order}/cancel              | 200:85 409:15          | 220
2    | GET /api/orders/{order}/tracking             | 200:90 404:10          | 760
3    | POST /api/auth/login                         | 200:88 401:12          | 420
4    | POST /api/auth/refresh                       | 200:96 401:4           | 380
4    | GET /api/users/me                            | 200:95 401:5           | 610
0.5  | PUT /api/users/me/addresses/{small}          | 200:93 400:7           | 240
3    | GET /api/recommendations?customer={customer} | 200:99.5 500:0.5       | 3100
2    | GET /api/inventory/{sku}                     | 200:97 404:3           | 180
8    | GET /static/js/app.3f9a2c1e.js               | 200:40 304:60          | 184233
5    | GET /static/css/main.b81d07aa.css            | 200:40 304:60          | 42118
10   | GET /static/img/products/{sku}.webp          | 200:70 304:28 404:2    | 38000
1    | GET /favicon.ico                             | 200:30 304:70          | 1150
0.6  | POST /api/payments/webhook                   | 200:99 400:1           | 2   | Stripe/1.0 (+https://stripe.com/docs/webhooks)
0.15 | GET /.env                                    | 404:100                | 153 | Mozilla/5.0 zgrab/0.x
0.1  | GET /wp-login.php                            | 404:100                | 153 | Mozilla/5.0 zgrab/0.x
0.1  | POST /cgi-bin/luci/;stok=/locale             | 404:100                | 153 | Mozilla/5.0 zgrab/0.x
"""
_AGENTS = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_3) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.3 Safari/605.1.15",
    "Mozilla/5.0 (X11; Linux x86_64; rv:123.0) Gecko/20100101 Firefox/123.0",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_3 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.3 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.6261.105 Mobile Safari/537.36",
    "ShopApp/5.12.1 (iPhone; iOS 17.3; Scale/3.00)",
    "ShopApp/5.12.0 (Android 14; SM-S911B)",
    "okhttp/4.12.0",
)
_REFERERS = (
    "-",
    "-",
    "-",
    "https://shop.example.com/",
    "https://shop.example.com/cart",
    "https://www.google.com/",
)
# Bodies of nginx's own error pages, as its access log counts them.
_NGINX_PAGES = {502: 157, 503: 197, 504: 167}


def _gateway_log(rng: np.random.Generator, pools: _Pools) -> list[_File]:
    """Return the API gateway's access log; /api/checkout answers 503/504 during the incident."""
    variables = _variables(rng, pools)
    endpoints = [
        [cell.strip() for cell in row.split(" | ")] for row in _ENDPOINTS.strip().splitlines()
    ]
    templates = [_Template(float(e[0]), "", e[1]) for e in endpoints]
    checkout = next(i for i, e in enumerate(endpoints) if e[1] == "POST /api/checkout")
    retries = _arrivals(rng, 8.0, _incident_weight)  # clients retrying failed checkouts
    requests = _sorted(
        [
            _render(rng, _arrivals(rng, 26.0), templates, variables),
            _rows(templates[checkout], retries, variables, checkout),
        ]
    )
    ts = requests["ts"].to_numpy()
    endpoint = requests["template"].to_numpy()
    status = np.zeros(len(ts), dtype=np.int64)
    size = np.zeros(len(ts), dtype=np.int64)
    agents = pl.Series(_AGENTS).gather(rng.integers(0, len(_AGENTS), len(ts)))
    for index, (_w, _request, statuses, median, *agent) in enumerate(endpoints):  # not requests
        rows = np.flatnonzero(endpoint == index)
        codes, weights = np.array([s.split(":") for s in statuses.split()], dtype=float).T
        status[rows] = rng.choice(codes.astype(np.int64), len(rows), p=weights / weights.sum())
        size[rows] = np.round(rng.lognormal(np.log(max(int(median), 1)), 0.3, len(rows)))
        if int(median) <= 2:
            size[rows] = int(median)
        if agent:
            agents = agents.scatter(rows, agent[0])
    failing = (endpoint == checkout) & (rng.random(len(ts)) < 0.8 * _incident_weight(ts))
    status[failing] = np.where(rng.random(int(failing.sum())) < 0.4, 504, 503)
    size = np.where(status == 304, 0, size)
    size = np.where((status >= 400) & (status < 500), rng.integers(60, 240, len(ts)), size)
    for code, page in _NGINX_PAGES.items():
        size = np.where(status == code, page, size)
    health = _periodic(rng, timedelta(seconds=30), jitter_ms=50)
    requests = pl.DataFrame(
        {
            "ts": ts,
            "ip": variables["ip"](ts),
            "request": requests["text"],
            "status": status,
            "size": size,
            "referer": pl.Series(_REFERERS).gather(rng.integers(0, len(_REFERERS), len(ts))),
            "agent": agents,
        }
    )
    checks = pl.DataFrame({"ts": health}).with_columns(
        ip=pl.lit("10.0.0.2"), request=pl.lit("GET /healthz"), status=pl.lit(200, pl.Int64),
        size=pl.lit(2, pl.Int64), referer=pl.lit("-"), agent=pl.lit("ELB-HealthChecker/2.0"),
    )  # fmt: skip
    frame = pl.concat([requests, checks]).sort("ts", maintain_order=True)
    stamps = _stamps(frame["ts"].to_numpy(), "%d/%b/%Y:%H:%M:%S +0000")
    lines = frame.select(
        pl.format(
            '{} - - [{}] "{} HTTP/1.1" {} {} "{}" "{}"',
            "ip", pl.lit(stamps), "request", "status", "size", "referer", "agent",
        )
    ).to_series()  # fmt: skip
    return [_text_file("gateway/access.log", lines, frame["ts"].to_numpy())]


# ---------------------------------------------------------------- orders: text + Java traces

_JAVA_WEB_FRAMES = """
\tat java.base/jdk.internal.reflect.DirectMethodHandleAccessor.invoke(DirectMethodHandleAccessor.java:103)
\tat java.base/java.lang.reflect.Method.invoke(Method.java:580)
\tat org.springframework.web.method.support.InvocableHandlerMethod.doInvoke(InvocableHandlerMethod.java:255)
\tat org.springframework.web.servlet.FrameworkServlet.service(FrameworkServlet.java:885)
\tat org.apache.tomcat.util.threads.ThreadPoolExecutor$Worker.run(ThreadPoolExecutor.java:659)
\tat java.base/java.lang.Thread.run(Thread.java:1583)"""
_ORDER_TEMPLATES = _table("""
10  | INFO  | [{thread}] c.e.orders.web.OrderController - Created order {order} for customer {customer}: {qty} items, total {amount} EUR
18  | INFO  | [{thread}] c.e.orders.web.OrderController - GET /orders/{order} answered 200 in {ms} ms
14  | DEBUG | [{thread}] c.e.orders.repo.OrderRepository - Loaded order {order} with {qty} lines in {ms} ms
8   | INFO  | [{thread}] c.e.orders.service.InventoryClient - Reserved {qty} x {sku} for order {order}
1   | WARN  | [{thread}] c.e.orders.service.InventoryClient - Low stock for {sku}: {small} left after reserving for order {order}
7   | INFO  | [{thread}] c.e.orders.payment.PaymentClient - Payment requested for order {order}: {amount} EUR via {card}
7   | INFO  | [{thread}] c.e.orders.payment.PaymentClient - Payment confirmed for order {order} in {ms} ms
0.6 | WARN  | [{thread}] c.e.orders.payment.PaymentClient - Payment declined for order {order}: card_declined ({card})
6   | INFO  | [{thread}] c.e.orders.service.OrderService - Order {order} status changed PENDING -> PAID
3   | INFO  | [{thread}] c.e.orders.service.OrderService - Order {order} status changed PAID -> SHIPPED
3   | INFO  | [scheduling-1] c.e.orders.shipping.ShipmentScheduler - Scheduled shipment for order {order} with {carrier}
0.4 | INFO  | [{thread}] c.e.orders.web.OrderController - Cancelled order {order} at customer request
0.5 | WARN  | [{thread}] c.e.orders.web.OrderController - Rejected order for customer {customer}: validation failed on field 'shippingAddress.postalCode'
8   | INFO  | [kafka-producer-network-thread | orders-1] c.e.orders.events.OrderEventPublisher - Published OrderCreated for {order} to orders.v1 partition {small}
4   | DEBUG | [{thread}] c.e.orders.cache.ProductCache - Cache miss for {sku}, loaded in {ms} ms
0.4 | WARN  | [{thread}] c.e.orders.repo.OrderRepository - Slow query ({slow_ms} ms): SELECT * FROM order_lines WHERE order_id = ?
5   | INFO  | [{thread}] c.e.orders.web.CustomerController - GET /customers/{customer}/orders answered 200 in {ms} ms
6   | DEBUG | [{thread}] c.e.orders.security.JwtFilter - Token accepted for {user}
0.8 | WARN  | [{thread}] c.e.orders.security.JwtFilter - Token expired for {user}, answering 401
1   | INFO  | [{thread}] c.e.orders.service.PromotionService - Applied promotion SPRING{small}0 to order {order}: -{amount} EUR
""") + (
    _Template(0.05, "ERROR", """\
[{thread}] c.e.orders.web.OrderController - Unhandled exception for GET /orders/{order}
java.lang.NullPointerException: Cannot invoke "com.example.orders.model.Address.getCountry()" because "shipping" is null
\tat com.example.orders.mapper.OrderMapper.toDto(OrderMapper.java:57)
\tat com.example.orders.web.OrderController.getOrder(OrderController.java:73)""" + _JAVA_WEB_FRAMES),
    _Template(0.03, "ERROR", """\
[{thread}] c.e.orders.repo.OrderRepository - Could not save order {order}
org.springframework.dao.DataIntegrityViolationException: could not execute statement; constraint [uk_order_idempotency_key]
\tat org.springframework.orm.jpa.vendor.HibernateJpaDialect.convertHibernateAccessException(HibernateJpaDialect.java:290)
\tat com.example.orders.repo.OrderRepository.save(OrderRepository.java:41)
\tat com.example.orders.service.OrderService.create(OrderService.java:96)
\tat com.example.orders.web.OrderController.create(OrderController.java:48)
Caused by: org.postgresql.util.PSQLException: ERROR: duplicate key value violates unique constraint "uk_order_idempotency_key"
  Detail: Key (idempotency_key)=({hex32}) already exists.
\tat org.postgresql.core.v3.QueryExecutorImpl.receiveErrorResponse(QueryExecutorImpl.java:2725)
\tat org.postgresql.jdbc.PgPreparedStatement.executeUpdate(PgPreparedStatement.java:152)
\t... 87 common frames omitted"""),
)  # fmt: skip
_ORDER_INCIDENT = _table("""
6 | WARN | [{thread}] c.e.orders.payment.PaymentClient - Payment call for order {order} failed: PaymentTimeoutException (no answer within 5000 ms); retrying (attempt {attempt}/3)
2 | WARN | [{thread}] c.e.orders.web.CheckoutController - Checkout for order {order} answered 503: payments unavailable
""") + (
    _Template(2, "ERROR", """\
[{thread}] c.e.orders.payment.PaymentClient - Giving up on payment for order {order} after 3 attempts
com.example.orders.payment.PaymentException: Payment service unavailable for order {order}
\tat com.example.orders.payment.PaymentClient.charge(PaymentClient.java:142)
\tat com.example.orders.service.CheckoutService.placeOrder(CheckoutService.java:88)
\tat com.example.orders.web.CheckoutController.checkout(CheckoutController.java:51)""" + _JAVA_WEB_FRAMES + """
Caused by: java.net.SocketTimeoutException: Read timed out
\tat java.base/sun.nio.ch.NioSocketImpl.timedRead(NioSocketImpl.java:278)
\tat java.base/java.net.Socket$SocketInputStream.read(Socket.java:1099)
\tat org.apache.http.impl.io.SessionInputBufferImpl.streamRead(SessionInputBufferImpl.java:137)
\t... 42 common frames omitted"""),
)  # fmt: skip
_ORDER_PERIODIC = _table("""
1 | INFO  | [scheduling-1] c.e.orders.health.HealthReporter - Health UP db=UP kafka=UP payments=UP
1 | WARN  | [scheduling-1] c.e.orders.health.HealthReporter - Health DEGRADED db=UP kafka=UP payments=DOWN
1 | DEBUG | [HikariPool-1 housekeeper] com.zaxxer.hikari.pool.HikariPool - HikariPool-1 - Pool stats (total=20, active={small}, idle=11, waiting=0)
1 | INFO  | [scheduling-1] c.e.orders.jobs.CartCleanupJob - Purged {count} abandoned carts older than 24h in {ms} ms
""")  # fmt: skip
_BREAKER = "[{thread}] io.github.resilience4j.circuitbreaker.CircuitBreakerStateMachine - CircuitBreaker 'payments' changed state from"
_ORDER_EVENTS = _timeline(f"""
14:09:41.204 | WARN | {_BREAKER} CLOSED to OPEN
14:10:41.230 | INFO | {_BREAKER} OPEN to HALF_OPEN
14:10:44.518 | WARN | {_BREAKER} HALF_OPEN to OPEN
14:38:12.006 | INFO | {_BREAKER} OPEN to HALF_OPEN
14:38:30.771 | INFO | {_BREAKER} HALF_OPEN to CLOSED
""")  # fmt: skip


def _orders_logs(rng: np.random.Generator, pools: _Pools) -> list[_File]:
    """Return orders.log and its rotations: retries and a stack-trace burst during the incident."""
    variables = _variables(rng, pools)
    minute = _every_minute(rng)
    health_ok, health_bad = _split_by_incident(minute)
    up, degraded, pool_stats, cleanup = _ORDER_PERIODIC
    entries = _sorted(
        [
            _render(rng, _arrivals(rng, 14.0), _ORDER_TEMPLATES, variables),
            _render(rng, _arrivals(rng, 14.0, _incident_weight), _ORDER_INCIDENT, variables, 50),
            _rows(up, health_ok, variables, 100),
            _rows(degraded, health_bad, variables, 101),
            _rows(pool_stats, minute + 20 * US, variables, 102),
            _rows(cleanup, _hourly(rng, 0), variables, 103),
            _events(_ORDER_EVENTS, variables),
        ]
    )
    ts = entries["ts"].to_numpy()
    lines = (
        _stamps(ts, "%Y-%m-%dT%H:%M:%S%.3fZ")
        + " "
        + entries["level"].str.pad_end(5)
        + " "
        + entries["text"]
    )
    cuts = np.searchsorted(ts, [_us(ROTATIONS[0]), _us(ROTATIONS[1])])
    oldest = _text_file("", lines[: cuts[0]], ts).data
    rotated = _seconds(ROTATIONS[0])
    return [
        _File("orders/orders.log.2.gz", gzip.compress(oldest, 6, mtime=rotated), rotated),
        _File("orders/orders.log.1", _text_file("", lines[cuts[0] : cuts[1]], ts).data, _seconds(ROTATIONS[1])),
        _text_file("orders/orders.log", lines[cuts[1] :], ts),
    ]  # fmt: skip


# ---------------------------------------------------------------- payments: JSON lines

# Placeholder -> JSON key, and which keys are numbers rather than strings.
_JSON_KEYS = {
    "order": "order_id", "amount": "amount", "card": "method", "pay_ms": "latency_ms",
    "ms": "latency_ms", "db_ms": "wait_ms", "db_host": "db_host", "active": "active",
    "idle": "idle", "waiting": "waiting", "ip": "remote_ip", "count": "entries",
}  # fmt: skip
_JSON_NUMBERS = {"latency_ms", "wait_ms", "active", "idle", "waiting", "entries"}
# weight | level | msg | logger | placeholders also written as fields
_PAYMENT_TEMPLATES = _table("""
12   | INFO  | Charge captured for order {order}: {amount} EUR via {card} | payments.api | order amount card pay_ms
8    | INFO  | Charge authorised | payments.api | order amount pay_ms
10   | INFO  | GET /payments/{order} answered 200 | payments.api | order pay_ms
0.6  | INFO  | Refund issued for order {order}: {amount} EUR | payments.api | order amount pay_ms
0.8  | WARN  | Charge declined for order {order}: card_declined | payments.api | order card pay_ms
0.4  | WARN  | Charge declined for order {order}: insufficient_funds | payments.api | order card pay_ms
0.05 | ERROR | Charge failed for order {order}: PSP answered 502 Bad Gateway | payments.api | order pay_ms
14   | DEBUG | Acquired connection from pool payments-db db_host={db_host} in {db_ms} ms | payments.db | db_host db_ms
6    | INFO  | Fraud score {small}0 for order {order}: accept | payments.fraud | order
0.3  | WARN  | Fraud score 9{small} for order {order}: manual review | payments.fraud | order
5    | INFO  | Webhook charge.succeeded received for order {order} | payments.webhooks | order
5    | DEBUG | Webhook signature verified | payments.webhooks
0.1  | WARN  | Webhook signature mismatch from {ip}; ignored | payments.webhooks | ip
6    | INFO  | Ledger entry written for order {order}: debit {amount} EUR | payments.ledger | order amount
1    | DEBUG | Ledger batch flushed: {count} entries | payments.ledger | count
8    | INFO  | PSP call POST /v1/charges answered 200 in {ms} ms | payments.psp | ms
0.2  | WARN  | PSP call POST /v1/charges answered 429 in {ms} ms; backing off | payments.psp | ms
0.1  | DEBUG | Exchange rates refreshed: EUR/USD 1.0{small}2 | payments.currency
""", 5)  # fmt: skip
_PAYMENT_INCIDENT = _table("""
10 | ERROR | Timeout acquiring connection from pool payments-db after 5000 ms | payments.db | db_host active waiting
3  | WARN  | Connection pool payments-db exhausted (active=50, idle=0, waiting={waiting}) | payments.db | db_host waiting
6  | ERROR | Charge failed for order {order}: could not acquire database connection | payments.api | order pay_ms
3  | WARN  | Request POST /payments/charge took {pay_ms} ms (threshold 1000 ms) | payments.api | pay_ms
""", 5)  # fmt: skip
_PAYMENT_PERIODIC = _table("""
1 | INFO | Pool stats pool=payments-db db_host={db_host} active={active} idle={idle} waiting={waiting} | payments.db | db_host active idle waiting
1 | INFO | Hourly settlement report generated: {count} charges | payments.jobs | count
""", 5)  # fmt: skip
_PAYMENT_EVENTS = _timeline("""
14:23:50.112 | ERROR | Health check failed for db_host=payments-db-1: connection timed out (3 of 3) | payments.db
14:24:10.000 | WARN  | Failing over pool payments-db from db_host=payments-db-1 to db_host=payments-db-2 | payments.db
14:24:12.350 | INFO  | Pool payments-db reconnected to db_host={db_host} | payments.db | db_host
14:40:00.000 | INFO  | Connection pool payments-db healthy again (active=14, idle=36, waiting=0) | payments.db | db_host
""", 5)  # fmt: skip


def _payments_log(rng: np.random.Generator, pools: _Pools) -> list[_File]:
    """Return the payments service's JSON lines: latency climbs, pool errors and a DB failover."""
    variables = _variables(rng, pools)
    stats, settlement = _PAYMENT_PERIODIC
    entries = _sorted(
        [
            _render(rng, _arrivals(rng, 13.0), _PAYMENT_TEMPLATES, variables),
            _render(rng, _arrivals(rng, 30.0, _incident_weight), _PAYMENT_INCIDENT, variables, 50),
            _rows(stats, _every_minute(rng), variables, 100),
            _rows(settlement, _hourly(rng, 30), variables, 101),
            _events(_PAYMENT_EVENTS, variables),
        ]
    )
    ts = entries["ts"].to_numpy()
    entries = entries.with_columns(
        stamp=_stamps(ts, "%Y-%m-%dT%H:%M:%S%.3fZ"), row=pl.int_range(pl.len())
    )
    encoded = []
    # Each template has its own keys: encode per template so absent keys are left out, not null.
    for part in entries.partition_by("template", maintain_order=True):
        names = [n for n in _JSON_KEYS if n in part.columns and part[n].null_count() == 0]
        fields = [
            pl.col(n).cast(pl.Int64 if _JSON_KEYS[n] in _JSON_NUMBERS else pl.String)
            .alias(_JSON_KEYS[n])
            for n in names
        ]  # fmt: skip
        record = pl.struct(
            pl.col("stamp").alias("ts"), "level", "logger", pl.col("text").alias("msg"), *fields
        )
        encoded.append(part.select("row", record.struct.json_encode().alias("line")))
    lines = pl.concat(encoded).sort("row")["line"]
    return [_text_file("payments/payments.log", lines, ts)]


# ---------------------------------------------------------------- worker: Python logging

_PY_SITE = "/srv/worker/.venv/lib/python3.11/site-packages"
_WORKER_TEMPLATES = _table("""
10  | INFO    | [worker.consumer] Received job {job} from queue {queue}
8   | DEBUG   | [worker.consumer] Acked job {job}
6   | INFO    | [worker.tasks] Job {job} send_order_confirmation for {order} done in {secs} s
4   | INFO    | [worker.tasks] Job {job} generate_invoice_pdf for {order} done in {secs} s
3   | INFO    | [worker.tasks] Job {job} sync_inventory for {sku} done in {secs} s
3   | INFO    | [worker.tasks] Job {job} deliver_webhook for {order} done in {secs} s (HTTP 200)
4   | INFO    | [worker.tasks] Job {job} settle_payment for {order} done in {secs} s
4   | DEBUG   | [worker.email] SMTP session to smtp.mailrelay.example:587 opened in {ms} ms
5   | INFO    | [worker.email] Sent order confirmation for {order} to customer {customer}
3   | INFO    | [worker.storage] Uploaded invoices/{order}.pdf to s3://acme-invoices ({count}4 KiB)
0.5 | WARNING | [worker.tasks] Job {job} deliver_webhook for {order} answered HTTP 500; retry {attempt}/5 in 30 s
0.2 | WARNING | [worker.email] SMTP server answered 451 4.7.1 Try again later for {customer}; will retry
0.5 | INFO    | [worker.reports] Sales report chunk {small}/9 written ({count} rows)
""") + (
    _Template(0.06, "ERROR", f"""\
[worker.tasks] Job {{job}} deliver_webhook for {{order}} failed
Traceback (most recent call last):
  File "/srv/worker/worker/tasks.py", line 214, in deliver_webhook
    response = session.post(url, json=payload, timeout=10)
  File "{_PY_SITE}/requests/sessions.py", line 637, in post
    return self.request("POST", url, data=data, json=json, **kwargs)
  File "{_PY_SITE}/requests/adapters.py", line 507, in send
    raise ConnectTimeout(e, request=request)
requests.exceptions.ConnectTimeout: HTTPSConnectionPool(host='hooks.partner.example', port=443): Max retries exceeded with url: /orders (Caused by ConnectTimeoutError(<urllib3.connection.HTTPSConnection object at 0x7f{{hex8}}>, 'Connection to hooks.partner.example timed out. (connect timeout=10)'))"""),
    _Template(0.03, "ERROR", """\
[worker.tasks] Job {job} generate_invoice_pdf for {order} failed
Traceback (most recent call last):
  File "/srv/worker/worker/tasks.py", line 172, in generate_invoice_pdf
    html = render_invoice(order)
  File "/srv/worker/worker/invoices.py", line 58, in render_invoice
    vat = VAT_RATES[order["shipping"]["country"]]
KeyError: 'XK'"""),
)  # fmt: skip
_WORKER_INCIDENT = _table("""
3 | WARNING | [worker.tasks] Job {job} settle_payment for {order} slow: waited {secs} s for a database connection
""") + (
    _Template(2, "ERROR", f"""\
[worker.tasks] Job {{job}} settle_payment for {{order}} failed
Traceback (most recent call last):
  File "/srv/worker/worker/tasks.py", line 131, in settle_payment
    with db.session() as session:
  File "/srv/worker/worker/db.py", line 44, in session
    connection = engine.connect()
  File "{_PY_SITE}/sqlalchemy/pool/impl.py", line 169, in _do_get
    raise exc.TimeoutError(
sqlalchemy.exc.TimeoutError: QueuePool limit of size 10 overflow 20 reached, connection timed out, timeout 30.00 (Background on this error at: https://sqlalche.me/e/20/3o7r)"""),
)  # fmt: skip
_WORKER_PERIODIC = _table("""
1 | INFO | [worker.main] heartbeat ok pid=4121 queue_depth={count} in_flight={small}
1 | INFO | [worker.main] heartbeat ok pid=4388 queue_depth={count} in_flight={small}
1 | INFO | [worker.scheduler] Cron cleanup_expired_sessions removed {count} sessions
""")  # fmt: skip
_WORKER_EVENTS = _timeline("""
14:22:03.000 | INFO    | [worker.main] Starting worker pid=4388 (python 3.11.8, concurrency=8)
14:22:03.420 | WARNING | [worker.main] Previous run pid=4121 ended without a clean shutdown
14:22:04.000 | INFO    | [worker.main] Recovered {count} unacknowledged jobs from queue default
""")  # fmt: skip


def _worker_log(rng: np.random.Generator, pools: _Pools) -> list[_File]:
    """Return the worker's log: heartbeats every minute that stop for ten minutes in the incident."""
    variables = _variables(rng, pools)
    restart = _us(_WORKER_EVENTS[0][0])
    beats = _every_minute(rng)
    old_beat, new_beat, cleanup = _WORKER_PERIODIC
    entries = _sorted(
        [
            _render(rng, _arrivals(rng, 4.5), _WORKER_TEMPLATES, variables),
            _render(rng, _arrivals(rng, 6.0, _incident_weight), _WORKER_INCIDENT, variables, 50),
            _rows(old_beat, beats[beats < restart], variables, 100),
            _rows(new_beat, beats[beats >= restart], variables, 101),
            _rows(cleanup, _hourly(rng, 15), variables, 102),
            _events(_WORKER_EVENTS, variables),
        ]
    )
    # The worker hangs: it writes nothing from the stall until systemd restarts it.
    ts = entries["ts"].to_numpy()
    entries = entries.filter(pl.Series((ts < _us(WORKER_STALL[0])) | (ts >= restart)))
    ts = entries["ts"].to_numpy()
    lines = _stamps(ts, "%Y-%m-%d %H:%M:%S,%3f") + " " + entries["level"] + " " + entries["text"]
    return [_text_file("worker/worker.log", lines, ts)]


# ---------------------------------------------------------------- syslog: /var/log/messages

_SYSLOG_TEMPLATES = _table("""
3   || systemd[1]: Started session-{session}.scope - Session {session} of User deploy.
3   || systemd-logind[812]: New session {session} of user deploy.
3   || systemd-logind[812]: Session {session} logged out. Waiting for processes to exit.
3   || sshd[{pid}]: Accepted publickey for deploy from 10.0.8.{small} port {port} ssh2: ED25519 SHA256:q1Xv{hex8}
3   || sshd[{pid}]: Received disconnect from 10.0.8.{small} port {port}:11: disconnected by user
4   || sshd[{pid}]: Invalid user admin from {ip} port {port}
4   || sshd[{pid}]: Connection closed by invalid user admin {ip} port {port} [preauth]
8   || kernel: [UFW BLOCK] IN=eth0 OUT= MAC=0a:3e:7c:91:d2:01 SRC={ip} DST=10.0.1.15 LEN=40 TOS=0x00 PREC=0x00 TTL=243 ID={port} PROTO=TCP SPT={port} DPT=23 WINDOW=1024 RES=0x00 SYN URGP=0
1   || chronyd[640]: Selected source 169.254.169.123
1   || chronyd[640]: System clock wrong by 0.00{small}3 seconds
2   || sudo[{pid}]:   deploy : TTY=pts/0 ; PWD=/home/deploy ; USER=root ; COMMAND=/usr/bin/systemctl status worker
2   || sudo[{pid}]: pam_unix(sudo:session): session opened for user root(uid=0) by deploy(uid=1001)
1.5 || dhclient[733]: DHCPREQUEST for 10.0.1.15 on eth0 to 10.0.0.1 port 67 (xid=0x{hex8})
1.5 || dhclient[733]: DHCPACK of 10.0.1.15 from 10.0.0.1 (xid=0x{hex8})
1   || rsyslogd[701]: action 'action-8-builtin:omfwd' resumed (module 'builtin:omfwd')
0.5 || dockerd[1022]: time="{stamp}" level=info msg="ignoring event" module=libcontainerd namespace=moby
0.3 || kernel: nvme nvme0: I/O {count} QID 2 timeout, completion polled
""".replace(" || ", " |  | "))  # fmt: skip
_SYSLOG_PERIODIC = _table("""
1 |  | CROND[{pid}]: (root) CMD (run-parts /etc/cron.hourly)
1 |  | systemd[1]: Starting sysstat-collect.service - system activity accounting tool...
1 |  | systemd[1]: sysstat-collect.service: Deactivated successfully.
1 |  | run-parts[{pid}]: (/etc/cron.daily) starting logrotate
1 |  | run-parts[{pid}]: (/etc/cron.daily) finished logrotate
""")  # fmt: skip
_SYSLOG_EVENTS = _timeline("""
14:22:00.000 |  | systemd[1]: worker.service: Watchdog timeout (limit 10min)!
14:22:00.000 |  | systemd[1]: worker.service: Killing process 4121 (python3) with signal SIGABRT.
14:22:00.900 |  | systemd-coredump[{pid}]: Process 4121 (python3) of user 998 dumped core.
14:22:01.000 |  | systemd[1]: worker.service: Main process exited, code=dumped, status=6/ABRT
14:22:01.000 |  | systemd[1]: worker.service: Failed with result 'watchdog'.
14:22:02.000 |  | systemd[1]: worker.service: Scheduled restart job, restart counter is at 1.
14:22:02.000 |  | systemd[1]: Started worker.service - Order worker.
""")  # fmt: skip


def _syslog_messages(rng: np.random.Generator, pools: _Pools) -> list[_File]:
    """Return /var/log/messages: cron, sessions, scanners, and systemd restarting the hung worker."""
    variables = _variables(rng, pools)
    variables["stamp"] = lambda ts: _stamps(ts, "%Y-%m-%dT%H:%M:%S%.9fZ")
    sysstat = _periodic(rng, timedelta(minutes=10), jitter_ms=200)
    daily = _periodic(rng, timedelta(days=1), timedelta(hours=6, minutes=25), jitter_ms=900)
    cron, sysstat_start, sysstat_end, rotate_start, rotate_end = _SYSLOG_PERIODIC
    entries = _sorted(
        [
            _render(rng, _arrivals(rng, 1.4, _flat), _SYSLOG_TEMPLATES, variables),
            _rows(cron, _hourly(rng, 1), variables, 100),
            _rows(sysstat_start, sysstat, variables, 101),
            _rows(sysstat_end, sysstat + 80_000, variables, 102),
            _rows(rotate_start, daily, variables, 103),
            _rows(rotate_end, daily + 2 * US, variables, 104),
            _events(_SYSLOG_EVENTS, variables),
        ]
    )
    ts = entries["ts"].to_numpy()
    lines = _stamps(ts, "%b %e %H:%M:%S") + " web-01 " + entries["text"]
    return [_text_file("var/log/messages", lines, ts)]


# ---------------------------------------------------------------- auth Lambda: Logs Insights CSV

_AUTH_TEMPLATES = _table("""
14   | INFO    | Token validated for {user} (scopes: orders:read orders:write)
5    | INFO    | Issued token for {user}, expires in 3600 s
3    | INFO    | Refreshed token for {user}
1    | WARNING | Token expired for {user}; client must refresh
0.4  | WARNING | Login failed for {user}: invalid password (attempt {attempt} of 5)
0.05 | ERROR   | Invalid signature on token presented from {ip}
""")  # fmt: skip
_LAMBDA_RUNTIME = "INIT_START Runtime Version: python:3.12.v36\tRuntime Version ARN: arn:aws:lambda:eu-west-1::runtime:"


def _auth_insights_csv(rng: np.random.Generator, pools: _Pools) -> _File:
    """Return a Logs Insights CSV export of the auth Lambda: START, app line, END, REPORT per call."""
    variables = _variables(rng, pools)
    start = _arrivals(rng, 0.85)
    n = len(start)
    rid = variables["rid"](start)
    # Five warm containers a day, each with its own log stream.
    day = (start - _us(START)) // (1440 * MINUTE_US)
    streams = pl.Series([f"2026/03/{9 + i // 5:02d}/[$LATEST]" for i in range(10)])
    stream = (streams + variables["hex32"](np.zeros(10))).gather(rng.integers(0, 5, n) + 5 * day)
    took_us = np.round(rng.lognormal(np.log(18_000), 0.5, n)).astype(np.int64)
    took = pl.Series(took_us / 1000).round(2).cast(pl.String)
    billed = pl.Series(np.ceil(took_us / 1000)).cast(pl.Int64).cast(pl.String)
    memory = pl.Series(rng.integers(71, 96, n)).cast(pl.String)
    # Rendered at the START times (sorted, like `rid`), then moved a little later.
    app = _render(rng, start, _AUTH_TEMPLATES, variables)
    app_ts = app["ts"].to_numpy() + rng.integers(800, 3000, n)
    app_iso = _stamps(app_ts, "%Y-%m-%dT%H:%M:%S%.3fZ")
    cold = np.flatnonzero(rng.random(n) < 0.03)

    def rows(ts: np.ndarray, message: pl.Series, streams: pl.Series) -> pl.DataFrame:
        return pl.DataFrame({"ts": ts, "message": message, "stream": streams})

    frame = pl.concat(
        [
            rows(start[cold] - 450_000, _LAMBDA_RUNTIME + variables["hex32"](cold), stream.gather(cold)),
            rows(start, "START RequestId: " + rid + " Version: $LATEST", stream),
            rows(app_ts, "[" + app["level"] + "]\t" + app_iso + "\t" + rid + "\t" + app["text"], stream),
            rows(start + took_us, "END RequestId: " + rid, stream),
            rows(
                start + took_us + 1000,
                "REPORT RequestId: " + rid + "\tDuration: " + took + " ms\tBilled Duration: " + billed
                + " ms\tMemory Size: 256 MB\tMax Memory Used: " + memory + " MB",
                stream,
            ),
        ]
    ).sort("ts", descending=True, maintain_order=True)  # fmt: skip
    # Logs Insights lists the newest first.
    ts = frame["ts"].to_numpy()
    csv = frame.select(
        pl.Series("@timestamp", _stamps(ts, "%Y-%m-%d %H:%M:%S%.3f")),
        pl.col("message").alias("@message"),
        pl.col("stream").alias("@logStream"),
        pl.lit("123456789012:/aws/lambda/auth").alias("@log"),
    ).write_csv()
    return _File(INSIGHTS_NAME, csv.encode(), int(ts.max()) // US + 1)
