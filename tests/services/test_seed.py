"""The seed page (shared/seeds/customerpaymentjournal-post.md): its request body through
validation -> service -> read model -> JSON in the seed's response shape."""

from __future__ import annotations

import json
import uuid
from datetime import datetime
from typing import Any

import pytest

from app.db import Database
from app.domain.errors import Invalid, NotFound
from app.domain.schemas import JournalCreate
from app.domain.validation import parse
from app.services import journals
from tests.helpers import Books, dump, make_books

# Copied verbatim from the seed page: the example request body and response.
SEED_REQUEST = json.loads("""
{
  "@odata.type": "#microsoft.graph.customerPaymentJournal",
  "code": "Code value",
  "displayName": "Display Name value",
  "balancingAccountId": "1f4f6a81-6a81-1f4f-816a-4f1f816a4f1f",
  "balancingAccountNumber": "Balancing Account Number value"
}
""")
SEED_RESPONSE = json.loads("""
{
  "@odata.type": "#microsoft.graph.customerPaymentJournal",
  "id": "0757ea13-ea13-0757-13ea-570713ea5707",
  "code": "Code value",
  "displayName": "Display Name value",
  "lastModifiedDateTime": "2016-12-31T23:58:46.8102575+03:00",
  "balancingAccountId": "1f4f6a81-6a81-1f4f-816a-4f1f816a4f1f",
  "balancingAccountNumber": "Balancing Account Number value"
}
""")


@pytest.fixture
def books(db: Database) -> Books:
    return make_books(db)


def test_the_seed_body_is_refused_for_its_30_character_account_number(
        db: Database, books: Books) -> None:
    assert len(SEED_REQUEST["balancingAccountNumber"]) == 30
    before = dump(db)
    with pytest.raises(Invalid) as err:
        parse(JournalCreate, SEED_REQUEST)
    assert err.value.field == "balancingAccountNumber"
    assert err.value.message == ("The length of balancingAccountNumber is 30, but it must be "
                                 "less than or equal to 20 characters.")
    assert len(err.value.errors) == 1  # its @odata.type is accepted, nothing else is wrong
    assert dump(db) == before


def _created_json(db: Database, books: Books, body: dict[str, Any]) -> dict[str, Any]:
    journal = journals.create(db, books.cid, parse(JournalCreate, body))
    return journal.to_json()


@pytest.mark.parametrize("with_id", [True, False], ids=["number and id", "number only"])
def test_with_a_real_account_the_seed_body_gives_the_seed_response_shape(
        db: Database, books: Books, with_id: bool) -> None:
    body = {**SEED_REQUEST, "balancingAccountNumber": books.bank.number}
    if with_id:
        body["balancingAccountId"] = str(books.bank.id)
    else:
        del body["balancingAccountId"]
    created = _created_json(db, books, body)

    assert set(created) == set(SEED_RESPONSE) | {"@odata.etag"}
    assert created["@odata.type"] == SEED_RESPONSE["@odata.type"]
    assert created["code"] == "CODE VALUE"  # a Code field: upper-cased, as in BC
    assert created["displayName"] == "Display Name value"
    assert created["balancingAccountId"] == str(books.bank.id)
    assert created["balancingAccountNumber"] == books.bank.number
    assert created["@odata.etag"] == 'W/"1"'
    uuid.UUID(created["id"])
    stamp = datetime.fromisoformat(created["lastModifiedDateTime"])
    assert stamp.utcoffset() is not None  # written with its offset, like the seed's
    # The JSON is what a client reads: it round-trips through json.
    assert json.loads(json.dumps(created)) == created
    assert list(created)[:2] == ["@odata.type", "@odata.etag"]


def test_the_seed_id_with_a_real_number_is_refused(db: Database, books: Books) -> None:
    """The seed's sample id names no account here: id and number must agree."""
    body = {**SEED_REQUEST, "balancingAccountNumber": books.bank.number}
    before = dump(db)
    with pytest.raises(NotFound) as err:
        _created_json(db, books, body)
    assert err.value.field == "balancingAccountId"
    assert dump(db) == before


def test_the_read_model_reads_back_the_same(db: Database, books: Books) -> None:
    body = {**SEED_REQUEST, "balancingAccountNumber": books.bank.number}
    del body["balancingAccountId"]
    created = _created_json(db, books, body)
    again = journals.get(db, books.cid, uuid.UUID(created["id"])).to_json()
    assert again == created
