"""Reads of a round's results: subject scores and ranks, the point map and the problem list."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet, Sum

from chuangwen.cases.choices import Status as CaseStatus
from chuangwen.core.scoping import VIEW, scope_for
from chuangwen.org.models import Unit
from chuangwen.territory.models import TerritoryNode

from ..choices import (
    COUNTED_STATUSES,
    SubjectLevel,
)
from ..models import (
    Inspection,
    ItemResult,
    Penalty,
    Point,
    PointType,
    Round,
)
from ..scoring import Subject, rank, rollup
from .rounds import LEVEL_FIELD, RESULT_LEVELS, _int, inspections_in


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
