"""Silences, runs of windows, incidents and sparse spans: a host that stops while its siblings go
on is named with its last entry; one change over many windows is one anomaly; unrelated changes
at the same time are told apart while related ones (shared request ids) are told together; a
span of years costs what its entries cost; detection can be cancelled; the demo's incident is
one story."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import numpy as np
import polars as pl
import pytest
from test_anomalies import _poisson

from logview.core.analysis.anomalies import detect
from logview.core.analysis.incidents import find_incidents
from logview.core.analysis.patterns import mine_messages
from logview.core.analysis.windows import GAP, Windows
from logview.core.shared.errors import Cancelled
from logview.core.shared.table import TS

EVERY = timedelta(minutes=5)
DAY1 = datetime(2026, 3, 9, tzinfo=UTC)
DAY2 = DAY1 + timedelta(days=1)
HOSTS = ("web-1", "web-2", "web-3", "web-4")
STOP = DAY2 + timedelta(hours=15)  # where web-3 stops (or slows)


def frame_of(rows: list[tuple], extra: tuple[str, ...] = ()) -> pl.DataFrame:
    """Return (stamp, level, message, *extra) rows, in time order, as a table-like frame."""
    rows = sorted(rows, key=lambda r: r[0])
    columns = list(zip(*rows, strict=True))
    schema = {"ts": TS, "level": pl.String, "message": pl.String, **dict.fromkeys(extra, pl.String)}
    return pl.DataFrame(dict(zip(schema, columns, strict=True)), schema=schema)


def _at(minute: int, rng: random.Random) -> datetime:
    return DAY1 + timedelta(minutes=minute, seconds=rng.randrange(60))


def hosts(change: str, seed: int = 5) -> pl.DataFrame:
    """Two days of four hosts logging ~3 entries a minute each of the same patterns into one
    source; from day 2 15:00 web-3 logs nothing at all (`stop`) or half as much (`slow`)."""
    rng = random.Random(seed)
    rows = []
    for minute in range(2 * 24 * 60):
        at = DAY1 + timedelta(minutes=minute)
        for host in HOSTS:
            rate = 1.0
            if host == "web-3" and at >= STOP:
                rate = {"stop": 0.0, "slow": 0.5}[change]
            for _ in range(_poisson(rng, 2 * rate)):
                rows.append((_at(minute, rng), "INFO",
                             f"request {rng.randrange(10**6)} served in {rng.randrange(90)} ms",
                             host))  # fmt: skip
            for _ in range(_poisson(rng, 1 * rate)):
                rows.append((_at(minute, rng), "DEBUG",
                             f"cache refreshed for key k{rng.randrange(10**5)}", host))  # fmt: skip
    table = frame_of(rows, ("host",))
    return table.with_columns(source=pl.lit("app.log"))


def run(table: pl.DataFrame, **options):  # noqa: ANN201
    """Return (the anomalies of `table`, its mined patterns), judged with its messages and
    sources."""
    mined = mine_messages(table["message"])
    found = detect(table["ts"], table["level"], mined.ids, mined.by_id, messages=table,
                   sources=table["source"], **options)  # fmt: skip
    return found, mined


def _show(found: list) -> list[tuple]:
    return [(a.kind, a.template[:50], a.value, f"{a.start:%m-%d %H:%M}", a.source) for a in found]


@pytest.fixture(scope="module")
def stopped_host():
    table = hosts("stop")
    return table, run(table)[0]


def test_a_host_that_stops_while_its_siblings_go_on_is_named_with_its_last_entry(stopped_host):
    """web-3 stops at day 2 15:00: one "stopped" anomaly for host web-3, starting in the window
    of the stop, whose description names web-3's last entry."""
    table, found = stopped_host
    stopped = [a for a in found if a.kind == "stopped" and a.value == "web-3"]
    assert len(stopped) == 1, _show(found)
    (a,) = stopped
    assert a.token_name == "host"
    assert abs(a.start - STOP) <= EVERY
    last = table.filter(pl.col("host") == "web-3")["ts"].max()
    assert last < STOP
    assert f"{last:%H:%M}" in a.description, (last, a.description)
    assert f"{last:%Y-%m-%d %H:%M:%S}" in a.description, (last, a.description)
    assert "3 other values went on" in a.description
    assert a.baseline  # says what web-3 was compared with
    # The others went on: none of them is reported stopped.
    assert not [x for x in found if x.kind == "stopped" and x.value in set(HOSTS) - {"web-3"}]


