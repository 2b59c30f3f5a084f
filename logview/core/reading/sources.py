"""Paths into sources: files, folders, compressed files and archives as safe, bounded byte streams.

Nothing is extracted to disk and no member name ever becomes a path. Every decompressed stream
is metered: past `ratio_grace_bytes` of output it must stay under `max_ratio` (per decompression
layer and over the whole chain back to the file on disk), and all of it together under
`max_total_bytes`. A stream that trips a limit raises LogviewError *inside the consumer's
read()*: the consumer catches it per member and records it; the walker then abandons that
input (without repeating the warning) and moves on to the next one. Truncated or corrupt data
never raises: the stream ends after the last good bytes and a warning is added to `warnings`.

This module is the walker; the metered readers are in `streams`, the zip checks and the
local-header reader in `zipscan`, member-name checks in `member_names` and the expansion of
folders into files in `folders`.
"""

from __future__ import annotations

import os
import stat
import struct
import tarfile
import tempfile
import zipfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, BinaryIO

import zstandard

from logview.core.reading.folders import _expand, _Input, _open_regular
from logview.core.reading.member_names import MemberName, clean_member_name, escaped, is_junk
from logview.core.reading.streams import (
    _DAMAGE,
    _DECOMPRESSORS,
    CHUNK_BYTES,
    INPUT_BYTES,
    Limits,
    _FrameTap,
    _Inflater,
    _MemberStream,
    _Meter,
    _Peekable,
    _Source,
    _TarData,
    _Walk,
    _ZstdFrames,
    size_text,
)
from logview.core.reading.zipscan import (
    _after_descriptor,
    _declared_entries,
    _DeflateReader,
    _local_entry,
    _overlapping_entries,
    _StoredReader,
    _zip_mtime,
)
from logview.core.shared.errors import Cancelled, LogviewError

__all__ = [
    "Limits",
    "Member",
    "MemberName",
    "SourceWalker",
    "clean_member_name",
    "escaped",
    "is_junk",
    "size_text",
    "sniff_container",
]

SNIFF_BYTES = 512  # enough for every magic number and a whole tar header
# An archive of 10^5 links or refused names must not bury the other warnings (nor make a list of
# 10^5 lines in the window): past this many per archive, the rest are counted in one line.
MAX_SKIPS_LISTED = 100


@dataclass
class Member:
    """One source: a file, or a member of an archive, as a decompressed, bounded stream."""

    name: str  # display name: the path as given, or "<container name>/<member path>"
    path: Path  # the file on disk it comes from
    mtime: float | None  # the member's own mtime if the archive has one, else the file's
    stream: BinaryIO  # read-only; valid only until the iterator advances
    layers: tuple[str, ...]  # containers/compressions it came through, outermost first


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


def _skip_to(stream: Any, offset: int) -> bool:
    """Read a tar stream forward to `offset`; return False when its data ends first.

    tarfile skips a member's data itself by reading 10 KiB blocks, as many as the member
    declares, even past the end of the data: a header declaring 2^62 bytes never ends.
    """
    while (left := offset - stream.tell()) > 0:
        if not stream.read(min(left, CHUNK_BYTES)):
            return False
    return True


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
        served: Callable[[Path, str], bool] | None = None,
    ) -> None:
        self.limits = limits
        self.cancelled = cancelled
        # Asked of each file on disk before it is opened: True when the caller has what it
        # holds already (the column cache); the file is then passed over, its bytes counted.
        self._served = served
        self.warnings: list[str] = []
        self.bytes_read = 0
        self._inputs = _expand(paths, self.warnings.append, cancelled)
        self.bytes_total = sum(item.size for item in self._inputs)
        self._spool_dir: tempfile.TemporaryDirectory[str] | None = None
        self._skipped: dict[str, int] = {}  # members skipped so far per archive being walked
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
                    if self._served is not None and self._served(item.path, item.name):
                        continue
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
            try:
                if kind == "tar":
                    yield from self._walk_tar(stream, place)
                elif seekable:
                    place.root.seek(0)
                    yield from self._walk_zip(place.root, place)
                else:
                    yield from self._walk_spooled_zip(stream, place)
            finally:
                self._count_skips(place.name)
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
                _FrameTap(stream, frames),
                read_size=INPUT_BYTES,
                read_across_frames=True,
                closefd=False,
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

    def _skip(self, archive: str, line: str) -> None:
        """Warn that a member was skipped, listing at most MAX_SKIPS_LISTED per archive."""
        count = self._skipped[archive] = self._skipped.get(archive, 0) + 1
        if count <= MAX_SKIPS_LISTED:
            self.warnings.append(line)

    def _skips_listed(self, archive: str) -> bool:
        """Return whether `_skip` lists no more of `archive`'s skipped members."""
        return self._skipped.get(archive, 0) >= MAX_SKIPS_LISTED

    def _count_skips(self, archive: str) -> None:
        """Warn, in one line, of the skipped members of an archive that were not listed."""
        more = self._skipped.pop(archive, 0) - MAX_SKIPS_LISTED
        if more > 0:
            self.warnings.append(f"{archive}: skipped {more:,} more members, not listed")

    def _member_name(self, archive: str, raw: str, is_dir: bool) -> str | None:
        """Return the clean path of a member, or None when it is skipped (warned if refused)."""
        if is_dir:
            return None
        clean = clean_member_name(raw)
        if clean.path is None:
            self._skip(archive, f"{archive}/{escaped(raw)}: skipped: {clean.refusal}")
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
            first = True  # tarfile read the first header when it opened the stream
            while True:
                if not first and not _skip_to(archive.fileobj, archive.offset):
                    self._warn_truncated_once(truncations, name, stream.delivered - start)
                    return
                first = False
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
                if (info.issym() or info.islnk()) and self._skips_listed(name):
                    # Counted, not listed: its name need not be cleaned (an archive of 100,000
                    # links spends a tenth of its reading there).
                    self._skip(name, "")
                    continue
                member = self._member_name(name, info.name, info.isdir())
                if member is None:
                    continue
                if info.issym() or info.islnk():
                    kind = "symbolic" if info.issym() else "hard"
                    self._skip(
                        name, f"{name}/{member}: skipped: {kind} link to {escaped(info.linkname)}"
                    )
                    continue
                if not info.isreg():
                    self._skip(name, f"{name}/{member}: skipped: not a regular file")
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
                # Not info.is_dir(): it indexes the name's last character, and names can be empty.
                member = self._member_name(name, info.filename, info.filename.endswith("/"))
                if member is None:
                    continue
                reason = self._zip_refusal(info)
                if reason:
                    self._skip(name, f"{name}/{member}: skipped: {reason}")
                    continue
                try:
                    reader = archive.open(info)
                except (zipfile.BadZipFile, NotImplementedError, RuntimeError, OSError) as err:
                    self._skip(name, f"{name}/{member}: skipped: {err}")
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
                self._skip(name, f"{name}/{member}: skipped: {reason}")
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
