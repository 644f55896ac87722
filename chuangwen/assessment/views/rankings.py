"""The ranking page: one period and subject type, draft or published, with the 红榜 and
黑榜, the trend of the shown subjects and the XLSX export; the office publishes a draft
and withdraws a publication from here.

Lines come from ``selectors.results_for`` and are the reader's scope only; ranks are
city-wide. Publishing and withdrawing go through ``services``; a refusal is shown on the
page with the status the service chose."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from chuangwen.core.errors import ServiceError
from chuangwen.core.scoping import may_export
from chuangwen.core.xlsx import Sheet, number_cell, write_workbook, xlsx_response

from .. import selectors, services
from ..choices import ComponentKind, SubjectType
from ..permissions import manages_assessment
from ..scoring import number_text
from .common import choose, picker_context, refused, subject_types_for

# More lines than this make a trend chart nobody can read; the table keeps every line.
TREND_LIMIT = 10
TREND_PERIODS = 6


def rankings_url(period_key: str, subject_type: str) -> str:
    query = urlencode({"period": period_key, "type": subject_type})
    return f"{reverse('assessment:rankings')}?{query}"


def line_url(results, line) -> str:
    if line.result_id:
        return reverse("assessment:result_detail", args=[line.result_id])
    return reverse(
        "assessment:draft_detail",
        args=[results.subject_type, results.period.key, line.subject_id],
    )


def _direction(change: int | None) -> str | None:
    if change is None:
        return None
    return "up" if change > 0 else "down" if change < 0 else "same"


def _columns(results) -> list[dict]:
    """One column per scheme component, in the order the lines hold them."""
    if results.lines:
        source = results.lines[0].components
        return [
            {"position": c.position, "label": c.label, "max": number_text(c.max_points)}
            for c in source
        ]
    if results.scheme is None:
        return []
    return [
        {"position": c.position, "label": c.label, "max": number_text(c.max_points)}
        for c in results.scheme.components.all()
    ]


def _rows(results, columns) -> list[dict]:
    rows = []
    for line in results.lines:
        by_position = {c.position: c for c in line.components}
        cells = []
        for column in columns:
            score = by_position.get(column["position"])
            cells.append(
                None
                if score is None
                else {
                    "points": number_text(score.points),
                    "lost": score.points < score.max_points,
                    "explanation": score.explanation,
                }
            )
        rows.append(
            {
                "line": line,
                "cells": cells,
                "change": None if line.rank_change is None else abs(line.rank_change),
                "direction": _direction(line.rank_change),
                "url": line_url(results, line),
                "total": number_text(line.total),
                "adjustment": number_text(line.adjustment),
                "final_total": number_text(line.final_total),
            }
        )
    return rows


def boards(rows: list[dict], subject_count: int, size: int) -> tuple[list[dict], list[dict], int]:
    """红榜: the top ``size`` places city-wide, 黑榜: the bottom ``size`` (worst first),
    of the lines the reader sees. Equal totals share a place, so a board may hold more.
    With fewer than 2 × ``size`` subjects the boards take half each: nobody is on both.
    Returns the boards and the size used."""
    size = min(size, subject_count // 2)
    if size < 1:
        return [], [], 0
    top = [r for r in rows if r["line"].final_rank <= size]
    bottom_rank = subject_count - size
    bottom = [r for r in reversed(rows) if r["line"].final_rank > bottom_rank and r not in top]
    return top, bottom, size


def _trend(user, results, kind: str) -> dict | None:
    """Published final totals of the first lines over the last periods of the kind."""
    shown = results.lines[:TREND_LIMIT]
    series, labels = [], []
    for line in shown:
        points = selectors.trend(
            user=user,
            subject_type=results.subject_type,
            subject_id=line.subject_id,
            kind=kind,
            count=TREND_PERIODS,
        )
        if not labels:
            labels = [period.label for period, _total, _rank in points]
        series.append(
            {
                "name": line.subject_name,
                "totals": [None if total is None else float(total) for _p, total, _r in points],
                "ranks": [rank for _p, _t, rank in points],
            }
        )
    if not any(value is not None for s in series for value in s["totals"]):
        return None
    return {"periods": labels, "series": series}


def _xlsx(results, columns, rows) -> bytes:
    published = results.publication is not None
    headers = [_("名次"), _("名次变化"), _("编码"), _("考评对象")]
    headers += [
        _("%(label)s(满分 %(max)s)") % {"label": c["label"], "max": c["max"]} for c in columns
    ]
    headers += [_("得分")]
    if published:
        headers += [_("申诉调整"), _("最终得分")]

    def line_cells(row):
        line = row["line"]
        by_position = {c.position: c for c in line.components}
        values = [
            line.final_rank,
            line.rank_change,
            line.subject_code,
            line.subject_name,
            *(
                number_cell(by_position[c["position"]].points)
                if c["position"] in by_position
                else None
                for c in columns
            ),
            number_cell(line.total),
        ]
        if published:
            values += [number_cell(line.adjustment), number_cell(line.final_total)]
        return values

    title = _("%(type)s考评排名") % {"type": SubjectType(results.subject_type).label}
    return write_workbook([Sheet(title, headers, [line_cells(r) for r in rows])])


def _page(request, choice, types, **extra):
    user = request.user
    context = picker_context(choice, types)
    context.update(
        {
            "error": choice.error,
            "results": None,
            "is_office": manages_assessment(user),
            "can_export": may_export(user),
            "action_error": None,
            "posted": {},
        }
    )
    if choice.error is None:
        results = selectors.results_for(
            user=user, period_key=choice.period.key, subject_type=choice.subject_type
        )
        columns = _columns(results)
        rows = _rows(results, columns)
        top, bottom, size = boards(rows, results.subject_count, selectors.board_size())
        missing = []
        if context["is_office"] and results.publication is None and results.scheme is not None:
            found = selectors.missing_figures(
                period_key=choice.period.key,
                subject_type=choice.subject_type,
                scheme=results.scheme,
            )
            missing = [
                {
                    "kind": ComponentKind(kind).label,
                    "count": len(subjects),
                    "names": [s.name for s in subjects[:5]],
                }
                for kind, subjects in found.items()
            ]
        context.update(
            {
                "results": results,
                "columns": columns,
                "rows": rows,
                "adjusted": any(r["line"].adjustment for r in rows),
                "top": top,
                "bottom": bottom,
                "board_size": size,
                "trend": _trend(user, results, choice.kind),
                "trend_limit": TREND_LIMIT,
                "missing": missing,
                "in_progress": choice.period >= context["current"],
            }
        )
    context.update(extra)
    return context


@login_required
@require_GET
def rankings(request):
    user = request.user
    types = subject_types_for(user)
    choice = choose(request.GET, types=types)
    if choice.error is not None:
        context = _page(request, choice, types)
        return render(request, "assessment/rankings.html", context, status=400)
    if request.GET.get("format") == "xlsx":
        if not may_export(user):
            return refused(request, _("您没有导出考评结果的权限。"))
        results = selectors.results_for(
            user=user, period_key=choice.period.key, subject_type=choice.subject_type
        )
        columns = _columns(results)
        name = _("%(period)s_%(type)s考评排名.xlsx") % {
            "period": results.period.label,
            "type": SubjectType(results.subject_type).label,
        }
        return xlsx_response(_xlsx(results, columns, _rows(results, columns)), name)
    return render(request, "assessment/rankings.html", _page(request, choice, types))


def _refusal(request, choice, types, error: ServiceError):
    context = _page(request, choice, types, action_error=error.message, posted=request.POST)
    return render(request, "assessment/rankings.html", context, status=error.status_code)


@login_required
@require_POST
def publish(request):
    user = request.user
    if not manages_assessment(user):
        return refused(request, _("只有市创文办可以发布考评结果。"))
    types = subject_types_for(user)
    choice = choose(request.POST, types=types)
    if choice.error is not None:
        return render(
            request, "assessment/rankings.html", _page(request, choice, types), status=400
        )
    try:
        publication = services.publication_publish(
            period_key=choice.period.key,
            subject_type=choice.subject_type,
            actor=user,
            note=request.POST.get("note", ""),
        )
    except ServiceError as exc:
        return _refusal(request, choice, types, exc)
    messages.success(
        request,
        _("已发布%(period)s%(type)s考评结果。")
        % {"period": choice.period.label, "type": SubjectType(choice.subject_type).label},
    )
    return redirect(rankings_url(publication.period_key, publication.subject_type))


@login_required
@require_POST
def withdraw(request, pk: int):
    user = request.user
    publication = selectors.publication_get(user=user, publication_id=pk)
    if not manages_assessment(user):
        return refused(request, _("只有市创文办可以撤回考评结果。"))
    types = subject_types_for(user)
    choice = choose(
        {"period": publication.period_key, "type": publication.subject_type}, types=types
    )
    try:
        services.publication_withdraw(
            publication_id=publication.pk, actor=user, reason=request.POST.get("reason", "")
        )
    except ServiceError as exc:
        return _refusal(request, choice, types, exc)
    messages.success(request, _("已撤回,本期结果恢复为草稿。"))
    return redirect(rankings_url(publication.period_key, publication.subject_type))


urlpatterns = [
    path("", rankings, name="rankings"),
    path("publish/", publish, name="publish"),
    path("publications/<id:pk>/withdraw/", withdraw, name="withdraw"),
]
