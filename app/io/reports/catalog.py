"""The reports' names and titles, without the code that runs them: the GUI builds its Reports
menu from these before the first paint, with no database layer imported."""

from __future__ import annotations

REPORTS = ("trial-balance", "aged-receivables", "statement", "customer-balances")
TITLES = {"trial-balance": "Trial Balance", "aged-receivables": "Aged Accounts Receivable",
          "statement": "Customer Statement", "customer-balances": "Customer Balances"}
