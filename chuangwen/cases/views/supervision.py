"""Supervision and accountability pages: issued and recorded on a case, answered, listed."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import models as db
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from chuangwen.core.errors import ServiceError
from chuangwen.core.web import list_query

from .. import selectors, services
from ..choices import SupervisionStatus
from ..forms import AccountabilityForm, AnswerForm, SupervisionForm
from ._shared import PAGE_SIZE
from .detail import _form_error, _refused


@login_required
@require_POST
def case_supervise(request, pk: int):
    selectors.case_get(user=request.user, case_id=pk)
    form = SupervisionForm(request.POST)
    if not form.is_valid():
        return _refused(request, pk, _form_error(form), failed="supervise")
    try:
        order = services.supervision_issue(
            case_id=pk,
            kind=form.cleaned_data["kind"],
            note=form.cleaned_data["note"],
            reply_days=form.cleaned_data["reply_days"] or 1,
            actor=request.user,
        )
    except ServiceError as error:
        return _refused(request, pk, error, failed="supervise")
    messages.success(
        request,
        _("已向%(unit)s下发%(kind)s。")
        % {"unit": order.unit.name, "kind": order.get_kind_display()},
    )
    return redirect("cases:detail", pk=pk)


@login_required
@require_POST
def case_accountability(request, pk: int):
    selectors.case_get(user=request.user, case_id=pk)  # 404 outside the scope
    form = AccountabilityForm(request.POST)
    if not form.is_valid():
        return _refused(request, pk, _form_error(form), failed="accountability")
    data = form.cleaned_data
    try:
        record = services.accountability_record(
            unit_id=data["unit"],
            kind=data["kind"],
            reason=data["reason"],
            points=data["points"] or 0,
            person_name=data["person_name"],
            case_id=pk,
            actor=request.user,
        )
    except ServiceError as error:
        return _refused(request, pk, error, failed="accountability")
    messages.success(
        request,
        _("已记录对%(unit)s的问责:%(kind)s。")
        % {"unit": record.unit.name, "kind": record.get_kind_display()},
    )
    return redirect("cases:detail", pk=pk)


@login_required
@require_POST
def supervision_answer(request, pk: int):
    order = selectors.supervision_list(user=request.user).filter(pk=pk).first()
    if order is None:
        raise Http404("supervision")
    form = AnswerForm(request.POST)
    form.is_valid()
    try:
        services.supervision_answer(
            supervision_id=pk, answer=form.cleaned_data.get("answer", ""), actor=request.user
        )
    except ServiceError as error:
        return _refused(request, order.case_id, error, failed="answer", failed_answer=pk)
    messages.success(request, _("督办单已回复。"))
    return redirect("cases:detail", pk=order.case_id)


@login_required
@require_GET
def supervision_list(request):
    open_only = request.GET.get("open") == "1"
    orders = selectors.supervision_list(user=request.user, open_only=open_only).order_by(
        db.Case(
            db.When(status=SupervisionStatus.OPEN, then=db.Value(0)),
            default=db.Value(1),
            output_field=db.IntegerField(),
        ),
        "-issued_at",
        "-id",
    )
    page = Paginator(orders, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "open_only": open_only, "query": list_query(request)}
    return render(request, "cases/supervision_list.html", context)
