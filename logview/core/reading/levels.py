"""Severity levels: normalising the many spellings to TRACE..FATAL (NONE where absent).

Three ways to a level, in order of trust:
- a level field or header form (`level_from_text`: `INFO`, `[error]`, `[core:notice]`,
  `local.ERROR:`, `LOG:`, `E/Tag:`, `%ASA-4-106023:`, `<3>`, `E0312`, a logcat letter);
- numbers, read by the convention their key and values show (`numbers.py`);
- the message's own words (`level_words.inferred_from_words`: `connection refused`), only
  where nothing above gave one, and marked as inferred by ingest.
"""

from __future__ import annotations

import polars as pl

from logview.core.reading.level_letters import (
    LETTER_LEVELS,
    LETTER_SHARE,
    LETTERS,
    letter_at,
    letter_place,
)
from logview.core.shared.regex import ascii_classes
from logview.core.shared.table import LEVEL

# Lower-case spelling -> normalised level. Single letters cover Android/glog (`E/`, `W0312`),
# digits cover syslog severities (RFC 5424: 0 emerg .. 7 debug). Four-letter forms are
# logrus's (`ERRO[0002]`), .NET's console logger's (`dbug:`, `fail:`) and Supervisor's (`DEBG`,
# `ERRO`, `BLAT` for its blather level); three-letter ones Serilog's `{Level:u3}` (`INF`, `WRN`).
# IPMI's threshold classes and Dell's severities (iDRAC, OpenManage) rank Non-Critical between
# OK and Critical: a warning.
# fmt: off
ALIASES: dict[str, str] = {
    "trace": "TRACE", "trc": "TRACE", "finest": "TRACE", "finer": "TRACE", "verbose": "TRACE",
    "v": "TRACE", "trac": "TRACE", "trce": "TRACE", "vrb": "TRACE", "verb": "TRACE",
    "noisy": "TRACE",  # Renode's lowest
    "debug": "DEBUG", "dbg": "DEBUG", "fine": "DEBUG", "d": "DEBUG", "7": "DEBUG",
    "debu": "DEBUG", "dbug": "DEBUG", "debg": "DEBUG", "blat": "TRACE",
    "info": "INFO", "information": "INFO", "informational": "INFO", "inf": "INFO",
    "notice": "INFO", "note": "INFO", "noti": "INFO", "i": "INFO", "config": "INFO", "6": "INFO", "5": "INFO",
    "log": "INFO",
    "warn": "WARN", "warning": "WARN", "wrn": "WARN", "w": "WARN", "4": "WARN",
    "non-critical": "WARN", "noncritical": "WARN",
    "error": "ERROR", "err": "ERROR", "e": "ERROR", "severe": "ERROR", "3": "ERROR",
    "fail": "ERROR", "failure": "ERROR", "erro": "ERROR", "eror": "ERROR",
    "fatal": "FATAL", "critical": "FATAL", "crit": "FATAL", "alert": "FATAL",
    "emerg": "FATAL", "emergency": "FATAL", "panic": "FATAL", "f": "FATAL", "c": "FATAL",
    "fata": "FATAL", "pani": "FATAL", "ftl": "FATAL", "aler": "FATAL", "emer": "FATAL",
    # alarm severities (ITU-T X.733: critical, major, minor, warning), as network gear
    # writes them
    "major": "ERROR", "minor": "WARN",
    "0": "FATAL", "1": "FATAL", "2": "FATAL",
}
# Windows' level names as its event exports write them in other languages (`Get-WinEvent`'s
# LevelDisplayName, Event Viewer's CSV): German, French, Spanish, Italian, Portuguese (those
# spelled in ASCII; `Information` and `Error` are English's too).
LOCALISED = {
    "informationen": "INFO", "warnung": "WARN", "fehler": "ERROR", "kritisch": "FATAL",
    "avertissement": "WARN", "erreur": "ERROR", "critique": "FATAL",
    "advertencia": "WARN",
    "informazioni": "INFO", "avviso": "WARN", "errore": "ERROR", "critico": "FATAL",
    "aviso": "WARN", "erro": "ERROR",
}
ALIASES |= LOCALISED
# fmt: on
# pino and bunyan write levels as numbers: 10 trace .. 60 fatal.
NUMERIC_LEVELS = {
    "10": "TRACE",
    "20": "DEBUG",
    "30": "INFO",
    "40": "WARN",
    "50": "ERROR",
    "60": "FATAL",
}  # fmt: skip
# Syslog severities (RFC 5424), also Cisco's `%ASA-4-106023` and systemd's `<3>`.
SYSLOG_SEVERITIES = {str(n): ALIASES[str(n)] for n in range(8)}
_WORDS_ONLY = {k: v for k, v in ALIASES.items() if not k.isdigit()}
# Bracketed words that are levels only in brackets: MySQL's `[System]` and `[Note]`.
# ArubaOS's four-letter severities in angle brackets (`<ERRS>`, `<ALRT>`, `<EMER>`; its others,
# `<NOTI>`, `<DBUG>`, are common spellings).
# ExtremeXOS's Debug-Summary, `<Summ:DM.Info>`.
# PAN-OS's management-plane logs (`mp-log ikemgr.log`): `[PERR]`, `[PWRN]`, `[PNTF]` (notify)
# beside plain `[INFO]` and `[DEBUG]`.
# (Oracle's ODL: `[NOTIFICATION:16]`, `[INCIDENT_ERROR:1]`, the message type and its level)
_BRACKET_ONLY = {"system": "INFO", "errs": "ERROR", "alrt": "FATAL", "summ": "DEBUG",
                 "perr": "ERROR", "pwrn": "WARN", "pntf": "INFO", "notification": "INFO",
                 "incident_error": "ERROR"}  # fmt: skip
