"""Plain text: lines led by a timestamp (with their continuation lines), or bare lines."""

from __future__ import annotations

import functools

import polars as pl

from logview.core.reading.entries import cap_text, join_continuations
from logview.core.reading.formats import (
    Format,
    ParseContext,
    Sample,
)
from logview.core.reading.level_letters import letter_column
from logview.core.reading.levels import (
    level_from_text,
    normalise,
    normalise_field,
)
from logview.core.reading.parsers.frames import (
    FRAME_GAP_US,
    FRAME_LOOK,
    after_headers,
    frame_regex,
    stack_frames,
)
from logview.core.reading.parsers.headed import (
    JOURNAL_MARKER,
    JOURNAL_MARKERS,
    KUBE_MARKER,
    KUBE_MARKERS,
    LOGCAT_MARKER,
    LOGCAT_MARKERS,
    MYSQL_BANNER,
    MYSQL_BANNERS,
    REPORT_HEAD,
    tool_lines,
)
from logview.core.reading.parsers.terminal import (
    CONSOLE_SERVER_LINE,
    KERNEL_UPTIME,
    PROMPT,
    SESSION_FRAME,
    session_prompts,
    stamped_session,
    terminal_chrome,
)
from logview.core.reading.parsers.text_openings import opening, prefix_again, table_rows
from logview.core.reading.parsers.text_stamps import (
    LEVEL_WORDS,
    dated_by_header_lines,
    stamps_in_trailing_json,
    terminal_stamps,
    uptimes_undated,
    with_json_records,
    with_other_stamps,
    with_preamble_stamps,
    with_terminal_stamps,
    with_times_of_day,
)
from logview.core.reading.parsers.text_structure import (
    LEVEL_TAG,
    framed_preamble,
    leading_picture,
    levels_on_second_lines,
    stamped_blocks,
    table_heading,
    under_stamped_title,
    with_repeated_times,
)
from logview.core.reading.parsers.uptimes import SINCE_START, uptime_starts
from logview.core.reading.stamp_forms import TIME_OF_DAY_FORMS
from logview.core.reading.stamp_search import (
    LINE_START,
    detect_layout,
    detect_layout_counted,
    prefix_values,
    read_other_stamps,
    stamped_lines,
)
from logview.core.reading.timestamps import (
    Layout,
    LineStamps,
    extract_stamps,
    read_line_stamps,
)
from logview.core.shared.regex import ascii_classes
from logview.core.shared.table import PARSED_SCHEMA, TS

