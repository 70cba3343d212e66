"""The OData query options Business Central supports, parsed into a small tree (no SQL here).

``$filter`` (bc-model.md 2.5, bc-api-v2.md 2): ``eq ne gt ge lt le``, ``and``, ``or`` on one
field only (an ``or`` across fields is refused with BC's own message), ``startswith``,
``endswith``, ``contains``, and ``tolower``/``toupper`` around a property. Parentheses group.
Literals: 'text' (with '' for a quote), numbers, true/false, null, GUIDs and dates unquoted.
``$orderby``: ``prop [asc|desc], ...``. Anything else is refused with a message that names
what was not understood. app/services/odata.py turns the tree into SQL on indexes.

A hand-written parser, not odata-query: BC's subset is small, the cross-field ``or`` must be
refused (odata-query accepts it), and the tree stays free of SQLAlchemy.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from app.domain.errors import Invalid

CROSS_FIELD_OR = "The 'OR' operator is not supported on distinct fields on an OData filter."
COMPARISONS = ("eq", "ne", "gt", "ge", "lt", "le")
MATCHES = ("startswith", "endswith", "contains")
_SHOWN = {"close": ")", "open": "(", "comma": ",", "name": "a name"}
_SWAPPED = {"eq": "eq", "ne": "ne", "gt": "lt", "ge": "le", "lt": "gt", "le": "ge"}

Value = str | int | Decimal | bool | None | uuid.UUID | date | datetime


@dataclass(frozen=True)
class Prop:
    name: str
    case: str | None = None  # "tolower" | "toupper"


@dataclass(frozen=True)
class Compare:
    prop: Prop
    op: str
    value: Value


@dataclass(frozen=True)
class Match:
    kind: str  # startswith | endswith | contains
    prop: Prop
    value: str


@dataclass(frozen=True)
class And:
    items: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    items: tuple[Node, ...]


Node = Compare | Match | And | Or


def fields_of(node: Node) -> set[str]:
    if isinstance(node, (Compare, Match)):
        return {node.prop.name}
    return set().union(*(fields_of(item) for item in node.items))


def conjuncts(node: Node | None) -> list[Node]:
    """The top-level ``and`` terms of a filter."""
    if node is None:
        return []
    if isinstance(node, And):
        return [term for item in node.items for term in conjuncts(item)]
    return [node]


# --- tokens --------------------------------------------------------------------------------

_TOKEN = re.compile(r"""
    (?P<ws>\s+)
  | (?P<string>'(?:[^']|'')*')
  | (?P<guid>[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12})(?![\w-])
  | (?P<datetime>\d{4}-\d{2}-\d{2}T[0-9:.]+(?:Z|[+-]\d{2}:\d{2})?)
  | (?P<date>\d{4}-\d{2}-\d{2})(?![\w-])
  | (?P<number>-?\d+(?:\.\d+)?)(?![\w.])
  | (?P<name>[A-Za-z_@][\w./@]*)
  | (?P<open>\()
  | (?P<close>\))
  | (?P<comma>,)
