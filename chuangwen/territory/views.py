import json

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from . import selectors
from .choices import Level, child_level
from .responsibility import default_unit


@login_required
@require_GET
def index(request):
    roots = selectors.scope_roots(user=request.user)
    if len(roots) == 1:
        return redirect("territory:node", code=roots[0].code)
    return render(request, "territory/index.html", {"roots": roots})


@login_required
@require_GET
def node_detail(request, code):
    node = selectors.node_get(user=request.user, code=code)
    children = selectors.children_with_counts(user=request.user, node=node)
    next_level = child_level(node.level)
    ancestors = selectors.ancestors(node, user=request.user)
    # A node without children is drawn among its siblings, when the parent is in scope.
    context_parent = ancestors[-1] if not children and ancestors else None
    return render(
        request,
        "territory/node.html",
        {
            "node": node,
            "ancestors": ancestors,
            "context_parent": context_parent,
            "children": children,
            "child_level_label": Level(next_level).label if next_level else "",
            "counts": [
                (Level(level).label, n)
                for level, n in selectors.level_counts(user=request.user, under=node).items()
                if n
            ],
            "default_unit": default_unit(node) if node.level == Level.GRID else None,
            "node_feature": selectors.feature(node),
            "export_levels": [
                (lv, Level(lv).label) for lv in Level.values[Level.values.index(node.level) :]
            ],
        },
    )


@login_required
@require_GET
def children_geojson(request, code):
    node = selectors.node_get(user=request.user, code=code)
    return JsonResponse(selectors.children_geojson(user=request.user, node=node))


@login_required
@require_GET
def export_geojson(request, code):
    level = request.GET.get("level") or None
    if level is not None and level not in Level.values:
        raise Http404("未知层级")
    data = selectors.export_geojson(user=request.user, root_code=code, level=level)
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False), content_type="application/geo+json; charset=utf-8"
    )
    filename = f"territory-{code}-{level or 'all'}.geojson"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
