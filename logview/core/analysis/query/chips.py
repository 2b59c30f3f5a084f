"""Click-to-filter as query text: each filter a click adds is a `| filter` command, shown as a
chip beside the query bar. Chips are read back from the text, so the text is always the
truth: what you see is what the query says.

A chip is a command of exactly a shape a click writes:
- `filter <field> = "<value>"` (or `!=` to exclude), the field as a name or in backticks;
- `filter <field> in ["a", "b"]` (or `not in`): several patterns, an error surge's levels;
- `filter not (@pattern = "<id>" and @token.<name> = "<value>")`: a token value excluded
  within its pattern (`token_filter(..., exclude=True)`).

`Chip.describe` says what a chip means in words people read (`pattern: Timeout acquiring
connection from pool…`, `status = 503`), given the patterns' templates; the GUI only draws it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from logview.core.analysis.query.compiler import TOKEN_PREFIX
from logview.core.analysis.query.parser import escape
from logview.core.analysis.query.run import is_plain_search
from logview.core.shared.display import visible_text

_FIELD = r"(?:@?[A-Za-z_][A-Za-z0-9_.]*|`[^`]+`)"
_STRING = r'"(?:\\.|[^"\\])*"'
_COMPARED = rf"(?P<field>{_FIELD})\s*(?P<op>=|!=)\s*(?P<value>{_STRING})"
_LISTED = (
    rf"(?P<lfield>{_FIELD})\s+(?P<not>not\s+)?in\s*"
    rf"\[\s*(?P<items>{_STRING}(?:\s*,\s*{_STRING})*)\s*\]"
)
_WITHIN = (
    rf"not\s*\(\s*@pattern\s*=\s*(?P<pattern>{_STRING})\s+and\s+"
    rf"(?P<tfield>{_FIELD})\s*=\s*(?P<tvalue>{_STRING})\s*\)"
)
_CHIP = re.compile(
    rf"(?:^|\|)\s*filter\s+(?:{_COMPARED}|{_LISTED}|{_WITHIN})\s*(?=\||$)", re.IGNORECASE
)
_SIMPLE_NAME = re.compile(r"@?[A-Za-z_][A-Za-z0-9_.]*")
_SEARCH_TERM = re.compile(r'(-?)(?:"((?:\\.|[^"\\])*)"|/((?:\\.|[^/\\])*)/(i?)|(\S+))')

PATTERN_FIELD = "@pattern"
# A chip's text is cut to about this many characters: three or four chips fit in a laptop's
# window, and the full text is in the chip's tooltip.
LABEL_CHARS = 40


@dataclass(frozen=True)
class Chip:
    """A click-to-filter command read back from the query text: `field` is one of `values`
    (or, with `exclude`, none of them); `start` and `end` are where the command sits."""

    field: str
    values: tuple[str, ...]
    exclude: bool
    start: int  # where its `|` starts in the query text
    end: int
    listed: bool = False  # written as `in [...]`
    # A token value excluded within one pattern: `not (@pattern = "p" and @token.x = "v")`.
    within: str = ""

    @property
    def value(self) -> str:
        return self.values[0]

    @property
    def label(self) -> str:
        """Return the chip's text without the patterns' templates (ids are shown)."""
        return self.describe({})[0]

    def describe(self, names: Mapping[str, str]) -> tuple[str, str]:
        """Return the chip's text and its tooltip, in words: a pattern by its template
        (`names`: pattern id -> template text; an id without one is shown as the id), a
        token by its name (`status = 503`). The text is cut to about LABEL_CHARS with "…";
        the tooltip holds everything in full. Both are made visible (log text is untrusted)."""
        if self.field.lower() == PATTERN_FIELD:
            label, tooltip = self._describe_patterns(names)
        elif token_name(self.field) is not None:
            label, tooltip = self._describe_token(names)
        else:
            label, tooltip = self._describe_field()
        return visible_text(label), visible_text(tooltip, keep_newlines=True)

    def _describe_patterns(self, names: Mapping[str, str]) -> tuple[str, str]:
        """A pattern reads as its template; several as how many, each in the tooltip."""
        known = [names.get(pid) for pid in self.values]
        listed = "\n".join(f"• {name or pid}" for pid, name in zip(self.values, known, strict=True))
        if len(self.values) > 1:
            count = f"{len(self.values)} patterns"
            label = f"not {count}" if self.exclude else count
            what = f"none of these {count}" if self.exclude else f"these {count}"
            return label, f"Entries of {what}:\n{listed}"
        template = known[0]
        if template is None:
            op = "≠" if self.exclude else ("in" if self.listed else "=")
            label = f"{self.field} {op} {elide(self.value)}"
        else:
            label = f"{'not ' if self.exclude else ''}pattern: {elide(template)}"
        what = "Entries of any pattern but this one" if self.exclude else "Entries of this pattern"
        return label, f"{what}:\n{template or self.value}"

    def _describe_token(self, names: Mapping[str, str]) -> tuple[str, str]:
        """A token reads by its name, as its pattern's template shows it: `status = 503`."""
        name = token_name(self.field) or ""
        label, says = self._compared(name)
        tooltip = f"Entries whose <{name}> {says}"
        if self.within:
            template = names.get(self.within, self.within)
            tooltip = (
                f"Hides the entries of this pattern whose <{name}> is {self.value}:\n{template}"
            )
        return label, tooltip

    def _describe_field(self) -> tuple[str, str]:
        label, says = self._compared(self.field)
        return label, f"Entries whose {self.field} {says}"

    def _compared(self, name: str) -> tuple[str, str]:
        """Return `name = value` (≠, in, not in) and the same in words for a tooltip."""
        if self.listed:
            shown = ", ".join(self.values)
            label = f"{name} {'not in' if self.exclude else 'in'} {elide(shown)}"
            return label, f"is {'none' if self.exclude else 'one'} of: {shown}"
        label = f"{name} {'≠' if self.exclude else '='} {elide(self.value)}"
        return label, f"is {'not ' if self.exclude else ''}{self.value}"


