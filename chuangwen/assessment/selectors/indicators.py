"""Case indicators of an assessment period (CJ/T 292 style), counted in the database.

A period is the half-open span [S, E). Figures are taken as of T = min(E, as_of or now):
what had happened before T. Each figure is one conditional count over the cases that
were reported, registered or due in [S, T) (the three indexed date ranges), grouped by
the subjects' columns in one query, so the cost follows the cases of the period rather
than the whole table, and nothing is loaded case by case. Rates are computed from the
summed counts, never by averaging rates.

Case fields that describe the case's current state (``closed_on_time``, ``rework_count``,
``send_back_count``, ``extension_value``, ``handle_minutes``, ``status``) are read as
they are now; the dates decide which period a case belongs to. A published result keeps
the figures of its moment, so later changes to a case do not move it.

Attribution: territory subjects by the case's district, street or community (the chain
stored when the case was reported), units by the case's responsible unit, field staff by
the account that reported the case and the account that verified it. Ratings carry their
own unit and territory path.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Q, Sum

from chuangwen.cases.choices import Action, Channel, Satisfaction, Status
from chuangwen.cases.models import Case, CaseEvent, CaseRating
from chuangwen.cases.permissions import FIELD_ROLES
from chuangwen.core import clock
from chuangwen.core.errors import ServiceError
from chuangwen.org.choices import UnitKind
from chuangwen.org.models import Membership, Unit
from chuangwen.territory.models import TerritoryNode

from ..choices import TERRITORY_SUBJECTS, SubjectType
from ..indicators import DROPPED, case_figures, staff_figures

# A field report that does not count as valid even once registered.
INVALID_REPORTS = (Status.INVALID, Status.MERGED)
GOOD_RATINGS = (Satisfaction.SATISFIED, Satisfaction.BASIC)
VERIFY_ACTIONS = (Action.VERIFY_OK, Action.VERIFY_FAIL)
# Units that are not assessed: the office that assesses, and volunteer organisations.
UNASSESSED_UNITS = (UnitKind.CITY_OFFICE, UnitKind.VOLUNTEER_ORG)
# The case column that names each subject type's subject.
CASE_COLUMN = {
    SubjectType.DISTRICT: "district_id",
    SubjectType.STREET: "street_id",
    SubjectType.COMMUNITY: "community_id",
    SubjectType.UNIT: "unit_id",
}


# The raw counts the queries return, from which every figure is derived.


@dataclass(frozen=True)
class SubjectInfo:
    id: int
    code: str
    name: str
    territory_path: str
    unit_id: int | None


def _check(subject_type: str) -> str:
    if subject_type not in SubjectType.values:
        raise ServiceError("考评对象类型不正确。", field="subject_type")
    return subject_type


def subjects(subject_type: str) -> list[SubjectInfo]:
    """Every subject of the type: territories and staff in code order, units in the
    directory's order (kind, then name; their code is the short name)."""
    subject_type = _check(subject_type)
    if subject_type in TERRITORY_SUBJECTS:
        nodes = TerritoryNode.objects.filter(level=subject_type, is_active=True).order_by("code")
        return [
            SubjectInfo(id=pk, code=code, name=name, territory_path=path, unit_id=None)
            for pk, code, name, path in nodes.values_list("id", "code", "name", "path")
        ]
    if subject_type == SubjectType.UNIT:
        units = (
            Unit.objects.filter(is_active=True)
            .exclude(kind__in=UNASSESSED_UNITS)
            .order_by("kind", "name", "id")
            .values_list("id", "name", "short_name", "territory__path")
        )
        return [
            SubjectInfo(
                id=pk,
                code=(short or name)[:40],
                name=name,
                territory_path=path or "",
                unit_id=pk,
            )
            for pk, name, short, path in units
        ]
    # A person holding several field roles is listed once, at their first membership.
    memberships = (
        Membership.objects.filter(role__in=FIELD_ROLES, is_active=True, user__is_active=True)
        .order_by("user__username", "id")
        .values_list(
            "user_id", "user__username", "user__full_name", "unit_id", "unit__territory__path"
        )
    )
    people: dict[int, SubjectInfo] = {}
    for user_id, username, full_name, unit_id, path in memberships:
        if user_id not in people:
            people[user_id] = SubjectInfo(
                id=user_id,
                code=username,
                name=full_name or username,
                territory_path=path or "",
                unit_id=unit_id,
            )
    return list(people.values())


def _span(field: str, start: datetime, until: datetime) -> Q:
    return Q(**{f"{field}__gte": start, f"{field}__lt": until})


def _add(totals: dict[int, dict], subject_id: int, counts: dict) -> None:
    bucket = totals.setdefault(subject_id, {})
    for key, value in counts.items():
        bucket[key] = bucket.get(key, 0) + (value or 0)


def _case_counts(columns: list[str], start: datetime, until: datetime) -> dict[str, dict]:
    """Raw counts per subject of each case column, from the cases reported, registered or
    due in [start, until): one query grouped by all the columns at once, with a
    conditional count per figure, added up per column here (counts and sums are additive,
    so this equals grouping by each column alone, in one pass over the rows)."""
    reported = _span("reported_at", start, until)
    live = ~Q(status__in=DROPPED)
    registered = _span("registered_at", start, until) & live
    due = _span("deadline", start, until) & live
    closed = due & Q(closed_at__lt=until)
    not_closed = Q(closed_at__isnull=True) | Q(closed_at__gte=until)
    window = reported | _span("registered_at", start, until) | _span("deadline", start, until)
    rows = (
        Case.objects.filter(window)
        .values(*columns)
        .annotate(
            reported=Count("pk", filter=reported),
            registered=Count("pk", filter=registered),
            due=Count("pk", filter=due),
            closed=Count("pk", filter=closed),
            on_time=Count("pk", filter=closed & Q(closed_on_time=True)),
            deferred=Count("pk", filter=due & Q(extension_value__gt=0) & not_closed),
            rework=Count("pk", filter=due & Q(rework_count__gt=0)),
            sent_back=Count("pk", filter=registered & Q(send_back_count__gt=0)),
            handle_minutes=Sum("handle_minutes", filter=closed),
        )
        .order_by()
    )
    totals: dict[str, dict] = {column: {} for column in columns}
    for row in rows:
        keys = [row.pop(column) for column in columns]
        for column, key in zip(columns, keys, strict=True):
            if key is not None:
                _add(totals[column], key, row)
    return totals


