"""The office's round pages: the list, the planning form and the progress board with its
actions (start, close, discard, penalties). The results and the 问题清单 are in
``round_results``, one inspection with its review in ``inspections``.

Reads go through ``selectors`` and are scoped: a district, street or unit sees only the
lines of its own points, and an object outside the scope answers 404. Writes go through
``services``; a refusal (a non-planner's 403 included) is shown on the page that asked,
with the status code the service chose."""

from __future__ import annotations

import re
from dataclasses import asdict
from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from chuangwen.core.errors import ServiceError
from chuangwen.core.web import list_query
from chuangwen.org.choices import UnitKind

from .. import selectors, services
from ..choices import InspectionStatus, RoundKind, RoundStatus, SubjectLevel
from ..permissions import plans_rounds
from .round_common import PAGE_SIZE, _int, _refused

ROUND_PAGE_SIZE = 30
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


urlpatterns = [
    path("", round_list, name="round_list"),
    path("rounds/new/", round_new, name="round_new"),
    path("rounds/<id:pk>/", round_detail, name="round_detail"),
    path("rounds/<id:pk>/start/", round_start, name="round_start"),
    path("rounds/<id:pk>/close/", round_close, name="round_close"),
    path("rounds/<id:pk>/discard/", round_discard, name="round_discard"),
    path("rounds/<id:pk>/penalties/", round_penalty, name="round_penalty"),
]
