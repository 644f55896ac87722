"""Reads of the registry: points limited to the reader's scope, point types with their
checklists, and the choices the registry forms offer."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from itertools import groupby

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

from chuangwen.catalog.models import Category
from chuangwen.core.scoping import EXPORT, VIEW
from chuangwen.org.models import Unit
from chuangwen.territory.models import TerritoryNode

from ..choices import EntryLevel
from ..models import ChecklistItem, FrameworkEntry, Inspection, Point, PointType

STATES = ("active", "inactive", "all")


@dataclass(frozen=True)
class PointFilter:
    """What the registry list, its map and its export are narrowed to."""

    type: str = ""  # a point type's code
    district: str = ""  # a district's code
    q: str = ""  # code, name or address
    state: str = "active"

    @classmethod
    def from_params(cls, params) -> PointFilter:
        state = (params.get("state") or "active").strip()
        return cls(
            type=(params.get("type") or "").strip().upper()[:12],
            district=(params.get("district") or "").strip()[:32],
            q=(params.get("q") or "").strip()[:60],
            state=state if state in STATES else "active",
        )

    def apply(self, qs: QuerySet[Point], *, by_type: bool = True) -> QuerySet[Point]:
        if self.state == "active":
            qs = qs.filter(is_active=True)
        elif self.state == "inactive":
            qs = qs.filter(is_active=False)
        if by_type and self.type:
            qs = qs.filter(point_type__code=self.type)
        if self.district:
            qs = qs.filter(district__code=self.district)
        if self.q:
            qs = qs.filter(
                Q(code__icontains=self.q) | Q(name__icontains=self.q) | Q(address__icontains=self.q)
            )
        return qs


def point_queryset(user, action: str = VIEW) -> QuerySet[Point]:
    return Point.objects.scoped_for(user, action)


def point_list(*, user, filters: PointFilter, action: str = VIEW) -> QuerySet[Point]:
    return (
        filters.apply(point_queryset(user, action))
        .select_related("point_type", "unit", "paired_unit", "district", "street", "community")
        .order_by("code")
    )


def point_export_queryset(*, user, filters: PointFilter) -> QuerySet[Point]:
    return filters.apply(point_queryset(user, EXPORT))


def type_counts(*, user, filters: PointFilter) -> list[dict]:
    """Points per type under every filter but the type itself: the chips that pick one."""
    rows = (
        filters.apply(point_queryset(user), by_type=False)
        .values("point_type__code", "point_type__name", "point_type__position")
        .annotate(n=Count("id"))
        .order_by("point_type__position", "point_type__code")
    )
    return [
        {"code": r["point_type__code"], "name": r["point_type__name"], "count": r["n"]}
        for r in rows
    ]


def district_options(*, user) -> QuerySet[TerritoryNode]:
    """The districts the user's points lie in: a street's staff get their own district
    to pick, never the names of districts outside their scope."""
    ids = point_queryset(user).exclude(district__isnull=True).values("district_id")
    return TerritoryNode.objects.filter(pk__in=ids).only("id", "code", "name").order_by("code")


def point_get(*, user, point_id: int) -> Point:
    """The point, or 404 when it does not exist *for this user*."""
    point = (
        point_queryset(user)
        .select_related(
            "point_type", "unit", "paired_unit", "territory", "district", "street", "community"
        )
        .filter(pk=point_id)
        .first()
    )
    if point is None:
        raise Http404("point")
    return point


def point_map_points(*, user, filters: PointFilter, limit: int) -> list[dict]:
    """Light rows for the map: one query, no model instances."""
    rows = point_list(user=user, filters=filters).values(
        "id",
        "code",
        "name",
        "lat",
        "lng",
        "is_active",
        "point_type__code",
        "point_type__name",
        "unit__name",
    )[:limit]
    return [
        {
            "id": r["id"],
            "code": r["code"],
            "name": r["name"],
            "lat": r["lat"],
            "lng": r["lng"],
            "active": r["is_active"],
            "type": r["point_type__code"],
            "type_name": r["point_type__name"],
            "unit": r["unit__name"],
        }
        for r in rows
    ]


def recent_inspections(*, user, point: Point, limit: int = 10) -> list[Inspection]:
    return list(
        Inspection.objects.scoped_for(user)
        .filter(point=point)
        .select_related("round", "inspector")
        .order_by("-round__starts_on", "-id")[:limit]
    )


# -- point types and checklists ---------------------------------------------------------------
@dataclass
class Section:
    name: str
    items: list[ChecklistItem]


def point_types(*, include_inactive: bool = False) -> list[PointType]:
    """Every type in order, each with ``sections`` (its items grouped by section, in the
    order of each section's first item), ``active_points``, ``item_count`` and
    ``total_points`` (of the active items)."""
    items = ChecklistItem.objects.select_related("category", "indicator").order_by("position", "id")
    if not include_inactive:
        items = items.filter(is_active=True)
    types = PointType.objects.annotate(
        active_points=Count("points", filter=Q(points__is_active=True))
    ).prefetch_related(Prefetch("items", queryset=items, to_attr="checklist"))
    if not include_inactive:
        types = types.filter(is_active=True)
    result = list(types.order_by("position", "code"))
    for point_type in result:
        point_type.sections = sections_of(point_type.checklist)
        active = [i for i in point_type.checklist if i.is_active]
        point_type.item_count = len(active)
        point_type.total_points = sum((i.max_points for i in active), Decimal(0))
    return result


def sections_of(items) -> list[Section]:
    order: dict[str, int] = {}
    for item in items:
        order.setdefault(item.section, len(order))
    ordered = sorted(items, key=lambda i: (order[i.section], i.position, i.id))
    return [Section(name, list(group)) for name, group in groupby(ordered, key=lambda i: i.section)]


def point_type_get(*, point_type_id: int) -> PointType:
    point_type = PointType.objects.filter(pk=point_type_id).first()
    if point_type is None:
        raise Http404("point type")
    return point_type


def checklist_item_get(*, item_id: int) -> ChecklistItem:
    item = (
        ChecklistItem.objects.select_related("point_type", "category", "indicator")
        .filter(pk=item_id)
        .first()
    )
    if item is None:
        raise Http404("checklist item")
    return item


def point_type_codes() -> list[str]:
    """Every type's code in display order, inactive ones included: colours follow it."""
    return list(PointType.objects.order_by("position", "code").values_list("code", flat=True))


def active_point_types() -> QuerySet[PointType]:
    return PointType.objects.filter(is_active=True).order_by("position", "code")


def section_names(point_type: PointType) -> list[str]:
    names = point_type.items.order_by("position", "id").values_list("section", flat=True)
    seen: dict[str, None] = {}
    for name in names:
        seen.setdefault(name, None)
    return list(seen)


# -- choices for the forms --------------------------------------------------------------------
def unit_choices() -> QuerySet[Unit]:
    return Unit.objects.filter(is_active=True).only("id", "name", "kind").order_by("kind", "name")


def category_choices() -> list[Category]:
    """Active 小类 that can open a case (an active standard), in code order."""
    return list(
        Category.objects.filter(
            parent__isnull=False,
            is_active=True,
            parent__is_active=True,
            standards__is_active=True,
        )
        .select_related("parent")
        .distinct()
        .order_by("code")
    )


def indicator_choices() -> list[FrameworkEntry]:
    """Indicators of the current frameworks first, then of the older editions."""
    return list(
        FrameworkEntry.objects.filter(level=EntryLevel.INDICATOR)
        .select_related("framework")
        .order_by(
            "-framework__is_current", "-framework__cycle_start", "framework_id", "position", "id"
        )
    )
