"""Every write to the catalogue (案件类别与立结案标准), the routing rules and the citizen
form's groups: each checked, audited in its own transaction and open to CONFIGURE only.

A change to a standard never touches existing cases: a case freezes its time limit when
it is registered.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from chuangwen.core.audit import audit
from chuangwen.core.errors import ServiceError
from chuangwen.core.scoping import CONFIGURE, require
from chuangwen.core.types import Actor

from ..checks import (
    CATEGORY_FIELDS,
    MAX_RADIUS_M,
    MAX_WINDOW_DAYS,
    STANDARD_FIELDS,
    check_category_code,
    check_standard_code,
    check_time_limit,
    check_unit_kind,
    check_whole_number,
    clean_code,
    clean_line,
    position_from_code,
)
from ..models import CaseStandard, Category, PublicGroup, RoutingRule


# -- categories --------------------------------------------------------------------------
def category_create(
    *,
    kind: str,
    code: str,
    name: str,
    parent: Category | None = None,
    description: str = "",
    duplicate_radius_m: int = 50,
    duplicate_window_days: int = 7,
    actor: Actor,
) -> Category:
    require(actor, CONFIGURE)
    code = clean_code(code)
    check_category_code(kind=kind, code=code, parent=parent)
    name = clean_line("name", name)
    description = clean_line("description", description)
    radius = check_whole_number(
        duplicate_radius_m,
        label="重复判定半径",
        field="duplicate_radius_m",
        low=1,
        high=MAX_RADIUS_M,
    )
    window = check_whole_number(
        duplicate_window_days,
        label="重复判定时间窗",
        field="duplicate_window_days",
        low=1,
        high=MAX_WINDOW_DAYS,
    )
    if Category.objects.filter(code=code).exists():
        raise ServiceError(f"类别编码 {code} 已存在。", field="code")
    try:
        with transaction.atomic():
            category = Category.objects.create(
                kind=kind,
                code=code,
                name=name,
                parent=parent,
                description=description,
                duplicate_radius_m=radius,
                duplicate_window_days=window,
            )
            audit(
                actor=actor,
                action="cases.category_create",
                obj=category,
                summary=f"新建案件类别 {code} {name}",
            )
    except IntegrityError:
        raise ServiceError(f"类别编码 {code} 已存在。", field="code") from None
    return category


def category_update(*, category: Category, actor: Actor, **fields) -> Category:
    unknown = set(fields) - set(CATEGORY_FIELDS)
    if unknown:
        raise ServiceError(f"不能修改字段:{', '.join(sorted(unknown))}")
    require(actor, CONFIGURE)
    clean = dict(fields)
    if "name" in clean:
        clean["name"] = clean_line("name", clean["name"])
    if "description" in clean:
        clean["description"] = clean_line("description", clean["description"])
    if "duplicate_radius_m" in clean:
        clean["duplicate_radius_m"] = check_whole_number(
            clean["duplicate_radius_m"],
            label="重复判定半径",
            field="duplicate_radius_m",
            low=1,
            high=MAX_RADIUS_M,
        )
    if "duplicate_window_days" in clean:
        clean["duplicate_window_days"] = check_whole_number(
            clean["duplicate_window_days"],
            label="重复判定时间窗",
            field="duplicate_window_days",
            low=1,
            high=MAX_WINDOW_DAYS,
        )
    if "position" in clean:
        clean["position"] = check_whole_number(
            clean["position"], label="排序", field="position", low=0, high=9999
        )
    if "is_active" in clean:
        clean["is_active"] = bool(clean["is_active"])
    with transaction.atomic():
        category = Category.objects.select_for_update().get(pk=category.pk)
        before = {k: getattr(category, k) for k in clean}
        for key, value in clean.items():
            setattr(category, key, value)
        category.save()
        audit(
            actor=actor,
            action="cases.category_update",
            obj=category,
            summary=f"修改案件类别 {category.code} {category.name}",
            data={"before": before, "after": clean},
        )
    return category


# -- standards ---------------------------------------------------------------------------
def standard_create(
    *,
    category: Category,
    code: str,
    condition: str,
    time_type: str,
    time_value,
    close_condition: str,
    unit_kind: str = "",
    position: int = 0,
    actor: Actor,
) -> CaseStandard:
    """``position`` 0 takes the code's sequence number, so the default standard (the
    lowest position) is the one numbered first."""
    require(actor, CONFIGURE)
    code = clean_code(code)
    check_standard_code(category=category, code=code)
    condition = clean_line("condition", condition)
    close_condition = clean_line("close_condition", close_condition)
    value = check_time_limit(time_type, time_value)
    unit_kind = check_unit_kind(unit_kind)
    position = check_whole_number(position, label="排序", field="position", low=0, high=9999)
    if CaseStandard.objects.filter(code=code).exists():
        raise ServiceError(f"标准编码 {code} 已存在。", field="code")
    try:
        with transaction.atomic():
            standard = CaseStandard.objects.create(
                category=category,
                code=code,
                condition=condition,
                time_type=time_type,
                time_value=value,
                close_condition=close_condition,
                unit_kind=unit_kind,
                position=position or position_from_code(code),
            )
            audit(
                actor=actor,
                action="cases.standard_create",
                obj=standard,
                summary=f"新建立结案标准 {code} {condition}",
            )
    except IntegrityError:
        raise ServiceError(f"标准编码 {code} 已存在。", field="code") from None
    return standard


def standard_update(*, standard: CaseStandard, actor: Actor, **fields) -> CaseStandard:
    unknown = set(fields) - set(STANDARD_FIELDS)
    if unknown:
        raise ServiceError(f"不能修改字段:{', '.join(sorted(unknown))}")
    require(actor, CONFIGURE)
    with transaction.atomic():
        standard = CaseStandard.objects.select_for_update().get(pk=standard.pk)
        clean = dict(fields)
        if "condition" in clean:
            clean["condition"] = clean_line("condition", clean["condition"])
        if "close_condition" in clean:
            clean["close_condition"] = clean_line("close_condition", clean["close_condition"])
        if "time_type" in clean or "time_value" in clean:
            time_type = clean.get("time_type", standard.time_type)
            clean["time_value"] = check_time_limit(
                time_type, clean.get("time_value", standard.time_value)
            )
            clean["time_type"] = time_type
        if "unit_kind" in clean:
            clean["unit_kind"] = check_unit_kind(clean["unit_kind"])
        if "position" in clean:
            clean["position"] = check_whole_number(
                clean["position"], label="排序", field="position", low=0, high=9999
            )
        if "is_active" in clean:
            clean["is_active"] = bool(clean["is_active"])
        before = {k: _plain(getattr(standard, k)) for k in clean}
        for key, value in clean.items():
            setattr(standard, key, value)
        standard.save()
        audit(
            actor=actor,
            action="cases.standard_update",
            obj=standard,
            summary=f"修改立结案标准 {standard.code}",
            data={"before": before, "after": {k: _plain(v) for k, v in clean.items()}},
        )
    return standard


def _plain(value):
    # Audit data is JSON; Decimal limits are kept as their exact text.
    return str(value) if isinstance(value, Decimal) else value


# -- routing rules -----------------------------------------------------------------------
def routing_rule_create(
    *,
    category: Category | None = None,
    territory=None,
    unit,
    auto_dispatch: bool = True,
    note: str = "",
    actor: Actor,
) -> RoutingRule:
    require(actor, CONFIGURE)
    if category is None and territory is None:
        raise ServiceError("派遣规则至少要指定案件类别或属地之一。", field="category")
    if unit is None:
        raise ServiceError("请选择责任单位。", field="unit")
    # Read from the database: the caller's object may predate a deactivation.
    if not type(unit).objects.filter(pk=unit.pk, is_active=True).exists():
        raise ServiceError(f"单位“{unit.name}”已停用,不能作为责任单位。", field="unit")
    if category is not None and not category.is_active:
        raise ServiceError(f"案件类别“{category}”已停用。", field="category")
    if territory is not None and not territory.is_active:
        raise ServiceError(f"属地“{territory.name}”已停用。", field="territory")
    note = clean_line("note", note)
    where = f"{category or '全部类别'} @ {territory.name if territory else '全市'}"
    with transaction.atomic():
        # Two admins adding the same rule at once: the lock on the category (or
        # territory) row makes the second one see the first. The database's unique
        # constraint cannot help when one side is NULL.
        anchor = category if category is not None else territory
        type(anchor).objects.select_for_update().filter(pk=anchor.pk).first()
        clash = RoutingRule.objects.filter(
            is_active=True, category=category, territory=territory
        ).select_related("unit")
        existing = clash.first()
        if existing is not None:
            raise ServiceError(
                f"{where} 已有有效的派遣规则(→ {existing.unit.name}),请先停用后再新建。",
                field="category",
            )
        rule = RoutingRule.objects.create(
            category=category,
            territory=territory,
            unit=unit,
            auto_dispatch=bool(auto_dispatch),
            note=note,
        )
        audit(
            actor=actor,
            action="cases.routing_rule_create",
            obj=rule,
            summary=f"新建派遣规则 {where} → {unit.name}({'自动派遣' if auto_dispatch else '仅建议'})",
        )
    return rule


def routing_rule_deactivate(*, rule: RoutingRule, actor: Actor) -> RoutingRule:
    require(actor, CONFIGURE)
    with transaction.atomic():
        rule = RoutingRule.objects.select_for_update().get(pk=rule.pk)
        if not rule.is_active:
            raise ServiceError("该派遣规则已停用。")
        rule.is_active = False
        rule.save(update_fields=["is_active", "updated_at"])
        audit(
            actor=actor,
            action="cases.routing_rule_deactivate",
            obj=rule,
            summary=f"停用派遣规则 {rule}",
        )
    return rule


# -- the citizen form's groups --------------------------------------------------------------
def _minors(codes: Iterable[str]) -> list[Category]:
    codes = sorted({(c or "").strip() for c in codes if (c or "").strip()})
    found = {
        c.code: c
        for c in Category.objects.filter(code__in=codes, parent__isnull=False, is_active=True)
    }
    unknown = [c for c in codes if c not in found]
    if unknown:
        raise ServiceError(
            _("以下编码不是有效的小类:%(codes)s") % {"codes": "、".join(unknown)},
            field="categories",
        )
    return [found[c] for c in codes]


def public_group_save(
    *,
    actor: Actor,
    name: str,
    hint: str = "",
    position: int = 0,
    category_codes: Iterable[str] = (),
    group_id: int | None = None,
) -> PublicGroup:
    """Create or change a group of the report form, with the 小类 it offers."""
    require(actor, CONFIGURE)
    name = (name or "").strip()
    hint = (hint or "").strip()
    if not name:
        raise ServiceError(_("请填写分组名称。"), field="name")
    if len(name) > 30:
        raise ServiceError(_("分组名称不能超过 30 个字。"), field="name")
    if len(hint) > 100:
        raise ServiceError(_("提示不能超过 100 个字。"), field="hint")
    try:
        position = int(position)
    except (TypeError, ValueError):
        raise ServiceError(_("排序须为整数。"), field="position") from None
    if position < 0:
        raise ServiceError(_("排序不能为负数。"), field="position")
    minors = _minors(category_codes)
    with transaction.atomic():
        clash = PublicGroup.objects.filter(name=name).exclude(pk=group_id)
        if clash.exists():
            raise ServiceError(_("已有名为“%(name)s”的分组。") % {"name": name}, field="name")
        if group_id is None:
            group = PublicGroup.objects.create(name=name, hint=hint, position=position)
        else:
            group = PublicGroup.objects.select_for_update().filter(pk=group_id).first()
            if group is None:
                raise ServiceError(_("分组不存在。"))
            group.name, group.hint, group.position = name, hint, position
            group.save(update_fields=["name", "hint", "position", "updated_at"])
        group.categories.set(minors)
        audit(
            actor=actor,
            action="participation.public_group_save",
            obj=group,
            summary=f"随手拍问题分组“{group.name}”:{len(minors)} 个小类",
            data={"categories": [c.code for c in minors], "created": group_id is None},
        )
    return group


def public_group_delete(*, actor: Actor, group_id: int) -> None:
    require(actor, CONFIGURE)
    with transaction.atomic():
        group = PublicGroup.objects.select_for_update().filter(pk=group_id).first()
        if group is None:
            raise ServiceError(_("分组不存在。"))
        audit(
            actor=actor,
            action="participation.public_group_delete",
            obj=group,
            summary=f"删除随手拍问题分组“{group.name}”",
        )
        group.delete()
