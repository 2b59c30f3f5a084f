"""Timestamps: find the layout of the stamps in a column or in lines, then parse.

Each known layout ("form") is a regex whose named groups are the parts of a stamp (`Y` year,
`y` two-digit year, `m` month, `b` month name, `d` day, `H` `M` `S` time, `f` fraction, `p`
AM/PM, `z` offset, `Z` a literal UTC, `N` a zone abbreviation, `E` epoch digits, `T` `n` a
TAI64N label). A layout is chosen from a small sample (the one reading most of it), then the
whole column goes through one `str.extract_groups` and integer arithmetic: no per-row Python.
In lines, a stamp may follow a prefix learned per source (`logview.core.stamp_search`).

Year rule, for stamps without a year (syslog `Jun  4 10:00:00`, logcat, glog, Redis): the last
stamp of the source gets the year of the file's modification time (UTC; the current year when
unknown), or the year before when that would put it more than a day after the file was last
written; going backwards through the file, each time the month increases compared with the
stamp after it (a wrap, e.g. Dec before Jan) the year steps back by one.

Zone rule: stamps with an offset, `Z`/`UTC`/`GMT` or a zone abbreviation (`logview.core.zones`)
are converted to UTC; stamps without one are read in the given IANA zone, or as UTC when none
is given. Both assumptions are reported as notes, and so is the reading of an abbreviation that
names several zones (`IST`, `CST`).

Day and month order: `03/04/2024` is read month-first unless a stamp of the source has a
first number over 12 (and none a second over 12); when no stamp settles it, a note says so.
"""

from __future__ import annotations

import functools
import re
import zoneinfo
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import polars as pl

from logview.core import zones
from logview.core.errors import LogviewError
from logview.core.regex import ascii_classes
from logview.core.table import TS

# Some writers do not zero-pad the time ("22:16:0:119"), so 1-2 digits are read.
_HMS = r"(?P<H>\d{1,2}):(?P<M>\d{1,2}):(?P<S>\d{1,2})"
_FRACTION = r"(?:[.,](?P<f>\d{1,9}))?"
_AM_PM = r"(?: ?(?P<p>[AaPp][Mm]))?"
# After an ISO-like stamp only a spaced, one-case AM/PM is one (`03:04:05 PM`, .NET's `tt`).
_SPACED_AM_PM = r"(?: (?P<p>AM|PM|am|pm))?"
_NAMED_ZONE = rf"(?P<N>{zones.names_regex()})"
# An offset comes first so that `GMT+0100` is read whole; hours alone (`+01`, PostgreSQL's
# timestamptz) only right after the stamp, where `-12` cannot be a message's number.
_ZONE = (
    rf"(?:(?P<z> ?(?:UTC|GMT)?[+-]\d{{2}}:?\d{{2}}|[+-]\d{{2}})|(?P<Z>Z| ?UTC| ?GMT)"
    rf"| {_NAMED_ZONE})?"
)
_MON = r"(?P<b>[A-Za-z]{3})"
MONTHS = {
    name: i + 1
    for i, name in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
    )
}
# Epochs are only believed between these instants (2000-01-01 and 2100-01-01, in us), so that
# an ordinary 10-digit number is not read as a date.
_EPOCH_MIN_US = 946_684_800_000_000
_EPOCH_MAX_US = 4_102_444_800_000_000
# A TAI64 label is 2^62 + TAI seconds since 1970. daemontools and runit write 2^62 + 10 + Unix
# seconds (TAI was 10 s ahead of UTC in 1972) without leap seconds, and read it back the same
# way (`tai64nlocal`); that is the reading here (s6 adds leap seconds: its stamps read 27 s late).
_TAI64_UNIX = (1 << 62) + 10
_TAI64_NOTE = (
    "TAI64N stamps read as daemontools and runit write them (2^62 + 10 s + Unix time); "
    "stamps written with leap seconds (s6) read 27 s late"
)


@dataclass(frozen=True)
class _Form:
    name: str
    label: str
    regex: str  # the stamp alone, with named parts; no anchors
    epoch_digits: int = 0  # for epochs: 10 (s), 13 (ms), 16 (us), 19 (ns)
    # A line that starts with this stamp starts an entry whatever the source's layout (see
    # stamp_search.read_other_stamps): false for bare numbers, which a message line may start
    # with as well (a count, a row of figures).
    starts_entries: bool = True

    def __post_init__(self) -> None:
        object.__setattr__(self, "regex", ascii_classes(self.regex))


def _numeric_date(first: str, second: str) -> str:
    return (
        # `/` or `-` between the parts; Suricata's fast.log has a `-` before the time.
        rf"(?P<{first}>\d{{1,2}})[/-](?P<{second}>\d{{1,2}})[/-](?P<Y>\d{{4}})(?:,? |[T-])"
        rf"{_HMS}{_FRACTION}{_AM_PM}{_ZONE}"
    )


