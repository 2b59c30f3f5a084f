"""Shared by the line formats whose entries start with a header one regex reads (logcat,
Tomcat, MySQL, PostgreSQL, Redis, glog, ...): sniffing by share of lines, entries from start
lines, levels from a format's own words, stamps rewritten into a layout `timestamps` reads, and
the lines around a log that are no entries (a tool's markers, and a terminal session's prompts
and headers: `terminal`), which plain text leaves out too.

Stamps: each format writes its stamp its own way (`03-17 16:13:38.811`, `06-Mar-2023
18:34:17.383`, `161209 14:18:50`). The parsers cut the parts out with their own regex and
write them back as ISO 8601 (`iso_text`) or, when the format gives no year, in the syslog
layout (`month_day_text`), which `timestamps.parse_stamp_column` reads with its year rule
(the file's date, a year back at each wrap of the date) and its zone rule, and notes what it assumed.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping

import polars as pl

from logview.core.reading import zones
from logview.core.reading.entries import cap_text, join_continuations
from logview.core.reading.formats import (
    INDENTED,
    ParseContext,
    Sample,
)
from logview.core.reading.parsers.fields import parse_stamps
from logview.core.reading.parsers.terminal import frame_stamps, session_frame, terminal_chrome
from logview.core.reading.stamp_forms import MONTHS
from logview.core.reading.stamp_search import read_other_stamps
from logview.core.shared.body import BODY_KIND, TEXT
from logview.core.shared.regex import ascii_classes
from logview.core.shared.table import BODY_COLUMNS, TS, empty_parsed

# Month names by number, for the syslog layout (`stamp_forms.MONTHS` is the one table).
_MONTH_NAMES = {number: name.title() for name, number in MONTHS.items()}


@functools.lru_cache(maxsize=4)
def _joined(lines: tuple[str, ...]) -> str:
    return "\n".join(lines)


def sample_text(sample: Sample) -> str:
    """Return the sampled lines as one text, for a format's signature (one search over it
    costs less than a regex per line)."""
    return _joined(sample.lines)


def scored(share: float, confidence: float, threshold: float = 0.6) -> float:
    """Return `confidence` when `share` reaches `threshold`, else 0: below it the file is more
    likely another format's (plain text, which scores 0.5-0.7, then reads it)."""
    return confidence if share >= threshold else 0.0


def map_levels(expr: pl.Expr, mapping: Mapping[str, str]) -> pl.Expr:
    """Return a format's own level words or letters (`mapping` keys, matched as written and
    in lower case) as normalised level names, null for any other value."""
    table = {**{k.lower(): v for k, v in mapping.items()}, **mapping}
    text = expr.cast(pl.String).str.strip_chars()
    exact = text.replace_strict(table, default=None, return_dtype=pl.String)
    lower = text.str.to_lowercase().replace_strict(table, default=None, return_dtype=pl.String)
    return pl.coalesce(exact, lower)


def _two(expr: pl.Expr) -> pl.Expr:
    return expr.cast(pl.String).str.strip_chars().str.zfill(2)


def iso_text(
    year: pl.Expr,
    month: pl.Expr,
    day: pl.Expr,
    time: pl.Expr,
    zone: pl.Expr | None = None,
) -> pl.Expr:
    """Return stamps as ISO 8601 text from their parts: `time` is `H:MM:SS` with an optional
    fraction (`.` or `,`), `zone` an offset such as `+01:00` or `Z` (none: the zone is the
    reader's). Null where a part is null."""
    clock = time.str.strip_chars()
    clock = pl.when(clock.str.contains(r"^[0-9]:")).then("0" + clock).otherwise(clock)
    parts = [year.cast(pl.String), pl.lit("-"), _two(month), pl.lit("-"), _two(day), pl.lit("T")]
    parts.append(clock.str.replace(",", ".", literal=True))
    if zone is not None:
        parts.append(zone.fill_null(""))
    return pl.concat_str(parts)


