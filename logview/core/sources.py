"""Paths into sources: files, folders, compressed files and archives as safe, bounded byte streams.

Nothing is extracted to disk and no member name ever becomes a path. Every decompressed stream
is metered: past `ratio_grace_bytes` of output it must stay under `max_ratio` (per decompression
layer and over the whole chain back to the file on disk), and all of it together under
`max_total_bytes`. A stream that trips a limit raises LogviewError *inside the consumer's
read()*: the consumer catches it per member and records it; the walker then abandons that
input (without repeating the warning) and moves on to the next one. Truncated or corrupt data
never raises: the stream ends after the last good bytes and a warning is added to `warnings`.
"""

from __future__ import annotations

import bz2
import io
import lzma
import os
import re
import stat
import struct
import tarfile
import tempfile
import time
import zipfile
import zlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, BinaryIO, Protocol

import zstandard

from logview.core.errors import Cancelled, LogviewError

GiB, MiB = 1 << 30, 1 << 20

CHUNK_BYTES = MiB  # the most a reader asks of the layer below in one call
CANCEL_CHECK_BYTES = 4 * MiB
SNIFF_BYTES = 512  # enough for every magic number and a whole tar header
READ_AHEAD_BYTES = 64 * 1024
INPUT_BYTES = 64 * 1024  # compressed bytes given to a decompressor at a time

JUNK_NAMES = frozenset({".DS_Store", "Thumbs.db"})
JUNK_DIRS = frozenset({"__MACOSX"})
WINDOWS_DEVICES = frozenset(
    {"CON", "PRN", "AUX", "NUL"}
    | {f"COM{i}" for i in range(1, 10)}
    | {f"LPT{i}" for i in range(1, 10)}
)
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_DRIVE = re.compile(r"^[A-Za-z]:")

_DECOMPRESSORS: dict[str, Callable[[], Any]] = {
    "gz": lambda: zlib.decompressobj(31),  # 31: gzip header and trailer, CRC checked by zlib
    "bz2": bz2.BZ2Decompressor,
    "xz": lzma.LZMADecompressor,
}

# Errors a damaged compressed stream or archive raises while being read; each ends the stream
# with a warning instead of reaching the consumer.
_DAMAGE = (
    OSError,
    EOFError,
    zlib.error,
    lzma.LZMAError,
    zstandard.ZstdError,
    tarfile.TarError,
    zipfile.BadZipFile,
)


@dataclass(frozen=True)
class Limits:
    """Bounds on one walk, so a hostile or broken input costs a warning, not the laptop."""

    max_total_bytes: int = 20 * GiB  # bytes read from disk plus every decompressed byte, whole walk
    max_ratio: float = 1000.0  # decompressed/compressed, per layer and whole chain
    ratio_grace_bytes: int = 8 * MiB  # ratios are judged once a stream has produced this much
    max_members: int = 100_000  # archive members visited, all archives together
    max_depth: int = 3  # archives inside archives inside archives
    max_spool_bytes: int = 2 * GiB  # a nested zip is copied to an anonymous temp file up to this


@dataclass
class Member:
    """One source: a file, or a member of an archive, as a decompressed, bounded stream."""

    name: str  # display name: the path as given, or "<container name>/<member path>"
    path: Path  # the file on disk it comes from
    mtime: float | None  # the member's own mtime if the archive has one, else the file's
    stream: BinaryIO  # read-only; valid only until the iterator advances
    layers: tuple[str, ...]  # containers/compressions it came through, outermost first


@dataclass(frozen=True)
class MemberName:
    """A cleaned archive member path, or why it was refused (`path` is None then)."""

    path: str | None
    refusal: str | None = None


def clean_member_name(raw: str) -> MemberName:
    """Return the member path normalised ('/' separators, no './' or '//'), or why it is refused."""
    if _CONTROL.search(raw):
        return MemberName(None, "member name has control characters")
    name = raw.replace("\\", "/")
    if name.startswith("//"):
        return MemberName(None, "member path is a network (UNC) path")
    if name.startswith("/"):
        return MemberName(None, "member path is absolute")
    if _DRIVE.match(name):
        return MemberName(None, "member path has a drive letter")
    parts = [p for p in name.split("/") if p not in ("", ".")]
    if ".." in parts:
        return MemberName(None, "member path escapes the archive")
    for part in parts:
        # Windows treats "CON.txt" as the device too, so the stem decides.
        if part.split(".")[0].rstrip(" ").upper() in WINDOWS_DEVICES:
            return MemberName(None, f"member name is a Windows device name ({part})")
    return MemberName("/".join(parts))


def escaped(name: str) -> str:
    """Return `name` with control characters shown as escapes, safe for a one-line warning."""
    return _CONTROL.sub(lambda m: repr(m.group())[1:-1], name)


def is_junk(path: str) -> bool:
    """Return whether a '/'-separated path is operating-system clutter skipped without a word."""
    parts = path.split("/")
    return parts[-1] in JUNK_NAMES or any(p in JUNK_DIRS for p in parts)


