"""Where each entry's body starts: the headers a source's lines share, learned from a sample.

A log line is a header written by the logging library (stamp, level, thread, logger, host,
`program[pid]:`) followed by a body written by the program. Patterns, comparisons, anomalies
and token values are about bodies: mined whole, the day of the month, the host or the weekday
of the header become tokens of every template, and the same event becomes one pattern per
value.

A parser says where its own header ends (`body_at`, a character offset into the message:
after the stamp for plain text, after `program[pid]:` for syslog). What comes next is learned
per source, because one logging configuration writes every line's header the same way:

1. The first tokens of a sample of lines are read as header tokens (`scan`): separators (`-`,
   `|`, `:`, a tab, a stamp's closing `]`), level words (`INFO`, `[notice]`, `<warn>`,
   `ERROR:`, `[core:error]`), ISO 8601 stamps, bracketed groups (`[main]`, `[pool-1 [x]]`),
   `name[pid]:` and `logger.Name:`, numbers and other words.
2. They are cut into units: any words, then one token of a kind that can end a header
   (TERMINALS). A word or a number cannot: it may be the body's first word. A `name:` that
   is the same plain word on every sampled line (`RequestId:`, `Reason:`) is a word too: a
   label in the message, not a program or logger, which vary or carry `[pid]` or dots.
3. Lines are grouped by the kind of their first token, one group per writer: a source can
   interleave writers with their own headers (a Lambda's runtime lines and the function's
   `[INFO]\\t<stamp>\\t<request id>\\t...` lines). A group's header is the longest run of units
   that at least half its lines start with (`MIN_SHARE`); a group counts when it holds at
   least half the sample, or MIN_GROUP lines and a header with a level or a stamp. Words are therefore part of a header only where
   most of a writer's lines have the same number of them before the same kind of token (BGL's
   node and component before its level, HealthApp's `|component|pid|`), never because one
   line happens to start that way. A header has one level, and after it no words but a
   logger's before ` - `: a level word further on is the body's (`cache parity error`).
4. Every entry's first line is matched against the groups' headers, each unit optional after
   the one before (a line without a thread is read up to its level), in one vectorised regex
   pass that also reads the header's parts into fields: `thread` (the first bracketed group
   that is not a level), `pid`, `program` (`name:` / `name[pid]:`), `logger` (a dotted name
   before `:`, or the one word before a ` - `), and `header` (other words, such as a node).

A line that matches no header keeps its body where the parser put it.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import polars as pl

from logview.core.reading import levels
from logview.core.shared.regex import ascii_classes
from logview.core.shared.table import HEADER_FIELDS

BODY_AT = "body_at"  # the column: character offset of the body in `message` (null: 0)
# The column `split` adds where a header gave a level: the level word at the header's place,
# which ingest prefers to the parser's for formats that look for levels in text.
HEADER_LEVEL = "_header_level"
# Header fields this module fills, in the order the Logs table shows them.
FIELDS = HEADER_FIELDS

# A header is read from at most this many characters and tokens of a line.
WINDOW = 240
MAX_TOKENS = 14
MAX_WORDS = 8  # words before one terminal token
MIN_SHARE = 0.5  # of a group's sampled lines that start with a header for it to be the group's
MIN_GROUP = 10  # sampled lines, for a group that is less than half the sample
# Below this many sampled lines, a `name:` token is not taken for a program or logger: in a
# handful of lines it is as likely the message's own "Reason: ..." as a logger.
MIN_LINES_FOR_NAMES = 20

_ENGLISH_NAMES = (
    "trace|debug|info|information|informational|notice|warn|warning|error|err|fatal|critical"
    "|crit|severe|alert|emerg|emergency|panic|fine|finer|finest|verbose|config|failure"
    "|fail|dbug|trce|log"
)
# Windows' level names in other languages (`levels.LOCALISED`) are read in a sample; the regex
# applied to every line holds them only where the sample shows one (they cost a quarter of
# the time of applying a header where they are alternatives for nothing).
_LOCALISED = frozenset(levels.LOCALISED)
_LOCALISED_NAMES = "|".join(levels.LOCALISED)
_LEVEL_NAMES = f"{_ENGLISH_NAMES.removesuffix('|log')}|{_LOCALISED_NAMES}|log"
# Levels only in brackets: MySQL's `[Note]` and `[System]`.
_BRACKET_NAMES = f"{_LEVEL_NAMES}|note|system"
# As a bare word, `log` is more often a logger's or module's name (Django's verbose format
# writes its module, `log`, after the stamp) than a level; in capitals it is one (PgBouncer's
# `LOG`, PostgreSQL's `LOG:`). So is `SYSTEM`, MySQL's priority for what is always logged
# (MySQL 8's error log writes `[System]`, MySQL Router's log `SYSTEM`), but not before a
# colon, where it is a name (Synology's logs: the user, `SYSTEM:` or `admin:`).
_BARE_NAMES = _LEVEL_NAMES.removesuffix("|log")
# Upper-case labels that are a level's place only before a colon: PostgreSQL's `LOG:` and the
# parts of a message that follow it (`DETAIL:`, `STATEMENT:`, ...).
_LABELS = "LOG|STATEMENT|DETAIL|HINT|CONTEXT|QUERY|LOCATION"
# Tokens, written once for Python's `re` (learning, on the sample) and Rust's (applying, on
# every line): no look-around, so delimiters are written out where the units are put together.
_LEVEL = (
    rf"(?:\[ *(?:[\w.-]+:)?(?i:{_BRACKET_NAMES})\d? *\]|<(?i:{_LEVEL_NAMES})>"
    rf"|\((?i:{_LEVEL_NAMES})\)|(?i:{_BARE_NAMES})\d?\b:?|LOG\b:?|SYSTEM\b(?!:)|(?:{_LABELS}):)"
)
_STAMP = (
    r"\[?\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:[.,]\d+)?(?:Z|[+-]\d{2}:?\d{2})?\]?"
    r"|\d{2}:\d{2}:\d{2}(?:[.,]\d+)?"
)
_BRACKET = r"(?:\[(?:[^\[\]]|\[[^\[\]]*\])*\]|<[^<>]{1,80}>):?"
_PROGRAM = r"[A-Za-z_][\w.$@/+-]*(?:\([^()\s]*\))?(?:\[[^\]\s]*\])?:"
_NUMBER = r"#?\d+"
_WORD = r"[^\s|]+"
TERMINALS = ("sep", "level", "stamp", "bracket", "program")
COLUMN = "sep:  "  # the gap between aligned columns
# Kinds whose token ends itself (a bracket, a separator): nothing needs to follow it.
_SELF_ENDING = ("sep", "bracket")

_SCAN = re.compile(
    rf"(?P<sep>\||\t|-{{1,3}}(?=[ \t]|$)|[:,](?=[ \t]|$)|\](?=[ \t|]|$))"
    rf"|(?P<level>{_LEVEL})(?=[ \t|]|$)"
    rf"|(?P<stamp>{_STAMP})(?=[ \t|]|$)"
    rf"|(?P<bracket>{_BRACKET})(?=[ \t|]|$)"
    rf"|(?P<program>{_PROGRAM})(?=[ \t]|$)"
    rf"|(?P<num>{_NUMBER})(?=[ \t|]|$)"
    rf"|(?P<word>{_WORD})",
    re.ASCII,
)


@dataclass(frozen=True)
class Unit:
    """Some words, then a token that can end a header (a kind of TERMINALS; a separator is
    `sep:` and its character)."""

    words: tuple[str, ...]  # "word" or "num", in order
    end: str


@dataclass(frozen=True)
class Header:
    """The headers a source's lines share after where their parser's header ends: one run of
    units per group of lines (per writer), most common first."""

    alternatives: tuple[tuple[Unit, ...], ...]
    # The regexes of level and bracket tokens in the forms the sample showed (kind, regex):
    # a regex of only the forms a file uses runs three times as fast as one of every form.
    forms: tuple[tuple[str, str], ...] = ()

    def __bool__(self) -> bool:
        return bool(self.alternatives)

    @property
    def regex(self) -> str:
        """Return the regex that matches these headers at a body's start (`h` is all of it)."""
        return _compile(self.alternatives, dict(self.forms))


