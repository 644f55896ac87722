"""The field report form and the nearby open cases it offers to follow."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from chuangwen.catalog import selectors as catalog
from chuangwen.core.errors import ServiceError

from .. import selectors, services
from ..choices import Channel, PhotoKind
from ..forms import ReportForm
from ._shared import _outline_urls


def _report_context(request, form_values: dict, errors: dict, photo_ids: list[int]) -> dict:
    return {
        "values": form_values,
        "errors": errors,
        "tree": catalog.category_tree(),
        "kept_photos": photo_ids,
        "label_located": _("已定位,精度约 %(m)s 米"),
        "outline_urls": _outline_urls(request.user),
    }


# Where the service's complaint about a field shows up on the report form.
REPORT_FIELDS = {"photo_ids": "photos", "lng": "lat", "idempotency_key": "form"}


@login_required
def report(request):
    if request.method == "GET":
        values = {"idempotency_key": uuid.uuid4().hex}
        return render(request, "cases/report.html", _report_context(request, values, {}, []))
    if request.method != "POST":
        return redirect("cases:report")
    form = ReportForm(request.POST)
    form.is_valid()
    data = form.cleaned_data
    # Shown again as typed: a refused report must not cost the reporter their input.
    values = {name: request.POST.get(name, "").strip() for name in ReportForm.base_fields}
    values["idempotency_key"] = data["idempotency_key"]
    photo_ids = list(data["photo_ids"])
    errors = {field: str(errs[0]) for field, errs in form.errors.items()}
    # A double tap is answered before its photos are stored a second time.
    existing = selectors.case_for_idempotency_key(user=request.user, key=data["idempotency_key"])
    if existing is not None:
        return redirect("cases:detail", pk=existing.pk)
    status = 400
    try:
        # Stored first, even when the rest of the form is refused: the ids ride along in
        # the re-shown form and the reporter does not have to take the pictures again.
        for upload in request.FILES.getlist("photos"):
            photo_ids.append(
                services.photo_upload(upload=upload, actor=request.user, kind=PhotoKind.BEFORE).pk
            )
    except ServiceError as error:
        errors["photos"] = error.message
        status = error.status_code
    if not errors:
        try:
            intake = services.case_report(
                category=data["category"],
                description=data["description"],
                lat=data["lat"],
                lng=data["lng"],
                address=data["address"],
                actor=request.user,
                channel=Channel.FIELD,
                photo_ids=photo_ids,
                idempotency_key=data["idempotency_key"],
                follow_case_id=data["follow_case_id"],
            )
        except ServiceError as error:
            field = REPORT_FIELDS.get(error.field, error.field)
            errors[field or "form"] = error.message
            status = error.status_code
            if error.field == "photo_ids":
                photo_ids = []  # kept ids the service refuses would block every retry
    if errors:
        context = _report_context(request, values, errors, photo_ids)
        return render(request, "cases/report.html", context, status=status)
    case = intake.case
    if case.duplicate_of_id:
        text = _("已记录您的上报(%(code)s),并入案件 %(into)s 一并办理。")
        messages.success(request, text % {"code": case.code, "into": case.duplicate_of.code})
    messages.success(request, _("上报成功,案件编号 %(code)s。") % {"code": case.code})
    return redirect("cases:detail", pk=case.pk)


@login_required
@require_GET
def report_nearby(request):
    """Open cases of the chosen kind near the chosen point, offered to follow."""
    nearby = selectors.duplicate_candidates(
        user=request.user,
        category=request.GET.get("category", ""),
        lat=request.GET.get("lat"),
        lng=request.GET.get("lng"),
    )
    return render(request, "cases/_nearby.html", {"nearby": nearby})
