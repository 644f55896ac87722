"""Every write to a case: intake, each workflow step, supervision and accountability.

Each step locks the case row, checks state, version and permission, records the time
spent in the stage it closes, writes a ``CaseEvent`` and an outbox row, all in one
transaction. Side effects (mail, SMS, robots) go through the outbox after commit.
"""

from __future__ import annotations

import math
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation
from functools import partial

from django.conf import settings
from django.db import IntegrityError, connection, transaction

from chuangwen.catalog.models import CaseStandard, Category
from chuangwen.core import clock
from chuangwen.core.audit import audit
from chuangwen.core.errors import ConflictError, PermissionDeniedError, ServiceError
from chuangwen.core.scoping import CHANGE, scope_for
from chuangwen.core.validation import clean_text
from chuangwen.core.workcalendar import TimeType, get_calendar
from chuangwen.org.choices import Role, UnitKind
from chuangwen.org.models import Unit
from chuangwen.territory.routing import Chain, locate

from . import permissions, retention
from .choices import (
    OPEN_STATUSES,
    THIRD_PARTY_CHANNELS,
    TRUSTED_CHANNELS,
    AccountabilityKind,
    Action,
    Channel,
    OverdueLevel,
    PhotoKind,
    PostponeStatus,
    Publicity,
    ReopenRequestStatus,
    Satisfaction,
    Stage,
    Status,
    SupervisionKind,
    SupervisionStatus,
)
from .duplicates import find_duplicates
from .models import (
    Accountability,
    Case,
    CaseEvent,
    CasePhoto,
    CaseRating,
    Postponement,
    ReopenRequest,
    SavedView,
    Supervision,
    photo_path,
)
from .selectors import case_for_existing_ticket, case_for_idempotency_key, route_for

CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
MAX_DESCRIPTION = 2000
MAX_NOTE = 1000

# Which field sums each stage's working minutes.
STAGE_FIELD = {
    Stage.ACCEPT: "accept_minutes",
    Stage.DISPATCH: "dispatch_minutes",
    Stage.HANDLE: "handle_minutes",
    Stage.VERIFY: "verify_minutes",
}


POSTPONE_ACTIONS = (Action.POSTPONE, Action.POSTPONE_APPROVE, Action.POSTPONE_REJECT)


class OutsideCityError(ServiceError):
    status_code = 422


class CaseNotFoundError(ServiceError):
    """No such case in the caller's sight. A caller who saw the case a moment ago meets
    this when a step taken meanwhile moved it out of their sight (a send-back takes a
    case away from the unit): for them it is a conflict, not a wrong id."""


# -- helpers -------------------------------------------------------------------------------
def _new_code(moment: datetime) -> str:
    local = moment.astimezone(get_calendar().tz)
    return f"{local:%y%m%d}" + "".join(secrets.choice(CODE_ALPHABET) for _ in range(5))


def new_public_token() -> str:
    # 12 of 32 symbols: 60 bits, beyond guessing, and short enough to read out on a phone.
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(12))


def _coordinates(lat, lng) -> tuple[float, float]:
    try:
        lat, lng = float(lat), float(lng)
    except (TypeError, ValueError):
        raise ServiceError("坐标格式不正确:纬度和经度须为数字。", field="lat") from None
    if not (math.isfinite(lat) and math.isfinite(lng)):
        raise ServiceError("坐标格式不正确:纬度和经度须为有限数字。", field="lat")
    if not -90 <= lat <= 90:
        raise ServiceError("纬度须在 -90 到 90 之间。", field="lat")
    if not -180 <= lng <= 180:
        raise ServiceError("经度须在 -180 到 180 之间。", field="lng")
    return lat, lng


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


