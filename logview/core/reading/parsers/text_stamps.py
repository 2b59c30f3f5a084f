"""The stamps plain text reads beyond its own layout's: other writers' lines stamped in other
layouts, a banner's stamp, times of day dated by the dated lines around them or by headings,
uptimes that are no time of day, and stamps in the JSON metadata a line may end with.

`text.parse_text` reads the lines' own layout, then these, each returning the `LineStamps` it
was given with what it found.
"""

from __future__ import annotations

import re
from datetime import date

import polars as pl

from logview.core.reading.formats import ParseContext
from logview.core.reading.parsers.terminal import (
    CONSOLE_SERVER_LINE,
    KERNEL_UPTIME,
    frame_stamps,
    session_frame,
)
from logview.core.reading.parsers.text_openings import opening
from logview.core.reading.stamp_search import (
    ANY_INDENT,
    LINE_START,
    dated_stamp,
    read_other_stamps,
)
from logview.core.reading.timestamps import (
    Layout,
    LineStamps,
    dates_from_header_lines,
    parse_stamp_column,
    read_line_stamps,
    stamps_from_times,
)
from logview.core.shared.regex import ascii_classes
from logview.core.shared.table import TS

# Level words in capitals (and in brackets any case), as a line may open with one.
LEVEL_WORDS = "TRACE|DEBUG|INFO|NOTICE|WARN|WARNING|ERROR|CRITICAL|FATAL|ALERT|EMERG|SEVERE"
# Before another writer's stamp, a level tag of the line's own (a stream's `WARNING: `).
_TAG_BEFORE_STAMP = ascii_classes(rf"(?:\[(?i:{LEVEL_WORDS})\]|(?:{LEVEL_WORDS}):) +")
_SAMPLE = 500
# Where this share of the stamped lines holds Zephyr's clock, its stamps are uptimes.
_UPTIME_SHARE = 0.6


# A message followed by its metadata as a JSON object holding the stamp (winston's `simple()`
# format with `timestamp()`: `info: listening {"port":3000,"timestamp":"2024-..."}`).
_TRAILING_JSON = ascii_classes(r'\s\{".*\}\s*$')
_JSON_STAMP = ascii_classes(r'"(?:@?timestamp|time|ts|datetime)"\s*:\s*"([^"]+)"[^{}]*\}\s*$')
_TRAILING_JSON_SHARE = 0.7


def stamps_in_trailing_json(text: pl.Series, ctx: ParseContext) -> pl.Series | None:
    """Return the stamps that most lines of `text` carry in a trailing JSON object, or None.
    (Most of those that may open an entry, `opening`: a crash's report after them, its stack
    indented, is no line of the log's.)"""
    sample = text.head(_SAMPLE).drop_nulls()
    sample = sample.filter(opening(sample))
    if sample.len() == 0 or sample.str.contains(_TRAILING_JSON).mean() < _TRAILING_JSON_SHARE:
        return None
    keyed = sample.str.contains(_JSON_STAMP).mean()
    if keyed < _TRAILING_JSON_SHARE:
        return None
    values = text.str.extract(_JSON_STAMP, 1)
    read = parse_stamp_column(values, mtime=ctx.mtime, tz=ctx.tz)
    if read.ts.is_not_null().sum() < _TRAILING_JSON_SHARE * values.is_not_null().sum():
        return None
    for note in read.notes:
        ctx.note(note)
    return read.ts.cast(TS).rename("ts")


# A banner line before the first stamped line may carry the time its program started in its
# own way (`# Logfile created on 2024-03-14 09:26:53 +0000 by logger.rb`, `Log file open,
# 03/14/24 09:26:50`): those lines are read for a full date and time anywhere in them.
_PREAMBLE_LINES = 20


