"""A terminal session's lines around the log it shows: a device's or a shell's prompts, the
command's headers, a pager's prompts, a serial terminal's notices, a console's login prompt, a
terminal program's frame around the session (script(1), PuTTY). No entries, where plain text
and the line formats find them (`terminal_chrome` in stamped lines, `session_prompts` in lines
without stamps); a note says how many.
"""

from __future__ import annotations

import re

import polars as pl

from logview.core.reading.formats import ParseContext
from logview.core.reading.stamp_search import dated_stamp
from logview.core.shared.regex import ascii_classes, compiled
from logview.core.shared.table import TS

# A command-line prompt, bare or with the command typed after it, in a terminal capture of a
# device or a shell (`leaf3#show logging`, `admin@PA-3220> show log system`, `[admin@gw] >
# /log print`, `netops@jump01:~$ ssh ...`, `<CORE-SW01>display logbuffer`, ExtremeXOS's
# `X460G2-48p.7 # show log`, QLogic's `SANbox #> show log`, IOS XR's
# `RP/0/RSP0/CPU0:xr-pe1#show logging`, Ruckus's `ICX7150-C12P Router#show logging`,
# Raspberry Pi OS's `pi@sensorpi-07:~ $ journalctl -b`, Red Hat's `[root@mgmt01 ~]# ...`,
# NETGEAR's and Dell's `(M4300-28G-PoE+) #show logging`): the user's line, not a log entry.
# A Python virtual environment's or conda's name before a prompt: `(.venv) maya@x13:~/src$ `.
_ENV_NAME = r"(?:\([\w.-]{1,40}\) )?"
PROMPT = ascii_classes(
    # (ExtremeXOS marks unsaved changes with `* ` before its host: `* core1-x460g2.4 # `; on
    # a stack, the slot before it: `* Slot-1 DC3-X670G2-stack.7 # `; Asterisk's console
    # `pbx-lon01*CLI> `)
    # (a Python environment's name before any, _ENV_NAME)
    rf"^{_ENV_NAME}"
    r"(?:(?:\* )?(?:Slot-\d+ )?[A-Za-z][\w.@:~/()-]{0,60}(?:\*CLI)?(?:>>?|[#$%]| ?#>?| \$)(?: |$)"
    # a host name may open with digits (`6300-core1# show events`), where a `%` after a
    # number would be a percentage
    r"|\d[\w.-]{0,30}[A-Za-z][\w.@:~/()-]{0,40} ?[#>$](?: |$)"
    # (Ruckus ICX's `SSH@ICX7650-48ZP-core1#show logging`: how the session came, an `@`)
    # (and APC's network cards' `apc>eventlog`)
    r"|[A-Za-z][\w.@/-]{0,40}(?::[\w.-]+)?(?: [A-Za-z][\w.-]{0,20})?(?:#|>>?)[a-z]"
    # (F5's `[admin@bigip1:Active:In Sync] ~ # `, `... config # `: the folder after the
    # bracket, a user at a host in it: a level's bracket, XCGLogger's `[Info] > ...`, is none)
    r"|\[[^\]\s@]{1,40}@[^\]\s]{1,60}(?: [^\]\s]{1,30})?\] ?(?:[~/\w][^\s#>$]{0,40} )?[>#$](?: |$)"
    # zsh's default prompt (macOS's shell): `marta@Martas-MacBook-Pro ~ % log show ...`
    r"|[A-Za-z][\w.-]{0,31}@[\w.-]{1,60} [^\s%#$]{1,60} [%#$](?: |$)"
    # FreeBSD's csh (TrueNAS, pfSense): `root@truenas-bk01[~]# `
    r"|[A-Za-z][\w.-]{0,31}@[\w.-]{1,60}\[[^\]\s]{0,60}\][#>$%](?: |$)"
    # `(M4300) #`, ArubaOS's `(mc1-7210) [MDC] #show ...` (the node in brackets), and Cisco's
    # wireless controllers' `(Cisco Controller) >show msglog`
    r"|\([\w.+/-]{1,40}(?: [\w.+/-]{1,20})?\)(?: \[[\w./-]{1,30}\])? ?[>#]"
    # PowerShell's `PS C:\Users\x> ` (and on Linux, `PS /home/x> `)
    r"|PS (?:[A-Za-z]:\\|[/~])[^>\n]{0,160}> ?"
    # cmd.exe's `C:\Users\x>wevtutil qe ...` (a drive, a path of no `<>:"|?*`, the sign)
    r"|[A-Za-z]:\\[^<>:\"|?*\n]{0,160}>"
    # NVIDIA Onyx's `sn2410-tor22 [mlag-dom1: master] # ` (the host, its role in brackets),
    # FortiOS's `FW-STORE118 (admin) # ` (the host, the object being configured)
    r"|[A-Za-z][\w.-]{0,60} (?:\[[^\]\n]{1,60}\]|\([\w.-]{1,40}\)) ?[>#](?: |$)"
    # a host with its version after it, glued to the sign, a command typed (Sophos SFOS's
    # advanced shell: `XGS2100_RL01_SFOS 20.0.1 MR-1# tail -n 24 /log/strongswan.log`), or
    # the host after a mode (NetApp's service processor: `SP nas-a300-02> system console`)
    r"|[A-Za-z][\w.-]{0,40}(?: [\w.-]{1,20}){1,3}[#>] [a-z]"
    # HPE 3PAR's `3par-8400 cli% ` (the host, then `cli%`)
    r"|[\w.-]{1,60} cli%(?: |$)"
    # ESXi's `[root@esx-07:~] ` (user@host:dir in brackets, no sign after)
    r"|\[[\w.-]{1,32}@[\w.-]{1,60}:[^\]\s]{0,60}\] "
    # a bare root or user prompt with a command after it (`# show events`, `$ tail -n 5 f`,
    # zsh's `% xcrun simctl ...`, Cisco FTD's `> show logging`: a `>` or a `%` alone is a
    # quote's, a repr's or a figure's, no prompt)
    r"|[#$](?: [a-z][\w./-]{0,30}(?: |$)| ?$)|[>%] [a-z][\w./-]{0,30}(?: |$)"
    # (a command after the environment it sets: `$ RUST_LOG=debug ./target/release/app ...`)
    r"|[#$%] (?:[A-Z_][A-Z0-9_]*=\S*\s+)+(?:\.{1,2}/|~/|/)?[a-z][\w./-]{0,80}(?: |$)"
    # pfSense's shell: `[2.4.5-RELEASE][admin@pfsense-hq01.corp.example.com]/root: `
    r"|\[[^\]\s]{1,40}\]\[[\w.-]{1,40}@[\w.-]{1,80}\][^\s:]{0,80}:(?: |$)"
    # HPE iLO's CLI: `</>hpiLO-> vsp` (the target's path in angle brackets)
    r"|</[^>\s]{0,60}>[A-Za-z]\w{0,30}->(?: |$)"
    # VRP's and Comware's `<CORE-SW01>display logbuffer`; with nothing typed, a name of
    # capitals alone is the kernel's marker in a call trace (`<TASK>`, `<IRQ>`), no prompt
    r"|<[A-Za-z][\w.-]{0,40}>[a-z][^<]*$|<[A-Za-z][A-Z]*[\d.a-z_-][\w.-]{0,40}>$)"
)


