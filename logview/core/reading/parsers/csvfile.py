"""CSV files with a header, and Windows event exports (Event Viewer, PowerShell Export-Csv)."""

from __future__ import annotations

import csv
import functools
import io
import re
from collections.abc import Sequence

import polars as pl

from logview.core.reading import levels
from logview.core.reading.formats import Format, ParseContext, Sample
from logview.core.reading.level_numbers import WINDOWS_LEVELS, levels_of
from logview.core.reading.parsers.fields import (
    LEVEL_KEYS,
    MESSAGE_KEYS,
    TS_KEYS,
    cap_extras,
    extras_frame,
    find_key,
    level_names,
    parse_stamps,
    squeezed,
)
from logview.core.reading.parsers.terminal import PROMPT, PROMPT_RE, chrome_note
from logview.core.reading.stamp_search import detect_layout
from logview.core.reading.timestamps import read_line_stamps
from logview.core.shared.errors import LogviewError
from logview.core.shared.table import TS, empty_parsed

CSV_TS_KEYS = (*TS_KEYS, "Date and Time", "TimeCreated")
# Windows exports carry both a numeric `Level` and a `LevelDisplayName`: the name is clearer.
CSV_LEVEL_KEYS = ("LevelDisplayName", *LEVEL_KEYS)
CSV_MESSAGE_KEYS = (*MESSAGE_KEYS, "Description")
SEPARATORS = (",", ";", "\t", "|")
SAME_FIELDS_SHARE = 0.9
PREAMBLE_LINES = 60  # a header this far down the sampled lines is looked for
PREAMBLE_ROWS = 3  # records after it with the header's separator count
PREAMBLE_MIN_NAMES = 3
# Event Viewer's "Save as CSV": its last column (the message) has no name in the header.
EVENT_VIEWER_HEADER = ("Level", "Date and Time", "Source", "Event ID", "Task Category")
# Its first two names as Windows in other languages writes them (the level, the date and
# time): German, French, Spanish, Italian, Portuguese. Such a header is read as the English.
_EVENT_VIEWER_LOCALISED = {
    ("Ebene", "Datum und Uhrzeit"),
    ("Niveau", "Date et heure"),
    ("Nivel", "Fecha y hora"),
    ("Livello", "Data e ora"),
    ("Nível", "Data e Hora"),
}
# Windows PowerShell writes this line above the header unless told -NoTypeInformation.
_TYPE_LINE = "#TYPE "
# Day-first and month-first dates cannot be told apart by their shape: the format reading the
# most sampled values wins (a day 13 or above settles it), month-first (en-US, the usual export
# locale) on a tie.
WINDOWS_DATE_FORMATS = (
    "%m/%d/%Y %I:%M:%S %p",
    "%m/%d/%Y, %I:%M:%S%.f %p",  # Azure Log Analytics' export: `3/12/2024, 11:58:41.207 AM`
    "%m/%d/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %I:%M:%S %p",
    "%d.%m.%Y %H:%M:%S",
)
_DATE_SAMPLE = 500


def _strip_bom(line: str) -> str:
    return line.removeprefix("\ufeff")


def _rows(lines: Sequence[str], separator: str) -> list[list[str]]:
    # The sniffer's few sampled lines only; quoted newlines are not joined here.
    try:
        return list(csv.reader(lines, delimiter=separator, quotechar='"'))
    except csv.Error:  # a lone "\r" or a NUL inside a line: not a CSV file csv can read
        return [[]]