# Order matters on a tie: the first form reading as many sampled values wins. In lines, the
# first form matching at a place is the one found there (see stamp_search).
_FORMS: tuple[_Form, ...] = (
    _Form(
        "iso8601",
        "ISO 8601",
        rf"(?P<Y>\d{{4}})-(?P<m>\d{{2}})-(?P<d>\d{{2}})[T ]{_HMS}(?:[.,](?P<f>\d{{1,9}}))?"
        rf"{_SPACED_AM_PM}{_ZONE}",
    ),
    _Form(
        "ymd-dotted",
        "yyyy-MM-dd-HH.mm.ss.ffffff",
        r"(?P<Y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})-(?P<H>\d{2})\.(?P<M>\d{2})\.(?P<S>\d{2})"
        r"(?:\.(?P<f>\d{1,9}))?",
    ),
    _Form(
        "ymd-slashed",
        "yyyy/MM/dd HH:mm:ss",
        rf"(?P<Y>\d{{4}})/(?P<m>\d{{2}})/(?P<d>\d{{2}})[T ]{_HMS}(?:[.,](?P<f>\d{{1,9}}))?"
        rf"{_SPACED_AM_PM}{_ZONE}",
    ),
    _Form(
        "yymmdd-slashed",
        "yy/MM/dd HH:mm:ss",
        rf"(?P<y>\d{{2}})/(?P<m>\d{{2}})/(?P<d>\d{{2}}) {_HMS}(?:[.,](?P<f>\d{{1,9}}))?",
    ),
    _Form(
        "ymd-compact",
        "yyyyMMdd-HH:mm:ss:SSS",
        # After a colon the digits count milliseconds ("29:6" is 6 ms), not a decimal fraction.
        rf"(?P<Y>\d{{4}})(?P<m>\d{{2}})(?P<d>\d{{2}})[-T ]{_HMS}"
        r"(?::(?P<ms>\d{1,3})|[.,](?P<f>\d{1,9}))?",
    ),
    _Form(
        "yymmdd-compact",
        "yyMMdd HHmmss",
        r"(?P<y>\d{2})(?P<m>\d{2})(?P<d>\d{2}) (?P<H>\d{2})(?P<M>\d{2})(?P<S>\d{2})",
        starts_entries=False,
    ),
    _Form(
        "clf",
        "dd/MMM/yyyy:HH:mm:ss",
        # Some writers put a space where CLF has its colon: `06/Mar/2023 18:34:17`.
        rf"(?P<d>\d{{2}})/{_MON}/(?P<Y>\d{{4}})[: ]{_HMS}(?:\.(?P<f>\d{{1,9}}))?"
        r"(?P<z> [+-]\d{4})?",
    ),
    _Form(
        "ctime",
        "ctime (Sun Dec 04 04:47:44 2005)",
        # `date` writes its zone (and, in 12-hour locales, AM/PM) before the year.
        rf"[A-Za-z]{{3}} {_MON} {{1,2}}(?P<d>\d{{1,2}}) {_HMS}(?:\.(?P<f>\d{{1,9}}))?"
        rf"{_AM_PM}(?: (?:(?P<Z>UTC|GMT)|{_NAMED_ZONE}))? (?P<Y>\d{{4}})",
    ),
    _Form(
        "java",
        "MMM dd, yyyy h:mm:ss a",
        # WebLogic adds milliseconds after a comma and a zone: `Mar 24, 2022 10:29:56,637 AM GMT`.
        rf"{_MON} (?P<d>\d{{1,2}}), (?P<Y>\d{{4}}) "
        rf"(?P<H>\d{{1,2}}):(?P<M>\d{{2}}):(?P<S>\d{{2}}){_FRACTION}{_AM_PM}{_ZONE}",
    ),
    _Form(
        "syslog",
        "syslog (MMM dd HH:mm:ss)",
        rf"{_MON} {{1,2}}(?P<d>\d{{1,2}}) {_HMS}(?:\.(?P<f>\d{{1,9}}))?",
    ),
    _Form(
        "epoch-s",
        "epoch seconds",
        r"(?P<E>\d{10})(?:\.(?P<f>\d{1,9}))?",
        10,
        starts_entries=False,
    ),
    _Form("epoch-ms", "epoch milliseconds", r"(?P<E>\d{13})", 13, starts_entries=False),
    _Form("epoch-us", "epoch microseconds", r"(?P<E>\d{16})", 16, starts_entries=False),
    _Form("epoch-ns", "epoch nanoseconds", r"(?P<E>\d{19})", 19, starts_entries=False),
    # Cisco ASA: `Mar 24 2022 10:29:56`.
    _Form(
        "syslog-year",
        "MMM dd yyyy HH:mm:ss",
        # JavaScript's Date.toString: `Mon Mar 06 2023 18:34:17 GMT+0100`.
        rf"(?:[A-Za-z]{{3}} )?{_MON} {{1,2}}(?P<d>\d{{1,2}}) (?P<Y>\d{{4}}) {_HMS}{_FRACTION}"
        rf"{_ZONE}",
    ),
    # MySQL 5.x error log: `161209 14:18:50`, an hour before 10 padded with a space.
    _Form(
        "yymmdd-time",
        "yyMMdd H:mm:ss",
        r"(?P<y>\d{2})(?P<m>\d{2})(?P<d>\d{2}) {1,2}(?P<H>\d{1,2}):(?P<M>\d{2}):(?P<S>\d{2})",
    ),
    # Android logcat (threadtime, time): `03-17 16:13:38.811`, no year.
    _Form("md-dashed", "MM-dd HH:mm:ss.SSS", rf"(?P<m>\d{{2}})-(?P<d>\d{{2}}) {_HMS}{_FRACTION}"),
    # `[10.30 16:49:06]`, no year.
    _Form("md-dotted", "MM.dd HH:mm:ss", rf"(?P<m>\d{{2}})\.(?P<d>\d{{2}}) {_HMS}{_FRACTION}"),
    # Tomcat's catalina.out: `06-Mar-2023 18:34:17.383`.
    _Form(
        "dmy-named",
        "dd-MMM-yyyy HH:mm:ss.SSS",
        # RabbitMQ before 3.7: `=INFO REPORT==== 6-Mar-2023::18:34:17 ===`.
        rf"(?P<d>\d{{1,2}})-{_MON}-(?P<Y>\d{{4}})(?: |::){_HMS}{_FRACTION}{_ZONE}",
    ),
    # Redis: `30 May 2023 12:50:13.457`, and before 3.0 `30 May 12:50:13.457` (no year); with
    # a weekday, RFC 2822's `Tue, 02 Jan 2024 03:04:05 +0000`.
    _Form(
        "dmy-spaced",
        "dd MMM yyyy HH:mm:ss.SSS",
        rf"(?:[A-Za-z]{{3}}, )?(?P<d>\d{{1,2}}) {_MON} (?P<Y>\d{{4}}) {_HMS}{_FRACTION}{_ZONE}",
    ),
    _Form("dm-spaced", "dd MMM HH:mm:ss.SSS", rf"(?P<d>\d{{1,2}}) {_MON} {_HMS}{_FRACTION}"),
    # glog: a level letter, then month and day: `E0517 15:04:22.619632`, no year.
    _Form(
        "glog",
        "glog (Lmmdd HH:mm:ss.uuuuuu)",
        rf"[IWEF](?P<m>\d{{2}})(?P<d>\d{{2}}) {_HMS}{_FRACTION}",
    ),
    # Snort's alert log: `01/02-03:04:05.123456`, no year.
    _Form(
        "md-slashed", "MM/dd-HH:mm:ss.ffffff", rf"(?P<m>\d{{2}})/(?P<d>\d{{2}})-{_HMS}{_FRACTION}"
    ),
    # Numeric dates with slashes: which number is the month is settled per source (module doc).
    _Form("mdy", "MM/dd/yyyy HH:mm:ss", _numeric_date("m", "d")),
    _Form("dmy", "dd/MM/yyyy HH:mm:ss", _numeric_date("d", "m")),
    _Form(
        "dmy-dotted",
        "dd.MM.yyyy HH:mm:ss",
        rf"(?P<d>\d{{1,2}})\.(?P<m>\d{{1,2}})\.(?P<Y>\d{{4}})[ T]{_HMS}{_FRACTION}{_ZONE}",
    ),
    # daemontools, runit, s6: `@4000000063f3a7b51e8b4a44` (TAI64N: seconds, then nanoseconds).
    _Form("tai64n", "TAI64N", r"@(?P<T>4[0-9a-fA-F]{15})(?P<n>[0-9a-fA-F]{8})"),
    # A time of day alone (logback's default `HH:mm:ss.SSS`, `[12:34:56]`): the date comes from
    # the file (the date rule). A message line may start with a time: it starts no entry.
    _Form(
        "time",
        "HH:mm:ss (no date)",
        r"(?P<H>\d{2}):(?P<M>\d{2}):(?P<S>\d{2})(?:[.,](?P<f>\d{1,9}))?",
        starts_entries=False,
    ),
)
# Layouts for a column of stamps: a time of day alone there is more likely beside a date
# column than a stamp of its own.
_COLUMN_FORMS = tuple(form for form in _FORMS if form.name != "time")
_FORM_BY_NAME = {form.name: form for form in _FORMS}
# The forms whose day and month order is settled per source, each with the other order.
_ORDER_SIBLINGS = {"mdy": "dmy", "dmy": "mdy"}

