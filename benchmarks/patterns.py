"""Pattern mining: accuracy on Loghub 2k and speed against drain3, in one run.

    python benchmarks/patterns.py [--lines 2000000] [--drain-lines 200000] [--repeat 3]
                                  [--seed 1] [--accuracy-only | --speed-only]

Accuracy: for each of the nine Loghub 2k systems (../shared/data/loghub-2k from the
repository root), `mine_messages()` and plain drain3 (its defaults) group the `Content`
column; grouping accuracy (GA: a row is right when the rows sharing its predicted id are
exactly the rows sharing its true EventId) and parsing accuracy (PA: its template equals the
true EventTemplate, every placeholder read as `<*>`) are printed per system and on average.
Targets: mean GA >= 0.95 and no system below 0.85.

Speed: --lines messages (no timestamp header) are generated from a few hundred templates of
app, access-log, syslog and JSON-ish messages with numbers, hex, UUIDs, IPs, paths and user
names (seeded, cached in benchmarks/.data/). The whole engine, `mine()` (mask, group, mine,
join, token values, samples, counts), runs on all of them as a table, each run
in a fresh process that reports its own peak memory (peak resident size minus the size after
imports and loading the messages); drain3, far slower, runs in this process on the first
--drain-lines messages, masked (IP, UUID, hex, numbers) and unmasked. Median of --repeat runs.
Targets: lines/s at least 10x drain3 masked and 2x drain3 unmasked; under 5 s for 2M lines.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(HERE), str(ROOT)]

# logview first: its allocator settings must be made before polars loads (logview/_allocators.py).
import logview as _logview  # noqa: E402, F401, I001
import numpy as np  # noqa: E402
import polars as pl  # noqa: E402
from bundle import DATA, _format  # noqa: E402
from drain3 import TemplateMiner  # noqa: E402
from drain3.masking import MaskingInstruction  # noqa: E402
from drain3.template_miner_config import TemplateMinerConfig  # noqa: E402
from ingest import _peak_rss_bytes, _rss_bytes  # noqa: E402

from logview.core.patterns import mine, mine_messages  # noqa: E402

LOGHUB = ROOT.parent / "shared" / "data" / "loghub-2k"
SYSTEMS = ("Apache", "BGL", "HDFS", "Hadoop", "HealthApp", "Linux", "OpenSSH", "Spark", "Zookeeper")
GA_MEAN_TARGET = 0.95  # mean grouping accuracy over the nine, at least
GA_MIN_TARGET = 0.85  # every system's, at least
MASKED_TARGET = 10.0  # engine lines/s over drain3 masked lines/s, at least
UNMASKED_TARGET = 2.0  # engine lines/s over drain3 unmasked lines/s, at least
SECONDS_TARGET = 5.0  # engine seconds for TARGET_LINES, below (scaled to --lines)
TARGET_LINES = 2_000_000
GENERATOR_VERSION = 2  # bump when the generated messages change

# Any placeholder: drain3's <*>, <NUM>, the engine's <1>, <2>, ...
PLACEHOLDER = r"<\*>|<\d+>|<[A-Za-z_][A-Za-z0-9_]*>"
_EDGE_L, _EDGE_R = r"((?<=[^A-Za-z0-9])|^)", r"((?=[^A-Za-z0-9])|$)"
_H = "[0-9a-fA-F]"
DRAIN3_MASKS = (  # in drain3's README style; applied in this order
    (r"(\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3})", "IP"),
    (rf"({_H}{{8}}-{_H}{{4}}-{_H}{{4}}-{_H}{{4}}-{_H}{{12}})", "UUID"),
    (r"(0x[0-9a-fA-F]+)", "HEX"),
    (r"([\-\+]?\d+)", "NUM"),
)

# Message templates. Slots: {n} integer, {f} decimal, {x} hex, {u} UUID, {i} IP address,
# {p} path, {w} user name, {s} HTTP status; VERB, OBJ, METHOD, EVENT, ... multiply a shape.
APP_SHAPES = (
    "VERB OBJ {n} for user {w} in {n} ms",
    "VERB OBJ {u} (request {x}) after {f} s",
    "VERB {n} OBJs from {p}",
)
VERBS = ("Created", "Updated", "Deleted", "Loaded", "Rejected", "Archived")
OBJECTS = ("order", "invoice", "customer", "session", "cart", "shipment", "payment", "refund")
ROUTES = (
    "/api/orders/{n}", "/api/users/{w}/profile", "/api/products/SKU-{n}", "/static{p}",
    "/api/search?q={w}&page={n}", "/api/carts/{u}/items", "/healthz", "/metrics",
    "/api/invoices/{n}/pdf", "/api/sessions/{x}", "/login", "/api/files{p}",
)  # fmt: skip
JSON_SHAPES = (
    '{"event": "EVENT", "id": "{u}", "user": "{w}", "latency_ms": {n}}',  # as json.dumps
    '{"event":"EVENT","order":{n},"amount":{f},"currency":"EUR","ip":"{i}"}',
    '{"event":"EVENT","trace":"{x}","path":"{p}","status":{s}}',
)
EVENTS = (
    "charge.captured", "charge.failed", "user.login", "user.logout", "cart.updated",
    "order.shipped", "email.sent", "job.finished", "cache.evicted", "webhook.retried",
)  # fmt: skip
OTHER = (
    "sshd[{n}]: Accepted publickey for {w} from {i} port {n} ssh2",
    "sshd[{n}]: Failed password for invalid user {w} from {i} port {n} ssh2",
    "sshd[{n}]: Invalid user {w} from {i} port {n}",
    "sshd[{n}]: Connection closed by {i} port {n} [preauth]",
    "sshd[{n}]: pam_unix(sshd:session): session opened for user {w}(uid={n}) by (uid=0)",
    "sshd[{n}]: pam_unix(sshd:session): session closed for user {w}",
    "sshd[{n}]: Received disconnect from {i} port {n}:11: disconnected by user",
    "CRON[{n}]: (root) CMD (run-parts /etc/cron.hourly)",
    "CRON[{n}]: ({w}) CMD ({p} --quiet)",
    "systemd[1]: Started session-{n}.scope - Session {n} of User {w}.",
    "systemd[1]: Starting Cleanup of Temporary Directories...",
    "systemd-logind[{n}]: New session {n} of user {w}.",
    "systemd-logind[{n}]: Removed session {n}.",
    "kernel: [{f}] [UFW BLOCK] IN=eth0 OUT= SRC={i} DST={i} LEN={n} PROTO=TCP SPT={n} DPT={n}",
    "kernel: [{f}] Out of memory: Killed process {n} ({w}) total-vm:{n}kB, anon-rss:{n}kB",
    "kernel: [{f}] TCP: request_sock_TCP: Possible SYN flooding on port {n}. Sending cookies.",
    "kernel: [{f}] usb 1-{n}: new high-speed USB device number {n} using xhci_hcd",
    "kernel: [{f}] e1000e: eth0 NIC Link is Up {n} Mbps Full Duplex",
    "sudo[{n}]: {w} : TTY=pts/{n} ; PWD={p} ; USER=root ; COMMAND={p}",
    "dhclient[{n}]: DHCPACK of {i} from {i}",
    "ntpd[{n}]: adjusting local clock by {f}s",
    "postfix/smtpd[{n}]: connect from unknown[{i}]",
    "postfix/qmgr[{n}]: {x}: removed",
    "GC pause (G1 Evacuation Pause) {n}M->{n}M({n}M) {f}ms",
    "Retrying request {u} to {i}:{n} (attempt {n} of 5)",
    "Health check passed: db=UP cache=UP queue=UP (checks {n} of {n})",
)
TABLES = ("orders", "order_lines", "customers", "invoices", "payments", "stock", "audit")
QUEUES = ("emails", "invoices", "exports", "thumbnails", "webhooks")
SHAPES_BY_NAME = (
    "Slow query ({n} ms): SELECT * FROM NAME WHERE id = {n}",
    "Worker {n} picked job {u} from queue NAME",
)
STATUSES = (200, 200, 200, 200, 201, 204, 301, 304, 400, 401, 403, 404, 500, 502, 503)


def message_templates() -> list[str]:
    """Return the generator's templates, a few hundred, in a fixed order."""
    out = [
        s.replace("VERB", v).replace("OBJ", o) for s in APP_SHAPES for v in VERBS for o in OBJECTS
    ]
    for method in ("GET", "POST", "PUT", "DELETE"):
        out += [f'{{i}} "{method} {route} HTTP/1.1" {{s}} {{n}} {{f}}' for route in ROUTES]
    out += [s.replace("EVENT", e) for s in JSON_SHAPES for e in EVENTS]
    out += [s.replace("NAME", name) for s in SHAPES_BY_NAME for name in TABLES + QUEUES]
    return out + list(OTHER)


