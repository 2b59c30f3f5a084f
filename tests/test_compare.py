"""Compare: injected changes are found with the right status and numbers; steady is steady."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import polars as pl
import pytest
from test_anomalies import as_log_text, entries_frame

from logview.core.analysis.compare import (
    Range,
    baseline_range,
    compare_tables,
    default_range,
    errors_change,
    explain,
    rate_test,
    status_of,
)
from logview.core.shared.errors import LogviewError

DAY1 = datetime(2026, 3, 9, tzinfo=UTC)
DAY2 = DAY1 + timedelta(days=1)


def two_days(seed: int = 5) -> pl.DataFrame:
    """Two days of logs: on day 2 a new error appears, cache misses drop 10%... of a big
    count, payments spike 10x, and status 503 appears among a request's values."""
    rng = random.Random(seed)
    rows = []

    def add(day: datetime, n: int, text, level: str = "INFO") -> None:  # noqa: ANN001
        for _ in range(n):
            at = day + timedelta(seconds=rng.randrange(86_400))
            rows.append((at, level, text() if callable(text) else text))

    for day in (DAY1, DAY2):
        add(day, 2000, lambda: f"heartbeat ok seq {rng.randrange(10**6)}")
        add(
            day, 500, lambda: f"user u{rng.randrange(900)} logged in from 10.0.{rng.randrange(9)}.9"
        )
        add(day, 30, lambda: f"disk usage at {rng.randrange(50, 90)} percent", "WARN")
    add(DAY1, 5000, lambda: f"cache miss for key k{rng.randrange(10**6)}")
    add(DAY2, 4500, lambda: f"cache miss for key k{rng.randrange(10**6)}")  # -10%
    add(DAY1, 40, lambda: f"payment timeout for order {rng.randrange(10**6)}", "ERROR")
    add(DAY2, 400, lambda: f"payment timeout for order {rng.randrange(10**6)}", "ERROR")  # 10x
    add(DAY2, 60, lambda: f"database failover to replica r{rng.randrange(9)} started", "ERROR")
    add(DAY1, 300, lambda: f"GET /api/orders answered {rng.choice(['200', '200', '404'])}")
    add(DAY2, 300, lambda: f"GET /api/orders answered {rng.choice(['200', '404', '503'])}")
    return entries_frame(rows)


def compare(table, now, then, *, label, baseline=None):  # noqa: ANN001, ANN201
    """The rows of `table` in `now` against those of `baseline` (or `table`) in `then`, mined
    together: what `compute_view` does against other sources."""

    def rows_in(frame: pl.DataFrame, span: Range) -> pl.DataFrame:
        inside = (pl.col("ts") >= span.start) & (pl.col("ts") < span.end)
        return frame.filter(inside).select("ts", "level", "message")

    before = baseline if baseline is not None else table
    return compare_tables(rows_in(table, now), rows_in(before, then), now, then, label=label)[0]


def by_template(comparison) -> dict:  # noqa: ANN001
    return {c.template: c for c in comparison.patterns}


def test_injected_changes_are_found_and_steady_patterns_are_not_flagged():
    table = two_days()
    now = Range(DAY2, DAY2 + timedelta(days=1))
    then = baseline_range(now, "previous-day")
    assert then == Range(DAY1, DAY2)
    result = compare(table, now, then, label="previous day")
    got = by_template(result)
    new = got["database failover to replica <id> started"]
    assert (new.status, new.now, new.then, new.change_pct) == ("new", 60, 0, None)
    spike = got["payment timeout for order <num>"]
    assert (spike.status, spike.now, spike.then) == ("up", 400, 40)
    assert spike.change_pct == pytest.approx(900)
    drop = got["cache miss for key <id>"]
    assert (drop.status, drop.now, drop.then) == ("down", 4500, 5000)
    assert drop.change_pct == pytest.approx(-10)
    for steady in ("heartbeat ok seq <num>", "user <id> logged in from <ip>",
                   "disk usage at <num> percent"):  # fmt: skip
        assert got[steady].status == "steady", steady
    assert result.patterns[0].status == "new"  # new patterns first
    # 460 errors against 40: a factor, not "+1050%".
    assert (
        result.summary() == "1 new pattern, 0 gone, 1 up, 1 down, errors \u00d712 vs previous day"
    )
    assert result.warning is None


def test_explain_ranks_the_patterns_by_their_share_of_the_difference():
    table = two_days()
    now, then = Range(DAY2, DAY2 + timedelta(days=1)), Range(DAY1, DAY2)
    ranked = explain(compare(table, now, then, label="x"))
    top = [e.change.template for e in ranked[:3]]
    assert top[0] == "cache miss for key <id>" and top[1] == "payment timeout for order <num>"
    assert ranked[0].share < 0 < ranked[1].share


