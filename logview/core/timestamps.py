"""Timestamps: find the layout of the stamps in a column or at the start of lines, then parse.

Each known layout ("form") is a regex whose named groups are the parts of a stamp (`Y` year,
`y` two-digit year, `m` month, `b` month name, `d` day, `H` `M` `S` time, `f` fraction, `p`
AM/PM, `z` offset, `Z` a literal UTC, `E` epoch digits). A layout is chosen from a small sample
(the one reading most of it), then the whole column goes through one `str.extract_groups` and
integer arithmetic: no per-row Python.

Year rule, for stamps without a year (syslog `Jun  4 10:00:00`): the last stamp of the source
gets the year of the file's modification time (UTC; the current year when unknown), or the year
before when that would put it more than a day after the file was last written; going backwards
through the file, each time the month increases compared with the stamp after it (a wrap, e.g.
Dec before Jan) the year steps back by one.

Zone rule: stamps with an offset or `Z`/`UTC` are converted to UTC; stamps without one are read
in the given IANA zone, or as UTC when none is given. Both assumptions are reported as notes.
"""

from __future__ import annotations

import functools
import re
import zoneinfo
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import polars as pl

from logview.core.errors import LogviewError
from logview.core.regex import ascii_classes
from logview.core.table import TS

# Some writers do not zero-pad the time ("22:16:0:119"), so 1-2 digits are read.
_HMS = r"(?P<H>\d{1,2}):(?P<M>\d{1,2}):(?P<S>\d{1,2})"
_ZONE = r"(?:(?P<Z>Z| ?UTC| ?GMT)|(?P<z> ?[+-]\d{2}:?\d{2}))?"
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


@dataclass(frozen=True)
class _Form:
    name: str
    label: str
    regex: str  # the stamp alone, with named parts; no anchors
    epoch_digits: int = 0  # for epochs: 10 (s), 13 (ms), 16 (us), 19 (ns)

    def __post_init__(self) -> None:
        object.__setattr__(self, "regex", ascii_classes(self.regex))


# Order matters on a tie: the first form reading as many sampled values wins.
_FORMS: tuple[_Form, ...] = (
    _Form(
        "iso8601",
        "ISO 8601",
        rf"(?P<Y>\d{{4}})-(?P<m>\d{{2}})-(?P<d>\d{{2}})[T ]{_HMS}(?:[.,](?P<f>\d{{1,9}}))?{_ZONE}",
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
        rf"(?P<Y>\d{{4}})/(?P<m>\d{{2}})/(?P<d>\d{{2}})[T ]{_HMS}(?:[.,](?P<f>\d{{1,9}}))?{_ZONE}",
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
    ),
    _Form(
        "clf",
        "dd/MMM/yyyy:HH:mm:ss",
        rf"(?P<d>\d{{2}})/{_MON}/(?P<Y>\d{{4}}):{_HMS}(?:\.(?P<f>\d{{1,9}}))?"
        r"(?P<z> [+-]\d{4})?",
    ),
    _Form(
        "ctime",
        "ctime (Sun Dec 04 04:47:44 2005)",
        rf"[A-Za-z]{{3}} {_MON} {{1,2}}(?P<d>\d{{1,2}}) {_HMS}(?:\.(?P<f>\d{{1,9}}))? (?P<Y>\d{{4}})",
    ),
    _Form(
        "java",
        "MMM dd, yyyy h:mm:ss a",
        rf"{_MON} (?P<d>\d{{1,2}}), (?P<Y>\d{{4}}) "
        r"(?P<H>\d{1,2}):(?P<M>\d{2}):(?P<S>\d{2}) (?P<p>[AaPp][Mm])",
    ),
    _Form(
        "syslog",
        "syslog (MMM dd HH:mm:ss)",
        rf"{_MON} {{1,2}}(?P<d>\d{{1,2}}) {_HMS}(?:\.(?P<f>\d{{1,9}}))?",
    ),
    _Form("epoch-s", "epoch seconds", r"(?P<E>\d{10})(?:\.(?P<f>\d{1,9}))?", 10),
    _Form("epoch-ms", "epoch milliseconds", r"(?P<E>\d{13})", 13),
    _Form("epoch-us", "epoch microseconds", r"(?P<E>\d{16})", 16),
    _Form("epoch-ns", "epoch nanoseconds", r"(?P<E>\d{19})", 19),
)
_FORM_BY_NAME = {form.name: form for form in _FORMS}

