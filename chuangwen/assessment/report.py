"""The 讲评 report: what the office puts on the table at its monthly review meeting
(and quarterly, yearly), as a PDF to print and hand out and as a workbook to work with.

``build_report`` gathers the figures for one period as the reader may see them:
headline case figures against the previous period, the rankings of districts, streets
and units (published results, or a draft marked as such), typical problems with their
photos, the cases that were not finished on time and the accountability records.
``render_pdf`` and ``render_xlsx`` only lay that out.

The report is read like every other page: a district sees its own district's figures,
problems and lists, and in the rankings the peers the ranking selectors show it."""

from __future__ import annotations

import hashlib
import io
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from functools import cache
from xml.sax.saxutils import escape

from django.conf import settings
from django.db.models import Count, Exists, Max, OuterRef, Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import load_workbook
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

from chuangwen.cases.choices import Channel, OverdueLevel, PhotoKind, Status, SupervisionKind
from chuangwen.cases.models import Accountability, Case, CasePhoto, Supervision
from chuangwen.core import clock
from chuangwen.core.errors import PermissionDeniedError
from chuangwen.core.scoping import EXPORT, scope_for
from chuangwen.core.workcalendar import TimeType, get_calendar
from chuangwen.core.xlsx import Sheet, number_cell, write_workbook
from chuangwen.org.choices import Role
from chuangwen.territory.selectors import city_name

from . import indicators, periods, selectors
from .choices import SubjectType
from .periods import Period
from .scoring import number_text

logger = logging.getLogger(__name__)

# The office, the leaders and the districts hold the review meeting; streets, units and
# field staff read their own rankings on the ranking pages instead.
REPORT_ROLES = frozenset({Role.CITY_ADMIN, Role.CITY_OPERATOR, Role.LEADER, Role.DISTRICT_OPERATOR})
RANKED = (SubjectType.DISTRICT, SubjectType.STREET, SubjectType.UNIT)
PROBLEM_LIMIT = 8
# A printed list longer than this helps nobody at a meeting; the workbook has every row.
PDF_LIST_LIMIT = 150
# A printed ranking much longer than twice this shows its first and last this many lines.
RANKING_PDF_EDGE = 30
# The 红榜 and 黑榜 places, as the ranking pages count them (ASSESSMENT_BOARD_SIZE).

# Headline figures: (indicator code, label, unit, +1 higher is better / −1 lower / 0 neither).
HEADLINE = (
    ("reported", gettext_lazy("上报问题"), "件", 0),
    ("registered", gettext_lazy("立案"), "件", 0),
    ("closed", gettext_lazy("结案"), "件", 1),
    ("close_rate", gettext_lazy("结案率"), "%", 1),
    ("on_time_rate", gettext_lazy("按期结案率"), "%", 1),
    ("overdue", gettext_lazy("超时案件"), "件", -1),
    ("satisfaction_rate", gettext_lazy("回访满意率"), "%", 1),
)
# Raw counts that add up across districts (indicators.case_figures forms the rest).
SUMMED = (
    "reported",
    "registered",
    "due",
    "closed",
    "on_time",
    "deferred",
    "rework",
    "sent_back",
    "rated",
)
RANKING_INDICATORS = (
    ("close_rate", gettext_lazy("结案率")),
    ("on_time_rate", gettext_lazy("按期结案率")),
    ("overdue", gettext_lazy("超时数")),
    ("satisfaction_rate", gettext_lazy("回访满意率")),
)
WORK_TIME_TYPES = (TimeType.WORK_HOURS, TimeType.WORK_DAYS)


def may_read_report(user) -> bool:
    scope = scope_for(user)
    return scope.superuser or any(g.role in REPORT_ROLES for g in scope.grants)


# -- the report's data ----------------------------------------------------------------------
@dataclass(frozen=True)
class Figure:
    code: str
    label: str
    unit: str
    value: int | float | None
    previous: int | float | None
    better: int

    @property
    def change(self) -> int | float | None:
        return indicators.change(self.value, self.previous)

    @property
    def value_text(self) -> str:
        return _figure_text(self.value, self.unit)

    @property
    def previous_text(self) -> str:
        return _figure_text(self.previous, self.unit)

    @property
    def change_text(self) -> str:
        return _change_text(self)

    @property
    def trend(self) -> str:
        """How the review reads the change: "good", "bad" or "" (no change, or neutral)."""
        change = self.change
        if not change or not self.better:
            return ""
        return "good" if (change > 0) == (self.better > 0) else "bad"