def sniff_container(head: bytes) -> str | None:
    """Return the compression or archive kind ("gz", "bz2", "xz", "zst", "zip", "tar") of a head."""
    if head.startswith(b"\x1f\x8b"):
        return "gz"
    if head.startswith(b"BZh") and head[3:4].isdigit():
        return "bz2"
    if head.startswith(b"\xfd7zXZ\x00"):
        return "xz"
    if head.startswith(b"\x28\xb5\x2f\xfd"):
        return "zst"
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return "zip"
    if _is_tar_header(head):
        return "tar"
    return None


def _is_tar_header(head: bytes) -> bool:
    """Return whether the first 512 bytes are a tar header (ustar magic or a valid v7 checksum)."""
    if len(head) < 512:
        return False
    if head[257:262] == b"ustar":
        return True
    field = head[148:156].replace(b"\x00", b" ").strip()
    if not field or not head[0] or not all(48 <= c <= 55 for c in field):
        return False
    block = head[:148] + b" " * 8 + head[156:512]
    return int(field, 8) in (sum(block), sum(b - 256 if b > 127 else b for b in block))


def size_text(n: float) -> str:
    """Return a byte count for people: '812 bytes', '8.0 MiB', '20.0 GiB'."""
    if n < 1024:
        return f"{int(n)} bytes"
    for unit, size in (("GiB", GiB), ("MiB", MiB)):
        if n >= size:
            return f"{n / size:.1f} {unit}"
    return f"{n / 1024:.1f} KiB"


class _Readable(Protocol):
    def read(self, n: int = -1, /) -> bytes: ...


class _Walk:
    """State one walk shares with its streams: the budget, cancellation and the latest trip."""

    def __init__(self, limits: Limits, cancelled: Callable[[], bool], warn: Callable[[str], None]):
        self.limits = limits
        self.cancelled = cancelled
        self.warn = warn
        self.total = 0
        self.members = 0
        self.truncations = 0
        self.tripped: LogviewError | None = None  # the limit error a stream raised, if any
        self.delivered = False  # whether that error was raised into the consumer's read
        self.exhausted = False  # the total limit was reached: nothing more may be read
        self._unchecked = 0

    def trip(self, message: str, *, total: bool = False) -> LogviewError:
        self.tripped = LogviewError(message)
        self.delivered = False
        self.exhausted = self.exhausted or total
        return self.tripped

    def tick(self, n: int) -> None:
        self._unchecked += n
        if self._unchecked >= CANCEL_CHECK_BYTES:
            self._unchecked = 0
            if self.cancelled():
                raise Cancelled()

    def add_total(self, n: int, name: str) -> None:
        self.total += n
        if self.total > self.limits.max_total_bytes:
            limit = size_text(self.limits.max_total_bytes)
            raise self.trip(
                f"{name}: stopped: the walk passed its limit of {limit} of data read", total=True
            )


class _Source:
    """A seekable file (on disk, or a spool) that counts the bytes read from it."""

    def __init__(
        self,
        raw: BinaryIO,
        walk: _Walk,
        *,
        scale: float = 1.0,
        on_read: Callable[[int], None] | None = None,
    ):
        self.raw = raw
        self.walk = walk
        self.scale = scale  # how far this file is already expanded from the bytes on disk
        self.consumed = 0
        self.on_read = on_read

    def read(self, n: int = -1, /) -> bytes:
        if self.walk.tripped is not None:
            raise self.walk.tripped
        data = self.raw.read(n)
        self.consumed += len(data)
        if self.on_read is not None:
            self.on_read(len(data))
        self.walk.tick(len(data))
        return data

    def seek(self, offset: int, whence: int = 0) -> int:
        return self.raw.seek(offset, whence)

    def tell(self) -> int:
        return self.raw.tell()

    def seekable(self) -> bool:
        return True

    def readable(self) -> bool:
        return True


class _Peekable:
    """A stream read ahead in blocks, whose first bytes can be looked at and then read again.

    Reading ahead spares the layers below a call for every small read (tarfile reads 10 KiB at
    a time); reads return `n` bytes, fewer only at the end.
    """

    def __init__(self, inner: _Readable):
        self.inner = inner
        self.buffer = b""
        self.pos = 0
        self.delivered = 0  # bytes handed to the reader above

    def peek(self, n: int) -> bytes:
        while len(self.buffer) - self.pos < n:
            part = self.inner.read(max(n, READ_AHEAD_BYTES))
            if not part:
                break
            self.buffer, self.pos = self.buffer[self.pos :] + part, 0
        return self.buffer[self.pos : self.pos + n]

    def read(self, n: int = -1, /) -> bytes:
        if n is None or n < 0:
            parts = [self.read(CHUNK_BYTES)]
            while parts[-1]:
                parts.append(self.read(CHUNK_BYTES))
            return b"".join(parts)
        parts: list[bytes] = []
        want = n
        while want > 0:
            if self.pos < len(self.buffer):
                part = self.buffer[self.pos : self.pos + want]
                self.pos += len(part)
            elif want >= READ_AHEAD_BYTES:
                part = self.inner.read(want)
                if not part:
                    break
            else:
                self.buffer, self.pos = self.inner.read(READ_AHEAD_BYTES), 0
                if not self.buffer:
                    break
                continue
            parts.append(part)
            want -= len(part)
        data = parts[0] if len(parts) == 1 else b"".join(parts)
        self.delivered += len(data)
        return data


