"""Customer bank accounts (BC: Customer Bank Account; the IBAN a statement line is matched
by) as API shapes."""

from __future__ import annotations

import uuid

from pydantic import field_validator

from app.domain.bank import compact_iban, iban_problem
from app.domain.schemas import ApiInput, ApiRead
from app.domain.types import Code20, OptionalGuid, RequiredCode20, Text100


def _iban(value: str) -> str:
    problem = iban_problem(value)
    if problem:
        raise ValueError(problem)
    return compact_iban(value)


class CustomerBankAccountCreate(ApiInput):
    customer_id: OptionalGuid = None
    customer_number: Code20 | None = None
    code: RequiredCode20
    name: Text100 = ""
    iban: str
    swift_code: Code20 = ""

    @field_validator("iban")
    @classmethod
    def _valid_iban(cls, value: str) -> str:
        return _iban(value)


class CustomerBankAccountUpdate(ApiInput):
    code: Code20 | None = None
    name: Text100 | None = None
    iban: str | None = None
    swift_code: Code20 | None = None

    @field_validator("iban")
    @classmethod
    def _valid_iban(cls, value: str | None) -> str | None:
        return None if value is None else _iban(value)


class CustomerBankAccountRead(ApiRead):
    odata_type = "#microsoft.graph.customerBankAccount"
    customer_id: uuid.UUID
    customer_number: str
    code: str
    name: str
    iban: str
    swift_code: str
