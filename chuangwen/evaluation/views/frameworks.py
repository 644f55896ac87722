"""The 测评体系 pages: every signed-in user reads the editions and their trees and may
export them; only the city office's administrators import an edition or choose the
current one (the others see no buttons and are refused with 403)."""

from __future__ import annotations

import base64
from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from chuangwen.core.errors import ServiceError
from chuangwen.core.scoping import CONFIGURE, scope_for
from chuangwen.core.xlsx import error_report_xlsx, xlsx_response

from .. import selectors, services
from ..choices import FrameworkKind
from ..models import Framework
from ..scoring import points_text

# The last import's error report waits in the session until it is downloaded: it belongs
# to the person who ran the import, and another worker process never saw it.
ERROR_REPORT_KEY = "framework_import_error_report"


def _configures(user) -> bool:
    return scope_for(user).for_action(CONFIGURE).citywide


def _require_configure(user) -> None:
    if not _configures(user):
        raise PermissionDenied(_("只有创文办系统管理员可以维护测评体系。"))


@login_required
@require_GET
def framework_list(request):
    summaries = selectors.framework_list()
    return render(
        request,
        "evaluation/framework_list.html",
        {"summaries": summaries, "can_configure": _configures(request.user)},
    )


@login_required
@require_GET
def framework_detail(request, pk: int):
    framework = get_object_or_404(Framework, pk=pk)
    tree = selectors.framework_tree(framework)
    negatives = list(framework.negatives.order_by("position", "id"))
    for negative in negatives:
        negative.penalty_text = points_text(negative.penalty)
    context = {
        "framework": framework,
        "tree": tree,
        "negatives": negatives,
        "total": points_text(sum((node.total for node in tree), 0)),
        "counts": _counts(tree),
        "expand": request.GET.get("expand") == "1",
        "can_configure": _configures(request.user),
        "rounds": framework.rounds.count(),
    }
    return render(request, "evaluation/framework_detail.html", context)


def _counts(tree) -> dict[str, int]:
    counts = {"items": 0, "indicators": 0, "standards": 0}
    for dimension in tree:
        counts["items"] += len(dimension.children)
        for item in dimension.children:
            counts["indicators"] += len(item.children)
            counts["standards"] += sum(len(i.children) for i in item.children)
    return counts


def _form_context(posted=None) -> dict:
    posted = posted or {}
    return {
        "kinds": FrameworkKind.choices,
        "posted": {
            "kind": posted.get("kind", FrameworkKind.MODEL_CITY),
            "name": posted.get("name", ""),
            "cycle_start": posted.get("cycle_start", str(date.today().year)),
            "note": posted.get("note", ""),
            "replace": posted.get("replace") == "on",
            "skip_bad_rows": posted.get("skip_bad_rows") == "on",
        },
    }


@login_required
@require_http_methods(["GET", "POST"])
def framework_import(request):
    _require_configure(request.user)
    if request.method == "GET":
        return render(request, "evaluation/framework_import.html", _form_context())
    context = _form_context(request.POST)
    posted = context["posted"]
    upload = request.FILES.get("file")
    context["upload_name"] = upload.name if upload else ""
    request.session.pop(ERROR_REPORT_KEY, None)
    if upload is None:
        context["error"] = ServiceError(_("请选择要导入的文件(.xlsx)。"), field="file")
        return render(request, "evaluation/framework_import.html", context, status=400)
    try:
        report = services.framework_import(
            upload=upload,
            actor=request.user,
            kind=posted["kind"],
            name=posted["name"],
            cycle_start=posted["cycle_start"],
            note=posted["note"],
            replace=posted["replace"],
            skip_bad_rows=posted["skip_bad_rows"],
        )
    except ServiceError as exc:
        context["error"] = exc
        return render(request, "evaluation/framework_import.html", context, status=exc.status_code)
    if report.errors:
        request.session[ERROR_REPORT_KEY] = base64.b64encode(error_report_xlsx(report)).decode(
            "ascii"
        )
    context["report"] = report
    if report.applied:
        context["framework"] = selectors.framework_by_cycle(
            kind=posted["kind"], cycle_start=int(posted["cycle_start"])
        )
    return render(request, "evaluation/framework_import.html", context)


@login_required
@require_GET
def framework_import_errors(request):
    _require_configure(request.user)
    encoded = request.session.get(ERROR_REPORT_KEY)
    if not encoded:
        raise Http404(_("没有可下载的错误报告。"))
    return xlsx_response(base64.b64decode(encoded), "测评体系导入错误报告.xlsx")


@login_required
@require_GET
def framework_export(request, pk: int):
    framework = get_object_or_404(Framework, pk=pk)
    name = f"{framework.name}({framework.cycle_start}—{framework.cycle_end}).xlsx"
    return xlsx_response(services.framework_export(framework), name)


@login_required
@require_GET
def framework_template(request):
    _require_configure(request.user)
    return xlsx_response(services.framework_template(), "测评体系导入模板.xlsx")


@login_required
@require_POST
def framework_set_current(request, pk: int):
    _require_configure(request.user)
    framework = get_object_or_404(Framework, pk=pk)
    try:
        framework = services.framework_set_current(framework_id=framework.pk, actor=request.user)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("已将“%(name)s”设为现行%(kind)s测评体系。")
            % {"name": framework.name, "kind": framework.get_kind_display()},
        )
    return redirect("evaluation:framework_list")


urlpatterns = [
    path("frameworks/", framework_list, name="framework_list"),
    path("frameworks/import/", framework_import, name="framework_import"),
    path("frameworks/import/errors.xlsx", framework_import_errors, name="framework_import_errors"),
    path("frameworks/template.xlsx", framework_template, name="framework_template"),
    path("frameworks/<id:pk>/", framework_detail, name="framework_detail"),
    path("frameworks/<id:pk>/export.xlsx", framework_export, name="framework_export"),
    path("frameworks/<id:pk>/current/", framework_set_current, name="framework_set_current"),
]
