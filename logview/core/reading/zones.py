"""Zone abbreviations written after a stamp (`CEST`, `PDT`, `JST`): their offsets from UTC.

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
