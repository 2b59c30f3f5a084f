"""A misspelt command word: `fitler @level = "ERROR"` does not start with a command, so it runs
as a plain search for its words and finds nothing. `suggest` offers the query it was meant to
be, for the query bar to say so when the search found no entry.

The first word must be a near miss of a command of the language (two edits at most, a swap of
two letters counting as one), and the text with the command put right must parse and use a
query's syntax after it (a comparison, a call, a list, an `@field`, a /regex/, or `limit`'s
number): a real search such as `port timeout` is never read as `sort timeout`, nor
`debug user=1` as a `dedup` on a comparison.
"""

from __future__ import annotations

import re

from logview.core.analysis.query.errors import QueryError
from logview.core.analysis.query.lexer import tokenize
from logview.core.analysis.query.parser import COMMANDS, Binary, parse
from logview.core.analysis.query.run import is_plain_search

_FIRST_WORD = re.compile(r"\s*([A-Za-z]+)(?=\s|$)")
# Tokens no word search has but most queries do.
_COMPARE = frozenset(("=", "!=", "<", "<=", ">", ">="))
_QUERY_OPS = _COMPARE | {"=~", "(", "[", ","}
# Shorter words are too close to everything ("so" is two edits from "sort").
_SHORTEST = 3
_MOST_EDITS = 2


def suggest(text: str) -> str | None:
    """Return `text` with its first word made the command it nearly is, when `text` runs as
    a plain search but reads as a query with a misspelt command; None otherwise."""
    if not is_plain_search(text):
        return None
    match = _FIRST_WORD.match(text)
    if match is None or len(match.group(1)) < _SHORTEST:
        return None
    rest = text[match.end() :].rstrip()
    for command in near_commands(match.group(1)):
        if _reads_as_query(command, rest):
            return command + rest
    return None


def near_commands(word: str) -> list[str]:
    """Return the commands `word` may be a misspelling of, the likeliest first: fewest edits,
    then the longest start in common (`filed` is nearer `filter` than `fields`)."""
    lower = word.lower()
    near = []
    for index, command in enumerate(COMMANDS):
        edits = edit_distance(lower, command)
        if edits <= _MOST_EDITS and word != command:
            near.append((edits, -_common_start(lower, command), index, command))
    return [command for *_, command in sorted(near)]


def edit_distance(a: str, b: str) -> int:
    """Return the edits (insert, delete, replace, swap two neighbours) that make `a` into `b`
    (optimal string alignment: `fitler` is one edit from `filter`)."""
    rows = [list(range(len(b) + 1))]
    for i in range(1, len(a) + 1):
        row = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = a[i - 1] != b[j - 1]
            row[j] = min(rows[-1][j] + 1, row[j - 1] + 1, rows[-1][j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                row[j] = min(row[j], rows[-2][j - 2] + 1)
        rows.append(row)
    return rows[-1][-1]


def _common_start(a: str, b: str) -> int:
    return next(
        (i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b))
    )


def _reads_as_query(command: str, rest: str) -> bool:
    """Return whether `command` followed by `rest` parses and reads as a query, not as words."""
    try:
        first = parse(command + rest)[0]
        tokens = tokenize(rest)[:-1]
    except QueryError:
        return False
    if command == "limit":
        return True  # parsed: one whole number follows (`limit 20`)
    keys = [key for key, _, _ in first.order] + list(first.keys)
    if any(isinstance(key, Binary) and key.op in _COMPARE for key in keys):
        return False  # `debug user=1` is no `dedup` on a comparison
    return any(
        (token.kind == "op" and token.text in _QUERY_OPS)
        or (token.kind == "name" and token.text.startswith("@"))
        or token.kind == "regex"
        for token in tokens
    )
