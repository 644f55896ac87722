"""Workflow steps of a case, from acceptance to closing or merging, and the stage clock."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.db import transaction

from chuangwen.core import clock
from chuangwen.core.errors import ConflictError, PermissionDeniedError, ServiceError
from chuangwen.core.types import Actor
from chuangwen.core.workcalendar import TimeType, get_calendar
from chuangwen.org.models import Unit

from .. import permissions
from ..choices import OPEN_STATUSES, Action, OverdueLevel, PhotoKind, PostponeStatus, Stage, Status
from ..models import Case, Postponement
from ._common import (
    _active_unit,
    _actor_unit,
    _local,
    _locked_case,
    _notify,
    _office_operators,
    _optional_note,
    _record,
    _required_note,
)
from .photos import _attach_photos
from .supervision import SETTLING_STATUSES, _settle_orders

# Which field sums each stage's working minutes.
STAGE_FIELD = {
    Stage.ACCEPT: "accept_minutes",
    Stage.DISPATCH: "dispatch_minutes",
    Stage.HANDLE: "handle_minutes",
    Stage.VERIFY: "verify_minutes",
}


POSTPONE_ACTIONS = (Action.POSTPONE, Action.POSTPONE_APPROVE, Action.POSTPONE_REJECT)


def _decimal(value, *, field: str, label: str) -> Decimal:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, TypeError, ValueError):
        raise ServiceError(f"{label}须为数字。", field=field) from None
    if not number.is_finite() or number <= 0 or number > 1000:
        raise ServiceError(f"{label}须大于 0 且不超过 1000。", field=field)
    return number.quantize(Decimal("0.1"))


def stage_limit(stage: str) -> tuple[float, str]:
    value, time_type = settings.CASE_STAGE_LIMITS[stage].split()
    return float(value), TimeType(time_type)


@dataclass
class Transition:
    """What one workflow step found: the locked case and the moment it happens."""

    case: Case
    action: str
    actor: Actor
    now: datetime
    from_status: str


def _close_stage(case: Case, now: datetime) -> None:
    if case.stage and case.stage_started_at:
        minutes = get_calendar().elapsed_minutes(case.stage_started_at, now, TimeType.WORK_HOURS)
        name = STAGE_FIELD[case.stage]
        setattr(case, name, getattr(case, name) + minutes)


def _open_stage(case: Case, now: datetime) -> None:
    stage = case.stage
    case.stage_started_at = now if stage else None
    if not stage:
        case.stage_deadline = None
    elif stage == Stage.HANDLE:
        case.stage_deadline = case.deadline
    else:
        value, time_type = stage_limit(stage)
        case.stage_deadline = get_calendar().deadline(now, value, time_type)


def _set_deadline(case: Case) -> None:
    """Handling deadline from dispatch, and the supervision ladder's two thresholds."""
    calendar = get_calendar()
    limit = float(case.time_value + case.extension_value)
    start = case.dispatched_at
    case.deadline = calendar.deadline(start, limit, case.time_type)
    case.yellow_at = calendar.deadline(start, limit * settings.CASE_YELLOW_RATIO, case.time_type)
    case.red_at = calendar.deadline(start, limit * settings.CASE_RED_RATIO, case.time_type)


def _clear_deadline(case: Case) -> None:
    case.deadline = case.yellow_at = case.red_at = None
    case.overdue_level = OverdueLevel.NONE


def _move(
    case: Case,
    to_status: str,
    *,
    action: str,
    actor: Actor,
    now: datetime,
    note: str = "",
    data: dict | None = None,
    actor_unit: int | None = None,
) -> None:
    """One step: the time of the stage it closes, the new state, the next stage's clock
    and the event row. Fields the step changes besides the state are set before."""
    from_status = case.status
    _close_stage(case, now)
    case.status = to_status
    _open_stage(case, now)
    if to_status in SETTLING_STATUSES:
        _settle_orders(case, now)
    _record(
        case,
        action=action,
        actor=actor,
        now=now,
        from_status=from_status,
        note=note,
        data=data,
        actor_unit=actor_unit if actor_unit is not None else _actor_unit(actor, case),
    )


def _register(case: Case, *, actor: Actor, now: datetime, note: str) -> None:
    case.registered_at = now
    _move(case, Status.REGISTERED, action=Action.ACCEPT, actor=actor, now=now, note=note)


def _dispatch(
    case: Case, *, unit: Unit, actor: Actor, now: datetime, note: str, actor_unit=None
) -> None:
    case.unit = unit
    case.dispatched_at = now
    case.signed_at = case.handled_at = None
    case.overdue_level = OverdueLevel.NONE
    _set_deadline(case)
    _move(
        case,
        Status.DISPATCHED,
        action=Action.DISPATCH,
        actor=actor,
        now=now,
        note=note,
        data={"unit": unit.pk, "unit_name": unit.name, "deadline": case.deadline.isoformat()},
        actor_unit=actor_unit,
    )
    _notify(
        units=[unit],
        title=f"新派遣案件 {case.code}",
        body=f"{case.category.name}:{case.description[:60]}。处置时限 {_local(case.deadline)}。",
        case=case,
        kind="case.dispatched",
    )


