"""Paths into bounded byte streams: folders, compressions, archives, hostile and broken inputs."""

from __future__ import annotations

import bz2
import gzip
import io
import lzma
import os
import stat
import struct
import tarfile
import tempfile
import time
import tracemalloc
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

import pytest
import zstandard
from hostile_corpus import zip_bytes

from logview.core.reading.sources import Limits, SourceWalker, clean_member_name
from logview.core.shared.errors import Cancelled, LogviewError

MiB = 1 << 20
DEFAULT_LIMITS = Limits()


@dataclass
class Seen:
    name: str
    layers: tuple[str, ...]
    data: bytes
    mtime: float | None
    error: str | None = None


def walk(paths, limits: Limits = DEFAULT_LIMITS, **kwargs) -> tuple[list[Seen], list[str]]:
    """Read every member whole, catching LogviewError per member as the ingest code does."""
    walker = SourceWalker([str(p) for p in paths], limits, **kwargs)
    seen = []
    for member in walker:
        chunks, error = [], None
        try:
            while chunk := member.stream.read(256 * 1024):
                chunks.append(chunk)
        except Cancelled:
            raise
        except LogviewError as err:
            error = str(err)
        seen.append(Seen(member.name, member.layers, b"".join(chunks), member.mtime, error))
    return seen, walker.warnings


def names(seen: list[Seen]) -> list[str]:
    return [s.name for s in seen]


def write(path: Path, data: bytes | str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    return path


def tar_bytes(members: dict[str, bytes], mode: str = "w") -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode=mode) as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            info.mtime = 1_700_000_000
            tar.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def set_zip_flag(data: bytes, name: bytes, flag: int) -> bytes:
    """Return a zip with `flag` set in the local and central headers of member `name`."""
    patched = bytearray(data)
    for signature, flags_at, name_at in ((b"PK\x03\x04", 6, 30), (b"PK\x01\x02", 8, 46)):
        at = patched.index(signature + b"", 0)
        while patched[at + name_at : at + name_at + len(name)] != name:
            at = patched.index(signature, at + 4)
        (old,) = struct.unpack("<H", patched[at + flags_at : at + flags_at + 2])
        patched[at + flags_at : at + flags_at + 2] = struct.pack("<H", old | flag)
    return bytes(patched)


LOG = b"2024-05-06 07:08:09 INFO started\n2024-05-06 07:08:10 ERROR failed\n"


# --- folders and plain files ---------------------------------------------------------------


def test_folder_is_walked_recursively_in_name_order_with_names_under_the_folder_as_given(
    tmp_path,
):
    root = tmp_path / "logs"
    write(root / "b.log", "b\n")
    write(root / "a" / "z.log", "z\n")
    write(root / "a" / "deeper" / "x.log", "x\n")
    write(root / "c.log", "c\n")
    seen, warnings = walk([f"{root}/"])
    assert names(seen) == [
        f"{root}/a/deeper/x.log",
        f"{root}/a/z.log",
        f"{root}/b.log",
        f"{root}/c.log",
    ]
    assert [s.data for s in seen] == [b"x\n", b"z\n", b"b\n", b"c\n"]
    assert warnings == []


def test_plain_file_keeps_the_path_as_given_and_its_own_mtime(tmp_path):
    path = write(tmp_path / "app.log", LOG)
    os.utime(path, (1_600_000_000, 1_600_000_000))
    seen, _ = walk([path])
    assert [(s.name, s.layers, s.data, s.mtime) for s in seen] == [
        (str(path), (), LOG, 1_600_000_000)
    ]


def test_rotated_set_keeps_each_file_name_and_compressed_ones_decompress(tmp_path):
    folder = tmp_path / "rotated"
    write(folder / "app.log", b"current\n")
    write(folder / "app.log.1", b"one\n")
    write(folder / "app.log.2.gz", gzip.compress(b"two\n"))
    write(folder / "app.log.3.gz", gzip.compress(b"three\n"))
    seen, _ = walk([folder])
    assert [(s.name.rsplit("/", 1)[1], s.layers, s.data) for s in seen] == [
        ("app.log", (), b"current\n"),
        ("app.log.1", (), b"one\n"),
        ("app.log.2.gz", ("gz",), b"two\n"),
        ("app.log.3.gz", ("gz",), b"three\n"),
    ]


