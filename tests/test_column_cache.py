"""The column cache: a file read before is taken from it, and only when it is the same file
read the same way; a damaged or foreign entry is read again; the folder stays within its
limit; a cache that cannot be written costs a warning, not the load."""

from __future__ import annotations

import gzip
import io
import json
import os
import tarfile
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import polars as pl
import pytest

from logview.core.analysis.patterns import mine_entries
from logview.core.reading import ingest as ingest_module
from logview.core.reading.column_cache import MANIFEST, ColumnCache, source_key
from logview.core.reading.ingest import SourceOverride, ingest
from logview.core.reading.loading import summary
from logview.core.reading.sources import Limits

START = datetime(2026, 3, 10, 14, 0, tzinfo=UTC)


def _lines(n: int, word: str = "served", start: int = 0) -> str:
    return "".join(
        f"{START + timedelta(seconds=i):%Y-%m-%d %H:%M:%S} INFO request {i} {word} in {i % 7} ms\n"
        for i in range(start, start + n)
    )


@pytest.fixture
def cache(tmp_path: Path) -> ColumnCache:
    return ColumnCache(tmp_path / "cache")


@pytest.fixture
def parses(monkeypatch) -> list[str]:
    """Record the name of every source parsed (not taken from the cache)."""
    seen: list[str] = []
    real = ingest_module._parse_job

    def counting(job):
        seen.append(job.name)
        return real(job)

    monkeypatch.setattr(ingest_module, "_parse_job", counting)
    return seen


def _open(paths, cache: ColumnCache, **kwargs):
    loaded = ingest([str(p) for p in paths], cache=cache, **kwargs)
    assert cache.flush(30)
    return loaded


def test_a_file_read_again_comes_from_the_cache_and_is_the_same(tmp_path, cache, parses):
    folder = tmp_path / "logs"
    folder.mkdir()
    (folder / "a.log").write_text(_lines(300))
    (folder / "b.log").write_text(_lines(200, "failed"))
    first = _open([folder], cache)
    assert len(parses) == 2
    again = _open([folder], cache)
    assert len(parses) == 2  # nothing parsed the second time
    assert (first.files_cached, again.files_cached) == (0, 2)
    assert summary(again, 0.4) == "500 entries from 2 sources in 0.4 s (2 files from the cache)"
    assert again.table.equals(first.table)
    assert again.sources == first.sources and again.warnings == first.warnings
    # And what is computed from it is the same: the patterns, their ids and counts.
    a, b = mine_entries(first.table), mine_entries(again.table)
    assert a.ids.equals(b.ids) and set(a.by_id) == set(b.by_id)


def test_the_first_rows_are_previewed_from_the_cache_too(tmp_path, cache):
    log = tmp_path / "a.log"
    log.write_text(_lines(50))
    _open([log], cache)
    shown: list[pl.DataFrame] = []
    _open([log], cache, preview=shown.append)
    assert len(shown) == 1 and shown[0].height == 50


@pytest.mark.parametrize("change", ["appended", "truncated", "rewritten", "replaced", "renamed"])
def test_a_changed_file_is_read_again(tmp_path, cache, parses, change):
    log = tmp_path / "app.log"
    log.write_text(_lines(100))
    _open([log], cache)
    stat = log.stat()
    if change == "appended":
        with open(log, "a") as handle:
            handle.write(_lines(1, start=100))
        expected = 101
    elif change == "truncated":
        log.write_text(_lines(40))
        expected = 40
    elif change == "rewritten":  # same size and time, other content
        log.write_text(_lines(100, "failed"))  # as long as "served"
        os.utime(log, ns=(stat.st_atime_ns, stat.st_mtime_ns))
        assert log.stat().st_size == stat.st_size
        expected = 100
    elif change == "replaced":  # another file (another inode) in its place
        other = tmp_path / "new.log"
        other.write_text(_lines(100))
        os.replace(other, log)
        expected = 100
    else:  # rotated away: the old name now holds a new file
        log.rename(tmp_path / "app.log.1")
        log.write_text(_lines(10, start=500))
        expected = 10
    again = _open([log], cache)
    assert len(parses) == 2
    assert again.table.height == expected
    if change == "rewritten":
        assert again.table["message"].str.contains("failed").all()


def test_a_source_read_another_way_is_read_again(tmp_path, cache, parses):
    log = tmp_path / "app.log"
    log.write_text(_lines(100))
    _open([log], cache)
    shifted = _open([log], cache, overrides={str(log): SourceOverride(offset=timedelta(hours=1))})
    assert len(parses) == 2
    assert shifted.table["ts"].min() == START + timedelta(hours=1)
    _open([log], cache, tz="Europe/Berlin")
    assert len(parses) == 3
    _open([log], cache, overrides={str(log): SourceOverride(offset=timedelta(hours=1))})
    assert len(parses) == 3  # that way was kept too


