"""The one place that knows where files live (platformdirs). No Qt here."""

from __future__ import annotations

from pathlib import Path

from platformdirs import PlatformDirs

from app import APP_NAME

_dirs = PlatformDirs(APP_NAME, appauthor=False)
DEFAULT_DB_NAME = "ledgerdesk.sqlite"


def data_dir() -> Path:
    """The user's data folder: the database lives here, never inside the install folder."""
    return Path(_dirs.user_data_dir)


def default_database() -> Path:
    return data_dir() / DEFAULT_DB_NAME


def log_dir() -> Path:
    return Path(_dirs.user_log_dir)


def config_dir() -> Path:
    return Path(_dirs.user_config_dir)


def private_folder(folder: Path) -> Path:
    """``folder``, created if needed, readable by its owner only (0700): logs and settings
    can hold customer names and amounts. A folder that already existed is tightened only if
    it is one of Ledgerdesk's own (an older version made them 0755): a settings file named
    in a shared folder (``/tmp``) must never change that folder's mode."""
    own = folder in (Path(_dirs.user_log_dir), Path(_dirs.user_config_dir),
                     Path(_dirs.user_data_dir))
    existed = folder.exists()
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    if (own or not existed) and folder.stat().st_mode & 0o077:
        folder.chmod(0o700)
    return folder


def private_file(path: Path) -> Path:
    """``path`` created empty if missing, in a private folder, its mode 0600."""
    import os

    private_folder(path.parent)
    os.close(os.open(path, os.O_CREAT | os.O_WRONLY | os.O_APPEND, 0o600))
    if path.stat().st_mode & 0o077:
        path.chmod(0o600)
    return path