def with_preamble_stamps(text: pl.Series, read: LineStamps, ctx: ParseContext) -> LineStamps:
    """Return `read` with the stamps the lines before its first stamped line carry in any
    layout, anywhere in their first characters (see _PREAMBLE_LINES); and where such a line's
    layout (its stamp after the same number of words) opens lines further on that `read` left
    unread, those lines stamped, records: another writer's lines among the source's own
    (conserver's `[-- MARK -- Fri Jun 14 00:00:00 2024]` among a console's)."""
    stamped = read.header_end.is_not_null()
    first = int(stamped.arg_max() or 0) if stamped.any() else 0
    if not first:
        return read
    ts = read.ts
    layouts: dict[str, Layout] = {}
    for i, line in enumerate(text.head(min(first, _PREAMBLE_LINES)).to_list()):
        # (a kernel's console line has its time since boot: a date in it is the kernel's
        # build, `Linux version 4.14.54 ... #1 SMP Fri Mar 15 15:13:12 2024`)
        if not line or not line.strip() or re.match(KERNEL_UPTIME, line):
            continue
        dated = dated_stamp(line, mtime=ctx.mtime, tz=ctx.tz)
        if dated is not None:
            found, layout = dated
            ts = ts.scatter(i, found.cast(ts.dtype))
            layouts.setdefault(layout.pattern, layout)
    read = LineStamps(ts, read.header_end, read.stamp_at, read.notes)
    for layout in layouts.values():
        read = _preamble_layout_again(text, read, first, layout, ctx)
    return read


def _preamble_layout_again(
    text: pl.Series, read: LineStamps, first: int, layout: Layout, ctx: ParseContext
) -> LineStamps:
    """Return `read` with the lines after `first` that it left unread and that are stamped in
    `layout` (a preamble line's) made records with their stamps."""
    rows = read.header_end.is_null().arg_true()
    rows = rows.filter(rows > first)
    if not rows.len():
        return read
    candidates = text.gather(rows)
    flush = candidates.str.contains(r"^\S").fill_null(False)
    rows, candidates = rows.filter(flush), candidates.filter(flush)
    if not rows.len():
        return read
    found = read_line_stamps(candidates, layout, mtime=ctx.mtime, tz=ctx.tz)
    hit = found.header_end.is_not_null() & found.ts.is_not_null()
    if not hit.any():
        return read
    at = rows.filter(hit)
    return LineStamps(
        read.ts.scatter(at, found.ts.filter(hit).cast(read.ts.dtype)),
        read.header_end.scatter(at, found.header_end.filter(hit)),
        read.stamp_at.scatter(at, found.stamp_at.filter(hit)),
        read.notes,
    )


# Another writer's lines stamped with a time of day alone among a source's dated stamps (a
# Home Assistant add-on's `[09:20:55] INFO: Starting ...` before its program's own lines): a
# bracketed time, or a bare one before a level word (a thread's name in brackets between:
# Logback's default layout, `07:42:08.331 [main] INFO o.s.Foo -- ...`, before Spring Boot
# sets its own), opening the line; or a time alone
# right-aligned under the dated stamps, ending where they end (RouterOS 6's `/log print`
# writes today's entries so: `       06:47:19 interface,info ether5 link down` under
# `jun/27 23:58:17 dhcp,info ...`).
_TIME_OF_DAY = ascii_classes(
    rf"^(?:\[(?P<b>\d{{2}}:\d{{2}}:\d{{2}}(?:[.,]\d{{1,6}})?)\]"
    rf"|(?P<t>\d{{2}}:\d{{2}}:\d{{2}}(?:[.,]\d{{1,6}})?) +(?:\[[^\]]{{1,60}}\] +)?(?:{LEVEL_WORDS})\b"
    r"|(?P<r> +)(?P<a>\d{2}:\d{2}:\d{2}) )"
)
_HALF_DAY_US = 12 * 3600 * 1_000_000


