"""The investigation file (`.logview`) and bookmarks, without Qt."""

import json
import shutil
from datetime import UTC, datetime, timedelta

import numpy as np
import polars as pl
import pytest

from logview.core.analysis.suppressions import Rule
from logview.core.analysis.view import ViewState
from logview.core.investigation import bookmarks, saved
from logview.core.reading.source_info import SourceOverride
from logview.core.shared.errors import LogviewError

T0 = datetime(2024, 3, 1, 10, 0, tzinfo=UTC)


def _logs(folder):
    folder.mkdir(parents=True, exist_ok=True)
    app = folder / "app.log"
    app.write_text("2024-03-01 10:00:00 INFO started\n2024-03-01 10:00:05 ERROR failed x\n")
    other = folder / "other.log"
    other.write_text("2024-03-01 10:00:01 WARN slow\n")
    return app, other


def _investigation(paths, file):
    state = ViewState(
        query="error | filter @level = 'ERROR'",
        start=T0,
        end=T0 + timedelta(hours=1),
        excluded=frozenset({"other.log"}),
        context=3,
        compare="offset",
        compare_offset=timedelta(hours=2),
    )
    return saved.new(
        [str(p) for p in paths],
        state,
        file=file,
        overrides={"app.log": SourceOverride("text", "Europe/Paris", timedelta(seconds=-30))},
        baseline=("/elsewhere/yesterday.log",),
        history=("error", "timeout"),
        suppressions=(Rule("pattern", "p3", None, "baseline"),),
        bookmarks=(
            bookmarks.entry("app.log", 2, title="failed x", ts=T0).with_note("the first failure"),
            bookmarks.pattern("p3", "failed <*>"),
        ),
        notes="Customer says it broke at 10:00.\nSecond line <b>not html</b>.",
    )


def test_an_investigation_reads_back_as_it_was_saved(tmp_path):
    paths = _logs(tmp_path / "logs")
    file = tmp_path / "case.logview"
    before = _investigation(paths, file)
    saved.write(file, before)
    after = saved.read(file)
    assert after == before
    assert after.paths == [str(p) for p in paths]
    data = json.loads(file.read_text())
    assert data["kind"] == saved.KIND and data["version"] == saved.VERSION
    assert data["sources"][0]["relative"] == "logs/app.log"


def test_sources_as_saved_are_ok_and_a_changed_one_is_noticed(tmp_path):
    app, other = _logs(tmp_path / "logs")
    file = tmp_path / "case.logview"
    saved.write(file, _investigation([app, other], file))
    assert [c.status for c in saved.check(saved.read(file), file)] == ["ok", "ok"]
    # Same size, other bytes: only the head's hash tells.
    text = app.read_text()
    app.write_text(text.replace("started", "STARTED"))
    checks = saved.check(saved.read(file), file)
    assert [c.status for c in checks] == ["changed", "ok"]
    assert "changed since" in checks[0].message()


def test_a_folder_moved_with_its_investigation_finds_its_logs(tmp_path):
    _logs(tmp_path / "case" / "logs")
    file = tmp_path / "case" / "case.logview"
    paths = [tmp_path / "case" / "logs" / "app.log", tmp_path / "case" / "logs" / "other.log"]
    saved.write(file, _investigation(paths, file))
    shutil.move(tmp_path / "case", tmp_path / "handed-over")
    moved = tmp_path / "handed-over" / "case.logview"
    checks = saved.check(saved.read(moved), moved)
    assert [c.status for c in checks] == ["moved", "moved"]
    assert checks[0].path == str((tmp_path / "handed-over" / "logs" / "app.log").resolve())


def test_a_missing_source_is_listed_and_can_be_pointed_at_its_new_place(tmp_path):
    app, other = _logs(tmp_path / "logs")
    file = tmp_path / "case.logview"
    saved.write(file, _investigation([app, other], file))
    new_place = tmp_path / "renamed.log"
    other.rename(new_place)
    investigation = saved.read(file)
    checks = saved.check(investigation, file)
    assert [c.status for c in checks] == ["ok", "missing"]
    assert checks[1].message() == f"{other} is missing"
    pointed = saved.relocated(investigation, {str(other): str(new_place)})
    assert pointed.paths == [str(app), str(new_place)]
    assert pointed.state == investigation.state  # nothing was kept of other.log by name
    assert [c.status for c in saved.check(pointed, file)] == ["ok", "ok"]


def test_a_folder_source_is_kept_without_size_or_hash(tmp_path):
    folder = tmp_path / "bundle"
    _logs(folder)
    source = saved.source_of(folder)
    assert source.size is None and source.head is None
    investigation = saved.new([str(folder)], ViewState())
    assert [c.status for c in saved.check(investigation)] == ["ok"]


@pytest.mark.parametrize(
    ("content", "said"),
    [
        (b"{not json", "damaged (line 1, column 2"),
        (b"\xff\xfe\x00garbage", "not text"),
        (b'{"kind": "something else", "version": 1}', "not a logview investigation file"),
        (b'{"kind": "logview investigation", "version": 7, "sources": []}', "newer logview"),
        (b'{"kind": "logview investigation", "version": "x"}', "damaged (version 'x')"),
        (b'{"kind": "logview investigation", "version": 1, "sources": []}', "names no sources"),
        (
            b'{"kind": "logview investigation", "version": 1, "sources": [{"path": "/a"}],'
            b' "bookmarks": [{"kind": "row", "key": "a"}]}',
            "unknown kind 'row'",
        ),
        (
            b'{"kind": "logview investigation", "version": 1, "sources": [{"path": "/a"}],'
            b' "view": {"start": "2024-01-01T00:00:00"}}',
            "has no zone",
        ),
    ],
)
def test_a_bad_file_gets_one_clear_line(tmp_path, content, said):
    file = tmp_path / "bad.logview"
    file.write_bytes(content)
    with pytest.raises(LogviewError) as caught:
        saved.read(file)
    message = str(caught.value)
    assert said in message and "\n" not in message
    assert message.startswith(f"cannot open {file}")


