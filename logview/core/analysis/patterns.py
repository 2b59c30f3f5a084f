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
   ones that continue it (`join_tails`), and a wildcard that only ever held two or three
   words is an enumeration, one pattern per word (`split_constants`).
4. Each shape's final template gives the pattern id (a hash of the template, so the same
   template has the same id in any subset), joined back to every row.
5. Token values are read back per pattern by position, one vectorised extraction per token.

A template token holding the wildcard `<*>` (from the masks or from Drain) is a variable token; templates show them numbered, `<1>`, `<2>`, ..., with any literal text
around the value kept (`user=<1>`, `HTTP/<2>`).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

import polars as pl
from drain3.drain import Drain

from logview.core.analysis.masking import WILDCARD
from logview.core.analysis.pattern_templates import (
    NAMING_ROWS,
    Slot,
    Template,
    join_tails,
    make_template,
    named,
    split_constants,
    token_regex,
    value_kind,
)
from logview.core.analysis.shapes import REQUEST as _REQUEST
from logview.core.analysis.shapes import Shapes, lines_of, read_shapes, shapes_of
from logview.core.shared.body import generalise_routes, line_expr

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

# Told the share of mining done and what it is at (`mine_entries`).
MiningProgress = Callable[[float, str], None]
# The share of mining done after each step: where its time went on 2M entries of an access
# log, an application log and syslog with 33,015 distinct shapes (the bodies cut and their
# values masked 69%, a slice at a time (`shapes.read_shapes`), grouped by shape 5%, Drain
# 10%, the templates 8%, the ids joined and named 8%).
_SHARES = (0.69, 0.74, 0.84, 0.92)
_SHARE_MASKED, _SHARE_GROUPED, _SHARE_DRAINED, _SHARE_TEMPLATES = _SHARES
# Drain says how far it is every this many distinct shapes (~40 ms of its time).
_SHAPES_A_REPORT = 5000


@dataclass(frozen=True)
class Mined:
    """The pattern id of every message and the template behind each id."""

    ids: pl.Series  # String, one per message, in order
    by_id: dict[str, Template]
    shapes: pl.DataFrame | None = None  # masked shape -> pattern id, for messages added later

    @property
    def templates(self) -> dict[str, str]:
        return {pid: t.text for pid, t in self.by_id.items()}

    def extended(self, rows: pl.DataFrame | pl.Series) -> Mined:
        """Return these patterns with the ids of `rows` (entries appended to the table since it
        was mined, by a followed file; or their messages) after the ids of the rows mined.

        An entry whose masked shape was mined takes that shape's pattern; a new shape is a
        pattern of its own (its exact shape) until the table is mined again.
        """
        if rows.len() == 0 if isinstance(rows, pl.Series) else rows.height == 0:
            return self
        lines = lines_of(rows)
        shapes = shapes_of(lines)
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
                tokens = _mined_tokens(shape)
                template = make_template(tokens, request=shape.startswith(_REQUEST))
                template = by_id.setdefault(template.id, template)
                found[shape] = template.id
            new = pl.DataFrame(
                {"shape": list(found), PATTERN: list(found.values())},
                schema={"shape": pl.String, PATTERN: pl.String},
            )
            known = pl.concat([known, new])
            joined = shapes.join(known, on="shape", how="left", maintain_order="left")
            fresh = {pid: by_id[pid] for pid in set(found.values()) if pid not in self.by_id}
            by_id.update(named(fresh, lines["line"], joined[PATTERN]))
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
        needed = _similarity_needed(tokens, sim_th)
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


def _similarity_needed(tokens: Sequence[str], default: float) -> float:
    """Return the share of a message's tokens that must match a template for it to join.

    A short message is judged by its words too: the differences PIPLUP's table allows are at
    most those of a message as long as its tokens that are not masked values (`1 normal` has one word, and
    joins no `1 ambient=<*>`: a masked value matches any wildcard, and says nothing of which
    event a message is)."""
    differences = SHORT_MESSAGE_DIFFERENCES.get(len(tokens))
    if differences is None:
        return default
    words = sum(1 for token in tokens if token != WILDCARD)
    differences = min(differences, SHORT_MESSAGE_DIFFERENCES.get(words, differences))
    return max(default, (len(tokens) - differences) / len(tokens))


def mine_messages(messages: pl.Series, progress: MiningProgress | None = None) -> Mined:
    """Return the pattern id of every message (whole, as text) and the templates; `progress`
    as `mine_entries` tells it."""
    report = progress or _no_progress
    return _mine_shapes(_read(messages, report), report)


