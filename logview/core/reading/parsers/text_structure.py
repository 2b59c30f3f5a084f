"""The structure of plain text beyond its lines: records written as blocks apart by blank
lines, a file header framed by rules before the first record, a table's heading above its
first row, records of two lines whose second opens with their level. `text.parse_text` asks
each after reading its stamps.
"""

from __future__ import annotations

import re

import polars as pl

from logview.core.reading.formats import ParseContext
from logview.core.reading.levels import level_from_text
from logview.core.reading.parsers.terminal import COLUMN_NAMES, STAMP_NAME
from logview.core.reading.parsers.text_stamps import LEVEL_WORDS
from logview.core.reading.stamp_search import detect_layout
from logview.core.shared.regex import ascii_classes

# Records written as blocks apart by blank lines, each stamped on one of its later lines (Snort's
# alert_full: `[**] [1:2010935:3] ...`, its classification, then `06/28-09:14:22.483920 ...`):
# a block is an entry, stamped by that line, where most blocks have exactly one stamped line and
# most of those lines are not the block's first.
_MIN_BLOCKS = 3
_BLOCK_SHARE = 0.8


def stamped_blocks(text: pl.Series, frame: pl.DataFrame) -> pl.DataFrame | None:
    """Return `frame` with each block of lines (apart by blank lines) one entry, opened by its
    first line and stamped (and levelled) by its one line stamped in the source's own layout
    (`_own`), or None where the lines are no such blocks (see _MIN_BLOCKS). `_stamped` then
    marks where entries start, and no other line starts one (a block may quote another
    writer's line, an access log's request)."""
    blank = (text.str.strip_chars() == "").fill_null(True)
    if blank.sum() < _MIN_BLOCKS - 1:
        return None
    # (the source's own layout's stamps: a block may quote another writer's stamped line, as
    # Wazuh's alerts quote the line that raised them)
    stamped = frame["_stamped"] & frame["_own"]
    lines = pl.DataFrame({"blank": blank, "stamped": stamped}).with_columns(
        block=pl.col("blank").cum_sum()
    )
    kept = lines.with_row_index("row").filter(~pl.col("blank"))
    per_block = kept.group_by("block", maintain_order=True).agg(
        first=pl.col("row").first(),
        stamps=pl.col("stamped").sum(),
        first_stamped=pl.col("stamped").first(),
    )
    if per_block.height < _MIN_BLOCKS:
        return None
    # A block without a stamped line is the one above's, apart by a blank line of its own
    # (a Wazuh alert's changed file's attributes); one before the first stamped block opens.
    opening = per_block.filter((pl.col("stamps") > 0) | (pl.col("stamps").cum_sum() == 0))
    one = per_block.filter(pl.col("stamps") == 1)
    if one.height < _BLOCK_SHARE * opening.height or one["first_stamped"].mean() > 0.5:
        return None
    # Each block's stamp and level, taken from its stamped line, go to its first line.
    stamped = kept.filter(pl.col("stamped")).group_by("block").agg(at=pl.col("row").first())
    rows = per_block.join(stamped, on="block", how="inner")
    first, at = rows["first"], rows["at"]
    ts = pl.repeat(None, frame.height, dtype=frame["ts"].dtype, eager=True)
    ts = ts.scatter(first, frame["ts"].gather(at))
    level = frame["level"].scatter(
        first, frame["level"].gather(at).fill_null(frame["level"].gather(first))
    )
    starts = pl.repeat(False, frame.height, eager=True).scatter(opening["first"], True)
    return frame.with_columns(
        ts=ts, level=level, _stamped=starts, body_at=pl.lit(None, dtype=frame["body_at"].dtype)
    )


# A table's heading above its first row: the columns' names, then a rule of dashes under each
# (`TimeCreated  Id LevelDisplayName ...` over `-----------  -- ----------------`, as
# PowerShell's Format-Table and many tools print them).
_UNDERLINE = ascii_classes(r"^[ \t]*-{2,}(?:[ \t]+-{2,})+[ \t]*$")


