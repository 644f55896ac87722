"""录入数据: the figures the office enters per period and subject type (the survey
agency's satisfaction rate, the materials review's completeness rate), one table with a
column per kind. Office only.

Only the cells that changed are sent, one ``services.figures_enter`` call per kind (all
or nothing for that kind); a refusal shows the table again with what was typed."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from chuangwen.core.errors import ServiceError

from .. import selectors, services
from ..choices import ENTERED_KINDS, RANKED_SUBJECTS, ComponentKind
from ..permissions import manages_assessment
from ..scoring import number_text
from .common import choose, decimal_or_none, picker_context, refused

TYPES = [str(t) for t in RANKED_SUBJECTS]


def _cell(kind: str, subject_id: int) -> str:
    return f"{kind}_{subject_id}"


def _context(choice, *, posted=None, **extra) -> dict:
    period, subject_type = choice.period, choice.subject_type
    scheme = selectors.current_scheme(subject_type)
    used = {c.kind for c in scheme.components.all()} if scheme else set()
    entered = {
        kind: selectors.entered_figures(period_key=period.key, subject_type=subject_type, kind=kind)
        for kind in ENTERED_KINDS
    }
    rows = []
    for subject in selectors.subjects(subject_type):
        cells = []
        for kind in ENTERED_KINDS:
            figure = entered[kind].get(subject.id)
            name = _cell(kind, subject.id)
            stored = "" if figure is None else number_text(figure.value)
            cells.append(
                {
                    "name": name,
                    "kind": kind,
                    "label": ComponentKind(kind).label,
                    "value": posted.get(name, stored) if posted is not None else stored,
                    "figure": figure,
                }
            )
        rows.append({"subject": subject, "cells": cells})
    context = picker_context(choice, TYPES)
    context.update(
        {
            "kinds": [
                {"value": k, "label": ComponentKind(k).label, "used": k in used}
                for k in ENTERED_KINDS
            ],
            "period_kinds": context["kinds"],
            "rows": rows,
            "scheme": scheme,
            "published": selectors.published(period.key, subject_type),
            "not_started": period > context["current"],
            "note": (posted or {}).get("note", ""),
            "error": choice.error.message if choice.error else None,
        }
    )
    context.update(extra)
    return context


def _changes(data, rows) -> dict[str, dict]:
    """kind → {subject id: typed value} for the cells whose value differs from the stored
    one; a cell emptied or left empty changes nothing."""
    changes: dict[str, dict] = {kind: {} for kind in ENTERED_KINDS}
    for row in rows:
        for cell in row["cells"]:
            typed = (data.get(cell["name"]) or "").strip()
            if not typed:
                continue
            try:
                number = decimal_or_none(typed)
            except ValueError:
                number = None
            figure = cell["figure"]
            if figure is not None and number is not None and number == figure.value:
                continue
            changes[cell["kind"]][row["subject"].id] = number if number is not None else typed
    return {kind: values for kind, values in changes.items() if values}


@login_required
@require_http_methods(["GET", "POST"])
def figure_table(request):
    user = request.user
    if not manages_assessment(user):
        return refused(request, _("只有市创文办可以录入考评数据。"))
    if request.method == "GET":
        choice = choose(request.GET, types=TYPES)
        status = 400 if choice.error else 200
        return render(request, "assessment/figures.html", _context(choice), status=status)
    data = request.POST
    choice = choose(data, types=TYPES)
    if choice.error is not None:
        return render(request, "assessment/figures.html", _context(choice), status=400)
    changes = _changes(data, _context(choice)["rows"])
    if not changes:
        messages.info(request, _("没有修改任何数据。"))
    saved = 0
    for kind, values in changes.items():
        try:
            saved += len(
                services.figures_enter(
                    period_key=choice.period.key,
                    subject_type=choice.subject_type,
                    kind=kind,
                    values=values,
                    note=data.get("note", ""),
                    actor=user,
                )
            )
        except ServiceError as exc:
            message = _("%(kind)s未保存:%(message)s") % {
                "kind": ComponentKind(kind).label,
                "message": exc.message,
            }
            if saved:
                message = _("已保存 %(n)s 项;") % {"n": saved} + message
            context = _context(choice, posted=data, save_error=message)
            return render(request, "assessment/figures.html", context, status=exc.status_code)
    if saved:
        messages.success(request, _("已保存 %(n)s 项录入数据。") % {"n": saved})
    query = urlencode({"period": choice.period.key, "type": choice.subject_type})
    return redirect(f"{reverse('assessment:figures')}?{query}")


urlpatterns = [path("figures/", figure_table, name="figures")]
