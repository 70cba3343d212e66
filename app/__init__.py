"""Ledgerdesk: offline bookkeeping of customer payments in the Business Central model."""

__version__ = "0.1.0"
APP_NAME = "Ledgerdesk"
APP_ID = "ledgerdesk"