_NAMES = re.compile(COLUMN_NAMES, re.ASCII)
_STAMP_NAME = re.compile(STAMP_NAME, re.ASCII)
# A device's settings opening its exported log, a block of `Key : value` lines before a blank
# line (`Model name  : MGate MB3180`, `Firmware    : Ver 2.2 Build 21082616`).
_SETTING = ascii_classes(r"^[A-Z][A-Za-z0-9 ./()#-]{0,30}?\s*:\s+\S")
_SETTINGS = 3
_SETTINGS_SHARE = 0.75  # of the lines above the first record, without a blank line


def _settings_header(head: pl.Series) -> pl.Series:
    """Return which of `head` (the lines before the file's first record of its own layout) are
    the settings block that opens the file: three `Key : value` lines or more, or two
    indented lines or more, from the first line to a blank one; or, with no blank line, the
    lines up to the first record where three in four of them are settings, the first too
    (Docker Desktop's `Version: 3.6.0 (67351)`, `Started on: 2021/09/14 08:41:07.512`, ...
    and a line of advice, right above its records)."""
    blank = (head.str.strip_chars() == "").fill_null(True)
    none = pl.repeat(False, head.len(), eager=True)
    if not blank.any():
        setting = head.str.contains(_SETTING).fill_null(False)
        if head.len() >= _SETTINGS and setting[0] and setting.sum() >= _SETTINGS_SHARE * head.len():
            return none.not_()
        return none
    end = int(blank.arg_max() or 0)
    block = head.head(end)
    # (or two lines or more, every one indented: 389 Directory Server's `\t389-Directory/2.4.5
    # B2024.073.0000` and `\tldap02.example.org:389 (/etc/dirsrv/slapd-X)` opening its logs)
    indented = end >= 2 and bool(block.str.contains(r"^[ \t]+\S").fill_null(False).all())
    if not indented and (
        end < _SETTINGS or not block.str.contains(_SETTING).fill_null(False).all()
    ):
        return none
    return none.scatter(range(end), True)


def table_heading(
    text: pl.Series, records: pl.Series, ctx: ParseContext, own: pl.Series | None = None
) -> pl.Series | None:
    """Return which lines before the first record (`records`) are a table's heading, the
    names and their underline (_UNDERLINE), or the names alone right above it where they
    name a date or a time, and a settings block opening the file (`_settings_header`, before
    the first record of the file's own layout, `own`, where given: a setting may state a
    date), or None; they are no entries (a note says so)."""
    if not records.any():
        return None
    first = int(records.arg_max() or 0)
    own_first = int(own.arg_max() or 0) if own is not None and own.any() else first
    if not max(first, own_first):
        return None
    head = text.head(first)
    rule = head.str.contains(_UNDERLINE).fill_null(False)
    names = rule.shift(-1, fill_value=False) & (head.str.strip_chars() != "").fill_null(False)
    # (names without a rule, right above the first record, where one names a date or a time:
    # a device's exported table, `Index  Date        Time      Startup        Event`)
    above = head[first - 1] if first else ""
    if _NAMES.match(above or "") and _STAMP_NAME.search(above or ""):
        names = names.scatter(first - 1, True)
    heading = (rule | names).extend_constant(False, text.len() - first)
    settings = _settings_header(text.head(max(first, own_first)))
    heading = heading | settings.extend_constant(False, text.len() - settings.len())
    if not heading.any():
        return None
    count = int(heading.sum())
    ctx.note(f"{count:,} line{'s' * (count != 1)} of a table's heading not read as entries")
    return heading


# A file header framed by titled rules before the first record: WebSphere's `************ Start
# Display Current Environment ************` ... `************* End Display Current
# Environment *************` (the server's environment, no log record).
_FRAME_START = ascii_classes(r"^[*=#-]{5,} ?Start (.{1,60}?) ?[*=#-]{5,}\s*$")
_FRAME_END = ascii_classes(r"^[*=#-]{5,} ?End (.{1,60}?) ?[*=#-]{5,}\s*$")


