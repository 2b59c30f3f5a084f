"""strftime-like stamp layouts, as a user format writes them (`%Y-%m-%d %H:%M:%S.%f`), read
as UTC datetimes.

A layout becomes one regex whose named groups are the parts of a stamp; a column of stamps
goes through one `str.extract_groups`. Stamps with a year are then built from their parts by
integer arithmetic (an impossible date is null, a leap second is :59, an offset is honoured,
other stamps are read in the zone given), as the timestamps module builds its own; stamps
without a year are written again in the syslog shape and read by the timestamps module, whose
year rule then holds for them too. Epoch seconds (`%s`) are converted directly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import polars as pl

from logview.core.reading.formats import ParseContext
from logview.core.reading.stamp_forms import MONTHS
from logview.core.reading.timestamps import Layout, extract_stamps_noted, layout_of
from logview.core.shared.errors import LogviewError
from logview.core.shared.regex import ascii_classes
from logview.core.shared.table import TS

# Each directive's regex; numbers take one or two digits, as Python's strptime reads them.
_PARTS = {
    "Y": r"(?P<Y>\d{4})",
    "y": r"(?P<y>\d{2})",
    "m": r"(?P<m>\d{1,2})",
    "d": r"(?P<d>\d{1,2})",
    "e": r" ?(?P<d>\d{1,2})",
    "H": r"(?P<H>\d{1,2})",
    "I": r"(?P<H>\d{1,2})",
    "M": r"(?P<M>\d{1,2})",
    "S": r"(?P<S>\d{1,2})",
    "f": r"(?P<f>\d{1,9})",
    "b": r"(?P<b>[A-Za-z]{3})",
    "h": r"(?P<b>[A-Za-z]{3})",
    "B": r"(?P<b>[A-Za-z]{3})[A-Za-z]{0,6}",
    "a": r"[A-Za-z]{3}",
    "A": r"[A-Za-z]{6,9}",
    "p": r"(?P<p>[AaPp][Mm])",
    "z": r"(?P<z>Z|[+-]\d{2}:?\d{2})",
    "Z": r"(?P<Z>UTC|GMT|Z)",
    "s": r"(?P<E>\d{1,12})",
}
# Shorthands, spelled out before translation.
_SHORT = {"T": "%H:%M:%S", "F": "%Y-%m-%d", "D": "%m/%d/%y", "R": "%H:%M"}
_DIRECTIVE = re.compile(r"%(.?)")
# Directives that give the same part as another (a stamp has one hour, one day, one month).
_SAME_PART = {"I": "H", "e": "d", "h": "b", "B": "b"}
# The timestamps module's layout of the shape stamps without a year are rewritten in, named so
# that no layout is detected again on every call.
_SYSLOG = layout_of("syslog")


@dataclass(frozen=True)
class StampLayout:
    """A strftime-like layout and the regex of the stamps it reads."""

    text: str  # as the user wrote it
    regex: str  # the whole stamp, anchored, with named parts
    parts: frozenset[str]  # the parts it has: Y y m d H M S f b p z Z E
    # The layout piece by piece: (the directive such as "%Y", or the literal text; its regex),
    # so that a stamp that does not fit can be told where it stops fitting.
    pieces: tuple[tuple[str, str], ...] = ()


def compile_layout(text: str) -> StampLayout:
    """Return the layout `text` (strftime directives and literal text) ready to read stamps.

    Raises LogviewError with the reason when the layout cannot read a stamp: an unknown or
    repeated directive, no directive at all, no day and month (nor epoch seconds), `%I`
    without `%p`.
    """
    written = text
    # Shorthands first (a `%%` is a literal percent sign, never the start of one).
    text = _DIRECTIVE.sub(lambda m: _SHORT.get(m.group(1), m.group(0)), text)
    pieces: list[tuple[str, str]] = []
    seen: dict[str, str] = {}  # part -> the directive that gave it
    at = 0
    for match in _DIRECTIVE.finditer(text):
        if match.start() > at:
            pieces.append((text[at : match.start()], re.escape(text[at : match.start()])))
        at = match.end()
        code = match.group(1)
        if code == "%":
            pieces.append(("%%", "%"))
            continue
        if code not in _PARTS:
            shown = f"%{code}" if code else "a lone % at its end"
            known = " ".join(f"%{c}" for c in (*_PARTS, *_SHORT))
            raise LogviewError(f"layout {written!r}: unknown directive {shown} (known: {known} %%)")
        part = _SAME_PART.get(code, code)
        if part in seen:
            raise LogviewError(
                f"layout {written!r}: %{seen[part]} and %{code} both give the same part"
                if seen[part] != code
                else f"layout {written!r}: %{code} appears twice"
            )
        seen[part] = code
        pieces.append((f"%{code}", ascii_classes(_PARTS[code])))
    if at < len(text):
        pieces.append((text[at:], re.escape(text[at:])))
    regex = "".join(piece for _, piece in pieces)
    parts = frozenset(re.findall(r"\?P<(\w+)>", regex))
    if not seen:
        raise LogviewError(
            f"layout {written!r} has no % directive: write it as strftime does, "
            "e.g. %Y-%m-%d %H:%M:%S, or write auto"
        )
    if "E" not in parts and not ("d" in parts and {"m", "b"} & parts):
        raise LogviewError(f"layout {written!r} has no day and month (%d and %m or %b), nor %s")
    if seen.get("H") == "I" and "p" not in parts:
        raise LogviewError(f"layout {written!r}: %I (12-hour clock) needs %p (AM/PM)")
    return StampLayout(written, f"^{regex}$", parts, tuple(pieces))


def read_layout(values: pl.Series, layout: StampLayout, ctx: ParseContext) -> pl.Series:
    """Return `values` (stamp texts) read with `layout` as Datetime(us, UTC) named `ts`, null
    where a value does not fit it or names an impossible date.

    Stamps without an offset are read in `ctx.tz` (UTC when None); a layout without a year
    takes it by the timestamps module's year rule. Its notes go to `ctx.note`.
    """
    text = values.cast(pl.String).str.strip_chars()
    parts = text.str.extract_groups(layout.regex).struct.unnest()
    if "E" in layout.parts:
        return _epoch(parts)
    if {"Y", "y"} & layout.parts:
        return _with_year(parts, layout.parts, ctx)
    frame = parts.select(_canonical(layout.parts))
    canonical, offset = frame["canonical"], frame["offset"]
    local = _read(canonical, _SYSLOG, ctx, ctx.tz)
    if offset.null_count() == offset.len():
        return local
    # The syslog shape carries no offset: such stamps are read as UTC and moved by theirs.
    utc = _read(canonical, _SYSLOG, ctx, None)
    shift = pl.duration(minutes=pl.lit(offset))
    moved = utc.to_frame().select((pl.col("ts") - shift).alias("ts"))["ts"]
    return moved.zip_with(offset.is_not_null(), local).rename("ts")


def _with_year(parts: pl.DataFrame, names: frozenset[str], ctx: ParseContext) -> pl.Series:
    """Return the stamps of a layout with a year, from their parts by integer arithmetic: UTC
    where they carry an offset, else read in `ctx.tz` (UTC when None); null where the parts
    make no real date and time. (Writing them out as ISO 8601 for the timestamps module cost
    three times the whole parse.)"""
    # Stages are materialised one after the other so that polars computes each part once.
    fields = parts.select(
        year=_number("Y", names) if "Y" in names else _pivot(_number("y", names)),
        month=_month(names),
        day=_number("d", names),
        hour=_hour(names),
        minute=_number("M", names),
        second=_number("S", names),
        micro=pl.col("f").str.pad_end(6, "0").str.slice(0, 6).cast(pl.Int32, strict=False)
        if "f" in names
        else pl.lit(0, dtype=pl.Int32),
        offset=_offset(names),
    )
    year, month = pl.col("year"), pl.col("month")
    leap = (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))
    days = month.replace_strict(
        {1: 31, 2: 28, 3: 31, 4: 30, 5: 31, 6: 30, 7: 31, 8: 31, 9: 30, 10: 31, 11: 30, 12: 31},
        default=None,
        return_dtype=pl.Int32,
    ) + ((month == 2) & leap).cast(pl.Int32)
    fields = fields.with_columns(
        valid=(
            year.is_between(1, 9999)
            & pl.col("day").is_between(1, days)
            & pl.col("hour").is_between(0, 23)
            & pl.col("minute").is_between(0, 59)
            & pl.col("second").is_between(0, 60)
        ).fill_null(False)
    )

    def safe(name: str, default: int) -> pl.Expr:
        # pl.datetime raises on an impossible date, even on rows masked out afterwards.
        return pl.when(pl.col("valid")).then(pl.col(name)).otherwise(default)

    fields = fields.with_columns(
        naive=pl.when(pl.col("valid")).then(
            pl.datetime(
                safe("year", 2000), safe("month", 1), safe("day", 1), safe("hour", 0),
                # A leap second (:60) is read as :59, as the timestamps module reads it.
                safe("minute", 0), safe("second", 0).clip(0, 59), safe("micro", 0),
                time_unit="us",
            )
        )
    )  # fmt: skip
    naive, offset = pl.col("naive"), pl.col("offset")
    if ctx.tz in (None, "UTC"):
        local = naive.dt.replace_time_zone("UTC")
    else:
        local = naive.dt.replace_time_zone(
            ctx.tz, ambiguous="earliest", non_existent="null"
        ).dt.convert_time_zone("UTC")
    if fields["offset"].null_count() == fields.height:
        ts = local
    else:
        given = naive.dt.replace_time_zone("UTC") - pl.duration(minutes=offset)
        ts = pl.when(offset.is_null()).then(local).otherwise(given)
    result = fields.select(
        ts.cast(TS).alias("ts"), (pl.col("valid") & offset.is_null()).any().alias("zoneless")
    )
    if result["zoneless"][0]:
        zone = "as UTC" if ctx.tz is None else f"in {ctx.tz}"
        ctx.note(f"no zone in stamps: read {zone}")
    return result["ts"]


def _month(names: frozenset[str]) -> pl.Expr:
    if "b" in names:
        return (
            pl.col("b")
            .str.to_lowercase()
            .replace_strict(MONTHS, default=None, return_dtype=pl.Int32)
        )
    return _number("m", names)


def _hour(names: frozenset[str]) -> pl.Expr:
    hour = _number("H", names)
    if "p" in names:
        pm = pl.col("p").str.to_lowercase() == "pm"
        hour = pl.when(hour.is_between(1, 12)).then(hour % 12 + pl.when(pm).then(12).otherwise(0))
    return hour


def _read(canonical: pl.Series, shape: Layout, ctx: ParseContext, tz: str | None) -> pl.Series:
    """Return the rewritten stamps read with the timestamps module's `shape`; its notes on
    an assumed year or zone go to `ctx.note`."""
    ts, _, notes = extract_stamps_noted(canonical, shape, mtime=ctx.mtime, tz=tz)
    for note in notes:
        ctx.note(note)
    return ts.cast(TS).rename("ts")


def _number(name: str, parts: frozenset[str], default: int = 0) -> pl.Expr:
    if name not in parts:
        return pl.lit(default, dtype=pl.Int32)
    return pl.col(name).cast(pl.Int32, strict=False)


def _two(expr: pl.Expr) -> pl.Expr:
    return expr.cast(pl.String).str.zfill(2)


def _canonical(parts: frozenset[str]) -> list[pl.Expr]:
    """Return a stamp without a year rewritten in the shape `timestamps` reads with its year
    rule (`Mon dd HH:MM:SS.f`), null where the layout did not match, and its offset in
    minutes (`offset`, null where none)."""
    fraction = pl.col("f") if "f" in parts else pl.lit("0")
    clock = pl.concat_str(
        _two(_hour(parts)), pl.lit(":"), _two(_number("M", parts)), pl.lit(":"),
        _two(_number("S", parts)), pl.lit("."), fraction,
    )  # fmt: skip
    names = {number: name.title() for name, number in MONTHS.items()}
    stamp = pl.concat_str(
        _month(parts).replace_strict(names, default=None, return_dtype=pl.String), pl.lit(" "),
        _two(_number("d", parts)), pl.lit(" "), clock,
    )  # fmt: skip
    # A value that did not match has null parts; a month name that is none gives null too.
    matched = pl.col(sorted(parts)[0]).is_not_null()
    return [
        pl.when(matched).then(stamp).alias("canonical"),
        pl.when(matched).then(_offset(parts)).alias("offset"),
    ]


def _pivot(year: pl.Expr) -> pl.Expr:
    # Two-digit years pivot as POSIX strptime does: 69-99 are 19xx, 00-68 20xx.
    return pl.when(year >= 69).then(year + 1900).otherwise(year + 2000)


def _offset(parts: frozenset[str]) -> pl.Expr:
    """Return the offset from UTC in minutes, null where the stamp has none."""
    minutes = pl.lit(None, dtype=pl.Int32)
    if "z" in parts:
        digits = pl.col("z").str.replace_all(r"[^0-9]", "")
        size = digits.str.slice(0, 2).cast(pl.Int32) * 60 + digits.str.slice(2, 2).cast(pl.Int32)
        sign = pl.when(pl.col("z").str.starts_with("-")).then(-1).otherwise(1)
        minutes = pl.when(pl.col("z") == "Z").then(0).otherwise(size * sign)
    if "Z" in parts:
        minutes = pl.when(pl.col("Z").is_not_null()).then(0).otherwise(minutes)
    return minutes


def _epoch(parts: pl.DataFrame) -> pl.Series:
    seconds = pl.col("E").cast(pl.Int64, strict=False)
    micro = (
        pl.col("f").str.pad_end(6, "0").str.slice(0, 6).cast(pl.Int64).fill_null(0)
        if "f" in parts.columns
        else pl.lit(0, dtype=pl.Int64)
    )
    return parts.select((seconds * 1_000_000 + micro).cast(TS).alias("ts"))["ts"]