@dataclass
class Ranking:
    subject_type: str
    label: str
    results: selectors.Results

    @property
    def lines(self) -> list:
        return self.results.lines

    @property
    def published(self) -> bool:
        return self.results.publication is not None

    @property
    def status_text(self) -> str:
        if self.published:
            publication = self.results.publication
            return _("已发布:%(published)s 发布,数据截至 %(computed)s。") % {
                "published": _moment(publication.published_at),
                "computed": _moment(publication.computed_at),
            }
        if self.results.scheme is None:
            return _("未发布:尚未制定考评方案,下表只列出案件指标。")
        return _("草稿:本期结果尚未发布,以下按现行方案于 %(computed)s 计算,以正式发布为准。") % {
            "computed": _moment(self.results.computed_at)
        }

    def excerpt(self) -> list:
        """The lines a printed ranking shows, None where some are left out. Hundreds of
        units do not belong on paper: the head and the tail of the ranking (where the
        红榜 and 黑榜 are) stay, the middle is in the workbook."""
        lines = self.lines
        if len(lines) <= 2 * RANKING_PDF_EDGE + RANKING_PDF_EDGE // 2:
            return list(lines)
        return [*lines[:RANKING_PDF_EDGE], None, *lines[-RANKING_PDF_EDGE:]]

    @property
    def skipped(self) -> int:
        return len(self.lines) - sum(1 for line in self.excerpt() if line is not None)

    def honour(self, line) -> str:
        """The board a line stands on: "red" (红榜, the first places city-wide), "black"
        (黑榜, the last places; a place both could claim goes to the 红榜) or ""."""
        count = self.results.subject_count
        if self.results.scheme is None or count < 2:
            return ""
        if line.final_rank <= selectors.board_size():
            return "red"
        if line.final_rank > count - selectors.board_size():
            return "black"
        return ""


@dataclass(frozen=True)
class Problem:
    case_id: int
    code: str
    category: str
    place: str
    unit: str
    status: str
    reported_at: datetime
    severity: str
    photo_id: int | None
    photo_name: str


@dataclass(frozen=True)
class OverdueCase:
    case_id: int
    code: str
    category: str
    place: str
    unit: str
    deadline: datetime
    finished_at: datetime | None  # when the unit reported it handled, if it did
    status: str
    overdue_minutes: float
    work_clock: bool  # the limit runs on working time: the overdue figure is working hours

    @property
    def overdue_text(self) -> str:
        if self.overdue_minutes <= 0:
            # Handled within the limit; the status tells what is still missing (核查).
            return _("已按时处置")
        hours = self.overdue_minutes / 60
        text = f"{hours:.0f}" if hours >= 100 else f"{hours:.1f}"
        if self.work_clock:
            return _("%(hours)s 工作小时") % {"hours": text}
        return _("%(hours)s 小时") % {"hours": text}


@dataclass(frozen=True)
class AccountabilityRecord:
    decided_at: datetime
    unit: str
    person: str
    kind: str
    points: Decimal
    reason: str
    case_id: int | None
    case_code: str


@dataclass
class Report:
    period: Period
    previous: Period
    city: str
    scope_label: str
    citywide: bool
    generated_at: datetime
    figures: list[Figure]
    rankings: list[Ranking]
    problems: list[Problem] = field(default_factory=list)
    overdue: list[OverdueCase] = field(default_factory=list)
    accountabilities: list[AccountabilityRecord] = field(default_factory=list)

    @property
    def last_day(self) -> date:
        return self.period.end_day - timedelta(days=1)

    @property
    def title(self) -> str:
        return _("%(city)s创建文明城市工作讲评") % {"city": self.city}

    def ranking(self, subject_type: str) -> Ranking | None:
        return next((r for r in self.rankings if r.subject_type == subject_type), None)

    @property
    def district_bars(self) -> list[tuple[str, Decimal | None, float | None]]:
        """(district, final total, on-time rate) for the charts, in ranking order."""
        ranking = self.ranking(SubjectType.DISTRICT)
        if ranking is None:
            return []
        scored = ranking.results.scheme is not None
        return [
            (
                line.subject_name,
                line.final_total if scored else None,
                line.indicators.get("on_time_rate"),
            )
            for line in ranking.lines
        ]

    @property
    def summary(self) -> str:
        """The sentence the review opens with."""
        values = {f.code: f for f in self.figures}

        def number(code: str) -> str:
            return values[code].value_text

        return _(
            "%(period)s,%(scope)s共上报问题 %(reported)s,立案 %(registered)s,结案 %(closed)s,"
            "结案率 %(close_rate)s,按期结案率 %(on_time_rate)s,超时 %(overdue)s,"
            "回访满意率 %(satisfaction)s。"
        ) % {
            "period": self.period.label,
            "scope": self.scope_label,
            "reported": number("reported"),
            "registered": number("registered"),
            "closed": number("closed"),
            "close_rate": number("close_rate"),
            "on_time_rate": number("on_time_rate"),
            "overdue": number("overdue"),
            "satisfaction": number("satisfaction_rate"),
        }


