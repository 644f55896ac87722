"""The 讲评 report as a workbook: one sheet per section, case codes linked to their pages."""

from __future__ import annotations

import io
from collections.abc import Callable
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from chuangwen.core.xlsx import Sheet, number_cell, write_workbook

from .build import RANKING_INDICATORS, Ranking, Report


def _number(value):
    if isinstance(value, Decimal):
        return number_cell(value)
    return value


def _overview_rows(report: Report) -> list[tuple]:
    rows: list[tuple] = [
        (f.label, _number(f.value), _number(f.previous), _number(f.change), f.unit)
        for f in report.figures
    ]
    rows.append(())
    rows.append((_("考评周期"), report.period.label, report.previous.label))
    rows.append((_("统计范围"), report.scope_label))
    rows.append((_("生成时间"), timezone.localtime(report.generated_at)))
    for ranking in report.rankings:
        rows.append((_("%(type)s排名") % {"type": ranking.label}, ranking.status_text))
    return rows


def _ranking_sheet(ranking: Ranking) -> Sheet:
    lines = ranking.lines
    labels = [c.label for c in lines[0].components] if lines else []
    headers = (
        _("名次"),
        _("编码"),
        _("名称"),
        _("发布得分"),
        _("申诉调整"),
        _("最终得分"),
        _("上期名次"),
        _("名次变化"),
        # A component's points and the case figure of the same name are told apart.
        *(_("%(label)s(分)") % {"label": label} for label in labels),
        *(f"{label}(%)" if code.endswith("rate") else label for code, label in RANKING_INDICATORS),
        _("状态"),
    )
    status = _("已发布") if ranking.published else _("草稿")
    scored = ranking.results.scheme is not None
    rows = []
    for line in lines:
        points = {c.label: c.points for c in line.components}
        rows.append(
            (
                line.final_rank if scored else None,
                line.subject_code,
                line.subject_name,
                _number(line.total) if scored else None,
                _number(line.adjustment) if scored else None,
                _number(line.final_total) if scored else None,
                line.previous_rank,
                line.rank_change,
                *(_number(points[label]) if label in points else None for label in labels),
                *(line.indicators.get(code) for code, _label in RANKING_INDICATORS),
                status,
            )
        )
    return Sheet(_("排名(%(type)s)") % {"type": ranking.label}, headers, rows)


def render_xlsx(report: Report, *, absolute: Callable[[str], str]) -> bytes:
    """The report as a workbook. ``absolute`` turns a site path into a full address, so
    the links to cases and photos open from a copy of the file on any computer."""
    problem_headers = (
        _("案件编号"),
        _("类别"),
        _("地点"),
        _("责任单位"),
        _("状态"),
        _("上报时间"),
        _("严重程度"),
        _("案件链接"),
        _("照片链接"),
    )
    problem_rows = [
        (
            p.code,
            p.category,
            p.place,
            p.unit,
            p.status,
            p.reported_at,
            p.severity,
            absolute(reverse("cases:detail", args=[p.case_id])),
            absolute(reverse("cases:photo", args=[p.photo_id])) if p.photo_id else "",
        )
        for p in report.problems
    ]
    overdue_headers = (
        _("案件编号"),
        _("类别"),
        _("地点"),
        _("责任单位"),
        _("处置时限"),
        _("处置完成时间"),
        _("状态"),
        _("超时(小时)"),
        _("计时方式"),
    )
    overdue_rows = [
        (
            o.code,
            o.category,
            o.place,
            o.unit,
            o.deadline,
            o.finished_at,
            o.status,
            round(o.overdue_minutes / 60, 2),
            _("工作时间") if o.work_clock else _("自然时间"),
        )
        for o in report.overdue
    ]
    accountability_headers = (
        _("决定时间"),
        _("问责单位"),
        _("问责对象"),
        _("问责方式"),
        _("扣分"),
        _("事由"),
        _("关联案件"),
    )
    accountability_rows = [
        (a.decided_at, a.unit, a.person, a.kind, _number(a.points), a.reason, a.case_code)
        for a in report.accountabilities
    ]
    sheets = [
        Sheet(
            _("概况"),
            (_("指标"), _("本期"), _("上期"), _("变化"), _("单位")),
            _overview_rows(report),
        ),
        *(_ranking_sheet(r) for r in report.rankings),
        Sheet(_("典型问题"), problem_headers, problem_rows),
        Sheet(_("超时案件"), overdue_headers, overdue_rows),
        Sheet(_("问责"), accountability_headers, accountability_rows),
    ]
    return _with_links(write_workbook(sheets), _("典型问题"), columns=(8, 9))


def _with_links(content: bytes, title: str, *, columns: tuple[int, ...]) -> bytes:
    """Make the address cells of one sheet clickable. The shared writer streams plain
    values; the report's sheets are small enough to reopen and mark afterwards."""
    book = load_workbook(io.BytesIO(content))
    sheet = book[title]
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if cell.column in columns and isinstance(cell.value, str) and cell.value:
                cell.hyperlink = cell.value
                cell.style = "Hyperlink"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
