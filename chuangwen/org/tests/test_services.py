from datetime import date

import pytest

from chuangwen.core.errors import PermissionDeniedError, ServiceError
from chuangwen.core.models import AuditEvent
from chuangwen.org.choices import Role, UnitKind
from chuangwen.org.models import Membership, Pairing
from chuangwen.org.selectors import territory_default_unit
from chuangwen.org.services import (
    membership_change,
    membership_delete,
    membership_grant,
    membership_revoke,
    pairing_change,
    pairing_create,
    pairing_delete,
    pairing_end,
    unit_create,
    unit_update,
)
from chuangwen.testing.city import ROLE_HOMES
from chuangwen.testing.factories import UserFactory

pytestmark = pytest.mark.django_db
NON_ADMIN_ROLES = sorted(set(Role.values) - {Role.CITY_ADMIN})


def test_city_admin_creates_a_department(city):
    admin = city.user(Role.CITY_ADMIN, "city")
    unit = unit_create(
        name=" 市园林局 ",
        kind=UnitKind.MUNICIPAL_DEPARTMENT,
        territory=city.node("420300"),
        contact_phone="0719-8123456",
        actor=admin,
    )
    assert unit.name == "市园林局"
    event = AuditEvent.objects.get(action="org.unit_create", object_id=str(unit.pk))
    assert event.actor == admin


@pytest.mark.parametrize("role", NON_ADMIN_ROLES)
def test_only_city_admins_create_units(city, role):
    user = city.user(role, ROLE_HOMES[role])
    with pytest.raises(PermissionDeniedError):
        unit_create(
            name="新单位",
            kind=UnitKind.MUNICIPAL_DEPARTMENT,
            territory=city.node("420300"),
            actor=user,
        )


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"name": " ", "kind": UnitKind.MUNICIPAL_DEPARTMENT}, "单位名称"),
        ({"name": "x", "kind": "ministry"}, "未知单位类型"),
        ({"name": "x", "kind": UnitKind.STREET_OFFICE, "territory": "420302"}, "街道"),
        ({"name": "x", "kind": UnitKind.COMMUNITY_COMMITTEE, "territory": None}, "社区"),
        ({"name": "市创文办", "kind": UnitKind.MUNICIPAL_DEPARTMENT}, "已存在"),
        (
            {
                "name": "x",
                "kind": UnitKind.POINT_OWNER,
                "territory": "420303001001",
                "parent": "420302001",
            },
            "上级单位",
        ),
    ],
)
def test_unit_create_refuses_bad_input(city, kwargs, message):
    territory = kwargs.pop("territory", "420300")
    parent = kwargs.pop("parent", None)
    with pytest.raises(ServiceError, match=message):
        unit_create(
            territory=city.node(territory) if territory else None,
            parent=city.units[parent] if parent else None,
            actor=None,
            **kwargs,
        )


def test_street_operator_updates_own_units_only(city):
    user = city.user(Role.STREET_OPERATOR, "420302001")
    unit_update(
        unit=city.units["420302001001"],
        actor=user,
        contact_person="李主任",
        contact_phone="0719-8000001",
    )
    unit = city.units["420302001001"]
    unit.refresh_from_db()
    assert unit.contact_person == "李主任"
    event = AuditEvent.objects.get(action="org.unit_update", object_id=str(unit.pk))
    assert event.data["after"]["contact_person"] == "李主任"
    with pytest.raises(PermissionDeniedError):
        unit_update(unit=city.units["420302002"], actor=user, contact_person="x")


@pytest.mark.parametrize(
    "role", [Role.INSPECTOR, Role.COLLECTOR, Role.VOLUNTEER, Role.UNIT_HANDLER, Role.LEADER]
)
def test_roles_without_change_cannot_update_units(city, role):
    user = city.user(role, ROLE_HOMES[role])
    with pytest.raises(PermissionDeniedError):
        unit_update(unit=city.units["420302001001"], actor=user, contact_person="x")


