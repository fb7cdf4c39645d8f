"""Field types shared by the plan and programme models.

Each raises a PydanticCustomError whose type names the rule it breaks, so
that the loader can report `schema-date` or `schema-id` with a message a
person can act on, rather than pydantic's generic wording.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Strict,
    WithJsonSchema,
)
from pydantic_core import PydanticCustomError

from planpack import salesforce_id
from planpack.findings import describe

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[A-Za-z0-9-]{2,}")
_URL = re.compile(r"https?://\S+")


def _to_date(value: Any) -> date:
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str) and _DATE.fullmatch(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise PydanticCustomError(
                "calendar_date",
                "{found} is not a calendar date: {why}",
                {"found": value, "why": _why_not_a_date(value)},
            ) from None
    raise PydanticCustomError(
        "date_format",
        "found {found}, expected a date written YYYY-MM-DD",
        {"found": describe(value)},
    )


def _why_not_a_date(text: str) -> str:
    year, month, day = (int(part) for part in text.split("-"))
    if not 1 <= month <= 12:
        return f"there is no month {month}"
    days = calendar.monthrange(year, month)[1] if year >= 1 else 31
    if day == 0:
        return "days start at 1"
    return f"{calendar.month_name[month]} {year} has {days} days"


def _to_email(value: Any) -> str:
    if isinstance(value, str) and _EMAIL.fullmatch(value):
        return value.lower()
    raise PydanticCustomError(
        "email",
        "found {found}, expected an e-mail address such as name@example.com",
        {"found": describe(value)},
    )


def _to_url(value: str) -> str:
    if not _URL.fullmatch(value):
        raise PydanticCustomError(
            "url", "found {found}, expected an http:// or https:// address",
            {"found": describe(value)},
        )
    return value


def _salesforce_id(prefix: str) -> Any:
    def check(value: str) -> str:
        try:
            return salesforce_id.check(value, prefix)
        except salesforce_id.InvalidId as exc:
            raise PydanticCustomError("salesforce_id", str(exc)) from None

    kind = salesforce_id.PREFIXES[prefix]
    return Annotated[
        str,
        AfterValidator(check),
        WithJsonSchema(
            {
                "type": "string",
                "pattern": f"^{prefix}[A-Za-z0-9]{{12}}([A-Za-z0-9]{{3}})?$",
                "description": f"Salesforce {kind} Id (15 or 18 characters, prefix {prefix})",
            }
        ),
    ]


def _scalar(value: Any) -> Any:
    if isinstance(value, dict | list | bool):
        raise PydanticCustomError(
            "scalar", "found {found}, expected a number or text", {"found": describe(value)}
        )
    return value


def _tier(value: Any) -> Any:
    if isinstance(value, bool | float):  # True == 1 and 1.0 == 1 to Python, not to people
        raise PydanticCustomError(
            "tier", "found {found}, expected one of 1, 2 or 3", {"found": describe(value)}
        )
    return value


# Numbers and flags are strict: `true` is not 1, `yes` is not true (YAML 1.2 reads
# `yes` as text), `3.0` is not a whole number. Text fields still take numbers
# (`title: 2027`), as an author means them.
WholeNumber = Annotated[int, Strict()]
Number = Annotated[float, Strict()]  # whole numbers are numbers too
Flag = Annotated[bool, Strict()]
Tier = Annotated[Literal[1, 2, 3], BeforeValidator(_tier)]

IsoDate = Annotated[
    date,
    BeforeValidator(_to_date),
    WithJsonSchema({"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"}),
]
Email = Annotated[
    str,
    BeforeValidator(_to_email),
    WithJsonSchema({"type": "string", "format": "email", "pattern": r"^[^@\s]+@[^@\s]+\.\S+$"}),
]
Url = Annotated[str, AfterValidator(_to_url), WithJsonSchema({"type": "string", "format": "uri"})]
NumberOrText = Annotated[
    float | str,
    BeforeValidator(_scalar),
    WithJsonSchema({"type": ["number", "string"]}),
]
AccountId = _salesforce_id("001")
ContactId = _salesforce_id("003")
OpportunityId = _salesforce_id("006")


class Section(BaseModel):
    """A mapping in a plan or programme file: unknown keys are errors."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        coerce_numbers_to_str=True,
        use_attribute_docstrings=True,
        validate_default=False,
    )