def _preamble(lines: Sequence[str]) -> int:
    """Return how many of the sampled lines come before the header: PowerShell's `#TYPE`
    line, or a tool's own preamble (Microsoft DHCP Server's title and legend of event ids)
    above a header of at least PREAMBLE_MIN_NAMES plausible names that the next
    PREAMBLE_ROWS non-blank lines follow with as many separators."""
    if lines and lines[0].startswith(_TYPE_LINE):
        return 1
    filled = [i for i, line in enumerate(lines) if line.strip()]
    for at, index in enumerate(filled):
        if index >= PREAMBLE_LINES:
            break
        rows = [lines[i] for i in filled[at + 1 : at + 1 + PREAMBLE_ROWS]]
        if index == 0:
            continue
        if len(rows) < PREAMBLE_ROWS:
            return 0
        line = lines[index]
        if not (line[:1].isalpha() or line[:1] == '"'):
            continue  # a header opens with a name (JSON, a stamp, a number open no header)
        for separator in SEPARATORS:
            count = line.count(separator)
            if count + 1 < PREAMBLE_MIN_NAMES or separator not in rows[0]:
                continue
            names = _rows([line], separator)[0]
            # (fields, not separators: a quoted field may hold the separator)
            if any(len(row) != len(names) for row in _rows(rows, separator)):
                continue
            if _plausible_header(names, _all_quoted(line, separator, len(names))):
                return index
    return 0


@functools.lru_cache(maxsize=8)
def _located(lines: tuple[str, ...]) -> tuple[int, str | None]:
    """Return where the header is among the sampled lines (0 when the first line is one, else
    the preamble's length, see `_preamble`) and the separator (None: no CSV header). Kept for
    the last few samples: the CSV and the Windows export sniffers, and the parser, ask alike."""
    stripped = [_strip_bom(line) for line in lines]
    separator = _separator(stripped)
    if separator is not None or not stripped:
        return 0, separator
    at = _preamble(stripped)
    return at, (_separator(stripped[at:]) if at else None)


def _header_lines(lines: Sequence[str]) -> list[str]:
    """Return the sampled lines from the header on."""
    at, _ = _located(tuple(lines))
    return [_strip_bom(line) for line in lines[at:]]


# A column name of a few capitalised words that names a time (`Receive Time`, `Date/Time`,
# `Time Logged`, Log Analytics' `TimeGenerated [UTC]`, Metasys's `Date & Time`), where a
# sentence's words are not capitalised.
_TIME_NAME = re.compile(r"^(?=.*(?:Time|TIME|Date|DATE))[A-Z]\S*(?: (?:[A-Z\[(]\S*|&)){0,2}$")


def _plausible_header(names: list[str], quoted: bool = False) -> bool:
    """Return whether `names` read as column names rather than a log line's values. Names
    with spaces need a stamp column beside them, known (`Date and Time`) or a few words
    naming a time (`Receive Time`, as a firewall's web export writes it), or every name
    quoted (as exports from Windows tools and spreadsheets write them: `"Time of Day","Process
    Name"`)."""
    spaced_ok = (
        quoted
        or find_key(names, CSV_TS_KEYS) is not None
        or any(_TIME_NAME.match(name.strip()) for name in names)
    )
    if len(names) > 2 and not names[-1].strip():
        names = names[:-1]  # a separator ending every line (HPE iLO's export) names nothing
    for name in names:
        # (`#` names a column of row numbers: SonicWall's export, `#<TAB>Time<TAB>Priority`)
        if not name.strip() or not (any(c.isalpha() for c in name) or name.strip() == "#"):
            return False
        if " " in name.strip() and not spaced_ok:
            return False
    return True


def _all_quoted(line: str, separator: str, count: int) -> bool:
    """Return whether `line` is `count` double-quoted fields and nothing else."""
    stripped = line.strip()
    if stripped.endswith(separator):
        stripped, count = stripped[: -len(separator)], count - 1  # a trailing separator
    return (
        stripped.count('"' + separator + '"') == count - 1 and stripped[:1] == stripped[-1:] == '"'
    )


def detect_separator(lines: Sequence[str]) -> str | None:
    """Return the separator of a CSV file with a header from its first lines (after a
    preamble, see `_preamble`), or None.

    The header must hold at least 2 names (without spaces, unless a known stamp column is
    among them) and at least 90% of the other lines as many fields as the header.
    """
    return _located(tuple(lines))[1]


