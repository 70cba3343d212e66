"""The hardened edge (issue 9): each case a hostile tester found, fixed at its cause. Every
failure is one line on stderr, a non-zero exit, and nothing written."""

from __future__ import annotations

import json
import os
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from app import cli
from app.db import database, open_database
from app.domain.errors import DatabaseBusy, DriverMissing
from app.services.demo import create_demo_company
from tests.conftest import WORK_DATE
from tests.helpers import dump

ROOT = Path(__file__).resolve().parent.parent


def run(capsys: pytest.CaptureFixture[str], *argv: str | Path) -> tuple[int, str, str]:
    code = cli.main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def one_line(err: str) -> str:
    lines = err.splitlines()
    assert len(lines) == 1, f"expected one line on stderr, got: {err!r}"
    assert "Traceback" not in err
    return lines[0]


@pytest.fixture
def books(tmp_path: Path) -> Path:
    path = tmp_path / "books.sqlite"
    db = open_database(path)
    create_demo_company(db, work_date=WORK_DATE)
    db.close()
    return path


def snapshot(path: Path) -> dict[str, Any]:
    db = open_database(path, create=False)
    try:
        return dump(db)
    finally:
        db.close()


# --- errors classified once -----------------------------------------------------------------

def test_a_locked_file_is_one_line(books: Path, capsys: pytest.CaptureFixture[str],
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """Another program holds the write lock (BEGIN IMMEDIATE on a real second connection):
    posting waits busy_timeout, then says so in one line; nothing is written."""
    monkeypatch.setattr(database, "BUSY_TIMEOUT_MS", 100)
    before = snapshot(books)
    other = sqlite3.connect(books, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        code, out, err = run(capsys, "post", "--db", books, "BANK")
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert (code, out) == (1, "")
    assert one_line(err) == "error: The database is locked by another program; try again."
    assert snapshot(books) == before


def test_the_busy_timeout_is_an_option(books: Path) -> None:
    db = open_database(books, busy_timeout_ms=50)
    other = sqlite3.connect(books, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(DatabaseBusy), db.transaction() as session:
            session.execute(database.text("DELETE FROM payment"))
    finally:
        other.execute("ROLLBACK")
        other.close()
        db.close()


def test_a_url_whose_driver_is_missing(tmp_path: Path, capsys: pytest.CaptureFixture[str]
                                       ) -> None:
    for url in ("postgresql+pg8000://u@localhost/books", "nosuchdb://localhost/books"):
        with pytest.raises(DriverMissing):
            open_database(url)
        code, out, err = run(capsys, "export", "--db", url)
        assert (code, out) == (1, "")
        assert "driver" in one_line(err) and "not installed" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == []


# --- commands on existing books create nothing ---------------------------------------------

@pytest.mark.parametrize("argv", [["export"], ["post", "BANK"], ["reverse", "1"],
                                  ["import", "{file}"]])
def test_commands_on_existing_books_create_no_database(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str]) -> None:
    source = tmp_path / "in.json"
    source.write_text('{"value": []}')
    argv = [a.replace("{file}", str(source)) for a in argv]
    for target in (f"sqlite:///{tmp_path}/new/dir/x.sqlite", str(tmp_path / "new" / "y.sqlite")):
        code, out, err = run(capsys, *argv, "--db", target)
        assert (code, out) == (1, "")
        assert "there is no database file here" in one_line(err)
        assert not (tmp_path / "new").exists()
    empty = tmp_path / "empty.sqlite"
    empty.touch()
    code, _, err = run(capsys, *argv, "--db", empty)
    assert code == 1 and "there are no books in this database" in one_line(err)
    assert empty.stat().st_size == 0


def test_a_foreign_sqlite_file_is_refused_before_anything_is_written(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "other.sqlite"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE contacts (name TEXT)")
    conn.execute("INSERT INTO contacts VALUES ('Ann')")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    for argv in (["export", "--db", path], ["demo", "--db", path]):
        code, out, err = run(capsys, *argv)
        assert (code, out) == (1, "")
        assert "not a Ledgerdesk database (it holds other tables)" in one_line(err)
    assert path.read_bytes() == before  # still in rollback-journal mode: not switched to WAL
    assert sorted(p.name for p in tmp_path.iterdir()) == ["other.sqlite"]


# --- raw driver errors ------------------------------------------------------------------------

def test_reverse_with_a_register_number_beyond_64_bits(books: Path,
                                                       capsys: pytest.CaptureFixture[str]
                                                       ) -> None:
    before = snapshot(books)
    for number in (str(2**64 + 1), str(2**31), "-5"):
        code, out, err = run(capsys, "reverse", "--db", books, number)
        assert (code, out) == (1, "")
        assert one_line(err) == ("error: There is no G/L Register within the filter. "
                                 f"Filters: No.: {number}")
    assert snapshot(books) == before


def _journal_file(tmp_path: Path, line: dict[str, Any]) -> Path:
    path = tmp_path / "in.json"
    path.write_text(json.dumps({"value": [{"code": "IMP", "displayName": "Imported",
                                           "balancingAccountNumber": "2910",
                                           "customerPayments": [line]}]}))
    return path


@pytest.mark.parametrize(("raw_line", "reason"), [
    ('{"lineNumber": 1%s, "customerNumber": "C10000", "amount": 1}' % ("0" * 5000),
     "lineNumber must be at most 2147483647"),
    ('{"lineNumber": 10000, "customerNumber": "C10000", "amount": 1%s}' % ("0" * 5000),
     "amount is too large"),
    ('{"lineNumber": 10000, "customerNumber": "C10000", "amount": 1%s.5}' % ("0" * 5000),
     "amount is too large"),
])
def test_numbers_of_thousands_of_digits(books: Path, tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str], raw_line: str,
                                        reason: str) -> None:
    path = tmp_path / "huge.json"
    path.write_text('{"value": [{"code": "IMP", "displayName": "Imported", '
                    f'"customerPayments": [{raw_line}]}}]}}')
    before = snapshot(books)
    code, out, err = run(capsys, "import", path, "--db", books)
    assert (code, out) == (1, "")
    assert reason in err and "Traceback" not in err
    assert snapshot(books) == before


def test_an_import_that_fills_the_disk(books: Path, tmp_path: Path,
                                       capsys: pytest.CaptureFixture[str],
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """SQLite's max_page_count makes the database 'full' (SQLITE_FULL) part-way through a
    real import: one line, the transaction rolled back."""
    before = snapshot(books)
    pages = sqlite3.connect(books).execute("PRAGMA page_count").fetchone()[0]
    original = database._install_sqlite_pragmas

    def small_disk(engine: Any, busy_timeout_ms: int) -> None:
        original(engine, busy_timeout_ms)

        @database.event.listens_for(engine, "connect")
        def _full(dbapi_conn: Any, _record: Any) -> None:
            dbapi_conn.execute(f"PRAGMA max_page_count = {pages + 2}")

    monkeypatch.setattr(database, "_install_sqlite_pragmas", small_disk)
    lines = [{"lineNumber": 10000 * (i + 1), "customerNumber": "C10000", "amount": 1,
              "description": "x" * 100} for i in range(2000)]
    path = tmp_path / "big.json"
    path.write_text(json.dumps({"value": [{"code": "IMP", "displayName": "Imported",
                                           "customerPayments": lines}]}))
    code, out, err = run(capsys, "import", path, "--db", books)
    assert (code, out) == (1, "")
    assert one_line(err) == ("error: The disk is full: nothing was saved. Free some space "
                             "and try again.")
    monkeypatch.undo()
    assert snapshot(books) == before


def test_posting_on_a_file_with_a_damaged_index_page(books: Path,
                                                     capsys: pytest.CaptureFixture[str]
                                                     ) -> None:
    conn = sqlite3.connect(books)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE type = 'index' AND "
                        "tbl_name = 'gl_entry' ORDER BY name").fetchone()[0]
    conn.execute("PRAGMA journal_mode=DELETE")
    conn.close()
    with books.open("r+b") as handle:  # scribble over the index's root page
        handle.seek((root - 1) * page_size)
        handle.write(b"\xa5" * page_size)
    code, out, err = run(capsys, "post", "--db", books, "BANK")
    assert (code, out) == (1, "")
    assert one_line(err).startswith("error: The database file is damaged. Nothing was "
                                    "changed;")


# --- unbounded input --------------------------------------------------------------------------

def test_import_from_a_device_or_a_huge_file_is_refused(books: Path, tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str],
                                                        monkeypatch: pytest.MonkeyPatch
                                                        ) -> None:
    from app.io import json_io

    code, out, err = run(capsys, "import", "/dev/zero", "--db", books)
    assert (code, out) == (1, "")
    assert one_line(err) == ("error: /dev/zero is not a regular file (a device, a pipe or a "
                             "socket): name a JSON file.")
    monkeypatch.setattr(json_io, "MAX_IMPORT_BYTES", 1000)
    big = tmp_path / "big.json"
    big.write_text('{"value": []}' + " " * 2000)
    code, out, err = run(capsys, "import", big, "--db", books)
    assert (code, out) == (1, "")
    assert one_line(err) == (f"error: {big} is too big to import: 2,013 bytes, the limit is "
                             "1,000 bytes.")


# --- export targets ---------------------------------------------------------------------------

def test_export_never_replaces_a_special_file_or_a_link(books: Path, tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]
                                                       ) -> None:
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    link = tmp_path / "link.json"
    link.symlink_to(victim)
    for target, reason in ((fifo, "is not a regular file (a device, a pipe or a socket)"),
                           (Path("/dev/full"), "is not a regular file"),
                           (Path("/dev/null"), "is not a regular file"),
                           (link, "is a symbolic link")):
        kind = os.lstat(target).st_mode
        code, out, err = run(capsys, "export", "--db", books, "-o", target)
        assert (code, out) == (1, "")
        assert one_line(err).startswith(f"error: {target}: {reason}")
        assert os.lstat(target).st_mode == kind  # still a FIFO, a device, a link
    assert victim.read_text() == "keep me"
    assert stat.S_ISCHR(os.stat("/dev/full").st_mode)
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.endswith(("-wal", "-shm"))
                  ) == ["books.sqlite", "fifo", "link.json", "victim.txt"]


