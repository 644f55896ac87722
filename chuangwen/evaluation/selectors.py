"""Every read of rounds, inspections, results and problems, limited to the reader's scope.

Ranks are computed over the whole round (a district sees where it stands among all of
them) but each reader only gets the lines of subjects inside their own scope.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.http import Http404
from django.utils.translation import gettext

from chuangwen.cases.choices import PhotoKind
from chuangwen.cases.choices import Status as CaseStatus
from chuangwen.core import clock
from chuangwen.core.bounds import parse_id
from chuangwen.core.scoping import VIEW, path_q, scope_for
from chuangwen.core.workcalendar import get_calendar
from chuangwen.org.choices import Role
from chuangwen.org.models import Membership, Unit
from chuangwen.territory.models import TerritoryNode

from .choices import (
    COUNTED_STATUSES,
    FrameworkKind,
    InspectionStatus,
    ReinspectionStatus,
    Result,
    RoundStatus,
    SubjectLevel,
)
from .models import (
    Framework,
    Inspection,
    ItemResult,
    NegativeItem,
    Penalty,
    Point,
    PointType,
    Reinspection,
    Round,
    RoundItem,
    SamplingRule,
)
from .permissions import INSPECTOR_ROLES, plans_rounds
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
# The territory levels a negative-list penalty may fall on; units are the other kind.
PENALTY_TERRITORY_LEVELS = (SubjectLevel.DISTRICT, SubjectLevel.STREET, SubjectLevel.COMMUNITY)


def today():
    return clock.now().astimezone(get_calendar().tz).date()


def _int(value) -> int | None:
    return parse_id(value)


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


def round_counts(*, user, round_ids: Iterable[int]) -> dict[int, tuple[int, int]]:
    """Round id → (inspections, counted inspections) among those the user may see: the
    progress column of the round list. Rounds without any visible inspection are absent."""
    rows = (
        Inspection.objects.scoped_for(user)
        .filter(round_id__in=round_ids)
        .values("round_id")
        .annotate(total=Count("pk"), done=Count("pk", filter=Q(status__in=COUNTED_STATUSES)))
    )
    return {r["round_id"]: (r["total"], r["done"]) for r in rows}


def round_rules(*, round_: Round) -> QuerySet[SamplingRule]:
    """The sampling rules the round was drawn with, with their point types."""
    return round_.rules.select_related("point_type")


def round_negatives(*, round_: Round) -> list[NegativeItem]:
    """The negative list of the round's framework: what a penalty may be recorded for
    (none when the round follows no framework)."""
    if not round_.framework_id:
        return []
    return list(NegativeItem.objects.filter(framework_id=round_.framework_id))


def round_penalties(*, round_: Round, user) -> QuerySet[Penalty]:
    """The round's penalties on subjects inside the user's scope: a territory in one of
    their subtrees, or one of their units."""
    rows = Penalty.objects.filter(round=round_).select_related(
        "negative", "territory", "unit", "recorded_by"
    )
    scope = scope_for(user).for_action(VIEW)
    if scope.citywide:
        return rows
    return rows.filter(path_q("territory__path", scope.paths) | Q(unit_id__in=scope.unit_ids))


def round_districts(*, round_: Round, user) -> list[tuple[int, str]]:
    """(id, name) of the districts holding the round's points the user may see, in code
    order: the district filter of the board and of the 问题清单."""
    rows = (
        inspections_in(round_, user)
        .exclude(point__district__isnull=True)
        .values_list("point__district_id", "point__district__name", "point__district__code")
        .distinct()
    )
    return [(pk, name) for pk, name, _code in sorted(set(rows), key=lambda r: r[2])]


def round_inspectors(*, round_: Round, user) -> list[tuple[int, str]]:
    """(id, name) of the inspectors assigned to the round's inspections the user may see,
    by name: the inspector filter of the board."""
    rows = (
        inspections_in(round_, user)
        .exclude(inspector__isnull=True)
        .values_list("inspector_id", "inspector__full_name", "inspector__username")
    )
    return sorted(
        {(pk, full_name or username) for pk, full_name, username in rows}, key=lambda r: r[1]
    )


@dataclass(frozen=True)
class BoardFilter:
    """What the progress board's table is narrowed to; anything unrecognised is ignored."""

    status: str = ""  # an InspectionStatus value
    inspector: int | None = None
    district: int | None = None
    today: bool = False  # planned for today and still to be done

    @classmethod
    def from_params(cls, params) -> BoardFilter:
        status = params.get("status")
        return cls(
            status=status if status in InspectionStatus.values else "",
            inspector=_int(params.get("inspector")),
            district=_int(params.get("district")),
            today=params.get("today") == "1",
        )

    def apply(self, inspections: QuerySet[Inspection]) -> QuerySet[Inspection]:
        if self.status:
            inspections = inspections.filter(status=self.status)
        if self.inspector:
            inspections = inspections.filter(inspector_id=self.inspector)
        if self.district:
            inspections = inspections.filter(point__district_id=self.district)
        if self.today:
            inspections = inspections.filter(planned_on=today(), status__in=OPEN_WORK)
        return inspections


