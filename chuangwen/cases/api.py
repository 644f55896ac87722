"""Cases over HTTP: intake, detail with the caller's allowed actions, transitions,
history, photos, supervision. The shapes are in ``schemas``."""

from django.http import Http404
from django.urls import reverse
from ninja import File, Form, Query, Router, Status, UploadedFile
from ninja.pagination import paginate

from chuangwen.core.bounds import Id
from chuangwen.core.errors import ConflictError, ServiceError
from chuangwen.core.schemas import errors
from chuangwen.core.types import Actor

from . import selectors, services
from .choices import OverdueLevel
from .disclosure import CASE_API, reporter_disclose
from .models import Case
from .schemas import (
    AccountabilityIn,
    AccountabilityOut,
    AnswerIn,
    CaseFilterIn,
    CaseIn,
    CaseOut,
    CaseRow,
    DuplicateOut,
    DuplicatesQuery,
    EventOut,
    PhotoIn,
    PhotoOut,
    PublicityIn,
    SatisfactionOut,
    SatisfactionQuery,
    SupervisionFilterIn,
    SupervisionIn,
    SupervisionOut,
    TransitionIn,
    local_iso,
)

router = Router(tags=["案件 cases"])

# The refusals the operations can answer besides 401 and 429 (errors() adds those): a
# list's bad parameters, a missing case, and a write a service refuses, forbids or finds
# changed under it.
LIST = errors(400, 422)
ONE = errors(404, 422)
WRITE = errors(400, 403, 404, 409, 422)


def _photo_url(photo) -> str:
    # Evidence is served only through the scoped view, never from a public media URL.
    return reverse("cases:photo", args=[photo.pk])


def _unit(unit) -> dict[str, int | str] | None:
    return {"id": unit.pk, "name": unit.name} if unit is not None else None


def _node(node) -> dict[str, str] | None:
    return {"code": node.code, "name": node.name} if node is not None else None


def case_payload(*, user: Actor, case: Case, territory=None, photos=None) -> dict:
    """The case as the API shows it; ``territory`` and ``photos`` when the caller has
    them already (intake), else read from the case."""
    remaining = selectors.remaining_minutes(case)
    if territory is None:
        territory = {
            "grid": _node(case.grid),
            "community": _node(case.community),
            "street": _node(case.street),
            "district": _node(case.district),
        }
    if photos is None:
        photos = case.photos.all()
    return {
        "id": case.pk,
        "code": case.code,
        "version": case.version,
        "status": case.status,
        "status_label": str(case.get_status_display()),
        "channel": case.channel,
        "category": {
            "code": case.category.code,
            "name": case.category.name,
            "parent": case.category.parent.code if case.category.parent_id else None,
        },
        "standard": {
            "code": case.standard.code,
            "condition": case.standard.condition,
            "close_condition": case.standard.close_condition,
            "time_type": case.time_type,
            "time_value": float(case.time_value),
            "extension": float(case.extension_value),
        },
        "description": case.description,
        "address": case.address,
        "lat": case.lat,
        "lng": case.lng,
        "territory": territory,
        "unit": _unit(case.unit),
        "suggested_unit": _unit(case.suggested_unit),
        "routing": {
            "rule": case.routing_rule_id,
            "auto_dispatch": bool(case.routing_rule_id and case.routing_rule.auto_dispatch),
        },
        "reporter": reporter_disclose(user=user, case=case, via=CASE_API),
        "reported_at": local_iso(case.reported_at),
        "registered_at": local_iso(case.registered_at),
        "dispatched_at": local_iso(case.dispatched_at),
        "signed_at": local_iso(case.signed_at),
        "handled_at": local_iso(case.handled_at),
        "closed_at": local_iso(case.closed_at),
        "deadline": local_iso(case.deadline),
        "remaining_minutes": round(remaining, 1) if remaining is not None else None,
        "overdue_level": case.overdue_level,
        "overdue_label": str(OverdueLevel(case.overdue_level).label),
        "closed_on_time": case.closed_on_time,
        "stage": case.stage,
        "stage_deadline": local_iso(case.stage_deadline),
        "stage_minutes": {
            "accept": round(case.accept_minutes, 1),
            "dispatch": round(case.dispatch_minutes, 1),
            "handle": round(case.handle_minutes, 1),
            "verify": round(case.verify_minutes, 1),
        },
        "rework_count": case.rework_count,
        "send_back_count": case.send_back_count,
        "postpone_count": case.postpone_count,
        "reopen_count": case.reopen_count,
        "photos": [
            {"id": p.pk, "kind": p.kind, "url": _photo_url(p), "width": p.width, "height": p.height}
            for p in photos
        ],
        "publicity": {
            "setting": case.publicity,
            "public": selectors.is_public(case),
            "text": selectors.public_description(case),
        },
        "allowed_actions": selectors.allowed_actions(user=user, case=case),
    }


