"""A report as a table every writer understands: title, options, typed columns and rows."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal

Kind = Literal["text", "date", "amount", "int"]
Style = Literal["data", "heading", "total", "group"]


@dataclass(frozen=True)
class Column:
    title: str
    kind: Kind = "text"

    @property
    def numeric(self) -> bool:
        return self.kind in ("amount", "int")


@dataclass(frozen=True)
class Row:
    values: tuple[Any, ...]
    style: Style = "data"
    indent: int = 0
    # Hidden keys (never printed): what Navigate opens from this row.
    document_number: str | None = None
    customer_number: str | None = None


@dataclass
class ReportTable:
    company: str
    title: str
    columns: list[Column]
    rows: list[Row] = field(default_factory=list)
    options: list[tuple[str, str]] = field(default_factory=list)
    printed_at: datetime = field(default_factory=lambda: datetime.now().replace(microsecond=0))

    def options_text(self) -> str:
        return "; ".join(f"{label}: {value}" for label, value in self.options)


def cell_text(value: Any, kind: Kind, *, grouped: bool = True) -> str:
    """A cell as text: amounts with two decimals (thousands separated when ``grouped``),
    dates ISO, nothing for None."""
    if value is None or value == "":
        return ""
    if kind == "amount":
        amount = Decimal(value)
        return f"{amount:,.2f}" if grouped else f"{amount:.2f}"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)
