"""The frozen one-folder bundle runs on its own: --version, --help and --self-test."""

from __future__ import annotations

from pathlib import Path

import pytest

from app import APP_NAME, __version__
from tests.packaging.conftest import Built, clean_env, run_app

pytestmark = pytest.mark.slow


def test_bundle_runs_its_self_test_offscreen(built: Built, tmp_path: Path) -> None:
    data_home = tmp_path / "data"
    # No QT_QPA_PLATFORM and no screen: --self-test must choose offscreen by itself.
    result = run_app(built.executable, "--self-test",
                     env=clean_env(XDG_DATA_HOME=str(data_home), TMPDIR=str(tmp_path),
                                   XDG_CONFIG_HOME=str(tmp_path / "config"),
                                   XDG_STATE_HOME=str(tmp_path / "state")))
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith(f"self-test passed: {APP_NAME} {__version__},")
    assert "Traceback" not in result.stderr
    # It worked on a temporary database and removed it: the user's data and settings are
    # untouched.
    assert list(tmp_path.iterdir()) == []


def test_bundle_carries_its_resources_and_migrations(built: Built) -> None:
    internal = built.bundle / "_internal"
    assert (internal / "app" / "resources" / "ledgerdesk.svg").is_file()
    assert (internal / "app" / "db" / "migrations" / "env.py").is_file()
    assert (internal / "app" / "db" / "migrations" / "versions" / "0001_initial.py").is_file()


def test_bundle_leaves_out_unused_qt(built: Built) -> None:
    shipped = {p.name for p in built.bundle.rglob("*") if p.is_file()}
    for unused in ("QtQml", "QtQuick", "Qt3DCore", "QtMultimedia", "QtWebEngineCore",
                   "QtNetwork", "QtSql", "QtTest", "QtPdf"):
        assert not any(name.startswith((f"lib{unused.replace('Qt', 'Qt6', 1)}.",
                                        f"{unused}.")) for name in shipped), unused
    for used in ("libQt6Core.so.6", "libQt6Gui.so.6", "libQt6Widgets.so.6", "libQt6Svg.so.6",
                 "libqoffscreen.so", "libqxcb.so", "libqsvgicon.so"):
        assert used in shipped, used


def test_version_and_help_do_not_load_qt(built: Built) -> None:
    # A platform that does not exist, and the dynamic loader listing every library it loads:
    # --version and --help must answer without Qt.
    env = clean_env(QT_QPA_PLATFORM="no-such-platform", LD_DEBUG="files")
    version = run_app(built.executable, "--version", env=env)
    assert version.returncode == 0, version.stderr[-2000:]
    assert version.stdout.strip() == f"{APP_NAME} {__version__}"
    assert "libQt6" not in version.stderr
    assert "libpyside6" not in version.stderr
    usage = run_app(built.executable, "--help", env=env)
    assert usage.returncode == 0
    assert usage.stdout.startswith("usage: ledgerdesk ")
    assert "--self-test" in usage.stdout and "demo" in usage.stdout
    assert "libQt6" not in usage.stderr