def month_day_text(month: pl.Expr, day: pl.Expr, time: pl.Expr) -> pl.Expr:
    """Return year-less stamps in the syslog layout (`Mar 17 16:13:38.811`), which the stamp
    reader gives a year by its year rule. `month` is a number 1-12 (null otherwise)."""
    name = month.cast(pl.Int32, strict=False).replace_strict(
        _MONTH_NAMES, default=None, return_dtype=pl.String
    )
    clock = time.str.strip_chars().str.replace(",", ".", literal=True)
    return pl.concat_str([name, pl.lit(" "), _two(day), pl.lit(" "), clock])


def month_number(name: pl.Expr) -> pl.Expr:
    """Return a month's English name or abbreviation as its number (null otherwise)."""
    return (
        name.str.slice(0, 3)
        .str.to_lowercase()
        .replace_strict(MONTHS, default=None, return_dtype=pl.Int32)
    )


def zone_table(written: pl.Series, ctx: ParseContext) -> dict[str, int]:
    """Return the offsets (minutes, keyed in lower case) of the zone abbreviations a source's
    stamps carry (`written`, PostgreSQL's `%m`, WebLogic's, Cisco's), read by the one rule of
    `zones.offsets_for`: an abbreviation of several zones is read as stated in a note."""
    names = written.drop_nulls().str.strip_chars().str.to_uppercase().unique()
    table, notes = zones.offsets_for(names, ctx.tz)
    for note in notes:
        ctx.note(note)
    return {**{name.lower(): minutes for name, minutes in table.items()}, **_UTC_NAMES}


# Names of UTC itself, which the stamp layouts read on their own (see `zones`).
_UTC_NAMES = {"utc": 0, "gmt": 0, "ut": 0, "z": 0}