# PHP's error log: `PHP Warning:  ...` (PHP's own E_* names; a fatal or parse error stops the
# script, a deprecation is a notice).
_PHP = {
    "fatal error": "FATAL", "parse error": "FATAL", "core error": "FATAL",
    "compile error": "FATAL", "recoverable fatal error": "ERROR",
    "catchable fatal error": "ERROR", "warning": "WARN", "core warning": "WARN",
    "compile warning": "WARN", "notice": "INFO", "deprecated": "INFO",
    "strict standards": "INFO",
}  # fmt: skip
# Labels followed by a colon that are levels only as such (PostgreSQL's `LOG:`, `PANIC:`).
# PostgreSQL's STATEMENT, DETAIL, HINT, CONTEXT, QUERY and LOCATION lines are parts of the
# message above (same backend pid, written right after it): they take its level (PART).
PART = "PART"
_LABELS = {
    "log": "INFO", "panic": "FATAL", "alert": "FATAL", "emerg": "FATAL", "emergency": "FATAL",
    "statement": PART, "detail": PART, "hint": PART, "context": PART, "query": PART,
    "location": PART,
}  # fmt: skip

# A field holding only its severity may say OK for the lowest (Dell's OpenManage and iDRAC
# write Ok, Non-Critical, Critical), Caution for a warning (HPE's iLO: Informational,
# Caution, Critical) and Inform for information (SonicWall's export).
_FIELD_WORDS = _WORDS_ONLY | _BRACKET_ONLY | {"ok": "INFO", "caution": "WARN", "inform": "INFO"}
_ANY_FIELD_VALUE = ALIASES | _FIELD_WORDS
_HEADER_WORDS = _WORDS_ONLY | _BRACKET_ONLY | {k: v for k, v in _LABELS.items() if v != PART}


def normalise(expr: pl.Expr) -> pl.Expr:
    """Return `expr` (level text) mapped to a normalised level name, null where unknown."""
    return (
        expr.str.strip_chars()
        .str.to_lowercase()
        .replace_strict(ALIASES, default=None, return_dtype=pl.String)
    )


def normalise_field(expr: pl.Expr) -> pl.Expr:
    """Return a level field's values as normalised names: its words (`normalise_words`) and
    syslog's digits, null where unknown; one lookup where `normalise` then `normalise_words`
    would take two."""
    return (
        expr.str.strip_chars()
        .str.to_lowercase()
        .replace_strict(_ANY_FIELD_VALUE, default=None, return_dtype=pl.String)
    )


def normalise_words(expr: pl.Expr) -> pl.Expr:
    """Return level words in `expr` (a level field's values) as normalised names; numbers
    (whose meaning depends on the source's convention, see `numbers`) and unknown words as
    null. A field holds only its level, so MySQL's `System` (in its JSON log's `label`) is one
    as it is in brackets."""
    return (
        expr.str.strip_chars()
        .str.to_lowercase()
        .replace_strict(_FIELD_WORDS, default=None, return_dtype=pl.String)
    )


def header_word_level(expr: pl.Expr) -> pl.Expr:
    """Return the normalised level of a word at a header's level place (`Info`, `note`,
    `LOG`), null for the parts of a message that take the level above (`DETAIL`)."""
    return (
        expr.str.strip_chars()
        .str.to_lowercase()
        .replace_strict(_HEADER_WORDS, default=None, return_dtype=pl.String)
    )


def to_enum(expr: pl.Expr) -> pl.Expr:
    """Return normalised level names (or nulls) as the LEVEL enum, NONE for null."""
    return expr.fill_null("NONE").cast(LEVEL)


# How far past the stamp (or from the line start) a level is looked for: headers such as BGL's
# put several fields (node, component) before the level, so ~100 characters in is common.
HEADER_WINDOW = 120

