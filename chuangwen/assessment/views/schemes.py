"""考评方案: every subject type's versions, one version's components (older versions are
read-only), the form city admins use to make a new version, and the indicators page
that documents every case indicator with its formula.

Saving goes through ``services.scheme_save``, which decides who may and what is valid;
the form shows its refusal above the rows, keeping what was typed."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from chuangwen.core.errors import ServiceError

from .. import selectors, services
from ..choices import ComponentKind, Rule, SubjectType
from ..indicators import BY_CODE, INDICATORS, indicators_for
from ..permissions import configures_schemes, manages_assessment
from ..scoring import number_text
from .common import int_or_none, refused

ROW_FIELDS = ("kind", "indicator", "label", "max_points", "rule", "target", "step")
# Blank rows under the filled ones, for adding components without the page's script.
SPARE_ROWS = 2


def _component_rows(scheme) -> list[dict]:
    rows = []
    for c in scheme.components.all():
        indicator = BY_CODE.get(c.indicator) if c.indicator else None
        rows.append(
            {
                "component": c,
                "indicator": indicator,
                "max": number_text(c.max_points),
                "target": None if c.target is None else number_text(c.target),
                "step": None if c.step is None else number_text(c.step),
            }
        )
    return rows


def _total(scheme) -> str:
    return number_text(sum((c.max_points for c in scheme.components.all()), Decimal(0)))


@login_required
@require_GET
def scheme_list(request):
    by_type: dict[str, list] = {t: [] for t in SubjectType.values}
    for scheme in selectors.scheme_list():
        scheme.total_text = _total(scheme)
        by_type.setdefault(scheme.subject_type, []).append(scheme)
    groups = [
        {
            "type": value,
            "label": label,
            "current": next((s for s in by_type[value] if s.is_current), None),
            "versions": by_type[value],
        }
        for value, label in SubjectType.choices
    ]
    return render(
        request,
        "assessment/scheme_list.html",
        {
            "groups": groups,
            "can_configure": configures_schemes(request.user),
            "is_office": manages_assessment(request.user),
        },
    )


@login_required
@require_GET
def scheme_detail(request, pk: int):
    scheme = selectors.scheme_get(pk)
    return render(
        request,
        "assessment/scheme_detail.html",
        {
            "scheme": scheme,
            "rows": _component_rows(scheme),
            "total": _total(scheme),
            "can_configure": configures_schemes(request.user),
            "is_office": manages_assessment(request.user),
            "versions": [
                s for s in selectors.scheme_list() if s.subject_type == scheme.subject_type
            ],
        },
    )


def _blank_row() -> dict:
    return dict.fromkeys(ROW_FIELDS, "")


def _rows_from(scheme) -> list[dict]:
    return [
        {
            "kind": c.kind,
            "indicator": c.indicator,
            "label": c.label,
            "max_points": number_text(c.max_points),
            "rule": c.rule,
            "target": "" if c.target is None else number_text(c.target),
            "step": "" if c.step is None else number_text(c.step),
        }
        for c in scheme.components.all()
    ]


def _posted_rows(data) -> list[dict]:
    """The component rows in the order the form lists them; rows left blank are dropped
    (the spare rows, and any row the person emptied)."""
    columns = {name: data.getlist(name) for name in ROW_FIELDS}
    count = max((len(values) for values in columns.values()), default=0)
    rows = []
    for index in range(count):
        row = {
            name: (values[index].strip() if index < len(values) else "")
            for name, values in columns.items()
        }
        if any(row[name] for name in ("label", "max_points", "target", "step")) or (
            row["kind"] == ComponentKind.CASE_INDICATOR and row["indicator"]
        ):
            if row["kind"] != ComponentKind.CASE_INDICATOR:
                row["indicator"] = ""
            rows.append(row)
    return rows


def _form_context(subject_type: str, *, name: str, note: str, rows: list[dict], **extra):
    kinds_allowed = services.KINDS_FOR.get(subject_type, ComponentKind.values)
    context = {
        "subject_type": subject_type,
        "subject_label": SubjectType(subject_type).label,
        "name": name,
        "note": note,
        "rows": rows + [_blank_row() for _ in range(SPARE_ROWS)],
        "blank": _blank_row(),
        "kinds": [(v, label) for v, label in ComponentKind.choices if v in kinds_allowed],
        "indicators": indicators_for(subject_type),
        "rules": Rule.choices,
        "current": selectors.current_scheme(subject_type),
        "error": None,
        "max_rows": services.MAX_COMPONENTS,
    }
    context.update(extra)
    return context


@login_required
@require_http_methods(["GET", "POST"])
def scheme_edit(request, subject_type: str):
    user = request.user
    if subject_type not in SubjectType.values:
        raise Http404("考评对象类型不存在")
    if not configures_schemes(user):
        return refused(request, _("只有市创文办系统管理员可以制定考评方案。"))
    if request.method == "GET":
        base_id = int_or_none(request.GET.get("from"))
        base = selectors.scheme_get(base_id) if base_id else selectors.current_scheme(subject_type)
        if base is not None and base.subject_type != subject_type:
            raise Http404("考评方案不存在")
        if base is None:
            name = _("%(type)s考评方案") % {"type": SubjectType(subject_type).label}
            context = _form_context(subject_type, name=name, note="", rows=[])
        else:
            context = _form_context(
                subject_type, name=base.name, note="", rows=_rows_from(base), base=base
            )
        return render(request, "assessment/scheme_form.html", context)
    data = request.POST
    rows = _posted_rows(data)
    try:
        scheme = services.scheme_save(
            subject_type=subject_type,
            name=data.get("name", ""),
            note=data.get("note", ""),
            components=rows,
            actor=user,
        )
    except ServiceError as exc:
        context = _form_context(
            subject_type,
            name=data.get("name", ""),
            note=data.get("note", ""),
            rows=rows,
            error=exc.message,
            error_field=exc.field,
        )
        return render(request, "assessment/scheme_form.html", context, status=exc.status_code)
    messages.success(
        request,
        _("已保存%(name)s第 %(version)s 版,自即日起按此方案计算草稿。")
        % {"name": scheme.name, "version": scheme.version},
    )
    return redirect("assessment:scheme_detail", pk=scheme.pk)


@login_required
@require_GET
def indicator_list(request):
    labels = dict(SubjectType.choices)
    rows = [
        {
            "indicator": indicator,
            "subjects": "、".join(str(labels[s]) for s in indicator.subjects),
        }
        for indicator in INDICATORS
    ]
    return render(
        request,
        "assessment/indicator_list.html",
        {"rows": rows, "is_office": manages_assessment(request.user)},
    )


urlpatterns = [
    path("schemes/", scheme_list, name="scheme_list"),
    path("schemes/<id:pk>/", scheme_detail, name="scheme_detail"),
    path("schemes/edit/<str:subject_type>/", scheme_edit, name="scheme_edit"),
    path("indicators/", indicator_list, name="indicator_list"),
]