""", re.VERBOSE)


@dataclass(frozen=True)
class _Tok:
    kind: str
    text: str
    at: int


def _tokens(text: str) -> list[_Tok]:
    out: list[_Tok] = []
    pos = 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None:
            raise Invalid(f"The $filter cannot be read at position {pos + 1}: "
                          f"'{text[pos:pos + 20]}'.", field="$filter")
        kind = m.lastgroup or ""
        if kind != "ws":
            out.append(_Tok(kind, m.group(), pos))
        pos = m.end()
    return out


def _literal(tok: _Tok) -> Value:
    if tok.kind == "string":
        return tok.text[1:-1].replace("''", "'")
    if tok.kind == "guid":
        return uuid.UUID(tok.text)
    if tok.kind == "date":
        try:
            return date.fromisoformat(tok.text)
        except ValueError:
            raise Invalid(f"'{tok.text}' is not a valid date in the $filter.",
                          field="$filter") from None
    if tok.kind == "datetime":
        try:
            return datetime.fromisoformat(tok.text.replace("Z", "+00:00"))
        except ValueError:
            raise Invalid(f"'{tok.text}' is not a valid date and time in the $filter.",
                          field="$filter") from None
    if tok.kind == "number":
        try:
            return int(tok.text) if "." not in tok.text else Decimal(tok.text)
        except (ValueError, InvalidOperation):  # pragma: no cover - the pattern prevents it
            raise Invalid(f"'{tok.text}' is not a number.", field="$filter") from None
    if tok.kind == "name" and tok.text in ("true", "false"):
        return tok.text == "true"
    if tok.kind == "name" and tok.text == "null":
        return None
    raise Invalid(f"A value was expected in the $filter at position {tok.at + 1}, not "
                  f"'{tok.text}'.", field="$filter")


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.toks = _tokens(text)
        self.i = 0

    def peek(self) -> _Tok | None:
        return self.toks[self.i] if self.i < len(self.toks) else None

    def take(self, kind: str | None = None, text: str | None = None) -> _Tok:
        tok = self.peek()
        if tok is None:
            raise Invalid(f"The $filter ends too early: '{self.text}'.", field="$filter")
        if (kind and tok.kind != kind) or (text and tok.text != text):
            want = text or _SHOWN.get(kind or "", kind)
            raise Invalid(f"'{want}' was expected in the $filter at position {tok.at + 1}, "
                          f"not '{tok.text}'.", field="$filter")
        self.i += 1
        return tok

    def is_word(self, word: str) -> bool:
        tok = self.peek()
        return tok is not None and tok.kind == "name" and tok.text == word

    def parse(self) -> Node:
        node = self.or_expr()
        tok = self.peek()
        if tok is not None:
            raise Invalid(f"The $filter cannot be read from position {tok.at + 1}: "
                          f"'{tok.text}' was not expected.", field="$filter")
        return node

    def or_expr(self) -> Node:
        items = [self.and_expr()]
        while self.is_word("or"):
            self.take()
            items.append(self.and_expr())
        if len(items) == 1:
            return items[0]
        node = Or(tuple(items))
        if len(fields_of(node)) > 1:
            raise Invalid(CROSS_FIELD_OR, field="$filter")
        return node

    def and_expr(self) -> Node:
        items = [self.primary()]
        while self.is_word("and"):
            self.take()
            items.append(self.primary())
        return items[0] if len(items) == 1 else And(tuple(items))

    def primary(self) -> Node:
        tok = self.peek()
        if tok is None:
            raise Invalid(f"The $filter ends too early: '{self.text}'.", field="$filter")
        if tok.kind == "open":
            self.take()
            node = self.or_expr()
            self.take("close")
            return node
        if tok.kind == "name" and tok.text in MATCHES:
            return self.match()
        if tok.kind == "name" and tok.text == "not":
            raise Invalid("The 'not' operator is not supported on an OData filter.",
                          field="$filter")
        left = self.operand()
        op_tok = self.take("name")
        op = op_tok.text
        if op not in COMPARISONS:
            raise Invalid(f"'{op}' is not a supported operator in the $filter; use "
                          f"{', '.join(COMPARISONS)}, and, or, startswith, endswith, "
                          "contains.", field="$filter")
        right = self.operand()
        if isinstance(left, Prop) and not isinstance(right, Prop):
            return Compare(left, op, right)
        if isinstance(right, Prop) and not isinstance(left, Prop):
            return Compare(right, _SWAPPED[op], left)
        raise Invalid("A comparison in the $filter needs one property and one value.",
                      field="$filter")

    def match(self) -> Node:
        kind = self.take("name").text
        self.take("open")
        prop = self.operand()
        self.take("comma")
        value = self.operand()
        self.take("close")
        if not isinstance(prop, Prop) or not isinstance(value, str):
            raise Invalid(f"{kind} needs a property and a text value, as in "
                          f"{kind}(displayName,'A').", field="$filter")
        return Match(kind, prop, value)

    def operand(self) -> Prop | Value:
        tok = self.peek()
        if tok is None:
            raise Invalid(f"The $filter ends too early: '{self.text}'.", field="$filter")
        if tok.kind == "name" and tok.text in ("tolower", "toupper"):
            self.take()
            self.take("open")
            inner = self.operand()
            self.take("close")
            if not isinstance(inner, Prop) or inner.case is not None:
                raise Invalid(f"{tok.text} takes one property, as in {tok.text}(displayName).",
                              field="$filter")
            return Prop(inner.name, tok.text)
        if tok.kind == "name" and tok.text not in ("true", "false", "null"):
            self.take()
            if self.peek() is not None and self.peek().kind == "open":  # type: ignore[union-attr]
                raise Invalid(f"The function '{tok.text}' is not supported on an OData filter.",
                              field="$filter")
            return Prop(tok.text)
        self.take()
        return _literal(tok)


def parse_filter(text: str | None) -> Node | None:
    """The tree of a ``$filter`` value (None when there is none)."""
    if text is None or not text.strip():
        return None
    if len(text) > 4000:
        raise Invalid("The $filter is too long (at most 4,000 characters).", field="$filter")
    return _Parser(text).parse()


def parse_orderby(text: str | None) -> list[tuple[str, bool]]:
    """``$orderby`` as (property, descending) pairs."""
    if text is None or not text.strip():
        return []
    out: list[tuple[str, bool]] = []
    for part in text.split(","):
        words = part.split()
        if not words or len(words) > 2 or (len(words) == 2 and words[1] not in ("asc", "desc")):
            raise Invalid(f"The $orderby cannot be read: '{part.strip()}'. Write "
                          "'property', 'property asc' or 'property desc'.", field="$orderby")
        out.append((words[0], len(words) == 2 and words[1] == "desc"))
    return out


def parse_select(text: str | None) -> list[str] | None:
    if text is None or not text.strip():
        return None
    return [name.strip() for name in text.split(",") if name.strip()]


def parse_count(text: str | None, option: str) -> int | None:
    """``$top`` / ``$skip``: a whole number >= 0."""
    if text is None:
        return None
    value = text.strip()
    if not value.isdigit() or len(value) > 10:
        raise Invalid(f"{option} must be a whole number of 0 or more, not '{text}'.",
                      field=option)
    return int(value)