PROMPT_RE = compiled(PROMPT)  # the same, for a sample's lines


# A console's login prompt, getty's `spine2 login: `, with the name typed at it: a host name has
# a digit, a dot or a dash, where a message's `Failed login: root` has none.
LOGIN_PROMPT = r"[A-Za-z0-9]\w{0,30}[0-9.-][\w.-]{0,30} [Ll]ogin: ?\S{0,32}"
_LOGIN_LINE = ascii_classes(f"^(?:{LOGIN_PROMPT})$")
_LOGIN_PROMPT_RE = compiled(_LOGIN_LINE)
_SESSION_BODY = ascii_classes(rf"^(?:{LOGIN_PROMPT}|[Ll]ogin: ?\S{{0,32}}|Password: ?)$")
# (a new one asked for twice too: Junos's `New password:`, `Retype new password:`, RouterOS's
# `repeat new password> `)
# (sudo's: `[sudo] password for ops: `)
_PASSWORD = ascii_classes(
    r"^\s*(?:(?:[A-Z]?[a-z]{1,10} ){0,3}[Pp]assword|[\w.@-]{1,60}'s password"
    r"|\[sudo\] password for [\w.@-]{1,60})[:>] ?\**$"
)
# A user name's prompt (a switch's `User: admin`, IOS's `Username: admin`, PuTTY's `login as:
# admin`, RouterOS's `MikroTik Login: admin`): the session's only right before a password
# prompt.
_USER_LINE = ascii_classes(
    r"^\s*(?:User|Username|User Name|login as|\S{1,40} [Ll]ogin): ?\S{0,32}$"
)
# A question the device asked and the answer typed (`Do you want to continue? (y/n)y`,
# `Proceed with reload? [confirm]`, EdgeOS's `[confirm][y]`): the user's line, as a command is.
_ANSWERED = ascii_classes(
    r"^.{0,160}(?:\((?i:y/n|yes/no|y or n|yes or no)\)|\[(?i:y/n|yes/no|y or n|confirm)\])\??:? ?"
    r"(?i:y|n|yes|no|\[(?:y|n|yes|no)\])?[ \t]*$"
    # (a question whose choices follow it unbracketed: IOS XE's ROMMON, `Are you sure you want
    # to proceed? [y] y/n [n]: y`)
    r"|^.{0,160}\? .{0,12}\b(?i:y/n|yes/no)\b.{0,12}: ?(?i:y|n|yes|no)?$"
    # (a menu's prompt and the choice typed: `Select (1, 2): 1`, `Select profile(primary): 0`,
    # `Enter an option: `)
    r"|^(?:Select|Choose|Enter)(?: [\w()]+){0,3} ?(?:\([^)]{0,40}\))?: ?\S{0,12}$"
    # (and the line Junos's CLI writes above each prompt: `{master:0}`, `[edit interfaces]`)
    r"|^\{(?:master|backup|primary|secondary|linecard)(?::\d{1,2})?\}$|^\[edit(?: [^\]]{0,80})?\]$"
)