def test_a_host_that_merely_slows_is_not_reported_stopped():
    """web-3 logging half as much from 15:00 on has not stopped: no "stopped" anomaly names it."""
    found, _ = run(hosts("slow"))
    assert not [a for a in found if a.kind == "stopped" and a.value == "web-3"], _show(found)
    assert not [a for a in found if a.kind == "stopped" and a.token_name == "host"], _show(found)


SPIKE = DAY2 + timedelta(hours=14)
LULL = SPIKE + timedelta(minutes=15)  # the quieter window inside the spike


def checkouts(seed: int = 7) -> pl.DataFrame:
    """Two days of requests and checkouts; checkouts run at 10x from day 2 14:00 for 30 minutes,
    but for the window 14:15-14:20, which is ordinary."""
    rng = random.Random(seed)
    rows = []
    for minute in range(2 * 24 * 60):
        at = DAY1 + timedelta(minutes=minute)
        busy = SPIKE <= at < SPIKE + timedelta(minutes=30) and not LULL <= at < LULL + EVERY
        for _ in range(_poisson(rng, 6)):
            rows.append((_at(minute, rng), "INFO",
                         f"request {rng.randrange(10**6)} served in {rng.randrange(90)} ms"))  # fmt: skip
        for _ in range(_poisson(rng, 4 * (10 if busy else 1))):
            rows.append((_at(minute, rng), "INFO",
                         f"checkout started for cart {rng.randrange(10**5)}"))  # fmt: skip
    return frame_of(rows).with_columns(source=pl.lit("shop.log"))


def per_window(ts: pl.Series) -> pl.DataFrame:
    """Return the entries of stamps `ts` per 5-minute window (w: the window's start)."""
    return ts.to_frame("ts").group_by(pl.col("ts").dt.truncate("5m").alias("w")).len().sort("w")


def test_a_spike_over_many_windows_with_a_lull_inside_is_one_anomaly():
    """A 30-minute spike with one ordinary window in its middle is one spike anomaly for the
    pattern, covering the 30 minutes, its peak the busiest window's count."""
    table = checkouts()
    found, mined = run(table)
    spikes = [a for a in found if a.kind == "spike" and "checkout started" in a.template]
    assert len(spikes) == 1, _show(found)
    (spike,) = spikes
    assert abs(spike.start - SPIKE) <= EVERY
    assert abs(spike.end - (SPIKE + timedelta(minutes=30))) <= EVERY
    own = table.filter(mined.ids == spike.pattern)
    windows = per_window(own["ts"])
    injected = windows.filter(pl.col("w").is_between(SPIKE, SPIKE + timedelta(minutes=25)))
    assert injected.height == 6
    lull = injected.filter(pl.col("w") == LULL)["len"].item()
    assert lull < injected["len"].max() / 3  # the lull really is quieter
    assert spike.peak >= injected["len"].max()
    spanned = windows.filter(pl.col("w").is_between(spike.start, spike.end, closed="left"))
    assert spike.peak == spanned["len"].max()
    assert spike.observed == spanned["len"].sum()
    assert spike.baseline


CHANGE = DAY2 + timedelta(hours=14)


