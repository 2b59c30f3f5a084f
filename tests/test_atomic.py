"""Atomic saves: the old file or the new one, and nothing a killed save left behind."""

from __future__ import annotations

import os
import time

import pytest

from logview.core.shared import atomic
from logview.core.shared.atomic import STALE_SECONDS, write_atomic


def test_a_save_replaces_the_file_whole(tmp_path):
    target = tmp_path / "state.json"
    target.write_bytes(b"old")
    write_atomic(target, lambda handle: handle.write(b"new"))
    assert target.read_bytes() == b"new"
    assert [p.name for p in tmp_path.iterdir()] == ["state.json"]


def test_a_failed_save_keeps_the_old_file_and_no_temp(tmp_path):
    target = tmp_path / "state.json"
    target.write_bytes(b"old")

    def fail(handle):  # noqa: ANN001, ANN202
        handle.write(b"half")
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        write_atomic(target, fail)
    assert target.read_bytes() == b"old" and [p.name for p in tmp_path.iterdir()] == ["state.json"]


def test_temp_files_of_killed_saves_are_swept_but_not_a_save_in_progress(tmp_path):
    target = tmp_path / "state [1].json"  # glob characters in the name are taken literally
    stale = tmp_path / ".state [1].json.abc123.partial"
    fresh = tmp_path / ".state [1].json.def456.partial"
    other = tmp_path / ".other.json.xyz.partial"
    for path in (stale, fresh, other):
        path.write_bytes(b"half")
    old = time.time() - STALE_SECONDS - 10
    os.utime(stale, (old, old))
    os.utime(other, (old, old))
    write_atomic(target, lambda handle: handle.write(b"new"))
    assert not stale.exists()
    assert fresh.exists() and other.exists()  # another process's save; another file's


def test_a_saved_file_has_a_new_files_permissions_or_keeps_its_own(tmp_path):
    import os
    import stat

    umask = os.umask(0o022)
    try:
        new = write_atomic(tmp_path / "export.csv", lambda handle: handle.write(b"a\n"))
        assert stat.S_IMODE(new.stat().st_mode) == 0o666 & ~atomic._UMASK  # not the temp's 0600
        kept = tmp_path / "private.txt"
        kept.write_bytes(b"old")
        kept.chmod(0o600)
        write_atomic(kept, lambda handle: handle.write(b"new"))
        assert stat.S_IMODE(kept.stat().st_mode) == 0o600 and kept.read_bytes() == b"new"
    finally:
        os.umask(umask)


def test_a_damaged_text_file_is_told_from_a_sound_one(tmp_path):
    sound, nul, bad = tmp_path / "a.ini", tmp_path / "b.ini", tmp_path / "c.ini"
    sound.write_text("[window]\nzone=Europe/Berlin\n", encoding="utf-8")
    nul.write_bytes(b"[window]\x00\x00\n")
    bad.write_bytes(b"[window]\nname=\xff\xfe\n")
    assert not atomic.damaged_text(sound) and not atomic.damaged_text(tmp_path / "absent.ini")
    assert atomic.damaged_text(nul) and atomic.damaged_text(bad)
