"""Every write to units, memberships and pairings, audited in the same transaction."""

from __future__ import annotations

from datetime import date

from django.db import transaction

from chuangwen.core.audit import audit
from chuangwen.core.errors import ServiceError
from chuangwen.core.scoping import CHANGE, CONFIGURE, require
from chuangwen.core.types import Actor
from chuangwen.territory.choices import Level
from chuangwen.territory.models import TerritoryNode

from .choices import Role, UnitKind
from .models import Membership, Pairing, Unit

# The territory level each kind of unit must be attached to (None: any level).
KIND_LEVEL = {
    UnitKind.CITY_OFFICE: Level.CITY,
    UnitKind.DISTRICT_GOVERNMENT: Level.DISTRICT,
    UnitKind.STREET_OFFICE: Level.STREET,
    UnitKind.COMMUNITY_COMMITTEE: Level.COMMUNITY,
}
UNIT_FIELDS = (
    "name",
    "short_name",
    "parent",
    "contact_person",
    "contact_phone",
    "address",
    "is_active",
)


def check_unit(*, name: str, kind: str, territory: TerritoryNode | None, parent: Unit | None):
    if not (name or "").strip():
        raise ServiceError("请填写单位名称。", field="name")
    if kind not in UnitKind.values:
        raise ServiceError(f"未知单位类型:{kind}", field="kind")
    level = KIND_LEVEL.get(kind)
    if level is not None and (territory is None or territory.level != level):
        raise ServiceError(
            f"{UnitKind(kind).label}必须对应一个{Level(level).label}级属地。", field="territory"
        )
    if parent is not None and territory is not None and parent.territory_id:
        if not territory.path.startswith(parent.territory.path):
            raise ServiceError("单位的属地必须在上级单位的属地范围内。", field="territory")


def unit_create(
    *,
    name: str,
    kind: str,
    territory: TerritoryNode | None,
    parent: Unit | None = None,
    short_name: str = "",
    contact_person: str = "",
    contact_phone: str = "",
    address: str = "",
    actor: Actor,
) -> Unit:
    require(actor, CONFIGURE)
    check_unit(name=name, kind=kind, territory=territory, parent=parent)
    if Unit.objects.filter(name=name.strip()).exists():
        raise ServiceError(f"单位“{name.strip()}”已存在。", field="name")
    with transaction.atomic():
        unit = Unit.objects.create(
            name=name.strip(),
            short_name=short_name.strip(),
            kind=kind,
            territory=territory,
            parent=parent,
            contact_person=contact_person.strip(),
            contact_phone=contact_phone.strip(),
            address=address.strip(),
        )
        audit(actor=actor, action="org.unit_create", obj=unit, summary=f"新建单位 {unit.name}")
    return unit


def unit_update(*, unit: Unit, actor: Actor, **changes) -> Unit:
    unknown = set(changes) - set(UNIT_FIELDS)
    if unknown:
        raise ServiceError(f"不能修改字段:{', '.join(sorted(unknown))}")
    require(actor, CHANGE, path=unit.territory.path if unit.territory_id else None)
    with transaction.atomic():
        unit = (
            Unit.objects.select_for_update(of=("self",)).select_related("territory").get(pk=unit.pk)
        )
        parent = changes.get("parent", unit.parent)
        if parent is not None and parent.pk == unit.pk:
            raise ServiceError("单位不能是自己的上级。", field="parent")
        check_unit(
            name=changes.get("name", unit.name),
            kind=unit.kind,
            territory=unit.territory,
            parent=parent,
        )
        before = {k: getattr(unit, f"{k}_id" if k == "parent" else k) for k in changes}
        for key, value in changes.items():
            setattr(unit, key, value.strip() if isinstance(value, str) else value)
        unit.save()
        after = {k: getattr(unit, f"{k}_id" if k == "parent" else k) for k in changes}
        audit(
            actor=actor,
            action="org.unit_update",
            obj=unit,
            summary=f"修改单位 {unit.name}",
            data={"before": before, "after": after},
        )
    return unit


def _require_for_role(actor: Actor, *, unit: Unit, role: str) -> None:
    """City admins are made by the city office only; other roles by whoever may change
    the unit's territory."""
    require(
        actor,
        CONFIGURE if role == Role.CITY_ADMIN else CHANGE,
        path=unit.territory.path if unit.territory_id else None,
    )


def check_membership_grant(*, user, unit: Unit, role: str, actor: Actor) -> None:
    if role not in Role.values:
        raise ServiceError(f"未知角色:{role}", field="role")
    _require_for_role(actor, unit=unit, role=role)
    if not Unit.objects.filter(pk=unit.pk, is_active=True).exists():
        raise ServiceError("该单位已停用。", field="unit")
    if user is not None and user.pk is not None:
        held = Membership.objects.filter(user=user, unit=unit, role=role, is_active=True)
        if held.exists():
            raise ServiceError(f"{user} 已在 {unit} 担任{Role(role).label}。")


