"""Geometry helpers on WGS84 GeoJSON with shapely 2."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import shapely
from shapely.geometry import MultiPolygon, Polygon, mapping, shape
from shapely.validation import explain_validity, make_valid

from .errors import ServiceError

KM_PER_DEGREE = 111.32


@dataclass(frozen=True)
class CleanGeometry:
    geometry: Polygon | MultiPolygon
    repaired: bool
    problem: str = ""
    area_before_km2: float = 0.0


def _polygonal_part(geom) -> Polygon | MultiPolygon | None:
    """Keep the areal part of what make_valid returns (it may add lines and points)."""
    if geom.is_empty:
        return None
    if isinstance(geom, Polygon | MultiPolygon):
        return geom
    polygons: list[Polygon] = []
    for part in getattr(geom, "geoms", []):
        if isinstance(part, Polygon):
            polygons.append(part)
        elif isinstance(part, MultiPolygon):
            polygons.extend(part.geoms)
    if not polygons:
        return None
    return polygons[0] if len(polygons) == 1 else MultiPolygon(polygons)


def parse_polygonal(data: dict[str, Any] | None) -> CleanGeometry:
    """Validate a GeoJSON (Multi)Polygon, repairing it when invalid; never drops silently."""
    if not isinstance(data, dict) or data.get("type") not in {"Polygon", "MultiPolygon"}:
        raise ServiceError("边界必须是 GeoJSON 的 Polygon 或 MultiPolygon。", field="geometry")
    try:
        geom = shape(data)
    except (ValueError, TypeError, KeyError, IndexError, AttributeError) as exc:
        raise ServiceError(f"边界坐标无法解析:{exc}", field="geometry") from exc
    if geom.is_empty:
        raise ServiceError("边界为空。", field="geometry")
    min_x, min_y, max_x, max_y = geom.bounds
    if not (-180 <= min_x <= max_x <= 180 and -90 <= min_y <= max_y <= 90):
        raise ServiceError("边界坐标超出经纬度范围(应为 WGS84 经度、纬度)。", field="geometry")
    if geom.is_valid:
        return CleanGeometry(geometry=geom, repaired=False, area_before_km2=area_km2(geom))
    problem = explain_validity(geom)
    area_before = area_km2(geom.buffer(0)) if not geom.is_empty else 0.0
    fixed = _polygonal_part(make_valid(geom))
    if fixed is None or fixed.is_empty:
        raise ServiceError(f"边界无效且无法修复:{problem}", field="geometry")
    return CleanGeometry(
        geometry=fixed, repaired=True, problem=problem, area_before_km2=area_before
    )


def area_km2(geom) -> float:
    """Area on a local equal-area approximation; good to well under 1 % at city scale."""
    if geom.is_empty:
        return 0.0
    lat = geom.centroid.y
    return geom.area * KM_PER_DEGREE * KM_PER_DEGREE * math.cos(math.radians(lat))


def to_geojson(geom) -> dict[str, Any]:
    data = mapping(geom)
    # shapely returns tuples; JSON columns and clients want plain lists.
    return _listify(data)


def _listify(value):
    if isinstance(value, tuple | list):
        return [_listify(v) for v in value]
    if isinstance(value, dict):
        return {k: _listify(v) for k, v in value.items()}
    return value


def summary(geom) -> dict[str, float]:
    """Bounding box, an interior label point and area of a polygonal geometry."""
    min_x, min_y, max_x, max_y = geom.bounds
    label = shapely.point_on_surface(geom)
    return {
        "min_lng": min_x,
        "min_lat": min_y,
        "max_lng": max_x,
        "max_lat": max_y,
        "centroid_lng": label.x,
        "centroid_lat": label.y,
        "area_km2": area_km2(geom),
    }
