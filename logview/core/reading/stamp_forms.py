"""Stamp layouts ("forms"): one regex per way of writing a date and time, with named parts.

The named groups are the parts of a stamp (`Y` year, `y` two-digit year, `m` month, `b` month
name, `d` day, `H` `M` `S` time, `f` fraction, `ms` milliseconds after a colon, `p` AM/PM, `z`
offset, `Z` a literal UTC, `N` a zone abbreviation, `E` epoch digits, `T` `n` a TAI64N label,
`X` `x` hexadecimal epoch seconds and their fraction).
`logview.core.reading.stamp_rules` turns them into datetimes; `logview.core.reading.timestamps` chooses and
reads a layout; `logview.core.reading.stamp_search` finds where lines carry it.
"""

from __future__ import annotations

from dataclasses import dataclass

from logview.core.reading import zones
from logview.core.shared.regex import ascii_classes

# Some writers do not zero-pad the time ("22:16:0:119"), so 1-2 digits are read.
_HMS = r"(?P<H>\d{1,2}):(?P<M>\d{1,2}):(?P<S>\d{1,2})"
# ... and after a full numeric date, a time may stop at the minute (its minutes then padded:
# a line cut at `06:3` is no stamp).
_HM_S = r"(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{1,2}))?"
# (after a colon too: SSSD's `19:40:17:118213`, Acronis's `02:00:04:311`)
_FRACTION = r"(?:[.,:](?P<f>\d{1,9}))?"
# Node 20's ICU (`toLocaleString`, NestJS's logger) writes a narrow no-break space before AM/PM.
_SPACE = "[ \u202f]"
_AM_PM = rf"(?:{_SPACE}?(?P<p>[AaPp][Mm]))?"
# After an ISO-like stamp only a spaced, one-case AM/PM is one (`03:04:05 PM`, .NET's `tt`).
_SPACED_AM_PM = rf"(?:{_SPACE}(?P<p>AM|PM|am|pm))?"
_NAMED_ZONE = rf"(?P<N>{zones.names_regex()})"
# An offset comes first so that `GMT+0100` is read whole; hours alone (`+01`, PostgreSQL's
# timestamptz) only right after the stamp, where `-12` cannot be a message's number.
_ZONE = (
    rf"(?:(?P<z> ?(?:UTC|GMT)?[+-]\d{{2}}:?\d{{2}}|[+-]\d{{2}})|(?P<Z>Z| ?UTC| ?GMT)"
    rf"| {_NAMED_ZONE}| (?P<I>{zones.iana_regex()}))?"
)
_MON = r"(?P<b>[A-Za-z]{3})"
MONTHS = {
    name: i + 1
    for i, name in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
    )
}


@dataclass(frozen=True)
class Form:
    name: str
    label: str
    regex: str  # the stamp alone, with named parts; no anchors
    epoch_digits: int = 0  # for epochs: 10 (s), 13 (ms), 16 (us), 19 (ns)
    # A line that starts with this stamp starts an entry whatever the source's layout (see
    # stamp_search.read_other_stamps): false for bare numbers, which a message line may start
    # with as well (a count, a row of figures).
    starts_entries: bool = True
    # The year may be left out (`Y` optional in the regex): a stamp without one takes it by
    # the year rule, as a form without a year does.
    year_optional: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "regex", ascii_classes(self.regex))