def two_sources(related: bool, seed: int = 9) -> pl.DataFrame:
    """Two days of a.log (requests) and b.log (cache lookups), each entry with its own request
    id. At day 2 14:00:
    - unrelated: a.log starts failing ledger writes (ERROR, ~3 a minute for 40 minutes); b.log
      evicts its cache in a 5-minute burst (WARN, ~30 a minute) while its lookups run at 10x.
      Their request ids are their own (a-..., b-...).
    - related: a.log starts warning of slow ledger calls (~3 a minute for 40 minutes); b.log
      retries some of those very requests in a 5-minute burst (same request ids).
    """
    rng = random.Random(seed)
    rows = []
    ids = iter(range(10**9))
    for minute in range(2 * 24 * 60):
        at = DAY1 + timedelta(minutes=minute)
        long = CHANGE <= at < CHANGE + timedelta(minutes=40)
        burst = CHANGE <= at < CHANGE + EVERY
        for _ in range(_poisson(rng, 3)):
            rows.append((_at(minute, rng), "INFO",
                         f"request {rng.randrange(10**6)} served in {rng.randrange(90)} ms",
                         "a.log", f"a-{next(ids)}"))  # fmt: skip
        for _ in range(_poisson(rng, 3 * (10 if burst and not related else 1))):
            rows.append((_at(minute, rng), "INFO",
                         f"cache lookup for key k{rng.randrange(10**5)} hit",
                         "b.log", f"b-{next(ids)}"))  # fmt: skip
        shared = []
        if long:
            for _ in range(_poisson(rng, 3)):
                rid = f"a-{next(ids)}"
                shared.append(rid)
                if related:
                    rows.append((_at(minute, rng), "WARN",
                                 f"ledger call for order {rng.randrange(10**6)} slow: "
                                 f"{rng.randrange(2000, 4000)} ms", "a.log", rid))  # fmt: skip
                else:
                    rows.append((_at(minute, rng), "ERROR",
                                 f"write to ledger failed: quota exceeded on volume "
                                 f"v{rng.randrange(9)}", "a.log", rid))  # fmt: skip
        if burst and related:
            for rid in shared:
                rows.append((_at(minute, rng), "WARN",
                             f"retrying settlement batch {rng.randrange(10**4)} after upstream "
                             f"delay", "b.log", rid))  # fmt: skip
        elif burst:
            for _ in range(_poisson(rng, 30)):
                rows.append((_at(minute, rng), "WARN",
                             f"evicting {rng.randrange(100, 900)} entries from cache shard "
                             f"s{rng.randrange(16)}", "b.log", f"b-{next(ids)}"))  # fmt: skip
    return frame_of(rows, ("source", "request_id"))


