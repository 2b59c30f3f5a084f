"""Stamp rules: the named parts of stamps (see `logview.core.reading.stamp_forms`) into UTC datetimes.

The year rule, the date rule for times alone, the zone rule, the day and month order of
numeric dates, epochs and TAI64N labels: see `logview.core.reading.timestamps` for the rules in words.
Everything is polars expressions over the parts' columns: no per-row Python.
"""

from __future__ import annotations

import zoneinfo
from collections.abc import Collection
from datetime import UTC, datetime, timedelta, timezone

import polars as pl

from logview.core.reading import zones
from logview.core.reading.stamp_forms import FORM_BY_NAME, MONTH_FIRST, MONTHS, ORDER_SIBLINGS, Form
from logview.core.shared.table import TS

# Epochs are only believed between these instants (2000-01-01 and 2100-01-01, in us), so that
# an ordinary 10-digit number is not read as a date.
EPOCH_MIN_US = 946_684_800_000_000
EPOCH_MAX_US = 4_102_444_800_000_000
# A TAI64 label is 2^62 + TAI seconds since 1970. daemontools and runit write 2^62 + 10 + Unix
# seconds (TAI was 10 s ahead of UTC in 1972) without leap seconds, and read it back the same
# way (`tai64nlocal`); that is the reading here (s6 adds leap seconds: its stamps read 27 s late).
_TAI64_UNIX = (1 << 62) + 10
_TAI64_NOTE = (
    "TAI64N stamps read as daemontools and runit write them (2^62 + 10 s + Unix time); "
    "stamps written with leap seconds (s6) read 27 s late"
)


# Days of a year counted in 31-day months: a date steps back by over half a year where its
# place (month * 31 + day) is more than this above the next one's.
_HALF_YEAR = 186


# How a form that may stop at the minute writes its seconds (stamp_forms._HM_S).
_MINUTE_STAMPS = "(?::(?P<S>"


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


def _some_without_year(parts: pl.DataFrame) -> bool:
    """Return whether a stamp in `parts` leaves out the year its form may write."""
    return bool(parts.select((pl.col("_stamp").is_not_null() & pl.col("Y").is_null()).any()).item())


def _plausible(us: pl.Expr) -> pl.Expr:
    return pl.when(us.is_between(EPOCH_MIN_US, EPOCH_MAX_US, closed="left")).then(us)


def _epoch_ts(parts: pl.DataFrame, form: Form) -> pl.Series:
    digits = pl.col("E").cast(pl.Int64, strict=False)
    if form.epoch_digits == 10:
        us = digits * 1_000_000 + _fraction(parts.columns, 6)
    elif form.epoch_digits == 13:
        # (a fraction of a millisecond: Kubernetes components' JSON)
        us = digits * 1_000 + _fraction(parts.columns, 3)
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


