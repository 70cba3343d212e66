"""The crash log and the settings file can hold customer names and amounts: 0600 files in
0700 folders (issue 9, the hardened edge)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from PySide6.QtCore import QByteArray

from app import paths
from app.ui import crash
from app.ui.settings import Settings


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_the_crash_log_is_private() -> None:
    log = crash.write_log("Traceback: customer C10000 owes 1,234.56")
    assert log is not None and log == paths.log_dir() / "crash.log"
    assert (_mode(log), _mode(log.parent)) == (0o600, 0o700)
    log.chmod(0o644)  # an older version's log
    crash.write_log("again")
    assert _mode(log) == 0o600
    assert log.read_text().count("---") == 2


def test_the_settings_file_is_private(tmp_path: Path) -> None:
    path = tmp_path / "config" / "ledgerdesk.ini"
    settings = Settings(path)
    settings.add_recent_file("/books/customer-names.sqlite")
    settings.set_geometry(QByteArray(b"xyz"))
    settings.sync()
    assert (_mode(path), _mode(path.parent)) == (0o600, 0o700)
    assert "customer-names" in path.read_text()
    os.chmod(path, 0o644)
    Settings(path).sync()
    assert _mode(path) == 0o600
    assert Settings(path).recent_files() == ["/books/customer-names.sqlite"]


def test_a_settings_file_in_a_shared_folder_leaves_the_folder_alone(tmp_path: Path) -> None:
    """Only folders Ledgerdesk makes, or its own, are tightened: naming a settings file in
    /tmp once made /tmp 0700 (and stopped every other user's programs there)."""
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o1777)
    path = shared / "ledgerdesk.ini"
    Settings(path).sync()
    assert _mode(path) == 0o600
    assert _mode(shared) == 0o1777