def test_empty_file_is_one_empty_source(tmp_path):
    path = write(tmp_path / "empty.log", b"")
    seen, warnings = walk([path])
    assert [(s.name, s.data) for s in seen] == [(str(path), b"")]
    assert warnings == []


def test_missing_path_is_a_warning_not_an_exception(tmp_path):
    good = write(tmp_path / "a.log", LOG)
    seen, warnings = walk([tmp_path / "missing.log", good])
    assert names(seen) == [str(good)]
    assert warnings == [f"{tmp_path / 'missing.log'}: cannot read: No such file or directory"]


def test_symlinks_inside_a_folder_are_skipped_but_a_symlink_given_directly_is_followed(tmp_path):
    target = write(tmp_path / "real.log", LOG)
    folder = tmp_path / "logs"
    folder.mkdir()
    (folder / "link.log").symlink_to(target)
    (folder / "linkdir").symlink_to(tmp_path)
    direct = tmp_path / "direct.log"
    direct.symlink_to(target)
    seen, warnings = walk([folder, direct])
    assert [(s.name, s.data) for s in seen] == [(str(direct), LOG)]
    assert warnings == [
        f"{folder}/link.log: skipped: symbolic link",
        f"{folder}/linkdir: skipped: symbolic link",
    ]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_fifo_in_a_folder_or_given_directly_is_skipped_without_hanging(tmp_path):
    folder = tmp_path / "logs"
    write(folder / "a.log", LOG)
    os.mkfifo(folder / "pipe")
    os.mkfifo(tmp_path / "direct-pipe")
    started = time.monotonic()
    seen, warnings = walk([folder, tmp_path / "direct-pipe"])
    assert time.monotonic() - started < 5
    assert names(seen) == [f"{folder}/a.log"]
    assert warnings == [
        f"{folder}/pipe: skipped: not a regular file (FIFO)",
        f"{tmp_path / 'direct-pipe'}: skipped: not a regular file (FIFO)",
    ]


def test_os_junk_is_skipped_quietly_on_disk_and_in_archives(tmp_path):
    folder = tmp_path / "logs"
    write(folder / ".DS_Store", b"\x00\x00\x00\x01Bud1")
    write(folder / "Thumbs.db", b"junk")
    write(folder / "__MACOSX" / "._a.log", b"junk")
    write(
        folder / "b.zip",
        zip_bytes({"__MACOSX/._x.log": b"junk", "dir/.DS_Store": b"junk", "x.log": LOG}),
    )
    seen, warnings = walk([folder])
    assert names(seen) == [f"{folder}/b.zip/x.log"]
    assert warnings == []


def test_inputs_are_left_byte_for_byte_and_mtime_unchanged(tmp_path):
    paths = [
        write(tmp_path / "a.log", LOG),
        write(tmp_path / "b.log.gz", gzip.compress(LOG)),
        write(tmp_path / "c.zip", zip_bytes({"x.log": LOG})),
        write(tmp_path / "d.tgz", gzip.compress(tar_bytes({"y.log": LOG}))),
    ]
    for path in paths:
        os.utime(path, (1_500_000_000, 1_500_000_000))
    before = [(p.read_bytes(), p.stat().st_mtime) for p in paths]
    walk(paths)
    assert [(p.read_bytes(), p.stat().st_mtime) for p in paths] == before


def test_bytes_read_reaches_bytes_total(tmp_path):
    write(tmp_path / "a.log", LOG * 1000)
    write(tmp_path / "b.log.gz", gzip.compress(LOG * 1000))
    write(tmp_path / "c.zip", zip_bytes({"x.log": LOG * 500, "y.log": LOG}))
    write(tmp_path / "d.tar.xz", lzma.compress(tar_bytes({"y.log": LOG * 100})))
    walker = SourceWalker([tmp_path])
    expected = sum(p.stat().st_size for p in tmp_path.iterdir())
    assert walker.bytes_total == expected
    progress = []
    for member in walker:
        member.stream.read()
        progress.append(walker.bytes_read)
    assert progress == sorted(progress)
    assert walker.bytes_read == expected