def with_times_of_day(text: pl.Series, read: LineStamps, ctx: ParseContext) -> LineStamps:
    """Return `read` with the lines it left unread that open with a time of day alone
    (_TIME_OF_DAY) stamped: dated by the nearest dated line above (below where none is),
    a day on where the time falls over 12 hours before that line's (past midnight), a day
    back where it falls over 12 hours after the line's below."""
    unread = read.header_end.is_null()
    if not unread.any() or not read.ts.is_not_null().any():
        return read
    rows = unread.arg_true()
    found = text.gather(rows).str.extract_groups(_TIME_OF_DAY).struct.unnest()
    # (a right-aligned time only where it ends where most dated stamps end)
    ends = read.header_end.drop_nulls().mode().cast(pl.Int64)
    aligned = (found["r"].str.len_chars() + 8).cast(pl.Int64).is_in(ends.to_list()).fill_null(False)
    clock = found.select(pl.coalesce("b", "t", pl.when(aligned).then(pl.col("a")))).to_series()
    hit = clock.is_not_null()
    if not hit.any():
        return read
    rows, clock = rows.filter(hit), clock.filter(hit)
    zone = ctx.tz or "UTC"
    local = read.ts.dt.convert_time_zone(zone).dt.replace_time_zone(None)
    above, below = local.forward_fill().gather(rows), local.backward_fill().gather(rows)
    times = clock.str.replace(",", ".").str.to_time("%H:%M:%S%.f", strict=False)
    frame = pl.DataFrame({"above": above, "below": below, "time": times}).select(
        above=pl.col("above").dt.date().dt.combine(pl.col("time")),
        below=pl.col("below").dt.date().dt.combine(pl.col("time")),
        a=pl.col("above"),
        b=pl.col("below"),
    )
    day = pl.duration(days=1)
    stamped = frame.select(
        pl.when(pl.col("a").is_not_null())
        .then(
            pl.when((pl.col("a") - pl.col("above")).dt.total_microseconds() > _HALF_DAY_US)
            .then(pl.col("above") + day)
            .otherwise(pl.col("above"))
        )
        .otherwise(
            pl.when((pl.col("below") - pl.col("b")).dt.total_microseconds() > _HALF_DAY_US)
            .then(pl.col("below") - day)
            .otherwise(pl.col("below"))
        )
        .dt.replace_time_zone(zone, ambiguous="earliest", non_existent="null")
        .dt.convert_time_zone("UTC")
        .cast(TS)
    ).to_series()
    # The stamp's brackets (or the spaces before it) are part of its header.
    width = text.gather(rows).str.extract(r"^(\[[^\]]*\]| *\S+)", 1).str.len_chars()
    ok = stamped.is_not_null()
    rows, stamped, width = rows.filter(ok), stamped.filter(ok), width.filter(ok)
    return LineStamps(
        read.ts.scatter(rows, stamped),
        read.header_end.scatter(rows, width.cast(pl.UInt32)),
        read.stamp_at.scatter(rows, pl.repeat(0, rows.len(), dtype=pl.UInt32, eager=True)),
        read.notes,
    )


# Zephyr's logging subsystem stamps lines with the time since boot, `[00:00:07.420,013]`
# (milliseconds, a comma, microseconds): no time of day, though it reads as one.
_UPTIME_CLOCK = ascii_classes(r"^\[\d{2}:\d{2}:\d{2}\.\d{3},\d{3}\]")


def uptimes_undated(text: pl.Series, read: LineStamps, ctx: ParseContext) -> LineStamps:
    """Return `read` without its times where they are Zephyr's uptimes (_UPTIME_CLOCK): the
    lines still start entries, without a time; a note says so."""
    stamped = text.filter(read.header_end.is_not_null())
    if not stamped.len() or stamped.str.contains(_UPTIME_CLOCK).mean() < _UPTIME_SHARE:
        return read
    ctx.note("[HH:MM:SS.mmm,uuu] stamps are times since boot (Zephyr): entries without a time")
    uptime = text.str.contains(_UPTIME_CLOCK).fill_null(False)
    ts = read.ts.zip_with(~uptime, pl.Series([None] * text.len(), dtype=read.ts.dtype))
    notes = tuple(n for n in read.notes if not n.startswith("no date in stamps"))
    return LineStamps(ts, read.header_end, read.stamp_at, notes)