def _slot_values(rng: np.random.Generator, pools: dict[str, pl.Series]) -> dict[str, Callable]:
    """Return, for each slot kind, a function of a row count giving that many values."""

    def number(k: int) -> pl.Series:
        return pl.Series((rng.random(k) * 10.0 ** rng.integers(1, 8, k)).astype(np.int64))

    def pooled(kind: str) -> Callable[[int], pl.Series]:
        return lambda k: pools[kind].gather(rng.integers(0, len(pools[kind]), k))

    def ip(k: int) -> pl.Series:
        octets = [pl.Series(rng.integers(1, 255, k)).cast(pl.String) for _ in range(4)]
        return pl.select(pl.concat_str(octets, separator=".")).to_series()

    return {
        "n": number,
        "f": lambda k: pl.Series(np.round(rng.random(k) * 100, 3)),
        "x": pooled("x"), "u": pooled("u"), "p": pooled("p"), "w": pooled("w"), "i": ip,
        "s": lambda k: pl.Series(STATUSES).gather(rng.integers(0, len(STATUSES), k)),
    }  # fmt: skip


def generate(lines: int, seed: int) -> pl.Series:
    """Return `lines` messages from message_templates(), built column-wise (seeded)."""
    rng = np.random.default_rng(seed)
    words = ("alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy")
    dirs = ("var", "log", "opt", "srv", "data", "tmp", "etc", "cache", "home", "app")
    paths = [
        "/" + "/".join(rng.choice(dirs, rng.integers(2, 5))) + f"/f{i}.log" for i in range(2000)
    ]
    pools = {
        "x": pl.Series([f"0x{v:08x}" for v in rng.integers(0, 2**32, 4096)]),
        "u": pl.Series([str(uuid.UUID(bytes=rng.bytes(16))) for _ in range(20_000)]),
        "w": pl.Series([f"{words[i % 10]}{i // 10 or ''}" for i in range(500)]),
        "p": pl.Series(paths),
    }
    values = _slot_values(rng, pools)
    templates = message_templates()
    weights = 1.0 / np.arange(1, len(templates) + 1) ** 0.9  # a few common, a long tail
    kind = rng.choice(len(templates), lines, p=rng.permutation(weights / weights.sum()))
    order = np.argsort(kind, kind="stable")
    counts = np.bincount(kind, minlength=len(templates))
    parts = []
    for template, count in zip(templates, counts, strict=True):  # over templates, not rows
        slots = re.findall(r"\{(\w)\}", template)
        columns = {f"c{j}": values[slot](int(count)) for j, slot in enumerate(slots)}
        if not columns:  # a constant message
            parts.append(pl.Series([template] * int(count)))
            continue
        filled = _format(re.sub(r"\{\w\}", "{}", template), *map(pl.col, columns))
        parts.append(pl.DataFrame(columns).select(filled).to_series())
    sorted_messages = pl.concat(parts).alias("message")
    return sorted_messages.gather(np.argsort(order))


