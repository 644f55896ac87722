"""Writes to the shared mechanisms of the core app."""

from datetime import date

from django.db import transaction

from .audit import audit
from .errors import ServiceError
from .models import CalendarDay
from .scoping import CONFIGURE, require


def _calendar_changed() -> None:
    from . import workcalendar

    transaction.on_commit(workcalendar.invalidate)


def calendar_day_set(
    *, day: date, is_workday: bool, name: str = "", is_official_schedule: bool = True, actor
) -> CalendarDay:
    """Record whether ``day`` is a working day; replaces an earlier entry for the day."""
    require(actor, CONFIGURE)
    if not isinstance(day, date):
        raise ServiceError("请填写有效日期。", field="day")
    if not (2000 <= day.year <= 2100):
        raise ServiceError("日期必须在 2000 年至 2100 年之间。", field="day")
    with transaction.atomic():
        row = CalendarDay.objects.select_for_update().filter(day=day).first()
        before = None if row is None else {"is_workday": row.is_workday, "name": row.name}
        if row is None:
            row = CalendarDay(day=day)
        row.is_workday = bool(is_workday)
        row.name = (name or "").strip()[:40]
        row.is_official_schedule = is_official_schedule
        row.save()
        audit(
            actor=actor,
            action="core.calendar_day_set",
            obj=row,
            summary=f"设定 {day} 为{'工作日' if row.is_workday else '休息日'} {row.name}".strip(),
            data={"before": before, "after": {"is_workday": row.is_workday, "name": row.name}},
        )
        _calendar_changed()
    return row


def calendar_day_clear(*, day: date, actor) -> None:
    require(actor, CONFIGURE)
    with transaction.atomic():
        row = CalendarDay.objects.select_for_update().filter(day=day).first()
        if row is None:
            raise ServiceError(f"{day} 没有调整记录。", field="day")
        audit(
            actor=actor, action="core.calendar_day_clear", obj=row, summary=f"撤销 {day} 的日历调整"
        )
        row.delete()
        _calendar_changed()
