"""Shared fixtures. Qt runs offscreen; every test gets its own temporary database file,
copied from a template built once per session (as Anki's ``getEmptyCol``): migrating an
empty file, and building the demo company, were over half the suite's time."""

from __future__ import annotations

import os
import shutil
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


@pytest.fixture(scope="session")
def _templates(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Two database files built once: migrated and empty; with the demo company."""
    from app.services.demo import create_demo_company

    folder = tmp_path_factory.mktemp("templates")
    empty, demo_file = folder / "empty.sqlite", folder / "demo.sqlite"
    open_database(empty).close()  # the last connection's close folds the WAL into the file
    shutil.copyfile(empty, demo_file)
    database = open_database(demo_file)
    create_demo_company(database, work_date=WORK_DATE)
    database.close()
    return {"empty": empty, "demo": demo_file}


@pytest.fixture
def db(request: pytest.FixtureRequest, backend: str,  # noqa: F811 (the fixture, imported)
       _templates: dict[str, Path]) -> Iterator[Database]:
    """A migrated database of the test's own: on PostgreSQL a fresh server database
    (tests/backends.py); on SQLite a copy of the demo template when the test (or a fixture
    it uses) asks for ``demo``, else of the empty one."""
    if backend == "postgresql":
        yield request.getfixturevalue("pg_db")
        return
    db_path: Path = request.getfixturevalue("db_path")
    template = _templates["demo" if "demo" in request.fixturenames else "empty"]
    shutil.copyfile(template, db_path)
    db_path.chmod(0o600)
    database = open_database(db_path)
    yield database
    database.close()


@pytest.fixture
def demo(db: Database) -> CompanyRead:
    """The demo company, with a fixed work date so defaults are predictable (already in
    the file: ``db`` copied the demo template; a server database gets it built)."""
    from app.services import companies

    if not db.is_sqlite:
        from app.services.demo import create_demo_company

        return create_demo_company(db, work_date=WORK_DATE)
    return companies.the_only(db)
