"""The one settings module of the GUI (DESIGN.md 4): window layout, column widths, recent
files, last company and journal. Nothing else in the app creates a QSettings.

Settings live in an INI file in the user's config folder (app.paths), so a test isolates them
by passing its own path: ``Settings(tmp_path / "settings.ini")``.
"""

from __future__ import annotations

import uuid
import zlib
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QSettings

from app import paths

MAX_RECENT_FILES = 8
THEMES = ("system", "light", "dark")


class Settings:
    def __init__(self, path: Path | None = None) -> None:
        self.path = path or paths.config_dir() / "ledgerdesk.ini"
        paths.private_file(self.path)  # 0600 in a 0700 folder; Qt's rewrite keeps the mode
        self._q = QSettings(str(self.path), QSettings.Format.IniFormat)

    # --- window layout ---------------------------------------------------------------------
    def _bytes(self, key: str) -> QByteArray | None:
        value = self._q.value(key)
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    def geometry(self) -> QByteArray | None:
        return self._bytes("window/geometry")

    def set_geometry(self, value: QByteArray) -> None:
        self._q.setValue("window/geometry", value)

    def window_state(self) -> QByteArray | None:
        return self._bytes("window/state")

    def set_window_state(self, value: QByteArray) -> None:
        self._q.setValue("window/state", value)

    def header_state(self, view_name: str) -> QByteArray | None:
        """Column widths, order and sort indicator of a view, by its objectName."""
        return self._bytes(f"headers/{view_name}")

    def set_header_state(self, view_name: str, value: QByteArray) -> None:
        self._q.setValue(f"headers/{view_name}", value)

    def hidden_columns(self, view_name: str) -> list[str]:
        """The columns (by key) the user hid in a view, by its objectName."""
        value: Any = self._q.value(f"columns/{view_name}", [])
        if isinstance(value, str):
            value = [value]
        return [str(v) for v in value or [] if v]

    def has_hidden_columns(self, view_name: str) -> bool:
        """True once the user chose the columns of that view (even to show them all)."""
        return self._q.contains(f"columns/{view_name}")

    def set_hidden_columns(self, view_name: str, keys: list[str]) -> None:
        self._q.setValue(f"columns/{view_name}", list(keys))

    # --- look ------------------------------------------------------------------------------
    def theme(self) -> str:
        """"system" (follow the platform's colour scheme), "light" or "dark"."""
        value = str(self._q.value("look/theme", "system") or "system")
        return value if value in THEMES else "system"

    def set_theme(self, value: str) -> None:
        if value not in THEMES:
            raise ValueError(f"theme must be one of {', '.join(THEMES)}, not '{value}'")
        self._q.setValue("look/theme", value)

    # --- recent files ----------------------------------------------------------------------
    def recent_files(self) -> list[str]:
        value: Any = self._q.value("files/recent", [])
        if isinstance(value, str):  # QSettings returns a lone string for a one-item list
            value = [value]
        return [str(v) for v in value or [] if v]

    def add_recent_file(self, path: str) -> None:
        files = [path, *(f for f in self.recent_files() if f != path)][:MAX_RECENT_FILES]
        self._q.setValue("files/recent", files)

    # --- last company and journal, per database --------------------------------------------
    @staticmethod
    def _db_key(database: str) -> str:
        return f"{zlib.crc32(database.encode()):08x}{len(database):04x}"

    def _uuid(self, key: str) -> uuid.UUID | None:
        value = self._q.value(key)
        try:
            return uuid.UUID(str(value)) if value else None
        except ValueError:
            return None

    def last_company(self, database: str) -> uuid.UUID | None:
        return self._uuid(f"db-{self._db_key(database)}/company")

    def set_last_company(self, database: str, company_id: uuid.UUID) -> None:
        self._q.setValue(f"db-{self._db_key(database)}/company", str(company_id))

    def last_journal(self, database: str, company_id: uuid.UUID) -> uuid.UUID | None:
        return self._uuid(f"db-{self._db_key(database)}/journal-{company_id.hex}")

    def set_last_journal(self, database: str, company_id: uuid.UUID,
                         journal_id: uuid.UUID) -> None:
        self._q.setValue(f"db-{self._db_key(database)}/journal-{company_id.hex}",
                         str(journal_id))

    def sync(self) -> None:
        self._q.sync()
        paths.private_file(self.path)
