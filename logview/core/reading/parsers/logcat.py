"""Android logcat, in each layout `adb logcat -v <format>` writes, and Android Studio's export.

- threadtime (the default): `03-17 16:13:38.811  1702  2395 D WindowManager: msg`
- time: `03-17 16:13:38.811 D/WindowManager( 1702): msg`
- brief: `D/WindowManager( 1702): msg`; tag: `D/WindowManager: msg`; thread: `D( 1702: 2395) msg`;
  process: `D( 1702) msg  (WindowManager)`
- long: `[ 03-17 16:13:38.811  1702: 2395 D/WindowManager ]`, the message's lines, a blank line
- Android Studio's Logcat window, saved: `2024-03-17 16:13:38.811  1702-2395  WindowManager
  com.example.app  D  msg`

The modifiers `-v year` (a `2024-` before the date), `-v uid` (a uid before the pid), `-v zone`
(`+0100` after the time) and `-v usec`/`nsec` (a longer fraction) are read too; so is `-v epoch`
(`1710692018.811` for the date and time, padded on the left with spaces). A source is read in
the layout most of its lines have. `--------- beginning of main` (and `switch to`) lines are
logcat's markers of where a buffer's lines begin, not log entries: they are left out, with a
note saying how many.

Levels are logcat's priority letters: V verbose (TRACE), D, I, W, E, F fatal and A assert
(both FATAL). Fields: pid, tid, tag, and package (the Studio export), uid (`-v uid`).

Multi-line messages: logcat writes each line of a message with the header repeated, and each
such line is an entry, as logcat prints it (and as Android Studio and `adb logcat` show it): a
crash's `FATAL EXCEPTION`, its exception and each `at ...` frame are rows of their own, with the
same stamp, pid, tid and tag. A line without a header (a broken line) joins the entry above,
but a kernel's line on the same serial console (`[  640.115902] binder: ...`) is an entry of
its own, without a time, and a terminal session's prompts and commands are none (see
`terminal.terminal_chrome`). In the long layout the message's lines follow their header and are
one entry.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from logview.core.reading.formats import (
    EARLY_LINES,
    Format,
    ParseContext,
    Sample,
)
from logview.core.reading.parsers.headed import (
    LOGCAT_MARKER,
    LOGCAT_MARKERS,
    entries_from_starts,
    header_parts,
    iso_text,
    map_levels,
    month_day_text,
    read_stamps,
    without_tool_lines,
    zone_offset,
    zone_table,
)
from logview.core.reading.parsers.terminal import terminal_chrome
from logview.core.shared.regex import ascii_classes, compiled
from logview.core.shared.table import TS, empty_parsed

LEVELS = {"V": "TRACE", "D": "DEBUG", "I": "INFO", "W": "WARN", "E": "ERROR", "F": "FATAL",
          "A": "FATAL"}  # fmt: skip
_LETTER = r"(?P<level>[VDIWEFAS])"
_STAMP = (
    r"(?:(?P<date>(?:\d{4}-)?\d{2}-\d{2}) (?P<time>\d{2}:\d{2}:\d{2}\.\d{3,9})"
    r"|\s*(?P<epoch>\d{9,10}\.\d{3,9}))(?: (?P<zone>[+-]\d{4}))?"
)
_UID = r"(?:(?P<uid>[a-z][a-z0-9_]*|\d+)\s+)?"
_LONG_UID = r"(?:(?P<uid>[a-z][a-z0-9_]*|\d+):\s*)?"


@dataclass(frozen=True)
class _Layout:
    name: str
    header: str  # regex of the header, anchored; its groups are the fields
    block: bool = False  # the message follows on the next lines (long)


# No lazy run before optional space (`.*?\s*:`): on a long line of spaces that costs time
# quadratic in its length. Tags are taken with their padding and stripped.
_LAYOUTS = (
    _Layout(
        "threadtime",
        rf"^{_STAMP}\s+{_UID}(?P<pid>\d+)\s+(?P<tid>\d+)\s+{_LETTER} (?P<tag>[^:]*):(?: |$)",
    ),
    _Layout(
        "time",
        rf"^{_STAMP} {_LETTER}/(?P<tag>[^(]*)\(\s*(?:(?P<uid>\w+):\s*)?(?P<pid>\d+)\):(?: |$)",
    ),
    _Layout(
        "studio",
        r"^(?P<date>\d{4}-\d{2}-\d{2}) (?P<time>\d{2}:\d{2}:\d{2}\.\d{3})\s+(?P<pid>\d+)-"
        r"(?P<tid>\d+)\s+(?P<tag>\S+)\s+(?P<package>\S+)\s+(?P<level>[VDIWEFA])(?:\s+|$)",
    ),
    _Layout("brief", rf"^{_LETTER}/(?P<tag>[^(]*)\(\s*(?P<pid>\d+)\):(?: |$)"),
    _Layout("thread", rf"^{_LETTER}\(\s*(?P<pid>\d+):\s*(?P<tid>\d+)\) "),
    # (the tag at the end, `  (Tag)`, is left in the message)
    _Layout("process", rf"^{_LETTER}\(\s*(?P<pid>\d+)\) "),
    _Layout("tag", rf"^{_LETTER}/(?P<tag>[^:(\s][^:(]*):(?: |$)"),
    _Layout(
        "long",
        rf"^\[ {_STAMP}\s+{_LONG_UID}(?P<pid>\d+):\s*(?P<tid>(?:0x)?[0-9a-f]+)"
        rf" {_LETTER}/(?P<tag>[^\]]*)\]$",
        block=True,
    ),
)
_COMPILED = {layout.name: compiled(layout.header) for layout in _LAYOUTS}
_BANNER_RE = compiled(LOGCAT_MARKER)
_FIELDS = ("uid", "pid", "tid", "tag", "package")
_SNIFF_SHARE = 0.6
_LONG_SHARE = 0.2  # of a long layout's lines that are headers (a message takes a line or more)


def _best_layout(lines: list[str]) -> tuple[_Layout | None, float]:
    """Return the layout most of `lines` are written in and the share it reads (for the long
    layout: of its headers among the lines, and only when the first line is one)."""
    present = [line for line in lines if line.strip() and not _BANNER_RE.match(line)]
    if not present:
        return None, 0.0
    best, best_share = None, 0.0
    for layout in _LAYOUTS:  # a few layouts over at most a sample of lines
        regex = _COMPILED[layout.name]
        if layout.block:
            if not regex.match(present[0]):
                continue
            # (of the lines not indented: a crash's stack frames are many lines of one message)
            flush = [line for line in present if not line[:1].isspace()]
            share = sum(1 for line in flush if regex.match(line)) / len(flush)
            share = 1.0 if share >= _LONG_SHARE else 0.0
        else:
            # Indented lines are broken lines' rest, unless the layout reads them (`-v epoch`
            # pads its seconds with spaces).
            considered = [x for x in present if not x[:1].isspace() or regex.match(x)]
            if not any(regex.match(line) for line in considered[:EARLY_LINES]):
                continue
            share = sum(1 for line in considered if regex.match(line)) / len(considered)
        if share > best_share:
            best, best_share = layout, share
    return best, best_share


def sniff(sample: Sample) -> float:
    """Return 0.85 when 60% of the sampled lines are logcat lines of one layout (a long
    layout's lines when it starts with a header and a fifth of them are), else 0."""
    _, share = _best_layout(list(sample.lines))
    return 0.85 if share >= _SNIFF_SHARE else 0.0


def _stamps(parts: pl.DataFrame, ctx: ParseContext) -> pl.Series:
    """Return the stamps of the header parts: with a year as ISO text, without one in the
    syslog layout (the year rule then applies), epochs as they are."""
    date, time = pl.col("date"), pl.col("time")
    with_year = date.str.len_chars() == 10
    month = date.str.slice(-5, 2)
    day = date.str.slice(-2, 2)
    zone = zone_offset(pl.col("zone"), zone_table(parts["zone"], ctx))
    iso = iso_text(date.str.slice(0, 4), month, day, time, zone)
    frame = parts.select("date", "time", "zone", "epoch")
    if frame["epoch"].null_count() < frame.height:
        return read_stamps(frame, pl.col("epoch"), ctx)
    if frame.select(with_year.all()).item():
        return read_stamps(frame, iso, ctx)
    if frame.select((~with_year).fill_null(True).all()).item():
        return read_stamps(frame, month_day_text(month, day, time), ctx)
    # Both kinds in one source (a file appended to with and without `-v year`): each on its own.
    yearly = read_stamps(frame, pl.when(with_year).then(iso), ctx)
    yearless = read_stamps(frame, pl.when(~with_year).then(month_day_text(month, day, time)), ctx)
    return yearly.fill_null(yearless)


def parse_logcat(lines: pl.DataFrame, ctx: ParseContext) -> pl.DataFrame:
    """Return one entry per logcat line (per block in the long layout); see the module."""
    if lines.height == 0:
        return empty_parsed()
    lines = without_tool_lines(lines, LOGCAT_MARKER, LOGCAT_MARKERS, ctx)
    if lines.height == 0:
        return empty_parsed()
    text = lines["text"]
    sample = pl.concat([text.head(500), text.gather_every(max(1, text.len() // 500))])
    layout, _ = _best_layout(sample.drop_nulls().to_list())
    if layout is None:
        layout = _LAYOUTS[0]
    parts = header_parts(text, layout.header)
    for name in ("date", "time", "zone", "epoch", *_FIELDS):
        if name not in parts.columns:
            parts = parts.with_columns(pl.lit(None, dtype=pl.String).alias(name))
    matched = parts["h"].is_not_null()
    header_end = parts["h"].str.len_chars() + (1 if layout.block else 0)
    ts = _stamps(parts, ctx) if matched.any() else pl.Series("ts", [None] * text.len(), dtype=TS)
    fields = [f for f in _FIELDS if parts[f].null_count() < parts.height]
    columns = parts.select(
        map_levels(pl.col("level"), LEVELS).alias("level"),
        *[pl.col(f).str.strip_chars() for f in fields],
    ).with_columns(ts=ts, body_at=header_end.cast(pl.UInt32))
    # The kernel's lines on the same serial console (`[  640.115902] binder: ...`, seconds
    # since boot) are messages of their own, without a time, not a broken line's rest.
    others = (~matched).arg_true()
    if others.len():
        kernel = others.filter(text.gather(others).str.contains(_KERNEL).fill_null(False))
        matched = matched.scatter(kernel, True)
    chrome = terminal_chrome(text, matched, ctx)
    if chrome is not None:
        keep = ~chrome
        lines, matched, columns = (x.filter(keep) for x in (lines, matched, columns))
    return entries_from_starts(lines, matched, columns, joins="any")


_KERNEL = ascii_classes(r"^\[\s*\d+\.\d+\] ")


FORMATS: list[Format] = [Format("logcat", "Android logcat", sniff, parse_lines=parse_logcat)]