def _hex_epoch_ts(parts: pl.DataFrame) -> pl.Series:
    seconds = pl.col("X").str.to_integer(base=16, strict=False)
    fraction = pl.col("x").str.to_integer(base=16, strict=False)
    # (eight digits are nanoseconds, five microseconds)
    micros = pl.when(pl.col("x").str.len_chars() == 8).then(fraction // 1_000).otherwise(fraction)
    us = pl.when(micros < 1_000_000).then(seconds * 1_000_000 + micros)
    return parts.select(_plausible(us).cast(TS).alias("ts")).to_series()


def assemble(
    parts: pl.DataFrame, form: Form, *, mtime: float | None, tz: str | None
) -> tuple[pl.Series, tuple[str, ...]]:
    """Return UTC datetimes built from the named parts of `form` (one column per part) + notes.

    Rows where `_stamp` is null (no match) stay null; rows whose parts make no valid date
    (month 13, Feb 30) are null too.
    """
    if form.epoch_digits:
        return _epoch_ts(parts, form), ()
    if form.name == "tai64n":
        return _tai64n_ts(parts), (_TAI64_NOTE,)
    if form.name == "hex-epoch":
        return _hex_epoch_ts(parts), ()
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
    year = None
    if "Y" in cols or "y" in cols:
        # Two-digit years pivot like POSIX strptime: 69-99 are 19xx, 00-68 are 20xx. (A form
        # may write either: glog's `I240314` and `I20240314`.)
        yy = _int(parts, "y") if "y" in cols else None
        pivoted = None if yy is None else pl.when(yy >= 69).then(yy + 1900).otherwise(yy + 2000)
        year = pl.coalesce(
            [e for e in (_int(parts, "Y") if "Y" in cols else None, pivoted) if e is not None]
        )
    if year is None or (form.year_optional and _some_without_year(parts)):
        last_year = _year_from_file(mtime, _last_month_day(parts, month))
        # A wrap sits between a stamp and the next when the date goes back by more than half
        # a year (Dec 31 then Jan 1: the next year is a day on, the same year 364 days back);
        # a smaller step back is a clock set back (a device without a clock starting at Jan 1
        # after a reboot), not a new year. Every stamp before a wrap is one year earlier, so
        # count the wraps at or after each row, from the end.
        known = (month * 31 + _int(parts, "d").fill_null(1)).forward_fill()
        back = known - known.shift(-1).backward_fill()
        wraps = (back > _HALF_YEAR).fill_null(False).cast(pl.Int32)
        taken = last_year - wraps.cum_sum(reverse=True)
        # (a form whose year is optional keeps the year where a stamp writes one)
        year = taken if year is None else pl.coalesce(year, taken)
        source = "the file's date" if mtime is not None else "today's date (file date unknown)"
        notes.append(
            f"no year in stamps: took {last_year} from {source} for the last entry, "
            "one year earlier for each wrap going back (a date after the next by over half "
            "a year)"
        )
    day, hour, minute, second = (_int(parts, n) for n in ("d", "H", "M", "S"))
    if _MINUTE_STAMPS in form.regex or "(?P<S>" not in form.regex:
        second = second.fill_null(0)  # a stamp to the minute leaves its seconds out
    if "p" in cols:
        pm = pl.col("p").str.to_lowercase() == "pm"
        # Only rows with AM/PM are 12-hour: `12:05 AM` is 00:05, `12:05 PM` 12:05.
        hour = (
            pl.when(pl.col("p").is_null())
            .then(hour)
            .otherwise((hour % 12) + pl.when(pm).then(12).otherwise(0))
        )
    micro = _micro(cols)
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
        **({"zone": pl.col("I")} if "I" in cols else {}),
    )
    ts, tz_notes = finish(fields, tz)
    return ts, tuple(notes) + tz_notes + zone_notes


# Date rule, for times of day alone: the last stamp is on the file's date (in `tz`; today's when
# unknown), or the day before when its time lies more than an hour after the file was written;
# going back, a time more than 12 hours later than the one after it is the day before (a
# midnight passed; a smaller step back is lines written out of order, not a day).
_HOUR_US = 3_600_000_000
_MIDNIGHT_STEP_US = 12 * _HOUR_US


def _fraction(cols: Collection[str], places: int) -> pl.Expr:
    """Return the first `places` digits of a stamp's fraction (`f`) as a whole number (the
    microseconds of a second for 6, of a millisecond for 3), 0 where it has none."""
    if "f" not in cols:
        return pl.lit(0, dtype=pl.Int64)
    return pl.col("f").str.pad_end(places, "0").str.slice(0, places).cast(pl.Int64).fill_null(0)


def _micro(cols: Collection[str]) -> pl.Expr:
    """Return the microseconds of a stamp's fraction (`f`) or milliseconds after a colon
    (`ms`), 0 where it has neither."""
    micro = _fraction(cols, 6)
    if "ms" in cols:
        micro = micro + pl.col("ms").cast(pl.Int64).fill_null(0) * 1_000
    return micro


