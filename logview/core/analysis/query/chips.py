"""Click-to-filter as query text: each filter a click adds is a `| filter` command, shown as a
chip beside the query bar. Chips are read back from the text, so the text is always the
truth: what you see is what the query says.

A chip is a command of exactly the shape a click writes: `filter <field> = "<value>"` (or
`!=` to exclude), with the field as a name or in backticks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from logview.core.analysis.query.compiler import TOKEN_PREFIX
from logview.core.analysis.query.parser import escape
from logview.core.analysis.query.run import is_plain_search

_FIELD = r"(?:@?[A-Za-z_][A-Za-z0-9_.]*|`[^`]+`)"
_STRING = r'"(?:\\.|[^"\\])*"'
_CHIP = re.compile(
    rf"(?:^|\|)\s*filter\s+({_FIELD})\s*(=|!=)\s*({_STRING})\s*(?=\||$)", re.IGNORECASE
)
_SIMPLE_NAME = re.compile(r"@?[A-Za-z_][A-Za-z0-9_.]*")
_SEARCH_TERM = re.compile(r'(-?)(?:"((?:\\.|[^"\\])*)"|/((?:\\.|[^/\\])*)/(i?)|(\S+))')


@dataclass(frozen=True)
class Chip:
    field: str
    value: str
    exclude: bool
    start: int  # where its `|` starts in the query text
    end: int

    @property
    def label(self) -> str:
        return f"{self.field} {'≠' if self.exclude else '='} {self.value}"


def quote(value: str) -> str:
    """Return `value` as a query string literal."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def field_name(name: str) -> str:
    """Return a field name as the query must write it (backticks around odd names)."""
    return name if _SIMPLE_NAME.fullmatch(name) else f"`{name}`"


def _unquote(literal: str) -> str:
    return re.sub(r"\\(.)", r"\1", literal[1:-1])


def chips(text: str) -> list[Chip]:
    """Return the chip-shaped filter commands of a query, in order."""
    found = []
    for match in _CHIP.finditer(text):
        name = match.group(1)
        name = name[1:-1] if name.startswith("`") else name
        found.append(
            Chip(name, _unquote(match.group(3)), match.group(2) == "!=", match.start(), match.end())
        )
    return found


def add_filter(text: str, field: str, value: str, *, exclude: bool = False) -> str:
    """Return the query text with a filter on `field` being (or not being) `value` added."""
    base = text.strip()
    if base and is_plain_search(base):
        base = search_as_filter(base)
    command = f"filter {field_name(field)} {'!=' if exclude else '='} {quote(value)}"
    return f"{base} | {command}" if base else command


def remove_chip(text: str, chip: Chip) -> str:
    """Return the query text without `chip`'s command (the first command loses its `filter`
    word only if nothing else is left)."""
    rest = (text[: chip.start] + text[chip.end :]).strip()
    return rest.removeprefix("|").strip()


def search_as_filter(text: str) -> str:
    """Return a plain search written as the equivalent `filter` command."""
    terms = []
    for negate, phrase, regex, flags, word in _SEARCH_TERM.findall(text):
        if phrase or word:
            literal = re.sub(r"\\(.)", r"\1", phrase) if phrase else word
            pattern = "/(?i)" + escape(literal).replace("/", "\\/") + "/"
        else:
            pattern = "/" + regex + "/" + flags
        terms.append(f"@message {'not like' if negate else 'like'} {pattern}")
    return "filter " + " and ".join(terms) if terms else ""


def token_filter(pattern_id: str, name: str, value: str, *, exclude: bool = False) -> str:
    """Return the `filter` commands keeping (or the one dropping) a pattern's entries whose
    token called `name` (its template's `<name>`) is `value`: two chips, the pattern and the
    token, e.g. `filter @pattern = "p1f7a8acdbf" | filter @token.status = "503"`."""
    pattern = f"@pattern = {quote(pattern_id)}"
    token = f"{TOKEN_PREFIX}{name} = {quote(value)}"
    if exclude:
        return f"filter not ({pattern} and {token})"
    return f"filter {pattern} | filter {token}"


def pattern_filter(pattern_ids: list[str], *, exclude: bool = False) -> str:
    """Return a `filter` command keeping (or dropping) the entries of these patterns."""
    if len(pattern_ids) == 1:
        return f"filter @pattern {'!=' if exclude else '='} {quote(pattern_ids[0])}"
    listed = ", ".join(quote(p) for p in pattern_ids)
    return f"filter @pattern {'not in' if exclude else 'in'} [{listed}]"


def append(text: str, command: str) -> str:
    """Return the query text with `command` added as its last command."""
    base = text.strip()
    if base and is_plain_search(base):
        base = search_as_filter(base)
    return f"{base} | {command}" if base else command
