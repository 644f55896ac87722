"""The office's evaluation pages: the rounds (list, planning form, progress board with its
actions), the results by level with chart, map and export, the 问题清单, and one
inspection with its review.

Reads go through ``selectors`` and are scoped: a district, street or unit sees only the
lines of its own points, and an object outside the scope answers 404. Writes go through
``services``; a refusal (a non-planner's 403 included) is shown on the page that asked,
with the status code the service chose."""

from __future__ import annotations

import re
from dataclasses import asdict
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from chuangwen.cases.choices import Status as CaseStatus
from chuangwen.core.bounds import parse_int
from chuangwen.core.errors import ServiceError
from chuangwen.core.scoping import may_export
from chuangwen.core.web import list_query, next_url
from chuangwen.core.xlsx import Sheet, write_workbook, xlsx_response
from chuangwen.org.choices import UnitKind
from chuangwen.territory.selectors import scope_roots

from .. import selectors, services
from ..choices import COUNTED_STATUSES, InspectionStatus, RoundKind, RoundStatus, SubjectLevel
from ..permissions import plans_rounds

PAGE_SIZE = 50
ROUND_PAGE_SIZE = 30
# More bars than this make a chart nobody can read; the table keeps every line.
CHART_LIMIT = 50
CHART_BAR_HEIGHT, CHART_MIN_HEIGHT = 28, 220
# Score-rate bands of the map and the chart, best first: (lowest rate, colour, legend).
BANDS = (
    (0.9, "#15803d", "≥ 90%"),
    (0.8, "#84cc16", "80–90%"),
    (0.6, "#f59e0b", "60–80%"),
    (0.0, "#dc2626", "< 60%"),
)
NOT_INSPECTED_COLOR = "#94a3b8"
# Point codes come pasted from Excel or WPS: one a line, or separated by any comma.
CODE_SEPARATORS = re.compile(r"[\s,，、;；]+")
CODE_ERROR_SHOWN = 20
# Form fields a planning refusal can name; anything else is shown above the form.
ROUND_FIELDS = frozenset(
    {
        "name",
        "kind",
        "starts_on",
        "due_on",
        "framework",
        "rules",
        "points",
        "inspectors",
        "seed",
        "checkin_radius_m",
        "note",
    }
)
DEFAULT_ROUND_DAYS = 13
LEVEL_LABELS = {
    SubjectLevel.DISTRICT: gettext_lazy("区县"),
    SubjectLevel.STREET: gettext_lazy("街道"),
    SubjectLevel.COMMUNITY: gettext_lazy("社区"),
    SubjectLevel.UNIT: gettext_lazy("责任单位"),
    SubjectLevel.POINT_TYPE: gettext_lazy("点位类型"),
    SubjectLevel.POINT: gettext_lazy("点位"),
}


# -- small helpers ---------------------------------------------------------------------------
def _int(value) -> int | None:
    return parse_int(value)


def _refused(request, message: str):
    return render(request, "evaluation/round_refused.html", {"message": message}, status=403)


def _percent(rate: float | None) -> str:
    return "—" if rate is None else f"{rate * 100:.1f}%"


def _points(value: Decimal) -> str:
    # The map's popups read like the tables: 17.5 and 21, not 17.50 and 21.00.
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _color(rate: float | None) -> str:
    if rate is None:
        return NOT_INSPECTED_COLOR
    return next(color for low, color, _label in BANDS if rate >= low)


def _legend() -> list[dict]:
    return [{"color": c, "label": label} for _low, c, label in BANDS] + [
        {"color": NOT_INSPECTED_COLOR, "label": _("未检查")}
    ]


def _level(request) -> str:
    level = request.GET.get("level") or SubjectLevel.DISTRICT
    return level if level in selectors.RESULT_LEVELS else SubjectLevel.DISTRICT


# -- choices the forms offer -----------------------------------------------------------------
def _inspector_groups(chosen: set[str] | None = None) -> list[dict]:
    """The people who may be sent to inspect, by role, each ticked when ``chosen`` (ids as
    the form posts them) names them."""
    chosen = chosen or set()
    groups = selectors.inspector_groups()
    for group in groups:
        for person in group["people"]:
            person["checked"] = str(person["id"]) in chosen
    return groups


def _inspector_options() -> list[dict]:
    return [person for group in _inspector_groups() for person in group["people"]]


