"""Severity letters: Android's and glog's (`E`, `W`, `I` ...), and where in a line's header a
source writes one (a few fields after the stamp, a column before it, in lower case right after
it). `levels` reads them with the rest of a line's header."""

from __future__ import annotations

from collections import Counter

import polars as pl

from logview.core.shared.regex import ascii_classes

# Android's priority letters (logcat) and glog's: A is Android's assert, worse than an error.
LETTERS = {"v": "TRACE", "d": "DEBUG", "i": "INFO", "w": "WARN", "e": "ERROR", "f": "FATAL",
           "a": "FATAL"}  # fmt: skip
# Severity letters beyond Android's: N notice, C critical (CUPS, Cisco's small-business).
# Ruckus FastIron's letters between colons add A (alert) and M (emergency).
LETTER_LEVELS = LETTERS | {"n": "INFO", "c": "FATAL", "m": "FATAL"}
# The share of sampled lines that must show a letter at one place.
LETTER_SHARE = 0.5


# A severity letter a few fields after the stamp (WebSphere's `[stamp] 00000001 WsServerImpl  I
# message`: thread and component first; Docker Desktop's `[stamp][component][I] message`):
# taken where most sampled lines have a lone capital of the letters below as the same field
# and at least two different ones occur.
_LETTER_FIELDS = 4
_BRACKETED_SHARE = 0.2
_PLACE_LETTERS = frozenset("VDIWEFNC")
# WebSphere's other event types at that place (A audit, O and R System.out and System.err, Z
# unknown, > and < entry and exit, 1 to 3 fine to finest) count towards the share of lines
# with a letter there, though they name no level.
_PLACE_TYPES = _PLACE_LETTERS | frozenset("AORZ<>123")
# Where its O or R show at the place, an A there is WebSphere's audit event, informational
# (not Android's assert).
_STREAMS = frozenset("OR")
# SAP HANA's traces write the letter in lower case, right after the stamp (`2024-03-14
# 09:26:53.452870 i Basis  TraceStream.cpp(00469) : ...`): of fewer letters, on most lines.
_LOWER_LETTERS = frozenset("diwef")


def letter_place(windows: pl.Series) -> tuple[int, bool, bool] | None:
    """Return the field (1 to _LETTER_FIELDS after the stamp; 0 too for a lower-case letter)
    that holds a severity letter on most of `windows`, whether the letters are lower case,
    and whether they are WebSphere's event types (its streams' O or R seen there), or None."""
    places: Counter[int] = Counter()
    bracketed: Counter[int] = Counter()
    typed: Counter[int] = Counter()
    typed_seen: dict[int, set[str]] = {}
    lower: Counter[int] = Counter()
    seen: dict[int, set[str]] = {}
    seen_lower: dict[int, set[str]] = {}
    count = 0
    for window in windows.drop_nulls():
        count += 1
        fields = window.lstrip("]").split()[: _LETTER_FIELDS + 1]
        other = None
        for place, field in enumerate(fields):
            # The letter alone, bracketed (Gitea's `[I]`) or with Telegraf's `!` (`I!`).
            boxed = field[:1] == "[" and field[-1:] == "]"
            letter = field[1:-1] if boxed else field.rstrip("!")
            if letter in _PLACE_LETTERS:
                places[place] += 1
                bracketed[place] += boxed
                seen.setdefault(place, set()).add(letter)
                break
            if not boxed and letter in _LOWER_LETTERS:
                lower[place] += 1
                seen_lower.setdefault(place, set()).add(letter)
                break
            if other is None and place and letter in _PLACE_TYPES:
                other = place
                typed_seen.setdefault(place, set()).add(letter)
        else:
            if other is not None:
                typed[other] += 1
    for place, hits in places.most_common(1):
        # A letter in brackets is rarely anything else: where a device's boot lines without
        # one come between (an ESP32's `[   117][I][main.cpp:41]` among ROM messages), a
        # smaller share of lines showing it settles the place.
        share = _BRACKETED_SHARE if bracketed[place] == hits else LETTER_SHARE
        if place and hits + typed[place] >= share * count and len(seen[place]) >= 2:
            return place, False, bool(typed_seen.get(place, set()) & _STREAMS)
    for place, hits in lower.most_common(1):
        if hits >= LETTER_SHARE * count and len(seen_lower[place]) >= 2:
            return place, True, False
    return None


def letter_column(values: pl.Series, among: pl.Series | None = None) -> pl.Series | None:
    """Return the levels of a column of severity letters (HPE switches' `show logging` writes
    `W 03/14/24 09:21:05 ...`: the letter, then the stamp), or None where the column is not
    one: most values (of those `among` marks) a lone letter of _PLACE_LETTERS, at least two
    different ones. The stamp's opening bracket may follow it (ESP-IDF's `W (09:23:04.025)
    sensor: ...`)."""
    letters = values.cast(pl.String).str.strip_chars().str.strip_chars_end("([{< ")
    judged = letters if among is None else letters.filter(among)
    lone = judged.is_in(list(_PLACE_LETTERS))
    if not lone.any() or lone.mean() < LETTER_SHARE or judged.filter(lone).n_unique() < 2:
        return None
    return letters.str.to_lowercase().replace_strict(
        LETTER_LEVELS, default=None, return_dtype=pl.String
    )


def letter_at(place: int, lower: bool = False, audit: bool = False) -> str:
    """Return the regex of a severity letter as field `place` after the stamp (a lower-case
    letter given `lower`; given `audit`, WebSphere's A too, as the group `audit`)."""
    if lower:
        return ascii_classes(rf"^\]?\s*(?:\S+\s+){{{place}}}(?P<letter>[diwef])\s")
    audited = "|(?P<audit>A)" if audit else ""
    return ascii_classes(
        rf"^\]?\s*(?:\S+\s+){{{place}}}"
        rf"(?:\[(?P<letter>[VDIWEFNC])\]|(?P<bare>[VDIWEFNC])!?{audited})\s"
    )