def resolve_standard(code: str) -> CaseStandard:
    """A 小类 code (its default standard) or a standard code such as ``B0101-01``."""
    code = (code or "").strip()
    if not code:
        raise ServiceError("请选择案件类别。", field="category")
    standards = CaseStandard.objects.select_related("category").filter(
        is_active=True, category__is_active=True
    )
    if "-" in code:
        standard = standards.filter(code=code).first()
    else:
        standard = standards.filter(category__code=code).order_by("position", "code").first()
    if standard is None:
        if Category.objects.filter(code=code, parent__isnull=True).exists():
            raise ServiceError(f"“{code}”是大类,请选择其下的小类。", field="category")
        raise ServiceError(f"未知的案件类别:{code}", field="category")
    return standard


@dataclass
class Transition:
    """What one workflow step found: the locked case and the moment it happens."""

    case: Case
    action: str
    actor: object
    now: datetime
    from_status: str


def _actor_unit(actor, case: Case) -> int | None:
    """The unit the actor acts for: the case's unit when they belong to it."""
    if actor is None:
        return None
    grants = scope_for(actor).grants
    for grant in grants:
        if grant.unit_id == case.unit_id:
            return grant.unit_id
    return grants[0].unit_id if grants else None


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


def _record(
    case: Case,
    *,
    action: str,
    actor,
    now: datetime,
    from_status: str,
    note: str = "",
    data: dict | None = None,
    actor_unit: int | None = None,
) -> CaseEvent:
    """The step's event row. For a case not yet saved (intake) it waits in
    ``case._pending`` and goes in with one insert once the case has its key."""
    event = CaseEvent(
        case=case,
        action=action,
        from_status=from_status,
        to_status=case.status,
        actor=actor if getattr(actor, "pk", None) else None,
        actor_unit_id=actor_unit,
        note=note,
        data=data or {},
        created_at=now,
    )
    if case.pk is None:
        case.__dict__.setdefault("_pending", []).append(event)
        return event
    event.save()
    return event


def _flush_events(case: Case) -> None:
    events = case.__dict__.pop("_pending", [])
    for event in events:
        event.case = case
    for notice in case.__dict__.pop("_pending_notices", []):
        _send(case, notice)
    CaseEvent.objects.bulk_create(events)


def _attach_photos(case: Case, photo_ids: Sequence[int], *, kind: str, actor) -> list[CasePhoto]:
    if not photo_ids:
        return []
    ids = {int(i) for i in photo_ids}
    photos = list(
        CasePhoto.objects.select_for_update().filter(
            pk__in=ids, case__isnull=True, uploaded_by=actor if actor else None
        )
    )
    if len(photos) != len(ids):
        raise ServiceError("照片不存在、已被使用或不是您上传的。", field="photo_ids")
    for photo in photos:
        photo.case = case
        photo.kind = kind
    CasePhoto.objects.bulk_update(photos, ["case", "kind"])
    return photos


# -- intake --------------------------------------------------------------------------------
@dataclass
class Intake:
    case: Case
    created: bool
    # What the intake already knows, so its answer needs no second trip to the database.
    chain: Chain | None = None
    photos: list[CasePhoto] = field(default_factory=list)