class _Inflater:
    """Decompresses concatenated gzip, bzip2 or xz streams with bounded output per call.

    Raises EOFError when the data ends inside a stream (the meter turns that into a warning).
    """

    def __init__(self, source: _Readable, kind: str):
        self.source = source
        self.new = _DECOMPRESSORS[kind]
        self.zlib = kind == "gz"  # zlib hands back unconsumed input; bz2 and lzma keep it
        self.decompressor = self.new()
        self.pending = b""  # input read but not yet given to the decompressor

    def read1(self, n: int) -> bytes:
        while True:
            d = self.decompressor
            if d.eof and not self._next_stream():
                return b""
            d = self.decompressor
            if self.pending:
                data, self.pending = self.pending, b""
            elif self.zlib and d.unconsumed_tail:
                data = d.unconsumed_tail
            elif not self.zlib and not d.needs_input:
                data = b""
            else:
                data = self.source.read(INPUT_BYTES)
                if not data:
                    raise EOFError("compressed data ends before its end marker")
            out = d.decompress(data, n)
            if out:
                return out

    def _next_stream(self) -> bool:
        """Start on the stream after the one that ended; return False at the end of the data."""
        rest = (self.decompressor.unused_data + self.pending).lstrip(b"\x00")  # zero padding
        while not rest:
            more = self.source.read(INPUT_BYTES)
            if not more:
                return False
            rest = more.lstrip(b"\x00")
        self.decompressor, self.pending = self.new(), rest
        return True

    def unused(self) -> int:
        """Return how many of the bytes taken in are still waiting (known for gzip only)."""
        tail = self.decompressor.unconsumed_tail if self.zlib else b""
        return len(self.pending) + len(tail)

    def close(self) -> None:
        self.pending = b""


class _Meter:
    """Reads a decompressing (or member) reader, counting its output against the walk's limits.

    Damage (a cut or corrupt stream) ends the stream with a warning; a limit raises LogviewError.
    """

    def __init__(
        self,
        reader: BinaryIO,
        walk: _Walk,
        name: str,
        *,
        root: _Source,
        root_start: int,
        taken: Callable[[], int] | None = None,
        counts: bool = True,
        complete: Callable[[], bool] = lambda: True,
    ):
        self.reader = reader
        self.walk = walk
        self.name = name
        self.root = root
        self.root_start = root_start
        self.taken = taken  # compressed bytes this layer has taken in; None when not a layer
        self.counts = counts  # whether its output counts towards the walk's total
        self.complete = complete  # asked at the reader's end: was the stream whole?
        self.produced = 0
        self.ended = False
        self._read = reader.read1 if hasattr(reader, "read1") else reader.read

    def read(self, n: int = -1, /) -> bytes:
        if self.walk.tripped is not None:
            raise self.walk.tripped
        if self.ended:
            return b""
        n = CHUNK_BYTES if n is None or n < 0 else n
        parts: list[bytes] = []
        got = 0
        while got < n:
            try:
                part = self._read(min(n - got, CHUNK_BYTES))
            except _DAMAGE as err:
                self._end_damaged(err)
                break
            if not part:
                self.ended = True
                if not self.complete():
                    self._end_truncated()
                break
            parts.append(part)
            got += len(part)
            self._count(len(part))
        return b"".join(parts)

    def _count(self, n: int) -> None:
        self.produced += n
        self.walk.tick(n)
        if self.counts:
            self.walk.add_total(n, self.name)
        limits = self.walk.limits
        if self.produced <= limits.ratio_grace_bytes:
            return
        chain = self.produced / max(self.root.consumed - self.root_start, 1) * self.root.scale
        ratios = [chain]
        if self.taken is not None:
            ratios.append(self.produced / max(self.taken(), 1))
        if max(ratios) > limits.max_ratio:
            raise self.walk.trip(
                f"{self.name}: stopped after {size_text(self.produced)}: decompresses at over "
                f"{limits.max_ratio:.0f}:1, refusing (a compression bomb?)"
            )

    def _end_truncated(self) -> None:
        self.ended = True
        self.walk.truncations += 1
        self.walk.warn(f"{self.name}: truncated: read {self.produced:,} bytes before the end")

    def _end_damaged(self, err: BaseException) -> None:
        if isinstance(err, EOFError) or "unexpected end of data" in str(err):
            self._end_truncated()
            return
        self.ended = True
        self.walk.warn(f"{self.name}: damaged: {err} (after {self.produced:,} bytes)")


