"""Case lists as a reader sees them: the filter, the inboxes, saved filters, map points."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

from django.db.models import Count, Q, QuerySet

from chuangwen.core.bounds import parse_id
from chuangwen.core.scoping import CHANGE, VIEW, scope_for
from chuangwen.core.workcalendar import get_calendar
from chuangwen.territory.models import TerritoryNode

from .. import permissions
from ..choices import OPEN_STATUSES, OverdueLevel, Status
from ..models import Case, SavedView


@dataclass(frozen=True)
class CaseFilter:
    status: str = ""
    category: str = ""
    territory: str = ""
    unit: int | None = None
    channel: str = ""
    overdue: bool = False
    date_from: datetime | None = None
    date_to: datetime | None = None
    q: str = ""
    box: str = ""  # inbox: to_sign, in_progress, overdue, to_verify
    # Names of the filters given but unreadable (a date like 2026-02-30, a unit that is no
    # id): they filter nothing, and the page says so instead of ignoring them silently.
    invalid: tuple[str, ...] = ()

    @classmethod
    def from_params(cls, params) -> CaseFilter:
        invalid = []

        def day(name: str, end: bool = False):
            value = (params.get(name) or "").strip()
            if not value:
                return None
            try:
                parsed = datetime.strptime(value, "%Y-%m-%d").date()
            except ValueError:
                invalid.append(name)
                return None
            try:
                if end:
                    parsed += timedelta(days=1)
                moment = datetime.combine(parsed, time.min, tzinfo=get_calendar().tz)
                moment.astimezone(UTC)
            except OverflowError:
                # The first or last day the calendar knows: no case lies beyond it.
                return None
            return moment

        unit = (params.get("unit") or "").strip()
        unit_id = parse_id(unit)
        if unit and unit_id is None:
            invalid.append("unit")
        return cls(
            status=(params.get("status") or "").strip(),
            category=(params.get("category") or "").strip(),
            territory=(params.get("territory") or "").strip(),
            unit=unit_id,
            channel=(params.get("channel") or "").strip(),
            overdue=(params.get("overdue") or "") in ("1", "true", "on"),
            date_from=day("date_from"),
            date_to=day("date_to", end=True),
            q=(params.get("q") or "").strip()[:60],
            box=(params.get("box") or "").strip(),
            invalid=tuple(invalid),
        )


def case_queryset(user, action: str = VIEW) -> QuerySet[Case]:
    return Case.objects.scoped_for(user, action)


def case_list(*, user, filters: CaseFilter | None = None) -> QuerySet[Case]:
    f = filters or CaseFilter()
    qs = (
        case_queryset(user)
        .select_related("category", "unit", "district", "street", "community")
        .defer("district__geometry", "street__geometry", "community__geometry")
    )
    if f.status == "open":
        qs = qs.filter(status__in=OPEN_STATUSES)
    elif f.status in Status.values:
        qs = qs.filter(status=f.status)
    if f.category:
        qs = qs.filter(Q(category__code=f.category) | Q(category__parent__code=f.category))
    if f.territory:
        node = TerritoryNode.objects.filter(code=f.territory).only("path").first()
        qs = qs.filter(territory_path__startswith=node.path) if node else qs.none()
    if f.unit:
        qs = qs.filter(unit_id=f.unit)
    if f.channel:
        qs = qs.filter(channel=f.channel)
    if f.overdue:
        qs = qs.filter(status__in=OPEN_STATUSES, overdue_level__gt=OverdueLevel.NONE)
    if f.date_from:
        qs = qs.filter(reported_at__gte=f.date_from)
    if f.date_to:
        qs = qs.filter(reported_at__lt=f.date_to)
    if f.q:
        qs = qs.filter(
            Q(code__icontains=f.q) | Q(description__icontains=f.q) | Q(address__icontains=f.q)
        )
    if f.box:
        qs = qs.filter(inbox_q(user, f.box))
    return qs


def _unit_ids(user) -> list[int]:
    return sorted(
        {g.unit_id for g in scope_for(user).grants if g.role in permissions.HANDLER_ROLES}
    )


INBOXES = ("to_sign", "in_progress", "overdue", "to_verify")


def inbox_q(user, box: str) -> Q:
    """A unit handler's boxes: cases of their units waiting to be signed, in progress, or
    overdue; operators also get what waits for their verification."""
    units = _unit_ids(user)
    mine = Q(unit_id__in=units)
    if box == "to_sign":
        return mine & Q(status=Status.DISPATCHED)
    if box == "in_progress":
        return mine & Q(status=Status.IN_PROGRESS)
    if box == "overdue":
        return (
            mine
            & Q(status__in=(Status.DISPATCHED, Status.IN_PROGRESS))
            & Q(overdue_level__gt=OverdueLevel.NONE)
        )
    if box == "to_verify" and verifies_somewhere(user):
        return Q(status=Status.HANDLED)
    return Q(pk__in=[])


def verifies_somewhere(user) -> bool:
    """Operators and field staff verify (in their territory, which the list's scoping
    already limits); a unit's handlers never verify their own work."""
    scope = scope_for(user)
    return (
        scope.superuser
        or not scope.for_action(CHANGE).empty
        or any(g.role in permissions.FIELD_ROLES for g in scope.grants)
    )


def inbox_counts(*, user) -> dict[str, int]:
    qs = case_queryset(user)
    return qs.aggregate(**{box: Count("pk", filter=inbox_q(user, box)) for box in INBOXES})


def saved_views(*, user) -> QuerySet[SavedView]:
    return SavedView.objects.filter(user=user)


def map_points(*, user, filters: CaseFilter | None = None, limit: int = 5000) -> list[dict]:
    rows = case_list(user=user, filters=filters).values_list(
        "pk", "code", "lat", "lng", "status", "overdue_level", "category__name"
    )[:limit]
    return [
        {
            "id": pk,
            "code": code,
            "lat": lat,
            "lng": lng,
            "status": status,
            "overdue": level,
            "category": name,
        }
        for pk, code, lat, lng, status, level, name in rows
    ]
