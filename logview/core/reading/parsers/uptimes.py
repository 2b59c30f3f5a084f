"""Lines that open with a time since boot or start, or a badge, and no clock: where enough of
a source's lines do, they mark where its entries start (`uptime_starts`), in text without
stamps; and among stamped lines such a line is another writer's record (`SINCE_START`).
"""

from __future__ import annotations

import polars as pl

from logview.core.reading.parsers.terminal import KERNEL_UPTIME
from logview.core.shared.regex import ascii_classes

# ESP-IDF's log lines before its clock is set: a level letter, milliseconds since boot in
# parentheses, the tag (`I (38921) wifi:state: init -> auth`).
_TICKS = ascii_classes(r"^[EWIDV] \(\d+\) [^\s:]+:")
# The JVM's unified logging (`-Xlog`) with its default decorations: seconds since the JVM
# started, the level, the tags (`[3.912s][info][gc] GC(0) Pause Young ...`).
_JVM_UPTIME = ascii_classes(
    r"^\[\d+\.\d+s\]\[[a-z]+ *\]"
    # (and defmt's, as probe-rs prints a device's: seconds since boot, the level, `0.000152 DEBUG
    # ...`; the tool's own lines `(HOST) INFO  flashing ...`)
    r"|^(?:\(HOST\)|\d+\.\d{6}) (?:TRACE|DEBUG|INFO|WARN|ERROR) "
    # (and OpenOCD's debug log: the level padded, a count, milliseconds since start, where)
    r"|^(?:Debug|Info |Warn |Error|User ): \d+ \d+ [\w./-]+:\d+ \w+\(\): "
)
# (both open a record of their own among another writer's stamped lines)
SINCE_START = f"{_TICKS}|{_JVM_UPTIME}"
# Cisco's devices without a clock stamp with their uptime (`service timestamps log uptime`),
# after a sequence number maybe: `000409: 6d23h: %LINK-3-UPDOWN: ...`, `1w0d:`, `00:01:23:`.
_CISCO_UPTIME = ascii_classes(
    r"^(?:\d+: )?[*.]?(?:\d+[wy]\d+[dw]|\d+d\d+h|\d{2}:\d{2}:\d{2}): %[A-Z]"
)
# Metro's (React Native's, Expo's) forwarded console calls, their badge a space, the level
# in capitals and two spaces (` LOG  [api] GET ...`, ` ERROR  TypeError: ...`): no time, but
# each opens a message whose own lines (a stack, a component stack, blank lines) follow.
_METRO_BADGE = ascii_classes(
    r"^ (?:LOG|INFO|WARN|ERROR|DEBUG|TRACE)  \S"
    # (and nRF5 SDK's nrf_log, its level in angle brackets and the module: `<error> app: ...`,
    # an error report's `PC at: 0x0002F1C3` line after it)
    r"|^<(?:error|warning|info|debug)> [\w.-]+: "
)
# Where a third of the lines open with an uptime (or such a badge), they mark where entries
# start (a terminal capture's command and headers around them count against it).
_UPTIME_SHARE = 1 / 3
_UPTIME = "|".join((KERNEL_UPTIME, _TICKS, _JVM_UPTIME, _CISCO_UPTIME, _METRO_BADGE))


def uptime_starts(text: pl.Series) -> pl.Series | None:
    """Return which of `text` open with an uptime or a badge (`_UPTIME`), or None where fewer
    than a third of the lines not indented do (a backtrace's frames under one count for
    nothing)."""
    uptime = text.str.contains(_UPTIME)
    flush = text.str.contains(r"^\S")
    if not uptime.any() or uptime.sum() < _UPTIME_SHARE * flush.sum():
        return None
    return uptime