# Upper-case words are levels anywhere in the header window; a trailing digit is PostgreSQL's
# DEBUG1..5 or Apache's TRACE1..8.
_LEVEL_WORDS = (
    "TRACE|DEBUG|INFO|NOTICE|WARN|WARNING|ERROR|ERR|FATAL|CRITICAL|CRIT|SEVERE|CONFIG|FINE|FINER"
    "|FINEST|INF|WRN|DBG|FTL|VRB|VERB|VERBOSE"
)
# Supervisor's four capitals (and NOTI, notice cut to four as SR Linux's and ExtremeXOS's
# logs write it; ALER and EMER, alert and emergency cut to four as Barracuda's firewalls write
# them; MAJOR and MINOR, alarm severities, as Nokia's SR OS writes them): read by the general
# regex only, for the fast path's one regex (`_LEADING_WORD`) takes
# half again as long with words that open others (`ERRO` of `ERROR`).
_RARE_WORDS = "DEBG|ERRO|TRAC|BLAT|NOTI|ALER|EMER|MAJOR|MINOR"
_BRACKETED = (
    "trace|debug|info|information|notice|note|warn|warning|error|err|fatal|critical|crit|alert"
    "|emerg|emergency|severe|inf|wrn|dbg|ftl|vrb|trc|eror|erro|dbug|system|notification|noti|errs"
    "|alrt|emer|incident_error"
    "|summ|perr|pwrn|pntf|noisy|verbose"
)
_TAGGED = (
    "trace|debug|info|informational|information|notice|warning|warn|error|err|fatal|critical|crit|alert"
    "|emerg|emergency|panic|severe|verbose"
)
_MONOLOG = "DEBUG|INFO|NOTICE|WARNING|ERROR|CRITICAL|ALERT|EMERGENCY"
_B = "(?-u:\\b)"  # ASCII word boundary: faster, and level words are ASCII
# Cisco's message code after its `%` (`ASA-4-106023`, `LINK-3-UPDOWN`): the digit is the syslog
# severity. (syslog reads it where a tag would be.)
# (Cisco's SD-WAN routers name the platform and the process before it, and number the
# message after it: `%Cisco-SDWAN-RP_0-VDAEMON-5-NTCE-1000001:`)
CISCO_CODE = (
    r"(?:[A-Z][A-Za-z]*-SDWAN-[A-Z0-9_]+-)?[A-Z][A-Z0-9_]*(?:-[A-Z0-9_]+)?-(?P<cisco>[0-7])"
    r"-[A-Z0-9_]+(?:-\d+)?"
)
# Leftmost match wins, so the level nearest the stamp is taken. Lower-case bare words are left
# out on purpose: "no error found" in a message is not an ERROR. (`header.py` takes them at the
# place where the source's lines keep their level.)
_HEADER_LEVEL = ascii_classes(
    # `[error]`, `[Warning]`, Apache 2.4's `[core:notice]` and `[proxy:trace5]`, `[INF]`,
    # the first of a bracket's fields (XAPI's `[ warn||8842 HTTPS ...|xapi_vm]`),
    # ExtremeXOS's `<Warn:ELRP.Report.Message>` (the component after the level), ONTAP's
    # `[node:event.name:severity]` (two fields before it), and
    # in angle brackets (ClickHouse's `<Information>`, NetworkManager's `<info>`), and
    # in parentheses (Puppet's `Puppet (notice):`); and syslog's `<facility.severity>` as
    # some relays write it (NetScaler's `<local0.info>`), or its severity's digit and name
    # (Yealink's phones: `<6+info  >`)
    # (and Twisted's `[namespace#level]`: `[feedhub.poller#warn]`)
    rf"[\[<]\s*(?:(?:[\w.-]+:){{1,2}}|[\w-]+\.|[\w.-]+#|\d\+)?(?P<bracketed>(?i-u:{_BRACKETED}))\d?(?::[\w.-]+)?\s*[\]>|]"
    # the first of a spaced bracket's fields, Qt's message pattern `[ %{type} %{category} ...`
    # (Nextcloud's desktop client: `[ info nextcloud.sync.engine ...:606 ]:`)
    rf"|\[ (?P<spaced>(?i-u:debug|info|warning|critical|fatal)) "
    # the X server's `(II)`, `(WW)`, `(EE)` and `(!!)` (notice)
    r"|\((?P<xorg>II|WW|EE|!!)\)"
    # Mozilla's MOZ_LOG: `[Parent 4120: Main Thread]: D/nsHttp message`
    r"|\]:\s(?P<mozilla>[VDIWE])/[\w.:-]+\s"
    # `level=warn`; a number after `severity=`/`priority=` is a syslog severity
    # (and a JSON object's `"level":"info"` after a transport's stamp: a colon then a quote)
    rf"|{_B}(?i-u:level|lvl|loglevel|log_level|levelname)(?:\s*=\s*\"?|\"?\s*:\s*\")"
    rf"(?P<keyed>[A-Za-z]+){_B}"
    # (or a colon, as a dump of a message's fields writes it: MAVLink's STATUSTEXT in
    # `mavlogdump`, `{severity : 6, text : ...}`, whose severities are syslog's)
    rf"|{_B}(?i-u:severity|syslog_severity|priority)\s*[=:]\s*\"?(?P<severity>[A-Za-z]+|[0-7]){_B}"
    # Android's `E/Tag:` and `E/Tag( 123):` (logcat's brief and time formats)
    r"|(?:^|\s)(?P<android>[VDIWEFA])/[^\s/:(]+\s*[(:]"
    # logcat's threadtime: `<stamp>  1702  2395 D WindowManager: ...` (pid, tid, letter, tag)
    r"|(?:^|\s)\d{1,7}\s+\d{1,7}\s+(?P<threadtime>[VDIWEFA])\s+[^\s:][^:\n]{0,60}:(?:\s|$)"
    # syslog's `facility.severity` (BusyBox's and OpenWrt's logread, rsyslog templates:
    # `daemon.info dnsmasq[1234]: ...`, `kern.warn kernel: ...`), and `dmesg -x`'s padded
    # `kern  :info  : ...`
    # (Solaris writes it at the end of a bracket: `[ID 540533 kern.notice]`)
    r"|(?:^|\s)(?:kern|user|mail|daemon|auth|syslog|lpr|news|uucp|cron|authpriv|ftp|local[0-7])"
    r"(?:\.|\s*:)(?P<facility>emerg|alert|crit|err|error|warn|warning|notice|info|debug)"
    r"(?:\s*:|\s|\])"
    # Cisco's `%ASA-4-106023:`, `%LINK-3-UPDOWN:` (IOS XR's with a space before the colon):
    # the digit is the syslog severity (Cisco's wireless controllers mark some with `#`:
    # `#LWAPP-4-AP_DUPLEX_MISMATCH:`)
    rf"|[%#]{CISCO_CODE} ?:"
    rf"|{_B}PHP (?P<php>(?i-u:{'|'.join(sorted(_PHP, key=len, reverse=True))})):"
    # Monolog's line format (Laravel): `local.ERROR:`, `production.EMERGENCY:`
    rf"|{_B}[\w-]+\.(?P<channel>{_MONOLOG}):"
    rf"|{_B}(?P<label>{'|'.join(k.upper() for k in _LABELS)}):(?:\s|$)"
    # A level word in any case (one group for three forms, which costs less to capture):
    # - in parentheses (Puppet's `Puppet (notice): ...`);
    # - with a colon, opening the message after a program's or category's tag
    #   (`imap-login: Info: ...`, sshd's `sshd[81]: error: ...`, Unreal's `LogNet: Warning:`)
    #   or the window itself (the message right after a syslog tag, or after the stamp's
    #   closing bracket: Slurm's `[2024-05-21T07:58:47.006] debug:  sched: ...`), a debug
    #   level's digit after it (Slurm's `debug2:`);
    # - as a whole field of a delimited line (PostgreSQL's csvlog `...,0,LOG,00000,`);
    # - `Fatal error:` whole (Bacula's and Bareos's `Fatal error:` beside their `Error:`).
    # (padded to one width before its colon: OpenOCD's `Warn : ...`, `Info : ...`)
    rf"|(?:\(|(?:^\]?|:)[ \t]*|[,;|\t])(?P<worded>(?i-u:fatal error|{_TAGGED}|log))\d?(?:\)| ?:[ \t]|[,;|\t])"
    # a level word and the component it comes from, opening the message (Icinga 2's
    # `information/ApiListener: ...`, `warning/ApplyRule: ...`; a work queue's component
    # runs on, `debug/WorkQueue #2 (...): ...`)
    rf"|^\]?[ \t]*(?P<slashed>(?i-u:{_TAGGED}))/[\w.-]+:?[ \t]"
    # a level among a comma-separated list of topics that opens the message, after the host at
    # most (MikroTik RouterOS: `system,error,critical login failure ...`, `script,warning ...`)
    rf"|^\]?[ \t]*(?:[^\s,]+[ \t]+)?[a-z][\w-]*(?:,[\w-]+)*?,(?P<topics>(?i-u:{_TAGGED}))"
    r"(?:,[\w-]+)*\s"
    # logrus's text format: `ERRO[0002] ...`
    r"|(?:^|\s)(?P<logrus>PANI|FATA|ERRO|WARN|INFO|DEBU|TRAC)\["
    rf"|{_B}(?P<word>{_LEVEL_WORDS}|{_RARE_WORDS})\d?{_B}"
)
# Each form's spellings. Bracketed and keyed words, `channel.LEVEL:` and logrus's forms are
# plain aliases.
_FORM_MAPS: dict[str, dict[str, str]] = {
    "bracketed": _WORDS_ONLY | _BRACKET_ONLY,
    "spaced": _WORDS_ONLY,
    "facility": _WORDS_ONLY,
    "xorg": {"ii": "INFO", "ww": "WARN", "ee": "ERROR", "!!": "INFO"},
    "mozilla": LETTERS,
    "keyed": _WORDS_ONLY,
    "severity": ALIASES,
    "android": LETTERS,
    "threadtime": LETTERS,
    "cisco": SYSLOG_SEVERITIES,
    "php": _PHP,
    "channel": _WORDS_ONLY,
    "label": _LABELS,
    "worded": _WORDS_ONLY | {"fatal error": "FATAL"},
    "slashed": _WORDS_ONLY,
    "topics": _WORDS_ONLY,
    "logrus": _WORDS_ONLY,
    "word": _WORDS_ONLY,
}
# Forms few sources write, looked for only in the windows where none of the above is: each
# named group costs every captured row a column, and these would slow every source's levels.
_RARE_LEVEL = ascii_classes(
    # Huawei's VRP and H3C's (HPE's) Comware: `%%01SHELL/5/CMDRECORD(s):`, `%%10IFNET/3/
    # LINK_UPDOWN:`, the digit a syslog severity
    r"%%\d{2}[A-Za-z][A-Za-z0-9_-]*/(?P<vrp>[0-7])/[A-Za-z]"
    # (Comware's `display logbuffer` shows them without the `%%10`: `IFNET/3/PHY_UPDOWN:`;
    # Comware 5's digest may hold a space: `IFNET/4/INTERFACE UPDOWN:`)
    rf"|{_B}[A-Z][A-Z0-9_-]*/(?P<comware>[0-7])/[A-Z][A-Z0-9_ ]{{0,40}}(?:\([a-z]\))?:"
    # Cisco's small-business switches (and Dell PowerConnect, of the same lineage) write the
    # severity's letter where Cisco's others write its digit: `%LINK-W-Down:`, `%COPY-N-TRAP:`
    r"|%[A-Z][A-Z0-9_]*-(?P<lettered>[FACEWNID])-[A-Za-z][A-Za-z0-9_]*:"
    # the constants that name a level in C, as programs print them: syslog(3)'s priorities
    # (AOS-CX's `Event|403|LOG_INFO|`) and Windows' trace levels (tracefmt's `%!LEVEL!`,
    # `TRACE_LEVEL_WARNING`)
    rf"|{_B}(?:LOG|TRACE_LEVEL)_(?P<macro>EMERG|ALERT|CRITICAL|CRIT|ERROR|ERR|WARNING|WARN"
    rf"|NOTICE|INFORMATION|INFO|DEBUG|VERBOSE|FATAL){_B}"
    # VMware's two letters and its level's number (`In(05)`, `Wa(03)`, `Er(02)+`: vmware.log,
    # ESXi's logs; in ESXi's syslog the number is a PRI, read there)
    r"|(?:^|\s)(?P<vmware>Em|Al|Cr|Er|Wa|No|In|Db|Vb)\(\d{1,3}\)\+?(?:\s|$)"
    # syslog's facility and severity capitalised, as Kiwi Syslog's column writes them
    # (`Local4.Warning`)
    r"|(?:^|\s)(?i:kern|user|mail|daemon|auth|syslog|lpr|news|uucp|cron|authpriv|ftp|local[0-7])"
    r"\.(?P<capitalised>(?i:emerg|alert|crit|err|error|warn|warning|notice|info|debug))\s"
    # a warning's class names it (Node's `(node:2231) MaxListenersExceededWarning: ...`)
    rf"|{_B}[A-Z][A-Za-z]*(?P<warned>Warning):\s"
    # pino's and bunyan's numbers in a JSON record after a transport's stamp (a CloudWatch
    # export's `2024-03-05T13:58:41.904Z {"level":30,...}`): 10 trace .. 60 fatal, which no
    # other convention writes under that key
    r'|"level"\s*:\s*(?P<pino>[1-6]0)\s*[,}]'
    # SQL Server Agent's SQLAGENT.OUT: `2024-03-14 09:26:53 - ? [100] ...`, `?` information,
    # `+` warning, `!` error, before the message's number in brackets
    r"|^ ?- (?P<sqlagent>[?+!]) \[\d+\] "
    # Juniper ScreenOS: the severity in the message type, `[Root]system-warning-00518:`
    r"|(?:^|[\]\s])system-(?P<screenos>emergency|alert|critical|error|warning|notification"
    r"|information|debugging)-\d{5}"
    # Cisco IOS XE's btrace, a notice in parentheses (the Catalyst 9800's `show logging profile
    # wireless`: `[client-orch-sm] [17621]: (note): MAC: ...`)
    r"|\]: \((?P<btrace>note)\): "
    # Unreal Engine's Display verbosity after its category (`LogInit: Display: ...`; its
    # Warning, Error and Verbose are level words read above)
    r"|(?:^|[\]\s])Log[A-Z][A-Za-z0-9_]*: (?P<unreal>Display): "
    # a level word opening the line with its area right after the colon (LibreOffice's
    # SAL_LOG, `warn:vcl.gtk3:48211:48211:vcl/unx/gtk3/gtkinst.cxx:1402: ...`)
    rf"|^(?P<opening>(?i-u:{_TAGGED})):[A-Za-z]"
    # Erlang/OTP's report headers, `=ERROR REPORT==== 14-Mar-2024::09:27:10 ===` (crash and
    # supervisor reports are logged as errors)
    r"|^=(?P<otp>INFO|PROGRESS|WARNING|ERROR|CRASH|SUPERVISOR) REPORT="
    # a caution opening the message (HPE's IML, `CAUTION: Main Memory - ...`, among its
    # `INFORMATIONAL:` and `CRITICAL:` lines)
    r"|^(?P<caution>CAUTION|Caution): "
    # IBM's message identifier opening the message, its last letter the severity: I, W, E
    # and S (severe), `ANS1809W Session is lost; ...` (Storage Protect's client), `ANR0406I`,
    # WebSphere's `CWWKZ0002E`
    r"|^[ \t]*[A-Z]{3,5}\d{4,5}(?P<ibm>[IWES])(?::? )"
)
_VMWARE_LEVELS = {"em": "FATAL", "al": "FATAL", "cr": "FATAL", "er": "ERROR", "wa": "WARN",
                  "no": "INFO", "in": "INFO", "db": "DEBUG", "vb": "TRACE"}  # fmt: skip