NO_HEADER = Header(())


def scan(text: str) -> list[tuple[str, str]]:
    """Return the header tokens at the start of `text`: (kind, token) pairs."""
    tokens: list[tuple[str, str]] = []
    at, end = 0, min(len(text), WINDOW)
    while at < end and len(tokens) < MAX_TOKENS:
        spaces = at
        while at < end and text[at] == " ":
            at += 1
        if at - spaces >= 2 and tokens and tokens[-1][0] == "word":
            # Aligned columns: two spaces or more after a word end its field (`Info    CBS
            # Loaded ...`). After a level they are its padding (`INFO  [main]`, `ERROR [main]`),
            # before or after a number the width of its digits (`1702  2113`, `1702 10454`).
            tokens.append((COLUMN, "  "))
            if len(tokens) == MAX_TOKENS:
                break
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


def units_of(tokens: Sequence[tuple[str, str]]) -> list[tuple[Unit, tuple[str, ...]]]:
    """Return the units a line's header tokens fall into, each with its tokens' text (a
    trailing run of words is none)."""
    units: list[tuple[Unit, tuple[str, ...]]] = []
    words: list[str] = []
    texts: list[str] = []
    for kind, token in tokens:
        texts.append(token)
        if not (kind.startswith("sep:") or kind in TERMINALS):
            if len(words) == MAX_WORDS:
                break
            words.append("num" if kind == "num" else "word")
            continue
        units.append((Unit(tuple(words), kind), tuple(texts)))
        words, texts = [], []
    return units


