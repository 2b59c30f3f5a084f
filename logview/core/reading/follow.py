"""Following plain files as they grow (`tail -F`): appended lines become new table rows.

A `Follower` resumes a file where ingest stopped reading it (`SourceInfo.tail`) and, on each
`poll`, reads what was appended since, with the source's format, encoding and corrections.
The rules, as lnav has them:

- Only complete lines are read: a last line without its newline waits for it (a line longer
  than MAX_LINE_BYTES is cut with a marker, as ingest cuts it, and the rest is skipped).
- The last entry read waits too, until the next entry starts or the file has not grown for a
  poll: a stack trace written in several pieces stays one entry.
- Rotation (the path now names another file: device or inode differ): the rest of the old file
  is read through the handle kept open, then the new file from its start.
- Truncation (the file is shorter than what was read) and rewriting (the hash of its first
  line changed): it is read again from its start. Entries read before stay in the table.
Between them no line is read twice and none is skipped. A file is never written to.

`Live` holds the growing table: the ingested rows, then every appended batch, with `seq`
(time order) kept for the whole.
"""

from __future__ import annotations

import io
import os
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

import numpy as np
import polars as pl

from logview.core.reading import header, registry
from logview.core.reading.conform import conform
from logview.core.reading.formats import Format, ParseContext
from logview.core.reading.ingest import Ingested, parse_source
from logview.core.reading.lines import (
    HEAD_BYTES,
    MAX_LINE_BYTES,
    Encoding,
    LineReader,
    sample_lines,
    truncated,
)
from logview.core.reading.parsers.text import text_layout
from logview.core.reading.source_info import (
    FIRST_BYTES,
    SourceInfo,
    SourceOverride,
    first_line_hash,
)
from logview.core.shared.errors import LogviewError
from logview.core.shared.table import SCHEMA, TS, extra_dtype, stable_order, time_order

# One poll reads at most this much of a file (the rest on the next poll), so that a file that
# grew by gigabytes while unwatched does not stall the window.
POLL_BYTES = 64 * 1024 * 1024
# An entry held back (waiting for its continuation lines) is let go at this size regardless.
MAX_HELD_BYTES = 16 * 1024 * 1024
_CUT_MARKER = truncated(f"the rest of a line over {MAX_LINE_BYTES >> 20} MiB").encode()
# Windows refuses to rename a file another process holds open: there the handle is not kept
# between polls (and the rest of a rotated file cannot be read).
KEEP_OPEN = os.name != "nt"


@dataclass(frozen=True)
class Polled:
    """What one poll found: new entries (conformed rows without `seq`) and events to show."""

    frames: list[pl.DataFrame]
    events: list[str]