def _moment(value: datetime | None) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else "—"


def _figure_text(value, unit: str) -> str:
    if value is None:
        return "—"
    if unit == "%":
        return f"{value:.2f}%"
    return f"{value:,} {unit}"


def _change_text(figure: Figure) -> str:
    change = figure.change
    if change is None:
        return "—"
    if figure.unit == "%":
        return _("%(sign)s%(value)s 个百分点") % {
            "sign": "+" if change > 0 else "",
            "value": f"{change:.2f}",
        }
    return f"{change:+,} {figure.unit}" if change else f"0 {figure.unit}"


def _combined(rows: list[dict]) -> dict:
    """One set of headline figures for several districts: their counts added up and the
    rates formed again by the indicators' own formulas (an average of rates would weigh a
    quiet district like a busy one). Satisfied ratings are not a figure of their own;
    each district's count comes back exactly from its rate, which keeps more digits than
    a count of ratings needs."""
    counts = {key: sum(row.get(key) or 0 for row in rows) for key in SUMMED}
    counts["satisfied"] = sum(
        round((row.get("satisfaction_rate") or 0) * (row.get("rated") or 0) / 100) for row in rows
    )
    return indicators.case_figures(counts)


def _headline(period: Period, district_ids: list[int], as_of: datetime) -> list[Figure]:
    def figures(p: Period) -> dict:
        computed = indicators.compute(
            subject_type=SubjectType.DISTRICT, start=p.start, end=p.end, as_of=as_of
        )
        rows = [computed[i] for i in district_ids if i in computed]
        # One district keeps its own figures exactly as the rankings show them.
        return dict(rows[0]) if len(rows) == 1 else _combined(rows)

    now, before = figures(period), figures(period.previous())
    return [
        Figure(code, label, unit, now.get(code), before.get(code), better)
        for code, label, unit, better in HEADLINE
    ]


def _scope_territories(user) -> tuple[bool, list]:
    """Whether the reader sees the whole city, and the districts their report covers."""
    scope = scope_for(user).for_action(EXPORT)
    districts = indicators.subjects(SubjectType.DISTRICT)
    if scope.citywide:
        return True, districts
    return False, [d for d in districts if d.territory_path and scope.covers_path(d.territory_path)]


def _place(case: Case) -> str:
    chain = [n.name for n in (case.district, case.street, case.community) if n is not None]
    if case.address:
        chain.append(case.address)
    return " ".join(chain)


def _cases(user):
    return (
        Case.objects.scoped_for(user, EXPORT)
        .select_related("category", "unit", "district", "street", "community")
        .defer("district__geometry", "street__geometry", "community__geometry")
    )


def _severity(case) -> str:
    parts = []
    if case.leader_orders:
        parts.append(_("领导/重点督办 %(n)s 次") % {"n": case.leader_orders})
    level = max(case.order_level, case.overdue_level)
    if level >= OverdueLevel.YELLOW:
        parts.append(str(OverdueLevel(level).label))
    if case.rework_count:
        parts.append(_("返工 %(n)s 次") % {"n": case.rework_count})
    if case.channel == Channel.INSPECTION:
        parts.append(_("测评发现"))
    return "、".join(parts)


