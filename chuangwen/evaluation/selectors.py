"""Every read of rounds, inspections, results and problems, limited to the reader's scope.

Ranks are computed over the whole round (a district sees where it stands among all of
them) but each reader only gets the lines of subjects inside their own scope.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import QuerySet, Sum
from django.http import Http404
from django.utils.translation import gettext

from chuangwen.core import clock
from chuangwen.core.workcalendar import get_calendar
from chuangwen.org.models import Unit
from chuangwen.territory.models import TerritoryNode

from .choices import (
    COUNTED_STATUSES,
    InspectionStatus,
    ReinspectionStatus,
    RoundStatus,
    SubjectLevel,
)
from .models import (
    Inspection,
    ItemResult,
    Penalty,
    Point,
    PointType,
    Reinspection,
    Round,
    RoundItem,
)
from .permissions import plans_rounds
from .scoring import Subject, rank, rollup

RESULT_LEVELS = (
    SubjectLevel.DISTRICT,
    SubjectLevel.STREET,
    SubjectLevel.COMMUNITY,
    SubjectLevel.UNIT,
    SubjectLevel.POINT_TYPE,
    SubjectLevel.POINT,
)
# The inspection's field that names its subject at each level.
LEVEL_FIELD = {
    SubjectLevel.POINT: "point_id",
    SubjectLevel.POINT_TYPE: "point__point_type_id",
    SubjectLevel.COMMUNITY: "point__community_id",
    SubjectLevel.STREET: "point__street_id",
    SubjectLevel.DISTRICT: "point__district_id",
    SubjectLevel.UNIT: "point__unit_id",
}
OPEN_WORK = (InspectionStatus.ASSIGNED, InspectionStatus.RETURNED)


def today():
    return clock.now().astimezone(get_calendar().tz).date()


# -- rounds --------------------------------------------------------------------------------
def rounds_for(user) -> QuerySet[Round]:
    """Planners see every round, drafts included; everyone else the rounds under way or done."""
    rounds = Round.objects.select_related("framework")
    return rounds if plans_rounds(user) else rounds.exclude(status=RoundStatus.DRAFT)


def round_get(*, user, round_id) -> Round:
    round_ = rounds_for(user).filter(pk=round_id).first()
    if round_ is None:
        raise Http404("测评轮次不存在")
    return round_


def inspections_in(round_: Round, user) -> QuerySet[Inspection]:
    """The round's inspections the user may see (``user=None``: the system, all of them)."""
    queryset = Inspection.objects.all() if user is None else Inspection.objects.scoped_for(user)
    return queryset.filter(round=round_)


@dataclass
class ProgressRow:
    key: object
    name: str
    total: int = 0
    counts: Counter = field(default_factory=Counter)
    overdue: int = 0

    @property
    def done(self) -> int:
        return self.counts[InspectionStatus.SUBMITTED] + self.counts[InspectionStatus.APPROVED]

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


@dataclass
class Progress:
    total: ProgressRow
    inspectors: list[ProgressRow]
    districts: list[ProgressRow]
    today_planned: int


def round_progress(*, round_: Round, user) -> Progress:
    day = today()
    rows = list(
        inspections_in(round_, user).values_list(
            "status",
            "due_on",
            "planned_on",
            "inspector_id",
            "inspector__full_name",
            "inspector__username",
            "point__district_id",
            "point__district__name",
        )
    )
    total = ProgressRow(key=None, name=gettext("合计"))
    by_inspector: dict[object, ProgressRow] = {}
    by_district: dict[object, ProgressRow] = {}
    planned = 0
    for status, due_on, planned_on, uid, full_name, username, did, dname in rows:
        late = status in OPEN_WORK and due_on < day and round_.status == RoundStatus.OPEN
        planned += planned_on == day and status in OPEN_WORK
        targets = (
            total,
            by_inspector.setdefault(
                uid, ProgressRow(key=uid, name=full_name or username or "未分配")
            ),
            by_district.setdefault(did, ProgressRow(key=did, name=dname or "—")),
        )
        for row in targets:
            row.total += 1
            row.counts[status] += 1
            row.overdue += late
    return Progress(
        total=total,
        inspectors=sorted(by_inspector.values(), key=lambda r: r.name),
        districts=sorted(by_district.values(), key=lambda r: r.name),
        today_planned=planned,
    )


