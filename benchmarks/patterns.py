"""Pattern mining: accuracy on Loghub 2k (ready-made messages and raw files) and the speed of
the whole `logview patterns` command against drain3, in one run.

    python benchmarks/patterns.py [--lines 2000000] [--drain-lines 200000] [--repeat 3]
                                  [--seed 1] [--accuracy-only | --speed-only]

Accuracy: for each of the nine Loghub 2k systems (../shared/data/loghub-2k from the
repository root; another folder of the same layout with --loghub), grouping accuracy (GA: a
row is right when the rows sharing its predicted id are exactly the rows sharing its true
EventId) and parsing accuracy (PA: its template equals the true EventTemplate, every
placeholder read as `<*>`) of:
- the engine on the ready-made `Content` column (`mine_messages`) and on the raw `X_2k.log`
  file as a user opens it (`ingest`, then `mine_entries` on the entries' bodies; a line that
  is not an entry of its own counts as wrong);
- plain drain3 (its defaults, no masks) on the same two inputs.
Targets (one default configuration): mean GA on Content >= 0.975, on the raw files >= 0.95,
and no system below 0.90 on either.

Speed: about --lines generated lines in three separate files, as a support bundle holds them:
an Nginx combined access log, an application text log (ISO stamp, level, thread, logger) and
a syslog (seeded, cached in benchmarks/.data/). The whole `logview patterns FILES --json`
command runs in a fresh process (import, ingest, mine, token values, output): wall seconds
and peak resident memory (of the child, from getrusage), median of --repeat runs; the JSON's
entry count must equal the lines written (no line swallowed as a continuation). drain3 with
IP/UUID/hex/number masks (its README's style) runs in this process on --drain-lines of the
same lines (taken evenly from the three files). Targets: lines/s at least 10x drain3 masked;
under 5 s for 2M lines.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
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

from logview.core.reading.ingest import ingest  # noqa: E402
from logview.core.analysis.patterns import mine_entries, mine_messages  # noqa: E402

LOGHUB = ROOT.parent / "shared" / "data" / "loghub-2k"
SYSTEMS = ("Apache", "BGL", "HDFS", "Hadoop", "HealthApp", "Linux", "OpenSSH", "Spark", "Zookeeper")
GA_CONTENT_TARGET = 0.975  # mean grouping accuracy over the nine on Content, at least
GA_RAW_TARGET = 0.95  # ... on the raw files, at least
GA_MIN_TARGET = 0.90  # every system's, on either, at least
MASKED_TARGET = 10.0  # `logview patterns` lines/s over drain3 masked lines/s, at least
SECONDS_TARGET = 5.0  # `logview patterns` seconds for TARGET_LINES, below (scaled to --lines)
TARGET_LINES = 2_000_000
GENERATOR_VERSION = 3  # bump when the generated files change

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


def _pools(rng: np.random.Generator) -> dict[str, pl.Series]:
    words = ("alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy")
    dirs = ("var", "log", "opt", "srv", "data", "tmp", "etc", "cache", "home", "app")
    paths = [
        "/" + "/".join(rng.choice(dirs, rng.integers(2, 5))) + f"/f{i}.log" for i in range(2000)
    ]
    return {
        "x": pl.Series([f"0x{v:08x}" for v in rng.integers(0, 2**32, 4096)]),
        "u": pl.Series([str(uuid.UUID(bytes=rng.bytes(16))) for _ in range(20_000)]),
        "w": pl.Series([f"{words[i % 10]}{i // 10 or ''}" for i in range(500)]),
        "p": pl.Series(paths),
    }


def _messages(
    templates: list[str], lines: int, rng: np.random.Generator, values: dict
) -> pl.Series:
    """Return `lines` messages from `templates` (a few common, a long tail), built column-wise:
    the loop runs over templates, never over lines."""
    weights = 1.0 / np.arange(1, len(templates) + 1) ** 0.9
    kind = rng.choice(len(templates), lines, p=rng.permutation(weights / weights.sum()))
    order = np.argsort(kind, kind="stable")
    counts = np.bincount(kind, minlength=len(templates))
    parts = []
    for template, count in zip(templates, counts, strict=True):
        slots = re.findall(r"\{(\w)\}", template)
        columns = {f"c{j}": values[slot](int(count)) for j, slot in enumerate(slots)}
        if not columns:  # a constant message
            parts.append(pl.Series([template] * int(count), dtype=pl.String))
            continue
        filled = _format(re.sub(r"\{\w\}", "{}", template), *map(pl.col, columns))
        parts.append(pl.DataFrame(columns).select(filled).to_series())
    return pl.concat(parts).alias("message").gather(np.argsort(order))


def app_templates() -> list[str]:
    """Return the application log's message templates."""
    out = [
        s.replace("VERB", v).replace("OBJ", o) for s in APP_SHAPES for v in VERBS for o in OBJECTS
    ]
    out += [s.replace("EVENT", e) for s in JSON_SHAPES for e in EVENTS]
    out += [s.replace("NAME", name) for s in SHAPES_BY_NAME for name in TABLES + QUEUES]
    return out + [m for m in OTHER if not re.match(r"^[\w/-]+(?:\[\{n\}\])?:", m)]