# What may precede a stamp at the start of a line, simplest first (preferred on a tie).
_PREFIXES: tuple[str, ...] = tuple(
    ascii_classes(prefix)
    for prefix in (
        "",
        r"\[",
        r"<\d{1,3}>\s?",
        r"\S{1,24} +\[?",  # one short token, e.g. BGL's "- " or "APPREAD "
    )
)
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


def _layout(form: _Form, prefix: str) -> Layout:
    return Layout(form.name, f"^(?:{prefix})({form.regex}){_END}", form.label, prefix)


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
    plausible = us.is_between(_EPOCH_MIN_US, _EPOCH_MAX_US, closed="left")
    return parts.select(pl.when(plausible).then(us).cast(TS).alias("ts")).to_series()


def _assemble(
    parts: pl.DataFrame, form: _Form, *, mtime: float | None, tz: str | None
) -> tuple[pl.Series, tuple[str, ...]]:
    """Return UTC datetimes built from the named parts of `form` (one column per part) + notes.

    Rows where `_stamp` is null (no match) stay null; rows whose parts make no valid date
    (month 13, Feb 30) are null too.
    """
    if form.epoch_digits:
        return _epoch_ts(parts, form), ()
    cols = set(parts.columns)
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
        hour = (hour % 12) + pl.when(pm).then(12).otherwise(0)
    micro = (
        pl.col("f").str.pad_end(6, "0").str.slice(0, 6).cast(pl.Int32).fill_null(0)
        if "f" in cols
        else pl.lit(0, dtype=pl.Int32)
    )
    if "ms" in cols:
        micro = micro + pl.col("ms").cast(pl.Int32).fill_null(0) * 1_000
    # Stages are materialised one after the other so polars computes each part once.
    fields = parts.select(
        year=year.cast(pl.Int64),
        month=month.cast(pl.Int64),
        day=day.cast(pl.Int64),
        hour=hour.cast(pl.Int64),
        minute=minute.cast(pl.Int64),
        second=second.cast(pl.Int64),
        micro=micro.cast(pl.Int64),
        offset=_offset_minutes(cols),
        stamped=pl.col("_stamp").is_not_null(),
    )
    ts, zone_notes = _finish(fields, tz)
    return ts, tuple(notes) + zone_notes


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


def _offset_minutes(cols: set[str]) -> pl.Expr:
    """Return the stamp's offset from UTC in minutes (null where it has none)."""
    minutes = pl.lit(None, dtype=pl.Int64)
    if "z" in cols:
        digits = pl.col("z").str.replace_all(r"[^0-9]", "")
        size = digits.str.slice(0, 2).cast(pl.Int64) * 60 + digits.str.slice(2, 2).cast(pl.Int64)
        sign = pl.when(pl.col("z").str.contains("-", literal=True)).then(-1).otherwise(1)
        minutes = size * sign
    if "Z" in cols:
        minutes = pl.when(pl.col("Z").is_not_null()).then(0).otherwise(minutes)
    return minutes.cast(pl.Int64)


