"""Cases over HTTP: intake, detail with the caller's allowed actions, transitions,
history, photos, supervision."""

from datetime import date, datetime
from typing import Any

from django.http import Http404
from django.urls import reverse
from ninja import Field, File, Form, Query, Router, Schema, Status, UploadedFile
from ninja.pagination import paginate

from chuangwen.core.bounds import Count, Id, Moment
from chuangwen.core.errors import ConflictError

from . import selectors, services
from .choices import OverdueLevel, PhotoKind
from .disclosure import CASE_API, reporter_disclose
from .models import Case

router = Router(tags=["案件 cases"])


class CaseIn(Schema):
    category: str = Field(..., description="小类编码(如 B0102)或立结案标准编码(如 B0102-01)")
    description: str
    lat: float = Field(..., ge=-90, le=90, description="纬度(WGS84)")
    lng: float = Field(..., ge=-180, le=180, description="经度(WGS84)")
    address: str = ""
    channel: str | None = Field(None, description="来源渠道,默认 field")
    reporter_name: str = ""
    reporter_phone: str = ""
    photo_ids: list[Id] = Field(default_factory=list, description="先通过 /cases/photos 上传的照片")
    external_id: str = Field("", description="来源系统自己的编号;同一渠道同一编号只立一次案")
    follow_case_id: Id | None = Field(
        None, description="上报人确认与附近某件在办案件为同一问题时填该案件 id:上报并入该案件"
    )


class DuplicateOut(Schema):
    id: int
    code: str
    status: str
    status_label: str
    distance_m: float
    reported_at: str
    address: str

    @staticmethod
    def resolve_reported_at(candidate) -> str:
        return _iso(candidate.reported_at)


class SatisfactionOut(Schema):
    key: int | None
    name: str
    rated: int
    satisfied: int
    basic: int
    dissatisfied: int
    rate: float | None
    reopen_requests: int
    reopened: int


class TransitionIn(Schema):
    action: str = Field(
        ...,
        description="accept, reject, dispatch, sign, send_back, finish, postpone, postpone_approve, postpone_reject, verify_ok, verify_fail, reopen, cancel, merge",
    )
    note: str = ""
    version: Count | None = Field(None, description="读取时的版本号;已被他人改动时返回 409")
    unit: Id | None = Field(None, description="dispatch:责任单位 id(缺省为建议单位)")
    value: float | None = Field(
        None, allow_inf_nan=False, description="postpone:申请延长的时限(与案件时限类型相同)"
    )
    photo_ids: list[Id] = Field(default_factory=list)
    into: Id | None = Field(None, description="merge:合并到的案件 id")


class SupervisionIn(Schema):
    kind: str = Field(..., description="leader(领导督办)或 key(重点督办)")
    note: str
    reply_days: Count = 1


class AccountabilityIn(Schema):
    kind: str = Field(..., description="interview, circulate, deduct, admonish, order")
    reason: str
    unit: Id | None = Field(None, description="问责单位 id(缺省为案件的责任单位)")
    points: float = Field(0, allow_inf_nan=False)
    person_name: str = ""


class AnswerIn(Schema):
    answer: str


class PublicityIn(Schema):
    publicity: str = Field(..., description="auto(按渠道默认)、public(公开)或 hidden(不公开)")
    public_text: str = Field("", description="公开描述;留空则公开隐去个人信息后的问题描述")
    version: Count | None = Field(None, description="读取时的版本号;已被他人改动时返回 409")


class CaseRow(Schema):
    id: int
    code: str
    status: str
    status_label: str
    category: str
    category_name: str
    channel: str
    unit: str | None
    reported_at: datetime
    deadline: datetime | None
    overdue_level: int

    @staticmethod
    def resolve_status_label(case) -> str:
        return str(case.get_status_display())

    @staticmethod
    def resolve_category(case) -> str:
        return case.category.code

    @staticmethod
    def resolve_category_name(case) -> str:
        return case.category.name

    @staticmethod
    def resolve_unit(case) -> str | None:
        return case.unit.name if case.unit_id else None


