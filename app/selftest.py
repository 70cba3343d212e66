"""``--self-test``: prove an installed Ledgerdesk works, on a throw-away database.

It creates a company, a journal and a payment line through the real services, reads them
back, shows them in the real main window (offscreen unless a platform was asked for), reads
them back again and exits 0; any failure exits 1 with one line saying what failed. It never
touches the user's database: everything happens in a temporary folder that is removed after.

No Qt here (DESIGN.md section 2): the window part lives in app/ui/selftest.py and is
imported only when it runs.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TextIO

from app import APP_NAME, __version__

COMPANY_NAME = "Self-Test Company"
CUSTOMER_NUMBER = "ST10000"
CUSTOMER_NAME = "Self-Test Customer"
JOURNAL_CODE = "SELFTEST"
AMOUNT = Decimal("-123.45")


class SelfTestFailure(Exception):
    """A check failed; the message is the one line the user sees."""


@dataclass(frozen=True)
class Made:
    """What the self-test created and expects to read back."""

    company_id: uuid.UUID
    journal_id: uuid.UUID
    payment_id: uuid.UUID
    line_count: int
    customer_number: str
    customer_name: str


def create_records(db_path: Path) -> Made:
    """A company, a balancing account, a customer, a journal and one payment line."""
    from app.db import open_database
    from app.domain.schemas import (
        AccountCreate,
        CompanyCreate,
        CustomerCreate,
        JournalCreate,
        PaymentCreate,
    )
    from app.services import accounts, companies, customers, journals, payments

    db = open_database(db_path)
    try:
        company = companies.create(db, CompanyCreate(name=COMPANY_NAME))
        cid = company.id
        accounts.create(db, cid, AccountCreate(number="2310", display_name="Customers"))
        accounts.create(db, cid, AccountCreate(number="2910", display_name="Bank"))
        customers.create(db, cid, CustomerCreate(number=CUSTOMER_NUMBER,
                                                 display_name=CUSTOMER_NAME,
                                                 receivables_account_number="2310"))
        journal = journals.create(db, cid, JournalCreate(
            code=JOURNAL_CODE, display_name="Self-test receipts", balancing_account_number="2910"))
        payment = payments.create(db, cid, journal.id, PaymentCreate(
            customer_number=CUSTOMER_NUMBER, amount=AMOUNT, document_number="ST0001"))
    finally:
        db.close()
    return Made(company_id=cid, journal_id=journal.id, payment_id=payment.id, line_count=1,
                customer_number=CUSTOMER_NUMBER, customer_name=CUSTOMER_NAME)


def check_records(db_path: Path, made: Made) -> None:
    """Read everything back through the services, from a fresh connection."""
    from app.db import open_database
    from app.services import companies, journals, payments

    db = open_database(db_path, migrate=False)
    try:
        names = [c.name for c in companies.list_all(db)]
        if names != [COMPANY_NAME]:
            raise SelfTestFailure(f"companies read back as {names}, expected [{COMPANY_NAME!r}]")
        codes = [j.code for j in journals.list_all(db, made.company_id)]
        if codes != [JOURNAL_CODE]:
            raise SelfTestFailure(f"journals read back as {codes}, expected [{JOURNAL_CODE!r}]")
        lines = payments.list_all(db, made.company_id, made.journal_id)
        if len(lines) != made.line_count:
            raise SelfTestFailure(
                f"{len(lines)} payment lines read back, expected {made.line_count}")
        if lines[0].id != made.payment_id:
            raise SelfTestFailure("the payment line read back is not the one created")
        line = lines[0]
        if (line.customer_number, line.amount, line.description, line.line_number) != \
                (CUSTOMER_NUMBER, AMOUNT, CUSTOMER_NAME, 10000):
            raise SelfTestFailure(
                "payment line read back wrong: "
                f"{line.customer_number} {line.amount} {line.description!r} {line.line_number}")
    finally:
        db.close()


def run(out: TextIO | None = None, err: TextIO | None = None) -> int:
    """The whole self-test; 0 when everything worked, 1 with one line on stderr otherwise."""
    out = out if out is not None else sys.stdout
    err = err if err is not None else sys.stderr
    # Offscreen unless the caller chose a platform: a self-test never needs a screen.
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    started = time.perf_counter()
    try:
        with tempfile.TemporaryDirectory(prefix="ledgerdesk-selftest-") as folder:
            db_path = Path(folder) / "selftest.sqlite"
            made = create_records(db_path)
            check_records(db_path, made)
            try:
                from app.ui.selftest import check_main_window
            except ImportError as exc:
                raise SelfTestFailure(f"the Qt interface cannot be loaded ({exc})") from None
            shown_after = check_main_window(db_path, made)
            check_records(db_path, made)
    except SelfTestFailure as exc:
        _say(err, f"self-test failed: {exc}")
        return 1
    except Exception as exc:  # anything else is a failure too, still on one line
        reason = " ".join(str(exc).split()) or "no message"
        _say(err, f"self-test failed: {type(exc).__name__}: {reason}")
        return 1
    total = time.perf_counter() - started
    _say(out, f"self-test passed: {APP_NAME} {__version__}, company, journal and payment line "
              f"created and read back; window shown after {shown_after:.2f} s, "
              f"{total:.2f} s in all")
    return 0


def _say(stream: TextIO | None, line: str) -> None:
    if stream is not None:  # a windowed frozen app on Windows has no console streams
        print(line, file=stream, flush=True)