def test_export_to_standard_output_with_a_dash(books: Path, tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "export", "--db", books, "-o", "-")
    assert (code, err) == (0, "")
    assert json.loads(out)["value"]
    assert not (tmp_path / "-").exists()


def test_export_onto_a_full_disk(books: Path, tmp_path: Path) -> None:
    """Standard output redirected to /dev/full: a real ENOSPC, one line, exit 1."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    with open("/dev/full", "wb") as full:
        result = subprocess.run([sys.executable, "-m", "app", "export", "--db", str(books),
                                 "-o", "-"], stdout=full, stderr=subprocess.PIPE, text=True,
                                env=env, timeout=120)
    assert result.returncode == 1
    assert one_line(result.stderr) == ("error: The disk is full: nothing was saved. Free "
                                       "some space and try again (standard output).")


def test_export_to_a_file_when_the_disk_fills(books: Path, tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str],
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    from app.io import safe_write

    out_file = tmp_path / "out.json"
    out_file.write_text("the previous export")

    def full(fd: int) -> None:  # a full disk is told at the latest when the data is synced
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(safe_write.os, "fsync", full)
    code, out, err = run(capsys, "export", "--db", books, "-o", out_file)
    monkeypatch.undo()
    assert (code, out) == (1, "")
    assert one_line(err) == ("error: The disk is full: nothing was saved. Free some space and "
                             f"try again ({out_file}).")
    assert out_file.read_text() == "the previous export"
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_a_new_export_is_private(books: Path, tmp_path: Path,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "out.json"
    assert run(capsys, "export", "--db", books, "-o", target)[0] == 0
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert json.loads(target.read_text())["value"]


# --- codes, numbers and control characters -----------------------------------------------------

@pytest.mark.parametrize(("line", "reason"), [
    ({"code": "ß" * 10}, "The length of code is 20, but it must be less than or equal to 10"),
    ({"code": "A\x00B"}, "code cannot contain control characters"),
    ({"displayName": "Bank\x1b[31m"}, "displayName cannot contain control characters"),
    ({"displayName": "two\nlines"}, "displayName cannot contain control characters"),
])
def test_codes_and_names_are_checked_as_stored(books: Path, tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str],
                                               line: dict[str, str], reason: str) -> None:
    journal = {"code": "IMP", "displayName": "Imported", "customerPayments": [], **line}
    path = tmp_path / "in.json"
    path.write_text(json.dumps({"value": [journal]}))
    before = snapshot(books)
    code, out, err = run(capsys, "import", path, "--db", books)
    assert (code, out) == (1, "")
    assert reason in err and "Traceback" not in err
    assert snapshot(books) == before


# --- the pre-migration backup -----------------------------------------------------------------

def test_the_backup_is_private_and_whole_or_absent(books: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    os.chmod(books, 0o644)
    leftover = books.with_name(".books.20260101T000000Z.before-x.backup.sqlite.ab12.partial")
    leftover.write_bytes(b"half a backup")
    db = open_database(books)
    try:
        good = database.backup(db, "manual")
        assert stat.S_IMODE(good.stat().st_mode) == 0o600
        assert not leftover.exists(), "an earlier interrupted backup is removed"
        check = sqlite3.connect(good)
        assert check.execute("SELECT count(*) FROM company").fetchone()[0] == 1
        check.close()

        modes: list[int] = []

        class Interrupted(Exception):
            pass

        def interrupted_backup(self: sqlite3.Connection, target: sqlite3.Connection,
                               **kwargs: Any) -> None:
            partial = [p for p in books.parent.iterdir() if p.name.endswith(".partial")]
            modes.extend(stat.S_IMODE(p.stat().st_mode) for p in partial)
            raise Interrupted

        real_connect = sqlite3.connect

        class Source:
            def __init__(self, conn: sqlite3.Connection) -> None:
                self.conn = conn

            def backup(self, target: sqlite3.Connection, **kwargs: Any) -> None:
                interrupted_backup(self.conn, target)

            def close(self) -> None:
                self.conn.close()

        def connect(path: Any, *args: Any, **kwargs: Any) -> Any:
            conn = real_connect(path, *args, **kwargs)
            return Source(conn) if Path(path) == books else conn

        monkeypatch.setattr(database.sqlite3, "connect", connect)
        with pytest.raises(Interrupted):
            database.backup(db, "interrupted")
        monkeypatch.undo()
        assert modes == [0o600], "private from the first byte, under a temporary name"
        names = sorted(p.name for p in books.parent.iterdir() if "backup" in p.name
                       and not p.name.endswith(("-wal", "-shm")))
        assert names == [good.name], "the incomplete backup is removed"
    finally:
        db.close()