def elide(text: str, limit: int = LABEL_CHARS) -> str:
    """Return `text`, or when longer than `limit` its start ending with "…": cut after a word
    when one ends near the limit, never inside a `<name>` slot, and without the space or dot
    before the cut (a trailing "." would read as the end of a sentence, a space as a gap)."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if cut.rfind("<") > cut.rfind(">"):  # inside a slot: keep it whole or not at all
        cut = cut[: cut.rfind("<")]
    space = cut.rfind(" ")
    if space >= limit * 2 // 3:
        cut = cut[:space]
    return (cut.rstrip(" \t.,;:") or text[: limit - 1]) + "…"


def token_name(field: str) -> str | None:
    """Return the token's name of a `@token.<name>` field, None for any other field."""
    if field.lower().startswith(TOKEN_PREFIX):
        return field[len(TOKEN_PREFIX) :]
    return None


def quote(value: str) -> str:
    """Return `value` as a query string literal."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def field_name(name: str) -> str:
    """Return a field name as the query must write it (backticks around odd names)."""
    return name if _SIMPLE_NAME.fullmatch(name) else f"`{name}`"


def _unquote(literal: str) -> str:
    return re.sub(r"\\(.)", r"\1", literal[1:-1])


def _field(written: str) -> str:
    return written[1:-1] if written.startswith("`") else written


def chips(text: str) -> list[Chip]:
    """Return the chip-shaped filter commands of a query, in order."""
    found = []
    for match in _CHIP.finditer(text):
        span = match.start(), match.end()
        if match["field"] is not None:
            value = _unquote(match["value"])
            found.append(Chip(_field(match["field"]), (value,), match["op"] == "!=", *span))
        elif match["lfield"] is not None:
            values = tuple(_unquote(item) for item in re.findall(_STRING, match["items"]))
            exclude = match["not"] is not None
            found.append(Chip(_field(match["lfield"]), values, exclude, *span, listed=True))
        elif token_name(_field(match["tfield"])) is not None:
            value, pattern = _unquote(match["tvalue"]), _unquote(match["pattern"])
            found.append(Chip(_field(match["tfield"]), (value,), True, *span, within=pattern))
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
    token, e.g. `filter @pattern = "p1f7a8acdbf" | filter @token.status = "503"`. The token is
    a column of its own, compared exactly: never a regex over `@message`, which would need the
    template's words around the value and match other patterns' entries too."""
    pattern = f"@pattern = {quote(pattern_id)}"
    # A name taken from a key may hold a "-" (`x-request-id=`): the field is then backticked.
    token = f"{field_name(TOKEN_PREFIX + name)} = {quote(value)}"
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