# --- compressions ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("suffix", "compress", "layer"),
    [
        (".gz", gzip.compress, "gz"),
        (".bz2", bz2.compress, "bz2"),
        (".xz", lzma.compress, "xz"),
        (".zst", lambda data: zstandard.ZstdCompressor().compress(data), "zst"),
    ],
)
def test_each_compression_is_one_source_under_its_own_name(tmp_path, suffix, compress, layer):
    path = write(tmp_path / f"app.log{suffix}", compress(LOG * 10))
    seen, warnings = walk([path])
    assert [(s.name, s.layers, s.data) for s in seen] == [(str(path), (layer,), LOG * 10)]
    assert warnings == []


def test_compression_is_found_by_magic_bytes_not_by_extension(tmp_path):
    path = write(tmp_path / "looks-plain.log", gzip.compress(LOG))
    plain = write(tmp_path / "looks-compressed.gz", LOG)
    seen, _ = walk([path, plain])
    assert [(s.layers, s.data) for s in seen] == [(("gz",), LOG), ((), LOG)]


def test_multi_member_gzip_decompresses_completely(tmp_path):
    path = write(tmp_path / "joined.log.gz", gzip.compress(b"first\n") + gzip.compress(b"second\n"))
    seen, _ = walk([path])
    assert seen[0].data == b"first\nsecond\n"


def test_thirty_byte_zstd_frame_is_read(tmp_path):
    frame = zstandard.ZstdCompressor().compress(b"2024-05-06 INFO tiny\n")
    assert len(frame) <= 30
    seen, warnings = walk([write(tmp_path / "tiny.zst", frame)])
    assert seen[0].data == b"2024-05-06 INFO tiny\n"
    assert warnings == []


def test_gzip_header_mtime_is_the_member_mtime(tmp_path):
    buffer = io.BytesIO()
    with gzip.GzipFile(fileobj=buffer, mode="wb", mtime=1_234_567_890) as packed:
        packed.write(LOG)
    seen, _ = walk([write(tmp_path / "a.log.gz", buffer.getvalue())])
    assert seen[0].mtime == 1_234_567_890


# --- archives -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("filename", "pack", "layer"),
    [
        ("bundle.tar", lambda t: t, "tar"),
        ("bundle.tar.gz", gzip.compress, "tar.gz"),
        ("bundle.tgz", gzip.compress, "tar.gz"),
        ("bundle.tar.bz2", bz2.compress, "tar.bz2"),
        ("bundle.tar.xz", lzma.compress, "tar.xz"),
        ("bundle.tar.zst", lambda t: zstandard.ZstdCompressor().compress(t), "tar.zst"),
    ],
)
def test_tar_members_are_listed_under_the_archive_name(tmp_path, filename, pack, layer):
    tar = tar_bytes({"./var/log/app.log": LOG, "var/log/other.log": b"other\n"})
    path = write(tmp_path / filename, pack(tar))
    seen, warnings = walk([path])
    assert [(s.name, s.layers, s.data, s.mtime) for s in seen] == [
        (f"{path}/var/log/app.log", (layer,), LOG, 1_700_000_000),
        (f"{path}/var/log/other.log", (layer,), b"other\n", 1_700_000_000),
    ]
    assert warnings == []


def test_zip_members_are_listed_with_their_own_mtime(tmp_path):
    path = write(
        tmp_path / "bundle.zip",
        zip_bytes({"logs\\win.log": LOG, "logs/": b"", "stored.log": b"s\n"}),
    )
    seen, warnings = walk([path])
    assert [(s.name, s.layers, s.data) for s in seen] == [
        (f"{path}/logs/win.log", ("zip",), LOG),
        (f"{path}/stored.log", ("zip",), b"s\n"),
    ]
    assert seen[0].mtime == time.mktime((2024, 5, 6, 7, 8, 10, 0, 0, -1))
    assert warnings == []


