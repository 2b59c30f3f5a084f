"""Where each entry's body starts: the header a source's lines share, learned from a sample.

A log line is a header written by the logging library (stamp, level, thread, logger, host,
`program[pid]:`) followed by a body written by the program. Patterns, comparisons, anomalies
and token values are about bodies: mined whole, the day of the month, the host or the weekday
of the header become tokens of every template, and the same event becomes one pattern per
value.

A parser says where its own header ends (`body_at`, a character offset into the message:
after the stamp for plain text, after `program[pid]:` for syslog, 0 for the message field of
a structured format). What comes next is learned per source, because one logging
configuration writes every line's header the same way:

1. The first tokens of a sample of lines are read as header tokens: separators (`-`, `|`,
   `:`, a stamp's closing `]`), level words (`INFO`, `[notice]`, `<warn>`, `ERROR:`,
   `[core:error]`), bracketed groups (`[main]`, `[pool-1 [x]]`, `<id>`), `name[pid]:` and
   dotted `logger.Name:`, numbers and other words.
2. They are cut into units: any words, then one of the first four kinds, which can end a
   header (a word or a number cannot: it may be the body's first word).
3. The header is the longest run of units that at least half the sampled lines start with
   (`MIN_SHARE`). Words are therefore part of a header only where most lines have the same
   number of them before the same kind of token (BGL's node and component before its level,
   HealthApp's `|component|pid|`), never because one line happens to start that way.
4. Every entry's first line is matched against the units, each optional after the one before
   (a line without a thread is read up to its level), in one vectorised regex pass that also
   reads the header's parts into fields: `thread` (the first bracketed group that is not a
   level), `pid`, `program` (`name:` / `name[pid]:`), `logger` (a dotted name before `:`, or
   the one word before a ` - `), and `header` (other words, such as a node name).

A line that matches none of the header keeps its body where the parser put it.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import polars as pl

from logview.core.regex import ascii_classes

BODY_AT = "body_at"  # the column: character offset of the body in `message` (null: 0)
# Header fields this module fills, in the order the Logs table shows them.
FIELDS = ("host", "program", "pid", "thread", "logger", "header")

# A header is read from at most this many characters and tokens of a line.
WINDOW = 240
MAX_TOKENS = 14
MAX_WORDS = 8  # words before one terminal token
MIN_SHARE = 0.5  # of the sampled lines that start with a header for it to be the source's
# Below this many sampled lines, a `name:` token is not taken for a program or logger: in a
# handful of lines it is as likely the message's own "Reason: ..." as a logger.
MIN_LINES_FOR_NAMES = 20

_LEVEL_NAMES = (
    "trace|debug|info|information|informational|notice|warn|warning|error|err|fatal|critical"
    "|crit|severe|alert|emerg|emergency|panic|fine|finer|finest|verbose|config|failure"
)
# Tokens, written once for Python's `re` (learning, on the sample) and Rust's (applying, on
# every line): no look-around, so delimiters are written out where the units are put together.
_LEVEL = (
    rf"(?:\[ *(?:[\w.-]+:)?(?i:{_LEVEL_NAMES})\d? *\]|<(?i:{_LEVEL_NAMES})>"
    rf"|\((?i:{_LEVEL_NAMES})\)|(?i:{_LEVEL_NAMES})\d?\b:?)"
)
_BRACKET = r"(?:\[(?:[^\[\]]|\[[^\[\]]*\])*\]|<[^<>]{1,80}>):?"
_PROGRAM = r"[A-Za-z_][\w.$@/+-]*(?:\([^()\s]*\))?(?:\[[^\]\s]*\])?:"
_NUMBER = r"#?\d+"
_WORD = r"[^\s|]+"
_SEPARATORS = ("|", "-", "--", ":", "]")
TERMINALS = ("sep", "level", "bracket", "program")
# Kinds whose token ends itself (a bracket, a separator): nothing needs to follow it.
_SELF_ENDING = ("sep", "bracket")

_SCAN = re.compile(
    rf"(?P<sep>\||--?(?=[ \t]|$)|:(?=[ \t]|$)|\](?=[ \t|]|$))"
    rf"|(?P<level>{_LEVEL})(?=[ \t|]|$)"
    rf"|(?P<bracket>{_BRACKET})(?=[ \t|]|$)"
    rf"|(?P<program>{_PROGRAM})(?=[ \t]|$)"
    rf"|(?P<num>{_NUMBER})(?=[ \t|]|$)"
    rf"|(?P<word>{_WORD})",
    re.ASCII,
)


@dataclass(frozen=True)
class Unit:
    """Some words, then a token that can end a header (a kind of TERMINALS, or `sep` with its
    character)."""

    words: tuple[str, ...]  # "word" or "num", in order
    end: str  # "level", "bracket", "program", or "sep:<char>"


@dataclass(frozen=True)
class Header:
    """The header a source's lines share after where their parser's header ends."""

    units: tuple[Unit, ...]

    def __bool__(self) -> bool:
        return bool(self.units)

    @property
    def regex(self) -> str:
        """Return the regex that matches this header at a body's start (`h` is all of it)."""
        return _compile(self.units)


