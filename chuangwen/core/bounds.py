"""Bounds of the numbers a request may carry.

Both databases store ids and counters as signed 64-bit integers: a larger number sent on to
a query fails inside the driver (SQLite: "Python int too large to convert"), which the
client would see as a server error. Every id and whole number read from a URL, a query
string, a form or an API body passes through one of the types below first, so it is
either in range or answered with a 4xx naming the field.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated

from pydantic import AfterValidator, Field

# The largest value of a 64-bit signed integer column (PostgreSQL bigint, SQLite INTEGER).
MAX_ID = 2**63 - 1

# An id in the API (path, query, body or form): a positive 64-bit integer.
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
# A whole number an API client may send where no id is meant (a version, a count).
Count = Annotated[int, Field(ge=0, le=MAX_ID)]


# The moments a filter may name: well inside what Python's datetime and the databases hold
# in any time zone (0001-01-01 at +14:00 is already before the year 1 in UTC).
EARLIEST = datetime(1900, 1, 1, tzinfo=UTC)
LATEST = datetime(9999, 1, 1, tzinfo=UTC)


def _within_calendar(moment: datetime) -> datetime:
    # A moment without a zone may be read in any zone up to a day away.
    slack = timedelta(days=1) if moment.tzinfo is None else timedelta(0)
    try:
        utc = moment.replace(tzinfo=moment.tzinfo or UTC).astimezone(UTC)
    except OverflowError:
        utc = None
    if utc is None or not EARLIEST + slack <= utc <= LATEST - slack:
        raise ValueError("时间应在 1900 年到 9998 年之间。")
    return moment


# A date and time in the API, within EARLIEST and LATEST.
Moment = Annotated[datetime, AfterValidator(_within_calendar)]


def parse_id(value) -> int | None:
    """A positive id from a query string or a form field (ASCII digits only, at most
    ``MAX_ID``), or None for anything else: the caller treats it as "not given"."""
    text = str(value if value is not None else "").strip()
    if not text.isascii() or not text.isdigit():
        return None
    number = int(text)
    return number if 1 <= number <= MAX_ID else None


def parse_int(value, *, low: int = -MAX_ID, high: int = MAX_ID) -> int | None:
    """A whole number between ``low`` and ``high`` from a query string or a form field,
    or None when the text is not one."""
    text = str(value if value is not None else "").strip()
    sign, digits = (text[0], text[1:]) if text[:1] in ("-", "+") else ("", text)
    if not digits.isascii() or not digits.isdigit() or len(digits) > 20:
        return None
    number = int(sign + digits)
    return number if low <= number <= high else None


class IdConverter:
    """``<id:pk>`` in a URL: like Django's ``<int:…>`` but a number too large for an id
    does not match, so the page answers 404 instead of failing in the database."""

    regex = "[0-9]+"

    def to_python(self, value: str) -> int:
        number = parse_id(value)
        if number is None:
            raise ValueError(value)
        return number

    def to_url(self, value) -> str:
        return str(int(value))


def id_field(**kwargs):
    """A form field for an id: a number out of range is refused with the field's own
    ``invalid`` message, as a word would be."""
    from django import forms

    messages = dict(kwargs.pop("error_messages", {}) or {})
    if "invalid" in messages:
        messages.setdefault("min_value", messages["invalid"])
        messages.setdefault("max_value", messages["invalid"])
    return forms.IntegerField(min_value=1, max_value=MAX_ID, error_messages=messages, **kwargs)
