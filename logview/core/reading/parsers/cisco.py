"""Cisco ASA (and PIX, FWSM, Firepower Threat Defense) syslog messages.

Each message carries `%ASA-<severity>-<id>: text` (`%FTD-`, `%PIX-`, `%FWSM-` likewise), behind
what the device or the collecting syslog server put first: the device's own stamp (`Mar 24
2022 10:29:56: %ASA-4-106023: Deny tcp src ...`, with `logging timestamp`), or a syslog
header with a host (`Mar 24 10:29:56 fw01 %ASA-...`, `<164>Mar 24 2022 10:29:56 fw01 :
%ASA-...`), or nothing. The level is the severity digit as syslog's (0-2 FATAL, 3 ERROR,
4 WARN, 5-6 INFO, 7 DEBUG). Fields: host, facility (`ASA`), message_id (`106023`). The body
is the text after the message id. Other lines are entries of their own.
"""

from __future__ import annotations

import polars as pl

from logview.core.reading.formats import Format, ParseContext, Sample
from logview.core.reading.parsers.headed import (
    entries_from_starts,
    header_parts,
    iso_text,
    map_levels,
    month_day_text,
    month_number,
    present_fields,
    read_stamps,
    sample_text,
    scored,
    zone_offset,
    zone_table,
)
from logview.core.shared.regex import ascii_classes, compiled
from logview.core.shared.table import TS, empty_parsed

LEVELS = {"0": "FATAL", "1": "FATAL", "2": "FATAL", "3": "ERROR", "4": "WARN", "5": "INFO",
          "6": "INFO", "7": "DEBUG"}  # fmt: skip
HEADER = ascii_classes(
    r"^(?P<pre>[^%\n]{0,160}?)%(?P<facility>ASA|PIX|FWSM|FTD)-(?:[A-Za-z]+-)?"
    r"(?P<severity>[0-7])-(?P<message_id>\d{6}): ?"
)
_HEADER_RE = compiled(HEADER)
_SIGNATURE = compiled(r"%(?:ASA|PIX|FWSM|FTD)-")
# What may come before the message id: a priority, a stamp (with or without a year, or ISO),
# a zone, a host, with the colons devices and servers put between them. A syslog server that
# relays the device's line whole puts its own ISO stamp and the sender first (rsyslog's
# `RSYSLOG_FileFormat` with the raw message: `2024-03-14T10:21:03.518812+01:00 10.20.0.1 Mar
# 14 2024 09:21:03 ftd-edge01 : %FTD-...`; Kiwi Syslog's tab-separated columns, `2024-03-14
# 09:20:01<TAB>Local4.Info<TAB>10.20.0.1<TAB>Mar 14 2024 ...`): the stamp the file is ordered
# by is the relay's.
_PRE = ascii_classes(
    r"^(?:<\d{1,3}>)?\s*"
    r"(?:(?P<iso>\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:?\d{2})?)"
    r"(?:[ \t](?:[A-Za-z0-9]+\.[A-Za-z]+\t)?(?P<relay>[^\s:%]+))?[ \t]?)?"
    r"(?:(?P<b>[A-Z][a-z]{2}) +(?P<d>\d{1,2})(?: (?P<Y>\d{4}))?"
    r" (?P<time>\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?))?"
    r"(?: (?P<zone>[A-Z]{3,4}))?:?(?: ?(?P<host>[^\s:%]+))?(?: ?:)? ?$"
)


def sniff(sample: Sample) -> float:
    """Return 0.9 when 60% of the sampled lines hold a `%ASA-4-106023:` message id near
    their start (above syslog's 0.75-0.85), else 0."""
    if _SIGNATURE.search(sample_text(sample)) is None:
        return 0.0
    return scored(
        sum(1 for line in sample.lines if _HEADER_RE.match(line)) / max(1, len(sample.lines)), 0.9
    )


def parse_cisco(lines: pl.DataFrame, ctx: ParseContext) -> pl.DataFrame:
    """Return one entry per message (see the module)."""
    if lines.height == 0:
        return empty_parsed()
    text = lines["text"]
    parts = header_parts(text, HEADER)
    matched = parts["h"].is_not_null()
    pre = parts["pre"].str.extract_groups(_PRE).struct.unnest()
    stamps = pre.with_columns(_zone=zone_offset(pl.col("zone"), zone_table(pre["zone"], ctx)))
    month = month_number(pl.col("b"))
    ts = pl.Series("ts", [None] * text.len(), dtype=TS)
    if stamps["iso"].null_count() < stamps.height:
        ts = read_stamps(stamps, pl.col("iso"), ctx)
    if stamps["Y"].null_count() < stamps.height:
        iso = iso_text(pl.col("Y"), month, pl.col("d"), pl.col("time"), pl.col("_zone"))
        dated = pl.col("Y").is_not_null() & pl.col("iso").is_null()
        ts = ts.fill_null(read_stamps(stamps, pl.when(dated).then(iso), ctx))
    yearless = pl.col("time").is_not_null() & pl.col("Y").is_null() & pl.col("iso").is_null()
    if stamps.select(yearless.any()).item():
        text_yearless = month_day_text(month, pl.col("d"), pl.col("time"))
        ts = ts.fill_null(read_stamps(stamps, pl.when(yearless).then(text_yearless), ctx))
    columns = parts.select(
        map_levels(pl.col("severity"), LEVELS).alias("level"),
        # Without a device header after the ISO stamp, the name after it is the device's.
        pl.lit(pre["host"].fill_null(pre["relay"])).alias("host"),
        "facility",
        "message_id",
        pl.col("h").str.len_chars().cast(pl.UInt32).alias("body_at"),
    ).with_columns(ts=ts)
    return entries_from_starts(lines, matched, present_fields(columns), joins="indented", ctx=ctx)


FORMATS: list[Format] = [Format("cisco-asa", "Cisco ASA / FTD", sniff, parse_lines=parse_cisco)]