def case_report(
    *,
    category: str,
    description: str,
    lat,
    lng,
    actor,
    address: str = "",
    channel: str | None = None,
    reporter_name: str = "",
    reporter_phone: str = "",
    photo_ids: Sequence[int] = (),
    idempotency_key: str = "",
    external_id: str = "",
    source: str = "",
    client_hash: str = "",
    extra: dict | None = None,
    follow_case_id: int | None = None,
    unit_id: int | None = None,
    vouched: bool = False,
) -> Intake:
    """Take in one report. A repeated ``idempotency_key`` from the same account, or a
    ticket (``source`` + ``external_id``) already taken in, returns the first case
    instead of a second one.

    ``follow_case_id`` is the reporter's answer to "this looks like an existing report":
    the report is kept (with its reporter, for the callback) and merged into that case
    at once, so the reporter follows the original.

    ``unit_id`` names the responsible unit when the reporter knows it (the owner of an
    evaluation point): it replaces the routing rule's suggestion and, on a trusted
    channel, the case is dispatched to it at once.

    ``vouched`` is for services that have checked the reporter's part themselves (the
    evaluation files a failed item for the inspector assigned to the point, observers
    included): the channel is theirs to name, and the report is as trusted as the round."""
    key = clean_text(
        idempotency_key,
        field="idempotency_key",
        label="幂等键",
        required=False,
        limit=80,
        multiline=False,
    )
    existing = case_for_idempotency_key(user=actor, key=key)
    if existing is None:
        existing = case_for_existing_ticket(source=source, external_id=external_id)
    if existing is not None:
        return Intake(existing, False)
    scope = scope_for(actor) if actor is not None else None
    if scope is not None and not scope.superuser and not scope.grants:
        raise PermissionDeniedError("您的账号没有上报案件的权限。")
    standard = resolve_standard(category)
    text = clean_text(
        description, field="description", label="问题描述", required=True, limit=MAX_DESCRIPTION
    )
    address = clean_text(
        address, field="address", label="地址", required=False, limit=200, multiline=False
    )
    reporter_name = clean_text(
        reporter_name,
        field="reporter_name",
        label="上报人姓名",
        required=False,
        limit=40,
        multiline=False,
    )
    reporter_phone = clean_text(
        reporter_phone,
        field="reporter_phone",
        label="上报人电话",
        required=False,
        limit=20,
        multiline=False,
    )
    if reporter_phone and not reporter_phone.replace("-", "").isdigit():
        raise ServiceError("上报人电话只能包含数字和“-”。", field="reporter_phone")
    channel = channel or Channel.FIELD
    if channel not in Channel.values:
        raise ServiceError(f"未知的来源渠道:{channel}", field="channel")
    if not vouched and channel not in permissions.channels_for(actor):
        raise PermissionDeniedError(
            f"您的账号不能以“{Channel(channel).label}”渠道上报案件。", field="channel"
        )
    external_id = clean_text(
        external_id,
        field="external_id",
        label="外部编号",
        required=False,
        limit=60,
        multiline=False,
    )
    lat, lng = _coordinates(lat, lng)
    chain = locate(lng, lat)
    if chain is None or chain.deepest is None:
        raise OutsideCityError("该位置不在本市范围内,请核对坐标。", field="lat")
    deepest = chain.deepest
    if unit_id is not None:
        unit, rule = _active_unit(unit_id, label="责任单位"), None
    else:
        unit, rule = route_for(standard.category, deepest)
    trusted = (
        channel in TRUSTED_CHANNELS
        and actor is not None
        and (vouched or permissions.reports_trusted(actor))
    )
    now = clock.now()
    on_behalf = channel in THIRD_PARTY_CHANNELS
    reporter = None if on_behalf else actor
    if reporter is not None and not reporter_name:
        reporter_name = reporter.full_name or reporter.get_username()
        reporter_phone = reporter_phone or reporter.phone
    original = None
    if follow_case_id is not None:
        original = _followable(standard.category, lat, lng, follow_case_id, now, actor=actor)

    for _attempt in range(5):
        case = Case(
            code=_new_code(now),
            status=Status.REPORTED,
            channel=channel,
            category=standard.category,
            standard=standard,
            description=text,
            address=address,
            lat=lat,
            lng=lng,
            grid_id=chain.grid.id if chain.grid else None,
            community_id=chain.community.id if chain.community else None,
            street_id=chain.street.id if chain.street else None,
            district_id=chain.district.id if chain.district else None,
            territory_path=deepest.path,
            suggested_unit=unit,
            routing_rule=rule,
            reporter=reporter,
            reporter_name=reporter_name,
            reporter_phone=reporter_phone,
            created_by=actor,
            idempotency_key=key if actor is not None else "",
            source=source,
            external_id=external_id,
            public_token=new_public_token(),
            client_hash=client_hash,
            extra=extra or {},
            time_type=standard.time_type,
            time_value=standard.time_value,
            reported_at=now,
        )
        try:
            with transaction.atomic():
                _open_stage(case, now)
                _record(
                    case,
                    action=Action.REPORT,
                    actor=actor,
                    now=now,
                    from_status="",
                    data={"channel": channel, "standard": standard.code},
                    actor_unit=_actor_unit(actor, case),
                )
                if original is not None:
                    _merge_into(
                        case,
                        original,
                        actor=actor,
                        now=now,
                        note="上报人确认为重复问题,跟进已有案件",
                    )
                elif trusted:
                    _register(case, actor=actor, now=now, note="可信渠道上报,自动立案")
                    if unit_id is not None:
                        _dispatch(
                            case, unit=unit, actor=None, now=now, note=f"派遣至责任单位{unit.name}"
                        )
                    elif rule is not None and rule.auto_dispatch:
                        _dispatch(
                            case,
                            unit=unit,
                            actor=None,
                            now=now,
                            note=f"按派遣规则自动派遣至{unit.name}",
                        )
                case.save(force_insert=True)
                _flush_events(case)
                photos = _attach_photos(case, photo_ids, kind=PhotoKind.BEFORE, actor=actor)
                if original is not None:
                    _record_merge_on(original, case, actor=actor, now=now)
        except IntegrityError:
            existing = case_for_idempotency_key(user=actor, key=key) or case_for_existing_ticket(
                source=source, external_id=external_id
            )
            if existing is not None:  # the same submission won a race with this one
                return Intake(existing, False)
            continue  # a tracking code collided: draw another
        return Intake(case, True, chain=chain, photos=photos)
    raise ConflictError("生成案件编号失败,请重试。")


