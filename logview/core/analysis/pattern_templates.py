"""Pattern templates: what the distinct templates Drain found become (`patterns` mines them).

A template that ends in free text or a list takes the longer ones that continue it
(`join_tails`); a wildcard that only ever held two or three words is an enumeration, one
pattern per word (`split_constants`); each template's variable tokens become slots, named by
the key before them or the kind of their values (`make_template`, `named`); and a slot's values are
found again in a line by position (`slot_of_words`, `slot_spans`).
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

import polars as pl

from logview.core.analysis.masking import WILDCARD, kind_of


@dataclass(frozen=True)
class Slot:
    """Where a variable sits in a template, what surrounds its value, and its name."""

    number: int  # 1-based, in the template's order
    position: int  # index of the token in the space-separated first line of the body
    prefix: str  # literal text before the value within the token
    suffix: str  # literal text after it
    # The value runs to the end of the line: the last token of a template that took longer
    # messages, a lone wildcard whose value may be several words (a reason, a list).
    rest: bool = False
    name: str = ""  # as shown, without brackets: "status", "ip", "num", "ip2"
    # A route's token can hold several values (`/users/<id1>/orders/<id2>`): `token` is then
    # the template token and `part` which of its wildcards this is ("" where the token holds
    # one value: prefix and suffix say where it is).
    token: str = ""
    part: int = 0

    @property
    def label(self) -> str:
        """Return the slot as a template shows it: `<status>`, `<num2>`."""
        return f"<{self.name or self.number}>"

    @property
    def parts(self) -> int:
        return max(1, self.token.count(WILDCARD))


@dataclass(frozen=True)
class Template:
    id: str
    text: str  # for people: variables named, <status>, <ip>, <num1>, <num2>, ...
    tokens: tuple[str, ...]  # the mined template, placeholders as Drain and the masks wrote them
    slots: tuple[Slot, ...]
    request: bool = False  # an access log request's method and route (`body.REQUEST`)


def join_tails(templates: list[tuple[str, ...]], shapes: list[str]) -> list[tuple[str, ...]]:
    """Return each shape's template, a longer one joined to a shorter one that ends in a
    variable part of several words: free text (a reason, a user name) or a list.

    Drain only compares messages of one token count, so such a value made one pattern per
    count. A template ending in a lone wildcard, with two literal tokens at least, takes a
    longer template that has its tokens before that wildcard (its own wildcards matching
    anything) when, in each of its messages, the tokens from there on are more of the same:
    plain words where the wildcard held plain words, words spelled as its values where it held
    a list (`blk_<*>`), or masked values; and the last of them is not a word the wildcard
    held (`... Bye Bye [preauth]`, `... user request. [preauth]`: a constant after a variable
    part, not a tail). Only a tail: every slot before it keeps its position in the line, and
    the last slot reads to the end of the line (`Slot.rest`). What has other tokens after a
    shared start stays apart: `rhost=<*> user=root` after `rhost=<*>`, `copied <*> files (<*>
    MB) in <*> s` after `copied <*> files`.
    """
    members: dict[tuple[str, ...], list[int]] = {}
    for i, tokens in enumerate(templates):
        members.setdefault(tokens, []).append(i)
    heads: dict[str, list[tuple[tuple[str, ...], set[str]]]] = {}  # by first token
    for tokens, indices in members.items():
        literal = sum(t != WILDCARD for t in tokens)
        if len(tokens) >= 3 and tokens[-1] == WILDCARD and literal >= 2:
            heads.setdefault(tokens[0], []).append(
                (tokens, {shapes[i].rsplit(" ", 1)[-1] for i in indices})
            )
    if not heads:
        return templates
    joined: dict[tuple[str, ...], tuple[str, ...]] = {}
    for tokens in sorted(members, key=len):  # shorter first: a tail joined is joined again
        candidates = heads.get(tokens[0], []) + heads.get(WILDCARD, [])
        fits = [
            head
            for head, last in candidates
            if len(head) < len(tokens)
            and all(a in (WILDCARD, b) for a, b in zip(head[:-1], tokens, strict=False))
            and all(
                _more_of_the_same(shapes[i].split(" ")[len(head) - 1 :], last)
                for i in members[tokens]
            )
        ]
        if fits:
            head = max(fits, key=lambda t: (len(t), t))
            joined[tokens] = joined.get(head, head)
    return [joined.get(tokens, tokens) for tokens in templates]


def _more_of_the_same(tail: list[str], last: set[str]) -> bool:
    """Return whether a message's tokens from a wildcard on are more of what it held, `last`."""
    if tail[-1] in last and not _NUMBER.search(tail[-1]):
        return False  # a constant after the variable part
    free = any(_PLAIN_WORD.fullmatch(v) for v in last)
    spellings = {_letters(v) for v in last} - {""}
    return all(
        t == WILDCARD or (free and _PLAIN_WORD.fullmatch(t)) or _letters(t) in spellings
        for t in tail
    )