def _separator(lines: Sequence[str]) -> str | None:
    """Return the separator of the CSV header that opens `lines` (see `detect_separator`)."""
    lines = [line for line in lines if line.strip()]
    if not lines:
        return None
    best: tuple[int, str] | None = None
    for separator in SEPARATORS:
        rows = _rows(lines, separator)
        names = rows[0]
        quoted = _all_quoted(lines[0], separator, len(names))
        if len(names) < 2 or not _plausible_header(names, quoted):
            continue
        body = rows[1:]
        if body and len(body[-1]) != len(names) and PROMPT_RE.match(lines[-1]):
            body = body[:-1]  # the prompt a terminal shows after a command's table
        same = sum(1 for row in body if len(row) == len(names))
        if body and same < SAME_FIELDS_SHARE * len(body):
            continue
        if best is None or len(names) > best[0]:
            best = (len(names), separator)
    if best is None and _spaced_table(lines):
        return " "
    return None if best is None else best[1]


# A header of names apart by single spaces (AWS VPC flow logs' files: `version account-id
# interface-id srcaddr ... start end action log-status`): only where no other separator makes
# a header, with this many names at least, each a plain word, rows of as many values, and a
# column of numbers (a table's counts; prose has none in one place).
_SPACED_MIN_NAMES = 6
_SPACED_NAME = re.compile(r"^[A-Za-z][\w.-]*$")
_NUMBER = re.compile(r"^-?\d+(?:\.\d+)?$")


def _spaced_table(lines: Sequence[str]) -> bool:
    """Return whether `lines` (blank lines aside) are a header and rows apart by single spaces
    (see _SPACED_MIN_NAMES)."""
    names = lines[0].rstrip("\r\n").split(" ")
    if len(names) < _SPACED_MIN_NAMES or not all(_SPACED_NAME.match(n) for n in names):
        return False
    body = [line.rstrip("\r\n").split(" ") for line in lines[1:]]
    rows = [row for row in body if len(row) == len(names) and all(row)]
    if not body or len(rows) < SAME_FIELDS_SHARE * len(body):
        return False
    return any(all(_NUMBER.match(row[i]) for row in rows) for i in range(len(names)))


def sniff_csv(sample: Sample) -> float:
    """Return 0.8 for a CSV file with a header (see `detect_separator`), else 0."""
    at, separator = _located(tuple(sample.lines))
    return 0.8 if separator is not None and len(sample.lines) - at >= 2 else 0.0


def _windows_kind(lines: Sequence[str]) -> tuple[str, str] | None:
    """Return ("event-viewer" or "powershell", the separator) when the header is a Windows
    event export: CSV, or Event Viewer's "Text (Tab delimited)"."""
    lines = _header_lines(lines)
    if not lines:
        return None
    for separator in (",", "\t"):
        names = [n.strip() for n in _rows(lines[:1], separator)[0]]
        if tuple(names[: len(EVENT_VIEWER_HEADER)]) == EVENT_VIEWER_HEADER or (
            len(names) == len(EVENT_VIEWER_HEADER) and tuple(names[:2]) in _EVENT_VIEWER_LOCALISED
        ):
            return "event-viewer", separator
        if "TimeCreated" in names and ("LevelDisplayName" in names or "Id" in names):
            return "powershell", separator
    return None


def sniff_windows_events(sample: Sample) -> float:
    """Return 0.95 for an Event Viewer or PowerShell (`Get-WinEvent | Export-Csv`) export."""
    return 0.95 if _windows_kind(sample.lines) else 0.0


# --- reading -------------------------------------------------------------------------------


def _head_lines(data: bytes, count: int = 200) -> list[str]:
    head = data[: 64 * 1024].decode("utf-8", errors="replace")
    return head.splitlines()[:count]