def zone_offset(zone: pl.Expr, table: Mapping[str, int]) -> pl.Expr:
    """Return a written zone (`UTC`, `CET`, `+0100`, `-03`, `+05:30`) as an ISO offset
    (`+01:00`), null where it is none of those (then the stamp is read in the user's zone);
    `table` is the source's `zone_table`."""
    text = zone.str.strip_chars()
    named = text.str.to_lowercase().replace_strict(dict(table), default=None, return_dtype=pl.Int32)
    digits = text.str.extract(r"^[+-]([0-9]{2}):?([0-9]{2})?$", 1)
    minutes = text.str.extract(r"^[+-][0-9]{2}:?([0-9]{2})$", 1).fill_null("00")
    signed = pl.when(text.str.starts_with("-")).then(pl.lit("-")).otherwise(pl.lit("+"))
    numeric = pl.when(digits.is_not_null()).then(
        pl.concat_str([signed, digits, pl.lit(":"), minutes])
    )
    sign = pl.when(named < 0).then(pl.lit("-")).otherwise(pl.lit("+"))
    size = named.abs()
    from_name = pl.concat_str(
        [
            sign,
            (size // 60).cast(pl.String).str.zfill(2),
            pl.lit(":"),
            (size % 60).cast(pl.String).str.zfill(2),
        ]
    )
    return pl.coalesce(numeric, from_name)


def read_stamps(
    frame: pl.DataFrame, text: pl.Expr, ctx: ParseContext, *, zone_known: bool = False
) -> pl.Series:
    """Return the stamps `text` (an expression over `frame`) writes, read as UTC (`ts`)."""
    values = frame.select(text.alias("stamp")).to_series()
    if values.null_count() == values.len():
        return pl.Series("ts", [None] * values.len(), dtype=TS)
    return parse_stamps(values, ctx, zone_known=zone_known)


def header_parts(text: pl.Series, regex: str) -> pl.DataFrame:
    """Return the named groups of the header `regex` (anchored with `^`) on each line, plus
    `h`, the whole header (null where a line has none)."""
    return text.str.extract_groups(f"^(?P<h>{regex.removeprefix('^')})").struct.unnest()


def header_length(text: pl.Series, regex: str) -> pl.Series:
    """Return the length of the header `regex` (anchored at the line start) matches on each
    line (UInt32), null where it does not match."""
    return text.str.extract(f"^({regex.removeprefix('^')})", 1).str.len_chars().cast(pl.UInt32)


def present_fields(columns: pl.DataFrame) -> pl.DataFrame:
    """Return per-line `columns` without the fields no line gives (`ts` and `level` stay)."""
    return columns.select(
        c
        for c in columns.columns
        if c in ("ts", "level") or columns[c].null_count() < columns.height
    )


# journalctl's own lines in its text output (journalctl(1)): where a boot begins, and the
# older versions' head and empty result. They are not log entries, in plain text nor in
# syslog's layouts (`journalctl -o short-iso`).
JOURNAL_MARKER = ascii_classes(
    r"^-- (?:Boot [0-9a-f]{32}|Reboot|Logs begin at .*|Journal begins at .*|No entries) --$"
)
JOURNAL_MARKERS = "journalctl marker"
# logcat's buffer markers (`--------- beginning of main`, `--------- switch to crash`), and an
# Android bug report's lines around each of its sections (`------ RADIO LOG (logcat -b radio
# ...) ------`, `------ 0.140s was the duration of 'RADIO LOG' ------`): no entries, in
# logcat's layouts nor in plain text (a capture wrapped by a terminal, a section cut out).
LOGCAT_MARKER = ascii_classes(r"^(?:-{9} (?:beginning of|switch to) |-{6} \S.{0,300} -{6}$)")
LOGCAT_MARKERS = "buffer marker or section line ('--------- beginning of ...', '------ ... ------')"
# MySQL's banner over its general and slow query logs, written where the server opens the
# file (at its start, again after a restart or a flush): the file's header, no entries.
MYSQL_BANNER = ascii_classes(
    r"^(?:\S+, Version: .* started with:|Tcp port: \d+ +Unix socket: |Time\s+Id\s+Command)"
)
MYSQL_BANNERS = "MySQL banner"
# stern's notices of the containers it starts and stops following (`+ mongo-rs0-0 › mongod`),
# and kubectl's of the pod or container `logs` picked (`Found 3 pods, using pod/api-6f9c-k2xqz`,
# `Defaulted container "app" out of: app, istio-proxy`).
KUBE_MARKER = ascii_classes(
    r"^(?:[+-] \S+ › \S+|Found \d+ pods, using pod/\S+"
    r"|Defaulted container \"[^\"]+\" out of: .+)$"
)
KUBE_MARKERS = "kubectl or stern notice"


def tool_lines(
    text: pl.Series, regex: str, what: str, ctx: ParseContext, among: pl.Series | None = None
) -> pl.Series | None:
    """Return which lines of `text` `regex` matches (looking only `among` those, where given):
    lines a tool writes around the log (logcat's buffer markers, journalctl's boot markers,
    `log show`'s titles and counts), which are not entries; a note says how many (`what` names
    them). None where there are none."""
    rows = among.arg_true() if among is not None else pl.int_range(text.len(), eager=True)
    if not rows.len():
        return None
    found = rows.filter(text.gather(rows).str.contains(regex).fill_null(False))
    count = found.len()
    if not count:
        return None
    ctx.note(f"{count:,} {what} line{'s' * (count != 1)} not read as entries")
    return pl.repeat(False, text.len(), eager=True).scatter(found, True)


def without_tool_lines(
    lines: pl.DataFrame, regex: str, what: str, ctx: ParseContext
) -> pl.DataFrame:
    """Return `lines` without the lines a tool wrote around the log (see `tool_lines`)."""
    tool = tool_lines(lines["text"], regex, what, ctx)
    return lines if tool is None else lines.filter(~tool)


def other_stamps(
    lines: pl.DataFrame, matched: pl.Series, columns: pl.DataFrame, ctx: ParseContext
) -> tuple[pl.Series, pl.DataFrame]:
    """Return `matched` and `columns` with the unmatched lines that start with a stamp of any
    layout (another writer's lines in the same output: nginx's error lines among its access
    lines, its access lines among an ingress controller's klog lines) matched, their stamp in
    `ts` and their body after it."""
    rows = (~matched).arg_true()
    read = read_other_stamps(lines["text"].gather(rows), mtime=ctx.mtime, tz=ctx.tz)
    for note in read.notes:
        ctx.note(note)
    matched, columns = _frame_stamped(lines["text"], matched, columns, ctx)
    got = read.ts.is_not_null()
    if not got.any():
        return matched, columns
    at = rows.filter(got)
    ts = columns["ts"].cast(TS).scatter(at, read.ts.filter(got))
    columns = columns.with_columns(ts)
    if "body_at" in columns.columns:
        body_at = columns["body_at"].cast(pl.UInt32).scatter(at, read.header_end.filter(got))
        columns = columns.with_columns(body_at)
    return matched.scatter(at, True), columns


def _frame_stamped(
    text: pl.Series, matched: pl.Series, columns: pl.DataFrame, ctx: ParseContext
) -> tuple[pl.Series, pl.DataFrame]:
    """Return `matched` and `columns` with a terminal program's frame around the session it
    logged (`session_frame`: PuTTY's `=~=~= PuTTY log 2024.06.21 10:38:50 =~=~=` over a
    `docker logs`) made entries, stamped with the time the program wrote there."""
    frame = session_frame(text)
    if frame is None:
        return matched, columns
    stamps = frame_stamps(text, frame, ctx)
    got = stamps.is_not_null()
    return matched | got, columns.with_columns(stamps.fill_null(columns["ts"].cast(TS)))


# The first line of a report another writer prints among a program's log lines, on the same
# stream: Rust's panic hook, .NET's and the JVM's handlers of an unhandled exception, Go's
# runtime, Node's report of an uncaught exception (the file and line alone, then the source
# line; `node:internal/process/promises:289` for an unhandled rejection), Python's warnings
# module (`file.py:37: DeprecationWarning: ...`), ESP-IDF's panic handler (`Guru Meditation
# Error: Core  1 panic'ed (LoadProhibited).`). Its lines below join it, not the log line
# above: a panic is no part of the INFO line it follows.
REPORT_HEAD = ascii_classes(
    r"^(?:thread '[^']*' panicked at |Unhandled exception\. |Exception in thread \x22[^\x22]*\x22 "
    r"|panic: |fatal error: |\S+\.py:\d+: [A-Z]\w*Warning: |/\S+\.(?:js|mjs|cjs):\d+$"
    r"|node:internal/[\w/]+:\d+$"
    r"|Guru Meditation Error: )"
)


def _with_other_stamps(
    lines: pl.DataFrame, starts: pl.Series, columns: pl.DataFrame, ctx: ParseContext | None
) -> tuple[pl.Series, pl.DataFrame, list[str], list[str]]:
    """Return the start flags (null as false) and the per-line columns with, given `ctx`, the
    lines that start with another layout's stamp made starts (`other_stamps`), and those that
    open another writer's report (`REPORT_HEAD`, no stamp); then the names of the extra and of
    the body columns."""
    starts = starts.fill_null(False)
    if ctx is not None and not starts.all():
        starts, columns = other_stamps(lines, starts, columns, ctx)
        others = (~starts).arg_true()
        if others.len():
            heads = lines["text"].gather(others).str.contains(REPORT_HEAD).fill_null(False)
            if heads.any():
                starts = starts.scatter(others.filter(heads), True)
    extras = [c for c in columns.columns if c not in ("ts", "level", *BODY_COLUMNS)]
    bodies = [c for c in columns.columns if c in BODY_COLUMNS]
    return starts, columns, extras, bodies


def _outside_chrome(
    lines: pl.DataFrame, starts: pl.Series, ctx: ParseContext | None
) -> pl.Series | None:
    """Return which of `lines` to keep, a terminal session's lines around the log aside
    (`terminal_chrome`, given `ctx`; `starts` marks the lines that open a record), or None
    where there are none."""
    chrome = None if ctx is None else terminal_chrome(lines["text"], starts.fill_null(False), ctx)
    return None if chrome is None else ~chrome


def entries_from_starts(
    lines: pl.DataFrame,
    starts: pl.Series,
    columns: pl.DataFrame,
    *,
    joins: str = "any",
    header_read: bool = True,
    ctx: ParseContext | None = None,
) -> pl.DataFrame:
    """Return the parsed frame of entries: a line where `starts` is true starts an entry.

    `columns` holds, per line of `lines`, `ts` and `level` (read on start lines), optional
    body columns and extras. With `joins="any"` every other line joins the entry above (a
    Java stack trace: `\\tat ...`, `Caused by: ...`; a query's lines), as plain text joins
    lines without a stamp; lines before the first start that are not indented are an entry
    each without a time, as in plain text. With
    `joins="indented"` only indented lines join, and other lines are entries of their own
    without a time (a banner between entries). Blank lines join but are never kept at an
    entry's end, nor as an entry.

    With `header_read` (the parser read the whole header its format writes, and `body_at`
    says where it ends), the entries say that their body is known (`body_kind` TEXT): no
    header is then learned on them (`header.learn_and_split`), whose guesses on message text
    (`UPDATE stock SET n = n -` before a `-` taken for a logger's header) would only do harm.

    Given `ctx`, a terminal session's lines around the log (`terminal_chrome`: a prompt and
    the command typed at it, a pager's prompt) are no entries; a line that is no start but
    starts with a stamp of any layout starts an entry with that stamp (`other_stamps`), and
    one that opens another writer's report (the JVM's `Exception in thread "main" ...` in
    catalina.out) an entry without one.
    """
    if lines.height == 0:
        return empty_parsed()
    keep = _outside_chrome(lines, starts, ctx)
    if keep is not None:
        lines, starts, columns = lines.filter(keep), starts.filter(keep), columns.filter(keep)
    starts, columns, extras, bodies = _with_other_stamps(lines, starts, columns, ctx)
    started = starts.rename("_start")
    frame = pl.DataFrame(
        [
            lines["line"].cast(pl.UInt64),
            lines["text"],
            columns["ts"].cast(TS),
            columns["level"].cast(pl.String),
            started,
        ]
    ).hstack(columns.select(*extras, *bodies))
    if header_read and BODY_KIND not in bodies:
        frame = frame.with_columns(pl.lit(TEXT, dtype=pl.UInt8).alias(BODY_KIND))
        bodies.append(BODY_KIND)
    text = pl.col("text")
    blank = text.str.strip_chars() == ""
    if joins == "indented":
        is_start = pl.col("_start") | (~text.str.contains(INDENTED) & ~blank)
    else:
        # (before the first start, no entry to continue: each line not indented is one, as in
        # plain text, a tool's status lines before the log's)
        before = ~pl.col("_start").cum_max()
        is_start = pl.col("_start") | (before & ~text.str.contains(INDENTED) & ~blank)
    entries = join_continuations(frame, is_start)
    if entries.select((text.str.slice(-1) == "\n").any()).item():
        entries = entries.with_columns(text.str.strip_chars_end("\n"))
    if entries.select(blank.any()).item():
        entries = entries.filter(~blank)
    on_start = pl.col("_start")
    return entries.select(
        pl.when(on_start).then(pl.col("ts")).alias("ts"),
        pl.when(on_start).then(pl.col("level")).alias("level"),
        "line",
        text.alias("message"),
        *[pl.when(on_start).then(pl.col(c)).cast(BODY_COLUMNS[c]).alias(c) for c in bodies],
        *[pl.when(on_start).then(pl.col(c)).alias(c) for c in extras],
    )


def entries_from_matches(
    lines: pl.DataFrame,
    matched: pl.Series,
    columns: pl.DataFrame,
    message: pl.Series | None = None,
    joins: pl.Expr | None = None,
    ctx: ParseContext | None = None,
    frames: pl.Series | None = None,
) -> pl.DataFrame:
    """Return the parsed frame of line-format entries from per-line parsed `columns`.

    `columns` holds `ts` and `level` (null on unmatched lines) and the extra columns, one row
    per line of `lines`. A matched line starts an entry; an unmatched line that starts with
    whitespace (or, given `joins`, for which that expression over `text` is true) joins the
    entry above; any other unmatched line is an entry without a time. Blank lines are dropped. `message` is the entry's text as written, unless `message`
    (per line, e.g. a logfmt `msg` value) is given: then it is that value where present,
    followed by the entry's continuation lines.

    Given `ctx`, an unmatched line that starts with a stamp of another layout (another
    writer's line in the same output: nginx's error lines among its access lines) starts an
    entry with that stamp. `frames` marks lines that join the entry above whatever they hold
    (a stack trace's lines, each with the source's header: `frames.stack_frames`).
    """
    if lines.height == 0:
        return empty_parsed()
    keep = _outside_chrome(lines, matched, ctx)
    if keep is not None:
        lines, matched, columns = lines.filter(keep), matched.filter(keep), columns.filter(keep)
        message = None if message is None else message.filter(keep)
        frames = None if frames is None else frames.filter(keep)
    own = matched.fill_null(False)
    matched, columns, extras, bodies = _with_other_stamps(lines, matched, columns, ctx)
    if frames is not None:
        matched = matched & ~frames
    frame = pl.DataFrame(
        [
            lines["line"].cast(pl.UInt64),
            lines["text"],
            columns["ts"].cast(TS),
            columns["level"].cast(pl.String),
            matched.fill_null(False).rename("_matched"),
            (matched & ~own).rename("_other"),
            (message if message is not None else lines["text"]).rename("_message"),
        ]
    ).hstack(columns.select(*extras, *bodies))
    if message is not None:
        frame = frame.with_columns(_first_len=pl.col("text").str.len_chars())
    if (
        frame["_matched"].all()
        and frame.select((pl.col("text").str.strip_chars() != "").all()).item()
    ):
        # Every line starts an entry and none is blank: what join_continuations returns then.
        entries = frame.with_columns(text=cap_text(pl.col("text")))
    else:
        if frames is not None:
            frame = frame.with_columns(_frame=frames)
        frame = frame.filter(pl.col("text").str.strip_chars() != "")
        joined = pl.col("text").str.contains(INDENTED) if joins is None else joins
        if frames is not None:
            joined = joined | pl.col("_frame")
        # Another writer's report (a Go panic on stderr among logfmt lines) keeps its lines
        # (`goroutine 412 [running]:`, its frames) up to the next of the source's own lines.
        # (its lines may hold pairs, `[signal SIGSEGV: ... code=0x1 addr=0x18 ...]`: up to the
        # next stamped line, where the source's lines have stamps)
        head = pl.col("_other") & pl.col("text").str.contains(REPORT_HEAD)
        stamped = frame["ts"].is_not_null().any()
        report = (
            pl.when(head)
            .then(True)
            .when(pl.col("_matched") & (pl.col("ts").is_not_null() | (not stamped)))
            .then(False)
            .forward_fill()
            .fill_null(False)
            & ~head
        )
        is_start = (pl.col("_matched") | ~joined.fill_null(False)) & ~report
        entries = join_continuations(frame, is_start)
    if message is None:
        text = pl.col("text")
    else:
        # The continuation lines ("\n" and what follows) come after the first line's length.
        text = pl.col("_message").fill_null(pl.col("text").str.slice(0, pl.col("_first_len")))
        text = text + pl.col("text").str.slice(pl.col("_first_len"))
    return entries.select(
        pl.when(pl.col("_matched")).then(pl.col("ts")).alias("ts"),
        pl.when(pl.col("_matched")).then(pl.col("level")).alias("level"),
        "line",
        text.alias("message"),
        *[
            pl.when(pl.col("_matched")).then(pl.col(c)).cast(BODY_COLUMNS[c]).alias(c)
            for c in bodies
        ],
        *extras,
    )


def patch_rows(fast: pl.DataFrame, ok: pl.Series, slow: pl.DataFrame) -> pl.DataFrame:
    """Return `fast` with its rows where `ok` is false replaced by the rows of `slow`, in order.

    `slow` holds one row per line that is not ok (its i-th row is the i-th such line) and the
    same columns as `fast`.
    """
    at = ((~ok).cast(pl.Int64).cum_sum() - 1).clip(0)
    rows = slow.select(pl.col(c).cast(fast[c].dtype) for c in fast.columns)[at]
    return pl.DataFrame([fast[c].zip_with(ok, rows[c]).rename(c) for c in fast.columns])