NO_HEADER = Header(())


def scan(text: str) -> list[tuple[str, str]]:
    """Return the header tokens at the start of `text`: (kind, token) pairs."""
    tokens: list[tuple[str, str]] = []
    at, end = 0, min(len(text), WINDOW)
    while at < end and len(tokens) < MAX_TOKENS:
        while at < end and text[at] in " \t":
            at += 1
        match = _SCAN.match(text, at, end)
        if match is None or match.end() == at:
            break
        kind = match.lastgroup or "word"
        token = match.group()
        if kind == "sep":
            kind = f"sep:{token}"
        tokens.append((kind, token))
        at = match.end()
    return tokens


def units_of(tokens: Sequence[tuple[str, str]], *, names: bool = True) -> list[Unit]:
    """Return the units a line's header tokens fall into (a trailing run of words is none)."""
    units: list[Unit] = []
    words: list[str] = []
    for kind, _ in tokens:
        terminal = kind.startswith("sep:") or kind in TERMINALS
        if kind == "program" and not names:
            terminal = False
        if not terminal:
            if len(words) == MAX_WORDS:
                break
            words.append("num" if kind == "num" else "word")
            continue
        units.append(Unit(tuple(words), kind))
        words = []
    return units


def learn(sample: Sequence[str]) -> Header:
    """Return the header that at least MIN_SHARE of `sample` (each line from where its parser's
    header ends) starts with: the longest such run of units, or NO_HEADER."""
    lines = [line for line in sample if line.strip()]
    if not lines:
        return NO_HEADER
    names = len(lines) >= MIN_LINES_FOR_NAMES
    starts: Counter[tuple[Unit, ...]] = Counter()
    for line in lines:
        units = units_of(scan(line), names=names)
        for n in range(1, len(units) + 1):
            starts[tuple(units[:n])] += 1
    best: tuple[Unit, ...] = ()
    needed = MIN_SHARE * len(lines)
    for n in range(1, MAX_TOKENS + 1):
        candidates = [
            (count, units) for units, count in starts.items() if len(units) == n and count >= needed
        ]
        if not candidates:
            break
        # Ties (two runs each on exactly half the lines) go to the one seen on more lines, then
        # to the one with fewer words.
        candidates.sort(key=lambda c: (-c[0], sum(len(u.words) for u in c[1]), repr(c[1])))
        count, units = candidates[0]
        if units[:-1] != best:
            break
        best = units
    return Header(best)


# --- applying a header to every line ---------------------------------------------------------

_B = r"(?-u:\b)"
_RUST_TOKENS = {
    "word": _WORD,
    "num": _NUMBER,
    "level": _LEVEL.replace(r"\b", _B),
    "bracket": _BRACKET,
    "program": _PROGRAM,
}


def _token(kind: str, group: str | None) -> str:
    regex = re.escape(kind[4:]) if kind.startswith("sep:") else _RUST_TOKENS[kind]
    return f"(?P<{group}>{regex})" if group else f"(?:{regex})"


def _between(before: str | None, after: str) -> str:
    """Return the space allowed between two tokens of these kinds (None: the header's start)."""
    if before is None:
        return "[ \t]*"
    if any(k.startswith(s) for k in (before, after) for s in _SELF_ENDING):
        return "[ \t]*"
    return "[ \t]+"


def _compile(units: Sequence[Unit]) -> str:
    """Return the header regex: each unit optional after the one before it, fields named.

    Groups: `h` the whole header with the space after it; `thread`, `pid`, `program` (a
    `name:` or `name[pid]:` token, split later), `w0`, `w1`, ... the other words, `lw` the
    one word before a `-` separator (a logger, as in `name - message`).
    """
    named: set[str] = set()
    word_groups = 0

    def group(kind: str, n_words: int, end: str) -> str | None:
        nonlocal word_groups
        name = None
        if kind == "bracket":
            name = "thread"
        elif kind == "program":
            name = "program"
        elif kind == "num":
            name = "pid"
        elif kind == "word" and n_words == 1 and end == "sep:-":
            name = "lw"
        elif kind == "word":
            word_groups += 1
            return f"w{word_groups - 1}"
        if name is None or name in named:
            return None
        named.add(name)
        return name

    parts: list[str] = []
    previous: str | None = None
    for unit in units:
        body = ""
        for kind in (*unit.words, unit.end):
            body += _between(previous, kind) + _token(kind, group(kind, len(unit.words), unit.end))
            previous = kind
        parts.append(body)
    nested = ""
    for part in reversed(parts):
        nested = f"(?:{part}{nested})?"
    return ascii_classes(f"^(?P<h>{nested}" + "(?:[ \t]+|$)?)")