def read_records(
    data: bytes, separator: str, names: list[str] | None = None, skipped: int | None = None
) -> pl.DataFrame:
    """Return the records of a CSV document as String columns plus `_line`, its first line.

    With `names`, the header line is skipped and the columns take these names (so that a
    column the header leaves unnamed gets one). The `skipped` lines before the header are
    left out (by default, the preamble `_preamble` finds: PowerShell's `#TYPE` line, a tool's
    title). Blank lines are dropped.
    """
    text_start = data.removeprefix(b"\xef\xbb\xbf")
    if skipped is None:
        skipped = _located(tuple(_head_lines(data)))[0]
    for _ in range(skipped):
        text_start = text_start.split(b"\n", 1)[1] if b"\n" in text_start else b""
    options = {
        "infer_schema": False,
        "separator": separator,
        "quote_char": '"',
        "truncate_ragged_lines": True,
    }
    try:
        if names is None:
            frame = pl.read_csv(io.BytesIO(text_start), **options)  # type: ignore[arg-type]
        else:
            frame = pl.read_csv(
                io.BytesIO(text_start),
                has_header=False,
                skip_rows=1,
                schema={name: pl.String for name in names},
                **options,  # type: ignore[arg-type]
            )
    except pl.exceptions.NoDataError:
        return pl.DataFrame(schema={"_line": pl.UInt64})
    except pl.exceptions.PolarsError as err:
        raise LogviewError(f"cannot read as CSV: {err}") from err
    if frame.width == 0:
        return frame.with_columns(_line=pl.lit(None, dtype=pl.UInt64))
    # A record spans one line plus one per newline inside its quoted cells; the header (and
    # the #TYPE line) come first. Blank lines are null records here, so they count too.
    spans = pl.sum_horizontal(
        [pl.col(c).str.count_matches("\n").fill_null(0) for c in frame.columns]
    ) + pl.lit(1)
    first = 2 + skipped + spans.cum_sum() - spans
    return frame.with_columns(_line=first.cast(pl.UInt64)).filter(
        ~pl.all_horizontal([pl.col(c).is_null() for c in frame.columns])
    )


def windows_dates(values: pl.Series, ctx: ParseContext) -> pl.Series:
    """Return Windows export dates (`1/2/2024 3:04:05 PM`, ...) as UTC, null where unreadable.

    The one of WINDOWS_DATE_FORMATS reading the most sampled values wins (the first on a tie);
    the stamps carry no zone, so they are read in `ctx.tz` (UTC when unset) and a note says so.
    """
    present = values.drop_nulls()
    sample = present.head(_DATE_SAMPLE)
    chosen = WINDOWS_DATE_FORMATS[0]
    best = -1
    for fmt in WINDOWS_DATE_FORMATS:  # a handful of formats over a sample
        read = sample.str.strip_chars().str.to_datetime(fmt, strict=False).drop_nulls().len()
        if read > best:
            chosen, best = fmt, read
    naive = values.str.strip_chars().str.to_datetime(chosen, strict=False, time_unit="us")
    zone = ctx.tz or "UTC"
    ctx.note(f"no zone in stamps: read in {zone}" if ctx.tz else "no zone in stamps: read as UTC")
    local = naive.dt.replace_time_zone(zone, ambiguous="earliest", non_existent="null")
    return local.dt.convert_time_zone("UTC").cast(TS).rename("ts")


def _stamps(values: pl.Series, ctx: ParseContext) -> pl.Series:
    """Return a stamp column as UTC: known layouts first, Windows export dates where none fits."""
    silent: list[str] = []
    known = parse_stamps(
        values, ParseContext(ctx.source, ctx.mtime, ctx.tz, silent.append, silent.append)
    )
    readable = values.drop_nulls().len()
    if readable and known.drop_nulls().len() == 0:
        windows = windows_dates(values, ctx)
        if windows.drop_nulls().len():
            return windows
        # A line layout: a time of day alone (Process Monitor's), dated by the file.
        layout = detect_layout(values.drop_nulls().head(_STAMP_SAMPLE).to_list())
        if layout is not None:
            read = read_line_stamps(values.fill_null(""), layout, mtime=ctx.mtime, tz=ctx.tz)
            if read.ts.drop_nulls().len():
                for note in read.notes:
                    ctx.note(note)
                return read.ts.cast(TS).rename("ts")
    for note in silent:
        ctx.note(note)
    return known


