"""The import pages: jobs, upload, the job page (mapping → check → preview → commit →
result, one panel swapped by HTMX and polled while the worker runs), the error report and
the saved mappings. Every write goes through ``services``; a refusal is shown beside the
form that asked, with the service's status code."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from chuangwen.catalog import selectors as catalog_selectors
from chuangwen.core.errors import PermissionDeniedError, ServiceError
from chuangwen.core.web import is_htmx
from chuangwen.core.xlsx import error_report_xlsx, xlsx_response

from . import selectors, services
from .choices import EXTRA, TARGETS, JobStatus, Mode, Source
from .reading import guess_mapping

PAGE_SIZE = 30
SHOWN = 200  # rows of each finding listed on the page; the rest are in the report
CONFIDENCE_LABELS = {
    "0.9": gettext_lazy("社区(与街道吻合)"),
    "0.8": gettext_lazy("社区"),
    "0.7": gettext_lazy("街道"),
    "0.4": gettext_lazy("仅区县"),
}


def _refused(request, error: PermissionDeniedError):
    return render(request, "imports/refused.html", {"message": error.message}, status=403)


def importer_required(view):
    """Signed in and allowed to import; everyone else gets the refusal page (403)."""

    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            selectors.import_scope(request.user)
        except PermissionDeniedError as exc:
            return _refused(request, exc)
        return view(request, *args, **kwargs)

    return wrapped


def _category_groups() -> list[tuple[str, list[tuple[str, str]]]]:
    return [
        (
            f"{major.category.code} {major.category.name}",
            [(m.code, f"{m.code} {m.name}") for m in major.minors],
        )
        for major in catalog_selectors.category_tree()
        if major.minors
    ]


def _mapping_rows(mapping: dict) -> list[dict]:
    return [
        {
            "key": t.key,
            "label": t.label,
            "required": t.required,
            "selected": mapping.get(t.key) or "",
        }
        for t in TARGETS
    ]


def _panel_context(job, *, user, error: ServiceError | None = None, posted=None) -> dict:
    mapping = job.mapping or guess_mapping(job.headers)
    default_category = job.default_category
    if posted is not None:  # a refused form shows what was chosen, not what is stored
        mapping = _posted_mapping(posted)
        default_category = posted.get("default_category", "")
    context = {
        "job": job,
        "error": error,
        "mapping_rows": _mapping_rows(mapping),
        "extra_selected": set(mapping.get(EXTRA) or []),
        # Columns not tied to a field yet: the ones that can be kept as they are.
        "extra_headers": [h for h in job.headers if h not in {mapping.get(t.key) for t in TARGETS}],
        "default_category": default_category,
        "modes": Mode.choices,
        "default_mode": Mode.SKIP_BAD_ROWS if job.error_rows else Mode.ALL_OR_NOTHING,
        "statuses": JobStatus,
        "shown": SHOWN,
        "sets_default": selectors.sets_default_mapping(user),
    }
    if job.status in (JobStatus.UPLOADED, JobStatus.CHECKED, JobStatus.FAILED):
        context["category_groups"] = _category_groups()
    if not job.running:
        labels = {t.key: t.label for t in TARGETS}
        summary = job.summary or {}
        locating = summary.get("locating") or {}
        context.update(
            {
                "errors": [
                    {**e, "label": labels.get(e.get("field"), "")} for e in job.errors[:SHOWN]
                ],
                "unmatched": (summary.get("unmatched") or [])[:SHOWN],
                "duplicates": (summary.get("duplicates") or [])[:SHOWN],
                "existing": (summary.get("existing") or [])[:SHOWN],
                "by_coordinates": locating.get("coordinates", 0),
                "by_address": [
                    (CONFIDENCE_LABELS.get(level, level), level, count)
                    for level, count in (locating.get("address") or {}).items()
                ],
                "unmatched_count": locating.get("unmatched", 0),
            }
        )
    return context


def _posted_mapping(data) -> dict:
    mapping = {t.key: (data.get(f"map_{t.key}") or "").strip() for t in TARGETS}
    mapping[EXTRA] = data.getlist(EXTRA)
    return mapping


def _panel(request, job, *, error=None, posted=None):
    status = error.status_code if error else 200
    context = _panel_context(job, user=request.user, error=error, posted=posted)
    return render(request, "imports/_panel.html", context, status=status)


# -- jobs ----------------------------------------------------------------------------------
@importer_required
@require_GET
def job_list(request):
    page = Paginator(selectors.job_list(user=request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "imports/job_list.html", {"page": page, "jobs": page.object_list})


@importer_required
def job_new(request):
    context = {"sources": Source.choices, "category_groups": _category_groups(), "posted": {}}
    if request.method == "POST":
        try:
            job = services.import_job_create(
                source=request.POST.get("source", ""),
                upload=request.FILES.get("file"),
                default_category=request.POST.get("default_category", ""),
                actor=request.user,
            )
        except ServiceError as exc:
            context.update({"error": exc, "posted": request.POST})
            return render(request, "imports/job_new.html", context, status=exc.status_code)
        return redirect("imports:detail", pk=job.pk)
    return render(request, "imports/job_new.html", context)


@importer_required
@require_GET
def job_detail(request, pk: int):
    job = selectors.job_detail(user=request.user, job_id=pk)
    context = _panel_context(job, user=request.user)
    return render(request, "imports/job_detail.html", context)


@importer_required
@require_GET
def job_status(request, pk: int):
    job = selectors.job_detail(user=request.user, job_id=pk, light=True)
    if not job.running:  # finished: the findings are needed again
        job = selectors.job_detail(user=request.user, job_id=pk)
    return _panel(request, job)


def _answer(request, job):
    if is_htmx(request):
        return _panel(request, job)
    return redirect("imports:detail", pk=job.pk)


def _refusal(request, pk: int, error: ServiceError, posted=None):
    job = selectors.job_detail(user=request.user, job_id=pk)
    if is_htmx(request):
        return _panel(request, job, error=error, posted=posted)
    context = _panel_context(job, user=request.user, error=error, posted=posted)
    return render(request, "imports/job_detail.html", context, status=error.status_code)


@importer_required
@require_POST
def job_check(request, pk: int):
    job = selectors.job_detail(user=request.user, job_id=pk, light=True)
    mapping = _posted_mapping(request.POST)
    try:
        job = services.import_job_check(
            job_id=job.pk,
            actor=request.user,
            mapping=mapping,
            default_category=request.POST.get("default_category", ""),
        )
        if request.POST.get("save_mapping") == "on":
            services.column_mapping_save(
                source=job.source,
                name=request.POST.get("mapping_name", ""),
                mapping=job.mapping,
                actor=request.user,
                is_default=request.POST.get("mapping_default") == "on",
            )
    except ServiceError as exc:
        return _refusal(request, pk, exc, posted=request.POST)
    return _answer(request, job)


@importer_required
@require_POST
def job_commit(request, pk: int):
    job = selectors.job_detail(user=request.user, job_id=pk, light=True)
    try:
        job = services.import_job_commit(
            job_id=job.pk, actor=request.user, mode=request.POST.get("mode", "")
        )
    except ServiceError as exc:
        return _refusal(request, pk, exc)
    return _answer(request, job)


@importer_required
@require_GET
def job_errors(request, pk: int):
    job = selectors.job_detail(user=request.user, job_id=pk)
    content = error_report_xlsx(selectors.error_report(job))
    stem = job.filename.rsplit(".", 1)[0]
    return xlsx_response(content, _("%(name)s_错误报告.xlsx") % {"name": stem})


# -- saved mappings ------------------------------------------------------------------------
@importer_required
@require_GET
def mapping_list(request):
    saved = selectors.mapping_list(user=request.user)
    labels = {t.key: t.label for t in TARGETS}
    groups = []
    for value, label in Source.choices:
        rows = [
            {
                "mapping": m,
                "pairs": [(labels[k], v) for k, v in m.mapping.items() if k in labels],
                "extra": m.mapping.get(EXTRA) or [],
                "may_change": selectors.may_change_mapping(request.user, m),
            }
            for m in saved
            if m.source == value
        ]
        groups.append({"label": label, "rows": rows})
    context = {"groups": groups, "sets_default": selectors.sets_default_mapping(request.user)}
    return render(request, "imports/mappings.html", context)


@importer_required
@require_POST
def mapping_default(request, pk: int):
    try:
        saved = services.column_mapping_set_default(mapping_id=pk, actor=request.user)
    except PermissionDeniedError as exc:
        return _refused(request, exc)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已将“%(name)s”设为默认对应关系。") % {"name": saved.name})
    return redirect("imports:mappings")


@importer_required
@require_POST
def mapping_delete(request, pk: int):
    try:
        services.column_mapping_delete(mapping_id=pk, actor=request.user)
    except PermissionDeniedError as exc:
        return _refused(request, exc)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已删除列对应关系。"))
    return redirect("imports:mappings")