_RARE_MAPS: dict[str, dict[str, str]] = {
    "vrp": SYSLOG_SEVERITIES,
    "comware": SYSLOG_SEVERITIES,
    "lettered": LETTER_LEVELS,
    "macro": _WORDS_ONLY,
    "vmware": _VMWARE_LEVELS,
    "capitalised": _WORDS_ONLY,
    "warned": _WORDS_ONLY,
    "pino": NUMERIC_LEVELS,
    "sqlagent": {"?": "INFO", "+": "WARN", "!": "ERROR"},
    "screenos": _WORDS_ONLY | {"notification": "INFO", "debugging": "DEBUG"},
    "btrace": {"note": "INFO"},
    "unreal": {"display": "INFO"},
    "opening": _WORDS_ONLY,
    "caution": {"caution": "WARN"},
    "ibm": {"i": "INFO", "w": "WARN", "e": "ERROR", "s": "ERROR"},
    "otp": {
        "info": "INFO",
        "progress": "INFO",
        "warning": "WARN",
        "error": "ERROR",
        "crash": "ERROR",
        "supervisor": "ERROR",
    },
}
# Forms that only mean a level at the very start of the line: a syslog/systemd priority `<3>`
# (severity = priority mod 8), glog's `E0312 ...` (letter, month, day, after a space where a
# transport's stamp comes first: klog in `stern --timestamps`; CockroachDB's with the
# year, `E240312 ...`, glog 0.7's with the whole year, `E20240312 ...`) and Tornado's log
# formatter (Jupyter's server): `[W 2024-03-14 ...`, the level's first letter before the stamp
# in the bracket (C is critical); ESP-IDF's letter before
# its milliseconds since boot or its clock in parentheses (`W (39618) wifi: ...`); the letter
# and a colon opening a line, as MCUboot and Zephyr's minimal logging write them (`I: Starting
# bootloader`) and apt (`E: Unable to locate package`, `W: ...`): E, W, I and D; Samba's debug
# level after the stamp in its bracket (`[2024/03/14 08:41:06.207744,  3] ...`), read as its
# `syslog` option maps it: 0 an error, 1 a warning, 2 and 3 notices, more a debug message;
# NVIDIA's Tegra boot loaders (MB1, MB2) the letter and `>` after their time since power-on
# (`[0000.089] W> Boot chain B failed ...`).
_LINE_START_LEVEL = ascii_classes(
    r"^(?:<(?P<priority>\d{1,3})>| ?(?P<glog>[IWEF])(?:\d{8}|\d{6}|\d{4})\s|\[(?P<tornado>[DIWEC]) \d"
    r"| ?(?P<esp>[EWIDV]) \((?:\d+|\d{2}:\d{2}:\d{2}\.\d{3})\) |(?P<colon>[EWID]): \S"
    r"|\[\d{4}\.\d{3}\] (?P<tegra>[EWID])> "
    r"|\[\d{4}/\d{2}/\d{2} \d{2}:\d{2}:\d{2}(?:\.\d{1,6})?, +(?P<samba>\d{1,2})[,\]])"
)
_SAMBA_LEVELS = {"0": "ERROR", "1": "WARN", "2": "INFO", "3": "INFO"}
# A syslog PRI after a relay's stamp and the sender's address (`2024-06-28T10:15:03.902+02:00
# 10.40.7.21 <86>Jun 28 10:15:03 bastion01 sshd[22817]: ...`): looked for after the stamp.
_RELAYED_PRI = ascii_classes(r"^\s*[\w.:-]{1,64} <(\d{1,3})>\S")


