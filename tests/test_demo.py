"""The demo bundle: deterministic, written atomically, every promised format, a findable incident."""

from __future__ import annotations

import csv
import gzip
import hashlib
import importlib.util
import io
import json
import re
import sys
import tarfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import polars as pl
import pytest

from logview.core import demo

ACCESS_LINE = re.compile(
    r'^\d+\.\d+\.\d+\.\d+ - - \[\d\d/\w{3}/2026:\d\d:\d\d:\d\d \+0000\] "[A-Z]+ \S+ HTTP/1\.1" '
    r'\d{3} \d+ "[^"]*" "[^"]*"$'
)
ISO_TEXT_LINE = re.compile(
    r"^2026-03-(09|10)T\d\d:\d\d:\d\d\.\d{3}Z (TRACE|DEBUG|INFO |WARN |ERROR) "
)
PYTHON_LINE = re.compile(r"^2026-03-(09|10) \d\d:\d\d:\d\d,\d{3} (DEBUG|INFO|WARNING|ERROR) \[")
SYSLOG_LINE = re.compile(r"^Mar [ 1]\d \d\d:\d\d:\d\d web-01 [\w./-]+(\[\d+\])?: ")


def _digest(folder: Path) -> str:
    h = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        h.update(path.relative_to(folder).as_posix().encode())
        if path.is_file():
            h.update(path.read_bytes())
    return h.hexdigest()


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return demo.write_demo_bundle(tmp_path_factory.mktemp("demo") / "bundle")


@pytest.fixture(scope="module")
def members(bundle: Path) -> dict[str, bytes]:
    """The tarball's files by path, decompressed where logrotate compressed them."""
    out = {}
    with tarfile.open(bundle / demo.BUNDLE_NAME) as tar:
        for info in tar.getmembers():
            if info.isfile():
                data = tar.extractfile(info).read()  # type: ignore[union-attr]
                out[info.name] = gzip.decompress(data) if info.name.endswith(".gz") else data
    return out


def _lines(data: bytes) -> list[str]:
    return data.decode().splitlines()


@pytest.mark.slow
def test_same_seed_gives_the_same_bytes(bundle: Path, tmp_path: Path) -> None:
    again = demo.write_demo_bundle(tmp_path / "again")
    assert _digest(again) == _digest(bundle)


@pytest.mark.slow
def test_another_seed_gives_another_bundle(bundle: Path, tmp_path: Path) -> None:
    other = demo.write_demo_bundle(tmp_path / "other", seed=8)
    assert _digest(other) != _digest(bundle)


def test_failure_midway_leaves_no_folder_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object) -> list[object]:
        raise RuntimeError("disk full")

    # The worker is generated after the gateway, orders and payments files are in memory.
    monkeypatch.setattr(demo, "_worker_log", broken)
    with pytest.raises(RuntimeError, match="disk full"):
        demo.write_demo_bundle(tmp_path / "demo")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.slow