def round_inspection_list(*, round_: Round, user, filters: BoardFilter) -> QuerySet[Inspection]:
    """The board's table: the round's inspections in the user's scope under ``filters``,
    day by day, each inspector's along their route."""
    return (
        filters.apply(inspections_in(round_, user))
        .select_related(
            "point", "point__point_type", "point__district", "point__street", "inspector"
        )
        .order_by("planned_on", "inspector_id", "route_order", "pk")
    )


# -- planning ------------------------------------------------------------------------------
# A round is planned by the city office, city-wide: these reads are for planners only and
# are not narrowed by scope; the views check ``plans_rounds`` before using them.
def sampling_point_types() -> QuerySet[PointType]:
    """The active point types, each with its number of active points (``active_points``):
    the rows of the planning form's sampling table."""
    # Django leaves Meta.ordering out of GROUP BY queries: the order is spelled out.
    return (
        PointType.objects.filter(is_active=True)
        .annotate(active_points=Count("points", filter=Q(points__is_active=True)))
        .order_by("position", "code")
    )


def framework_options() -> QuerySet[Framework]:
    """Every framework edition a round may follow."""
    return Framework.objects.all()


def current_framework() -> Framework | None:
    """The edition a round follows when none is chosen, the same choice ``round_create``
    makes: the current 典范城市 edition, else any current one."""
    return (
        Framework.objects.filter(is_current=True, kind=FrameworkKind.MODEL_CITY).first()
        or Framework.objects.filter(is_current=True).first()
    )


def active_point_ids(*, codes: Iterable[str]) -> dict[str, int]:
    """Code → id of the active points among ``codes``; unknown or inactive codes are absent."""
    return dict(
        Point.objects.filter(code__in=list(codes), is_active=True).values_list("code", "pk")
    )


def inspector_groups() -> list[dict]:
    """Everyone who may be sent to inspect, grouped by role (inspectors, then observers;
    empty groups left out), each with the visits they still have to make in rounds planned
    or under way (``open``), so the planner spreads the load. Three queries."""
    memberships = (
        Membership.objects.filter(role__in=INSPECTOR_ROLES, is_active=True, user__is_active=True)
        .select_related("user", "unit")
        .order_by("user__full_name", "user__username", "pk")
    )
    workload = dict(
        Inspection.objects.filter(
            status__in=OPEN_WORK,
            round__status__in=(RoundStatus.DRAFT, RoundStatus.OPEN),
            inspector__isnull=False,
        )
        .values("inspector_id")
        .annotate(n=Count("pk"))
        .values_list("inspector_id", "n")
    )
    groups: dict[str, list[dict]] = {role: [] for role in (Role.INSPECTOR, Role.OBSERVER)}
    seen: set[int] = set()
    # An inspector who is also an observer is listed once, among the inspectors.
    for membership in sorted(memberships, key=lambda m: m.role != Role.INSPECTOR):
        user = membership.user
        if user.pk in seen:
            continue
        seen.add(user.pk)
        groups[membership.role].append(
            {
                "id": user.pk,
                "name": str(user),
                "unit": membership.unit.name,
                "open": workload.get(user.pk, 0),
            }
        )
    return [
        {"role": role, "label": Role(role).label, "people": people}
        for role, people in groups.items()
        if people
    ]


def penalty_territories() -> dict[str, list[TerritoryNode]]:
    """The districts, streets and communities a penalty may fall on, by level (every level
    of ``PENALTY_TERRITORY_LEVELS`` present, possibly empty), each in path order."""
    by_level: dict[str, list[TerritoryNode]] = {level: [] for level in PENALTY_TERRITORY_LEVELS}
    nodes = TerritoryNode.objects.filter(level__in=PENALTY_TERRITORY_LEVELS).order_by("path")
    for node in nodes.only("pk", "name", "code", "level"):
        by_level[node.level].append(node)
    return by_level


def penalty_units() -> QuerySet[Unit]:
    """The active units a penalty may fall on, by kind and name."""
    return Unit.objects.filter(is_active=True).order_by("kind", "name").only("pk", "name", "kind")


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
    visible = _visible_subjects(round_, level, user, {s.key for s in subjects})
    return [s for s in subjects if s.key in visible]