def _samba(debug_level: pl.Expr) -> pl.Expr:
    """Return Samba's debug levels as levels (see _LINE_START_LEVEL); null where none."""
    named = debug_level.replace_strict(_SAMBA_LEVELS, default=None, return_dtype=pl.String)
    return pl.when(debug_level.is_not_null()).then(named.fill_null("DEBUG"))


# A single severity letter right after the stamp (MongoDB before 4.4: `... I NETWORK [conn1]
# ...`, `D1` for debug levels): a level only where the sample shows most lines so, since a
# lone capital is otherwise as likely a message's first word.
# The letter may be bracketed (`[03.14 09:26:53][I] ...`, the window then starting at the
# stamp's own closing bracket; or first in a bracket of fields, Foreman's `[I|app|3f9c2a1e]`), end in `!` (Telegraf's `I! Loading config`) or `:` (MCUboot's `I: Starting bootloader`, apt's `W: ...`) or sit between
# colons right after the stamp (Ruckus FastIron's `Mar 14 09:34:02:I:Security: ...`); CUPS
# adds N (notice) and C (critical).
_LETTER = ascii_classes(
    r"^\]?\s*(?:\[(?P<bracketed>[VDIWEFNC])(?:\]|\|[^\]\s]*\])|(?P<letter>[VDIWEFNC])[\d!:]?\s"
    r"|:(?P<glued>[VDIWEFNCAM]):)\s*\S"
)
# A device's key=value record may name its level further on than the header window (FortiGate's
# `date=... time=... devname=... devid=... eventtime=... tz=... logid=... type=... subtype=...
# level="notice"`, its CEF extension's `FTNTFGTlevel=notice`): looked for this far, only in
# lines where no form in the window gave one, where the first such lines show one.
_FAR_WINDOW = 400
_FAR_KEY = ascii_classes(
    # (and a JSON record's `"level": "info"` among a text log's lines, its keys sorted after
    # the event's: structlog's)
    r"(?:^|[\s,;|{])\x22?(?:[A-Z]{2,12})?(?i-u:level|severity|loglevel|log_level)"
    r"(?:=\x22?|\x22\s*:\s*\x22)([A-Za-z]+)" + _B
)


