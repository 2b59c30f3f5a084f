"""A load says what it is doing, stage by stage (reading bytes, parsing a source, merging,
sorting, done), and mining how far it is, so that a long one never sits on a still line
("64.7 MB of 64.7 MB · 0 entries" for 9 s of 11). Qt-free but for the last tests, which hear
the investigation's side and look at the status bar."""

from __future__ import annotations

import time

import polars as pl
import pytest

from logview.core.analysis import patterns
from logview.core.analysis.patterns import mine_entries
from logview.core.reading import ingest as ingest_module
from logview.core.reading.ingest import MERGING, PARSE_STEPS, PARSING, READING, ingest
from logview.core.reading.loading import SORTING, load

TIMEOUT_MS = 30_000


def _write_sources(folder, sizes=(3000, 2000, 1000)):
    """Write one log per size (that many lines, in time order) and return their paths."""
    folder.mkdir(exist_ok=True)
    paths = []
    for n, size in enumerate(sizes):
        path = folder / f"app{n}.log"
        path.write_text("".join(f"2026-03-10 14:{i // 60 % 60:02d}:{i % 60:02d}.000 INFO "
                                f"request {i} served by worker {n}\n" for i in range(size)))  # fmt: skip
        paths.append(path)
    return paths


@pytest.fixture
def slow_parses(monkeypatch):
    """Make every source's parse last 0.25 s longer and parse one source at a time, so that
    ingest waits on each parse, as it waits on a large file's."""

    parse = ingest_module._parse_job

    def slow(job):
        time.sleep(0.25)
        return parse(job)

    monkeypatch.setattr(ingest_module, "_parse_job", slow)
    monkeypatch.setattr(ingest_module, "PARSE_THREADS", 1)


def test_ingest_of_several_sources_says_each_stage_in_order(tmp_path, slow_parses):
    paths = _write_sources(tmp_path / "logs")
    seen = []
    ingest([tmp_path / "logs"], progress=seen.append)
    stages = [p.stage for p in seen]
    assert list(dict.fromkeys(stages)) == [READING, PARSING, MERGING]
    assert stages[stages.index(MERGING) :] == [MERGING]  # nothing is read or parsed after
    entries = [p.entries for p in seen]
    assert entries == sorted(entries) and entries[-1] == 6000
    done = [p.sources_done for p in seen]
    assert done == sorted(done) and seen[-1].sources_done == seen[-1].sources == 3
    parsing = [p for p in seen if p.stage == PARSING]
    # Every source waited on says so, more than once while its parse lasts (every 0.1 s).
    assert {p.source for p in parsing} == {str(path) for path in paths}
    assert all(sum(p.source == str(path) for p in parsing) >= 2 for path in paths)
    assert {p.lines for p in parsing} == {3000, 2000, 1000}
    assert {p.step for p in parsing} <= {"", *PARSE_STEPS}  # "": its thread not yet at it
    assert seen[-1].bytes_done == seen[-1].bytes_total > 0


def test_a_load_ends_sorted_and_done_at_one_with_a_line_for_every_stage(tmp_path, slow_parses):
    _write_sources(tmp_path / "logs")
    seen: list[tuple[float, str]] = []
    loaded = load([str(tmp_path / "logs")], {}, report=lambda f, text: seen.append((f, text)))
    assert loaded.ingested.table.height == 6000
    words = [text.split(" ", 1)[0] for _, text in seen]
    assert list(dict.fromkeys(words)) == [READING, PARSING, MERGING, SORTING, "done:"]
    assert words[-3:] == [MERGING, SORTING, "done:"]
    fractions = [f for f, _ in seen]
    assert fractions == sorted(fractions) and 0.0 <= fractions[0] and fractions[-1] == 1.0
    assert seen[-1][1].startswith("done: 6,000 entries in ")
    assert any(text.startswith("parsing app0.log (3,000 lines)") for _, text in seen)


def test_a_cancel_is_heard_while_a_source_is_parsed(tmp_path, slow_parses):
    _write_sources(tmp_path / "logs", sizes=(500,))
    asked = []
    from logview.core.shared.errors import Cancelled

    with pytest.raises(Cancelled):
        ingest([tmp_path / "logs"], progress=lambda p: asked.append(p.stage == PARSING),
               cancelled=lambda: any(asked))  # fmt: skip


def _messages(count: int) -> pl.DataFrame:
    """Entries of 60 shapes (words that no mask takes for values) with values in them."""
    words = [f"{a}{b}" for a in ("alpha", "beta", "gamma", "delta", "omega", "sigma")
             for b in ("red", "blue", "green", "black", "white", "grey", "pink", "gold",
                       "teal", "navy")]  # fmt: skip
    return pl.DataFrame(
        {"message": [f"job {words[i % 60]} took {i % 997} ms on node{i % 7}" for i in range(count)]}
    )


