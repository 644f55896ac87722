"""The demo's assessment: default schemes for every kind of subject, the survey and
materials figures the office would have entered, the last complete quarter and month
published, and two appeals (one decided, one waiting) so the trace shows. Everything
goes through the services with the clock set to when the office would have done it."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from decimal import Decimal

from django.db import transaction

from chuangwen.assessment import periods, scoring, selectors, services
from chuangwen.assessment.choices import (
    ENTERED_KINDS,
    RANKED_SUBJECTS,
    AppealStatus,
    ComponentKind,
    PeriodKind,
    SubjectType,
)
from chuangwen.assessment.models import Publication, Result, Scheme
from chuangwen.assessment.permissions import UNIT_APPEAL_ROLES, may_appeal
from chuangwen.assessment.selectors import indicators
from chuangwen.core import clock
from chuangwen.core.types import Actor
from chuangwen.core.workcalendar import get_calendar
from chuangwen.org.choices import Role
from chuangwen.org.models import Membership
from chuangwen.territory.choices import Level
from chuangwen.territory.models import TerritoryNode


def _rate(indicator, label, points, target, step):
    return {
        "kind": ComponentKind.CASE_INDICATOR,
        "indicator": indicator,
        "label": label,
        "max_points": points,
        "rule": "threshold",
        "target": target,
        "step": step,
    }


def _ceiling(indicator, label, points, target, step):
    return {
        "kind": ComponentKind.CASE_INDICATOR,
        "indicator": indicator,
        "label": label,
        "max_points": points,
        "rule": "lower_better",
        "target": target,
        "step": step,
    }


INSPECTION = {
    "kind": ComponentKind.INSPECTION,
    "label": "测评得分率",
    "max_points": "25",
    "rule": "proportional",
}
SURVEY = {
    "kind": ComponentKind.SURVEY,
    "label": "群众满意度",
    "max_points": "15",
    "rule": "threshold",
    "target": "90",
    "step": "1",
}
MATERIAL = {
    "kind": ComponentKind.MATERIAL,
    "label": "网申材料完整率",
    "max_points": "5",
    "rule": "proportional",
}
PENALTY = {
    "kind": ComponentKind.PENALTY,
    "label": "负面清单与问责扣分",
    "max_points": "10",
    "rule": "deduction",
}
TERRITORY_NOTE = (
    "依据《十堰市创建全国文明城市工作考评办法》:案件办理以数字城管系统数据为准,"
    "测评得分率取当期双月测评和明察暗访,群众满意度取第三方调查机构报告。"
)

# Districts and streets are assessed on the same components.
TERRITORY_COMPONENTS = [
    _rate("on_time_rate", "按期结案率", "30", "90", "1"),
    _rate("close_rate", "结案率", "10", "95", "1"),
    _ceiling("rework_rate", "返工率", "5", "5", "0.5"),
    INSPECTION,
    SURVEY,
    MATERIAL,
    PENALTY,
]

# subject type → (name, note, components); each adds up to 100 points.
SCHEMES = {
    SubjectType.DISTRICT: (
        "区县创文工作考评方案",
        TERRITORY_NOTE,
        TERRITORY_COMPONENTS,
    ),
    SubjectType.STREET: (
        "街道(乡镇)创文工作考评方案",
        TERRITORY_NOTE,
        TERRITORY_COMPONENTS,
    ),
    SubjectType.COMMUNITY: (
        "社区(村)创文工作考评方案",
        TERRITORY_NOTE,
        [
            _rate("on_time_rate", "按期结案率", "30", "85", "1"),
            _rate("close_rate", "结案率", "15", "90", "1"),
            _rate("satisfaction_rate", "回访满意率", "10", "90", "1"),
            INSPECTION,
            {**SURVEY, "max_points": "10"},
            PENALTY,
        ],
    ),
    SubjectType.UNIT: (
        "责任单位案件办理考评方案",
        "市直部门、公用事业单位和点位责任单位按案件办理质量考评;未被抽检点位的单位按全市平均测评得分率计。",
        [
            _rate("on_time_rate", "按期结案率", "35", "90", "1"),
            _rate("close_rate", "结案率", "15", "95", "1"),
            _ceiling("rework_rate", "返工率", "10", "5", "1"),
            _ceiling("send_back_rate", "回退率", "5", "10", "0.5"),
            {**INSPECTION, "max_points": "15"},
            _rate("satisfaction_rate", "回访满意率", "10", "90", "1"),
            PENALTY,
        ],
    ),
    SubjectType.STAFF: (
        "网格员和文明观察员考评方案",
        "一线人员按上报质量和现场核查时效考评。",
        [
            _rate("valid_report_rate", "有效上报率", "50", "90", "1"),
            _rate("verify_on_time_rate", "按时核实率", "50", "95", "1"),
        ],
    ),
}
SOURCES = {
    ComponentKind.SURVEY: "第三方调查机构群众满意度调查报告",
    ComponentKind.MATERIAL: "网申材料审核记录",
}
APPEAL_REASON = (
    "本期有 2 件超时案件系持续降雨导致无法施工,已于期内提交延期申请但未及时审批,"
    "附延期申请截图和气象部门证明,申请核减扣分。"
)
DECISION_NOTE = "经核实,其中 1 件延期申请确于时限内提交,予以核减;另 1 件申请晚于时限,不予核减。"
PENDING_REASONS = {
    ComponentKind.PENALTY: (
        "本期负面清单扣分的点位已移交市直部门管理,不属本单位责任,附移交文件,申请恢复。"
    ),
    ComponentKind.CASE_INDICATOR: (
        "本期部分超时案件系跨街道误派,改派后时限未重新起算,附派遣记录,申请核减扣分。"
    ),
}


def seed_schemes(actor: Actor = None) -> int:
    """The default scheme of every subject type that has none yet."""
    made = 0
    for subject_type, (name, note, components) in SCHEMES.items():
        if Scheme.objects.filter(subject_type=subject_type).exists():
            continue
        services.scheme_save(
            subject_type=subject_type, name=name, note=note, components=components, actor=actor
        )
        made += 1
    return made


def _later(start: datetime, days: int, hour: int, now: datetime) -> datetime:
    """``days`` after ``start`` at ``hour`` o'clock, but never after now."""
    moment = datetime.combine(
        start.astimezone(get_calendar().tz).date() + timedelta(days=days),
        datetime.min.time().replace(hour=hour),
        tzinfo=get_calendar().tz,
    )
    return min(max(moment, start), now)


