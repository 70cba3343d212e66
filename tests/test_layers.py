"""The architecture: nothing below app/ui imports Qt (DESIGN.md section 2)."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import app

CORE_PREFIXES = ("app.domain", "app.db", "app.services", "app.io", "app.api", "app.cli",
                 "app.paths", "app.resources", "app.selftest")


def _core_modules() -> list[str]:
    names = []
    for info in pkgutil.walk_packages(app.__path__, "app."):
        if info.name.startswith(CORE_PREFIXES) and ".migrations.versions" not in info.name \
                and not info.name.endswith("migrations.env"):
            names.append(info.name)
    return names


def test_core_imports_no_qt() -> None:
    modules = _core_modules()
    assert "app.services.payments" in modules
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "bad = sorted(m for m in sys.modules if m.startswith(('PySide6', 'shiboken6')))\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == "", f"Qt imported below app/ui: {result.stdout}"


def test_domain_imports_no_sqlalchemy() -> None:
    code = (
        "import importlib, pkgutil, sys, app.domain\n"
        "for info in pkgutil.walk_packages(app.domain.__path__, 'app.domain.'):\n"
        "    importlib.import_module(info.name)\n"
        "print(','.join(sorted(m for m in sys.modules if m.startswith('sqlalchemy'))))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == ""
