"""The Django admin lets in the city office's system administrators only: the staff flag
alone opens nothing, and neither does a membership granted later."""

import pytest
from django.urls import reverse

from chuangwen.org.choices import Role
from chuangwen.org.services import membership_grant, membership_revoke
from chuangwen.testing.city import ROLE_HOMES
from chuangwen.testing.factories import UserFactory

pytestmark = pytest.mark.django_db

ADMIN_PAGES = ("/admin/", "/admin/org/membership/", "/admin/accounts/user/")


def refused(client, url: str) -> bool:
    response = client.get(url)
    return response.status_code == 302 and response["Location"].startswith(reverse("admin:login"))


def shows_admin_link(client) -> bool:
    return 'href="/admin/"' in client.get("/").content.decode()


def test_a_city_admin_with_the_staff_flag_gets_in(client, city):
    client.force_login(city.user(Role.CITY_ADMIN, "city", is_staff=True))
    assert client.get("/admin/").status_code == 200
    assert shows_admin_link(client)


@pytest.mark.parametrize("role", sorted(set(Role.values) - {Role.CITY_ADMIN}))
def test_every_other_role_is_refused_despite_the_staff_flag(client, city, role):
    client.force_login(city.user(role, ROLE_HOMES[role], is_staff=True))
    for url in ADMIN_PAGES:
        assert refused(client, url), url
    assert not shows_admin_link(client)


def test_a_city_admin_role_below_the_city_root_is_refused(client, city):
    client.force_login(city.user(Role.CITY_ADMIN, "420302", is_staff=True))
    assert refused(client, "/admin/")


def test_the_staff_flag_is_still_needed(client, city):
    client.force_login(city.user(Role.CITY_ADMIN, "city"))
    assert refused(client, "/admin/")


def test_a_superuser_gets_in_without_a_membership(client, city):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    assert client.get("/admin/").status_code == 200


def test_granting_a_membership_does_not_open_the_admin(client, city):
    district = city.user(Role.DISTRICT_OPERATOR, "420302")
    colleague = UserFactory(is_staff=True)
    membership_grant(
        user=colleague, unit=city.units["420302"], role=Role.DISTRICT_OPERATOR, actor=district
    )
    client.force_login(colleague)
    assert refused(client, "/admin/")


def test_revoking_the_city_admin_role_closes_the_admin(client, city):
    user = city.user(Role.CITY_ADMIN, "city", is_staff=True)
    city_admin = user.memberships.get()
    membership_grant(user=user, unit=city.units["420302"], role=Role.DISTRICT_OPERATOR, actor=None)
    client.force_login(user)
    assert client.get("/admin/").status_code == 200
    membership_revoke(membership=city_admin, actor=None)
    assert refused(client, "/admin/")
