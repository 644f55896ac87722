"""The shapes of the cases API: what each operation takes and exactly what it answers."""

from datetime import date, datetime

from ninja import Field, Schema
from pydantic import JsonValue

from chuangwen.core.bounds import Count, Id, Moment

from .choices import PhotoKind


def local_iso(moment: datetime | None) -> str | None:
    """A moment as the API writes it: ISO 8601 in the city's time zone."""
    if moment is None:
        return None
    from chuangwen.core.workcalendar import get_calendar

    return moment.astimezone(get_calendar().tz).isoformat()


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


class DuplicatesQuery(Schema):
    category: str = Field(..., description="小类编码")
    lat: float = Field(..., ge=-90, le=90, description="纬度(WGS84)")
    lng: float = Field(..., ge=-180, le=180, description="经度(WGS84)")


class SatisfactionQuery(Schema):
    by: str = Field("unit", description="unit(按责任单位)或 category(按案件类别)")
    since: Moment | None = Field(None, description="评价时间起")
    until: Moment | None = Field(None, description="评价时间止")


class SupervisionFilterIn(Schema):
    open_only: bool = Field(False, description="只列出未办结的督办单")


class PhotoIn(Schema):
    kind: str = Field(PhotoKind.BEFORE, description="before(处置前)、after(处置后)或 verify(核查)")
    case: Id | None = Field(None, description="照片所属的案件 id;上报前先传的照片不填")


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
        return local_iso(candidate.reported_at)


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
        return local_iso(order.issued_at)

    @staticmethod
    def resolve_reply_due_at(order) -> str | None:
        return local_iso(order.reply_due_at)

    @staticmethod
    def resolve_answered_at(order) -> str | None:
        return local_iso(order.answered_at)


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
        return local_iso(record.decided_at)


class NodeRefOut(Schema):
    code: str
    name: str


class TerritoryOut(Schema):
    """The case's place in the territory, from the grid up (null where it has none)."""

    grid: NodeRefOut | None
    community: NodeRefOut | None
    street: NodeRefOut | None
    district: NodeRefOut | None


class UnitRefOut(Schema):
    id: int
    name: str


class CategoryRefOut(Schema):
    code: str = Field(..., description="小类编码")
    name: str
    parent: str | None = Field(..., description="大类编码")


class CaseStandardOut(Schema):
    code: str = Field(..., description="立结案标准编码")
    condition: str = Field(..., description="立案条件")
    close_condition: str = Field(..., description="结案条件")
    time_type: str = Field(..., description="时限类型")
    time_value: float = Field(..., description="处置时限")
    extension: float = Field(..., description="已批准的延期时长")


class RoutingOut(Schema):
    rule: int | None = Field(..., description="命中的派遣规则 id")
    auto_dispatch: bool


class ReporterOut(Schema):
    name: str
    phone: str
    masked: bool = Field(..., description="姓名和电话是否已隐去部分(仅市创文办可见全文)")


class StageMinutesOut(Schema):
    """Working minutes each stage took so far."""

    accept: float
    dispatch: float
    handle: float
    verify: float


class PhotoRefOut(Schema):
    id: int
    kind: str
    url: str = Field(..., description="照片地址(按权限查看)")
    width: int
    height: int


class PublicityOut(Schema):
    setting: str = Field(..., description="auto、public 或 hidden")
    public: bool = Field(..., description="此刻是否公开")
    text: str = Field(..., description="公开的描述(已隐去个人信息)")


class CaseOut(Schema):
    """A case as the caller may see it, with the steps the caller may take on it."""

    id: int
    code: str
    version: int = Field(..., description="版本号;流转和设置公开时带上,已被他人改动时返回 409")
    status: str
    status_label: str
    channel: str
    category: CategoryRefOut
    standard: CaseStandardOut
    description: str
    address: str
    lat: float
    lng: float
    territory: TerritoryOut
    unit: UnitRefOut | None = Field(..., description="责任单位")
    suggested_unit: UnitRefOut | None = Field(..., description="建议的责任单位")
    routing: RoutingOut
    reporter: ReporterOut
    reported_at: str
    registered_at: str | None
    dispatched_at: str | None
    signed_at: str | None
    handled_at: str | None
    closed_at: str | None
    deadline: str | None
    remaining_minutes: float | None = Field(..., description="剩余处置时间(负数为已超时)")
    overdue_level: int
    overdue_label: str
    closed_on_time: bool | None
    stage: str
    stage_deadline: str | None
    stage_minutes: StageMinutesOut
    rework_count: int
    send_back_count: int
    postpone_count: int
    reopen_count: int
    photos: list[PhotoRefOut]
    publicity: PublicityOut
    allowed_actions: list[str] = Field(..., description="调用者此刻可以执行的流转操作")


class EventOut(Schema):
    id: int
    action: str
    action_label: str
    from_status: str
    to_status: str
    actor: str = Field(..., description="操作人(上报人对无权查看者隐去部分姓名)")
    actor_unit: str | None
    note: str
    data: dict[str, JsonValue] = Field(..., description="该操作的附加数据")
    created_at: str


class GpsOut(Schema):
    lat: float
    lng: float


class PhotoOut(PhotoRefOut):
    taken_at: str | None = Field(..., description="拍摄时间(取自 EXIF)")
    gps: GpsOut | None = Field(..., description="拍摄位置(取自 EXIF)")