def mine_entries(rows: pl.DataFrame, progress: MiningProgress | None = None) -> Mined:
    """Return the pattern id of every entry of `rows` (the table, or rows of it) and the
    templates, mined on the entries' bodies (`body.line_columns`).

    `progress`, if given, is told the share done and what mining is at: before each step,
    every _SHAPES_A_REPORT shapes given to Drain (a dozen times for millions of entries), and
    1.0 at the end."""
    report = progress or _no_progress
    return _mine_shapes(_read(rows, report), report)


def mine_shapes(read: Shapes, progress: MiningProgress | None = None) -> Mined:
    """Return the patterns of entries whose shapes were read elsewhere (`read_shapes` over the
    entries, or the shapes of their parts put together in the table's order: a cluster's
    workers), as `mine_entries` gives them for the same entries."""
    return _mine_shapes(read, progress or _no_progress)


def _no_progress(_fraction: float, _text: str) -> None:
    """Hear nothing of mining's progress."""


def _read(rows: pl.DataFrame | pl.Series, report: MiningProgress) -> Shapes:
    """Return the Shapes of `rows`, a slice at a time, telling `report` how far it is."""
    return read_shapes(rows, NAMING_ROWS, lambda share, text: report(share * _SHARE_MASKED, text))


def _mined_tokens(shape: str) -> tuple[str, ...]:
    """Return the tokens of a shape as mined: for text, wildcard runs inside a token merged
    (`<*>.<*>` is one value); a request's route keeps each of its ids."""
    if shape.startswith(_REQUEST):
        return tuple(shape[len(_REQUEST) :].split(" "))
    return tuple(re.sub(r"<\*>[^ ]*<\*>", WILDCARD, shape).split(" "))


def _request_templates(shapes: list[str]) -> list[tuple[str, ...]]:
    """Return the template of each request shape: its method, its route with the segments that
    are values by their number generalised (`body.generalise_routes`), the status."""
    tokens = [_mined_tokens(shape) for shape in shapes]
    routes = generalise_routes([t[1] if len(t) > 1 else "" for t in tokens], WILDCARD)
    return [
        (t[0], route, *t[2:]) if len(t) > 1 else t for t, route in zip(tokens, routes, strict=True)
    ]


def _clusters(names: list[str], report: MiningProgress) -> list:
    """Return the Drain cluster of each distinct shape (`names`, most frequent first): the
    first MAX_MINED_SHAPES mined, the rarer matched against them (or added when none fits),
    telling `report` every _SHAPES_A_REPORT shapes."""
    drain = _Drain(
        depth=DRAIN_DEPTH,
        sim_th=DRAIN_SIMILARITY,
        max_children=DRAIN_MAX_CHILDREN,
        param_str=WILDCARD,
    )
    clusters = []
    for i, shape in enumerate(names):
        if i % _SHAPES_A_REPORT == 0:
            share = _SHARE_GROUPED + (_SHARE_DRAINED - _SHARE_GROUPED) * i / len(names)
            report(share, f"mining shapes: {i:,} of {len(names):,}")
        if i < MAX_MINED_SHAPES:
            clusters.append(drain.add_log_message(shape)[0])
        else:
            clusters.append(drain.match(shape) or drain.add_log_message(shape)[0])
    return clusters


