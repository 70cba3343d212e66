"""Customer payment journals: code unique per company, the balancing account and its rules."""

from __future__ import annotations

import uuid

import pytest

from app.db import Database
from app.domain.errors import Blocked, Conflict, Invalid, NotFound
from app.domain.schemas import JournalCreate, JournalUpdate, PaymentCreate
from app.domain.validation import parse
from app.services import journals, payments
from tests.helpers import Books, dump, make_books


@pytest.fixture
def books(db: Database) -> Books:
    return make_books(db)


def test_code_is_upper_cased_and_trimmed(db: Database, books: Books) -> None:
    journal = journals.create(db, books.cid, parse(JournalCreate, {"code": "  cash "}))
    assert journal.code == "CASH"


def test_code_longer_than_10_is_refused(db: Database, books: Books) -> None:
    with pytest.raises(Invalid) as err:
        parse(JournalCreate, {"code": "ABCDEFGHIJK"})
    assert err.value.field == "code"
    assert err.value.message == ("The length of code is 11, but it must be less than or equal "
                                 "to 10 characters.")
    assert parse(JournalCreate, {"code": "ABCDEFGHIJ"}).code == "ABCDEFGHIJ"


def test_code_is_required(db: Database, books: Books) -> None:
    with pytest.raises(Invalid) as err:
        parse(JournalCreate, {"code": "  "})
    assert (err.value.field, err.value.message) == ("code", "code must have a value.")


def test_code_is_unique_per_company(db: Database, books: Books) -> None:
    before = dump(db)
    with pytest.raises(Conflict) as err:
        journals.create(db, books.cid, JournalCreate(code="bank"))
    assert err.value.field == "code"
    assert err.value.message == "A customer payment journal with the code BANK already exists."
    assert dump(db) == before


def test_the_same_code_is_allowed_in_another_company(db: Database, books: Books) -> None:
    other = make_books(db, "Other Ltd")
    assert other.bank_journal.code == books.bank_journal.code == "BANK"
    assert other.bank_journal.id != books.bank_journal.id


def test_renaming_onto_a_taken_code_is_refused(db: Database, books: Books) -> None:
    before = dump(db)
    with pytest.raises(Conflict) as err:
        journals.update(db, books.cid, books.gen_journal.id, JournalUpdate(code="BANK"),
                        version=books.gen_journal.version)
    assert err.value.field == "code"
    assert dump(db) == before


def test_balancing_account_by_number_fills_the_id(db: Database, books: Books) -> None:
    journal = journals.create(db, books.cid, JournalCreate(code="J1",
                                                           balancing_account_number="2910"))
    assert (journal.balancing_account_id, journal.balancing_account_number) == (books.bank.id,
                                                                                "2910")


def test_balancing_account_by_id_fills_the_number(db: Database, books: Books) -> None:
    journal = journals.create(db, books.cid, JournalCreate(code="J1",
                                                           balancing_account_id=books.bank.id))
    assert journal.balancing_account_number == "2910"


def test_balancing_account_id_and_number_that_agree(db: Database, books: Books) -> None:
    journal = journals.create(db, books.cid, JournalCreate(
        code="J1", balancing_account_id=books.bank.id, balancing_account_number="2910"))
    assert journal.balancing_account_id == books.bank.id


def test_no_balancing_account(db: Database, books: Books) -> None:
    journal = journals.create(db, books.cid, JournalCreate(code="J1"))
    json = journal.to_json()
    assert json["balancingAccountId"] == "00000000-0000-0000-0000-000000000000"
    assert json["balancingAccountNumber"] == ""


@pytest.mark.parametrize(("fields", "error", "field", "message"), [
    ({"balancing_account_id": "bank", "balancing_account_number": "2950"}, Invalid,
     "balancingAccountNumber",
     'The "balancingAccountNumber" 2950 does not match the "balancingAccountId".'),
    ({"balancing_account_number": "9999"}, NotFound, "balancingAccountNumber",
     "G/L Account 9999 does not exist."),
    ({"balancing_account_id": "unknown"}, NotFound, "balancingAccountId",
     'The "balancingAccountId" does not match to a G/L Account.'),
    ({"balancing_account_number": "1000"}, Invalid, "balancingAccountNumber",
     "Account Type must be equal to 'Posting' in G/L Account: No.=1000. "
     "Current value is 'Heading'."),
    ({"balancing_account_number": "2950"}, Blocked, "balancingAccountNumber",
     "Blocked must be equal to 'No' in G/L Account: No.=2950. Current value is 'Yes'."),
    ({"balancing_account_id": "receivables"}, Invalid, "balancingAccountId",
     "Direct Posting must be equal to 'Yes' in G/L Account: No.=2310. Current value is 'No'."),
])
def test_balancing_account_errors_write_nothing(db: Database, books: Books,
                                                fields: dict[str, str], error: type[Exception],
                                                field: str, message: str) -> None:
    ids = {"bank": books.bank.id, "receivables": books.receivables.id, "unknown": uuid.uuid4()}
    data = {k: ids.get(v, v) for k, v in fields.items()}
    before = dump(db)
    with pytest.raises(error) as err:
        journals.create(db, books.cid, JournalCreate(code="J1", **data))
    assert err.value.field == field  # type: ignore[attr-defined]
    assert err.value.message == message  # type: ignore[attr-defined]
    assert dump(db) == before
    # The same rules on update.
    with pytest.raises(error):
        journals.update(db, books.cid, books.gen_journal.id,
                        JournalUpdate(**data), version=None)
    assert dump(db) == before


def test_an_account_of_another_company_is_not_found(db: Database, books: Books) -> None:
    other = make_books(db, "Other Ltd")
    before = dump(db)
    with pytest.raises(NotFound) as err:
        journals.create(db, books.cid, JournalCreate(code="J1",
                                                     balancing_account_id=other.bank.id))
    assert err.value.field == "balancingAccountId"
    assert dump(db) == before


def test_a_new_journal_inherits_the_company_number_series(db: Database, books: Books) -> None:
    assert journals.create(db, books.cid, JournalCreate(code="J1")).number_series_code == "RCPT"


def test_update_checks_version_and_sets_last_modified(db: Database, books: Books) -> None:
    journal = books.gen_journal
    updated = journals.update(db, books.cid, journal.id, JournalUpdate(display_name="New"),
                              version=journal.version)
    assert updated.version == journal.version + 1
    assert updated.last_modified_date_time > journal.last_modified_date_time
    before = dump(db)
    with pytest.raises(Conflict) as err:
        journals.update(db, books.cid, journal.id, JournalUpdate(display_name="Stale"),
                        version=journal.version)
    assert err.value.field == "@odata.etag"
    assert dump(db) == before


def test_delete_removes_the_lines(db: Database, books: Books) -> None:
    payments.create(db, books.cid, books.gen_journal.id, PaymentCreate())
    journals.delete(db, books.cid, books.gen_journal.id, version=books.gen_journal.version)
    assert [j.code for j in journals.list_all(db, books.cid)] == ["BANK"]
    with pytest.raises(NotFound):
        payments.list_all(db, books.cid, books.gen_journal.id)
