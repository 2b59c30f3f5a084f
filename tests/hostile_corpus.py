"""The malicious and broken archive corpus: each case built into a folder, never downloaded.

`CASES` lists about forty inputs a support engineer could be sent: names that try to leave
the archive, links that point out of it or at each other, compression and zip bombs, archives
nested too deep or holding too many members, and archives cut at ten offsets. Each case says
what logview must say about it: a substring of one of ingest's warnings (or of the error
ingest raises when nothing could be read). `tests/test_hostile_archives.py` runs every case in
its own interpreter (`tests/hostile_driver.py`) to hold it to its time, memory and writes.

Everything is generated in a fraction of a second per case: bombs are built from one small
compressed block repeated (gzip, bzip2 and zstd streams may be concatenated), and the tar of
10^5 hard links and the zip of 200,000 entries are written header by header.

Run `python tests/hostile_corpus.py OUT` to build every case into OUT/<case name>/ (for the
fuzz seed corpus or a look by hand).
"""

from __future__ import annotations

import bz2
import gzip
import io
import lzma
import os
import stat
import struct
import sys
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import zstandard

MiB = 1 << 20
LOG = b"".join(
    b"2024-05-06 07:08:%02d INFO request %d served in %d ms\n" % (i % 60, i, i * 7 % 300)
    for i in range(200)
)
ROWS = 200  # entries in LOG


@dataclass(frozen=True)
class Case:
    """One hostile input: how to build it, and what logview must say about it."""

    name: str
    build: Callable[[Path], list[Path]]  # writes the input(s) into a folder, returns the paths
    expect: tuple[str, ...]  # one of these is in a warning or in the error
    rows: int | None = None  # entries that must still be read beside the hostile part


# --- builders ---------------------------------------------------------------------------------