def messages_file(lines: int, seed: int) -> Path:
    """Return the cached parquet of generated messages, writing it on first use."""
    path = DATA / f"patterns-l{lines}-s{seed}-v{GENERATOR_VERSION}.parquet"
    if not path.is_file():
        messages = generate(lines, seed)
        DATA.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f".{path.name}.{os.getpid()}")
        pl.DataFrame(messages).write_parquet(partial)
        os.replace(partial, path)
    return path


def normalise(templates: pl.Expr) -> pl.Expr:
    """Return templates with every placeholder written `<*>` and whitespace collapsed."""
    return (
        templates.str.replace_all(PLACEHOLDER, "<*>").str.replace_all(r"\s+", " ").str.strip_chars()
    )


def scores(ids: pl.Series, templates: pl.Series, truth: pl.DataFrame) -> tuple[float, float]:
    """Return grouping and parsing accuracy of predicted ids and templates against the truth."""
    frame = pl.DataFrame({"id": ids, "tpl": templates, "true": truth["EventId"]})
    frame = frame.with_columns(true_tpl=truth["EventTemplate"])
    n_id, n_true = pl.len().over("id"), pl.len().over("true")
    right_group = (n_id == n_true) & (n_id == pl.len().over("id", "true"))
    right_template = normalise(pl.col("tpl")) == normalise(pl.col("true_tpl"))
    return tuple(frame.select(right_group.mean(), right_template.mean()).row(0))


