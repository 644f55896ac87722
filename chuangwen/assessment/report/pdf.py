"""The 讲评 report laid out as a PDF to print: the CJK font, styles, tables, charts and photos."""

from __future__ import annotations

import hashlib
import io
import logging
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from xml.sax.saxutils import escape

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError
from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.fonts import addMapping
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFError, TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    HRFlowable,
    KeepTogether,
    LongTable,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    TableStyle,
)
from reportlab.platypus import Image as PdfImage

from chuangwen.cases.models import CasePhoto

from .. import selectors
from ..choices import SubjectType
from ..scoring import number_text
from .build import PDF_LIST_LIMIT, PROBLEM_LIMIT, Problem, Ranking, Report, _moment

logger = logging.getLogger(__name__)


FALLBACK_FONT = "STSong-Light"


@cache
def report_font(path: str, subfont: int) -> str:
    """The registered name of the CJK font the PDF embeds. When the configured TrueType
    font cannot be read, reportlab's built-in Chinese CID font stands in: it is not
    embedded, so a reader without Chinese fonts may substitute glyphs, but no text is lost."""
    # One name per file and face: reportlab keeps one font per name for the process.
    digest = hashlib.sha1(f"{path}#{subfont}".encode()).hexdigest()[:10]
    name = f"ReportCJK-{digest}" if path else FALLBACK_FONT
    try:
        if not path:
            raise TTFError("no font configured")
        pdfmetrics.registerFont(TTFont(name, path, subfontIndex=subfont))
    except (TTFError, OSError, ValueError) as exc:
        logger.warning(
            "讲评报告字体 %s 无法使用(%s),改用内置的 %s。", path or "(未配置)", exc, FALLBACK_FONT
        )
        name = FALLBACK_FONT
        pdfmetrics.registerFont(UnicodeCIDFont(name))
    # One face stands for every style: <b> in a paragraph keeps the same glyphs.
    for bold in (0, 1):
        for italic in (0, 1):
            addMapping(name, bold, italic, name)
    return name


def _font() -> str:
    return report_font(str(settings.REPORT_FONT or ""), int(settings.REPORT_FONT_INDEX))


def _thumbnail(name: str, box: tuple[int, int]) -> tuple[bytes, int, int] | None:
    if not name:
        return None
    storage = CasePhoto._meta.get_field("image").storage
    try:
        with storage.open(name, "rb") as handle, Image.open(handle) as picture:
            picture.draft("RGB", box)
            small = picture.convert("RGB")
            small.thumbnail(box)
            out = io.BytesIO()
            small.save(out, "JPEG", quality=82)
            return out.getvalue(), small.width, small.height
    except (OSError, ValueError, UnidentifiedImageError, Image.DecompressionBombError) as exc:
        logger.warning("讲评报告:照片 %s 无法读取(%s)。", name, exc)
        return None


PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN_X, MARGIN_TOP, MARGIN_BOTTOM = 18 * mm, 22 * mm, 18 * mm
FRAME_WIDTH = PAGE_WIDTH - 2 * MARGIN_X
RED = colors.HexColor("#b91c1c")
INK = colors.HexColor("#1f2937")
MUTED = colors.HexColor("#6b7280")
GRID = colors.HexColor("#d1d5db")
HEAD_BG = colors.HexColor("#f3e4e2")
STRIPE = colors.HexColor("#f8fafc")
RED_LIST = colors.HexColor("#fde2e1")
BLACK_LIST = colors.HexColor("#e5e7eb")
GOOD, BAD = colors.HexColor("#15803d"), colors.HexColor("#b91c1c")
BAR_TOTAL, BAR_RATE = colors.HexColor("#c2410c"), colors.HexColor("#2563eb")
THUMB_BOX_PX = (300, 225)
THUMB_W, THUMB_H = 30 * mm, 22.5 * mm
BAR_SLOT = 22 * mm
SECTION_NUMBERS = "一二三四五六七八九十"


@dataclass(frozen=True)
class _Styles:
    title: ParagraphStyle
    subtitle: ParagraphStyle
    meta: ParagraphStyle
    h1: ParagraphStyle
    h2: ParagraphStyle
    body: ParagraphStyle
    note: ParagraphStyle
    head: ParagraphStyle
    cell: ParagraphStyle
    num: ParagraphStyle
    centre: ParagraphStyle


