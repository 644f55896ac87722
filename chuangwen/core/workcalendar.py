"""The official working calendar: deadlines and elapsed time in four time types.

Which days are working days: an administrator's entry for the day (``CalendarDay``)
wins; otherwise the official schedule from the ``chinese-calendar`` package (holidays
and 调休 working weekends) for the years it knows; otherwise, for later years, weekends
are off and the fixed-date statutory holidays are applied by rule until the office
enters that year's schedule. It never raises for a year it does not know.

Time is measured on a *clock*: continuous minutes for emergency hours and natural days,
working minutes (inside the work periods of working days) for working hours and
working days. A deadline is the earliest instant at which the clock has advanced by the
limit, paused intervals (缓办) not counting.
"""

from __future__ import annotations

import bisect
import threading
import time
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import chinese_calendar
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

BASE_DAY = date(2000, 1, 1)
# Fixed-date statutory holidays (全国年节及纪念日放假办法), applied by rule to years
# without an official schedule. Lunar holidays need the State Council's yearly notice.
FIXED_HOLIDAYS = {
    (1, 1): "元旦",
    (5, 1): "劳动节",
    (5, 2): "劳动节",
    (10, 1): "国庆节",
    (10, 2): "国庆节",
    (10, 3): "国庆节",
}
MINUTES_PER_WORK_DAY = 8 * 60


class TimeType(models.TextChoices):
    EMERGENCY_HOURS = "emergency_hours", _("紧急工时(连续计时)")
    WORK_HOURS = "work_hours", _("工作时")
    WORK_DAYS = "work_days", _("工作日")
    NATURAL_DAYS = "natural_days", _("自然日")


def parse_periods(text: str) -> tuple[tuple[int, int], ...]:
    """ "08:00-12:00,14:00-18:00" → ((480, 720), (840, 1080)), validated."""
    periods = []
    for part in text.split(","):
        try:
            start, end = (
                int(h) * 60 + int(m) for h, m in (t.strip().split(":") for t in part.split("-"))
            )
        except ValueError as exc:
            raise ValueError(f"bad work period {part!r}, expected HH:MM-HH:MM") from exc
        if not 0 <= start < end <= 24 * 60 or (periods and start < periods[-1][1]):
            raise ValueError(f"work periods must be ordered and inside one day: {text!r}")
        periods.append((start, end))
    if not periods:
        raise ValueError("at least one work period is needed")
    return tuple(periods)


