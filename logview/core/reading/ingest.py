"""Paths into the shared table: walk sources, detect each one's format, parse, merge by time."""

from __future__ import annotations

import dataclasses
import io
import os
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import BinaryIO

import polars as pl

from logview.core.reading import header, registry
from logview.core.reading.column_cache import ColumnCache, keep, source_key, table_key
from logview.core.reading.conform import conform
from logview.core.reading.fences import fenced, fenced_sample, outside_note
from logview.core.reading.format_files import NO_USER_FORMATS, UserFormats
from logview.core.reading.formats import Format, ParseContext, Sample
from logview.core.reading.lines import (
    HEAD_BYTES,
    Encoding,
    LineReader,
    binary_reason,
    detect_encoding,
    sample_lines,
)
from logview.core.reading.parsers import text as text_parser
from logview.core.reading.source_info import (
    SourceInfo,
    SourceOverride,
    TailPoint,
    first_line_hash,
)
from logview.core.reading.sources import Limits, Member, SourceWalker
from logview.core.shared.errors import Cancelled, LogviewError
from logview.core.shared.table import (
    SCHEMA,
    empty_table,
    extra_dtype,
    merged_order,
)

# A document format (one JSON array, a CSV export, an evtx file) is parsed from memory as a whole;
# anything larger than this is refused with a message rather than risk the laptop.
MAX_DOCUMENT_BYTES = 2 * 1024 * 1024 * 1024


# What ingest is doing, in the order it starts doing it (reading and parsing then alternate
# while sources are read: a source is parsed while the next one is read).
READING = "reading"  # bytes from the files: `bytes_done` of `bytes_total` measure it
PARSING = "parsing"  # waiting for a source's parse, which says nothing until it ends
MERGING = "merging"  # the parsed sources into one table, in time order


@dataclass(frozen=True)
class Progress:
    """How far ingest has come, and at what stage: after the last byte is read, the parse of
    the last sources can be most of a load (a 63 MB gzipped JSON-lines file: 1.4 s reading,
    then 3.6 s parsing its 2M lines), and says so here."""

    bytes_done: int
    bytes_total: int
    entries: int  # of the sources parsed so far
    source: str  # the source being read, or parsed
    stage: str = READING
    sources_done: int = 0  # sources parsed (or skipped) so far
    sources: int = 0  # sources met so far: all of them once reading is over
    lines: int = 0  # physical lines of the source being parsed (0: a document, or not parsing)
    step: str = ""  # what the parse of `source` is at (PARSE_STEPS), while parsing


@dataclass(frozen=True)
class Ingested:
    """The table, what each source contributed, and every warning, one line each."""

    table: pl.DataFrame
    sources: tuple[SourceInfo, ...]
    warnings: tuple[str, ...]
    # The user's formats this load could use (a source's `format` may name one of them).
    user_formats: tuple[Format, ...] = ()
    # What the table is made of, for the column cache (None without one): what is computed
    # from the table (its patterns) can be kept under it.
    cache_key: str | None = None
    files_cached: int = 0  # files whose sources were taken from the column cache


@dataclass
class _Run:
    """State of one ingest call: the walk, the progress reporting and what was collected."""

    walker: SourceWalker
    progress: Callable[[Progress], None] | None
    cancelled: Callable[[], bool]
    user_formats: tuple[Format, ...] = ()
    entries: int = 0
    sources_done: int = 0
    sources: int = 0
    warnings: list[str] = field(default_factory=list)

    def report(self, source: str, stage: str = READING, job: _Job | None = None) -> None:
        """Say how far ingest is (`job`: the source being parsed), and stop if asked to."""
        if self.cancelled():
            raise Cancelled()
        if self.progress is not None:
            done = min(self.walker.bytes_read, self.walker.bytes_total)
            lines = job.lines.height if job is not None and job.lines is not None else 0
            self.progress(
                Progress(done, self.walker.bytes_total, self.entries, source, stage,
                         self.sources_done, self.sources, lines, job.step if job else "")
            )  # fmt: skip

    def parsed(self, job: _Job, future: Future[_Parsed]) -> _Parsed:
        """Return the parse of `job`, saying every PARSE_TICK_S that it is being parsed: the
        one parse of a large source takes seconds, with nothing else to report."""
        while not future.done():
            self.report(job.name, PARSING, job)
            wait([future], timeout=PARSE_TICK_S)
        self.sources_done += 1
        return future.result()


