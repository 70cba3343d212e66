"""app/api speaks HTTP and calls services: no Qt, no SQLAlchemy, no ORM models in it."""

from __future__ import annotations

import ast
from pathlib import Path

import app.api


def test_the_api_package_imports_no_qt_no_sqlalchemy() -> None:
    for path in Path(app.api.__file__).parent.glob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            for name in names:
                assert not name.startswith(("PySide6", "sqlalchemy", "app.db.models",
                                            "app.ui")), f"{path.name} imports {name}"
