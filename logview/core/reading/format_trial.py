"""How a user format reads a file, line by line: what `logview formats test` shows.

Every line is read at once (`userformats.read_lines`, the parser's own pass); only the lines
shown and the first lines not read are described one by one, each with why: how far the regex
got and which part of it did not match, or which part of the stamp layout did not fit.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import polars as pl

from logview.core.reading.formats import ParseContext
from logview.core.reading.lines import HEAD_BYTES, LineReader, binary_reason, detect_encoding
from logview.core.reading.sources import SourceWalker
from logview.core.reading.stamp_layouts import StampLayout
from logview.core.reading.userformats import (
    AUTO,
    UNMATCHED,
    Reader,
    joins,
    read_lines,
    reader_field_names,
)
from logview.core.shared.errors import LogviewError
from logview.core.shared.regex_parts import top_level_atoms

SHOWN_LINES = 20
SHOWN_FAILURES = 5

# What became of a line.
ENTRY = "entry"  # starts an entry, its stamp read
NO_STAMP = "entry, stamp unread"  # starts an entry, but the layout did not read its stamp
JOINS = "joins above"  # joins the entry above (the multi-line rule)
ALONE = "not read"  # the regex does not read it and it joins nothing: an entry without time
BLANK = "blank"


@dataclass(frozen=True)
class LineReading:
    """One line as the format reads it."""

    line: int
    text: str
    status: str  # ENTRY, NO_STAMP, JOINS, ALONE or BLANK
    ts: datetime | None
    level: str | None  # normalised
    level_text: str | None  # as written
    fields: tuple[tuple[str, str], ...]  # (name, value) of the fields it has
    body: str
    reason: str  # why it is not read ("" when it is)


@dataclass(frozen=True)
class Trial:
    """A format tried on a file: counts over every line, and the lines described."""

    file: str
    lines: int  # physical lines, blank ones included
    entries: int  # lines the regex reads
    stamped: int  # of which the stamp was read
    joined: int  # lines joining the entry above
    unread: int  # non-blank lines neither read nor joined
    unmatched: int  # non-blank lines the regex does not read (joined or not)
    shown: tuple[LineReading, ...]  # the first lines
    failures: tuple[LineReading, ...]  # the first lines the regex or the layout did not read
    notes: tuple[str, ...]  # assumed year or zone, problems reading the file


def read_file_lines(path: str | os.PathLike[str]) -> tuple[pl.DataFrame, list[str]]:
    """Return the lines (`line`, `text`) of one log file (compressed is fine), and notes.

    Raises LogviewError when it cannot be read as text.
    """
    walker = SourceWalker([path])
    for member in walker:
        head = b""
        while len(head) < HEAD_BYTES:
            part = member.stream.read(HEAD_BYTES - len(head))
            if not part:
                break
            head += part
        reason = binary_reason(head)
        if reason:
            raise LogviewError(f"cannot read {member.name}: {reason}")
        reader = LineReader(detect_encoding(head))
        lines = reader.read(member.stream, head)
        return lines, [*walker.warnings, *reader.problems]
    raise LogviewError(walker.warnings[0] if walker.warnings else f"nothing to read in {path}")


def trial(reader: Reader, path: str | os.PathLike[str], *, shown: int = SHOWN_LINES) -> Trial:
    """Return how `reader` reads the file at `path`: counts, the first `shown` lines, and the
    first lines it does not read with the reason."""
    lines, notes = read_file_lines(path)
    ctx = ParseContext(str(path), mtime=_mtime(path), note=notes.append, warn=notes.append)
    text = lines["text"]
    # The trial's own columns start with `_`, as no field's name does.
    read = read_lines(reader, text, ctx).with_columns(
        _line=lines["line"], _text=text, _blank=text.str.strip_chars() == ""
    )
    read = read.with_columns(
        _status=pl.when(pl.col("_blank"))
        .then(pl.lit(BLANK))
        .when(pl.col("_matched") & pl.col("ts").is_not_null())
        .then(pl.lit(ENTRY))
        .when(pl.col("_matched"))
        .then(pl.lit(NO_STAMP))
        .when(joins(reader, pl.col("_text")).fill_null(False) & pl.col("_matched").cum_sum().gt(0))
        .then(pl.lit(JOINS))
        .otherwise(pl.lit(ALONE))
    )
    counts = read["_status"].value_counts()
    count = dict(zip(counts["_status"].to_list(), counts["count"].to_list(), strict=True))
    failing = read.filter(pl.col("_status").is_in([NO_STAMP, ALONE]) | _unmatched_join(reader))
    return Trial(
        file=str(path),
        lines=read.height,
        entries=count.get(ENTRY, 0) + count.get(NO_STAMP, 0),
        stamped=count.get(ENTRY, 0),
        joined=count.get(JOINS, 0),
        unread=count.get(ALONE, 0),
        unmatched=read.filter(~pl.col("_matched") & ~pl.col("_blank")).height,
        shown=tuple(_describe(reader, row) for row in read.head(shown).iter_rows(named=True)),
        failures=tuple(
            _describe(reader, row) for row in failing.head(SHOWN_FAILURES).iter_rows(named=True)
        ),
        notes=tuple(dict.fromkeys(notes)),
    )


def _unmatched_join(reader: Reader) -> pl.Expr:
    """Return whether a line joined the entry above only because the regex missed it: under
    the "unmatched" rule every line it misses joins, so a line that looks like an entry start
    (not indented) is worth showing."""
    if reader.spec.continuation != UNMATCHED:
        return pl.lit(False)
    return (pl.col("_status") == JOINS) & ~pl.col("_text").str.contains(r"^\s")


def _mtime(path: str | os.PathLike[str]) -> float | None:
    try:
        return Path(path).stat().st_mtime
    except OSError:
        return None


def _describe(reader: Reader, row: dict) -> LineReading:
    """Return one line's reading, with the reason when it is not read."""
    names = reader_field_names(reader)
    fields = tuple((n, row[n]) for n in names if row.get(n) is not None)
    text = row["_text"]
    body = text[row["body_at"] :] if row["body_at"] is not None else ""
    reason = ""
    if row["_status"] in (ALONE, JOINS) and not row["_matched"]:
        reason = regex_reason(reader, text)
    elif row["_status"] == NO_STAMP:
        reason = stamp_reason(reader.stamp, row["_stamp"], reader.spec.layout)
    return LineReading(
        row["_line"],
        text,
        row["_status"],
        row["ts"],
        row["level"],
        row["_level_text"],
        fields,
        body,
        reason,
    )


