"""The 讲评 report's data: who may read it, and ``build_report`` for one period as the reader sees it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db.models import Count, Exists, Max, OuterRef, Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chuangwen.cases.choices import Channel, OverdueLevel, PhotoKind, Status, SupervisionKind
from chuangwen.cases.models import Accountability, Case, CasePhoto, Supervision
from chuangwen.core import clock
from chuangwen.core.errors import PermissionDeniedError
from chuangwen.core.scoping import EXPORT, scope_for
from chuangwen.core.workcalendar import TimeType, get_calendar
from chuangwen.org.choices import Role
from chuangwen.territory.selectors import city_name

from .. import indicators, periods, selectors
from ..choices import SubjectType
from ..periods import Period

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
        computed = selectors.compute(
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
    districts = selectors.subjects(SubjectType.DISTRICT)
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
    until = selectors.as_of_moment(period.end, as_of)
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
