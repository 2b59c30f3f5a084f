"""The view of a table as the window shows it, computed without Qt (`core.analysis.view`,
`core.analysis.inspect`, `core.reading.source_groups`)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import polars as pl
import pytest

from logview.core.analysis.inspect import inspect, inspect_view
from logview.core.analysis.patterns import mine_entries
from logview.core.analysis.view import ViewState, compute_view
from logview.core.reading.ingest import ingest
from logview.core.reading.loading import load, summary
from logview.core.reading.source_groups import group_by_container

START = datetime(2024, 3, 14, 10, tzinfo=UTC)


@pytest.fixture
def sample(tmp_path: Path) -> pl.DataFrame:
    """An hour of a log, a line a minute: every third a failed disk (ERROR)."""
    lines = []
    for i in range(60):
        stamp = (START + timedelta(minutes=i)).strftime("%Y-%m-%d %H:%M:%S")
        event = f"ERROR disk {i} failed" if i % 3 == 0 else f"INFO user {i} logged in"
        lines.append(f"{stamp} {event}")
    path = tmp_path / "app.log"
    path.write_text("\n".join(lines) + "\n")
    return ingest([path], tz="UTC").table


def test_a_view_has_the_query_rows_their_context_the_timeline_and_their_patterns(sample):
    frame = sample
    mined = mine_entries(frame)
    state = ViewState(query="failed", context=1)
    view = compute_view(frame, state, np.arange(frame.height), timeline=True, mined=mined)
    assert view.result.rows.to_list() == list(range(0, 60, 3))
    assert view.rows.tolist()[:4] == [0, 1, 2, 3]  # the first match, its context, the next
    assert view.is_match.tolist()[:4] == [True, False, False, True]
    assert view.histogram.total == 20  # the timeline counts the result, not every entry
    assert view.histogram.starts[0] <= int(START.timestamp() * 1e6)  # over the whole span
    (pattern,) = view.patterns.frame["template"].to_list()
    assert pattern == "disk <num> failed"


def test_a_view_compared_with_the_previous_period_counts_both_halves(sample):
    frame = sample
    half = START + timedelta(minutes=30)
    state = ViewState(start=half, end=START + timedelta(hours=1), compare="previous-period")
    view = compute_view(frame, state, None, mined=mine_entries(frame))
    counts = {c.template: (c.now, c.then) for c in view.comparison.patterns}
    assert counts == {"user <num> logged in": (20, 20), "disk <num> failed": (10, 10)}
    assert view.comparison.then.start == START


def test_an_inspection_gives_the_patterns_samples_histogram_and_token_values(sample):
    frame = sample
    mined = mine_entries(frame)
    failed = next(t for t in mined.by_id.values() if t.text == "disk <num> failed")
    seen = inspect(frame, mined.ids, np.arange(frame.height), failed)
    assert seen.count == 20
    assert len(seen.samples) == 12 and seen.samples[0][2] == "disk 0 failed"
    assert seen.histogram.total == 20
    (values,) = seen.tokens
    assert values.distinct == 20


def test_a_view_says_in_one_line_what_it_shows(sample):
    view = compute_view(sample, ViewState(query="failed", context=1), np.arange(sample.height))
    text = view.summary(sample.height)
    assert text.startswith("20 of 60 entries (+39 around them) · query ")
    stats = compute_view(sample, ViewState(query="stats count(*) by @level"), None)
    assert stats.rows is None and stats.summary(60).startswith("2 result rows · query ")


def test_an_inspection_of_a_view_uses_its_rows_its_range_and_its_baseline(sample):
    mined = mine_entries(sample)
    half = START + timedelta(minutes=30)
    state = ViewState(start=half, end=START + timedelta(hours=1), compare="previous-period")
    view = compute_view(sample, state, None, mined=mined)
    failed = next(t.id for t in mined.by_id.values() if t.text == "disk <num> failed")
    seen = inspect_view(sample, mined, view, failed)
    assert seen.count == 10  # the view's half hour, not the whole hour
    assert seen.histogram.starts[0] == int(half.timestamp() * 1_000_000)
    assert seen.baseline is not None and seen.baseline.total == 10
    assert inspect_view(sample, mined, view, "no-such-pattern") is None
    stats = compute_view(sample, ViewState(query="stats count(*)"), None, mined=mined)
    assert inspect_view(sample, mined, stats, failed) is None  # stats have no rows to inspect


def test_loading_reports_progress_in_words_and_sorts_the_time_order(tmp_path):
    late, early = tmp_path / "b.log", tmp_path / "a.log"
    late.write_text("2024-03-14 10:00:02 INFO second\n")
    early.write_text("2024-03-14 10:00:01 INFO first\n2024-03-14 10:00:03 INFO third\n")
    reports: list[tuple[float, str]] = []
    loaded = load([str(late), str(early)], {}, report=lambda f, t: reports.append((f, t)))
    messages = loaded.ingested.table["message"].gather(loaded.order).to_list()
    assert [m.rsplit(" ", 1)[1] for m in messages] == ["first", "second", "third"]
    assert reports and reports[-1][0] == 1.0 and "entries" in reports[-1][1]
    assert summary(loaded.ingested, 0.25) == "3 entries from 2 sources in 0.2 s"


def test_sources_group_archive_members_under_their_archive(tmp_path):
    from logview.core.reading.ingest import SourceInfo

    def info(name: str, path: str) -> SourceInfo:
        return SourceInfo(name, path, "text", "Plain text", 0.7, 1, None, None, "utf-8")

    tree = group_by_container(
        [
            info("/data/case/b.tgz/var/log/app.log", "/data/case/b.tgz"),
            info("/data/case/b.tgz/var/log/db.log", "/data/case/b.tgz"),
            info("/data/case/notes.txt", "/data/case/notes.txt"),
        ]
    )
    (case,) = tree.groups.values()
    assert case.label == "/data/case"
    assert [s.name for s in case.sources] == ["/data/case/notes.txt"]
    archive = case.groups["b.tgz"]
    assert archive.is_archive and archive.label == "b.tgz"
    assert list(archive.groups) == ["var"] and archive.groups["var"].label == "var/log"
    assert len(archive.groups["var"].sources) == 2


def test_the_timeline_counts_the_result_over_the_range_selected(sample):
    half = START + timedelta(minutes=30)
    errors = compute_view(sample, ViewState(query="failed"), None, timeline=True).histogram
    assert errors.total == 20 and errors.counts["ERROR"].sum() == 20
    zoomed = compute_view(sample, ViewState(start=half), None, timeline=True).histogram
    assert zoomed.total == 30  # the range's half hour, drawn over that half hour alone
    assert zoomed.starts[0] >= int(half.timestamp() * 1e6) - zoomed.width_us
    stats = compute_view(sample, ViewState(query="stats count(*) by @level"), None, timeline=True)
    assert stats.histogram.total == 60  # a result of stats: the entries it counted
