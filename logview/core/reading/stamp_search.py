"""Stamps found where they are: where a source's lines carry their stamp, learned from a sample.

A stamp does not always start the line: a vhost, a file name (`grep -H`, OpenStack's
`nova-api.log.1.2017-05-16_13:53:08 2017-05-16 ...`), a pid (`[pid 1234] ...`), a service
(`web-1  | ...`), a label (BGL's `- ` or `APPREAD `) or several fields (HPC's
`134681 node-246 unix.hw state_change.unavailable 1077804742 ...`) can come first. One logging
setup writes every line alike, so the place is learned per source, not guessed per line:

1. In the first WINDOW characters of each sampled line, a stamp of any known form is looked
   for where one can start: the line start, or after white space or one of `[ ( < { " ' = | ,
   ; : #`. A line whose start reads as a stamp is not searched further (the common case costs
   one anchored match a line).
2. Each stamp found has a shape of prefix: how many white-space separated tokens come before
   it, whether the line starts with white space, and what is glued to it (`[`, `<13>`,
   `####<`; more than one character is generalised to any non-space run ending in the last).
   Tokens are any non-space text, so lines whose prefixes differ (`-` or `APPREAD`) are read
   alike when their stamp is where the others' is.
3. The (form, shape) found on most lines wins (the leftmost on a tie: BGL's epoch before its
   dotted date); the best few, with the other day-month order of numeric dates, are then
   scored exactly (stamps that read as dates). A stamp after a prefix must be read on
   PREFIXED_MIN_SHARE of the lines: a date at the same place in a few lines of prose is not a
   log's stamp.
4. The prefix's text becomes a field named by its shape (`pid`, `program`, `file`, `host`,
   else `prefix`; none when it is only punctuation).

A line of a source whose stamp is not of the source's layout but starts the line (another
file cat'ed onto the first, mixed output) starts an entry of its own: `read_other_stamps`.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Sequence

import polars as pl

from logview.core.reading.stamp_forms import (
    END,
    FORM_BY_NAME,
    FORMS,
    ORDER_SIBLINGS,
    SAME_TEXT,
    TIME_OF_DAY_FORMS,
    Form,
)
from logview.core.reading.stamp_rules import EPOCH_MAX_US, EPOCH_MIN_US
from logview.core.reading.timestamps import (
    Layout,
    LineStamps,
    _best,
    _groups_regex,
    _read_all,
    layout_of,
    read_line_stamps,
    settled_layout,
)
from logview.core.shared.regex import ascii_classes
from logview.core.shared.table import TS

WINDOW = 160  # characters of a line searched for its stamp
LEARN_LINES = 200  # sampled lines the prefix is learned on
SEARCHED_LINES = 64  # of those, lines searched beyond their start (a prefix shows in a few)
CANDIDATES = 3  # shapes scored exactly
MIN_SHAPE_LINES = 2  # sampled lines that show a place of the stamp, for it to be one
PREFIXED_MIN_SHARE = 0.2  # of the sample's non-blank lines, for a stamp after a prefix

# The prefixes of stamps that open their lines: none, a bracket, the mark Cisco's devices
# put before a time their clock does not vouch for (`*Mar 14 09:26:41.512:` not set, `.Mar 14
# ...` no longer synchronised), and the `%` Comware's buffer shows before each (`%Mar 14 ...`).
LINE_START = ("", r"\[", r"\*", r"\.", "%")
_STARTS = (
    # what a stamp may follow inside a line (`#`, `#+`: bash's, tcsh's history; `)`: FileZilla
    # Server's session id, `(000412)6/13/2024 9:35:17 AM - ...`)
    "\t [(<{\"'=|,;:#+)"
)
_NO_SPACE = r"[^\t\n\x0B\x0C\r ]"


def _plain(regex: str) -> str:
    """Return `regex` without its named groups (so that forms can be alternatives of one)."""
    return re.sub(r"\(\?P<\w+>", "(?:", regex)


@functools.cache
def _search() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """Return Python regexes of any form: at a line's start (after `[`, a mark, a
    `<priority>`), and anywhere a stamp may start. Group `f<i>` is the form `FORMS[i]` (the
    first that matches at a place)."""
    forms = "|".join(f"(?P<f{i}>{_plain(form.regex)})" for i, form in enumerate(FORMS))
    end = r"(?![0-9A-Za-z_])"
    start = re.compile(rf"(?:\[|[*.%]|<[0-9]{{1,3}}>)?(?:{forms}){end}")
    # (and after a word, Cisco's clock marks: `002232: *Jun 26 08:47:15:`, see LINE_START)
    anywhere = re.compile(rf"(?:^|(?<=[{re.escape(_STARTS)}])|(?<=[ \t][*.]))(?:{forms}){end}")
    return start, anywhere


def _shape(prefix: str) -> tuple[bool, int, str]:
    """Return the shape of the text before a stamp: (starts with white space, tokens, glue)."""
    lead = prefix[:1] in (" ", "\t")
    rest = prefix.lstrip(" \t")
    cut = max(rest.rfind(" "), rest.rfind("\t"))
    return lead, len(rest[: cut + 1].split()), rest[cut + 1 :]


def _prefix_regex(lead: bool, tokens: tuple[int, int], glue: str) -> str:
    """Return the regex of a prefix of this shape (`tokens`: the fewest and most tokens)."""
    regex = "[ \t]+" if lead else ""
    low, high = tokens
    token = f"{_NO_SPACE}+[ \t]+"
    # A field padded to a width runs into a one-character glue when it fills the width
    # (log15's `INFO [03-14|...` and `ERROR[03-14|...`): the last token's space may be none.
    last = f"{_NO_SPACE}+?[ \t]*" if len(glue) == 1 else token
    if high:
        if low == high:
            body = f"(?:{token}){{{low - 1}}}{last}" if low > 1 else last
        else:
            # Lazy: the stamp nearest the line start where a line has stamps at two places.
            body = f"(?:{token}){{{max(low - 1, 0)},{high - 1}}}?{last}"
        regex += body if low >= 1 else f"(?:{body})??"
    if len(glue) == 1:
        regex += re.escape(glue)
    elif glue:
        regex += f"{_NO_SPACE}*{re.escape(glue[-1])}"
    elif high:
        # Cisco's clock marks (see LINE_START) after a sequence number (`000001: *Jun 12
        # 10:21:44.019 UTC:` after a reload, among `000204: Jun 12 ...`).
        regex += r"[*.]?"
    return regex


def _keys(lines: Sequence[str]) -> tuple[Counter[tuple[int, bool, int, str, str]], int]:
    """Return how many of `lines` have a stamp of each (form, lead, tokens, glue, end: the
    prefix's last character that is no white space), and how many lines were looked at."""
    start, anywhere = _search()
    counts: Counter[tuple[int, bool, int, str, str]] = Counter()
    examined = searched = 0

    def count_written_date_after(line: str, number: re.Match[str]) -> None:
        """Count the place of a written date after `number` (an epoch that may be an id)."""
        later = anywhere.search(line, number.end(), WINDOW)
        if later is not None and not FORMS[int(later.lastgroup[1:])].epoch_digits:
            prefix = line[: later.start()]
            counts[(int(later.lastgroup[1:]), *_shape(prefix), _end(prefix))] += 1

    for line in lines:
        found = start.match(line, 0, WINDOW)
        if found is not None:
            form = int(found.lastgroup[1:])
            counts[(form, False, 0, line[: found.start(found.lastgroup)], "")] += 1
            examined += 1
            if FORMS[form].epoch_digits and searched < SEARCHED_LINES:
                # A number opening the line may be an id: a written date after it is a place too.
                searched += 1
                count_written_date_after(line, found)
            continue
        if searched == SEARCHED_LINES:
            continue
        searched += 1
        examined += 1
        # The leftmost stamp: a message may quote others further on.
        found = anywhere.search(line, 0, WINDOW)
        if found is not None:
            prefix = line[: found.start()]
            counts[(int(found.lastgroup[1:]), *_shape(prefix), _end(prefix))] += 1
            if _implausible_epoch(found.group(found.lastgroup), FORMS[int(found.lastgroup[1:])]):
                # (a number in the prefix that is no date as an epoch may be an id, Check
                # Point's thread id in `[vpnd 18342 4152617856]@gw[25 Jun 10:02:14]`: a written
                # date after it is a place too)
                count_written_date_after(line, found)
    return counts, examined


def _implausible_epoch(text: str, form: Form) -> bool:
    """Return whether `text`, found as `form`, is an epoch outside the years `stamp_rules`
    believes."""
    if not form.epoch_digits:
        return False
    value, shift = int(text.split(".")[0]), form.epoch_digits - 16
    micros = value // 10**shift if shift > 0 else value * 10**-shift
    return not EPOCH_MIN_US <= micros < EPOCH_MAX_US


def _end(prefix: str) -> str:
    """Return the last character of `prefix` that is no white space ("" where none is)."""
    stripped = prefix.rstrip()
    return stripped[-1:]


# A learned shape: (form index, leading white space, (fewest, most) tokens, glue shape).
_Shape = tuple[int, bool, tuple[int, int], str]


_NAME_SPACES = 2


def _shapes(found: Counter[tuple[int, bool, int, str, str]], examined: int) -> Counter[_Shape]:
    """Return the lines each shape reads: stamps of one form after the same glue (`[`, any run
    ending in `<`) are one shape over the token counts that at least MIN_SHAPE_LINES and 2% of
    the examined lines show (a thread name with a space in some lines moves their stamp one
    token on; one line's date in its message does not make a place), and, after a prefix of
    words ending in punctuation, over the one or two counts above the most common one where
    their prefixes end in the same, however few show them."""
    tokens: dict[tuple[int, bool, str], Counter[int]] = {}
    ends: dict[tuple[int, bool, str, int], set[str]] = {}
    for (form, lead, count, glue, end), lines in found.items():
        shape = glue if len(glue) <= 1 else "*" + glue[-1]
        tokens.setdefault((form, lead, shape), Counter())[count] += lines
        ends.setdefault((form, lead, shape, count), set()).add(end)
    enough = max(MIN_SHAPE_LINES, 0.02 * examined)
    shapes: Counter[_Shape] = Counter()
    for (form, lead, glue), counts in tokens.items():
        mode = max(counts, key=lambda k: (counts[k], -k))
        # (a line or two whose stamp is a token or two further on than most, after the same
        # punctuation, have a name with spaces there: a Cisco controller's `*DHCP Socket
        # Task:` among its `*emWeb:`; a word after the prefix is the message's)
        marks = ends[(form, lead, glue, mode)]
        spaced = {
            k
            for k in counts
            if mode
            and mode < k <= mode + _NAME_SPACES
            and len(marks) == 1
            and not next(iter(marks)).isalnum()
            and ends[(form, lead, glue, k)] == marks
        }
        kept = [k for k, n in counts.items() if n >= enough or k == mode or k in spaced]
        shapes[(form, lead, (min(kept), max(kept)), glue)] = sum(counts[k] for k in kept)
    return shapes


# A header's line of a message the log prints whole (SIP's `Via: SIP/2.0/TCP ...`, `CSeq: 101
# INVITE` under a Cisco `debug ccsip messages` record or an ngrep packet), which holds no time;
# its name capitalised, as messages' headers write them (a program's tag, cloud-init's
# `ci-info: ...`, is a line a record may be).
_HEADER_FIELD = re.compile(r"[A-Z][\w-]*: \S")
_CLOCK = re.compile(r"\d{1,2}:\d{2}:\d{2}")


def _possible_starts(lines: Sequence[str]) -> int:
    """Return how many of the non-blank `lines` can start an entry: those not indented (an
    indented line is a stack frame or a message's own line), nor, where no such field holds
    a time (a settings file's dated fields could be its stamps), a message's header field
    (_HEADER_FIELD); or all when every one is. The share a stamp after a prefix needs is
    taken of these, so that a log with long tracebacks or whole messages under its records
    is not taken for prose with a few dates."""
    flush = [line for line in lines if line[:1] not in (" ", "\t")]
    fields = [line for line in flush if _HEADER_FIELD.match(line)]
    if fields and not any(_CLOCK.search(line) for line in fields):
        return len(flush) - len(fields) or len(lines)
    return len(flush) or len(lines)


def detect_layout(sample: Sequence[str]) -> Layout | None:
    """Return the layout (stamp and what precedes it) reading most lines of `sample`, or None.

    See the module docstring for how the place of the stamp is learned.
    """
    return detect_layout_counted(sample)[0]


def detect_layout_counted(sample: Sequence[str]) -> tuple[Layout | None, int]:
    """Return what `detect_layout` returns and how many non-blank lines of `sample` it reads:
    counted exactly when shapes were scored, else estimated from the lines looked at (stamps
    of the layout's shape, which nearly always read as dates)."""
    present = [line for line in sample if line.strip()]
    if not present:
        return None, 0
    learn = present
    if len(present) > LEARN_LINES:
        step = len(present) / LEARN_LINES
        learn = [present[int(i * step)] for i in range(LEARN_LINES)]
    indented = sum(line[:1] in (" ", "\t") for line in learn)
    if indented * 2 < len(learn):
        # Indented lines are continuations (stack frames) unless most lines are indented:
        # looked at, they have no stamp.
        learn = [line for line in learn if line[:1] not in (" ", "\t")]
    else:
        indented = 0
    found, examined = _keys(learn)
    examined += indented
    counts = _shapes(found, examined)
    if not counts:
        return None, 0
    # Of shapes reading as many lines, a written date before a bare number (Papertrail's
    # archive: a 19-digit id, then `2024-03-11 08:02:13 -0700`): the number may be an id.
    ranked = sorted(
        counts,
        key=lambda k: (-counts[k], FORMS[k[0]].epoch_digits > 0, k[2], len(k[3]), k[1], k[0]),
    )
    lines = pl.Series("v", present, dtype=pl.String)
    top = ranked[0]
    if (len(ranked) == 1 or counts[ranked[1]] < counts[top]) and FORMS[
        top[0]
    ].name not in SAME_TEXT:
        # One shape leads: no exact scoring is needed (it costs a parse of the sample; most
        # sources end here). The day and month order of numeric dates is settled below.
        best: Layout | None = layout_of(FORMS[top[0]].name, _prefix_regex(*top[1:]))
        count = counts[top] * len(present) // examined
    else:
        best, count = _best(lines, _candidates(ranked))
    if (
        best is not None
        and best.prefix not in LINE_START
        and count < PREFIXED_MIN_SHARE * _possible_starts(present)
    ):
        plain = [c for c in _candidates(ranked) if c.prefix in LINE_START]
        best, count = _best(lines, plain) if plain else (None, 0)
    if best is None:
        return None, 0
    best = settled_layout(lines, best)
    if best.prefix == "" and indented:
        best = _indented_alike(present, best)
    if best.prefix in LINE_START:
        return best, count
    return layout_of(best.name, best.prefix, _field_of(pl.Series("v", learn), best)), count


# The prefix of a layout whose lines may be indented: RouterOS's `/log print` indents its lines
# by one space, where the console's own log lines among them are not.
ANY_INDENT = "[ \t]*"


def _indented_alike(present: Sequence[str], layout: Layout) -> Layout:
    """Return `layout` (stamps opening their lines) with any indent before its stamps, where
    MIN_SHAPE_LINES of the indented lines of `present` open with a stamp of its form after
    their indent (set aside while the layout was learned: most indented lines are a stack's
    frames, which no stamp opens), else `layout`."""
    form = FORM_BY_NAME[layout.name]
    opening = re.compile(rf"[ \t]+(?:{_plain(form.regex)})(?![0-9A-Za-z_])")
    hits = 0
    for line in present:
        if line[:1] in (" ", "\t") and opening.match(line):
            hits += 1
            if hits == MIN_SHAPE_LINES:
                return layout_of(layout.name, ANY_INDENT)
    return layout


def _candidates(ranked: Sequence[_Shape]) -> list[Layout]:
    """Return the layouts of the best ranked shapes, with the other order of numeric dates."""
    candidates: list[Layout] = []
    for form_index, lead, tokens, glue in ranked[:CANDIDATES]:
        prefix = _prefix_regex(lead, tokens, glue)
        form = FORMS[form_index]
        for name in (form.name, ORDER_SIBLINGS.get(form.name), *SAME_TEXT.get(form.name, ())):
            if name is not None:
                layout = layout_of(name, prefix)
                if layout not in candidates:
                    candidates.append(layout)
    return candidates


# --- the prefix as a field -----------------------------------------------------------------

# (and the key the stamp is the value of, `time=` in `[task : step] time="2024-...`: the
# prefix is what stands before the pair)
_TRAILING = r"(?:(?:^|\s)[A-Za-z_][\w.-]*=[\"']?|[\s\[(<{\"'=|,;:])+$"
_PID = re.compile(r"\[?pid[ :=#]?\d+\]?", re.IGNORECASE)
_FILE = re.compile(r"[^\s]*[/\\][^\s]*|[^\s]+\.(?:log|txt|out|err)(?:[._-][^\s]*)?")
_HOST = re.compile(
    r"(?:\d{1,3}(?:\.\d{1,3}){3}|[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z][A-Za-z0-9-]*)"
    r"(?::\d{1,5})?"
)
_SHAPE_SHARE = 0.9  # of the sampled prefixes, for a shape to name the field


def _field_of(lines: pl.Series, layout: Layout) -> str | None:
    """Return the name of the field the text before `layout`'s stamps is kept as, from the
    shape of those texts in `lines`, or None when they are only punctuation."""
    raw = lines.str.extract(_groups_regex(layout), 1).drop_nulls().to_list()
    cleaned = [re.sub(_TRAILING, "", value.strip()) for value in raw]
    if not any(re.search("[0-9A-Za-z]", value) for value in cleaned):
        return None

    def share(test: re.Pattern[str] | None, values: list[str]) -> bool:
        hits = sum(1 for v in values if (test.fullmatch(v) if test else True))
        return hits >= _SHAPE_SHARE * len(values)

    if share(_PID, cleaned):
        return "pid"
    piped = [v for v in raw if v.rstrip().endswith("|")]
    if share(None, piped) and len(piped) >= _SHAPE_SHARE * len(raw):
        if sum(len(v.split()) == 1 for v in cleaned) >= _SHAPE_SHARE * len(cleaned):
            return "program"
    if share(_FILE, cleaned):
        return "file"
    if share(_HOST, cleaned):
        return "host"
    return "prefix"


def prefix_values(text: pl.Series, stamp_at: pl.Series, field: str) -> pl.Series:
    """Return the value of the prefix field `field` of each line: the text before its stamp
    (`stamp_at` characters) without trailing punctuation, its digits for a pid; null where
    there is none."""
    frame = pl.DataFrame({"text": text, "at": stamp_at})
    value = (
        pl.col("text")
        .str.slice(0, pl.col("at"))
        .str.strip_chars()
        .str.replace(ascii_classes(_TRAILING), "")
    )
    if field == "pid":
        value = value.str.extract(r"([0-9]+)", 1)
    value = pl.when(pl.col("at").is_not_null() & (value != "")).then(value)
    return frame.select(value.alias(field)).to_series()


# --- lines with a stamp of another layout -------------------------------------------------

# What a stamp starting a line may follow: nothing, an opening bracket, a syslog priority.
# (An access log's `client ident user [` comes before its stamp, and uWSGI's request head
# before its: another writer's request lines among an application's.)
_OTHER_PREFIX = ascii_classes(
    r"(?:[\[(<*.]|<\d{1,3}>|[^\s\[\]\x22]+ [^\s\[\]\x22]+ [^\s\[\]\x22]+ \["
    # uWSGI's request lines among its own (`[pid: 14410|app: 0|req: 1/1] 10.0.3.7 () {44 vars
    # in 812 bytes} [Thu Mar 14 09:27:02 2024] GET ...`)
    r"|\[pid: \d+\|app: -?\d+\|req: [-\d]+/\d+\] \S+ \([^)]*\) \{[^}]*\} \[)?"
)
_OTHER_FORMS = tuple(form for form in FORMS if form.starts_entries)


@functools.lru_cache(maxsize=16)
def _other_any(prefix: str) -> str:
    forms = "|".join(_plain(form.regex) for form in _OTHER_FORMS)
    return f"^{prefix}(?:{forms}){END}"


def stamp_start_regex() -> str:
    """Return the regex (for polars) of a line that starts with a stamp of any form that may
    start an entry, after nothing, `[`, `(`, `<` or a `<priority>`."""
    return _other_any(_OTHER_PREFIX)


@functools.lru_cache(maxsize=1)
def _stamp_start_python() -> re.Pattern[str]:
    return re.compile(stamp_start_regex().replace(END, r"\b"), re.ASCII)


def stamped_lines(lines: Sequence[str]) -> int:
    """Return how many of `lines` start with a stamp of any form that may start an entry (a
    sample's count, with Python's `re`)."""
    start = _stamp_start_python()
    return sum(1 for line in lines if start.match(line))


def read_other_stamps(
    text: pl.Series, *, prefix: str = "", mtime: float | None = None, tz: str | None = None
) -> LineStamps:
    """Return the stamps of the lines of `text` that start with a stamp of any form that may
    start an entry (every form but bare numbers), each read with its own form; null elsewhere.

    A stamp starts a line when nothing, `[`, `(`, `<`, a `<priority>` or the source's own
    prefix (the regex `prefix`: `web-1  | Jan  2 ...` in a source of `web-1  | <ISO stamp>`)
    comes before it. Meant for the few lines a source's own layout did not read: one regex
    pass tells which start with a stamp at all, and only those are read form by form.
    """
    if prefix:
        # (the source's prefix, a bracket maybe after it: `pod container [2024-...]`, Envoy's
        # access lines among an app's in stern's output)
        prefix = f"(?:(?:{prefix})[\\[(<]?|{_OTHER_PREFIX})"
    else:
        prefix = _OTHER_PREFIX
    nulls = pl.repeat(None, text.len(), dtype=pl.UInt32, eager=True)
    ts, header_end, stamp_at = nulls.cast(TS).alias("ts"), nulls.alias("header_end"), nulls
    hit = text.str.contains(_other_any(prefix)).fill_null(False)
    if not hit.any():
        return LineStamps(ts, header_end, stamp_at.alias("stamp_at"), ())
    rows = hit.arg_true()
    rest = text.gather(rows)
    notes: list[str] = []
    for form in _OTHER_FORMS:
        read = _read_all(rest, layout_of(form.name, prefix), mtime=mtime, tz=tz)
        got = read.ts.is_not_null()
        if not got.any():
            continue
        at = rows.filter(got)
        ts = ts.scatter(at, read.ts.filter(got))
        header_end = header_end.scatter(at, read.header_end.filter(got))
        stamp_at = stamp_at.scatter(at, read.stamp_at.filter(got))
        notes.extend(n for n in read.notes if n not in notes)
        rows, rest = rows.filter(~got), rest.filter(~got)
        if rest.len() == 0:
            break
    return LineStamps(ts, header_end, stamp_at.alias("stamp_at"), tuple(notes))


# Layouts that give no date of their own: times of day, and numbers that may be ids.
_UNDATED_FORMS = (*TIME_OF_DAY_FORMS, "epoch-s", "epoch-ms", "epoch-us", "epoch-ns")


def dated_stamp(
    line: str, *, mtime: float | None, tz: str | None
) -> tuple[pl.Series, Layout] | None:
    """Return the stamp one line carries in any layout with a date, anywhere in its first
    characters (a one-row series), and that layout; None where it carries none (a banner's
    time, a terminal program's frame: `=~=~= PuTTY log 2024.06.21 10:38:50 =~=~=`)."""
    layout = detect_layout([line])
    if layout is None or layout.name in _UNDATED_FORMS:
        return None
    found = read_line_stamps(pl.Series([line]), layout, mtime=mtime, tz=tz).ts
    return None if found[0] is None else (found, layout)