def records_to_entries(
    records: pl.DataFrame,
    ctx: ParseContext,
    *,
    ts_key: str | None,
    level_key: str | None,
    message_key: str | None,
    windows: bool = False,
) -> pl.DataFrame:
    """Return the parsed frame of CSV records: the chosen columns as core, the rest as extras.

    Without a message column, `message` is the record's cells as `name=value` pairs. With
    `windows`, numeric levels are Windows levels (4 = Information), not syslog severities.
    """
    fields = records.drop("_line")
    stamp_keys = _date_and_time(fields.columns, ts_key) or (ts_key,)
    others = [c for c in fields.columns if c not in (*stamp_keys, level_key, message_key)]
    n = records.height
    if ts_key is None:
        ts = pl.Series("ts", [None] * n, dtype=TS)
    else:
        stamp = pl.concat_str([pl.col(c).str.strip_chars() for c in stamp_keys], separator=" ")
        ts = _stamps(fields.select(stamp.alias(ts_key)).to_series(), ctx)
    level = _level(pl.col(level_key), windows=windows) if level_key else pl.lit(None, pl.String)
    values = fields[level_key].str.strip_chars() if level_key and not windows else None
    if level_key and values is not None and values.str.contains(_NUMBER.pattern).any():
        # Numbers read by the convention the key and the values show (Application Insights'
        # `SeverityLevel` 0..4: an application's own scale, not syslog's), words as ever.
        numbered, how = levels_of(values, level_key, fields.columns)
        if how:
            ctx.note(how)
        level = pl.coalesce(pl.lit(numbered), level)
    if message_key:
        message = pl.col(message_key).fill_null("")
    else:
        pairs = [pl.lit(f"{c}=") + pl.col(c) for c in fields.columns]
        message = pl.concat_str(pairs, separator=" ", ignore_nulls=True)
    core = fields.select(
        pl.lit(ts).alias("ts"),
        level.alias("level"),
        records["_line"].alias("line"),
        message.alias("message"),
    )
    return core.hstack(extras_frame(cap_extras(fields.select(others), ctx)))


def _date_and_time(columns: list[str], ts_key: str | None) -> tuple[str, str] | None:
    """Return the `Date` and `Time` columns when the stamp is split over the two (Microsoft
    DHCP Server's log, many devices' exports), else None."""
    date, time = find_key(columns, ("date",)), find_key(columns, ("time",))
    if date is None or time is None or ts_key not in (date, time):
        return None
    return date, time


def _level(expr: pl.Expr, *, windows: bool) -> pl.Expr:
    """Return level text as normalised names: words, then digits as Windows or syslog levels."""
    text = expr.str.strip_chars()
    if not windows:
        return level_names(text)
    numeric = text.replace_strict(WINDOWS_LEVELS, default=None, return_dtype=pl.String)
    return pl.coalesce(numeric, level_names(text))


def _choose_keys(
    columns: list[str], records: pl.DataFrame | None = None, ctx: ParseContext | None = None
) -> tuple[str | None, str | None, str | None]:
    ts_key = find_key(columns, CSV_TS_KEYS)
    if ts_key is None and records is not None and ctx is not None:
        ts_key = _stamp_column(records, columns, ctx)
    level_key = find_key([c for c in columns if c != ts_key], CSV_LEVEL_KEYS)
    message_key = find_key([c for c in columns if c not in (ts_key, level_key)], CSV_MESSAGE_KEYS)
    return ts_key, level_key, message_key


# A column whose name says nothing is the stamp column when nearly all of its first values
# read as stamps (a tool's own export: Nextflow's `submit`, Process Monitor's `Time of Day`).
_STAMP_SAMPLE = 50
_STAMP_SHARE = 0.9
_START_NAMES = ("start", "begin", "starttime", "begintime", "startts", "epoch")
# 2001 to 2033, in seconds, milliseconds, microseconds or nanoseconds
_EPOCH = r"^\s*1\d{9}(?:\d{3}|\d{6}|\d{9})?\s*$"