def _move(
    case: Case,
    to_status: str,
    *,
    action: str,
    actor,
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


def _register(case: Case, *, actor, now: datetime, note: str) -> None:
    case.registered_at = now
    _move(case, Status.REGISTERED, action=Action.ACCEPT, actor=actor, now=now, note=note)


def _dispatch(case: Case, *, unit: Unit, actor, now: datetime, note: str, actor_unit=None) -> None:
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


def _local(moment: datetime | None) -> str:
    return moment.astimezone(get_calendar().tz).strftime("%Y-%m-%d %H:%M") if moment else ""


def _notify(
    *,
    units: Iterable[Unit] = (),
    users: Iterable = (),
    title: str,
    body: str,
    case: Case,
    kind: str,
) -> None:
    notice = {
        "units": [u for u in units if u is not None],
        "users": list(users),
        "title": title,
        "body": body,
        "kind": kind,
    }
    if case.pk is None:  # intake: sent once the case has its key
        case.__dict__.setdefault("_pending_notices", []).append(notice)
    else:
        _send(case, notice)


def _send(case: Case, notice: dict) -> None:
    from chuangwen.notifications.services import notify

    notify(url=f"/cases/{case.pk}/", **notice)


# -- the workflow --------------------------------------------------------------------------
def _active_unit(unit_id: int | None, *, label: str) -> Unit:
    if not unit_id:
        raise ServiceError(f"请选择{label}。", field="unit")
    unit = Unit.objects.filter(pk=unit_id, is_active=True).first()
    if unit is None:
        raise ServiceError(f"{label}不存在或已停用。", field="unit")
    return unit


def _for_update(queryset):
    """The rows locked until the transaction ends (SQLite, which locks the whole database
    for a write, leaves the clause out by itself)."""
    return queryset.select_for_update(of=("self",))


def _locked_case(case_id: int, actor) -> Case:
    """The case, row-locked, as far as ``actor`` can see it: outside the caller's scope
    the case does not exist for them."""
    queryset = Case.objects.all() if actor is None else Case.objects.scoped_for(actor)
    queryset = _for_update(queryset.select_related("category", "unit"))
    case = queryset.filter(pk=case_id).order_by("pk").first()
    if case is None:
        raise CaseNotFoundError("案件不存在。")
    return case


def _begin(case_id: int, action: str, actor, version: int | None) -> Transition:
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


def _required_note(note: str, label: str) -> str:
    return clean_text(note, field="note", label=label, required=True, limit=MAX_NOTE)


def _optional_note(note: str) -> str:
    return clean_text(note, field="note", label="意见", required=False, limit=MAX_NOTE)


def case_accept(*, case_id: int, actor, note: str = "", version: int | None = None) -> Case:
    with transaction.atomic():
        t = _begin(case_id, Action.ACCEPT, actor, version)
        _register(t.case, actor=actor, now=t.now, note=_optional_note(note))
        return _finish(t)


def case_reject(*, case_id: int, actor, note: str, version: int | None = None) -> Case:
    with transaction.atomic():
        t = _begin(case_id, Action.REJECT, actor, version)
        return _step(t, Status.INVALID, note=_required_note(note, "不予受理的理由"))


def case_dispatch(
    *, case_id: int, actor, unit_id: int | None = None, note: str = "", version: int | None = None
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


def case_sign(*, case_id: int, actor, note: str = "", version: int | None = None) -> Case:
    with transaction.atomic():
        t = _begin(case_id, Action.SIGN, actor, version)
        t.case.signed_at = t.now
        return _step(t, Status.IN_PROGRESS, note=_optional_note(note))


def case_send_back(*, case_id: int, actor, note: str, version: int | None = None) -> Case:
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
    actor,
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
    *, case_id: int, actor, value, note: str, version: int | None = None
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
    *, case_id: int, actor, approve: bool, note: str = "", version: int | None = None
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
    actor,
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


def case_reopen(*, case_id: int, actor, note: str, version: int | None = None) -> Case:
    with transaction.atomic():
        t = _begin(case_id, Action.REOPEN, actor, version)
        reason = _required_note(note, "重新立案理由")
        return _reopen(t, reason, asked_at=t.now)


def case_cancel(*, case_id: int, actor, note: str, version: int | None = None) -> Case:
    with transaction.atomic():
        t = _begin(case_id, Action.CANCEL, actor, version)
        reason = _required_note(note, "作废理由")
        t.case.overdue_level = OverdueLevel.NONE
        return _step(t, Status.CANCELLED, note=reason)


# -- publication ---------------------------------------------------------------------------
def case_publicity_set(
    *, case_id: int, actor, publicity: str, public_text: str = "", version: int | None = None
) -> Case:
    """The office publishes a case on the public channels, hides it, or leaves it to its
    channel's default, and may write the text the public reads instead of the
    description (redacted all the same)."""
    if not permissions.decides_publicity(actor):
        raise PermissionDeniedError("只有市创文办可以设置案件是否公开。")
    if publicity not in Publicity.values:
        raise ServiceError("公开方式只能是按渠道默认、公开或不公开。", field="publicity")
    text = clean_text(
        public_text, field="public_text", label="公开描述", required=False, limit=MAX_DESCRIPTION
    )
    with transaction.atomic():
        case = _locked_case(case_id, actor)
        if version is not None and int(version) != case.version:
            raise ConflictError("案件已被他人处理,请刷新后重试。")
        before = {"publicity": case.publicity, "public_text": bool(case.public_text)}
        case.publicity, case.public_text = publicity, text
        now = clock.now()
        _record(
            case,
            action=Action.PUBLICITY,
            actor=actor,
            now=now,
            from_status=case.status,
            note=text,
            data={"publicity": publicity, "before": before["publicity"]},
            actor_unit=_actor_unit(actor, case),
        )
        audit(
            actor=actor,
            action="cases.publicity",
            obj=case,
            summary=f"案件 {case.code} 公开方式:{Publicity(publicity).label}",
            data={"publicity": publicity, "public_text": bool(text), "before": before},
        )
        case.version += 1
        case.save()
        return case


# -- duplicates ----------------------------------------------------------------------------
def _followable(
    category: Category, lat: float, lng: float, case_id, now: datetime, *, actor
) -> Case:
    """The open case a reporter chose to follow, if it is one of the duplicates offered:
    for an account, only among the cases it may see."""
    try:
        case_id = int(case_id)
    except (TypeError, ValueError, OverflowError):
        raise ServiceError("要跟进的案件编号不正确。", field="follow_case_id") from None
    within = Case.objects.scoped_for(actor) if actor is not None else None
    nearby = find_duplicates(category=category, lat=lat, lng=lng, now=now, limit=100, within=within)
    if case_id not in {c.id for c in nearby}:
        raise ServiceError("所选案件不是附近的同类在办案件,不能跟进。", field="follow_case_id")
    return Case.objects.get(pk=case_id)


def _merge_into(case: Case, original: Case, *, actor, now: datetime, note: str) -> None:
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


def _record_merge_on(original: Case, duplicate: Case, *, actor, now: datetime, note: str = ""):
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


def case_merge(*, case_id: int, into_id, actor, note: str = "", version: int | None = None) -> Case:
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


# -- the public's rating and reopening -------------------------------------------------------
def _public_case(token: str) -> Case:
    token = (token or "").strip().upper()
    case = None
    if token:
        queryset = _for_update(Case.objects.select_related("duplicate_of"))
        case = queryset.filter(public_token=token).order_by("pk").first()
    if case is None:
        raise ServiceError("查询码不正确,未找到对应的案件。", field="token")
    return case


def handled_case(case: Case) -> Case:
    """The case whose handling a reporter sees: the original, when theirs was merged."""
    return case.duplicate_of if case.status == Status.MERGED and case.duplicate_of_id else case


def case_rate(*, token: str, rating: str, comment: str = "") -> CaseRating:
    """The reporter's 回访 rating, once, after the case (or its original) is closed."""
    if rating not in Satisfaction.values:
        raise ServiceError("请选择满意、基本满意或不满意。", field="rating")
    comment = clean_text(comment, field="comment", label="评价意见", required=False, limit=500)
    with transaction.atomic():
        case = _public_case(token)
        target = handled_case(case)
        if target.status != Status.CLOSED:
            raise ConflictError("案件办结后才能评价。")
        if CaseRating.objects.filter(case=case).exists():
            raise ConflictError("该案件已经评价过,不能重复评价。")
        now = clock.now()
        row = CaseRating.objects.create(
            case=case,
            handled_case=target,
            unit_id=target.unit_id,
            category_id=target.category_id,
            territory_path=target.territory_path,
            rating=rating,
            comment=comment,
            created_at=now,
        )
        _record(
            case,
            action=Action.RATE,
            actor=None,
            now=now,
            from_status=case.status,
            note=comment,
            data={"rating": rating},
        )
        return row


def reopen_request_submit(*, token: str, reason: str) -> ReopenRequest:
    """A dissatisfied reporter asks, within the reopen window, for the case to be handled
    again; the request waits for an operator's review."""
    reason = clean_text(reason, field="reason", label="申请理由", required=True, limit=500)
    with transaction.atomic():
        case = _public_case(token)
        target = handled_case(case)
        rating = CaseRating.objects.filter(case=case).first()
        if rating is None or rating.rating != Satisfaction.DISSATISFIED:
            raise ConflictError("请先评价为“不满意”,再申请重新办理。")
        if target.status != Status.CLOSED:
            raise ConflictError("案件当前不是已结案状态,不能申请重新办理。")
        now = clock.now()
        if target.closed_at and now - target.closed_at > timedelta(days=settings.CASE_REOPEN_DAYS):
            raise ConflictError(f"结案已超过 {settings.CASE_REOPEN_DAYS} 天,不能申请重新办理。")
        if ReopenRequest.objects.filter(case=case).exists():
            raise ConflictError("已经提交过重新办理申请,请等待审核结果。")
        request = ReopenRequest.objects.create(
            case=case, target=target, reason=reason, requested_at=now
        )
        _record(
            case,
            action=Action.REOPEN_REQUEST,
            actor=None,
            now=now,
            from_status=case.status,
            note=reason,
            data={"request_id": request.pk, "target": target.code},
        )
        _notify(
            users=_office_operators(),
            title=f"市民申请重新办理 {target.code}",
            body=f"{target.category.name}:{reason[:80]}",
            case=target,
            kind="case.reopen_request",
        )
        return request


def reopen_request_decide(
    *, request_id: int, approve: bool, actor, note: str = ""
) -> ReopenRequest:
    """An operator's review: approval reopens the case (registered again, back to
    dispatch); a refusal needs a reason, which the reporter sees."""
    with transaction.atomic():
        queryset = _for_update(ReopenRequest.objects.scoped_for(actor, CHANGE))
        request = queryset.filter(pk=request_id).select_related("case", "target").first()
        if request is None:
            raise ServiceError("重新办理申请不存在。")
        if request.status != ReopenRequestStatus.PENDING:
            raise ConflictError("该申请已经审核过。")
        if approve:
            reason = _optional_note(note) or f"市民不满意申请重新办理:{request.reason}"
            t = _begin(request.target_id, Action.REOPEN, actor, None)
            _reopen(t, reason, asked_at=request.requested_at)
            request.status = ReopenRequestStatus.APPROVED
        else:
            reason = _required_note(note, "驳回理由")
            case = request.case
            if not permissions.operates(actor, request.target.territory_path):
                raise PermissionDeniedError("您没有权限审核该申请。")
            _record(
                case,
                action=Action.REOPEN_REFUSE,
                actor=actor,
                now=clock.now(),
                from_status=case.status,
                note=reason,
                data={"request_id": request.pk},
                actor_unit=_actor_unit(actor, case),
            )
            request.status = ReopenRequestStatus.REFUSED
        request.decided_by = actor
        request.decided_at = clock.now()
        request.decision_note = reason
        request.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
        audit(
            actor=actor,
            action="cases.reopen_request_decide",
            obj=request,
            summary=f"{'批准' if approve else '驳回'}重新办理申请 {request.target.code}",
            data={"approve": approve},
        )
        return request


def case_transition(
    *,
    case_id: int,
    action: str,
    actor,
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


# -- photos --------------------------------------------------------------------------------
def photo_upload(
    *, upload, actor, case_id: int | None = None, kind: str = PhotoKind.BEFORE
) -> CasePhoto:
    """Store one checked picture (EXIF stripped). Without a case it waits, owned by its
    uploader, to be attached by the report or step that names it."""
    from django.core.files.base import ContentFile

    from chuangwen.core.images import clean_photo

    if kind not in PhotoKind.values:
        raise ServiceError(f"未知的照片类型:{kind}", field="kind")
    scope = scope_for(actor) if actor is not None else None
    if scope is not None and not scope.superuser and not scope.grants:
        raise PermissionDeniedError("您的账号没有上传照片的权限。")
    photo = clean_photo(upload)
    with transaction.atomic():
        case = None
        if case_id is not None:
            case = (
                Case.objects.scoped_for(actor).filter(pk=case_id).order_by("pk").first()
                if actor
                else Case.objects.filter(pk=case_id).order_by("pk").first()
            )
            if case is None:
                raise ServiceError("案件不存在。")
            if not permissions.may_add_photo(actor, kind, case):
                raise PermissionDeniedError(
                    f"您没有权限为该案件上传“{PhotoKind(kind).label}”照片。"
                )
            if not case.is_open:
                raise ConflictError("案件已办结,不能再上传照片。")
        row = CasePhoto(
            case=case,
            kind=kind,
            width=photo.width,
            height=photo.height,
            sha256=photo.sha256,
            taken_at=photo.taken_at,
            gps_lat=photo.gps_lat,
            gps_lng=photo.gps_lng,
            uploaded_by=actor,
            created_at=clock.now(),
        )
        name = photo_path(row, f"photo.{photo.extension}")
        if row.image.storage.exists(name):
            row.image.name = name
        else:
            row.image.save(name.rsplit("/", 1)[-1], ContentFile(photo.content), save=False)
        row.save()
        # The stored file may be shared with an old unused upload that the retention job
        # is removing right now: once this row is committed, the file must be there.
        transaction.on_commit(partial(retention.keep_stored, row.image.name, photo.content))
        audit(
            actor=actor,
            action="cases.photo_upload",
            obj=row,
            summary=f"案件 {case.code} 上传照片" if case else "上传照片(待关联案件)",
            data={"sha256": photo.sha256, "kind": kind},
        )
    return row


# -- supervision and accountability ----------------------------------------------------------
def _people(role: str, *, unit_kind: str | None = None) -> list:
    """Active holders of a role (in units of one kind): who a notice is for."""
    from chuangwen.org.models import Membership

    rows = Membership.objects.filter(role=role, is_active=True, user__is_active=True)
    if unit_kind:
        rows = rows.filter(unit__kind=unit_kind)
    return [m.user for m in rows.select_related("user")]


def _office_operators() -> list:
    # The city office's operators act on what lands there; its observers and inspectors
    # are members too, and are not the ones to tell.
    return _people(Role.CITY_OPERATOR, unit_kind=UnitKind.CITY_OFFICE)


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
    actor,
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
    *, case_id: int, kind: str, note: str, actor, reply_days: int = 1
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


def supervision_answer(*, supervision_id: int, answer: str, actor) -> Supervision:
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


def accountability_record(
    *,
    kind: str,
    reason: str,
    actor,
    unit_id: int | None = None,
    case_id: int | None = None,
    supervision_id: int | None = None,
    person_name: str = "",
    points=0,
) -> Accountability:
    """问责: decided by the city office about a unit (and possibly a person); for a case,
    the unit defaults to the case's responsible unit."""
    if not permissions.holds_accountable(actor):
        raise PermissionDeniedError("只有创文办可以记录问责。")
    if kind not in AccountabilityKind.values:
        raise ServiceError(f"未知的问责方式:{kind}", field="kind")
    try:
        points = Decimal(str(points or 0))
    except InvalidOperation:
        raise ServiceError("扣分须为数字。", field="points") from None
    if points < 0 or points > 100:
        raise ServiceError("扣分须在 0 到 100 之间。", field="points")
    text = clean_text(reason, field="reason", label="问责事由", required=True, limit=MAX_NOTE)
    with transaction.atomic():
        case = _locked_case(case_id, actor) if case_id else None
        unit = _active_unit(unit_id or (case.unit_id if case else None), label="问责单位")
        supervision = (
            Supervision.objects.filter(pk=supervision_id).order_by("pk").first()
            if supervision_id
            else None
        )
        if supervision_id and supervision is None:
            raise ServiceError("督办单不存在。", field="supervision")
        now = clock.now()
        record = Accountability.objects.create(
            case=case,
            supervision=supervision,
            unit=unit,
            person_name=clean_text(
                person_name, field="person_name", label="问责对象", required=False, limit=40
            ),
            kind=kind,
            points=points,
            reason=text,
            decided_by=actor,
            decided_at=now,
        )
        audit(
            actor=actor,
            action="cases.accountability",
            obj=record,
            summary=f"{unit.name} {record.get_kind_display()}",
        )
        if case is not None:
            _record(
                case,
                action=Action.ACCOUNTABILITY,
                actor=actor,
                now=now,
                from_status=case.status,
                note=text,
                data={
                    "accountability": record.pk,
                    "kind": kind,
                    "unit": unit.pk,
                    "points": str(points),
                },
            )
            _notify(
                units=[unit],
                title=f"问责通知:{record.get_kind_display()}",
                body=text,
                case=case,
                kind="case.accountability",
            )
        return record


# -- saved views ---------------------------------------------------------------------------
def saved_view_save(*, user, name: str, query: str) -> SavedView:
    name = clean_text(name, field="name", label="名称", required=True, limit=40)
    query = (query or "").lstrip("?")[:1000]
    view, _ = SavedView.objects.update_or_create(user=user, name=name, defaults={"query": query})
    return view


def saved_view_delete(*, user, view_id: int) -> None:
    deleted, _ = SavedView.objects.filter(user=user, pk=view_id).delete()
    if not deleted:
        raise ServiceError("筛选不存在。")
