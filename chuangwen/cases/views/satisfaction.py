"""Callback satisfaction figures and the review of citizens' reopen requests."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from chuangwen.core.bounds import EARLIEST, LATEST
from chuangwen.core.errors import ServiceError
from chuangwen.core.workcalendar import get_calendar

from .. import permissions, selectors, services


def _month_range(text: str):
    """The first moments of a month ("2026-11") and of the next, in the city's time zone."""
    from datetime import datetime

    tz = get_calendar().tz
    try:
        start = datetime.strptime(text, "%Y-%m").replace(tzinfo=tz)
    except ValueError:
        return None, None
    # The calendar's first and last years have no month before or after them to compare.
    if not EARLIEST.year <= start.year < LATEST.year:
        return None, None
    end = (
        start.replace(year=start.year + 1, month=1)
        if start.month == 12
        else start.replace(month=start.month + 1)
    )
    return start, end


@login_required
@require_GET
def satisfaction(request):
    """回访满意率 and reopen requests per unit or category, for a month or all time."""
    by = request.GET.get("by", "unit")
    if by not in selectors.SATISFACTION_GROUPS:
        by = "unit"
    month = request.GET.get("month", "").strip()
    since, until = _month_range(month) if month else (None, None)
    rows = selectors.satisfaction_stats(user=request.user, by=by, since=since, until=until)
    total = selectors.SatisfactionRow(None, _("合计"))
    for row in rows:
        for name in ("rated", "satisfied", "basic", "dissatisfied", "reopen_requests", "reopened"):
            setattr(total, name, getattr(total, name) + getattr(row, name))
    context = {
        "rows": rows,
        "total": total,
        "by": by,
        "month": month if since else "",
        "month_error": bool(month) and since is None,
        "pending": selectors.reopen_requests(user=request.user, pending_only=True)[:50],
        "can_decide": permissions.operates_somewhere(request.user),
    }
    return render(request, "cases/satisfaction.html", context)


@login_required
@require_POST
def reopen_request_decide(request, pk: int):
    if not selectors.reopen_requests(user=request.user).filter(pk=pk).exists():
        raise Http404("reopen request")
    approve = request.POST.get("decision") == "approve"
    try:
        decided = services.reopen_request_decide(
            request_id=pk, approve=approve, actor=request.user, note=request.POST.get("note", "")
        )
    except ServiceError as error:
        messages.error(request, error.message)
        return redirect(reverse("cases:satisfaction") + "#reopen-requests")
    code = decided.target.code
    if approve:
        messages.success(request, _("已批准,案件 %(code)s 重新立案。") % {"code": code})
    else:
        messages.success(request, _("已驳回案件 %(code)s 的重新办理申请。") % {"code": code})
    return redirect(reverse("cases:satisfaction") + "#reopen-requests")