def _ratings_by(key: str, start: datetime, until: datetime):
    return (
        CaseRating.objects.filter(created_at__gte=start, created_at__lt=until)
        .values(key)
        .annotate(rated=Count("pk"), satisfied=Count("pk", filter=Q(rating__in=GOOD_RATINGS)))
        .order_by()
    )


def _rating_counts(
    listed: dict[str, list[SubjectInfo]], start: datetime, until: datetime
) -> dict[str, dict]:
    """Ratings per subject of each listed case subject type. A unit takes the ratings
    carrying it; a territory the ratings whose path lies in its subtree: grouped by path
    in the database, each distinct path credited to its ancestor at the territory's level."""
    totals: dict[str, dict] = {subject_type: {} for subject_type in listed}
    if SubjectType.UNIT in listed:
        for row in _ratings_by("unit_id", start, until):
            unit_id = row.pop("unit_id")
            if unit_id is not None:
                _add(totals[SubjectType.UNIT], unit_id, row)
    territories = [t for t in TERRITORY_SUBJECTS if t in listed]
    if not territories:
        return totals
    by_path = {s.territory_path: (t, s.id) for t in territories for s in listed[t]}
    for row in _ratings_by("territory_path", start, until):
        counts = {"rated": row["rated"], "satisfied": row["satisfied"]}
        prefix = ""
        for code in row["territory_path"].split("/")[:-1]:
            prefix += code + "/"
            found = by_path.get(prefix)
            if found is not None:
                _add(totals[found[0]], found[1], counts)
    return totals


def _staff_counts(start: datetime, until: datetime) -> dict[int, dict]:
    totals: dict[int, dict] = {}
    reports = (
        Case.objects.filter(
            _span("reported_at", start, until), channel=Channel.FIELD, created_by__isnull=False
        )
        .values("created_by_id")
        .annotate(
            reported=Count("pk"),
            valid_reports=Count(
                "pk", filter=Q(registered_at__isnull=False) & ~Q(status__in=INVALID_REPORTS)
            ),
        )
        .order_by()
    )
    for row in reports:
        _add(totals, row.pop("created_by_id"), row)
    checks = (
        CaseEvent.objects.filter(
            _span("created_at", start, until), action__in=VERIFY_ACTIONS, actor__isnull=False
        )
        .values("actor_id")
        .annotate(
            verified=Count("pk"),
            # The flag case_verify writes into the event; older events without it count late.
            verified_on_time=Count("pk", filter=Q(data__on_time=True)),
        )
        .order_by()
    )
    for row in checks:
        _add(totals, row.pop("actor_id"), row)
    return totals


def as_of_moment(end: datetime, as_of: datetime | None = None) -> datetime:
    """T: the end of the period, or the moment asked for when that comes first."""
    moment = as_of or clock.now()
    return min(end, moment)


Figures = dict[int, dict[str, int | float | None]]


def compute_many(
    *, subject_types, start: datetime, end: datetime, as_of: datetime | None = None
) -> dict[str, Figures]:
    """``compute`` for several subject types at once: subject type → its figures. The
    case subject types share one pass over the cases and one over the ratings, which is
    what makes the whole city's figures cheap for a dashboard or a report."""
    wanted = list(dict.fromkeys(_check(t) for t in subject_types))
    listed = {t: subjects(t) for t in wanted}
    until = as_of_moment(end, as_of)
    case_types = [t for t in wanted if t in CASE_COLUMN]
    case_counts: dict[str, dict] = {t: {} for t in case_types}
    staff_counts: dict[int, dict] = {}
    if until > start:
        if case_types:
            by_column = _case_counts([CASE_COLUMN[t] for t in case_types], start, until)
            ratings = _rating_counts({t: listed[t] for t in case_types}, start, until)
            for t in case_types:
                case_counts[t] = by_column[CASE_COLUMN[t]]
                for subject_id, counts in ratings[t].items():
                    _add(case_counts[t], subject_id, counts)
        if SubjectType.STAFF in wanted:
            staff_counts = _staff_counts(start, until)
    result: dict[str, Figures] = {}
    for t in wanted:
        if t == SubjectType.STAFF:
            result[t] = {s.id: staff_figures(staff_counts.get(s.id, {})) for s in listed[t]}
        else:
            result[t] = {s.id: case_figures(case_counts[t].get(s.id, {})) for s in listed[t]}
    return result


def compute(
    *, subject_type: str, start: datetime, end: datetime, as_of: datetime | None = None
) -> Figures:
    """Subject id → indicator code → value, for every subject of ``subjects(subject_type)``
    (zeros included). Counts are ints, rates percentages rounded to 2 decimals and hours
    floats rounded to 2 decimals; a rate or an average with nothing to divide is None."""
    figures = compute_many(subject_types=[subject_type], start=start, end=end, as_of=as_of)
    return figures[subject_type]
