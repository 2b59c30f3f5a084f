"""Anomalies: injected incidents of each kind are found within one window of their start;
a steady two-day baseline with a daily rhythm stays quiet."""

from __future__ import annotations

import math
import random
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

import polars as pl
import pytest

from logview.core.analysis.anomalies import detect
from logview.core.analysis.patterns import mine_messages
from logview.core.shared.table import TS

DAY1 = datetime(2026, 3, 9, tzinfo=UTC)
INCIDENT = DAY1 + timedelta(days=1, hours=14)


def generate(incidents: bool, seed: int = 11) -> pl.DataFrame:
    rng = random.Random(seed)
    rows: list[tuple[datetime, str, str]] = []
    minutes = 2 * 24 * 60
    for minute in range(minutes):
        at = DAY1 + timedelta(minutes=minute)
        hour = (minute / 60) % 24
        busy = 1 + 0.8 * math.sin((hour - 8) / 24 * 2 * math.pi)  # a daily rhythm
        in_incident = incidents and INCIDENT <= at < INCIDENT + timedelta(minutes=30)
        if not (in_incident and at < INCIDENT + timedelta(minutes=20)):
            rows.append((at, "INFO", f"heartbeat ok seq {minute}"))
        for _ in range(_poisson(rng, 6 * busy)):
            rows.append((at + timedelta(seconds=rng.randrange(60)), "INFO",
                         f"request {rng.randrange(10**6)} served in {rng.randrange(90)} ms"))  # fmt: skip
        checkout = 4 * busy * (10 if in_incident else 1)
        for _ in range(_poisson(rng, checkout)):
            rows.append((at + timedelta(seconds=rng.randrange(60)), "INFO",
                         f"checkout started for cart {rng.randrange(10**5)}"))  # fmt: skip
        cache = 5 * busy * (0.05 if in_incident else 1)
        for _ in range(_poisson(rng, cache)):
            rows.append((at + timedelta(seconds=rng.randrange(60)), "DEBUG",
                         f"cache refreshed for key k{rng.randrange(10**5)}"))  # fmt: skip
        if in_incident:
            for _ in range(3):
                rows.append((at + timedelta(seconds=rng.randrange(60)), "ERROR",
                             f"PaymentTimeoutException calling psp after {rng.randrange(5000, 9000)} ms"))  # fmt: skip
    rows.sort()
    return entries_frame(rows)


def entries_frame(rows: Iterable[tuple[datetime, str, str]]) -> pl.DataFrame:
    """Return (stamp, level, message) rows as a frame of the table's ts, level and message."""
    ts, levels, messages = zip(*rows, strict=True)
    return pl.DataFrame(
        {"ts": ts, "level": levels, "message": messages},
        schema={"ts": TS, "level": pl.String, "message": pl.String},
    )


def as_log_text(rows: Iterable[tuple[datetime, str, str]]) -> str:
    """Return (stamp, level, message) rows as the lines of a plain-text log."""
    return "".join(f"{t:%Y-%m-%dT%H:%M:%S}Z {lvl} {m}\n" for t, lvl, m in rows)


def _poisson(rng: random.Random, mean: float) -> int:
    threshold, k, product = math.exp(-mean), 0, rng.random()
    while product > threshold:
        k += 1
        product *= rng.random()
    return k


def run(table: pl.DataFrame):  # noqa: ANN201
    mined = mine_messages(table["message"])
    return detect(table["ts"], table["level"], mined.ids, mined.by_id)


@pytest.fixture(scope="module")
def found():
    return run(generate(incidents=True))


@pytest.mark.slow
@pytest.mark.parametrize(
    ("kind", "fragment"),
    [
        ("new pattern", "PaymentTimeoutException"),
        ("spike", "checkout started"),
        ("drop", "cache refreshed"),
        ("stopped", "heartbeat"),
        ("error surge", "ERROR"),
    ],
)
def test_each_injected_incident_is_found_near_its_start(found, kind, fragment):
    matches = [a for a in found if a.kind == kind and fragment in a.template]
    assert matches, [(a.kind, a.template, a.start) for a in found]
    first = min(matches, key=lambda a: a.start)
    assert abs(first.start - INCIDENT) <= timedelta(minutes=5)


def test_incident_anomalies_are_merged_prioritised_and_described(found):
    new = next(a for a in found if a.kind == "new pattern")
    assert new.priority == "HIGH" and new.end - new.start == timedelta(minutes=30)
    assert new.observed == 90 and "never seen before" in new.description
    spike = next(a for a in found if a.kind == "spike")
    assert spike.observed > 5 * spike.expected