def test_small_counts_are_not_shouted_like_big_ones():
    assert status_of(5, 3, 1.0, 1.0)[0] == "steady"
    assert status_of(500, 300, 1.0, 1.0)[0] == "up"
    assert status_of(30, 10, 2.0, 1.0)[0] == "steady"  # the same rate over twice the time
    assert rate_test(10, 10, 1.0, 1.0) == pytest.approx(1.0)
    assert rate_test(5000, 4500, 1.0, 1.0) < 1e-5


def test_another_set_of_sources_is_aligned_by_offset_and_ranges_are_checked():
    table = two_days()
    baseline = table.filter(pl.col("ts") < DAY2).with_columns(pl.col("ts") - timedelta(days=7))
    now = Range(DAY2, DAY2 + timedelta(days=1))
    then = Range(DAY1 - timedelta(days=7), DAY2 - timedelta(days=7))
    got = by_template(compare(table, now, then, label="the baseline", baseline=baseline))
    assert got["payment timeout for order <num>"].status == "up"
    assert default_range(table, "previous-day") == Range(
        table["ts"].max() + timedelta(microseconds=1) - timedelta(days=1),
        table["ts"].max() + timedelta(microseconds=1),
    )
    with pytest.raises(LogviewError, match="unknown baseline"):
        baseline_range(now, "previous-year")