@dataclass
class _Job:
    """One source read into memory, waiting for its parser."""

    name: str
    path: str
    fmt: Format
    confidence: float
    encoding: Encoding
    offset: timedelta
    ctx: ParseContext
    lines: pl.DataFrame | None  # for line formats
    data: bytes | None  # for document formats
    notes: list[str]
    problems: list[str]
    tail: TailPoint | None = None
    label: str | None = None  # how it was read, when sniffing said (plain text's layout)
    step: str = ""  # what its parse is at, written by the parsing thread (PARSE_STEPS)


# Sources are read one after another (the walker streams archives in order) and parsed by
# this many threads while the next source is read; polars releases the GIL while it works.
PARSE_THREADS = 2
# How often the wait for a parse says it is still parsing (and checks for cancelling): the
# status line moves, at no more than 10 reports a second.
PARSE_TICK_S = 0.1
# The steps of a source's parse (`_parse_job`), as `Progress.step` names them: the format's
# parser, the headers learned and split off the bodies, the levels (`conform`).
PARSE_STEPS = ("parsing", "splitting headers", "reading levels")


def ingest(
    paths: Sequence[str | os.PathLike[str]],
    *,
    overrides: Mapping[str, SourceOverride] | None = None,
    tz: str | None = None,
    limits: Limits | None = None,
    progress: Callable[[Progress], None] | None = None,
    cancelled: Callable[[], bool] = lambda: False,
    preview: Callable[[pl.DataFrame], None] | None = None,
    user_formats: UserFormats | None = None,
    cache: ColumnCache | None = None,
) -> Ingested:
    """Return the merged, time-sorted table of every entry in `paths`, with per-source details.

    `preview`, if given, is called once with the first source read that has entries (in the
    table's columns, without `seq`), so that a window can show rows before the merge.
    `user_formats` (`format_files.load`) are sniffed before the built-in formats and can be
    named in `overrides`; the files that failed to load are among the warnings.

    Per-source problems (binary files, bad bytes, refused archive members, parser failures)
    become warnings; only a request where no path could be read at all raises LogviewError.
    Raises Cancelled when `cancelled()` turns true.

    With a `cache`, a file read before in the same way is taken from it instead of being
    read and parsed, and a file read now without a warning is kept in it (written in the
    background: `cache.flush()` waits for it).
    """
    overrides = overrides or {}
    user = user_formats or NO_USER_FORMATS
    limits = limits or Limits()
    walker = SourceWalker(paths, limits, cancelled=cancelled, served=lambda p, n: served(p, n))
    run = _Run(walker, progress, cancelled, user.formats)
    results: list[tuple[pl.DataFrame | None, SourceInfo]] = []
    inflight: deque[tuple[_Job, Future[_Parsed]]] = deque()
    fresh: dict[str, tuple[str, str]] = {}  # file read now -> (its cache key, its name)
    keys: list[str | None] = []  # every file's cache key, in reading order
    served_files: list[str] = []  # the keys of those taken from the cache

    previewed = preview is None

    def take(frame: pl.DataFrame | None, info: SourceInfo) -> None:
        nonlocal previewed
        results.append((frame, info))
        if frame is None:
            return
        run.entries += frame.height
        if not previewed and frame.height:
            previewed = True
            assert preview is not None
            preview(frame)

    def collect(job: _Job, future: Future[_Parsed]) -> None:
        frame, info, problems = run.parsed(job, future)
        run.warnings.extend(_source_warning(info.name, p) for p in problems)
        take(frame, info)

    def served(path: Path, name: str) -> bool:
        """Take a file's sources from the cache, if it has them (see `source_key`)."""
        if cache is None:
            return False
        keys.append(key := source_key(path, name, overrides, tz, limits, user.digest))
        if key is None:
            return False
        hit = cache.get(key)
        if hit is None:
            fresh[str(path)] = (key, name)
            return False
        while inflight:  # what was read before it comes before it
            collect(*inflight.popleft())
        for frame, info in hit.sources:
            run.sources += 1
            run.sources_done += 1
            take(frame, info)
        served_files.append(key)
        return True

    with ThreadPoolExecutor(PARSE_THREADS, thread_name_prefix="logview-parse") as pool:
        try:
            for member in walker:
                run.report(member.name)
                override = overrides.get(member.name, SourceOverride())
                job = _read_source(member, override, tz or None, run)
                if isinstance(job, SourceInfo):
                    results.append((None, job))
                    run.sources += 1
                    run.sources_done += 1
                    continue
                # Parse results are kept in reading order; at most PARSE_THREADS sources wait
                # in memory as raw lines.
                for part in split_source(job, overrides, tz or None, run.user_formats):
                    inflight.append((part, pool.submit(_parse_job, part)))
                    run.sources += 1
                    while len(inflight) > PARSE_THREADS or (inflight and inflight[0][1].done()):
                        collect(*inflight.popleft())
                run.report(member.name)
            while inflight:
                collect(*inflight.popleft())
        except BaseException:
            for _job, future in inflight:
                future.cancel()
            raise
    infos = [info for _, info in results]
    warnings = [*walker.warnings, *run.warnings]
    if cache is not None:
        keep(cache, fresh, results, warnings)
        warnings += cache.take_warnings()
    if not infos and warnings and len(warnings) >= len(paths):
        raise LogviewError(warnings[0])
    frames = [frame for frame, _ in results if frame is not None and frame.height]
    warnings = [*user.problems, *warnings]
    run.report("", MERGING)
    table = _merge(frames)
    return Ingested(
        table, tuple(infos), tuple(warnings), user.formats, table_key(keys), len(served_files)
    )