def _read(
    text: pl.Series,
    layout: Layout,
    *,
    mtime: float | None,
    tz: str | None,
    whole: bool = False,
) -> tuple[pl.Series, pl.Series, tuple[str, ...]]:
    """Return (ts, header_end, notes) for `text` read with `layout`, by the general regex.

    With `whole`, each value (stripped of surrounding white space) is read as a stamp alone.
    """
    form = _FORM_BY_NAME[layout.name]
    if whole:
        regex = f"^(?P<_pre>)(?P<_stamp>{form.regex})$"
        parts = text.str.strip_chars().str.extract_groups(regex).struct.unnest()
    else:
        parts = text.str.extract_groups(_groups_regex(layout)).struct.unnest()
    if parts["_stamp"].null_count() == parts.height and not {"Y", "y", "E"}.isdisjoint(
        parts.columns
    ):
        # No stamp at all, and a layout whose year comes from its stamps: nothing to assemble
        # and nothing assumed (the layouts without a year note their assumed year even so).
        nulls = pl.repeat(None, parts.height, eager=True)
        return nulls.cast(TS).alias("ts"), nulls.cast(pl.UInt32).alias("header_end"), ()
    ts, notes = _assemble(parts, form, mtime=mtime, tz=tz)
    header_end = parts.select(
        (pl.col("_pre").str.len_chars() + pl.col("_stamp").str.len_chars())
        .cast(pl.UInt32)
        .alias("header_end")
    ).to_series()
    return ts.alias("ts"), header_end, notes


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
# what follows them cannot be read as a zone (`+01`, ` UTC`, ` GMT`). Conservative on purpose:
# a row it refuses only goes the general way.
_NOT_A_SIGNED_ZONE = r"[+\-](?:$|\D|\d(?:$|\D))"
_NO_ZONE_FOLLOW = ascii_classes(
    r"(?:$|[^\w.,+\- ]|"
    + _NOT_A_SIGNED_ZONE
    + r"| (?:$|[^UG+\-]|"
    + _NOT_A_SIGNED_ZONE
    + r"|U(?:$|[^T]|T(?:$|[^C]))|G(?:$|[^M]|M(?:$|[^T]))))"
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
) -> tuple[pl.Series, pl.Series, tuple[str, ...]]:
    """Return what `_read` returns, reading rows of the sample's fixed stamp shape without
    capture groups (see above) and the others with `_read`."""
    fixed = _fixed_for(text, layout, whole=whole)
    if fixed is None:
        return _read(text, layout, mtime=mtime, tz=tz, whole=whole)
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
        return _read(text, layout, mtime=mtime, tz=tz, whole=whole)
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
    if not read.all():
        rest = (~read).arg_true()
        slow_ts, slow_end, slow_notes = _read(
            text.filter(~read), layout, mtime=mtime, tz=tz, whole=whole
        )
        ts = ts.scatter(rest, slow_ts)
        header_end = header_end.scatter(rest, slow_end)
        notes = tuple(dict.fromkeys(notes + slow_notes))
    return ts.alias("ts"), header_end, notes


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
        Layout(f.name, f"^({f.regex})$", f.label, "") for f in _FORMS
    ]  # whole values only: a column holds nothing but the stamp
    layout, count = _best(_spread(present, 500), candidates)
    if layout is None:
        example = present[0][:40]
        return StampResult(
            pl.Series(values.name, [None] * values.len(), dtype=TS),
            None,
            (f"no known timestamp layout in values such as {example!r}",),
        )
    form = _FORM_BY_NAME[layout.name]
    ts, _, notes = _read_fast(raw, layout, mtime=mtime, tz=tz, whole=True)
    unread = present.len() - (ts.len() - ts.null_count())
    if unread:
        notes += (f"{unread} of {present.len()} stamps unreadable as {form.label}",)
    return StampResult(ts.alias(values.name), layout.name, notes)


def detect_layout(sample: Sequence[str]) -> Layout | None:
    """Return the layout (stamp and what precedes it) reading most lines of `sample`, or None.

    A stamp starts the line, or follows `[`, a syslog priority `<NN>`, or one short token.
    """
    lines = pl.Series("v", list(sample), dtype=pl.String)
    lines = lines.filter(lines.str.strip_chars() != "")
    if lines.len() == 0:
        return None
    candidates = [_layout(form, prefix) for prefix in _PREFIXES for form in _FORMS]
    layout, _ = _best(lines, candidates)
    return layout


def extract_stamps(
    text: pl.Series, layout: Layout, *, mtime: float | None = None, tz: str | None = None
) -> tuple[pl.Series, pl.Series]:
    """Return (ts as UTC datetimes, header_end) for lines read with `layout`.

    `header_end` (UInt32) is the character offset just after the stamp; both are null on
    lines without a stamp. Year and zone rules: see the module docstring.
    """
    ts, header_end, _ = extract_stamps_noted(text, layout, mtime=mtime, tz=tz)
    return ts, header_end


def extract_stamps_noted(
    text: pl.Series, layout: Layout, *, mtime: float | None = None, tz: str | None = None
) -> tuple[pl.Series, pl.Series, tuple[str, ...]]:
    """Return what `extract_stamps` returns plus the notes on assumed years and zones."""
    _check_zone(tz)
    return _read_fast(text, layout, mtime=mtime, tz=tz, whole=False)