def drain3_defaults(content: pl.Series) -> tuple[pl.Series, pl.Series]:
    """Return drain3's final cluster id and template for each line, with its default settings."""
    miner = TemplateMiner(config=TemplateMinerConfig())
    cids = [miner.add_log_message(line)["cluster_id"] for line in content]
    templates = {cid: miner.drain.id_to_cluster[cid].get_template() for cid in set(cids)}
    return pl.Series([str(c) for c in cids]), pl.Series([templates[c] for c in cids])


def accuracy() -> None:
    if not LOGHUB.is_dir():
        print(f"accuracy: {LOGHUB} is missing; skipped")
        return
    print(f"accuracy on Loghub 2k ({LOGHUB})")
    print(
        f"{'dataset':<11}{'rows':>7}{'GA engine':>11}{'GA drain3':>11}{'PA engine':>11}{'PA drain3':>11}"
    )
    rows: list[tuple[str, float, float, float, float]] = []
    for system in SYSTEMS:
        path = LOGHUB / system / f"{system}_2k.log_structured.csv"
        truth = pl.read_csv(path, infer_schema=False)
        content = truth["Content"].fill_null("")
        mined = mine_messages(content)
        tpl = mined.ids.replace_strict(mined.templates, return_dtype=pl.String)
        ga, pa = scores(mined.ids, tpl, truth)
        ga_d, pa_d = scores(*drain3_defaults(content), truth)
        rows.append((system, ga, ga_d, pa, pa_d))
        print(f"{system:<11}{truth.height:>7,}{ga:>11.3f}{ga_d:>11.3f}{pa:>11.3f}{pa_d:>11.3f}")
    means = [statistics.mean(r[k] for r in rows) for k in range(1, 5)]
    print(f"{'mean':<18}" + "".join(f"{m:>11.3f}" for m in means))
    verdict = "PASS" if means[0] >= GA_MEAN_TARGET else "FAIL"
    print(f"target mean GA engine >= {GA_MEAN_TARGET:.2f}: {means[0]:.3f}  {verdict}")
    worst = min(rows, key=lambda r: r[1])
    verdict = "PASS" if worst[1] >= GA_MIN_TARGET else "FAIL"
    print(
        f"target every GA engine >= {GA_MIN_TARGET:.2f}: lowest {worst[1]:.3f} ({worst[0]})  {verdict}"
    )