def _mine_shapes(read: Shapes, report: MiningProgress = _no_progress) -> Mined:
    """Return the patterns of the entries whose shapes were read (`_read`), telling `report`
    how far it is. The patterns are joined back to the entries on their shape keys."""
    report(_SHARE_MASKED, f"grouping {read.keys.len():,} entries by shape")
    # Within a token, everything from the first wildcard to the last is one value: `<*>.<*>`
    # and `<*>` (a version, a number) are the same variable to Drain and to the reader.
    merged = read.distinct.with_columns(
        mined=pl.when(pl.col("shape").str.starts_with(_REQUEST))
        .then(pl.col("shape"))
        .otherwise(pl.col("shape").str.replace_all(r"<\*>[^ ]*<\*>", WILDCARD))
    )
    distinct = (
        merged.group_by("mined")
        .agg(pl.col("len").sum())
        .sort(["len", "mined"], descending=[True, False])
    )
    requests = distinct.filter(pl.col("mined").str.starts_with(_REQUEST))
    texts = distinct.filter(~pl.col("mined").str.starts_with(_REQUEST))
    names = texts["mined"].to_list()
    clusters = _clusters(names, report)
    report(_SHARE_DRAINED, f"making the templates of {len(names):,} shapes")
    counts = texts["len"].to_list()
    templates = join_tails([cluster.log_template_tokens for cluster in clusters], names)
    templates = split_constants(templates, names, counts)
    # Templates that took longer shapes: their last slot reads to the end of the line.
    tails = {t for t, name in zip(templates, names, strict=True) if name.count(" ") >= len(t)}
    # A request's pattern is its method and route, exactly: Drain would take two routes that
    # share a method and a status for one event.
    request_names = requests["mined"].to_list()
    templates += _request_templates(request_names)
    names += request_names
    by_id: dict[str, Template] = {}
    shape_ids: list[str] = []
    seen: dict[tuple[str, ...], str] = {}
    for tokens, shape in zip(templates, names, strict=True):
        pid = seen.get(tokens)
        if pid is None:
            request = shape.startswith(_REQUEST)
            template = make_template(tokens, request=request, tail=not request and tokens in tails)
            pid = seen[tokens] = template.id
            by_id[pid] = template
        shape_ids.append(pid)
    report(_SHARE_TEMPLATES, f"finding the patterns of {read.keys.len():,} entries")
    mapping = merged.select("_key", "shape", "mined").join(
        pl.DataFrame(
            {"mined": names, PATTERN: shape_ids}, schema={"mined": pl.String, PATTERN: pl.String}
        ),
        on="mined",
    )
    known = mapping.select("shape", PATTERN)
    keyed = mapping.select("_key", PATTERN)
    ids = read.keys.to_frame("_key").join(keyed, on="_key", how="left", maintain_order="left")
    firsts = read.firsts.join(keyed, on="_key", how="left", maintain_order="left")
    by_id = named(by_id, firsts["line"], firsts[PATTERN])
    report(1.0, f"{len(by_id):,} patterns")
    return Mined(ids[PATTERN], by_id, known)


# --- the table -----------------------------------------------------------------------------


def mine(
    table: pl.DataFrame,
    *,
    rows: pl.Series | None = None,
    top_values: int = TOP_VALUES,
    samples: int = SAMPLES,
    mined: Mined | None = None,
) -> PatternSet:
    """Return the patterns of `table`'s messages, with counts, spans, samples and token values.

    `table` has the ingest table's `ts`, `level` and `message` columns. Given `rows` (positions
    in `table`: a query's result), the whole table is mined, as the window mines it, and the
    patterns are those of `rows`, counted, spanned and sampled over them only; the result's
    `ids` are then those of `rows`. Sample row numbers are positions in `table`. With
    `top_values` or `samples` 0, the token values or samples (which cost more than the
    patterns when there are many) are left out. `mined`, when given, is `table` mined already
    (`mine_entries`, or kept from before): only the counts, samples and values are made.
    """
    if mined is None:
        mined = _mine_shapes(_read(table, _no_progress))
    entries = table
    ids = mined.ids.alias(PATTERN)
    rows_of = table.select("ts", "level").with_columns(
        ids, pl.int_range(table.height, dtype=pl.UInt32).alias("row")
    )
    if rows is not None:
        index = rows.cast(pl.UInt32)
        rows_of, ids = rows_of[index], ids.gather(index)
        entries = table[index] if top_values > 0 else table
    n = rows_of.height
    stats = (
        rows_of.group_by(PATTERN)
        .agg(
            pl.len().alias("count"),
            pl.col("ts").min().alias("first"),
            pl.col("ts").max().alias("last"),
            pl.col("level").cast(pl.String).mode().sort().first().alias("severity"),
        )
        .sort(["count", PATTERN], descending=[True, False])
    )
    picked = _samples(rows_of, samples)
    values = _token_values(entries, ids, mined.by_id, top_values) if top_values > 0 else {}
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


