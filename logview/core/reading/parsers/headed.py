"""Shared by the line formats whose entries start with a header one regex reads (logcat,
Tomcat, MySQL, PostgreSQL, Redis, glog, ...): sniffing by share of lines, entries from start
lines, levels from a format's own words, stamps rewritten into a layout `timestamps` reads, and
the lines around a log that are no entries (a tool's markers, a terminal session's prompts and
headers), which plain text leaves out too.

Stamps: each format writes its stamp its own way (`03-17 16:13:38.811`, `06-Mar-2023
18:34:17.383`, `161209 14:18:50`). The parsers cut the parts out with their own regex and
write them back as ISO 8601 (`iso_text`) or, when the format gives no year, in the syslog
layout (`month_day_text`), which `timestamps.parse_stamp_column` reads with its year rule
(the file's date, a year back at each wrap of the date) and its zone rule, and notes what it assumed.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping

import polars as pl

from logview.core.reading import zones
from logview.core.reading.entries import cap_text, join_continuations
from logview.core.reading.formats import (
    INDENTED,
    ParseContext,
    Sample,
)
from logview.core.reading.parsers.fields import parse_stamps
from logview.core.reading.stamp_forms import MONTHS
from logview.core.reading.stamp_search import read_other_stamps
from logview.core.shared.body import BODY_KIND, TEXT
from logview.core.shared.regex import ascii_classes
from logview.core.shared.table import BODY_COLUMNS, TS, empty_parsed

# Month names by number, for the syslog layout (`stamp_forms.MONTHS` is the one table).
_MONTH_NAMES = {number: name.title() for name, number in MONTHS.items()}


def compiled(pattern: str) -> re.Pattern[str]:
    """Return `pattern` compiled for Python's `re` as polars reads it (ASCII classes)."""
    return re.compile(pattern, re.ASCII)


@functools.lru_cache(maxsize=4)
def _joined(lines: tuple[str, ...]) -> str:
    return "\n".join(lines)


def sample_text(sample: Sample) -> str:
    """Return the sampled lines as one text, for a format's signature (one search over it
    costs less than a regex per line)."""
    return _joined(sample.lines)


def scored(share: float, confidence: float, threshold: float = 0.6) -> float:
    """Return `confidence` when `share` reaches `threshold`, else 0: below it the file is more
    likely another format's (plain text, which scores 0.5-0.7, then reads it)."""
    return confidence if share >= threshold else 0.0


def map_levels(expr: pl.Expr, mapping: Mapping[str, str]) -> pl.Expr:
    """Return a format's own level words or letters (`mapping` keys, matched as written and
    in lower case) as normalised level names, null for any other value."""
    table = {**{k.lower(): v for k, v in mapping.items()}, **mapping}
    text = expr.cast(pl.String).str.strip_chars()
    exact = text.replace_strict(table, default=None, return_dtype=pl.String)
    lower = text.str.to_lowercase().replace_strict(table, default=None, return_dtype=pl.String)
    return pl.coalesce(exact, lower)


def _two(expr: pl.Expr) -> pl.Expr:
    return expr.cast(pl.String).str.strip_chars().str.zfill(2)


def iso_text(
    year: pl.Expr,
    month: pl.Expr,
    day: pl.Expr,
    time: pl.Expr,
    zone: pl.Expr | None = None,
) -> pl.Expr:
    """Return stamps as ISO 8601 text from their parts: `time` is `H:MM:SS` with an optional
    fraction (`.` or `,`), `zone` an offset such as `+01:00` or `Z` (none: the zone is the
    reader's). Null where a part is null."""
    clock = time.str.strip_chars()
    clock = pl.when(clock.str.contains(r"^[0-9]:")).then("0" + clock).otherwise(clock)
    parts = [year.cast(pl.String), pl.lit("-"), _two(month), pl.lit("-"), _two(day), pl.lit("T")]
    parts.append(clock.str.replace(",", ".", literal=True))
    if zone is not None:
        parts.append(zone.fill_null(""))
    return pl.concat_str(parts)


def month_day_text(month: pl.Expr, day: pl.Expr, time: pl.Expr) -> pl.Expr:
    """Return year-less stamps in the syslog layout (`Mar 17 16:13:38.811`), which the stamp
    reader gives a year by its year rule. `month` is a number 1-12 (null otherwise)."""
    name = month.cast(pl.Int32, strict=False).replace_strict(
        _MONTH_NAMES, default=None, return_dtype=pl.String
    )
    clock = time.str.strip_chars().str.replace(",", ".", literal=True)
    return pl.concat_str([name, pl.lit(" "), _two(day), pl.lit(" "), clock])


