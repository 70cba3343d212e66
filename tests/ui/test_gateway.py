"""No code in app/ui calls a service that writes except through the gateway
(app/ui/operations.py): a scan of the source, and a guard at run time (installed for every
GUI test by tests/ui/conftest.py), each with a check that it catches a violation."""

from __future__ import annotations

import uuid
from decimal import Decimal

import pytest

from app.db import Database
from app.domain.schemas import CompanyRead, PaymentCreate
from app.services import journals, payments
from tests.ui import gateway_guard
from tests.ui.gateway_guard import OutsideGateway, ui_violations, violations, write_functions

WRITES = write_functions()


def test_the_write_services_are_found_in_the_source() -> None:
    for name in ("payments.update", "payments.delete_many", "posting.post", "posting.reverse",
                 "posting.unpost", "applications.set_applications", "companies.create",
                 "journals.delete_archived", "demo.create_demo_company", "importing.run",
                 "bank_accounts.save_csv_profile", "bank_import.write", "bank_import.undo"):
        assert f"app.services.{name}" in WRITES
    # Written through the shared MasterData (app/services/crud.py): its methods that write,
    # a module function calling one (``CRUD.delete(...)``, ``with CRUD.editing(...)``), and
    # a module attribute bound to one (``delete = CRUD.delete``).
    for name in ("crud.MasterData.create", "crud.MasterData.editing", "crud.MasterData.delete",
                 "crud.MasterData.restore", "accounts.create", "accounts.update",
                 "accounts.delete", "customers.delete", "journals.update", "invoices.delete",
                 "invoices.restore"):
        assert f"app.services.{name}" in WRITES
    for name in ("payments.get", "browse.page_payments", "posting.preview",
                 "applications.open_entries", "journals.line_count", "accounts.get",
                 "journals.list_all", "crud.MasterData.get", "crud.MasterData.saved",
                 "bank_accounts.csv_profile_names"):
        assert f"app.services.{name}" not in WRITES


def test_no_ui_code_calls_a_write_service_past_the_gateway() -> None:
    assert ui_violations(WRITES) == []


def test_the_scan_catches_a_write_past_the_gateway() -> None:
    """Negative self-check: each of these would be a violation, and is found."""
    source = '''
from app.services import payments, posting
from app.services.applications import set_applications as save
from PySide6.QtCore import QTimer

def direct(db, cid, line):
    payments.update(db, cid, line.id, data, version=1)          # line 7: found

def renamed(db, cid, pid):
    save(db, cid, pid, [])                                        # line 10: found

def later(db, cid):
    QTimer.singleShot(0, lambda: posting.reverse(db, cid, 1))    # line 13: found

def through(ops, db, cid, line):
    ops.run(lambda: payments.update(db, cid, line.id, data, version=1))
    def job(progress):
        return posting.post(db, cid, line.journal_id, progress=progress)
    ops.attempt_long("Post", "Posting…", job)
'''
    found = violations(source, "app/ui/example.py", WRITES)
    assert found == ["app/ui/example.py:10: app.services.applications.set_applications",
                     "app/ui/example.py:13: app.services.posting.reverse",
                     "app/ui/example.py:7: app.services.payments.update"]


def test_the_scan_catches_a_master_data_write_past_the_gateway() -> None:
    """Negative self-check: writes through the shared MasterData are found too."""
    source = '''
from app.services import accounts, journals
from app.services.customers import CRUD, delete as remove

def direct(db, cid, account, journal):
    accounts.delete(db, cid, account.id, version=1)           # line 6: found
    accounts.CRUD.delete(db, cid, account.id, version=1)      # line 7: found
    CRUD.restore(db, cid, snapshot, row)                      # line 8: found
    remove(db, cid, account.id, version=1)                    # line 9: found
    journals.delete_archived(db, cid, journal.id, version=1)  # line 10: found
    accounts.get(db, cid, account.id)                         # a read: not found
    CRUD.list_all(db, cid)                                    # a read: not found

def through(ops, db, cid, account):
    ops.run(lambda: accounts.CRUD.delete(db, cid, account.id, version=1))
'''
    found = violations(source, "app/ui/example.py", WRITES)
    assert found == ["app/ui/example.py:10: app.services.journals.delete_archived",
                     "app/ui/example.py:6: app.services.accounts.delete",
                     "app/ui/example.py:7: app.services.crud.MasterData.delete",
                     "app/ui/example.py:8: app.services.crud.MasterData.restore",
                     "app/ui/example.py:9: app.services.customers.delete"]