def official_year_known(year: int) -> bool:
    try:
        chinese_calendar.is_workday(date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


def rule_is_workday(day: date) -> bool:
    return day.weekday() < 5 and (day.month, day.day) not in FIXED_HOLIDAYS


class WorkCalendar:
    def __init__(
        self,
        *,
        periods: tuple[tuple[int, int], ...],
        overrides: dict[date, bool] | None = None,
        tz: str = "Asia/Shanghai",
    ):
        self.periods = periods
        self.day_minutes = sum(end - start for start, end in periods)
        self.overrides = dict(overrides or {})
        self.tz = ZoneInfo(tz)
        self._known_years: dict[int, bool] = {}
        # _cum[i]: working minutes from BASE_DAY up to the start of day BASE_DAY + i.
        self._cum: list[int] = [0]
        self._lock = threading.Lock()

    # -- days ---------------------------------------------------------------------------
    def is_workday(self, day: date) -> bool:
        if day in self.overrides:
            return self.overrides[day]
        known = self._known_years.get(day.year)
        if known is None:
            known = self._known_years[day.year] = official_year_known(day.year)
        return chinese_calendar.is_workday(day) if known else rule_is_workday(day)

    def _ensure(self, index: int) -> None:
        if index < len(self._cum) - 1:
            return
        with self._lock:
            cum = self._cum
            day = BASE_DAY + timedelta(days=len(cum) - 1)
            # Extend a year at a time so the table grows rarely.
            target = max(index + 1, len(cum) + 366)
            while len(cum) <= target:
                cum.append(cum[-1] + (self.day_minutes if self.is_workday(day) else 0))
                day += timedelta(days=1)

    # -- clocks ---------------------------------------------------------------------------
    def _local(self, moment: datetime) -> datetime:
        if moment.tzinfo is None:
            raise ValueError("work calendar needs time-zone aware datetimes")
        return moment.astimezone(self.tz)

    def work_clock(self, moment: datetime) -> float:
        """Working minutes from BASE_DAY to ``moment``."""
        local = self._local(moment)
        index = (local.date() - BASE_DAY).days
        if index < 0:
            raise ValueError(f"dates before {BASE_DAY} are not supported")
        self._ensure(index)
        minutes = self._cum[index]
        if self._cum[index + 1] == minutes:
            return float(minutes)
        now = local.hour * 60 + local.minute + local.second / 60 + local.microsecond / 60e6
        for start, end in self.periods:
            if now <= start:
                break
            minutes += min(now, end) - start
        return float(minutes)

    def from_work_clock(self, value: float) -> datetime:
        """The earliest instant whose work clock reads ``value``."""
        if self.day_minutes == 0:
            raise ValueError("no working time in the calendar")
        while self._cum[-1] < value:
            self._ensure(len(self._cum) + 366)
        index = max(bisect.bisect_left(self._cum, value) - 1, 0)
        rest = value - self._cum[index]
        day = BASE_DAY + timedelta(days=index)
        minute = self.periods[-1][1]
        for start, end in self.periods:
            if rest <= end - start:
                minute = start + rest
                break
            rest -= end - start
        midnight = datetime(day.year, day.month, day.day, tzinfo=self.tz)
        return midnight + timedelta(minutes=minute)

    def _clock(self, time_type: str):
        if time_type in (TimeType.WORK_HOURS, TimeType.WORK_DAYS):
            return self.work_clock, self.from_work_clock
        return _continuous, _from_continuous

    @staticmethod
    def limit_minutes(value: float, time_type: str) -> float:
        if value < 0:
            raise ValueError("a time limit cannot be negative")
        return (
            value
            * {
                TimeType.EMERGENCY_HOURS: 60,
                TimeType.WORK_HOURS: 60,
                TimeType.WORK_DAYS: MINUTES_PER_WORK_DAY,
                TimeType.NATURAL_DAYS: 24 * 60,
            }[TimeType(time_type)]
        )

    # -- the two questions ----------------------------------------------------------------
    def deadline(self, start: datetime, value: float, time_type: str) -> datetime:
        clock, inverse = self._clock(time_type)
        remaining = self.limit_minutes(value, time_type)
        if remaining == 0:
            return start
        return inverse(clock(start) + remaining)

    def elapsed_minutes(self, start: datetime, end: datetime, time_type: str) -> float:
        """Minutes on the time type's clock between two instants."""
        if end <= start:
            return 0.0
        clock, _ = self._clock(time_type)
        return clock(end) - clock(start)


def _continuous(moment: datetime) -> float:
    if moment.tzinfo is None:
        raise ValueError("work calendar needs time-zone aware datetimes")
    return moment.timestamp() / 60


def _from_continuous(value: float) -> datetime:
    return datetime.fromtimestamp(value * 60, tz=ZoneInfo(settings.TIME_ZONE))


# -- the process-wide calendar ---------------------------------------------------------------
_cache_lock = threading.Lock()
_calendar: WorkCalendar | None = None
_stamp: tuple | None = None
_checked_at = 0.0


def _override_stamp() -> tuple:
    from .models import CalendarDay

    row = CalendarDay.objects.aggregate(n=models.Count("id"), last=models.Max("updated_at"))
    return (row["n"], row["last"])


def invalidate() -> None:
    global _calendar
    with _cache_lock:
        _calendar = None


def get_calendar() -> WorkCalendar:
    """This process's calendar, reloaded when administrators change a day."""
    global _calendar, _stamp, _checked_at
    now = time.monotonic()
    if _calendar is not None and now - _checked_at < settings.CALENDAR_RECHECK_SECONDS:
        return _calendar
    from .models import CalendarDay

    stamp = _override_stamp()
    with _cache_lock:
        if _calendar is None or stamp != _stamp:
            _calendar = WorkCalendar(
                periods=parse_periods(settings.WORK_PERIODS),
                overrides=dict(CalendarDay.objects.values_list("day", "is_workday")),
                tz=settings.TIME_ZONE,
            )
            _stamp = stamp
        _checked_at = now
        return _calendar


def years_missing_schedule(today: date) -> list[int]:
    """This year and the next, when neither the package nor the office has their schedule."""
    from .models import CalendarDay

    missing = []
    for year in (today.year, today.year + 1):
        if official_year_known(year):
            continue
        if not CalendarDay.objects.filter(day__year=year, is_official_schedule=True).exists():
            missing.append(year)
    return missing