def syslog_templates() -> list[str]:
    """Return the syslog's message templates (each `program[pid]: text`)."""
    return [m for m in OTHER if re.match(r"^[\w/-]+(?:\[\{n\}\]|\[1\])?:", m)]


def routes() -> list[str]:
    """Return the access log's requests: method and target templates."""
    return [f"{method} {route}" for method in ("GET", "POST", "PUT", "DELETE") for route in ROUTES]


AGENTS = (
    "Mozilla/5.0 (X11; Linux x86_64; rv:123.0) Gecko/20100101 Firefox/123.0",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_3) AppleWebKit/605.1.15 Version/17.3 Safari/605.1.15",
    "curl/8.5.0", "okhttp/4.12.0", "python-requests/2.31.0", "Googlebot/2.1",
)  # fmt: skip
LOGGERS = ("c.e.orders.OrderService", "c.e.orders.Repository", "c.e.web.Controller",
           "o.h.engine.jdbc.SQL", "c.e.jobs.Worker", "c.e.cache.Loader")  # fmt: skip
# (file, share of the lines)
SPEED_FILES = (("access.log", 0.4), ("app.log", 0.4), ("messages", 0.2))


def speed_files(lines: int, seed: int) -> list[Path]:
    """Return the three generated files (cached), writing them on first use."""
    folder = DATA / f"patterns-files-l{lines}-s{seed}-v{GENERATOR_VERSION}"
    paths = [folder / name for name, _ in SPEED_FILES]
    if all(p.is_file() for p in paths):
        return paths
    rng = np.random.default_rng(seed)
    values = _slot_values(rng, _pools(rng))
    start = datetime(2026, 3, 10, tzinfo=UTC)
    texts = {}
    for name, share in SPEED_FILES:
        n = int(lines * share)
        stamps = pl.datetime_range(
            start, start + timedelta(days=1), interval=f"{86_400_000_000 // n}us",
            time_unit="us", eager=True,
        ).head(n)  # fmt: skip
        pick = lambda pool, k=n: pl.Series(pool).gather(rng.integers(0, len(pool), k))  # noqa: E731
        frame = pl.DataFrame({"ts": stamps, "a": rng.integers(1, 255, n)})
        if name == "access.log":
            requests = _messages(routes(), n, rng, values)
            line = frame.select(
                _format(
                    '{} - - [{}] "{} HTTP/1.1" {} {} "-" "{}"',
                    pl.lit(values["i"](n)),
                    pl.col("ts").dt.strftime("%d/%b/%Y:%H:%M:%S +0000"),
                    pl.lit(requests),
                    pl.lit(values["s"](n)),
                    pl.lit(values["n"](n)),
                    pl.lit(pick(AGENTS)),
                )  # fmt: skip
            )
        elif name == "app.log":
            level = pick(("INFO",) * 6 + ("DEBUG", "DEBUG", "WARN", "ERROR"))
            line = frame.select(
                _format(
                    "{} {} [http-nio-8080-exec-{}] {} - {}",
                    pl.col("ts").dt.strftime("%Y-%m-%dT%H:%M:%S%.3fZ"),
                    pl.lit(level),
                    pl.col("a") % 40,
                    pl.lit(pick(LOGGERS)),
                    pl.lit(_messages(app_templates(), n, rng, values)),
                )  # fmt: skip
            )
        else:
            line = frame.select(
                _format(
                    "{} web-{} {}",
                    pl.col("ts").dt.strftime("%b %e %H:%M:%S"),
                    pl.col("a") % 4,
                    pl.lit(_messages(syslog_templates(), n, rng, values)),
                )  # fmt: skip
            )
        texts[name] = line.to_series().str.join("\n").item() + "\n"
    folder.mkdir(parents=True, exist_ok=True)
    for path, (name, _) in zip(paths, SPEED_FILES, strict=True):
        partial = path.with_name(f".{path.name}.{os.getpid()}")
        partial.write_text(texts[name])
        os.utime(partial, (start.timestamp() + 86400, start.timestamp() + 86400))
        os.replace(partial, path)
    return paths


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


