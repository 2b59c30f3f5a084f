"""Query text -> commands and expression trees (recursive descent, one token of look-ahead).

Grammar (Logs Insights' subset; `docs/query.md` has the user's version):

    query     := command ("|" command)*          | plain search (see search.py)
    command   := fields | display | filter | stats | sort | limit | parse | dedup | pattern
    expr      := and ("or" and)*
    and       := not ("and" not)*
    not       := "not" not | compare
    compare   := sum [op sum | ["not"] "like" (string|regex) | "=~" regex | ["not"] "in" list]
    sum       := product (("+"|"-") product)*
    product   := unary (("*"|"/"|"%") unary)*
    unary     := "-" unary | primary
    primary   := number | string | regex | field | function "(" args ")" | "(" expr ")"
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from logview.core.analysis.query.errors import QueryError
from logview.core.analysis.query.lexer import Token, tokenize

COMMANDS = ("fields", "display", "filter", "stats", "sort", "limit", "parse", "dedup", "pattern")
AGGREGATES = (
    "count", "count_distinct", "sum", "avg", "min", "max", "pct", "earliest", "latest",
)  # fmt: skip
FUNCTIONS = ("ispresent", "isempty", "strcontains", "tolower", "toupper", "abs", "strlen")
_COMPARE = ("=", "!=", "<", "<=", ">", ">=")


# --- expression trees ----------------------------------------------------------------------


@dataclass(frozen=True)
class Field:
    name: str
    column: int


@dataclass(frozen=True)
class Literal:
    value: str | float
    column: int


@dataclass(frozen=True)
class Regex:
    pattern: str
    insensitive: bool
    column: int


@dataclass(frozen=True)
class Call:
    name: str
    args: tuple[Expr, ...]
    column: int


@dataclass(frozen=True)
class Unary:
    op: str  # "not", "-"
    operand: Expr
    column: int


@dataclass(frozen=True)
class Binary:
    op: str  # and or = != < <= > >= + - * / % like notlike match in notin
    left: Expr
    right: Expr | tuple[Expr, ...]
    column: int


Expr = Field | Literal | Regex | Call | Unary | Binary


# --- commands ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Output:
    expr: Expr
    name: str  # as written (or the alias)


@dataclass(frozen=True)
class Aggregate:
    func: str
    arg: Expr | None  # None for count(*)
    extra: float | None  # pct's percentile
    name: str
    column: int


@dataclass(frozen=True)
class Bin:
    seconds: int
    name: str


@dataclass(frozen=True)
class Command:
    word: str
    column: int
    outputs: tuple[Output, ...] = ()  # fields, display
    condition: Expr | None = None  # filter
    aggregates: tuple[Aggregate, ...] = ()  # stats
    groups: tuple[Output | Bin, ...] = ()  # stats ... by
    order: tuple[tuple[Expr, str, bool], ...] = ()  # sort: (expr, name, descending)
    limit: int = 0
    source: Expr | None = None  # parse, pattern
    captures: tuple[str, ...] = ()  # parse: names of the fields made
    regex: str = ""  # parse: the regex that makes them
    keys: tuple[Expr, ...] = field(default=())  # dedup


_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


class _Parser:
    def __init__(self, text: str):
        self.text = text
        self.tokens = tokenize(text)
        self.i = 0

    @property
    def token(self) -> Token:
        return self.tokens[self.i]

    def advance(self) -> Token:
        token = self.tokens[self.i]
        if token.kind != "end":
            self.i += 1
        return token

    def accept(self, text: str) -> Token | None:
        token = self.token
        if (token.kind == "op" and token.text == text) or token.is_word(text):
            return self.advance()
        return None

    def expect(self, text: str) -> Token:
        token = self.accept(text)
        if token is None:
            raise QueryError(f"expected '{text}'", self.token.column)
        return token

    def fail(self, what: str) -> QueryError:
        token = self.token
        found = "end of query" if token.kind == "end" else repr(self.source_of(token))
        return QueryError(f"expected {what}, found {found}", token.column)

    def source_of(self, token: Token) -> str:
        return self.text[token.column - 1 : token.end]

    def written(self, start: Token) -> str:
        """Return the query text from `start` to the last token taken, without spaces."""
        last = self.tokens[self.i - 1]
        return "".join(self.text[start.column - 1 : last.end].split())

    # --- commands ------------------------------------------------------------------------

    def query(self) -> list[Command]:
        commands = [self.command()]
        while self.accept("|"):
            commands.append(self.command())
        if self.token.kind != "end":
            raise self.fail("'|' or end of query")
        return commands

    def command(self) -> Command:
        token = self.token
        if token.kind != "name" or token.text.lower() not in COMMANDS:
            raise self.fail(f"a command ({', '.join(COMMANDS)})")
        self.advance()
        word = token.text.lower()
        col = token.column
        if word in ("fields", "display"):
            return Command(word, col, outputs=self.outputs())
        if word == "filter":
            return Command(word, col, condition=self.expr())
        if word == "stats":
            return self.stats(col)
        if word == "sort":
            return Command(word, col, order=self.sort_keys())
        if word == "limit":
            number = self.token
            if number.kind != "number" or not number.text.isdigit() or int(number.text) < 1:
                raise self.fail("a positive whole number")
            self.advance()
            return Command(word, col, limit=int(number.text))
        if word == "parse":
            return self.parse_command(col)
        if word == "dedup":
            keys = [self.expr()]
            while self.accept(","):
                keys.append(self.expr())
            return Command(word, col, keys=tuple(keys))
        # pattern [field]
        source = None if self.at_command_end() else self.expr()
        return Command(word, col, source=source)

    def at_command_end(self) -> bool:
        return self.token.kind == "end" or (self.token.kind == "op" and self.token.text == "|")

    def outputs(self) -> tuple[Output, ...]:
        items = [self.output()]
        while self.accept(","):
            items.append(self.output())
        return tuple(items)

    def output(self) -> Output:
        start = self.token
        expr = self.expr()
        name = expr.name if isinstance(expr, Field) else self.written(start)
        if self.accept("as"):
            name = self.name()
        return Output(expr, name)

    def name(self) -> str:
        token = self.token
        if token.kind != "name":
            raise self.fail("a name")
        self.advance()
        return token.text

    def stats(self, col: int) -> Command:
        aggregates = [self.aggregate()]
        while self.accept(","):
            aggregates.append(self.aggregate())
        groups: list[Output | Bin] = []
        if self.accept("by"):
            groups.append(self.group())
            while self.accept(","):
                groups.append(self.group())
        return Command("stats", col, aggregates=tuple(aggregates), groups=tuple(groups))

    def aggregate(self) -> Aggregate:
        start = self.token
        if start.kind != "name" or start.text.lower() not in AGGREGATES:
            raise self.fail(f"an aggregate function ({', '.join(AGGREGATES)})")
        self.advance()
        func = start.text.lower()
        self.expect("(")
        arg: Expr | None = None
        extra: float | None = None
        if func == "count" and self.accept("*"):
            pass
        else:
            arg = self.expr()
        if func == "pct":
            self.expect(",")
            number = self.token
            if number.kind != "number" or not 0 <= float(number.text) <= 100:
                raise self.fail("a percentile between 0 and 100")
            extra = float(self.advance().text)
        self.expect(")")
        name = self.written(start)
        if self.accept("as"):
            name = self.name()
        return Aggregate(func, arg, extra, name, start.column)

    def group(self) -> Output | Bin:
        start = self.token
        if start.is_word("bin") and self.tokens[self.i + 1].text == "(":
            self.advance()
            self.expect("(")
            duration = self.token
            if duration.kind != "duration":
                raise self.fail("a duration such as 5m (units s, m, h, d)")
            digits, unit = (
                duration.text.rstrip("smhdSMHD"),
                duration.text[len(duration.text.rstrip("smhdSMHD")) :],
            )
            if (
                not digits.isdigit()
                or unit.lower() not in _UNITS
                or len(unit) != 1
                or int(digits) == 0
            ):
                raise QueryError(
                    f"bad duration {duration.text!r}: use a number and s, m, h or d",
                    duration.column,
                )
            self.advance()
            self.expect(")")
            name = self.written(start)
            if self.accept("as"):
                name = self.name()
            return Bin(int(digits) * _UNITS[unit.lower()], name)
        return self.output()

    def sort_keys(self) -> tuple[tuple[Expr, str, bool], ...]:
        keys = []
        while True:
            start = self.token
            expr = self.expr()
            name = expr.name if isinstance(expr, Field) else self.written(start)
            descending = True
            if self.accept("asc"):
                descending = False
            elif self.accept("desc"):
                descending = True
            keys.append((expr, name, descending))
            if not self.accept(","):
                return tuple(keys)

    def parse_command(self, col: int) -> Command:
        source = self.primary()
        token = self.token
        if token.kind == "string":
            self.advance()
            if "*" not in token.text:
                raise QueryError("a parse pattern needs at least one *", token.column)
            self.expect("as")
            names = [self.name()]
            while self.accept(","):
                names.append(self.name())
            stars = token.text.count("*")
            if len(names) != stars:
                raise QueryError(
                    f"the pattern has {stars} * but {len(names)} names follow 'as'", token.column
                )
            return Command(
                "parse", col, source=source, captures=tuple(names), regex=_glob(token.text)
            )
        if token.kind == "regex":
            self.advance()
            names = re.findall(r"\(\?P?<([A-Za-z_][A-Za-z0-9_]*)>", token.text)
            if not names:
                raise QueryError(
                    "a parse regex needs named groups such as (?<user>\\S+)", token.column
                )
            pattern = ("(?i)" if token.flags else "") + token.text
            return Command("parse", col, source=source, captures=tuple(names), regex=pattern)
        raise self.fail('a "glob * pattern" or a /regex/ with named groups')

    # --- expressions -----------------------------------------------------------------------

    def expr(self) -> Expr:
        left = self.and_expr()
        while (token := self.accept("or")) is not None:
            left = Binary("or", left, self.and_expr(), token.column)
        return left

    def and_expr(self) -> Expr:
        left = self.not_expr()
        while (token := self.accept("and")) is not None:
            left = Binary("and", left, self.not_expr(), token.column)
        return left

    def not_expr(self) -> Expr:
        token = self.accept("not")
        if token is not None:
            return Unary("not", self.not_expr(), token.column)
        return self.compare()

    def compare(self) -> Expr:
        left = self.sum()
        token = self.token
        if token.kind == "op" and token.text in _COMPARE:
            self.advance()
            return Binary(token.text, left, self.sum(), token.column)
        if token.kind == "op" and token.text == "=~":
            self.advance()
            return Binary("match", left, self.regex_operand(), token.column)
        negated = False
        if token.is_word("not") and self.tokens[self.i + 1].is_word("like", "in"):
            self.advance()
            negated = True
            token = self.token
        if token.is_word("like"):
            self.advance()
            operand = self.token
            if operand.kind == "string":
                right: Expr = Literal(self.advance().text, operand.column)
            else:
                right = self.regex_operand()
            return Binary("notlike" if negated else "like", left, right, token.column)
        if token.is_word("in"):
            self.advance()
            self.expect("[")
            items = [self.sum()]
            while self.accept(","):
                items.append(self.sum())
            self.expect("]")
            return Binary("notin" if negated else "in", left, tuple(items), token.column)
        return left

    def regex_operand(self) -> Regex:
        token = self.token
        if token.kind != "regex":
            raise self.fail("a /regex/")
        self.advance()
        return Regex(token.text, "i" in token.flags, token.column)

    def sum(self) -> Expr:
        left = self.product()
        while self.token.kind == "op" and self.token.text in ("+", "-"):
            token = self.advance()
            left = Binary(token.text, left, self.product(), token.column)
        return left

    def product(self) -> Expr:
        left = self.unary()
        while self.token.kind == "op" and self.token.text in ("*", "/", "%"):
            token = self.advance()
            left = Binary(token.text, left, self.unary(), token.column)
        return left

    def unary(self) -> Expr:
        token = self.accept("-")
        if token is not None:
            return Unary("-", self.unary(), token.column)
        return self.primary()

    def primary(self) -> Expr:
        token = self.token
        if token.kind == "number":
            self.advance()
            return Literal(float(token.text), token.column)
        if token.kind == "string":
            self.advance()
            return Literal(token.text, token.column)
        if token.kind == "regex":
            return self.regex_operand()
        if token.kind == "op" and token.text == "(":
            self.advance()
            inner = self.expr()
            if self.accept(")") is None:
                raise QueryError("expected ')'", self.token.column)
            return inner
        if token.kind == "name":
            following = self.tokens[self.i + 1]
            if following.kind == "op" and following.text == "(" and not token.text.startswith("@"):
                return self.call()
            if token.text.lower() in ("and", "or", "not", "like", "in", "by", "as"):
                raise self.fail("a field, a value or '('")
            self.advance()
            return Field(token.text, token.column)
        raise self.fail("a field, a value or '('")

    def call(self) -> Call:
        token = self.advance()
        name = token.text.lower()
        if name not in FUNCTIONS:
            if name in AGGREGATES:
                raise QueryError(f"{name}() belongs in stats", token.column)
            raise QueryError(f"unknown function {token.text}()", token.column)
        self.expect("(")
        args: list[Expr] = []
        if self.accept(")") is None:
            args.append(self.expr())
            while self.accept(","):
                args.append(self.expr())
            if self.accept(")") is None:
                raise QueryError("expected ')'", self.token.column)
        wanted = 2 if name == "strcontains" else 1
        if len(args) != wanted:
            raise QueryError(f"{name}() takes {wanted} argument{'s' * (wanted > 1)}", token.column)
        return Call(name, tuple(args), token.column)


def escape(text: str) -> str:
    """Return `text` as a literal in Rust's regex syntax."""
    return "".join("\\" + ch if ch in _META else ch for ch in text)