@pytest.mark.slow
def test_each_anomaly_carries_its_counts_around_it_and_sample_entries():
    table = generate(incidents=True)
    mined = mine_messages(table["message"])
    found = detect(table["ts"], table["level"], mined.ids, mined.by_id, messages=table["message"])
    new = next(a for a in found if a.kind == "new pattern" and "PaymentTimeout" in a.template)
    before, own = 12, 6  # windows before it, and its own 30 minutes
    assert new.counts_start == new.start - before * timedelta(minutes=5)
    assert new.counts[:before] == (0,) * before and sum(new.counts[before : before + own]) == 90
    assert len(new.counts) == before + own + 3
    assert 1 <= len(new.samples) <= 3 and all("PaymentTimeoutException" in m for m in new.samples)
    surge = next(a for a in found if a.kind == "error surge")
    assert surge.samples and all("Exception" in m for m in surge.samples)
    assert sum(surge.counts) >= surge.observed
    stopped = next(a for a in found if a.kind == "stopped")
    assert stopped.counts[0] > 0 and stopped.counts[12] == 0  # beating, then silent
    assert stopped.samples == ()  # nothing to show of a silence


@pytest.mark.slow
def test_a_steady_baseline_with_a_daily_rhythm_stays_quiet():
    quiet = run(generate(incidents=False))
    assert len(quiet) <= 4, [(a.kind, a.template, a.start, a.observed, a.expected) for a in quiet]


@pytest.mark.slow
def test_anomalies_command_lists_the_incident_first(tmp_path, capsys):
    import json

    from logview.cli import main

    table = generate(incidents=True)
    log = tmp_path / "app.log"
    log.write_text(as_log_text(table.iter_rows()))
    assert main(["anomalies", str(log), "--json", "--min-priority", "HIGH"]) == 0
    result = json.loads(capsys.readouterr().out)
    found = result["anomalies"]
    assert found and all(a["priority"] == "HIGH" for a in found)
    assert found[0]["start"].startswith("2026-03-10T14:0")
    assert found[0]["samples"] and len(found[0]["counts"]) > 12 and found[0]["counts_start"]
    assert all(a["baseline"] for a in found)  # each says what it was compared with
    # The new exception and the error surge are one incident, its first sign first.
    (incident,) = result["incidents"]
    members = {i for m in incident["members"] for i in m["anomalies"]}
    assert {a["id"] for a in found if a["kind"] in ("new pattern", "error surge")} <= members
    assert incident["start"].startswith("2026-03-10T14:0") and "first sign" in incident["headline"]
    with pytest.raises(SystemExit) as exit_:
        main(["anomalies", str(log), "--every", "7m"])
    assert exit_.value.code == 2


def requests(seed: int = 3) -> pl.DataFrame:
    """Two days of requests; on day 2, 404s jump at 10:00 and 503s and slow answers at 14:00."""
    rng = random.Random(seed)
    rows = []
    shift = DAY1 + timedelta(days=1, hours=10)
    for minute in range(2 * 24 * 60):
        at = DAY1 + timedelta(minutes=minute)
        outage = INCIDENT <= at < INCIDENT + timedelta(minutes=30)
        missing = shift <= at < shift + timedelta(minutes=20)
        for _ in range(_poisson(rng, 8)):
            roll = rng.random()
            if outage and roll < 0.3:
                status, ms = "503", rng.randrange(2000, 3000)
            elif roll < (0.5 if missing else 0.05):
                status, ms = "404", rng.randrange(5, 30)
            else:
                status, ms = "200", rng.randrange(20, 80)
            if outage:
                ms = rng.randrange(2000, 3000)
            rows.append((at + timedelta(seconds=rng.randrange(60)), "INFO",
                         f"GET /api/orders answered {status} in {ms} ms"))  # fmt: skip
    rows.sort()
    return entries_frame(rows)


def test_token_kinds_are_found_near_their_start():
    table = requests()
    mined = mine_messages(table["message"])
    found = detect(table["ts"], table["level"], mined.ids, mined.by_id, messages=table["message"])
    by_kind: dict[str, list] = {}
    for a in found:
        by_kind.setdefault(a.kind, []).append(a)
    new = min(by_kind["new token value"], key=lambda a: a.start)
    assert "'503'" in new.description and abs(new.start - INCIDENT) <= timedelta(minutes=5)
    assert new.value == "503" and new.samples and all("503" in m for m in new.samples)
    http = min(by_kind["HTTP errors"], key=lambda a: a.start)
    assert http.start - (DAY1 + timedelta(days=1, hours=10)) <= timedelta(minutes=5)
    assert "'404'" in http.description
    slow = min(by_kind["numeric token"], key=lambda a: a.start)
    assert abs(slow.start - INCIDENT) <= timedelta(minutes=5) and slow.priority in ("LOW", "MEDIUM")
    # A quiet morning (before the 404s) raises no token anomaly.
    morning = table.filter(pl.col("ts") < DAY1 + timedelta(days=1, hours=9))
    mined = mine_messages(morning["message"])
    calm = detect(morning["ts"], morning["level"], mined.ids, mined.by_id,
                  messages=morning["message"])  # fmt: skip
    assert not [a for a in calm if a.kind in ("new token value", "HTTP errors", "numeric token",
                                               "token value shift")]  # fmt: skip