# -- results -------------------------------------------------------------------------------
def _names(level: str, keys: Iterable) -> dict[object, tuple[str, str]]:
    keys = [k for k in keys if k is not None]
    if level in (SubjectLevel.COMMUNITY, SubjectLevel.STREET, SubjectLevel.DISTRICT):
        rows = TerritoryNode.objects.filter(pk__in=keys).values_list("pk", "name", "code")
    elif level == SubjectLevel.UNIT:
        rows = Unit.objects.filter(pk__in=keys).values_list("pk", "name", "name")
    elif level == SubjectLevel.POINT_TYPE:
        rows = PointType.objects.filter(pk__in=keys).values_list("pk", "name", "code")
    else:
        rows = Point.objects.filter(pk__in=keys).values_list("pk", "name", "code")
    return {pk: (name, code) for pk, name, code in rows}


def _penalties(round_: Round, level: str) -> dict[object, Decimal]:
    if level not in (
        SubjectLevel.COMMUNITY,
        SubjectLevel.STREET,
        SubjectLevel.DISTRICT,
        SubjectLevel.UNIT,
    ):
        return {}
    key = "unit_id" if level == SubjectLevel.UNIT else "territory_id"
    rows = (
        Penalty.objects.filter(round=round_, subject_level=level)
        .values(key)
        .annotate(total=Sum("points"))
        .values_list(key, "total")
    )
    return dict(rows)


def _subjects(round_: Round, level: str) -> list[Subject]:
    """Every subject of the round at ``level``, ranked; counted inspections only."""
    key = LEVEL_FIELD[level]
    rows = list(
        Inspection.objects.filter(round=round_, status__in=COUNTED_STATUSES).values_list(
            key, "score", "max_points", "failed_count"
        )
    )
    names = _names(level, {r[0] for r in rows})
    subjects = rollup(
        ((k, names.get(k, ("—", ""))[0], score, most, failed) for k, score, most, failed in rows),
        _penalties(round_, level),
    )
    for subject in subjects:
        subject.code = names.get(subject.key, ("", ""))[1]
    return rank(subjects)


def round_results(*, round_: Round, level: str, user) -> list[Subject]:
    if level not in RESULT_LEVELS:
        raise ValueError(f"unknown level {level!r}")
    subjects = _subjects(round_, level)
    if round_.previous_id:
        before = {s.key: s.rate for s in _subjects(round_.previous, level)}
        for subject in subjects:
            subject.previous_rate = before.get(subject.key)
    visible = set(inspections_in(round_, user).values_list(LEVEL_FIELD[level], flat=True))
    return [s for s in subjects if s.key in visible]


def round_point_map(*, round_: Round, user) -> list[dict]:
    """One marker per inspected point: where it is and how it scored (None: not yet)."""
    rows = inspections_in(round_, user).select_related("point", "point__point_type")
    markers = []
    for inspection in rows.order_by("point__code"):
        counted = inspection.status in COUNTED_STATUSES
        rate = inspection.score_rate if counted else None
        markers.append(
            {
                "id": inspection.pk,
                "code": inspection.point.code,
                "name": inspection.point.name,
                "type": inspection.point.point_type.name,
                "lat": inspection.point.lat,
                "lng": inspection.point.lng,
                "status": inspection.get_status_display(),
                "score": str(inspection.score) if counted else None,
                "max": str(inspection.max_points) if counted else None,
                "rate": round(rate, 4) if rate is not None else None,
            }
        )
    return markers


