"""The OpenAPI document (placeholder until the routes settle)."""

from __future__ import annotations

from typing import Any


def document() -> dict[str, Any]:
    return {"openapi": "3.0.3", "info": {"title": "Ledgerdesk API", "version": "2.0"},
            "paths": {}}