# A stamp ends at a word boundary: "1117838570" must not be the first 10 digits of a 13-digit
# number, nor "10:00:00" the start of "10:00:001".
_END = r"(?-u:\b)"


@dataclass(frozen=True)
class StampResult:
    """A column of stamps read as UTC datetimes, the layout found, and what was assumed."""

    ts: pl.Series  # Datetime("us", "UTC"), null where unreadable
    layout: str | None  # name of the layout found, e.g. "iso8601", "syslog", "epoch-ms"
    notes: tuple[str, ...]


@dataclass(frozen=True)
class Layout:
    """Where and how lines carry their stamp."""

    name: str  # the stamp layout, e.g. "iso8601"
    pattern: str  # anchored regex over a line; group 1 = the stamp text
    label: str  # for people, e.g. "ISO 8601"
    prefix: str  # regex of what precedes the stamp ("" when it starts the line)
    # The field the text before the stamp is kept as ("host", "file", "pid", "program",
    # "prefix"), or None when that text is only punctuation or there is none.
    field: str | None = None


@dataclass(frozen=True)
class LineStamps:
    """The stamps of lines read with a layout; every column is null on lines without one."""

    ts: pl.Series  # Datetime("us", "UTC")
    header_end: pl.Series  # UInt32: the character offset just after the stamp
    stamp_at: pl.Series  # UInt32: where the stamp starts (the length of its prefix)
    notes: tuple[str, ...]


def layout_of(form_name: str, prefix: str = "", field: str | None = None) -> Layout:
    """Return the layout of stamps of the form `form_name` after the prefix regex `prefix`."""
    form = _FORM_BY_NAME[form_name]
    return Layout(form.name, f"^(?:{prefix})({form.regex}){_END}", form.label, prefix, field)


def _layout(form: _Form, prefix: str) -> Layout:
    return layout_of(form.name, prefix)


def _groups_regex(layout: Layout) -> str:
    """Return the regex whose named groups give the prefix, the stamp and its parts."""
    form = _FORM_BY_NAME[layout.name]
    return f"^(?P<_pre>{layout.prefix})(?P<_stamp>{form.regex}){_END}"


def _check_zone(tz: str | None) -> None:
    if tz is None:
        return
    try:
        zoneinfo.ZoneInfo(tz)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as err:
        raise LogviewError(
            f"unknown time zone {tz!r}: use an IANA name such as Europe/Paris"
        ) from err


def _int(parts: pl.DataFrame, name: str) -> pl.Expr:
    if name in parts.columns:
        return pl.col(name).str.strip_chars().cast(pl.Int32, strict=False)
    return pl.lit(None, dtype=pl.Int32)


def _year_from_file(mtime: float | None, last: tuple[int, int] | None) -> int:
    """Return the year of the last entry: the file's (or today's) year, one less when the last
    stamp's month and day would lie more than a day after the file was last written (a file
    written in early January whose last line says Dec 31 is from the year before)."""
    when = datetime.now(UTC) if mtime is None else datetime.fromtimestamp(mtime, UTC)
    if last is None:
        return when.year
    month, day = last
    written = (when.month, when.day)
    after = (month, day) > written and not (
        (month, day) == (when + timedelta(days=1)).timetuple()[1:3]
    )
    return when.year - 1 if after else when.year


def _last_month_day(parts: pl.DataFrame, month: pl.Expr) -> tuple[int, int] | None:
    """Return the month and day of the last stamp in `parts`, or None when there is none."""
    last = parts.select(month.alias("m"), _int(parts, "d").alias("d")).drop_nulls().tail(1)
    return (last["m"][0], last["d"][0]) if last.height else None


def _plausible(us: pl.Expr) -> pl.Expr:
    return pl.when(us.is_between(_EPOCH_MIN_US, _EPOCH_MAX_US, closed="left")).then(us)


def _epoch_ts(parts: pl.DataFrame, form: _Form) -> pl.Series:
    digits = pl.col("E").cast(pl.Int64, strict=False)
    if form.epoch_digits == 10:
        micro = pl.col("f").str.pad_end(6, "0").str.slice(0, 6).cast(pl.Int64).fill_null(0)
        us = digits * 1_000_000 + micro
    elif form.epoch_digits == 13:
        us = digits * 1_000
    elif form.epoch_digits == 16:
        us = digits
    else:
        us = digits // 1_000
    return parts.select(_plausible(us).cast(TS).alias("ts")).to_series()


