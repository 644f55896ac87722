"""Every write to the territory tree. Each bumps the territory version in the same
transaction, so routing indexes in every process notice the change."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import F

from chuangwen.core.audit import audit, enqueue
from chuangwen.core.errors import ServiceError
from chuangwen.core.geo import area_km2, parse_polygonal, summary, to_geojson
from chuangwen.core.scoping import CHANGE, CONFIGURE, require
from chuangwen.core.types import Actor

from .choices import Level, NodeKind, child_level
from .models import TerritoryNode, TerritoryState

CODE_RE = re.compile(r"^[0-9A-Za-z]{2,32}$")
EDITABLE_FIELDS = {"name", "land_use", "management_level", "owner_unit", "is_active"}


@dataclass
class RepairNote:
    code: str
    name: str
    problem: str
    area_before_km2: float
    area_after_km2: float


@dataclass
class ImportReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    repaired: list[RepairNote] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        out = [
            f"新建 {len(self.created)} 个,更新 {len(self.updated)} 个,修复 {len(self.repaired)} 个"
        ]
        for note in self.repaired:
            out.append(
                f"  修复 {note.name}({note.code}):{note.problem};"
                f"面积 {note.area_before_km2:.2f} → {note.area_after_km2:.2f} 平方公里"
            )
        out.extend(f"  错误:{e}" for e in self.errors)
        return out


class TerritoryImportError(ServiceError):
    """An import refused as a whole; ``report`` lists every bad feature."""

    def __init__(self, report: ImportReport):
        super().__init__(f"导入失败,共 {len(report.errors)} 个要素有问题,未保存任何数据。")
        self.report = report


def _territory_changed(*, actor: Actor, reason: str) -> int:
    state, _ = TerritoryState.objects.get_or_create(pk=1)
    TerritoryState.objects.filter(pk=1).update(version=F("version") + 1)
    state.refresh_from_db()
    enqueue(topic="territory.changed", payload={"version": state.version, "reason": reason})

    def drop_local_index():
        from .routing import invalidate

        invalidate()

    transaction.on_commit(drop_local_index)
    return state.version


def _check_placement(*, code: str, level: str, parent: TerritoryNode | None) -> None:
    if not CODE_RE.match(code or ""):
        raise ServiceError("代码只能由 2–32 位字母或数字组成。", field="code")
    if level not in Level.values:
        raise ServiceError(f"未知层级:{level}", field="level")
    if level == Level.CITY:
        if parent is not None:
            raise ServiceError("市级节点不能有上级。", field="parent")
        if TerritoryNode.objects.filter(level=Level.CITY).exclude(code=code).exists():
            raise ServiceError("系统中已有市级根节点。", field="level")
        return
    if parent is None:
        raise ServiceError("除市级外每个节点都必须有上级。", field="parent")
    if child_level(parent.level) != level:
        raise ServiceError(
            f"{parent.name} 是{parent.get_level_display()},其下级不能是{Level(level).label}。",
            field="level",
        )
    if level != Level.DISTRICT and not code.startswith(parent.code):
        raise ServiceError(f"代码 {code} 必须以上级代码 {parent.code} 开头。", field="code")


def _geometry_fields(geometry: dict[str, Any] | None):
    if geometry is None:
        return {}, None
    clean = parse_polygonal(geometry)
    return {"geometry": to_geojson(clean.geometry), **summary(clean.geometry)}, clean


def territory_node_create(
    *,
    code: str,
    name: str,
    level: str,
    parent: TerritoryNode | None,
    geometry: dict[str, Any] | None = None,
    kind: str = NodeKind.ADMINISTRATIVE,
    land_use: str = "",
    management_level: str = "",
    owner_unit=None,
    actor: Actor,
) -> TerritoryNode:
    require(actor, CONFIGURE)
    name = (name or "").strip()
    if not name:
        raise ServiceError("请填写名称。", field="name")
    _check_placement(code=code, level=level, parent=parent)
    if TerritoryNode.objects.filter(code=code).exists():
        raise ServiceError(f"代码 {code} 已存在。", field="code")
    geo_fields, clean = _geometry_fields(geometry)
    with transaction.atomic():
        node = TerritoryNode.objects.create(
            code=code,
            name=name,
            level=level,
            kind=kind,
            parent=parent,
            path=(parent.path if parent else "") + code + "/",
            land_use=land_use,
            management_level=management_level,
            owner_unit=owner_unit,
            **geo_fields,
        )
        audit(
            actor=actor,
            action="territory.node_create",
            obj=node,
            summary=f"新建{node.get_level_display()} {name}({code})",
            data={"repaired": clean.problem if clean and clean.repaired else ""},
        )
        _territory_changed(actor=actor, reason=f"create {code}")
    return node


def territory_node_update(
    *, node: TerritoryNode, actor: Actor, geometry=None, **changes
) -> TerritoryNode:
    require(actor, CONFIGURE if geometry is not None else CHANGE, path=node.path)
    unknown = set(changes) - EDITABLE_FIELDS
    if unknown:
        raise ServiceError(f"不能修改字段:{', '.join(sorted(unknown))}")
    if "name" in changes and not (changes["name"] or "").strip():
        raise ServiceError("请填写名称。", field="name")
    geo_fields, clean = _geometry_fields(geometry)
    with transaction.atomic():
        node = TerritoryNode.objects.select_for_update().get(pk=node.pk)
        before = {k: _plain(getattr(node, k)) for k in changes}
        for key, value in {**changes, **geo_fields}.items():
            setattr(node, key, value.strip() if key == "name" else value)
        node.save()
        audit(
            actor=actor,
            action="territory.node_update",
            obj=node,
            summary=f"修改 {node.name}({node.code})",
            data={
                "before": before,
                "after": {k: _plain(getattr(node, k)) for k in changes},
                "geometry_changed": bool(geo_fields),
                "repaired": clean.problem if clean and clean.repaired else "",
            },
        )
        _territory_changed(actor=actor, reason=f"update {node.code}")
    return node


def _plain(value):
    return getattr(value, "pk", value)


def territory_import_features(
    *,
    features: list[dict[str, Any]],
    level: str,
    code_field: str,
    name_field: str,
    parent_field: str | None = None,
    parent_code: str | None = None,
    kind: str = NodeKind.ADMINISTRATIVE,
    actor: Actor,
) -> ImportReport:
    """Create or update nodes from GeoJSON features, all or nothing.

    Invalid polygons are repaired and every repair is listed in the report. Any bad
    feature aborts the whole import; the report then lists every problem found.
    """
    require(actor, CONFIGURE)
    report = ImportReport()
    if not features:
        raise ServiceError("文件中没有任何要素(features)。")
    default_parent = None
    if parent_code:
        default_parent = TerritoryNode.objects.filter(code=parent_code).first()
        if default_parent is None:
            raise ServiceError(f"上级代码 {parent_code} 不存在。")

    def prop(feature, field_name):
        return str((feature.get("properties") or {}).get(field_name) or "").strip()

    # One query for every node the file names, as itself or as a parent.
    wanted = {prop(f, code_field) for f in features}
    if parent_field:
        wanted |= {prop(f, parent_field) for f in features}
    known = {n.code: n for n in TerritoryNode.objects.filter(code__in=wanted - {""})}
    prepared = []
    seen: set[str] = set()
    for number, feature in enumerate(features, start=1):
        code = prop(feature, code_field)
        name = prop(feature, name_field)
        label = f"第 {number} 个要素({name or code or '无名'})"
        try:
            parent = default_parent
            if parent_field:
                pcode = prop(feature, parent_field)
                parent = known.get(pcode)
                if parent is None:
                    raise ServiceError(f"上级代码 {pcode or '(空)'} 不存在")
            if not name:
                raise ServiceError(f"缺少名称字段 {name_field}")
            if code in seen:
                raise ServiceError(f"代码 {code} 在文件中重复出现")
            seen.add(code)
            existing = known.get(code)
            if existing is None:
                _check_placement(code=code, level=level, parent=parent)
            elif existing.level != level or existing.parent_id != (parent.pk if parent else None):
                raise ServiceError(f"代码 {code} 已作为其他层级或上级的节点存在")
            clean = parse_polygonal(feature.get("geometry"))
        except ServiceError as exc:
            report.errors.append(f"{label}:{exc.message}")
            continue
        prepared.append((code, name, parent, existing, clean))
    if report.errors:
        raise TerritoryImportError(report)
    with transaction.atomic():
        for code, name, parent, existing, clean in prepared:
            fields = {"geometry": to_geojson(clean.geometry), **summary(clean.geometry)}
            if existing is None:
                TerritoryNode.objects.create(
                    code=code,
                    name=name,
                    level=level,
                    kind=kind,
                    parent=parent,
                    path=(parent.path if parent else "") + code + "/",
                    **fields,
                )
                report.created.append(code)
            else:
                TerritoryNode.objects.filter(pk=existing.pk).update(name=name, **fields)
                report.updated.append(code)
            if clean.repaired:
                report.repaired.append(
                    RepairNote(
                        code=code,
                        name=name,
                        problem=clean.problem,
                        area_before_km2=clean.area_before_km2,
                        area_after_km2=area_km2(clean.geometry),
                    )
                )
        audit(
            actor=actor,
            action="territory.import",
            object_type="territory.territorynode",
            summary=f"导入{Level(level).label} {len(prepared)} 个",
            data={
                "created": report.created,
                "updated": report.updated,
                "repaired": [(n.code, n.problem) for n in report.repaired],
            },
        )
        _territory_changed(actor=actor, reason=f"import {level}")
    return report


@dataclass
class NodeSpec:
    code: str
    name: str
    level: str
    parent_code: str | None
    geometry: Any  # a shapely polygonal geometry, already valid
    kind: str = NodeKind.ADMINISTRATIVE
    land_use: str = ""
    management_level: str = ""
    owner_unit_id: int | None = None


def territory_bulk_create(*, specs: list[NodeSpec], actor: Actor, batch_size: int = 500) -> int:
    """Insert many generated nodes at once (parents before children), one audit row."""
    require(actor, CONFIGURE)
    known = dict(TerritoryNode.objects.values_list("code", "pk"))
    paths = dict(TerritoryNode.objects.values_list("code", "path"))
    with transaction.atomic():
        for level in (Level.CITY, Level.DISTRICT, Level.STREET, Level.COMMUNITY, Level.GRID):
            batch = []
            for spec in specs:
                if spec.level != level:
                    continue
                if spec.code in known:
                    raise ServiceError(f"代码 {spec.code} 已存在。")
                if not spec.geometry.is_valid:
                    raise ServiceError(f"{spec.name}({spec.code})的边界无效。")
                parent_path = paths[spec.parent_code] if spec.parent_code else ""
                path = parent_path + spec.code + "/"
                paths[spec.code] = path
                batch.append(
                    TerritoryNode(
                        code=spec.code,
                        name=spec.name,
                        level=spec.level,
                        kind=spec.kind,
                        parent_id=known.get(spec.parent_code) if spec.parent_code else None,
                        path=path,
                        land_use=spec.land_use,
                        management_level=spec.management_level,
                        owner_unit_id=spec.owner_unit_id,
                        geometry=to_geojson(spec.geometry),
                        **summary(spec.geometry),
                    )
                )
            TerritoryNode.objects.bulk_create(batch, batch_size=batch_size)
            known.update(TerritoryNode.objects.filter(level=level).values_list("code", "pk"))
        audit(
            actor=actor,
            action="territory.bulk_create",
            object_type="territory.territorynode",
            summary=f"批量生成属地节点 {len(specs)} 个",
            data={"count": len(specs)},
        )
        _territory_changed(actor=actor, reason="bulk create")
    return len(specs)


def territory_assign_owner(*, codes: list[str], unit, actor: Actor) -> int:
    """Make ``unit`` the 责任主体 of the given grids (``unit=None`` restores 属地兜底)."""
    if not codes:
        return 0
    with transaction.atomic():
        grids = TerritoryNode.objects.filter(code__in=codes)
        for path in grids.values_list("path", flat=True):
            require(actor, CHANGE, path=path)
        wrong = grids.exclude(level=Level.GRID).values_list("code", flat=True)[:5]
        if wrong:
            raise ServiceError(f"只有单元网格可以指定责任主体:{', '.join(wrong)}")
        count = grids.update(owner_unit=unit)
        if count != len(set(codes)):
            raise ServiceError("部分网格代码不存在,未作任何修改。")
        audit(
            actor=actor,
            action="territory.assign_owner",
            object_type="territory.territorynode",
            summary=f"指定 {count} 个网格的责任主体为 {unit.name if unit else '属地兜底'}",
            data={"unit": unit.pk if unit else None, "codes": codes[:1000], "count": count},
        )
        _territory_changed(actor=actor, reason="assign owner")
    return count
