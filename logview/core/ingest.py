"""Paths into the shared table: walk sources, detect each one's format, parse, merge by time."""

from __future__ import annotations

import io
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import BinaryIO

import polars as pl

from logview.core import formats, levels
from logview.core.errors import Cancelled, LogviewError
from logview.core.formats import Format, ParseContext, Sample
from logview.core.sources import Limits, Member, SourceWalker
from logview.core.table import PARSED_SCHEMA, SCHEMA, TS, empty_table
from logview.core.text import (
    HEAD_BYTES,
    Encoding,
    LineReader,
    binary_reason,
    detect_encoding,
    sample_lines,
)

# A document format (one JSON array, a CSV export, an evtx file) is parsed from memory as a whole;
# anything larger than this is refused with a message rather than risk the laptop.
MAX_DOCUMENT_BYTES = 2 * 1024 * 1024 * 1024


@dataclass(frozen=True)
class SourceOverride:
    """What the user corrected about one source."""

    format: str | None = None  # a format name instead of the detected one
    tz: str | None = None  # IANA zone for stamps that carry none
    offset: timedelta = timedelta(0)  # clock correction added to every stamp


@dataclass(frozen=True)
class SourceInfo:
    """One source as read: what it was taken for and what came out of it."""

    name: str
    path: str
    format: str  # a format name, or "skipped" when nothing was read
    format_label: str
    confidence: float
    entries: int
    first: datetime | None
    last: datetime | None
    encoding: str
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Progress:
    """How far ingest has come."""

    bytes_done: int
    bytes_total: int
    entries: int
    source: str


@dataclass(frozen=True)
class Ingested:
    """The table, what each source contributed, and every warning, one line each."""

    table: pl.DataFrame
    sources: tuple[SourceInfo, ...]
    warnings: tuple[str, ...]


@dataclass
class _Run:
    """State of one ingest call: the walk, the progress reporting and what was collected."""

    walker: SourceWalker
    progress: Callable[[Progress], None] | None
    cancelled: Callable[[], bool]
    entries: int = 0
    warnings: list[str] = field(default_factory=list)

    def report(self, source: str, pending: int = 0) -> None:
        if self.cancelled():
            raise Cancelled()
        if self.progress is not None:
            done = min(self.walker.bytes_read, self.walker.bytes_total)
            self.progress(Progress(done, self.walker.bytes_total, self.entries + pending, source))


def ingest(
    paths: Sequence[str | os.PathLike[str]],
    *,
    overrides: Mapping[str, SourceOverride] | None = None,
    tz: str | None = None,
    limits: Limits | None = None,
    progress: Callable[[Progress], None] | None = None,
    cancelled: Callable[[], bool] = lambda: False,
) -> Ingested:
    """Return the merged, time-sorted table of every entry in `paths`, with per-source details.

    Per-source problems (binary files, bad bytes, refused archive members, parser failures)
    become warnings; only a request where no path could be read at all raises LogviewError.
    Raises Cancelled when `cancelled()` turns true.
    """
    overrides = overrides or {}
    walker = SourceWalker(paths, limits or Limits(), cancelled=cancelled)
    run = _Run(walker, progress, cancelled)
    frames: list[pl.DataFrame] = []
    infos: list[SourceInfo] = []
    for member in walker:
        run.report(member.name)
        override = overrides.get(member.name, SourceOverride())
        frame, info = _read_member(member, override, tz or None, run)
        infos.append(info)
        if frame is not None and frame.height:
            frames.append(frame)
            run.entries += frame.height
        run.report(member.name)
    warnings = [*walker.warnings, *run.warnings]
    if not infos and warnings and len(warnings) >= len(paths):
        raise LogviewError(warnings[0])
    return Ingested(_merge(frames), tuple(infos), tuple(warnings))


def _read_member(
    member: Member, override: SourceOverride, default_tz: str | None, run: _Run
) -> tuple[pl.DataFrame | None, SourceInfo]:
    """Return the parsed frame of one source (None when skipped) and what was learned of it."""
    notes: list[str] = []

    def skipped(reason: str, encoding: str = "") -> tuple[None, SourceInfo]:
        run.warnings.append(f"{member.name}: skipped: {reason}")
        return None, SourceInfo(
            member.name,
            str(member.path),
            "skipped",
            "Skipped",
            0.0,
            0,
            None,
            None,
            encoding,
            (reason,),
        )

    try:
        head = _read_head(member.stream)
    except LogviewError as err:
        return skipped(str(err))
    except OSError as err:
        return skipped(f"cannot read: {err.strerror or err}")

    forced = formats.by_name(override.format) if override.format else None
    detection_confidence = 1.0
    fmt: Format | None = forced
    if fmt is None:
        found = formats.sniff(Sample(member.name, head, ()), binary_only=True)
        if found is not None:
            fmt, detection_confidence = found.format, found.confidence
    encoding = Encoding("binary")
    if fmt is None or not fmt.binary:
        reason = binary_reason(head)
        if reason and fmt is None:
            return skipped(reason)
        encoding = detect_encoding(head)
        if fmt is None:
            sample = Sample(member.name, head, sample_lines(head, encoding))
            found = formats.sniff(sample)
            if found is None:  # cannot happen while plain text is registered; be explicit
                return skipped("no format recognised")
            fmt, detection_confidence = found.format, found.confidence
    if encoding.name not in ("utf-8", "binary"):
        notes.append(f"decoded from {encoding.name}")

    problems: list[str] = []

    def warn(message: str) -> None:
        problems.append(message)
        notes.append(message)

    ctx = ParseContext(
        source=member.name,
        mtime=member.mtime,
        tz=override.tz or default_tz,
        warn=warn,
        note=notes.append,
    )
    try:
        parsed = _parse(fmt, member, head, encoding, ctx, run)
    except Cancelled:
        raise
    except LogviewError as err:
        return skipped(str(err), encoding.name)
    frame = _conform(parsed, member.name, override.offset)
    run.warnings.extend(f"{member.name}: {problem}" for problem in problems)
    first, last = _span(frame)
    info = SourceInfo(
        member.name,
        str(member.path),
        fmt.name,
        fmt.label,
        detection_confidence,
        frame.height,
        first,
        last,
        encoding.name,
        tuple(notes),
    )
    return frame, info