# Below this share of stamped lines the "stamps" are more likely coincidences (a date quoted in
# prose) than a log layout, so every line stays its own entry rather than swallowing the rest.
MIN_STAMPED_SHARE = 0.05
# ... and below this many (in a source of more than a few lines): one date in a device's boot
# banner (`ets Jun  8 2016 00:22:57`) is no layout of the lines after it.
_MIN_STAMPED = 2
# Sniffing: a text log is recognised when this share of the sampled lines starts with a stamp.
SNIFF_STAMPED_SHARE = 0.6
_HEAD_SAMPLE = 500
# A line without a stamp that is an HTTP request's record (another writer's access log in the
# same output: uvicorn's or gunicorn's access lines among the error log's, `client - "GET /
# HTTP/1.1" 200`) is an entry of its own, like one that opens with a level tag.
_REQUEST = (
    r'"(?:GET|POST|PUT|DELETE|HEAD|PATCH|OPTIONS|CONNECT|TRACE) \S+ HTTP/\d(?:\.\d)?" \d{3}\b'
)
# Another program's tag in brackets opening a message (a uWSGI vassal's `[uWSGI] getting INI
# configuration from x.ini` among its emperor's stamped lines, Jenkins's `[Pipeline] sh`): a
# name, two letters first (a version, `[v4.0.2.1183]` before Sonarr's exception, is none).
_PROGRAM_TAG = ascii_classes(r"^\[[A-Za-z]{2}[\w.-]{0,30}\] \S")
_OWN_START = "|".join(
    (
        LEVEL_TAG,
        # (a kernel's console line among a hypervisor's or a program's: the kernel's record)
        KERNEL_UPTIME,
        REPORT_HEAD,
        PROMPT,
        ascii_classes(rf"^\S[^\n]*?{_REQUEST}"),
        SINCE_START,
        _PROGRAM_TAG,
        # (systemd's lines about a unit, `journalctl -o cat` among the service's own:
        # `nodered.service: Main process exited, ...`, `Started nodered.service - Node-RED.`)
        r"^(?:(?:Started|Stopped|Starting|Stopping) )?[\w@.-]+\.(?:service|socket|timer|mount)(?:: | - )",
        # (.NET's console logger among another writer's stamped lines: `warn: Category[60]`)
        r"^(?:trce|dbug|info|warn|fail|crit): [\w.`+]+\[\d+\]",
        # (a program's name and pid in parentheses: Node's `(node:4081) [DEP0005] ...`, GLib's
        # `(soffice:48211): Gtk-WARNING **: ...`)
        r"^\([\w.-]+:\d+\):? \S",
    )
)
_LEVEL_BEFORE_STAMP = ascii_classes(rf"(?:^|[\s:|/(\[])((?i:{LEVEL_WORDS}))\]?[ \t]*$")
_SPREAD_SAMPLE = 500
# (the first word, or the second after a row's number: HPE's `hplog -v`, `0002 Caution  ...`)
_FIRST_WORD = ascii_classes(r"^\s*(?:\d+\s+)?([A-Za-z]+)\s")
_FIRST_WORD_SHARE = 0.5


@functools.lru_cache(maxsize=8)
def _stamped_share(lines: tuple[str, ...]) -> tuple[Layout | None, float]:
    """Return the layout of `lines` and the share of them it reads (as detection counts it:
    reading the sample again would cost sniffing, which every source pays, a parse). Kept for
    the few last samples: ingest describes the sample sniffing has just scored."""
    present = [line for line in lines if line.strip()]
    layout, count = detect_layout_counted(present)
    if layout is None:
        return None, 0.0
    share = min(count, len(present)) / len(present)
    if share < SNIFF_STAMPED_SHARE and layout.prefix in LINE_START:
        # Files cat'ed together, or output of several writers: a line with a stamp of another
        # layout starts an entry too (`parse_text`), so such lines count as stamped.
        share = max(share, stamped_lines(present) / len(present))
    return layout, share


def sniff(sample: Sample) -> float:
    """Return 0.5-0.7 when most sampled lines start with a known stamp, else 0.1 (fallback)."""
    _, share = _stamped_share(tuple(sample.lines))
    if share < SNIFF_STAMPED_SHARE:
        return 0.1
    return 0.5 + 0.2 * (share - SNIFF_STAMPED_SHARE) / (1 - SNIFF_STAMPED_SHARE)


def describe(sample: Sample) -> str:
    """Return how the plain-text reader sees `sample`, e.g. "Text, ISO 8601 stamps" or "Text,
    ISO 8601 stamps after a file name"."""
    layout, share = _stamped_share(tuple(sample.lines))
    if layout is None or share < MIN_STAMPED_SHARE:
        return "Plain text, no timestamps"
    if layout.prefix in LINE_START:
        return f"Text, {layout.label} stamps"
    after = _PREFIX_WORDS.get(layout.field or "", "a fixed prefix")
    return f"Text, {layout.label} stamps after {after}"


# How `describe` names the text before the stamps, by the field it is kept as.
_PREFIX_WORDS = {
    "host": "a host",
    "file": "a file name",
    "pid": "a pid",
    "program": "a program name",
    "prefix": "a prefix (kept as the field `prefix`)",
}


