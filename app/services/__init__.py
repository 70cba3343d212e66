"""Use cases. Each public function is one transaction: Pydantic in, read model out, typed
domain errors (NotFound, Invalid, Conflict, Blocked) out. Nothing here imports Qt."""

from app.services import (
    accounts,
    companies,
    customers,
    invoices,
    journals,
    number_series,
    payments,
)

__all__ = ["accounts", "companies", "customers", "invoices", "journals", "number_series",
           "payments"]
