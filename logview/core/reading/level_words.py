"""Levels read from a message's own words, for entries whose format and header gave none.

Syslog without a priority and bare text carry no level; their messages often say how bad an
event was (`connection refused`, `kernel panic`). A level read from them is a guess, which
ingest marks (`table.LEVEL_INFERRED`).
"""

from __future__ import annotations

import polars as pl

from logview.core.shared.regex import ascii_classes

_B = "(?-u:\\b)"  # ASCII word boundary

# Words that say how bad an event was, in messages of formats that carry no level (syslog
# without a priority, bare text). A level read from them is a guess and is marked as one.
_FATAL_WORDS = r"fatal|panic|panicked|kernel panic|emergency|critical"
_ERROR_WORDS = (
    r"errors?|failed|failure|failures|fails?|exceptions?|denied|refused|timeout|timed out"
    r"|unable to|cannot|can't|could not|couldn't|segfault|segmentation fault|out of memory"
    r"|traceback|aborted|aborting|crash|crashed"
)
_WARN_WORDS = r"warnings?|warn|deprecated|retrying"
_ANY_WORD = f"{_FATAL_WORDS}|{_ERROR_WORDS}|{_WARN_WORDS}"
# Phrases where such a word says the opposite or names something (`no errors`, `0 failures`,
# `without error`, `did not fail`) or is a field's name (`error=0`, `"error":null`,
# `timeout: 30`): removed before the words are looked for.
_NOT_A_LEVEL = ascii_classes(
    rf"(?i-u:{_B}(?:no|not|never|without|zero|0)\s+(?:\w+\s+)?(?:{_ANY_WORD}){_B}"
    rf"|{_B}(?:{_ANY_WORD}){_B}\"?\s*[=:]\s*(?:\"\"|\[\]|\{{\}}|null|none|nil|false|0|\d)"
    rf"|{_B}(?:{_ANY_WORD}){_B}\s*=)"
)
_ANY = ascii_classes(rf"(?i-u:{_B}(?:{_ANY_WORD}){_B})")
_FATAL = ascii_classes(rf"(?i-u:{_B}(?:{_FATAL_WORDS}){_B})")
_ERROR = ascii_classes(rf"(?i-u:{_B}(?:{_ERROR_WORDS}){_B})")
# The words are looked for in a body's first characters: its first line and, in an entry of
# several, what follows (a stack trace or a `Traceback` under an entry says it was an error).
WORDS_WINDOW = 500


# Below this many entries the exact test runs on all of them in one expression: the passes
# cost less than the calls that would pick the entries holding a word.
_SMALL = 5_000


def inferred_from_words(message: pl.Series, body_at: pl.Series | None = None) -> pl.Series:
    """Return the level the words of each entry's body say (FATAL, ERROR or WARN, the worst
    one found), null where they say none.

    The body is `message` from `body_at` (the whole message where that is None or null); its
    first WORDS_WINDOW characters are read.
    """
    frame = pl.DataFrame({"m": message.cast(pl.String)})
    if body_at is not None:
        frame = frame.with_columns(at=body_at.cast(pl.UInt32).fill_null(0))
    exact = _words_level(with_start=body_at is not None).alias("level")
    if frame.height <= _SMALL:
        return frame.select(exact).to_series()
    # Most messages hold none of the words: one test that copies nothing (on the whole
    # message, header included, so a superset), then the exact test on the few that do.
    hits = frame.select(pl.col("m").str.contains(_ANY).fill_null(False)).to_series()
    level = pl.repeat(None, frame.height, dtype=pl.String, eager=True).alias("level")
    if hits.any():
        level.scatter(hits.arg_true(), _stepwise(frame.filter(hits)))
    return level


def _stepwise(frame: pl.DataFrame) -> pl.Series:
    """Return `_words_level` of a large frame, each test on the rows it can still decide."""
    start = pl.col("at") if "at" in frame.columns else 0
    body = frame.select(pl.col("m").str.slice(start, WORDS_WINDOW)).to_series()
    # Negations and field names are cut out only where there are some (a replace copies).
    negated = body.str.contains(_NOT_A_LEVEL)
    if negated.any():
        cut = body.filter(negated).str.replace_all(_NOT_A_LEVEL, " ")
        body = body.scatter(negated.arg_true(), cut)
    found = (
        body.to_frame("b")
        .select(
            pl.when(pl.col("b").str.contains(_FATAL))
            .then(pl.lit("FATAL"))
            .when(pl.col("b").str.contains(_ERROR))
            .then(pl.lit("ERROR"))
        )
        .to_series()
    )
    # The rest hold a warning's word, or none in the body (a hit in the header, a negation).
    rest = found.is_null()
    if rest.any():
        warned = body.filter(rest).to_frame("b")
        found.scatter(
            rest.arg_true(),
            warned.select(pl.when(pl.col("b").str.contains(_ANY)).then(pl.lit("WARN"))).to_series(),
        )
    return found


def _words_level(*, with_start: bool) -> pl.Expr:
    """Return the expression of `inferred_from_words` over a frame's `m` (and `at`)."""
    body = pl.col("m").str.slice(pl.col("at") if with_start else 0, WORDS_WINDOW)
    words = body.str.replace_all(_NOT_A_LEVEL, " ")
    return (
        pl.when(words.str.contains(_FATAL))
        .then(pl.lit("FATAL"))
        .when(words.str.contains(_ERROR))
        .then(pl.lit("ERROR"))
        .when(words.str.contains(_ANY))
        .then(pl.lit("WARN"))
    )
