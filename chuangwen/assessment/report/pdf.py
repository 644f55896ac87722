"""The 讲评 report laid out as a PDF to print: its sections, rankings, charts and photo lists
(the building blocks are in ``pdf_kit``)."""

from __future__ import annotations

import io
import logging
from decimal import Decimal
from xml.sax.saxutils import escape

from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import (
    CondPageBreak,
    HRFlowable,
    KeepTogether,
    LongTable,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
)
from reportlab.platypus import Image as PdfImage

from .. import selectors
from ..choices import SubjectType
from ..scoring import number_text
from .build import PDF_LIST_LIMIT, PROBLEM_LIMIT, Problem, Ranking, Report, _moment
from .pdf_kit import (
    BAD,
    BAR_RATE,
    BAR_SLOT,
    BAR_TOTAL,
    BLACK_LIST,
    FRAME_WIDTH,
    GOOD,
    GRID,
    INK,
    MARGIN_BOTTOM,
    MARGIN_TOP,
    MARGIN_X,
    RED,
    RED_LIST,
    SECTION_NUMBERS,
    THUMB_BOX_PX,
    THUMB_H,
    THUMB_W,
    ReportCanvas,
    Styles,
    default_font,
    grid_table,
    make_styles,
    para,
    thumbnail,
)

logger = logging.getLogger(__name__)


def _points_label(value) -> str:
    return number_text(Decimal(str(value)))


def _percent_label(value) -> str:
    return f"{value:.2f}%"


def _bar_chart(
    title: str, names: list[str], values: list, font: str, *, percent: bool, color
) -> Drawing:
    height = 64 * mm
    drawing = Drawing(FRAME_WIDTH, height)
    drawing.add(String(0, height - 11, title, fontName=font, fontSize=10, fillColor=INK))
    chart = VerticalBarChart()
    slanted = len(names) > 6 or max((len(n) for n in names), default=0) > 6
    # A few districts get bars of a sensible width, not the whole page each.
    chart.width = min(FRAME_WIDTH - 44, max(len(names), 4) * BAR_SLOT)
    chart.x, chart.y = 32 + (FRAME_WIDTH - 44 - chart.width) / 2, 38 if slanted else 20
    chart.height = height - chart.y - 26
    chart.data = [[None if v is None else float(v) for v in values]]
    chart.categoryAxis.categoryNames = names
    labels = chart.categoryAxis.labels
    labels.fontName, labels.fontSize = font, 7.5
    if slanted:
        labels.angle, labels.boxAnchor, labels.dx, labels.dy = 30, "ne", 4, -2
    chart.valueAxis.labels.fontName = font
    chart.valueAxis.labels.fontSize = 7.5
    chart.valueAxis.valueMin = 0
    if percent:
        chart.valueAxis.valueMax, chart.valueAxis.valueStep = 100, 20
        chart.valueAxis.labelTextFormat = "%d%%"
    chart.valueAxis.visibleGrid = True
    chart.valueAxis.gridStrokeColor = GRID
    chart.valueAxis.gridStrokeWidth = 0.3
    chart.bars[0].fillColor = color
    chart.bars[0].strokeColor = None
    chart.barWidth = 10
    # Bar labels read like the tables: 99.78 and 76.92%.
    chart.barLabelFormat = _percent_label if percent else _points_label
    chart.barLabels.fontName, chart.barLabels.fontSize = font, 7
    chart.barLabels.nudge = 7
    drawing.add(chart)
    return drawing


def _rank_change_text(line) -> str:
    change = line.rank_change
    if change is None:
        return "—"
    if change > 0:
        return f"↑{change}"
    if change < 0:
        return f"↓{-change}"
    return _("持平")


def _rate_text(value) -> str:
    return "—" if value is None else f"{value:.2f}%"


def _ranking_row(line, scored: bool) -> tuple:
    total = "—"
    if scored:
        total = number_text(line.final_total) + ("*" if line.adjustment else "")
    return (
        line.final_rank if scored else "—",
        line.subject_name,
        total,
        _rank_change_text(line) if scored else "—",
        _rate_text(line.indicators.get("close_rate")),
        _rate_text(line.indicators.get("on_time_rate")),
        line.indicators.get("overdue", "—"),
        _rate_text(line.indicators.get("satisfaction_rate")),
    )