def _visible_subjects(round_: Round, level: str, user, keys: set) -> set:
    """The subjects whose line ``user`` may read, as the assessment's rankings decide
    it: a territory inside the user's scope, a unit of their own or inside it, a point
    they see. A subject's figures cover all its points, so a district's or a city-wide
    unit's line is not a street's to read, even where the street holds some of them;
    a point type's line adds up the whole city and is for city-wide readers only."""
    if user is None:
        return keys
    scope = scope_for(user).for_action(VIEW)
    if scope.citywide:
        return keys
    if level == SubjectLevel.POINT:
        return set(inspections_in(round_, user).values_list("point_id", flat=True))
    if level in (SubjectLevel.DISTRICT, SubjectLevel.STREET, SubjectLevel.COMMUNITY):
        paths = TerritoryNode.objects.filter(pk__in=keys).values_list("pk", "path")
        return {pk for pk, path in paths if scope.covers_path(path)}
    if level == SubjectLevel.UNIT:
        units = Unit.objects.filter(pk__in=keys).values_list("pk", "territory__path")
        return {
            pk
            for pk, path in units
            if pk in scope.unit_ids or (path is not None and scope.covers_path(path))
        }
    return set()


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


@dataclass(frozen=True)
class ProblemFilter:
    """What the 问题清单 is narrowed to; anything unrecognised is ignored."""

    district: int | None = None
    status: str = ""  # a case Status value

    @classmethod
    def from_params(cls, params) -> ProblemFilter:
        status = params.get("status")
        return cls(
            district=_int(params.get("district")),
            status=status if status in CaseStatus.values else "",
        )

    def apply(self, rows: QuerySet[ItemResult]) -> QuerySet[ItemResult]:
        if self.district:
            rows = rows.filter(inspection__point__district_id=self.district)
        if self.status:
            rows = rows.filter(case__status=self.status)
        return rows


def round_problem_list(*, round_: Round, user, filters: ProblemFilter) -> QuerySet[ItemResult]:
    """The round's 问题清单 in the user's scope (as ``round_problems``) under ``filters``."""
    return filters.apply(round_problems(round_=round_, user=user))


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


@dataclass(frozen=True)
class CheckedItem:
    """One line of an inspection's checklist: the frozen item and what was found (None:
    nothing on record)."""

    item: RoundItem
    result: ItemResult | None


def inspection_sections(
    *, inspection: Inspection, recorded_only: bool = False
) -> list[tuple[str, list[CheckedItem]]]:
    """The inspection's checklist by section, in checklist order, each item with its result
    (its case and photos loaded). By default every item of the round's frozen checklist for
    the point's type, answered or not (the office's page shows what is missing);
    ``recorded_only``: only the results on record, which is what the inspector submitted
    even if the point's type has changed since. Two queries, three with the checklist."""
    results = list(
        inspection.results.select_related("item", "case")
        .prefetch_related("photos")
        .order_by("item__position", "item_id")
    )
    if recorded_only:
        lines = [CheckedItem(item=r.item, result=r) for r in results]
    else:
        by_item = {r.item_id: r for r in results}
        items = RoundItem.objects.filter(
            round_id=inspection.round_id, point_type_id=inspection.point.point_type_id
        ).order_by("position", "id")
        lines = [CheckedItem(item=item, result=by_item.get(item.pk)) for item in items]
    sections: dict[str, list[CheckedItem]] = {}
    for line in lines:
        sections.setdefault(line.item.section, []).append(line)
    return list(sections.items())


def inspection_case_codes(*, inspection: Inspection) -> list[str]:
    """The codes of the cases the inspection's failed items opened, in checklist order."""
    return list(
        ItemResult.objects.filter(inspection=inspection, result=Result.FAIL, case__isnull=False)
        .order_by("item__position", "item_id")
        .values_list("case__code", flat=True)
    )


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


@dataclass(frozen=True)
class ReinspectionPhotos:
    """Photo ids a 复查 shows side by side."""

    before: list[int]  # the failure's evidence
    after: list[int]  # the responsible unit's after-photos on the case
    done: list[int]  # the re-inspection's own


def reinspection_photos(*, reinspection: Reinspection) -> ReinspectionPhotos:
    """The photos of a 复查 task (got through ``reinspection_get``): before, after, done."""
    return ReinspectionPhotos(
        before=[p.pk for p in reinspection.result.photos.all()],
        after=[p.pk for p in reinspection.case.photos.filter(kind=PhotoKind.AFTER)],
        done=[p.pk for p in reinspection.photos.all()],
    )


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
