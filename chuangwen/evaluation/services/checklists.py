"""Writes of point types and their checklists (检查项)."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import Max

from chuangwen.core.audit import audit
from chuangwen.core.errors import ServiceError
from chuangwen.core.scoping import CONFIGURE, require
from chuangwen.core.types import Actor

from ..models import ChecklistItem, PointType
from .registry_checks import (
    ITEM_FIELDS,
    POINT_TYPE_CODE,
    POINT_TYPE_FIELDS,
    _category,
    _flag,
    _id,
    _indicator,
    _plain,
    _points,
    _text,
    _whole,
)


# -- point types -------------------------------------------------------------------------
def _type_code(value) -> str:
    code = ("" if value is None else str(value)).strip().upper()
    if not code:
        raise ServiceError("请填写类型编码。", field="code")
    if not POINT_TYPE_CODE.match(code):
        raise ServiceError(
            "类型编码应以字母开头,由字母、数字、“-”或“_”组成,最多 12 位,如 MARKET。",
            field="code",
        )
    return code


def _check_type_unique(*, code: str | None, name: str | None, exclude: int | None) -> None:
    others = PointType.objects.exclude(pk=exclude) if exclude else PointType.objects.all()
    if code is not None and others.filter(code=code).exists():
        raise ServiceError(f"类型编码“{code}”已存在。", field="code")
    if name is not None and others.filter(name=name).exists():
        raise ServiceError(f"类型名称“{name}”已存在。", field="name")


def point_type_create(*, code: str, name: str, description: str = "", actor: Actor) -> PointType:
    require(actor, CONFIGURE)
    code = _type_code(code)
    name = _text(name, field="name", label="类型名称", limit=40)
    description = _text(description, field="description", label="说明", limit=300, required=False)
    try:
        with transaction.atomic():
            _check_type_unique(code=code, name=name, exclude=None)
            last = PointType.objects.aggregate(m=Max("position"))["m"]
            point_type = PointType.objects.create(
                code=code,
                name=name,
                description=description,
                position=0 if last is None else last + 1,
            )
            audit(
                actor=actor,
                action="evaluation.point_type_create",
                obj=point_type,
                summary=f"新建点位类型 {code} {name}",
            )
    except IntegrityError:
        raise ServiceError(f"类型编码“{code}”或名称“{name}”已存在。", field="code") from None
    return point_type


def point_type_update(*, point_type_id: int, actor: Actor, **changes) -> PointType:
    """Rename, renumber, reorder or (de)activate a type. A type with active points
    cannot be deactivated: they would drop out of every round's sampling unnoticed."""
    unknown = set(changes) - set(POINT_TYPE_FIELDS)
    if unknown:
        raise ServiceError(f"不能修改字段:{', '.join(sorted(unknown))}")
    require(actor, CONFIGURE)
    clean: dict[str, object] = {}
    if "code" in changes:
        clean["code"] = _type_code(changes["code"])
    if "name" in changes:
        clean["name"] = _text(changes["name"], field="name", label="类型名称", limit=40)
    if "description" in changes:
        clean["description"] = _text(
            changes["description"], field="description", label="说明", limit=300, required=False
        )
    if "position" in changes:
        clean["position"] = _whole(changes["position"], field="position", label="排序")
    if "is_active" in changes:
        clean["is_active"] = _flag(changes["is_active"])
    try:
        with transaction.atomic():
            point_type = PointType.objects.select_for_update().filter(pk=point_type_id).first()
            if point_type is None:
                raise ServiceError("点位类型不存在。", field="point_type")
            changed = {
                k: [getattr(point_type, k), v]
                for k, v in clean.items()
                if getattr(point_type, k) != v
            }
            if not changed:
                return point_type
            _check_type_unique(
                code=clean.get("code") if "code" in changed else None,
                name=clean.get("name") if "name" in changed else None,
                exclude=point_type.pk,
            )
            if changed.get("is_active") == [True, False]:
                active = point_type.points.filter(is_active=True).count()
                if active:
                    raise ServiceError(
                        f"该类型下还有 {active} 个有效点位,请先将它们改为其他类型或停用后再停用该类型。",
                        field="is_active",
                    )
            for key in changed:
                setattr(point_type, key, clean[key])
            point_type.save()
            audit(
                actor=actor,
                action="evaluation.point_type_update",
                obj=point_type,
                summary=f"修改点位类型 {point_type.code} {point_type.name}",
                data={"changed": changed},
            )
    except IntegrityError:
        raise ServiceError("类型编码或名称已存在。", field="code") from None
    return point_type


# -- checklists ----------------------------------------------------------------------------
def _normalize_positions(point_type_id: int) -> list[ChecklistItem]:
    """The type's items numbered 0, 1, 2 … in their current order, so that a move can
    swap two numbers even where earlier edits left ties."""
    items = list(
        ChecklistItem.objects.select_for_update()
        .filter(point_type_id=point_type_id)
        .order_by("position", "id")
    )
    for index, item in enumerate(items):
        if item.position != index:
            item.position = index
            item.save(update_fields=["position", "updated_at"])
    return items


