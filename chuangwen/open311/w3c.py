"""W3C date-times (the ISO 8601 subset GeoReport v2 uses), read and written in the
city's time zone."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

from django.utils.translation import gettext as _

from chuangwen.core.bounds import EARLIEST, LATEST
from chuangwen.core.errors import ServiceError
from chuangwen.core.workcalendar import get_calendar

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})?")
# "+08:00" typed into a URL without encoding arrives as " 08:00".
_UNENCODED_PLUS = re.compile(r"(T[\d:.]+) (\d{2}:\d{2})$")


def format_datetime(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    return moment.astimezone(get_calendar().tz).isoformat(timespec="seconds")


def parse_datetime(value: str, *, name: str, end_of_day: bool = False) -> datetime:
    """A W3C date-time such as 2026-11-25T10:00:00+08:00, or a date (the day's start, or
    its end with ``end_of_day``). Without an offset the time is the city's local time."""
    text = _UNENCODED_PLUS.sub(r"\1+\2", (value or "").strip())
    tz = get_calendar().tz
    moment = None
    try:
        if _DATE.fullmatch(text):
            day = date.fromisoformat(text)
            if end_of_day:
                moment = datetime.combine(day + timedelta(days=1), time(), tz) - timedelta(
                    microseconds=1
                )
            else:
                moment = datetime.combine(day, time(), tz)
        elif _DATETIME.fullmatch(text):
            moment = datetime.fromisoformat(text)
            moment = moment if moment.tzinfo else moment.replace(tzinfo=tz)
        # Near the calendar's ends a window computed from the moment would overflow.
        if moment is not None and EARLIEST <= moment <= LATEST:
            return moment
    except (ValueError, OverflowError):
        pass
    raise ServiceError(
        _(
            "%(name)s 不是有效的 W3C 日期时间:“%(value)s”。"
            "格式应为 2026-11-25T10:00:00+08:00 或 2026-11-25。"
        )
        % {"name": name, "value": value[:40]},
        field=name,
    )
