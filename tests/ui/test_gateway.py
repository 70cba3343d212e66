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
                 "journals.delete_archived", "demo.create_demo_company", "importing.run"):
        assert f"app.services.{name}" in WRITES
    for name in ("payments.get", "browse.page_payments", "posting.preview",
                 "applications.open_entries", "journals.line_count"):
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


def test_the_run_time_guard_refuses_a_write_from_ui_code_outside_the_gateway(
        monkeypatch: pytest.MonkeyPatch, db: Database, demo: CompanyRead, qtbot: object) -> None:
    """Negative self-check of the guard every GUI test runs under: code whose file is in
    app/ui calling a write service is refused, unless it runs inside the gateway."""
    from app.ui.operations import Operations

    assert gateway_guard.install(monkeypatch, WRITES) >= 30
    bank = journals.find_by_code(db, demo.id, "BANK")
    scope = {"payments": payments, "db": db, "cid": demo.id, "jid": bank.id,
             "PaymentCreate": PaymentCreate, "D": Decimal}
    fake_ui_file = str(gateway_guard.UI / "example_pane.py")
    code = compile("payments.create(db, cid, jid, PaymentCreate(amount=D('-1')))",
                   fake_ui_file, "exec")
    before = payments.list_all(db, demo.id, bank.id)
    with pytest.raises(OutsideGateway, match=r"app/ui/example_pane.py:1 called "
                                             r"app.services.payments.create outside"):
        exec(code, scope)
    assert payments.list_all(db, demo.id, bank.id) == before  # nothing was written
    ops = Operations(db)
    scope["ops"] = ops
    exec(compile("created = ops.run(lambda: payments.create(db, cid, jid, "
                 "PaymentCreate(amount=D('-1'))))", fake_ui_file, "exec"), scope)
    assert isinstance(scope["created"].id, uuid.UUID)
    # A test (or the CLI) calling the service itself is not the GUI: allowed.
    payments.create(db, demo.id, bank.id, PaymentCreate(amount=Decimal("-2")))
    assert len(payments.list_all(db, demo.id, bank.id)) == len(before) + 2