def _tai64n_ts(parts: pl.DataFrame) -> pl.Series:
    seconds = pl.col("T").str.to_integer(base=16, strict=False) - _TAI64_UNIX
    nanos = pl.col("n").str.to_integer(base=16, strict=False)
    us = pl.when(nanos < 1_000_000_000).then(seconds * 1_000_000 + nanos // 1_000)
    return parts.select(_plausible(us).cast(TS).alias("ts")).to_series()


def _assemble(
    parts: pl.DataFrame, form: _Form, *, mtime: float | None, tz: str | None
) -> tuple[pl.Series, tuple[str, ...]]:
    """Return UTC datetimes built from the named parts of `form` (one column per part) + notes.

    Rows where `_stamp` is null (no match) stay null; rows whose parts make no valid date
    (month 13, Feb 30) are null too.
    """
    if form.epoch_digits:
        return _epoch_ts(parts, form), ()
    if form.name == "tai64n":
        return _tai64n_ts(parts), (_TAI64_NOTE,)
    cols = set(parts.columns)
    if not cols & {"Y", "y", "m", "b", "d"}:
        return _time_only(parts, mtime=mtime, tz=tz)
    notes: list[str] = []
    if "b" in cols:
        month = (
            pl.col("b")
            .str.to_lowercase()
            .replace_strict(MONTHS, default=None, return_dtype=pl.Int32)
        )
    else:
        month = _int(parts, "m")
    if "Y" in cols:
        year = _int(parts, "Y")
    elif "y" in cols:
        # Two-digit years pivot like POSIX strptime: 69-99 are 19xx, 00-68 are 20xx.
        yy = _int(parts, "y")
        year = pl.when(yy >= 69).then(yy + 1900).otherwise(yy + 2000)
    else:
        last_year = _year_from_file(mtime, _last_month_day(parts, month))
        # A wrap sits between a stamp and the next when the month goes down; every stamp before
        # a wrap is one year earlier, so count the wraps at or after each row, from the end.
        known = month.forward_fill()
        wraps = (known > known.shift(-1).backward_fill()).fill_null(False).cast(pl.Int32)
        year = last_year - wraps.cum_sum(reverse=True)
        source = "the file's date" if mtime is not None else "today's date (file date unknown)"
        notes.append(
            f"no year in stamps: took {last_year} from {source} for the last entry, "
            "one year earlier for each month wrap going back"
        )
    day, hour, minute, second = (_int(parts, n) for n in ("d", "H", "M", "S"))
    if "p" in cols:
        pm = pl.col("p").str.to_lowercase() == "pm"
        # Only rows with AM/PM are 12-hour: `12:05 AM` is 00:05, `12:05 PM` 12:05.
        hour = (
            pl.when(pl.col("p").is_null())
            .then(hour)
            .otherwise((hour % 12) + pl.when(pm).then(12).otherwise(0))
        )
    micro = (
        pl.col("f").str.pad_end(6, "0").str.slice(0, 6).cast(pl.Int32).fill_null(0)
        if "f" in cols
        else pl.lit(0, dtype=pl.Int32)
    )
    if "ms" in cols:
        micro = micro + pl.col("ms").cast(pl.Int32).fill_null(0) * 1_000
    offset, zone_notes = _offset_minutes(parts, tz)
    # Stages are materialised one after the other so polars computes each part once.
    fields = parts.select(
        year=year.cast(pl.Int64),
        month=month.cast(pl.Int64),
        day=day.cast(pl.Int64),
        hour=hour.cast(pl.Int64),
        minute=minute.cast(pl.Int64),
        second=second.cast(pl.Int64),
        micro=micro.cast(pl.Int64),
        offset=offset,
        stamped=pl.col("_stamp").is_not_null(),
    )
    ts, tz_notes = _finish(fields, tz)
    return ts, tuple(notes) + tz_notes + zone_notes


# Date rule, for times of day alone: the last stamp is on the file's date (in `tz`; today's when
# unknown), or the day before when its time lies more than an hour after the file was written;
# going back, a time more than 12 hours later than the one after it is the day before (a
# midnight passed; a smaller step back is lines written out of order, not a day).
_HOUR_US = 3_600_000_000
_MIDNIGHT_STEP_US = 12 * _HOUR_US


def _time_only(
    parts: pl.DataFrame, *, mtime: float | None, tz: str | None
) -> tuple[pl.Series, tuple[str, ...]]:
    """Return UTC datetimes of times of day alone, dated by the date rule above, + notes."""
    hour, minute, second = (_int(parts, n).cast(pl.Int64) for n in ("H", "M", "S"))
    micro = pl.col("f").str.pad_end(6, "0").str.slice(0, 6).cast(pl.Int64).fill_null(0)
    in_range = hour.is_between(0, 23) & minute.is_between(0, 59) & second.is_between(0, 60)
    tod = pl.when(in_range).then(
        (hour * 3600 + minute * 60 + second.clip(0, 59)) * 1_000_000 + micro
    )
    frame = parts.select(tod=tod, stamped=pl.col("_stamp").is_not_null())
    when = datetime.now(UTC) if mtime is None else datetime.fromtimestamp(mtime, UTC)
    if tz is not None:
        when = when.astimezone(zoneinfo.ZoneInfo(tz))
    last_date = when.date()
    known = frame["tod"].drop_nulls()
    written = (when.hour * 3600 + when.minute * 60 + when.second) * 1_000_000
    if known.len() and known[-1] > written + _HOUR_US:
        last_date -= timedelta(days=1)
    filled = pl.col("tod").forward_fill()
    step_back = (filled > filled.shift(-1).backward_fill() + _MIDNIGHT_STEP_US).fill_null(False)
    date = pl.lit(last_date) - pl.duration(days=step_back.cast(pl.Int64).cum_sum(reverse=True))
    fields = frame.select(
        year=date.dt.year().cast(pl.Int64),
        month=date.dt.month().cast(pl.Int64),
        day=date.dt.day().cast(pl.Int64),
        hour=pl.col("tod") // _HOUR_US,
        minute=pl.col("tod") // 60_000_000 % 60,
        second=pl.col("tod") // 1_000_000 % 60,
        micro=pl.col("tod") % 1_000_000,
        offset=pl.lit(None, dtype=pl.Int64),
        stamped=pl.col("stamped"),
    )
    ts, notes = _finish(fields, tz)
    source = "the file's date" if mtime is not None else "today's date (file date unknown)"
    return ts, (
        f"no date in stamps: took {last_date.isoformat()} from {source} for the last entry, "
        "one day earlier for each midnight going back",
        *notes,
    )


def _finish(fields: pl.DataFrame, tz: str | None) -> tuple[pl.Series, tuple[str, ...]]:
    """Return UTC datetimes from Int64 `year`..`micro`, `offset` (minutes, null for none) and
    `stamped` columns, plus the note on stamps read without a zone."""
    return _zoned(fields.with_columns(local_us=_local_micros(), valid=_valid_date()), tz)


def _zoned(fields: pl.DataFrame, tz: str | None) -> tuple[pl.Series, tuple[str, ...]]:
    """Return UTC datetimes from `local_us` (microseconds of the wall time as if UTC), `valid`,
    `offset` (minutes, null for none) and `stamped` columns, plus the note on stamps read
    without a zone."""
    notes: list[str] = []
    naive = pl.when(pl.col("valid")).then(pl.col("local_us")).cast(pl.Datetime("us"))
    if tz is None or tz == "UTC":
        local = naive.dt.replace_time_zone("UTC")
    else:
        local = naive.dt.replace_time_zone(
            tz, ambiguous="earliest", non_existent="null"
        ).dt.convert_time_zone("UTC")
    given = (
        pl.when(pl.col("valid"))
        .then(pl.col("local_us") - pl.col("offset") * 60_000_000)
        .cast(pl.Datetime("us", "UTC"))
    )
    ts = pl.when(pl.col("offset").is_not_null()).then(given).otherwise(local)
    if fields.select((pl.col("stamped") & pl.col("offset").is_null()).any()).item():
        notes.append(
            "no zone in stamps: read as UTC" if tz is None else f"no zone in stamps: read in {tz}"
        )
    return fields.select(ts.cast(TS).alias("ts")).to_series(), tuple(notes)


def _local_micros() -> pl.Expr:
    """Return microseconds since 1970 of the `year`..`micro` columns, as if they were UTC.

    Civil date to days by Howard Hinnant's `days_from_civil`: plain integer arithmetic, which
    (unlike pl.datetime) cannot raise on an impossible date; `_valid_date` masks those.
    """
    year, month = pl.col("year"), pl.col("month")
    shifted = year - (month <= 2).cast(pl.Int64)
    era = shifted // 400
    year_of_era = shifted - era * 400
    day_of_year = (
        (153 * (month + pl.when(month > 2).then(-3).otherwise(9)) + 2) // 5 + pl.col("day") - 1
    )
    day_of_era = year_of_era * 365 + year_of_era // 4 - year_of_era // 100 + day_of_year
    days = era * 146_097 + day_of_era - 719_468
    # A leap second (:60) is read as :59.
    seconds = (
        days * 86_400
        + pl.col("hour") * 3_600
        + pl.col("minute") * 60
        + pl.col("second").clip(0, 59)
    )
    return seconds * 1_000_000 + pl.col("micro")


def _valid_date() -> pl.Expr:
    """Return whether the `year`..`second` columns make a real date and time."""
    year, month = pl.col("year"), pl.col("month")
    leap = (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))
    month_days = month.replace_strict(
        {1: 31, 2: 28, 3: 31, 4: 30, 5: 31, 6: 30, 7: 31, 8: 31, 9: 30, 10: 31, 11: 30, 12: 31},
        default=None,
        return_dtype=pl.Int64,
    ) + ((month == 2) & leap).cast(pl.Int64)
    return (
        year.is_between(1, 9999)
        & month.is_between(1, 12)
        & pl.col("day").is_between(1, month_days)
        & pl.col("hour").is_between(0, 23)
        & pl.col("minute").is_between(0, 59)
        & pl.col("second").is_between(0, 60)
    ).fill_null(False)


