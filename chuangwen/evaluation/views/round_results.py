"""A round's results (ranked subjects, chart, point map, workbook) and its 问题清单 pages."""

from __future__ import annotations

from dataclasses import asdict
from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from chuangwen.cases.choices import Status as CaseStatus
from chuangwen.core.scoping import may_export
from chuangwen.core.web import list_query
from chuangwen.core.xlsx import Sheet, write_workbook, xlsx_response
from chuangwen.territory.selectors import scope_roots

from .. import selectors
from ..choices import SubjectLevel
from .round_common import (
    CHART_BAR_HEIGHT,
    CHART_LIMIT,
    CHART_MIN_HEIGHT,
    LEVEL_LABELS,
    PAGE_SIZE,
    _color,
    _legend,
    _level,
    _percent,
    _points,
    _refused,
)


# -- results ---------------------------------------------------------------------------------
def _direction(change: float | None) -> str | None:
    if change is None:
        return None
    return "up" if change > 0 else "down" if change < 0 else "same"


def _result_rows(subjects, level: str, links: dict) -> list[dict]:
    rows = []
    for s in subjects:
        change = s.change
        rows.append(
            {
                "subject": s,
                "rate": _percent(s.rate),
                "previous": _percent(s.previous_rate),
                "change": None if change is None else f"{abs(change) * 100:.1f}",
                "direction": _direction(change),
                "link": links.get(s.code) if level == SubjectLevel.POINT else None,
            }
        )
    return rows


def _results_xlsx(level: str, subjects) -> bytes:
    def pct(rate):
        return None if rate is None else round(rate * 100, 2)

    headers = (
        _("排名"),
        _("编码"),
        LEVEL_LABELS[level],
        _("测评点位数"),
        _("得分"),
        _("应得分"),
        _("负面清单扣分"),
        _("净得分"),
        _("得分率(%)"),
        _("上轮得分率(%)"),
        _("变化(百分点)"),
        _("不合格项"),
    )
    rows = [
        (
            s.rank,
            s.code if level != SubjectLevel.UNIT else "",
            s.name,
            s.inspections,
            s.score,
            s.max_points,
            s.penalty,
            s.net_score,
            pct(s.rate),
            pct(s.previous_rate),
            pct(s.change),
            s.failed,
        )
        for s in subjects
    ]
    title = _("%(level)s成绩") % {"level": LEVEL_LABELS[level]}
    return write_workbook([Sheet(title, headers, rows)])


@login_required
@require_GET
def round_results(request, pk: int):
    user = request.user
    round_ = selectors.round_get(user=user, round_id=pk)
    level = _level(request)
    subjects = selectors.round_results(round_=round_, level=level, user=user)
    if request.GET.get("format") == "xlsx":
        if not may_export(user):
            return _refused(request, _("您没有导出测评结果的权限。"))
        name = _("%(round)s_%(level)s成绩.xlsx") % {
            "round": round_.name,
            "level": LEVEL_LABELS[level],
        }
        return xlsx_response(_results_xlsx(level, subjects), name)
    markers = selectors.round_point_map(round_=round_, user=user)
    # One reverse() for the pattern: a round may hold hundreds of points.
    detail = reverse("evaluation:inspection_detail", args=[0]).replace("/0/", "/{id}/")
    for marker in markers:
        marker["color"] = _color(marker["rate"])
        marker["url"] = detail.replace("{id}", str(marker["id"]))
        marker["rate_text"] = _percent(marker["rate"])
        if marker["score"] is not None:
            marker["score"] = _points(Decimal(marker["score"]))
            marker["max"] = _points(Decimal(marker["max"]))
    links = {m["code"]: m["url"] for m in markers}
    ranked = [s for s in subjects if s.rate is not None]
    chart = {
        "names": [s.name for s in ranked[:CHART_LIMIT]],
        "rates": [round(s.rate * 100, 1) for s in ranked[:CHART_LIMIT]],
        "colors": [_color(s.rate) for s in ranked[:CHART_LIMIT]],
    }
    return render(
        request,
        "evaluation/round_results.html",
        {
            "round": round_,
            "level": level,
            "level_label": LEVEL_LABELS[level],
            "levels": [(value, LEVEL_LABELS[value]) for value in selectors.RESULT_LEVELS],
            "rows": _result_rows(subjects, level, links),
            "has_previous": round_.previous_id is not None,
            "chart": chart,
            "chart_height": max(CHART_MIN_HEIGHT, CHART_BAR_HEIGHT * len(chart["names"]) + 60),
            "chart_truncated": len(ranked) > CHART_LIMIT,
            "chart_limit": CHART_LIMIT,
            "markers": markers,
            "legend": _legend(),
            "outline_urls": [
                reverse("territory:children_geojson", args=[n.code]) for n in scope_roots(user=user)
            ],
            "can_export": may_export(user),
        },
    )


# -- 问题清单 --------------------------------------------------------------------------------
def _problems_xlsx(request, rows) -> bytes:
    headers = (
        _("点位编号"),
        _("点位"),
        _("区县"),
        _("街道"),
        _("社区"),
        _("检查项"),
        _("问题处数"),
        _("扣分"),
        _("说明"),
        _("案件编号"),
        _("案件链接"),
        _("责任单位"),
        _("案件状态"),
        _("处置时限"),
        _("复查状态"),
        _("测评员"),
        _("照片链接"),
    )

    def line(row):
        point, case = row.inspection.point, row.case
        reinspection = getattr(row, "reinspection", None)
        photos = "\n".join(
            request.build_absolute_uri(reverse("cases:photo", args=[p.pk]))
            for p in row.photos.all()
        )
        inspector = row.inspection.inspector
        return (
            point.code,
            point.name,
            point.district.name if point.district else "",
            point.street.name if point.street else "",
            point.community.name if point.community else "",
            row.item.text,
            row.occurrences,
            row.deduction,
            row.note,
            case.code,
            request.build_absolute_uri(reverse("cases:detail", args=[case.pk])),
            (case.unit or point.unit).name,
            case.get_status_display(),
            case.deadline,
            reinspection.get_status_display() if reinspection else "",
            str(inspector) if inspector else "",
            photos,
        )

    return write_workbook(
        [Sheet(_("问题清单"), headers, (line(r) for r in rows.iterator(chunk_size=500)))]
    )


@login_required
@require_GET
def round_problems(request, pk: int):
    user = request.user
    round_ = selectors.round_get(user=user, round_id=pk)
    filters = selectors.ProblemFilter.from_params(request.GET)
    rows = selectors.round_problem_list(round_=round_, user=user, filters=filters)
    if request.GET.get("format") == "xlsx":
        if not may_export(user):
            return _refused(request, _("您没有导出测评结果的权限。"))
        name = _("%(round)s_问题清单.xlsx") % {"round": round_.name}
        return xlsx_response(_problems_xlsx(request, rows), name)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    for row in page:
        row.reinspection_row = getattr(row, "reinspection", None)
    return render(
        request,
        "evaluation/round_problems.html",
        {
            "round": round_,
            "page": page,
            "filters": asdict(filters),
            "query": list_query(request),
            "export_query": list_query(request, drop=("page", "format")),
            "districts": selectors.round_districts(round_=round_, user=user),
            "case_statuses": CaseStatus.choices,
            "can_export": may_export(user),
        },
    )


urlpatterns = [
    path("rounds/<id:pk>/results/", round_results, name="round_results"),
    path("rounds/<id:pk>/problems/", round_problems, name="round_problems"),
]
