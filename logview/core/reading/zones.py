"""Zone abbreviations written after a stamp (`CEST`, `PDT`, `JST`), and zones spelled out
(`Central European Standard Time`): their offsets from UTC.

Most abbreviations name one offset. A few name several zones (`IST` is India, Ireland and
Israel; `CST` US Central, China and Cuba; `BST` British summer time and Bangladesh; `AST`
Atlantic and Arabia). Those are never read silently: when the source's zone (the user's
setting) is a zone that writes the abbreviation, they are read in that zone; otherwise they
are read as the most common meaning in logs (below) and a note on the source says so.
"""

from __future__ import annotations

import functools
import zoneinfo
from collections.abc import Iterable
from datetime import UTC, datetime

# Minutes east of UTC. `UTC`, `GMT` and `Z` are read by the layouts themselves.
OFFSETS: dict[str, int] = {
    "WET": 0, "WEST": 60, "CET": 60, "CEST": 120, "MET": 60, "MEST": 120, "EET": 120,
    "EEST": 180, "MSK": 180,
    "SAST": 120, "IDT": 180,
    "EST": -300, "EDT": -240, "CDT": -300, "MST": -420, "MDT": -360, "PST": -480, "PDT": -420,
    "AKST": -540, "AKDT": -480, "HST": -600, "ADT": -180, "NST": -210, "NDT": -150,
    "JST": 540, "KST": 540, "HKT": 480, "SGT": 480, "PHT": 480, "WIB": 420,
    "AWST": 480, "ACST": 570, "ACDT": 630, "AEST": 600, "AEDT": 660, "NZST": 720, "NZDT": 780,
}  # fmt: skip
# Zones spelled out, as Java's `zzzz` (CLDR's long names: WebLogic, Tomcat, JBoss) and
# Windows tools write them: each name one offset.
OFFSETS |= {
    "Coordinated Universal Time": 0, "Greenwich Mean Time": 0, "British Summer Time": 60,
    "Irish Standard Time": 60,
    "Western European Standard Time": 0, "Western European Summer Time": 60,
    "Central European Standard Time": 60, "Central European Summer Time": 120,
    "Eastern European Standard Time": 120, "Eastern European Summer Time": 180,
    "Moscow Standard Time": 180, "Israel Standard Time": 120, "Israel Daylight Time": 180,
    "South Africa Standard Time": 120, "India Standard Time": 330,
    "China Standard Time": 480, "Hong Kong Standard Time": 480, "Singapore Standard Time": 480,
    "Japan Standard Time": 540, "Korean Standard Time": 540,
    "Australian Western Standard Time": 480, "Australian Central Standard Time": 570,
    "Australian Central Daylight Time": 630, "Australian Eastern Standard Time": 600,
    "Australian Eastern Daylight Time": 660, "New Zealand Standard Time": 720,
    "New Zealand Daylight Time": 780,
    "Atlantic Standard Time": -240, "Atlantic Daylight Time": -180,
    "Eastern Standard Time": -300, "Eastern Daylight Time": -240,
    "Central Standard Time": -360, "Central Daylight Time": -300,
    "Mountain Standard Time": -420, "Mountain Daylight Time": -360,
    "Pacific Standard Time": -480, "Pacific Daylight Time": -420,
    "Alaska Standard Time": -540, "Alaska Daylight Time": -480,
    "Hawaii-Aleutian Standard Time": -600,
}  # fmt: skip


# An abbreviation of several zones: the offset assumed when the source's zone does not settle
# it, the name of that reading, and the other readings (for the note).
AMBIGUOUS: dict[str, tuple[int, str, str]] = {
    "IST": (330, "India Standard Time (+05:30)", "Irish or Israel time"),
    "CST": (-360, "US Central Standard Time (-06:00)", "China or Cuba time"),
    "BST": (60, "British Summer Time (+01:00)", "Bangladesh time"),
    "AST": (-240, "Atlantic Standard Time (-04:00)", "Arabia time"),
}

NAMES: tuple[str, ...] = tuple(sorted({*OFFSETS, *AMBIGUOUS}, key=lambda n: (-len(n), n)))


# Zone names of the IANA database written after a stamp (PHP's error log writes its
# `date.timezone`: `[14-Mar-2024 09:26:53 Europe/Berlin]`): read with the zone's own rules,
# summer time included. Only names under these areas are looked for.
IANA_AREAS = (
    "Africa", "America", "Antarctica", "Arctic", "Asia", "Atlantic", "Australia", "Europe",
    "Indian", "Pacific",
)  # fmt: skip


def iana_regex() -> str:
    """Return the regex of an IANA zone name (`Europe/Berlin`, `America/Argentina/Salta`)."""
    return rf"(?:{'|'.join(IANA_AREAS)})/[A-Za-z_]+(?:/[A-Za-z_]+)?"


@functools.lru_cache(maxsize=256)
def known_zone(name: str) -> bool:
    """Return whether `name` is a zone of the IANA database this machine has."""
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return False
    return True


def names_regex() -> str:
    """Return an alternation of every abbreviation, longest first (`CEST` before `CET`)."""
    return "|".join(NAMES)


def offset_table() -> dict[str, int]:
    """Return every abbreviation's offset in minutes, ambiguous ones at their assumed offset."""
    return {**OFFSETS, **{name: reading[0] for name, reading in AMBIGUOUS.items()}}


def offsets_for(names: Iterable[str], tz: str | None) -> tuple[dict[str, int], tuple[str, ...]]:
    """Return the offsets (minutes) to read the abbreviations `names` a source wrote with, and
    a note for each one of several zones it wrote: read in `tz` (left out of the offsets) when
    that zone writes it, else at its assumed offset. The one rule of every reader of zones."""
    table = offset_table()
    notes = []
    for name in sorted(set(names) & set(AMBIGUOUS)):
        _, reading, others = AMBIGUOUS[name]
        if tz is not None and zone_writes(tz, name):
            table.pop(name)  # read as a stamp without a zone: in tz
            notes.append(f"zone {name} in stamps read in {tz}, the source's zone")
        else:
            notes.append(
                f"zone {name} in stamps read as {reading}; it also names {others}: "
                "set the source's zone to read it so"
            )
    return table, tuple(notes)


@functools.lru_cache(maxsize=64)
def zone_writes(tz: str, abbreviation: str) -> bool:
    """Return whether the IANA zone `tz` writes `abbreviation` in winter or in summer."""
    try:
        zone = zoneinfo.ZoneInfo(tz)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return False
    year = datetime.now(UTC).year
    return any(datetime(year, month, 15, tzinfo=zone).tzname() == abbreviation for month in (1, 7))


def not_a_name_regex(extra: tuple[str, ...] = (), *, also_not: str = "") -> str:
    """Return a regex (no look-around, for Rust) matching text that cannot start with one of
    the abbreviations or `extra`, nor with a character of `also_not` (regex set syntax): what
    may follow a stamp's space without being read as its zone. Conservative: text starting
    with a whole name (`CETUS`) is taken as possibly a zone.
    """
    trie: dict[str, dict] = {}
    for name in (*NAMES, *extra):
        node = trie
        for char in name:
            node = node.setdefault(char, {})
        node[""] = {}

    def branch(node: dict[str, dict], excluded: str) -> str:
        chars = sorted(c for c in node if c)
        alternatives = ["$", f"[^{''.join(chars)}{excluded}]"]
        for char in chars:
            child = node[char]
            if "" not in child:  # where a whole name ends anything may follow: no branch
                alternatives.append(char + branch(child, ""))
        return "(?:" + "|".join(alternatives) + ")"

    return branch(trie, also_not)