def _styles(font: str) -> _Styles:
    def style(name, size, leading, **extra):
        # CJK wrapping: Chinese has no spaces, so lines may break between any characters.
        return ParagraphStyle(
            name,
            fontName=font,
            fontSize=size,
            leading=leading,
            wordWrap="CJK",
            **{"textColor": INK, **extra},
        )

    return _Styles(
        title=style("title", 22, 30, alignment=TA_CENTER, textColor=RED, spaceAfter=4),
        subtitle=style("subtitle", 14, 20, alignment=TA_CENTER, spaceAfter=4),
        meta=style("meta", 9, 13, alignment=TA_CENTER, textColor=MUTED),
        h1=style("h1", 14, 20, spaceBefore=12, spaceAfter=6, textColor=RED),
        h2=style("h2", 11.5, 16, spaceBefore=8, spaceAfter=3),
        body=style("body", 10, 16, firstLineIndent=20, spaceAfter=4),
        note=style("note", 8, 11, textColor=MUTED, spaceBefore=2, spaceAfter=4),
        head=style("head", 8.5, 11, alignment=TA_CENTER),
        cell=style("cell", 8.5, 11),
        num=style("num", 8.5, 11, alignment=TA_RIGHT),
        centre=style("centre", 8.5, 11, alignment=TA_CENTER),
    )


def _p(text, style) -> Paragraph:
    return Paragraph(escape(str(text)), style)


def _table(
    headers, rows, widths_mm, styles: _Styles, *, numeric=(), centred=(), extra=()
) -> LongTable:
    """A table that splits across pages, its header repeated on each. Cells are wrapping
    paragraphs, so a long name or address grows the row instead of running over."""
    data = [[_p(h, styles.head) for h in headers]]
    for row in rows:
        data.append(
            [
                cell
                if isinstance(cell, Flowable)
                else _p(cell, _cell_style(styles, i, numeric, centred))
                for i, cell in enumerate(row)
            ]
        )
    table = LongTable(
        data, colWidths=[w * mm for w in widths_mm], repeatRows=1, hAlign="LEFT", splitByRow=1
    )
    table.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, 0), HEAD_BG),
                ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, STRIPE]),
                ("GRID", (0, 0), (-1, -1), 0.25, GRID),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("LEFTPADDING", (0, 0), (-1, -1), 3),
                ("RIGHTPADDING", (0, 0), (-1, -1), 3),
                ("TOPPADDING", (0, 0), (-1, -1), 2.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
                *extra,
            ]
        )
    )
    return table


def _cell_style(styles: _Styles, index: int, numeric, centred) -> ParagraphStyle:
    if index in numeric:
        return styles.num
    return styles.centre if index in centred else styles.cell


class _ReportCanvas(Canvas):
    """Draws the running header and "第 n 页 / 共 N 页" once the page count is known:
    pages are kept until the document is complete, then decorated and written."""

    def __init__(self, *args, font: str, running: str, **kwargs):
        super().__init__(*args, **kwargs)
        self._report_font, self._running = font, running
        self._pages: list[dict] = []

    def showPage(self):
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self):
        total = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            self._decorate(total)
            super().showPage()
        super().save()

    def _decorate(self, total: int) -> None:
        page = self.getPageNumber()
        self.saveState()
        self.setFont(self._report_font, 8)
        self.setFillColor(MUTED)
        if page > 1:
            top = PAGE_HEIGHT - 12 * mm
            self.drawString(MARGIN_X, top, self._running)
            self.setStrokeColor(GRID)
            self.setLineWidth(0.5)
            self.line(MARGIN_X, top - 2.5 * mm, PAGE_WIDTH - MARGIN_X, top - 2.5 * mm)
        self.drawCentredString(
            PAGE_WIDTH / 2,
            10 * mm,
            _("第 %(page)s 页 / 共 %(total)s 页") % {"page": page, "total": total},
        )
        self.restoreState()


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