def text_layout(text: pl.Series) -> Layout | None:
    """Return the stamp layout plain text is read with, or None when its lines are bare: what a
    follower passes as `ParseContext.layout` for the lines appended later."""
    layout = detect_layout(_detection_sample(text))
    if layout is None:
        return None
    _, header_end = extract_stamps(text, layout)
    stamped = header_end.len() - header_end.null_count()
    return layout if stamped >= MIN_STAMPED_SHARE * text.len() else None


def _detection_sample(text: pl.Series) -> list[str]:
    """Return lines to detect the layout on: the head, plus lines spread over the whole file
    (but a console server's lines: `CONSOLE_SERVER_LINE`)."""
    head = text.head(_HEAD_SAMPLE)
    # (the head is the whole text: a spread would count its lines twice)
    spread = text.gather_every(max(1, text.len() // _SPREAD_SAMPLE))
    sample = head if text.len() <= _HEAD_SAMPLE else pl.concat([head, spread])
    sample = sample.drop_nulls()
    return sample.filter(~sample.str.contains(CONSOLE_SERVER_LINE).fill_null(False)).to_list()


def parse_text(
    lines: pl.DataFrame,
    ctx: ParseContext,
    opens: pl.Series | None = None,
    runs: pl.Series | None = None,
) -> pl.DataFrame:
    """Return one row per entry (table.PARSED_SCHEMA) from `line`/`text` rows of plain text.

    When the lines carry stamps of a layout (at their start or after a prefix learned from the
    sample), a line with a stamp starts an entry, and so does a line that starts with a stamp
    of another layout (another file cat'ed onto the first); the lines after it without one
    (stack frames, `Caused by:`, indented lines, blank lines) join it. The entry's message is
    all its lines as written; the text before the stamp becomes the layout's prefix field.
    Otherwise every non-blank line is its own entry, without a time. Assumed years and zones
    are reported through `ctx.note`.

    `opens` (one per line) marks lines that start an entry whatever they hold: the first of
    each run of lines that another format's records interrupt (JSON lines' plain lines).
    Where such lines have no stamps of a layout, the runs that `runs` marks (those after a
    record) are an entry each, with the stamp the run's first line starts with, if any.
    """
    if lines.height == 0:
        return pl.DataFrame(schema=PARSED_SCHEMA)
    if opens is not None:
        lines = lines.with_columns(_opens=opens)
        if runs is not None:
            lines = lines.with_columns(_runs=runs)
    text = lines["text"]
    layout = ctx.layout or detect_layout(_detection_sample(text))
    # A stamp that opens the lines is theirs; one found after a prefix or none at all may be
    # in metadata the lines end with.
    if (
        ctx.layout is None
        and (layout is None or layout.prefix)
        and (metadata := stamps_in_trailing_json(text, ctx)) is not None
        and (layout is None or _fewer_stamped(text, layout, ctx, metadata))
    ):
        frame = lines.select("line", "text", *_opens_column(lines)).with_columns(
            ts=metadata,
            level=level_from_text(text),
            body_at=pl.lit(None, dtype=pl.UInt32),
            _stamped=metadata.is_not_null(),
        )
        chrome = terminal_chrome(text, frame["_stamped"], ctx)
        if chrome is not None:
            frame, text = frame.filter(~chrome), text.filter(~chrome)
        return _conform(_joined(frame, _starts(text, frame["_stamped"])))
    if layout is not None:
        read = read_line_stamps(text, layout, mtime=ctx.mtime, tz=ctx.tz)
        stamped = read.header_end.len() - read.header_end.null_count()
        enough = max(MIN_STAMPED_SHARE * lines.height, _MIN_STAMPED if lines.height > 4 else 1)
        if ctx.layout is not None or stamped >= enough:
            own = read.header_end.is_not_null()
            read = with_other_stamps(text, read, layout, ctx)
            read = with_preamble_stamps(text, read, ctx)
            read = with_terminal_stamps(text, read, ctx)
            read = with_json_records(text, read, ctx)
            headers = None
            if layout.name not in TIME_OF_DAY_FORMS:
                read = with_times_of_day(text, read, ctx)
            else:
                read, headers = dated_by_header_lines(text, read, ctx, own)
                read = uptimes_undated(text, read, ctx)
            session = stamped_session(text, read.header_end, ctx)
            if session is not None:
                keep = ~session
                lines, text, own = lines.filter(keep), text.filter(keep), own.filter(keep)
                read = LineStamps(
                    read.ts.filter(keep),
                    read.header_end.filter(keep),
                    read.stamp_at.filter(keep),
                    read.notes,
                )
                headers = None if headers is None else headers.filter(keep)
            prefix = [prefix_values(text, read.stamp_at, layout.field)] if layout.field else []
            for note in read.notes:
                ctx.note(note)
            frame = lines.select("line", "text", *_opens_column(lines)).with_columns(
                *prefix,
                ts=read.ts,
                level=_levels(text, read, layout),
                body_at=read.header_end,
                _stamped=read.header_end.is_not_null()
                & ~_stamped_frames(text, read)
                & ~_marked_later(text, read),
                _own=own,
            )
            # journalctl's, logcat's, kubectl's and stern's markers and MySQL's banner are among
            # the lines without a stamp (few): not entries.
            for marker, what in (
                (JOURNAL_MARKER, JOURNAL_MARKERS),
                (LOGCAT_MARKER, LOGCAT_MARKERS),
                (MYSQL_BANNER, MYSQL_BANNERS),
                (KUBE_MARKER, KUBE_MARKERS),
            ):
                markers = tool_lines(text, marker, what, ctx, among=~frame["_stamped"])
                if markers is not None:
                    frame, text = frame.filter(~markers), text.filter(~markers)
            chrome = terminal_chrome(text, frame["_stamped"], ctx, frame["body_at"])
            if chrome is not None:
                frame, text = frame.filter(~chrome), text.filter(~chrome)
            if headers is not None:
                frame, text = frame.filter(~headers), text.filter(~headers)
            heading = table_heading(text, frame["_stamped"], ctx, frame["_own"])
            if heading is not None:
                frame, text = frame.filter(~heading), text.filter(~heading)
            framed = framed_preamble(text, frame["_stamped"], ctx)
            if framed is not None:
                frame, text = frame.filter(~framed), text.filter(~framed)
            # A line without a stamp that opens with a level tag of its own (`[WARNING] ...`,
            # `NOTICE: ...`) is another message, written without a stamp (start-up notices,
            # a JVM's warnings on stderr), not the line above's continuation.
            frame, second = levels_on_second_lines(text, frame)
            frame = with_repeated_times(text, frame)
            blocks = stamped_blocks(text, frame)
            if blocks is not None:
                ctx.note("records apart by blank lines, each stamped by its one stamped line")
                starts = pl.lit(blocks["_stamped"])
                frame = blocks
            else:
                starts = _starts(text, frame["_stamped"], second)
                if layout.field is not None:
                    again = prefix_again(
                        text, frame[layout.field], frame["_stamped"], frame["body_at"]
                    )
                    if again is not None:
                        starts = starts | pl.lit(again)
                under = under_stamped_title(text, frame["_stamped"])
                if under is not None:
                    starts = starts & pl.lit(~under)
            frame = frame.drop("_own")
            entries = _joined(frame, starts)
            # Blank lines before the next stamp belong to no one; they are not kept as text.
            # (Checking the last character first is cheaper than stripping every entry.)
            if entries.select((pl.col("text").str.slice(-1) == "\n").any()).item():
                entries = entries.with_columns(pl.col("text").str.strip_chars_end("\n"))
            return _conform(entries, layout.field)
    # No stamps: an entry is a line, with the indented lines under it (.NET's console logger
    # writes `info: Category[0]` then the message indented; a stack trace's frames).
    runs = ["_runs"] if "_runs" in lines.columns else []
    bare = lines.select("line", "text", *_opens_column(lines), *runs).filter(
        pl.col("text").str.strip_chars() != ""
    )
    markers = tool_lines(bare["text"], JOURNAL_MARKER, JOURNAL_MARKERS, ctx)
    if markers is not None:
        bare = bare.filter(~markers)
    picture = leading_picture(bare["text"], ctx)
    if picture is not None:
        bare = bare.filter(~picture)
    # Seconds since boot or start (`[   21.482] ...`: dmesg, the X server, kernel consoles;
    # ESP-IDF's `I (8801) wifi: ...`) are no wall-clock time, but where most lines open with
    # them they mark where entries start, as records do (a terminal's session around them is
    # no entries, `terminal_chrome`); the lines before the first one (a boot ROM's) are
    # entries as in text without them.
    # (only where a prompt is above the first: without one, such text keeps its pagers' lines)
    uptime = uptime_starts(bare["text"])
    if (
        uptime is not None
        and bare["text"].head(int(uptime.arg_max() or 0)).str.contains(PROMPT).any()
    ):
        chrome = terminal_chrome(bare["text"], uptime, ctx)
        if chrome is not None:
            bare, uptime = bare.filter(~chrome), uptime.filter(~chrome)
    prompts = session_prompts(bare["text"], ctx)
    if prompts is not None:
        bare = bare.filter(~prompts)
        uptime = None if uptime is None else uptime.filter(~prompts)
    starts = opening(bare["text"])
    if uptime is not None and uptime.any():
        first = uptime.arg_max() or 0
        before = pl.int_range(uptime.len(), eager=True) < first
        # (and among the lines after, a report of another writer, a device's panic, and the
        # start-up lines again after a restart)
        own = bare["text"].str.contains(_OWN_START).fill_null(False)
        again = _banner_again(bare["text"], uptime, first) if first else None
        starts = uptime | own | (starts & before)
        if again is not None:
            starts = starts | again
    ts: pl.Expr | pl.Series = pl.lit(None, dtype=TS)
    framed = terminal_stamps(bare["text"], ctx)
    if framed is not None:
        starts, ts = starts | framed.is_not_null(), framed
    if "_opens" in bare.columns:
        starts = starts | bare["_opens"]
        if "_runs" in bare.columns:
            # (a run after a record is one entry, another writer's report, a crash's stack,
            # but for its lines that open with a level tag or a report's head of their own)
            own = bare["text"].str.contains(_OWN_START).fill_null(False)
            starts = starts.zip_with(~bare["_runs"], bare["_opens"] | own)
            opened = _opening_stamps(bare["text"], bare["_opens"], ctx)
            ts = opened if framed is None else opened.fill_null(framed)
        bare = bare.drop("_opens", "_runs", strict=False)
    if starts.all():
        return _conform(
            bare.with_columns(
                ts=ts,
                level=level_from_text(bare["text"]),
                text=cap_text(pl.col("text")),
            )
        )
    frame = bare.with_columns(
        ts=ts,
        level=pl.when(starts).then(level_from_text(bare["text"])),
        body_at=pl.lit(None, dtype=pl.UInt32),
        _stamped=starts,
    )
    return _conform(join_continuations(frame, pl.col("_stamped")))


# Where each line went through a transport that stamps every line, a stack trace's lines carry
# stamps of their own, a moment after the message they belong to (see `frames`).
# A message's own header after the transport's stamp: a level word, a date or time, a glog
# letter and date.
_OWN_HEADER = ascii_classes(
    rf"^\s*(?:[\[<(]?(?i:{LEVEL_WORDS}|info|warn|fail|crit|dbug|trce)\b"
    r"|[\[(]?\d{1,4}[-/.:]\d{1,2}[-/.:]\d{1,4}|[IWEF]\d{4} "
    # (a date with its month named: Tomcat's `28-Jun-2024 09:26:43.217 SEVERE ...`, syslog's)
    r"|[\[(]?\d{1,2}[-/ ][A-Z][a-z]{2}[-/ ]\d{2,4}|[\[(]?[A-Z][a-z]{2} +\d{1,2} \d{2}:"
    # (a JSON record: zap's `{"level":"info","ts":...}`; logfmt's `time=... level=INFO`)
    r'|\{"\w+":|(?:time|ts|t|level|lvl)=)'
)
_OWN_HEADER_SHARE = 0.5  # of the sampled lines that are no frame


def _opens_column(lines: pl.DataFrame) -> list[str]:
    """Return `["_opens"]` where `lines` carry `parse_text`'s `opens`, else nothing."""
    return ["_opens"] if "_opens" in lines.columns else []


def _opening_stamps(text: pl.Series, opens: pl.Series, ctx: ParseContext) -> pl.Series:
    """Return the stamps the `opens` lines start with (another writer's line among records:
    Go's `log` package's `2024/03/14 09:29:17 http: ...` among slog's JSON), null elsewhere."""
    rows = opens.arg_true()
    read = read_other_stamps(text.gather(rows), mtime=ctx.mtime, tz=ctx.tz)
    for note in read.notes:
        ctx.note(note)
    nulls = pl.repeat(None, text.len(), dtype=TS, eager=True)
    return nulls.scatter(rows, read.ts.cast(TS)).alias("ts")


def _fewer_stamped(text: pl.Series, layout: Layout, ctx: ParseContext, other: pl.Series) -> bool:
    """Return whether `layout` stamps fewer of `text`'s lines than `other` stamps (a stamp
    after a prefix read on every line wins over the one in its trailing metadata: Grafana's
    download of Loki's lines, `<epoch ms>\t<ISO stamp>\t<structlog's JSON>`)."""
    read = read_line_stamps(text, layout, mtime=ctx.mtime, tz=ctx.tz)
    return read.ts.is_not_null().sum() < other.is_not_null().sum()


def _joined(frame: pl.DataFrame, starts: pl.Expr) -> pl.DataFrame:
    """Return `join_continuations` of `frame` at `starts`, and at the lines `_opens` marks."""
    if "_opens" not in frame.columns:
        return join_continuations(frame, starts)
    return join_continuations(frame, starts | pl.col("_opens")).drop("_opens", strict=False)


def _stamped_frames(text: pl.Series, read: LineStamps) -> pl.Series:
    """Return which stamped lines are a stack trace's frames, stamped line by line (see
    `frames`): text indented more than the source's headers, or a marker line."""
    close = read.ts.diff().dt.total_microseconds().is_between(0, FRAME_GAP_US).fill_null(False)
    if not close.any():
        return close
    after = pl.col("text").str.slice(pl.col("at"), FRAME_LOOK)
    # How far the source's headers usually run in white space after the stamp (`INFO` after
    # two spaces in aligned layouts), from a sample: frames are indented further.
    every = max(1, text.len() // 500)
    sample = pl.DataFrame(
        {"text": text.gather_every(every), "at": read.header_end.gather_every(every)}
    )
    gaps = sample.select(after.str.extract(r"^(\s*)", 1).str.len_chars()).to_series()
    usual = gaps.drop_nulls().mode().min() if gaps.null_count() < gaps.len() else 0
    framed = frame_regex((usual or 0) + 2)
    # The transport's stamp is on lines whose messages have headers of their own (a level, a
    # stamp); where most lines have none (a CI runner stamping each line of a job's output),
    # every stamped line is as much an entry as the next.
    own = sample.filter(~sample.select(after.str.contains(framed).fill_null(True)).to_series())
    headed = own.select(after.str.contains(_OWN_HEADER).fill_null(False)).to_series()
    if headed.len() and headed.mean() < _OWN_HEADER_SHARE:  # type: ignore[operator]
        return pl.repeat(False, text.len(), eager=True)
    return stack_frames(after_headers(text, read.header_end, close), close, framed)


# Writers that mark the later lines of one message, each stamped alike, so that they continue
# the line that opened it: (how the sample's lines show the writer, after the stamp; how a
# later line is marked). VMware's logs (vmware.log, ESXi's own files): a `+` after the level
# (`Er(02)+ vmx Continue without ...`). CockroachDB's crdb-v2 format: `+` (a later line),
# `|` (a long line's next part) or `!` (a stack's line) after the entry's counter (`... ⋮
# [T1,n3] 5 +build: ...`).
# GitLab's job logs with the runner's timestamps: the stream's number, `O` or `E`, then `+`
# where the line goes on with the one before it (`2024-06-11T07:42:01.203874Z 00O+...`).
_LATER_MARKS = (
    (ascii_classes(r"^ ?[0-9a-f]{2}[OE][ +]"), ascii_classes(r"^ ?[0-9a-f]{2}[OE]\+")),
    (
        ascii_classes(r"^ ?(?:Em|Al|Cr|Er|Wa|No|In|Db|Vb)\(\d{1,3}\)"),
        ascii_classes(r"^ ?(?:Em|Al|Cr|Er|Wa|No|In|Db|Vb)\(\d{1,3}\)\+ "),
    ),
    (
        ascii_classes(r"^ +\d+ (?:\d+@)?[^\s:]+:\d+ (?:⋮ )?\[[^\]]*\] "),
        ascii_classes(r"^ +\d+ (?:\d+@)?[^\s:]+:\d+ (?:⋮ )?\[[^\]]*\] (?:\d+ )?[+|!]"),
    ),
)


def _marked_later(text: pl.Series, read: LineStamps) -> pl.Series:
    """Return which stamped lines are marked as a message's later lines (_LATER_MARKS),
    looked for only where the sample's lines show a writer that marks them."""
    head = text.head(_SPREAD_SAMPLE).str.slice(read.header_end.head(_SPREAD_SAMPLE).fill_null(0))
    for shown, later in _LATER_MARKS:
        if head.str.contains(shown).any():
            after = text.str.slice(read.header_end.fill_null(0))
            return after.str.contains(later).fill_null(False) & read.header_end.is_not_null()
    return pl.repeat(False, text.len(), eager=True)


def _starts(
    text: pl.Series,
    stamped: pl.Series,
    second: pl.Series | None = None,
) -> pl.Expr:
    """Return which lines start an entry: those with a stamp, those without one that open
    with a level tag or a command-line prompt (only the few lines without a stamp are
    searched), and, before the first stamped line, where there is no entry to continue,
    every line that is neither blank nor indented, as in text without stamps (a program's
    start-up lines written before its logger, a tool's banner), and so again where that
    banner comes again (`_banner_again`). `second` marks the records' second lines, which
    join them (`levels_on_second_lines`)."""
    first = stamped.arg_max() if stamped.any() else 0
    unstamped = (~stamped).arg_true()
    if unstamped.len():
        tagged = text.gather(unstamped).str.contains(_OWN_START).fill_null(False)
        if second is not None:
            tagged = tagged & ~second.gather(unstamped)
        rows = table_rows(text, stamped, unstamped)
        if rows is not None:
            tagged = tagged | rows
        stamped = stamped.scatter(unstamped.filter(tagged), True)
    if first:
        records = stamped
        stamped = stamped.scatter(opening(text.head(first)).arg_true(), True)
        if unstamped.len():
            again = _banner_again(text, records, first)
            if again is not None:
                stamped = stamped | again
    return pl.lit(stamped)


def _banner_again(text: pl.Series, records: pl.Series, first: int) -> pl.Series | None:
    """Return the lines that open an entry where the banner before the first record (`first`)
    comes again further on (a tool that prints its column headers again, chrony's statistics
    logs, a program's or a device's start-up after a restart): from the banner's first line,
    followed by its second where it has two, to the next record, each line that opens one as
    before the first record (`opening`). None where there is no banner."""
    head = text.head(first)
    # (a terminal program's header over the capture, PuTTY's, is the file's, not the banner's)
    said = (head.str.strip_chars() != "") & ~head.str.contains(SESSION_FRAME).fill_null(False)
    banner = head.filter(said).head(2).to_list()
    # (A rule of punctuation alone says too little to be a banner on its own.)
    if not banner or (len(banner) == 1 and not any(c.isalnum() for c in banner[0])):
        return None
    # (a rule of `=` both opens and closes chrony's banner: its second line tells them apart)
    again = text == banner[0]
    if len(banner) == 2:
        again = again & (text.shift(-1) == banner[1])
    again = again.fill_null(False) & (pl.int_range(text.len(), eager=True) > first)
    if not again.any():
        return None
    until = pl.DataFrame({"again": again, "record": records}).select(
        pl.when(pl.col("again"))
        .then(True)
        .when(pl.col("record"))
        .then(False)
        .forward_fill()
        .fill_null(False)
    )
    region = until.to_series()
    return again | (region & opening(text))


def _levels(text: pl.Series, read: LineStamps, layout: Layout) -> pl.Series:
    """Return the level of each line: from its header after the stamp, or, when the source's
    stamps follow a prefix, first from that prefix (Cassandra writes `INFO  [main] <stamp>`)."""
    after = level_from_text(text, read.header_end)
    plain = layout.prefix in LINE_START
    # Without a prefix, only a line whose stamp follows its own level tag (`WARNING: 2024-...`,
    # PowerShell's warning stream) has text before it: its level is there.
    if plain and not (read.stamp_at > 1).any():
        return after
    before = text.str.slice(0, read.stamp_at.fill_null(0))
    if plain:
        return after.fill_null(level_from_text(before))
    # The prefix may be a severity letter alone, which no general rule takes for a level.
    letters = letter_column(before, among=read.stamp_at.is_not_null())
    if letters is not None:
        return letters.fill_null(after)
    # or end in a level word in any case, after the program's name (`Zigbee2MQTT:info  `),
    # or open with one where most prefixes do (a table whose first column is the severity,
    # Cisco UCS's `show fault`: `Warning   F0156    <stamp>  ...`; a severity column's
    # words, HPE's `Caution`, too).
    last_word = normalise(before.str.extract(_LEVEL_BEFORE_STAMP, 1))
    found = level_from_text(before).fill_null(last_word)
    # (decided on a sample of the stamped lines' prefixes, read on all only where it holds)
    sample = before.filter(read.stamp_at.is_not_null()).head(_SPREAD_SAMPLE)
    shown = normalise_field(sample.str.extract(_FIRST_WORD, 1)).is_not_null().mean()
    if (shown or 0) >= _FIRST_WORD_SHARE:
        found = found.fill_null(normalise_field(before.str.extract(_FIRST_WORD, 1)))
    return found.fill_null(after)


def parse_text_with(
    lines: pl.DataFrame, name: str, values: pl.Series, ctx: ParseContext
) -> pl.DataFrame:
    """Return `lines` (`line`, `text`) read as plain text, each entry with the field `name`
    taken from `values` (one per line) at its first line: a file of several sources read as
    one (compose's services, `tail`'s files)."""
    entries = parse_text(lines, ctx)
    field = pl.DataFrame({"line": lines["line"], name: values})
    return entries.join(field, on="line", how="left")


def _conform(entries: pl.DataFrame, field: str | None = None) -> pl.DataFrame:
    body_at = [pl.col("body_at").cast(pl.UInt32)] if "body_at" in entries.columns else []
    prefix = [pl.col(field)] if field is not None else []
    return entries.select(
        pl.col("ts").cast(TS),
        pl.col("level").cast(pl.String),
        pl.col("line").cast(pl.UInt64),
        pl.col("text").alias("message"),
        *body_at,
        *prefix,
    )


FORMATS: list[Format] = [
    Format(
        name="text", label="Plain text", sniff=sniff, parse_lines=parse_text, levels_from_text=True
    ),
]