def round_problems(*, round_: Round, user) -> QuerySet[ItemResult]:
    """The round's 问题清单: every failed item with the case it opened."""
    return (
        ItemResult.objects.filter(
            inspection__in=inspections_in(round_, user).values("pk"), case__isnull=False
        )
        .select_related(
            "item",
            "item__category",
            "case",
            "case__unit",
            "inspection__point",
            "inspection__point__district",
            "inspection__point__street",
            "inspection__point__community",
            "inspection__point__unit",
            "inspection__inspector",
            "reinspection",
        )
        .prefetch_related("photos")
        .order_by("inspection__point__code", "item__position", "pk")
    )


# -- inspections ---------------------------------------------------------------------------
def inspection_get(*, user, inspection_id) -> Inspection:
    inspection = (
        Inspection.objects.scoped_for(user)
        .select_related("round", "point", "point__point_type", "inspector", "reviewed_by")
        .filter(pk=inspection_id)
        .first()
    )
    if inspection is None or (
        inspection.round.status == RoundStatus.DRAFT and not plans_rounds(user)
    ):
        raise Http404("测评任务不存在")
    return inspection


def field_inspections(user) -> QuerySet[Inspection]:
    """The inspector's own points in rounds under way, in the order of their route."""
    return (
        Inspection.objects.filter(inspector=user, round__status=RoundStatus.OPEN)
        .select_related("round", "point", "point__point_type")
        .order_by("round__due_on", "round_id", "planned_on", "route_order")
    )


def field_reinspections(user) -> QuerySet[Reinspection]:
    return (
        Reinspection.objects.filter(inspector=user, status=ReinspectionStatus.PENDING)
        .select_related(
            "case", "result__item", "result__inspection__point", "result__inspection__round"
        )
        .order_by("due_on", "pk")
    )


def reinspection_get(*, user, reinspection_id) -> Reinspection:
    reinspection = (
        Reinspection.objects.select_related(
            "case", "result__item", "result__inspection__point", "result__inspection__round"
        )
        .filter(pk=reinspection_id)
        .first()
    )
    if reinspection is None or not (
        reinspection.inspector_id == getattr(user, "pk", None) or plans_rounds(user)
    ):
        raise Http404("复查任务不存在")
    return reinspection


def inspection_form(inspection: Inspection) -> dict:
    """What the capture page needs, as plain data: the point, the frozen checklist by
    section, and the results already on record (for a returned inspection)."""
    items = RoundItem.objects.filter(
        round_id=inspection.round_id, point_type_id=inspection.point.point_type_id
    ).order_by("position", "id")
    results = {
        r.item_id: r for r in inspection.results.prefetch_related("photos").select_related("item")
    }
    sections: dict[str, list[dict]] = defaultdict(list)
    for item in items:
        done = results.get(item.pk)
        sections[item.section].append(
            {
                "id": item.pk,
                "text": item.text,
                "indicator": " ".join(x for x in (item.indicator_code, item.indicator_name) if x),
                "max": str(item.max_points),
                "deduction": str(item.deduction),
                "evidence": item.evidence_required,
                "na": item.na_allowed,
                "result": done.result if done else "",
                "occurrences": done.occurrences if done else 0,
                "note": done.note if done else "",
                "photo_ids": [p.pk for p in done.photos.all()] if done else [],
            }
        )
    point = inspection.point
    return {
        "id": inspection.pk,
        "version": inspection.version,
        "status": inspection.status,
        "round": inspection.round.name,
        "radius": inspection.round.checkin_radius_m,
        "point": {
            "code": point.code,
            "name": point.name,
            "type": point.point_type.name,
            "address": point.address,
            "lat": point.lat,
            "lng": point.lng,
        },
        "review_note": inspection.review_note,
        "sections": [{"name": name, "items": rows} for name, rows in sections.items()],
    }
