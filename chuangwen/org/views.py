from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from chuangwen.core.scoping import VIEW, scope_for

from . import selectors
from .choices import UnitKind

PAGE_SIZE = 50


@login_required
@require_GET
def unit_list(request):
    kind = request.GET.get("kind") or None
    if kind not in UnitKind.values:
        kind = None
    search = (request.GET.get("q") or "").strip()[:50]
    units = selectors.unit_list(user=request.user, kind=kind, search=search)
    page = Paginator(units, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "kind": kind or "",
        "search": search,
        "query": urlencode({"kind": kind or "", "q": search}),
        "kinds": [
            (value, label, n)
            for (value, label), n in zip(
                UnitKind.choices,
                selectors.unit_kind_counts(user=request.user).values(),
                strict=True,
            )
        ],
    }
    template = "org/_unit_table.html" if request.headers.get("HX-Request") else "org/unit_list.html"
    return render(request, template, context)


@login_required
@require_GET
def unit_detail(request, pk):
    unit = selectors.unit_get(user=request.user, pk=pk)
    return render(
        request,
        "org/unit_detail.html",
        {
            "unit": unit,
            "territory_visible": bool(unit.territory_id)
            and scope_for(request.user).for_action(VIEW).covers_path(unit.territory.path),
            "members": selectors.unit_members(user=request.user, unit=unit),
            "pairings": selectors.unit_pairings(user=request.user, unit=unit),
            "children": selectors.unit_children(user=request.user, unit=unit)[:200],
        },
    )
