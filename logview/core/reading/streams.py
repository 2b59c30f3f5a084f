"""Bounded, counting byte streams: the readers a walk stacks to decompress its sources.

Every decompressed stream is metered against the walk's `Limits`: past `ratio_grace_bytes` of
output it must stay under `max_ratio` (per decompression layer and over the whole chain back to
the file on disk), and all of it together under `max_total_bytes`. A tripped limit raises
LogviewError inside the consumer's read(); damaged or cut data ends the stream with a warning.
"""

from __future__ import annotations

import bz2
import io
import lzma
import tarfile
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, BinaryIO, Protocol

import zstandard
from isal import isal_zlib

from logview.core.shared.errors import Cancelled, LogviewError

GiB, MiB = 1 << 30, 1 << 20

CHUNK_BYTES = MiB  # the most a reader asks of the layer below in one call
CANCEL_CHECK_BYTES = 4 * MiB
READ_AHEAD_BYTES = 64 * 1024
INPUT_BYTES = 8 * 1024  # compressed bytes given to a decompressor at a time (see _Meter._count)

_DECOMPRESSORS: dict[str, Callable[[], Any]] = {
    # ISA-L's inflate, with zlib's interface, at about three times zlib's speed.
    # 31: gzip header and trailer, CRC checked.
    "gz": lambda: isal_zlib.decompressobj(31),
    "bz2": bz2.BZ2Decompressor,
    "xz": lzma.LZMADecompressor,
}

# Errors a damaged compressed stream or archive raises while being read; each ends the stream
# with a warning instead of reaching the consumer.
_DAMAGE = (
    OSError,
    EOFError,
    zlib.error,
    isal_zlib.error,
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
        if self.zlib and not b"\x1f\x8b".startswith(rest[:2]):
            # zlib refused such bytes as a bad header; ISA-L waits for more of them.
            raise OSError("what follows the gzip data is not gzip")
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
