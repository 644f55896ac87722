"""Evaluation rounds, their results by subject and their problem lists over HTTP."""

from typing import Literal

from django.db.models import Count, Q
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from chuangwen.core.bounds import Id
from chuangwen.core.schemas import errors
from chuangwen.core.scoping import require_export

from . import selectors
from .choices import COUNTED_STATUSES

router = Router(tags=["测评 evaluation"])

Level = Literal["point", "point_type", "community", "street", "district", "unit"]


class RoundOut(Schema):
    id: int
    name: str
    kind: str
    kind_label: str
    status: str
    status_label: str
    starts_on: str
    due_on: str
    seed: int
    framework: str | None
    previous_id: int | None
    inspections: int = Field(..., description="点位数")
    done: int = Field(..., description="已提交结果的点位数")

    @staticmethod
    def resolve_kind_label(round_) -> str:
        return round_.get_kind_display()

    @staticmethod
    def resolve_status_label(round_) -> str:
        return round_.get_status_display()

    @staticmethod
    def resolve_starts_on(round_) -> str:
        return round_.starts_on.isoformat()

    @staticmethod
    def resolve_due_on(round_) -> str:
        return round_.due_on.isoformat()

    @staticmethod
    def resolve_inspections(round_) -> int:
        return round_.inspection_total

    @staticmethod
    def resolve_done(round_) -> int:
        return round_.done_total

    @staticmethod
    def resolve_framework(round_) -> str | None:
        return str(round_.framework) if round_.framework_id else None


class RoundResultsQuery(Schema):
    level: Level = Field("district", description="汇总层级")


class ResultOut(Schema):
    id: int | None = Field(..., description="对象 id(点位、属地节点、单位或点位类型)")
    code: str
    name: str
    inspections: int = Field(..., description="计分的点位测评数")
    failed: int = Field(..., description="不合格检查项数")
    score: float = Field(..., description="得分(已扣负面清单)")
    max: float = Field(..., description="应得分(不含不适用项)")
    penalty: float = Field(..., description="负面清单扣分")
    score_rate: float | None = Field(..., description="得分率 = 得分 ÷ 应得分")
    rank: int | None = Field(..., description="在全市同层级中的名次")
    previous_rate: float | None = Field(..., description="对比轮次的得分率")

    @staticmethod
    def resolve_id(subject) -> int | None:
        return subject.key

    @staticmethod
    def resolve_score(subject) -> float:
        return float(subject.net_score)

    @staticmethod
    def resolve_max(subject) -> float:
        return float(subject.max_points)

    @staticmethod
    def resolve_penalty(subject) -> float:
        return float(subject.penalty)

    @staticmethod
    def resolve_score_rate(subject) -> float | None:
        return None if subject.rate is None else round(subject.rate, 6)

    @staticmethod
    def resolve_previous_rate(subject) -> float | None:
        return None if subject.previous_rate is None else round(subject.previous_rate, 6)


class ProblemOut(Schema):
    result_id: int
    case_id: int
    case_code: str
    case_status: str
    deadline: str | None
    point_code: str
    point_name: str
    district: str | None
    street: str | None
    community: str | None
    item: str
    occurrences: int
    deduction: float
    unit: str | None
    reinspection: str | None = Field(..., description="复查状态")


def _problem(row) -> dict:
    point, case = row.inspection.point, row.case
    reinspection = getattr(row, "reinspection", None)
    return {
        "result_id": row.pk,
        "case_id": case.pk,
        "case_code": case.code,
        "case_status": case.status,
        "deadline": case.deadline.isoformat() if case.deadline else None,
        "point_code": point.code,
        "point_name": point.name,
        "district": point.district.name if point.district_id else None,
        "street": point.street.name if point.street_id else None,
        "community": point.community.name if point.community_id else None,
        "item": row.item.text,
        "occurrences": row.occurrences,
        "deduction": float(row.deduction),
        "unit": case.unit.name if case.unit_id else None,
        "reinspection": reinspection.status if reinspection else None,
    }


@router.get("/rounds", response={200: list[RoundOut], **errors(422)}, summary="测评轮次")
@paginate
def rounds(request):
    # Spelled out: Django drops Meta.ordering from GROUP BY queries, and pages need one order.
    return (
        selectors.rounds_for(request.auth)
        .annotate(
            inspection_total=Count("inspections"),
            done_total=Count("inspections", filter=Q(inspections__status__in=COUNTED_STATUSES)),
        )
        .order_by("-starts_on", "-id")
    )


@router.get(
    "/rounds/{int:round_id}/results",
    response={200: list[ResultOut], **errors(403, 404, 422)},
    summary="测评结果汇总",
)
def results(request, round_id: Id, query: Query[RoundResultsQuery]):
    """按点位、点位类型、社区、街道、区县或责任单位汇总:得分、应得分、得分率和全市名次。
    只返回调用者权限范围内的对象;名次在全市同层级中计算。需要导出权限。"""
    round_ = selectors.round_get(user=request.auth, round_id=round_id)
    require_export(request.auth)
    return selectors.round_results(round_=round_, level=query.level, user=request.auth)


@router.get(
    "/rounds/{int:round_id}/problems",
    response={200: list[ProblemOut], **errors(403, 404, 422)},
    summary="问题清单",
)
@paginate
def problems(request, round_id: Id):
    """本轮测评中每个不合格检查项及其生成的案件。需要导出权限。"""
    round_ = selectors.round_get(user=request.auth, round_id=round_id)
    require_export(request.auth)
    return [_problem(row) for row in selectors.round_problems(round_=round_, user=request.auth)]