@pytest.mark.slow
def test_watch_judges_each_window_once_it_has_closed() -> None:
    """Live: the incident is reported when its first window closes, not before, and once."""
    from logview.core.analysis.anomalies import Watch

    table = generate(incidents=True)
    watch = Watch(timedelta(minutes=5))

    def judge_up_to(end: datetime):  # noqa: ANN202
        part = table.filter(pl.col("ts") < end)
        mined = mine_messages(part["message"])
        return watch.judge(part["ts"], part["level"], mined.ids, mined.by_id)

    def payment(anomalies: list) -> list:
        return [a for a in anomalies if a.kind == "new pattern" and "PaymentTimeout" in a.template]

    _, first = judge_up_to(INCIDENT + timedelta(minutes=2))
    assert watch.judged_until == INCIDENT  # the incident's window is still open
    assert payment(first) == []
    assert not watch.due(table.filter(pl.col("ts") < INCIDENT + timedelta(minutes=4))["ts"])
    assert watch.due(table.filter(pl.col("ts") < INCIDENT + timedelta(minutes=6))["ts"])
    _, second = judge_up_to(INCIDENT + timedelta(minutes=5, seconds=30))
    assert [a.start for a in payment(second)] == [INCIDENT]
    assert payment(second)[0].priority == "HIGH"
    assert all(a.end <= INCIDENT + timedelta(minutes=5) for a in second)
    every, third = judge_up_to(INCIDENT + timedelta(minutes=11))
    assert payment(third) == []  # the same anomaly, grown longer: not reported again
    assert payment(every)[0].end == INCIDENT + timedelta(minutes=10)


def test_descriptions_agree_in_number_and_say_none_rather_than_zero():
    from logview.core.analysis.anomalies import Kind, _describe

    assert _describe(Kind.DROP, 0, 99.4, 2) == "no entries where about 99 were expected (2 windows)"
    assert _describe(Kind.DROP, 1, 40, 1) == "only 1 entry where about 40 were expected (1 window)"
    assert _describe(Kind.NEW_PATTERN, 1, 0, 1) == "never seen before; 1 entry in 1 window"
    assert (
        _describe(Kind.SPIKE, 6, 0.3, 1) == "6 entries where almost none were expected (1 window)"
    )
    assert _describe(Kind.SPIKE, 1204, 1.2, 3) == (
        "1,204 entries where about 1 was expected (3 windows)"
    )
    assert _describe(Kind.STOPPED, 0, 14.2, 3) == (
        "silent for 3 windows where about 14 entries were expected"
    )
    assert (
        _describe(Kind.STOPPED, 0, 0.8, 1) == "silent for 1 window where about 1 entry was expected"
    )


def test_surge_and_token_descriptions_read_the_same_way():
    import numpy as np

    from logview.core.analysis.anomalies import Kind, _merge_surges
    from logview.core.analysis.token_anomalies import merge_tokens
    from logview.core.analysis.windows import Windows

    five_minutes = 300_000_000
    windows = Windows(five_minutes, 0, np.arange(6))
    surge = _merge_surges([(3, 0.2, 9.0)], np.array([0, 0, 0, 7]), windows)[0]
    assert surge.description == "7 errors where almost none were expected"
    hits = [
        (Kind.HTTP_ERRORS, "p1", 1, "503", 4, 1, 0.4, 8.0),
        (Kind.NUMERIC_TOKEN, "p2", 2, f"{1234567.0:g}", 4, 6, 412.0, 3000.0),
        (Kind.NEW_TOKEN_VALUE, "p3", 1, "x", 4, 1, 0.0, 1.0),
    ]
    described = {a.kind: a.description for a in merge_tokens(hits, {}, {}, windows)}
    assert described[Kind.HTTP_ERRORS] == "<1> = '503' in 1 entry where almost none were expected"
    # The median is kept to its significant digits, not written as 1.23457e+06.
    assert described[Kind.NUMERIC_TOKEN] == (
        "<2> reached a median of 1.23M (99% of it stayed under 412 before)"
    )
    assert described[Kind.NEW_TOKEN_VALUE] == "<1> took the new value 'x' in 1 entry"
