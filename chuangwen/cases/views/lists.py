"""The case lists: list, inbox, map with its points, and saved filters."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from chuangwen.core.errors import ServiceError
from chuangwen.core.web import is_htmx, json_refusal, list_query

from .. import selectors, services
from ..choices import Status
from ..forms import SavedViewForm
from ._shared import PAGE_SIZE, _filter_context, _filter_error, _outline_urls

INBOX_LABELS = {
    "to_sign": gettext_lazy("待签收"),
    "in_progress": gettext_lazy("处置中"),
    "overdue": gettext_lazy("已超时"),
    "to_verify": gettext_lazy("待核查"),
}


@login_required
@require_GET
def case_list(request):
    filters = selectors.CaseFilter.from_params(request.GET)
    cases = selectors.case_list(user=request.user, filters=filters)
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    query = list_query(request)
    context = {
        "page": page,
        "query": query,
        "table_url": reverse("cases:list"),
        **_filter_context(request, filters),
    }
    status = 400 if filters.invalid else 200
    if is_htmx(request):
        return render(request, "cases/_case_table.html", context, status=status)
    context["saved_views"] = selectors.saved_views(user=request.user)
    return render(request, "cases/case_list.html", context, status=status)


@login_required
@require_GET
def inbox(request):
    counts = selectors.inbox_counts(user=request.user)
    box = request.GET.get("box") or ""
    if box not in selectors.INBOXES:
        # Open on the first box with work in it, so the page answers "what now?".
        box = next((b for b in selectors.INBOXES if counts.get(b)), selectors.INBOXES[0])
    cases = selectors.case_list(user=request.user, filters=selectors.CaseFilter(box=box))
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "cases/inbox.html",
        {
            "page": page,
            "box": box,
            "query": f"box={box}",
            "tabs": [(b, INBOX_LABELS[b], counts.get(b, 0)) for b in selectors.INBOXES],
        },
    )


@login_required
@require_GET
def case_map(request):
    filters = selectors.CaseFilter.from_params(request.GET)
    return render(
        request,
        "cases/case_map.html",
        {
            "outline_urls": _outline_urls(request.user),
            "query": list_query(request),
            "label_count": _("共 %(n)s 件案件"),
            "label_truncated": _("只显示前 %(n)s 件,请缩小筛选范围。"),
            "table_url": reverse("cases:map"),
            **_filter_context(request, filters),
        },
        status=400 if filters.invalid else 200,
    )


@login_required
@require_GET
def map_json(request):
    filters = selectors.CaseFilter.from_params(request.GET)
    if filters.invalid:
        return json_refusal(_filter_error(filters), status=400, field=filters.invalid[0])
    limit = 5000
    points = selectors.map_points(user=request.user, filters=filters, limit=limit)
    labels = dict(Status.choices)
    # One reverse() for the pattern instead of one per point: there may be thousands.
    detail = reverse("cases:detail", args=[0]).replace("/0/", "/{id}/")
    for point in points:
        point["status_label"] = str(labels.get(point["status"], point["status"]))
        point["url"] = detail.replace("{id}", str(point["id"]))
    return JsonResponse({"count": len(points), "truncated": len(points) >= limit, "points": points})


# -- saved views -------------------------------------------------------------------------------
@login_required
@require_POST
def saved_view_save(request):
    form = SavedViewForm(request.POST)
    form.is_valid()
    # Re-encoded, so what is stored and redirected to is a query string and nothing else.
    query = QueryDict(form.cleaned_data.get("query", "").lstrip("?")).urlencode()
    try:
        view = services.saved_view_save(
            user=request.user, name=form.cleaned_data.get("name", ""), query=query
        )
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("已保存筛选“%(name)s”。") % {"name": view.name})
        query = view.query
    url = reverse("cases:list")
    return redirect(f"{url}?{query}" if query else url)


@login_required
@require_POST
def saved_view_delete(request, pk: int):
    if not selectors.saved_views(user=request.user).filter(pk=pk).exists():
        raise Http404("saved view")  # another user's filter does not exist for this one
    try:
        services.saved_view_delete(user=request.user, view_id=pk)
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("已删除该筛选。"))
    return redirect("cases:list")
