"""Zip checks made before trusting zipfile, and the local-header reader for zips cut short.

The declared member count is read from the end record before zipfile loads the directory;
entries whose data overlap (a zip bomb) are found from their local headers; a zip with no
usable central directory is read member by member from its local headers.
"""

from __future__ import annotations

import os
import struct
import time
import zipfile
import zlib
from dataclasses import dataclass

from logview.core.reading.streams import INPUT_BYTES, _Source


class _StoredReader:
    """The stored (uncompressed) data of a zip member found by its local header."""

    def __init__(self, source: _Source, size: int):
        self.source = source
        self.left = size

    def read1(self, n: int) -> bytes:
        if not self.left:
            return b""
        data = self.source.read(min(n, self.left))
        if not data:
            raise EOFError("zip member data ends early")
        self.left -= len(data)
        return data


class _DeflateReader:
    """The deflated data of a zip member found by its local header; leaves the source just past it."""

    def __init__(self, source: _Source, size: int | None):
        self.source = source
        self.left = size  # None when only a data descriptor after the data knows it
        self.inflate = zlib.decompressobj(-15)

    def read1(self, n: int) -> bytes:
        while not self.inflate.eof:
            if self.inflate.unconsumed_tail:
                data = self.inflate.decompress(self.inflate.unconsumed_tail, n)
            else:
                want = INPUT_BYTES if self.left is None else min(INPUT_BYTES, self.left)
                chunk = self.source.read(want) if want else b""
                if not chunk:
                    raise EOFError("zip member data ends early")
                if self.left is not None:
                    self.left -= len(chunk)
                data = self.inflate.decompress(chunk, n)
            if self.inflate.eof and self.inflate.unused_data:
                # Read past the end of the data: step back so the source sits right after it.
                self.source.seek(-len(self.inflate.unused_data), os.SEEK_CUR)
            if data:
                return data
        return b""


@dataclass(frozen=True)
class _LocalEntry:
    """A zip member as its local header describes it."""

    name: str
    flags: int
    method: int
    date_time: tuple[int, int, int, int, int, int]
    csize: int
    size_known: bool  # False when the sizes only follow the data, in a data descriptor
    data_start: int


def _local_entry(source: _Source, offset: int) -> _LocalEntry | None:
    """Return the zip local header at `offset`, or None when there is none (end, or cut)."""
    source.seek(offset)
    fixed = source.read(30)
    if len(fixed) < 30 or fixed[:4] != b"PK\x03\x04":
        return None
    flags, method, clock, date, _crc, csize, usize, nlen, xlen = struct.unpack(
        "<2xHHHHIIIHH", fixed[4:30]
    )
    variable = source.read(nlen + xlen)
    if len(variable) < nlen + xlen:
        return None
    name = variable[:nlen].decode("utf-8" if flags & 0x800 else "cp437", "replace")
    csize, _ = _zip64_sizes(variable[nlen:], csize, usize)
    known = not flags & 0x8 or csize != 0 or (name.endswith("/") and method == 0)
    return _LocalEntry(
        name, flags, method, _dos_time(date, clock), csize, known, offset + 30 + nlen + xlen
    )


def _declared_entries(source: _Source) -> int:
    """Return the member count of a zip: what its end record declares, or the entries its central
    directory holds when that is more (0 when there is no end record).

    Read before zipfile loads the directory, which it holds in memory whole. zipfile reads the
    directory by its size and never looks at the count, so a count that lies is not trusted.
    """
    size = source.seek(0, os.SEEK_END)
    tail_start = max(0, size - 22 - 65535)  # the end record, after a comment of up to 64 KiB
    source.seek(tail_start)
    tail = source.read(size - tail_start)
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) < at + 22:
        return 0
    (count,) = struct.unpack("<H", tail[at + 10 : at + 12])
    (directory_size,) = struct.unpack("<I", tail[at + 12 : at + 16])
    directory_end = tail_start + at
    locator = tail[at - 20 : at] if at >= 20 else b""
    if locator[:4] == b"PK\x06\x07":
        (offset,) = struct.unpack("<Q", locator[8:16])
        source.seek(offset)
        record = source.read(56)
        if record[:4] == b"PK\x06\x06" and len(record) == 56:
            if count == 0xFFFF:
                (count,) = struct.unpack("<Q", record[32:40])
            (directory_size,) = struct.unpack("<Q", record[40:48])
            directory_end -= 56 + 20
    return max(count, _directory_entries(source, directory_end - directory_size, directory_size))