def _begin(case_id: int, action: str, actor: Actor, version: int | None) -> Transition:
    case = _locked_case(case_id, actor)
    if version is not None and int(version) != case.version:
        raise ConflictError("案件已被他人处理,请刷新后重试。")
    pending = (
        action in POSTPONE_ACTIONS
        and case.postponements.filter(status=PostponeStatus.PENDING).exists()
    )
    if not permissions.state_allows(action, case, pending_postponement=pending):
        raise ConflictError(
            f"案件当前状态为“{case.get_status_display()}”,不能执行“{Action(action).label}”。"
        )
    if not permissions.may(actor, action, case):
        raise PermissionDeniedError("您没有权限对该案件执行此操作。")
    return Transition(
        case=case, action=action, actor=actor, now=clock.now(), from_status=case.status
    )


def _finish(t: Transition) -> Case:
    t.case.version += 1
    t.case.save()
    return t.case


def _step(t: Transition, to_status: str, *, note: str = "", data: dict | None = None) -> Case:
    _move(t.case, to_status, action=t.action, actor=t.actor, now=t.now, note=note, data=data)
    return _finish(t)


def case_accept(*, case_id: int, actor: Actor, note: str = "", version: int | None = None) -> Case:
    with transaction.atomic():
        t = _begin(case_id, Action.ACCEPT, actor, version)
        _register(t.case, actor=actor, now=t.now, note=_optional_note(note))
        return _finish(t)


def case_reject(*, case_id: int, actor: Actor, note: str, version: int | None = None) -> Case:
    with transaction.atomic():
        t = _begin(case_id, Action.REJECT, actor, version)
        return _step(t, Status.INVALID, note=_required_note(note, "不予受理的理由"))


def case_dispatch(
    *,
    case_id: int,
    actor: Actor,
    unit_id: int | None = None,
    note: str = "",
    version: int | None = None,
) -> Case:
    with transaction.atomic():
        t = _begin(case_id, Action.DISPATCH, actor, version)
        unit = _active_unit(unit_id or t.case.suggested_unit_id, label="责任单位")
        _dispatch(
            t.case,
            unit=unit,
            actor=actor,
            now=t.now,
            note=_optional_note(note),
            actor_unit=_actor_unit(actor, t.case),
        )
        return _finish(t)


def case_sign(*, case_id: int, actor: Actor, note: str = "", version: int | None = None) -> Case:
    with transaction.atomic():
        t = _begin(case_id, Action.SIGN, actor, version)
        t.case.signed_at = t.now
        return _step(t, Status.IN_PROGRESS, note=_optional_note(note))


def case_send_back(*, case_id: int, actor: Actor, note: str, version: int | None = None) -> Case:
    """回退: "not ours". The dispatch's deadline lapses; the operator dispatches again."""
    with transaction.atomic():
        t = _begin(case_id, Action.SEND_BACK, actor, version)
        reason = _required_note(note, "回退理由")
        unit = t.case.unit
        t.case.send_back_count += 1
        t.case.suggested_unit = None
        t.case.unit = None
        t.case.dispatched_at = None
        _clear_deadline(t.case)
        t.case.stage_deadline = None
        case = _step(
            t, Status.REGISTERED, note=reason, data={"unit": unit.pk, "unit_name": unit.name}
        )
        _notify(
            users=_office_operators(),
            title=f"案件被回退 {case.code}",
            body=f"{unit.name}回退:{reason}",
            case=case,
            kind="case.sent_back",
        )
        return case


def case_finish(
    *,
    case_id: int,
    actor: Actor,
    note: str = "",
    photo_ids: Sequence[int] = (),
    version: int | None = None,
) -> Case:
    with transaction.atomic():
        t = _begin(case_id, Action.FINISH, actor, version)
        _attach_photos(t.case, photo_ids, kind=PhotoKind.AFTER, actor=actor)
        if not t.case.photos.filter(kind=PhotoKind.AFTER).exists():
            raise ServiceError("请上传处置后的照片。", field="photo_ids")
        t.case.handled_at = t.now
        return _step(t, Status.HANDLED, note=_optional_note(note), data={"photos": list(photo_ids)})