def login_lines(text: pl.Series) -> pl.Series:
    """Return which of `text` are a console's login (`host login: root`, `login: root`), a
    password prompt, a user name's prompt before one, a question answered, or the line
    Junos writes above its prompt: the session's lines. (The getty's greeting above a login,
    `Debian GNU/Linux 12 host ttyS0`, is the device's line: annotators count it.)"""
    password = text.str.contains(_PASSWORD).fill_null(False)
    user = text.str.contains(_USER_LINE).fill_null(False) & password.shift(-1, fill_value=False)
    login = text.str.contains(_SESSION_BODY).fill_null(False)
    return login | password | user | text.str.contains(_ANSWERED).fill_null(False)


# A serial terminal's own notices, pyserial's miniterm and those built on it (`--- Miniterm on
# /dev/ttyUSB0  115200,8,N,1 ---`, ESP-IDF's `--- idf_monitor on ...`, PlatformIO's `---
# Terminal on ...`, `--- Quit: Ctrl+] | Menu: Ctrl+T | ...`), idevicesyslog's
# (`[connected:00008110-001A2D3E0C41801E]`, `[disconnected]`), ipmitool's around a
# serial-over-LAN session (`[SOL Session operational.  Use ~? for help]`): no entries, with
# stamps or without.
TERMINAL_NOTICE = (
    # (ssh's and telnet's farewells: `Connection to 10.20.30.41 closed.`)
    r"Connection to \S{1,80} closed\.|Connection closed by foreign host\.|"
    r"--- (?:(?:Miniterm|Terminal|idf_monitor|esp-idf-monitor(?: [\d.]+)?) on \S"
    r"|Quit: Ctrl\+|Available filters|More details at |exit ---).{0,160}"
    # minicom's banner (`Welcome to minicom 2.8`, `OPTIONS: I18n`, `Compiled on ...`, `Port
    # /dev/ttyUSB0, 21:02:55`, `Press CTRL-A Z for help on special keys`) and picocom's
    r"|Welcome to minicom [\d.]+|OPTIONS: I18n.{0,80}|Compiled on [A-Z][a-z]{2} .{0,40}"
    r"|Port /dev/\S{1,40}.{0,40}|Press CTRL-A Z for help on special keys"
    r"|picocom v[\d.]+|Terminal ready|Thanks for using picocom|Terminating\.\.\."
    # Proxmox's `qm terminal` (`starting serial terminal on interface serial0 (press Ctrl+O to
    # exit)`)
    r"|starting serial terminal on interface \w+ \(press Ctrl\+O to exit\)"
    # virsh's and telnet's (`Connected to domain 'db02'`, `Escape character is ^] (Ctrl + ])`,
    # `Trying 10.2.0.1...`, `Connected to sw1.`)
    r"|Connected to domain '?[\w.-]{1,64}'?|Escape character is '?\^\]'?.{0,20}"
    r"|Trying [\da-fA-F.:]{3,45}\.\.\.|Connected to [\w.-]{1,80}\."
    # PM2's `pm2 logs` (`[TAILING] Tailing last 25 lines for [notify-gw] process (change the
    # value with --lines option)`, `/home/deploy/.pm2/logs/notify-gw-error.log last 25 lines:`)
    r"|\[TAILING\] Tailing last \d+ lines for \[[^\]\n]{1,80}\] process.{0,60}"
    r"|/\S{1,200}\.log last \d+ lines:"
    # Asterisk's remote console (`asterisk -r`: `Connected to Asterisk 20.8.1 currently running
    # on pbx-lon01 (pid = 1873)`)
    r"|Connected to Asterisk \S{1,40} currently running on \S{1,80} \(pid = \d+\)"
    r"|\[(?:connected(?::[\w-]{1,64})?|disconnected|SOL Session operational\. .{0,40}"
    r"|terminated ipmitool)\]"
)
_TERMINAL_NOTICE_LINE = ascii_classes(rf"^\s*(?:{TERMINAL_NOTICE})$")
# A pager's prompt left in a capture between two screens of output (`--More--`, Junos's
# `---(more 53%)---`, AOS-CX's and ProCurve's `-- MORE --, next page: Space, ...`, Cisco's
# small-business `More: <space>,  Quit: q or CTRL+Z, ...`, `<--- More --->`): a line of its
# own (what the terminal showed of it where it was erased is read first, see lines.shown).
# The same goes for the terminal's echo of an interrupt (`^C` on a line of its own), the
# notices `tail -F` writes among the lines it follows (`tail: x.log: file truncated`), a
# terminal's own notices (`TERMINAL_NOTICE`) and a console's login prompt.
PAGER = ascii_classes(
    rf"^\s*(?:{TERMINAL_NOTICE}"
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
    frame = session_frame(text)
    if frame is not None:
        records = records & ~frame
    if not records.any():
        return None
    first = int(records.arg_max() or 0)
    others = (~records).arg_true()
    pager = None
    if others.len():
        # (a literal test first: most sources' other lines are stack frames, not pagers)
        maybe = text.gather(others)
        if maybe.str.contains(
            r"(?i)more|press any|^\s*\^[CZ]$|^tail: |^--- |login: |^password: ?$"
            r"|^\[(?:dis)?connected|^\[SOL |^\[terminated|minicom|picocom|^Port /|^OPTIONS: "
            r"|^Terminal ready|^Terminating|^Connection |serial terminal|^Connected to "
            r"|^Escape character|^Trying "
        ).any():
            at = others.filter(maybe.str.contains(PAGER).fill_null(False))
            if at.len():
                pager = pl.repeat(False, text.len(), eager=True).scatter(at, True)
    # (The lines before the first record first: most sources have none, and pay nothing.)
    if not first or not text.head(first).str.contains(PROMPT).fill_null(False).any():
        chrome = pager
        # A capture without a prompt above the records (a console's boot) still ends at one,
        # and the prompts between its records are the session's (`Router#show ...` after a
        # boot's messages; no bare `#` or `>`, a comment's or a quote's).
        last = _closing_prompt(text, records, body_at)
        if last is not None:
            chrome = last if chrome is None else chrome | last
        # (looked for on the lines not indented only: most of a log's other lines are a stack
        # trace's frames)
        later = others.filter(others > first)
        if later.len():
            later = later.filter(text.gather(later).str.contains(r"^\S").fill_null(False))
        if later.len():
            shown = text.gather(later)
            between = _prompts(shown) | login_lines(shown)
            if between.any():
                at = pl.repeat(False, text.len(), eager=True).scatter(later.filter(between), True)
                chrome = at if chrome is None else chrome | at
    else:
        prompts = ~records & text.str.contains(PROMPT).fill_null(False)
        index = pl.int_range(text.len(), eager=True)
        head = text.head(first)
        login = login_lines(head)
        session = (index >= _session_start(head)) | login.extend_constant(False, text.len() - first)
        output = _shell_output(head, login).extend_constant(False, text.len() - first)
        chrome = prompts | (session & (index < first) & ~output)
        if pager is not None:
            chrome = chrome | pager
    if frame is not None and chrome is not None:
        chrome = chrome & ~frame
    return None if chrome is None or not chrome.any() else _noted(chrome, ctx)


# A command's own header lines, `name: value` (ngrep's `interface: eth0 (10.90.0.0/...)`,
# `filter: ...`, `match: ...`): where most of what a program printed above its records is such,
# that is its header, no log.
_HEADER_LINE = ascii_classes(r"^\s*[\w.@ -]{1,40}?\s*[:=]\s")
_HEADER_SHARE = 0.5


def _shell_output(head: pl.Series, login: pl.Series) -> pl.Series:
    """Return which of `head` (the lines before the first record) a program run at a shell's
    prompt printed (`_SHELL_PROMPT`, or a bare `$ `: the last prompt among them): its output,
    as the records after it are (Discord's `Starting app.` before Chromium's stamped lines, a
    VM's console before its first stamped line), where a device's `show logging` prints
    headers. A login or password prompt is none, nor an indented line (a build tool's status,
    cargo's `    Finished ...`), and lines that are mostly a header's (`_HEADER_LINE`) are
    none."""
    prompt = head.str.contains(PROMPT).fill_null(False)
    out = pl.repeat(False, head.len(), eager=True)
    if not prompt.any():
        return out
    last = int(prompt.arg_true()[-1])
    if not (head[last] and _SHELL_PROMPT_RE.match(head[last])):
        return out
    flush = head.str.contains(r"^\S").fill_null(False)
    out = (pl.int_range(head.len(), eager=True) > last) & ~login & flush
    said = head.filter(out & (head.str.strip_chars() != "").fill_null(False))
    headed = said.str.contains(_HEADER_LINE).mean() if said.len() else 0.0
    if headed >= _HEADER_SHARE:  # type: ignore[operator]
        return pl.repeat(False, head.len(), eager=True)
    return out


def _noted(chrome: pl.Series, ctx: ParseContext) -> pl.Series:
    """Return `chrome`, having noted how many lines it leaves out."""
    ctx.note(chrome_note(int(chrome.sum())))
    return chrome


# The lines a terminal program writes around the session it logs: script(1)'s `Script
# started on 2024-06-12 10:31:18-07:00 [TERM=...]` and `Script done on ...`, PuTTY's
# `=~=~=~=~=~=~=~=~=~=~=~= PuTTY log 2024.06.12 10:14:52 =~=~=~=~=~=~=~=~=~=~=~=`. Stamped
# lines, entries with their times (as GNU screen's time-stamp lines are: see
# text_stamps.terminal_stamps), but the program's, not the log's: a prompt after one is still
# before the log's first record.
SESSION_FRAME = r"^(?:Script (?:started|done) on [0-9A-Z]|=~=~=~=~=~=~=~=~=~=~=~= PuTTY log [0-9])"


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


# A console server's own stamped lines in the console's log: conserver's marks (`[-- MARK --
# Wed Jun 19 01:00:00 2024]`, with `timestamp` set), who attached and detached (`[-- jk@ops02
# attached -- Wed Jun 19 01:07:44 2024]`), `[-- Console up -- ...]`. Entries with their times,
# as GNU screen's time-stamp lines are, but no layout of the console's own lines.
CONSOLE_SERVER_LINE = ascii_classes(
    r"^\[-- [^\[\]]{1,80} -- [A-Z][a-z]{2} [A-Z][a-z]{2} [ \d]?\d \d{2}:\d{2}:\d{2} \d{4}\]$"
)


def frame_stamps(text: pl.Series, frame: pl.Series, ctx: ParseContext) -> pl.Series:
    """Return the stamps the `frame` lines carry in a layout with a date (a terminal program's
    frame, `=~=~= PuTTY log 2024.06.21 10:38:50 =~=~=`; a console server's marks), null on the
    other lines."""
    ts = pl.repeat(None, text.len(), dtype=TS, eager=True)
    for row in frame.arg_true().to_list():
        dated = dated_stamp(text[row] or "", mtime=ctx.mtime, tz=ctx.tz)
        if dated is not None:
            ts = ts.scatter(row, dated[0].cast(TS))
    return ts.rename("ts")


def session_frame(text: pl.Series) -> pl.Series | None:
    """Return which lines are a terminal program's frame around its session (`SESSION_FRAME`)
    where the first line is one, else None."""
    if not text.len() or not re.match(SESSION_FRAME, text[0] or ""):
        return None
    return text.str.contains(SESSION_FRAME).fill_null(False)


# Boot loaders' prompts, bare or with a command typed: U-Boot's `=> ` (its default), Cisco's
# ROM monitors' `switch: ` (Catalyst) and `rommon 1 > ` (routers). Read in text without stamps
# only, where a console's boot loader session is (in a log's message lines, Ruby's and
# Elixir's `=> nil` are results).
_BOOT_LOADER_PROMPT = ascii_classes(
    r"^(?:=>|switch:|rommon \d{1,3} ?>)(?: [a-z][\w.-]*(?: .*)?| ?)$"
)
# The bare signs' prompts (`# show events`, `> show logging`), which a comment or a quote in
# unstamped text also looks like; `$ ` and a command (`$ ulog_messages log_49.ulg`) are none.
_BARE_SIGN = r"^[#>]"


# A command's table heading in a session without stamps: the columns' names (words only, no
# digits, no `:` or `=`, apart by two spaces or more) over a rule, and the rule (`Enqueued
# Dequeued  ID  Type  Status` over `-----...`, PAN-OS's `show jobs`).
_COLUMN_HEADS = ascii_classes(
    r"^[ \t]*[A-Za-z#][^:=\d]*?\S(?: {2,}|\t)\S[^:=\d]*?\S(?: {2,}|\t)\S[^:=\d]*$"
)


def _command_headings(text: pl.Series) -> pl.Series:
    """Return which of `text` are a command's table heading (`_COLUMN_HEADS`) and its rule."""
    rule = text.str.contains(_RULE_BODY).fill_null(False)
    names = text.str.contains(_COLUMN_HEADS).fill_null(False) & rule.shift(-1, fill_value=False)
    return names | (rule & names.shift(1, fill_value=False))


def session_prompts(text: pl.Series, ctx: ParseContext) -> pl.Series | None:
    """Return which lines of text without stamps (a serial console's boot loader session, a
    shell's) are a command-line prompt with or without a command typed, or a terminal's
    notice (`TERMINAL_NOTICE`), or None: no entries, as in a stamped capture
    (`terminal_chrome`), and noted. A prompt that is a bare `#` or `>` (`# word`) is left: in
    unstamped text it is as likely a comment or a quote."""
    notices = text.str.contains(_TERMINAL_NOTICE_LINE).fill_null(False)
    prompts = _prompts(text) | notices | login_lines(text)
    if not prompts.any():
        return None
    prompts = prompts | _command_headings(text)
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


# A capture a terminal program stamped line by line (Tera Term's, SecureCRT's, minicom's, tio's,
# ts(1)'s stamps): what follows each stamp is a line of the session, so a prompt, a console's
# login and password prompts and an empty line are the session's there too. Looked at in the
# smaller sources only (a capture is a session's length; a service's log runs long).
_STAMPED_SESSION_LINES = 50_000
# A table's column names (a command's, a device's export), one or two words each, apart by two
# spaces or more, one naming a date or a time: `Alarm time               Class  Description`.
_NAME = r"[A-Z][A-Za-z./#()_-]*(?: [A-Za-z][A-Za-z./#()_-]*)?"
COLUMN_NAMES = rf"^{_NAME}(?:(?: {{2,}}|\t+){_NAME}){{2,}}\s*$"
STAMP_NAME = r"\b(?i:date|time|timestamp)\b"
_RULE_BODY = ascii_classes(r"^(?:-{2,}(?:[ \t]+-{2,})+|-{10,}|={10,})$")


def stamped_session(text: pl.Series, header_end: pl.Series, ctx: ParseContext) -> pl.Series | None:
    """Return which stamped lines of a capture a terminal program stamped line by line are
    the session's (a prompt, with or without a command typed, but no bare `#` or `>`; a login,
    a user name's or a password prompt, a question answered (`login_lines`); a table's
    heading, names over a rule or naming a date or a time; nothing at all), or None where the
    source shows no such session: no line whose text after its stamp is a prompt with nothing
    typed, a login or a password prompt, nor a shell's own prompt (`_SHELL_PROMPT`), and a
    first line that is no prompt. They are no entries; a note says how many."""
    if text.len() > _STAMPED_SESSION_LINES:
        return None
    stamped = header_end.is_not_null()
    # (the test first, on the few lines that may be one: short, and ending as a prompt with
    # nothing typed does, or naming a login or a password)
    short = stamped & ((text.str.len_bytes() - header_end) <= _SHORT_BODY).fill_null(False)
    rows = short.arg_true()
    few = text.gather(rows)
    maybe = few.str.contains(r"[#>$%:] ?$")
    for word in ("ogin: ", "assword:"):
        maybe = maybe | few.str.contains(word, literal=True)
    rows = rows.filter(maybe.fill_null(False))
    # (or a capture that opens with a command typed at a prompt: `[...] sw1#install add ...`,
    # or that shows a shell's own prompt, `root@hmi-panel-0231:~# rauc install ...`)
    opening = stamped.arg_true().head(1)
    if (
        not _session_shown(_bodies(text.gather(rows), header_end.gather(rows)))
        and not (
            opening.len() and _prompts(_bodies(text.gather(opening), header_end.gather(opening)))[0]
        )
        and not _shell_prompt_shown(text, header_end, stamped)
        and not _prompt_repeated(text, header_end, stamped)
    ):
        return None
    body = _bodies(text, header_end)
    prompt = _prompts(body)
    login = login_lines(body)
    # (and a command's table heading: its names over a rule, `Switch#  Role  Mac Address` over
    # `-------  ------  ---------`, `Time  Severity ...` over `=====...`)
    rule = body.str.contains(_RULE_BODY).fill_null(False)
    named = body.str.contains(COLUMN_NAMES) & body.str.contains(STAMP_NAME)
    heading = rule | rule.shift(-1, fill_value=False) | named.fill_null(False)
    session = stamped & (prompt | login | heading | (body == "").fill_null(False))
    count = int(session.sum())
    ctx.note(chrome_note(count))
    return session


_SHORT_BODY = 64  # bytes after the stamp: a prompt with nothing typed, a login prompt


def _bodies(text: pl.Series, header_end: pl.Series) -> pl.Series:
    """Return each line's text after its stamp, without the stamp's closing bracket and the
    white space around it."""
    body = text.str.slice(header_end.fill_null(0)).str.strip_chars_start("]) \t")
    return body.str.strip_chars_end()


# A shell's prompt as bash and its kin show it by default, the user, the host, the folder:
# `root@hmi-panel-0231:~# `, `pi@sensor-07:/var/log $ `.
_SHELL_PROMPT = ascii_classes(
    f"^{_ENV_NAME}" r"[a-z_][\w.-]{0,31}@[\w.-]{1,63}:[~/][^\s#$]{0,80} ?[#$](?: |$)"
)
# (or a bare user's prompt, `$ gcloud compute ...`, as a shell's)
_SHELL_PROMPT_RE = re.compile(rf"{_SHELL_PROMPT}|^{_ENV_NAME}\$ \S", re.ASCII)


def _shell_prompt_shown(text: pl.Series, header_end: pl.Series, stamped: pl.Series) -> bool:
    """Return whether a stamped line's text after its stamp is a shell's own prompt
    (`_SHELL_PROMPT`; the lines with an `@` looked at only)."""
    rows = (stamped & text.str.contains("@", literal=True).fill_null(False)).arg_true()
    if not rows.len():
        return False
    body = _bodies(text.gather(rows), header_end.gather(rows))
    return bool(body.str.contains(_SHELL_PROMPT).fill_null(False).any())


def _prompt_repeated(text: pl.Series, header_end: pl.Series, stamped: pl.Series) -> bool:
    """Return whether two stamped lines' texts after their stamps open with the same prompt,
    a command typed at each (ONIE's `ONIE:/ # onie-discovery-stop`, then `ONIE:/ # onie-nos-
    install ...`): one such line may be a message's, the same prompt twice is a session's.
    (A device's `#` or `>` only: a CI job's log echoes each command after a `$`.)"""
    rows = (stamped & text.str.contains(r"[#>] [a-z]").fill_null(False)).arg_true()
    if rows.len() < 2:
        return False
    body = _bodies(text.gather(rows), header_end.gather(rows))
    shown = body.str.extract(PROMPT, 0).filter(_prompts(body))
    return bool(shown.drop_nulls().is_duplicated().any())


# A log line printed right after a prompt, nothing typed (PX4's `pxh> INFO  [tone_alarm] home
# set`): the line is output, an entry.
_OUTPUT_AFTER_PROMPT = ascii_classes(
    r"^\S{1,60}[>#$%] (?:TRACE|DEBUG|INFO|NOTICE|WARN|WARNING|ERROR|CRITICAL|FATAL)\b"
)


def _prompts(body: pl.Series) -> pl.Series:
    """Return which of `body` (a line's text after a terminal's stamp) are a prompt, with or
    without a command typed (no bare `#` or `>`; U-Boot's `=> ` too)."""
    prompt = body.str.contains(PROMPT) & ~body.str.contains(_BARE_SIGN)
    prompt = prompt & ~body.str.contains(_OUTPUT_AFTER_PROMPT)
    return (prompt | body.str.contains(_BOOT_LOADER_PROMPT)).fill_null(False)


def _session_shown(body: pl.Series) -> bool:
    """Return whether one of `body` is a prompt with nothing typed (no bare `#` or `>`), or a
    console's login or password prompt."""
    bare = _prompts(body) & body.str.contains(_BARE_PROMPT).fill_null(False)
    return bool((bare | body.str.contains(_SESSION_BODY).fill_null(False)).any())