def _directory_entries(source: _Source, start: int, size: int) -> int:
    """Return how many entries the central directory at `start` holds (as zipfile will read it)."""
    if start < 0 or size <= 0:
        return 0
    source.seek(start)
    data = source.read(size)
    pos = found = 0
    # One step per entry, bounded by the directory zipfile would read whole anyway.
    while data[pos : pos + 4] == b"PK\x01\x02" and pos + 46 <= len(data):
        name, extra, comment = struct.unpack_from("<HHH", data, pos + 28)
        pos += 46 + name + extra + comment
        found += 1
    return found


def _overlapping_entries(
    source: _Source, infos: list[zipfile.ZipInfo], directory_start: int
) -> tuple[str, str] | None:
    """Return two zip entries whose data overlap (or run into the directory), else None."""
    ordered = sorted(infos, key=lambda i: i.header_offset)
    ends: list[tuple[int, int, str]] = []
    for info in ordered:  # one 30-byte read per member, bounded by max_members upstream
        source.seek(info.header_offset)
        fixed = source.read(30)
        if len(fixed) < 30 or fixed[:4] != b"PK\x03\x04":
            continue  # zipfile refuses this member when it is opened
        nlen, xlen = struct.unpack("<HH", fixed[26:30])
        ends.append(
            (
                info.header_offset,
                info.header_offset + 30 + nlen + xlen + info.compress_size,
                info.filename,
            )
        )
    for (_, end, first), (next_start, _, second) in zip(ends, ends[1:], strict=False):
        if end > next_start:
            return first, second
    if ends and ends[-1][1] > directory_start:
        return ends[-1][2], "the central directory"
    return None


def _zip64_sizes(extra: bytes, csize: int, usize: int) -> tuple[int, int]:
    """Return the sizes from a local header's zip64 extra field when the 32-bit ones overflow."""
    pos = 0
    while pos + 4 <= len(extra):
        tag, length = struct.unpack("<HH", extra[pos : pos + 4])
        body = extra[pos + 4 : pos + 4 + length]
        if tag == 0x0001 and (usize == 0xFFFFFFFF or csize == 0xFFFFFFFF) and len(body) >= 16:
            usize, csize = struct.unpack("<QQ", body[:16])
        pos += 4 + length
    return csize, usize


def _after_descriptor(source: _Source, offset: int) -> int:
    """Return where the next entry starts after a data descriptor at `offset`."""
    source.seek(offset)
    probe = source.read(28)
    skip = 4 if probe[:4] == b"PK\x07\x08" else 0
    for size in (12, 20):  # crc + 32-bit sizes, or crc + zip64 sizes
        if probe[skip + size : skip + size + 2] == b"PK":
            return offset + skip + size
    return offset + skip + 12


def _dos_time(date: int, clock: int) -> tuple[int, int, int, int, int, int]:
    return (
        (date >> 9) + 1980,
        (date >> 5) & 0xF,
        date & 0x1F,
        clock >> 11,
        (clock >> 5) & 0x3F,
        (clock & 0x1F) * 2,
    )


def _zip_mtime(
    date_time: tuple[int, int, int, int, int, int], fallback: float | None
) -> float | None:
    """Return a zip entry's local time as a timestamp, or `fallback` when it is not a date."""
    try:
        return time.mktime((*date_time, 0, 0, -1))
    except (OverflowError, ValueError):
        return fallback