def _ranking_flowables(ranking: Ranking, number: int, styles: Styles, font: str) -> list:
    heading = _("(%(n)s)%(type)s排名") % {"n": SECTION_NUMBERS[number], "type": ranking.label}
    flowables = [para(heading, styles.h2), para(ranking.status_text, styles.note)]
    lines = ranking.lines
    if not lines:
        return [*flowables, para(_("没有可显示的考评对象。"), styles.body)]
    scored = ranking.results.scheme is not None
    shown = ranking.excerpt()
    rows, extra = [], []
    for index, line in enumerate(shown, start=1):
        if line is None:
            text = _("…… 中间 %(n)s 个对象从略,完整排名见同期 Excel 报表 ……") % {
                "n": ranking.skipped
            }
            rows.append((para(text, styles.centre), "", "", "", "", "", "", ""))
            extra.append(("SPAN", (0, index), (-1, index)))
            continue
        rows.append(_ranking_row(line, scored))
        honour = ranking.honour(line)
        if honour:
            tint = RED_LIST if honour == "red" else BLACK_LIST
            extra.append(("BACKGROUND", (0, index), (-1, index), tint))
    headers = (
        _("名次"),
        _("名称"),
        _("得分"),
        _("较上期"),
        _("结案率"),
        _("按期结案率"),
        _("超时"),
        _("回访满意率"),
    )
    flowables.append(
        grid_table(
            headers,
            rows,
            (11, 58, 16, 15, 19, 21, 13, 21),
            styles,
            numeric=(0, 2, 4, 5, 6, 7),
            centred=(3,),
            extra=extra,
        )
    )
    notes = []
    if any(ranking.honour(line) for line in lines):
        notes.append(
            _(
                "浅红底为红榜(前 %(n)s 名),灰底为黑榜(后 %(n)s 名),名次为全市 %(count)s 个对象中的名次。"
            )
            % {"n": selectors.board_size(), "count": ranking.results.subject_count}
        )
    if scored and any(line.adjustment for line in shown if line is not None):
        notes.append(_("* 含申诉核准的调整分值。"))
    flowables.extend(para(note, styles.note) for note in notes)
    return flowables


def _charts(report: Report, styles: Styles, font: str) -> list:
    bars = report.district_bars
    if len(bars) < 2:
        # A district reading its own report has one bar: nothing to compare.
        return []
    names = [name for name, _total, _rate in bars]
    flowables = []
    if any(total is not None for _name, total, _rate in bars):
        flowables.append(
            _bar_chart(
                _("区县考评得分"),
                names,
                [t for _n, t, _r in bars],
                font,
                percent=False,
                color=BAR_TOTAL,
            )
        )
    flowables.append(
        _bar_chart(
            _("区县按期结案率"),
            names,
            [r for _n, _t, r in bars],
            font,
            percent=True,
            color=BAR_RATE,
        )
    )
    return [Spacer(1, 3 * mm), *(KeepTogether([f, Spacer(1, 2 * mm)]) for f in flowables)]


def _photo_cell(problem: Problem, styles: Styles):
    thumb = thumbnail(problem.photo_name, THUMB_BOX_PX)
    if thumb is None:
        return para(_("(无照片)"), styles.note)
    content, width, height = thumb
    scale = min(THUMB_W / width, THUMB_H / height)
    return PdfImage(io.BytesIO(content), width=width * scale, height=height * scale)


def _problem_flowables(report: Report, styles: Styles) -> list:
    if not report.problems:
        return [para(_("本期没有来自测评或被督办的带照片问题。"), styles.body)]
    rows = []
    for p in report.problems:
        case = Paragraph(
            f"{escape(p.code)}<br/>{escape(p.category)}"
            + (f'<br/><font color="#b91c1c">{escape(p.severity)}</font>' if p.severity else ""),
            styles.cell,
        )
        rows.append((_photo_cell(p, styles), case, p.place, p.unit, p.status))
    headers = (_("处置前照片"), _("案件"), _("地点"), _("责任单位"), _("状态"))
    return [
        para(
            _(
                "选取本期测评发现或被督办的问题,按督办等级、超时和返工情况从重到轻排列,最多 %(n)s 件。"
            )
            % {"n": PROBLEM_LIMIT},
            styles.note,
        ),
        grid_table(headers, rows, (34, 40, 46, 34, 20), styles),
    ]


def _overdue_flowables(report: Report, styles: Styles) -> list:
    if not report.overdue:
        return [para(_("本期应办结的案件均已按期办结。"), styles.body)]
    shown = report.overdue[:PDF_LIST_LIMIT]
    flowables = [
        para(
            _("本期处置时限届满而未按期办结的案件共 %(n)s 件(含超期办结和至今未办结)。")
            % {"n": len(report.overdue)},
            styles.body,
        )
    ]
    rows = [
        (
            o.code,
            o.category,
            o.place,
            o.unit,
            timezone.localtime(o.deadline).strftime("%m-%d %H:%M"),
            o.status,
            o.overdue_text,
        )
        for o in shown
    ]
    headers = (
        _("案件编号"),
        _("类别"),
        _("地点"),
        _("责任单位"),
        _("处置时限"),
        _("状态"),
        _("超时"),
    )
    flowables.append(grid_table(headers, rows, (25, 19, 41, 30, 19, 13, 27), styles, numeric=(6,)))
    if len(report.overdue) > len(shown):
        flowables.append(
            para(
                _("以上列出前 %(shown)s 件,完整清单见同期 Excel 报表。") % {"shown": len(shown)},
                styles.note,
            )
        )
    return flowables