# Fast path: most headers put the level word first after the stamp (`... INFO  [main] ...`).
# When the window starts with white space and a level word, no other form can match further
# left (a `[`, a `key=`, an Android `X/`, logcat's numbers all need other characters there),
# and a form starting at the same place gives the same level, so the general regex, which
# looks at the same window, would take that word too.
_LEADING_WORD = ascii_classes(rf"^\s*({_LEVEL_WORDS})\d?{_B}")
# The fast path is taken when this share of a sample of the rows has a leading level word.
_FAST_SHARE = 0.5
_SAMPLE = 500
_WORD_LEVEL = {word: ALIASES[word.lower()] for word in _LEVEL_WORDS.split("|")}


def _header_level(
    window: pl.Expr, regex: str = _HEADER_LEVEL, maps: dict[str, dict[str, str]] = _FORM_MAPS
) -> pl.Expr:
    """Return the normalised level (or PART) of the leftmost level form of `regex` (the
    general forms, or the rare ones with their `maps`) in `window`."""
    header = window.str.extract_groups(regex)
    return pl.coalesce(
        header.struct.field(name)
        .str.to_lowercase()
        .replace_strict(spellings, default=None, return_dtype=pl.String)
        for name, spellings in maps.items()
    )


def _general_levels(frame: pl.DataFrame, window: pl.Expr, far: pl.Expr | None = None) -> pl.Series:
    """Return `_header_level` of each row's window in `frame`, capturing only on the rows
    where a level form matches: a capture builds a column per form (16 bytes a row each,
    null or not), and many sources (syslog without priorities, bare text) have none; then,
    given `far` (a longer window), a `level=` key there where nothing else gave one."""
    matched = frame.select(window.str.contains(_HEADER_LEVEL)).to_series()
    count = matched.sum()
    if count == frame.height:
        return frame.select(_header_level(window)).to_series()
    found = pl.repeat(None, frame.height, dtype=pl.String, eager=True).alias("level")
    if count:
        rows = frame.filter(matched).select(_header_level(window)).to_series()
        found.scatter(matched.arg_true(), rows)
    # The rare forms, in the windows none of the general ones matched, where the first of
    # them show one (a source writes its levels one way).
    others = frame.filter(~matched)
    if others.head(_SAMPLE).select(window.str.contains(_RARE_LEVEL).any()).item():
        rare = others.select(window.str.contains(_RARE_LEVEL)).to_series()
        if rare.any():
            rows = others.filter(rare).select(_header_level(window, _RARE_LEVEL, _RARE_MAPS))
            found.scatter((~matched).arg_true().filter(rare), rows.to_series())
    return _far_keys(frame, found, far) if far is not None else found