def test_mining_says_how_far_it_is_and_ends_at_one_with_the_same_patterns(monkeypatch):
    rows = _messages(1000)
    whole = mine_entries(rows)
    monkeypatch.setattr(patterns, "_SHAPES_A_REPORT", 10)  # Drain's reports on a small table
    seen: list[tuple[float, str]] = []
    mined = mine_entries(rows, progress=lambda f, text: seen.append((f, text)))
    fractions = [f for f, _ in seen]
    assert fractions == sorted(fractions) and fractions[0] == 0.0 and fractions[-1] == 1.0
    texts = [text for _, text in seen]
    assert texts[:2] == [
        "reading and masking entries: 0 of 1,000",
        "grouping 1,000 entries by shape",
    ]
    drained = [text for text in texts if text.startswith("mining shapes: ")]
    assert len(drained) >= 2 and drained[1].startswith("mining shapes: 10 of ")
    assert texts[-1] == f"{len(mined.by_id):,} patterns"
    assert mined.ids.to_list() == whole.ids.to_list() and mined.templates == whole.templates


def test_mining_nothing_still_ends_at_one():
    seen: list[float] = []
    mined = mine_entries(pl.DataFrame({"message": []}, schema={"message": pl.String}),
                         progress=lambda f, _text: seen.append(f))  # fmt: skip
    assert len(mined.ids) == 0 and seen[-1] == 1.0


# -- the window's side ---------------------------------------------------------------------


def test_the_investigation_tells_how_far_loading_and_mining_are(qtbot, tmp_path):
    from PySide6.QtCore import QThreadPool

    from logview.gui.investigation import Investigation

    paths = _write_sources(tmp_path / "logs", sizes=(300,))
    pool = QThreadPool()
    inv = Investigation(pool, data_folder=tmp_path / "data", formats_folder=tmp_path / "formats")
    loading: list[tuple[float, str]] = []
    mining: list[tuple[float, str]] = []
    inv.load_progress.connect(lambda f, text: loading.append((f, text)))
    inv.mining_progress.connect(lambda f, text: mining.append((f, text)))
    try:
        with qtbot.waitSignal(inv.mined_ready, timeout=TIMEOUT_MS):
            inv.open([str(paths[0])])
    finally:
        inv.close()
        pool.waitForDone()
    assert loading[-1][0] == 1.0 and loading[-1][1].startswith("done: 300 entries in ")
    assert mining[0][0] == 0.0 and mining[-1] == (1.0, f"{len(inv.mined.by_id):,} patterns")


def _window_with_status_bar(qtbot):
    """Return a 640x300 window shown with the app's status bar, and the bar."""
    from PySide6.QtWidgets import QMainWindow

    from logview.gui.status_bar import StatusBar

    window = QMainWindow()
    qtbot.addWidget(window)
    status = StatusBar()
    window.setStatusBar(status)
    window.resize(640, 300)
    window.show()
    return window, status


def test_the_bar_measures_the_bytes_then_is_busy_and_the_text_never_widens_the_window(qtbot):
    window, status = _window_with_status_bar(qtbot)
    bar = status.progress_bar
    status.set_loading(True)
    status.show_status("Opening huge.jsonl.gz…")
    status.show_progress(0.25, "reading 15.7 MB of 62.9 MB · 0 entries · 35.4 MB/s")
    assert (bar.minimum(), bar.maximum(), bar.value()) == (0, 1000, 250)
    # Every byte read, the parse of a source with a very long name: no measure, busy.
    status.show_progress(1.0, f"parsing {'x' * 400}.log (2,053,168 lines) · 4.2 s")
    assert (bar.minimum(), bar.maximum()) == (0, 0)
    assert status.status_text().startswith("Opening huge.jsonl.gz… parsing xxx")
    qtbot.wait(50)
    assert window.width() == 640
    status.set_loading(True)  # the next load starts measured, from nothing
    assert (bar.maximum(), bar.value()) == (1000, 0)


def test_progress_never_repaints_the_window_inside_the_handler_that_reports_it(qtbot):
    """QProgressBar.setValue paints at once whenever 1% more is done, and with it the whole
    window's dirty region (the first rows' table, mid-handler): the bar is updated as any
    widget is, in the next paint."""
    from PySide6.QtCore import QEvent, QObject

    class Paints(QObject):
        count = 0

        def eventFilter(self, watched, event):  # noqa: N802 - Qt's name
            if event.type() == QEvent.Type.Paint:
                self.count += 1
            return False

    window, status = _window_with_status_bar(qtbot)
    qtbot.waitExposed(window)
    status.set_loading(True)
    qtbot.wait(50)
    paints = Paints()
    status.progress_bar.installEventFilter(paints)
    for step in range(1, 10):
        status.show_progress(step / 10, f"reading {step}0%")
    status.show_progress(1.0, "parsing")
    assert paints.count == 0
    assert status.progress_bar.maximum() == 0  # busy, as asked
    qtbot.waitUntil(lambda: paints.count > 0, timeout=TIMEOUT_MS)  # and painted later


def test_a_load_finds_its_distinct_sources_off_the_ui_thread(tmp_path):
    (tmp_path / "a.log").write_text("2026-03-10 14:00:00 INFO one\n2026-03-10 14:00:02 INFO two\n")
    (tmp_path / "b.log").write_text("2026-03-10 14:00:01 WARN three\n")
    loaded = load([str(tmp_path)], {})
    assert sorted(loaded.source_names) == sorted(
        loaded.ingested.table["source"].unique().cast(pl.String).to_list()
    )
    assert len(loaded.source_names) == 2
