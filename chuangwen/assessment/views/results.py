"""One subject's result: every component with its figure, points and the sentence that
explains them, the case indicators with their formulas, and (once published) the
appeals with their trace and the form to file one.

A published result is read through ``selectors.result_get`` (404 outside the scope); a
draft one is found among the lines ``selectors.results_for`` gives the reader, so a
subject outside the scope is not found either."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from chuangwen.core.errors import ServiceError

from .. import periods, selectors, services
from ..choices import AppealStatus, PublicationStatus, SubjectType
from ..indicators import INDICATORS
from ..permissions import manages_assessment, may_appeal
from ..scoring import figure_unit, number_text, rate_text
from .common import decimal_or_none, subject_types_for
from .rankings import rankings_url

APPEAL_FIELDS = frozenset({"component_position", "requested_points", "reason"})


def _typed_number(value):
    """What the person typed, with full-width digits made plain; the service judges it."""
    try:
        return decimal_or_none(value) or value
    except ValueError:
        return value


def _figure_text(score, component) -> str:
    if score.figure is None:
        return "—"
    unit = figure_unit(component) if component is not None else "%"
    if unit == "%":
        return rate_text(score.figure)
    return f"{number_text(score.figure)} {unit}"


def _components(scores, scheme) -> list[dict]:
    by_position = {c.position: c for c in scheme.components.all()} if scheme else {}
    rows = []
    for score in scores:
        component = by_position.get(score.position)
        rows.append(
            {
                "position": score.position,
                "label": score.label,
                "kind": score.kind,
                "source": component.get_kind_display() if component else "",
                "rule": component.get_rule_display() if component else "",
                "figure": _figure_text(score, component),
                "points": number_text(score.points),
                "max": number_text(score.max_points),
                "lost": number_text(score.lost) if score.lost > 0 else None,
                "lost_value": score.lost,
                "explanation": score.explanation,
            }
        )
    return rows


def _indicators(values: dict) -> list[dict]:
    rows = []
    for indicator in INDICATORS:
        if indicator.code not in values:
            continue
        value = values[indicator.code]
        if value is None:
            text = "—"
        elif indicator.unit == "%":
            text = rate_text(value)
        else:
            text = f"{number_text(value)} {indicator.unit}"
        rows.append({"indicator": indicator, "value": text})
    return rows


def _appealable(components: list[dict], appeals) -> list[dict]:
    """Components that lost points and have no appeal waiting: what may be appealed."""
    waiting = {a.component_position for a in appeals if a.status == AppealStatus.PENDING}
    return [c for c in components if c["lost"] and c["position"] not in waiting]


def _result_context(request, result, **extra) -> dict:
    user = request.user
    publication = result.publication
    period = periods.parse(publication.period_key)
    components = _components(selectors.result_components(result), publication.scheme)
    appeals = sorted(result.appeals.all(), key=lambda a: (a.filed_at, a.pk))
    standing = publication.status == PublicationStatus.PUBLISHED
    can_appeal = standing and may_appeal(user, result)
    context = {
        "published": True,
        "result": result,
        "publication": publication,
        "withdrawn": not standing,
        "period": period,
        "subject_type": publication.subject_type,
        "subject_label": SubjectType(publication.subject_type).label,
        "subject_name": result.subject_name,
        "subject_code": result.subject_code,
        "scheme": publication.scheme,
        "components": components,
        "indicators": _indicators(result.indicators),
        "total": number_text(result.total),
        "rank": result.rank,
        "previous_rank": result.previous_rank,
        "rank_change": result.rank_change,
        "rank_moved": abs(result.rank_change or 0),
        "adjustment": number_text(result.adjustment),
        "has_adjustment": bool(result.adjustment),
        "final_total": number_text(result.final_total),
        "final_rank": result.final_rank,
        "subject_count": publication.results.count(),
        "appeals": appeals,
        "can_appeal": can_appeal,
        "appealable": _appealable(components, appeals) if can_appeal else [],
        "is_office": manages_assessment(user),
        "back_url": rankings_url(publication.period_key, publication.subject_type),
        "appeal_error": None,
        "appeal_field": None,
        "posted": {},
    }
    context.update(extra)
    return context


@login_required
@require_GET
def result_detail(request, pk: int):
    result = selectors.result_get(user=request.user, result_id=pk)
    return render(request, "assessment/result_detail.html", _result_context(request, result))


@login_required
@require_GET
def draft_detail(request, subject_type: str, period_key: str, subject_id: int):
    user = request.user
    if subject_type not in subject_types_for(user):
        raise Http404("考评对象类型不存在")
    try:
        period = periods.parse(period_key)
    except ServiceError:
        raise Http404("考评周期不存在") from None
    results = selectors.results_for(user=user, period_key=period.key, subject_type=subject_type)
    line = next((x for x in results.lines if x.subject_id == subject_id), None)
    if line is None:
        raise Http404("考评对象不存在")
    if line.result_id:
        return redirect("assessment:result_detail", pk=line.result_id)
    components = _components(line.components, results.scheme)
    context = {
        "published": False,
        "period": period,
        "subject_type": subject_type,
        "subject_label": SubjectType(subject_type).label,
        "subject_name": line.subject_name,
        "subject_code": line.subject_code,
        "scheme": results.scheme,
        "computed_at": results.computed_at,
        "components": components,
        "indicators": _indicators(line.indicators),
        "total": number_text(line.total),
        "rank": line.rank,
        "previous_rank": line.previous_rank,
        "rank_change": line.rank_change,
        "rank_moved": abs(line.rank_change or 0),
        "final_total": number_text(line.final_total),
        "final_rank": line.final_rank,
        "subject_count": results.subject_count,
        "appeals": [],
        "can_appeal": False,
        "is_office": manages_assessment(user),
        "back_url": rankings_url(period.key, subject_type),
    }
    return render(request, "assessment/result_detail.html", context)


@login_required
@require_POST
def appeal_file(request, pk: int):
    user = request.user
    result = selectors.result_get(user=user, result_id=pk)
    data = request.POST
    try:
        appeal = services.appeal_file(
            result_id=result.pk,
            component_position=data.get("component_position"),
            requested_points=_typed_number(data.get("requested_points")),
            reason=data.get("reason", ""),
            actor=user,
        )
    except ServiceError as exc:
        result = selectors.result_get(user=user, result_id=pk)
        context = _result_context(
            request,
            result,
            appeal_error=exc.message,
            appeal_field=exc.field if exc.field in APPEAL_FIELDS else None,
            posted=data,
        )
        if not context["can_appeal"]:  # no form to show the refusal beside
            messages.error(request, exc.message)
        return render(request, "assessment/result_detail.html", context, status=exc.status_code)
    messages.success(
        request,
        _("已提交“%(label)s”的申诉,等待市创文办审核。") % {"label": appeal.component_label},
    )
    return redirect(reverse("assessment:result_detail", args=[result.pk]) + "#appeals")


urlpatterns = [
    path("results/<id:pk>/", result_detail, name="result_detail"),
    path("results/<id:pk>/appeal/", appeal_file, name="appeal_file"),
    path(
        "draft/<str:subject_type>/<str:period_key>/<id:subject_id>/",
        draft_detail,
        name="draft_detail",
    ),
]