def regex_reason(reader: Reader, text: str) -> str:
    """Return why the format's regex does not read `text`: how far its top-level parts match,
    and the part that does not."""
    regex = reader.spec.regex
    atoms = top_level_atoms(regex)
    if not atoms:
        return "the regex does not match"
    got, end = _longest_prefix(regex, [a[1] for a in atoms], text)
    if got == len(atoms):  # every part matches on its own terms, not together
        return f"the regex does not match: found {_found(text, end)}"
    # A run of plain characters (` | `) is named whole, from where it starts.
    while got > 0 and _literal_run(regex, atoms[got - 1 : got + 1]) == 2:
        got -= 1
    if got and _literal(regex[atoms[got][0] : atoms[got][1]]) is not None:
        end = _match_length(regex[: atoms[got - 1][1]], text)
    part = _part_name(regex, atoms[got:])
    where = "at the line start" if got == 0 else f"after column {end}"
    return f"{part} does not match {where}: found {_found(text, end if got else 0)}"


def _found(text: str, at: int) -> str:
    rest = text[at : at + 30]
    return repr(rest) if rest else "the end of the line"


def _literal_run(regex: str, atoms: list[tuple[int, int]]) -> int:
    """Return how many of `atoms`, from the first, are plain characters."""
    count = 0
    for start, end in atoms:
        if _literal(regex[start:end]) is None:
            break
        count += 1
    return count


def stamp_reason(layout: StampLayout | None, stamp: str | None, written: str) -> str:
    """Return why the stamp text was not read with the layout: the piece of the layout that
    does not fit it, or that it fits but is no real date."""
    if stamp is None:
        return "no stamp: the ts group matched nothing"
    if layout is None:
        return f"no known stamp layout reads {stamp[:40]!r} (layout {AUTO}): give one"
    stamp = stamp.strip()
    pieces = layout.pieces
    ends = [sum(len(r) for _, r in pieces[: i + 1]) for i in range(len(pieces))]
    regex = "".join(r for _, r in pieces)
    got, end = _longest_prefix(regex, ends, stamp)
    if got == len(pieces):
        if end < len(stamp):
            return f"stamp {stamp[:40]!r}: {stamp[end:][:20]!r} is left after {written!r}"
        return f"stamp {stamp[:40]!r} fits {written!r} but is not a real date and time"
    piece = pieces[got][0]
    what = piece if piece.startswith("%") else repr(piece)
    after = ""
    if got:
        start = _match_length(regex[: ends[got - 2]], stamp) if got > 1 else 0
        after = f"after {stamp[start:end]!r} ({pieces[got - 1][0]}), "
    return (
        f"stamp {stamp[:40]!r} does not fit {written!r}: "
        f"{after}{what} does not match {stamp[end:][:20]!r}"
    )


def _longest_prefix(regex: str, ends: list[int], text: str) -> tuple[int, int]:
    """Return how many leading parts of `regex` (cut at `ends`) match the start of `text`, and
    the length they match. Tried from the whole regex down; a cut that is no valid regex is
    passed over."""
    for count in range(len(ends), 0, -1):
        length = _match_length(regex[: ends[count - 1]], text)
        if length is not None:
            return count, length
    return 0, 0


def _match_length(regex: str, text: str) -> int | None:
    """Return how much of the start of `text` `regex` matches (None: no match, or no regex)."""
    try:
        match = pl.Series([text], dtype=pl.String).str.extract(f"^((?:{regex}))", 1)[0]
    except pl.exceptions.PolarsError:
        return None
    return None if match is None else len(match)


def _part_name(regex: str, atoms: list[tuple[int, int]]) -> str:
    """Return how to name the first of `atoms` for people: its group, or the literal text it
    starts (a run of plain characters), or the part itself."""
    start, end = atoms[0]
    piece = regex[start:end]
    for prefix in ("(?P<", "(?<"):
        if piece.startswith(prefix):
            return f"group {piece[len(prefix) : piece.index('>')]!r}"
    literal = ""
    for start, end in atoms:
        char = _literal(regex[start:end])
        if char is None:
            break
        literal += char
    return f"the text {literal!r}" if literal else f"{piece[:40]!r}"


def _literal(piece: str) -> str | None:
    """Return the one character a regex part stands for, or None when it is no plain one."""
    if len(piece) == 1 and piece not in ".^$*+?()[]{}|":
        return piece
    if len(piece) == 2 and piece[0] == "\\" and not piece[1].isalnum():
        return piece[1]
    return None