class Follower:
    """One growing plain file, read from where the last read stopped."""

    def __init__(
        self,
        info: SourceInfo,
        fmt: Format,
        override: SourceOverride | None = None,
        tz: str | None = None,
    ) -> None:
        if info.tail is None or fmt.parse_lines is None:
            raise LogviewError(f"{info.name}: cannot be followed")
        self.name, self.path = info.name, info.path
        override = override or SourceOverride()
        self.fmt, self.override, self.tz = fmt, override, override.tz or tz
        self.encoding = Encoding(info.encoding)
        tail = info.tail
        self._offset = tail.offset
        self._next_line = tail.lines + 1  # the line number of the first line not yet parsed
        self._identity = (tail.device, tail.inode)
        self._first = (tail.first_hash, tail.first_len)
        self._fd: int | None = None
        self._partial = b""  # the start of a line whose newline has not come yet
        self._skipping = False  # dropping the rest of an over-long line up to its newline
        self._held = b""  # the last entry's lines, waiting for the next entry to start
        self._layout = self._read_layout() if fmt.name == "text" else None
        self._header = info.header  # lines appended are split as the file's head was
        # The stamp of the last entry read: an entry without one is placed after it.
        self.last_stamp = info.last
        self._failed = ""  # the last read error, reported once

    # -- polling ----------------------------------------------------------------------------
    def poll(self) -> Polled:
        """Return the entries appended since the last poll, and what happened to the file."""
        events: list[str] = []
        frames: list[pl.DataFrame] = []
        try:
            self._poll(frames, events)
            self._failed = ""
        except OSError as err:
            message = f"{self.name}: cannot read: {err.strerror or err}"
            if message != self._failed:
                events.append(message)
            self._failed = message
            self._close()
        finally:
            if not KEEP_OPEN:
                self._close()
        return Polled(frames, events)

    def close(self) -> None:
        self._close()

    def _poll(self, frames: list[pl.DataFrame], events: list[str]) -> None:
        try:
            stat = os.stat(self.path)
        except FileNotFoundError:
            stat = None  # renamed away, the new file not there yet: the open handle reads on
        if self._fd is None:
            if stat is None:
                return
            self._fd = os.open(self.path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
            opened = os.fstat(self._fd)
            if (opened.st_dev, opened.st_ino) != self._identity:
                frames.extend(self._flush())
                events.append(f"{self.name}: replaced by a new file; reading it from its start")
                self._restart()
        elif stat is not None and (stat.st_dev, stat.st_ino) != self._identity:
            # Rotated: what the old file got before the rename, then the new file.
            frames.extend(self._read(final=True))
            events.append(f"{self.name}: rotated; following the new file from its start")
            self._close()
            self._fd = os.open(self.path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
            self._restart()
        assert self._fd is not None
        if os.fstat(self._fd).st_size < self._offset:
            frames.extend(self._flush())
            events.append(f"{self.name}: truncated; reading it again from the start")
            self._restart()
        elif not self._same_first_line():
            frames.extend(self._flush())
            events.append(f"{self.name}: rewritten; reading it again from the start")
            self._restart()
        frames.extend(self._read(final=False))

    def _close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    def _restart(self) -> None:
        """Read the file from its start, as a new file."""
        assert self._fd is not None
        stat = os.fstat(self._fd)
        self._identity = (stat.st_dev, stat.st_ino)
        self._offset, self._next_line = 0, 1
        self._partial, self._skipping, self._held = b"", False, b""
        self._first = first_line_hash(_pread(self._fd, FIRST_BYTES, 0))

    def _same_first_line(self) -> bool:
        """Return whether the file still starts as it did (and learn more of a first line that
        was incomplete)."""
        assert self._fd is not None
        head = _pread(self._fd, FIRST_BYTES, 0)
        known_hash, known_len = self._first
        if first_line_hash(head[:known_len])[0] != known_hash:
            return False
        if known_len < FIRST_BYTES:
            found = first_line_hash(head)
            if found[1] > known_len:
                self._first = found
        return True

    # -- reading ----------------------------------------------------------------------------
    def _read(self, *, final: bool) -> list[pl.DataFrame]:
        """Return the entries of the complete lines appended since the last read; with `final`
        (the file ends here), every line and the held entry too."""
        assert self._fd is not None
        data = _pread(self._fd, POLL_BYTES, self._offset)
        self._offset += len(data)
        if self._skipping:
            cut = data.find(b"\n")
            if cut < 0:
                return self._flush() if final else []
            data, self._skipping = data[cut + 1 :], False
        buffer = self._partial + data
        end = len(buffer) if final else buffer.rfind(b"\n") + 1
        complete, self._partial = buffer[:end], buffer[end:]
        if final and complete and not complete.endswith(b"\n"):
            complete += b"\n"
        if len(self._partial) > MAX_LINE_BYTES:
            complete += self._partial[:MAX_LINE_BYTES] + _CUT_MARKER + b"\n"
            self._partial, self._skipping = b"", True
        if not data or final:
            return self._parse(self._held + complete, hold=False)
        return self._parse(self._held + complete, hold=len(self._held) + end < MAX_HELD_BYTES)

    def _flush(self) -> list[pl.DataFrame]:
        """Return the held entry (the file will not continue it)."""
        return self._parse(self._held, hold=False)

    def _parse(self, body: bytes, *, hold: bool) -> list[pl.DataFrame]:
        """Return the entries of `body` (whole lines, the first numbered `_next_line`); with
        `hold`, keep the last entry back in `_held` instead."""
        self._held = b""
        if not body:
            return []
        lines = LineReader(self.encoding).read(io.BytesIO(body))
        count = lines.height
        lines = lines.with_columns(pl.col("line") + (self._next_line - 1))
        ctx = ParseContext(
            source=self.name,
            mtime=_mtime(self._fd),
            tz=self.tz,
            layout=self._layout,
        )
        parsed, _ = header.learn_and_split(parse_source(self.fmt, ctx, lines), self._header)
        if hold and parsed.height:
            last = int(parsed["line"][-1])
            kept_lines = self._next_line + count - last
            start = len(body) - 1
            for _ in range(kept_lines):
                start = body.rfind(b"\n", 0, start)
            self._held = body[start + 1 :]
            self._next_line = last
            parsed = parsed.filter(pl.col("line") < last)
        else:
            self._next_line += count
        if not parsed.height:
            return []
        frame = conform(
            parsed,
            self.name,
            self.override.offset,
            infer_levels=not self.fmt.levels_from_text,
            words=self.fmt.levels_from_words,
        )
        frame = frame.with_columns(_after=pl.lit(self.last_stamp, dtype=TS))
        if (stamp := frame["ts"].drop_nulls().tail(1)).len():
            self.last_stamp = stamp[0]
        return [frame]

    def _read_layout(self) -> object:
        """Return the stamp layout of the file's first lines (how ingest read it)."""
        try:
            with open(self.path, "rb") as file:
                head = file.read(HEAD_BYTES)
        except OSError:
            return None
        lines = sample_lines(head, self.encoding, limit=500)
        return text_layout(pl.Series(lines, dtype=pl.String)) if lines else None


def _pread(fd: int, size: int, offset: int) -> bytes:
    """Return up to `size` bytes of `fd` from `offset` (os.pread, or seek and read on Windows,
    which has no pread; a follower's handle is used by one thread at a time)."""
    if hasattr(os, "pread"):
        return os.pread(fd, size, offset)
    os.lseek(fd, offset, os.SEEK_SET)
    parts, left = [], size
    while left > 0:
        part = os.read(fd, left)
        if not part:
            break
        parts.append(part)
        left -= len(part)
    return b"".join(parts)


def _mtime(fd: int | None) -> float | None:
    if fd is None:
        return None
    try:
        return os.fstat(fd).st_mtime
    except OSError:
        return None


def why_not_followed(info: SourceInfo, user_formats: Sequence[Format] = ()) -> str | None:
    """Return why a source cannot be followed, or None when it can."""
    if info.format == "skipped":
        return "skipped when read"
    if registry.by_name(info.format, user_formats).parse_lines is None:
        return f"{info.format_label} is read as a whole document"
    if info.tail is None:
        return "not a plain file (archive member or compressed) or not 8-bit text"
    return None


class Live:
    """An investigation's table growing as its followed files do."""

    def __init__(
        self,
        ingested: Ingested,
        overrides: Mapping[str, SourceOverride] | None = None,
        tz: str | None = None,
        order: np.ndarray | None = None,
    ) -> None:
        self.ingested = ingested
        self.order = order if order is not None else time_order(ingested.table).to_numpy()
        self._base_chunks = ingested.table["message"].n_chunks()
        self._lock = threading.Lock()  # a poll in a worker thread against close()
        self._closed = False
        self.followers: list[Follower] = []
        self.not_followed: list[str] = []  # "name: why", for the sources not followed
        overrides = overrides or {}
        for info in ingested.sources:
            why = why_not_followed(info, ingested.user_formats)
            if why is not None:
                self.not_followed.append(f"{info.name}: {why}")
                continue
            self.followers.append(
                Follower(
                    info,
                    registry.by_name(info.format, ingested.user_formats),
                    overrides.get(info.name, SourceOverride()),
                    tz,
                )
            )

    @property
    def table(self) -> pl.DataFrame:
        return self.ingested.table

    def poll(self) -> Polled:
        """Read what every followed file got; the new entries join the table. Returns them
        (conformed, without `seq`) and the events."""
        frames: list[pl.DataFrame] = []
        events: list[str] = []
        with self._lock:
            if self._closed:
                return Polled(frames, events)
            for follower in self.followers:
                polled = follower.poll()
                frames.extend(polled.frames)
                events.extend(polled.events)
            if frames:
                self._append(frames)
        return Polled(frames, events)

    def close(self) -> None:
        """Stop following (after a poll still running): the files are let go."""
        with self._lock:
            self._closed = True
            for follower in self.followers:
                follower.close()

    def _append(self, frames: list[pl.DataFrame]) -> None:
        table, order = append_entries(self.ingested.table, frames, self.order, self._base_chunks)
        counts: dict[str, list[pl.DataFrame]] = {}
        for frame in frames:
            counts.setdefault(str(frame["source"][0]), []).append(frame)
        sources = tuple(_grown(info, counts.get(info.name, [])) for info in self.ingested.sources)
        self.ingested = replace(
            self.ingested, table=table, sources=sources, cache_key=None, files_cached=0
        )
        self.order = order


def _grown(info: SourceInfo, frames: Sequence[pl.DataFrame]) -> SourceInfo:
    """Return `info` with the entries of `frames` counted in."""
    if not frames:
        return info
    stamps = pl.concat([f["ts"] for f in frames])
    first = min((s for s in (info.first, stamps.min()) if s is not None), default=None)
    last = max((s for s in (info.last, stamps.max()) if s is not None), default=None)
    return replace(
        info, entries=info.entries + sum(f.height for f in frames), first=first, last=last
    )


# Appended rows are kept in this few chunks at most (merged when there are more): polars walks
# chunk by chunk, and one chunk per poll adds up over an afternoon.
MAX_APPENDED_CHUNKS = 32


def append_entries(
    table: pl.DataFrame, frames: Sequence[pl.DataFrame], order: np.ndarray, base_chunks: int = 1
) -> tuple[pl.DataFrame, np.ndarray]:
    """Return the table with the rows of `frames` (conformed, without `seq`) after its own, and
    the new time order (row positions sorted by `seq`).

    New entries stamped no earlier than everything in the table go last in time order (the
    common case: nothing is sorted). Otherwise the whole order is sorted again on the stamps,
    the table's own rows keeping their relative order, as `ingest` orders a merge.
    The chunks after the first `base_chunks` (the ingested table's) are merged into one when
    there are more than MAX_APPENDED_CHUNKS.
    """
    frames = [f for f in frames if f.height]
    if not frames:
        return table, order
    extras = {c: None for c in table.columns if c not in SCHEMA}
    for frame in frames:
        extras.update((c, None) for c in frame.columns if c not in SCHEMA and c != "_after")
    new = pl.concat(
        [
            f.with_columns(
                *[pl.lit(None, dtype=extra_dtype(c)).alias(c) for c in extras if c not in f.columns]
            ).select(*[c for c in SCHEMA if c != "seq"], *extras)
            for f in frames
        ],
        how="vertical",
        rechunk=True,  # one chunk per column for the batch, as `seq` gets
    )
    height = table.height
    new_keys = pl.concat([_keys(f) for f in frames])
    last = table["ts"].max()
    if new_keys.null_count() == 0 and (
        last is None or (new_keys.min() >= last and new_keys.is_sorted())  # type: ignore[operator]
    ):
        seq = pl.int_range(height, height + new.height, dtype=pl.UInt32, eager=True)
        new_order = np.concatenate(
            [order, np.arange(height, height + new.height, dtype=order.dtype)]
        )
    else:
        # Old rows in their time order, keyed by the stamp at or before them; then the new.
        old_keys = table["ts"].gather(order).forward_fill().backward_fill()
        positions = stable_order(pl.concat([old_keys, new_keys]))
        # positions index the (old in time order, then new) sequence; map back to table rows.
        rows = np.concatenate([order, np.arange(height, height + new.height, dtype=order.dtype)])
        new_order = rows[positions]
        seq_of_row = np.empty(height + new.height, dtype=np.uint32)
        seq_of_row[new_order] = np.arange(height + new.height, dtype=np.uint32)
        table = _with_seq(table, seq_of_row[:height])
        seq = pl.Series("seq", seq_of_row[height:], dtype=pl.UInt32)
    new = new.with_columns(seq=seq).select(*SCHEMA, *extras)
    for column in extras:
        if column not in table.columns:
            table = table.with_columns(pl.lit(None, dtype=extra_dtype(column)).alias(column))
    table = table.select(*SCHEMA, *extras)
    grown = pl.concat([table, new], how="vertical", rechunk=False)
    if grown["message"].n_chunks() > base_chunks + MAX_APPENDED_CHUNKS:
        grown = _merge_appended(grown, base_chunks)
    return grown, new_order.astype(order.dtype, copy=False)


def _keys(frame: pl.DataFrame) -> pl.Series:
    """Return the time-order keys of a batch: an entry without a stamp takes the one before it
    in its source (`_after`, a follower's last stamp read, for the first rows), as ingest has it."""
    ts = pl.col("ts").forward_fill()
    if "_after" in frame.columns:
        ts = ts.fill_null(pl.col("_after"))
    return frame.select(ts.backward_fill()).to_series()


def _with_seq(table: pl.DataFrame, seq: np.ndarray) -> pl.DataFrame:
    """Return the table with a new `seq`, split at the chunk boundaries of its other columns
    (chunks that do not line up make polars copy the whole frame on the next select)."""
    values = pl.Series("seq", seq, dtype=pl.UInt32)
    parts, start = [], 0
    for size in table["message"].chunk_lengths():
        parts.append(values.slice(start, size))
        start += size
    return table.with_columns(pl.concat(parts, rechunk=False) if parts else values)


def _merge_appended(table: pl.DataFrame, base_chunks: int) -> pl.DataFrame:
    """Return the table with the chunks after the first `base_chunks` merged into one."""
    head_rows = sum(table["message"].chunk_lengths()[:base_chunks])
    return pl.concat(
        [table.slice(0, head_rows), table.slice(head_rows).rechunk()], how="vertical", rechunk=False
    )
