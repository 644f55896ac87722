"""Every read of cases, scoped to the reader: lists, detail, history, inbox, map."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from chuangwen.core import clock
from chuangwen.core.privacy import mask_name, mask_phone
from chuangwen.core.scoping import CHANGE, VIEW, scope_for
from chuangwen.core.workcalendar import get_calendar
from chuangwen.org.selectors import territory_default_unit
from chuangwen.territory.models import TerritoryNode

from . import permissions
from .choices import OPEN_STATUSES, OverdueLevel, PostponeStatus, Status, SupervisionStatus
from .models import (
    Accountability,
    Case,
    CaseEvent,
    CasePhoto,
    RoutingRule,
    SavedView,
    Supervision,
)


# -- routing -------------------------------------------------------------------------------
def _ancestor_paths(path: str) -> list[str]:
    codes = [c for c in path.split("/") if c]
    return ["".join(f"{c}/" for c in codes[: i + 1]) for i in range(len(codes))]


def route_for(category, node):
    """(unit, rule): the most specific active rule for the category at the territory node,
    or the territory's own unit (属地兜底) with no rule, which makes it a suggestion only.

    ``node`` is a TerritoryNode or the routing index's Link (id and path are enough)."""
    categories = [category.pk] + ([category.parent_id] if category.parent_id else [])
    rules = list(
        RoutingRule.objects.filter(is_active=True, unit__is_active=True)
        .filter(Q(category_id__in=categories) | Q(category__isnull=True))
        .filter(Q(territory__isnull=True) | Q(territory__path__in=_ancestor_paths(node.path)))
        .select_related("unit", "territory")
    )
    if rules:

        def specificity(rule: RoutingRule):
            return (
                rule.category_id is not None,
                rule.territory_id is not None,
                rule.category_id == category.pk,
                len(rule.territory.path) if rule.territory_id else 0,
            )

        best = max(rules, key=specificity)
        return best.unit, best
    if not isinstance(node, TerritoryNode):
        node = TerritoryNode.objects.only("id", "path", "owner_unit").get(pk=node.id)
    return territory_default_unit(node), None


# -- lists ---------------------------------------------------------------------------------
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

    @classmethod
    def from_params(cls, params) -> CaseFilter:
        def day(name: str, end: bool = False):
            value = (params.get(name) or "").strip()
            if not value:
                return None
            try:
                parsed = datetime.strptime(value, "%Y-%m-%d").date()
            except ValueError:
                return None
            if end:
                parsed += timedelta(days=1)
            return datetime.combine(parsed, time.min, tzinfo=get_calendar().tz)

        unit = (params.get("unit") or "").strip()
        return cls(
            status=(params.get("status") or "").strip(),
            category=(params.get("category") or "").strip(),
            territory=(params.get("territory") or "").strip(),
            unit=int(unit) if unit.isdigit() else None,
            channel=(params.get("channel") or "").strip(),
            overdue=(params.get("overdue") or "") in ("1", "true", "on"),
            date_from=day("date_from"),
            date_to=day("date_to", end=True),
            q=(params.get("q") or "").strip()[:60],
            box=(params.get("box") or "").strip(),
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


def case_for_idempotency_key(*, user, key: str) -> Case | None:
    """The case a retried submission already created, if any."""
    if not key or user is None:
        return None
    return Case.objects.filter(created_by=user, idempotency_key=key).order_by("pk").first()


def inbox_counts(*, user) -> dict[str, int]:
    qs = case_queryset(user)
    return qs.aggregate(**{box: Count("pk", filter=inbox_q(user, box)) for box in INBOXES})


def case_get(*, user, case_id: int, with_geometry: bool = False) -> Case:
    case = (
        case_queryset(user)
        .select_related("category__parent", "standard", "unit", "suggested_unit", "routing_rule")
        .filter(pk=case_id)
        .order_by("pk")
        .first()
    )
    if case is None:
        raise Http404("case")
    # The territory chain in one query of its own: joined in, four more relations make
    # the planner's work dominate the lookup.
    fields = ["id", "code", "name", "level", "path"] + (["geometry"] if with_geometry else [])
    ids = [case.grid_id, case.community_id, case.street_id, case.district_id]
    nodes = TerritoryNode.objects.only(*fields).in_bulk([i for i in ids if i])
    for name, node_id in zip(("grid", "community", "street", "district"), ids, strict=True):
        setattr(case, name, nodes.get(node_id))
    return case


def case_events(*, case: Case) -> QuerySet[CaseEvent]:
    return case.events.select_related("actor", "actor_unit").order_by("created_at", "id")


def case_timeline(*, user, case: Case) -> list[tuple[CaseEvent, str]]:
    """Each event with the name to show for its actor. The reporter's own steps (上报, a
    trusted channel's 自动立案) would otherwise reveal the name reporter_view masks."""
    reporter = reporter_view(user=user, case=case)
    rows = []
    for event in case_events(case=case):
        if not event.actor_id:
            name = _("系统")
        elif reporter["masked"] and event.actor_id == case.reporter_id:
            name = reporter["name"] or _("上报人")
        else:
            name = event.actor.full_name or event.actor.get_username()
        rows.append((event, name))
    return rows


def pending_postponement(case: Case):
    return case.postponements.filter(status=PostponeStatus.PENDING).first()


def allowed_actions(*, user, case: Case) -> list[str]:
    # Only a case being handled can have an extension request waiting.
    pending = case.status in (Status.IN_PROGRESS, Status.HANDLED) and (
        pending_postponement(case) is not None
    )
    return permissions.allowed_actions(user, case, pending_postponement=pending)


def reporter_view(*, user, case: Case) -> dict:
    """Reporter identity for the city office; a masked phone for everyone else."""
    if permissions.sees_reporter(user):
        return {"name": case.reporter_name, "phone": case.reporter_phone, "masked": False}
    return {
        "name": mask_name(case.reporter_name),
        "phone": mask_phone(case.reporter_phone),
        "masked": True,
    }


def remaining_minutes(case: Case, now: datetime | None = None) -> float | None:
    """Time left on the handling clock, in the case's own time type; negative when late."""
    if case.deadline is None or case.status not in (Status.DISPATCHED, Status.IN_PROGRESS):
        return None
    now = now or clock.now()
    calendar = get_calendar()
    if now <= case.deadline:
        return calendar.elapsed_minutes(now, case.deadline, case.time_type)
    return -calendar.elapsed_minutes(case.deadline, now, case.time_type)


def photo_get(*, user, photo_id: int) -> CasePhoto:
    """A photo of a case the user can see, or one they uploaded that waits for its case;
    any other answers 404."""
    photo = (
        CasePhoto.objects.filter(pk=photo_id)
        .filter(Q(case__in=case_queryset(user)) | Q(case__isnull=True, uploaded_by=user))
        .only("id", "case_id", "uploaded_by_id", "image")
        .first()
    )
    if photo is None:
        raise Http404("photo")
    return photo


def supervision_list(*, user, open_only: bool = False) -> QuerySet[Supervision]:
    qs = Supervision.objects.scoped_for(user).select_related("case", "unit", "superior_unit")
    return qs.filter(status=SupervisionStatus.OPEN) if open_only else qs


def accountability_list(*, user) -> QuerySet[Accountability]:
    return Accountability.objects.scoped_for(user).select_related("unit", "case", "decided_by")


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
