"""The catalogue page: every signed-in user reads it; the city office imports and exports
the 立结案标准 workbook here."""

from __future__ import annotations

import base64

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from chuangwen.core.errors import ServiceError
from chuangwen.core.scoping import CONFIGURE, scope_for
from chuangwen.core.xlsx import error_report_xlsx, xlsx_response

from . import selectors, xlsx
from .choices import CategoryKind

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
    if request.headers.get("HX-Request"):
        return render(request, "catalog/_tree.html", context)
    context["can_configure"] = _configures(request.user)
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
        report = xlsx.catalog_import(upload=upload, actor=request.user, skip_bad_rows=skip)
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
    return xlsx_response(xlsx.catalog_export(), "立结案标准.xlsx")


@login_required
@require_GET
def template_workbook(request):
    _require_configure(request.user)
    return xlsx_response(xlsx.catalog_template(), "立结案标准导入模板.xlsx")