def _detail(request, case_id: int) -> dict:
    case = selectors.case_get(user=request.auth, case_id=case_id)
    return case_payload(user=request.auth, case=case)


@router.post("", response={201: CaseOut, 200: CaseOut, **WRITE}, summary="上报案件")
def create_case(request, payload: CaseIn):
    """同一账号用相同的 `Idempotency-Key` 请求头重复提交,返回第一次创建的案件(200),不会重复立案。"""
    intake = services.case_report(
        category=payload.category,
        description=payload.description,
        lat=payload.lat,
        lng=payload.lng,
        address=payload.address,
        channel=payload.channel,
        reporter_name=payload.reporter_name,
        reporter_phone=payload.reporter_phone,
        photo_ids=payload.photo_ids,
        idempotency_key=request.headers.get("Idempotency-Key", ""),
        source=f"api:{payload.channel or 'field'}" if payload.external_id else "",
        external_id=payload.external_id,
        follow_case_id=payload.follow_case_id,
        actor=request.auth,
    )
    if not intake.created:
        case = selectors.case_get(user=request.auth, case_id=intake.case.pk)
        return Status(200, case_payload(user=request.auth, case=case))
    return Status(
        201,
        case_payload(
            user=request.auth,
            case=intake.case,
            territory=intake.chain.as_dict(),
            photos=intake.photos,
        ),
    )


@router.get("", response={200: list[CaseRow], **LIST}, summary="案件列表")
@paginate
def list_cases(request, filters: Query[CaseFilterIn]):
    params = filters.dict()
    params["overdue"] = "1" if filters.overdue else ""
    params["unit"] = str(filters.unit or "")
    params["date_from"] = filters.date_from.isoformat() if filters.date_from else ""
    params["date_to"] = filters.date_to.isoformat() if filters.date_to else ""
    return selectors.case_list(user=request.auth, filters=selectors.CaseFilter.from_params(params))


@router.get(
    "/duplicates", response={200: list[DuplicateOut], **LIST}, summary="附近疑似重复的在办案件"
)
def duplicates(request, query: Query[DuplicatesQuery]):
    """上报前查询:同一小类、在该类别判重半径和时间窗内、尚未办结的案件,由近到远;
    只列出调用者权限范围内的案件。"""
    return selectors.duplicate_candidates(
        user=request.auth, category=query.category, lat=query.lat, lng=query.lng
    )


@router.get(
    "/satisfaction", response={200: list[SatisfactionOut], **LIST}, summary="回访满意度统计"
)
def satisfaction(request, query: Query[SatisfactionQuery]):
    """按责任单位(by=unit)或案件类别(by=category)统计市民评价与重新办理申请。"""
    if query.by not in selectors.SATISFACTION_GROUPS:
        raise ServiceError("统计维度只能是 unit 或 category。", field="by")
    rows = selectors.satisfaction_stats(
        user=request.auth, by=query.by, since=query.since, until=query.until
    )
    return [{**vars(r), "rate": r.rate} for r in rows]


@router.get("/{int:case_id}", response={200: CaseOut, **ONE}, summary="案件详情")
def get_case(request, case_id: Id):
    return _detail(request, case_id)


@router.post("/{int:case_id}/transitions", response={200: CaseOut, **WRITE}, summary="流转操作")
def transition(request, case_id: Id, payload: TransitionIn):
    try:
        selectors.case_get(user=request.auth, case_id=case_id)  # 404 outside the scope
    except Http404:
        if selectors.case_taken_from_caller(
            user=request.auth, case_id=case_id, version=payload.version
        ):
            raise ConflictError("案件已被他人处理,请刷新后重试。") from None
        raise
    try:
        services.case_transition(
            case_id=case_id,
            action=payload.action,
            actor=request.auth,
            note=payload.note,
            version=payload.version,
            unit_id=payload.unit,
            value=payload.value,
            photo_ids=payload.photo_ids,
            into_id=payload.into,
        )
    except services.CaseNotFoundError:
        # In sight a moment ago: a step taken meanwhile moved it away.
        raise ConflictError("案件已被他人处理,请刷新后重试。") from None
    try:
        return _detail(request, case_id)
    except Http404:
        # The step itself took the case out of the caller's sight (a unit that sends a
        # case back no longer handles it): the answer is still what the case became.
        case = Case.objects.select_related(
            "category__parent", "standard", "unit", "suggested_unit", "routing_rule"
        ).get(pk=case_id)
        return case_payload(user=request.auth, case=case)


