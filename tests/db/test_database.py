"""Opening a database: migrations to head, backups first, refusing newer and foreign files,
private new files, the default location."""

from __future__ import annotations

import sqlite3
import stat
from decimal import Decimal
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import create_engine, inspect, text

from app import paths
from app.db import Database, DatabaseFileError, database, migrations, open_database
from app.db.models import Base
from app.domain.errors import DatabaseDamaged
from app.domain.money import MAX_AMOUNT
from app.domain.schemas import PaymentCreate
from app.services import payments
from tests.helpers import Books, make_books


def test_schema_head_is_alembics_single_head() -> None:
    assert migrations.heads() == [database.SCHEMA_HEAD]


def test_an_empty_file_upgraded_to_head_matches_the_models(tmp_path: Path) -> None:
    path = tmp_path / "empty.sqlite"
    path.touch()
    db = open_database(path)
    try:
        with db.engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(
                conn, opts={"compare_type": True, "render_as_batch": True}), Base.metadata)
            assert diff == []
            tables = set(inspect(conn).get_table_names())
        assert tables == set(Base.metadata.tables) | {"alembic_version"}
        assert database.current_revision(db) == database.SCHEMA_HEAD
    finally:
        db.close()


def test_a_new_file_is_private(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "new.sqlite"
    open_database(path).close()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_an_up_to_date_file_opens_without_alembic_or_backup(db_path: Path) -> None:
    open_database(db_path).close()
    db = open_database(db_path, migrate=False)
    db.close()
    assert sorted(p.name for p in db_path.parent.iterdir() if "backup" in p.name) == []


def _stamp(path: Path, revision: str) -> None:
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("UPDATE alembic_version SET version_num = ?", (revision,))
    conn.close()


def test_a_file_from_a_newer_version_is_refused_and_left_unchanged(db: Database,
                                                                   db_path: Path) -> None:
    make_books(db)
    db.close()
    _stamp(db_path, "9999_from_the_future")
    before = db_path.read_bytes()
    files_before = sorted(p.name for p in db_path.parent.iterdir())
    with pytest.raises(DatabaseFileError) as err:
        open_database(db_path)
    message = str(err.value)
    assert "newer version of Ledgerdesk" in message
    assert "9999_from_the_future" in message
    assert "has not been changed" in message
    assert db_path.read_bytes() == before
    assert sorted(p.name for p in db_path.parent.iterdir()
                  if not p.name.endswith(("-wal", "-shm"))) == \
        [n for n in files_before if not n.endswith(("-wal", "-shm"))]  # no backup either


def test_an_old_file_is_backed_up_before_it_is_migrated(db: Database, db_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """Pretend this version's head is a newer one, so the file at the current head is 'old',
    and check the backup exists, whole, before the upgrade runs."""
    file_head = database.SCHEMA_HEAD
    make_books(db)
    db.close()
    original_rows = _payment_journal_codes(db_path)
    seen: list[list[Path]] = []

    def fake_upgrade(engine: object, target: str = "head") -> None:
        backups = sorted(db_path.parent.glob("*.backup.sqlite"))
        seen.append(backups)
        with create_engine(f"sqlite:///{db_path}").begin() as conn:
            conn.execute(text("UPDATE alembic_version SET version_num = '0002_next'"))

    monkeypatch.setattr(database, "SCHEMA_HEAD", "0002_next")
    monkeypatch.setattr(migrations, "upgrade", fake_upgrade)
    open_database(db_path).close()

    assert len(seen) == 1 and len(seen[0]) == 1, "the backup must exist before the upgrade"
    backup = seen[0][0]
    assert backup.name.startswith("books.") and "before-0002_next" in backup.name
    assert _payment_journal_codes(backup) == original_rows
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600
    conn = sqlite3.connect(backup)
    assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == (file_head,)
    conn.close()


def _payment_journal_codes(path: Path) -> list[tuple[str, ...]]:
    conn = sqlite3.connect(path)
    try:
        return sorted(conn.execute("SELECT code FROM journal").fetchall())
    finally:
        conn.close()


def test_a_text_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "notes.sqlite"
    path.write_text("these are not my books\n")
    before = path.read_bytes()
    with pytest.raises(DatabaseFileError, match="not a Ledgerdesk database"):
        open_database(path)
    assert path.read_bytes() == before


def test_a_damaged_sqlite_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "damaged.sqlite"
    path.write_bytes(database.SQLITE_MAGIC + bytes(range(256)) * 20)
    with pytest.raises(DatabaseDamaged, match="not a Ledgerdesk database, or it is damaged"):
        open_database(path)


def test_a_truncated_database_is_refused(db: Database, db_path: Path, tmp_path: Path) -> None:
    make_books(db)
    db.close()
    data = db_path.read_bytes()
    broken = tmp_path / "broken.sqlite"
    # Keep the header, scribble over the schema page.
    broken.write_bytes(data[:100] + b"\xff" * 3000 + data[3100:])
    with pytest.raises(DatabaseDamaged, match="damaged"):
        open_database(broken)


def test_another_programs_sqlite_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE contacts (name TEXT)")
    conn.close()
    with pytest.raises(DatabaseFileError, match="holds other tables"):
        open_database(path)


def test_a_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(DatabaseFileError, match="is a folder"):
        open_database(tmp_path)


def test_the_default_database_lives_in_the_user_data_folder(tmp_path: Path) -> None:
    import os

    data_home = Path(os.environ["XDG_DATA_HOME"])  # a temp dir (tests/conftest.py)
    assert paths.data_dir() == data_home / "Ledgerdesk"
    assert paths.default_database() == data_home / "Ledgerdesk" / "ledgerdesk.sqlite"
    assert not paths.default_database().exists()
    open_database(paths.default_database()).close()
    assert stat.S_IMODE(paths.default_database().stat().st_mode) == 0o600


@pytest.fixture
def books(db: Database) -> Books:
    return make_books(db)


amounts = st.decimals(min_value=-MAX_AMOUNT, max_value=MAX_AMOUNT, places=2,
                      allow_nan=False, allow_infinity=False)


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(amount=amounts)
def test_amounts_round_trip_through_the_database_exactly(db: Database, books: Books,
                                                         amount: Decimal) -> None:
    # The fixtures are made once for all examples: each example adds one line.
    line = payments.create(db, books.cid, books.bank_journal.id, PaymentCreate(amount=amount))
    assert payments.get(db, books.cid, line.id).amount == amount
    with db.engine.connect() as conn:
        cents = conn.execute(text("SELECT amount FROM payment WHERE id = :id"),
                             {"id": line.id.hex}).scalar_one()
    assert isinstance(cents, int)
    assert cents == int(amount * 100)


def test_snapshots_cover_every_table(db: Database) -> None:
    """The "nothing was written" snapshot reads the tables from the file itself."""
    from tests import snapshots

    covered = set(snapshots.dump(db, with_write_log=True))
    assert covered == {t.name for t in Base.metadata.sorted_tables}
    assert {"gl_entry", "cust_ledger_entry", "change_log"} <= covered
    assert "change_log" not in snapshots.dump(db)
