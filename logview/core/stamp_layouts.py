"""strftime-like stamp layouts, as a user format writes them (`%Y-%m-%d %H:%M:%S.%f`), read
as UTC datetimes.

A layout becomes one regex whose named groups are the parts of a stamp; a column of stamps
goes through one `str.extract_groups`, and the parts are written again in the one shape the
`timestamps` module reads for that kind of stamp (ISO 8601 with a year, the syslog shape
without one), so that its year and zone rules and its checks of impossible dates hold for
user layouts too. Epoch seconds (`%s`) are converted directly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import polars as pl

from logview.core.errors import LogviewError
from logview.core.formats import ParseContext
from logview.core.parsers.jsonlines import parse_stamps
from logview.core.regex import ascii_classes
from logview.core.table import TS
from logview.core.timestamps import MONTHS

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
    frame = parts.select(_canonical(layout.parts))
    canonical, offset = frame["canonical"], frame["offset"]
    if {"Y", "y"} & layout.parts or offset.null_count() == offset.len():
        return parse_stamps(canonical, ctx)
    # The syslog shape carries no offset: such stamps are read as UTC and moved by theirs.
    local = parse_stamps(canonical, ctx)
    utc = parse_stamps(canonical, ParseContext(ctx.source, ctx.mtime, None))
    moved = utc.to_frame().select((pl.col("ts") - pl.duration(minutes=pl.lit(offset))).alias("ts"))[
        "ts"
    ]
    return moved.zip_with(offset.is_not_null(), local).rename("ts")


def _number(name: str, parts: frozenset[str], default: int = 0) -> pl.Expr:
    if name not in parts:
        return pl.lit(default, dtype=pl.Int32)
    return pl.col(name).cast(pl.Int32, strict=False)


def _two(expr: pl.Expr) -> pl.Expr:
    return expr.cast(pl.String).str.zfill(2)


def _canonical(parts: frozenset[str]) -> list[pl.Expr]:
    """Return the stamp rewritten in the shape `timestamps` reads for it (`canonical`: ISO
    8601 with a year, `Mon dd HH:MM:SS.f` without), null where the layout did not match, and
    the offset in minutes (`offset`, null where none)."""
    if "b" in parts:
        month = (
            pl.col("b")
            .str.to_lowercase()
            .replace_strict(MONTHS, default=None, return_dtype=pl.Int32)
        )
    else:
        month = _number("m", parts)
    hour = _number("H", parts)
    if "p" in parts:
        pm = pl.col("p").str.to_lowercase() == "pm"
        hour = hour % 12 + pl.when(pm).then(12).otherwise(0)
    fraction = pl.col("f") if "f" in parts else pl.lit("0")
    clock = pl.concat_str(
        _two(hour), pl.lit(":"), _two(_number("M", parts)), pl.lit(":"),
        _two(_number("S", parts)), pl.lit("."), fraction,
    )  # fmt: skip
    offset = _offset(parts)
    if {"Y", "y"} & parts:
        year = _number("Y", parts) if "Y" in parts else _pivot(_number("y", parts))
        zone = pl.when(offset.is_null()).then(pl.lit("")).otherwise(_zone_text(offset))
        stamp = pl.concat_str(
            year.cast(pl.String).str.zfill(4), pl.lit("-"), _two(month), pl.lit("-"),
            _two(_number("d", parts)), pl.lit("T"), clock, zone,
        )  # fmt: skip
    else:
        names = {number: name.title() for name, number in MONTHS.items()}
        stamp = pl.concat_str(
            month.replace_strict(names, default=None, return_dtype=pl.String), pl.lit(" "),
            _two(_number("d", parts)), pl.lit(" "), clock,
        )  # fmt: skip
    # A value that did not match has null parts; a month name that is none gives null too.
    matched = pl.col(sorted(parts)[0]).is_not_null()
    return [
        pl.when(matched).then(stamp).alias("canonical"),
        pl.when(matched).then(offset).alias("offset"),
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


def _zone_text(offset: pl.Expr) -> pl.Expr:
    size = offset.abs()
    sign = pl.when(offset < 0).then(pl.lit("-")).otherwise(pl.lit("+"))
    return pl.concat_str(sign, _two(size // 60), pl.lit(":"), _two(size % 60))


def _epoch(parts: pl.DataFrame) -> pl.Series:
    seconds = pl.col("E").cast(pl.Int64, strict=False)
    micro = (
        pl.col("f").str.pad_end(6, "0").str.slice(0, 6).cast(pl.Int64).fill_null(0)
        if "f" in parts.columns
        else pl.lit(0, dtype=pl.Int64)
    )
    return parts.select((seconds * 1_000_000 + micro).cast(TS).alias("ts"))["ts"]
