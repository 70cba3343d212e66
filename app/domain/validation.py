"""Turn Pydantic's validation errors into messages an accountant can act on.

Each message names the API property and says what is wrong and what is allowed, in the
style of Business Central ("The length of ... must be less than or equal to 20 characters").
"""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from app.domain.errors import FieldError, Invalid

M = TypeVar("M", bound=BaseModel)


def _field_name(loc: tuple[int | str, ...]) -> str | None:
    names = [part for part in loc if isinstance(part, str)]
    return names[-1] if names else None


def _shown(value: Any) -> str:
    text = str(value)
    return text if len(text) <= 40 else text[:37] + "..."


def describe(error: dict[str, Any]) -> FieldError:
    field = _field_name(tuple(error.get("loc", ())))
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    value = error.get("input")
    name = field or "The record"
    match kind:
        case "missing":
            message = f"{name} must have a value."
        case "string_too_short" if ctx.get("min_length") == 1:
            message = f"{name} must have a value."
        case "string_too_long":
            length = ctx.get("length", len(str(value)))  # a code's, once upper-cased
            message = (f"The length of {name} is {length}, but it must be less than "
                       f"or equal to {ctx['max_length']} characters.")
        case "string_pattern_mismatch":
            message = (f"{name} cannot contain control characters (such as NUL, a tab or a "
                       "line break).")
        case "decimal_max_places":
            message = f"{name} can have at most {ctx['decimal_places']} decimals."
        case "decimal_max_digits" | "decimal_whole_digits":
            message = f"{name} is too large; amounts must be below one trillion."
        case "greater_than_equal":
            message = f"{name} must be at least {ctx.get('ge')}."
        case "less_than_equal":
            message = f"{name} must be at most {ctx.get('le')}."
        case "decimal_parsing" | "decimal_type" | "finite_number" | "float_parsing":
            message = f"{name} must be a number, not '{_shown(value)}'."
        case "int_parsing" | "int_type" | "int_from_float":
            message = f"{name} must be a whole number, not '{_shown(value)}'."
        case kind if kind.startswith("date"):
            message = f"{name} must be a date (YYYY-MM-DD), not '{_shown(value)}'."
        case kind if kind.startswith("datetime"):
            message = f"{name} must be a date and time, not '{_shown(value)}'."
        case "uuid_parsing" | "uuid_type" | "uuid_version":
            message = f"{name} must be a GUID, not '{_shown(value)}'."
        case "bool_parsing" | "bool_type":
            message = f"{name} must be true or false, not '{_shown(value)}'."
        case "literal_error" | "enum":
            message = f"{name} must be one of {ctx.get('expected')}, not '{_shown(value)}'."
        case "extra_forbidden":
            message = f"{name} is not a property of this resource."
        case "string_type":
            message = f"{name} must be text, not '{_shown(value)}'."
        case "value_error" | "assertion_error":
            message = str(ctx.get("error", error.get("msg", "")))
        case "model_type" | "dict_type":
            message = f"{name} must be an object."
        case "list_type":
            message = f"{name} must be a list."
        case _:
            message = f"{name}: {error.get('msg', 'is not valid')}."
    return FieldError(field, message)


def errors_of(exc: ValidationError) -> list[FieldError]:
    return [describe(dict(e)) for e in exc.errors(include_url=False)]


def invalid_from(exc: ValidationError) -> Invalid:
    errors = errors_of(exc)
    return Invalid(errors[0].message, errors=errors)


def parse(model: type[M], data: Any) -> M:
    """Validate ``data`` into ``model``; raise ``Invalid`` with plain messages per field."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise invalid_from(exc) from None