def month_number(name: pl.Expr) -> pl.Expr:
    """Return a month's English name or abbreviation as its number (null otherwise)."""
    return (
        name.str.slice(0, 3)
        .str.to_lowercase()
        .replace_strict(MONTHS, default=None, return_dtype=pl.Int32)
    )


def zone_table(written: pl.Series, ctx: ParseContext) -> dict[str, int]:
    """Return the offsets (minutes, keyed in lower case) of the zone abbreviations a source's
    stamps carry (`written`, PostgreSQL's `%m`, WebLogic's, Cisco's), read by the one rule of
    `zones.offsets_for`: an abbreviation of several zones is read as stated in a note."""
    names = written.drop_nulls().str.strip_chars().str.to_uppercase().unique()
    table, notes = zones.offsets_for(names, ctx.tz)
    for note in notes:
        ctx.note(note)
    return {**{name.lower(): minutes for name, minutes in table.items()}, **_UTC_NAMES}


# Names of UTC itself, which the stamp layouts read on their own (see `zones`).
_UTC_NAMES = {"utc": 0, "gmt": 0, "ut": 0, "z": 0}


def zone_offset(zone: pl.Expr, table: Mapping[str, int]) -> pl.Expr:
    """Return a written zone (`UTC`, `CET`, `+0100`, `-03`, `+05:30`) as an ISO offset
    (`+01:00`), null where it is none of those (then the stamp is read in the user's zone);
    `table` is the source's `zone_table`."""
    text = zone.str.strip_chars()
    named = text.str.to_lowercase().replace_strict(dict(table), default=None, return_dtype=pl.Int32)
    digits = text.str.extract(r"^[+-]([0-9]{2}):?([0-9]{2})?$", 1)
    minutes = text.str.extract(r"^[+-][0-9]{2}:?([0-9]{2})$", 1).fill_null("00")
    signed = pl.when(text.str.starts_with("-")).then(pl.lit("-")).otherwise(pl.lit("+"))
    numeric = pl.when(digits.is_not_null()).then(
        pl.concat_str([signed, digits, pl.lit(":"), minutes])
    )
    sign = pl.when(named < 0).then(pl.lit("-")).otherwise(pl.lit("+"))
    size = named.abs()
    from_name = pl.concat_str(
        [
            sign,
            (size // 60).cast(pl.String).str.zfill(2),
            pl.lit(":"),
            (size % 60).cast(pl.String).str.zfill(2),
        ]
    )
    return pl.coalesce(numeric, from_name)


def read_stamps(
    frame: pl.DataFrame, text: pl.Expr, ctx: ParseContext, *, zone_known: bool = False
) -> pl.Series:
    """Return the stamps `text` (an expression over `frame`) writes, read as UTC (`ts`)."""
    values = frame.select(text.alias("stamp")).to_series()
    if values.null_count() == values.len():
        return pl.Series("ts", [None] * values.len(), dtype=TS)
    return parse_stamps(values, ctx, zone_known=zone_known)


def header_parts(text: pl.Series, regex: str) -> pl.DataFrame:
    """Return the named groups of the header `regex` (anchored with `^`) on each line, plus
    `h`, the whole header (null where a line has none)."""
    return text.str.extract_groups(f"^(?P<h>{regex.removeprefix('^')})").struct.unnest()


def header_length(text: pl.Series, regex: str) -> pl.Series:
    """Return the length of the header `regex` (anchored at the line start) matches on each
    line (UInt32), null where it does not match."""
    return text.str.extract(f"^({regex.removeprefix('^')})", 1).str.len_chars().cast(pl.UInt32)


def present_fields(columns: pl.DataFrame) -> pl.DataFrame:
    """Return per-line `columns` without the fields no line gives (`ts` and `level` stay)."""
    return columns.select(
        c
        for c in columns.columns
        if c in ("ts", "level") or columns[c].null_count() < columns.height
    )


# A command-line prompt, bare or with the command typed after it, in a terminal capture of a
# device or a shell (`leaf3#show logging`, `admin@PA-3220> show log system`, `[admin@gw] >
# /log print`, `netops@jump01:~$ ssh ...`, `<CORE-SW01>display logbuffer`, ExtremeXOS's
# `X460G2-48p.7 # show log`, QLogic's `SANbox #> show log`, IOS XR's
# `RP/0/RSP0/CPU0:xr-pe1#show logging`, Ruckus's `ICX7150-C12P Router#show logging`,
# Raspberry Pi OS's `pi@sensorpi-07:~ $ journalctl -b`, Red Hat's `[root@mgmt01 ~]# ...`,
# NETGEAR's and Dell's `(M4300-28G-PoE+) #show logging`): the user's line, not a log entry.
PROMPT = ascii_classes(
    # (ExtremeXOS marks unsaved changes with `* ` before its host: `* core1-x460g2.4 # `)
    r"^(?:(?:\* )?[A-Za-z][\w.@:~/()-]{0,60}(?:>>?|[#$%]| ?#>?| \$)(?: |$)"
    # a host name may open with digits (`6300-core1# show events`), where a `%` after a
    # number would be a percentage
    r"|\d[\w.-]{0,30}[A-Za-z][\w.@:~/()-]{0,40} ?[#>$](?: |$)"
    # (Ruckus ICX's `SSH@ICX7650-48ZP-core1#show logging`: how the session came, an `@`)
    # (and APC's network cards' `apc>eventlog`)
    r"|[A-Za-z][\w.@/-]{0,40}(?::[\w.-]+)?(?: [A-Za-z][\w.-]{0,20})?(?:#|>>?)[a-z]"
    # (F5's `[admin@bigip1:Active:In Sync] ~ # `: the folder after the bracket)
    r"|\[[^\]\s]{1,60}(?: [^\]\s]{1,30})?\] ?(?:~\S{0,40} )?[>#$](?: |$)"
    # zsh's default prompt (macOS's shell): `marta@Martas-MacBook-Pro ~ % log show ...`
    r"|[A-Za-z][\w.-]{0,31}@[\w.-]{1,60} [^\s%#$]{1,60} [%#$](?: |$)"
    # FreeBSD's csh (TrueNAS, pfSense): `root@truenas-bk01[~]# `
    r"|[A-Za-z][\w.-]{0,31}@[\w.-]{1,60}\[[^\]\s]{0,60}\][#>$%](?: |$)"
    # `(M4300) #`, ArubaOS's `(mc1-7210) [MDC] #show ...` (the node in brackets), and Cisco's
    # wireless controllers' `(Cisco Controller) >show msglog`
    r"|\([\w.+/-]{1,40}(?: [\w.+/-]{1,20})?\)(?: \[[\w./-]{1,30}\])? ?[>#]"
    # PowerShell's `PS C:\Users\x> ` (and on Linux, `PS /home/x> `)
    r"|PS (?:[A-Za-z]:\\|[/~])[^>\n]{0,160}> ?"
    # NVIDIA Onyx's `sn2410-tor22 [mlag-dom1: master] # ` (the host, its role in brackets)
    r"|[A-Za-z][\w.-]{0,60} \[[^\]\n]{1,60}\] ?[>#](?: |$)"
    # a host with its version after it, glued to the sign, a command typed (Sophos SFOS's
    # advanced shell: `XGS2100_RL01_SFOS 20.0.1 MR-1# tail -n 24 /log/strongswan.log`)
    r"|[A-Za-z][\w.-]{0,40}(?: [\w.-]{1,20}){1,3}# [a-z]"
    # HPE 3PAR's `3par-8400 cli% ` (the host, then `cli%`)
    r"|[\w.-]{1,60} cli%(?: |$)"
    # ESXi's `[root@esx-07:~] ` (user@host:dir in brackets, no sign after)
    r"|\[[\w.-]{1,32}@[\w.-]{1,60}:[^\]\s]{0,60}\] "
    # a bare root or user prompt with a command after it (`# show events`, `$ tail -n 5 f`,
    # Cisco FTD's `> show logging`: a `>` alone is a quote's or a repr's, no prompt)
    r"|[#$](?: [a-z][\w./-]{0,30}(?: |$)| ?$)|> [a-z][\w./-]{0,30}(?: |$)"
    # pfSense's shell: `[2.4.5-RELEASE][admin@pfsense-hq01.corp.example.com]/root: `
    r"|\[[^\]\s]{1,40}\]\[[\w.-]{1,40}@[\w.-]{1,80}\][^\s:]{0,80}:(?: |$)"
    r"|<[A-Za-z][\w.-]{0,40}>(?:[a-z][^<]*)?$)"
)


PROMPT_RE = compiled(PROMPT)  # the same, for a sample's lines


# A console's login prompt, getty's `spine2 login: `, with the name typed at it: a host name has
# a digit, a dot or a dash, where a message's `Failed login: root` has none.
LOGIN_PROMPT = r"[A-Za-z0-9]\w{0,30}[0-9.-][\w.-]{0,30} [Ll]ogin: ?\S{0,32}"
_LOGIN_LINE = ascii_classes(f"^(?:{LOGIN_PROMPT})$")
_LOGIN_PROMPT_RE = compiled(_LOGIN_LINE)


# A pager's prompt left in a capture between two screens of output (`--More--`, Junos's
# `---(more 53%)---`, AOS-CX's and ProCurve's `-- MORE --, next page: Space, ...`, Cisco's
# small-business `More: <space>,  Quit: q or CTRL+Z, ...`, `<--- More --->`): a line of its
# own (what the terminal showed of it where it was erased is read first, see lines.shown).
# The same goes for the terminal's echo of an interrupt (`^C` on a line of its own), the
# notices `tail -F` writes among the lines it follows (`tail: x.log: file truncated`), a
# serial terminal's own notices and a console's login prompt.
PAGER = ascii_classes(
    # (and a serial terminal's own notices, pyserial's miniterm and those built on it:
    # `--- Miniterm on /dev/ttyUSB0  115200,8,N,1 ---`, ESP-IDF's `--- idf_monitor on ...`,
    # PlatformIO's `--- Terminal on ...`, `--- Quit: Ctrl+] | Menu: Ctrl+T | ...`)
    r"^\s*(?:--- (?:(?:Miniterm|Terminal|idf_monitor|esp-idf-monitor(?: [\d.]+)?) on \S"
    r"|Quit: Ctrl\+|Available filters|More details at |exit ---).{0,160}"
    # (idevicesyslog's `[connected:00008110-001A2D3E0C41801E]` and `[disconnected]`)
    r"|\[(?:connected(?::[\w-]{1,64})?|disconnected)\]"
    # (a console's login prompt, and the password prompt after it)
    rf"|{LOGIN_PROMPT}|Password: ?"
    r"|<?-+ ?\(?(?i:more)\b[^)\n]{0,12}\)? ?-+>?(?:[ ,].{0,80})?"
    r"|More: <space>.{0,80}|(?i:press any key to continue).{0,40}|\^[CZ]"
    r"|tail: .{1,200}(?:: file truncated|has been replaced; +following new file"
    r"|has become inaccessible: .{0,80}|has appeared; +following new file))$"
)


def terminal_chrome(
    text: pl.Series, records: pl.Series, ctx: ParseContext, body_at: pl.Series | None = None
) -> pl.Series | None:
    """Return which lines are a terminal session's around the log it shows, or None: in a
    capture whose lines before the first record (`records` marks the lines that open one)
    hold a command-line prompt, those lines (the prompt, the command, the status and column
    headers a `show logging` prints first) and the prompts after the records; and a pager's
    prompts among the records (`PAGER`). A capture that ends at a console's login prompt
    ends so even where a terminal stamped every line (given `body_at`, where the text after
    the records' stamps begins: tio's `[08:47:27.641] stm32mp1 login: root`). They are no
    entries; a note says how many."""
    frame = _session_frame(text)
    if frame is not None:
        records = records & ~frame
    if not records.any():
        return None if frame is None else _noted(frame, ctx)
    first = int(records.arg_max() or 0)
    others = (~records).arg_true()
    pager = None
    if others.len():
        # (a literal test first: most sources' other lines are stack frames, not pagers)
        maybe = text.gather(others)
        if maybe.str.contains(
            r"(?i)more|press any|^\s*\^[CZ]$|^tail: |^--- |login: |^password: ?$|^\[(?:dis)?connected"
        ).any():
            at = others.filter(maybe.str.contains(PAGER).fill_null(False))
            if at.len():
                pager = pl.repeat(False, text.len(), eager=True).scatter(at, True)
    # (The lines before the first record first: most sources have none, and pay nothing.)
    if not first or not text.head(first).str.contains(PROMPT).fill_null(False).any():
        chrome = pager
        # A capture without a prompt above the records (a console's boot) still ends at one.
        last = _closing_prompt(text, records, body_at)
        if last is not None:
            chrome = last if chrome is None else chrome | last
    else:
        prompts = ~records & text.str.contains(PROMPT).fill_null(False)
        index = pl.int_range(text.len(), eager=True)
        chrome = prompts | ((index >= _session_start(text.head(first))) & (index < first))
        if pager is not None:
            chrome = chrome | pager
    if frame is not None:
        chrome = frame if chrome is None else chrome | frame
    return None if chrome is None else _noted(chrome, ctx)


def _noted(chrome: pl.Series, ctx: ParseContext) -> pl.Series:
    """Return `chrome`, having noted how many lines it leaves out."""
    ctx.note(chrome_note(int(chrome.sum())))
    return chrome


# The lines a terminal program writes around the session it logs: script(1)'s `Script
# started on 2024-06-12 10:31:18-07:00 [TERM=...]` and `Script done on ...`, PuTTY's
# `=~=~=~=~=~=~=~=~=~=~=~= PuTTY log 2024.06.12 10:14:52 =~=~=~=~=~=~=~=~=~=~=~=`. The
# program's, as its prompts are, though stamped: no entries (a choice; they are no line of the
# log), and a prompt after one is still before the log's first record.
_SESSION_FRAME = r"^(?:Script (?:started|done) on [0-9A-Z]|=~=~=~=~=~=~=~=~=~=~=~= PuTTY log [0-9])"


# A kernel's console line, its seconds since boot first (`[   58.771034] reboot: Restarting
# system`).
KERNEL_UPTIME = ascii_classes(r"^\[\s*\d+\.\d+\]")
_CONSOLE_LINES = 3


def _session_start(head: pl.Series) -> int:
    """Return where a terminal session's own lines begin among the lines before the first
    record (`head`): nowhere (its end) where a few are a kernel's console lines (a device's
    output reached from a prompt, iDRAC's `racadm>>console com2`: a crash, a boot), at a
    console's login prompt (what it printed before, a boot, is the device's), else first."""
    if int(head.str.contains(KERNEL_UPTIME).fill_null(False).sum()) >= _CONSOLE_LINES:
        return head.len()
    login = head.str.contains(_LOGIN_LINE).fill_null(False)
    return int(login.arg_max() or 0) if login.any() else 0


def _session_frame(text: pl.Series) -> pl.Series | None:
    """Return which lines are a terminal program's frame around its session (`_SESSION_FRAME`)
    where the first line is one, else None."""
    if not text.len() or not re.match(_SESSION_FRAME, text[0] or ""):
        return None
    return text.str.contains(_SESSION_FRAME).fill_null(False)


# U-Boot's prompt, `=> ` (its default), bare or with a command typed: read in text without
# stamps only, where a console's boot loader session is (in a log's message lines, Ruby's and
# Elixir's `=> nil` are results).
_BOOT_LOADER_PROMPT = ascii_classes(r"^=>(?: [a-z][\w.-]*(?: .*)?| ?)$")
# The bare signs' prompts (`# show events`, `> show logging`), which a comment or a quote in
# unstamped text also looks like; `$ ` and a command (`$ ulog_messages log_49.ulg`) are none.
_BARE_SIGN = r"^[#>]"


def session_prompts(text: pl.Series, ctx: ParseContext) -> pl.Series | None:
    """Return which lines of text without stamps (a serial console's boot loader session, a
    shell's) are a command-line prompt with or without a command typed, or None: no entries,
    as in a stamped capture (`terminal_chrome`), and noted. A prompt that is a bare `#` or
    `>` (`# word`) is left: in unstamped text it is as likely a comment or a quote."""
    prompts = (text.str.contains(PROMPT) & ~text.str.contains(_BARE_SIGN)) | text.str.contains(
        _BOOT_LOADER_PROMPT
    )
    prompts = prompts.fill_null(False)
    if not prompts.any():
        return None
    ctx.note(chrome_note(int(prompts.sum())))
    return prompts


_BARE_PROMPT = ascii_classes(r"[#>$%:] ?$")


def _closing_prompt(
    text: pl.Series, records: pl.Series, body_at: pl.Series | None = None
) -> pl.Series | None:
    """Return the last line where it is a prompt with nothing typed after it and no record
    (where a capture ends: `BR2-ISR4331#`), or a record whose text after its stamp (given
    `body_at`) is a console's login prompt, else None."""
    # (from the end: blank lines after it are few)
    tail = range(text.len() - 1, max(text.len() - 21, -1), -1)
    at = next((i for i in tail if (text[i] or "").strip()), None)
    if at is None:
        return None
    line = text[at]
    if records[at]:
        start = None if body_at is None else body_at[at]
        # (the stamp's closing bracket may be after where its text ends)
        if start is None or not _LOGIN_PROMPT_RE.match(line[start:].lstrip("]) \t").rstrip()):
            return None
    elif not (PROMPT_RE.match(line) and re.search(_BARE_PROMPT, line)):
        return None
    return pl.repeat(False, text.len(), eager=True).scatter([at], True)


def chrome_note(count: int) -> str:
    """Return the note saying that `count` lines of a terminal session are no entries."""
    return (
        f"{count:,} line{'s' * (count != 1)} of a terminal session (prompts, pagers, the "
        "command's headers) not read as entries"
    )


# journalctl's own lines in its text output (journalctl(1)): where a boot begins, and the
# older versions' head and empty result. They are not log entries, in plain text nor in
# syslog's layouts (`journalctl -o short-iso`).
JOURNAL_MARKER = ascii_classes(
    r"^-- (?:Boot [0-9a-f]{32}|Reboot|Logs begin at .*|Journal begins at .*|No entries) --$"
)
JOURNAL_MARKERS = "journalctl marker"
# logcat's buffer markers (`--------- beginning of main`, `--------- switch to crash`): no
# entries, in logcat's layouts nor in plain text (a capture wrapped by a terminal).
LOGCAT_MARKER = ascii_classes(r"^-{9} (?:beginning of|switch to) ")
LOGCAT_MARKERS = "buffer marker ('--------- beginning of ...')"
# MySQL's banner over its general and slow query logs, written where the server opens the
# file (at its start, again after a restart or a flush): the file's header, no entries.
MYSQL_BANNER = ascii_classes(
    r"^(?:\S+, Version: .* started with:|Tcp port: \d+ +Unix socket: |Time\s+Id\s+Command)"
)
MYSQL_BANNERS = "MySQL banner"
# stern's notices of the containers it starts and stops following (`+ mongo-rs0-0 › mongod`).
STERN_MARKER = ascii_classes(r"^[+-] \S+ › \S+$")
STERN_MARKERS = "stern notice"


def tool_lines(
    text: pl.Series, regex: str, what: str, ctx: ParseContext, among: pl.Series | None = None
) -> pl.Series | None:
    """Return which lines of `text` `regex` matches (looking only `among` those, where given):
    lines a tool writes around the log (logcat's buffer markers, journalctl's boot markers,
    `log show`'s titles and counts), which are not entries; a note says how many (`what` names
    them). None where there are none."""
    rows = among.arg_true() if among is not None else pl.int_range(text.len(), eager=True)
    if not rows.len():
        return None
    found = rows.filter(text.gather(rows).str.contains(regex).fill_null(False))
    count = found.len()
    if not count:
        return None
    ctx.note(f"{count:,} {what} line{'s' * (count != 1)} not read as entries")
    return pl.repeat(False, text.len(), eager=True).scatter(found, True)


def without_tool_lines(
    lines: pl.DataFrame, regex: str, what: str, ctx: ParseContext
) -> pl.DataFrame:
    """Return `lines` without the lines a tool wrote around the log (see `tool_lines`)."""
    tool = tool_lines(lines["text"], regex, what, ctx)
    return lines if tool is None else lines.filter(~tool)


def other_stamps(
    lines: pl.DataFrame, matched: pl.Series, columns: pl.DataFrame, ctx: ParseContext
) -> tuple[pl.Series, pl.DataFrame]:
    """Return `matched` and `columns` with the unmatched lines that start with a stamp of any
    layout (another writer's lines in the same output: nginx's error lines among its access
    lines, its access lines among an ingress controller's klog lines) matched, their stamp in
    `ts` and their body after it."""
    rows = (~matched).arg_true()
    read = read_other_stamps(lines["text"].gather(rows), mtime=ctx.mtime, tz=ctx.tz)
    for note in read.notes:
        ctx.note(note)
    got = read.ts.is_not_null()
    if not got.any():
        return matched, columns
    at = rows.filter(got)
    ts = columns["ts"].cast(TS).scatter(at, read.ts.filter(got))
    columns = columns.with_columns(ts)
    if "body_at" in columns.columns:
        body_at = columns["body_at"].cast(pl.UInt32).scatter(at, read.header_end.filter(got))
        columns = columns.with_columns(body_at)
    return matched.scatter(at, True), columns


# The first line of a report another writer prints among a program's log lines, on the same
# stream: Rust's panic hook, .NET's and the JVM's handlers of an unhandled exception, Go's
# runtime, Node's report of an uncaught exception (the file and line alone, then the source
# line), Python's warnings module (`file.py:37: DeprecationWarning: ...`), ESP-IDF's panic
# handler (`Guru Meditation Error: Core  1 panic'ed (LoadProhibited).`). Its lines below join
# it, not the log line above: a panic is no part of the INFO line it follows.
REPORT_HEAD = ascii_classes(
    r"^(?:thread '[^']*' panicked at |Unhandled exception\. |Exception in thread \x22[^\x22]*\x22 "
    r"|panic: |fatal error: |\S+\.py:\d+: [A-Z]\w*Warning: |/\S+\.(?:js|mjs|cjs):\d+$"
    r"|Guru Meditation Error: )"
)


def _with_other_stamps(
    lines: pl.DataFrame, starts: pl.Series, columns: pl.DataFrame, ctx: ParseContext | None
) -> tuple[pl.Series, pl.DataFrame, list[str], list[str]]:
    """Return the start flags (null as false) and the per-line columns with, given `ctx`, the
    lines that start with another layout's stamp made starts (`other_stamps`), and those that
    open another writer's report (`REPORT_HEAD`, no stamp); then the names of the extra and of
    the body columns."""
    starts = starts.fill_null(False)
    if ctx is not None and not starts.all():
        starts, columns = other_stamps(lines, starts, columns, ctx)
        others = (~starts).arg_true()
        if others.len():
            heads = lines["text"].gather(others).str.contains(REPORT_HEAD).fill_null(False)
            if heads.any():
                starts = starts.scatter(others.filter(heads), True)
    extras = [c for c in columns.columns if c not in ("ts", "level", *BODY_COLUMNS)]
    bodies = [c for c in columns.columns if c in BODY_COLUMNS]
    return starts, columns, extras, bodies


def _outside_chrome(
    lines: pl.DataFrame, starts: pl.Series, ctx: ParseContext | None
) -> pl.Series | None:
    """Return which of `lines` to keep, a terminal session's lines around the log aside
    (`terminal_chrome`, given `ctx`; `starts` marks the lines that open a record), or None
    where there are none."""
    chrome = None if ctx is None else terminal_chrome(lines["text"], starts.fill_null(False), ctx)
    return None if chrome is None else ~chrome


def entries_from_starts(
    lines: pl.DataFrame,
    starts: pl.Series,
    columns: pl.DataFrame,
    *,
    joins: str = "any",
    header_read: bool = True,
    ctx: ParseContext | None = None,
) -> pl.DataFrame:
    """Return the parsed frame of entries: a line where `starts` is true starts an entry.

    `columns` holds, per line of `lines`, `ts` and `level` (read on start lines), optional
    body columns and extras. With `joins="any"` every other line joins the entry above (a
    Java stack trace: `\\tat ...`, `Caused by: ...`; a query's lines), as plain text joins
    lines without a stamp; lines before the first start are an entry without a time. With
    `joins="indented"` only indented lines join, and other lines are entries of their own
    without a time (a banner between entries). Blank lines join but are never kept at an
    entry's end, nor as an entry.

    With `header_read` (the parser read the whole header its format writes, and `body_at`
    says where it ends), the entries say that their body is known (`body_kind` TEXT): no
    header is then learned on them (`header.learn_and_split`), whose guesses on message text
    (`UPDATE stock SET n = n -` before a `-` taken for a logger's header) would only do harm.

    Given `ctx`, a terminal session's lines around the log (`terminal_chrome`: a prompt and
    the command typed at it, a pager's prompt) are no entries; a line that is no start but
    starts with a stamp of any layout starts an entry with that stamp (`other_stamps`), and
    one that opens another writer's report (the JVM's `Exception in thread "main" ...` in
    catalina.out) an entry without one.
    """
    if lines.height == 0:
        return empty_parsed()
    keep = _outside_chrome(lines, starts, ctx)
    if keep is not None:
        lines, starts, columns = lines.filter(keep), starts.filter(keep), columns.filter(keep)
    starts, columns, extras, bodies = _with_other_stamps(lines, starts, columns, ctx)
    started = starts.rename("_start")
    frame = pl.DataFrame(
        [
            lines["line"].cast(pl.UInt64),
            lines["text"],
            columns["ts"].cast(TS),
            columns["level"].cast(pl.String),
            started,
        ]
    ).hstack(columns.select(*extras, *bodies))
    if header_read and BODY_KIND not in bodies:
        frame = frame.with_columns(pl.lit(TEXT, dtype=pl.UInt8).alias(BODY_KIND))
        bodies.append(BODY_KIND)
    text = pl.col("text")
    blank = text.str.strip_chars() == ""
    if joins == "indented":
        is_start = pl.col("_start") | (~text.str.contains(INDENTED) & ~blank)
    else:
        is_start = pl.col("_start")
    entries = join_continuations(frame, is_start)
    if entries.select((text.str.slice(-1) == "\n").any()).item():
        entries = entries.with_columns(text.str.strip_chars_end("\n"))
    if entries.select(blank.any()).item():
        entries = entries.filter(~blank)
    on_start = pl.col("_start")
    return entries.select(
        pl.when(on_start).then(pl.col("ts")).alias("ts"),
        pl.when(on_start).then(pl.col("level")).alias("level"),
        "line",
        text.alias("message"),
        *[pl.when(on_start).then(pl.col(c)).cast(BODY_COLUMNS[c]).alias(c) for c in bodies],
        *[pl.when(on_start).then(pl.col(c)).alias(c) for c in extras],
    )


def entries_from_matches(
    lines: pl.DataFrame,
    matched: pl.Series,
    columns: pl.DataFrame,
    message: pl.Series | None = None,
    joins: pl.Expr | None = None,
    ctx: ParseContext | None = None,
    frames: pl.Series | None = None,
) -> pl.DataFrame:
    """Return the parsed frame of line-format entries from per-line parsed `columns`.

    `columns` holds `ts` and `level` (null on unmatched lines) and the extra columns, one row
    per line of `lines`. A matched line starts an entry; an unmatched line that starts with
    whitespace (or, given `joins`, for which that expression over `text` is true) joins the
    entry above; any other unmatched line is an entry without a time. Blank lines are dropped. `message` is the entry's text as written, unless `message`
    (per line, e.g. a logfmt `msg` value) is given: then it is that value where present,
    followed by the entry's continuation lines.

    Given `ctx`, an unmatched line that starts with a stamp of another layout (another
    writer's line in the same output: nginx's error lines among its access lines) starts an
    entry with that stamp. `frames` marks lines that join the entry above whatever they hold
    (a stack trace's lines, each with the source's header: `frames.stack_frames`).
    """
    if lines.height == 0:
        return empty_parsed()
    keep = _outside_chrome(lines, matched, ctx)
    if keep is not None:
        lines, matched, columns = lines.filter(keep), matched.filter(keep), columns.filter(keep)
        message = None if message is None else message.filter(keep)
        frames = None if frames is None else frames.filter(keep)
    own = matched.fill_null(False)
    matched, columns, extras, bodies = _with_other_stamps(lines, matched, columns, ctx)
    if frames is not None:
        matched = matched & ~frames
    frame = pl.DataFrame(
        [
            lines["line"].cast(pl.UInt64),
            lines["text"],
            columns["ts"].cast(TS),
            columns["level"].cast(pl.String),
            matched.fill_null(False).rename("_matched"),
            (matched & ~own).rename("_other"),
            (message if message is not None else lines["text"]).rename("_message"),
        ]
    ).hstack(columns.select(*extras, *bodies))
    if message is not None:
        frame = frame.with_columns(_first_len=pl.col("text").str.len_chars())
    if (
        frame["_matched"].all()
        and frame.select((pl.col("text").str.strip_chars() != "").all()).item()
    ):
        # Every line starts an entry and none is blank: what join_continuations returns then.
        entries = frame.with_columns(text=cap_text(pl.col("text")))
    else:
        if frames is not None:
            frame = frame.with_columns(_frame=frames)
        frame = frame.filter(pl.col("text").str.strip_chars() != "")
        joined = pl.col("text").str.contains(INDENTED) if joins is None else joins
        if frames is not None:
            joined = joined | pl.col("_frame")
        # Another writer's report (a Go panic on stderr among logfmt lines) keeps its lines
        # (`goroutine 412 [running]:`, its frames) up to the next of the source's own lines.
        # (its lines may hold pairs, `[signal SIGSEGV: ... code=0x1 addr=0x18 ...]`: up to the
        # next stamped line, where the source's lines have stamps)
        head = pl.col("_other") & pl.col("text").str.contains(REPORT_HEAD)
        stamped = frame["ts"].is_not_null().any()
        report = (
            pl.when(head)
            .then(True)
            .when(pl.col("_matched") & (pl.col("ts").is_not_null() | (not stamped)))
            .then(False)
            .forward_fill()
            .fill_null(False)
            & ~head
        )
        is_start = (pl.col("_matched") | ~joined.fill_null(False)) & ~report
        entries = join_continuations(frame, is_start)
    if message is None:
        text = pl.col("text")
    else:
        # The continuation lines ("\n" and what follows) come after the first line's length.
        text = pl.col("_message").fill_null(pl.col("text").str.slice(0, pl.col("_first_len")))
        text = text + pl.col("text").str.slice(pl.col("_first_len"))
    return entries.select(
        pl.when(pl.col("_matched")).then(pl.col("ts")).alias("ts"),
        pl.when(pl.col("_matched")).then(pl.col("level")).alias("level"),
        "line",
        text.alias("message"),
        *[
            pl.when(pl.col("_matched")).then(pl.col(c)).cast(BODY_COLUMNS[c]).alias(c)
            for c in bodies
        ],
        *extras,
    )


def patch_rows(fast: pl.DataFrame, ok: pl.Series, slow: pl.DataFrame) -> pl.DataFrame:
    """Return `fast` with its rows where `ok` is false replaced by the rows of `slow`, in order.

    `slow` holds one row per line that is not ok (its i-th row is the i-th such line) and the
    same columns as `fast`.
    """
    at = ((~ok).cast(pl.Int64).cum_sum() - 1).clip(0)
    rows = slow.select(pl.col(c).cast(fast[c].dtype) for c in fast.columns)[at]
    return pl.DataFrame([fast[c].zip_with(ok, rows[c]).rename(c) for c in fast.columns])