def _labels(scanned: Sequence[Sequence[tuple[str, str]]]) -> set[str]:
    """Return the `name:` tokens of the sample that are labels rather than programs: a plain
    name (no `[pid]`, no dots) that is the only plain name the sample's lines show."""
    plain = {
        token
        for tokens in scanned
        for kind, token in tokens
        if kind == "program" and not re.search(r"[\[.$]", token)
    }
    return plain if len(plain) == 1 else set()


def learn(sample: Sequence[str]) -> Header:
    """Return the headers the lines of `sample` (each from where its parser's header ends)
    share, per group of lines with the same kind of first token (see the module), or
    NO_HEADER."""
    lines = [line for line in sample if line.strip()]
    if not lines:
        return NO_HEADER
    scanned = [scan(line) for line in lines]
    labels = _labels(scanned)
    names = len(lines) >= MIN_LINES_FOR_NAMES
    groups: dict[str, list[list[tuple[Unit, tuple[str, ...]]]]] = {}
    for tokens in scanned:
        tokens = [
            ("word", t) if k == "program" and (t in labels or not names) else (k, t)
            for k, t in tokens
        ]
        key = tokens[0][0] if tokens else ""
        groups.setdefault(key, []).append(units_of(tokens))
    alternatives = []
    for members in sorted(groups.values(), key=len, reverse=True):
        minority = len(members) < MIN_SHARE * len(lines)
        if minority and len(members) < MIN_GROUP:
            continue
        shared = _shared(members)
        # A writer of a minority of the lines shows its header by a level or a stamp (`[INFO]
        # <stamp> ...`); a bare `name:` or `[x]` starting some lines is their messages' own
        # (`ARPT: ...`, `Sandbox: ...` in a kernel's messages).
        if minority and not any(unit.end in ("level", "stamp") for unit in shared):
            continue
        # ... and where that is a level, one in a header's form or one that varies: a few
        # lines that start with the same lower-case word (`error while reading ...`) are prose.
        if minority and not any(u.end == "stamp" for u in shared) and _one_prose_level(members):
            continue
        if shared:
            alternatives.append(shared)
    return Header(tuple(alternatives), _forms(scanned)) if alternatives else NO_HEADER


def _one_prose_level(members: Sequence[Sequence[tuple[Unit, tuple[str, ...]]]]) -> bool:
    """Return whether the level words of a group's lines (each line's first level token) are
    all bare, not upper-case, and one word: as likely the first word of a sentence as a
    level."""
    words = set()
    for line in members:
        for unit, texts in line:
            if unit.end == "level":
                token = texts[-1]
                if token[0] in "[<(" or token.rstrip(":").isupper():
                    return False
                words.add(token.rstrip(":").lower())
                break
    return len(words) <= 1