def _office_user():
    membership = (
        Membership.objects.filter(role=Role.CITY_OPERATOR, is_active=True, user__is_active=True)
        .select_related("user")
        .order_by("user__username")
        .first()
    )
    return membership.user if membership else None


def _enter_figures(rng: random.Random, entry_periods, actor: Actor, now: datetime) -> int:
    """Plausible survey and material figures for what the current schemes need: each
    subject keeps its own level from one period to the next, with some noise."""
    entered = 0
    for subject_type in SubjectType.values:
        scheme = selectors.current_scheme(subject_type)
        components = scheme.components.all() if scheme else ()
        kinds = [c.kind for c in components if c.kind in ENTERED_KINDS]
        if not kinds:
            continue
        listed = indicators.subjects(subject_type)
        level = {s.id: rng.random() for s in listed}
        for period in entry_periods:
            with clock.at(_later(period.end, 1, 9, now)):
                for kind in kinds:
                    if kind == ComponentKind.SURVEY:
                        values = {
                            s.id: min(Decimal("99.5"), _figure(86 + 11 * level[s.id], rng, 1.5))
                            for s in listed
                        }
                    else:
                        values = {
                            s.id: min(Decimal(100), _figure(78 + 24 * level[s.id], rng, 4))
                            for s in listed
                        }
                    services.figures_enter(
                        period_key=period.key,
                        subject_type=subject_type,
                        kind=kind,
                        values=values,
                        note=SOURCES[kind],
                        actor=actor,
                    )
                    entered += len(values)
    return entered


def _figure(base: float, rng: random.Random, spread: float) -> Decimal:
    return scoring.quantize(max(0.0, base + rng.uniform(-spread, spread)))