def _offset_minutes(parts: pl.DataFrame, tz: str | None) -> tuple[pl.Expr, tuple[str, ...]]:
    """Return the stamp's offset from UTC in minutes (null where it has none, or where its
    zone abbreviation is read in `tz`), and the notes on abbreviations of several zones."""
    cols = set(parts.columns)
    minutes = pl.lit(None, dtype=pl.Int64)
    notes: list[str] = []
    if "z" in cols:
        digits = pl.col("z").str.replace_all(r"[^0-9]", "")
        minutes_part = digits.str.slice(2, 2).cast(pl.Int64, strict=False).fill_null(0)
        size = digits.str.slice(0, 2).cast(pl.Int64) * 60 + minutes_part
        sign = pl.when(pl.col("z").str.contains("-", literal=True)).then(-1).otherwise(1)
        minutes = size * sign
    if "N" in cols:
        table = zones.offset_table()
        for name in parts["N"].drop_nulls().unique().sort():
            if name not in zones.AMBIGUOUS:
                continue
            _, reading, others = zones.AMBIGUOUS[name]
            if tz is not None and zones.zone_writes(tz, name):
                table.pop(name)  # read as a stamp without a zone: in tz
                notes.append(f"zone {name} in stamps read in {tz}, the source's zone")
            else:
                notes.append(
                    f"zone {name} in stamps read as {reading}; it also names {others}: "
                    "set the source's zone to read it so"
                )
        named = pl.col("N").replace_strict(table, default=None, return_dtype=pl.Int64)
        minutes = pl.when(pl.col("N").is_not_null()).then(named).otherwise(minutes)
    if "Z" in cols:
        minutes = pl.when(pl.col("Z").is_not_null()).then(0).otherwise(minutes)
    return minutes.cast(pl.Int64), tuple(notes)


def _settle_order(parts: pl.DataFrame, form: _Form) -> tuple[pl.DataFrame, _Form, tuple[str, ...]]:
    """Return `parts` of a numeric date whose day and month order is settled by the stamps
    themselves (swapped when the other order is the only one they allow), the form they are
    read as, and a note when no stamp settles it."""
    sibling = _ORDER_SIBLINGS.get(form.name)
    if sibling is None or parts["_stamp"].null_count() == parts.height:
        return parts, form, ()
    first, second = ("m", "d") if form.name == "mdy" else ("d", "m")
    first_over, second_over = parts.select(
        (_int(parts, first) > 12).any(), (_int(parts, second) > 12).any()
    ).row(0)
    # The month's place holds a value over 12 and the day's none: the other order.
    month_over, day_over = (
        (first_over, second_over) if form.name == "mdy" else (second_over, first_over)
    )
    if month_over and not day_over:
        return parts.rename({"m": "d", "d": "m"}), _FORM_BY_NAME[sibling], ()
    if first_over or second_over:
        return parts, form, ()
    order = "month-first" if form.name == "mdy" else "day-first"
    return (
        parts,
        form,
        (f"day and month order not settled by the stamps (none over 12): read {order}, "
         f"as {form.label}",),
    )  # fmt: skip


def settled_layout(text: pl.Series, layout: Layout, *, whole: bool = False) -> Layout:
    """Return `layout`, or for numeric dates the layout of the day and month order its stamps
    in `text` settle (see `_settle_order`)."""
    if layout.name not in _ORDER_SIBLINGS:
        return layout
    if whole:
        regex = f"^(?P<_pre>)(?P<_stamp>{_FORM_BY_NAME[layout.name].regex})$"
        parts = text.str.strip_chars().str.extract_groups(regex).struct.unnest()
    else:
        parts = text.str.extract_groups(_groups_regex(layout)).struct.unnest()
    _, form, _ = _settle_order(parts, _FORM_BY_NAME[layout.name])
    return layout if form.name == layout.name else layout_of(form.name, layout.prefix, layout.field)


def _read_all(
    text: pl.Series,
    layout: Layout,
    *,
    mtime: float | None,
    tz: str | None,
    whole: bool = False,
) -> LineStamps:
    """Return the stamps of `text` read with `layout` by the general regex.

    With `whole`, each value (stripped of surrounding white space) is read as a stamp alone.
    """
    form = _FORM_BY_NAME[layout.name]
    if whole:
        regex = f"^(?P<_pre>)(?P<_stamp>{form.regex})$"
        parts = text.str.strip_chars().str.extract_groups(regex).struct.unnest()
    else:
        parts = text.str.extract_groups(_groups_regex(layout)).struct.unnest()
    if parts["_stamp"].null_count() == parts.height and not {"Y", "y", "E", "T"}.isdisjoint(
        parts.columns
    ):
        # No stamp at all, and a layout whose year comes from its stamps: nothing to assemble
        # and nothing assumed (the layouts without a year note their assumed year even so).
        nulls = pl.repeat(None, parts.height, eager=True)
        ends = nulls.cast(pl.UInt32)
        return LineStamps(nulls.cast(TS).alias("ts"), ends.alias("header_end"), ends, ())
    parts, form, order_notes = _settle_order(parts, form)
    ts, notes = _assemble(parts, form, mtime=mtime, tz=tz)
    ends = parts.select(
        (pl.col("_pre").str.len_chars() + pl.col("_stamp").str.len_chars())
        .cast(pl.UInt32)
        .alias("header_end"),
        pl.when(pl.col("_stamp").is_not_null())
        .then(pl.col("_pre").str.len_chars())
        .cast(pl.UInt32)
        .alias("stamp_at"),
    )
    return LineStamps(ts.alias("ts"), ends["header_end"], ends["stamp_at"], order_notes + notes)