def case_postpone(
    *, case_id: int, actor: Actor, value, note: str, version: int | None = None
) -> Postponement:
    """延期申请 by the unit; the deadline only moves when an operator approves."""
    with transaction.atomic():
        t = _begin(case_id, Action.POSTPONE, actor, version)
        amount = _decimal(value, field="value", label="延长时限")
        reason = _required_note(note, "延期理由")
        request = Postponement.objects.create(
            case=t.case, value=amount, reason=reason, requested_by=actor, requested_at=t.now
        )
        _record(
            t.case,
            action=t.action,
            actor=actor,
            now=t.now,
            from_status=t.from_status,
            note=reason,
            data={"value": str(amount), "time_type": t.case.time_type, "postponement": request.pk},
            actor_unit=_actor_unit(actor, t.case),
        )
        _finish(t)
        return request


def case_postpone_decide(
    *, case_id: int, actor: Actor, approve: bool, note: str = "", version: int | None = None
) -> Case:
    action = Action.POSTPONE_APPROVE if approve else Action.POSTPONE_REJECT
    with transaction.atomic():
        t = _begin(case_id, action, actor, version)
        request = t.case.postponements.select_for_update().get(status=PostponeStatus.PENDING)
        note = _optional_note(note) if approve else _required_note(note, "驳回理由")
        request.status = PostponeStatus.APPROVED if approve else PostponeStatus.REJECTED
        request.decided_by = actor
        request.decided_at = t.now
        request.decision_note = note
        request.save()
        data = {"postponement": request.pk, "value": str(request.value)}
        if approve:
            t.case.extension_value += request.value
            t.case.postpone_count += 1
            old = t.case.deadline
            _set_deadline(t.case)
            if t.case.stage == Stage.HANDLE:
                t.case.stage_deadline = t.case.deadline
            # A deadline moved past now takes the light back off.
            level = OverdueLevel.NONE
            if t.case.yellow_at and t.case.yellow_at <= t.now:
                level = OverdueLevel.YELLOW
            if t.case.red_at and t.case.red_at <= t.now:
                level = OverdueLevel.RED
            t.case.overdue_level = min(t.case.overdue_level, level)
            data.update(
                old_deadline=old.isoformat() if old else None, deadline=t.case.deadline.isoformat()
            )
        _record(
            t.case,
            action=action,
            actor=actor,
            now=t.now,
            from_status=t.from_status,
            note=note,
            data=data,
            actor_unit=_actor_unit(actor, t.case),
        )
        case = _finish(t)
        _notify(
            units=[case.unit],
            title=f"延期申请{'已批准' if approve else '被驳回'} {case.code}",
            body=(f"新的处置时限 {_local(case.deadline)}。" if approve else note),
            case=case,
            kind="case.postponement",
        )
        return case


def case_verify(
    *,
    case_id: int,
    actor: Actor,
    ok: bool,
    note: str = "",
    photo_ids: Sequence[int] = (),
    version: int | None = None,
) -> Case:
    action = Action.VERIFY_OK if ok else Action.VERIFY_FAIL
    with transaction.atomic():
        t = _begin(case_id, action, actor, version)
        _attach_photos(t.case, photo_ids, kind=PhotoKind.VERIFY, actor=actor)
        # Read before the step opens the next stage and replaces the verify limit: the
        # assessment's 按时核实率 counts these flags.
        deadline = t.case.stage_deadline
        on_time = deadline is None or t.now <= deadline
        if ok:
            t.case.closed_at = t.now
            t.case.closed_on_time = bool(t.case.deadline and t.case.handled_at <= t.case.deadline)
            return _step(t, Status.CLOSED, note=_optional_note(note), data={"on_time": on_time})
        reason = _required_note(note, "核查不通过的理由")
        t.case.rework_count += 1
        t.case.handled_at = None
        case = _step(
            t,
            Status.IN_PROGRESS,
            note=reason,
            data={"rework": t.case.rework_count, "on_time": on_time},
        )
        _notify(
            units=[case.unit],
            title=f"案件返工 {case.code}",
            body=f"核查未通过:{reason}",
            case=case,
            kind="case.rework",
        )
        return case


def _reopen(t: Transition, reason: str, *, asked_at: datetime) -> Case:
    limit = timedelta(days=settings.CASE_REOPEN_DAYS)
    if t.case.closed_at and asked_at - t.case.closed_at > limit:
        raise ConflictError(f"结案已超过 {settings.CASE_REOPEN_DAYS} 天,不能重新立案。")
    t.case.reopen_count += 1
    t.case.suggested_unit = t.case.unit
    t.case.unit = None
    t.case.closed_at = t.case.closed_on_time = None
    t.case.dispatched_at = t.case.signed_at = t.case.handled_at = None
    t.case.registered_at = t.now
    _clear_deadline(t.case)
    return _step(t, Status.REGISTERED, note=reason)


def case_reopen(*, case_id: int, actor: Actor, note: str, version: int | None = None) -> Case:
    with transaction.atomic():
        t = _begin(case_id, Action.REOPEN, actor, version)
        reason = _required_note(note, "重新立案理由")
        return _reopen(t, reason, asked_at=t.now)


