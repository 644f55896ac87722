"""The catalogue page: every signed-in user reads it; the city office imports and exports
the 立结案标准 workbook here, and edits each 小类's extra fields (its Open311 questions)."""

from __future__ import annotations

import base64

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from chuangwen.core.errors import ServiceError
from chuangwen.core.scoping import CONFIGURE, scope_for
from chuangwen.core.xlsx import error_report_xlsx, xlsx_response

from . import extra_fields, selectors, services
from .choices import CategoryKind, Datatype

# The last import's error report waits in the session until it is downloaded: it only
# exists for the person who ran the import, and a shared cache could hand it to another
# worker process that never saw it.
ERROR_REPORT_KEY = "catalog_import_error_report"


def _configures(user) -> bool:
    return scope_for(user).for_action(CONFIGURE).citywide


def _require_configure(user) -> None:
    if not _configures(user):
        raise PermissionDenied(_("只有创文办系统管理员可以维护案件类别。"))


def _tree_context(request) -> dict:
    kind = request.GET.get("kind") or ""
    if kind not in CategoryKind.values:
        kind = ""
    search = (request.GET.get("q") or "").strip()[:50]
    tree = selectors.category_tree(search=search, kind=kind or None)
    return {
        "tree": tree,
        "kind": kind,
        "search": search,
        "kinds": CategoryKind.choices,
        "minor_count": sum(len(node.minors) for node in tree),
        "standard_count": sum(len(m.active_standards) for node in tree for m in node.minors),
    }


@login_required
@require_GET
def index(request):
    context = _tree_context(request)
    context["can_configure"] = _configures(request.user)
    if request.headers.get("HX-Request"):
        return render(request, "catalog/_tree.html", context)
    return render(request, "catalog/index.html", context)


@login_required
@require_POST
def import_workbook(request):
    _require_configure(request.user)
    upload = request.FILES.get("file")
    skip = request.POST.get("skip_bad_rows") == "on"
    context = {"skip_bad_rows": skip, "upload_name": upload.name if upload else ""}
    request.session.pop(ERROR_REPORT_KEY, None)
    if upload is None:
        context["error"] = _("请选择要导入的文件(.xlsx 或 .csv)。")
        return render(request, "catalog/import_result.html", context, status=400)
    try:
        report = services.catalog_import(upload=upload, actor=request.user, skip_bad_rows=skip)
    except ServiceError as exc:
        context["error"] = exc.message
        return render(request, "catalog/import_result.html", context, status=400)
    if report.errors:
        request.session[ERROR_REPORT_KEY] = base64.b64encode(error_report_xlsx(report)).decode(
            "ascii"
        )
    context["report"] = report
    return render(request, "catalog/import_result.html", context)


@login_required
@require_GET
def import_errors(request):
    _require_configure(request.user)
    encoded = request.session.get(ERROR_REPORT_KEY)
    if not encoded:
        raise Http404(_("没有可下载的错误报告。"))
    return xlsx_response(base64.b64decode(encoded), "立结案标准导入错误报告.xlsx")


@login_required
@require_GET
def export_workbook(request):
    _require_configure(request.user)
    return xlsx_response(services.catalog_export(), "立结案标准.xlsx")


@login_required
@require_GET
def template_workbook(request):
    _require_configure(request.user)
    return xlsx_response(services.catalog_template(), "立结案标准导入模板.xlsx")


# -- a 小类's extra fields --------------------------------------------------------------------
def _minor(code: str):
    category = selectors.minor_by_code(code)
    if category is None:
        raise Http404(_("小类不存在。"))
    return category


def _field_data(post) -> dict:
    return {
        "code": (post.get("code") or "").strip(),
        "label": post.get("label") or "",
        "type": post.get("type") or "",
        "required": post.get("required") == "on",
        "help": post.get("help") or "",
        "choices": extra_fields.parse_choices_text(post.get("choices")),
    }


def _fields_context(category, **extra) -> dict:
    # Copies: the page's own keys must not change the list its version is taken from.
    fields = [dict(entry) for entry in extra_fields.ordered(category.extra_fields)]
    for entry in fields:
        entry["choices_text"] = extra_fields.choices_text(entry.get("choices"), separator="、")
    return {
        "category": category,
        "fields": fields,
        "version": extra_fields.fields_version(category.extra_fields),
        "datatypes": Datatype.choices,
        **extra,
    }


def _render_list(request, category, *, error: str = "", status: int = 200):
    context = _fields_context(category, error=error)
    template = (
        "catalog/_fields.html" if request.headers.get("HX-Request") else "catalog/fields.html"
    )
    return render(request, template, context, status=status)


@login_required
@require_GET
def fields(request, code: str):
    _require_configure(request.user)
    return _render_list(request, _minor(code))


@login_required
@require_http_methods(["GET", "POST"])
def field_form(request, code: str, field_code: str | None = None):
    """Add a field (no ``field_code``) or change one."""
    _require_configure(request.user)
    category = _minor(code)
    current = None
    if field_code is not None:
        current = next(
            (e for e in extra_fields.ordered(category.extra_fields) if e.get("code") == field_code),
            None,
        )
        if current is None:
            raise Http404(_("附加字段不存在。"))
    context = {
        "category": category,
        "field_code": field_code,
        "datatypes": Datatype.choices,
        "version": extra_fields.fields_version(category.extra_fields),
    }
    if request.method == "GET":
        entry = current or {"type": Datatype.STRING}
        context["data"] = {**entry, "choices": extra_fields.choices_text(entry.get("choices"))}
        return render(request, "catalog/field_form.html", context)
    data = _field_data(request.POST)
    if current is not None and current.get("variable") is False:
        data["variable"] = False
    try:
        services.category_field_save(
            category=category,
            field=data,
            code=field_code,
            version=request.POST.get("version"),
            actor=request.user,
        )
    except ServiceError as exc:
        context["data"] = {**data, "choices": request.POST.get("choices") or ""}
        context["error"] = exc
        context["inline"] = exc.field in ("code", "label", "type", "help", "choices")
        return render(request, "catalog/field_form.html", context, status=exc.status_code)
    messages.success(request, _("附加字段已保存。"))
    return redirect("catalog:fields", code=category.code)


def _change_fields(request, code: str, change) -> HttpResponse:
    """Apply one change to the list of a 小类's fields (``change(category, version)``
    calls the service) and answer the list as it now stands, or with the refusal."""
    _require_configure(request.user)
    category = _minor(code)
    try:
        category = change(category, request.POST.get("version"))
    except ServiceError as exc:
        category.refresh_from_db()
        return _render_list(request, category, error=exc.message, status=exc.status_code)
    return _render_list(request, category)


@login_required
@require_POST
def field_move(request, code: str, field_code: str):
    step = -1 if request.POST.get("direction") == "up" else 1
    return _change_fields(
        request,
        code,
        lambda category, version: services.category_field_move(
            category=category, code=field_code, step=step, version=version, actor=request.user
        ),
    )


@login_required
@require_POST
def field_delete(request, code: str, field_code: str):
    return _change_fields(
        request,
        code,
        lambda category, version: services.category_field_delete(
            category=category, code=field_code, version=version, actor=request.user
        ),
    )