def _forms(scanned: Sequence[Sequence[tuple[str, str]]]) -> tuple[tuple[str, str], ...]:
    """Return the regexes of the level and bracket tokens in the forms `scanned` shows: the
    level words in the case they are written (any case where it varies), bare, in square or
    angle brackets or parentheses; brackets with a bracket inside only where one has one."""
    levels = [t for tokens in scanned for k, t in tokens if k == "level"]
    brackets = [t for tokens in scanned for k, t in tokens if k == "bracket"]
    out = []
    if levels:
        words = [re.sub(r"[^A-Za-z]", "", re.sub(r"^.*:", "", t.rstrip(":"))) for t in levels]
        local = any(w.lower() in _LOCALISED for w in words)
        level_names = _LEVEL_NAMES if local else _ENGLISH_NAMES
        shown = (level_names, f"{level_names}|note|system")
        if all(w.isupper() for w in words):
            names, bracketed = (f"(?:{n.upper()})" for n in shown)
        elif all(w.islower() for w in words):
            names, bracketed = (f"(?:{n})" for n in shown)
        else:
            names, bracketed = (f"(?i:{n})" for n in shown)
        forms = []
        if any(t[0] == "[" for t in levels):
            forms.append(rf"\[ *(?:[\w.-]+:)?{bracketed}\d? *\]")
        if any(t[0] == "<" for t in levels):
            forms.append(rf"<{names}>")
        if any(t[0] == "(" for t in levels):
            forms.append(rf"\({names}\)")
        if any(re.fullmatch(f"(?:{_LABELS}):", t) for t in levels):
            forms.append(f"(?:{_LABELS}):")
        if any(t[0] not in "[<(" and not re.fullmatch(f"(?:{_LABELS}):", t) for t in levels):
            forms.append(rf"(?:{names}|SYSTEM)\d?{_B}:?")
        out.append(("level", "(?:" + "|".join(forms) + ")"))
    if brackets:
        square = (
            r"\[(?:[^\[\]]|\[[^\[\]]*\])*\]"
            if any("[" in t[1:] for t in brackets if t[0] == "[")
            else r"\[[^\]]*\]"
        )
        forms = [square] * any(t[0] == "[" for t in brackets)
        forms += [r"<[^<>]{1,80}>"] * any(t[0] == "<" for t in brackets)
        out.append(("bracket", "(?:" + "|".join(forms) + "):?"))
    return tuple(out)


def _shared(members: Sequence[Sequence[tuple[Unit, tuple[str, ...]]]]) -> tuple[Unit, ...]:
    """Return the longest run of units that at least MIN_SHARE of `members` start with."""
    starts: Counter[tuple[Unit, ...]] = Counter()
    for line in members:
        units = [unit for unit, _ in line]
        for n in range(1, len(units) + 1):
            starts[tuple(units[:n])] += 1
    best: tuple[Unit, ...] = ()
    needed = MIN_SHARE * len(members)
    for n in range(1, MAX_TOKENS + 1):
        candidates = [
            (count, units) for units, count in starts.items() if len(units) == n and count >= needed
        ]
        if not candidates:
            break
        # Ties (two runs each on exactly half the lines) go to the one with fewer words.
        candidates.sort(key=lambda c: (-c[0], sum(len(u.words) for u in c[1]), repr(c[1])))
        units = candidates[0][1]
        if (
            units[:-1] != best
            or not _after_level(units)
            or not _levels_vary(members, units)
            or not _names_vary(members, units)
        ):
            break
        best = units
    return best


def _after_level(run: tuple[Unit, ...]) -> bool:
    """Return whether the last unit of `run` can follow the units before it: a header has one
    level, and after it no words but one before a field separator (a logger before ` - `,
    `INFO com.example.Foo - ...`, or before its context, `INFO nova.api [req-7 ...]`; a request
    id before a tab; a component in aligned columns); other words there are the body's
    (`connection error: ...`)."""
    if not any(unit.end == "level" for unit in run[:-1]):
        return True
    last = run[-1]
    one_field = len(last.words) == 1 and last.end in _FIELD_SEPARATORS
    return last.end != "level" and (not last.words or one_field)