_META = frozenset("\\.+*?()|[]{}^$#&-~")


def _glob(pattern: str) -> str:
    """Return the regex of a parse glob: each `*` captures as little as it can, except a `*`
    ending the pattern, which takes the rest of the text."""
    parts = pattern.split("*")
    groups = ["(.*?)"] * (len(parts) - 1)
    if parts[-1] == "":
        groups[-1] = "(.*)"
    out = escape(parts[0])
    for group, literal in zip(groups, parts[1:], strict=True):
        out += group + escape(literal)
    return "(?s)" + out


def walk(node: object):  # noqa: ANN201 - yields Expr
    """Yield every expression node in a command or an expression, depth first."""
    if isinstance(node, Command):
        children: list[object] = [
            o.expr for o in node.outputs + tuple(g for g in node.groups if isinstance(g, Output))
        ]
        children += [node.condition, node.source, *node.keys, *(e for e, _, _ in node.order)]
        children += [a.arg for a in node.aggregates]
    elif isinstance(node, Unary):
        yield node
        children = [node.operand]
    elif isinstance(node, Binary):
        yield node
        children = [node.left, *(node.right if isinstance(node.right, tuple) else (node.right,))]
    elif isinstance(node, Call):
        yield node
        children = list(node.args)
    elif node is not None:
        yield node
        return
    else:
        return
    for child in children:
        yield from walk(child)


def parse(text: str) -> list[Command]:
    """Return the commands of a query; raises QueryError with the column at fault."""
    try:
        return _Parser(text).query()
    except RecursionError:  # the parser descends once per "(" or "not": a few hundred deep
        raise QueryError("the query is nested too deeply (parentheses or 'not')") from None
