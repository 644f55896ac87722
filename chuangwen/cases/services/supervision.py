"""Supervision orders (督办单): the overdue sweep, orders by hand, answers, settling."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import connection, transaction

from chuangwen.core import clock
from chuangwen.core.errors import ConflictError, PermissionDeniedError, ServiceError
from chuangwen.core.types import Actor
from chuangwen.core.validation import clean_text
from chuangwen.core.workcalendar import TimeType, get_calendar
from chuangwen.org.choices import Role, UnitKind
from chuangwen.org.models import Unit

from .. import permissions
from ..choices import (
    OPEN_STATUSES,
    Action,
    OverdueLevel,
    Status,
    SupervisionKind,
    SupervisionStatus,
)
from ..models import Case, Supervision
from ._common import (
    MAX_NOTE,
    _for_update,
    _local,
    _locked_case,
    _notify,
    _office_operators,
    _people,
    _record,
    _required_note,
)

# Where a case ends, its open 督办单 end with it, saying why.
SETTLING_STATUSES = {
    Status.CLOSED: "案件已结案",
    Status.MERGED: "案件已合并",
    Status.CANCELLED: "案件已作废",
    Status.INVALID: "案件不予受理",
}


def _settle_orders(case: Case, now: datetime) -> None:
    if case.pk is None:  # a case merged at intake has no orders yet
        return
    Supervision.objects.filter(case=case, status=SupervisionStatus.OPEN).update(
        status=SupervisionStatus.SETTLED,
        settled_at=now,
        settled_reason=SETTLING_STATUSES[case.status],
    )


def _city_office() -> list[Unit]:
    return list(Unit.objects.filter(kind=UnitKind.CITY_OFFICE, is_active=True)[:1])


def superior_of(unit: Unit) -> Unit | None:
    if unit.parent_id:
        return unit.parent
    office = _city_office()
    return office[0] if office and office[0].pk != unit.pk else None


def _issue(
    case: Case,
    *,
    kind: str,
    level: int,
    note: str,
    actor: Actor,
    now: datetime,
    reply_days: int = 1,
) -> Supervision:
    unit = case.unit
    superior = superior_of(unit)
    order = Supervision.objects.create(
        case=case,
        kind=kind,
        level=level,
        unit=unit,
        superior_unit=superior,
        note=note,
        dispatched_at=case.dispatched_at,
        issued_by=actor if getattr(actor, "pk", None) else None,
        issued_at=now,
        reply_due_at=get_calendar().deadline(now, reply_days, TimeType.WORK_DAYS),
    )
    _record(
        case,
        action=Action.SUPERVISE,
        actor=actor,
        now=now,
        from_status=case.status,
        note=note,
        data={"supervision": order.pk, "kind": kind, "level": level, "unit": unit.pk},
    )
    office_copy = superior is not None and superior.kind == UnitKind.CITY_OFFICE
    _notify(
        units=[unit] if office_copy else [unit, superior],
        users=_office_operators() if office_copy else (),
        title=f"{order.get_kind_display()} {case.code}",
        body=f"{unit.name}:{note}",
        case=case,
        kind="case.supervision",
    )
    return order


def supervise_overdue(*, now: datetime | None = None, limit: int = 500) -> int:
    """The worker's sweep: light yellow, then red, and issue exactly one 超时督办 per
    dispatch and step (a case sent back and dispatched again runs a fresh ladder). Each case is its own transaction, so a sweep killed halfway loses nothing
    and the next one carries on; locks skipped by a concurrent sweep are its to handle,
    and the unique constraint makes a second order impossible anyway."""
    now = now or clock.now()
    issued = 0
    ladder = ((OverdueLevel.YELLOW, "yellow_at"), (OverdueLevel.RED, "red_at"))
    for level, moment_field in ladder:
        due = Case.objects.filter(
            status__in=(Status.DISPATCHED, Status.IN_PROGRESS),
            overdue_level__lt=level,
            **{f"{moment_field}__lte": now},
        ).values_list("pk", flat=True)[:limit]
        for case_id in list(due):
            with transaction.atomic():
                queryset = Case.objects.select_related("unit", "category").filter(
                    pk=case_id,
                    overdue_level__lt=level,
                    status__in=(Status.DISPATCHED, Status.IN_PROGRESS),
                )
                if connection.features.has_select_for_update_skip_locked:
                    queryset = queryset.select_for_update(skip_locked=True, of=("self",))
                case = queryset.order_by("pk").first()
                if case is None:
                    continue
                if Supervision.objects.filter(
                    case=case,
                    kind=SupervisionKind.OVERDUE,
                    level=level,
                    dispatched_at=case.dispatched_at,
                ).exists():
                    case.overdue_level = level
                    case.save(update_fields=["overdue_level"])
                    continue
                case.overdue_level = level
                deadline = _local(case.deadline)
                note = (
                    f"案件已超过处置时限({deadline}),请立即处置并回复。"
                    if level == OverdueLevel.YELLOW
                    else f"案件超过处置时限({deadline})已达{int(settings.CASE_RED_RATIO * 100)}%,亮红灯,请单位主要负责人督促办理并说明原因。"
                )
                _issue(
                    case, kind=SupervisionKind.OVERDUE, level=level, note=note, actor=None, now=now
                )
                if level == OverdueLevel.RED:
                    _notify(
                        users=_leaders(),
                        title=f"红灯案件 {case.code}",
                        body=f"{case.unit.name} 的 {case.category.name} 案件严重超时。",
                        case=case,
                        kind="case.red",
                    )
                case.version += 1
                case.save()
                issued += 1
    return issued


def _leaders() -> list:
    return _people(Role.LEADER)


def supervision_issue(
    *, case_id: int, kind: str, note: str, actor: Actor, reply_days: int = 1
) -> Supervision:
    """领导督办 / 重点督办 issued by hand."""
    if kind not in (SupervisionKind.LEADER, SupervisionKind.KEY):
        raise ServiceError("督办类型只能是领导督办或重点督办。", field="kind")
    if not 1 <= int(reply_days) <= 30:
        raise ServiceError("回复期限须在 1 到 30 个工作日之间。", field="reply_days")
    with transaction.atomic():
        case = _locked_case(case_id, actor)
        if not permissions.may(actor, Action.SUPERVISE, case):
            raise PermissionDeniedError("只有领导和创文办可以下发督办单。")
        if case.status not in OPEN_STATUSES or case.unit_id is None:
            raise ConflictError("只能督办已派遣、未办结的案件。")
        text = _required_note(note, "督办要求")
        order = _issue(
            case,
            kind=kind,
            level=case.overdue_level,
            note=text,
            actor=actor,
            now=clock.now(),
            reply_days=int(reply_days),
        )
        case.version += 1
        case.save()
        return order


def supervision_answer(*, supervision_id: int, answer: str, actor: Actor) -> Supervision:
    with transaction.atomic():
        order = (
            _for_update(Supervision.objects.select_related("case"))
            .filter(pk=supervision_id)
            .order_by("pk")
            .first()
        )
        if order is None or (
            actor is not None
            and not Supervision.objects.scoped_for(actor).filter(pk=order.pk).exists()
        ):
            raise ServiceError("督办单不存在。")
        if not permissions.acts_for_unit(actor, order.unit_id) and actor is not None:
            raise PermissionDeniedError("只有被督办单位可以回复督办单。")
        if order.status == SupervisionStatus.SETTLED:
            raise ConflictError(f"该督办单已随案关闭({order.settled_reason}),无需回复。")
        if order.status != SupervisionStatus.OPEN:
            raise ConflictError("该督办单已回复。")
        order.answer = clean_text(
            answer, field="answer", label="回复内容", required=True, limit=MAX_NOTE
        )
        order.answered_by = actor
        order.answered_at = clock.now()
        order.status = SupervisionStatus.ANSWERED
        order.save()
        _record(
            order.case,
            action=Action.ANSWER,
            actor=actor,
            now=order.answered_at,
            from_status=order.case.status,
            note=order.answer,
            data={"supervision": order.pk},
        )
        return order
