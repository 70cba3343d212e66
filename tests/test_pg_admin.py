"""``python -m app db upgrade|copy``, opening a server database at another schema, and the
one-line messages for a server that cannot be used."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from app.cli import main
from app.db import DatabaseFileError, open_database
from app.db.database import SCHEMA_HEAD
from app.io import json_io
from app.services import companies, journals, posting
from app.services.demo import create_demo_company
from tests.conftest import WORK_DATE


def _execute(url: str, *statements: str) -> None:
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.begin() as conn:
            for statement in statements:
                conn.execute(text(statement))
    finally:
        engine.dispose()


@pytest.mark.postgresql
def test_db_upgrade_creates_the_schema_then_has_nothing_to_do(
        pg_empty_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["db", "upgrade", "--db", pg_empty_url]) == 0
    assert f"schema none -> {SCHEMA_HEAD}" in capsys.readouterr().out
    assert main(["db", "upgrade", "--db", pg_empty_url]) == 0
    assert "nothing to do" in capsys.readouterr().out
    open_database(pg_empty_url).close()


@pytest.mark.postgresql
def test_an_older_server_database_is_not_migrated_by_a_client(pg_url: str) -> None:
    _execute(pg_url, "UPDATE alembic_version SET version_num = '0004_change_log'")
    with pytest.raises(DatabaseFileError) as older:
        open_database(pg_url)
    assert "older than this version's" in older.value.message
    assert f"python -m app db upgrade --db {pg_url}" in older.value.message
    _execute(pg_url, "UPDATE alembic_version SET version_num = '9999_future'")
    with pytest.raises(DatabaseFileError) as newer:
        open_database(pg_url)
    assert "newer version of Ledgerdesk" in newer.value.message


@pytest.mark.postgresql
def test_db_upgrade_migrates_an_older_server_database(
        pg_empty_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    from app.db import migrations
    from app.db.server import create_server_engine

    engine = create_server_engine(pg_empty_url)
    migrations.upgrade(engine, "0004_change_log")
    engine.dispose()
    assert main(["db", "upgrade", "--db", pg_empty_url]) == 0
    assert f"schema 0004_change_log -> {SCHEMA_HEAD}" in capsys.readouterr().out
    open_database(pg_empty_url).close()


def _cli_error(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    assert main(list(argv)) == 1
    captured = capsys.readouterr()
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in captured.err, captured.err
    return lines[0]


@pytest.mark.postgresql
def test_unusable_servers_get_one_line(pg_server: str, pg_empty_url: str,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    unknown = make_url(pg_server).set(database="no_such_books").render_as_string(
        hide_password=False)
    line = _cli_error(capsys, "export", "--db", unknown)
    assert "no_such_books" in line and "does not exist" in line
    nobody = make_url(pg_server).set(username="no_such_user", password="secret")
    line = _cli_error(capsys, "export", "--db", nobody.render_as_string(hide_password=False))
    assert "refused the login" in line and "secret" not in line and "***" in line
    closed = make_url(pg_server).set(port=1).render_as_string(hide_password=False)
    line = _cli_error(capsys, "export", "--db", closed)
    assert "cannot be reached" in line
    _execute(pg_empty_url, "CREATE TABLE invoices (id int)")  # another program's database
    line = _cli_error(capsys, "export", "--db", pg_empty_url)
    assert "is not a Ledgerdesk database" in line


def _books_file(path: Path) -> None:
    db = open_database(path)
    try:
        demo = create_demo_company(db, work_date=WORK_DATE)
        second = create_demo_company(db, "Second Books", work_date=WORK_DATE)
        for company in (demo, second):
            journal = journals.find_by_code(db, company.id, "BANK")
            if posting.test_report(db, company.id, journal.id) == []:
                posting.post(db, company.id, journal.id)
                break
    finally:
        db.close()


def _exports(target: str | Path) -> list[str]:
    db = open_database(target)
    try:
        return [json.dumps(json_io.export_document(db, c.id), sort_keys=True, default=str)
                for c in sorted(companies.list_all(db), key=lambda c: c.name)]
    finally:
        db.close()


def _ledger_counts(target: str | Path) -> dict[str, int]:
    db = open_database(target)
    try:
        with db.reading() as session:
            return {t: int(session.execute(text(f"SELECT count(*) FROM {t}")).scalar_one())
                    for t in ("gl_register", "gl_entry", "cust_ledger_entry",
                              "detailed_cust_ledg_entry", "payment", "sales_invoice")}
    finally:
        db.close()


@pytest.mark.postgresql
def test_copy_round_trip_file_server_file_gives_the_same_books(
        tmp_path: Path, pg_empty_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    source, back = tmp_path / "books.sqlite", tmp_path / "back.sqlite"
    _books_file(source)
    assert main(["db", "copy", "--from", str(source), "--to", pg_empty_url]) == 0
    assert "Copied 2 companies" in capsys.readouterr().out
    assert main(["db", "copy", "--from", pg_empty_url, "--to", str(back)]) == 0
    assert "counts and totals verified" in capsys.readouterr().out
    assert _exports(source) == _exports(pg_empty_url) == _exports(back)
    counts = _ledger_counts(source)
    assert counts["gl_entry"] > 0 and counts == _ledger_counts(pg_empty_url) \
        == _ledger_counts(back)
    # The server's ledger keys go on after the copied ones: a new posting works there.
    db = open_database(pg_empty_url)
    try:
        with db.transaction() as session:
            session.execute(text("INSERT INTO gl_register (company_id, number, "
                                 "from_entry_number, to_entry_number, journal_code, "
                                 "source_code, created_at, user_id, reversed) SELECT id, 99, "
                                 "0, 0, '', '', now(), '', false FROM company LIMIT 1"))
    finally:
        db.close()


@pytest.mark.postgresql
def test_copy_into_books_is_refused_and_leaves_nothing(
        tmp_path: Path, pg_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "books.sqlite"
    _books_file(source)
    db = open_database(pg_url)
    create_demo_company(db, "Already Here", work_date=WORK_DATE)
    db.close()
    line = _cli_error(capsys, "db", "copy", "--from", str(source), "--to", pg_url)
    assert "already holds books" in line
    line = _cli_error(capsys, "db", "copy", "--from", pg_url, "--to", str(source))
    assert "exists" in line


def test_a_failed_copy_deletes_the_file_it_made(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    from app.db import copying

    source, target = tmp_path / "books.sqlite", tmp_path / "copy.sqlite"
    _books_file(source)
    real = copying._fingerprint
    calls = {"n": 0}

    def differs(conn, table):  # type: ignore[no-untyped-def]
        found = real(conn, table)
        calls["n"] += 1
        if table.name == "gl_entry" and calls["n"] % 2 == 0:  # the target's side
            return copying.TableCopy(found.name, found.rows - 1, found.totals)
        return found

    monkeypatch.setattr(copying, "_fingerprint", differs)
    with pytest.raises(DatabaseFileError) as failed:
        copying.copy_books(str(source), str(target))
    assert "gl_entry does not match" in failed.value.message
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("copy")) == []
