"""Data in and out of Ledgerdesk (JSON in Business Central's shapes). No Qt here."""