def check_membership_change(*, membership: Membership, unit: Unit, role: str, actor: Actor) -> None:
    """Moving a membership to another unit or role needs the right to take the old one
    away and to hand out the new one."""
    if role not in Role.values:
        raise ServiceError(f"未知角色:{role}", field="role")
    _require_for_role(actor, unit=membership.unit, role=membership.role)
    _require_for_role(actor, unit=unit, role=role)
    moved = unit.pk != membership.unit_id
    if moved and not Unit.objects.filter(pk=unit.pk, is_active=True).exists():
        raise ServiceError("该单位已停用。", field="unit")
    if (unit.pk, role) != (membership.unit_id, membership.role):
        taken = Membership.objects.filter(user_id=membership.user_id, unit=unit, role=role)
        if taken.exclude(pk=membership.pk).exists():
            raise ServiceError(
                f"{membership.user} 在 {unit} 已有{Role(role).label}任职(可能已撤销),"
                "请直接修改那一条。",
                field="role",
            )


def check_membership_remove(*, membership: Membership, actor: Actor) -> None:
    _require_for_role(actor, unit=membership.unit, role=membership.role)


def _membership_facts(membership: Membership) -> dict:
    return {
        "user": membership.user.username,
        "unit": membership.unit_id,
        "unit_name": membership.unit.name,
        "role": membership.role,
        "title": membership.title,
        "is_active": membership.is_active,
    }


def _locked_membership(membership: Membership) -> Membership:
    return (
        Membership.objects.select_for_update(of=("self",))
        .select_related("user", "unit__territory")
        .get(pk=membership.pk)
    )


def membership_grant(*, user, unit: Unit, role: str, title: str = "", actor: Actor) -> Membership:
    check_membership_grant(user=None, unit=unit, role=role, actor=actor)
    with transaction.atomic():
        membership, created = Membership.objects.select_for_update().get_or_create(
            user=user, unit=unit, role=role, defaults={"title": title}
        )
        if not created and membership.is_active:
            raise ServiceError(f"{user} 已在 {unit} 担任{membership.get_role_display()}。")
        membership.is_active = True
        membership.title = title or membership.title
        membership.save()
        audit(
            actor=actor,
            action="org.membership_grant",
            obj=membership,
            summary=f"授予 {user.username} {unit.name} {membership.get_role_display()}",
        )
    return membership


def membership_change(
    *,
    membership: Membership,
    actor: Actor,
    unit: Unit | None = None,
    role: str | None = None,
    title=None,
) -> Membership:
    """Correct a membership in place: its unit, role or title."""
    with transaction.atomic():
        membership = _locked_membership(membership)
        unit = membership.unit if unit is None else unit
        role = membership.role if role is None else role
        check_membership_change(membership=membership, unit=unit, role=role, actor=actor)
        title = membership.title if title is None else title.strip()[:60]
        before = _membership_facts(membership)
        membership.unit, membership.role, membership.title = unit, role, title
        after = _membership_facts(membership)
        if after == before:
            return membership
        membership.save(update_fields=["unit", "role", "title", "updated_at"])
        audit(
            actor=actor,
            action="org.membership_change",
            obj=membership,
            summary=(
                f"修改 {membership.user.username} 的任职:{before['unit_name']} "
                f"{Role(before['role']).label} → {unit.name} {membership.get_role_display()}"
            ),
            data={
                "before": {k: v for k, v in before.items() if after[k] != v},
                "after": {k: v for k, v in after.items() if before[k] != v},
            },
        )
    return membership


def membership_revoke(*, membership: Membership, actor: Actor) -> Membership:
    with transaction.atomic():
        membership = _locked_membership(membership)
        check_membership_remove(membership=membership, actor=actor)
        if not membership.is_active:
            raise ServiceError("该任职已撤销。")
        membership.is_active = False
        membership.save(update_fields=["is_active", "updated_at"])
        audit(
            actor=actor,
            action="org.membership_revoke",
            obj=membership,
            summary=(
                f"撤销 {membership.user.username} 在 {membership.unit.name} 的"
                f"{membership.get_role_display()}"
            ),
        )
    return membership


def membership_delete(*, membership: Membership, actor: Actor) -> None:
    """Remove a membership entered by mistake; the audit row keeps what it was."""
    with transaction.atomic():
        membership = _locked_membership(membership)
        check_membership_remove(membership=membership, actor=actor)
        audit(
            actor=actor,
            action="org.membership_delete",
            obj=membership,
            summary=(
                f"删除 {membership.user.username} 在 {membership.unit.name} 的"
                f"{membership.get_role_display()}任职"
            ),
            data=_membership_facts(membership),
        )
        membership.delete()