def _problems(user, period: Period) -> list[Problem]:
    """Typical problems: cases of the period that came from an inspection or drew a
    supervision order, with a photo of the problem; the most severe first (leaders'
    orders, then the supervision ladder's colour, then rework)."""
    before_photo = CasePhoto.objects.filter(case=OuterRef("pk"), kind=PhotoKind.BEFORE)
    supervised = Supervision.objects.filter(case=OuterRef("pk"))
    rows = list(
        _cases(user)
        .filter(reported_at__gte=period.start, reported_at__lt=period.end)
        .exclude(status__in=(Status.INVALID, Status.CANCELLED, Status.MERGED))
        .filter(Q(channel=Channel.INSPECTION) | Exists(supervised))
        .filter(Exists(before_photo))
        .annotate(
            leader_orders=Count(
                "supervisions",
                filter=Q(supervisions__kind__in=(SupervisionKind.LEADER, SupervisionKind.KEY)),
                distinct=True,
            ),
            # Coalesced: PostgreSQL sorts a missing maximum first in descending order.
            order_level=Coalesce(Max("supervisions__level"), 0),
        )
        .order_by(
            "-leader_orders",
            "-order_level",
            "-overdue_level",
            "-rework_count",
            "-reported_at",
            "-id",
        )[:PROBLEM_LIMIT]
    )
    photos: dict[int, CasePhoto] = {}
    for photo in CasePhoto.objects.filter(
        case_id__in=[c.pk for c in rows], kind=PhotoKind.BEFORE
    ).order_by("case_id", "created_at", "id"):
        photos.setdefault(photo.case_id, photo)
    problems = []
    for case in rows:
        photo = photos.get(case.pk)
        problems.append(
            Problem(
                case_id=case.pk,
                code=case.code,
                category=case.category.name,
                place=_place(case),
                unit=case.unit.name if case.unit else _("未派遣"),
                status=case.get_status_display(),
                reported_at=case.reported_at,
                severity=_severity(case),
                photo_id=photo.pk if photo else None,
                photo_name=photo.image.name if photo else "",
            )
        )
    return problems


def _overdue(user, period: Period, as_of: datetime) -> list[OverdueCase]:
    """The cases behind the 超时数 figure: due in the period (up to the moment the figures
    are taken), not closed on time by then, and not waiting on an approved extension.
    The same predicate as the indicator, so the list and the headline count agree."""
    until = indicators.as_of_moment(period.end, as_of)
    closed = Q(closed_at__lt=until)
    rows = (
        _cases(user)
        .filter(deadline__gte=period.start, deadline__lt=until)
        .exclude(status__in=indicators.DROPPED)
        .exclude(closed & Q(closed_on_time=True))
        .exclude(Q(extension_value__gt=0) & ~closed)
        .order_by("deadline", "id")
    )
    calendar = get_calendar()
    result = []
    for case in rows:
        finished = case.handled_at
        # Late work is measured to when the unit finished it, or to now while it has not.
        end = finished or as_of
        result.append(
            OverdueCase(
                case_id=case.pk,
                code=case.code,
                category=case.category.name,
                place=_place(case),
                unit=case.unit.name if case.unit else _("未派遣"),
                deadline=case.deadline,
                finished_at=finished,
                status=case.get_status_display(),
                overdue_minutes=calendar.elapsed_minutes(case.deadline, end, case.time_type),
                work_clock=case.time_type in WORK_TIME_TYPES,
            )
        )
    return result


def _accountabilities(user, period: Period) -> list[AccountabilityRecord]:
    rows = (
        Accountability.objects.scoped_for(user, EXPORT)
        .filter(decided_at__gte=period.start, decided_at__lt=period.end)
        .select_related("unit", "case")
        .order_by("decided_at", "id")
    )
    return [
        AccountabilityRecord(
            decided_at=row.decided_at,
            unit=row.unit.name,
            person=row.person_name,
            kind=row.get_kind_display(),
            points=row.points,
            reason=row.reason,
            case_id=row.case_id,
            case_code=row.case.code if row.case else "",
        )
        for row in rows
    ]


def build_report(*, user, period_key: str) -> Report:
    """The report for one period as ``user`` may read it. A role that does not hold the
    review is refused; a bad period key is a ServiceError on field ``period``."""
    if not may_read_report(user):
        raise PermissionDeniedError("您没有查看讲评报告的权限。")
    period = periods.parse(period_key)
    as_of = clock.now()
    citywide, districts = _scope_territories(user)
    if citywide:
        scope_label = _("全市")
    else:
        scope_label = "、".join(d.name for d in districts) or _("本辖区")
    rankings = [
        Ranking(
            subject_type=subject_type,
            label=SubjectType(subject_type).label,
            results=selectors.results_for(
                user=user, period_key=period.key, subject_type=subject_type
            ),
        )
        for subject_type in RANKED
    ]
    return Report(
        period=period,
        previous=period.previous(),
        city=city_name(),
        scope_label=scope_label,
        citywide=citywide,
        generated_at=as_of,
        figures=_headline(period, [d.id for d in districts], as_of),
        rankings=rankings,
        problems=_problems(user, period),
        overdue=_overdue(user, period, as_of),
        accountabilities=_accountabilities(user, period),
    )


def filename(report: Report, extension: str) -> str:
    scope = "" if report.citywide else f"_{report.scope_label}"
    return f"{report.title}_{report.period.label}{scope}.{extension}"


# -- PDF ----------------------------------------------------------------------------------------
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


# -- XLSX ---------------------------------------------------------------------------------------
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
