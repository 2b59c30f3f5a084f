"""The pattern engine: the recurring shapes of the messages of a table, with their tokens.

1. Every message's first line is normalised and its obvious values masked in one vectorised
   pass (`masking`).
2. Identical shapes are grouped: millions of rows fall to thousands of distinct shapes.
3. Only the distinct shapes go through Drain (drain3's `Drain` tree, used in memory: never its
   persistence or its parameter extraction), most frequent first and ties by text, so the
   result depends on the multiset of messages and not on their order. Drain's rules are
   adapted to logs of any system (`_Drain`): value-like first tokens share a branch, short
   messages need a closer match, words that differ only in digits are alike.
   Then, on the distinct templates: a template ending in free text or a list takes the longer
   ones that continue it (`_join_tails`), and a wildcard that only ever held two or three
   words is an enumeration, one pattern per word (`_split_constants`).
4. Each shape's final template gives the pattern id (a hash of the template, so the same
   template has the same id in any subset), joined back to every row.
5. Token values are read back per pattern by position, one vectorised extraction per token.

A template token holding the wildcard `<*>` (from the masks or from Drain) is a variable token; templates show them numbered, `<1>`, `<2>`, ..., with any literal text
around the value kept (`user=<1>`, `HTTP/<2>`).
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import polars as pl
from drain3.drain import Drain

from logview.core.masking import WILDCARD, first_line, kind_of, mask

PATTERN = "pattern"  # the column of pattern ids added to the table

# Drain's settings: one default for every system's logs (chosen on the loghub benchmark,
# benchmarks/patterns.py). Depth 4 routes on the token count, then on the first token, before
# comparing templates.
DRAIN_DEPTH = 4
DRAIN_SIMILARITY = 0.4
DRAIN_MAX_CHILDREN = 100
# How many tokens of a short message may differ from a template it joins: one different token in
# three is another event more often than one in twenty. PIPLUP's data-insensitive table (Qin et
# al., "Plug it and Play on Logs", 2025); from 10 tokens on, DRAIN_SIMILARITY alone.
SHORT_MESSAGE_DIFFERENCES = {1: 0, 2: 1, 3: 1, 4: 1, 5: 2, 6: 2, 7: 3, 8: 3, 9: 3}
# At most this many distinct shapes are mined (most frequent first); rarer ones are matched
# against the templates found, and any left unmatched are patterns of their own.
MAX_MINED_SHAPES = 50_000

TOP_VALUES = 10
SAMPLES = 5


@dataclass(frozen=True)
class Slot:
    """Where a variable token sits in a template and what surrounds its value in the token."""

    number: int  # 1-based, as shown: <1>, <2>, ...
    position: int  # index of the token in the space-separated first line
    prefix: str  # literal text before the value within the token
    suffix: str  # literal text after it
    # The value runs to the end of the line: the last token of a template that took longer
    # messages, a lone wildcard whose value may be several words (a reason, a list).
    rest: bool = False


@dataclass(frozen=True)
class Template:
    id: str
    text: str  # for people: variables as <1>, <2>, ...
    tokens: tuple[str, ...]  # the mined template, placeholders as Drain and the masks wrote them
    slots: tuple[Slot, ...]


@dataclass(frozen=True)
class Mined:
    """The pattern id of every message and the template behind each id."""

    ids: pl.Series  # String, one per message, in order
    by_id: dict[str, Template]
    shapes: pl.DataFrame | None = None  # masked shape -> pattern id, for messages added later

    @property
    def templates(self) -> dict[str, str]:
        return {pid: t.text for pid, t in self.by_id.items()}

    def extended(self, messages: pl.Series) -> Mined:
        """Return these patterns with the ids of `messages` (rows appended to the table since it
        was mined, by a followed file) after the ids of the rows mined.

        A message whose masked shape was mined takes that shape's pattern; a new shape is a
        pattern of its own (its exact shape) until the table is mined again.
        """
        if messages.len() == 0:
            return self
        shapes = _first_lines(messages).to_frame("line").select(shape=mask(pl.col("line")))
        known = (
            self.shapes
            if self.shapes is not None
            else pl.DataFrame(schema={"shape": pl.String, PATTERN: pl.String})
        )
        joined = shapes.join(known, on="shape", how="left", maintain_order="left")
        by_id = self.by_id
        missing = joined.filter(pl.col(PATTERN).is_null())["shape"].unique(maintain_order=True)
        if missing.len():
            by_id = dict(by_id)
            found: dict[str, str] = {}
            for shape in missing.to_list():
                merged = re.sub(r"<\*>[^ ]*<\*>", WILDCARD, shape)
                template = _template(tuple(merged.split(" ")))
                template = by_id.setdefault(template.id, template)
                found[shape] = template.id
            new = pl.DataFrame(
                {"shape": list(found), PATTERN: list(found.values())},
                schema={"shape": pl.String, PATTERN: pl.String},
            )
            known = pl.concat([known, new])
            joined = shapes.join(known, on="shape", how="left", maintain_order="left")
        return Mined(pl.concat([self.ids, joined[PATTERN]]), by_id, known)


@dataclass(frozen=True)
class TokenValues:
    slot: Slot
    kind: str  # what every value is: "number", "ip", "uuid", "timestamp", ... or "text"
    top: tuple[tuple[str, int], ...]  # most frequent values first, ties by value
    distinct: int
    numeric: tuple[float, float, float] | None  # min, median, max where every value is a number


@dataclass(frozen=True)
class Pattern:
    id: str
    template: str
    count: int
    ratio: float  # of all entries mined
    severity: str  # the most frequent level of its entries
    first: datetime | None
    last: datetime | None
    samples: tuple[int, ...]  # row numbers in the table, spread over time
    tokens: tuple[TokenValues, ...]


@dataclass(frozen=True)
class PatternSet:
    """Patterns of a table, most frequent first, and the pattern id of each of its rows."""

    ids: pl.Series  # named PATTERN, one per row of the table
    patterns: tuple[Pattern, ...]
    templates: dict[str, Template]

    def by_id(self, pattern_id: str) -> Pattern:
        for pattern in self.patterns:
            if pattern.id == pattern_id:
                return pattern
        raise KeyError(pattern_id)


# A token that looks like a value rather than a word: a digit, a masked value, or a separator
# inside it as in host names, dotted names, host:port, user@host, key=value or a/b.
_IDENTIFIER = re.compile(r"\d|<\*>|\w[.:@/=]\w")


class _Drain(Drain):
    """Drain on shapes already normalised: tokens are split on single spaces only.

    drain3 splits on any whitespace (`str.split()`, which includes characters such as U+00A0),
    which would break the one-to-one match between a shape's tokens and the line's.
    """

    def get_content_as_tokens(self, content: str) -> list[str]:
        return content.split(" ")

    @staticmethod
    def has_numbers(s: str) -> bool:
        """Return whether a token routes to the wildcard branch of the prefix tree.

        drain3 routes a first token with a digit there, so that `node7 down` and `node9 down`
        meet; a host, a service or a class name (`db.example.net:<*>`, `org.example.sync.worker:`)
        is as much a value, and would otherwise make one branch, so one pattern, per value.
        """
        return _IDENTIFIER.search(s) is not None

    def tree_search(self, root_node, tokens, sim_th, include_params):  # noqa: ANN001, ANN201
        """Return drain3's best cluster for a message, with two changes.

        A word that is not a value never falls back to the wildcard branch while its own could
        still be made (as drain3 inserts it): `sdpd startup` is not compared with `rpc.statd
        startup`, as `open file` is not with `close file`. And the similarity needed grows as
        messages get shorter (`_similarity_needed`).
        """
        node = root_node.key_to_child_node.get(str(len(tokens)))
        if node is None:
            return None
        if not tokens:
            return self.id_to_cluster.get(node.cluster_ids[0])
        for token in tokens[: min(self.max_node_depth, len(tokens)) - 1]:
            children = node.key_to_child_node
            child = children.get(token)
            if child is None and (self.has_numbers(token) or len(children) >= self.max_children):
                child = children.get(self.param_str)
            if child is None:
                return None
            node = child
        needed = _similarity_needed(len(tokens), sim_th)
        return self.fast_match(node.cluster_ids, tokens, needed, include_params)

    def get_seq_distance(self, seq1, seq2, include_params: bool):  # noqa: ANN001, ANN201
        """Return drain3's (similarity, wildcards), where a wildcard in the template facing a
        masked value in the message counts as similar, and so do two words that differ only in
        their digits (`eth0`, `eth12`): both say "a variable here"."""
        similar = params = 0
        for token1, token2 in zip(seq1, seq2, strict=True):
            if token1 == WILDCARD:
                params += 1
                similar += include_params or token2 == WILDCARD
            elif token1 == token2 or _digits_blanked(token1) == _digits_blanked(token2):
                similar += 1
        return (similar / len(seq1) if seq1 else 1.0), params


@functools.lru_cache(maxsize=1 << 16)
def _digits_blanked(token: str) -> str:
    """Return a token with each run of digits made one `0`: the same for eth0 and eth12."""
    return _DIGITS.sub("0", token)


_DIGITS = re.compile(r"\d+")


def _similarity_needed(tokens: int, default: float) -> float:
    """Return the share of a message's tokens that must match a template for it to join."""
    differences = SHORT_MESSAGE_DIFFERENCES.get(tokens)
    if differences is None:
        return default
    return max(default, (tokens - differences) / tokens)