class _ZstdFrames:
    """Follows zstd frame and block headers in the compressed bytes, to tell a whole stream from
    a cut one (the zstandard stream reader ends quietly either way)."""

    def __init__(self) -> None:
        self._state = "magic"
        self._want = 4
        self._buf = b""
        self._skip = 0
        self._checksum = 0

    @property
    def complete(self) -> bool:
        if self._state == "unknown":
            return True  # not a frame we follow; the decompressor judges it
        return self._state == "magic" and not self._buf and not self._skip

    def feed(self, data: bytes) -> None:
        # A loop over headers (one per block of up to 128 KiB), never over bytes.
        pos, end = 0, len(data)
        while pos < end:
            if self._skip:
                step = min(self._skip, end - pos)
                self._skip -= step
                pos += step
                continue
            take = min(self._want - len(self._buf), end - pos)
            self._buf += data[pos : pos + take]
            pos += take
            if len(self._buf) == self._want:
                header, self._buf = self._buf, b""
                self._advance(header)

    def _advance(self, header: bytes) -> None:
        value = int.from_bytes(header, "little")
        if self._state == "magic":
            if value == 0xFD2FB528:
                self._state, self._want = "frame", 1
            elif value & 0xFFFFFFF0 == 0x184D2A50:
                self._state, self._want = "skippable", 4
            else:
                self._state, self._skip = "unknown", 1 << 62
        elif self._state == "skippable":
            self._state, self._want, self._skip = "magic", 4, value
        elif self._state == "frame":
            single = (value >> 5) & 1
            self._checksum = 4 if value & 4 else 0
            content_size = (single, 2, 4, 8)[value >> 6]
            self._skip = (0 if single else 1) + (0, 1, 2, 4)[value & 3] + content_size
            self._state, self._want = "block", 3
        else:  # a block header: last flag, type, size
            kind, size = (value >> 1) & 3, value >> 3
            self._skip = 1 if kind == 1 else size
            if value & 1:
                self._skip += self._checksum
                self._state, self._want = "magic", 4


class _FrameTap:
    """Passes compressed bytes to the zstd reader while its frames are followed."""

    def __init__(self, inner: _Readable, frames: _ZstdFrames):
        self.inner = inner
        self.frames = frames

    def read(self, n: int = -1, /) -> bytes:
        data = self.inner.read(n)
        self.frames.feed(data)
        return data


class _MemberStream(io.RawIOBase):
    """The stream handed out in a Member: read-only, and dead once the walker moves on."""

    def __init__(self, inner: _Peekable, walk: _Walk, name: str):
        super().__init__()
        self._inner = inner
        self._walk = walk
        self.name = name
        self.expired = False

    def readable(self) -> bool:
        return True

    def read(self, n: int | None = -1, /) -> bytes:
        if self.expired:
            raise ValueError(f"{self.name}: read after the walker moved to the next source")
        try:
            return self._inner.read(-1 if n is None else n)
        except LogviewError as err:
            if err is self._walk.tripped:
                self._walk.delivered = True
            raise

    def readall(self) -> bytes:
        return self.read(-1)

    def readinto(self, buffer: memoryview | bytearray) -> int:  # type: ignore[override]
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


class _TarData:
    """The data of the current member of a tar read as a stream; a cut member ends short."""

    def __init__(self, stream: Any, offset: int, size: int):
        stream.seek(offset)  # forward only: a no-op unless a header left blocks unread
        self.stream = stream
        self.left = size

    def read1(self, n: int) -> bytes:
        if not self.left:
            return b""
        data = self.stream.read(min(n, self.left))
        if not data:
            raise EOFError("tar member data ends early")
        self.left -= len(data)
        return data


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
class _Input:
    """A file the walk will open: its display name, path and size."""

    name: str
    path: Path
    size: int
    from_folder: bool


def _expand(
    paths: Sequence[str | os.PathLike[str]],
    warn: Callable[[str], None],
    cancelled: Callable[[], bool],
) -> list[_Input]:
    """Return the regular files behind `paths`, folders walked in sorted order."""
    found: list[_Input] = []
    for arg in paths:
        name = os.fspath(arg)
        path = Path(name)
        try:
            info = path.stat()  # a symlink given directly is followed
        except OSError as err:
            warn(f"{name}: cannot read: {err.strerror or err}")
            continue
        if stat.S_ISDIR(info.st_mode):
            found.extend(_walk_folder(path, name.rstrip("/\\") or name, warn, cancelled))
        elif stat.S_ISREG(info.st_mode):
            found.append(_Input(name, path, info.st_size, False))
        else:
            warn(f"{name}: skipped: not a regular file ({_file_kind(info.st_mode)})")
    return found


