"""The command line: --help, demo, export, import, the round trip, and a one-line reason
(never a traceback) for every bad argument or bad file."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from app import cli, paths
from app.db import open_database
from app.services import companies
from tests.helpers import counts, dump

ROOT = Path(__file__).resolve().parent.parent


def run(capsys: pytest.CaptureFixture[str], *argv: str | Path) -> tuple[int, str, str]:
    code = cli.main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def python_m_app(*argv: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "app", *map(str, argv)], capture_output=True,
                          text=True, env=env, cwd=cwd, timeout=120)


def one_line_error(err: str) -> str:
    lines = err.splitlines()
    assert len(lines) == 1, f"expected one line on stderr, got: {err!r}"
    assert "Traceback" not in err
    return lines[0]


def normalised(document: Any) -> Any:
    skip = ("id", "@odata.etag", "lastModifiedDateTime", "journalId", "customerId",
            "balancingAccountId", "receivablesAccountId", "appliesToInvoiceId")
    if isinstance(document, dict):
        return {k: normalised(v) for k, v in document.items() if k not in skip}
    if isinstance(document, list):
        return [normalised(v) for v in document]
    return document


@pytest.fixture
def demo_db(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    path = tmp_path / "demo.sqlite"
    assert run(capsys, "demo", "--db", path)[0] == 0
    return path


# --- help and demo -------------------------------------------------------------------------

def test_help_lists_the_subcommands() -> None:
    result = python_m_app("--help")
    assert result.returncode == 0
    for command in ("demo", "export", "import"):
        assert command in result.stdout
    assert "--db" in result.stdout


@pytest.mark.parametrize("command", ["export", "import"])
def test_subcommand_help(capsys: pytest.CaptureFixture[str], command: str) -> None:
    with pytest.raises(SystemExit) as exit_:
        cli.main([command, "--help"])
    assert exit_.value.code == 0
    assert "--company" in capsys.readouterr().out


def test_demo_on_an_empty_database_prints_the_only_company(tmp_path: Path) -> None:
    path = tmp_path / "new.sqlite"
    result = python_m_app("demo", "--db", path)
    assert (result.returncode, result.stdout, result.stderr) == (0, "CRONUS Demo\n", "")
    db = open_database(path)
    try:
        assert [c.name for c in companies.list_all(db)] == ["CRONUS Demo"]
    finally:
        db.close()


def test_a_second_demo_gets_another_name(demo_db: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "demo", "--db", demo_db)[1] == "CRONUS Demo 2\n"


def test_db_before_the_subcommand_is_honoured(tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "first.sqlite"
    assert run(capsys, "--db", path, "demo")[0] == 0
    assert path.exists()
    assert not paths.default_database().exists()


def test_demo_without_db_uses_the_default_database(tmp_path: Path) -> None:
    data_home = tmp_path / "xdg-data"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "XDG_DATA_HOME": str(data_home)}
    result = subprocess.run([sys.executable, "-m", "app", "demo"], capture_output=True,
                            text=True, env=env, timeout=120)
    assert result.returncode == 0, result.stderr
    default = data_home / "Ledgerdesk" / "ledgerdesk.sqlite"
    assert default.exists()
    assert default.stat().st_mode & 0o777 == 0o600


# --- export --------------------------------------------------------------------------------

def test_export_to_stdout(demo_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "export", "--db", demo_db)
    assert (code, err) == (0, "")
    document = json.loads(out, parse_float=Decimal)
    assert [j["code"] for j in document["value"]] == ["BANK", "CASH"]
    assert set(document) == {"value", "accounts", "numberSeries", "customers", "salesInvoices"}


def test_export_journals_only_by_company_name_and_id(demo_db: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "demo", "--db", demo_db)  # now two companies
    code, out, _ = run(capsys, "export", "--db", demo_db, "--company", "cronus demo",
                       "--journals-only")
    assert code == 0
    by_name = json.loads(out)
    assert list(by_name) == ["value"]
    db = open_database(demo_db)
    company_id = companies.find(db, "CRONUS Demo").id
    db.close()
    _, out, _ = run(capsys, "export", "--db", demo_db, "--company", str(company_id),
                    "--journals-only")
    assert normalised(json.loads(out)) == normalised(by_name)


def test_export_to_a_file(demo_db: Path, tmp_path: Path,
                          capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "out.json"
    code, out, err = run(capsys, "export", "--db", demo_db, "-o", target)
    assert (code, out, err) == (0, "", "")
    assert len(json.loads(target.read_text())["value"]) == 2


# --- import and the round trip -------------------------------------------------------------

def test_round_trip_through_the_command_line(demo_db: Path, tmp_path: Path) -> None:
    first = tmp_path / "first.json"
    empty = tmp_path / "empty.sqlite"
    assert python_m_app("export", "--db", demo_db, "-o", first).returncode == 0
    result = python_m_app("import", first, "--db", empty, "--company", "Copy Co", "--create")
    assert result.returncode == 0, result.stderr
    assert result.stdout == ("Imported into Copy Co (new company): 2 journals, 7 payment "
                             "lines; created 9 accounts, 2 number series, 20 customers, "
                             "50 sales invoices.\n")
    second = python_m_app("export", "--db", empty)  # the only company: --company left out
    assert second.returncode == 0
    before = json.loads(first.read_text(), parse_float=Decimal)
    after = json.loads(second.stdout, parse_float=Decimal)
    assert normalised(after) == normalised(before)
    assert after["value"][0]["id"] != before["value"][0]["id"]


def test_import_into_an_existing_company(demo_db: Path, tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    doc = {"value": [{"code": "NEW", "balancingAccountNumber": "2910", "customerPayments": [
        {"customerNumber": "C10000", "amount": -12.5}]}]}
    path = tmp_path / "in.json"
    path.write_text(json.dumps(doc))
    code, out, err = run(capsys, "import", path, "--db", demo_db)
    assert (code, err) == (0, "")
    assert out.startswith("Imported into CRONUS Demo: 1 journal, 1 payment line;")


def test_an_invalid_file_is_refused_with_every_error(demo_db: Path, tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    doc = {"value": [{"code": "NEW", "customerPayments": [
        {"customerNumber": "C10000", "amount": -12.555},
        {"customerNumber": "NOBODY", "amount": -1}]}]}
    path = tmp_path / "in.json"
    path.write_text(json.dumps(doc))
    db = open_database(demo_db)
    before = dump(db)
    db.close()
    code, out, err = run(capsys, "import", path, "--db", demo_db, "--company", "CRONUS Demo")
    assert (code, out) == (1, "")
    assert err.splitlines() == [
        f"error: {path} was not imported: 2 problems found, nothing was written.",
        "error: customerPaymentJournals[0] (NEW).customerPayments[0]: amount: amount can have "
        "at most 2 decimals.",
        "error: customerPaymentJournals[0] (NEW).customerPayments[1]: customerNumber: "
        "Customer NOBODY does not exist.",
    ]
    db = open_database(demo_db)
    assert dump(db) == before
    db.close()


def test_a_refused_create_leaves_no_company(tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "in.json"
    path.write_text('{"value": [{"code": "TOO-LONG-CODE"}]}')
    target = tmp_path / "new.sqlite"
    code, _, err = run(capsys, "import", path, "--db", target, "--company", "X", "--create")
    assert code == 1
    assert "code: The length of code is 13" in err
    db = open_database(target)
    assert set(counts(db).values()) == {0}
    db.close()


# --- bad arguments and bad files: one line, non-zero, no traceback -------------------------

def test_bad_cases_as_a_real_process(tmp_path: Path, demo_db: Path) -> None:
    not_json = tmp_path / "not.json"
    not_json.write_text("hello")
    cases: list[tuple[list[str | Path], int, str]] = [
        (["import", tmp_path / "missing.json", "--db", demo_db], 1, "No such file or directory"),
        (["import", not_json, "--db", demo_db], 1, "is not valid JSON"),
        (["import", tmp_path, "--db", demo_db], 1, "is a folder, not a file"),
        (["export", "--db", tmp_path / "nothing.sqlite"], 1, "there is no database file here"),
        (["export", "--db", demo_db, "-o", tmp_path / "no" / "out.json"], 1,
         "the folder does not exist"),
        (["frobnicate"], 2, "invalid choice"),
        (["import"], 2, "the following arguments are required: FILE"),
    ]
    for argv, code, reason in cases:
        result = python_m_app(*argv)
        line = one_line_error(result.stderr)
        assert result.returncode == code, (argv, result.stderr)
        assert reason in line, (argv, line)
        assert result.stdout == ""


@pytest.mark.parametrize(("content", "reason"), [
    (b"[1, 2]", "does not hold customer payment journals"),
    (b'{"journals": []}', "does not hold customer payment journals"),
    (b'{"value": [], "vendors": []}', "has properties Ledgerdesk does not know: vendors"),
    (b"\xff\xfe\x00garbage", "not UTF-8"),
    (b"", "is not valid JSON"),
    (b"[" * 100_000, "nested too deeply"),
])
def test_bad_import_files(demo_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                          content: bytes, reason: str) -> None:
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    db = open_database(demo_db)
    before = dump(db)
    db.close()
    code, out, err = run(capsys, "import", path, "--db", demo_db)
    assert (code, out) == (1, "")
    assert reason in one_line_error(err)
    db = open_database(demo_db)
    assert dump(db) == before
    db.close()


def test_bad_databases(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text_file = tmp_path / "text.sqlite"
    text_file.write_text("not a database")
    damaged = tmp_path / "damaged.sqlite"
    damaged.write_bytes(b"SQLite format 3\x00" + b"\x01" * 4000)
    for path, reason in ((text_file, "not an SQLite file"),
                         (damaged, "not a Ledgerdesk database, or it is damaged"),
                         (tmp_path, "is a folder, not a database file")):
        argvs: list[list[str | Path]] = [["demo", "--db", path], ["export", "--db", path]]
        for argv in argvs:
            code, out, err = run(capsys, *argv)
            assert (code, out) == (1, "")
            assert reason in one_line_error(err), (argv, err)


def test_company_errors(demo_db: Path, tmp_path: Path,
                        capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "export", "--db", demo_db, "--company", "Nope")
    assert code == 1
    assert one_line_error(err) == ("error: There is no company 'Nope' in this database "
                                   "(companies: CRONUS Demo).")
    run(capsys, "demo", "--db", demo_db)
    code, _, err = run(capsys, "export", "--db", demo_db)
    assert code == 1
    assert one_line_error(err) == ("error: Name the company: this database holds 2 "
                                   "(companies: CRONUS Demo, CRONUS Demo 2).")
    path = tmp_path / "in.json"
    path.write_text('{"value": []}')
    code, _, err = run(capsys, "import", path, "--db", demo_db, "--company", "Nope")
    assert code == 1
    assert "There is no company 'Nope'" in one_line_error(err)
    code, _, err = run(capsys, "import", path, "--db", tmp_path / "new.sqlite", "--create")
    assert code == 1
    assert one_line_error(err) == ("error: --create needs --company NAME: the name of the "
                                   "company to create.")
    code, _, err = run(capsys, "import", path, "--db", demo_db, "--company", "N" * 31,
                       "--create")
    assert code == 1
    assert one_line_error(err).startswith("error: The length of name is 31")


def test_an_unwritable_output(demo_db: Path, tmp_path: Path,
                              capsys: pytest.CaptureFixture[str],
                              monkeypatch: pytest.MonkeyPatch) -> None:
    import tempfile

    def refuse(**kwargs: object) -> tuple[int, str]:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    code, out, err = run(capsys, "export", "--db", demo_db, "-o", tmp_path / "out.json")
    assert (code, out) == (1, "")
    assert one_line_error(err) == ("error: You have no permission to read or write this "
                                   f"file or folder ({tmp_path}).")
    assert not (tmp_path / "out.json").exists()
    code, out, err = run(capsys, "export", "--db", demo_db, "-o", tmp_path)
    assert one_line_error(err) == f"error: {tmp_path}: is a folder, not a file"


@pytest.mark.parametrize(("driver_message", "code", "reason"), [
    ("database is locked", 5, "The database is locked by another program; try again."),
    ("attempt to write a readonly database", 8,
     "The database cannot be changed: the file or its folder is read-only."),
    ("database disk image is malformed", 11, "The database file is damaged."),
])
def test_a_database_that_goes_bad_while_in_use(demo_db: Path, tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str],
                                               monkeypatch: pytest.MonkeyPatch,
                                               driver_message: str, code: int,
                                               reason: str) -> None:
    """The driver's result code decides (app/db/errors.py), never the message text."""
    import sqlite3

    from sqlalchemy.exc import OperationalError

    from app.services import exporting

    def fail(*args: object) -> None:
        orig = sqlite3.OperationalError(driver_message)
        orig.sqlite_errorcode = code  # type: ignore[attr-defined]
        raise OperationalError("SELECT 1", {}, orig)

    monkeypatch.setattr(exporting, "snapshot", fail)
    code_, out, err = run(capsys, "export", "--db", demo_db)
    assert (code_, out) == (1, "")
    assert one_line_error(err).startswith(f"error: {reason}")


def test_a_bug_still_shows_its_traceback(demo_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An error the seam does not know is a bug: it is raised on (the crash path), not
    hidden behind a one-line message."""
    from app.services import exporting

    def bug(*args: object) -> None:
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr(exporting, "snapshot", bug)
    with pytest.raises(ZeroDivisionError):
        cli.main(["export", "--db", str(demo_db)])