def _write(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def zip_bytes(members: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as archive:
        for name, data in members.items():
            info = zipfile.ZipInfo(name, (2024, 5, 6, 7, 8, 10))
            info.compress_type = method
            archive.writestr(info, data)
    return buffer.getvalue()


def tar_header(
    name: bytes,
    size: int = 0,
    kind: bytes = b"0",
    linkname: bytes = b"",
    mtime: int = 1_700_000_000,
) -> bytes:
    """Return one ustar header block, written by hand (tarfile takes ~30 us a member)."""
    header = bytearray(512)
    header[0 : len(name)] = name[:100]
    header[100:108] = b"0000644\x00"
    header[108:116] = b"0000000\x00"
    header[116:124] = b"0000000\x00"
    header[124:136] = b"%011o\x00" % size
    header[136:148] = b"%011o\x00" % mtime
    header[148:156] = b" " * 8
    header[156:157] = kind
    header[157 : 157 + len(linkname)] = linkname[:100]
    header[257:265] = b"ustar\x0000"
    header[148:156] = b"%06o\x00 " % sum(header)
    return bytes(header)


def tar_member(name: bytes, data: bytes) -> bytes:
    return tar_header(name, len(data)) + data + bytes(-len(data) % 512)


def tar_end() -> bytes:
    return bytes(1024)


def tar_bytes(members: dict[str, bytes]) -> bytes:
    return b"".join(tar_member(n.encode(), d) for n, d in members.items()) + tar_end()


_LINE = b"2024-05-06 07:08:09 INFO the same line once more\n"
TEXT_BLOCK = _LINE * (8 * MiB // len(_LINE))  # about 8 MiB of text that compresses well


def _block(text: bool) -> bytes:
    return TEXT_BLOCK if text else bytes(8 * MiB)


def bomb_gzip(size: int, *, text: bool = True) -> bytes:
    """Return a multi-member gzip of `size` bytes (one 8 MiB member compressed once, repeated)."""
    return gzip.compress(_block(text), 9, mtime=0) * (size // (8 * MiB))


def bomb_bz2(size: int, *, text: bool = True) -> bytes:
    return bz2.compress(_block(text), 9) * (size // (8 * MiB))


def bomb_xz(size: int, *, text: bool = True) -> bytes:
    # xz streams concatenate too; one 8 MiB stream is about 1.2 KiB.
    return lzma.compress(_block(text), preset=0) * (size // (8 * MiB))


def bomb_zstd(size: int, *, text: bool = True) -> bytes:
    return zstandard.ZstdCompressor(level=3).compress(_block(text)) * (size // (8 * MiB))


def nested_zip(depth: int) -> bytes:
    """Return a zip holding a zip ... `depth` archives deep, a log at the bottom."""
    data = zip_bytes({"deep.log": LOG})
    for level in range(depth - 1):
        data = zip_bytes({f"level{depth - 1 - level}.zip": data, "side.log": LOG})
    return data


def zip_of_many(count: int, *, declared: int | None = None) -> bytes:
    """Return a zip of `count` empty stored members, written header by header (zip64 end record).

    With `declared`, the classic end record states that count instead and no zip64 record is
    written: a directory that lies about its size.
    """
    locals_: list[bytes] = []
    central: list[bytes] = []
    offset = 0
    crc = zlib.crc32(b"")
    for index in range(count):
        name = b"m%06d.log" % index
        local = struct.pack(
            "<4sHHHHHIIIHH", b"PK\x03\x04", 20, 0, 0, 0, 0x5821, crc, 0, 0, len(name), 0
        )
        locals_.append(local + name)
        central.append(
            struct.pack(
                "<4sHHHHHHIIIHHHHHII",
                b"PK\x01\x02",
                20,
                20,
                0,
                0,
                0,
                0x5821,
                crc,
                0,
                0,
                len(name),
                0,
                0,
                0,
                0,
                0,
                offset,
            )  # fmt: skip
            + name
        )
        offset += len(local) + len(name)
    body = b"".join(locals_)
    directory = b"".join(central)
    cd_start, cd_size = len(body), len(directory)
    if declared is not None:
        end = struct.pack(
            "<4sHHHHIIH", b"PK\x05\x06", 0, 0, declared & 0xFFFF, declared & 0xFFFF,
            cd_size, cd_start, 0,
        )  # fmt: skip
        return body + directory + end
    zip64_end = struct.pack(
        "<4sQHHIIQQQQ", b"PK\x06\x06", 44, 45, 45, 0, 0, count, count, cd_size, cd_start
    )
    locator = struct.pack("<4sIQI", b"PK\x06\x07", 0, cd_start + cd_size, 1)
    end = struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, 0xFFFF, 0xFFFF, 0xFFFFFFFF, 0xFFFFFFFF, 0)
    return body + directory + zip64_end + locator + end


def overlapping_zip() -> bytes:
    """Return a zip whose second entry's data is the first one's (the overlap of a zip bomb)."""
    data = bytearray(zip_bytes({"a.log": LOG * 50, "b.log": LOG * 50}))
    second = data.index(b"PK\x01\x02", data.index(b"PK\x01\x02") + 4)
    data[second + 42 : second + 46] = struct.pack("<I", 0)
    return bytes(data)


def zip_size_lie() -> bytes:
    """Return a zip whose member declares 4 KiB but inflates to 64 MiB of zeros."""
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = packer.compress(bytes(8 * MiB))
    deflated = block + b"".join(packer.compress(bytes(8 * MiB)) for _ in range(7)) + packer.flush()
    name = b"zeros.log"
    crc = 0
    local = struct.pack(
        "<4sHHHHHIIIHH", b"PK\x03\x04", 20, 0, 8, 0, 0x5821, crc, len(deflated), 4096, len(name), 0
    )
    central = struct.pack(
        "<4sHHHHHHIIIHHHHHII",
        b"PK\x01\x02", 20, 20, 0, 8, 0, 0x5821, crc, len(deflated), 4096,
        len(name), 0, 0, 0, 0, 0, 0,
    )  # fmt: skip
    body = local + name + deflated
    directory = central + name
    end = struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, 1, 1, len(directory), len(body), 0)
    return body + directory + end


def zstd_thirty_byte_frame() -> bytes:
    """Return a 30-byte zstd frame declaring a 1 TiB content and a 2 TiB window, of RLE blocks."""
    header = b"\x28\xb5\x2f\xfd" + bytes([0xC0, 0xF8]) + struct.pack("<Q", 1 << 40)
    block = 128 * 1024
    blocks = b"".join(
        ((block << 3) | (1 << 1) | (1 if last else 0)).to_bytes(3, "little") + b"a"
        for last in (False, False, False, True)
    )
    frame = header + blocks
    assert len(frame) == 30
    return frame


def with_log(build: Callable[[Path], list[Path]]) -> Callable[[Path], list[Path]]:
    """Return a builder that also writes an ordinary log beside the hostile input."""

    def both(folder: Path) -> list[Path]:
        return [*build(folder), _write(folder / "zz-good.log", LOG)]

    return both


def archive_with(kind: str, members: dict[str, bytes], filename: str | None = None):
    def build(folder: Path) -> list[Path]:
        data = zip_bytes(members) if kind == "zip" else tar_bytes(members)
        return [_write(folder / (filename or f"bundle.{kind}"), data)]

    return build


def tar_links(entries: list[tuple[bytes, bytes, bytes]]):
    """Return a builder of a tar of (name, type, linkname) entries and one good log."""

    def build(folder: Path) -> list[Path]:
        data = b"".join(tar_header(n, 0, k, t) for n, k, t in entries)
        data += tar_member(b"logs/good.log", LOG) + tar_end()
        return [_write(folder / "links.tar", data)]

    return build


def hardlink_flood(folder: Path) -> list[Path]:
    """A tar.gz of 10^5 hard links out of the archive, then a log: the member cap must trip."""
    header = bytearray(tar_header(b"", 0, b"1", b"../../etc/passwd"))
    header[148:156] = b" " * 8
    base = sum(header)  # the checksum without the name, which each link adds to
    blocks = []
    for index in range(100_000):
        name = b"link-%06d" % index
        header[0:11] = name
        header[148:156] = b"%06o\x00 " % (base + sum(name))
        blocks.append(bytes(header))
    data = b"".join(blocks) + tar_member(b"after.log", LOG) + tar_end()
    return [_write(folder / "links.tar.gz", gzip.compress(data, 6, mtime=0))]


def folder_with_links(folder: Path) -> list[Path]:
    """A folder with a link loop, a link out to /etc and a log: only the log is read."""
    root = folder / "bundle"
    root.mkdir()
    (root / "app.log").write_bytes(LOG)
    os.symlink(".", root / "loop")
    os.symlink("/etc", root / "etc")
    os.symlink("/etc/passwd", root / "passwd.log")
    os.symlink(root / "a", root / "b")
    os.symlink(root / "b", root / "a")
    return [root]


def device_path(folder: Path) -> list[Path]:
    link = folder / "zero.log"
    os.symlink("/dev/zero", link)  # given directly, a link is followed: to a device
    return [link, _write(folder / "zz-good.log", LOG)]


def truncated(kind: str, fraction: float) -> Callable[[Path], list[Path]]:
    """Return a builder of an archive of three logs cut at `fraction` of its bytes."""
    members = {"a.log": LOG, "b.log": LOG * 40, "c.log": LOG}

    def build(folder: Path) -> list[Path]:
        if kind == "zip":
            data = zip_bytes(members)
        elif kind == "tar":
            data = tar_bytes(members)
        elif kind == "tar.gz":
            data = gzip.compress(tar_bytes(members), 6, mtime=0)
        elif kind == "tar.xz":
            data = lzma.compress(tar_bytes(members))
        elif kind == "log.bz2":
            data = bz2.compress(LOG * 40)
        else:
            data = zstandard.ZstdCompressor().compress(LOG * 40)
        cut = data[: int(len(data) * fraction)]
        return [_write(folder / f"cut.{kind}", cut)]

    return build


def _one(name: str, data: Callable[[], bytes]) -> Callable[[Path], list[Path]]:
    return lambda folder: [_write(folder / name, data())]


def zip_symlink(folder: Path) -> list[Path]:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        link = zipfile.ZipInfo("passwd.log")
        link.external_attr = (stat.S_IFLNK | 0o777) << 16
        archive.writestr(link, "../../../../etc/passwd")
        archive.writestr("good.log", LOG)
    return [_write(folder / "links.zip", buffer.getvalue())]


def encrypted_zip(folder: Path) -> list[Path]:
    data = bytearray(zip_bytes({"secret.log": LOG, "good.log": LOG}))
    for signature, flags_at in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        at = data.index(signature)  # the first entry of each kind is secret.log
        (old,) = struct.unpack("<H", data[at + flags_at : at + flags_at + 2])
        data[at + flags_at : at + flags_at + 2] = struct.pack("<H", old | 1)
    return [_write(folder / "encrypted.zip", bytes(data))]


def tar_huge_declared_size(folder: Path) -> list[Path]:
    """A tar whose one member declares 8 GiB and holds a few bytes."""
    data = tar_header(b"huge.log", 8 << 30) + LOG + bytes(-len(LOG) % 512)
    return [_write(folder / "huge.tar", data)]


def tar_size_2_62(folder: Path) -> list[Path]:
    """A tar whose member declares 2^62 bytes in a GNU base-256 size field (tarfile's skip hung)."""
    header = bytearray(tar_header(b"huge.log", 0))
    header[124:136] = b"\x80" + (1 << 62).to_bytes(11, "big")
    header[148:156] = b" " * 8
    header[148:156] = b"%06o\x00 " % sum(header)
    return [_write(folder / "huge62.tar", bytes(header) + LOG)]


def tar_bad_pax(folder: Path) -> list[Path]:
    """A tar with a pax header whose record lengths lie."""
    records = b"99999 path=../../x\n" + b"12 size=-1\n"
    data = tar_header(b"././@PaxHeader", len(records), b"x") + records
    data += bytes(-len(records) % 512) + tar_member(b"a.log", LOG) + tar_end()
    return [_write(folder / "pax.tar", data)]


def bomb_in_tar(folder: Path) -> list[Path]:
    """A tar whose middle member is a bzip2 bomb, between two logs."""
    bomb = bomb_bz2(256 * MiB)
    data = tar_bytes({"a.log": LOG, "zeros.log.bz2": bomb, "c.log": LOG})
    return [_write(folder / "mixed.tar", data)]


def quine_like_zip(folder: Path) -> list[Path]:
    """Zips nested in a tar.gz nested in zips: four archives deep through mixed kinds."""
    inner = zip_bytes({"deep.log": LOG})
    tgz = gzip.compress(tar_bytes({"inner.zip": inner}), mtime=0)
    middle = zip_bytes({"middle.tgz": tgz})
    outer = zip_bytes({"outer.zip": middle})
    return [_write(folder / "mixed-nesting.zip", outer)]


CASES: tuple[Case, ...] = (
    # Names that try to leave the archive.
    Case("zip-parent-path", with_log(archive_with("zip", {"../../evil.log": LOG, "a/../../../x.log": LOG, "ok.log": LOG})), ("member path escapes the archive",), 2 * ROWS),
    Case("tar-parent-path", with_log(archive_with("tar", {"../../evil.log": LOG, "ok.log": LOG})), ("member path escapes the archive",), 2 * ROWS),
    Case("zip-backslash-parent", archive_with("zip", {"..\\..\\evil.log": LOG, "ok.log": LOG}), ("member path escapes the archive",), ROWS),
    Case("zip-absolute", archive_with("zip", {"/etc/cron.d/evil": LOG, "ok.log": LOG}), ("member path is absolute",), ROWS),
    Case("tar-absolute", archive_with("tar", {"/etc/cron.d/evil": LOG, "ok.log": LOG}), ("member path is absolute",), ROWS),
    Case("zip-drive-letter", archive_with("zip", {"C:\\Windows\\evil.log": LOG, "ok.log": LOG}), ("member path has a drive letter",), ROWS),
    Case("zip-unc", archive_with("zip", {"\\\\server\\share\\evil.log": LOG, "ok.log": LOG}), ("network (UNC) path",), ROWS),
    Case("tar-device-names", archive_with("tar", {"logs/CON": LOG, "aux.txt": LOG, "ok.log": LOG}), ("Windows device name",), ROWS),
    Case("tar-newline-name", archive_with("tar", {"bad\nname.log": LOG, "ok.log": LOG}), ("control characters",), ROWS),
    Case("zip-newline-name", archive_with("zip", {"bad\r\nname.log": LOG, "ok.log": LOG}), ("control characters",), ROWS),
    # Links out of the archive, at each other, and too many of them.
    Case("tar-symlink-escape", tar_links([(b"logs/passwd.log", b"2", b"/etc/passwd"), (b"logs/up", b"2", b"../../../..")]), ("symbolic link to /etc/passwd",), ROWS),
    Case("tar-hardlink-escape", tar_links([(b"logs/shadow.log", b"1", b"../../etc/shadow")]), ("hard link to ../../etc/shadow",), ROWS),
    Case("tar-symlink-loop", tar_links([(b"logs/a", b"2", b"logs/b"), (b"logs/b", b"2", b"logs/a"), (b"logs/self", b"2", b"logs/self")]), ("symbolic link to logs/b",), ROWS),
    Case("tar-devices", tar_links([(b"logs/zero", b"3", b""), (b"logs/fifo", b"6", b"")]), ("not a regular file",), ROWS),
    Case("zip-symlink", zip_symlink, ("symbolic link",), ROWS),
    Case("folder-link-loop-and-escape", folder_with_links, ("skipped: symbolic link",), ROWS),
    Case("device-given-directly", device_path, ("not a regular file (character device)",), ROWS),
    Case("tar-100k-hardlinks", with_log(hardlink_flood), ("more than 100,000 archive members",), ROWS),
    # Bombs: compression over 1000:1, overlapping and lying zips, nesting, member counts.
    Case("gzip-of-gzip-bomb", with_log(_one("bomb.log.gz", lambda: gzip.compress(bomb_gzip(1024 * MiB), 9, mtime=0))), ("over 1000:1",), ROWS),
    Case("gzip-of-zeros", with_log(_one("zeros.log.gz", lambda: bomb_gzip(1024 * MiB, text=False))), ("binary file", "over 1000:1"), ROWS),
    Case("bz2-bomb", with_log(_one("bomb.log.bz2", lambda: bomb_bz2(1024 * MiB))), ("over 1000:1",), ROWS),
    Case("xz-bomb", with_log(_one("bomb.log.xz", lambda: bomb_xz(1024 * MiB))), ("over 1000:1",), ROWS),
    Case("zstd-bomb", with_log(_one("bomb.log.zst", lambda: bomb_zstd(1024 * MiB))), ("over 1000:1",), ROWS),
    Case("tar-bz2-of-zeros", with_log(_one("zeros.tar.bz2", lambda: bomb_bz2(1024 * MiB, text=False))), ("binary file", "over 1000:1"), ROWS),
    Case("bomb-inside-tar", bomb_in_tar, ("over 1000:1",), ROWS),
    Case("zip-declared-ratio", with_log(_one("ratio.zip", lambda: zip_bytes({"zeros.log": bytes(64 * MiB)}))), ("over 1000:1",), ROWS),
    Case("zip-size-lie", with_log(_one("lie.zip", zip_size_lie)), ("damaged", "Bad CRC", "over 1000:1"), ROWS),
    Case("zip-overlapping-entries", with_log(_one("overlap.zip", overlapping_zip)), ("overlap, refusing the archive",), ROWS),
    Case("zip-nested-4-deep", _one("nested.zip", lambda: nested_zip(5)), ("nested deeper than 3 levels",), 3 * ROWS),
    Case("mixed-nesting-4-deep", with_log(quine_like_zip), ("nested deeper than 3 levels",), ROWS),
    Case("zip-200k-entries", with_log(_one("many.zip", lambda: zip_of_many(200_000))), ("declares 200,000 members",), ROWS),
    Case("zip-200k-entries-count-lies", with_log(_one("lies.zip", lambda: zip_of_many(200_000, declared=200_000))), ("declares 200,000 members",), ROWS),
    Case("zstd-30-byte-frame", with_log(_one("tiny.log.zst", zstd_thirty_byte_frame)), ("damaged", "truncated", "binary", "over 1000:1"), ROWS),
    Case("zip-encrypted-member", encrypted_zip, ("encrypted",), ROWS),
    Case("tar-huge-declared-size", tar_huge_declared_size, ("truncated",), None),
    Case("tar-size-2-to-the-62", with_log(tar_size_2_62), ("truncated",), ROWS),
    Case("tar-bad-pax-header", with_log(tar_bad_pax), ("damaged tar", "control characters"), ROWS),
    # Archives cut at ten offsets.
    *(
        Case(f"truncated-{kind}-{round(fraction * 100)}pct", truncated(kind, fraction), ("truncated",), None)
        for kind, fraction in (
            ("zip", 0.1), ("zip", 0.55), ("zip", 0.97), ("tar", 0.3), ("tar", 0.8),
            ("tar.gz", 0.2), ("tar.gz", 0.9), ("tar.xz", 0.5), ("log.bz2", 0.6), ("log.zst", 0.4),
        )
    ),
)  # fmt: skip

BY_NAME = {case.name: case for case in CASES}


def build(case: Case, folder: Path) -> list[Path]:
    """Return the inputs of `case`, written into `folder` (created)."""
    folder.mkdir(parents=True, exist_ok=True)
    return case.build(folder)


if __name__ == "__main__":
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "hostile-corpus")
    for case in CASES:
        paths = build(case, out / case.name)
        print(case.name, *(os.fspath(p) for p in paths))