def _walk_folder(
    folder: Path, prefix: str, warn: Callable[[str], None], cancelled: Callable[[], bool]
) -> list[_Input]:
    """Return the regular files under `folder` in path order (`find | sort`), links not followed."""
    found: list[_Input] = []
    pending: list[tuple[Path, str, os.stat_result | None]] = [(folder, prefix, None)]
    while pending:  # an explicit stack: folder depth must not meet the recursion limit
        path, name, info = pending.pop()
        if info is None or stat.S_ISDIR(info.st_mode):
            if cancelled():
                raise Cancelled()
            try:
                with os.scandir(path) as listing:
                    entries = sorted(listing, key=lambda e: e.name, reverse=True)
                children = [
                    (Path(e.path), f"{name}/{e.name}", e.stat(follow_symlinks=False))
                    for e in entries
                    if e.name not in JUNK_NAMES and e.name not in JUNK_DIRS
                ]
            except OSError as err:
                warn(f"{name}: cannot read: {err.strerror or err}")
                continue
            pending.extend(children)
        elif stat.S_ISLNK(info.st_mode):
            warn(f"{name}: skipped: symbolic link")
        elif stat.S_ISREG(info.st_mode):
            found.append(_Input(name, path, info.st_size, True))
        else:
            warn(f"{name}: skipped: not a regular file ({_file_kind(info.st_mode)})")
    return found


def _file_kind(mode: int) -> str:
    for test, kind in (
        (stat.S_ISFIFO, "FIFO"),
        (stat.S_ISSOCK, "socket"),
        (stat.S_ISCHR, "character device"),
        (stat.S_ISBLK, "block device"),
    ):
        if test(mode):
            return kind
    return "special file"


def _open_regular(item: _Input) -> BinaryIO:
    """Return `item` opened read-only, refusing anything that became a link or a special file."""
    nonblocking = getattr(os, "O_NONBLOCK", 0)
    flags = os.O_RDONLY | getattr(os, "O_BINARY", 0) | nonblocking
    if item.from_folder:
        flags |= getattr(os, "O_NOFOLLOW", 0)
    # Non-blocking, and checked after opening: a file that became a FIFO since the folder was
    # listed must not hang the walk.
    fd = os.open(item.path, flags)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise LogviewError(f"{item.name}: skipped: not a regular file")
        if nonblocking:
            os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


@dataclass(frozen=True)
class _Place:
    """Where a stream sits: its name, file, time, the layers above it and the root it is read from."""

    name: str
    path: Path
    mtime: float | None
    root: _Source  # the seekable file (on disk, or a spool) the chain is read from
    root_start: int  # root.consumed when this stream began, for its whole-chain ratio
    layers: tuple[str, ...] = ()
    depth: int = 0  # archives around it
    compressions: int = 0  # compressions directly around it, since the last archive
    compressed_by: str | None = None  # the compression that produced exactly this stream

    def inside(self, archive: str, member: str, mtime: float | None, root: _Source) -> _Place:
        """Return the place of a member of the archive at this place."""
        return _Place(
            f"{archive}/{member}", self.path, mtime, root, root.consumed, self.layers, self.depth
        )


