import pytest

from chuangwen.core.errors import PermissionDeniedError
from chuangwen.core.scoping import CHANGE, CONFIGURE, EXPORT, VIEW, require, scope_for
from chuangwen.org.choices import ROLE_ACTIONS, Role
from chuangwen.org.services import membership_revoke
from chuangwen.testing.city import CITYWIDE_ROLES, ROLE_HOMES
from chuangwen.testing.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_every_role_has_its_actions_defined():
    assert set(ROLE_ACTIONS) == set(Role.values)


def test_org_provides_the_scopes_and_without_a_provider_scoping_says_so(city, monkeypatch):
    from chuangwen.core import scoping
    from chuangwen.org.scoping import MembershipScopes

    assert isinstance(scoping.scope_provider(), MembershipScopes)
    assert scoping.scope_provider().role_actions() is ROLE_ACTIONS
    user = city.user(Role.STREET_OPERATOR, "420302001")
    monkeypatch.setattr(scoping, "_provider", None)
    with pytest.raises(RuntimeError, match="No scope provider is registered"):
        scope_for(user)


@pytest.mark.parametrize("role", sorted(CITYWIDE_ROLES))
def test_city_office_roles_see_the_whole_city(city, role):
    user = city.user(role, ROLE_HOMES[role])
    assert scope_for(user).for_action(VIEW).citywide


def test_a_street_operator_is_limited_to_the_street(city):
    user = city.user(Role.STREET_OPERATOR, "420302001")
    view = scope_for(user).for_action(VIEW)
    assert not view.citywide
    assert view.paths == (city.node("420302001").path,)
    assert view.covers_path(city.node("420302001002001").path)
    assert not view.covers_path(city.node("420302002").path)
    assert scope_for(user).for_action(CHANGE).paths == view.paths
    assert scope_for(user).for_action(CONFIGURE).empty


def test_nested_grants_collapse_to_the_outermost(city):
    user = city.user(Role.STREET_OPERATOR, "420302001")
    from chuangwen.org.services import membership_grant

    membership_grant(
        user=user, unit=city.units["420302001001"], role=Role.COMMUNITY_OPERATOR, actor=None
    )
    user = type(user).objects.get(pk=user.pk)
    assert scope_for(user).for_action(VIEW).paths == (city.node("420302001").path,)


def test_pairing_widens_view_and_export_but_not_change(city):
    from datetime import date

    from chuangwen.org.choices import UnitKind
    from chuangwen.org.services import pairing_create, unit_create

    station = unit_create(
        name="武当路供水服务站",
        kind=UnitKind.ENTERPRISE,
        territory=city.node("420302001"),
        actor=None,
    )
    city.units["station"] = station
    paired = city.node("420303001002")
    pairing_create(
        unit=station,
        territory=paired,
        starts_on=date(2000, 1, 1),
        ends_on=date(2999, 12, 31),
        actor=None,
    )
    handler = city.user(Role.UNIT_HANDLER, "station")
    scope = scope_for(handler)
    assert scope.for_action(VIEW).covers_path(paired.path + "001/")
    assert scope.for_action(EXPORT).covers_path(paired.path)
    assert not scope.for_action(VIEW).covers_path(city.node("420303001001").path)
    with pytest.raises(PermissionDeniedError):
        require(handler, CHANGE, path=paired.path)


def test_an_expired_pairing_grants_nothing(city):
    from datetime import date

    from chuangwen.org.choices import UnitKind
    from chuangwen.org.services import pairing_create, unit_create

    city.units["station"] = unit_create(
        name="武当路供水服务站",
        kind=UnitKind.ENTERPRISE,
        territory=city.node("420302001"),
        actor=None,
    )
    pairing_create(
        unit=city.units["station"],
        territory=city.node("420303001002"),
        starts_on=date(2000, 1, 1),
        ends_on=date(2001, 12, 31),
        actor=None,
    )
    handler = city.user(Role.UNIT_HANDLER, "station")
    assert not scope_for(handler).for_action(VIEW).covers_path(city.node("420303001002").path)


def test_a_user_without_memberships_sees_nothing(city):
    user = UserFactory()
    for action in (VIEW, EXPORT, CHANGE, CONFIGURE):
        assert scope_for(user).for_action(action).empty


def test_revoked_membership_no_longer_grants(city):
    user = city.user(Role.STREET_OPERATOR, "420302001")
    membership_revoke(membership=user.memberships.get(), actor=None)
    user = type(user).objects.get(pk=user.pk)
    assert scope_for(user).for_action(VIEW).empty


def test_superuser_is_citywide_without_memberships(city):
    admin = UserFactory(is_superuser=True)
    assert scope_for(admin).for_action(CONFIGURE).citywide


def test_require(city):
    user = city.user(Role.STREET_OPERATOR, "420302001")
    require(user, CHANGE, path=city.node("420302001001").path)
    with pytest.raises(PermissionDeniedError):
        require(user, CHANGE, path=city.node("420302002").path)
    with pytest.raises(PermissionDeniedError):
        require(user, CONFIGURE)
    require(None, CONFIGURE)  # the system itself


def test_unknown_action_is_a_programming_error(city):
    user = city.user(Role.STREET_OPERATOR, "420302001")
    with pytest.raises(ValueError):
        scope_for(user).for_action("delete-everything")