def test_the_run_time_guard_refuses_a_write_from_ui_code_outside_the_gateway(
        monkeypatch: pytest.MonkeyPatch, db: Database, demo: CompanyRead, qtbot: object) -> None:
    """Negative self-check of the guard every GUI test runs under: code whose file is in
    app/ui calling a write service is refused, unless it runs inside the gateway."""
    from app.ui.operations import Operations

    assert gateway_guard.install(monkeypatch, WRITES) >= 30
    bank = journals.find_by_code(db, demo.id, "BANK")
    scope = {"payments": payments, "journals": journals, "db": db, "cid": demo.id, "jid": bank.id,
             "PaymentCreate": PaymentCreate, "D": Decimal}
    fake_ui_file = str(gateway_guard.UI / "example_pane.py")
    code = compile("payments.create(db, cid, jid, PaymentCreate(amount=D('-1')))",
                   fake_ui_file, "exec")
    before = payments.list_all(db, demo.id, bank.id)
    with pytest.raises(OutsideGateway, match=r"app/ui/example_pane.py:1 called "
                                             r"app.services.payments.create outside"):
        exec(code, scope)
    assert payments.list_all(db, demo.id, bank.id) == before  # nothing was written
    # A write through the shared MasterData (a module's function, or its CRUD's method).
    for call, name in (("journals.delete_archived(db, cid, jid, version=None)",
                        "journals.delete_archived"),
                       ("journals.CRUD.delete(db, cid, jid, version=None)",
                        "crud.MasterData.delete")):
        with pytest.raises(OutsideGateway, match=rf"app/ui/example_pane.py:1 called "
                                                 rf"app.services.{name} outside"):
            exec(compile(call, fake_ui_file, "exec"), scope)
    assert journals.get(db, demo.id, bank.id) == bank  # nothing was deleted
    ops = Operations(db)
    scope["ops"] = ops
    exec(compile("created = ops.run(lambda: payments.create(db, cid, jid, "
                 "PaymentCreate(amount=D('-1'))))", fake_ui_file, "exec"), scope)
    assert isinstance(scope["created"].id, uuid.UUID)
    # A test (or the CLI) calling the service itself is not the GUI: allowed.
    payments.create(db, demo.id, bank.id, PaymentCreate(amount=Decimal("-2")))
    assert len(payments.list_all(db, demo.id, bank.id)) == len(before) + 2


# --- the gateway classifies what went wrong --------------------------------------------------
def test_an_environment_problem_gets_a_plain_box_and_nothing_is_recorded(
        db: Database, demo: CompanyRead, boxes: object) -> None:
    from app.domain.changes import ChangeSet
    from app.domain.errors import DatabaseBusy
    from app.ui.operations import Operations

    ops = Operations(db)
    seen: list[ChangeSet] = []
    ops.changes.connect(seen.append)

    def locked() -> None:
        raise DatabaseBusy("The database is locked by another program; try again.")

    with pytest.raises(DatabaseBusy):  # the caller stops; a dialog keeps its input
        ops.run(locked, refresh=ChangeSet.of("payment", company_id=demo.id))
    assert boxes.warnings == [  # type: ignore[attr-defined]
        "The database is locked by another program; try again."]
    assert ops.stack.count() == 0
    assert [c.kinds for c in seen] == [frozenset({"payment"})]  # re-read what may be stale
    assert ops.attempt("Post", locked) is None  # a menu command: shown once, not twice
    assert len(boxes.warnings) == 2  # type: ignore[attr-defined]


def test_a_domain_error_goes_to_the_caller_or_to_a_box_named_after_the_command(
        db: Database, demo: CompanyRead, boxes: object) -> None:
    from app.domain.errors import Invalid
    from app.ui.operations import Operations

    ops = Operations(db)

    def refused() -> None:
        raise Invalid("Amount must not be 0.", field="amount")

    with pytest.raises(Invalid):  # shown at its field or cell by the caller
        ops.run(refused)
    assert boxes.warnings == []  # type: ignore[attr-defined]
    assert ops.attempt("Post", refused) is None
    assert boxes.warnings == ["Amount must not be 0."]  # type: ignore[attr-defined]


def test_a_bug_is_not_dressed_up_it_goes_on_to_the_crash_dialog(
        db: Database, boxes: object) -> None:
    """Anything that is not a DomainError is a bug: no box, no step, raised unchanged to the
    excepthook, which shows the crash dialog (app/ui/crash.py)."""
    from app.ui.operations import Operations

    ops = Operations(db)

    def bug() -> None:
        raise ZeroDivisionError("division by zero")

    with pytest.raises(ZeroDivisionError):
        ops.attempt("Post", bug)
    assert boxes.warnings == [] and ops.stack.count() == 0  # type: ignore[attr-defined]


def _conflict_by_text(source: str) -> list[int]:
    """Lines comparing an error's ``field`` to "@odata.etag" or looking into its message."""
    import ast

    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Compare):
            parts = [node.left, *node.comparators]
            names = {p.attr for p in parts if isinstance(p, ast.Attribute)}
            texts = {p.value for p in parts if isinstance(p, ast.Constant)}
            if ("field" in names and "@odata.etag" in texts) or (
                    "message" in names and any(isinstance(op, ast.In | ast.NotIn)
                                               for op in node.ops)):
                found.append(node.lineno)
    return found


def test_no_ui_code_recognises_a_conflict_by_its_field_or_message() -> None:
    """A stale write is a typed StaleWrite (a Conflict): no GUI code compares the field
    ("@odata.etag") or the message text to recognise one."""
    found = [f"{path.name}:{line}" for path in sorted(gateway_guard.UI.rglob("*.py"))
             for line in _conflict_by_text(path.read_text(encoding="utf-8"))]
    assert found == []
    # and the check finds them (self-check)
    assert _conflict_by_text('if exc.field == "@odata.etag":\n    pass\n'
                             'if "changed" in exc.message:\n    pass\n'
                             'if isinstance(exc, StaleWrite):\n    pass\n') == [1, 3]