def dated_by_header_lines(
    text: pl.Series, read: LineStamps, ctx: ParseContext, own: pl.Series
) -> tuple[LineStamps, pl.Series | None]:
    """Return `read` (times of day alone, where `own`) dated by `#Date:` lines where the text
    has them (a W3C extended log whose records carry only a time), or by the lines among them
    stamped with a date in another layout (Informix's message log writes one, `Thu Mar 14
    09:20:02 2024`, at its start and each day), or by the date the lines before the first
    record state (sar's report: `Linux 5.14.0 (db02) 03/14/2024 _x86_64_ (8 CPU)`), else as
    it is (dated by the file); and which lines are such a dated line and nothing else, a
    heading, no entry (None where none is; a note says how many)."""
    headings = None
    w3c = text.str.starts_with("#Date:").any()
    if w3c:
        header_dates = dates_from_header_lines(text)
    elif (dated_lines := ~own & read.ts.is_not_null()).any():
        zone = ctx.tz or "UTC"
        day = read.ts.dt.convert_time_zone(zone).dt.date()
        none = pl.repeat(None, day.len(), dtype=pl.Date, eager=True)
        header_dates = day.zip_with(dated_lines, none).forward_fill()
        rest = text.str.slice(read.header_end.fill_null(0)).str.strip_chars()
        headings = dated_lines & (rest == "").fill_null(False)
        if headings.any():
            count = int(headings.sum())
            ctx.note(
                f"{count:,} heading line{'s' * (count != 1)} giving the date not read as entries"
            )
        else:
            headings = None
    else:
        stamped = read.header_end.is_not_null()
        first = int(stamped.arg_max() or 0) if stamped.any() else 0
        date = _stated_date(text.head(first)) or _date_at_own_time(text, read, first, ctx)
        if date is None:
            return read, None
        header_dates = pl.repeat(date, text.len(), dtype=pl.Date, eager=True)
    times = (
        pl.DataFrame({"text": text, "at": read.stamp_at, "end": read.header_end})
        .select(pl.col("text").str.slice(pl.col("at"), pl.col("end") - pl.col("at")))
        .to_series()
    )
    if not w3c:
        # A dated line's own time of day counts for the midnights passed after it (RouterOS's
        # `mar/13 23:58:31`, then `06:12:03`: the next day).
        clock = read.ts.dt.convert_time_zone(ctx.tz or "UTC").dt.strftime("%H:%M:%S%.6f")
        times = times.zip_with(~dated_lines, clock)
    dated = stamps_from_times(times, header_dates, tz=ctx.tz)
    ts = dated.ts
    if not w3c:
        # (lines stamped in another layout keep their stamps; W3C's directives have none)
        ts = ts.zip_with(own & ts.is_not_null(), read.ts)
    return LineStamps(ts, read.header_end, read.stamp_at, dated.notes), headings


# A date alone, as a report's heading states it: ISO, or numeric with slashes (month first
# unless the first number is over 12).
_ISO_DATE = re.compile(r"(?<![\d.])(\d{4})-(\d{2})-(\d{2})(?![\d:])", re.ASCII)
_SLASHED_DATE = re.compile(r"(?<![\d/])(\d{1,2})/(\d{1,2})/(\d{4})(?![\d/])", re.ASCII)


def _stated_date(head: pl.Series) -> date | None:
    """Return the one date the lines before a source's first record state, or None (no date,
    or several different ones)."""
    found: set[date] = set()
    for line in head.head(_PREAMBLE_LINES).drop_nulls().to_list():
        found |= _dates_in(line)
    return found.pop() if len(found) == 1 else None


def _dates_in(line: str) -> set[date]:
    """Return the dates alone that `line` states (_ISO_DATE, _SLASHED_DATE)."""
    found = [_date_or_none(int(y), int(m), int(d)) for y, m, d in _ISO_DATE.findall(line)]
    for first, second, year in _SLASHED_DATE.findall(line):
        a, b = int(first), int(second)
        found.append(_date_or_none(int(year), b, a) if a > 12 else _date_or_none(int(year), a, b))
    return {day for day in found if day is not None}