# A word of free text: letters, maybe an inner apostrophe or hyphen, maybe punctuation after.
_PLAIN_WORD = re.compile(r"[^\W\d_]+(?:['-][^\W\d_]+)*[.,;:!?]*")


# A position Drain generalised whose values take at most this many spellings (a value's
# letters, its digits and masked parts left out) is an enumeration (startup/shutdown,
# password/none, HTTPS/SOCKS5), not a variable: each spelling is its own pattern.
MAX_CONSTANT_VALUES = 3


def split_constants(
    templates: list[tuple[str, ...]], shapes: list[str], counts: list[int]
) -> list[tuple[str, ...]]:
    """Return each shape's template with enumeration-like wildcards replaced by the value.

    Works on the distinct shapes (a shape's token at a wildcard position is its value there,
    as masks never touch letters), so it costs nothing per row. Values that differ only in
    their digits (eth0/eth1) are one spelling: where such a spelling has several values, the
    position stays a wildcard in its pattern.
    """
    members: dict[tuple[str, ...], list[int]] = {}
    for i, tokens in enumerate(templates):
        members.setdefault(tokens, []).append(i)
    out = list(templates)
    for tokens, indices in members.items():
        wild = [p for p, t in enumerate(tokens) if t == WILDCARD]
        if not wild or len(indices) < 2:
            continue
        words = {i: shapes[i].split(" ") for i in indices}
        spellings: dict[int, dict[str, set[str]]] = {}
        if any(len(w) > len(tokens) for w in words.values()):
            wild = wild[:-1]  # a tail of several words (`join_tails`) is a variable
        for p in wild:
            by_letters: dict[str, set[str]] = {}
            for value in {w[p] for w in words.values()}:
                by_letters.setdefault(_letters(value), set()).add(value)
                if len(by_letters) > MAX_CONSTANT_VALUES:
                    break  # a variable: no need to spell the others
            if _enumeration(by_letters) and not _units(list(words.values()), p):
                spellings[p] = by_letters
        for i in indices if spellings else ():
            split = list(tokens)
            for p, by_letters in spellings.items():
                value = words[i][p]
                split[p] = value if len(by_letters[_letters(value)]) == 1 else WILDCARD
            out[i] = tuple(split)
    return out


def _letters(value: str) -> str:
    """Return the letters of a value: what is left when digits, masks and punctuation go."""
    return _NOT_LETTERS.sub("", value)


_NOT_LETTERS = re.compile(r"[\W\d_]+")


def _enumeration(by_letters: dict[str, set[str]]) -> bool:
    """Return whether values grouped by their letters are a few words naming events.

    Not when they differ only in their digits or masked values (one spelling), nor when, once
    the text all of them share at their start and end is set aside, one holds a number or a
    masked value there (`chdir(<*>)` and `chdir(pwd)`: a slot that holds a number or a word),
    nor when one is a date word or a name of parts with a digit or masked value in it (a host
    or an id such as `node-3.dc.example.net`, `<*>.dsl.example.net`, `attempt_17_m_0`: an
    instance, not an event; a word with a digit, as `SOCKS5`, is judged by its letters).
    """
    if not 2 <= len(by_letters) <= MAX_CONSTANT_VALUES:
        return False
    values = sorted(set().union(*by_letters.values()))
    start = len(os.path.commonprefix(values))
    end = len(os.path.commonprefix([v[start:][::-1] for v in values]))
    return not any(
        _NUMBER_LIKE.fullmatch(v[start : len(v) - end])
        or v.lower() in _CALENDAR
        or (_NAME_PARTS.search(v) and _NUMBER.search(v))
        for v in values
    )


_NUMBER = re.compile(r"\d|<\*>")
# A name made of parts: two word characters joined by a separator.
_NAME_PARTS = re.compile(r"\w[-_.:@/=]\w")
# What differs between two values when it is a number: digits (hex ones too) or a mask, with
# punctuation, and a digit or a mask at least.
_NUMBER_LIKE = re.compile(r"[\W_0-9a-fA-F]*[0-9*][\W_0-9a-fA-F]*")

# Units written as a word after a number (`5.2 KB`, `300 ms`): the quantity is the variable, so
# `B`, `KB` and `MB` there are not an enumeration of events.
_UNITS = frozenset(
    "b kb mb gb tb pb kib mib gib tib pib byte bytes bit bits kbps mbps gbps "
    "ns us µs ms s sec secs second seconds min mins minute minutes h hr hrs hour hours "
    "d day days".split()
)


