"""The user's own line formats: a regex with named groups, a stamp layout and a multi-line
rule, read like the built-in line formats and sniffed beside them.

A `UserFormat` is what a format file says (`logview.core.reading.format_files` finds and reads the
files; docs/formats.md is the user's guide). `to_format` checks it and makes it a `Format`:

- the regex is anchored at the line start and run once over every line (`str.extract_groups`,
  as syslog's RFC 5424 reader does); `ts` is the stamp, `level` the level, `body` where the
  entry's body starts, and every other named group a field;
- the stamp is read with the layout (`logview.core.reading.stamp_layouts`), or with the layout the
  timestamps module detects when it is `auto`; stamps without an offset are read in the
  format's zone unless the user gave the source (or the whole run) one;
- the multi-line rule says which lines that the regex does not read join the entry above
  (`syslog.entries_from_matches` does the joining);
- the message is the entry as written and `body_at` points at the body; the body is the
  user's, so no header is learned after it.

Sniffing scores a sample like a structured format (0.8-0.95) when the regex reads at least 80%
of the lines that can start an entry with a stamp the layout reads, so a user format that
fits wins over plain text (and, listed first, over a built-in format on a tie).
"""

from __future__ import annotations

import zoneinfo
from dataclasses import dataclass, replace

import polars as pl

from logview.core.reading import levels
from logview.core.reading.formats import INDENTED as INDENTED_LINE
from logview.core.reading.formats import Format, ParseContext, Sample
from logview.core.reading.parsers.fields import parse_stamps
from logview.core.reading.parsers.headed import entries_from_matches
from logview.core.reading.stamp_layouts import StampLayout, compile_layout, read_layout
from logview.core.shared.errors import LogviewError
from logview.core.shared.regex_parts import split_at_body
from logview.core.shared.table import LEVELS, TS, empty_parsed, extra_column_name

# The multi-line rules by name; any other value of `continuation` is a regex.
UNMATCHED, INDENTED, NONE = "unmatched", "indented", "none"
CONTINUATIONS = (UNMATCHED, INDENTED, NONE)
AUTO = "auto"
STRUCTURED_SHARE = 0.8
_MATCHED, _BEFORE = "_matched", "_before"  # groups logview adds to the user's regex


class FormatProblem(LogviewError):
    """A format file says something logview cannot use; `key` names the setting at fault and
    `line` the line of the file, when known."""

    def __init__(self, message: str, key: str | None = None, line: int | None = None) -> None:
        super().__init__(message)
        self.key = key
        self.line = line


@dataclass(frozen=True)
class UserFormat:
    """A log format as its file wrote it."""

    name: str  # what the user picks it by, unique among formats
    label: str  # shown with each source read with it
    regex: str  # as written: named groups ts, body, optional level, any others are fields
    layout: str = AUTO  # strftime-like (`%Y-%m-%d %H:%M:%S.%f`), or "auto"
    zone: str | None = None  # IANA zone of stamps written without an offset
    continuation: str = UNMATCHED  # "unmatched", "indented", "none", or a regex
    files: tuple[str, ...] = ()  # globs of source names it applies to outright
    levels: tuple[tuple[str, str], ...] = ()  # level spelling (lower case) -> TRACE..FATAL
    path: str = ""  # the file it was loaded from


@dataclass(frozen=True)
class Reader:
    """A checked user format: the regexes and layout it reads lines with."""

    spec: UserFormat
    regex: str  # the user's, anchored, with `_matched` (and `_before`, when it can be had)
    fields: tuple[str, ...]  # named groups that become fields, as written
    stamp: StampLayout | None  # None for auto
    joins: str | None  # regex of continuation lines, or None for a named rule
    has_level: bool  # the regex has a `level` group
    ts_group: int  # the number of the `ts` group in `regex`


def regex_problem(regex: str) -> str | None:
    """Return why polars' regex engine refuses `regex` (one line), or None when it takes it."""
    try:
        pl.Series([""], dtype=pl.String).str.contains(regex)
    except pl.exceptions.PolarsError as err:
        lines = [line.strip() for line in str(err).split("This error occurred")[0].splitlines()]
        found = [line.removeprefix("error:").strip() for line in lines if line.startswith("error:")]
        return (found[0] if found else lines[0].removeprefix("regex error:").strip())[:160]
    return None


