"""The 讲评 report of a period: an HTML preview with the period picker, the PDF to print
(``format=pdf``) and the workbook (``format=xlsx``). Everything comes from
``report.build_report``, scoped to the reader; a role that does not hold the review
meeting is refused, a bad period key answers 400 on the preview page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from chuangwen.core.errors import ServiceError
from chuangwen.core.xlsx import content_disposition, xlsx_response

from .. import periods, report, selectors
from ..choices import PeriodKind
from ..permissions import manages_assessment
from .common import period_options, refused

# The review meeting is monthly; the picker starts on the last complete month.
DEFAULT_KIND = PeriodKind.MONTH
FORMATS = ("html", "pdf", "xlsx")


def _chart_rows(built: report.Report) -> list[dict]:
    """Bar lengths (percent of the row) for the two district charts of the preview."""
    bars = built.district_bars
    top = max((total for _name, total, _rate in bars if total is not None), default=0)
    return [
        {
            "name": name,
            "total": total,
            "total_width": float(total * 100 / top) if total is not None and top > 0 else 0,
            "rate": rate,
            "rate_width": rate or 0,
        }
        for name, total, rate in bars
    ]


def _ranking_row(ranking: report.Ranking, line) -> dict:
    if line is None:
        return {"line": None, "skipped": ranking.skipped}
    change = line.rank_change
    direction = None if change is None else "up" if change > 0 else "down" if change < 0 else "same"
    return {
        "line": line,
        "honour": ranking.honour(line),
        "direction": direction,
        "change": None if change is None else abs(change),
    }


def _page(request, *, kind: str, period, built=None, error=None, status=200):
    options = period_options(kind)
    if period not in options:
        options = sorted([*options, period], reverse=True)
    context = {
        "report": built,
        "error": error,
        "kind": kind,
        "kinds": PeriodKind.choices,
        "period": period,
        "period_options": options,
        "current": periods.containing(selectors.today(), kind),
        "section": "report",
        "is_office": manages_assessment(request.user),
        "list_limit": report.PDF_LIST_LIMIT,
    }
    if built is not None:
        # One district's own report has a single bar: nothing to compare, no chart.
        chart = _chart_rows(built) if len(built.district_bars) >= 2 else []
        context.update(
            chart=chart,
            chart_scored=any(row["total"] is not None for row in chart),
            rankings=[
                {
                    "ranking": ranking,
                    "rows": [_ranking_row(ranking, line) for line in ranking.excerpt()],
                }
                for ranking in built.rankings
            ],
            overdue_shown=built.overdue[: report.PDF_LIST_LIMIT],
        )
    return render(request, "assessment/report.html", context, status=status)


@login_required
@require_GET
def report_view(request):
    user = request.user
    if not report.may_read_report(user):
        return refused(request, _("讲评报告供创文办、领导和区县查看,您没有查看的权限。"))
    kind = request.GET.get("kind") or DEFAULT_KIND
    kind = kind if kind in PeriodKind.values else DEFAULT_KIND
    key = (request.GET.get("period") or "").strip()
    fmt = request.GET.get("format") or "html"
    fallback = periods.last_complete(selectors.today(), kind)
    if fmt not in FORMATS:
        error = ServiceError(_("报告格式只能是 PDF 或 Excel。"), field="format")
        return _page(request, kind=kind, period=fallback, error=error, status=400)
    try:
        period = periods.parse(key) if key else fallback
    except ServiceError as exc:
        return _page(request, kind=kind, period=fallback, error=exc, status=400)
    built = report.build_report(user=user, period_key=period.key)
    if fmt == "pdf":
        response = HttpResponse(report.render_pdf(built), content_type="application/pdf")
        # Inline: the browser's viewer opens it, ready to print, and still names the file.
        response["Content-Disposition"] = content_disposition(
            report.filename(built, "pdf")
        ).replace("attachment", "inline", 1)
        return response
    if fmt == "xlsx":
        content = report.render_xlsx(built, absolute=request.build_absolute_uri)
        return xlsx_response(content, report.filename(built, "xlsx"))
    return _page(request, kind=period.kind, period=period, built=built)


urlpatterns = [path("report/", report_view, name="report")]
