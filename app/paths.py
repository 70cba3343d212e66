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