def checklist_item_create(
    *,
    point_type_id: int,
    section: str,
    text: str,
    max_points,
    deduction,
    category_code: str,
    actor: Actor,
    indicator_id: int | None = None,
    evidence_required: bool = True,
    na_allowed: bool = False,
    position: int | None = None,
) -> ChecklistItem:
    """Add an item to a type's checklist; without ``position`` it goes to the end."""
    require(actor, CONFIGURE)
    section = _text(section, field="section", label="分组", limit=40)
    text = _text(text, field="text", label="检查内容", limit=300)
    max_points = _points(max_points, field="max_points", label="分值")
    deduction = _points(deduction, field="deduction", label="每处扣分")
    category = _category(category_code)
    indicator = _indicator(indicator_id)
    if position is not None and position != "":
        position = _whole(position, field="position", label="排序")
    else:
        position = None
    with transaction.atomic():
        pk = _id(point_type_id, field="point_type", label="点位类型")
        point_type = (
            PointType.objects.select_for_update().filter(pk=pk, is_active=True).first()
            if pk
            else None
        )
        if point_type is None:
            raise ServiceError("点位类型不存在或已停用。", field="point_type")
        if position is None:
            last = point_type.items.aggregate(m=Max("position"))["m"]
            position = 0 if last is None else last + 1
        item = ChecklistItem.objects.create(
            point_type=point_type,
            section=section,
            text=text,
            max_points=max_points,
            deduction=deduction,
            category=category,
            indicator=indicator,
            evidence_required=_flag(evidence_required),
            na_allowed=_flag(na_allowed),
            position=position,
        )
        audit(
            actor=actor,
            action="evaluation.checklist_item_create",
            obj=item,
            summary=f"{point_type.name}检查表新增:{section} · {text[:60]}",
            data={
                "point_type": point_type.code,
                "max_points": str(max_points),
                "deduction": str(deduction),
                "category": category.code,
                "indicator": indicator.code if indicator else None,
            },
        )
    return item


def checklist_item_update(*, item_id: int, actor: Actor, **changes) -> ChecklistItem:
    """Change an item (``category_code``, ``indicator_id`` None to clear, ``is_active``
    False to retire it). Running rounds keep their own copy."""
    unknown = set(changes) - set(ITEM_FIELDS)
    if unknown:
        raise ServiceError(f"不能修改字段:{', '.join(sorted(unknown))}")
    require(actor, CONFIGURE)
    clean: dict[str, object] = {}
    if "section" in changes:
        clean["section"] = _text(changes["section"], field="section", label="分组", limit=40)
    if "text" in changes:
        clean["text"] = _text(changes["text"], field="text", label="检查内容", limit=300)
    if "max_points" in changes:
        clean["max_points"] = _points(changes["max_points"], field="max_points", label="分值")
    if "deduction" in changes:
        clean["deduction"] = _points(changes["deduction"], field="deduction", label="每处扣分")
    if "position" in changes:
        clean["position"] = _whole(changes["position"], field="position", label="排序")
    for key in ("evidence_required", "na_allowed", "is_active"):
        if key in changes:
            clean[key] = _flag(changes[key])
    with transaction.atomic():
        item = (
            ChecklistItem.objects.select_for_update(of=("self",))
            .select_related("point_type", "category", "indicator")
            .filter(pk=item_id)
            .first()
        )
        if item is None:
            raise ServiceError("检查项不存在。", field="item")
        # Like a point's unit: a reference is checked only when someone changes it.
        if "category_code" in changes:
            code = str(changes["category_code"] or "").strip().upper()
            if code != item.category.code:
                clean["category_id"] = _category(code).pk
        if "indicator_id" in changes:
            pk = _id(changes["indicator_id"], field="indicator", label="测评指标")
            if pk != item.indicator_id:
                indicator = _indicator(pk)
                clean["indicator_id"] = indicator.pk if indicator else None
        changed = {
            k: [_plain(getattr(item, k)), _plain(v)]
            for k, v in clean.items()
            if getattr(item, k) != v
        }
        if not changed:
            return item
        for key in changed:
            setattr(item, key, clean[key])
        item.save()
        audit(
            actor=actor,
            action="evaluation.checklist_item_update",
            obj=item,
            summary=f"{item.point_type.name}检查表修改:{item.section} · {item.text[:60]}",
            data={"changed": changed},
        )
    return item


def checklist_item_move(*, item_id: int, direction: str, actor: Actor) -> ChecklistItem:
    """Swap an item with its neighbour in the same section (``up`` or ``down``); the
    checklist page and the inspection screens show sections in their items' order."""
    # Who asks comes first: a refusal must not depend on how well the request was formed.
    require(actor, CONFIGURE)
    if direction not in ("up", "down"):
        raise ServiceError("移动方向应为 up 或 down。", field="direction")
    with transaction.atomic():
        item = ChecklistItem.objects.filter(pk=item_id).only("point_type_id").first()
        if item is None:
            raise ServiceError("检查项不存在。", field="item")
        items = _normalize_positions(item.point_type_id)
        by_id = {i.pk: i for i in items}
        item = by_id[item_id]
        siblings = [i for i in items if i.section == item.section]
        index = siblings.index(item)
        neighbour_index = index - 1 if direction == "up" else index + 1
        if not 0 <= neighbour_index < len(siblings):
            return item
        other = siblings[neighbour_index]
        item.position, other.position = other.position, item.position
        item.save(update_fields=["position", "updated_at"])
        other.save(update_fields=["position", "updated_at"])
        audit(
            actor=actor,
            action="evaluation.checklist_item_move",
            obj=item,
            summary=f"{item.section} · {item.text[:40]} 与 {other.text[:40]} 交换顺序",
            data={"direction": direction, "swapped_with": other.pk},
        )
    return item