@router.post("/{int:case_id}/publicity", response={200: CaseOut, **WRITE}, summary="设置是否公开")
def publicity(request, case_id: Id, payload: PublicityIn):
    """市创文办决定案件是否在市民随手拍和 Open311 上公开,以及公开的描述文字。"""
    selectors.case_get(user=request.auth, case_id=case_id)  # 404 outside the caller's scope
    services.case_publicity_set(
        case_id=case_id,
        actor=request.auth,
        publicity=payload.publicity,
        public_text=payload.public_text,
        version=payload.version,
    )
    return _detail(request, case_id)


@router.get("/{int:case_id}/events", response={200: list[EventOut], **ONE}, summary="流转记录")
def events(request, case_id: Id):
    case = selectors.case_get(user=request.auth, case_id=case_id)
    return [
        {
            "id": e.pk,
            "action": e.action,
            "action_label": str(e.get_action_display()),
            "from_status": e.from_status,
            "to_status": e.to_status,
            "actor": str(actor),
            "actor_unit": e.actor_unit.name if e.actor_unit_id else None,
            "note": e.note,
            "data": e.data,
            "created_at": local_iso(e.created_at),
        }
        for e, actor in selectors.case_timeline(user=request.auth, case=case)
    ]


@router.post("/photos", response={201: PhotoOut, **WRITE}, summary="上传照片")
def upload_photo(request, file: File[UploadedFile], form: Form[PhotoIn]):
    """JPEG、PNG 或 WEBP 图片;保存前去除 EXIF(拍摄时间和位置另行记录)。"""
    if form.case is not None:
        selectors.case_get(user=request.auth, case_id=form.case)
    photo = services.photo_upload(
        upload=file, actor=request.auth, case_id=form.case, kind=form.kind
    )
    return Status(
        201,
        {
            "id": photo.pk,
            "kind": photo.kind,
            "url": _photo_url(photo),
            "width": photo.width,
            "height": photo.height,
            "taken_at": local_iso(photo.taken_at),
            "gps": {"lat": photo.gps_lat, "lng": photo.gps_lng}
            if photo.gps_lat is not None
            else None,
        },
    )


@router.post(
    "/{int:case_id}/supervisions",
    response={201: SupervisionOut, **WRITE},
    summary="领导督办/重点督办",
)
def supervise(request, case_id: Id, payload: SupervisionIn):
    selectors.case_get(user=request.auth, case_id=case_id)
    order = services.supervision_issue(
        case_id=case_id,
        kind=payload.kind,
        note=payload.note,
        actor=request.auth,
        reply_days=payload.reply_days,
    )
    return Status(201, order)


@router.get("/supervisions", response={200: list[SupervisionOut], **LIST}, summary="督办单")
@paginate
def supervisions(request, filters: Query[SupervisionFilterIn]):
    return selectors.supervision_list(user=request.auth, open_only=filters.open_only)


@router.post(
    "/supervisions/{int:supervision_id}/answer",
    response={200: SupervisionOut, **WRITE},
    summary="回复督办单",
)
def answer(request, supervision_id: Id, payload: AnswerIn):
    if not selectors.supervision_list(user=request.auth).filter(pk=supervision_id).exists():
        raise Http404("supervision")
    order = services.supervision_answer(
        supervision_id=supervision_id, answer=payload.answer, actor=request.auth
    )
    return order


@router.post(
    "/{int:case_id}/accountability", response={201: AccountabilityOut, **WRITE}, summary="记录问责"
)
def hold_accountable(request, case_id: Id, payload: AccountabilityIn):
    selectors.case_get(user=request.auth, case_id=case_id)  # 404 outside the caller's scope
    record = services.accountability_record(
        unit_id=payload.unit,
        kind=payload.kind,
        reason=payload.reason,
        points=payload.points,
        person_name=payload.person_name,
        case_id=case_id,
        actor=request.auth,
    )
    return Status(201, record)


@router.get("/accountability", response={200: list[AccountabilityOut], **LIST}, summary="问责记录")
@paginate
def accountability(request):
    return selectors.accountability_list(user=request.auth)
