"""Shared fixtures. Qt runs offscreen; every test gets its own temporary database file."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

# pytest-qt has no setting for the platform: it must be set before a QApplication exists.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from app.db import Database, open_database
from app.domain.schemas import CompanyRead
from tests import backends
from tests.backends import backend, pg_db, pg_empty_url, pg_server, pg_template, pg_url  # noqa: F401

pytest_configure = backends.configure
pytest_generate_tests = backends.generate


def pytest_report_header() -> str:
    return backends.header()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    terminalreporter.write_line(backends.header())  # also under -q, which hides the header

WORK_DATE = date(2026, 11, 20)


@pytest.fixture(autouse=True)
def _private_user_dirs(tmp_path_factory: pytest.TempPathFactory,
                       monkeypatch: pytest.MonkeyPatch) -> None:
    """No test reads or writes the real user's data, config or settings."""
    home = tmp_path_factory.mktemp("home")
    for var, sub in (("XDG_DATA_HOME", "data"), ("XDG_CONFIG_HOME", "config"),
                     ("XDG_STATE_HOME", "state"), ("XDG_CACHE_HOME", "cache")):
        monkeypatch.setenv(var, str(home / sub))


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "books.sqlite"


@pytest.fixture
def db(request: pytest.FixtureRequest, backend: str) -> Iterator[Database]:  # noqa: F811
    if backend == "postgresql":  # tests/backends.py: a fresh server database
        yield request.getfixturevalue("pg_db")
        return
    database = open_database(request.getfixturevalue("db_path"))
    yield database
    database.close()


@pytest.fixture
def demo(db: Database) -> CompanyRead:
    """The demo company, with a fixed work date so defaults are predictable."""
    from app.services.demo import create_demo_company

    return create_demo_company(db, work_date=WORK_DATE)