def _ranking_flowables(ranking: Ranking, number: int, styles: _Styles, font: str) -> list:
    heading = _("(%(n)s)%(type)s排名") % {"n": SECTION_NUMBERS[number], "type": ranking.label}
    flowables = [_p(heading, styles.h2), _p(ranking.status_text, styles.note)]
    lines = ranking.lines
    if not lines:
        return [*flowables, _p(_("没有可显示的考评对象。"), styles.body)]
    scored = ranking.results.scheme is not None
    shown = ranking.excerpt()
    rows, extra = [], []
    for index, line in enumerate(shown, start=1):
        if line is None:
            text = _("…… 中间 %(n)s 个对象从略,完整排名见同期 Excel 报表 ……") % {
                "n": ranking.skipped
            }
            rows.append((_p(text, styles.centre), "", "", "", "", "", "", ""))
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
        _table(
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
    flowables.extend(_p(note, styles.note) for note in notes)
    return flowables


def _charts(report: Report, styles: _Styles, font: str) -> list:
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


def _photo_cell(problem: Problem, styles: _Styles):
    thumb = _thumbnail(problem.photo_name, THUMB_BOX_PX)
    if thumb is None:
        return _p(_("(无照片)"), styles.note)
    content, width, height = thumb
    scale = min(THUMB_W / width, THUMB_H / height)
    return PdfImage(io.BytesIO(content), width=width * scale, height=height * scale)


def _problem_flowables(report: Report, styles: _Styles) -> list:
    if not report.problems:
        return [_p(_("本期没有来自测评或被督办的带照片问题。"), styles.body)]
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
        _p(
            _(
                "选取本期测评发现或被督办的问题,按督办等级、超时和返工情况从重到轻排列,最多 %(n)s 件。"
            )
            % {"n": PROBLEM_LIMIT},
            styles.note,
        ),
        _table(headers, rows, (34, 40, 46, 34, 20), styles),
    ]


def _overdue_flowables(report: Report, styles: _Styles) -> list:
    if not report.overdue:
        return [_p(_("本期应办结的案件均已按期办结。"), styles.body)]
    shown = report.overdue[:PDF_LIST_LIMIT]
    flowables = [
        _p(
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
    flowables.append(_table(headers, rows, (25, 19, 41, 30, 19, 13, 27), styles, numeric=(6,)))
    if len(report.overdue) > len(shown):
        flowables.append(
            _p(
                _("以上列出前 %(shown)s 件,完整清单见同期 Excel 报表。") % {"shown": len(shown)},
                styles.note,
            )
        )
    return flowables


def _accountability_flowables(report: Report, styles: _Styles) -> list:
    if not report.accountabilities:
        return [_p(_("本期没有问责记录。"), styles.body)]
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
        _p(_("本期共问责 %(n)s 次。") % {"n": len(rows)}, styles.body),
        _table(headers, rows, (14, 34, 16, 18, 12, 58, 22), styles, numeric=(4,)),
    ]


def _headline_table(report: Report, styles: _Styles) -> LongTable:
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
    table = _table(headers, rows, (44, 40, 40, 50), styles, numeric=(1, 2, 3))
    # Paragraph cells take their colour from the style; colour the change cells' text.
    for index, figure in enumerate(report.figures, start=1):
        if figure.trend:
            colour = "#15803d" if figure.trend == "good" else "#b91c1c"
            table._cellvalues[index][3] = Paragraph(
                f'<font color="{colour}">{escape(figure.change_text)}</font>', styles.num
            )
    return table


def render_pdf(report: Report) -> bytes:
    font = _font()
    styles = _styles(font)
    # Separators the built-in fallback font has too (it lacks the middle dot).
    running = f"{report.title}  |  {report.period.label}  |  {report.scope_label}"
    story: list = [
        Spacer(1, 6 * mm),
        _p(report.title, styles.title),
        _p(f"— {report.period.label} —", styles.subtitle),
        _p(
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
        (_("总体情况"), [_p(report.summary, styles.body), _headline_table(report, styles)], 40),
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
        story.append(_p(f"{SECTION_NUMBERS[number]}、{heading}", styles.h1))
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
        canvasmaker=lambda *args, **kwargs: _ReportCanvas(
            *args, font=font, running=running, **kwargs
        ),
    )
    return buffer.getvalue()