# (Spring Boot's `INFO 2107 --- [main]`: the pid before three dashes)
_FIELD_SEPARATORS = ("sep:-", "sep:---", "sep:\t", "sep:|", COLUMN, "bracket")


def _levels_vary(
    members: Sequence[Sequence[tuple[Unit, tuple[str, ...]]]], run: tuple[Unit, ...]
) -> bool:
    """Return whether the last unit of `run`, when it is words then a level, has a level that
    varies: a header's does (INFO, WARN, ERROR); a level word in the same sentence on most
    lines (`user 7 saw an ERROR in ...`) does not."""
    last = run[-1]
    if last.end != "level" or not last.words:
        return True
    at = len(run) - 1
    texts = {
        line[at][1][-1].strip("[]<>():").lower()
        for line in members
        if len(line) > at and tuple(u for u, _ in line[: at + 1]) == run
    }
    return len(texts) >= 2


def _names_vary(
    members: Sequence[Sequence[tuple[Unit, tuple[str, ...]]]], run: tuple[Unit, ...]
) -> bool:
    """Return whether the last unit of `run`, when it is words then a `name:`, is a host and
    a program (`web-1 sshd[42]:`), not an event and a label (`START RequestId:`): a program
    takes at least as many values as the word before it."""
    last = run[-1]
    if last.end != "program" or not last.words:
        return True
    at = len(run) - 1
    texts = [
        line[at][1]
        for line in members
        if len(line) > at and tuple(u for u, _ in line[: at + 1]) == run
    ]
    return len({t[-1] for t in texts}) >= len({t[-2] for t in texts})


# --- applying a header to every line ---------------------------------------------------------

_B = r"(?-u:\b)"
_RUST_TOKENS = {
    "word": _WORD,
    "num": _NUMBER,
    "level": _LEVEL.replace(r"\b", _B).replace("(?!:)", ""),  # (Rust's has no look-ahead)
    "stamp": f"(?:{_STAMP})",
    "bracket": _BRACKET,
    "program": _PROGRAM + "(?:[ \t]|$)",  # `name:` ends at a space (not `Name::method`)
}
# A column's gap is any space where the lines are matched: a field that fills its column
# leaves one.
_SEPARATORS = {"\t": r"\t", "  ": "[ \t]+"}


def _token(kind: str, group: str | None, forms: dict[str, str]) -> str:
    if kind.startswith("sep:"):
        regex = _SEPARATORS.get(kind[4:], re.escape(kind[4:]))
    else:
        regex = forms.get(kind, _RUST_TOKENS[kind])
    return f"(?P<{group}>{regex})" if group else f"(?:{regex})"


def _between(before: str | None, after: str) -> str:
    """Return the space allowed between two tokens of these kinds (None: the header's start).

    A `|`, a tab or a stamp's `]` may touch what follows; anything else is followed by space
    before a word, a number, a `name:`, a stamp or a `-`/`:` separator (the scanner reads
    `name-` as one word). Allowing no space there would let the token before end anywhere, an
    ambiguity that makes the regex several times slower.
    """
    if before is None:
        return " *"
    if before in ("sep:|", "sep:\t", "sep:]", COLUMN) or after in ("sep:|", "sep:\t", COLUMN):
        return "[ \t]*" if after != COLUMN else ""
    if before == "program":  # its token takes the space after it
        return "[ \t]*"
    if after in ("word", "num", "program", "stamp", "sep:-", "sep:--", "sep:---", "sep::"):
        return "[ \t]+"
    return "[ \t]*"