def mine_messages(messages: pl.Series) -> Mined:
    """Return the pattern id of every message and the templates, mined as the module says."""
    return _mine_lines(_first_lines(messages))


def _first_lines(messages: pl.Series) -> pl.Series:
    frame = messages.cast(pl.String).fill_null("").to_frame("m")
    return frame.select(first_line(pl.col("m")).alias("line")).to_series()


def _mine_lines(lines: pl.Series) -> Mined:
    shapes = lines.to_frame("line").select(shape=mask(pl.col("line")))
    # Within a token, everything from the first wildcard to the last is one value: `<*>.<*>`
    # and `<*>` (a version, a number) are the same variable to Drain and to the reader.
    merged = (
        shapes.group_by("shape")
        .len()
        .with_columns(mined=pl.col("shape").str.replace_all(r"<\*>[^ ]*<\*>", WILDCARD))
    )
    distinct = (
        merged.group_by("mined")
        .agg(pl.col("len").sum())
        .sort(["len", "mined"], descending=[True, False])
    )
    names = distinct["mined"].to_list()
    drain = _Drain(
        depth=DRAIN_DEPTH,
        sim_th=DRAIN_SIMILARITY,
        max_children=DRAIN_MAX_CHILDREN,
        param_str=WILDCARD,
    )
    clusters = [drain.add_log_message(shape)[0] for shape in names[:MAX_MINED_SHAPES]]
    for shape in names[MAX_MINED_SHAPES:]:
        clusters.append(drain.match(shape) or drain.add_log_message(shape)[0])
    counts = distinct["len"].to_list()
    templates = _join_tails([cluster.log_template_tokens for cluster in clusters], names)
    templates = _split_constants(templates, names, counts)
    # Templates that took longer shapes: their last slot reads to the end of the line.
    tails = {t for t, name in zip(templates, names, strict=True) if name.count(" ") >= len(t)}
    by_id: dict[str, Template] = {}
    shape_ids: list[str] = []
    seen: dict[tuple[str, ...], str] = {}
    for tokens in templates:
        pid = seen.get(tokens)
        if pid is None:
            template = _template(tokens, tail=tokens in tails)
            pid = seen[tokens] = template.id
            by_id[pid] = template
        shape_ids.append(pid)
    mapping = merged.select("shape", "mined").join(
        pl.DataFrame(
            {"mined": names, PATTERN: shape_ids}, schema={"mined": pl.String, PATTERN: pl.String}
        ),
        on="mined",
    )
    known = mapping.drop("mined")
    ids = shapes.join(known, on="shape", how="left", maintain_order="left")[PATTERN]
    return Mined(ids, by_id, known)