# A column whose name names a time (`Date/Time`) is the stamp column where most of its values
# read: a BMC's event rows before its clock was set say `Pre-Init` there.
_NAMED_STAMP_SHARE = 0.5
_TIME_WORDS = re.compile(r"(?i:time|date)")


def _stamp_column(records: pl.DataFrame, columns: list[str], ctx: ParseContext) -> str | None:
    """Return the first column whose name names a time and whose sampled values mostly read as
    stamps, else the first whose values nearly all read as stamps, or None."""
    quiet = ParseContext(ctx.source, ctx.mtime, ctx.tz)
    named = [c for c in columns if _TIME_WORDS.search(c)]
    for name, timed in [(c, True) for c in named] + [(c, False) for c in columns]:
        share = _NAMED_STAMP_SHARE if timed else _STAMP_SHARE
        values = records[name].head(_STAMP_SAMPLE).drop_nulls()
        values = values.filter(values.str.strip_chars() != "")
        if values.len() == 0:
            continue
        if values.str.contains(r"^\s*-?\d+(?:\.\d+)?\s*$").all():
            # Plain numbers (ids, counts) are not taken for epochs by their looks, but for
            # a start's name (a flow log's `start` and `end`) or one naming a time (Cloud
            # Storage's usage logs: `time_micros`).
            if (timed or squeezed(name) in _START_NAMES) and values.str.contains(_EPOCH).all():
                return name
            continue
        read = _stamps(values, quiet).drop_nulls().len()
        if read >= share * values.len():
            return name
    return None


def _unpadded(records: pl.DataFrame, ctx: ParseContext) -> pl.DataFrame:
    """Return `records` without the padding of a table aligned in columns (`ID  | Date   |`,
    a CLI's output: names and values padded to their columns' widths), and without the
    prompt a terminal capture shows after a table (a row of one cell, see `terminal.PROMPT`:
    Check Point's `fwm logexport` in its expert shell)."""
    names = [c for c in records.columns if c != "_line"]
    if not names:
        return records
    if any(name != name.strip() for name in names):
        records = records.rename({c: c.strip() for c in names}).with_columns(
            pl.col(c.strip()).str.strip_chars() for c in names
        )
    first, rest = names[0].strip(), [c.strip() for c in names[1:]]
    prompt = pl.col(first).str.contains(PROMPT).fill_null(False) & pl.all_horizontal(
        pl.col(c).is_null() for c in rest
    )
    count = records.select(prompt.sum()).item()
    if not count:
        return records
    ctx.note(chrome_note(count))
    return records.filter(~prompt)


# A column whose name says nothing is the level column where its values are a few words, level
# words (not single letters) on half the records at least (IPMI's `State`: Nominal, Warning,
# Critical).
_LEVEL_VALUES = 8
_LEVEL_ROWS = 0.5


def _level_column(fields: pl.DataFrame, taken: Sequence[str | None]) -> str | None:
    """Return the first column (not `taken`) whose sampled values are a few distinct words,
    level words in at least half of them (two or more distinct ones), or None."""
    sample = fields.head(_STAMP_SAMPLE * 10)
    for name in fields.columns:
        if name in taken:
            continue
        values = sample[name].drop_nulls()
        if values.len() == 0 or values.n_unique() > _LEVEL_VALUES:
            continue
        # (words: a letter alone is a host's or a grade's as often as a level)
        words_only = pl.when(pl.col(name).str.len_chars() > 1).then(pl.col(name))
        found = values.to_frame().select(levels.normalise_words(words_only)).to_series()
        words = found.drop_nulls()
        if words.len() >= _LEVEL_ROWS * values.len() and words.n_unique() >= 2:
            return name
    return None


# The ULS trace log's own levels, from VerboseEx up to Critical (its Verbose is above its
# VerboseEx, a debug message; Medium is its usual information), told by its columns.
_ULS_COLUMNS = {"Area", "Category", "EventID", "Level", "Correlation"}
_ULS_LEVELS = {"VerboseEx": "TRACE", "Verbose": "DEBUG", "Medium": "INFO", "High": "WARN",
               "Monitorable": "WARN", "Unexpected": "ERROR", "Critical": "FATAL"}  # fmt: skip