def _alternative(units: Sequence[Unit], tag: str, forms: dict[str, str]) -> str:
    """Return the regex of one group's header: its first unit, then each unit optional after
    the one before. Fields are groups named `<tag>_<field>`: `thread`, `pid`, `program` (a
    `name:` or `name[pid]:` token, split later), `lw` (the one word before a `-`: a logger,
    as in `name - message`), `w0`, `w1`, ... (other words)."""
    named: set[str] = set()
    word_groups = 0

    def group(kind: str, n_words: int, end: str, after_level: bool) -> str | None:
        nonlocal word_groups
        name = None
        if kind == "bracket":
            name = "thread"
        elif kind == "program":
            name = "program"
        elif kind == "level":
            name = "level"
        elif kind == "num":
            name = "pid"
        elif kind == "word" and n_words == 1 and (end == "sep:-" or after_level):
            name = "lw"  # a logger: `name - message`, `INFO name [context]`, `Info  CBS  ...`
        elif kind == "word":
            word_groups += 1
            return f"{tag}_w{word_groups - 1}"
        if name is None or name in named:
            return None
        named.add(name)
        return f"{tag}_{name}"

    parts: list[str] = []
    previous: str | None = None
    after_level = False
    for unit in units:
        body = ""
        for kind in (*unit.words, unit.end):
            field = group(kind, len(unit.words), unit.end, after_level)
            body += _between(previous, kind) + _token(kind, field, forms)
            previous = kind
        after_level = after_level or unit.end == "level"
        parts.append(body)
    nested = ""
    for part in reversed(parts[1:]):
        nested = f"(?:{part}{nested})?"
    return f"{parts[0]}{nested}"


def _compile(alternatives: Sequence[Sequence[Unit]], forms: dict[str, str] | None = None) -> str:
    """Return the regex of a source's headers: `h` is the header a line starts with, empty when
    it starts with none."""
    either = "|".join(
        f"(?:{_alternative(units, f'a{i}', forms or {})})" for i, units in enumerate(alternatives)
    )
    # The space after the header is left to the body's readers (a trailing optional space here
    # made the regex three times slower).
    return ascii_classes(f"^(?P<h>(?:{either})?)")


_PROGRAM_PARTS = ascii_classes(r"^([^\[]*?)(?:\[([^\]]*)\])?:$")


# Headers are read this many entries at a time: what the regex extracts (the header's text and
# its parts, 16 bytes a row each and more) lives a slice at a time.
_SPLIT_ROWS = 250_000


def split(frame: pl.DataFrame, header: Header) -> pl.DataFrame:
    """Return a parsed frame (`message`, optional `body_at`) with `body_at` moved past `header`
    on every entry whose first line has it, and the header's parts as FIELDS columns (only
    those some entry fills; a field the parser already gave keeps the parser's value)."""
    if not header or frame.height == 0:
        return frame
    regex, has_level = header.regex, "level" in frame.columns
    parts = pl.concat(
        [
            _parts(frame.slice(at, _SPLIT_ROWS), regex, has_level)
            for at in range(0, frame.height, _SPLIT_ROWS)
        ],
        how="diagonal_relaxed",
    )
    out = frame.with_columns(
        (pl.col(BODY_AT) if BODY_AT in frame.columns else pl.lit(0))
        .fill_null(0)
        .cast(pl.UInt32)
        .add(parts["_length"])
        .alias(BODY_AT)
    )
    if "_level" in parts.columns:
        out = out.with_columns(
            pl.coalesce(pl.col("level"), pl.lit(parts["_level"])).alias("level"),
            pl.lit(parts["_level"]).alias(HEADER_LEVEL),
        )
    extra = []
    for name in FIELDS:
        if name not in parts.columns:
            continue
        column = parts[name]
        if column.null_count() == column.len():
            continue
        if name in out.columns:
            extra.append(pl.coalesce(pl.col(name).cast(pl.String), pl.lit(column)).alias(name))
        else:
            extra.append(pl.lit(column).alias(name))
    return out.with_columns(extra) if extra else out