def _read_head(stream: BinaryIO) -> bytes:
    """Return the first HEAD_BYTES of a stream (fewer only at its end)."""
    parts: list[bytes] = []
    size = 0
    while size < HEAD_BYTES:
        part = stream.read(HEAD_BYTES - size)
        if not part:
            break
        parts.append(part)
        size += len(part)
    return b"".join(parts)


def _parse(
    fmt: Format,
    member: Member,
    head: bytes,
    encoding: Encoding,
    ctx: ParseContext,
    run: _Run,
) -> pl.DataFrame:
    """Return what `fmt`'s parser makes of the source; plain text when that parser fails.

    A parser that raises on unexpected input must cost the user a format, not the source: the
    lines are then read as plain text and a note says why.
    """
    if fmt.parse_document is not None:
        data = head + _read_rest(member.stream, member.name, run)
        if not fmt.binary and not encoding.is_utf8:
            data = data[encoding.bom :].decode(encoding.name, errors="replace").encode()
        elif encoding.bom:
            data = data[encoding.bom :]
        try:
            return fmt.parse_document(data, ctx)
        except LogviewError:
            raise
        except Exception as err:  # noqa: BLE001 - see docstring
            if fmt.binary:
                raise LogviewError(f"could not read as {fmt.label}: {err}") from err
            ctx.warn(_fallback_note(fmt, err))
            lines = LineReader(Encoding("utf-8"), cancelled=run.cancelled).read(io.BytesIO(data))
            return _plain_text().parse_lines(lines, ctx)  # type: ignore[misc]
    assert fmt.parse_lines is not None, f"format {fmt.name} has no parser"
    reader = LineReader(
        encoding,
        on_chunk=lambda lines: run.report(member.name, lines),
        cancelled=run.cancelled,
    )
    lines = reader.read(member.stream, head)
    for problem in reader.problems:
        ctx.warn(problem)
    try:
        return fmt.parse_lines(lines, ctx)
    except (LogviewError, Cancelled):
        raise
    except Exception as err:  # noqa: BLE001 - see docstring
        if fmt.name == "text":
            raise LogviewError(f"could not read as plain text: {err}") from err
        ctx.warn(_fallback_note(fmt, err))
        return _plain_text().parse_lines(lines, ctx)  # type: ignore[misc]


def _plain_text() -> Format:
    return formats.by_name("text")


def _fallback_note(fmt: Format, err: Exception) -> str:
    return f"could not read as {fmt.label} ({type(err).__name__}: {err}); read as plain text"


def _read_rest(stream: BinaryIO, name: str, run: _Run) -> bytes:
    """Return the rest of a stream for a document parser, refusing documents over the cap."""
    parts: list[bytes] = []
    size = 0
    while True:
        run.report(name)
        part = stream.read(16 * 1024 * 1024)
        if not part:
            return b"".join(parts)
        size += len(part)
        if size > MAX_DOCUMENT_BYTES:
            raise LogviewError(
                f"document larger than {MAX_DOCUMENT_BYTES >> 30} GiB; split it or export as lines"
            )
        parts.append(part)


def _conform(parsed: pl.DataFrame, source: str, offset: timedelta) -> pl.DataFrame:
    """Return a parser's frame with the table's column types, its source and its clock offset."""
    extras = [c for c in parsed.columns if c not in PARSED_SCHEMA]
    ts = pl.col("ts").cast(TS)
    if offset:
        ts = ts + pl.lit(offset)
    return parsed.select(
        ts.alias("ts"),
        levels.to_enum(pl.col("level").cast(pl.String)).alias("level"),
        pl.lit(source, dtype=pl.Categorical()).alias("source"),
        pl.col("line").cast(pl.UInt64),
        pl.col("message").cast(pl.String),
        *[pl.col(c).cast(pl.String) for c in extras],
    )


def _span(frame: pl.DataFrame) -> tuple[datetime | None, datetime | None]:
    """Return the first and last stamp of a frame (None when it has none)."""
    if frame.height == 0:
        return None, None
    stamps = frame["ts"]
    return stamps.min(), stamps.max()  # type: ignore[return-value]


def _merge(frames: list[pl.DataFrame]) -> pl.DataFrame:
    """Return the frames merged into one table sorted by time, stable within equal stamps.

    An entry without a stamp keeps its place after the stamped entry before it in its own
    source (its sort key is the last stamp above it, or the first below it at the top).
    Sources with no stamp at all come last, in the order they were read.
    """
    if not frames:
        return empty_table()
    keyed = [f.with_columns(_key=pl.col("ts").forward_fill().backward_fill()) for f in frames]
    table = pl.concat(keyed, how="diagonal_relaxed", rechunk=False)
    if not table["_key"].is_sorted():
        table = table.sort("_key", maintain_order=True, nulls_last=True)
    table = table.drop("_key")
    extras = [c for c in table.columns if c not in SCHEMA]
    return table.select(*SCHEMA, *extras).rechunk()