def test_an_absent_file_is_said_so(tmp_path):
    with pytest.raises(LogviewError, match="cannot open .*nothing.logview: No such file"):
        saved.read(tmp_path / "nothing.logview")


def test_a_save_that_fails_leaves_the_old_file_whole(tmp_path, monkeypatch):
    app, other = _logs(tmp_path / "logs")
    file = tmp_path / "case.logview"
    saved.write(file, _investigation([app], file))
    before = file.read_bytes()

    def broken(value, *args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("os.fsync", broken)
    with pytest.raises(LogviewError, match="cannot save .*No space left"):
        saved.write(file, _investigation([app, other], file))
    assert file.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".partial")] == []


def test_hand_written_relative_paths_are_read_from_the_files_folder(tmp_path):
    _logs(tmp_path / "logs")
    file = tmp_path / "case.logview"
    file.write_text(
        json.dumps({"kind": saved.KIND, "version": 1, "sources": ["logs/app.log"]}), "utf-8"
    )
    investigation = saved.read(file)
    assert investigation.paths == [str((tmp_path / "logs" / "app.log").resolve())]
    assert investigation.state == ViewState()


# -- bookmarks ---------------------------------------------------------------------------------
def test_marking_twice_unmarks():
    mark = bookmarks.entry("a.log", 3)
    once = bookmarks.toggled([], mark)
    assert once == [mark]
    assert bookmarks.toggled(once, bookmarks.entry("a.log", 3, title="other title")) == []


def test_bookmarked_entries_are_found_by_source_and_line():
    table = pl.DataFrame(
        {"source": ["a.log", "a.log", "b.log", "b.log"], "line": [1, 2, 1, 2]},
        schema={"source": pl.Categorical(), "line": pl.UInt64},
    )
    marks = [bookmarks.entry("b.log", 1), bookmarks.entry("a.log", 2), bookmarks.entry("c.log", 1)]
    marks.append(bookmarks.pattern("p1", "x <*>"))
    rows = bookmarks.entry_rows(table, marks)
    assert rows.dtype == np.uint32 and rows.tolist() == [1, 2]


def test_a_pattern_bookmark_finds_its_template_under_a_new_id():
    mark = bookmarks.pattern("p3", "failed <*>")
    assert bookmarks.pattern_of(mark, {"p3": "failed <*>"}) == "p3"
    assert bookmarks.pattern_of(mark, {"p3": "started", "p9": "failed <*>"}) == "p9"
    assert bookmarks.pattern_of(mark, {"p1": "started"}) is None


def test_a_bookmark_round_trips_through_json():
    mark = bookmarks.entry("a.log", 7, title="x", ts=T0).with_note("look")
    assert bookmarks.Bookmark.from_json(mark.to_json()) == mark
    with pytest.raises(ValueError, match="line is not a number"):
        bookmarks.Bookmark.from_json({"kind": "entry", "key": "a:1", "line": "1"})


def test_an_entry_bookmark_is_titled_by_its_body():
    table = pl.DataFrame(
        {
            "ts": [T0, T0 + timedelta(seconds=1)],
            "source": ["a.log", "a.log"],
            "line": [1, 2],
            "message": ["2024-03-01 10:00:00 INFO started", "2024-03-01 10:00:01 ERROR x\n  at y"],
            "body_at": [25, 26],
        },
        schema_overrides={"source": pl.Categorical(), "line": pl.UInt64, "body_at": pl.UInt32},
    )
    [mark] = bookmarks.entries(table, [1])
    assert (mark.kind, mark.key, mark.source, mark.line) == ("entry", "a.log:2", "a.log", 2)
    assert mark.title == "x" and mark.ts == T0 + timedelta(seconds=1)


def test_what_is_kept_by_source_name_follows_a_moved_source(tmp_path):
    old, new = "/cases/a/bundle.tgz", str(tmp_path / "b" / "bundle.tgz")
    member = f"{old}/logs/app.log"
    investigation = saved.Saved(
        sources=(saved.SavedSource(old), saved.SavedSource("/cases/a/other.log")),
        state=ViewState(excluded=frozenset({member, "/cases/a/other.log"})),
        overrides={member: SourceOverride(tz="UTC")},
        bookmarks=(bookmarks.entry(member, 4), bookmarks.pattern("p1", "x")),
    )
    moved = saved.relocated(investigation, {old: new})
    assert moved.paths == [new, "/cases/a/other.log"]
    assert moved.state.excluded == {f"{new}/logs/app.log", "/cases/a/other.log"}
    assert list(moved.overrides) == [f"{new}/logs/app.log"]
    entry, pattern = moved.bookmarks
    assert (entry.source, entry.key) == (f"{new}/logs/app.log", f"{new}/logs/app.log:4")
    assert pattern == investigation.bookmarks[1]
    # A name that merely starts like the moved one is another source.
    assert saved.relocated(
        saved.Saved(
            sources=(saved.SavedSource(old),), state=ViewState(excluded=frozenset({old + "x"}))
        ),
        {old: new},
    ).state.excluded == {old + "x"}