def _read(
    text: pl.Series,
    layout: Layout,
    *,
    mtime: float | None,
    tz: str | None,
    whole: bool = False,
) -> tuple[pl.Series, pl.Series, tuple[str, ...]]:
    """Return (ts, header_end, notes) for `text` read with `layout`, by the general regex."""
    read = _read_all(text, layout, mtime=mtime, tz=tz, whole=whole)
    return read.ts, read.header_end, read.notes


# --- fast path: stamps of one fixed width at a fixed place ---------------------------------
#
# Most logs write every stamp the same way ("2026-01-06T00:00:00.378Z" at the line start). For
# the ISO-like layouts, when a sample shows such a fixed shape, the rows that match the shape
# exactly (ASCII digits, a time within 00:00:00..23:59:59, and a following character that
# cannot extend the stamp, so that the layout's own regex would split it the same way) are
# read with one `str.strptime` of the fixed-width date and time, the fraction and offset by
# slicing: no capture groups. Rows the shape does not read, or whose date strptime refuses or
# would read differently (year 0), go through the general regex, so the result is the same.

_FIXED_FORMS = {"iso8601": "-", "ymd-slashed": "/"}
_FIXED_PREFIXES = {"": "", r"\[": "["}
_FIXED_SHAPE = re.compile(
    r"[0-9]{4}(?P<sep>[-/])[0-9]{2}(?P=sep)[0-9]{2}(?P<T>[T ])[0-9]{2}:[0-9]{2}:[0-9]{2}"
    r"(?:(?P<dot>[.,])(?P<f>[0-9]{1,9}))?"
    r"(?:(?P<Z>Z)|(?P<sign>[+-])[0-9]{2}(?P<colon>:?)[0-9]{2})?"
)
# What may follow a stamp without a zone in a line, so that the layout's regex would neither
# take a fraction or zone from it nor move the word boundary: end of line, a character that is
# no ASCII word character, `.`, `,`, `+`, `-` or space, or one of the latter three when
# what follows them cannot be read as a zone (`+01`, ` UTC`, ` GMT`, ` CEST`). Conservative on
# purpose: a row it refuses only goes the general way.
_NOT_A_SIGNED_ZONE = r"[+\-](?:$|\D|\d(?:$|\D))"
_NO_ZONE_FOLLOW = ascii_classes(
    r"(?:$|[^\w.,+\- ]|"
    + _NOT_A_SIGNED_ZONE
    + r"| (?:"
    + _NOT_A_SIGNED_ZONE
    + "|"
    + zones.not_a_name_regex(("UTC", "GMT", "AM", "PM", "am", "pm"), also_not=r"+\-")
    + "))"
)
_DATE_TIME_CHARS = 19  # "2026-01-06T00:00:00"
_YEAR_1_US = -62_135_596_800_000_000  # 0001-01-01T00:00:00 in microseconds since 1970


@dataclass(frozen=True)
class _Fixed:
    """A stamp shape of fixed width at a fixed place, and where its parts sit."""

    shape: str  # regex of the prefix and stamp (ASCII), anchored at the start only
    start: int  # characters before the stamp (its prefix)
    width: int  # characters of the prefix and stamp: the header end
    strptime: str  # format of the date and time, the first 19 characters of the stamp
    fraction: tuple[int, int] | None  # (offset in the line, digits)
    zone: str | None  # None, "Z", or "offset" (sign, hours, [colon,] minutes at `sign_at`)
    sign_at: int = 0
    minutes_at: int = 0

    def regex(self, *, whole: bool) -> str:
        """Return the regex of the rows this reads exactly like the general path."""
        if whole:
            return f"^{self.shape}$"
        return f"^{self.shape}" + (_NO_ZONE_FOLLOW if self.zone is None else _END)


def _fixed_of(stamp: str, form: _Form, pre: str) -> _Fixed | None:
    """Return the fixed shape of `stamp` (one value of `form` after the prefix `pre`)."""
    match = _FIXED_SHAPE.fullmatch(stamp)
    if match is None or match["sep"] != _FIXED_FORMS.get(form.name):
        return None
    sep, at = match["sep"], len(pre)
    shape = (
        re.escape(pre)
        + f"[0-9]{{4}}{sep}[0-9]{{2}}{sep}[0-9]{{2}}{match['T']}"
        # strptime rolls a leap second (:60) over to the next minute, where the general path
        # reads :59: such rows go the general way.
        + "(?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]"
    )
    strptime = f"%Y{sep}%m{sep}%d{match['T']}%H:%M:%S"
    fraction = None
    if match["f"] is not None:
        shape += re.escape(match["dot"]) + f"[0-9]{{{len(match['f'])}}}"
        fraction = (at + match.start("f"), len(match["f"]))
    width = at + len(stamp)
    if match["Z"] is not None:
        return _Fixed(shape + "Z", at, width, strptime, fraction, "Z")
    if match["sign"] is not None:
        shape += f"[+\\-][0-9]{{2}}{match['colon']}[0-9]{{2}}"
        sign_at = at + match.start("sign")
        minutes_at = sign_at + 3 + len(match["colon"])
        return _Fixed(shape, at, width, strptime, fraction, "offset", sign_at, minutes_at)
    return _Fixed(shape, at, width, strptime, fraction, None)


def _fixed_fields(fixed: _Fixed, text: pl.Expr) -> list[pl.Expr]:
    """Return `local_us` (null where strptime refuses the date), and `offset` in minutes."""

    def number(start: int, length: int) -> pl.Expr:
        return text.str.slice(start, length).cast(pl.Int64, strict=False)

    naive = (
        text.str.slice(fixed.start, _DATE_TIME_CHARS)
        .str.strptime(pl.Datetime("us"), fixed.strptime, strict=False)
        .cast(pl.Int64)
    )
    if fixed.fraction is not None:
        start, digits = fixed.fraction
        kept = min(digits, 6)
        naive = naive + number(start, kept) * 10 ** (6 - kept)
    if fixed.zone == "Z":
        offset = pl.lit(0, dtype=pl.Int64)
    elif fixed.zone == "offset":
        size = number(fixed.sign_at + 1, 2) * 60 + number(fixed.minutes_at, 2)
        negative = text.str.slice(fixed.sign_at, 1) == "-"
        offset = pl.when(negative).then(-size).otherwise(size)
    else:
        offset = pl.lit(None, dtype=pl.Int64)
    return [naive.alias("local_us"), offset.cast(pl.Int64).alias("offset")]


