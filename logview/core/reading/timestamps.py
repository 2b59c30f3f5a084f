"""Timestamps: find the layout of the stamps in a column or in lines, then parse.

Each known layout ("form", `logview.core.reading.stamp_forms`) is a regex whose named groups are the
parts of a stamp; `logview.core.reading.stamp_rules` makes datetimes of them. A layout is chosen from
a small sample (the one reading most of it), then the whole column goes through one
`str.extract_groups` and integer arithmetic: no per-row Python. In lines, a stamp may follow
a prefix learned per source (`logview.core.reading.stamp_search`).

Year rule, for stamps without a year (syslog `Jun  4 10:00:00`, logcat, glog, Redis): the last
stamp of the source gets the year of the file's modification time (UTC; the current year when
unknown), or the year before when that would put it more than a day after the file was last
written; going backwards through the file, each time the date lies over half a year after the
stamp after it (a wrap, e.g. Dec before Jan) the year steps back by one. A smaller step back
(a device's clock starting again at Jan 1 after a reboot) stays in the same year.

Date rule, for a time of day alone (`12:34:56.789`): the last stamp is on the file's date (the
day before when its time lies over an hour after the file was written), one day earlier for
each midnight going back (a time over 12 hours later than the next one's).

Zone rule: stamps with an offset, `Z`/`UTC`/`GMT` or a zone abbreviation (`logview.core.reading.zones`)
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

import polars as pl

from logview.core.reading import zones
from logview.core.reading.stamp_forms import (
    COLUMN_FORMS,
    END,
    FILE_DATED,
    FORM_BY_NAME,
    ORDER_SIBLINGS,
    Form,
)
from logview.core.reading.stamp_rules import assemble, finish, settle_order, zoned
from logview.core.shared.errors import LogviewError
from logview.core.shared.regex import ascii_classes
from logview.core.shared.table import TS


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
    form = FORM_BY_NAME[form_name]
    return Layout(form.name, f"^(?:{prefix})({form.regex}){END}", form.label, prefix, field)


def _layout(form: Form, prefix: str) -> Layout:
    return layout_of(form.name, prefix)


def _groups_regex(layout: Layout) -> str:
    """Return the regex whose named groups give the prefix, the stamp and its parts."""
    form = FORM_BY_NAME[layout.name]
    return f"^(?P<_pre>{layout.prefix})(?P<_stamp>{form.regex}){END}"


def _check_zone(tz: str | None) -> None:
    if tz is None:
        return
    try:
        zoneinfo.ZoneInfo(tz)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as err:
        raise LogviewError(
            f"unknown time zone {tz!r}: use an IANA name such as Europe/Paris"
        ) from err


def settled_layout(text: pl.Series, layout: Layout, *, whole: bool = False) -> Layout:
    """Return `layout`, or for numeric dates the layout of the day and month order its stamps
    in `text` settle (see `settle_order`)."""
    if layout.name not in ORDER_SIBLINGS:
        return layout
    if whole:
        regex = f"^(?P<_pre>)(?P<_stamp>{FORM_BY_NAME[layout.name].regex})$"
        parts = text.str.strip_chars().str.extract_groups(regex).struct.unnest()
    else:
        parts = text.str.extract_groups(_groups_regex(layout)).struct.unnest()
    _, form, _ = settle_order(parts, FORM_BY_NAME[layout.name])
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
    form = FORM_BY_NAME[layout.name]
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
    parts, form, order_notes = settle_order(parts, form)
    ts, notes = assemble(parts, form, mtime=mtime, tz=tz)
    if mtime is not None and form.name in FILE_DATED and not _near_file_date(ts, mtime):
        other = _file_dated_reading(text, layout, form, ts, mtime=mtime, tz=tz, whole=whole)
        if other is not None:
            return other
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


_FILE_DATE_SLACK_US = 86_400 * 1_000_000  # a day: the file's zone and the stamps' may differ
_FILE_DATE_SPAN_US = 366 * 86_400 * 1_000_000


def _near_file_date(ts: pl.Series, mtime: float) -> bool:
    """Whether the last of `ts` falls in the year before `mtime` (a file's lines are written
    before it was last modified, and most of a log within a year of that), or there is none."""
    last = ts.drop_nulls().cast(pl.Int64).max()
    if last is None:
        return True
    written = int(mtime * 1_000_000)
    return written - _FILE_DATE_SPAN_US <= last <= written + _FILE_DATE_SLACK_US  # type: ignore[operator]


def _file_dated_reading(
    text: pl.Series,
    layout: Layout,
    form: Form,
    ts: pl.Series,
    *,
    mtime: float,
    tz: str | None,
    whole: bool,
) -> LineStamps | None:
    """Return the stamps of `text` read as another form of the same text (`FILE_DATED`: the
    other day and month order, a two-digit year first or last) when that reading stamps as
    many lines and falls in the year before the file was last written, and `ts`'s does not;
    else None. `24-06-29 09:13:58` in a file of June 2024 is 29 June 2024, not 24 June 2029."""
    stamped = ts.is_not_null().sum()
    for name in FILE_DATED[form.name]:
        if name == form.name:
            continue
        other = layout_of(name, layout.prefix, layout.field)
        # (read without the file's date, so that this reading does not look for others; the
        # forms here all have their year)
        read = _read_all(text, other, mtime=None, tz=tz, whole=whole)
        if read.ts.is_not_null().sum() >= stamped and _near_file_date(read.ts, mtime):
            notes = tuple(n for n in read.notes if not n.startswith("day and month order"))
            note = f"stamps read as {FORM_BY_NAME[name].label}, the reading the file's date allows"
            return LineStamps(read.ts, read.header_end, read.stamp_at, (note, *notes))
    return None


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
    + zones.not_a_name_regex(
        ("UTC", "GMT", "AM", "PM", "am", "pm", *(f"{area}/" for area in zones.IANA_AREAS)),
        also_not=r"+\-",
    )
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
        return f"^{self.shape}" + (_NO_ZONE_FOLLOW if self.zone is None else END)


def _fixed_of(stamp: str, form: Form, pre: str) -> _Fixed | None:
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
    form = FORM_BY_NAME[layout.name]
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
        ts, notes = zoned(fields.with_columns(stamped=pl.col("valid")), tz)
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
        Layout(f.name, f"^({f.regex})$", f.label, "") for f in COLUMN_FORMS
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
    form = FORM_BY_NAME[layout.name]
    read = _read_fast(raw, layout, mtime=mtime, tz=tz, whole=True)
    ts, notes = read.ts, read.notes
    unread = present.len() - (ts.len() - ts.null_count())
    if unread:
        notes += (f"{unread} of {present.len()} stamps unreadable as {form.label}",)
    return StampResult(ts.alias(values.name), layout.name, notes)


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

# The W3C draft's grammar writes the date `1996-01-12`, its example `12-Jan-1996`: both are read.
_HEADER_DATE = ascii_classes(r"^#Date:\s*(\d{4}-\d{2}-\d{2}|\d{1,2}-[A-Za-z]{3}-\d{4})")
_TIME_OF_DAY = ascii_classes(r"^\s*(\d{1,2}):(\d{2}):(\d{2})(?:[.,](\d{1,9}))?\s*$")


def dates_from_header_lines(lines: pl.Series) -> pl.Series:
    """Return, for each line, the date of the last `#Date:` directive at or before it (Date;
    null before the first one or where a directive's date is unreadable)."""
    text = lines.cast(pl.String)
    found = text.str.extract(_HEADER_DATE, 1)
    is_header = found.is_not_null()
    dates = pl.DataFrame({"d": found}).select(
        pl.coalesce(
            pl.col("d").str.strptime(pl.Date, "%Y-%m-%d", strict=False),
            pl.col("d").str.to_titlecase().str.strptime(pl.Date, "%d-%b-%Y", strict=False),
        )
    )["d"]
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


_HALF_DAY_S = 12 * 3600


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
    since that header date (the time of day going down by more than 12 hours: a smaller step
    back is records written out of order, as IIS writes a request when it ends, not a day).
    Times without a zone are read in `tz` (the W3C format writes UTC, the default)."""
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
    # dated by it going down by more than 12 hours from one to the next.
    header_rows = pl.col("own").is_null() & pl.col("tod").is_not_null()
    frame = frame.with_columns(
        run=pl.col("header").ne_missing(pl.col("header").shift(1)).cum_sum(),
        dated=pl.when(header_rows).then(pl.col("tod")),
    )
    previous = pl.col("dated").forward_fill().shift(1).over("run")
    frame = frame.with_columns(
        wrapped=(header_rows & (pl.col("tod") < previous - _HALF_DAY_S))
        .fill_null(False)
        .cast(pl.Int32)
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
    ts, notes = finish(fields, tz)
    undated = frame.select(pl.col("tod").is_not_null() & date.is_null()).to_series().sum()
    if undated:
        notes += (f"{undated} times without a date (no #Date: line before them)",)
    return StampResult(ts.alias(times.name or "ts"), "time-of-day", notes)
