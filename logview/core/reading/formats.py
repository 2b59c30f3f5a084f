"""Format sniffing: which parser reads a source, chosen from a sample of its lines.

Every format is a `Format`: a `sniff` function that scores a `Sample` from 0 to 1 and a
parser. The formats are tried in order and the best score wins (the first on a tie), as
Toolong does; plain text is the fallback and always scores above zero.

Confidence scale, so that formats compose:
- 0.95-1.0: a signature that cannot be anything else (a CloudWatch export header, evtx magic,
  Docker json-file keys, MongoDB's `t.$date`, `msg=audit(`, a W3C `#Fields:` directive);
- 0.8-0.9: a structured format that parses nearly every sampled line (JSON lines, CSV with a
  header, logfmt, syslog with priority, access log), or a server's own header on most lines
  (logcat, PostgreSQL, Redis, glog, Tomcat, MySQL, Cisco's `%ASA-4-106023:`, docker compose's
  service prefixes): above plain text, which reads the same lines by their stamp alone; a
  user's format reading 80-100% of the lines that can start an entry scores 0.8-0.95
  (`userformats`), and one whose globs match the source's name is taken without sniffing;
- 0.5-0.7: plain text whose lines start with a recognised timestamp;
- 0.1: plain text with no timestamp (the fallback).
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import polars as pl

from logview.core.reading.timestamps import Layout
from logview.core.shared.regex import ascii_classes


@dataclass(frozen=True)
class Sample:
    """What a sniffer sees of a source."""

    name: str  # the source's name (file or member path), for extension hints
    head: bytes  # the first bytes (up to 64 KiB) as read, before text decoding
    lines: tuple[str, ...]  # the first lines (up to 200, empty ones skipped), decoded


@dataclass(frozen=True)
class ParseContext:
    """What a parser may know about its source besides the text."""

    source: str
    mtime: float | None = None  # seconds since the epoch; year for year-less stamps
    tz: str | None = None  # IANA zone for stamps that carry none; None means UTC
    # A problem the user should see among the warnings (fields dropped, records damaged).
    warn: Callable[[str], None] = lambda message: None
    # An assumption the parser made (the year or zone of stamps that carry none): shown with
    # the source, not raised as a warning.
    note: Callable[[str], None] = lambda message: None
    # The stamp layout of plain text when already known (following a file: a few appended
    # lines are read the way the whole file was, not detected again on their own).
    layout: Layout | None = None


# A line parser takes `line` (UInt64, 1-based) and `text` (String) columns, one row per
# physical line, and returns one row per entry with the columns of table.PARSED_SCHEMA
# (`ts`, `level` as a normalised name or null, `line`, `message`) plus String extra columns.
LineParser = Callable[[pl.DataFrame, ParseContext], pl.DataFrame]
# A document parser takes the whole source (decoded to UTF-8 unless Format.binary) and returns
# the same frame; `line` is then the 1-based record number where there are no lines.
DocumentParser = Callable[[bytes, ParseContext], pl.DataFrame]


@dataclass(frozen=True)
class Format:
    """A log format: how to recognise it and how to read it."""

    name: str  # stable id, e.g. "jsonl"; what users pass to override detection
    label: str  # shown in the sources panel, e.g. "JSON lines"
    sniff: Callable[[Sample], float]
    parse_lines: LineParser | None = None
    parse_document: DocumentParser | None = None
    binary: bool = False  # reads raw bytes (e.g. evtx): no text decoding, no line splitting
    # The parser looks for levels in the text itself (plain text, syslog): entries it gave none
    # have none to find, and are not searched again (see conform.conform).
    levels_from_text: bool = False
    # Entries still without a level take the one their message's words say, marked as
    # inferred (`level_words`); false where bodies are not prose (a slow log's SQL, audit
    # records' key=value pairs), whose words say nothing about severity.
    levels_from_words: bool = True
    # Several sources in one (docker compose's interleaved services): the lines of each part,
    # named, which ingest reads as sources of their own (`ingest.split_source`); the callable
    # given notes what the split left out.
    split_lines: (
        Callable[[pl.DataFrame, Callable[[str], None]], list[tuple[str, pl.DataFrame]]] | None
    ) = None
    # Globs of the source names this format reads outright, without sniffing (`app-*.log`
    # for the base name, `*/nginx/*.log` for the whole name): user formats say so.
    globs: tuple[str, ...] = ()
    origin: str = ""  # the file a user format was loaded from; "" for the built-in ones


@dataclass(frozen=True)
class Detection:
    """The format chosen for a source, and how sure the sniffer was."""

    format: Format
    confidence: float


# A continuation line's mark in most line formats: it starts with white space. The regex for
# polars, and compiled for Python's `re` (sniffing).
INDENTED = ascii_classes(r"^\s")
INDENTED_RE = re.compile(INDENTED)

# Sniffing runs every format on every source: a format none of whose first lines match is
# given up without reading the rest (a file whose format only starts after this many lines of
# something else is read as that something else).
EARLY_LINES = 40


def line_share(
    sample: Sample, *starts: re.Pattern[str], skip: re.Pattern[str] | None = None
) -> float:
    """Return the share of sampled lines that one of `starts` matches at their start, among
    those that `skip` does not match (continuation lines: stack frames, a query's lines); 0
    when none of the first EARLY_LINES lines does.

    Python's `re` over at most a sample's 200 lines: a polars regex would be compiled on each
    call, which costs more than the matching (a few ms a source, for every format)."""

    def considered(lines: Sequence[str]) -> list[str]:
        return [line for line in lines if skip is None or not skip.match(line)]

    def matches(line: str) -> bool:
        return any(start.match(line) for start in starts)

    if not any(matches(line) for line in considered(sample.lines[:EARLY_LINES])):
        return 0.0
    lines = considered(sample.lines)
    return sum(1 for line in lines if matches(line)) / len(lines)


def matches_name(globs: Sequence[str], name: str) -> bool:
    """Return whether a source called `name` matches one of `globs`: a glob without `/` is
    matched against the base name, one with `/` against the whole name."""
    base = name.rsplit("/", 1)[-1]
    return any(fnmatch.fnmatch(name if "/" in glob else base, glob) for glob in globs)
