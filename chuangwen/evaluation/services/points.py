"""Writes of points (点位): creating and updating one."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from chuangwen.core.audit import audit
from chuangwen.core.errors import ServiceError
from chuangwen.core.scoping import CONFIGURE, require
from chuangwen.core.types import Actor

from ..models import Point
from .registry_checks import (
    POINT_FIELDS,
    _apply_place,
    _flag,
    _id,
    _place,
    _plain,
    _point_type,
    _text,
    _unit,
)


# -- points ----------------------------------------------------------------------------------
def point_create(
    *,
    code: str,
    name: str,
    point_type_id: int,
    lat,
    lng,
    unit_id: int,
    actor: Actor,
    address: str = "",
    paired_unit_id: int | None = None,
) -> Point:
    """Register a point; its territory (grid → district) is found by routing its location."""
    require(actor, CONFIGURE)
    code = _text(code, field="code", label="点位编号", limit=24)
    name = _text(name, field="name", label="点位名称", limit=120)
    address = _text(address, field="address", label="地址", limit=200, required=False)
    point_type = _point_type(point_type_id)
    unit = _unit(unit_id, field="unit", label="责任单位", required=True)
    paired = _unit(paired_unit_id, field="paired_unit", label="包联单位", required=False)
    lat, lng, chain = _place(lat, lng)
    try:
        with transaction.atomic():
            if Point.objects.filter(code=code).exists():
                raise ServiceError(f"点位编号“{code}”已存在。", field="code")
            point = Point(
                code=code,
                name=name,
                point_type=point_type,
                address=address,
                unit=unit,
                paired_unit=paired,
            )
            _apply_place(point, lat, lng, chain)
            point.save()
            audit(
                actor=actor,
                action="evaluation.point_create",
                obj=point,
                summary=f"新建点位 {point.code} {point.name}",
                data={"point_type": point_type.code, "unit": unit.pk},
            )
    except IntegrityError:
        # Someone saved the same code between our check and our write.
        raise ServiceError(f"点位编号“{code}”已存在。", field="code") from None
    return point


def point_update(*, point_id: int, actor: Actor, **changes) -> Point:
    """Change a point. New coordinates are routed again, so its territory follows it.
    Only what actually changes is written and audited (old and new values)."""
    unknown = set(changes) - set(POINT_FIELDS)
    if unknown:
        raise ServiceError(f"不能修改字段:{', '.join(sorted(unknown))}")
    require(actor, CONFIGURE)
    clean: dict[str, object] = {}
    if "name" in changes:
        clean["name"] = _text(changes["name"], field="name", label="点位名称", limit=120)
    if "address" in changes:
        clean["address"] = _text(
            changes["address"], field="address", label="地址", limit=200, required=False
        )
    if "is_active" in changes:
        clean["is_active"] = _flag(changes["is_active"])
    with transaction.atomic():
        point = Point.objects.select_for_update().filter(pk=point_id).first()
        if point is None:
            raise ServiceError("点位不存在。", field="point")
        # A reference is checked only when it changes: a point keeps a type or a unit
        # that has since been deactivated until someone picks another.
        if "point_type_id" in changes:
            pk = _id(changes["point_type_id"], field="point_type", label="点位类型")
            if pk != point.point_type_id:
                clean["point_type_id"] = _point_type(pk).pk
        if "unit_id" in changes:
            pk = _id(changes["unit_id"], field="unit", label="责任单位")
            if pk != point.unit_id:
                clean["unit_id"] = _unit(pk, field="unit", label="责任单位", required=True).pk
        if "paired_unit_id" in changes:
            pk = _id(changes["paired_unit_id"], field="paired_unit", label="包联单位")
            if pk != point.paired_unit_id:
                paired = _unit(pk, field="paired_unit", label="包联单位", required=False)
                clean["paired_unit_id"] = paired.pk if paired else None
        chain = None
        if "lat" in changes or "lng" in changes:
            lat, lng, chain = _place(changes.get("lat", point.lat), changes.get("lng", point.lng))
            if (lat, lng) == (point.lat, point.lng):
                chain = None
        changed = {
            key: [_plain(getattr(point, key)), _plain(value)]
            for key, value in clean.items()
            if getattr(point, key) != value
        }
        for key in changed:
            setattr(point, key, clean[key])
        if chain is not None:
            old = (point.lat, point.lng, point.territory_path)
            _apply_place(point, lat, lng, chain)
            changed["lat"] = [old[0], lat]
            changed["lng"] = [old[1], lng]
            if old[2] != point.territory_path:
                changed["territory"] = [old[2], point.territory_path]
        if not changed:
            return point
        point.save()
        audit(
            actor=actor,
            action="evaluation.point_update",
            obj=point,
            summary=f"修改点位 {point.code} {point.name}",
            data={"changed": changed},
        )
    return point