def per_minute(ts: pl.Series, start: datetime, end: datetime) -> np.ndarray:
    """Return the entries of stamps `ts` per minute from `start` to `end`."""
    n = int((end - start).total_seconds() // 60)
    minute = ((ts.filter(ts.is_between(start, end, closed="left")) - start).dt.total_seconds()
              // 60).to_numpy()  # fmt: skip
    return np.bincount(minute.astype(np.int64), minlength=n)[:n].astype(float)


def incident_of(incidents: list, anomaly) -> int | None:  # noqa: ANN001
    """Return the position of the incident holding `anomaly`, or None."""
    return next((i for i, n in enumerate(incidents) if anomaly in n.anomalies), None)


def test_unrelated_changes_at_the_same_time_are_two_incidents():
    """A steady new error in a.log and a 5-minute burst in b.log, both at 14:00, with no source,
    request id or shape in common, are two incidents, not one."""
    table = two_sources(related=False)
    found, mined = run(table)
    ledger = [a for a in found if a.kind == "new pattern" and "ledger failed" in a.template]
    evict = [a for a in found if a.kind == "new pattern" and "evicting" in a.template]
    assert len(ledger) == 1 and len(evict) == 1, _show(found)
    assert ledger[0].source == "a.log" and evict[0].source == "b.log"
    # The two shapes do not move together: r < 0.6 over the changes with an hour either side.
    start, end = CHANGE - timedelta(hours=1), CHANGE + timedelta(minutes=40, hours=1)
    a_counts = per_minute(table.filter(mined.ids == ledger[0].pattern)["ts"], start, end)
    b_counts = per_minute(table.filter(mined.ids == evict[0].pattern)["ts"], start, end)
    assert float(np.corrcoef(a_counts, b_counts)[0, 1]) < 0.6
    # ... and no request id in common.
    ids_a = set(table.filter(mined.ids == ledger[0].pattern)["request_id"])
    ids_b = set(table.filter(mined.ids == evict[0].pattern)["request_id"])
    assert not ids_a & ids_b
    incidents = find_incidents(found, table, mined.ids, EVERY)
    where_a, where_b = incident_of(incidents, ledger[0]), incident_of(incidents, evict[0])
    assert where_a is not None and where_b is not None, [n.headline for n in incidents]
    assert where_a != where_b, incidents[where_a].links
    assert len(incidents) == 2, [n.headline for n in incidents]
    for n in incidents:
        assert {a.source for a in n.anomalies} - {None} in ({"a.log"}, {"b.log"}), n.headline


def test_related_changes_in_two_sources_sharing_request_ids_are_one_incident():
    """Slow ledger calls in a.log and, for some of those very requests, retries in b.log are one
    incident whose links say they share request ids; with the ids scrambled they are not."""
    table = two_sources(related=True)
    found, mined = run(table)
    slow = [a for a in found if a.kind == "new pattern" and "ledger call" in a.template]
    retry = [a for a in found if a.kind == "new pattern" and "retrying settlement" in a.template]
    assert len(slow) == 1 and len(retry) == 1, _show(found)
    assert (slow[0].source, retry[0].source) == ("a.log", "b.log")
    incidents = find_incidents(found, table, mined.ids, EVERY)
    (incident,) = [n for n in incidents if slow[0] in n.anomalies]
    assert retry[0] in incident.anomalies
    assert {m.source for m in incident.members} >= {"a.log", "b.log"}
    assert any("shared request ids" in link for link in incident.links), incident.links
    # The ids made the link: the same anomalies over entries whose ids are all distinct are
    # not one incident.
    scrambled = table.with_columns(request_id=pl.format("x-{}", pl.int_range(pl.len())))
    apart = find_incidents(found, scrambled, mined.ids, EVERY)
    assert not [n for n in apart if slow[0] in n.anomalies and retry[0] in n.anomalies]


SYSTEMS = {  # source: (its first entry, its own words)
    "mail-2005.log": (datetime(2005, 6, 1, 8, tzinfo=UTC), "mailbox"),
    "dns-2010.log": (datetime(2010, 2, 14, 22, tzinfo=UTC), "resolver"),
    "batch-2015.log": (datetime(2015, 11, 3, 1, tzinfo=UTC), "scheduler"),
    "api-2026.log": (datetime(2026, 3, 10, 12, tzinfo=UTC), "gateway"),
}


def sparse_years(seed: int = 13) -> pl.DataFrame:
    """Four small systems of 500 entries each over a few hours, in 2005, 2010, 2015 and 2026,
    each in its own source with its own patterns: 21 years with nearly nothing in them."""
    rng = random.Random(seed)
    rows = []
    for source, (start, word) in SYSTEMS.items():
        for _ in range(500):
            at = start + timedelta(seconds=rng.randrange(3 * 3600))
            kind = rng.random()
            if kind < 0.5:
                text = (
                    f"{word} accepted job {rng.randrange(10**6)} from client c{rng.randrange(50)}"
                )
            elif kind < 0.8:
                text = f"{word} finished job {rng.randrange(10**6)} in {rng.randrange(900)} ms"
            else:
                text = f"{word} queue length {rng.randrange(40)} under limit"
            rows.append((at, "INFO", text, source))
    return frame_of(rows, ("source",))


def test_a_sparse_span_of_years_costs_what_its_entries_cost():
    """21 years holding four systems of a few hours each keep at most GAP+1 windows per window
    with entries (not the two million a dense matrix would need), and each later system's own
    patterns, first seen where its source starts, are that source starting, not new patterns."""
    table = sparse_years()
    stamps = table["ts"].dt.epoch("us").to_numpy()
    width = int(EVERY.total_seconds() * 1_000_000)
    windows, column = Windows.of(stamps, width)
    occupied = np.unique((stamps - windows.start_us) // width).size
    assert len(windows) <= occupied * (GAP + 1)
    dense = int((stamps.max() - windows.start_us) // width) + 1
    assert dense > 2_000_000 and len(windows) < dense / 1000
    assert column.min() == 0 and column.max() == len(windows) - 1  # every entry has a window
    assert (windows.absolute[column] == (stamps - windows.start_us) // width).all()
    found, mined = run(table)
    later = {s for s in SYSTEMS if not s.startswith("mail")}
    own = table.select(pl.col("source"), id=mined.ids).unique()
    patterns_of_later = set(own.filter(pl.col("source").is_in(list(later)))["id"])
    assert len(patterns_of_later) >= 3 * 3
    wrongly_new = [a for a in found if a.kind == "new pattern" and a.pattern in patterns_of_later]
    assert wrongly_new == [], _show(wrongly_new)


def test_a_source_starting_after_a_gap_of_years_is_not_a_spike_of_its_own_patterns():
    """The 2010, 2015 and 2026 systems' patterns, first seen where their sources start, are
    those sources starting: no spike (nor any other anomaly) at their starts either."""
    table = sparse_years()
    found, mined = run(table)
    starts = {start for start, _ in SYSTEMS.values()}
    at_a_start = [a for a in found if any(abs(a.start - s) <= EVERY for s in starts)]
    assert at_a_start == [], _show(at_a_start)


def test_the_recent_windows_before_a_cut_are_named_with_both_their_dates():
    """Where the windows before a window lie across a cut gap, the baseline names the dates of
    both ends, not a span that reads as a few hours of one day."""
    from logview.core.analysis.anomaly_kinds import recent_span

    width = int(EVERY.total_seconds() * 1_000_000)
    start = SYSTEMS["batch-2015.log"][0]
    stamps = np.array([int(start.timestamp() * 1e6) + i * width for i in range(12)]
                      + [int(SYSTEMS["api-2026.log"][0].timestamp() * 1e6)])  # fmt: skip
    windows, _ = Windows.of(stamps, width)
    assert len(windows) == 13  # twelve windows in 2015, then one in 2026
    text = recent_span(12, windows)
    assert "2015" in text or "11-03" in text
    assert "2026" in text or "03-10" in text, text


def test_detection_asks_whether_it_is_cancelled_and_stops():
    """detect raises Cancelled when `cancelled` says so: at once, and also when it says so only
    after detection has begun."""
    table = checkouts().head(3000)
    mined = mine_messages(table["message"])
    args = (table["ts"], table["level"], mined.ids, mined.by_id)
    with pytest.raises(Cancelled):
        detect(*args, messages=table, sources=table["source"], cancelled=lambda: True)
    asked = []

    def later() -> bool:
        asked.append(1)
        return len(asked) >= 3

    with pytest.raises(Cancelled):
        detect(*args, messages=table, sources=table["source"], cancelled=later)
    assert len(asked) == 3  # it stopped as soon as it was told
    assert detect(*args, messages=table, sources=table["source"], cancelled=lambda: False) == \
        detect(*args, messages=table, sources=table["source"])  # fmt: skip


@pytest.mark.slow
def test_the_demo_incident_is_one_story_and_every_judgement_says_its_baseline():
    """The demo bundle's payments outage (2026-03-10 14:05-14:45) is exactly one incident of
    at most 8 members, holding the new "Timeout acquiring connection" pattern; every anomaly
    says what it was compared with."""
    from logview.core.analysis.patterns import mine_entries
    from logview.core.demo import demo_path
    from logview.core.reading.loading import load

    table = load([str(demo_path())], {}).ingested.table
    mined = mine_entries(table)
    found = detect(table["ts"], table["level"], mined.ids, mined.by_id, messages=table,
                   sources=table["source"])  # fmt: skip
    assert all(a.baseline for a in found), [a.id for a in found if not a.baseline]
    incidents = find_incidents(found, table, mined.ids, EVERY)
    lo = datetime(2026, 3, 10, 14, 5, tzinfo=UTC)
    hi = datetime(2026, 3, 10, 14, 45, tzinfo=UTC)
    during = [n for n in incidents if n.start < hi and n.end > lo]
    assert len(during) == 1, [n.headline for n in incidents]
    (incident,) = during
    assert len(incident.members) <= 8, [m.source for m in incident.members]
    timeouts = [a for a in incident.anomalies
                if a.kind == "new pattern" and a.template.startswith("Timeout acquiring connection")]  # fmt: skip
    assert timeouts, incident.headline
    assert abs(timeouts[0].start - lo) <= EVERY


def test_a_pattern_that_stops_is_told_with_its_source_and_joins_its_incident():
    """shop.log's heartbeat stops at day 2 14:00 as its checkouts spike: the stopped pattern
    names shop.log as its source, and it and the spike are one incident (same source)."""
    rows = [(DAY1 + timedelta(minutes=m, seconds=30), "INFO", f"heartbeat ok seq {m}", "shop.log")
            for m in range(int((SPIKE - DAY1).total_seconds() // 60))]  # fmt: skip
    table = pl.concat([checkouts(), frame_of(rows, ("source",))]).sort("ts")
    found, mined = run(table)
    stopped = [a for a in found if a.kind == "stopped" and "heartbeat" in a.template]
    spike = [a for a in found if a.kind == "spike" and "checkout" in a.template]
    assert len(stopped) == 1 and len(spike) == 1, _show(found)
    assert abs(stopped[0].start - SPIKE) <= EVERY
    assert stopped[0].source == "shop.log"
    incidents = find_incidents(found, table, mined.ids, EVERY)
    assert [n for n in incidents if stopped[0] in n.anomalies and spike[0] in n.anomalies]


def test_members_of_sources_with_the_same_file_name_keep_the_folder_that_tells_them_apart():
    from logview.core.analysis.anomaly_kinds import Anomaly

    start = datetime(2026, 3, 10, 14, tzinfo=UTC)

    def new(source: str) -> Anomaly:
        return Anomaly(id=f"new pattern:p1:{source}", kind="new pattern", start=start,
                       end=start + timedelta(minutes=10), pattern="p1", template="boom <1>",
                       observed=9, expected=0.0, score=9.0, priority="HIGH",
                       description="never seen before", source=source)  # fmt: skip

    table = pl.DataFrame(
        {"ts": [start, start + timedelta(minutes=1)], "level": ["ERROR", "ERROR"]},
        schema={"ts": TS, "level": pl.String},
    )
    found = [new("/b/web-1/app.log"), new("/b/web-2/app.log")]
    (incident,) = find_incidents(found, table, pl.Series(["p1", "p1"]), timedelta(minutes=5))
    assert sorted(m.name for m in incident.members) == ["web-1/app.log", "web-2/app.log"]


def test_a_rise_from_nothing_is_said_by_its_count_not_a_ratio():
    from logview.core.analysis.anomaly_kinds import Anomaly, Kind
    from logview.core.analysis.incidents import phrase

    t0 = datetime(2026, 3, 10, 14, 5, tzinfo=UTC)

    def anomaly(kind: str, expected: float) -> Anomaly:
        return Anomaly("a1", kind, t0, t0 + timedelta(minutes=5), None, "ERROR and FATAL entries",
                       93, expected, 9.0, "HIGH", "")  # fmt: skip

    assert phrase(anomaly(Kind.ERROR_SURGE, 0.0)) == "93 errors (none before)"
    assert phrase(anomaly(Kind.ERROR_SURGE, 3.1)) == "errors x30"
    assert phrase(anomaly(Kind.SPIKE, 0.0)) == "`ERROR and FATAL entries` (93, none before)"