def _penalty_subjects() -> list[dict]:
    """What a penalty can fall on, one group per level; values say territory or unit."""
    by_level = selectors.penalty_territories()
    groups = [
        {
            "level": level,
            "label": SubjectLevel(level).label,
            "options": [
                {"value": f"t:{node.pk}", "name": f"{node.name} {node.code}"}
                for node in by_level[level]
            ],
        }
        for level in selectors.PENALTY_TERRITORY_LEVELS
        if by_level[level]
    ]
    kinds = dict(UnitKind.choices)
    groups.append(
        {
            "level": SubjectLevel.UNIT,
            "label": SubjectLevel.UNIT.label,
            "options": [
                {"value": f"u:{u.pk}", "name": f"{u.name}({kinds.get(u.kind, u.kind)})"}
                for u in selectors.penalty_units()
            ],
        }
    )
    return groups


# -- rounds ----------------------------------------------------------------------------------
@login_required
@require_GET
def round_list(request):
    user = request.user
    page = Paginator(selectors.rounds_for(user), ROUND_PAGE_SIZE).get_page(request.GET.get("page"))
    counts = selectors.round_counts(user=user, round_ids=[r.pk for r in page])
    for round_ in page:
        round_.total, round_.done = counts.get(round_.pk, (0, 0))
        round_.percent = round(100 * round_.done / round_.total) if round_.total else 0
    return render(
        request,
        "evaluation/round_list.html",
        {"page": page, "can_plan": plans_rounds(user)},
    )


def _parse_rules(data, types) -> tuple[list[dict], dict[str, str]]:
    """The sampling table: one row per point type, a blank percent leaves it out."""
    rules, errors = [], {}
    for point_type in types:
        percent = (data.get(f"percent_{point_type.pk}") or "").strip()
        if not percent:
            continue
        minimum = (data.get(f"minimum_{point_type.pk}") or "").strip() or "1"
        per = data.get(f"per_{point_type.pk}") or SubjectLevel.DISTRICT
        key = f"rule_{point_type.pk}"
        number, least = _int(percent), _int(minimum)
        if number is None or not 1 <= number <= 100:
            errors[key] = _("抽取比例应为 1 到 100 的整数。")
        elif least is None or not 0 <= least <= 1000:
            errors[key] = _("每组至少应为 0 到 1000 的整数。")
        else:
            rules.append(
                {"point_type_id": point_type.pk, "percent": number, "minimum": least, "per": per}
            )
    return rules, errors


def _parse_codes(text: str) -> tuple[list[int], str | None]:
    codes = list(dict.fromkeys(c for c in CODE_SEPARATORS.split(text or "") if c))
    if not codes:
        return [], None
    found = selectors.active_point_ids(codes=codes)
    unknown = [c for c in codes if c not in found]
    if unknown:
        shown = "、".join(unknown[:CODE_ERROR_SHOWN])
        if len(unknown) > CODE_ERROR_SHOWN:
            shown = _("%(codes)s 等 %(n)s 个") % {"codes": shown, "n": len(unknown)}
        return [], _("以下点位编号不存在或已停用:%(codes)s") % {"codes": shown}
    return [found[c] for c in codes], None


def _round_form_context(data, errors: dict[str, str]) -> dict:
    types = list(selectors.sampling_point_types())
    rule_rows = [
        {
            "type": t,
            "percent": data.get(f"percent_{t.pk}", ""),
            "per": data.get(f"per_{t.pk}") or SubjectLevel.DISTRICT,
            "minimum": data.get(f"minimum_{t.pk}", "1"),
            "error": errors.get(f"rule_{t.pk}"),
        }
        for t in types
    ]
    chosen = set(data.getlist("inspectors")) if hasattr(data, "getlist") else set()
    return {
        "data": data,
        "errors": errors,
        "general_error": errors.get("__all__"),
        "kinds": RoundKind.choices,
        "frameworks": selectors.framework_options(),
        "framework_id": str(data.get("framework", "")),
        "rule_rows": rule_rows,
        "pers": [
            (SubjectLevel.DISTRICT, _("每个区县")),
            (SubjectLevel.STREET, _("每个街道")),
        ],
        "inspector_groups": _inspector_groups(chosen),
        "default_radius": settings.EVALUATION_CHECKIN_RADIUS_M,
    }


