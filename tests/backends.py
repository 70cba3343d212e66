"""The database backends the suite runs on: SQLite always, PostgreSQL when a server is given.

``LEDGERDESK_TEST_PG`` names a server (``postgresql+psycopg://postgres@127.0.0.1:PORT/postgres``;
``scripts/pg_test_server.sh start`` starts a private one and prints it). Then every test in
the modules of ``PG_MODULES`` that uses the ``db`` fixture (and not ``db_path``: those test
the file itself) runs twice, ``[sqlite]`` and ``[postgresql]``; the PostgreSQL run gets a
fresh database cloned from a migrated template (``CREATE DATABASE ... TEMPLATE``: ~0.1 s
instead of ~1 s of migrations). Without the variable the suite runs on SQLite only and the
pytest header says so. ``@pytest.mark.sqlite_only`` keeps a test off PostgreSQL;
``@pytest.mark.postgresql`` runs a test only there (it needs the ``pg_url`` fixture).

conftest.py hooks this in: it calls ``configure``, ``header`` and ``generate`` from its pytest
hooks, imports the fixtures, and its ``db`` fixture hands a ``postgresql`` run to ``pg_db``.
"""

from __future__ import annotations

import itertools
import os
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

ENV = "LEDGERDESK_TEST_PG"
# The test folders (or files) that run on both backends; the GUI runs on SQLite only.
PG_MODULES = ("tests/db/", "tests/domain/", "tests/services/", "tests/io/",
              "tests/test_cli", "tests/test_pg")
TEMPLATE = "ledgerdesk_test_template"
_counter = itertools.count()


def server_url() -> str | None:
    value = os.environ.get(ENV, "").strip()
    return value or None


def configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "sqlite_only: runs on SQLite only (file behaviour)")
    config.addinivalue_line("markers", "postgresql: needs the PostgreSQL test server")


def header() -> str:
    url = server_url()
    if url is None:
        return (f"backends: SQLite only ({ENV} is not set; scripts/pg_test_server.sh start "
                "gives a server)")
    return f"backends: SQLite and PostgreSQL ({make_url(url).render_as_string(hide_password=True)})"


def _on_pg(nodeid: str) -> bool:
    return any(nodeid.startswith(prefix) for prefix in PG_MODULES)


def generate(metafunc: pytest.Metafunc) -> None:
    """Parametrize ``backend`` for the tests that run on both backends."""
    if "backend" not in metafunc.fixturenames:
        return
    nodeid = metafunc.definition.nodeid
    wants_pg = metafunc.definition.get_closest_marker("postgresql") is not None
    sqlite_only = (metafunc.definition.get_closest_marker("sqlite_only") is not None
                   or "db_path" in metafunc.fixturenames)
    if wants_pg:
        metafunc.parametrize("backend", ["postgresql"], indirect=True)
    elif server_url() and _on_pg(nodeid) and not sqlite_only:
        metafunc.parametrize("backend", ["sqlite", "postgresql"], indirect=True)


@pytest.fixture
def backend(request: pytest.FixtureRequest) -> str:
    """The backend of this test run: ``sqlite`` unless parametrized."""
    return str(getattr(request, "param", "sqlite"))


def _admin_engine(url: str) -> Engine:
    return create_engine(url, isolation_level="AUTOCOMMIT", poolclass=NullPool)


@pytest.fixture(scope="session")
def pg_server() -> str:
    """The admin URL of the test server (skips a ``postgresql``-marked test without one)."""
    url = server_url()
    if url is None:
        pytest.skip(f"no PostgreSQL test server ({ENV} is not set)")
    return url


@pytest.fixture(scope="session")
def pg_template(pg_server: str) -> str:
    """A database migrated to the head once per session, the template of every test's."""
    from app.db import open_database

    engine = _admin_engine(pg_server)
    with engine.connect() as conn:
        conn.execute(text(f"DROP DATABASE IF EXISTS {TEMPLATE} WITH (FORCE)"))
        conn.execute(text(f"CREATE DATABASE {TEMPLATE}"))
    url = make_url(pg_server).set(database=TEMPLATE).render_as_string(hide_password=False)
    open_database(url).close()
    engine.dispose()
    return TEMPLATE


def create_database(pg_server: str, template: str | None) -> str:
    """A new, uniquely named database on the server; its URL."""
    name = f"ld_{os.getpid()}_{next(_counter)}_{uuid.uuid4().hex[:6]}"
    engine = _admin_engine(pg_server)
    try:
        with engine.connect() as conn:
            suffix = f" TEMPLATE {template}" if template else ""
            conn.execute(text(f"CREATE DATABASE {name}{suffix}"))
    finally:
        engine.dispose()
    return make_url(pg_server).set(database=name).render_as_string(hide_password=False)


def drop_database(pg_server: str, url: str) -> None:
    name = make_url(url).database
    engine = _admin_engine(pg_server)
    try:
        with engine.connect() as conn:
            conn.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
    finally:
        engine.dispose()


@pytest.fixture
def pg_url(pg_server: str, pg_template: str) -> Iterator[str]:
    """The URL of a fresh migrated database of its own, dropped after the test."""
    url = create_database(pg_server, pg_template)
    yield url
    drop_database(pg_server, url)


@pytest.fixture
def pg_empty_url(pg_server: str) -> Iterator[str]:
    """The URL of a fresh empty database (no schema), dropped after the test."""
    url = create_database(pg_server, None)
    yield url
    drop_database(pg_server, url)


@pytest.fixture
def pg_db(pg_url: str) -> Iterator[object]:
    from app.db import open_database

    database = open_database(pg_url)
    yield database
    database.close()


__all__ = ["backend", "configure", "generate", "header", "pg_db", "pg_empty_url", "pg_server",
           "pg_template", "pg_url"]