def token_field(
    name: str, templates: dict[str, Template], columns: Sequence[str]
) -> pl.Expr | None:
    """Return the expression of the value of the token called `name` (`status`, `ip`, `num2`)
    in each entry of a frame with these columns and a PATTERN column: the value of its
    pattern's slot of that name, null where its pattern has none. None when no template has a
    slot of that name."""
    slots = [(pid, s) for pid, t in templates.items() for s in t.slots if s.name == name]
    if not slots:
        return None
    line = line_expr(columns)
    pattern = pl.col(PATTERN)
    simple = {pid: s for pid, s in slots if not s.token}
    value = pl.lit(None, dtype=pl.String)
    if simple:

        def lookup(of: dict[str, int]) -> pl.Expr:
            return pattern.replace_strict(of, default=None, return_dtype=pl.Int64)

        position = lookup({pid: s.position for pid, s in simple.items()})
        before = lookup({pid: len(s.prefix) for pid, s in simple.items()})
        after = lookup({pid: len(s.suffix) for pid, s in simple.items()})
        words = line.str.split(" ")
        token = words.list.get(position, null_on_oob=True)
        if any(s.rest for s in simple.values()):  # a tail's value is the rest of the line
            rest = pattern.is_in([pid for pid, s in simple.items() if s.rest])
            token = pl.when(rest).then(words.list.slice(position).list.join(" ")).otherwise(token)
        value = token.str.slice(before, token.str.len_chars() - before - after)
    for pid, slot in slots:  # a route's ids: few patterns, each read by its own regex
        if slot.token:
            token = line.str.split(" ").list.get(slot.position, null_on_oob=True)
            value = pl.when(pattern == pid).then(_strip(token, slot)).otherwise(value)
    return value


def slot_of_line(line: pl.Expr, slot: Slot) -> pl.Expr:
    """Return the value of `slot` in each normalised first line (null where it has none)."""
    return slot_of_words(line.str.split(" "), slot)


def slot_of_words(words: pl.Expr, slot: Slot) -> pl.Expr:
    """Return the value of `slot` in each line split on spaces: one split serves every slot of
    a template (splitting once and picking costs a seventh of a regex per slot)."""
    if slot.rest:  # a tail's value is the rest of the line, from its token on
        token = pl.when(words.list.len() > slot.position).then(
            words.list.slice(slot.position).list.join(" ")
        )
    else:
        token = words.list.get(slot.position, null_on_oob=True)
    return _strip(token, slot)


def _strip(token: pl.Expr, slot: Slot) -> pl.Expr:
    """Return the value in a slot's token: the token without the template's text around it."""
    if slot.token:
        return token.str.extract(f"^{token_regex(slot.token)}$", slot.part + 1)
    value = token.str.slice(len(slot.prefix)) if slot.prefix else token
    return value.str.head(-len(slot.suffix)) if slot.suffix else value


# Token values are counted this many rows at a time: the rows' tokens (16 bytes each) and the
# (row, slot) pairs live a slice at a time; only the value counts are kept.
_SPLIT_ROWS = 200_000


