"""Every read of units, memberships and pairings, limited to the user's scope."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When
from django.shortcuts import get_object_or_404

from chuangwen.core.scoping import VIEW, Grant
from chuangwen.territory.choices import Level
from chuangwen.territory.models import TerritoryNode

from .choices import Role, UnitKind
from .models import Membership, Pairing, Unit

# The directory lists the city office and departments first, then territory by territory.
KIND_RANK = Case(
    *(When(kind=kind, then=Value(rank)) for rank, kind in enumerate(UnitKind.values)),
    output_field=IntegerField(),
)


# Units that serve the whole city by function, not a territory: their handlers see the
# work given to their unit (and their 包联 communities), not everything in the city.
FUNCTIONAL_KINDS = (UnitKind.MUNICIPAL_DEPARTMENT, UnitKind.ENTERPRISE, UnitKind.POINT_OWNER)


def grants_for_user(user) -> list[Grant]:
    rows = Membership.objects.filter(user=user, is_active=True, unit__is_active=True).values_list(
        "role", "unit_id", "unit__kind", "unit__territory__path"
    )
    return [
        Grant(
            role=role,
            unit_id=unit_id,
            territory_path=None if role == Role.UNIT_HANDLER and kind in FUNCTIONAL_KINDS else path,
        )
        for role, unit_id, kind, path in rows
    ]


def paired_paths_for_units(unit_ids: Iterable[int], *, on: date) -> list[str]:
    ids = list(unit_ids)
    if not ids:
        return []
    return list(
        Pairing.objects.filter(unit_id__in=ids, starts_on__lte=on, ends_on__gte=on)
        .values_list("territory__path", flat=True)
        .distinct()
    )


def unit_list(
    *, user, kind: str | None = None, search: str = "", territory_code: str | None = None
) -> QuerySet[Unit]:
    qs = Unit.objects.scoped_for(user, VIEW).select_related("territory", "parent")
    if kind:
        qs = qs.filter(kind=kind)
    if search:
        qs = qs.filter(Q(name__icontains=search) | Q(short_name__icontains=search))
    if territory_code:
        path = TerritoryNode.objects.filter(code=territory_code).values_list("path", flat=True)
        qs = qs.filter(territory__path__startswith=path.first() or "-")
    return qs.annotate(kind_rank=KIND_RANK).order_by("kind_rank", "territory__code", "name")


def unit_get(*, user, pk: int, action: str = VIEW) -> Unit:
    return get_object_or_404(
        Unit.objects.scoped_for(user, action).select_related("territory", "parent"), pk=pk
    )


def unit_members(*, user, unit: Unit) -> QuerySet[Membership]:
    return (
        Membership.objects.scoped_for(user, VIEW)
        .filter(unit=unit, is_active=True)
        .select_related("user")
        .order_by("role", "user__username")
    )


def unit_pairings(*, user, unit: Unit) -> QuerySet[Pairing]:
    return (
        Pairing.objects.scoped_for(user, VIEW)
        .filter(Q(unit=unit) | Q(territory=unit.territory))
        .select_related("unit", "territory")
        .order_by("-starts_on", "territory__code")
    )


def unit_children(*, user, unit: Unit) -> QuerySet[Unit]:
    return Unit.objects.scoped_for(user, VIEW).filter(parent=unit).order_by("name")


def unit_kind_counts(*, user) -> dict[str, int]:
    rows = dict(Unit.objects.scoped_for(user, VIEW).values_list("kind").annotate(n=Count("id")))
    return {kind: rows.get(kind, 0) for kind in UnitKind.values}


def memberships_of(user) -> QuerySet[Membership]:
    return Membership.objects.filter(user=user, is_active=True).select_related(
        "unit", "unit__territory"
    )


# 属地兜底: the unit answering for each level of territory.
FALLBACK_KINDS = {
    Level.COMMUNITY: UnitKind.COMMUNITY_COMMITTEE,
    Level.STREET: UnitKind.STREET_OFFICE,
    Level.DISTRICT: UnitKind.DISTRICT_GOVERNMENT,
    Level.CITY: UnitKind.CITY_OFFICE,
}


def fallback_units(codes: Iterable[str] | None = None) -> dict[str, Unit]:
    """Territory code → the active committee, office or government of that community,
    street, district or city (the first created, should there be two); for ``codes``
    only when given."""
    units = Unit.objects.filter(
        kind__in=list(FALLBACK_KINDS.values()), is_active=True, territory__isnull=False
    )
    if codes is not None:
        units = units.filter(territory__code__in=list(codes))
    found: dict[str, Unit] = {}
    for unit in units.select_related("territory").order_by("pk"):
        if FALLBACK_KINDS.get(unit.territory.level) == unit.kind:
            found.setdefault(unit.territory.code, unit)
    return found


def nearest_fallback(path: str, *, owner: Unit | None, fallback: Mapping[str, Unit]) -> Unit | None:
    """属地兜底 from what was read: ``owner``, the unit owning the node itself (a grid's),
    else the unit ``fallback`` names for the nearest enclosing territory code."""
    if owner is not None:
        return owner
    for code in reversed(path.strip("/").split("/")):
        if code in fallback:
            return fallback[code]
    return None


def territory_default_unit(node: TerritoryNode) -> Unit | None:
    """属地兜底 of a territory node: the grid's owner, else the committee, office or
    government of the nearest enclosing community, street or district."""
    owner = node.owner_unit if node.owner_unit_id else None
    codes = None if owner else node.path.strip("/").split("/")
    return nearest_fallback(node.path, owner=owner, fallback=fallback_units(codes) if codes else {})
