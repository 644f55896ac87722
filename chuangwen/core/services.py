"""Writes to the shared mechanisms of the core app."""

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .audit import audit
from .errors import ConflictError, ServiceError
from .models import CalendarDay, OutboxMessage, OutboxStatus
from .scoping import CONFIGURE, require
from .types import Actor
from .xlsx import (
    Batch,
    Column,
    ImportReport,
    Sheet,
    import_rows,
    parse_choice,
    parse_date,
    parse_text,
    unique,
    write_workbook,
)


def _calendar_changed() -> None:
    from . import workcalendar

    transaction.on_commit(workcalendar.invalidate)


def _check_day(day) -> None:
    if not isinstance(day, date):
        raise ServiceError("请填写有效日期。", field="day")
    if not (2000 <= day.year <= 2100):
        raise ServiceError("日期必须在 2000 年至 2100 年之间。", field="day")


def _day_write(
    *, day: date, is_workday: bool, name: str, is_official_schedule: bool
) -> tuple[CalendarDay, dict | None]:
    """Upsert one day inside the caller's transaction; returns the row and what it was."""
    row = CalendarDay.objects.select_for_update().filter(day=day).first()
    before = None if row is None else {"is_workday": row.is_workday, "name": row.name}
    if row is None:
        row = CalendarDay(day=day)
    row.is_workday = bool(is_workday)
    row.name = (name or "").strip()[:40]
    row.is_official_schedule = is_official_schedule
    row.save()
    return row, before


def calendar_day_set(
    *, day: date, is_workday: bool, name: str = "", is_official_schedule: bool = True, actor: Actor
) -> CalendarDay:
    """Record whether ``day`` is a working day; replaces an earlier entry for the day."""
    require(actor, CONFIGURE)
    _check_day(day)
    with transaction.atomic():
        row, before = _day_write(
            day=day, is_workday=is_workday, name=name, is_official_schedule=is_official_schedule
        )
        audit(
            actor=actor,
            action="core.calendar_day_set",
            obj=row,
            summary=f"设定 {day} 为{'工作日' if row.is_workday else '休息日'} {row.name}".strip(),
            data={"before": before, "after": {"is_workday": row.is_workday, "name": row.name}},
        )
        _calendar_changed()
    return row


def calendar_day_clear(*, day: date, actor: Actor) -> None:
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


# -- the yearly schedule as a spreadsheet ------------------------------------------------------
# The words of the State Council's notice and of the usual holiday tables.
DAY_TYPES = {"休息": False, "放假": False, "上班": True, "调休上班": True, "补班": True}
SOURCES = {"国务院安排": True, "本地调整": False}
SCHEDULE_HEADERS = ("日期", "类型", "名称", "来源")


def _schedule_day(value) -> date:
    day = parse_date(value)
    _check_day(day)
    return day


SCHEDULE_COLUMNS = (
    Column("day", "日期", parse=_schedule_day),
    Column("is_workday", "类型", parse=parse_choice(DAY_TYPES)),
    Column("name", "名称", required=False, parse=parse_text(40)),
    Column("official", "来源", required=False, parse=parse_choice(SOURCES)),
)


def calendar_schedule_import(*, upload, actor: Actor, skip_bad_rows: bool = False) -> ImportReport:
    """Enter a year's holiday schedule (国务院办公厅放假安排) from an .xlsx or .csv.

    Days in the file replace earlier entries for the same days; days not in the file are
    left alone. One transaction and one audit row for the whole file.
    """
    require(actor, CONFIGURE)

    def save(batch: Batch) -> tuple[int, int]:
        created = updated = 0
        changes = []
        for row in sorted(batch.rows, key=lambda r: r.values["day"]):
            values = row.values
            official = values["official"]
            day, before = _day_write(
                day=values["day"],
                is_workday=values["is_workday"],
                name=values["name"] or "",
                is_official_schedule=True if official is None else official,
            )
            if before is None:
                created += 1
            else:
                updated += 1
            changes.append(
                {
                    "day": day.day.isoformat(),
                    "before": before,
                    "after": {"is_workday": day.is_workday, "name": day.name},
                }
            )
        years = sorted({row.values["day"].year for row in batch.rows})
        audit(
            actor=actor,
            action="core.calendar_schedule_import",
            object_type=CalendarDay._meta.label_lower,
            object_id=",".join(map(str, years)),
            summary=f"导入{'、'.join(map(str, years))}年放假安排 {len(batch.rows)} 天"
            f"(新增 {created},更新 {updated})",
            data={
                "file": batch.file,
                "created": created,
                "updated": updated,
                "skipped_rows": batch.skipped,
                "changes": changes,
            },
        )
        _calendar_changed()
        return created, updated

    return import_rows(
        upload,
        columns=SCHEDULE_COLUMNS,
        checks=[unique("day", "日期")],
        save=save,
        skip_bad_rows=skip_bad_rows,
    )


def _day_type(day: CalendarDay) -> str:
    weekend = day.day.weekday() >= 5
    if day.is_workday:
        return "调休上班" if weekend else "上班"
    return "休息" if weekend else "放假"


def calendar_schedule_export(*, year: int) -> bytes:
    """The year's entries in the import's own columns, so the file can be edited and
    imported again."""
    days = CalendarDay.objects.filter(day__year=year).order_by("day")
    rows = [
        (d.day, _day_type(d), d.name, "国务院安排" if d.is_official_schedule else "本地调整")
        for d in days
    ]
    return write_workbook([Sheet(f"{year}年放假安排", SCHEDULE_HEADERS, rows)])


def calendar_schedule_template() -> bytes:
    notes = [
        ("每行一天,只填写与平常不同的日子:节假日放假的工作日,以及调休上班的周末。",),
        ("日期:如 2027-10-01 或 2027/10/1,也可以是 Excel 日期格式。",),
        ("类型:“放假”或“休息”表示不上班;“上班”“调休上班”或“补班”表示上班。",),
        ("名称:选填,如 国庆节、调休上班。",),
        ("来源:选填,“国务院安排”(默认)或“本地调整”。",),
        ("文件中没有的日期不会被删除;同一日期在文件中只能出现一次。",),
    ]
    return write_workbook(
        [
            Sheet("放假安排", SCHEDULE_HEADERS, []),
            Sheet("填写说明", ("说明",), notes),
        ]
    )


# -- the outbox's dead letters -------------------------------------------------------------------
def outbox_message_retry(*, message_id: int, actor: Actor) -> OutboxMessage:
    """Give a message that exhausted its attempts (a dead letter) a fresh set, starting
    now. Only the city-wide configuration role (city administrators) may."""
    require(actor, CONFIGURE)
    with transaction.atomic():
        message = OutboxMessage.objects.select_for_update().filter(pk=message_id).first()
        if message is None:
            raise ServiceError(_("消息不存在。"))
        if message.status != OutboxStatus.FAILED:
            raise ConflictError(
                _("该消息当前状态为“%(status)s”,只有投递失败的消息可以重新投递。")
                % {"status": message.get_status_display()}
            )
        attempts, error = message.attempts, message.last_error
        message.status = OutboxStatus.PENDING
        message.attempts = 0
        message.available_at = timezone.now()
        message.claim_token = ""
        message.save(update_fields=["status", "attempts", "available_at", "claim_token"])
        audit(
            actor=actor,
            action="core.outbox_retry",
            obj=message,
            summary=f"重新投递消息 #{message.pk}({message.topic})",
            data={"topic": message.topic, "attempts": attempts, "last_error": error[:500]},
        )
    return message