def _token_values(
    entries: pl.DataFrame, ids: pl.Series, templates: dict[str, Template], top: int
) -> dict[str, tuple[TokenValues, ...]]:
    """Return the value counts of every slot of every pattern of `entries` (`ids` theirs).

    Vectorised over patterns: each slice of entries has its lines made and split on spaces
    once (no copy of every line lives longer than its slice); the j-th slot of
    every row's pattern is read in one pass (its position, and the lengths of the text around
    its value, looked up by pattern id), and only the (pattern, slot, value) counts are kept.
    The top values, distinct counts and numeric summaries are then read from the counts. (A
    loop over patterns costs a millisecond of polars calls each: seconds for thousands.)
    """
    by_slot = [(pid, slot) for pid, t in templates.items() for slot in t.slots]
    if not by_slot or entries.height == 0:
        return {}
    width = max(len(t.slots) for t in templates.values())
    pattern = pl.col(PATTERN)

    def lookup(j: int, of: Callable[[Slot], int | str | None], dtype: pl.DataType) -> pl.Expr:
        table = {pid: of(t.slots[j]) for pid, t in templates.items() if len(t.slots) > j}
        return pattern.replace_strict(table, default=None, return_dtype=dtype)

    counted = []
    for offset in range(0, entries.height, _SPLIT_ROWS):
        lines = lines_of(entries.slice(offset, _SPLIT_ROWS))["line"]
        part = pl.DataFrame({PATTERN: ids.slice(offset, _SPLIT_ROWS), "line": lines.str.split(" ")})
        for j in range(width):
            position = lookup(j, lambda s: s.position, pl.Int64)
            token = pl.col("line").list.get(position, null_on_oob=True)
            if any(len(t.slots) > j and t.slots[j].rest for t in templates.values()):
                # A tail's value is the rest of the line (`Slot.rest`).
                rest = lookup(j, lambda s: s.rest, pl.Boolean)
                whole = pl.col("line").list.slice(position).list.join(" ")
                token = pl.when(rest).then(whole).otherwise(token)
            before = lookup(j, lambda s: len(s.prefix), pl.Int64)
            after = lookup(j, lambda s: len(s.suffix), pl.Int64)
            regex = lookup(j, lambda s: f"^{token_regex(s.token)}$" if s.token else None, pl.String)
            values = part.select(
                PATTERN,
                pl.lit(j + 1, dtype=pl.UInt32).alias("number"),
                token.str.slice(before, token.str.len_chars() - before - after).alias("value"),
                regex.alias("regex"),
                lookup(j, lambda s: s.part + 1, pl.UInt32).alias("part"),
                token.alias("token"),
            ).filter(pl.col("value").is_not_null())
            routes = values.filter(pl.col("regex").is_not_null())
            values = values.filter(pl.col("regex").is_null()).select(PATTERN, "number", "value")
            if routes.height:  # a route's token holds several values: each read by its regex
                values = pl.concat(
                    [values]
                    + [
                        group.select(
                            PATTERN,
                            "number",
                            pl.col("token").str.extract(regex, int(n)).alias("value"),
                        )
                        for (regex, n), group in routes.group_by("regex", "part")
                    ]
                )
            counted.append(values.drop_nulls("value").group_by(PATTERN, "number", "value").len("n"))
    counts = pl.concat(counted).group_by(PATTERN, "number", "value").agg(pl.col("n").sum())
    summaries = _summaries(counts, top)
    out: dict[str, list[TokenValues]] = {}
    slot_of = {(pid, s.number): s for pid, s in by_slot}
    for pid, number, values, n, distinct, numeric in summaries.iter_rows():
        slot = slot_of[(pid, number)]
        top_values = tuple((str(v), int(c)) for v, c in zip(values, n, strict=True))
        low_mid_high = tuple(numeric) if numeric is not None else None
        kind = "number" if low_mid_high else value_kind(v for v, _ in top_values)
        out.setdefault(pid, []).append(TokenValues(slot, kind, top_values, distinct, low_mid_high))
    return {pid: tuple(sorted(v, key=lambda t: t.slot.number)) for pid, v in out.items()}


def _summaries(counts: pl.DataFrame, top: int) -> pl.DataFrame:
    """Return, per (pattern, slot), its `top` values and their counts (most first, ties by
    value), its distinct count, and [min, median, max] where every value is a number (the
    median of the values as counted: the middle one, or the mean of the two middle ones)."""
    number = pl.col("value").str.replace(",", ".", literal=True).cast(pl.Float64, strict=False)
    with_numbers = counts.with_columns(x=number)
    ordered = with_numbers.sort(
        [PATTERN, "number", "n", "value"], descending=[False, False, True, False]
    )
    tops = ordered.group_by(PATTERN, "number", maintain_order=True).agg(
        pl.col("value").head(top), pl.col("n").head(top), pl.len().alias("distinct"),
        pl.col("x").is_null().any().alias("text"), pl.col("n").sum().alias("total"),
    )  # fmt: skip
    numeric = (
        with_numbers.join(
            tops.filter(~pl.col("text")).select(PATTERN, "number", "total"), on=[PATTERN, "number"]
        )
        .sort([PATTERN, "number", "x"])
        .with_columns(below=pl.col("n").cum_sum().over(PATTERN, "number") - pl.col("n"))
        .group_by(PATTERN, "number")
        .agg(
            pl.col("x").min().alias("low"),
            pl.col("x").max().alias("high"),
            # The values at positions (total - 1) // 2 and total // 2 of the sorted values.
            pl.col("x").filter(pl.col("below") <= (pl.col("total") - 1) // 2).last().alias("m1"),
            pl.col("x").filter(pl.col("below") <= pl.col("total") // 2).last().alias("m2"),
        )
        .select(
            PATTERN,
            "number",
            pl.concat_list("low", (pl.col("m1") + pl.col("m2")) / 2, "high").alias("numeric"),
        )
    )
    return tops.join(numeric, on=[PATTERN, "number"], how="left").select(
        PATTERN, "number", "value", "n", "distinct", "numeric"
    )


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
    kind = "number" if numeric else value_kind(v for v, _ in top_values)
    return TokenValues(slot, kind, top_values, distinct, numeric)