class SourceWalker:
    """Expands paths into Members, one at a time.

    `warnings` collects one line per skipped or damaged thing. A limit tripped while the
    consumer reads a member raises LogviewError from that read: catch it per member (and record
    it); the walker does not repeat it and moves on to the next input.
    """

    def __init__(
        self,
        paths: Sequence[str | os.PathLike[str]],
        limits: Limits = Limits(),  # noqa: B008 - frozen, so one shared default is safe
        cancelled: Callable[[], bool] = lambda: False,
    ) -> None:
        self.limits = limits
        self.cancelled = cancelled
        self.warnings: list[str] = []
        self.bytes_read = 0
        self._inputs = _expand(paths, self.warnings.append, cancelled)
        self.bytes_total = sum(item.size for item in self._inputs)
        self._spool_dir: tempfile.TemporaryDirectory[str] | None = None
        self._walk = _Walk(limits, cancelled, self.warnings.append)

    def __iter__(self) -> Iterator[Member]:
        walk = self._walk = _Walk(self.limits, self.cancelled, self.warnings.append)
        self.bytes_read = 0
        try:
            for index, item in enumerate(self._inputs):
                if self.cancelled():
                    raise Cancelled()
                if walk.exhausted:
                    self.warnings.append(
                        f"{item.name}: skipped with {len(self._inputs) - index - 1} more: the "
                        f"limit of {size_text(self.limits.max_total_bytes)} of data was reached"
                    )
                    break
                base = self.bytes_read
                try:
                    yield from self._walk_input(item)
                except Cancelled:
                    raise
                except LogviewError as err:
                    if not (err is walk.tripped and walk.delivered):
                        self.warnings.append(str(err))
                except OSError as err:
                    self.warnings.append(f"{item.name}: cannot read: {err.strerror or err}")
                except (
                    *_DAMAGE,
                    ValueError,
                    RuntimeError,
                    NotImplementedError,
                    struct.error,
                ) as err:
                    # Malformed input the archive modules reject in ways not handled above:
                    # one bad input must cost a warning, not the whole walk.
                    self.warnings.append(f"{item.name}: damaged: {type(err).__name__}: {err}")
                finally:
                    self.bytes_read = base + item.size
                walk.tripped = None
        finally:
            if self._spool_dir is not None:
                self._spool_dir.cleanup()
                self._spool_dir = None

    def _walk_input(self, item: _Input) -> Iterator[Member]:
        """Yield the Members in one file on disk."""
        credited = 0

        def progress(n: int) -> None:
            nonlocal credited
            step = min(n, item.size - credited)  # zip directories are read twice; never overshoot
            if step > 0:
                credited += step
                self.bytes_read += step
            self._walk.add_total(n, item.name)

        with _open_regular(item) as raw:
            mtime = os.fstat(raw.fileno()).st_mtime
            source = _Source(raw, self._walk, on_read=progress)
            place = _Place(item.name, item.path, mtime, source, 0)
            yield from self._walk_stream(_Peekable(source), place, seekable=True)

    def _walk_stream(
        self, stream: _Peekable, place: _Place, *, seekable: bool = False
    ) -> Iterator[Member]:
        """Yield the Members in one stream: itself, or what its compression or archive holds."""
        walk = self._check_between()
        head = stream.peek(SNIFF_BYTES)
        kind = sniff_container(head)
        if kind in ("gz", "bz2", "xz", "zst"):
            # A chain of compressions is not an archive, but still needs an end.
            if place.compressions > self.limits.max_depth:
                self.warnings.append(
                    f"{place.name}: skipped: more than {self.limits.max_depth + 1} "
                    "layers of compression"
                )
                return
            inner = self._decompress(kind, stream, place)
            mtime = place.mtime
            if kind == "gz" and head[4:8] != b"\x00\x00\x00\x00":
                mtime = float(struct.unpack("<I", head[4:8])[0])  # the original file's mtime
            inner_place = replace(
                place,
                mtime=mtime,
                layers=(*place.layers, kind),
                compressions=place.compressions + 1,
                compressed_by=kind,
            )
            try:
                yield from self._walk_stream(_Peekable(inner), inner_place)
            finally:
                inner.reader.close()  # the decompressor only; it does not own the file below
        elif kind in ("zip", "tar"):
            if place.depth >= self.limits.max_depth:
                self.warnings.append(
                    f"{place.name}: skipped: archive nested deeper than "
                    f"{self.limits.max_depth} levels"
                )
                return
            if kind == "tar" and place.compressed_by:
                layers = (*place.layers[:-1], f"tar.{place.compressed_by}")
            else:
                layers = (*place.layers, kind)
            place = replace(place, layers=layers, depth=place.depth + 1)
            if kind == "tar":
                yield from self._walk_tar(stream, place)
            elif seekable:
                place.root.seek(0)
                yield from self._walk_zip(place.root, place)
            else:
                yield from self._walk_spooled_zip(stream, place)
        else:
            member = _MemberStream(stream, walk, place.name)
            try:
                yield Member(place.name, place.path, place.mtime, member, place.layers)  # type: ignore[arg-type]
            finally:
                member.expired = True
            self._check_between()

    def _check_between(self) -> _Walk:
        """Return the walk state, raising what a member tripped or a cancel between members."""
        if self.cancelled():
            raise Cancelled()
        if self._walk.tripped is not None:
            raise self._walk.tripped
        return self._walk

    def _decompress(self, kind: str, stream: _Peekable, place: _Place) -> _Meter:
        """Return a metered decompressing reader over `stream`."""
        start = stream.delivered
        reader: BinaryIO
        complete: Callable[[], bool] = lambda: True  # noqa: E731 - _Inflater raises EOFError
        unused: Callable[[], int] = lambda: 0  # noqa: E731
        if kind in _DECOMPRESSORS:
            inflater = _Inflater(stream, kind)
            reader, unused = inflater, inflater.unused  # type: ignore[assignment]
        else:
            frames = _ZstdFrames()
            reader = zstandard.ZstdDecompressor().stream_reader(  # type: ignore[assignment]
                _FrameTap(stream, frames), read_across_frames=True, closefd=False
            )
            complete = lambda: frames.complete  # noqa: E731
        return _Meter(
            reader,
            self._walk,
            place.name,
            root=place.root,
            root_start=place.root_start,
            taken=lambda: stream.delivered - start - unused(),
            complete=complete,
        )

    def _count_member(self, archive: str) -> None:
        self._walk.members += 1
        if self._walk.members > self.limits.max_members:
            raise LogviewError(
                f"{archive}: stopped: more than {self.limits.max_members:,} archive members in all"
            )

    def _member_name(self, archive: str, raw: str, is_dir: bool) -> str | None:
        """Return the clean path of a member, or None when it is skipped (warned if refused)."""
        if is_dir:
            return None
        clean = clean_member_name(raw)
        if clean.path is None:
            self.warnings.append(f"{archive}/{escaped(raw)}: skipped: {clean.refusal}")
            return None
        if not clean.path or is_junk(clean.path):
            return None
        return clean.path

    def _walk_tar(self, stream: _Peekable, place: _Place) -> Iterator[Member]:
        """Yield the regular members of a tar read as a stream (never seeking, never extracting)."""
        walk, name, root = self._walk, place.name, place.root
        truncations = walk.truncations
        start = stream.delivered
        try:
            archive = tarfile.open(fileobj=stream, mode="r|", encoding="utf-8", errors="replace")  # type: ignore[call-overload]
        except tarfile.TarError as err:
            self.warnings.append(f"{name}: damaged tar: {err}")
            return
        with archive:
            while True:
                try:
                    info = archive.next()
                except tarfile.TarError as err:
                    if "unexpected end of data" in str(err):
                        self._warn_truncated_once(truncations, name, stream.delivered - start)
                    else:
                        self.warnings.append(f"{name}: damaged tar: {err}")
                    return
                if info is None:
                    break
                archive.members.clear()  # stream mode keeps every header otherwise
                self._count_member(name)
                member = self._member_name(name, info.name, info.isdir())
                if member is None:
                    continue
                if info.issym() or info.islnk():
                    kind = "symbolic" if info.issym() else "hard"
                    self.warnings.append(
                        f"{name}/{member}: skipped: {kind} link to {escaped(info.linkname)}"
                    )
                    continue
                if not info.isreg():
                    self.warnings.append(f"{name}/{member}: skipped: not a regular file")
                    continue
                inner = place.inside(name, member, info.mtime or place.mtime, root)
                if info.issparse():
                    reader: Any = archive.extractfile(info)  # only tarfile knows the holes
                else:
                    reader = _TarData(archive.fileobj, info.offset_data, info.size)
                meter = _Meter(
                    reader,
                    walk,
                    inner.name,
                    root=root,
                    root_start=root.consumed,
                    counts=False,
                )
                yield from self._walk_stream(_Peekable(meter), inner)
        # Two zero blocks end a whole tar; a stream that stops right after a member was cut.
        if stream.delivered - start - archive.offset < 512:
            self._warn_truncated_once(truncations, name, archive.offset)

    def _warn_truncated_once(self, before: int, name: str, at: int) -> None:
        """Warn that `name` was cut short, unless a stream inside it already said so."""
        if self._walk.truncations == before:
            self._walk.truncations += 1
            self.warnings.append(f"{name}: truncated: read {at:,} bytes before the end")

    def _walk_spooled_zip(self, stream: _Peekable, place: _Place) -> Iterator[Member]:
        """Yield the members of a zip inside a stream, copied first to an anonymous temp file."""
        if self._spool_dir is None:
            self._spool_dir = tempfile.TemporaryDirectory(prefix="logview-")
        limit = self.limits.max_spool_bytes
        with tempfile.TemporaryFile(dir=self._spool_dir.name) as spool:
            size = 0
            while part := stream.read(CHUNK_BYTES):
                size += len(part)
                if size > limit:
                    self.warnings.append(
                        f"{place.name}: skipped: a zip inside an archive is limited to "
                        f"{size_text(limit)}"
                    )
                    return
                spool.write(part)
            spool.seek(0)
            root = place.root
            scale = root.scale
            if size > self.limits.ratio_grace_bytes:  # smaller spools say nothing reliable
                scale *= max(1.0, size / max(root.consumed - place.root_start, 1))
            spooled = _Source(spool, self._walk, scale=scale)  # type: ignore[arg-type]
            yield from self._walk_zip(spooled, replace(place, root=spooled, root_start=0))

    def _walk_zip(self, source: _Source, place: _Place) -> Iterator[Member]:
        """Yield the members of a zip on a seekable source, after checking it for bombs."""
        name = place.name
        declared = _declared_entries(source)
        if declared > self.limits.max_members - self._walk.members:
            raise LogviewError(
                f"{name}: stopped: declares {declared:,} members, past the limit of "
                f"{self.limits.max_members:,} archive members in all"
            )
        try:
            archive = zipfile.ZipFile(source)  # type: ignore[arg-type]
        except (zipfile.BadZipFile, OSError, EOFError, ValueError, struct.error) as err:
            source.seek(0)
            if source.read(4) != b"PK\x03\x04":
                self.warnings.append(f"{name}: damaged zip: {err}")
                return
            yield from self._walk_zip_headers(source, place)
            return
        with archive:
            infos = archive.infolist()
            overlap = _overlapping_entries(source, infos, archive.start_dir)
            if overlap:
                first, second = (escaped(entry) for entry in overlap)
                self.warnings.append(
                    f"{name}: skipped: zip entries {first} and {second} overlap, "
                    "refusing the archive (a zip bomb?)"
                )
                return
            for info in infos:
                self._count_member(name)
                member = self._member_name(name, info.filename, info.is_dir())
                if member is None:
                    continue
                reason = self._zip_refusal(info)
                if reason:
                    self.warnings.append(f"{name}/{member}: skipped: {reason}")
                    continue
                try:
                    reader = archive.open(info)
                except (zipfile.BadZipFile, NotImplementedError, RuntimeError, OSError) as err:
                    self.warnings.append(f"{name}/{member}: skipped: {err}")
                    continue
                inner = place.inside(name, member, _zip_mtime(info.date_time, place.mtime), source)
                with reader:
                    meter = _Meter(
                        reader,  # type: ignore[arg-type]
                        self._walk,
                        inner.name,
                        root=source,
                        root_start=source.consumed,
                        counts=info.compress_type != zipfile.ZIP_STORED,
                    )
                    yield from self._walk_stream(_Peekable(meter), inner)

    def _zip_refusal(self, info: zipfile.ZipInfo) -> str | None:
        """Return why a zip member (by its directory entry) is not read, or None."""
        limits = self.limits
        if stat.S_ISLNK(info.external_attr >> 16):
            return "symbolic link"
        if info.flag_bits & 0x1:
            return "encrypted"
        if info.file_size > limits.ratio_grace_bytes and info.file_size > limits.max_ratio * max(
            info.compress_size, 1
        ):
            return (
                f"declares {size_text(info.file_size)} from {size_text(info.compress_size)}, over "
                f"{limits.max_ratio:.0f}:1, refusing (a compression bomb?)"
            )
        if self._walk.total + info.file_size > limits.max_total_bytes:
            return (
                f"declares {size_text(info.file_size)}, past the limit of "
                f"{size_text(limits.max_total_bytes)} of data"
            )
        return None

    def _walk_zip_headers(self, source: _Source, place: _Place) -> Iterator[Member]:
        """Yield the members of a zip with no usable directory (cut short), from local headers."""
        name = place.name
        before = self._walk.truncations
        self.warnings.append(
            f"{name}: truncated or damaged zip (no central directory): reading members in order"
        )
        offset = 0
        while True:
            entry = _local_entry(source, offset)
            if entry is None:
                source.seek(offset)
                if source.read(4) not in (b"PK\x01\x02", b"PK\x05\x06", b"PK\x06\x06"):
                    self._warn_truncated_once(before, name, offset)
                return
            self._count_member(name)
            member = self._member_name(name, entry.name, entry.name.endswith("/"))
            reader: _StoredReader | _DeflateReader | None = None
            reason = ""
            if entry.flags & 0x1:
                reason = "encrypted"
            elif entry.method not in (0, 8):
                reason = f"unsupported compression method {entry.method}"
            elif entry.method == 0 and entry.size_known:
                reader = _StoredReader(source, entry.csize)
            elif entry.method == 8:
                # Needed even to skip the member when only a trailing descriptor knows its size.
                reader = _DeflateReader(source, entry.csize if entry.size_known else None)
            if member is not None and reason:
                self.warnings.append(f"{name}/{member}: skipped: {reason}")
            if reader is None and not entry.size_known:
                self.warnings.append(
                    f"{name}: stopped: cannot find the end of {escaped(entry.name)}"
                )
                return
            if reader is not None:
                source.seek(entry.data_start)
                meter = _Meter(
                    reader,  # type: ignore[arg-type]
                    self._walk,
                    f"{name}/{member or escaped(entry.name)}",
                    root=source,
                    root_start=source.consumed,
                    counts=entry.method != 0,
                )
                if member is not None:
                    mtime = _zip_mtime(entry.date_time, place.mtime)
                    yield from self._walk_stream(
                        _Peekable(meter), place.inside(name, member, mtime, source)
                    )
                if not entry.size_known:
                    while meter.read(CHUNK_BYTES):  # the only way to find where the data ends
                        pass
            if entry.size_known:
                offset = entry.data_start + entry.csize
                if entry.flags & 0x8:
                    offset = _after_descriptor(source, offset)
            else:
                assert isinstance(reader, _DeflateReader)
                if not reader.inflate.eof:
                    return  # cut inside the data: the member's stream has warned
                offset = _after_descriptor(source, source.tell())


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
    """Return the member count a zip's end record declares (0 when there is none).

    Read before zipfile loads the directory, which it holds in memory whole.
    """
    size = source.seek(0, os.SEEK_END)
    tail_start = max(0, size - 22 - 65535)  # the end record, after a comment of up to 64 KiB
    source.seek(tail_start)
    tail = source.read(size - tail_start)
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) < at + 22:
        return 0
    (count,) = struct.unpack("<H", tail[at + 10 : at + 12])
    locator = tail[at - 20 : at] if at >= 20 else b""
    if count == 0xFFFF and locator[:4] == b"PK\x06\x07":
        (offset,) = struct.unpack("<Q", locator[8:16])
        source.seek(offset)
        record = source.read(56)
        if record[:4] == b"PK\x06\x06" and len(record) == 56:
            (count,) = struct.unpack("<Q", record[32:40])
    return count


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