def framed_preamble(text: pl.Series, records: pl.Series, ctx: ParseContext) -> pl.Series | None:
    """Return which lines before the first record (`records`) are a header framed by a
    `Start <title>` rule and its `End <title>` rule, or lines of settings between two same
    rules, the rules too, or None; they are no entries (a note says so)."""
    if not records.any():
        return None
    first = int(records.arg_max() or 0)
    head = text.head(first)
    found = _titled_frame(head) or _ruled_frame(head) or _opening_rule(head)
    if found is None:
        return None
    start, end, title = found
    index = pl.int_range(text.len(), eager=True)
    framed = (index >= start) & (index <= end)
    ctx.note(f"{end - start + 1:,} lines of a file header{title} not read as entries")
    return framed


def _opening_rule(head: pl.Series) -> tuple[int, int, str] | None:
    """Return (first line, last line, " (a rule)") of a rule alone that opens the file before
    anything else (Derby's `derby.log` opens with a rule of dashes), or a title between two
    rules (an Axis camera's `----- System log -----`: the page's heading), the blank lines
    around it too, or None. (Rules that come again frame a banner: chrony's, which is read as
    one.)"""
    present = head.filter(head.str.strip_chars() != "")
    if not present.len():
        return None
    rule = head.str.contains(_RULE).fill_null(False)
    if not _RULE_RE.match(present[0]) or rule.sum() != 1:
        rule = head.str.contains(_TITLED_RULE).fill_null(False)
        if not _TITLED_RULE_RE.match(present[0]) or rule.sum() != 1:
            return None
        if _stamped_title(present[0]):
            return None  # the program's start, an entry (`under_stamped_title`)
    other = ((head.str.strip_chars() != "") & ~rule).fill_null(False)
    end = (int(other.arg_max() or 0) if other.any() else head.len()) - 1
    return 0, end, " (a rule)"


# A picture drawn of punctuation alone opening a source (a program's name in ASCII art, PX4's
# `______  __   __    ___` over `| ___ \ \ \ / /   /   |`): it says nothing, no entry. Its
# lines hold three strokes or more and no two letters or digits together (a `V` is a stroke).
_PICTURE_LINES = 2
_SAYS_SOMETHING = ascii_classes(r"[A-Za-z0-9]{2}")
_DRAWN = ascii_classes(r"(?:[^\sA-Za-z0-9][^\n]*){3}")


def leading_picture(text: pl.Series, ctx: ParseContext) -> pl.Series | None:
    """Return the lines (blank lines left out) of a picture in punctuation before the first
    line that is none, where they are _PICTURE_LINES or more, else None; a note says how
    many."""
    drawn = (text.str.contains(_DRAWN) & ~text.str.contains(_SAYS_SOMETHING)).fill_null(False)
    first = int((~drawn).arg_max() or 0) if not drawn.all() else text.len()
    if first < _PICTURE_LINES or first == text.len():
        return None
    ctx.note(f"{first:,} lines of a picture drawn in punctuation not read as entries")
    return pl.int_range(text.len(), eager=True) < first


def _stamped_title(line: str) -> bool:
    """Return whether `line` is a title between rules that holds a stamp (Moonraker's `----
    Log Start | Sat Jun 29 14:02:10 2024 ----`): a program's start, a stamped banner."""
    return bool(_TITLED_RULE_RE.match(line)) and detect_layout([line]) is not None


def under_stamped_title(text: pl.Series, records: pl.Series) -> pl.Series | None:
    """Return the lines between a stamped title that opens the file (a title between rules
    holding a stamp: Moonraker's `---- Log Start | Sat Jun 29 14:02:10 2024 ----`) and the
    first record: the program's settings it printed at its start, part of that entry. None
    where the file opens otherwise."""
    if not records.any() or not text.len():
        return None
    first = int(records.arg_max() or 0)
    if first < 2 or not _stamped_title(text[0] or ""):
        return None
    index = pl.int_range(text.len(), eager=True)
    return (index > 0) & (index < first)