def child(path: str) -> int:
    """Run the whole engine once on the messages in `path` (as a table: one entry every 10 ms,
    levels cycling); print seconds, own peak memory and patterns as JSON."""
    messages = pl.read_parquet(path).to_series()
    n = messages.len()
    levels = pl.Series(["INFO", "INFO", "INFO", "DEBUG", "WARN", "ERROR"] * (n // 6 + 1)).head(n)
    table = pl.DataFrame(
        {
            "ts": pl.datetime_range(
                datetime(2026, 3, 10, tzinfo=UTC),
                datetime(2026, 3, 10, tzinfo=UTC) + timedelta(milliseconds=10 * (n - 1)),
                interval="10ms",
                time_unit="us",
                eager=True,
            ),
            "level": levels,
            "message": messages,
        }
    )
    baseline = _rss_bytes()
    start = time.perf_counter()
    found = mine(table)
    seconds = time.perf_counter() - start
    if found.ids.len() != n or sum(p.count for p in found.patterns) != n:
        raise SystemExit(f"{found.ids.len():,} ids for {n:,} messages")
    peak = _peak_rss_bytes() - baseline
    print(json.dumps({"seconds": seconds, "peak_bytes": peak, "patterns": len(found.patterns)}))
    return 0


def run_engine(path: Path) -> dict[str, float]:
    """Return one mine() run measured in a fresh process."""
    command = [sys.executable, __file__, "--child", str(path)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["no output"])[-1]
        raise RuntimeError(f"mine() failed: {last}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def run_drain3(lines: list[str], masked: bool) -> tuple[float, int]:
    """Return seconds to feed every line to a fresh drain3 miner, and its cluster count."""
    config = TemplateMinerConfig()
    if masked:
        config.masking_instructions = [
            MaskingInstruction(_EDGE_L + pattern + _EDGE_R, name) for pattern, name in DRAIN3_MASKS
        ]
    miner = TemplateMiner(config=config)
    start = time.perf_counter()
    for line in lines:
        miner.add_log_message(line)
    return time.perf_counter() - start, len(miner.drain.id_to_cluster)


def speed(lines: int, drain_lines: int, repeat: int, seed: int) -> None:
    path = messages_file(lines, seed)
    messages = pl.read_parquet(path).to_series()
    templates = len(message_templates())
    print(
        f"speed: {messages.len():,} messages from {templates} templates, "
        f"{messages.estimated_size() / 2**20:,.0f} MiB; {path}"
    )
    print(f"each measure runs {repeat}x, median; the engine in a fresh process each run")
    runs = [run_engine(path) for _ in range(repeat)]
    engine_s = statistics.median(r["seconds"] for r in runs)
    prefix = messages.head(drain_lines).to_list()
    table = [("logview mine()", messages.len(), engine_s, int(runs[0]["patterns"]))]
    for name, masked in (("drain3 masked", True), ("drain3 unmasked", False)):
        timed = [run_drain3(prefix, masked) for _ in range(repeat)]
        table.append((name, len(prefix), statistics.median(t[0] for t in timed), timed[0][1]))
    print()
    print(f"{'miner':<25}{'lines':>11}{'seconds':>9}{'lines/s':>12}{'patterns':>10}")
    for name, n, seconds, patterns in table:
        print(f"{name:<25}{n:>11,}{seconds:>9.2f}{n / seconds:>12,.0f}{patterns:>10,}")
    peak = max(r["peak_bytes"] for r in runs)
    print(
        f"engine peak memory (largest of {repeat}, above imports and input): {peak / 2**20:,.0f} MiB"
    )
    print()
    rate = {name: n / seconds for name, n, seconds, _ in table}
    engine_rate = rate["logview mine()"]
    for name, target in (("drain3 masked", MASKED_TARGET), ("drain3 unmasked", UNMASKED_TARGET)):
        ratio = engine_rate / rate[name]
        verdict = "PASS" if ratio >= target else "FAIL"
        print(f"target lines/s engine/{name} >= {target:.0f}x: {ratio:.1f}x  {verdict}")
    limit = SECONDS_TARGET * messages.len() / TARGET_LINES
    verdict = "PASS" if engine_s < limit else "FAIL"
    print(
        f"target engine < {limit:.2f} s for {messages.len():,} lines: {engine_s:.2f} s  {verdict}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=TARGET_LINES)
    parser.add_argument("--drain-lines", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    only = parser.add_mutually_exclusive_group()
    only.add_argument("--accuracy-only", action="store_true")
    only.add_argument("--speed-only", action="store_true")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        return child(args.child)
    if not args.speed_only:
        accuracy()
    if not args.accuracy_only:
        if not args.speed_only:
            print()
        speed(args.lines, args.drain_lines, args.repeat, args.seed)
    return 0


if __name__ == "__main__":
    sys.exit(main())