@pytest.mark.slow
def test_compare_command_lists_new_patterns_first_and_gives_json(tmp_path, capsys):
    import json

    from logview.cli import main

    table = two_days()
    log = tmp_path / "app.log"
    log.write_text(as_log_text(table.sort("ts").iter_rows()))
    assert main(["compare", str(log), "--against", "previous-day"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert "1 new pattern" in out[0] and "vs previous day" in out[0]
    assert out[2].startswith("new") and "database failover" in out[2]
    assert main(["compare", str(log), "--offset", "1d", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    # The log's lines are mined on their bodies: the stamp is no part of any template.
    statuses = {p["template"]: p["status"] for p in report["patterns"]}
    assert statuses["payment timeout for order <num>"] == "up"
    assert main(["compare", str(log), "--offset", "yesterday"]) == 2
    assert "not a duration" in capsys.readouterr().err


def test_the_command_line_offers_every_baseline_the_core_knows():
    from logview.cli_parser import PERIODS
    from logview.core.analysis.compare import BASELINES

    assert set(PERIODS) == {"previous-period", *BASELINES}


def test_the_command_and_the_window_compare_other_sources_over_the_same_range(tmp_path, capsys):
    # now.log covers 10:00-14:00, base.log 08:00-12:00 the day before; comparing 12:00-13:00
    # of now.log is comparing the hour two hours after base.log's first entry.
    import json

    import numpy as np

    from logview.cli import main
    from logview.core.analysis.patterns import mine_entries
    from logview.core.analysis.view import ViewState, compute_view
    from logview.core.reading.ingest import ingest

    def log(first: datetime, errors_from: int) -> str:
        lines = []
        for minute in range(240):
            stamp = (first + timedelta(minutes=minute)).strftime("%Y-%m-%d %H:%M:%S")
            lines.append(f"{stamp} INFO request {minute} served in {minute % 7} ms")
            if minute >= errors_from:
                lines.append(f"{stamp} ERROR payment timeout for order {minute}")
        return "\n".join(lines) + "\n"

    now_log, base_log = tmp_path / "now.log", tmp_path / "base.log"
    now_log.write_text(log(datetime(2024, 3, 14, 10), errors_from=120))
    base_log.write_text(log(datetime(2024, 3, 13, 8), errors_from=150))
    start, end = datetime(2024, 3, 14, 12, tzinfo=UTC), datetime(2024, 3, 14, 13, tzinfo=UTC)
    argv = ["compare", str(now_log), "--baseline", str(base_log), "--json"]
    assert main([*argv, "--start", start.isoformat(), "--end", end.isoformat()]) == 0
    command = json.loads(capsys.readouterr().out)

    table, baseline = ingest([now_log]).table, ingest([base_log]).table
    mined = mine_entries(table)
    state = ViewState(start=start, end=end, compare="sources")
    order = np.arange(table.height)
    window = compute_view(table, state, order, mined=mined, baseline=baseline).comparison
    assert command["then"] == [window.then.start.isoformat(), window.then.end.isoformat()]
    assert command["then"][0].startswith("2024-03-13T10:00:00")
    counts = {p["template"]: (p["now"], p["then"], p["status"]) for p in command["patterns"]}
    assert counts == {c.template: (c.now, c.then, c.status) for c in window.patterns}
    assert counts["payment timeout for order <num>"][:2] == (60, 30)


def test_one_grammar_of_durations_for_baselines_and_clock_offsets():
    from logview.core.analysis.compare import parse_duration, parse_offset

    assert parse_duration("3h") == parse_duration("180m") == parse_offset("+3h")
    assert parse_duration("1.5d") == timedelta(days=1, hours=12)
    assert parse_duration("1w") == timedelta(weeks=1)
    assert parse_offset("-0:05:00") == parse_offset("-5m") == -timedelta(minutes=5)
    assert parse_offset("1h30m") == timedelta(hours=1, minutes=30)
    for bad in ("yesterday", "-3h", "", "3x"):
        with pytest.raises(LogviewError, match="not a duration"):
            parse_duration(bad)
    with pytest.raises(ValueError, match="not an offset"):
        parse_offset("soon")


def test_the_command_and_the_window_agree_on_a_period_and_on_a_querys_patterns(tmp_path, capsys):
    import json

    from logview.cli import main
    from logview.core.analysis.patterns import mine_entries
    from logview.core.analysis.view import ViewState, compute_view
    from logview.core.reading.ingest import ingest

    log = tmp_path / "app.log"
    first = datetime(2024, 3, 14, 10)
    lines = []
    for minute in range(240):
        stamp = (first + timedelta(minutes=minute)).strftime("%Y-%m-%d %H:%M:%S")
        lines.append(f"{stamp} INFO user {minute % 9} logged in from 10.0.0.{minute % 5}")
        if minute >= 180 or minute % 30 == 0:
            lines.append(f"{stamp} ERROR disk sd{'abc'[minute % 3]} failed after {minute} ms")
    log.write_text("\n".join(lines) + "\n")
    table = ingest([log]).table
    mined = mine_entries(table)
    start, end = datetime(2024, 3, 14, 13, tzinfo=UTC), datetime(2024, 3, 14, 14, tzinfo=UTC)

    assert main(["compare", str(log), "--start", start.isoformat(), "--end", end.isoformat(),
                 "--json"]) == 0  # fmt: skip
    command = json.loads(capsys.readouterr().out)
    state = ViewState(start=start, end=end, compare="previous-period")
    window = compute_view(table, state, None, mined=mined).comparison
    assert command["then"][0] == window.then.start.isoformat()
    counts = {p["id"]: (p["now"], p["then"], p["status"]) for p in command["patterns"]}
    assert counts == {c.id: (c.now, c.then, c.status) for c in window.patterns}
    assert any(status == "up" for *_, status in counts.values())

    query = 'filter @level = "ERROR"'
    assert main(["patterns", str(log), "--query", query, "--json"]) == 0
    command = json.loads(capsys.readouterr().out)
    shown = compute_view(table, ViewState(query=query), None, mined=mined).patterns.frame
    assert {p["id"]: p["count"] for p in command["patterns"]} == dict(
        zip(shown["pattern"].to_list(), shown["count"].to_list(), strict=True)
    )
    assert command["entries"] == sum(shown["count"].to_list())


def test_a_baseline_without_entries_says_so_instead_of_counting_every_pattern_new(tmp_path, capsys):
    from logview.cli import main

    table = two_days().filter(pl.col("ts") >= DAY2)
    now = Range(DAY2, DAY2 + timedelta(days=1))
    result = compare(table, now, baseline_range(now, "previous-period"), label="previous period")
    assert result.counts()["new"] == len(result.patterns) > 1  # the data, unchanged
    expected = (
        "the baseline (the previous period, 2026-03-09 00:00 \u2013 2026-03-10 00:00) holds no "
        "entries: nothing to compare with"
    )
    assert result.warning == expected and result.summary() == expected

    other = compare(table, now, Range(DAY1, DAY2), label="the other sources", baseline=table)
    assert other.warning.startswith("the baseline (the other sources, 2026-03-09 00:00 ")

    log = tmp_path / "app.log"
    log.write_text(as_log_text(table.sort("ts").iter_rows()))
    assert main(["compare", str(log), "--against", "previous-day"]) == 0
    first = capsys.readouterr().out.splitlines()[0]
    assert (
        first.endswith("holds no entries: nothing to compare with") and "new pattern" not in first
    )


@pytest.mark.parametrize(
    ("now", "then", "said"),
    [
        (4894, 10, "errors \u00d7489"),  # +48,840%: a factor from ten times as many on
        (400, 40, "errors \u00d710"),
        (300, 40, "errors +650%"),
        (36, 40, "errors \u221210%"),
        (1001, 1000, "errors steady"),  # +0.1% rounds to nothing: neither "+0%" nor "-0%"
        (999, 1000, "errors steady"),
        (2, 1000, "errors \u00f7500"),  # -99.8% would round to -100% while errors remain
        (12, 0, "12 errors (none before)"),
        (1, 0, "1 error (none before)"),
        (0, 40, "no errors (40 before)"),
        (0, 0, None),
    ],
)
def test_the_error_rate_change_reads_as_people_say_it(now, then, said):
    assert errors_change(now, then, 24.0, 24.0) == said


def test_the_error_change_compares_rates_over_ranges_of_different_lengths():
    assert errors_change(20, 10, 2.0, 1.0) == "errors steady"