def test_an_archive_is_one_entry_and_its_members_come_back_in_order(tmp_path, cache, parses):
    archive = tmp_path / "bundle.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        for name, text in (("one.log", _lines(30)), ("two.log", _lines(20, "failed"))):
            data = text.encode()
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    plain = tmp_path / "plain.log"
    plain.write_text(_lines(5, "other"))
    first = _open([archive, plain], cache)
    again = _open([archive, plain], cache)
    assert len(parses) == 3
    assert [s.name for s in again.sources] == [s.name for s in first.sources]
    assert again.table.equals(first.table)
    # An override of one member reads the archive again.
    member = next(s.name for s in first.sources if s.name.endswith("two.log"))
    _open([archive, plain], cache, overrides={member: SourceOverride(tz="Asia/Tokyo")})
    assert len(parses) == 5


def test_a_file_with_a_warning_is_not_kept(tmp_path, cache, parses):
    log = tmp_path / "cut.log.gz"
    log.write_bytes(gzip.compress(_lines(2000).encode())[:-200])  # a download cut short
    first = _open([log], cache)
    assert first.warnings
    again = _open([log], cache)
    assert len(parses) == 2 and again.warnings == first.warnings


@pytest.mark.parametrize("damage", ["part", "manifest", "foreign", "missing part", "short"])
def test_a_damaged_entry_is_read_again_from_the_source(tmp_path, cache, parses, damage):
    log = tmp_path / "app.log"
    log.write_text(_lines(100))
    first = _open([log], cache)
    (entry,) = [p for p in cache.folder.iterdir() if not p.name.startswith(".")]
    part = entry / "0.parquet"
    if damage == "part":
        data = bytearray(part.read_bytes())
        data[len(data) // 2 : len(data) // 2 + 64] = b"\0" * 64
        part.write_bytes(bytes(data))
    elif damage == "manifest":
        (entry / MANIFEST).write_text("{not json")
    elif damage == "foreign":
        (entry / MANIFEST).write_text(json.dumps({"version": 999, "sources": []}))
    elif damage == "missing part":
        part.unlink()
    else:  # a part of another file, with fewer rows than the manifest says
        pl.DataFrame({"ts": [START]}).write_parquet(part)
    again = _open([log], cache)
    assert len(parses) == 2
    assert again.table.equals(first.table)
    # The damaged entry was replaced by a good one.
    _open([log], cache)
    assert len(parses) == 2


def test_the_least_recently_used_entries_go_first(tmp_path, parses):
    logs = []
    for name in ("a", "b", "c"):
        log = tmp_path / f"{name}.log"
        log.write_text(_lines(2000, name))
        logs.append(log)
    unbounded = ColumnCache(tmp_path / "cache")
    for log in logs:
        _open([log], unbounded)
    one = max(
        sum(f.stat().st_size for f in entry.iterdir()) for entry in unbounded.folder.iterdir()
    )
    cache = ColumnCache(tmp_path / "cache", limit=int(2.5 * one))
    used = [entry / MANIFEST for entry in cache.folder.iterdir()]
    for i, manifest in enumerate(sorted(used)):
        os.utime(manifest, (1_000_000 + i, 1_000_000 + i))
    _open([logs[0]], cache)  # a.log read: now the most recently used
    cache.evict()
    assert cache.size() <= cache.limit
    assert len(list(cache.folder.iterdir())) == 2
    parsed = len(parses)
    _open([logs[0]], cache)
    assert len(parses) == parsed  # a.log kept


def test_two_windows_writing_one_entry_leave_one_good_entry(tmp_path, parses):
    log = tmp_path / "app.log"
    log.write_text(_lines(500))
    first = ingest([str(log)])
    key = source_key(log, str(log), {}, None, Limits(), "")
    caches = [ColumnCache(tmp_path / "cache") for _ in range(4)]
    sources = [(first.table.drop("seq"), first.sources[0])]
    threads = [
        threading.Thread(target=lambda c=c: (c.put(key, sources), c.flush())) for c in caches
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [p.name for p in caches[0].folder.iterdir()] == [key]
    assert caches[0].get(key) is not None


def test_a_cache_that_cannot_be_written_costs_a_warning_not_the_load(tmp_path, parses, monkeypatch):
    log = tmp_path / "app.log"
    log.write_text(_lines(100))

    def full(self, *args, **kwargs):
        raise OSError(28, "No space left on device")

    cache = ColumnCache(tmp_path / "cache")
    monkeypatch.setattr(pl.DataFrame, "write_parquet", full)
    first = _open([log], cache)
    assert first.table.height == 100
    second = _open([log], cache)  # read again, and told why
    assert second.table.height == 100 and len(parses) == 2
    assert any("No space left on device" in w and "parsed again" in w for w in second.warnings)
    assert not [p for p in cache.folder.iterdir()]  # no half-written entry left


def test_a_tables_patterns_are_kept_and_read_back_the_same(tmp_path, cache):
    from logview.core.analysis.mined_parts import from_parts, mined_key, to_parts

    log = tmp_path / "app.log"
    log.write_text(_lines(500) + _lines(300, "failed", start=500))
    loaded = _open([log], cache)
    assert loaded.cache_key is not None
    mined = mine_entries(loaded.table)
    cache.put_parts(mined_key(loaded.cache_key), *to_parts(mined))
    assert cache.flush(30)
    again = _open([log], cache)
    assert again.cache_key == loaded.cache_key
    kept = cache.get_parts(mined_key(again.cache_key))
    assert kept is not None
    back = from_parts(*kept, again.table.height)
    assert back.ids.equals(mined.ids) and back.by_id == mined.by_id
    assert back.shapes is not None and back.shapes.equals(mined.shapes)
    with pytest.raises(ValueError):
        from_parts(*kept, again.table.height + 1)  # another table's


def test_the_table_key_changes_with_any_of_its_files(tmp_path, cache):
    folder = tmp_path / "logs"
    folder.mkdir()
    (folder / "a.log").write_text(_lines(10))
    (folder / "b.log").write_text(_lines(10, "failed"))
    key = _open([folder], cache).cache_key
    assert key is not None and _open([folder], cache).cache_key == key
    (folder / "c.log").write_text(_lines(1))
    assert _open([folder], cache).cache_key != key
    assert ingest([str(folder)]).cache_key is None  # no cache, no key


def test_a_file_taken_from_the_cache_is_followed_as_if_it_was_parsed(tmp_path, cache):
    """Its details keep where reading stopped and the header learned: following resumes
    there and splits appended lines the same way."""
    from logview.core.reading.follow import Live
    from logview.core.shared.table import time_ordered

    log = tmp_path / "app.log"
    log.write_text("".join(_lines(30)).replace(" INFO ", " INFO [web] "))
    parsed = _open([log], cache)
    cached = _open([log], cache)
    assert cached.sources == parsed.sources and cached.sources[0].tail is not None
    assert cached.sources[0].header == parsed.sources[0].header and parsed.sources[0].header
    lives = [Live(parsed), Live(cached)]
    with open(log, "a") as handle:
        handle.write(_lines(2, "cleared", start=30).replace(" INFO ", " INFO [web] "))
    for live in lives:
        live.poll()
        live.poll()
    one, two = (time_ordered(live.table) for live in lives)
    assert one.height == two.height == 32
    assert one.equals(two)


def test_the_table_scanned_from_the_cache_is_the_table_ingest_makes(tmp_path, cache):
    """Sources in reading order, each its columns, a field some lack as nulls, entries without
    a stamp in their place, and `seq` the same time order."""
    from logview.core.reading.column_cache import scan_files

    folder = tmp_path / "logs"
    folder.mkdir()
    (folder / "a.log").write_text(_lines(50) + "no stamp here, a continuation? no: a line\n")
    (folder / "b.jsonl").write_text(
        "".join(
            json.dumps(
                {
                    "ts": f"{START + timedelta(seconds=i, milliseconds=500):%Y-%m-%dT%H:%M:%S.%fZ}",
                    "level": "warn",
                    "msg": f"slow {i}",
                    "shard": i % 3,
                }
            )  # fmt: skip
            + "\n"
            for i in range(40)
        )
    )
    args = ({}, None, Limits(), "")
    assert scan_files(cache, [str(folder)], *args) is None  # nothing kept yet
    made = _open([folder], cache)
    scanned = scan_files(cache, [str(folder)], *args)
    assert scanned is not None
    table = scanned.collect()
    assert table.equals(made.table) and table.schema == made.table.schema
    # Another file in the folder is not in the cache: no scan, the files are read.
    (folder / "c.log").write_text(_lines(3))
    assert scan_files(cache, [str(folder)], *args) is None


def test_a_tables_anomalies_are_kept_and_read_back_the_same(tmp_path, cache, monkeypatch):
    from logview.core.analysis import anomalies as detection
    from logview.core.analysis.kept_anomalies import detect_kept
    from logview.core.analysis.mined_parts import mine_kept

    steady = [f"{START + timedelta(seconds=10 * i):%Y-%m-%d %H:%M:%S} INFO request {i} served\n"
              for i in range(3000)]  # fmt: skip
    burst = [f"{START + timedelta(hours=8, seconds=i):%Y-%m-%d %H:%M:%S} ERROR payment {i} declined\n"
             for i in range(200)]  # fmt: skip
    log = tmp_path / "app.log"
    log.write_text("".join(sorted(steady + burst)))
    calls: list[int] = []
    real = detection.detect
    monkeypatch.setattr(detection, "detect", lambda *a, **k: (calls.append(1), real(*a, **k))[1])
    loaded = _open([log], cache)
    mined = mine_kept(loaded.table, cache, loaded.cache_key)
    found = detect_kept(loaded.table, mined, timedelta(minutes=5), cache, loaded.cache_key)
    assert found and calls == [1]
    assert cache.flush(30)
    again = _open([log], cache)
    back = detect_kept(again.table, mined, timedelta(minutes=5), cache, again.cache_key)
    assert back == found and calls == [1]
    # Other windows are another question.
    detect_kept(again.table, mined, timedelta(minutes=10), cache, again.cache_key)
    assert calls == [1, 1]