def _date_at_own_time(
    text: pl.Series, read: LineStamps, first: int, ctx: ParseContext
) -> date | None:
    """Return the one date that one of the first records states in its message beside its own
    time of day (OBS Studio's `18:22:41.127: Current Date/Time: 2024-06-29, 18:22:41`), or
    None: a date a message quotes at another time (an expiry) dates nothing."""
    clock = read.ts.dt.convert_time_zone(ctx.tz or "UTC").dt.strftime("%H:%M")
    head = pl.DataFrame({"text": text, "end": read.header_end, "clock": clock}).slice(
        first, _PREAMBLE_LINES
    )
    found: set[date] = set()
    for line, end, hour_minute in head.iter_rows():
        if end is None or hour_minute is None:
            continue
        rest = line[end:]
        # (a line stating two dates states none)
        if hour_minute in rest and len(dates := _dates_in(rest)) == 1:
            found |= dates
    return found.pop() if len(found) == 1 else None


def _date_or_none(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def with_other_stamps(
    text: pl.Series, read: LineStamps, layout: Layout, ctx: ParseContext
) -> LineStamps:
    """Return `read` with the stamps of the lines it left unread that start (or follow the
    source's prefix) with a stamp of another layout (an indented line is a continuation
    whatever it holds, unless the source's own lines are indented).

    Only the lines without a stamp of the source's layout and not indented are looked at, so
    the common case (every line stamped, stack frames indented) costs a null count.
    """
    if not read.header_end.null_count():
        return read
    rows = read.header_end.is_null().arg_true()
    candidates = text.gather(rows)
    # (where the source's own lines lead with white space, as RouterOS's `/log print` does, an
    # indented line is one of them, read for a stamp of another layout after the same indent)
    opening = r"^[ \t]*\S" if layout.prefix.startswith(("[ \t]+", ANY_INDENT)) else r"^\S"
    starts = candidates.str.contains(ascii_classes(opening)).fill_null(False)
    if not starts.any():
        return read
    rows, candidates = rows.filter(starts), candidates.filter(starts)
    # Before the stamp, the source's prefix, or a level tag of the line's own (a stream's
    # `WARNING: ` before a script's stamp).
    prefix = _TAG_BEFORE_STAMP
    if layout.prefix not in LINE_START:
        prefix = f"{layout.prefix}|{_TAG_BEFORE_STAMP}"
    other = read_other_stamps(candidates, prefix=prefix, mtime=ctx.mtime, tz=ctx.tz)
    found = other.ts.is_not_null()
    if not found.any():
        return read
    at = rows.filter(found)
    return LineStamps(
        read.ts.scatter(at, other.ts.filter(found)),
        read.header_end.scatter(at, other.header_end.filter(found)),
        read.stamp_at.scatter(at, other.stamp_at.filter(found)),
        tuple(dict.fromkeys(read.notes + other.notes)),
    )


# Another writer's JSON records among a text log's lines (a collector's events on stdout, its
# own log lines on stderr): a line that is one object (or opens like one, the last record cut
# short) is an entry, stamped by its time key, where it has a time or a level key: an object
# without either is data a message printed (an HTTP response's body in PHP's fatal error).
_JSON_RECORD = ascii_classes(r'^\{"[\w@.$-]+"\s*:')
_RECORD_STAMP = ascii_classes(
    r'"(?:@?timestamp|time|ts|datetime|asctime|@t)"\s*:\s*"([^"]+)(?:"|$)'
)
_RECORD_KEY = ascii_classes(
    r'"(?:@?timestamp|time|ts|datetime|asctime|@t|level|severity|lvl|@l|levelname)"\s*:'
)


def with_json_records(text: pl.Series, read: LineStamps, ctx: ParseContext) -> LineStamps:
    """Return `read` with the lines it left unread that are a JSON object each (_JSON_RECORD)
    made records: stamped by their time key where it reads, their body the whole line."""
    if not read.header_end.null_count():
        return read
    rows = read.header_end.is_null().arg_true()
    unread = text.gather(rows)
    hit = unread.str.contains(_JSON_RECORD).fill_null(False)
    if not hit.any():
        return read
    hit = hit & unread.str.contains(_RECORD_KEY).fill_null(False)
    rows = rows.filter(hit)
    values = text.gather(rows).str.extract(_RECORD_STAMP, 1)
    found = parse_stamp_column(values, mtime=ctx.mtime, tz=ctx.tz)
    zeros = pl.repeat(0, rows.len(), dtype=pl.UInt32, eager=True)
    return LineStamps(
        read.ts.scatter(rows, found.ts.cast(TS)),
        read.header_end.scatter(rows, zeros),
        read.stamp_at.scatter(rows, zeros),
        read.notes,
    )


# GNU screen's own stamp in a session it logs with `logtstamp on`, written when the output
# resumes after a pause (its default `-- %n:%t -- time-stamp -- %M/%d/%y %c:%s --`: the
# window's number and title, the month's name, a two-digit year, the hour padded with a
# space): in a console capture without stamps, the only wall-clock time. A line of its own,
# an entry with that time.
_SCREEN_STAMP = ascii_classes(
    r"^-- .{1,60} -- time-stamp -- (?P<b>[A-Z][a-z]{2})/(?P<d>\d{2})/(?P<y>\d{2}) +"
    r"(?P<H>\d{1,2}):(?P<M>\d{2}):(?P<S>\d{2}) --$"
)
_MONTHS = {m: f"{i:02d}" for i, m in enumerate(
    ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"), 1
)}  # fmt: skip


def terminal_stamps(text: pl.Series, ctx: ParseContext) -> pl.Series | None:
    """Return the stamps of a terminal program's own stamped lines, null on other lines, None
    where there are none: GNU screen's time-stamp lines (`_SCREEN_STAMP`), a console server's
    (`CONSOLE_SERVER_LINE`), and script(1)'s and PuTTY's frame around a session
    (`SESSION_FRAME`, where the first line is one)."""
    frame = session_frame(text)
    screen = _screen_stamps(text, ctx)
    if text.str.contains("[-- ", literal=True).any():
        served = text.str.contains(CONSOLE_SERVER_LINE).fill_null(False)
        frame = served if frame is None else frame | served
    if frame is None or not frame.any():
        return screen
    stamps = frame_stamps(text, frame, ctx)
    return stamps if screen is None else stamps.fill_null(screen)


def _screen_stamps(text: pl.Series, ctx: ParseContext) -> pl.Series | None:
    """Return the stamps of GNU screen's time-stamp lines (`_SCREEN_STAMP`), null on other
    lines; None where there are none."""
    if not text.str.contains("-- time-stamp -- ", literal=True).any():
        return None
    parts = text.str.extract_groups(_SCREEN_STAMP).struct.unnest()
    iso = parts.select(
        pl.concat_str(
            pl.lit("20") + pl.col("y"),
            pl.lit("-"),
            pl.col("b").replace_strict(_MONTHS, default=None),
            pl.lit("-"),
            pl.col("d"),
            pl.lit(" "),
            pl.col("H").str.zfill(2),
            pl.lit(":"),
            pl.col("M"),
            pl.lit(":"),
            pl.col("S"),
        )
    ).to_series()
    if iso.null_count() == iso.len():
        return None
    read = parse_stamp_column(iso, mtime=ctx.mtime, tz=ctx.tz)
    return read.ts.cast(TS).rename("ts")


def with_terminal_stamps(text: pl.Series, read: LineStamps, ctx: ParseContext) -> LineStamps:
    """Return `read` with a terminal program's stamped lines (`terminal_stamps`) stamped:
    before the first stamped line as a banner's lines are (entries line by line), after it as
    records. Only the lines the layout left unread are looked at (few, where most are
    stamped)."""
    unread = read.header_end.is_null().arg_true()
    found = terminal_stamps(text.gather(unread), ctx)
    if found is None:
        return read
    screen = pl.repeat(None, text.len(), dtype=found.dtype, eager=True).scatter(unread, found)
    stamped = read.header_end.is_not_null()
    first = int(stamped.arg_max() or 0) if stamped.any() else text.len()
    hit = screen.is_not_null()
    later = hit & (pl.int_range(text.len(), eager=True) > first)
    return LineStamps(
        read.ts.zip_with(~hit, screen.cast(read.ts.dtype)),
        read.header_end.zip_with(~later, text.str.len_chars().cast(read.header_end.dtype)),
        read.stamp_at,
        read.notes,
    )