def _source_warning(source: str, message: str) -> str:
    """Return a warning line about `source` (messages from the walker already name it)."""
    return message if message.startswith(source) else f"{source}: {message}"


def _skipped(member: Member, reason: str, run: _Run, encoding: str = "") -> SourceInfo:
    """Return the SourceInfo of a source that was not read, and warn about it."""
    run.warnings.append(
        _source_warning(
            member.name, reason if reason.startswith(member.name) else f"skipped: {reason}"
        )
    )
    return SourceInfo(
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


def _read_source(
    member: Member, override: SourceOverride, default_tz: str | None, run: _Run
) -> _Job | SourceInfo:
    """Return one source read into memory with its format chosen, or why it was skipped."""
    try:
        head = _read_head(member.stream)
    except Cancelled:
        raise
    except LogviewError as err:
        return _skipped(member, str(err), run)
    except OSError as err:
        return _skipped(member, f"cannot read: {err.strerror or err}", run)

    extra = run.user_formats
    fmt: Format | None = None
    label: str | None = None
    if override.format:
        try:
            fmt = registry.by_name(override.format, extra)
        except LogviewError as err:  # a user format whose file is gone or now fails to load
            run.warnings.append(_source_warning(member.name, f"{err}; format detected instead"))
    confidence = 1.0
    report = False  # a report around a fenced log (`fences`)
    if fmt is None:
        found = registry.sniff(Sample(member.name, head, ()), binary_only=True, extra=extra)
        if found is not None:
            fmt, confidence = found.format, found.confidence
    encoding = Encoding("binary")
    if fmt is None or not fmt.binary:
        reason = binary_reason(head)
        if reason and fmt is None:
            return _skipped(member, reason, run)
        encoding = detect_encoding(head)
        if fmt is None:
            shown = sample_lines(head, encoding)
            # (a log pasted into a report is sniffed as the log its fences hold)
            sample = Sample(member.name, head, fenced_sample(shown))
            report = sample.lines != shown
            found = registry.sniff(sample, extra=extra)
            if found is None:  # cannot happen while plain text is registered; be explicit
                return _skipped(member, "no format recognised", run)
            fmt, confidence = found.format, found.confidence
            if fmt.name == "text":  # the layout sniffing found, without detecting it again
                label = text_parser.describe(sample)
    notes: list[str] = []
    problems: list[str] = []
    if encoding.name not in ("utf-8", "binary"):
        notes.append(f"decoded from {encoding.name}")

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
    lines = data = tail = None
    try:
        if fmt.parse_document is not None:
            data = head + _read_rest(member.stream, member.name, run)
            if not fmt.binary and not encoding.is_utf8:
                data = data[encoding.bom :].decode(encoding.name, errors="replace").encode()
            elif encoding.bom:
                data = data[encoding.bom :]
        else:
            reader = LineReader(
                encoding,
                on_read=lambda: run.report(member.name),
                cancelled=run.cancelled,
            )
            lines = reader.read(member.stream, head)
            for problem in reader.problems:
                warn(problem)
            notes.extend(reader.notes)
            if report and (keep := fenced(lines["text"])) is not None:
                notes.append(outside_note(lines.height - int(keep.sum())))
                lines = lines.filter(keep)
            tail = _tail_point(member, head, encoding, reader)
    except Cancelled:
        raise
    except LogviewError as err:
        return _skipped(member, str(err), run, encoding.name)
    return _Job(
        member.name,
        str(member.path),
        fmt,
        confidence,
        encoding,
        override.offset,
        ctx,
        lines,
        data,
        notes,
        problems,
        tail,
        label,
    )


def _label(job: _Job) -> str:
    """Return how a source was read, for people: its format's label, and for plain text how
    its lines carry their stamps ("Text, ISO 8601 stamps after a host")."""
    if job.label is not None:
        return job.label
    if job.fmt.name != "text" or job.lines is None:
        return job.fmt.label
    head = job.lines["text"].head(_LABEL_LINES).to_list()
    return text_parser.describe(Sample(job.name, b"", tuple(line for line in head if line)))


_LABEL_LINES = 200


def split_source(
    job: _Job,
    overrides: Mapping[str, SourceOverride],
    default_tz: str | None,
    user_formats: Sequence[Format] = (),
) -> list[_Job]:
    """Return the sources a read source holds: itself, or one per part when its format is
    several sources in one (docker compose's services). A part is named `<source>/<part>`,
    keeps the source's line numbers, is read by the format its own lines have (or its
    override) and cannot be followed; the source's problems are reported once, on its first
    part."""
    if job.fmt.split_lines is None or job.lines is None:
        return [job]
    try:
        parts = job.fmt.split_lines(job.lines, job.ctx.note)
    except Exception as err:  # noqa: BLE001 - as in parse_source: the format, not the source
        reason = f"{type(err).__name__}: {err}".split("\n", 1)[0]
        job.ctx.warn(f"could not split as {job.fmt.label} ({reason}); read as plain text")
        return [dataclasses.replace(job, fmt=registry.by_name("text"))]
    if not parts:
        return [job]
    jobs = []
    for i, (suffix, lines) in enumerate(parts):
        name = f"{job.name}/{suffix}"
        override = overrides.get(name, SourceOverride())
        if override.format:
            fmt, confidence = registry.by_name(override.format, user_formats), 1.0
        else:
            head = lines["text"].head(1000)
            sample = tuple(head.filter(head.str.strip_chars() != "").head(200).to_list())
            found = registry.sniff_lines(
                Sample(name, "\n".join(sample).encode(), sample), user_formats
            )
            fmt = found.format if found else registry.by_name("text")
            confidence = found.confidence if found else 0.1
        notes = list(job.notes)
        problems = list(job.problems) if i == 0 else []

        def warn(message: str, notes: list[str] = notes, problems: list[str] = problems) -> None:
            problems.append(message)
            notes.append(message)

        ctx = ParseContext(
            source=name,
            mtime=job.ctx.mtime,
            tz=override.tz or default_tz,
            warn=warn,
            note=notes.append,
        )
        jobs.append(
            _Job(
                name,
                job.path,
                fmt,
                confidence,
                job.encoding,
                override.offset or job.offset,
                ctx,
                lines,
                None,
                notes,
                problems,
            )
        )
    return jobs


def _tail_point(
    member: Member, head: bytes, encoding: Encoding, reader: LineReader
) -> TailPoint | None:
    """Return where a plain file's reading stopped, or None when it cannot be followed (an
    archive member, a compressed file, or an encoding where a newline is not the byte 0x0A)."""
    if member.layers or not "\n\n".encode(encoding.name).endswith(b"\n\n"):
        return None
    try:
        stat = os.stat(member.path)
    except OSError:
        return None
    first_hash, first_len = first_line_hash(head)
    return TailPoint(
        reader.bytes_read, reader.lines_read, stat.st_dev, stat.st_ino, first_hash, first_len
    )


_Parsed = tuple[pl.DataFrame, SourceInfo, list[str]]


def _parse_job(job: _Job) -> _Parsed:
    """Return the parsed, conformed frame of a source, what was learned of it, its problems;
    `job.step` says which of PARSE_STEPS it is at, for the thread waiting to report it."""
    parsing, headers, levels = PARSE_STEPS
    try:
        job.step = parsing
        parsed = _parse(job)
    except LogviewError as err:
        reason = str(err)
        info = SourceInfo(
            job.name,
            job.path,
            "skipped",
            "Skipped",
            0.0,
            0,
            None,
            None,
            job.encoding.name,
            (*job.notes, reason),
        )
        return pl.DataFrame(schema=SCHEMA), info, [*job.problems, f"skipped: {reason}"]
    job.step = headers
    parsed, found = header.learn_and_split(parsed)
    job.step = levels
    frame = conform(
        parsed,
        job.name,
        job.offset,
        infer_levels=not job.fmt.levels_from_text,
        words=job.fmt.levels_from_words,
    )
    first, last = _span(frame)
    info = SourceInfo(
        job.name,
        job.path,
        job.fmt.name,
        _label(job),
        job.confidence,
        frame.height,
        first,
        last,
        job.encoding.name,
        tuple(job.notes),
        job.tail,
        found,
    )
    return frame, info, job.problems


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


def _parse(job: _Job) -> pl.DataFrame:
    """Return what the job's parser makes of the source (see `parse_source`)."""
    return parse_source(job.fmt, job.ctx, job.lines, job.data)


def parse_source(
    fmt: Format, ctx: ParseContext, lines: pl.DataFrame | None, data: bytes | None = None
) -> pl.DataFrame:
    """Return what `fmt` makes of a source's `lines` (or, for a document format, its `data`);
    plain text when that parser fails.

    A parser that raises on unexpected input must cost the user a format, not the source: the
    lines are then read as plain text and a note says why.
    """
    try:
        if data is not None:
            assert fmt.parse_document is not None
            return fmt.parse_document(data, ctx)
        assert fmt.parse_lines is not None and lines is not None
        return fmt.parse_lines(lines, ctx)
    except Cancelled:
        raise
    except Exception as err:  # noqa: BLE001 - see docstring
        # A parser's own LogviewError ("cannot read as CSV: ...") costs the format too.
        reason = str(err) if isinstance(err, LogviewError) else f"{type(err).__name__}: {err}"
        reason = reason.split("\n", 1)[0]  # polars' messages go on with advice for programmers
        if fmt.binary or fmt.name == "text":
            if isinstance(err, LogviewError):
                raise
            raise LogviewError(f"could not read as {fmt.label}: {reason}") from err
        ctx.warn(f"could not read as {fmt.label} ({reason}); read as plain text")
        if lines is None:
            lines = LineReader(Encoding("utf-8")).read(io.BytesIO(data or b""))
        return registry.by_name("text").parse_lines(lines, ctx)  # type: ignore[misc]


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


def _span(frame: pl.DataFrame) -> tuple[datetime | None, datetime | None]:
    """Return the first and last stamp of a frame (None when it has none)."""
    if frame.height == 0:
        return None, None
    stamps = frame["ts"]
    return stamps.min(), stamps.max()  # type: ignore[return-value]


def _merge(frames: list[pl.DataFrame]) -> pl.DataFrame:
    """Return the frames as one table, each source's rows together, with their time order in `seq`.

    The order is a stable sort on the stamp. An entry without a stamp keeps its place after the
    stamped entry before it in its own source (its sort key is the last stamp above it, or the
    first below it at the top). Sources with no stamp at all come last, in reading order.
    """
    if not frames:
        return empty_table()
    seq = merged_order([f["ts"] for f in frames])
    # Every column gets one chunk per source, at the same boundaries in every column: when
    # chunks do not line up, polars rechunks the whole frame on the next select, which costs
    # time and turns the absent fields of other sources into 16 bytes of nulls per row. The
    # null columns added here are allocated lazily and cost nothing until written.
    extras: dict[str, None] = {}
    for frame in frames:
        extras.update((c, None) for c in frame.columns if c not in SCHEMA)
    parts, start = [], 0
    for frame in frames:
        missing = [
            pl.lit(None, dtype=extra_dtype(c)).alias(c) for c in extras if c not in frame.columns
        ]
        part = frame.rechunk().with_columns(*missing, seq=seq.slice(start, frame.height))
        parts.append(part.select(*SCHEMA, *extras))
        start += frame.height
    frames.clear()
    return pl.concat(parts, how="vertical", rechunk=False)