@login_required
@require_http_methods(["GET", "POST"])
def round_new(request):
    if not plans_rounds(request.user):
        return _refused(request, _("只有市创文办可以组织测评。"))
    if request.method == "GET":
        start = selectors.today()
        current = selectors.current_framework()
        initial = {
            "starts_on": start.isoformat(),
            "due_on": (start + timedelta(days=DEFAULT_ROUND_DAYS)).isoformat(),
            "kind": RoundKind.BIMONTHLY,
            "framework": current.pk if current else "",
        }
        return render(request, "evaluation/round_new.html", _round_form_context(initial, {}))
    data = request.POST
    rules, errors = _parse_rules(data, list(selectors.sampling_point_types()))
    point_ids, code_error = _parse_codes(data.get("points", ""))
    if code_error:
        errors["points"] = code_error
    framework = (data.get("framework") or "").strip()
    if framework and _int(framework) is None:
        errors["framework"] = _("请选择测评体系。")
    status = 400
    if not errors:
        try:
            round_ = services.round_create(
                name=data.get("name", ""),
                kind=data.get("kind", ""),
                starts_on=data.get("starts_on", ""),
                due_on=data.get("due_on", ""),
                inspector_ids=data.getlist("inspectors"),
                actor=request.user,
                rules=rules,
                point_ids=point_ids,
                framework_id=_int(framework),
                seed=(data.get("seed") or "").strip() or None,
                checkin_radius_m=(data.get("checkin_radius_m") or "").strip() or None,
                note=data.get("note", ""),
            )
        except ServiceError as exc:
            errors[exc.field if exc.field in ROUND_FIELDS else "__all__"] = exc.message
            status = exc.status_code
        else:
            count = selectors.inspections_in(round_, request.user).count()
            messages.success(
                request,
                _(
                    "已创建测评轮次“%(name)s”,抽取 %(n)s 个点位。抽样种子 %(seed)s:"
                    "同样的规则和种子可以复现这次抽样。"
                )
                % {"name": round_.name, "n": count, "seed": round_.seed},
            )
            return redirect("evaluation:round_detail", pk=round_.pk)
    context = _round_form_context(data, errors)
    return render(request, "evaluation/round_new.html", context, status=status)


def _board_context(request, round_, **extra) -> dict:
    user = request.user
    planner = plans_rounds(user)
    day = selectors.today()
    progress = selectors.round_progress(round_=round_, user=user)
    filters = selectors.BoardFilter.from_params(request.GET)
    rows = selectors.round_inspection_list(round_=round_, user=user, filters=filters)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    reassignable = planner and round_.status != RoundStatus.CLOSED
    for inspection in page:
        inspection.overdue = (
            round_.status == RoundStatus.OPEN
            and inspection.status in selectors.OPEN_WORK
            and inspection.due_on < day
        )
        inspection.reassignable = reassignable and inspection.status in selectors.OPEN_WORK
    negatives = []
    if planner and round_.status != RoundStatus.DRAFT:
        negatives = selectors.round_negatives(round_=round_)
    context = {
        "round": round_,
        "planner": planner,
        "progress": progress,
        "status_counts": [
            (value, label, progress.total.counts[value])
            for value, label in InspectionStatus.choices
        ],
        "unchecked": sum(progress.total.counts[s] for s in selectors.OPEN_WORK),
        "rules": selectors.round_rules(round_=round_),
        "page": page,
        "query": list_query(request),
        "filters": asdict(filters),
        "statuses": InspectionStatus.choices,
        "inspector_filter": selectors.round_inspectors(round_=round_, user=user),
        "district_filter": selectors.round_districts(round_=round_, user=user),
        "reassign_options": _inspector_options() if reassignable else [],
        "penalties": list(selectors.round_penalties(round_=round_, user=user)),
        "negatives": negatives,
        "penalty_subjects": _penalty_subjects() if negatives else [],
        "penalty_posted": {},
        "penalty_error": None,
        "today": day,
    }
    context.update(extra)
    return context


@login_required
@require_GET
def round_detail(request, pk: int):
    round_ = selectors.round_get(user=request.user, round_id=pk)
    return render(request, "evaluation/round_detail.html", _board_context(request, round_))


def _board_refusal(request, round_, error: ServiceError, **extra):
    """The board again, fresh, with the service's status and its refusal: beside the
    penalty form when that form asked and is shown, as a message otherwise."""
    round_ = selectors.round_get(user=request.user, round_id=round_.pk)
    context = _board_context(request, round_, **extra)
    if not (context["penalty_error"] and context["negatives"]):
        messages.error(request, error.message)
    return render(request, "evaluation/round_detail.html", context, status=error.status_code)


def _round_step(request, pk: int, step, done: str):
    """Start or close a round from its board: the service decides, the board shows why not."""
    round_ = selectors.round_get(user=request.user, round_id=pk)
    try:
        round_ = step(
            round_id=round_.pk, actor=request.user, version=_int(request.POST.get("version"))
        )
    except ServiceError as exc:
        return _board_refusal(request, round_, exc)
    messages.success(request, done)
    return redirect("evaluation:round_detail", pk=round_.pk)


@login_required
@require_POST
def round_start(request, pk: int):
    return _round_step(request, pk, services.round_start, _("测评已开始,测评员已收到任务通知。"))


@login_required
@require_POST
def round_close(request, pk: int):
    return _round_step(request, pk, services.round_close, _("测评已结束。"))