def _continued(records: pl.DataFrame, ts_key: str, message_key: str | None) -> pl.DataFrame:
    """Return `records` with each row whose stamp ends in `*` joined to the row above: the
    trace log of SharePoint and Office (ULS) splits a long message over rows so marked, the
    message going on in each (its cells joined by a newline, the row above's others kept)."""
    more = records[ts_key].str.ends_with("*").fill_null(False)
    message = [pl.col(message_key).str.join("\n")] if message_key else []
    others = [pl.col(c).first() for c in records.columns if c != message_key]
    return (
        records.with_columns(_record=(~more).cum_sum())
        .group_by("_record", maintain_order=True)
        .agg(*others, *message)
        .select(records.columns)
    )


def parse_csv(data: bytes, ctx: ParseContext) -> pl.DataFrame:
    """Return one entry per CSV record; stamp, level and message columns chosen by name.

    Stamp columns: as for JSON plus `Date and Time` and `TimeCreated`; level: as for JSON;
    message: as for JSON plus `Description`. The other columns become extras. `line` is the
    line the record starts on (the header is line 1), counting newlines inside quoted cells.
    Fields past the header's count are dropped.
    """
    head = _head_lines(data)
    # Rows too irregular for the sniffer still parse when forced: the header decides then.
    separator = detect_separator(head) or _separator(_header_lines(head)[:1])
    if separator is None:
        raise LogviewError(f"{ctx.source}: no CSV header found")
    records = _unpadded(read_records(data, separator), ctx)
    if records.height == 0:
        return empty_parsed()
    fields = records.drop("_line")
    ts_key, level_key, message_key = _choose_keys(fields.columns, fields, ctx)
    if level_key is None:
        level_key = _level_column(fields, (ts_key, message_key))
    if ts_key is not None and records[ts_key].str.ends_with("*").any():
        records = _continued(records, ts_key, message_key)
    if level_key is not None and _ULS_COLUMNS <= set(fields.columns):
        records = records.with_columns(
            pl.col(level_key).str.strip_chars().replace(_ULS_LEVELS).alias(level_key)
        )
    return records_to_entries(
        records, ctx, ts_key=ts_key, level_key=level_key, message_key=message_key
    )


def parse_windows_events(data: bytes, ctx: ParseContext) -> pl.DataFrame:
    """Return one entry per exported Windows event (Event Viewer or PowerShell CSV).

    Level words Information, Warning, Error, Critical, Verbose become INFO, WARN, ERROR,
    FATAL, TRACE (numeric levels as in .evtx). Event Viewer's unnamed last column is the
    message, named `Message`; the other columns keep their names as extras.
    """
    lines = _head_lines(data)
    found = _windows_kind(lines)
    if found is None:
        raise LogviewError(f"{ctx.source}: not a Windows event CSV export")
    kind, separator = found
    names: list[str] = []
    if kind == "event-viewer":
        header = _rows(_header_lines(lines)[:1], separator)[0]
        names = [n.strip() for n in header if n.strip()]
        records = read_records(data, separator, [*names, "Message"])
    else:
        records = read_records(data, separator)
    if records.height == 0:
        return empty_parsed()
    ts_key, level_key, message_key = _choose_keys(records.drop("_line").columns)
    if tuple(names[:2]) in _EVENT_VIEWER_LOCALISED:
        # (the same columns in another language: the level first, the date and time second)
        level_key, ts_key, message_key = names[0], names[1], "Message"
    return records_to_entries(
        records, ctx, ts_key=ts_key, level_key=level_key, message_key=message_key, windows=True
    )


FORMATS: list[Format] = [
    Format(
        "windows-events-csv",
        "Windows events (CSV export)",
        sniff_windows_events,
        parse_document=parse_windows_events,
    ),
    Format("csv", "CSV with a header", sniff_csv, parse_document=parse_csv),
]
