"""The registry pages: points (list with map, detail, forms, import/export) and the point
types with their checklists. Every signed-in user reads the points of their scope (404
outside it); only city admins (CONFIGURE) see the forms, and the services refuse
everyone else's writes."""

from __future__ import annotations

import base64
from itertools import groupby

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from chuangwen.core.errors import PermissionDeniedError, ServiceError
from chuangwen.core.scoping import CONFIGURE, may_export, scope_for
from chuangwen.core.web import list_query
from chuangwen.core.xlsx import error_report_xlsx, xlsx_response
from chuangwen.org.choices import UnitKind
from chuangwen.territory.selectors import feature, scope_roots

from .. import selectors, services
from ..scoring import points_text

PAGE_SIZE = 50
MAP_LIMIT = 5000
# The last import's error report waits in the session until it is downloaded: it only
# exists for the person who ran the import.
ERROR_REPORT_KEY = "point_import_error_report"
# Marker colours, given to types in their display order: distinct on a map and readable
# as text-on-white swatches. More types than colours repeat the cycle.
TYPE_COLORS = (
    "#c0392b",
    "#2563eb",
    "#16a34a",
    "#d97706",
    "#7c3aed",
    "#0891b2",
    "#db2777",
    "#65a30d",
    "#475569",
    "#b45309",
    "#4f46e5",
    "#0d9488",
)
POINT_FORM_FIELDS = ("code", "name", "point_type", "address", "lat", "lng", "unit", "paired_unit")
TYPE_FORM_FIELDS = ("code", "name", "description", "position")
ITEM_FORM_FIELDS = ("section", "text", "max_points", "deduction", "category", "indicator")


# -- helpers ---------------------------------------------------------------------------------
def _configures(user) -> bool:
    return scope_for(user).for_action(CONFIGURE).citywide


def _refused(request, message: str | None = None):
    text = message or _("只有创文办系统管理员可以维护点位和检查表。")
    return render(request, "evaluation/point_refused.html", {"message": text}, status=403)


def _type_colors() -> dict[str, str]:
    codes = selectors.point_type_codes()
    return {code: TYPE_COLORS[i % len(TYPE_COLORS)] for i, code in enumerate(codes)}


def _with(request, **changes) -> str:
    """This list's address with some filters changed (blank drops one) and page 1."""
    params = request.GET.copy()
    params.pop("page", None)
    for name, value in changes.items():
        if value:
            params[name] = value
        else:
            params.pop(name, None)
    query = params.urlencode()
    return f"?{query}" if query else "?"


def _outline_urls(user) -> list[str]:
    return [reverse("territory:children_geojson", args=[n.code]) for n in scope_roots(user=user)]


def _unit_groups() -> list[tuple[str, list]]:
    labels = dict(UnitKind.choices)
    rank = {kind: i for i, kind in enumerate(UnitKind.values)}
    units = sorted(selectors.unit_choices(), key=lambda u: (rank.get(u.kind, 99), u.name))
    return [(labels.get(k, k), list(rows)) for k, rows in groupby(units, key=lambda u: u.kind)]


def _checked(request, name: str) -> bool:
    return request.POST.get(name) == "on"


def _posted(request, names) -> dict[str, str]:
    return {name: request.POST.get(name, "").strip() for name in names}


