"""Field types shared by every schema: the reference's sizes and formats in one place.

Business Central upper-cases Code fields (codes, numbers) and trims them; Text fields keep
their case. A code's length is checked after it is upper-cased (what is stored must fit),
and no code or text takes a control character (see ``NO_CONTROL_CHARACTERS``).
Sizes follow the AL tables (bc-model.md section 0), not the stale doc tables.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from decimal import Decimal
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, Field, PlainSerializer, StringConstraints
from pydantic_core import PydanticCustomError

from app.domain.ids import EMPTY_GUID, is_empty
from app.domain.money import CENT, MAX_AMOUNT, to_json_number

# Business Central's Integer (line numbers, entry and register numbers): 32 bits, signed.
MAX_INTEGER = 2_147_483_647


# No code or text field takes a control character (NUL, TAB, line breaks, ESC, DEL, the C1
# range): every one of them is a single line in Business Central (Text[n] and Code[n],
# including a journal line's comment), shown in a grid cell and written to other systems.
# Checked by the Rust regex engine of pydantic-core, so an import pays next to nothing.
NO_CONTROL_CHARACTERS = r"^[^\x00-\x1f\x7f-\x9f]*$"


def _fits(max_length: int) -> Any:
    def check(value: str) -> str:
        # Upper-casing can lengthen a code ("ß" -> "SS"): the stored value must fit.
        if len(value) > max_length:
            raise PydanticCustomError(
                "string_too_long",
                "String should have at most {max_length} characters",
                {"max_length": max_length, "length": len(value)})
        return value
    return AfterValidator(check)


def _code(max_length: int, required: bool = False) -> Any:
    return Annotated[
        str,
        StringConstraints(
            strip_whitespace=True, to_upper=True, max_length=max_length,
            min_length=1 if required else 0, pattern=NO_CONTROL_CHARACTERS,
        ),
        _fits(max_length),
    ]


def _text(max_length: int, required: bool = False) -> Any:
    return Annotated[
        str,
        StringConstraints(strip_whitespace=True, max_length=max_length,
                          min_length=1 if required else 0, pattern=NO_CONTROL_CHARACTERS),
    ]


# Codes and numbers (BC Code[n]): upper-cased, trimmed.
JournalCode = _code(10, required=True)
Code10 = _code(10)
Code20 = _code(20)
RequiredCode20 = _code(20, required=True)
Code35 = _code(35)

# Texts (BC Text[n]).
Text20 = _text(20)
Text30 = _text(30)
RequiredText30 = _text(30, required=True)
Text50 = _text(50)
Text80 = _text(80)
Text100 = _text(100)
RequiredText100 = _text(100, required=True)
Text250 = _text(250)


def _quantize(value: Decimal) -> Decimal:
    return value.quantize(CENT)


# An amount: at most 2 decimals, bounded so it fits integer cents and a JSON number exactly.
Amount = Annotated[
    Decimal,
    Field(max_digits=14, decimal_places=2, ge=-MAX_AMOUNT, le=MAX_AMOUNT),
    AfterValidator(_quantize),
    PlainSerializer(to_json_number, return_type=Any, when_used="json"),
]


def _empty_guid_is_none(value: Any) -> Any:
    if isinstance(value, str) and value.strip() in ("", str(EMPTY_GUID)):
        return None
    if isinstance(value, uuid.UUID) and is_empty(value):
        return None
    return value


def _none_as_empty_guid(value: uuid.UUID | None) -> str:
    return str(value or EMPTY_GUID)


# A reference by GUID: Business Central sends and returns the empty GUID for "none".
OptionalGuid = Annotated[
    uuid.UUID | None,
    BeforeValidator(_empty_guid_is_none),
    PlainSerializer(_none_as_empty_guid, return_type=str, when_used="json"),
]


def _as_utc(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


# lastModifiedDateTime: stored in UTC, written as ISO 8601 with its offset.
Timestamp = Annotated[
    datetime,
    AfterValidator(_as_utc),
    PlainSerializer(lambda v: _as_utc(v).isoformat(), return_type=str, when_used="json"),
]