def test_unit_update_refuses_bad_input(city):
    with pytest.raises(ServiceError, match="不能修改字段"):
        unit_update(unit=city.units["dept"], actor=None, kind=UnitKind.ENTERPRISE)
    with pytest.raises(ServiceError, match="自己的上级"):
        unit_update(unit=city.units["dept"], actor=None, parent=city.units["dept"])
    with pytest.raises(ServiceError, match="单位名称"):
        unit_update(unit=city.units["dept"], actor=None, name="")


def test_membership_grant_and_revoke(city):
    operator = city.user(Role.STREET_OPERATOR, "420302001")
    newcomer = UserFactory()
    membership = membership_grant(
        user=newcomer,
        unit=city.units["420302001001"],
        role=Role.COLLECTOR,
        title="网格员",
        actor=operator,
    )
    assert membership.is_active
    with pytest.raises(ServiceError, match="已在"):
        membership_grant(
            user=newcomer, unit=city.units["420302001001"], role=Role.COLLECTOR, actor=operator
        )
    membership_revoke(membership=membership, actor=operator)
    membership.refresh_from_db()
    assert not membership.is_active
    with pytest.raises(ServiceError, match="已撤销"):
        membership_revoke(membership=membership, actor=operator)
    # Granting again re-activates the same row.
    again = membership_grant(
        user=newcomer, unit=city.units["420302001001"], role=Role.COLLECTOR, actor=operator
    )
    assert again.pk == membership.pk and again.is_active
    actions = list(
        AuditEvent.objects.filter(object_id=str(membership.pk), object_type="org.membership")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["org.membership_grant", "org.membership_revoke", "org.membership_grant"]


def test_membership_grant_refusals(city):
    operator = city.user(Role.STREET_OPERATOR, "420302001")
    with pytest.raises(PermissionDeniedError):
        membership_grant(
            user=UserFactory(), unit=city.units["420302002"], role=Role.COLLECTOR, actor=operator
        )
    with pytest.raises(PermissionDeniedError):  # nobody below the city office makes city admins
        membership_grant(
            user=UserFactory(), unit=city.units["420302001"], role=Role.CITY_ADMIN, actor=operator
        )
    with pytest.raises(ServiceError, match="未知角色"):
        membership_grant(user=UserFactory(), unit=city.units["420302001"], role="king", actor=None)
    assert Membership.objects.filter(unit=city.units["420302002"], role=Role.COLLECTOR).count() == 0


def test_pairing_create_and_end(city):
    admin = city.user(Role.CITY_ADMIN, "city")
    pairing = pairing_create(
        unit=city.units["dept"],
        territory=city.node("420302001001"),
        starts_on=date(2026, 1, 1),
        ends_on=date(2026, 12, 31),
        actor=admin,
    )
    pairing_end(pairing=pairing, ends_on=date(2026, 6, 30), actor=admin)
    pairing.refresh_from_db()
    assert pairing.ends_on == date(2026, 6, 30)
    assert AuditEvent.objects.filter(
        action="org.pairing_end", object_id=str(pairing.pk)
    ).get().data == {"before": "2026-12-31", "after": "2026-06-30"}


@pytest.mark.parametrize(
    ("unit", "territory", "starts", "ends", "message"),
    [
        ("420302001", "420302001001", date(2026, 1, 1), date(2026, 2, 1), "市直部门"),
        ("dept", "420302001", date(2026, 1, 1), date(2026, 2, 1), "社区"),
        ("dept", "420302001001", date(2026, 2, 1), date(2026, 1, 1), "结束日期"),
        (
            "dept",
            "420303001001",
            date(2026, 3, 1),
            date(2026, 4, 1),
            "已包联",
        ),  # overlaps the fixture's
    ],
)
def test_pairing_refusals(city, unit, territory, starts, ends, message):
    with pytest.raises(ServiceError, match=message):
        pairing_create(
            unit=city.units[unit],
            territory=city.node(territory),
            starts_on=starts,
            ends_on=ends,
            actor=None,
        )


@pytest.mark.parametrize("role", NON_ADMIN_ROLES)
def test_only_city_admins_manage_pairings(city, role):
    user = city.user(role, ROLE_HOMES[role])
    with pytest.raises(PermissionDeniedError):
        pairing_create(
            unit=city.units["dept"],
            territory=city.node("420302001001"),
            starts_on=date(2026, 1, 1),
            ends_on=date(2026, 2, 1),
            actor=user,
        )
    with pytest.raises(PermissionDeniedError):
        pairing_end(pairing=Pairing.objects.first(), ends_on=date(2026, 6, 1), actor=user)


def test_default_unit_falls_back_up_the_territory(city):
    grid = city.node("420302001001001")
    assert territory_default_unit(grid) == city.units["420302001001"]
    grid.owner_unit = city.units["dept"]
    assert territory_default_unit(grid) == city.units["dept"]
    # A community without a committee falls back to its street office.
    committee = city.units["420302001002"]
    unit_update(unit=committee, actor=None, is_active=False)
    assert territory_default_unit(city.node("420302001002001")) == city.units["420302001"]


# -- changing and deleting memberships and pairings ----------------------------------------
# Roles whose change rights cover community 420302001001 (where the membership below sits).
COVERING_ROLES = {
    Role.CITY_ADMIN,
    Role.CITY_OPERATOR,
    Role.DISTRICT_OPERATOR,
    Role.STREET_OPERATOR,
    Role.COMMUNITY_OPERATOR,
}


@pytest.fixture
def collector(city):
    user = UserFactory(username="wangge")
    return membership_grant(
        user=user, unit=city.units["420302001001"], role=Role.COLLECTOR, title="网格员", actor=None
    )


def test_membership_change_moves_and_retitles_with_a_trace(city, collector):
    street = city.user(Role.STREET_OPERATOR, "420302001")
    changed = membership_change(
        membership=collector,
        unit=city.units["420302001002"],
        role=Role.COMMUNITY_OPERATOR,
        title=" 主任 ",
        actor=street,
    )
    collector.refresh_from_db()
    assert (collector.unit, collector.role, collector.title) == (
        city.units["420302001002"],
        Role.COMMUNITY_OPERATOR,
        "主任",
    )
    assert changed.pk == collector.pk
    event = AuditEvent.objects.get(action="org.membership_change")
    assert event.actor == street and event.object_id == str(collector.pk)
    assert event.data["before"] == {
        "unit": city.units["420302001001"].pk,
        "unit_name": city.units["420302001001"].name,
        "role": Role.COLLECTOR,
        "title": "网格员",
    }
    assert event.data["after"]["role"] == Role.COMMUNITY_OPERATOR
    # Nothing to change: nothing written.
    membership_change(membership=collector, title="主任", actor=street)
    assert AuditEvent.objects.filter(action="org.membership_change").count() == 1


@pytest.mark.parametrize("role", sorted(set(Role.values) - COVERING_ROLES))
def test_membership_change_and_delete_are_refused_outside_change_rights(city, collector, role):
    user = city.user(role, ROLE_HOMES[role])
    with pytest.raises(PermissionDeniedError):
        membership_change(membership=collector, title="组长", actor=user)
    with pytest.raises(PermissionDeniedError):
        membership_delete(membership=collector, actor=user)
    collector.refresh_from_db()
    assert collector.title == "网格员"
    assert not AuditEvent.objects.filter(
        action__in=["org.membership_change", "org.membership_delete"]
    ).exists()


@pytest.mark.parametrize(
    ("unit", "role"),
    [
        ("420303001", Role.COLLECTOR),  # out of the street operator's territory
        ("420302001001", Role.CITY_ADMIN),  # city admins are made by the city office only
    ],
)
def test_membership_change_needs_the_right_for_the_new_place_too(city, collector, unit, role):
    street = city.user(Role.STREET_OPERATOR, "420302001")
    with pytest.raises(PermissionDeniedError):
        membership_change(membership=collector, unit=city.units[unit], role=role, actor=street)
    collector.refresh_from_db()
    assert (collector.unit, collector.role) == (city.units["420302001001"], Role.COLLECTOR)


def test_membership_change_refuses_bad_input(city, collector):
    with pytest.raises(ServiceError, match="未知角色"):
        membership_change(membership=collector, role="king", actor=None)
    membership_grant(
        user=collector.user, unit=city.units["420302001001"], role=Role.PERSUADER, actor=None
    )
    with pytest.raises(ServiceError, match="已有文明劝导员任职"):
        membership_change(membership=collector, role=Role.PERSUADER, actor=None)
    closed = city.units["420302001002"]
    unit_update(unit=closed, is_active=False, actor=None)
    with pytest.raises(ServiceError, match="已停用"):
        membership_change(membership=collector, unit=closed, actor=None)
    collector.refresh_from_db()
    assert (collector.unit, collector.role) == (city.units["420302001001"], Role.COLLECTOR)


def test_membership_delete_leaves_what_it_was_in_the_audit(city, collector):
    community = city.user(Role.COMMUNITY_OPERATOR, "420302001001")
    pk = collector.pk
    membership_delete(membership=collector, actor=community)
    assert not Membership.objects.filter(pk=pk).exists()
    event = AuditEvent.objects.get(action="org.membership_delete")
    assert event.actor == community and event.object_id == str(pk)
    assert event.data == {
        "user": "wangge",
        "unit": city.units["420302001001"].pk,
        "unit_name": city.units["420302001001"].name,
        "role": Role.COLLECTOR,
        "title": "网格员",
        "is_active": True,
    }


@pytest.fixture
def pairing(city):
    return pairing_create(
        unit=city.units["dept"],
        territory=city.node("420302001001"),
        starts_on=date(2026, 1, 1),
        ends_on=date(2026, 12, 31),
        actor=None,
    )


def test_pairing_change_and_delete_with_a_trace(city, pairing):
    admin = city.user(Role.CITY_ADMIN, "city")
    pairing_change(
        pairing=pairing,
        territory=city.node("420302001002"),
        starts_on=date(2026, 3, 1),
        note=" 年中调整 ",
        actor=admin,
    )
    pairing.refresh_from_db()
    assert (pairing.territory.code, pairing.starts_on, pairing.note) == (
        "420302001002",
        date(2026, 3, 1),
        "年中调整",
    )
    event = AuditEvent.objects.get(action="org.pairing_change")
    assert event.data == {
        "before": {
            "territory": city.node("420302001001").pk,
            "starts_on": "2026-01-01",
            "note": "",
        },
        "after": {
            "territory": city.node("420302001002").pk,
            "starts_on": "2026-03-01",
            "note": "年中调整",
        },
    }
    pk = pairing.pk
    pairing_delete(pairing=pairing, actor=admin)
    assert not Pairing.objects.filter(pk=pk).exists()
    deleted = AuditEvent.objects.get(action="org.pairing_delete")
    assert deleted.actor == admin and deleted.data["ends_on"] == "2026-12-31"


@pytest.mark.parametrize("role", NON_ADMIN_ROLES)
def test_only_city_admins_change_or_delete_pairings(city, pairing, role):
    user = city.user(role, ROLE_HOMES[role])
    with pytest.raises(PermissionDeniedError):
        pairing_change(pairing=pairing, note="x", actor=user)
    with pytest.raises(PermissionDeniedError):
        pairing_delete(pairing=pairing, actor=user)
    pairing.refresh_from_db()
    assert pairing.note == ""


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"unit": "420302001"}, "市直部门"),
        ({"territory": "420302001"}, "社区"),
        ({"ends_on": date(2025, 12, 31)}, "结束日期"),
        ({"territory": "420303001001"}, "已包联"),  # the fixture city's own pairing
        ({"kind": "x"}, "不能修改字段"),
    ],
)
def test_pairing_change_refuses_bad_input(city, pairing, changes, message):
    values = {
        k: city.units[v] if k == "unit" else city.node(v) if k == "territory" else v
        for k, v in changes.items()
    }
    if "territory" in values:  # the fixture's pairing runs through the whole current year
        pairing_change(pairing=pairing, starts_on=date.today(), ends_on=date.today(), actor=None)
    with pytest.raises(ServiceError, match=message):
        pairing_change(pairing=pairing, actor=None, **values)
    pairing.refresh_from_db()
    assert pairing.territory == city.node("420302001001") and pairing.unit == city.units["dept"]
