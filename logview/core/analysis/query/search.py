"""Plain search: what most users type first.

Words match @message as case-insensitive substrings, all of them; `"a quoted phrase"` is one
substring; `/regex/` (`/regex/i` ignoring case) is searched; a leading `-` excludes rows that
match the term. Everything runs as polars string matching, in linear time.
"""

from __future__ import annotations

import re

import polars as pl

from logview.core.analysis.query.compiler import check_regex
from logview.core.analysis.query.errors import QueryError
from logview.core.analysis.query.parser import escape

_TERM = re.compile(r'(-?)(?:"((?:\\.|[^"\\])*)("?)|/((?:\\.|[^/\\])*)(/?)(i?)|(\S+))')


def search_condition(text: str, message: pl.Expr) -> pl.Expr | None:
    """Return the condition of a plain search on `message`, or None when it has no terms."""
    condition: pl.Expr | None = None
    for match in _TERM.finditer(text):
        negate, phrase, closed, regex, slash, flags, word = match.groups()
        column = match.start() + 1
        if phrase is not None:
            if not closed:
                raise QueryError("unterminated string", column)
            pattern = "(?i)" + escape(re.sub(r"\\(.)", r"\1", phrase))
        elif regex is not None:
            if not slash:
                raise QueryError("unterminated /regex/", column)
            pattern = check_regex(("(?i)" if flags else "") + regex.replace("\\/", "/"), column)
        else:
            pattern = "(?i)" + escape(word)
        term = message.str.contains(pattern)
        if negate:
            term = ~term
        condition = term if condition is None else condition & term
    return condition