# -- points ----------------------------------------------------------------------------------
@login_required
@require_GET
def point_list(request):
    user = request.user
    filters = selectors.PointFilter.from_params(request.GET)
    page = Paginator(selectors.point_list(user=user, filters=filters), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    colors = _type_colors()
    counts = selectors.type_counts(user=user, filters=filters)
    for row in counts:
        row["color"] = colors.get(row["code"], TYPE_COLORS[0])
        row["url"] = _with(request, type=row["code"])
    for point in page.object_list:
        point.color = colors.get(point.point_type.code, TYPE_COLORS[0])
        nodes = (point.district, point.street, point.community)
        point.place = " › ".join(n.name for n in nodes if n is not None)
    query = list_query(request)
    return render(
        request,
        "evaluation/point_list.html",
        {
            "page": page,
            "filters": filters,
            "query": query,
            "type_counts": counts,
            "counted": sum(row["count"] for row in counts),
            "all_types_url": _with(request, type=""),
            "types": selectors.active_point_types(),
            "districts": selectors.district_options(user=user),
            "states": [
                ("active", _("有效点位")),
                ("inactive", _("已停用")),
                ("all", _("全部")),
            ],
            "can_configure": _configures(user),
            "can_export": may_export(user),
            "outline_urls": _outline_urls(user),
            "label_count": _("地图上 %(n)s 个点位"),
            "label_truncated": _("只显示前 %(n)s 个,请缩小筛选范围。"),
        },
    )


@login_required
@require_GET
def point_map_json(request):
    filters = selectors.PointFilter.from_params(request.GET)
    points = selectors.point_map_points(user=request.user, filters=filters, limit=MAP_LIMIT)
    colors = _type_colors()
    # One reverse() for the pattern instead of one per point: there may be hundreds.
    detail = reverse("evaluation:point_detail", args=[0]).replace("/0/", "/{id}/")
    for point in points:
        point["color"] = colors.get(point["type"], TYPE_COLORS[0])
        point["url"] = detail.replace("{id}", str(point["id"]))
    return JsonResponse(
        {"count": len(points), "truncated": len(points) >= MAP_LIMIT, "points": points}
    )


@login_required
@require_GET
def point_export(request):
    if not may_export(request.user):
        return _refused(request, _("您没有导出点位的权限。"))
    filters = selectors.PointFilter.from_params(request.GET)
    points = selectors.point_export_queryset(user=request.user, filters=filters)
    return xlsx_response(services.point_export(points), "点位清单.xlsx")


@login_required
@require_GET
def point_template(request):
    if not _configures(request.user):
        return _refused(request)
    return xlsx_response(services.point_template(), "点位导入模板.xlsx")


@login_required
def point_import(request):
    if not _configures(request.user):
        return _refused(request)
    context: dict = {"skip_bad_rows": False}
    if request.method != "POST":
        return render(request, "evaluation/point_import.html", context)
    upload = request.FILES.get("file")
    skip = _checked(request, "skip_bad_rows")
    context.update(skip_bad_rows=skip, upload_name=upload.name if upload else "", posted=True)
    request.session.pop(ERROR_REPORT_KEY, None)
    if upload is None:
        context["error"] = _("请选择要导入的文件(.xlsx 或 .csv)。")
        return render(request, "evaluation/point_import.html", context, status=400)
    try:
        report = services.point_import(upload=upload, actor=request.user, skip_bad_rows=skip)
    except PermissionDeniedError as exc:
        return _refused(request, exc.message)
    except ServiceError as exc:
        context["error"] = exc.message
        return render(request, "evaluation/point_import.html", context, status=exc.status_code)
    if report.bad_rows:
        request.session[ERROR_REPORT_KEY] = base64.b64encode(error_report_xlsx(report)).decode(
            "ascii"
        )
    context["report"] = report
    return render(request, "evaluation/point_import.html", context)


@login_required
@require_GET
def point_import_errors(request):
    if not _configures(request.user):
        return _refused(request)
    encoded = request.session.get(ERROR_REPORT_KEY)
    if not encoded:
        raise Http404("no error report")
    return xlsx_response(base64.b64decode(encoded), "点位导入错误报告.xlsx")


@login_required
@require_GET
def point_detail(request, pk: int):
    user = request.user
    point = selectors.point_get(user=user, point_id=pk)
    chain = [n for n in (point.district, point.street, point.community) if n is not None]
    if point.territory_id not in {n.pk for n in chain}:
        chain.append(point.territory)
    colors = _type_colors()
    return render(
        request,
        "evaluation/point_detail.html",
        {
            "point": point,
            "chain": chain,
            "color": colors.get(point.point_type.code, TYPE_COLORS[0]),
            "inspections": selectors.recent_inspections(user=user, point=point),
            "map_features": {"type": "FeatureCollection", "features": [feature(point.territory)]},
            "can_configure": _configures(user),
        },
    )


def _point_form(request, *, point=None, values: dict, error=None, status: int = 200):
    return render(
        request,
        "evaluation/point_form.html",
        {
            "point": point,
            "values": values,
            "error": error,
            "types": selectors.active_point_types(),
            "unit_groups": _unit_groups(),
            "outline_urls": _outline_urls(request.user),
        },
        status=status,
    )


@login_required
def point_new(request):
    if not _configures(request.user):
        return _refused(request)
    if request.method != "POST":
        return _point_form(request, values={"is_active": True})
    values = _posted(request, POINT_FORM_FIELDS)
    try:
        point = services.point_create(
            code=values["code"],
            name=values["name"],
            point_type_id=values["point_type"],
            lat=values["lat"],
            lng=values["lng"],
            unit_id=values["unit"],
            paired_unit_id=values["paired_unit"] or None,
            address=values["address"],
            actor=request.user,
        )
    except PermissionDeniedError as exc:
        return _refused(request, exc.message)
    except ServiceError as exc:
        return _point_form(request, values=values, error=exc, status=exc.status_code)
    messages.success(request, _("已新建点位 %(code)s。") % {"code": point.code})
    return redirect("evaluation:point_detail", pk=point.pk)


@login_required
def point_edit(request, pk: int):
    point = selectors.point_get(user=request.user, point_id=pk)  # 404 outside the scope
    if request.method != "POST":
        if not _configures(request.user):
            return _refused(request)
        values = {
            "code": point.code,
            "name": point.name,
            "point_type": str(point.point_type_id),
            "address": point.address,
            "lat": repr(point.lat),
            "lng": repr(point.lng),
            "unit": str(point.unit_id),
            "paired_unit": str(point.paired_unit_id or ""),
            "is_active": point.is_active,
        }
        return _point_form(request, point=point, values=values)
    values = _posted(request, POINT_FORM_FIELDS)
    values["is_active"] = _checked(request, "is_active")
    try:
        point = services.point_update(
            point_id=pk,
            actor=request.user,
            name=values["name"],
            address=values["address"],
            point_type_id=values["point_type"],
            lat=values["lat"],
            lng=values["lng"],
            unit_id=values["unit"],
            paired_unit_id=values["paired_unit"] or None,
            is_active=values["is_active"],
        )
    except PermissionDeniedError as exc:
        return _refused(request, exc.message)
    except ServiceError as exc:
        values["code"] = point.code
        return _point_form(request, point=point, values=values, error=exc, status=exc.status_code)
    messages.success(request, _("已保存点位 %(code)s。") % {"code": point.code})
    return redirect("evaluation:point_detail", pk=point.pk)


# -- point types and checklists ----------------------------------------------------------------
def _types_url(point_type=None) -> str:
    url = reverse("evaluation:pointtype_list")
    return f"{url}#type-{point_type.code}" if point_type is not None else url


@login_required
@require_GET
def pointtype_list(request):
    can_configure = _configures(request.user)
    types = selectors.point_types(include_inactive=can_configure)
    return render(
        request,
        "evaluation/pointtype_list.html",
        {"types": types, "can_configure": can_configure},
    )


def _type_form(request, *, point_type=None, values: dict, error=None, status: int = 200):
    return render(
        request,
        "evaluation/pointtype_form.html",
        {"point_type": point_type, "values": values, "error": error},
        status=status,
    )


@login_required
def pointtype_new(request):
    if not _configures(request.user):
        return _refused(request)
    if request.method != "POST":
        return _type_form(request, values={})
    values = _posted(request, TYPE_FORM_FIELDS)
    try:
        point_type = services.point_type_create(
            code=values["code"],
            name=values["name"],
            description=values["description"],
            actor=request.user,
        )
    except PermissionDeniedError as exc:
        return _refused(request, exc.message)
    except ServiceError as exc:
        return _type_form(request, values=values, error=exc, status=exc.status_code)
    messages.success(request, _("已新建点位类型“%(name)s”。") % {"name": point_type.name})
    return redirect(_types_url(point_type))


@login_required
def pointtype_edit(request, pk: int):
    point_type = selectors.point_type_get(point_type_id=pk)
    if request.method != "POST":
        if not _configures(request.user):
            return _refused(request)
        values = {
            "code": point_type.code,
            "name": point_type.name,
            "description": point_type.description,
            "position": str(point_type.position),
            "is_active": point_type.is_active,
        }
        return _type_form(request, point_type=point_type, values=values)
    values = _posted(request, TYPE_FORM_FIELDS)
    values["is_active"] = _checked(request, "is_active")
    changes = {k: values[k] for k in ("code", "name", "description", "is_active")}
    if values["position"]:  # left blank: the order stays as it is
        changes["position"] = values["position"]
    try:
        point_type = services.point_type_update(point_type_id=pk, actor=request.user, **changes)
    except PermissionDeniedError as exc:
        return _refused(request, exc.message)
    except ServiceError as exc:
        return _type_form(
            request, point_type=point_type, values=values, error=exc, status=exc.status_code
        )
    messages.success(request, _("已保存点位类型“%(name)s”。") % {"name": point_type.name})
    return redirect(_types_url(point_type))


def _item_form(request, *, point_type, item=None, values: dict, error=None, status: int = 200):
    return render(
        request,
        "evaluation/pointtype_item_form.html",
        {
            "point_type": point_type,
            "item": item,
            "values": values,
            "error": error,
            "sections": selectors.section_names(point_type),
            "categories": selectors.category_choices(),
            "indicators": selectors.indicator_choices(),
        },
        status=status,
    )


@login_required
def pointtype_item_new(request, pk: int):
    point_type = selectors.point_type_get(point_type_id=pk)
    if request.method != "POST":
        if not _configures(request.user):
            return _refused(request)
        values = {"evidence_required": True, "na_allowed": False}
        return _item_form(request, point_type=point_type, values=values)
    values = _posted(request, ITEM_FORM_FIELDS)
    values["evidence_required"] = _checked(request, "evidence_required")
    values["na_allowed"] = _checked(request, "na_allowed")
    try:
        item = services.checklist_item_create(
            point_type_id=point_type.pk,
            section=values["section"],
            text=values["text"],
            max_points=values["max_points"],
            deduction=values["deduction"],
            category_code=values["category"],
            indicator_id=values["indicator"] or None,
            evidence_required=values["evidence_required"],
            na_allowed=values["na_allowed"],
            actor=request.user,
        )
    except PermissionDeniedError as exc:
        return _refused(request, exc.message)
    except ServiceError as exc:
        return _item_form(
            request, point_type=point_type, values=values, error=exc, status=exc.status_code
        )
    messages.success(request, _("已添加检查项“%(text)s”。") % {"text": item.text})
    return redirect(_types_url(point_type))


@login_required
def pointtype_item_edit(request, pk: int):
    item = selectors.checklist_item_get(item_id=pk)
    if request.method != "POST":
        if not _configures(request.user):
            return _refused(request)
        values = {
            "section": item.section,
            "text": item.text,
            "max_points": points_text(item.max_points),
            "deduction": points_text(item.deduction),
            "category": item.category.code,
            "indicator": str(item.indicator_id or ""),
            "evidence_required": item.evidence_required,
            "na_allowed": item.na_allowed,
            "is_active": item.is_active,
        }
        return _item_form(request, point_type=item.point_type, item=item, values=values)
    values = _posted(request, ITEM_FORM_FIELDS)
    for name in ("evidence_required", "na_allowed", "is_active"):
        values[name] = _checked(request, name)
    try:
        item = services.checklist_item_update(
            item_id=pk,
            actor=request.user,
            section=values["section"],
            text=values["text"],
            max_points=values["max_points"],
            deduction=values["deduction"],
            category_code=values["category"],
            indicator_id=values["indicator"] or None,
            evidence_required=values["evidence_required"],
            na_allowed=values["na_allowed"],
            is_active=values["is_active"],
        )
    except PermissionDeniedError as exc:
        return _refused(request, exc.message)
    except ServiceError as exc:
        return _item_form(
            request,
            point_type=item.point_type,
            item=item,
            values=values,
            error=exc,
            status=exc.status_code,
        )
    messages.success(request, _("已保存检查项“%(text)s”。") % {"text": item.text})
    return redirect(_types_url(item.point_type))


@login_required
@require_POST
def pointtype_item_move(request, pk: int):
    item = selectors.checklist_item_get(item_id=pk)
    try:
        services.checklist_item_move(
            item_id=pk, direction=request.POST.get("direction", ""), actor=request.user
        )
    except PermissionDeniedError as exc:
        return _refused(request, exc.message)
    except ServiceError as exc:
        messages.error(request, exc.message)
    return redirect(_types_url(item.point_type))


urlpatterns = [
    path("points/", point_list, name="point_list"),
    path("points/map.json", point_map_json, name="point_map_json"),
    path("points/export.xlsx", point_export, name="point_export"),
    path("points/template.xlsx", point_template, name="point_template"),
    path("points/import/", point_import, name="point_import"),
    path("points/import/errors.xlsx", point_import_errors, name="point_import_errors"),
    path("points/new/", point_new, name="point_new"),
    path("points/<id:pk>/", point_detail, name="point_detail"),
    path("points/<id:pk>/edit/", point_edit, name="point_edit"),
    path("point-types/", pointtype_list, name="pointtype_list"),
    path("point-types/new/", pointtype_new, name="pointtype_new"),
    path("point-types/<id:pk>/edit/", pointtype_edit, name="pointtype_edit"),
    path("point-types/<id:pk>/items/new/", pointtype_item_new, name="pointtype_item_new"),
    path("point-types/items/<id:pk>/edit/", pointtype_item_edit, name="pointtype_item_edit"),
    path("point-types/items/<id:pk>/move/", pointtype_item_move, name="pointtype_item_move"),
]