def _far_keys(frame: pl.DataFrame, found: pl.Series, far: pl.Expr) -> pl.Series:
    """Return `found` with, where it is null, the level of a `level=` key further on than the
    header window (`_FAR_KEY`), where the first such rows show one."""
    missing = found.is_null()
    if not missing.any():
        return found
    rows = frame.filter(missing)
    if not rows.head(_SAMPLE).select(far.str.contains(_FAR_KEY).any()).item():
        return found
    keyed = rows.select(normalise_words(far.str.extract(_FAR_KEY, 1))).to_series()
    return found.scatter(missing.arg_true(), keyed)


def _chunked_like(values: pl.Series, like: pl.Series) -> pl.Series:
    """Return `values` cut into chunks as long as those of `like` (of the same length).

    A frame whose columns' chunks line up is worked on chunk by chunk (in parallel); one
    whose chunks do not is first made one chunk.
    """
    lengths = like.chunk_lengths()
    if len(lengths) <= 1 or values.chunk_lengths() == lengths:
        return values
    parts, at = [], 0
    for length in lengths:
        parts.append(values.slice(at, length))
        at += length
    return pl.concat(parts, rechunk=False)


def _leading_levels(frame: pl.DataFrame, start: pl.Series | None, window: pl.Expr) -> pl.Series:
    """Return the level of each row's header window in `frame`: from its leading level word,
    or the general way (`_header_level`) for the rows without one."""
    const = None
    if start is not None:
        known = start.drop_nulls()
        if known.len() and known.min() == known.max():
            const = int(known.min())
    # A fixed-width stamp puts every header at one offset: one constant slice (cheaper than
    # a per-row one) serves the rows with that start; the others take the general way.
    leading_window = window if const is None else pl.col("text").str.slice(const, HEADER_WINDOW)
    leading = frame.select(
        leading_window.str.extract(_LEADING_WORD, 1).replace_strict(
            _WORD_LEVEL, default=None, return_dtype=pl.String
        )
    ).to_series()
    missing = leading.is_null()
    if const is not None and const != 0 and start is not None and start.null_count():
        missing = missing | start.is_null()
    if missing.any():
        found = _general_levels(frame.filter(missing), window)
        leading = leading.scatter(missing.arg_true(), found)
    return leading