def _time_only(
    parts: pl.DataFrame, *, mtime: float | None, tz: str | None
) -> tuple[pl.Series, tuple[str, ...]]:
    """Return UTC datetimes of times of day alone, dated by the date rule above, + notes."""
    hour, minute, second = (_int(parts, n).cast(pl.Int64) for n in ("H", "M", "S"))
    micro = _micro(parts.columns).cast(pl.Int64)
    in_range = hour.is_between(0, 23) & minute.is_between(0, 59) & second.is_between(0, 60)
    tod = pl.when(in_range).then(
        (hour * 3600 + minute * 60 + second.clip(0, 59)) * 1_000_000 + micro
    )
    offset, _ = _offset_minutes(parts, tz)
    frame = parts.select(tod=tod, stamped=pl.col("_stamp").is_not_null(), offset=offset)
    when = datetime.now(UTC) if mtime is None else datetime.fromtimestamp(mtime, UTC)
    written_offsets = frame["offset"].drop_nulls()
    if written_offsets.len():
        # (the date the file's time had where its stamps were written: their offset's)
        when = when.astimezone(timezone(timedelta(minutes=int(written_offsets.mode()[0]))))
    elif tz is not None:
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
        offset=pl.col("offset"),
        stamped=pl.col("stamped"),
    )
    ts, notes = finish(fields, tz)
    source = "the file's date" if mtime is not None else "today's date (file date unknown)"
    return ts, (
        f"no date in stamps: took {last_date.isoformat()} from {source} for the last entry, "
        "one day earlier for each midnight going back",
        *notes,
    )


def finish(fields: pl.DataFrame, tz: str | None) -> tuple[pl.Series, tuple[str, ...]]:
    """Return UTC datetimes from Int64 `year`..`micro`, `offset` (minutes, null for none) and
    `stamped` columns, plus the note on stamps read without a zone."""
    return zoned(fields.with_columns(local_us=_local_micros(), valid=_valid_date()), tz)


def zoned(fields: pl.DataFrame, tz: str | None) -> tuple[pl.Series, tuple[str, ...]]:
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
    unzoned = pl.col("offset").is_null()
    if "zone" in fields.columns:
        # IANA zone names, each read with its own rules (summer time included); one the
        # machine does not know is read as a stamp without a zone.
        for name in fields["zone"].drop_nulls().unique().sort():
            if not zones.known_zone(name):
                continue
            in_zone = naive.dt.replace_time_zone(
                name, ambiguous="earliest", non_existent="null"
            ).dt.convert_time_zone("UTC")
            ts = pl.when(pl.col("zone") == name).then(in_zone).otherwise(ts)
            unzoned = unzoned & (pl.col("zone") != name).fill_null(True)
    if fields.select((pl.col("stamped") & unzoned).any()).item():
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
    if "zm" in cols:  # an offset written in minutes (DB2's `+060`)
        written = pl.col("zm").cast(pl.Int64, strict=False)
        minutes = pl.when(written.is_not_null()).then(written).otherwise(minutes)
    if "N" in cols:
        table, zone_notes = zones.offsets_for(parts["N"].drop_nulls().unique(), tz)
        notes.extend(zone_notes)
        named = pl.col("N").replace_strict(table, default=None, return_dtype=pl.Int64)
        minutes = pl.when(pl.col("N").is_not_null()).then(named).otherwise(minutes)
    if "Z" in cols:
        minutes = pl.when(pl.col("Z").is_not_null()).then(0).otherwise(minutes)
    return minutes.cast(pl.Int64), tuple(notes)


def settle_order(parts: pl.DataFrame, form: Form) -> tuple[pl.DataFrame, Form, tuple[str, ...]]:
    """Return `parts` of a numeric date whose day and month order is settled by the stamps
    themselves (swapped when the other order is the only one they allow), the form they are
    read as, and a note when no stamp settles it."""
    sibling = ORDER_SIBLINGS.get(form.name)
    if sibling is None or parts["_stamp"].null_count() == parts.height:
        return parts, form, ()
    first, second = ("m", "d") if form.name in MONTH_FIRST else ("d", "m")
    first_over, second_over = parts.select(
        (_int(parts, first) > 12).any(), (_int(parts, second) > 12).any()
    ).row(0)
    # The month's place holds a value over 12 and the day's none: the other order.
    month_over, day_over = (
        (first_over, second_over) if form.name in MONTH_FIRST else (second_over, first_over)
    )
    if month_over and not day_over:
        return parts.rename({"m": "d", "d": "m"}), FORM_BY_NAME[sibling], ()
    if first_over or second_over:
        return parts, form, ()
    order = "month-first" if form.name in MONTH_FIRST else "day-first"
    return (
        parts,
        form,
        (f"day and month order not settled by the stamps (none over 12): read {order}, "
         f"as {form.label}",),
    )  # fmt: skip
