"""Syslog: RFC 5424 lines, and RFC 3164 lines (with or without `<PRI>`, BSD or ISO stamps).

Also home of `entries_from_matches`, which the other line formats whose fields come from one
anchored regex (access and error logs, logfmt) share: matched lines start entries, indented
unmatched lines join the entry above, other unmatched lines stand alone without a time.
"""

from __future__ import annotations

import re

import polars as pl

from logview.core.reading import levels
from logview.core.reading.formats import (
    EARLY_LINES,
    Format,
    ParseContext,
    Sample,
    line_share,
)
from logview.core.reading.parsers.fields import parse_stamps
from logview.core.reading.parsers.frames import after_headers, frame_regex, stack_frames
from logview.core.reading.parsers.headed import (
    JOURNAL_MARKER,
    JOURNAL_MARKERS,
    entries_from_matches,
    patch_rows,
    tool_lines,
)
from logview.core.shared.regex import ascii_classes
from logview.core.shared.table import empty_parsed

# RFC 5424 facility codes, for the `facility` column.
FACILITIES = ("kern", "user", "mail", "daemon", "auth", "syslog", "lpr", "news", "uucp", "cron",
              "authpriv", "ftp", "ntp", "security", "console", "solaris-cron", "local0", "local1",
              "local2", "local3", "local4", "local5", "local6", "local7")  # fmt: skip

# <PRI>VERSION TIMESTAMP HOSTNAME APP-NAME PROCID MSGID STRUCTURED-DATA [MSG]; "-" is nil.
# Some senders put a space where RFC 3339 has `T` (Check Point's Log Exporter). Over TCP the
# message's length in octets may come first (RFC 6587's octet counting: a Heroku drain's body,
# `119 <134>1 2024-06-12T11:05:02.114302+00:00 host heroku api - ...`).
RFC5424 = ascii_classes(
    r"^(?:\d{1,5} )?<(?P<pri>\d{1,3})>(?P<version>\d{1,2})"
    r" (?P<stamp>\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:?\d{2})?|\S+)"
    r" (?P<host>\S+) (?P<app>\S+)"
    r" (?P<procid>\S+) (?P<msgid>\S+)(?: (?P<structured_data>-|(?:\[(?:[^\]\\]|\\.)*\])+"
    # a line cut short inside its structured data (a capture's last line) keeps its header
    r"|(?:\[(?:[^\]\\]|\\.)*\])*\[(?:[^\]\\]|\\.)*$))?"
    # (Heroku's Logplex writes no structured data, not even its `-`)
    r"(?: (?P<msg>.*))?$"
)
_BSD_STAMP = ascii_classes(r"[A-Z][a-z]{2} [ \d]?\d \d{1,2}:\d{2}:\d{2}(?:\.\d{1,9})?")
_ISO_STAMP = ascii_classes(
    r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:[.,]\d{1,9})?(?:Z|[+-]\d{2}:?\d{2})?"
)
# `app` and `pid` are optional so that lines such as `host last message repeated 2 times`
# keep their stamp and host; the sniffer asks for the whole `host app[pid]:` structure.
RFC3164 = ascii_classes(
    rf"^(?:<(?P<pri>\d{{1,3}})>)?(?P<stamp>{_BSD_STAMP}|{_ISO_STAMP}) "
    # A program's tag right after the stamp, without a host (daemons' own log files:
    # Dovecot's `Mar 14 09:26:50 imap-login: Info: ...`), or a host and maybe a tag.
    r"(?:(?P<tag>[^\s\[]+?)(?:\[(?P<tag_pid>[^\]]*)\])?:(?: |$)|(?P<host>\S+)"
    r"(?: (?P<app>[^\s\[:]+)(?:\[(?P<pid>[^\]]*)\])?:(?: |$))?)(?P<msg>.*)$"
)
# What the sniffer requires of a line: stamp, host, then `app:` or `app[pid]:`. (A bracket after
# the stamp is no host: EMQX's `<stamp> [info] msg: ...` is a level.)
_RFC3164_STRICT = ascii_classes(
    rf"^(?:<\d{{1,3}}>)?(?:{_BSD_STAMP}|{_ISO_STAMP}) (?P<host>[^\s\[]\S*) [^\s\[:]+(?:\[[^\]]*\])?:"
    r"(?: |$)"
)
STRUCTURED_SHARE = 0.8
# The same, for sniffing with Python's `re` (see `formats.line_share`).
_RFC5424_RE, _RFC3164_RE = (re.compile(p, re.ASCII) for p in (RFC5424, _RFC3164_STRICT))


def _nil_to_null(expr: pl.Expr) -> pl.Expr:
    return pl.when(expr != "-").then(expr)


