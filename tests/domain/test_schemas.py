"""Schemas: the reference's limits, camelCase aliases, BC's annotations and empty GUIDs."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from pydantic import BaseModel

from app.domain.errors import Invalid
from app.domain.schemas import (
    AccountUpdate,
    CompanyUpdate,
    CustomerCreate,
    CustomerUpdate,
    JournalCreate,
    JournalUpdate,
    NumberSeriesUpdate,
    PaymentCreate,
    PaymentUpdate,
    SalesInvoiceUpdate,
    make_etag,
    parse_etag,
)
from app.domain.validation import parse


@pytest.mark.parametrize(("model", "field", "limit", "base"), [
    (JournalCreate, "code", 10, {}),
    (JournalCreate, "displayName", 100, {"code": "J"}),
    (JournalCreate, "balancingAccountNumber", 20, {"code": "J"}),
    (PaymentCreate, "customerNumber", 20, {}),
    (PaymentCreate, "documentNumber", 20, {}),
    (PaymentCreate, "externalDocumentNumber", 35, {}),
    (PaymentCreate, "appliesToInvoiceNumber", 20, {}),
    (PaymentCreate, "description", 100, {}),
    (PaymentCreate, "comment", 250, {}),
    (PaymentCreate, "journalDisplayName", 10, {}),
    (CustomerCreate, "displayName", 100, {"number": "C1"}),
    (CustomerCreate, "number", 20, {"displayName": "x"}),
])
def test_limits(model: type[BaseModel], field: str, limit: int, base: dict[str, Any]) -> None:
    assert getattr(parse(model, {**base, field: "x" * limit}), _attr(model, field))
    with pytest.raises(Invalid) as err:
        parse(model, {**base, field: "x" * (limit + 1)})
    assert err.value.field == field
    assert err.value.message == (f"The length of {field} is {limit + 1}, but it must be less "
                                 f"than or equal to {limit} characters.")


def _attr(model: type[BaseModel], alias: str) -> str:
    return next(name for name, f in model.model_fields.items() if f.alias == alias)


def test_codes_are_upper_cased_texts_are_not() -> None:
    line = parse(PaymentCreate, {"documentNumber": " g001 ", "description": " Cheque no. 5 ",
                                 "customerNumber": "c10000"})
    assert (line.document_number, line.customer_number) == ("G001", "C10000")
    assert line.description == "Cheque no. 5"


def test_annotations_and_read_only_properties_are_ignored_on_input() -> None:
    line = parse(PaymentCreate, {"@odata.etag": 'W/"3"', "@odata.type": "#x", "id": "nonsense",
                                 "lastModifiedDateTime": "2020-01-01T00:00:00Z",
                                 "amount": -5})
    assert line.model_fields_set == {"amount"}


def test_ignored_keys_are_dropped_wherever_they_stand_and_other_at_keys_refused() -> None:
    # The ignored key last (the check stops at the first one it meets) and an "@" key that
    # is not an OData annotation: still refused as unknown.
    line = parse(PaymentCreate, {"amount": -5, "comment": "x", "id": "nonsense"})
    assert line.model_fields_set == {"amount", "comment"}
    body = {"amount": -5, "comment": "x"}
    assert PaymentCreate._drop_ignored(body) is body  # nothing to drop: not copied
    with pytest.raises(Invalid) as err:
        parse(PaymentCreate, {"amount": -5, "@odata": "x"})
    assert err.value.field == "@odata"


def test_unknown_properties_are_refused() -> None:
    with pytest.raises(Invalid) as err:
        parse(PaymentCreate, {"ammount": -5})
    assert (err.value.field, err.value.message) == ("ammount", "ammount is not a property of "
                                                               "this resource.")


def test_every_error_is_reported() -> None:
    with pytest.raises(Invalid) as err:
        parse(PaymentCreate, {"amount": "1.001", "postingDate": "31/12/2026", "lineNumber": -1})
    assert {e.field for e in err.value.errors} == {"amount", "postingDate", "lineNumber"}
    messages = {e.field: e.message for e in err.value.errors}
    assert messages["postingDate"] == "postingDate must be a date (YYYY-MM-DD), not '31/12/2026'."
    assert messages["lineNumber"] == "lineNumber must be at least 0."


def test_empty_guid_means_none() -> None:
    line = parse(PaymentCreate, {"customerId": "00000000-0000-0000-0000-000000000000",
                                 "appliesToInvoiceId": ""})
    assert line.customer_id is None and line.applies_to_invoice_id is None
    with pytest.raises(Invalid) as err:
        parse(PaymentCreate, {"customerId": "not-a-guid"})
    assert err.value.message == "customerId must be a GUID, not 'not-a-guid'."


def test_snake_case_names_work_too() -> None:
    some = uuid.uuid4()
    assert parse(PaymentCreate, {"customer_id": str(some)}).customer_id == some


def test_update_sends_only_what_changed() -> None:
    update = parse(PaymentUpdate, {"amount": -3, "comment": "x"})
    assert set(update.changes()) == {"amount", "comment"}


def test_customer_blocked_blank_forms() -> None:
    for blank in ("", " ", "_x0020_"):
        assert parse(CustomerCreate, {"number": "C", "displayName": "D",
                                      "blocked": blank}).blocked == " "
    with pytest.raises(Invalid) as err:
        parse(CustomerCreate, {"number": "C", "displayName": "D", "blocked": "Everything"})
    assert err.value.field == "blocked"


def test_etags() -> None:
    assert make_etag(4) == 'W/"4"'
    assert parse_etag('W/"4"') == 4
    assert parse_etag("*") is None
    with pytest.raises(ValueError, match="concurrency token"):
        parse_etag("W/\"abc\"")


@pytest.mark.parametrize(("model", "field"), [
    (SalesInvoiceUpdate, "invoiceDate"), (SalesInvoiceUpdate, "totalAmountIncludingTax"),
    (SalesInvoiceUpdate, "number"), (CustomerUpdate, "displayName"), (CustomerUpdate, "email"),
    (AccountUpdate, "blocked"), (JournalUpdate, "code"), (NumberSeriesUpdate, "startingNumber"),
    (CompanyUpdate, "name"),
])
def test_a_patch_refuses_null_where_the_record_needs_a_value(model: type[BaseModel],
                                                             field: str) -> None:
    # It used to pass, then crash in the service (NOT NULL constraint, or None < date).
    with pytest.raises(Invalid) as err:
        parse(model, {field: None})
    assert (err.value.field, err.value.message) == (
        field, f"{field} cannot be null: leave it out to keep its value.")


@pytest.mark.parametrize(("model", "field"), [
    (SalesInvoiceUpdate, "paymentDiscountDate"), (CustomerUpdate, "receivablesAccountNumber"),
    (JournalUpdate, "balancingAccountNumber"), (JournalUpdate, "numberSeriesCode"),
    (CompanyUpdate, "workDate"), (CompanyUpdate, "paymentDiscountAccountNumber"),
    (PaymentUpdate, "description"), (PaymentUpdate, "postingDate"),
])
def test_a_patch_takes_null_where_it_means_none(model: type[BaseModel], field: str) -> None:
    assert parse(model, {field: None}).model_fields_set == {_attr(model, field)}


# --- lengths after upper-casing, control characters (issue 9, the hardened edge) -------------

def test_a_code_is_length_checked_as_stored() -> None:
    from app.domain.errors import Invalid
    from app.domain.schemas import CustomerCreate, JournalCreate
    from app.domain.validation import parse

    assert parse(JournalCreate, {"code": "ß" * 5}).code == "S" * 10  # fits once upper-cased
    with pytest.raises(Invalid) as err:
        parse(JournalCreate, {"code": "ß" * 10})
    assert (err.value.field, err.value.message) == (
        "code", "The length of code is 20, but it must be less than or equal to 10 characters.")
    with pytest.raises(Invalid) as err:
        parse(CustomerCreate, {"number": "ﬀ" * 11, "displayName": "Ligature"})  # "ﬀ" -> "FF"
    assert err.value.field == "number" and "The length of number is 22" in err.value.message


@pytest.mark.parametrize("bad", ["\x00", "\t", "\n", "\r", "\x1b", "\x7f", "\x85"])
def test_control_characters_are_refused_in_codes_and_texts(bad: str) -> None:
    from app.domain.errors import Invalid
    from app.domain.schemas import PaymentCreate
    from app.domain.validation import parse

    for field in ("documentNumber", "description", "comment", "externalDocumentNumber"):
        with pytest.raises(Invalid) as err:
            parse(PaymentCreate, {field: f"A{bad}B"})
        assert err.value.field == field
        assert err.value.message == (f"{field} cannot contain control characters (such as "
                                     "NUL, a tab or a line break).")
    assert parse(PaymentCreate, {"description": "Grüße – 10 € ✓"}).description == \
        "Grüße – 10 € ✓"
