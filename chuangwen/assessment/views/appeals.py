"""申诉: the office's review list (accept, accept in part with the points granted, or
reject with a reason) and, for a territory or unit, the list of its own appeals.

``selectors.appeals_for`` scopes the list; ``services.appeal_decide`` decides and
refuses. A refused decision shows the list again with the message beside that appeal's
form, with the status the service chose."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from chuangwen.core.errors import ServiceError

from .. import periods, selectors, services
from ..choices import AppealStatus
from ..permissions import manages_assessment
from ..scoring import number_text
from .common import decimal_or_none, int_or_none, refused

PAGE_SIZE = 30
DECISIONS = (AppealStatus.ACCEPTED, AppealStatus.PARTIAL, AppealStatus.REJECTED)


def _status(request) -> str:
    status = request.GET.get("status")
    if status is None:
        # The office opens the list to review: what waits comes first.
        return AppealStatus.PENDING if manages_assessment(request.user) else ""
    return status if status in AppealStatus.values else ""


def _context(request, status: str, **extra) -> dict:
    user = request.user
    rows = selectors.appeals_for(user=user, status=status or None)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    labels = {}
    for appeal in page:
        key = appeal.result.publication.period_key
        if key not in labels:
            labels[key] = periods.parse(key).label
        appeal.period_label = labels[key]
        appeal.requested_text = number_text(appeal.requested_points)
        appeal.granted_text = number_text(appeal.granted_points)
    pending = selectors.appeals_for(user=user, status=AppealStatus.PENDING).count()
    context = {
        "page": page,
        "status": status,
        "statuses": AppealStatus.choices,
        "pending_count": pending,
        "is_office": manages_assessment(user),
        "decisions": [(s.value, s.label) for s in DECISIONS],
        "error_id": None,
        "error": None,
        "posted": {},
        "query": urlencode({"status": status}) if status else "",
    }
    context.update(extra)
    return context


@login_required
@require_GET
def appeal_list(request):
    return render(request, "assessment/appeal_list.html", _context(request, _status(request)))


def _typed(value):
    try:
        return decimal_or_none(value)
    except ValueError:
        return value


@login_required
@require_POST
def appeal_decide(request, pk: int):
    user = request.user
    appeal = selectors.appeal_get(user=user, appeal_id=pk)
    if not manages_assessment(user):
        return refused(request, _("只有市创文办可以审核申诉。"))
    data = request.POST
    try:
        appeal = services.appeal_decide(
            appeal_id=appeal.pk,
            actor=user,
            status=data.get("status", ""),
            granted_points=_typed(data.get("granted_points")),
            note=data.get("note", ""),
            version=int_or_none(data.get("version")),
        )
    except ServiceError as exc:
        status = data.get("list_status", AppealStatus.PENDING)
        status = status if status in AppealStatus.values else ""
        context = _context(request, status, error_id=pk, error=exc.message, posted=data)
        if not any(a.pk == pk and a.status == AppealStatus.PENDING for a in context["page"]):
            messages.error(request, exc.message)
        return render(request, "assessment/appeal_list.html", context, status=exc.status_code)
    messages.success(
        request,
        _(
            "已审核%(subject)s“%(label)s”的申诉:%(status)s,最终得分 %(before)s → %(after)s,名次 %(rb)s → %(ra)s。"
        )
        % {
            "subject": appeal.result.subject_name,
            "label": appeal.component_label,
            "status": appeal.get_status_display(),
            "before": number_text(appeal.total_before),
            "after": number_text(appeal.total_after),
            "rb": appeal.rank_before,
            "ra": appeal.rank_after,
        },
    )
    target = reverse("assessment:appeal_list")
    status = data.get("list_status")
    if status is not None:
        target += "?" + urlencode({"status": status})
    return redirect(target)


urlpatterns = [
    path("appeals/", appeal_list, name="appeal_list"),
    path("appeals/<id:pk>/decide/", appeal_decide, name="appeal_decide"),
]
