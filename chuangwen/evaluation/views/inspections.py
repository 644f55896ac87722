"""One inspection as the office sees it: its page, its review and its reassignment."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from chuangwen.core.errors import ServiceError
from chuangwen.core.web import next_url

from .. import selectors, services
from ..choices import COUNTED_STATUSES, InspectionStatus, RoundStatus
from ..permissions import plans_rounds
from .round_common import _int, _percent
from .rounds import _board_refusal


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
    path("inspections/<id:pk>/", inspection_detail, name="inspection_detail"),
    path("inspections/<id:pk>/review/", inspection_review, name="inspection_review"),
    path("inspections/<id:pk>/reassign/", inspection_reassign, name="inspection_reassign"),
]