def test_compressed_member_inside_a_tar_keeps_its_name_and_adds_its_layer(tmp_path):
    tar = tar_bytes({"var/log/app.log.1.gz": gzip.compress(LOG)})
    path = write(tmp_path / "bundle.tgz", gzip.compress(tar))
    seen, _ = walk([path])
    assert [(s.name, s.layers, s.data) for s in seen] == [
        (f"{path}/var/log/app.log.1.gz", ("tar.gz", "gz"), LOG)
    ]


def nested(levels: list[str], leaf: bytes) -> bytes:
    """Return `leaf` wrapped in archives, innermost last in `levels` ('zip' or 'tgz')."""
    data, name = leaf, "c.log"
    for level in reversed(levels):
        if level == "zip":
            data, name = zip_bytes({name: data}), f"{level}-{len(data)}.zip"
        else:
            data, name = gzip.compress(tar_bytes({name: data})), f"{level}-{len(data)}.tgz"
    return data


def test_archives_three_deep_are_walked(tmp_path):
    path = write(tmp_path / "outer.zip", nested(["zip", "tgz", "zip"], LOG))
    seen, warnings = walk([path])
    assert len(seen) == 1
    assert seen[0].layers == ("zip", "tar.gz", "zip")
    assert seen[0].name.startswith(f"{path}/") and seen[0].name.endswith(".zip/c.log")
    assert seen[0].name.count(".zip/") == 2 and ".tgz/" in seen[0].name
    assert seen[0].data == LOG
    assert warnings == []


def test_archive_four_deep_is_refused_with_a_warning(tmp_path):
    path = write(tmp_path / "outer.zip", nested(["zip", "tgz", "zip", "tgz"], LOG))
    seen, warnings = walk([path])
    assert seen == []
    assert len(warnings) == 1
    assert warnings[0].endswith(": skipped: archive nested deeper than 3 levels")
    assert warnings[0].startswith(f"{path}/")


def test_zip_inside_a_tar_gz_is_spooled_and_walked_leaving_no_temp_files(tmp_path, monkeypatch):
    temp = tmp_path / "temp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    tar = tar_bytes({"inner.zip": zip_bytes({"a.log": LOG, "b.log": b"b\n"})})
    path = write(tmp_path / "bundle.tgz", gzip.compress(tar))
    walker = SourceWalker([path])
    members = iter(walker)
    next(members)
    spool_dirs = list(temp.iterdir())
    assert len(spool_dirs) == 1 and stat.S_IMODE(spool_dirs[0].stat().st_mode) == 0o700
    assert not any("inner" in p.name or "a.log" in p.name for p in spool_dirs[0].iterdir())
    list(members)
    assert list(temp.iterdir()) == []
    seen, warnings = walk([path])
    assert [(s.name, s.layers, s.data) for s in seen] == [
        (f"{path}/inner.zip/a.log", ("tar.gz", "zip"), LOG),
        (f"{path}/inner.zip/b.log", ("tar.gz", "zip"), b"b\n"),
    ]
    assert warnings == []


# --- hostile names and members ---------------------------------------------------------------

HOSTILE = {
    "../x.log": "member path escapes the archive",
    "a/../../x.log": "member path escapes the archive",
    "/etc/passwd": "member path is absolute",
    "C:\\x.log": "member path has a drive letter",
    "\\\\srv\\share\\x.log": "member path is a network (UNC) path",
    "logs/CON": "member name is a Windows device name (CON)",
    "lpt1.txt": "member name is a Windows device name (lpt1.txt)",
    "bad\nname.log": "member name has control characters",
}


@pytest.mark.parametrize("kind", ["zip", "tar"])
def test_hostile_member_names_are_refused_and_named_escaped(tmp_path, kind):
    members = {name: LOG for name in HOSTILE} | {"good.log": LOG}
    data = zip_bytes(members) if kind == "zip" else tar_bytes(members)
    path = write(tmp_path / f"bundle.{kind}", data)
    seen, warnings = walk([path])
    assert names(seen) == [f"{path}/good.log"]
    shown = {name: name.replace("\n", "\\n") for name in HOSTILE}
    assert warnings == [f"{path}/{shown[n]}: skipped: {reason}" for n, reason in HOSTILE.items()]


def test_member_names_are_normalised():
    assert clean_member_name("./a//b\\c.log").path == "a/b/c.log"
    assert clean_member_name("a/./b/").path == "a/b"
    assert clean_member_name("console.log").path == "console.log"
    assert clean_member_name("..a/b..").path == "..a/b.."


