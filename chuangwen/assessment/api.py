"""Assessment results and the case indicators over HTTP."""

from __future__ import annotations

from datetime import datetime

from ninja import Field, Query, Router, Schema, Status

from chuangwen.core.errors import ServiceError
from chuangwen.core.schemas import errors
from chuangwen.core.scoping import require_export

from . import periods, selectors
from .choices import RANKED_SUBJECTS
from .indicators import INDICATORS

router = Router(tags=["考评 assessment"])


class ResultsQuery(Schema):
    period: str = Field(
        ..., description="考评周期:2026-09(月)、2026-B5(双月)、2026-Q3(季)、2026(年)"
    )
    subject_type: str = Field(..., description="考评对象:district、street、community 或 unit")


class SubjectOut(Schema):
    id: int
    code: str
    name: str


class ComponentOut(Schema):
    label: str
    kind: str
    figure: float | None = Field(..., description="计分依据的数值(比率为百分数)")
    points: float
    max_points: float
    explanation: str = Field(..., description="得分或扣分的计算过程")


class LineOut(Schema):
    subject: SubjectOut
    indicators: dict[str, int | float | None] = Field(..., description="案件指标代码 → 数值")
    components: list[ComponentOut]
    total: float = Field(..., description="发布(或草稿)得分")
    adjustment: float = Field(..., description="申诉审核恢复的分值")
    final_total: float
    rank: int = Field(..., description="按最终得分的全市名次")
    previous_rank: int | None
    rank_change: int | None = Field(..., description="比上期上升的名次(负数为下降)")


class SchemeOut(Schema):
    id: int
    version: int
    name: str


class ResultsOut(Schema):
    period: str
    label: str
    subject_type: str
    status: str = Field(..., description="published 或 draft")
    computed_at: datetime | None
    scheme: SchemeOut | None
    results: list[LineOut]


class IndicatorOut(Schema):
    code: str
    name: str
    formula: str
    unit: str
    subjects: list[str]
    higher_is_better: bool


def _line(line) -> dict:
    return {
        "subject": {"id": line.subject_id, "code": line.subject_code, "name": line.subject_name},
        "indicators": line.indicators,
        "components": [
            {
                "label": c.label,
                "kind": c.kind,
                "figure": c.figure,
                "points": float(c.points),
                "max_points": float(c.max_points),
                "explanation": c.explanation,
            }
            for c in line.components
        ],
        "total": float(line.total),
        "adjustment": float(line.adjustment),
        "final_total": float(line.final_total),
        "rank": line.final_rank,
        "previous_rank": line.previous_rank,
        "rank_change": line.rank_change,
    }


@router.get(
    "/results",
    response={200: ResultsOut, **errors(403, 422)},
    summary="考评结果",
)
def results(request, query: Query[ResultsQuery]):
    """一个考评周期、一类考评对象的结果:已发布的取发布时固定的结果(含申诉调整),
    未发布的按现行方案即时计算草稿。只返回调用者权限范围内的对象;名次在全市排列。
    需要导出权限,与页面上导出排名的权限相同。"""
    require_export(request.auth)
    try:
        period = periods.parse(query.period)
    except ServiceError as exc:
        return Status(422, {"detail": exc.message, "field": "period"})
    if query.subject_type not in RANKED_SUBJECTS:
        return Status(
            422,
            {
                "detail": "考评对象类型不正确:应为 district、street、community 或 unit。",
                "field": "subject_type",
            },
        )
    found = selectors.results_for(
        user=request.auth, period_key=period.key, subject_type=query.subject_type
    )
    scheme = found.scheme
    return Status(
        200,
        {
            "period": period.key,
            "label": period.label,
            "subject_type": found.subject_type,
            "status": "published" if found.publication is not None else "draft",
            "computed_at": found.computed_at,
            "scheme": (
                None
                if scheme is None
                else {"id": scheme.pk, "version": scheme.version, "name": scheme.name}
            ),
            "results": [_line(line) for line in found.lines],
        },
    )


@router.get("/indicators", response={200: list[IndicatorOut], **errors()}, summary="案件指标")
def indicators(request):
    """考评使用的全部案件指标及其计算公式、单位和适用对象。"""
    return [
        {
            "code": i.code,
            "name": i.name,
            "formula": i.formula,
            "unit": i.unit,
            "subjects": list(i.subjects),
            "higher_is_better": i.higher_is_better,
        }
        for i in INDICATORS
    ]