def case_cancel(*, case_id: int, actor: Actor, note: str, version: int | None = None) -> Case:
    with transaction.atomic():
        t = _begin(case_id, Action.CANCEL, actor, version)
        reason = _required_note(note, "作废理由")
        t.case.overdue_level = OverdueLevel.NONE
        return _step(t, Status.CANCELLED, note=reason)


# -- duplicates ----------------------------------------------------------------------------
def _merge_into(case: Case, original: Case, *, actor: Actor, now: datetime, note: str) -> None:
    """Close ``case`` as a duplicate of ``original``; its reporter follows the original."""
    case.duplicate_of = original
    case.closed_at = now
    case.overdue_level = OverdueLevel.NONE
    _move(
        case,
        Status.MERGED,
        action=Action.MERGE,
        actor=actor,
        now=now,
        note=note,
        data={"into": original.code, "into_id": original.pk},
    )


def _record_merge_on(
    original: Case, duplicate: Case, *, actor: Actor, now: datetime, note: str = ""
):
    """The original's own history names the report merged into it."""
    _record(
        original,
        action=Action.MERGE,
        actor=actor,
        now=now,
        from_status=original.status,
        note=note or f"合并重复案件 {duplicate.code}",
        data={"from": duplicate.code, "from_id": duplicate.pk},
        actor_unit=_actor_unit(actor, original),
    )


def case_merge(
    *, case_id: int, into_id, actor: Actor, note: str = "", version: int | None = None
) -> Case:
    """An operator merges a duplicate into the case that goes on: the duplicate closes
    with a link, and both histories record it."""
    try:
        into_id = int(into_id)
    except (TypeError, ValueError):
        raise ServiceError("请选择要合并到的案件。", field="into_id") from None
    if into_id == int(case_id):
        raise ServiceError("不能把案件合并到它自己。", field="into_id")
    with transaction.atomic():
        # Both rows locked, always in key order, so two crossed merges cannot deadlock.
        first, second = sorted((int(case_id), into_id))
        locked = {pk: _locked_case(pk, actor) for pk in (first, second)}
        t = _begin(case_id, Action.MERGE, actor, version)
        original = locked[into_id]
        if original.status not in OPEN_STATUSES:
            raise ConflictError(
                f"案件 {original.code} 状态为“{original.get_status_display()}”,只能合并到在办案件。"
            )
        if original.duplicate_of_id:
            raise ConflictError(f"案件 {original.code} 本身已合并,请合并到原案件。")
        if not permissions.may(actor, Action.MERGE, original):
            raise PermissionDeniedError("您没有权限操作要合并到的案件。")
        reason = _optional_note(note)
        _merge_into(t.case, original, actor=actor, now=t.now, note=reason)
        # Reports already merged into the duplicate now follow the original directly.
        Case.objects.filter(duplicate_of=t.case).update(duplicate_of=original)
        _record_merge_on(original, t.case, actor=actor, now=t.now)
        original.version += 1
        original.save(update_fields=["version", "updated_at"])
        return _finish(t)


def case_transition(
    *,
    case_id: int,
    action: str,
    actor: Actor,
    note: str = "",
    version: int | None = None,
    unit_id: int | None = None,
    value=None,
    photo_ids: Sequence[int] = (),
    into_id: int | None = None,
) -> Case:
    """The API's single entry: one named action, routed to its service."""
    common = {"case_id": case_id, "actor": actor, "note": note, "version": version}
    simple = {
        Action.ACCEPT: case_accept,
        Action.REJECT: case_reject,
        Action.SIGN: case_sign,
        Action.SEND_BACK: case_send_back,
        Action.REOPEN: case_reopen,
        Action.CANCEL: case_cancel,
    }
    if action in simple:
        return simple[action](**common)
    if action == Action.DISPATCH:
        return case_dispatch(unit_id=unit_id, **common)
    if action == Action.FINISH:
        return case_finish(photo_ids=photo_ids, **common)
    if action == Action.MERGE:
        return case_merge(into_id=into_id, **common)
    if action == Action.POSTPONE:
        case_postpone(value=value, **common)
        return Case.objects.get(pk=case_id)
    if action in (Action.POSTPONE_APPROVE, Action.POSTPONE_REJECT):
        return case_postpone_decide(approve=action == Action.POSTPONE_APPROVE, **common)
    if action in (Action.VERIFY_OK, Action.VERIFY_FAIL):
        return case_verify(ok=action == Action.VERIFY_OK, photo_ids=photo_ids, **common)
    names = "、".join(permissions.WORKFLOW_ACTIONS)
    raise ServiceError(f"未知的操作:{action}。可用的操作:{names}", field="action")