def _titled_frame(head: pl.Series) -> tuple[int, int, str] | None:
    """Return (first line, last line, title) of a `Start <title>` ... `End <title>` frame in
    `head`, or None."""
    opened = head.str.extract(_FRAME_START, 1)
    closed = head.str.extract(_FRAME_END, 1)
    if opened.null_count() == head.len() or closed.null_count() == head.len():
        return None
    start = int(opened.is_not_null().arg_max() or 0)
    ends = closed.is_not_null() & (closed == opened[start]).fill_null(False)
    end = int(ends.arg_max() or 0) if ends.any() else -1
    return (start, end, f" ({opened[start]})") if end > start else None


# ... or by two same rules around lines of settings (Open Liberty's messages.log: a rule of
# `*`, `product = Open Liberty ...`, `java.home = ...`, the rule again).
_RULE = ascii_classes(r"^(?:\*{20,}|={20,}|#{20,}|-{20,})\s*$")
_RULE_RE = re.compile(_RULE)
# (a rule of dashes or equals signs: `*** Booting Zephyr OS build v3.5.0 ***` is a program's
# banner, its line, with stars for emphasis)
_TITLED_RULE = ascii_classes(
    r"^\s*(?:-{4,} ?[A-Za-z][^-=]{0,60}? ?-{4,}|={4,} ?[A-Za-z][^-=]{0,60}? ?={4,})\s*$"
)
_TITLED_RULE_RE = re.compile(_TITLED_RULE)
_RULED_SETTING = ascii_classes(r"^\s*[\w.@ -]{1,40}?\s*(?:=|:)\s")
_RULED_SETTINGS_SHARE = 0.8


def _ruled_frame(head: pl.Series) -> tuple[int, int, str] | None:
    """Return (first line, last line, "") of lines of settings between two same rules in
    `head`, or None."""
    rules = head.str.contains(_RULE).fill_null(False)
    if rules.sum() < 2:
        return None
    start = int(rules.arg_max() or 0)
    same = (head == head[start]).fill_null(False) & (pl.int_range(head.len(), eager=True) > start)
    if not same.any():
        return None
    end = int(same.arg_max() or 0)
    inner = head.slice(start + 1, end - start - 1)
    inner = inner.filter(inner.str.strip_chars() != "")
    if inner.len() < 2 or inner.str.contains(_RULED_SETTING).mean() < _RULED_SETTINGS_SHARE:
        return None
    return start, end, ""


# A level tag opening a line: a level word in brackets (any case), or in capitals before a
# colon or a space and a word (a CLI's own lines among a device's, `WARNING Disconnected from
# API` in `esphome logs`; a capital word after it too, as a message opens). In brackets it may
# be padded to a width, and coreboot's NOTE is one (`[NOTE ]  coreboot-v1.1.2 ... starting`).
LEVEL_TAG = ascii_classes(
    rf"^(?:\[(?i:{LEVEL_WORDS}|NOTE) *\]|(?:{LEVEL_WORDS}):)(?:\s|$)|^(?:{LEVEL_WORDS}) [A-Za-z]"
)


# Layouts of two lines a record: the stamp, logger and thread, then `LEVEL: message` (ForgeRock
# AM's debug logs; java.util.logging's SimpleFormatter writes so too). Where most stamped lines
# have no level and a level tag opens the line after them, that line is their second.
_SECOND_LINE_SHARE = 0.6
# (or a severity in capitals, HPE's IML: `CAUTION: Main Memory - ...`)
_SECOND_TAG = f"{LEVEL_TAG}|^[A-Z]{{4,}}: \\S"
_SECOND_SAMPLE = 500  # stamped lines whose next lines are looked at first, twice over