def check(spec: UserFormat) -> Reader:
    """Return the reader of `spec`; raise FormatProblem naming the setting at fault."""
    problem = regex_problem(spec.regex)
    if problem:
        raise FormatProblem(f"invalid regex: {problem}", "regex")
    anchored = _anchored(spec.regex)
    groups = pl.Series([""], dtype=pl.String).str.extract_groups(anchored).struct.fields
    # Unnamed groups come back numbered; logview's own are no fields.
    names = [n for n in groups if not n.isdigit() and n not in (_MATCHED, _BEFORE)]
    for required, what in (("ts", "the stamp"), ("body", "the message body")):
        if required not in names:
            raise FormatProblem(
                f"the regex has no (?P<{required}>...) group: name the group of {what} {required}",
                "regex",
            )
    for name in names:
        if name.startswith("_"):
            raise FormatProblem(
                f"group name {name!r}: names starting with _ are logview's", "regex"
            )
    stamp = None
    if spec.layout != AUTO:
        try:
            stamp = compile_layout(spec.layout)
        except LogviewError as err:
            raise FormatProblem(str(err), "layout") from None
    if spec.zone is not None:
        try:
            zoneinfo.ZoneInfo(spec.zone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            raise FormatProblem(
                f"unknown time zone {spec.zone!r}: use an IANA name such as Europe/Paris", "zone"
            ) from None
    joins = None
    if spec.continuation not in CONTINUATIONS:
        joins = f"^(?:{spec.continuation})"
        problem = regex_problem(joins)
        if problem:
            raise FormatProblem(
                f"continuation is neither {', '.join(CONTINUATIONS)} nor a valid regex: {problem}",
                "continuation",
            )
    for spelling, level in spec.levels:
        if level not in LEVELS[:-1]:
            raise FormatProblem(
                f"levels: {spelling!r} = {level!r}: a level is one of {', '.join(LEVELS[:-1])}",
                "levels",
            )
    fields = tuple(n for n in names if n not in ("ts", "body", "level"))
    ts_group = groups.index("ts") + 1
    return Reader(spec, anchored, fields, stamp, joins, "level" in names, ts_group)


def _anchored(regex: str) -> str:
    """Return the user's regex anchored at the line start, with `_matched` (an empty group:
    "" on every line it reads, whatever groups are optional) and, where the body group can be
    split from what precedes it, `_before` (see `split_at_body`)."""
    whole = f"^(?P<{_MATCHED}>)(?:{regex})"
    split = split_at_body(regex)
    if split is None:
        return whole
    flags, before, rest = split
    anchored = f"^{flags}(?P<{_MATCHED}>)(?P<{_BEFORE}>{before})(?:{rest})"
    # The split reads the regex without compiling it: should it have misread one, the regex
    # is taken whole (the body offset is then found the other way).
    return anchored if regex_problem(anchored) is None else whole


def to_format(spec: UserFormat) -> Format:
    """Return `spec` as a Format (user formats are line formats); raise FormatProblem."""
    reader = check(spec)
    return Format(
        spec.name,
        spec.label,
        lambda sample: sniff(reader, sample),
        parse_lines=lambda lines, ctx: parse(reader, lines, ctx),
        # A level group says where the level is: an entry without one has none to find.
        levels_from_text=reader.has_level,
        globs=spec.files,
        origin=spec.path,
    )


# --- reading ---------------------------------------------------------------------------------


def read_lines(reader: Reader, text: pl.Series, ctx: ParseContext) -> pl.DataFrame:
    """Return, one row per line of `text`, what the format reads in it: `_matched`, `_stamp`
    (the ts group as written), `ts`, `level` (normalised, null where unknown), `_level_text`
    (as written), `body_at`, and the fields (named as the table names them; a user's group
    name never starts with `_`).

    Stamps are read in `ctx.tz`, else the format's zone; notes on assumed years and zones go
    to `ctx.note`.
    """
    parts = text.str.extract_groups(reader.regex).struct.unnest()
    matched = parts[_MATCHED].is_not_null()
    # An empty stamp (an optional part of the regex) is no stamp, not an unreadable one.
    stamp = parts["ts"].str.strip_chars()
    stamp = stamp.to_frame().select(pl.when(pl.col("ts") != "").then(pl.col("ts")))["ts"]
    ctx = replace(ctx, tz=ctx.tz or reader.spec.zone)
    if stamp.null_count() == stamp.len():
        ts = pl.Series("ts", [None] * stamp.len(), dtype=TS)
    elif reader.stamp is None:
        ts = parse_stamps(stamp, ctx)
    else:
        ts = read_layout(stamp, reader.stamp, ctx)
    level_text = (
        parts["level"]
        if reader.has_level
        else pl.repeat(None, text.len(), dtype=pl.String, eager=True)
    )
    frame = pl.DataFrame({"_text": text, "_matched": matched, "_stamp": stamp, "ts": ts})
    frame = frame.with_columns(
        level_text.rename("_level_text"),
        _body=parts["body"],
        **({_BEFORE: parts[_BEFORE]} if _BEFORE in parts.columns else {}),
    )
    return frame.select(
        "_matched",
        "_stamp",
        pl.col("ts").cast(TS),
        _level(reader, pl.col("_level_text")).alias("level"),
        "_level_text",
        _body_at(frame.columns).alias("body_at"),
        *[pl.lit(parts[name]).alias(extra_column_name(name)) for name in reader.fields],
    )


def _level(reader: Reader, raw: pl.Expr) -> pl.Expr:
    """Return the normalised level of each raw level text: the format's own spellings first."""
    known = levels.normalise(raw)
    if not reader.spec.levels:
        return known
    own = (
        raw.str.strip_chars()
        .str.to_lowercase()
        .replace_strict(dict(reader.spec.levels), default=None, return_dtype=pl.String)
    )
    return pl.coalesce(own, known)


def _body_at(columns: list[str]) -> pl.Expr:
    """Return the character offset of the body in each line (null on unmatched lines).

    Exact where the regex lets logview capture what precedes the body (`_before`); otherwise
    the body is taken to run to the end of the line when the line ends with it, and to be the
    whole line when it does not.
    """
    body = pl.col("_body")
    if _BEFORE in columns:
        return pl.when(body.is_not_null()).then(pl.col(_BEFORE).str.len_chars()).cast(pl.UInt32)
    ends = pl.col("_text").str.ends_with(body)
    at = pl.when(ends).then(pl.col("_text").str.len_chars() - body.str.len_chars()).otherwise(0)
    return pl.when(body.is_not_null()).then(at).cast(pl.UInt32)


def joins(reader: Reader, text: pl.Expr | None = None) -> pl.Expr:
    """Return whether each line (`text`, the column `text` by default) that the regex does not
    read joins the entry above."""
    text = pl.col("text") if text is None else text
    rule = reader.spec.continuation
    if rule == UNMATCHED:
        return pl.lit(True)
    if rule == NONE:
        return pl.lit(False)
    if rule == INDENTED:
        return text.str.contains(INDENTED_LINE)
    assert reader.joins is not None
    return text.str.contains(reader.joins)


def parse(reader: Reader, lines: pl.DataFrame, ctx: ParseContext) -> pl.DataFrame:
    """Return one entry per line the regex reads, with the lines its multi-line rule joins.

    Raises LogviewError when the regex reads no line or the layout no stamp (ingest then
    reads the source as plain text, with the reason among its warnings); stamps the layout
    cannot read are counted in a warning with the first of them.
    """
    if lines.height == 0:
        return empty_parsed()
    read = read_lines(reader, lines["text"], ctx)
    matched = read["_matched"]
    spec = reader.spec
    if not matched.any():
        first = lines["text"].drop_nulls().head(1).to_list()
        shown = f" (line 1: {first[0][:60]!r})" if first else ""
        raise LogviewError(f"the regex of format {spec.name!r} reads no line{shown}")
    unread = read.filter(pl.col("_stamp").is_not_null() & pl.col("ts").is_null())
    if unread.height:
        example = unread["_stamp"][0][:40]
        layout = spec.layout if spec.layout != AUTO else "any known layout"
        message = f"stamps such as {example!r} do not fit {layout}"
        if unread.height == read["_stamp"].len() - read["_stamp"].null_count():
            raise LogviewError(f"format {spec.name!r}: {message}")
        ctx.warn(f"{unread.height:,} stamp{'s' * (unread.height != 1)} unread: {message}")
    # Fields go through the joining under names of logview's own (a field may be called
    # `text` or `line`, as the joining's columns are).
    names = {f"_field{i}": name for i, name in enumerate(reader_field_names(reader))}
    columns = read.select(
        "ts",
        "level",
        *[pl.col(name).alias(temp) for temp, name in names.items()],
        "body_at",
        # The body is where the user said: no header is learned after it (header.learn skips
        # frames that say what their body is).
        pl.lit(0, dtype=pl.UInt8).alias("body_kind"),
    )
    entries = entries_from_matches(lines, matched, columns, joins=joins(reader))
    return entries.rename(names)


def reader_field_names(reader: Reader) -> list[str]:
    """Return the table's names of the format's fields."""
    return [extra_column_name(name) for name in reader.fields]


def sniff(reader: Reader, sample: Sample) -> float:
    """Return 0.8-0.95 when the regex reads (stamp included) at least 80% of the sampled lines
    that could start an entry, 0.8 x that share below it; 0 when it reads none."""
    if not sample.lines:
        return 0.0
    text = pl.Series("text", sample.lines, dtype=pl.String)
    matched = text.str.contains(reader.regex)
    if not matched.any():
        return 0.0
    stamps = text.str.extract(reader.regex, reader.ts_group).str.strip_chars()
    stamps = stamps.filter(stamps != "")
    if reader.stamp is None:
        stamped = stamps.len() - parse_stamps(stamps, ParseContext(sample.name)).null_count()
    else:
        # That the stamps fit the layout is enough here (reading them costs ten times more).
        stamped = int(stamps.str.contains(reader.stamp.regex).sum())
    if stamped == 0:
        return 0.0
    # Lines that join an entry by the format's rule are not expected to match. For
    # "unmatched" (every such line would join), only indented lines are let off: else any
    # regex reading one line would read every file.
    rule = (
        reader
        if reader.spec.continuation != UNMATCHED
        else replace(reader, spec=replace(reader.spec, continuation=INDENTED))
    )
    frame = pl.DataFrame({"text": text, "matched": matched})
    starts = frame.filter(pl.col("matched") | ~joins(rule).fill_null(False)).height
    share = stamped / max(starts, 1)
    if share >= STRUCTURED_SHARE:
        return 0.8 + 0.15 * (min(share, 1.0) - STRUCTURED_SHARE) / (1 - STRUCTURED_SHARE)
    return 0.8 * share
