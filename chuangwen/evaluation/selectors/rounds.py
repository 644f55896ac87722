"""Reads of rounds as a reader sees them: lists, the progress board and the planning form's choices."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext

from chuangwen.core import clock
from chuangwen.core.bounds import parse_id
from chuangwen.core.scoping import VIEW, path_q, scope_for
from chuangwen.core.workcalendar import get_calendar
from chuangwen.org.choices import Role
from chuangwen.org.models import Membership, Unit
from chuangwen.territory.models import TerritoryNode

from ..choices import (
    COUNTED_STATUSES,
    FrameworkKind,
    InspectionStatus,
    RoundStatus,
    SubjectLevel,
)
from ..models import (
    Framework,
    Inspection,
    NegativeItem,
    Penalty,
    Point,
    PointType,
    Round,
    SamplingRule,
)
from ..permissions import INSPECTOR_ROLES, plans_rounds

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