def _units(words: list[list[str]], position: int) -> bool:
    """Return whether every shape's token at `position` is a unit right after a number."""
    return position > 0 and all(
        w[position - 1].endswith(WILDCARD) and w[position].strip(_PUNCTUATION).lower() in _UNITS
        for w in words
    )


_PUNCTUATION = ".,;:!?()[]{}<>\"'"

# Words of a date written in a message: they vary with time, never name an event.
_CALENDAR = frozenset(
    "jan feb mar apr may jun jul aug sep oct nov dec mon tue wed thu fri sat sun".split()
)


def make_template(
    tokens: Sequence[str],
    *,
    request: bool = False,
    kinds: dict[int, str] | None = None,
    tail: bool = False,
) -> Template:
    """Return the template of mined tokens: its id, its text for people and its slots.

    Slots are named (`_slot_names`): by the field they come from (a request's `status`, its
    route's `id`), by the key written before them (`uid=<uid>`, `port: <port>`), else by the
    kind of their values (`kinds`: slot number -> kind, when known); a name that occurs
    twice is numbered (`<ip1>`, `<ip2>`). With `tail`, a last token that is a lone wildcard
    is a slot whose value runs to the end of the line (the template took longer messages,
    `join_tails`).
    """
    slots: list[Slot] = []
    for position, token in enumerate(tokens):
        pieces = token.split(WILDCARD)
        if len(pieces) == 1:
            continue
        if not request or len(pieces) == 2:
            rest = tail and token == WILDCARD and position == len(tokens) - 1
            slots.append(Slot(len(slots) + 1, position, pieces[0], pieces[-1], rest))
            continue
        for part in range(len(pieces) - 1):
            prefix = WILDCARD.join(pieces[: part + 1])
            suffix = WILDCARD.join(pieces[part + 1 :])
            slots.append(Slot(len(slots) + 1, position, prefix, suffix, token=token, part=part))
    names = _slot_names(tokens, slots, request=request, kinds=kinds or {})
    slots = [replace(slot, name=name) for slot, name in zip(slots, names, strict=True)]
    shown = list(tokens)
    for position in dict.fromkeys(slot.position for slot in slots):
        token = tokens[position]
        held = [slot for slot in slots if slot.position == position]
        if len(held) == 1:
            # Everything from the token's first wildcard to its last is the one value.
            start, end = token.find(WILDCARD), token.rfind(WILDCARD) + len(WILDCARD)
            shown[position] = token[:start] + held[0].label + token[end:]
            continue
        pieces = token.split(WILDCARD)
        text = pieces[0]
        for slot, piece in zip(held, pieces[1:], strict=True):
            text += slot.label + piece
        shown[position] = text
    key = " ".join(tokens)
    pid = "p" + hashlib.blake2b(key.encode(), digest_size=5).hexdigest()
    return Template(pid, " ".join(shown), tuple(tokens), tuple(slots), request)


# A key written just before a value names it: `uid=`, `(user=`, `port:`, `status:`.
# (A dotted name before `:` is a host before its port, not a key.)
_KEY_BEFORE = re.compile(
    r"(?:^|[^\w.\-])(?:([A-Za-z_][\w.\-]{0,31})=|([A-Za-z_][\w\-]{0,31}):)$", re.ASCII
)
# What a slot is called by the kind of its values (masking.kind_of's kinds, and two of ours).
KIND_NAMES = {
    "number": "num", "duration": "duration", "size": "size", "ip": "ip", "uuid": "uuid",
    "url": "url", "endpoint": "endpoint", "path": "path", "hex": "hex", "timestamp": "time",
    "id": "id",
    "text": "text",
}  # fmt: skip


def _slot_names(
    tokens: Sequence[str], slots: Sequence[Slot], *, request: bool, kinds: dict[int, str]
) -> list[str]:
    """Return the name of each slot, numbered where a name repeats in the template."""
    names: list[str] = []
    for slot in slots:
        name = ""
        if request and slot.position == 2:
            name = "status"
        elif request and slot.position == 1 and "?" not in slot.prefix:
            name = "id"
        key = _KEY_BEFORE.search(slot.prefix)
        if not name and key:
            name = key.group(1) or key.group(2)
        elif not name and not slot.prefix and slot.position > 0:
            key = _KEY_BEFORE.search(tokens[slot.position - 1])
            if key and key.group(0) == tokens[slot.position - 1]:
                name = key.group(1) or key.group(2)
        names.append(name.lower() if name else KIND_NAMES.get(kinds.get(slot.number, ""), "text"))
    repeated = {name for name in names if names.count(name) > 1}
    seen: dict[str, int] = {}
    out = []
    for name in names:
        if name in repeated:
            seen[name] = seen.get(name, 0) + 1
            name = f"{name}{seen[name]}"
        out.append(name)
    return out


