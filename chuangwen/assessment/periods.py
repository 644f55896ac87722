"""Assessment periods and their keys: ``2026-09`` (a month), ``2026-B5`` (the fifth
two-month period, September–October), ``2026-Q3`` (a quarter), ``2026`` (a year).

A period runs from 00:00 of its first day to 00:00 of the day after its last, in the
city's time zone; every figure of a period counts what happened in that half-open span."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time

from chuangwen.core.errors import ServiceError
from chuangwen.core.workcalendar import get_calendar

from .choices import PeriodKind

# Months per period of each kind.
SPAN = {PeriodKind.MONTH: 1, PeriodKind.BIMONTH: 2, PeriodKind.QUARTER: 3, PeriodKind.YEAR: 12}
KEY_PATTERNS = (
    (PeriodKind.MONTH, re.compile(r"^(\d{4})-(\d{2})$")),
    (PeriodKind.BIMONTH, re.compile(r"^(\d{4})-B([1-6])$")),
    (PeriodKind.QUARTER, re.compile(r"^(\d{4})-Q([1-4])$")),
    (PeriodKind.YEAR, re.compile(r"^(\d{4})$")),
)
QUARTER_NAMES = ("一", "二", "三", "四")
FIRST_YEAR, LAST_YEAR = 2000, 2099


@dataclass(frozen=True, order=True)
class Period:
    year: int
    kind: str
    index: int  # 1-based within the year: month 1–12, two-month 1–6, quarter 1–4, year 1

    @property
    def first_month(self) -> int:
        return (self.index - 1) * SPAN[self.kind] + 1

    @property
    def first_day(self) -> date:
        return date(self.year, self.first_month, 1)

    @property
    def end_day(self) -> date:
        """The day after the period's last day."""
        month = self.first_month + SPAN[self.kind]
        return date(self.year + (month - 1) // 12, (month - 1) % 12 + 1, 1)

    @property
    def start(self) -> datetime:
        return datetime.combine(self.first_day, time(0), tzinfo=get_calendar().tz)

    @property
    def end(self) -> datetime:
        return datetime.combine(self.end_day, time(0), tzinfo=get_calendar().tz)

    @property
    def key(self) -> str:
        return {
            PeriodKind.MONTH: f"{self.year}-{self.index:02d}",
            PeriodKind.BIMONTH: f"{self.year}-B{self.index}",
            PeriodKind.QUARTER: f"{self.year}-Q{self.index}",
            PeriodKind.YEAR: f"{self.year}",
        }[self.kind]

    @property
    def label(self) -> str:
        if self.kind == PeriodKind.MONTH:
            return f"{self.year}年{self.index}月"
        if self.kind == PeriodKind.BIMONTH:
            last = self.first_month + 1
            return f"{self.year}年第{self.index}期({self.first_month}–{last}月)"
        if self.kind == PeriodKind.QUARTER:
            return f"{self.year}年第{QUARTER_NAMES[self.index - 1]}季度"
        return f"{self.year}年度"

    def previous(self) -> Period:
        if self.index > 1:
            return Period(self.year, self.kind, self.index - 1)
        return Period(self.year - 1, self.kind, 12 // SPAN[self.kind])

    def next(self) -> Period:
        if self.index < 12 // SPAN[self.kind]:
            return Period(self.year, self.kind, self.index + 1)
        return Period(self.year + 1, self.kind, 1)

    def contains(self, day: date) -> bool:
        return self.first_day <= day < self.end_day

    def __str__(self) -> str:
        return self.key


def parse(key) -> Period:
    """The period a key names; a ServiceError (field ``period``) for anything else."""
    text = str(key or "").strip()
    for kind, pattern in KEY_PATTERNS:
        match = pattern.match(text)
        if not match:
            continue
        year = int(match.group(1))
        index = int(match.group(2)) if kind != PeriodKind.YEAR else 1
        if FIRST_YEAR <= year <= LAST_YEAR and 1 <= index <= 12 // SPAN[kind]:
            return Period(year, kind, index)
        break
    raise ServiceError(
        "考评周期格式不正确:月度如 2026-09,双月如 2026-B5,季度如 2026-Q3,年度如 2026。",
        field="period",
    )


def containing(day: date, kind: str) -> Period:
    """The period of ``kind`` that ``day`` falls in."""
    if kind == PeriodKind.YEAR:
        return Period(day.year, kind, 1)
    return Period(day.year, kind, (day.month - 1) // SPAN[kind] + 1)


def last_complete(day: date, kind: str) -> Period:
    """The latest period of ``kind`` that ended before ``day``."""
    return containing(day, kind).previous()


def recent(day: date, kind: str, count: int) -> list[Period]:
    """The ``count`` periods of ``kind`` up to and including the one ``day`` falls in,
    newest first: the choices of a period picker and the x axis of a trend."""
    periods = [containing(day, kind)]
    while len(periods) < count:
        periods.append(periods[-1].previous())
    return periods