def raw_file_ids(path: Path, lines: int) -> tuple[pl.Series, pl.Series]:
    """Return the engine's pattern id and template for each line of a raw log file, read as a
    user opens it (ingest, then the entries' bodies). A line that is not an entry of its own
    (joined to the one above) gets an id no other line has: it counts as wrong."""
    table = ingest([path]).table
    mined = mine_entries(table)
    got = pl.DataFrame({"line": table["line"].cast(pl.Int64), "id": mined.ids})
    every = pl.DataFrame({"line": pl.int_range(1, lines + 1, eager=True, dtype=pl.Int64)})
    ids = every.join(got, on="line", how="left", maintain_order="left").select(
        pl.col("id").fill_null(pl.format("unread-{}", pl.col("line")))
    )["id"]
    return ids, ids.replace_strict(mined.templates, default="", return_dtype=pl.String)


def accuracy(root: Path) -> None:
    systems = sorted(d.name for d in root.iterdir() if (d / f"{d.name}_2k.log").is_file())
    if not systems:
        print(f"accuracy: no Loghub 2k systems in {root}; skipped")
        return
    print(f"grouping (GA) and parsing (PA) accuracy on Loghub 2k ({root})")
    print(f"{'':<11}{'':>6}{'Content (ready-made)':^34}{'raw X_2k.log file':^34}")
    head = ("GA engine", "GA drain3", "PA engine")
    print(f"{'system':<11}{'rows':>6}" + "".join(f"{h:>11}" for h in head) * 2)
    rows = []
    for system in systems:
        truth = pl.read_csv(root / system / f"{system}_2k.log_structured.csv", infer_schema=False)
        content = truth["Content"].fill_null("")
        mined = mine_messages(content)
        ga, pa = scores(mined.ids, mined.ids.replace_strict(mined.templates), truth)
        ga_d, _ = scores(*drain3_defaults(content), truth)
        log = root / system / f"{system}_2k.log"
        raw_lines = pl.Series(log.read_text(encoding="utf-8", errors="replace").splitlines())
        raw_ga, raw_pa = scores(*raw_file_ids(log, truth.height), truth)
        raw_ga_d, _ = scores(*drain3_defaults(raw_lines.head(truth.height)), truth)
        row = (system, ga, ga_d, pa, raw_ga, raw_ga_d, raw_pa)
        rows.append(row)
        print(f"{system:<11}{truth.height:>6,}" + "".join(f"{v:>11.3f}" for v in row[1:]))
    means = [statistics.mean(r[k] for r in rows) for k in range(1, 7)]
    print(f"{'mean':<17}" + "".join(f"{m:>11.3f}" for m in means))
    for label, column, target in (("Content", 1, GA_CONTENT_TARGET), ("raw", 4, GA_RAW_TARGET)):
        mean = means[column - 1]
        worst = min(rows, key=lambda r, c=column: r[c])
        print(
            f"target mean GA engine on {label} >= {target:.3f}: {mean:.3f}  "
            f"{'PASS' if mean >= target else 'FAIL'}; every system >= {GA_MIN_TARGET:.2f}: "
            f"lowest {worst[column]:.3f} ({worst[0]})  "
            f"{'PASS' if worst[column] >= GA_MIN_TARGET else 'FAIL'}"
        )


def run_command(paths: list[Path], *options: str) -> dict[str, float]:
    """Return one `logview patterns PATHS` run in a fresh process: seconds, the child's own
    peak resident bytes (os.wait4's usage of that child alone), entries and patterns (from
    its first line, or its JSON with --json)."""
    command = [sys.executable, "-m", "logview", "patterns", *map(str, paths), *options]
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        child = subprocess.Popen(command, stdout=out, stderr=err)
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - started
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0), err.seek(0)
        stdout, stderr = out.read().decode(), err.read().decode()
    if child.returncode != 0:
        last = (stderr.strip().splitlines() or ["no output"])[-1]
        raise RuntimeError(f"logview patterns failed: {last}")
    if "--json" in options:
        report = json.loads(stdout)
        entries, patterns = report["entries"], len(report["patterns"])
    else:  # "117 patterns in 2,000,000 entries"
        first = stdout.split("\n", 1)[0].replace(",", "").split()
        entries, patterns = int(first[3]), int(first[0])
    scale = 1 if sys.platform == "darwin" else 1024  # ru_maxrss: bytes on macOS, KiB on Linux
    return {
        "seconds": seconds,
        "peak_bytes": usage.ru_maxrss * scale,
        "entries": entries,
        "patterns": patterns,
    }