def _join_tails(templates: list[tuple[str, ...]], shapes: list[str]) -> list[tuple[str, ...]]:
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


def _split_constants(
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
            wild = wild[:-1]  # a tail of several words (`_join_tails`) is a variable
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


def _template(tokens: Sequence[str], *, tail: bool = False) -> Template:
    """Return the template of Drain's tokens: its id, its text for people and its slots.

    With `tail`, a last token that is a lone wildcard is a slot whose value runs to the end of
    the line (the template took longer messages, `_join_tails`).
    """
    slots: list[Slot] = []
    shown: list[str] = []
    for position, token in enumerate(tokens):
        span = _variable_span(token)
        if span is None:
            shown.append(token)
            continue
        start, end = span
        rest = tail and token == WILDCARD and position == len(tokens) - 1
        slot = Slot(len(slots) + 1, position, token[:start], token[end:], rest)
        slots.append(slot)
        shown.append(f"{slot.prefix}<{slot.number}>{slot.suffix}")
    key = " ".join(tokens)
    pid = "p" + hashlib.blake2b(key.encode(), digest_size=5).hexdigest()
    return Template(pid, " ".join(shown), tuple(tokens), tuple(slots))


def _variable_span(token: str) -> tuple[int, int] | None:
    """Return where the wildcards of a template token start and end, or None if literal."""
    start = token.find(WILDCARD)
    if start < 0:
        return None
    return start, token.rfind(WILDCARD) + len(WILDCARD)


# --- the table -----------------------------------------------------------------------------


def mine(
    table: pl.DataFrame, *, top_values: int = TOP_VALUES, samples: int = SAMPLES
) -> PatternSet:
    """Return the patterns of `table`'s messages, with counts, spans, samples and token values.

    `table` has the ingest table's `ts`, `level` and `message` columns (any subset of a table:
    the caller filters first). Sample row numbers are positions in `table`.
    """
    lines = _first_lines(table["message"])
    mined = _mine_lines(lines)
    ids = mined.ids.alias(PATTERN)
    n = table.height
    rows = table.select("ts", "level").with_columns(
        ids, pl.int_range(n, dtype=pl.UInt32).alias("row")
    )
    stats = (
        rows.group_by(PATTERN)
        .agg(
            pl.len().alias("count"),
            pl.col("ts").min().alias("first"),
            pl.col("ts").max().alias("last"),
            pl.col("level").cast(pl.String).mode().sort().first().alias("severity"),
        )
        .sort(["count", PATTERN], descending=[True, False])
    )
    picked = _samples(rows, samples)
    values = _token_values(lines, ids, mined.by_id, top_values)
    patterns = tuple(
        Pattern(
            id=s[PATTERN],
            template=mined.by_id[s[PATTERN]].text,
            count=s["count"],
            ratio=s["count"] / n if n else 0.0,
            severity=s["severity"] or "NONE",
            first=s["first"],
            last=s["last"],
            samples=picked.get(s[PATTERN], ()),
            tokens=values.get(s[PATTERN], ()),
        )
        for s in stats.iter_rows(named=True)
    )
    return PatternSet(ids, patterns, mined.by_id)


def _samples(rows: pl.DataFrame, k: int) -> dict[str, tuple[int, ...]]:
    """Return up to `k` row numbers per pattern, spread evenly over its entries in time order."""
    if rows.height == 0 or k <= 0:
        return {}
    ordered = rows.sort([PATTERN, "ts", "row"], nulls_last=True)
    rank = pl.int_range(pl.len()).over(PATTERN)
    size = pl.len().over(PATTERN)
    stratum = rank * k // size
    picked = (
        ordered.filter((stratum != (rank - 1) * k // size) | (rank == 0))
        .group_by(PATTERN)
        .agg(pl.col("row"))
    )
    return {pid: tuple(r) for pid, r in picked.iter_rows()}


def slot_value(message: pl.Expr, slot: Slot) -> pl.Expr:
    """Return the value a slot holds in each message (meaningful on its pattern's rows)."""
    return slot_of_line(first_line(message), slot)


def slot_of_line(line: pl.Expr, slot: Slot) -> pl.Expr:
    token = line.str.extract(
        rf"^(?:[^ ]* ){{{slot.position}}}({'.*' if slot.rest else '[^ ]*'})", 1
    )
    return _strip(token, slot)


def _strip(token: pl.Expr, slot: Slot) -> pl.Expr:
    """Return the value in a slot's token: the token without the template's text around it."""
    value = token.str.slice(len(slot.prefix)) if slot.prefix else token
    return value.str.head(-len(slot.suffix)) if slot.suffix else value


# Token values are read by splitting a pattern's lines on spaces, this many rows at a time: a
# split costs a fifth of a regex extraction per slot, and 16 bytes per token while it lives.
_SPLIT_ROWS = 100_000


def _token_values(
    lines: pl.Series, ids: pl.Series, templates: dict[str, Template], top: int
) -> dict[str, tuple[TokenValues, ...]]:
    """Return the value counts of every slot of every pattern, reading each line once."""
    frame = pl.DataFrame({"m": lines, PATTERN: ids}).sort(PATTERN, maintain_order=True)
    bounds = frame.group_by(PATTERN, maintain_order=True).len()
    out: dict[str, tuple[TokenValues, ...]] = {}
    start = 0
    for pid, size in bounds.iter_rows():
        template = templates[pid]
        if template.slots:
            parts = []
            for offset in range(start, start + size, _SPLIT_ROWS):
                tokens = frame.slice(offset, min(_SPLIT_ROWS, start + size - offset)).select(
                    pl.col("m").str.split(" ")
                )
                parts.append(
                    tokens.select(
                        _strip(_token(pl.col("m"), slot), slot).alias(str(slot.number))
                        for slot in template.slots
                    )
                )
            columns = pl.concat(parts)
            out[pid] = tuple(
                value_summary(columns[str(slot.number)], slot, top) for slot in template.slots
            )
        start += size
    return out


def _token(tokens: pl.Expr, slot: Slot) -> pl.Expr:
    """Return a slot's token from a line's list of tokens (for a tail, the tokens to the end)."""
    if slot.rest:
        return tokens.list.slice(slot.position).list.join(" ")
    return tokens.list.get(slot.position, null_on_oob=True)


def value_summary(values: pl.Series, slot: Slot, top: int) -> TokenValues:
    counts = values.drop_nulls().value_counts(name="n")
    distinct = counts.height
    # Only the values that can be among the top ones are sorted (ties broken by value).
    if counts.height > top:
        least = counts["n"].top_k(top).min()
        counts = counts.filter(pl.col("n") >= least)
    best = counts.sort(["n", values.name], descending=[True, False]).head(top)
    numbers = values.str.replace(",", ".", literal=True).cast(pl.Float64, strict=False)
    numeric = None
    present = values.len() - values.null_count()
    if present and numbers.null_count() == values.null_count():
        numeric = (float(numbers.min()), float(numbers.median()), float(numbers.max()))  # type: ignore[arg-type]
    top_values = tuple((str(v), int(c)) for v, c in best.iter_rows())
    kind = "number" if numeric else kind_of(v for v, _ in top_values)
    return TokenValues(slot, kind, top_values, distinct, numeric)
