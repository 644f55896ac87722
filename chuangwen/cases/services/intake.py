"""Taking in a report: checked, placed, routed, and moved on at once where its channel allows."""

from __future__ import annotations

import math
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from django.db import IntegrityError, transaction

from chuangwen.catalog.models import CaseStandard, Category
from chuangwen.core import clock
from chuangwen.core.errors import ConflictError, PermissionDeniedError, ServiceError
from chuangwen.core.scoping import scope_for
from chuangwen.core.types import Actor
from chuangwen.core.validation import clean_text
from chuangwen.core.workcalendar import get_calendar
from chuangwen.territory.routing import Chain, locate

from .. import permissions
from ..choices import THIRD_PARTY_CHANNELS, TRUSTED_CHANNELS, Action, Channel, PhotoKind, Status
from ..duplicates import find_duplicates
from ..models import Case, CaseEvent, CasePhoto
from ..selectors import case_for_existing_ticket, case_for_idempotency_key, route_for
from ._common import MAX_DESCRIPTION, _active_unit, _actor_unit, _record, _send
from .photos import _attach_photos
from .workflow import _dispatch, _merge_into, _open_stage, _record_merge_on, _register

CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"


class OutsideCityError(ServiceError):
    status_code = 422


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


def _flush_events(case: Case) -> None:
    events = case.__dict__.pop("_pending", [])
    for event in events:
        event.case = case
    for notice in case.__dict__.pop("_pending_notices", []):
        _send(case, notice)
    CaseEvent.objects.bulk_create(events)


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
    actor: Actor,
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


def _followable(
    category: Category, lat: float, lng: float, case_id, now: datetime, *, actor: Actor
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