def level_from_text(text: pl.Series, start: pl.Series | None = None) -> pl.Series:
    """Return the normalised level names found in the headers of `text` (null where none).

    Looks from `start` (e.g. the offset just after the stamp; the line start where null) up to
    HEADER_WINDOW characters on, or in the first HEADER_WINDOW characters when `start` is None.
    Recognises upper-case level words (`INFO`, `WARNING`, `- ERROR `, `|INFO|`, `DEBUG2`),
    any-case bracketed levels (`[error]`, `[core:notice]`, `[Note]`), `level=`/`severity=`
    keys, Monolog's `channel.LEVEL:`, PostgreSQL's `LOG:`, PHP's `PHP Warning:`, logrus's
    `ERRO[`, Android's `E/Tag:` and logcat's `pid tid E Tag:`, Cisco's `%ASA-4-...:`, and at
    the line start syslog priorities `<3>` and glog's `E0312`. A severity letter right after
    the stamp counts where most of the sample has one, or most of the lines no other form
    gives a level. PostgreSQL's DETAIL, HINT, STATEMENT,
    CONTEXT, QUERY and LOCATION lines take the level of the entry above them.
    """
    text = text.cast(pl.String)
    frame = text.alias("text").to_frame()
    offset: pl.Expr | int = 0
    if start is not None:
        starts = _chunked_like(start.cast(pl.UInt32).fill_null(0), text)
        frame = frame.with_columns(start=starts)
        offset = pl.col("start")
    window = pl.col("text").str.slice(offset, HEADER_WINDOW)
    # The shares are those of the lines that have a header (a stamp) where starts are given:
    # a banner or a stack trace says nothing of how the headers write their levels.
    headed = frame if start is None or not start.null_count() else frame.filter(start.is_not_null())
    sample = headed.gather_every(max(1, headed.height // _SAMPLE)) if headed.height else headed
    shares = sample.select(
        window.str.extract(_LEADING_WORD, 1).is_not_null().mean().alias("word"),
        window.str.contains(_LETTER).mean().alias("letter"),
    ).row(0, named=True)
    if shares["letter"] and shares["letter"] < LETTER_SHARE:
        # (the share of the lines no other form gives a level: a bootloader's `I: ...` lines
        # before its firmware's `<inf>` ones, MCUboot's before Zephyr's)
        shares["letter"] = (
            sample.filter(~sample.select(window.str.contains(_HEADER_LEVEL)).to_series())
            .select(window.str.contains(_LETTER).mean())
            .item()
        )
    place = None
    # Fields glued in brackets (`][component][I] ...`) are fields apart.
    spaced = window.str.replace_all("][", "] [", literal=True)
    if shares["letter"] is None or shares["letter"] < LETTER_SHARE:
        place = letter_place(sample.select(spaced).to_series())
    if shares["letter"] is not None and shares["letter"] >= LETTER_SHARE:
        header = _with_letters(frame, window)
    elif place is not None:
        header = _with_letters(frame, spaced, letter_at(*place))
    elif shares["word"] is not None and shares["word"] >= _FAST_SHARE:
        header = _leading_levels(frame, start, window)
    else:
        header = _general_levels(frame, window, pl.col("text").str.slice(offset, _FAR_WINDOW))
    # Most logs have no line-start level form: a cheap test skips the capturing pass. The
    # form may open the body too (klog's `E0314 ...` after syslog's `kubelet[1322]: `).
    place = pl.col("text")
    if (
        start is not None
        and not frame.select(place.str.contains(_LINE_START_LEVEL).any()).item()
        and sample.select(window.str.contains(_LINE_START_LEVEL).any()).item()
    ):
        place = window  # (a sample first: cutting every line's window costs a pass)
    if frame.select(place.str.contains(_LINE_START_LEVEL).any()).item():
        line_start = place.str.extract_groups(_LINE_START_LEVEL)
        priority = line_start.struct.field("priority").cast(pl.Int32, strict=False) % 8
        lettered = pl.coalesce(
            line_start.struct.field("tornado"),
            line_start.struct.field("esp"),
            line_start.struct.field("colon"),
            line_start.struct.field("tegra"),
        ).str.to_lowercase()
        level = pl.coalesce(
            normalise(priority.cast(pl.String)),
            normalise(line_start.struct.field("glog")),
            lettered.replace_strict(LETTER_LEVELS, default=None, return_dtype=pl.String),
            _samba(line_start.struct.field("samba")),
            pl.col("_header"),
        )
        header = (
            frame.with_columns(_header=_chunked_like(header, text))
            .select(level.alias("level"))
            .to_series()
        )
    if start is not None and sample.height:
        # A relay's file: its stamp and the sender, then the sender's message with its PRI
        # (syslog-ng's `${R_ISODATE} ${SOURCEIP} ${RAWMSG}`): the PRI's severity first.
        share = sample.select(window.str.contains(_RELAYED_PRI).mean()).item()
        if share is not None and share >= LETTER_SHARE:
            relayed = window.str.extract(_RELAYED_PRI, 1).cast(pl.Int32, strict=False) % 8
            header = (
                frame.with_columns(_header=_chunked_like(header, text))
                .select(pl.coalesce(normalise(relayed.cast(pl.String)), pl.col("_header")))
                .to_series()
            )
    if (header == PART).any():
        header = _parts_take_level_above(header, start)
    return header.alias("level")


# java.util.logging's SimpleFormatter writes two lines: the stamp, class and method, then
# `SEVERE: message`. An entry whose first line has no level takes one that opens its second.
_SECOND_LINE = ascii_classes(rf"^[^\n]*\n[ \t]*({_LEVEL_WORDS}):\s")


def level_of_second_line(message: pl.Series) -> pl.Series:
    """Return the level an upper-case level word and a colon open each message's second line
    with (java.util.logging's `SEVERE: ...`), null where none."""
    return (
        message.cast(pl.String)
        .str.extract(_SECOND_LINE, 1)
        .replace_strict(_WORD_LEVEL, default=None, return_dtype=pl.String)
        .alias("level")
    )


def _with_letters(frame: pl.DataFrame, window: pl.Expr, regex: str = _LETTER) -> pl.Series:
    """Return each row's level from the severity letter after its stamp (by `regex`), or the
    general way for rows without one."""
    found = window.str.extract_groups(regex)
    letter = found.struct.field("letter")
    for other in ("bracketed", "bare", "glued"):
        if f"(?P<{other}>" in regex:
            letter = pl.coalesce(found.struct.field(other), letter)
    level = letter.str.to_lowercase().replace_strict(
        LETTER_LEVELS, default=None, return_dtype=pl.String
    )
    if "(?P<audit>" in regex:
        # (WebSphere's audit events are informational)
        level = (
            pl.when(found.struct.field("audit").is_not_null()).then(pl.lit("INFO")).otherwise(level)
        )
    letters = frame.select(level).to_series()
    missing = letters.is_null()
    if missing.any():
        found = _general_levels(frame.filter(missing), window)
        letters = letters.scatter(missing.arg_true(), found)
    return letters


def _parts_take_level_above(level: pl.Series, start: pl.Series | None) -> pl.Series:
    """Return `level` with each PART row given the level of the entry above it (the nearest
    row above that is neither a part nor a continuation line, whose `start` is null)."""
    is_part = level == PART
    anchor = ~is_part
    if start is not None:
        anchor = anchor & start.is_not_null()
    frame = pl.DataFrame({"level": level, "anchor": anchor.fill_null(True)})
    # The row number of the entry above, not its level: an entry above without a level gives
    # its parts none (a fill of levels would reach past it to an older entry's).
    above = pl.when(pl.col("anchor")).then(pl.int_range(pl.len(), dtype=pl.UInt32))
    return frame.select(
        pl.when(pl.col("level") == PART)
        .then(pl.col("level").gather(above.forward_fill()))
        .otherwise(pl.col("level"))
    ).to_series()
