"""The G/L side of a posted sales invoice (pure rules; amounts in integer cents).

An invoice debits the customer's receivables account and credits the company's invoice
account (sales, or opening balances for invoices brought in from elsewhere). When part of
it was paid before it came into Ledgerdesk (remaining < total), that part is credited back to
receivables against the same account, so the receivables account moves by exactly what the
customer still owes, as the customer ledger entry does.
"""

from __future__ import annotations

from typing import Literal, NamedTuple

INVOICE_SOURCE_CODE = "SALES"
RECEIVABLES: Literal["receivables"] = "receivables"
COUNTER: Literal["counter"] = "counter"


class InvoiceGLLine(NamedTuple):
    side: Literal["receivables", "counter"]
    amount: int  # cents, debit positive
    description: str


def invoice_gl_lines(number: str, total: int, remaining: int) -> list[InvoiceGLLine]:
    """The G/L entries of an invoice, in the order they are numbered; they sum to zero and
    the receivables lines sum to ``remaining``."""
    lines = [InvoiceGLLine(RECEIVABLES, total, f"Invoice {number}"),
             InvoiceGLLine(COUNTER, -total, f"Invoice {number}")]
    paid_before = total - remaining
    if paid_before:
        lines += [InvoiceGLLine(RECEIVABLES, -paid_before, f"Invoice {number}, paid before"),
                  InvoiceGLLine(COUNTER, paid_before, f"Invoice {number}, paid before")]
    return lines


def reversal_message(register_number: int) -> str:
    return (f"You cannot reverse G/L Register No. {register_number} because it posts sales "
            "invoices. Post a credit memo, or delete an invoice no payment was posted "
            "against.")