_PROGRAM_PARTS = ascii_classes(r"^([^\[]*?)(?:\[([^\]]*)\])?:$")


def split(frame: pl.DataFrame, header: Header) -> pl.DataFrame:
    """Return a parsed frame (`message`, optional `body_at`) with `body_at` moved past `header`
    on every entry whose first line has it, and the header's parts as FIELDS columns (only
    those some entry fills; a field the parser already gave keeps the parser's value)."""
    if not header or frame.height == 0:
        return frame
    start = pl.col(BODY_AT).fill_null(0) if BODY_AT in frame.columns else pl.lit(0)
    window = pl.col("message").str.slice(start, WINDOW)
    parts = frame.select(window.str.extract_groups(header.regex).alias("p")).unnest("p")
    length = parts["h"].str.len_chars().fill_null(0).cast(pl.UInt32)
    found = parts.select(
        pl.col(c) for c in parts.columns if c != "h" and parts[c].null_count() < parts.height
    )
    cols = set(found.columns)
    none = pl.lit(None, dtype=pl.String)
    fields: dict[str, pl.Expr] = {}
    if "program" in cols:
        name = pl.col("program").str.extract(_PROGRAM_PARTS, 1)
        dotted = name.str.contains(r"[.$]")
        fields["logger"] = pl.when(dotted).then(name)
        fields["program"] = pl.when(~dotted).then(name)
        fields["pid"] = pl.col("program").str.extract(_PROGRAM_PARTS, 2)
    if "lw" in cols:
        fields["logger"] = pl.coalesce(fields.get("logger", none), pl.col("lw"))
    if "pid" in cols:
        fields["pid"] = pl.coalesce(fields.get("pid", none), pl.col("pid"))
    if "thread" in cols:
        fields["thread"] = pl.col("thread").str.strip_chars_end(":").str.slice(1).str.head(-1)
    words = [c for c in found.columns if c.startswith("w")]
    if words:
        fields["header"] = pl.when(pl.any_horizontal(pl.col(words).is_not_null())).then(
            pl.concat_str(words, separator=" ", ignore_nulls=True)
        )
    values = found.select(expr.alias(name) for name, expr in fields.items()) if fields else None
    out = frame.with_columns(
        (pl.lit(0, dtype=pl.UInt32) if BODY_AT not in frame.columns else pl.col(BODY_AT))
        .fill_null(0)
        .cast(pl.UInt32)
        .add(length)
        .alias(BODY_AT)
    )
    extra = []
    for name in FIELDS:
        if values is None or name not in values.columns:
            continue
        column = values[name]
        if column.null_count() == column.len():
            continue
        if name in out.columns:
            extra.append(pl.coalesce(pl.col(name).cast(pl.String), pl.lit(column)).alias(name))
        else:
            extra.append(pl.lit(column).alias(name))
    return out.with_columns(extra) if extra else out


def sample_of(frame: pl.DataFrame, size: int = 500) -> list[str]:
    """Return the first lines of up to `size` entries of a parsed frame, each from its
    `body_at`: the head of the source and entries spread over the rest."""
    if frame.height == 0:
        return []
    step = max(1, frame.height // size)
    picked = pl.concat(
        [frame.head(size // 2), frame.gather_every(step).head(size // 2)], how="vertical"
    )
    start = pl.col(BODY_AT).fill_null(0) if BODY_AT in picked.columns else pl.lit(0)
    lines = picked.select(
        pl.col("message").str.slice(start, WINDOW).str.replace(r"\n(?s:.*)", "")
    ).to_series()
    return lines.drop_nulls().to_list()


def learn_and_split(
    frame: pl.DataFrame, header: Header | None = None
) -> tuple[pl.DataFrame, Header]:
    """Return a parsed frame with its bodies split from the source's header (learned on the
    frame when not given), and that header."""
    if header is None:
        header = learn(sample_of(frame))
    return split(frame, header), header