PAIRING_FIELDS = ("unit", "territory", "starts_on", "ends_on", "note")


def check_pairing(
    *, unit: Unit, territory: TerritoryNode, starts_on: date, ends_on: date, pairing=None
) -> None:
    if unit.kind not in (UnitKind.MUNICIPAL_DEPARTMENT, UnitKind.ENTERPRISE, UnitKind.CITY_OFFICE):
        raise ServiceError("只有市直部门和企事业单位可以包联社区。", field="unit")
    if territory.level != Level.COMMUNITY:
        raise ServiceError("包联对象必须是社区/村。", field="territory")
    if ends_on < starts_on:
        raise ServiceError("结束日期不能早于开始日期。", field="ends_on")
    overlapping = Pairing.objects.filter(
        unit=unit, territory=territory, starts_on__lte=ends_on, ends_on__gte=starts_on
    )
    if pairing is not None:
        overlapping = overlapping.exclude(pk=pairing.pk)
    if overlapping.exists():
        raise ServiceError(f"{unit.name} 在该时段已包联 {territory.name}。")


def _pairing_facts(pairing: Pairing) -> dict:
    return {
        "unit": pairing.unit_id,
        "territory": pairing.territory_id,
        "starts_on": str(pairing.starts_on),
        "ends_on": str(pairing.ends_on),
        "note": pairing.note,
    }


def pairing_create(
    *,
    unit: Unit,
    territory: TerritoryNode,
    starts_on: date,
    ends_on: date,
    note: str = "",
    actor: Actor,
) -> Pairing:
    require(actor, CONFIGURE)
    with transaction.atomic():
        check_pairing(unit=unit, territory=territory, starts_on=starts_on, ends_on=ends_on)
        pairing = Pairing.objects.create(
            unit=unit, territory=territory, starts_on=starts_on, ends_on=ends_on, note=note.strip()
        )
        audit(
            actor=actor,
            action="org.pairing_create",
            obj=pairing,
            summary=f"{unit.name} 包联 {territory.name}({starts_on}—{ends_on})",
        )
    return pairing


def pairing_end(*, pairing: Pairing, ends_on: date, actor: Actor) -> Pairing:
    require(actor, CONFIGURE)
    with transaction.atomic():
        pairing = Pairing.objects.select_for_update().get(pk=pairing.pk)
        if ends_on < pairing.starts_on:
            raise ServiceError("结束日期不能早于开始日期。", field="ends_on")
        before = pairing.ends_on
        pairing.ends_on = ends_on
        pairing.save(update_fields=["ends_on", "updated_at"])
        audit(
            actor=actor,
            action="org.pairing_end",
            obj=pairing,
            summary=f"{pairing.unit.name} 包联 {pairing.territory.name} 截止于 {ends_on}",
            data={"before": str(before), "after": str(ends_on)},
        )
    return pairing


def pairing_change(*, pairing: Pairing, actor: Actor, **changes) -> Pairing:
    """Correct a pairing: its unit, community, period or note."""
    unknown = set(changes) - set(PAIRING_FIELDS)
    if unknown:
        raise ServiceError(f"不能修改字段:{', '.join(sorted(unknown))}")
    require(actor, CONFIGURE)
    with transaction.atomic():
        pairing = (
            Pairing.objects.select_for_update(of=("self",))
            .select_related("unit", "territory")
            .get(pk=pairing.pk)
        )
        before = _pairing_facts(pairing)
        for key, value in changes.items():
            setattr(pairing, key, value.strip() if isinstance(value, str) else value)
        check_pairing(
            unit=pairing.unit,
            territory=pairing.territory,
            starts_on=pairing.starts_on,
            ends_on=pairing.ends_on,
            pairing=pairing,
        )
        after = _pairing_facts(pairing)
        if after == before:
            return pairing
        pairing.save()
        audit(
            actor=actor,
            action="org.pairing_change",
            obj=pairing,
            summary=f"修改包联 {pairing.unit.name} ↔ {pairing.territory.name}",
            data={
                "before": {k: v for k, v in before.items() if after[k] != v},
                "after": {k: v for k, v in after.items() if before[k] != v},
            },
        )
    return pairing


def pairing_delete(*, pairing: Pairing, actor: Actor) -> None:
    """Remove a pairing entered by mistake; the audit row keeps what it was."""
    require(actor, CONFIGURE)
    with transaction.atomic():
        pairing = (
            Pairing.objects.select_for_update(of=("self",))
            .select_related("unit", "territory")
            .get(pk=pairing.pk)
        )
        audit(
            actor=actor,
            action="org.pairing_delete",
            obj=pairing,
            summary=f"删除包联 {pairing.unit.name} ↔ {pairing.territory.name}",
            data=_pairing_facts(pairing),
        )
        pairing.delete()
