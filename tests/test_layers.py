"""The architecture (DESIGN.md section 2), as contracts in pyproject.toml
([tool.importlinter]): the layers, no Qt below app/ui, no SQLAlchemy in app/ui or app/api,
a pure app/domain, no import cycles. One run-time check stays here: import-linter reads the
import statements, so the modules Qt would load at run time are checked by importing them."""

from __future__ import annotations

import pkgutil
import shutil
import subprocess
import sys
from pathlib import Path

import app

ROOT = Path(__file__).resolve().parent.parent
CORE_PREFIXES = ("app.domain", "app.db", "app.services", "app.io", "app.cli", "app.paths",
                 "app.resources", "app.selftest", "app.api")


def test_the_import_contracts_are_kept() -> None:
    lint = shutil.which("lint-imports", path=str(Path(sys.executable).parent)) \
        or shutil.which("lint-imports")
    assert lint, "import-linter is a test dependency (pyproject.toml)"
    result = subprocess.run([lint, "--no-cache"], cwd=ROOT, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout
    for contract in ("Layers:", "Nothing below app/ui imports PySide6",
                     "No SQLAlchemy in app/ui or app/api", "app/domain is pure Python",
                     "No import cycles"):
        assert f"{contract}" in result.stdout


def _core_modules() -> list[str]:
    names = []
    for info in pkgutil.walk_packages(app.__path__, "app."):
        if info.name.startswith(CORE_PREFIXES) and ".migrations.versions" not in info.name \
                and not info.name.endswith("migrations.env"):
            names.append(info.name)
    return names


def test_core_imports_no_qt_at_run_time() -> None:
    modules = _core_modules()
    assert "app.services.payments" in modules and "app.selftest" in modules
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