# Each template's slots are named by the kind of the values of its first entries.
NAMING_ROWS = 20


def named(by_id: dict[str, Template], lines: pl.Series, ids: pl.Series) -> dict[str, Template]:
    """Return the templates with their slots named by the kind of their values, read on the
    first NAMING_ROWS entries of each pattern (a loop over patterns, not entries)."""
    if not by_id:
        return by_id
    firsts = (
        pl.DataFrame({"line": lines, "id": ids})
        .filter(pl.col("id").is_in(list(by_id)))
        .group_by("id", maintain_order=True)
        .head(NAMING_ROWS)
        .group_by("id", maintain_order=True)
        .agg("line")
    )
    values = dict(firsts.iter_rows())
    out = dict(by_id)
    for pid, template in by_id.items():
        if not template.slots:
            continue
        words = [line.split(" ") for line in values.get(pid, ())]
        kinds = {}
        for slot in template.slots:
            seen = [slot_of_words(w, slot) for w in words if slot.position < len(w)]
            kinds[slot.number] = value_kind(v for v in seen if v is not None)
        tail = any(slot.rest for slot in template.slots)
        out[pid] = make_template(template.tokens, request=template.request, kinds=kinds, tail=tail)
    return out


_DURATION = re.compile(
    r"\d+(?:[.,]\d+)?(?:ns|us|µs|ms|s|sec|secs|m|min|mins|h|hr|hrs|d)|\d{1,2}:\d{2}:\d{2}(?:[.,]\d+)?",
    re.ASCII | re.IGNORECASE,
)
# A word of letters and digits with both (`k123`, `eth0`, `worker-3`, `blk_-42`): an identifier.
_ID = re.compile(r"(?=[^ ]*[0-9])(?=[^ ]*[A-Za-z])[A-Za-z0-9_.:\-]+", re.ASCII)
_PLAIN_NUMBER = re.compile(r"\d+(?:[.,]\d+)*", re.ASCII)
_SIZE = re.compile(
    r"\d+(?:[.,]\d+)?(?:b|kb|mb|gb|tb|kib|mib|gib|tib|k|m|g)", re.ASCII | re.IGNORECASE
)


def value_kind(values: Iterable[str]) -> str:
    """Return the kind every value is of: masking.kind_of's kinds, with numbers that carry a
    time unit as "duration" (`12ms`, `00:02:13`) and a size unit as "size" (`512MB`), and
    words of letters and digits as "id" (`k123`, `eth0`)."""
    sample = [v for v in values if v]
    unsigned = [v[1:] if v.startswith("-") else v for v in sample]
    if sample and all(_DURATION.fullmatch(v) for v in unsigned):
        if not all(_PLAIN_NUMBER.fullmatch(v) for v in unsigned):
            return "duration"
    kind = kind_of(unsigned)
    if kind == "number" and all(_SIZE.fullmatch(v) for v in unsigned):
        if not all(_PLAIN_NUMBER.fullmatch(v) for v in unsigned):
            return "size"
    if kind == "text" and sample and all(_ID.fullmatch(v) for v in sample):
        return "id"
    return kind


def slot_of_words(words: Sequence[str], slot: Slot) -> str | None:
    """Return a slot's value in a line split on spaces (None where the token does not fit)."""
    token = " ".join(words[slot.position :]) if slot.rest else words[slot.position]
    if not slot.token:
        end = len(token) - len(slot.suffix)
        if not token.startswith(slot.prefix) or end < len(slot.prefix):
            return None
        return token[len(slot.prefix) : end]
    match = re.fullmatch(token_regex(slot.token), token)
    return match.group(slot.part + 1) if match else None


def slot_spans(line: str, slots: Sequence[Slot]) -> list[tuple[int, int]]:
    """Return the character spans of the slots' values in a body line (`body.line_columns`),
    for highlighting: a tail's to the end of the line, a route id's within its token."""
    words = line.split(" ")
    starts, at = [], 0
    for word in words:
        starts.append(at)
        at += len(word) + 1
    spans = []
    for slot in slots:
        if slot.position >= len(words):
            continue
        start = starts[slot.position]
        token = " ".join(words[slot.position :]) if slot.rest else words[slot.position]
        if slot.token:
            match = re.fullmatch(token_regex(slot.token), token)
            if match:
                spans.append((start + match.start(slot.part + 1), start + match.end(slot.part + 1)))
            continue
        begin, end = start + len(slot.prefix), start + len(token) - len(slot.suffix)
        spans.append((begin, max(begin, end)))
    return spans


def token_regex(token: str) -> str:
    """Return the regex of a template token with several wildcards, one group each."""
    return "(.*?)".join(re.escape(piece) for piece in token.split(WILDCARD))
