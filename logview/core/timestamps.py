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

import zoneinfo
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import polars as pl

from logview.core.errors import LogviewError
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
_PREFIXES: tuple[str, ...] = (
    "",
    r"\[",
    r"<\d{1,3}>\s?",
    r"\S{1,24} +\[?",  # one short token, e.g. BGL's "- " or "APPREAD "
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
    last = parts.select(
        month.alias("m"), _int(parts, "d").alias("d")
    ).drop_nulls().tail(1)
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
    fields = fields.with_columns(local_us=_local_micros(), valid=_valid_date())
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
    text: pl.Series, layout: Layout, *, mtime: float | None, tz: str | None
) -> tuple[pl.Series, pl.Series, tuple[str, ...]]:
    """Return (ts, header_end, notes) for `text` read with `layout`."""
    form = _FORM_BY_NAME[layout.name]
    parts = text.str.extract_groups(_groups_regex(layout)).struct.unnest()
    ts, notes = _assemble(parts, form, mtime=mtime, tz=tz)
    header_end = parts.select(
        (pl.col("_pre").str.len_chars() + pl.col("_stamp").str.len_chars())
        .cast(pl.UInt32)
        .alias("header_end")
    ).to_series()
    return ts.alias("ts"), header_end, notes


def _spread(values: pl.Series, size: int) -> pl.Series:
    """Return up to `size` values taken evenly from `values` (which may be long)."""
    if values.len() <= size:
        return values
    return values.gather_every(values.len() // size).head(size)


def _best(sample: pl.Series, candidates: Sequence[Layout]) -> tuple[Layout | None, int]:
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
    text = values if values.dtype == pl.String else values.cast(pl.String)
    text = text.str.strip_chars()
    present = text.drop_nulls()
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
    parts = text.str.extract_groups(f"^(?P<_stamp>{form.regex})$").struct.unnest()
    ts, notes = _assemble(parts, form, mtime=mtime, tz=tz)
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
    return _read(text, layout, mtime=mtime, tz=tz)