def test_tar_links_and_devices_are_skipped_with_the_link_named(tmp_path):
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as tar:
        for name, kind, target in [
            ("logs/evil", tarfile.SYMTYPE, "/etc/passwd"),
            ("logs/hard", tarfile.LNKTYPE, "logs/real.log"),
            ("logs/dev", tarfile.CHRTYPE, ""),
            ("logs/fifo", tarfile.FIFOTYPE, ""),
            ("logs/dir", tarfile.DIRTYPE, ""),
        ]:
            info = tarfile.TarInfo(name)
            info.type, info.linkname = kind, target
            tar.addfile(info)
        info = tarfile.TarInfo("logs/real.log")
        info.size = len(LOG)
        tar.addfile(info, io.BytesIO(LOG))
    path = write(tmp_path / "links.tar", buffer.getvalue())
    seen, warnings = walk([path])
    assert [(s.name, s.data) for s in seen] == [(f"{path}/logs/real.log", LOG)]
    assert warnings == [
        f"{path}/logs/evil: skipped: symbolic link to /etc/passwd",
        f"{path}/logs/hard: skipped: hard link to logs/real.log",
        f"{path}/logs/dev: skipped: not a regular file",
        f"{path}/logs/fifo: skipped: not a regular file",
    ]


def test_zip_symlink_and_encrypted_members_are_skipped(tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        link = zipfile.ZipInfo("link.log")
        link.external_attr = (stat.S_IFLNK | 0o777) << 16
        archive.writestr(link, "/etc/passwd")
        archive.writestr("secret.log", b"not really encrypted")
        archive.writestr("plain.log", LOG)
    path = write(tmp_path / "mixed.zip", set_zip_flag(buffer.getvalue(), b"secret.log", 0x1))
    seen, warnings = walk([path])
    assert names(seen) == [f"{path}/plain.log"]
    assert warnings == [
        f"{path}/link.log: skipped: symbolic link",
        f"{path}/secret.log: skipped: encrypted",
    ]


# --- bombs and limits -----------------------------------------------------------------------


def gzip_stream_of_zeros(size: int) -> bytes:
    """Return gzip of `size` zero bytes, built in chunks so the fixture stays small in memory."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    zeros = bytes(MiB)
    parts = [packer.compress(zeros) for _ in range(size // MiB)]
    return b"".join([*parts, packer.flush()])


@pytest.mark.slow
def test_gzip_of_gzip_bomb_is_refused_quickly_with_bounded_memory(tmp_path):
    bomb = write(tmp_path / "bomb.gz", gzip.compress(gzip_stream_of_zeros(200 * MiB), 9))
    after = write(tmp_path / "z-after.log", LOG)
    assert bomb.stat().st_size < 10_000
    tracemalloc.start()
    started = time.monotonic()
    try:
        seen, warnings = walk([bomb, after])
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert time.monotonic() - started < 10
    assert peak < 40 * MiB
    assert seen[0].name == str(bomb)
    assert seen[0].error is not None
    assert seen[0].error.startswith(f"{bomb}: stopped after ")
    assert "decompresses at over 1000:1, refusing (a compression bomb?)" in seen[0].error
    assert len(seen[0].data) <= 9 * MiB
    assert [(s.name, s.data) for s in seen[1:]] == [(str(after), LOG)]
    assert warnings == []  # the consumer got the error; the walker does not repeat it


@pytest.mark.slow
def test_layers_each_under_the_ratio_are_refused_by_the_whole_chain_ratio(tmp_path):
    inner = gzip_stream_of_zeros(200 * MiB)  # about 1029:1
    outer = gzip.compress(inner, 9)  # about 400:1 more
    assert 200 * MiB / len(inner) < 1100 and len(inner) / len(outer) < 1100
    bomb = write(tmp_path / "bomb.gz", outer)
    seen, _ = walk([bomb], Limits(max_ratio=1100))
    assert seen[0].error is not None
    assert "decompresses at over 1100:1" in seen[0].error
    assert len(seen[0].data) <= 9 * MiB


@pytest.mark.slow
def test_large_ordinary_log_passes_the_ratio_checks(tmp_path):
    path = write(tmp_path / "big.log.gz", gzip.compress(LINES * 30))
    seen, warnings = walk([path])
    assert seen[0].error is None
    assert len(seen[0].data) == len(LINES) * 30 > Limits().ratio_grace_bytes
    assert warnings == []


def test_bomb_inside_a_tar_abandons_that_archive_and_moves_on(tmp_path):
    zeros = bytes(20 * MiB)
    tar = tar_bytes({"a.log": LOG, "zeros.log": zeros, "never.log": LOG})
    bomb = write(tmp_path / "a.tgz", gzip.compress(tar, 9))
    after = write(tmp_path / "b.log", LOG)
    seen, warnings = walk([bomb, after])
    assert names(seen) == [f"{bomb}/a.log", f"{bomb}/zeros.log", str(after)]
    assert seen[1].error is not None and "1000:1" in seen[1].error
    assert warnings == []


def test_bomb_met_while_skipping_a_member_is_warned_by_the_walker(tmp_path):
    tar = tar_bytes({"a.log": LOG, "zeros.log": bytes(20 * MiB), "never.log": LOG})
    bomb = write(tmp_path / "a.tgz", gzip.compress(tar, 9))
    walker = SourceWalker([bomb])
    listed = [member.name for member in walker]  # nothing read: the walker drains the data
    assert listed == [f"{bomb}/a.log", f"{bomb}/zeros.log"]
    assert len(walker.warnings) == 1
    assert "decompresses at over 1000:1" in walker.warnings[0]


def test_zip_member_declaring_over_the_ratio_is_refused_before_reading(tmp_path):
    path = write(tmp_path / "bomb.zip", zip_bytes({"zeros.log": bytes(20 * MiB), "ok.log": LOG}))
    seen, warnings = walk([path])
    assert names(seen) == [f"{path}/ok.log"]
    assert len(warnings) == 1
    assert warnings[0].startswith(f"{path}/zeros.log: skipped: declares 20.0 MiB from ")
    assert warnings[0].endswith("over 1000:1, refusing (a compression bomb?)")


def test_overlapping_zip_entries_are_refused_as_a_bomb(tmp_path):
    data = bytearray(zip_bytes({"a.log": LOG * 50, "b.log": LOG * 50}))
    second = data.index(b"PK\x01\x02", data.index(b"PK\x01\x02") + 4)
    data[second + 42 : second + 46] = struct.pack("<I", 0)  # b.log's data is now a.log's
    path = write(tmp_path / "overlap.zip", bytes(data))
    seen, warnings = walk([path])
    assert seen == []
    assert warnings == [
        f"{path}: skipped: zip entries a.log and b.log overlap, refusing the archive (a zip bomb?)"
    ]


def test_total_limit_stops_the_walk_with_one_warning(tmp_path):
    for index in range(4):
        write(tmp_path / f"{index}.log", b"x" * 200_000)
    seen, warnings = walk([tmp_path], Limits(max_total_bytes=300_000))
    assert names(seen) == [f"{tmp_path}/0.log", f"{tmp_path}/1.log"]
    assert seen[0].error is None and len(seen[0].data) == 200_000
    assert seen[1].error == (
        f"{tmp_path}/1.log: stopped: the walk passed its limit of 293.0 KiB of data read"
    )
    assert warnings == [
        f"{tmp_path}/2.log: skipped with 1 more: the limit of 293.0 KiB of data was reached"
    ]


def test_member_limit_counts_over_all_archives(tmp_path):
    first = write(tmp_path / "a.tar", tar_bytes({f"{i}.log": LOG for i in range(3)}))
    second = write(tmp_path / "b.tar", tar_bytes({"x.log": LOG}))
    third = write(tmp_path / "c.zip", zip_bytes({"y.log": LOG}))
    seen, warnings = walk([first, second, third], Limits(max_members=2))
    assert names(seen) == [f"{first}/0.log", f"{first}/1.log"]
    assert warnings == [
        f"{first}: stopped: more than 2 archive members in all",
        f"{second}: stopped: more than 2 archive members in all",
        f"{third}: stopped: declares 1 members, past the limit of 2 archive members in all",
    ]


def test_zip_declaring_more_members_than_the_limit_is_refused_before_loading(tmp_path):
    path = write(tmp_path / "many.zip", zip_bytes({f"{i}.log": b"" for i in range(50)}))
    seen, warnings = walk([path], Limits(max_members=10))
    assert seen == []
    assert warnings == [
        f"{path}: stopped: declares 50 members, past the limit of 10 archive members in all"
    ]


def test_nested_zip_over_the_spool_limit_is_skipped(tmp_path):
    inner = zip_bytes({f"{i}.log": os.urandom(2000) for i in range(4)}, zipfile.ZIP_STORED)
    path = write(tmp_path / "a.tar", tar_bytes({"inner.zip": inner, "b.log": LOG}))
    seen, warnings = walk([path], Limits(max_spool_bytes=4000))
    assert names(seen) == [f"{path}/b.log"]
    assert warnings == [f"{path}/inner.zip: skipped: a zip inside an archive is limited to 3.9 KiB"]


# --- truncated inputs -----------------------------------------------------------------------

LINES = b"".join(b"2024-05-06 07:08:%02d INFO line %06d\n" % (i % 60, i) for i in range(20000))


def test_truncated_gzip_yields_the_good_data_then_a_warning(tmp_path):
    packed = gzip.compress(LINES)
    path = write(tmp_path / "cut.log.gz", packed[: len(packed) // 2])
    seen, warnings = walk([path])
    assert seen[0].error is None
    assert 0 < len(seen[0].data) < len(LINES)
    assert LINES.startswith(seen[0].data)
    assert warnings == [f"{path}: truncated: read {len(seen[0].data):,} bytes before the end"]


@pytest.mark.parametrize(
    "compress",
    [bz2.compress, lzma.compress, lambda data: zstandard.ZstdCompressor().compress(data)],
)
def test_truncated_bz2_xz_zstd_end_cleanly_with_a_warning(tmp_path, compress):
    packed = compress(LINES)
    path = write(tmp_path / "cut.bin", packed[: len(packed) * 3 // 4])
    seen, warnings = walk([path])
    assert seen[0].error is None
    assert LINES.startswith(seen[0].data) and len(seen[0].data) < len(LINES)
    assert warnings == [f"{path}: truncated: read {len(seen[0].data):,} bytes before the end"]


def test_truncated_tar_gz_yields_whole_members_and_the_cut_one_in_part(tmp_path):
    tar = tar_bytes({"a.log": LOG, "b.log": LINES, "c.log": LOG})
    packed = gzip.compress(tar)
    path = write(tmp_path / "cut.tgz", packed[: len(packed) // 2])
    seen, warnings = walk([path])
    assert names(seen) == [f"{path}/a.log", f"{path}/b.log"]
    assert seen[0].data == LOG
    assert 0 < len(seen[1].data) < len(LINES) and LINES.startswith(seen[1].data)
    assert any(w.startswith(f"{path}: truncated: read ") for w in warnings)
    assert any(w.startswith(f"{path}/b.log: truncated: read ") for w in warnings)


def test_tar_cut_between_members_is_reported_truncated(tmp_path):
    tar = tar_bytes({"a.log": LOG, "b.log": LOG})
    end_of_a = 512 + 512  # header + one block of data
    path = write(tmp_path / "cut.tar", tar[:end_of_a])
    seen, warnings = walk([path])
    assert [(s.name, s.data) for s in seen] == [(f"{path}/a.log", LOG)]
    assert warnings == [f"{path}: truncated: read 1,024 bytes before the end"]


def test_truncated_zip_yields_the_members_it_still_holds(tmp_path):
    data = zip_bytes({"a.log": LOG, "b.log": LINES, "c.log": LOG})
    path = write(tmp_path / "cut.zip", data[: len(data) // 2])
    seen, warnings = walk([path])
    assert names(seen) == [f"{path}/a.log", f"{path}/b.log"]
    assert seen[0].data == LOG
    assert 0 < len(seen[1].data) < len(LINES) and LINES.startswith(seen[1].data)
    assert warnings[0] == (
        f"{path}: truncated or damaged zip (no central directory): reading members in order"
    )
    assert (
        warnings[1] == f"{path}/b.log: truncated: read {len(seen[1].data):,} bytes before the end"
    )
    assert len(warnings) == 2


def streamed_zip(members: dict[str, bytes]) -> bytes:
    """Return a zip written to an unseekable stream: sizes only in data descriptors."""

    class Unseekable(io.RawIOBase):
        def __init__(self):
            self.data = bytearray()

        def writable(self):
            return True

        def write(self, chunk):
            self.data += chunk
            return len(chunk)

    sink = Unseekable()
    with zipfile.ZipFile(sink, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return bytes(sink.data)


def test_streamed_zip_without_its_directory_is_read_through_its_descriptors(tmp_path):
    data = streamed_zip({"a.log": LOG, "b.log": LINES, "c.log": b"c\n"})
    assert struct.unpack("<H", data[6:8])[0] & 0x8  # sizes follow the data
    path = write(tmp_path / "cut.zip", data[: data.index(b"PK\x01\x02")])
    seen, warnings = walk([path])
    assert [(s.name, s.data) for s in seen] == [
        (f"{path}/a.log", LOG),
        (f"{path}/b.log", LINES),
        (f"{path}/c.log", b"c\n"),
    ]
    assert warnings[0].startswith(f"{path}: truncated or damaged zip")
    assert len(warnings) == 2 and warnings[1].startswith(f"{path}: truncated: read ")


def test_streamed_zip_cut_inside_a_member_keeps_its_start(tmp_path):
    data = streamed_zip({"a.log": LOG, "b.log": LINES, "c.log": LOG})
    path = write(tmp_path / "cut.zip", data[: len(data) // 2])
    seen, warnings = walk([path])
    assert names(seen) == [f"{path}/a.log", f"{path}/b.log"]
    assert 0 < len(seen[1].data) < len(LINES) and LINES.startswith(seen[1].data)
    assert (
        warnings[1] == f"{path}/b.log: truncated: read {len(seen[1].data):,} bytes before the end"
    )


def test_gzip_with_trailing_garbage_keeps_its_data_and_warns(tmp_path):
    path = write(tmp_path / "a.log.gz", gzip.compress(LOG) + b"garbage!")
    seen, warnings = walk([path])
    assert seen[0].data == LOG
    assert len(warnings) == 1 and warnings[0].startswith(f"{path}: damaged: ")


def test_gzip_with_a_bad_checksum_warns(tmp_path):
    packed = bytearray(gzip.compress(LOG))
    packed[-8] ^= 0xFF  # the CRC-32 in the trailer
    seen, warnings = walk([write(tmp_path / "a.log.gz", bytes(packed))])
    assert len(warnings) == 1 and ": damaged: " in warnings[0]
    assert "incorrect checksum" in warnings[0].lower()  # ISA-L's words for a bad CRC


# --- the stream contract ----------------------------------------------------------------------


def test_member_stream_is_dead_once_the_walker_moves_on(tmp_path):
    path = write(tmp_path / "a.zip", zip_bytes({"a.log": LOG, "b.log": LOG}))
    walker = iter(SourceWalker([path]))
    first = next(walker)
    assert first.stream.read(5) == LOG[:5]
    next(walker)
    with pytest.raises(ValueError, match="moved to the next source"):
        first.stream.read()


def test_cancel_between_members_raises_cancelled(tmp_path):
    write(tmp_path / "a.log", LOG)
    write(tmp_path / "b.log", LOG)
    stop = False
    walker = SourceWalker([tmp_path], cancelled=lambda: stop)
    members = iter(walker)
    next(members)
    stop = True
    with pytest.raises(Cancelled):
        next(members)


def test_cancel_during_a_long_read_raises_cancelled(tmp_path):
    path = write(tmp_path / "big.log.gz", gzip.compress(LINES * 20, 1))
    calls = 0

    def cancelled() -> bool:
        nonlocal calls
        calls += 1
        return calls > 3

    members = iter(SourceWalker([path], cancelled=cancelled))
    member = next(members)
    with pytest.raises(Cancelled):
        while member.stream.read(MiB):
            pass