class CaseFilterIn(Schema):
    status: str = Field("", description="状态;open 表示所有未办结")
    category: str = ""
    territory: str = Field("", description="属地代码")
    unit: Id | None = None
    channel: str = ""
    overdue: bool = False
    date_from: date | None = Field(None, description="YYYY-MM-DD")
    date_to: date | None = Field(None, description="YYYY-MM-DD")
    q: str = ""
    box: str = Field("", description="to_sign, in_progress, overdue, to_verify")


class SupervisionOut(Schema):
    id: int
    case: int
    kind: str
    kind_label: str
    level: int
    unit: str
    superior_unit: str | None
    note: str
    issued_at: str
    reply_due_at: str | None
    status: str
    answer: str
    answered_at: str | None

    @staticmethod
    def resolve_case(order) -> int:
        return order.case_id

    @staticmethod
    def resolve_kind_label(order) -> str:
        return str(order.get_kind_display())

    @staticmethod
    def resolve_unit(order) -> str:
        return order.unit.name

    @staticmethod
    def resolve_superior_unit(order) -> str | None:
        return order.superior_unit.name if order.superior_unit_id else None

    @staticmethod
    def resolve_issued_at(order) -> str:
        return _iso(order.issued_at)

    @staticmethod
    def resolve_reply_due_at(order) -> str | None:
        return _iso(order.reply_due_at)

    @staticmethod
    def resolve_answered_at(order) -> str | None:
        return _iso(order.answered_at)


class AccountabilityOut(Schema):
    id: int
    case: int | None
    unit: str
    kind: str
    kind_label: str
    person_name: str
    points: float
    reason: str
    decided_at: str

    @staticmethod
    def resolve_case(record) -> int | None:
        return record.case_id

    @staticmethod
    def resolve_unit(record) -> str:
        return record.unit.name

    @staticmethod
    def resolve_kind_label(record) -> str:
        return str(record.get_kind_display())

    @staticmethod
    def resolve_decided_at(record) -> str:
        return _iso(record.decided_at)