def _accountability_flowables(report: Report, styles: Styles) -> list:
    if not report.accountabilities:
        return [para(_("本期没有问责记录。"), styles.body)]
    rows = [
        (
            timezone.localtime(a.decided_at).strftime("%m-%d"),
            a.unit,
            a.person or "—",
            a.kind,
            number_text(a.points) if a.points else "—",
            a.reason,
            a.case_code or "—",
        )
        for a in report.accountabilities
    ]
    headers = (
        _("日期"),
        _("问责单位"),
        _("问责对象"),
        _("方式"),
        _("扣分"),
        _("事由"),
        _("关联案件"),
    )
    return [
        para(_("本期共问责 %(n)s 次。") % {"n": len(rows)}, styles.body),
        grid_table(headers, rows, (14, 34, 16, 18, 12, 58, 22), styles, numeric=(4,)),
    ]


def _headline_table(report: Report, styles: Styles) -> LongTable:
    rows, extra = [], []
    for index, figure in enumerate(report.figures, start=1):
        rows.append(
            (
                figure.label,
                figure.value_text,
                figure.previous_text,
                figure.change_text,
            )
        )
        if figure.trend:
            extra.append(
                ("TEXTCOLOR", (3, index), (3, index), GOOD if figure.trend == "good" else BAD)
            )
    headers = (_("指标"), report.period.label, report.previous.label, _("较上期"))
    table = grid_table(headers, rows, (44, 40, 40, 50), styles, numeric=(1, 2, 3))
    # Paragraph cells take their colour from the style; colour the change cells' text.
    for index, figure in enumerate(report.figures, start=1):
        if figure.trend:
            colour = "#15803d" if figure.trend == "good" else "#b91c1c"
            table._cellvalues[index][3] = Paragraph(
                f'<font color="{colour}">{escape(figure.change_text)}</font>', styles.num
            )
    return table


def render_pdf(report: Report) -> bytes:
    font = default_font()
    styles = make_styles(font)
    # Separators the built-in fallback font has too (it lacks the middle dot).
    running = f"{report.title}  |  {report.period.label}  |  {report.scope_label}"
    story: list = [
        Spacer(1, 6 * mm),
        para(report.title, styles.title),
        para(f"— {report.period.label} —", styles.subtitle),
        para(
            _("统计范围:%(scope)s  |  统计周期:%(start)s 至 %(end)s  |  生成时间:%(now)s")
            % {
                "scope": report.scope_label,
                "start": report.period.first_day.isoformat(),
                "end": report.last_day.isoformat(),
                "now": _moment(report.generated_at),
            },
            styles.meta,
        ),
        HRFlowable(width="100%", thickness=1.2, color=RED, spaceBefore=4, spaceAfter=6),
    ]
    sections = [
        (_("总体情况"), [para(report.summary, styles.body), _headline_table(report, styles)], 40),
        (
            _("考评排名"),
            [
                flowable
                for number, ranking in enumerate(report.rankings)
                for flowable in (
                    _ranking_flowables(ranking, number, styles, font)
                    + (
                        _charts(report, styles, font)
                        if ranking.subject_type == SubjectType.DISTRICT
                        else []
                    )
                )
            ],
            40,
        ),
        # A photo row is tall: the heading moves on with the first one.
        (_("典型问题"), _problem_flowables(report, styles), 75),
        (_("超时案件"), _overdue_flowables(report, styles), 40),
        (_("问责情况"), _accountability_flowables(report, styles), 40),
    ]
    for number, (heading, flowables, room) in enumerate(sections):
        # A heading never sits alone at the foot of a page.
        story.append(CondPageBreak(room * mm))
        story.append(para(f"{SECTION_NUMBERS[number]}、{heading}", styles.h1))
        story.extend(flowables)
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN_X,
        rightMargin=MARGIN_X,
        topMargin=MARGIN_TOP,
        bottomMargin=MARGIN_BOTTOM,
        title=f"{report.title} {report.period.label}",
        author=report.city,
        subject=report.scope_label,
        creator="Chuangwen",
    )
    document.build(
        story,
        canvasmaker=lambda *args, **kwargs: ReportCanvas(
            *args, font=font, running=running, **kwargs
        ),
    )
    return buffer.getvalue()