def _fixed_for(text: pl.Series, layout: Layout, *, whole: bool) -> _Fixed | None:
    """Return the fixed shape most stamps of a sample of `text` have (None when the layout or
    the stamps allow none)."""
    form = _FORM_BY_NAME[layout.name]
    if form.name not in _FIXED_FORMS or layout.prefix not in _FIXED_PREFIXES:
        return None
    sample = _spread(text.drop_nulls(), 500)
    if whole:
        sample = sample.str.strip_chars()
    stamps = sample.str.extract(_groups_regex(layout), 2).drop_nulls()
    if stamps.len() == 0:
        return None
    shapes = stamps.str.replace_all("[0-9]", "0")
    stamp = stamps.filter(shapes == shapes.mode().sort()[0])[0]
    return _fixed_of(stamp, form, _FIXED_PREFIXES[layout.prefix])


def _read_fast(
    text: pl.Series, layout: Layout, *, mtime: float | None, tz: str | None, whole: bool
) -> LineStamps:
    """Return what `_read_all` returns, reading rows of the sample's fixed stamp shape without
    capture groups (see above) and the others with `_read_all`."""
    fixed = _fixed_for(text, layout, whole=whole)
    if fixed is None:
        return _read_all(text, layout, mtime=mtime, tz=tz, whole=whole)
    # The shape test and the reading are independent: one select runs them side by side.
    fields = (
        text.alias("text")
        .to_frame()
        .select(
            pl.col("text").str.contains(fixed.regex(whole=whole)).fill_null(False).alias("fast"),
            *_fixed_fields(fixed, pl.col("text")),
        )
        .with_columns(valid=pl.col("fast") & pl.col("local_us").ge(_YEAR_1_US).fill_null(False))
    )
    read = fields["valid"]
    if not read.any():
        return _read_all(text, layout, mtime=mtime, tz=tz, whole=whole)
    end = pl.when(pl.col("valid")).then(pl.lit(fixed.width, dtype=pl.UInt32)).alias("header_end")
    if fixed.zone == "Z" or (fixed.zone is None and tz in (None, "UTC")):
        # The wall time is UTC: no zone arithmetic.
        ts_end = fields.select(
            pl.when(pl.col("valid")).then(pl.col("local_us")).cast(TS).alias("ts"), end
        )
        ts = ts_end["ts"]
        notes: tuple[str, ...] = ()
        if fixed.zone is None:
            notes = (
                "no zone in stamps: read as UTC"
                if tz is None
                else f"no zone in stamps: read in {tz}",
            )
        header_end = ts_end["header_end"]
    else:
        ts, notes = _zoned(fields.with_columns(stamped=pl.col("valid")), tz)
        header_end = fields.select(end).to_series()
    stamp_at = fields.select(
        pl.when(pl.col("valid")).then(pl.lit(fixed.start, dtype=pl.UInt32)).alias("stamp_at")
    ).to_series()
    if not read.all():
        rest = (~read).arg_true()
        slow = _read_all(text.filter(~read), layout, mtime=mtime, tz=tz, whole=whole)
        ts = ts.scatter(rest, slow.ts)
        header_end = header_end.scatter(rest, slow.header_end)
        stamp_at = stamp_at.scatter(rest, slow.stamp_at)
        notes = tuple(dict.fromkeys(notes + slow.notes))
    return LineStamps(ts.alias("ts"), header_end, stamp_at, notes)