def _iso(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    from chuangwen.core.workcalendar import get_calendar

    return moment.astimezone(get_calendar().tz).isoformat()


def _photo_url(photo) -> str:
    # Evidence is served only through the scoped view, never from a public media URL.
    return reverse("cases:photo", args=[photo.pk])


def _unit(unit) -> dict[str, Any] | None:
    return {"id": unit.pk, "name": unit.name} if unit is not None else None


def _node(node) -> dict[str, str] | None:
    return {"code": node.code, "name": node.name} if node is not None else None


def case_payload(*, user, case: Case, territory=None, photos=None) -> dict[str, Any]:
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
        "reported_at": _iso(case.reported_at),
        "registered_at": _iso(case.registered_at),
        "dispatched_at": _iso(case.dispatched_at),
        "signed_at": _iso(case.signed_at),
        "handled_at": _iso(case.handled_at),
        "closed_at": _iso(case.closed_at),
        "deadline": _iso(case.deadline),
        "remaining_minutes": round(remaining, 1) if remaining is not None else None,
        "overdue_level": case.overdue_level,
        "overdue_label": str(OverdueLevel(case.overdue_level).label),
        "closed_on_time": case.closed_on_time,
        "stage": case.stage,
        "stage_deadline": _iso(case.stage_deadline),
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


def _detail(request, case_id: int) -> dict[str, Any]:
    case = selectors.case_get(user=request.auth, case_id=case_id)
    return case_payload(user=request.auth, case=case)


@router.post("", response={201: dict[str, Any], 200: dict[str, Any]}, summary="上报案件")
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


@router.get("", response=list[CaseRow], summary="案件列表")
@paginate
def list_cases(request, filters: Query[CaseFilterIn]):
    params = filters.dict()
    params["overdue"] = "1" if filters.overdue else ""
    params["unit"] = str(filters.unit or "")
    params["date_from"] = filters.date_from.isoformat() if filters.date_from else ""
    params["date_to"] = filters.date_to.isoformat() if filters.date_to else ""
    return selectors.case_list(user=request.auth, filters=selectors.CaseFilter.from_params(params))


@router.get("/duplicates", response=list[DuplicateOut], summary="附近疑似重复的在办案件")
def duplicates(
    request,
    category: str,
    lat: float = Query(..., ge=-90, le=90),
    lng: float = Query(..., ge=-180, le=180),
):
    """上报前查询:同一小类、在该类别判重半径和时间窗内、尚未办结的案件,由近到远;
    只列出调用者权限范围内的案件。"""
    return selectors.duplicate_candidates(user=request.auth, category=category, lat=lat, lng=lng)


@router.get("/satisfaction", response=list[SatisfactionOut], summary="回访满意度统计")
def satisfaction(
    request, by: str = "unit", since: Moment | None = None, until: Moment | None = None
):
    """按责任单位(by=unit)或案件类别(by=category)统计市民评价与重新办理申请。"""
    if by not in selectors.SATISFACTION_GROUPS:
        from chuangwen.core.errors import ServiceError

        raise ServiceError("统计维度只能是 unit 或 category。", field="by")
    rows = selectors.satisfaction_stats(user=request.auth, by=by, since=since, until=until)
    return [{**vars(r), "rate": r.rate} for r in rows]


@router.get("/{int:case_id}", response=dict[str, Any], summary="案件详情")
def get_case(request, case_id: Id):
    return _detail(request, case_id)


@router.post("/{int:case_id}/transitions", response=dict[str, Any], summary="流转操作")
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


@router.post("/{int:case_id}/publicity", response=dict[str, Any], summary="设置是否公开")
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


@router.get("/{int:case_id}/events", response=list[dict[str, Any]], summary="流转记录")
def events(request, case_id: Id):
    case = selectors.case_get(user=request.auth, case_id=case_id)
    return [
        {
            "id": e.pk,
            "action": e.action,
            "action_label": str(e.get_action_display()),
            "from_status": e.from_status,
            "to_status": e.to_status,
            "actor": actor,
            "actor_unit": e.actor_unit.name if e.actor_unit_id else None,
            "note": e.note,
            "data": e.data,
            "created_at": _iso(e.created_at),
        }
        for e, actor in selectors.case_timeline(user=request.auth, case=case)
    ]


@router.post("/photos", response={201: dict[str, Any]}, summary="上传照片")
def upload_photo(
    request,
    file: File[UploadedFile],
    kind: Form[str] = PhotoKind.BEFORE,
    case: Form[Id | None] = None,
):
    """JPEG、PNG 或 WEBP 图片;保存前去除 EXIF(拍摄时间和位置另行记录)。"""
    if case is not None:
        selectors.case_get(user=request.auth, case_id=case)
    photo = services.photo_upload(upload=file, actor=request.auth, case_id=case, kind=kind)
    return Status(
        201,
        {
            "id": photo.pk,
            "kind": photo.kind,
            "url": _photo_url(photo),
            "width": photo.width,
            "height": photo.height,
            "taken_at": _iso(photo.taken_at),
            "gps": {"lat": photo.gps_lat, "lng": photo.gps_lng}
            if photo.gps_lat is not None
            else None,
        },
    )


@router.post(
    "/{int:case_id}/supervisions", response={201: SupervisionOut}, summary="领导督办/重点督办"
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


@router.get("/supervisions", response=list[SupervisionOut], summary="督办单")
@paginate
def supervisions(request, open_only: bool = False):
    return selectors.supervision_list(user=request.auth, open_only=open_only)


@router.post(
    "/supervisions/{int:supervision_id}/answer", response=SupervisionOut, summary="回复督办单"
)
def answer(request, supervision_id: Id, payload: AnswerIn):
    if not selectors.supervision_list(user=request.auth).filter(pk=supervision_id).exists():
        raise Http404("supervision")
    order = services.supervision_answer(
        supervision_id=supervision_id, answer=payload.answer, actor=request.auth
    )
    return order


@router.post("/{int:case_id}/accountability", response={201: AccountabilityOut}, summary="记录问责")
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


@router.get("/accountability", response=list[AccountabilityOut], summary="问责记录")
@paginate
def accountability(request):
    return selectors.accountability_list(user=request.auth)