def _parts(frame: pl.DataFrame, regex: str, has_level: bool) -> pl.DataFrame:
    """Return, for each entry of `frame`, the length of its header (`_length`), the FIELDS
    read from it and, with `has_level`, the level its header's level word gives (`_level`)."""
    start = pl.col(BODY_AT).fill_null(0) if BODY_AT in frame.columns else pl.lit(0)
    window = pl.col("message").str.slice(start, WINDOW)
    parts = frame.select(window.str.extract_groups(regex).alias("p")).unnest("p")
    # Words are a header's only where a body follows them: where they run to the end of an
    # entry of one line (a writer whose lines repeat one message, whose words and brackets
    # then look like a header), it has no header. (A line of a level and a thread alone has
    # one, and so has an entry whose body is on the lines below: DB2's `LEVEL: Info`.)
    words = [c for c in parts.columns if re.fullmatch(r"a\d+_w\d+", c)]
    if words:
        line = frame.select(
            window.str.strip_chars_end().str.len_chars().alias("_line"),
            pl.col("message").str.contains("\n", literal=True).alias("_more"),
        )
        header_length = pl.col("h").str.strip_chars_end().str.len_chars()
        whole = (
            parts.hstack(line)
            .select(
                (header_length >= pl.col("_line"))
                & ~pl.col("_more")
                & pl.any_horizontal(pl.col(words).is_not_null())
            )
            .to_series()
        )
        if whole.any():
            # Such a line's body starts after the separators the stamp left (`] `, ` - `).
            separators = frame.select(window.str.extract(r"^([\]\s|:-]*)", 1)).to_series()
            parts = parts.select(
                pl.when(~pl.lit(whole)).then(pl.col(c)).alias(c) for c in parts.columns
            ).with_columns(h=pl.col("h").fill_null(pl.when(pl.lit(whole)).then(pl.lit(separators))))
    found = parts.select(
        pl.col(c) for c in parts.columns if c != "h" and parts[c].null_count() < parts.height
    )

    def field(name: str) -> pl.Expr | None:
        columns = [c for c in found.columns if c.split("_", 1)[1] == name]
        return pl.coalesce(columns) if columns else None

    fields: dict[str, pl.Expr] = {
        "_length": pl.col("h").str.len_chars().fill_null(0).cast(pl.UInt32)
    }
    program = field("program")
    if program is not None:
        program = program.str.strip_chars_end(" \t")
        name = program.str.extract(_PROGRAM_PARTS, 1)
        dotted = name.str.contains(r"[.$]")
        fields["logger"] = pl.when(dotted).then(name)
        fields["program"] = pl.when(~dotted).then(name)
        fields["pid"] = program.str.extract(_PROGRAM_PARTS, 2)
    for name, source in (("logger", "lw"), ("pid", "pid")):
        value = field(source)
        if value is not None:
            fields[name] = pl.coalesce(fields[name], value) if name in fields else value
    thread = field("thread")
    if thread is not None:
        fields["thread"] = thread.str.strip_chars_end(":").str.slice(1).str.head(-1)
    level = field("level")
    if level is not None and has_level:
        # The level word at the header's place is a level in any case (`Info`, `warning`),
        # where the parser, looking for levels in prose, takes upper-case words only.
        word = level.str.replace(r"^[\[<(]\s*(?:[\w.-]+:)?|\d?\s*[\]>)]?:?$", "")
        fields["_level"] = levels.header_word_level(word)
    words = [c for c in found.columns if re.fullmatch(r"a\d+_w\d+", c)]
    if words:
        fields["header"] = pl.when(pl.any_horizontal(pl.col(words).is_not_null())).then(
            pl.concat_str(words, separator=" ", ignore_nulls=True)
        )
    return parts.select(expr.alias(name) for name, expr in fields.items())


def sample_of(frame: pl.DataFrame, size: int = 500) -> list[str]:
    """Return the first lines of up to `size` entries of a parsed frame, each from its
    `body_at`: the head of the source and entries spread over the rest."""
    if frame.height == 0:
        return []
    if frame.height <= size:  # all of it, each entry once
        picked = frame
    else:
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
    """Return a parsed frame with its bodies split from the source's headers (learned on the
    frame when not given), and those headers.

    An access log's request (`body_kind`) is a body already: nothing is learned on it.
    """
    if header is None:
        if "body_kind" in frame.columns:
            return frame, NO_HEADER
        header = learn(sample_of(frame))
    return split(frame, header), header