@login_required
@require_POST
def round_discard(request, pk: int):
    round_ = selectors.round_get(user=request.user, round_id=pk)
    try:
        services.round_discard(round_id=round_.pk, actor=request.user)
    except ServiceError as exc:
        return _board_refusal(request, round_, exc)
    messages.success(request, _("已删除测评轮次“%(name)s”。") % {"name": round_.name})
    return redirect("evaluation:round_list")


@login_required
@require_POST
def round_penalty(request, pk: int):
    round_ = selectors.round_get(user=request.user, round_id=pk)
    subject = request.POST.get("subject") or ""
    kind, _sep, value = subject.partition(":")
    try:
        services.penalty_record(
            round_id=round_.pk,
            negative_id=_int(request.POST.get("negative")) or 0,
            actor=request.user,
            note=request.POST.get("note", ""),
            territory_id=_int(value) if kind == "t" else None,
            unit_id=_int(value) if kind == "u" else None,
        )
    except ServiceError as exc:
        return _board_refusal(
            request, round_, exc, penalty_posted=request.POST, penalty_error=exc.message
        )
    messages.success(request, _("已登记负面清单扣分。"))
    return redirect(reverse("evaluation:round_detail", args=[round_.pk]) + "#penalties")


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


# -- one inspection --------------------------------------------------------------------------
def _inspection_context(request, inspection, **extra) -> dict:
    point = inspection.point
    planner = plans_rounds(request.user)
    context = {
        "inspection": inspection,
        "round": inspection.round,
        "point": point,
        "chain": [n for n in (point.district, point.street, point.community) if n],
        "sections": selectors.inspection_sections(inspection=inspection),
        "counted": inspection.status in COUNTED_STATUSES,
        "rate": _percent(inspection.score_rate),
        "can_review": planner and inspection.status == InspectionStatus.SUBMITTED,
        "can_return": inspection.round.status == RoundStatus.OPEN,
        "review_error": None,
        "review_posted": {},
    }
    context.update(extra)
    return context


@login_required
@require_GET
def inspection_detail(request, pk: int):
    inspection = selectors.inspection_get(user=request.user, inspection_id=pk)
    return render(
        request, "evaluation/inspection_detail.html", _inspection_context(request, inspection)
    )


@login_required
@require_POST
def inspection_review(request, pk: int):
    inspection = selectors.inspection_get(user=request.user, inspection_id=pk)
    approve = request.POST.get("decision") == "approve"
    try:
        services.inspection_review(
            inspection_id=inspection.pk,
            actor=request.user,
            approve=approve,
            note=request.POST.get("note", ""),
            version=_int(request.POST.get("version")),
        )
    except ServiceError as exc:
        inspection = selectors.inspection_get(user=request.user, inspection_id=pk)
        context = _inspection_context(
            request, inspection, review_error=exc.message, review_posted=request.POST
        )
        if not context["can_review"]:  # no review form to show the refusal beside
            messages.error(request, exc.message)
        return render(request, "evaluation/inspection_detail.html", context, status=exc.status_code)
    messages.success(request, _("已审核通过。") if approve else _("已退回测评员。"))
    return redirect("evaluation:inspection_detail", pk=pk)


@login_required
@require_POST
def inspection_reassign(request, pk: int):
    inspection = selectors.inspection_get(user=request.user, inspection_id=pk)
    try:
        inspection = services.inspection_reassign(
            inspection_id=inspection.pk,
            inspector_id=_int(request.POST.get("inspector")) or 0,
            actor=request.user,
        )
    except ServiceError as exc:
        return _board_refusal(request, inspection.round, exc)
    messages.success(
        request,
        _("已将 %(point)s 改派给 %(name)s。")
        % {"point": inspection.point.name, "name": str(inspection.inspector)},
    )
    fallback = reverse("evaluation:round_detail", args=[inspection.round_id])
    return redirect(next_url(request, fallback))


urlpatterns = [
    path("", round_list, name="round_list"),
    path("rounds/new/", round_new, name="round_new"),
    path("rounds/<id:pk>/", round_detail, name="round_detail"),
    path("rounds/<id:pk>/start/", round_start, name="round_start"),
    path("rounds/<id:pk>/close/", round_close, name="round_close"),
    path("rounds/<id:pk>/discard/", round_discard, name="round_discard"),
    path("rounds/<id:pk>/penalties/", round_penalty, name="round_penalty"),
    path("rounds/<id:pk>/results/", round_results, name="round_results"),
    path("rounds/<id:pk>/problems/", round_problems, name="round_problems"),
    path("inspections/<id:pk>/", inspection_detail, name="inspection_detail"),
    path("inspections/<id:pk>/review/", inspection_review, name="inspection_review"),
    path("inspections/<id:pk>/reassign/", inspection_reassign, name="inspection_reassign"),
]