def test_failed_regeneration_keeps_the_previous_bundle(
    bundle: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = demo.write_demo_bundle(tmp_path / "demo")
    before = _digest(target)

    def broken(*args: object) -> object:
        raise OSError("no space left on device")

    monkeypatch.setattr(demo, "_auth_insights_csv", broken)
    with pytest.raises(OSError, match="no space left"):
        demo.write_demo_bundle(target)
    assert _digest(target) == before
    assert [p.name for p in tmp_path.iterdir()] == ["demo"]


@pytest.mark.slow
def test_rewriting_replaces_the_previous_bundle_and_leaves_nothing_else(
    bundle: Path, tmp_path: Path
) -> None:
    target = demo.write_demo_bundle(tmp_path / "demo", seed=8)
    demo.write_demo_bundle(target)
    assert _digest(target) == _digest(bundle)
    assert [p.name for p in tmp_path.iterdir()] == ["demo"]


def test_bundle_is_a_tarball_and_an_insights_export(bundle: Path) -> None:
    assert sorted(p.name for p in bundle.iterdir()) == sorted(
        [demo.BUNDLE_NAME, demo.INSIGHTS_NAME]
    )


def test_tarball_holds_every_service_and_the_rotations(members: dict[str, bytes]) -> None:
    assert sorted(members) == [
        "support-bundle/gateway/access.log",
        "support-bundle/orders/orders.log",
        "support-bundle/orders/orders.log.1",
        "support-bundle/orders/orders.log.2.gz",
        "support-bundle/payments/payments.log",
        "support-bundle/var/log/messages",
        "support-bundle/worker/worker.log",
    ]


def test_rotated_orders_logs_are_consecutive_in_time(members: dict[str, bytes]) -> None:
    def first_last(name: str) -> tuple[str, str]:
        stamps = [line[:24] for line in _lines(members[name]) if ISO_TEXT_LINE.match(line)]
        return stamps[0], stamps[-1]

    oldest = first_last("support-bundle/orders/orders.log.2.gz")
    middle = first_last("support-bundle/orders/orders.log.1")
    newest = first_last("support-bundle/orders/orders.log")
    assert oldest[0].startswith("2026-03-09T00:") and oldest[1] < "2026-03-09T06:25"
    assert "2026-03-09T06:25" <= middle[0] and middle[1] < "2026-03-10T06:25"
    assert "2026-03-10T06:25" <= newest[0] and newest[1].startswith("2026-03-10T23:")


def test_gateway_writes_combined_access_log_lines(members: dict[str, bytes]) -> None:
    lines = _lines(members["support-bundle/gateway/access.log"])
    assert all(ACCESS_LINE.match(line) for line in lines)
    assert len({line.split('"')[1].split()[1].split("?")[0] for line in lines}) > 300


def test_orders_log_has_java_stack_traces_with_causes(members: dict[str, bytes]) -> None:
    text = members["support-bundle/orders/orders.log"].decode()
    lines = text.splitlines()
    starts = [line for line in lines if ISO_TEXT_LINE.match(line)]
    continuations = [line for line in lines if not ISO_TEXT_LINE.match(line)]
    assert any(line.startswith("\tat com.example.orders.") for line in continuations)
    assert "Caused by: java.net.SocketTimeoutException: Read timed out" in text
    assert all(
        line.startswith(("\tat ", "\t... ", "Caused by: ", "  Detail: ", "java.", "com.", "org."))
        for line in continuations
    )
    assert len(starts) > 10_000


def test_payments_writes_json_lines_with_order_and_latency(members: dict[str, bytes]) -> None:
    records = [json.loads(line) for line in _lines(members["support-bundle/payments/payments.log"])]
    assert all({"ts", "level", "logger", "msg"} <= r.keys() for r in records)
    charges = [r for r in records if r["msg"].startswith("Charge captured")]
    assert charges and all(isinstance(r["latency_ms"], int) for r in charges)
    assert all(r["order_id"] in r["msg"] for r in charges)


def test_worker_log_has_python_tracebacks(members: dict[str, bytes]) -> None:
    lines = _lines(members["support-bundle/worker/worker.log"])
    assert PYTHON_LINE.match(lines[0])
    tracebacks = [i for i, line in enumerate(lines) if line == "Traceback (most recent call last):"]
    assert tracebacks and all(PYTHON_LINE.match(lines[i - 1]) for i in tracebacks)
    assert any(line.startswith("sqlalchemy.exc.TimeoutError: QueuePool limit") for line in lines)


def test_messages_is_yearless_syslog_with_hourly_cron(members: dict[str, bytes]) -> None:
    lines = _lines(members["support-bundle/var/log/messages"])
    assert all(SYSLOG_LINE.match(line) for line in lines)
    cron = [line for line in lines if "CMD (run-parts /etc/cron.hourly)" in line]
    assert len(cron) == 48


def test_insights_export_has_the_console_header_and_lambda_lines(bundle: Path) -> None:
    rows = list(csv.DictReader(io.StringIO((bundle / demo.INSIGHTS_NAME).read_text())))
    assert list(rows[0]) == ["@timestamp", "@message", "@logStream", "@log"]
    assert {r["@log"] for r in rows} == {"123456789012:/aws/lambda/auth"}
    assert any(r["@message"].startswith("REPORT RequestId: ") for r in rows)
    assert re.fullmatch(r"2026-03-10 \d\d:\d\d:\d\d\.\d{3}", rows[0]["@timestamp"])


def test_bundle_size_is_in_the_promised_range(members: dict[str, bytes], bundle: Path) -> None:
    lines = sum(data.count(b"\n") for data in members.values())
    lines += (bundle / demo.INSIGHTS_NAME).read_bytes().count(b"\n")
    assert 100_000 <= lines <= 300_000


def test_worker_heartbeat_stops_for_ten_minutes_in_the_incident(members: dict[str, bytes]) -> None:
    beats = [
        datetime.strptime(line[:19], "%Y-%m-%d %H:%M:%S")
        for line in _lines(members["support-bundle/worker/worker.log"])
        if "heartbeat ok" in line
    ]
    gaps = [b - a for a, b in zip(beats, beats[1:], strict=False)]
    assert max(gaps) >= timedelta(minutes=10)
    assert sorted(gaps)[-2] < timedelta(minutes=2)
    assert beats[gaps.index(max(gaps))].strftime("%Y-%m-%d %H") == "2026-03-10 14"


def test_failover_brings_a_new_db_host_only_after_the_incident_starts(
    members: dict[str, bytes],
) -> None:
    records = [json.loads(line) for line in _lines(members["support-bundle/payments/payments.log"])]
    hosts = [(r["ts"], r["db_host"]) for r in records if "db_host" in r]
    first_new = min(ts for ts, host in hosts if host == "payments-db-2")
    assert "2026-03-10T14:05" < first_new < "2026-03-10T14:40"


@pytest.mark.slow
@pytest.mark.skipif(sys.platform != "linux", reason="checks the XDG cache location")
def test_demo_path_generates_once_in_the_user_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    calls: list[Path] = []
    real = demo.write_demo_bundle

    def counting(folder: Path, **kw: int) -> Path:
        calls.append(folder)
        return real(folder, **kw)

    monkeypatch.setattr(demo, "write_demo_bundle", counting)
    first = demo.demo_path()
    second = demo.demo_path()
    assert first == second == tmp_path / "cache" / "logview" / f"demo-{demo.DEMO_VERSION}"
    assert len(calls) == 1
    assert (first / demo.BUNDLE_NAME).is_file()


# ---------------------------------------------------------------- through ingest

try:
    from logview.core.reading.ingest import ingest
except ImportError as err:  # the lead's ingest depends on modules other helpers are writing
    ingest = None
    INGEST_MISSING = f"logview.core.reading.ingest is not importable yet: {err}"
else:
    INGEST_MISSING = ""


@pytest.fixture(scope="module")
def ingested(bundle: Path):  # noqa: ANN201 - Ingested, imported only when available
    if ingest is None:
        pytest.skip(INGEST_MISSING)
    return ingest([bundle])


@pytest.mark.slow
def test_bundle_ingests_without_warnings(ingested) -> None:  # noqa: ANN001
    assert ingested.warnings == ()
    assert all(s.format != "skipped" for s in ingested.sources)


def test_each_file_is_read_in_its_format(ingested) -> None:  # noqa: ANN001
    expected = {
        "gateway/access.log": "access",
        "orders/orders.log": "text",
        "orders/orders.log.1": "text",
        "orders/orders.log.2.gz": "text",
        "payments/payments.log": "jsonl",
        "worker/worker.log": "text",
        "var/log/messages": "syslog",
        demo.INSIGHTS_NAME: "cloudwatch-csv",
    }
    found = {
        suffix: s.format for s in ingested.sources for suffix in expected if s.name.endswith(suffix)
    }
    assert found == expected


def test_bundle_spans_the_two_days(ingested) -> None:  # noqa: ANN001
    stamps = ingested.table["ts"]
    assert stamps.null_count() == 0
    assert stamps.min() >= datetime(2026, 3, 9, tzinfo=UTC)
    assert stamps.min() < datetime(2026, 3, 9, 0, 5, tzinfo=UTC)
    assert stamps.max() > datetime(2026, 3, 10, 23, 55, tzinfo=UTC)
    assert stamps.max() < datetime(2026, 3, 11, 0, 1, tzinfo=UTC)


def test_incident_window_has_more_errors_than_the_day_before(ingested) -> None:  # noqa: ANN001
    def errors(start: datetime) -> int:
        window = pl.col("ts").is_between(start, start + timedelta(minutes=35), closed="left")
        return ingested.table.filter(window & (pl.col("level") == "ERROR")).height

    incident = errors(datetime(2026, 3, 10, 14, 5, tzinfo=UTC))
    day_before = errors(datetime(2026, 3, 9, 14, 5, tzinfo=UTC))
    assert incident > 10 * max(day_before, 1)


# ---------------------------------------------------------------- the benchmark's bundle


def _benchmark_bundle_module():  # noqa: ANN202 - a module loaded from its path
    path = Path(__file__).resolve().parents[1] / "benchmarks" / "bundle.py"
    spec = importlib.util.spec_from_file_location("benchmark_bundle", path)
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def test_benchmark_bundle_has_the_lines_asked_for_in_four_formats(tmp_path: Path) -> None:
    bundle_module = _benchmark_bundle_module()
    paths = bundle_module.make_bundle(tmp_path, lines=5000, seed=2)
    stats = bundle_module.manifest(paths)
    counted = 0
    for path in paths:
        data = path.read_bytes()
        data = gzip.decompress(data) if path.suffix == ".gz" else data
        counted += data.count(b"\n")
        assert stats[path.relative_to(paths[0].parents[1]).as_posix()]["bytes"] == len(data)
    assert counted == sum(f["lines"] for f in stats.values()) >= 5000
    assert {f["format"] for f in stats.values()} == {"text", "json", "access", "syslog"}
    assert sum(1 for p in paths if p.suffix == ".gz") == 3
    assert sum(f["entries"] for f in stats.values()) < counted  # stack traces span lines


def test_benchmark_bundle_is_reused_from_its_cache(tmp_path: Path) -> None:
    bundle_module = _benchmark_bundle_module()
    first = bundle_module.make_bundle(tmp_path, lines=2000, seed=2)
    stamp = first[0].stat().st_mtime_ns, first[0].stat().st_ino
    again = bundle_module.make_bundle(tmp_path, lines=2000, seed=2)
    assert again == first
    assert (again[0].stat().st_mtime_ns, again[0].stat().st_ino) == stamp
    assert len(list(tmp_path.iterdir())) == 1


@pytest.mark.slow
def test_patterns_are_about_bodies_requests_and_a_first_503(ingested) -> None:  # noqa: ANN001
    """Issue 16's targets on the demo: no large template starts with the header's parts, access
    log patterns are one per method and route, the incident's first 503 is one anomaly."""
    from logview.core.analysis.anomalies import detect
    from logview.core.analysis.patterns import mine

    table = ingested.table
    found = mine(table, top_values=0, samples=0)
    header_like = re.compile(
        r"^(?:<(?:time|num|id)\d*>|\[?(?:TRACE|DEBUG|INFO|WARN|WARNING|ERROR|FATAL)\]?"
        r"|web-01|(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec|Mon|Tue|Wed|Thu|Fri|Sat|Sun))\b"
    )
    assert not [p.template for p in found.patterns[:50] if header_like.match(p.template)]
    access = table.with_columns(found.ids).filter(
        pl.col("source").cast(pl.String).str.ends_with("access.log")
    )
    per_pattern = access.group_by("pattern").agg(pl.col("method").n_unique())
    assert per_pattern["method"].max() == 1
    requests = [t for t in found.templates.values() if t.request]
    assert len(requests) == per_pattern.height
    assert all(t.text.endswith(" <status>") for t in requests)
    anomalies = detect(table["ts"], table["level"], found.ids, found.templates, messages=table)
    firsts = [
        a for a in anomalies if a.value == "503" and a.kind in ("new token value", "HTTP errors")
    ]
    assert len(firsts) == 1
    assert firsts[0].template == "POST /api/checkout <status>"
    assert firsts[0].description.startswith("<status> took the new value '503'")