def _appellant(publication: Publication, kinds: tuple[str, ...]):
    """(user, result, component) for an appeal: a member of an assessed subject, on the
    component of its own result where it lost most, among ``kinds``."""
    results = list(publication.results.order_by("subject_code"))
    members = (
        Membership.objects.filter(role__in=UNIT_APPEAL_ROLES, is_active=True, user__is_active=True)
        .select_related("user")
        .order_by("user__username")
    )
    for membership in members:
        for result in results:
            if not may_appeal(membership.user, result):
                continue
            lost = [
                c
                for c in (scoring.ComponentScore.from_json(c) for c in result.components)
                if c.kind in kinds and c.lost >= Decimal("1")
            ]
            if lost:
                return membership.user, result, max(lost, key=lambda c: c.lost)
    return None


def _appeals(published: dict, actor: Actor, now: datetime) -> tuple[int, int]:
    """One decided appeal on the month's district results, one waiting on the quarter's
    street results. Returns (decided, pending)."""
    decided = pending = 0
    month = published.get((PeriodKind.MONTH, SubjectType.DISTRICT))
    found = month and _appellant(month, (ComponentKind.CASE_INDICATOR,))
    if found:
        user, result, component = found
        requested = scoring.quantize(min(component.lost, Decimal(4)))
        with clock.at(_later(month.published_at, 2, 15, now)):
            appeal = services.appeal_file(
                result_id=result.pk,
                component_position=component.position,
                requested_points=requested,
                reason=APPEAL_REASON,
                actor=user,
            )
        with clock.at(_later(month.published_at, 4, 10, now)):
            services.appeal_decide(
                appeal_id=appeal.pk,
                actor=actor,
                status=AppealStatus.PARTIAL,
                granted_points=scoring.quantize(requested / 2),
                note=DECISION_NOTE,
            )
        decided += 1
    quarter = published.get((PeriodKind.QUARTER, SubjectType.STREET))
    found = quarter and _appellant(quarter, (ComponentKind.PENALTY, ComponentKind.CASE_INDICATOR))
    if found:
        user, result, component = found
        with clock.at(_later(quarter.published_at, 3, 16, now)):
            services.appeal_file(
                result_id=result.pk,
                component_position=component.position,
                requested_points=scoring.quantize(min(component.lost, Decimal(2))),
                reason=PENDING_REASONS[component.kind],
                actor=user,
            )
        pending += 1
    return decided, pending


def seed_assessment(*, stdout, seed: int = 2026) -> int:
    """Schemes, entered figures, publications and appeals, once: nothing happens on a
    database that has a publication already. Returns how many publications were made."""
    if (
        Publication.objects.exists()
        or not TerritoryNode.objects.filter(level=Level.DISTRICT).exists()
    ):
        return 0
    rng = random.Random(seed)
    now = clock.now()
    today = now.astimezone(get_calendar().tz).date()
    month = periods.last_complete(today, PeriodKind.MONTH)
    quarter = periods.last_complete(today, PeriodKind.QUARTER)
    entry_periods = sorted(
        {
            quarter.previous(),
            quarter,
            periods.containing(today, PeriodKind.QUARTER),
            month.previous(),
            month,
            periods.containing(today, PeriodKind.MONTH),
        },
        key=lambda p: (p.start, p.kind),
    )
    actor = _office_user()
    published: dict[tuple[str, str], Publication] = {}
    with transaction.atomic():
        schemes = seed_schemes()
        entered = _enter_figures(rng, entry_periods, actor, now)
        for period, days in ((quarter, 5), (month, 3)):
            with clock.at(_later(period.end, days, 10, now)):
                for subject_type in RANKED_SUBJECTS:
                    published[(period.kind, subject_type)] = services.publication_publish(
                        period_key=period.key,
                        subject_type=subject_type,
                        actor=actor,
                        note=f"{period.label}考评结果,经市创文办审定发布。",
                    )
        decided, pending = _appeals(published, actor, now)
    results = Result.objects.filter(publication__in=published.values()).count()
    stdout.write(
        f"考评:{schemes} 套考评方案,录入满意度和材料数据 {entered} 条,"
        f"发布{quarter.label}和{month.label}的区县、街道、社区、责任单位结果 "
        f"{len(published)} 份({results} 个对象),申诉 {decided + pending} 件(已审核 {decided} 件)"
    )
    return len(published)