def levels_on_second_lines(
    text: pl.Series, frame: pl.DataFrame
) -> tuple[pl.DataFrame, pl.Series | None]:
    """Return `frame` with the levels of records whose level opens their second line (see
    _SECOND_LINE_SHARE), and which lines are such second lines (None where the source has
    no such records)."""
    stamped = frame["_stamped"]
    # (the head first: most sources' lines after a stamped line are stamped too)
    head = stamped.head(2 * _SECOND_SAMPLE)
    probe = head.arg_true() + 1
    probe = probe.filter(probe < text.len())
    if not probe.len():
        return frame, None
    tagged = text.gather(probe).str.contains(_SECOND_TAG).fill_null(False) & ~stamped.gather(probe)
    levelless = frame["level"].head(head.len()).filter(head).is_null().mean()
    if tagged.mean() < _SECOND_LINE_SHARE or levelless < _SECOND_LINE_SHARE:  # type: ignore[operator]
        return frame, None
    after = stamped.arg_true() + 1
    after = after.filter(after < text.len())
    tagged = text.gather(after).str.contains(_SECOND_TAG).fill_null(False) & ~stamped.gather(after)
    seconds = after.filter(tagged)
    levels = level_from_text(text.gather(seconds))
    heads = seconds - 1
    level = frame["level"].scatter(heads, frame["level"].gather(heads).fill_null(levels))
    second = pl.repeat(False, text.len(), eager=True).scatter(seconds, True)
    return frame.with_columns(level=level), second


# A time left out where it repeats the line above's: Python's rich logging handler (its
# `omit_repeated_times`) writes `[06/12/24 16:41:07] INFO     Reading ...` and then, within the
# same second, the stamp's width of spaces and the next record's level. Such a line is a record
# with the stamp above, where the stamped lines' level opens their text right after the stamp.
_ROW_LEVEL = ascii_classes(rf"^(?:{LEVEL_WORDS})\s")
_ROW_LEVEL_PADDED = ascii_classes(rf"^((?:{LEVEL_WORDS})\s+)")
_ROW_LEVEL_SHARE = 0.8  # of the sampled stamped lines, with their level right after the stamp
_STAMP_WIDTH = 8  # the least a stamp's width is


def with_repeated_times(text: pl.Series, frame: pl.DataFrame) -> pl.DataFrame:
    """Return `frame` with the lines without a stamp that are records whose time was left out
    as repeated (see _ROW_LEVEL) made records: the stamp above theirs, their body after their
    level word and its padding, as the stamped lines' is after theirs."""
    stamped = frame["_stamped"]
    sampled = stamped.arg_true().head(_SECOND_SAMPLE)  # (gathered: a filter copies them all)
    lines = text.gather(sampled)
    width = row_width(lines, frame["body_at"].gather(sampled))
    if width is None:
        return frame
    shown = lines.str.slice(width).str.contains(_ROW_LEVEL)
    if shown.mean() < _ROW_LEVEL_SHARE:  # type: ignore[operator]
        return frame
    indented = ~stamped & text.str.starts_with(" " * width).fill_null(False)
    if not indented.any():
        return frame
    after = text.str.slice(width)
    rows = indented & after.str.contains(_ROW_LEVEL).fill_null(False)
    if not rows.any():
        return frame
    level = after.str.extract(_ROW_LEVEL_PADDED, 1).str.len_chars().cast(pl.UInt32)
    return frame.with_columns(
        ts=pl.when(rows).then(frame["ts"].forward_fill()).otherwise(frame["ts"]),
        body_at=pl.when(rows).then(level + width).otherwise(frame["body_at"]),
        _stamped=stamped | rows,
    )


def row_width(lines: pl.Series, end: pl.Series) -> int | None:
    """Return where the text after most of the stamped `lines`' stamps (which end at `end`)
    begins, past the stamp's closing punctuation and the spaces after it, or None where that
    is less than a stamp's width."""
    gap = lines.str.slice(end.fill_null(0)).str.extract(r"^([\])>:|-]*[ \t]*)", 1)
    width = (end + gap.str.len_chars().cast(end.dtype)).mode().min() if end.len() else None
    if width is None or width < _STAMP_WIDTH:  # type: ignore[operator]
        return None
    return int(width)  # type: ignore[arg-type]