def _numeric_date(first: str, second: str, year: str = r"(?P<Y>\d{4})") -> str:
    return (
        # `/` or `-` between the parts; Suricata's fast.log has a `-` before the time;
        # WebSphere writes milliseconds after a colon (`9:26:53:589`). Tables of date and
        # time columns put a spaced `-` or `|` between them (the Source engine's server
        # logs: `L 03/14/2024 - 09:26:53:`; ipmitool's event list: `03/14/2024 | 09:26:53`).
        # An access log's stamp with the month as a number (Proxmox's pveproxy) has CLF's colon:
        # `[14/03/2024:10:20:12 +0100]`. Suricata's engine log: `14/3/2024 -- 09:20:58`.
        # Exports to the minute write no seconds (HPE iLO's `03/14/2024 09:34`). Columns aligned
        # put a few spaces between them (Lenovo XCC's `readlog`: `03/14/2024   10:22:51`).
        # signale (Node; Nginx Proxy Manager) brackets each: `[6/12/2024] [8:14:22 AM]`.
        rf"(?P<{first}>\d{{1,2}})[/-](?P<{second}>\d{{1,2}})[/-]{year}"
        # (Skype for Business's UccApi log glues a `|` between them: `06/12/2024|09:31:05.117`)
        r"(?:,? {1,4}| (?:-|--|\|) |[T:|-]|\] \[)"
        rf"{_HM_S}(?::(?P<ms>\d{{3}})|[.,](?P<f>\d{{1,9}}))?{_AM_PM}{_ZONE}"
    )