def severity_level(pri: pl.Expr) -> pl.Expr:
    """Return the normalised level of a syslog PRI (severity = PRI mod 8), null without one."""
    return levels.normalise((pri.cast(pl.Int32, strict=False) % 8).cast(pl.String))


def facility_name(pri: pl.Expr) -> pl.Expr:
    """Return the facility name of a syslog PRI (PRI div 8), null without one."""
    code = (pri.cast(pl.Int32, strict=False) // 8).cast(pl.String)
    names = {str(i): name for i, name in enumerate(FACILITIES)}
    return code.replace_strict(names, default=None, return_dtype=pl.String)


# --- RFC 5424 ------------------------------------------------------------------------------


def sniff_5424(sample: Sample) -> float:
    """Return 0.9 when at least 80% of the sampled lines are RFC 5424 syslog, less with fewer."""
    share = line_share(sample, _RFC5424_RE)
    return 0.9 if share >= STRUCTURED_SHARE else 0.9 * share


def parse_5424(lines: pl.DataFrame, ctx: ParseContext) -> pl.DataFrame:
    """Return one entry per RFC 5424 line: level from the PRI severity, header fields as extras.

    Extras: host, program (APP-NAME), pid (PROCID), msgid, structured_data (null where the
    line has "-") and facility (its name, e.g. `local4`). The message is the line as written;
    its body is MSG.
    """
    if lines.height == 0:
        return empty_parsed()
    parts = lines["text"].str.extract_groups(RFC5424).struct.unnest()
    columns = parts.select(
        pl.col("stamp"),
        severity_level(pl.col("pri")).alias("level"),
        *[
            _nil_to_null(pl.col(name)).alias(alias)
            for name, alias in (
                ("host", "host"),
                ("app", "program"),
                ("procid", "pid"),
                ("msgid", "msgid"),
                ("structured_data", "structured_data"),
            )
        ],
        facility_name(pl.col("pri")).alias("facility"),
        _header_end(lines["text"], parts["msg"].fill_null("")).alias("body_at"),
    )
    ts = parse_stamps(_nil_stamps(columns["stamp"]), ctx)
    columns = columns.drop("stamp").with_columns(ts=ts)
    return entries_from_matches(lines, parts["pri"].is_not_null(), columns, ctx=ctx)


def _nil_stamps(stamps: pl.Series) -> pl.Series:
    return stamps.to_frame().select(_nil_to_null(pl.col(stamps.name))).to_series()


# --- RFC 3164 and the common file form -----------------------------------------------------


def sniff_3164(sample: Sample) -> float:
    """Return 0.85 (with `<PRI>`) or 0.75 when 80% of lines have `stamp host app[pid]:`, else 0.

    Below that share the file is better read as plain text, which scores 0.5-0.7 on stamped
    lines, so nothing is claimed. A "host" that is a level word (`... INFO main: started`) is
    a text log's header, not syslog.
    """
    lines = sample.lines
    if not lines or not any(_RFC3164_RE.match(line) for line in lines[:EARLY_LINES]):
        return 0.0
    hosts = [m.group("host") if (m := _RFC3164_RE.match(line)) else None for line in lines]
    structured = sum(1 for host in hosts if host is not None and host.lower() not in levels.ALIASES)
    if structured / len(lines) < STRUCTURED_SHARE:
        return 0.0
    with_pri = sum(1 for line in lines if line.startswith("<"))
    return 0.85 if with_pri / len(lines) >= STRUCTURED_SHARE else 0.75


def parse_3164(lines: pl.DataFrame, ctx: ParseContext) -> pl.DataFrame:
    """Return one entry per RFC 3164 line: extras host, program and pid; the line as the
    message, its body after `program[pid]:`.

    The level comes from the PRI severity where there is one, else from the message text
    (`levels.level_from_text`, looking just after the `app[pid]:` header). Stamps without a
    year take it from the file's date (see `timestamps`).
    """
    if lines.height == 0:
        return empty_parsed()
    if lines["text"].str.starts_with("-- ").any():  # (a literal test first: most have none)
        markers = tool_lines(lines["text"], JOURNAL_MARKER, JOURNAL_MARKERS, ctx)
        if markers is not None:
            lines = lines.filter(~markers)
    text = lines["text"]
    parts = _fields_3164(text)
    # Where a line has a tag and no host, the tag may hold the level itself (VMware's older
    # `cpu3:32849)WARNING: NMP: ...`): such lines are looked at from just after the stamp.
    hostless = parts["host"].is_null() & parts["app"].is_not_null()
    start = parts["header_end"]
    if hostless.any():
        after_stamp = (
            parts.select(
                (pl.col("pri").str.len_chars() + 2).fill_null(0) + pl.col("stamp").str.len_chars()
            )
            .to_series()
            .cast(pl.UInt32)
        )
        start = start.zip_with(~hostless, after_stamp)
    from_text = levels.level_from_text(text, start)
    # VMware ESXi writes the PRI where the host would be, after its severity's abbreviation:
    # `2024-03-14T09:26:50.101Z In(182) vmkernel: ...` (182 = local6.info); ESXi 8 a `+`
    # after it on the later lines of one message.
    # (a cheap test first: most syslog has no host ending in a parenthesis)
    vmware = parts["host"].str.ends_with(")").any()
    vmware_pri = (
        pl.col("host").str.extract(_VMWARE_PRI, 1) if vmware else pl.lit(None, dtype=pl.String)
    )
    # Cisco's message code where a tag would be (an ASA's `<host> %ASA-4-106023: ...` in a
    # relay's file): its digit is the severity (a cheap test first: few tags open with `%`).
    cisco = parts["app"].str.starts_with("%").any()
    cisco_severity = (
        pl.col("app").str.extract(_CISCO_TAG, 1) if cisco else pl.lit(None, dtype=pl.String)
    )
    columns = parts.select(
        pl.coalesce(
            severity_level(pl.col("pri")),
            severity_level(vmware_pri),
            severity_level(cisco_severity),
            pl.lit(from_text),
        ).alias("level"),
        pl.when(vmware_pri.is_null()).then(pl.col("host")).alias("host"),
        pl.col("app").alias("program"),
        "pid",
        pl.col("header_end").alias("body_at"),
    ).with_columns(ts=_bsd_or_iso_stamps(parts["stamp"], ctx))
    matched = parts["stamp"].is_not_null()
    more = _later_chunks(text, parts["header_end"])
    if more is not None:
        columns = columns.with_columns(body_at=_after_chunk(text, columns["body_at"]))
        # (No `ctx`, as for ESXi's below: the later lines' stamps would split them off again.)
        return entries_from_matches(lines, matched & ~more, columns, joins=pl.lit(more))
    if vmware and parts["host"].str.ends_with(")+").any():
        # ESXi 8 marks each later line of one multi-line message with `+` after the PRI
        # (`Er(163)+`): they join the line that opened it, their repeated stamp and all. (No
        # `ctx`: it would read those lines' own stamps as another writer's and split them off.)
        more = parts["host"].str.contains(_VMWARE_MORE).fill_null(False)
        return entries_from_matches(lines, matched & ~more, columns, joins=pl.lit(pl.Series(more)))
    frames = _traced(text, parts["header_end"], columns)
    return entries_from_matches(lines, matched, columns, ctx=ctx, frames=frames)


# journald gives each line a service writes to its output a header of its own: a traceback's
# lines too (`Jun 28 07:42:17 calc-01 gunicorn[48215]:   File "/opt/app.py", line 41, in run`).
# A line of the same process as the line above, in the same second or the next, whose
# message is a frame (a stack's marker line, or indented two spaces or more after one) joins
# it.
_TRACE_INDENT = 2
_TRACE_GAP_US = 1_000_000


def _traced(text: pl.Series, header_end: pl.Series, columns: pl.DataFrame) -> pl.Series | None:
    """Return which lines are the stack frames of the message above (see _TRACE_INDENT), or
    None where none is."""
    # (a process id seen again a second later is the same process's, on any host)
    gap = pl.col("ts").diff().dt.total_microseconds()
    close = columns.select(
        (pl.col("pid") == pl.col("pid").shift(1)).fill_null(False)
        & gap.is_between(0, _TRACE_GAP_US).fill_null(False)
    ).to_series()
    if not close.any():
        return None
    after = after_headers(text, header_end, close)
    frames = stack_frames(after, close, frame_regex(_TRACE_INDENT), marked_first=True)
    return frames if frames.any() else None


# PostgreSQL numbers the lines it sends to syslog (`syslog_sequence_numbers`): `[9-1] ERROR:
# ...`, then `[9-2] DETAIL: ...`, `[9-3] STATEMENT: ...`, `[9-4] #011VALUES ...`: one message
# and its lines. A line numbered past 1 continues the message above.
_CHUNK = ascii_classes(r"^\[\d+-(\d+)\] ")
_CHUNK_SAMPLE = 200


def _later_chunks(text: pl.Series, header_end: pl.Series) -> pl.Series | None:
    """Return which lines are a numbered message's later lines (see _CHUNK), or None where
    the first lines show no numbered message (most syslog: one look at a sample)."""
    head = text.head(_CHUNK_SAMPLE).str.slice(header_end.head(_CHUNK_SAMPLE).fill_null(0))
    if not head.str.contains(_CHUNK).any():
        return None
    chunk = text.str.slice(header_end.fill_null(0)).str.extract(_CHUNK, 1).cast(pl.UInt32)
    more = (chunk > 1).fill_null(False)
    return more if more.any() else None


def _after_chunk(text: pl.Series, body_at: pl.Series) -> pl.Series:
    """Return where each line's message starts past its `[seq-chunk] ` number."""
    number = text.str.slice(body_at.fill_null(0)).str.extract(f"({_CHUNK.removeprefix('^')})", 1)
    at = body_at.cast(pl.UInt32) + number.str.len_chars().fill_null(0).cast(pl.UInt32)
    return at.zip_with(body_at.is_not_null(), body_at.cast(pl.UInt32))


_CISCO_TAG = ascii_classes(rf"^%{levels.CISCO_CODE}$")
_VMWARE_PRI = r"^(?:Em|Al|Cr|Er|Wa|No|In|Db)\((\d{1,3})\)\+?$"
_VMWARE_MORE = r"^(?:Em|Al|Cr|Er|Wa|No|In|Db)\(\d{1,3}\)\+$"


# The fast path: the usual `Mmm dd HH:MM:SS host app[pid]: msg` line (no PRI, a BSD stamp
# without fraction) reads the same through this regex, which stops at the end of the header
# (RFC3164's groups run over the whole message): the stamp is then the first 15 characters.
# Any other line goes through RFC3164.
_FAST_3164 = ascii_classes(
    r"^[A-Z][a-z]{2} [ 0-9][0-9] [0-9]{2}:[0-9]{2}:[0-9]{2}"
    r" (?P<host>[^\s\[:]+) (?P<app>[^\s\[:]+)(?:\[(?P<pid>[^\]]*)\])?:(?P<space> |$)"
)
_BSD_WIDTH = 15
_FIELDS_3164 = ("pri", "stamp", "host", "app", "pid", "header_end")


def _fields_3164(text: pl.Series) -> pl.DataFrame:
    """Return RFC3164's pri, stamp, host, app and pid, and where each line's message starts."""
    fast = text.str.extract_groups(_FAST_3164).struct.unnest()
    ok = fast["host"].is_not_null()
    if not ok.any():
        return _fields_3164_slow(text)
    header = (
        _BSD_WIDTH
        + 1
        + pl.col("host").str.len_chars()
        + 1
        + pl.col("app").str.len_chars()
        + (pl.col("pid").str.len_chars() + 2).fill_null(0)
        + 1
        + pl.col("space").str.len_chars()
    )
    fields = fast.with_columns(text.str.slice(0, _BSD_WIDTH).alias("stamp")).select(
        pl.lit(None, dtype=pl.String).alias("pri"),
        "stamp",
        "host",
        "app",
        "pid",
        header.cast(pl.UInt32).alias("header_end"),
    )
    if ok.all():
        return fields
    return patch_rows(fields, ok, _fields_3164_slow(text.filter(~ok)))


def _fields_3164_slow(text: pl.Series) -> pl.DataFrame:
    parts = text.str.extract_groups(RFC3164).struct.unnest()
    return parts.with_columns(
        app=pl.coalesce("tag", "app"),
        pid=pl.coalesce("tag_pid", "pid"),
        header_end=_header_end(text, parts["msg"]),
    ).select(_FIELDS_3164)


def _bsd_or_iso_stamps(stamps: pl.Series, ctx: ParseContext) -> pl.Series:
    """Return BSD (`Oct 11 22:14:15`) and ISO stamps read as UTC, each with its own layout.

    A timestamp column is read with one layout, but rsyslog can switch from the BSD form to
    the ISO one mid-file (a configuration change), so each kind is read on its own.
    """
    iso = stamps.str.contains("^[0-9]").fill_null(False)
    if not iso.any() or iso.all():
        return parse_stamps(stamps, ctx)
    frame = pl.DataFrame({"stamp": stamps, "iso": iso})
    bsd_ts = parse_stamps(frame.select(pl.when(~pl.col("iso")).then("stamp")).to_series(), ctx)
    iso_ts = parse_stamps(frame.select(pl.when(pl.col("iso")).then("stamp")).to_series(), ctx)
    return iso_ts.zip_with(iso, bsd_ts).rename("ts")


def _header_end(text: pl.Series, msg: pl.Series) -> pl.Series:
    """Return the offset where each line's message starts (null on unmatched lines)."""
    return (text.str.len_chars() - msg.str.len_chars()).cast(pl.UInt32)


FORMATS: list[Format] = [
    Format("syslog5424", "Syslog (RFC 5424)", sniff_5424, parse_lines=parse_5424),
    Format(
        "syslog", "Syslog (RFC 3164)", sniff_3164, parse_lines=parse_3164, levels_from_text=True
    ),
]