def run_drain3(lines: list[str]) -> tuple[float, int]:
    """Return seconds to feed every line to a fresh drain3 miner with masks, and its clusters."""
    config = TemplateMinerConfig()
    config.masking_instructions = [
        MaskingInstruction(_EDGE_L + pattern + _EDGE_R, name) for pattern, name in DRAIN3_MASKS
    ]
    miner = TemplateMiner(config=config)
    start = time.perf_counter()
    for line in lines:
        miner.add_log_message(line)
    return time.perf_counter() - start, len(miner.drain.id_to_cluster)


def speed(lines: int, drain_lines: int, repeat: int, seed: int) -> None:
    paths = speed_files(lines, seed)
    counts = [sum(1 for _ in p.open("rb")) for p in paths]
    size = sum(p.stat().st_size for p in paths)
    total = sum(counts)
    print(
        f"speed: {total:,} lines in {len(paths)} files "
        f"({', '.join(f'{p.name} {n:,}' for p, n in zip(paths, counts, strict=True))}), "
        f"{size / 2**20:,.0f} MiB; {paths[0].parent}"
    )
    print(f"each measure runs {repeat}x, median; logview in a fresh process each run")
    runs = [run_command(paths) for _ in range(repeat)]
    detailed = [run_command(paths, "--json") for _ in range(repeat)]
    if any(r["entries"] != total for r in runs + detailed):
        raise SystemExit(f"the input is not what it claims: {runs[0]['entries']:,} entries mined "
                         f"from {total:,} lines")  # fmt: skip
    seconds = statistics.median(r["seconds"] for r in runs)
    per_file = [p.read_text().splitlines() for p in paths]
    share = [max(1, drain_lines * n // total) for n in counts]
    sample = [line for lines_, k in zip(per_file, share, strict=True) for line in lines_[:: max(1, len(lines_) // k)][:k]]  # fmt: skip
    timed = [run_drain3(sample) for _ in range(repeat)]
    drain_s = statistics.median(t[0] for t in timed)
    print()
    print(f"{'':<27}{'lines':>11}{'seconds':>9}{'lines/s':>12}{'patterns':>10}")
    print(f"{'logview patterns (command)':<27}{total:>11,}{seconds:>9.2f}{total / seconds:>12,.0f}"
          f"{int(runs[0]['patterns']):>10,}")  # fmt: skip
    json_s = statistics.median(r["seconds"] for r in detailed)
    print(f"{'  ... --json (+ tokens)':<27}{total:>11,}{json_s:>9.2f}{total / json_s:>12,.0f}"
          f"{int(detailed[0]['patterns']):>10,}")  # fmt: skip
    print(f"{'drain3 masked':<27}{len(sample):>11,}{drain_s:>9.2f}{len(sample) / drain_s:>12,.0f}"
          f"{timed[0][1]:>10,}")  # fmt: skip
    peak = max(r["peak_bytes"] for r in runs)
    print(f"logview peak memory (the whole process, largest of {repeat}): {peak / 2**20:,.0f} MiB"
          f" ({peak / size:.1f}x the input; with --json "
          f"{max(r['peak_bytes'] for r in detailed) / 2**20:,.0f} MiB)")  # fmt: skip
    print()
    ratio = (total / seconds) / (len(sample) / drain_s)
    print(f"target lines/s logview/drain3 masked >= {MASKED_TARGET:.0f}x: {ratio:.1f}x  "
          f"{'PASS' if ratio >= MASKED_TARGET else 'FAIL'}")  # fmt: skip
    limit = SECONDS_TARGET * total / TARGET_LINES
    print(f"target logview patterns < {limit:.2f} s for {total:,} lines: {seconds:.2f} s  "
          f"{'PASS' if seconds < limit else 'FAIL'}")  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=TARGET_LINES)
    parser.add_argument("--drain-lines", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--loghub", type=Path, default=LOGHUB)
    only = parser.add_mutually_exclusive_group()
    only.add_argument("--accuracy-only", action="store_true")
    only.add_argument("--speed-only", action="store_true")
    args = parser.parse_args(argv)
    if not args.speed_only:
        accuracy(args.loghub)
    if not args.accuracy_only:
        if not args.speed_only:
            print()
        speed(args.lines, args.drain_lines, args.repeat, args.seed)
    return 0


if __name__ == "__main__":
    sys.exit(main())
