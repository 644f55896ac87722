"""Every read of the territory, limited to the user's scope."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404

from chuangwen.core.scoping import EXPORT, VIEW, scope_for

from .choices import LEVEL_ORDER, Level
from .models import TerritoryNode

LIST_FIELDS = (
    "id",
    "code",
    "name",
    "level",
    "kind",
    "parent_id",
    "path",
    "centroid_lng",
    "centroid_lat",
    "area_km2",
    "land_use",
    "management_level",
    "owner_unit_id",
)


def root_path() -> str | None:
    return (
        TerritoryNode.objects.filter(level=Level.CITY, parent__isnull=True)
        .values_list("path", flat=True)
        .first()
    )


def city_name() -> str:
    root = TerritoryNode.objects.filter(level=Level.CITY, parent__isnull=True).only("name").first()
    return root.name if root else "本市"


def node_queryset(user, action: str = VIEW) -> QuerySet[TerritoryNode]:
    return TerritoryNode.objects.scoped_for(user, action)


def node_list(
    *, user, parent_code: str | None = None, level: str | None = None, search: str = ""
) -> QuerySet[TerritoryNode]:
    qs = node_queryset(user).only(*LIST_FIELDS)
    if parent_code:
        qs = qs.filter(parent__code=parent_code)
    if level:
        qs = qs.filter(level=level)
    if search:
        qs = qs.filter(Q(name__icontains=search) | Q(code__startswith=search))
    return qs.order_by("code")


def node_get(*, user, code: str, action: str = VIEW) -> TerritoryNode:
    """The node, or 404 when it does not exist *for this user*."""
    return get_object_or_404(node_queryset(user, action).select_related("owner_unit"), code=code)


def scope_roots(*, user) -> list[TerritoryNode]:
    """The highest nodes the user may see: where their territory browser starts."""
    scope = scope_for(user).for_action(VIEW)
    if scope.citywide:
        return list(TerritoryNode.objects.filter(level=Level.CITY, parent__isnull=True))
    codes = [p.strip("/").split("/")[-1] for p in scope.paths]
    return list(TerritoryNode.objects.filter(code__in=codes).order_by("code"))


def ancestors(node: TerritoryNode, *, user=None) -> list[TerritoryNode]:
    """The chain above a node; with ``user``, only the part inside their scope."""
    codes = node.ancestor_codes
    qs = (
        TerritoryNode.objects.filter(code__in=codes)
        if user is None
        else node_queryset(user).filter(code__in=codes)
    )
    found = {n.code: n for n in qs.only("id", "code", "name", "level", "path")}
    return [found[c] for c in codes if c in found]


def children_with_counts(*, user, node: TerritoryNode) -> list[TerritoryNode]:
    return list(
        node_queryset(user)
        .filter(parent=node)
        .only(*LIST_FIELDS)
        .annotate(child_count=Count("children"))
        .order_by("code")
    )


def level_counts(*, user, under: TerritoryNode | None = None) -> dict[str, int]:
    qs = node_queryset(user)
    if under is not None:
        qs = qs.filter(path__startswith=under.path).exclude(pk=under.pk)
    rows = dict(qs.values_list("level").annotate(n=Count("id")).values_list("level", "n"))
    return {level: rows.get(level, 0) for level in LEVEL_ORDER}


def feature(node: TerritoryNode, *, extra: dict[str, Any] | None = None) -> dict[str, Any]:
    props = {
        "code": node.code,
        "name": node.name,
        "level": node.level,
        "kind": node.kind,
        "parent_code": node.path.strip("/").split("/")[-2] if node.parent_id else None,
    }
    if node.level == Level.GRID:
        props.update(
            land_use=node.land_use,
            management_level=node.management_level,
            owner_unit=node.owner_unit.name if node.owner_unit_id else None,
        )
    props.update(extra or {})
    return {"type": "Feature", "properties": props, "geometry": node.geometry}


def feature_collection(nodes) -> dict[str, Any]:
    return {"type": "FeatureCollection", "features": [feature(n) for n in nodes]}


def children_geojson(*, user, node: TerritoryNode) -> dict[str, Any]:
    nodes = (
        node_queryset(user)
        .filter(parent=node)
        .select_related("owner_unit")
        .order_by("kind", "code")
    )
    return feature_collection(nodes)


def export_geojson(*, user, root_code: str, level: str | None = None) -> dict[str, Any]:
    """A subtree (optionally one level of it) as GeoJSON; 404 outside the export scope."""
    root = node_get(user=user, code=root_code, action=EXPORT)
    nodes = node_queryset(user, EXPORT).filter(path__startswith=root.path)
    if level:
        nodes = nodes.filter(level=level)
    return feature_collection(nodes.select_related("owner_unit").order_by("path"))