# Order matters on a tie: the first form reading as many sampled values wins. In lines, the
# first form matching at a place is the one found there (see stamp_search).
FORMS: tuple[Form, ...] = (
    Form(
        "iso8601",
        "ISO 8601",
        # (apt's history.log puts two spaces between the date and the time; IBM Storage
        # Scale's mmfs.log an underscore: `2024-03-14_09:20:02.118+0100`; `zpool history` a dot;
        # the classic WindowsUpdate.log a tab; HPE Aruba AOS-CX's debug buffer a colon:
        # `2024-06-28:14:20:05.118342`; a semicolon-separated file's date and time columns,
        # Citrix Profile Management's `2024-06-28;08:01:09.127;INFORMATION;...`)
        rf"(?P<Y>\d{{4}})-(?P<m>\d{{2}})-(?P<d>\d{{2}})(?:[T _.\t:;]|  |, ){_HMS}{_FRACTION}"
        rf"{_SPACED_AM_PM}{_ZONE}",
    ),
    Form(
        "ymd-dotted",
        "yyyy-MM-dd-HH.mm.ss.ffffff",
        # DB2's db2diag.log ends it with its offset from UTC in minutes: `+060`.
        r"(?P<Y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})-(?P<H>\d{2})\.(?P<M>\d{2})\.(?P<S>\d{2})"
        r"(?:\.(?P<f>\d{1,9}))?(?P<zm>[+-]\d{3})?",
    ),
    Form(
        "ymd-slashed",
        "yyyy/MM/dd HH:mm:ss",
        # (Pacemaker's resource agents: `2024/03/14_09:20:11`; a Windows failover cluster's
        # log: `2024/03/14-09:22:40.118`; Go's Gin: `2024/03/14 - 09:22:15`; a CLI's table of
        # date and time columns, a few spaces apart: Moxa's `2024/03/13  22:10:04`; Progress
        # OpenEdge's database log: `[2024/03/14@06:58:02.114+0100]`)
        # (and to the minute, a 12-hour clock's AM/PM glued to it: zerolog's console writer
        # in Portainer, `2024/06/21 01:05PM WRN ...`)
        rf"(?P<Y>\d{{4}})/(?P<m>\d{{2}})/(?P<d>\d{{2}})(?:[T_@-]| {{1,4}}| - ){_HM_S}(?:[.,](?P<f>\d{{1,9}}))?"
        rf"(?:{_SPACE}?(?P<p>AM|PM|am|pm))?{_ZONE}",
    ),
    # Dotted dates, with a dotted or colon clock: `2024.03.14 09:26:50` and Unreal Engine's
    # `2024.03.14-08.26.50:412` (milliseconds after the colon).
    Form(
        "ymd-dots",
        "yyyy.MM.dd HH:mm:ss",
        r"(?P<Y>\d{4})\.(?P<m>\d{2})\.(?P<d>\d{2})[- T](?P<H>\d{2})[.:](?P<M>\d{2})[.:]"
        r"(?P<S>\d{2})(?::(?P<ms>\d{1,3})|[.,](?P<f>\d{1,9}))?",
    ),
    # Sophos UTM (Astaro) writes its date with colons: `2024:03:14-09:26:53`.
    Form(
        "ymd-colons",
        "yyyy:MM:dd-HH:mm:ss",
        rf"(?P<Y>\d{{4}}):(?P<m>\d{{2}}):(?P<d>\d{{2}})-{_HMS}",
    ),
    # ISO 8601's basic format and its kin: `20240314T092653Z`, Zabbix's `20240314:092653.589`.
    Form(
        "ymd-basic",
        "yyyyMMddTHHmmss",
        # (a space too: Network UPS Tools' upslog, `20240314 092005`)
        rf"(?P<Y>\d{{4}})(?P<m>\d{{2}})(?P<d>\d{{2}})[T: -](?P<H>\d{{2}})(?P<M>\d{{2}})(?P<S>\d{{2}})"
        rf"(?:[.,](?P<f>\d{{1,9}}))?{_ZONE}",
    ),
    # Date and time in one run of digits, a fraction after it (LXC's log: `lxc-start web01
    # 20240314092653.412 INFO conf - ...`); without the fraction, fourteen digits are as often
    # an id.
    Form(
        "ymd-digits",
        "yyyyMMddHHmmss.SSS",
        r"(?P<Y>\d{4})(?P<m>\d{2})(?P<d>\d{2})(?P<H>\d{2})(?P<M>\d{2})(?P<S>\d{2})"
        r"\.(?P<f>\d{3,9})",
    ),
    # Chromium's (Chrome, Electron, CEF) `[pid:tid:0314/092653.589:INFO:file.cc(12)]`, no year.
    Form(
        "md-compact",
        "MMdd/HHmmss.SSS",
        r"(?P<m>\d{2})(?P<d>\d{2})/(?P<H>\d{2})(?P<M>\d{2})(?P<S>\d{2})(?:\.(?P<f>\d{1,9}))?",
    ),
    Form(
        "yymmdd-slashed",
        "yy/MM/dd HH:mm:ss",
        rf"(?P<y>\d{{2}})/(?P<m>\d{{2}})/(?P<d>\d{{2}}) {_HMS}(?:[.,](?P<f>\d{{1,9}}))?",
    ),
    Form(
        "ymd-compact",
        "yyyyMMdd-HH:mm:ss:SSS",
        # After a colon the digits count milliseconds ("29:6" is 6 ms), not a decimal fraction.
        rf"(?P<Y>\d{{4}})(?P<m>\d{{2}})(?P<d>\d{{2}})[-T ]{_HMS}"
        r"(?::(?P<ms>\d{1,3})|[.,](?P<f>\d{1,9}))?",
    ),
    Form(
        "yymmdd-compact",
        "yyMMdd HHmmss",
        r"(?P<y>\d{2})(?P<m>\d{2})(?P<d>\d{2}) (?P<H>\d{2})(?P<M>\d{2})(?P<S>\d{2})",
        starts_entries=False,
    ),
    Form(
        "clf",
        "dd/MMM/yyyy:HH:mm:ss",
        # Some writers put a space where CLF has its colon: `06/Mar/2023 18:34:17`.
        rf"(?P<d>\d{{2}})/{_MON}/(?P<Y>\d{{4}})[: ]{_HMS}(?:\.(?P<f>\d{{1,9}}))?"
        r"(?P<z> [+-]\d{4})?",
    ),
    Form(
        "ctime",
        "ctime (Sun Dec 04 04:47:44 2005)",
        # `date` writes its zone (and, in 12-hour locales, AM/PM) before the year.
        rf"[A-Za-z]{{3}} {_MON} {{1,2}}(?P<d>\d{{1,2}}) {_HMS}(?:\.(?P<f>\d{{1,9}}))?"
        rf"{_AM_PM}(?: (?:(?P<Z>UTC|GMT)|{_NAMED_ZONE}))? (?P<Y>\d{{4}})",
    ),
    Form(
        "java",
        "MMM dd, yyyy h:mm:ss a",
        # WebLogic adds milliseconds after a comma and a zone: `Mar 24, 2022 10:29:56,637 AM GMT`;
        # Java 9+ (CLDR) a comma after the year: `Mar 14, 2024, 10:20:36 AM`; Kibana's default
        # an `@`: `Mar 14, 2024 @ 09:31:07.415`.
        rf"{_MON} (?P<d>\d{{1,2}}), (?P<Y>\d{{4}})(?:,| @)? "
        rf"(?P<H>\d{{1,2}}):(?P<M>\d{{2}}):(?P<S>\d{{2}}){_FRACTION}{_AM_PM}{_ZONE}",
    ),
    # Network gear writes a zone after a syslog-style stamp (Cisco IOS: `Mar 14 09:26:50.101
    # CET:`). A form of its own, tried first, that reads only stamps with one: the zone's
    # alternatives cost a third of the time of reading plain syslog stamps.
    Form(
        "syslog-zoned",
        "syslog with a zone (MMM dd HH:mm:ss zzz)",
        rf"{_MON} {{1,2}}(?P<d>\d{{1,2}}) {_HMS}(?:\.(?P<f>\d{{1,9}}))?{_ZONE[:-1]}",
    ),
    # Monit writes the zone first: `[PDT Mar 14 02:20:11]` (strftime's `%Z %b %e %T`).
    Form(
        "zone-syslog",
        "zzz MMM dd HH:mm:ss",
        rf"(?:(?P<Z>UTC|GMT)|{_NAMED_ZONE}) {_MON} {{1,2}}(?P<d>\d{{1,2}}) {_HMS}",
    ),
    # HPE's (H3C's) Comware: milliseconds after a colon, then the year (`%Mar 14 06:12:44:091
    # 2024 HPE5130 SSHS/3/...`, its `display logbuffer`).
    Form(
        "syslog-ms-year",
        "MMM dd HH:mm:ss:SSS yyyy",
        rf"{_MON} {{1,2}}(?P<d>\d{{1,2}}) {_HMS}:(?P<ms>\d{{3}}) (?P<Y>\d{{4}})",
    ),
    Form(
        "syslog",
        "syslog (MMM dd HH:mm:ss)",
        rf"{_MON} {{1,2}}(?P<d>\d{{1,2}}) {_HMS}(?:\.(?P<f>\d{{1,9}}))?",
    ),
    # MikroTik RouterOS 6's `/log print`: `mar/13 23:41:09`, and `jan/02/1970 00:00:12` for a
    # year other than the current one (today's entries show the time alone).
    Form(
        "mon-slashed",
        "MMM/dd HH:mm:ss",
        rf"{_MON}/(?P<d>\d{{2}})(?:/(?P<Y>\d{{4}}))? {_HMS}",
        year_optional=True,
    ),
    Form(
        "epoch-s",
        "epoch seconds",
        r"(?P<E>\d{10})(?:\.(?P<f>\d{1,9}))?",
        10,
        starts_entries=False,
    ),
    # (a fraction of a millisecond too: Kubernetes components' JSON `"ts":1710408063512.3372`)
    Form(
        "epoch-ms",
        "epoch milliseconds",
        r"(?P<E>\d{13})(?:\.(?P<f>\d{1,6}))?",
        13,
        starts_entries=False,
    ),
    Form("epoch-us", "epoch microseconds", r"(?P<E>\d{16})", 16, starts_entries=False),
    Form("epoch-ns", "epoch nanoseconds", r"(?P<E>\d{19})", 19, starts_entries=False),
    # Cisco ASA: `Mar 24 2022 10:29:56`.
    Form(
        "syslog-year",
        "MMM dd yyyy HH:mm:ss",
        # JavaScript's Date.toString: `Mon Mar 06 2023 18:34:17 GMT+0100`.
        rf"(?:[A-Za-z]{{3}} )?{_MON} {{1,2}}(?P<d>\d{{1,2}}) (?P<Y>\d{{4}}) {_HMS}{_FRACTION}"
        rf"{_ZONE}",
    ),
    # OSSEC's and Wazuh's alerts: the year first, then the month's name (`2024 Jun 28 09:14:22`).
    Form(
        "year-syslog",
        "yyyy MMM dd HH:mm:ss",
        rf"(?P<Y>\d{{4}}) {_MON} {{1,2}}(?P<d>\d{{1,2}}) {_HMS}{_FRACTION}",
    ),
    # MySQL 5.x error log: `161209 14:18:50`, an hour before 10 padded with a space.
    Form(
        "yymmdd-time",
        "yyMMdd H:mm:ss",
        r"(?P<y>\d{2})(?P<m>\d{2})(?P<d>\d{2}) {1,2}(?P<H>\d{1,2}):(?P<M>\d{2}):(?P<S>\d{2})",
    ),
    # Android logcat (threadtime, time): `03-17 16:13:38.811`, no year; log15's terminal
    # format (go-ethereum and other Go services) joins them with a bar: `[03-14|09:26:53.589]`.
    # (Tizen's dlogutil writes the offset after it: `06-28 21:14:03.512+0900`)
    Form(
        "md-dashed",
        "MM-dd HH:mm:ss.SSS",
        rf"(?P<m>\d{{2}})-(?P<d>\d{{2}})[ |]{_HMS}{_FRACTION}{_ZONE}",
    ),
    # `[10.30 16:49:06]`, no year.
    Form("md-dotted", "MM.dd HH:mm:ss", rf"(?P<m>\d{{2}})\.(?P<d>\d{{2}}) {_HMS}{_FRACTION}"),
    # Tomcat's catalina.out: `06-Mar-2023 18:34:17.383`.
    Form(
        "dmy-named",
        "dd-MMM-yyyy HH:mm:ss.SSS",
        # RabbitMQ before 3.7: `=INFO REPORT==== 6-Mar-2023::18:34:17 ===`; Check Point's log
        # exports glue the parts, `28Jun2024` (with the time in a column of its own)
        rf"(?P<d>\d{{1,2}})-?{_MON}-?(?P<Y>\d{{4}})(?: |::){_HMS}{_FRACTION}{_ZONE}",
    ),
    # Boost.Date_Time's `to_simple_string` (`2024-Jun-11 09:14:03.118204`, `%Y-%b-%d`): C++
    # programs' logs (Boost.Log's default stamp, Nordic's nrfjprog, Ripple's rippled).
    Form(
        "ymd-named",
        "yyyy-MMM-dd HH:mm:ss.ffffff",
        rf"(?P<Y>\d{{4}})-{_MON}-(?P<d>\d{{2}})[ T]{_HMS}{_FRACTION}",
    ),
    # Bacula's messages: the day and the month's name, no year, to the minute (`14-Mar 09:20`,
    # strftime's `%d-%b %H:%M`).
    Form(
        "dm-named",
        "dd-MMM HH:mm",
        r"(?P<d>\d{1,2})-" + _MON + r" (?P<H>\d{2}):(?P<M>\d{2})(?::(?P<S>\d{2}))?",
    ),
    # The month's name and the day, no year, to the minute (`Jun 12 10:41`, strftime's `%b %e
    # %H:%M`): PowerShell's `Get-EventLog` table, `last`'s logins. After the forms with seconds,
    # which read a stamp that has them first.
    Form(
        "syslog-minute",
        "MMM dd HH:mm",
        rf"{_MON} {{1,2}}(?P<d>\d{{1,2}}) (?P<H>\d{{2}}):(?P<M>\d{{2}})",
    ),
    # The month's name first, with dashes (strftime's `%b-%d-%Y`): FreeIPMI's `ipmi-sel`
    # writes it in a table beside the time, `Mar-14-2024 | 09:20:44`.
    Form(
        "mdy-named",
        "MMM-dd-yyyy HH:mm:ss",
        rf"{_MON}-(?P<d>\d{{1,2}})-(?P<Y>\d{{4}})(?: | \| |[T:]){_HMS}{_FRACTION}{_ZONE}",
    ),
    # Redis: `30 May 2023 12:50:13.457`, and before 3.0 `30 May 12:50:13.457` (no year); with
    # a weekday, RFC 2822's `Tue, 02 Jan 2024 03:04:05 +0000`.
    Form(
        "dmy-spaced",
        "dd MMM yyyy HH:mm:ss.SSS",
        # `date` in an English locale: `Thu 14 Mar 2024 07:20:01 PM AEST`.
        rf"(?:[A-Za-z]{{3}},? )?(?P<d>\d{{1,2}}) {_MON} (?P<Y>\d{{4}}) {_HMS}{_FRACTION}{_AM_PM}"
        rf"{_ZONE}",
    ),
    Form("dm-spaced", "dd MMM HH:mm:ss.SSS", rf"(?P<d>\d{{1,2}}) {_MON} {_HMS}{_FRACTION}"),
    # glog: a level letter, then month and day: `E0517 15:04:22.619632`, no year.
    Form(
        "glog",
        "glog (Lmmdd HH:mm:ss.uuuuuu)",
        rf"[IWEF](?P<m>\d{{2}})(?P<d>\d{{2}}) {_HMS}{_FRACTION}",
    ),
    # CockroachDB's crdb-v1/v2 layouts: glog's with the year, `I240314 09:26:53.589012`; glog
    # 0.7's with the whole year, `I20240314 09:26:41.228341`.
    Form(
        "glog-year",
        "glog with a year (LyyMMdd HH:mm:ss.uuuuuu)",
        rf"[IWEF](?:(?P<Y>\d{{4}})|(?P<y>\d{{2}}))(?P<m>\d{{2}})(?P<d>\d{{2}}) {_HMS}{_FRACTION}",
    ),
    # Snort's alert log: `01/02-03:04:05.123456`, no year; Commvault's logs: `03/14 09:20:40`.
    Form(
        "md-slashed",
        "MM/dd-HH:mm:ss.ffffff",
        rf"(?P<m>\d{{2}})/(?P<d>\d{{2}})[- ]{_HMS}{_FRACTION}",
    ),
    # Numeric dates with slashes: which number is the month is settled per source (module doc).
    Form("mdy", "MM/dd/yyyy HH:mm:ss", _numeric_date("m", "d")),
    Form("dmy", "dd/MM/yyyy HH:mm:ss", _numeric_date("d", "m")),
    # Two-digit years: C's `%x %X` (`03/14/24 09:26:53`), WebSphere's `[3/14/24 9:26:53:589 UTC]`.
    Form("mdy-short", "MM/dd/yy HH:mm:ss", _numeric_date("m", "d", r"(?P<y>\d{2})")),
    Form("dmy-short", "dd/MM/yy HH:mm:ss", _numeric_date("d", "m", r"(?P<y>\d{2})")),
    # A two-digit year first, ISO's order cut short (Home Assistant's Supervisor: `24-06-29
    # 09:13:58`). After dmy-short, so a search finds that one first at a place: which of the
    # three a source writes is settled by its file's date (`FILE_DATED`).
    Form(
        "yymmdd-dashed",
        "yy-MM-dd HH:mm:ss",
        rf"(?P<y>\d{{2}})-(?P<m>\d{{2}})-(?P<d>\d{{2}}) {_HMS}(?:[.,](?P<f>\d{{1,9}}))?",
    ),
    # (German and other European locales' short form too: the FRITZ!Box's `29.06.24 09:14:02`)
    Form(
        "dmy-dotted",
        "dd.MM.yyyy HH:mm:ss",
        rf"(?P<d>\d{{1,2}})\.(?P<m>\d{{1,2}})\.(?:(?P<Y>\d{{4}})|(?P<y>\d{{2}}))[ T]{_HMS}"
        rf"{_FRACTION}{_ZONE}",
    ),
    # daemontools, runit, s6: `@4000000063f3a7b51e8b4a44` (TAI64N: seconds, then nanoseconds).
    Form("tai64n", "TAI64N", r"@(?P<T>4[0-9a-fA-F]{15})(?P<n>[0-9a-fA-F]{8})"),
    # OpenLDAP's slapd (its debug output, its logfile): epoch seconds in hexadecimal, then the
    # nanoseconds (`65f2c2dd.00bdef0f`), or the microseconds where the system has no
    # clock_gettime (`65f2c2dd.0bdef`), as `%lx.%08x` and `%lx.%05x` write them. The first
    # digit says 1995 or later: Windows' cluster log opens with `00000e3c.00001a48::`, the
    # process's and thread's ids in hexadecimal.
    Form(
        "hex-epoch",
        "hexadecimal epoch seconds",
        r"(?P<X>[3-9a-f][0-9a-f]{7})\.(?P<x>[0-9a-f]{8}|[0-9a-f]{5})",
        starts_entries=False,
    ),
    # The time before the date: ausearch's text format, `On db02 at 09:20:07 03/14/2024 ...`
    # (strftime's `%T %x` in an English locale).
    Form(
        "time-mdy",
        "HH:mm:ss MM/dd/yyyy",
        rf"{_HMS} (?P<m>\d{{1,2}})/(?P<d>\d{{1,2}})/(?P<Y>\d{{4}})",
    ),
    # ... and before a day, the month's name and the year, a zone maybe (Niagara's station
    # output: `[06:02:11 28-Jun-24 EDT]`)
    Form(
        "time-dmy-named",
        "HH:mm:ss dd-MMM-yy",
        rf"{_HMS} (?P<d>\d{{1,2}})-{_MON}-(?:(?P<Y>\d{{4}})|(?P<y>\d{{2}})){_ZONE}",
    ),
    # A time of day alone (logback's default `HH:mm:ss.SSS`, `[12:34:56]`, Windows Installer's
    # `[09:21:03:512]` with its milliseconds after a colon): the date comes from the file (the
    # date rule). A message line may start with a time: it starts no entry.
    Form(
        "time",
        "HH:mm:ss (no date)",
        # (an offset glued to it: Console.app's copied messages, `14:31:07.402117+0200`)
        r"(?P<H>\d{2}):(?P<M>\d{2}):(?P<S>\d{2})(?::(?P<ms>\d{3})|[.,](?P<f>\d{1,9}))?"
        r"(?P<z>[+-]\d{2}:?\d{2})?",
        starts_entries=False,
    ),
    # The same on a 12-hour clock (`9:26:53.5891234 AM`, Windows tools' exports): the AM/PM
    # is what tells it from a 24-hour time.
    Form(
        "time-12h",
        "h:mm:ss a (no date)",
        r"(?P<H>\d{1,2}):(?P<M>\d{2}):(?P<S>\d{2})(?:[.,](?P<f>\d{1,9}))?"
        rf"{_SPACE}(?P<p>AM|PM|am|pm)",
        starts_entries=False,
    ),
)
TIME_OF_DAY_FORMS = frozenset({"time", "time-12h"})
# Layouts for a column of stamps: a time of day alone there is more likely beside a date
# column than a stamp of its own.
COLUMN_FORMS = tuple(form for form in FORMS if form.name not in TIME_OF_DAY_FORMS)
FORM_BY_NAME = {form.name: form for form in FORMS}
# The forms whose day and month order is settled per source, each with the other order.
ORDER_SIBLINGS = {"mdy": "dmy", "dmy": "mdy", "mdy-short": "dmy-short", "dmy-short": "mdy-short"}
# Forms that read the same text as others, as other fields: `03/14/24 09:26:53` is yy/MM/dd
# by its shape, but MM/dd/yy (or dd/MM/yy) by its values. Which one a source writes is settled
# by reading its sample with each.
SAME_TEXT = {"yymmdd-slashed": ("mdy-short", "dmy-short")}
# Forms reading the same text as others, whose choice a file's date settles where the stamps
# do not: of the readings, the one whose last stamp falls in the year before the file was
# last written (see `timestamps._read_all`).
FILE_DATED = {
    **{name: ("mdy", "dmy") for name in ("mdy", "dmy")},
    **{
        name: ("mdy-short", "dmy-short", "yymmdd-slashed", "yymmdd-dashed")
        for name in ("mdy-short", "dmy-short", "yymmdd-slashed", "yymmdd-dashed")
    },
}
# Of those, the forms that read the month first.
MONTH_FIRST = frozenset({"mdy", "mdy-short"})

# A stamp ends at a word boundary: "1117838570" must not be the first 10 digits of a 13-digit
# number, nor "10:00:00" the start of "10:00:001".
END = r"(?-u:\b)"