def _spread(values: pl.Series, size: int) -> pl.Series:
    """Return up to `size` values taken evenly from `values` (which may be long)."""
    if values.len() <= size:
        return values
    return values.gather_every(values.len() // size).head(size)


_PRUNE_LINES = 20


@functools.lru_cache(maxsize=512)
def _loose(pattern: str) -> re.Pattern[str] | None:
    """Return `pattern` as a Python regex matching at least what polars' would, or None.

    Rust's ASCII word boundary `(?-u:\\b)` is dropped (a superset); a pattern Python cannot
    compile gives None, and is then never pruned.
    """
    try:
        return re.compile(pattern.replace("(?-u:\\b)", ""))
    except re.error:
        return None


def _best(sample: pl.Series, candidates: Sequence[Layout]) -> tuple[Layout | None, int]:
    """Return the candidate reading most of `sample` (the first on a tie) and that count.

    Scoring every candidate costs a dozen polars calls per source (about 15 ms), which a
    bundle of 500 small files pays 500 times. So the candidates are first pruned to those
    matching one of the first lines (Python's `re`, compiled once); the pruned result is
    exact whenever it reads more lines than a pruned candidate possibly could (one matching
    none of the first lines can read at most the others), and the full scoring runs otherwise.
    """
    head = sample.head(_PRUNE_LINES).to_list()
    kept = [
        c
        for c in candidates
        if (loose := _loose(c.pattern)) is None or any(loose.match(v) for v in head if v)
    ]
    if len(kept) < len(candidates):
        best, count = _score(sample, kept) if kept else (None, 0)
        if sample.len() <= _PRUNE_LINES or count > sample.len() - len(head):
            return best, count
    return _score(sample, candidates)


def _score(sample: pl.Series, candidates: Sequence[Layout]) -> tuple[Layout | None, int]:
    """Return the candidate reading most of `sample` (the first on a tie) and that count."""
    frame = sample.alias("v").to_frame()
    matches = frame.select(
        [pl.col("v").str.contains(c.pattern).sum().alias(str(i)) for i, c in enumerate(candidates)]
    ).row(0)
    # Only layouts whose regex matches get the (dearer) full parse, best matches first.
    order = sorted(range(len(candidates)), key=lambda i: -matches[i])
    best_index, best_count = -1, 0
    for i in order:
        if matches[i] == 0 or matches[i] < best_count:
            break
        ts, _, _ = _read(sample, candidates[i], mtime=None, tz=None)
        matched = sample.str.contains(candidates[i].pattern)
        count = int((ts.is_not_null() & matched).sum())
        if count > best_count or (count == best_count and count > 0 and i < best_index):
            best_index, best_count = i, count
    best = candidates[best_index] if best_index >= 0 else None
    return best, best_count


def parse_stamp_column(
    values: pl.Series, *, mtime: float | None = None, tz: str | None = None
) -> StampResult:
    """Return a column of timestamp strings read as UTC datetimes, with the layout found.

    The layout (ISO 8601 and its variants, syslog, CLF, ctime, epochs in s/ms/us/ns within
    2000..2100, ...) is the one reading most of a sample of the non-null values; the whole
    column is then parsed with it. Stamps with a zone are converted to UTC; others are read in
    `tz` (IANA name) or UTC. Stamps without a year follow the module's year rule (`mtime` is
    the file's modification time). Values the layout cannot read become null.
    """
    _check_zone(tz)
    raw = values if values.dtype == pl.String else values.cast(pl.String)
    present = raw.drop_nulls().str.strip_chars()
    present = present.filter(present != "")
    if present.len() == 0:
        return StampResult(pl.Series(values.name, [None] * values.len(), dtype=TS), None, ())
    candidates = [
        Layout(f.name, f"^({f.regex})$", f.label, "") for f in _COLUMN_FORMS
    ]  # whole values only: a column holds nothing but the stamp
    layout, count = _best(_spread(present, 500), candidates)
    if layout is None:
        example = present[0][:40]
        return StampResult(
            pl.Series(values.name, [None] * values.len(), dtype=TS),
            None,
            (f"no known timestamp layout in values such as {example!r}",),
        )
    layout = settled_layout(_spread(present, 500), layout, whole=True)
    form = _FORM_BY_NAME[layout.name]
    read = _read_fast(raw, layout, mtime=mtime, tz=tz, whole=True)
    ts, notes = read.ts, read.notes
    unread = present.len() - (ts.len() - ts.null_count())
    if unread:
        notes += (f"{unread} of {present.len()} stamps unreadable as {form.label}",)
    return StampResult(ts.alias(values.name), layout.name, notes)


def detect_layout(sample: Sequence[str]) -> Layout | None:
    """Return the layout (stamp and what precedes it) reading most lines of `sample`, or None.

    The stamp may be anywhere in the first characters of the lines, after a prefix whose shape
    is learned from the sample (see `logview.core.stamp_search`).
    """
    from logview.core import stamp_search  # it builds on this module

    return stamp_search.detect_layout(sample)


def extract_stamps(
    text: pl.Series, layout: Layout, *, mtime: float | None = None, tz: str | None = None
) -> tuple[pl.Series, pl.Series]:
    """Return (ts as UTC datetimes, header_end) for lines read with `layout`.

    `header_end` (UInt32) is the character offset just after the stamp; both are null on
    lines without a stamp. Year and zone rules: see the module docstring.
    """
    read = read_line_stamps(text, layout, mtime=mtime, tz=tz)
    return read.ts, read.header_end


def extract_stamps_noted(
    text: pl.Series, layout: Layout, *, mtime: float | None = None, tz: str | None = None
) -> tuple[pl.Series, pl.Series, tuple[str, ...]]:
    """Return what `extract_stamps` returns plus the notes on assumed years and zones."""
    read = read_line_stamps(text, layout, mtime=mtime, tz=tz)
    return read.ts, read.header_end, read.notes


def read_line_stamps(
    text: pl.Series, layout: Layout, *, mtime: float | None = None, tz: str | None = None
) -> LineStamps:
    """Return the stamps of lines read with `layout`: UTC datetimes, where each stamp starts
    and ends, and the notes on assumed years and zones."""
    _check_zone(tz)
    return _read_fast(text, layout, mtime=mtime, tz=tz, whole=False)


# --- dates from header lines (W3C extended log files) ----------------------------------------
#
# IIS and other W3C extended logs may write records with a `time` field only; the date is in a
# `#Date: 2024-01-02 03:04:05` directive line before them (a new one when the file is reopened).

_HEADER_DATE = ascii_classes(r"^#Date:\s*(\d{4}-\d{2}-\d{2})")
_TIME_OF_DAY = ascii_classes(r"^\s*(\d{1,2}):(\d{2}):(\d{2})(?:[.,](\d{1,9}))?\s*$")


def dates_from_header_lines(lines: pl.Series) -> pl.Series:
    """Return, for each line, the date of the last `#Date:` directive at or before it (Date;
    null before the first one or where a directive's date is unreadable)."""
    text = lines.cast(pl.String)
    found = text.str.extract(_HEADER_DATE, 1)
    is_header = found.is_not_null()
    dates = found.str.strptime(pl.Date, "%Y-%m-%d", strict=False)
    # An unreadable directive ends the previous date too: its records have no known date.
    known = pl.DataFrame({"date": dates, "header": is_header}).select(
        pl.when(pl.col("header")).then(pl.col("date").cast(pl.Int32).fill_null(-(2**31)))
    )
    filled = known.to_series().forward_fill()
    return (
        pl.DataFrame({"d": filled})
        .select(pl.when(pl.col("d") > -(2**31)).then(pl.col("d")).cast(pl.Date).alias("date"))
        .to_series()
        .rename(lines.name or "date")
    )


def stamps_from_times(
    times: pl.Series,
    header_dates: pl.Series,
    dates: pl.Series | None = None,
    *,
    tz: str | None = None,
) -> StampResult:
    """Return time-of-day values (`HH:mm:ss[.fff]`) as UTC stamps, each dated by its own
    `dates` value where given (a record's `date` field, `yyyy-MM-dd` or Date) and otherwise by
    `header_dates` (see `dates_from_header_lines`), one day later for each midnight passed
    since that header date (the time of day going down). Times without a zone are read in `tz`
    (the W3C format writes UTC, the default)."""
    _check_zone(tz)
    parts = times.cast(pl.String).str.extract_groups(_TIME_OF_DAY).struct.unnest()
    parts.columns = ["H", "M", "S", "f"]
    own = None
    if dates is not None:
        own = (
            dates
            if dates.dtype == pl.Date
            else dates.cast(pl.String).str.strip_chars().str.to_date("%Y-%m-%d", strict=False)
        )
    frame = parts.with_columns(
        header=header_dates.cast(pl.Date),
        own=own if own is not None else pl.lit(None, dtype=pl.Date),
    ).with_columns(
        micro=pl.col("f").str.pad_end(6, "0").str.slice(0, 6).cast(pl.Int64).fill_null(0),
        tod=pl.col("H").cast(pl.Int64) * 3600
        + pl.col("M").cast(pl.Int64) * 60
        + pl.col("S").cast(pl.Int64),
    )
    # Midnights since the header date: within the rows of one header date (a run), the times
    # dated by it going down from one to the next.
    header_rows = pl.col("own").is_null() & pl.col("tod").is_not_null()
    frame = frame.with_columns(
        run=pl.col("header").ne_missing(pl.col("header").shift(1)).cum_sum(),
        dated=pl.when(header_rows).then(pl.col("tod")),
    )
    previous = pl.col("dated").forward_fill().shift(1).over("run")
    frame = frame.with_columns(
        wrapped=(header_rows & (pl.col("tod") < previous)).fill_null(False).cast(pl.Int32)
    ).with_columns(days=pl.col("wrapped").cum_sum().over("run"))
    date = pl.coalesce(pl.col("own"), pl.col("header") + pl.duration(days=pl.col("days")))
    fields = frame.select(
        year=date.dt.year().cast(pl.Int64),
        month=date.dt.month().cast(pl.Int64),
        day=date.dt.day().cast(pl.Int64),
        hour=pl.col("H").cast(pl.Int64),
        minute=pl.col("M").cast(pl.Int64),
        second=pl.col("S").cast(pl.Int64),
        micro=pl.col("micro"),
        offset=pl.lit(None, dtype=pl.Int64),
        stamped=pl.col("tod").is_not_null() & date.is_not_null(),
    )
    ts, notes = _finish(fields, tz)
    undated = frame.select(pl.col("tod").is_not_null() & date.is_null()).to_series().sum()
    if undated:
        notes += (f"{undated} times without a date (no #Date: line before them)",)
    return StampResult(ts.alias(times.name or "ts"), "time-of-day", notes)
