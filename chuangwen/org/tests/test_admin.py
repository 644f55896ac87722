"""Memberships and 包联 pairings edited in the admin, on their own pages and inline on a
user's page, go through the org services: checked and audited like any other edit."""

from datetime import date

import pytest

from chuangwen.core.models import AuditEvent
from chuangwen.org.choices import Role
from chuangwen.org.models import Membership, Pairing
from chuangwen.org.services import membership_grant
from chuangwen.testing.factories import UserFactory
from chuangwen.testing.forms import form_fields

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_user(city):
    return city.user(Role.CITY_ADMIN, "city", is_staff=True, is_superuser=True)


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


def actions() -> list[str]:
    return list(AuditEvent.objects.order_by("id").values_list("action", flat=True))


def page_form(client, url: str, form_id: str) -> dict[str, list[str]]:
    response = client.get(url)
    assert response.status_code == 200
    return form_fields(response.content.decode(), form_id)


# -- the membership pages ------------------------------------------------------------------
def test_a_membership_is_granted_changed_revoked_and_deleted_through_the_services(
    admin_client, admin_user, city
):
    newcomer = UserFactory()
    before = AuditEvent.objects.count()
    response = admin_client.post(
        "/admin/org/membership/add/",
        {
            "user": newcomer.pk,
            "unit": city.units["420302001"].pk,
            "role": Role.COLLECTOR,
            "title": "网格员",
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    membership = Membership.objects.get(user=newcomer)
    url = f"/admin/org/membership/{membership.pk}/change/"
    data = page_form(admin_client, url, "membership_form")
    data.update(role=[Role.STREET_OPERATOR], title=["副主任"])
    assert admin_client.post(url, data).status_code == 302
    data = page_form(admin_client, url, "membership_form")
    data.pop("is_active")
    assert admin_client.post(url, data).status_code == 302
    membership.refresh_from_db()
    assert (membership.role, membership.title, membership.is_active) == (
        Role.STREET_OPERATOR,
        "副主任",
        False,
    )
    delete = f"/admin/org/membership/{membership.pk}/delete/"
    assert admin_client.post(delete, {"post": "yes"}).status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert actions()[before:] == [
        "org.membership_grant",
        "org.membership_change",
        "org.membership_revoke",
        "org.membership_delete",
    ]
    trail = AuditEvent.objects.filter(object_type="org.membership", object_id=str(membership.pk))
    assert set(trail.values_list("actor", flat=True)) == {admin_user.pk}


def test_a_membership_the_service_refuses_is_shown_on_the_form(admin_client, city):
    closed = city.units["420302001"]
    closed.is_active = False
    closed.save(update_fields=["is_active"])
    user = UserFactory()
    response = admin_client.post(
        "/admin/org/membership/add/",
        {"user": user.pk, "unit": closed.pk, "role": Role.COLLECTOR, "is_active": "on"},
    )
    assert response.status_code == 200 and "该单位已停用" in response.content.decode()
    assert not Membership.objects.filter(user=user).exists()


# -- the pairing pages ---------------------------------------------------------------------
def test_a_pairing_is_created_changed_and_deleted_through_the_services(admin_client, city):
    before = AuditEvent.objects.count()
    form = {
        "unit": city.units["dept"].pk,
        "territory": city.node("420302001001").pk,
        "starts_on": "2026-01-01",
        "ends_on": "2026-12-31",
        "note": "",
    }
    assert admin_client.post("/admin/org/pairing/add/", form).status_code == 302
    pairing = Pairing.objects.get(territory=city.node("420302001001"))
    url = f"/admin/org/pairing/{pairing.pk}/change/"
    assert admin_client.post(url, {**form, "ends_on": "2026-06-30"}).status_code == 302
    pairing.refresh_from_db()
    assert pairing.ends_on == date(2026, 6, 30)
    delete = f"/admin/org/pairing/{pairing.pk}/delete/"
    assert admin_client.post(delete, {"post": "yes"}).status_code == 302
    assert not Pairing.objects.filter(pk=pairing.pk).exists()
    assert actions()[before:] == ["org.pairing_create", "org.pairing_change", "org.pairing_delete"]


def test_an_overlapping_pairing_is_refused_on_the_form(admin_client, city):
    existing = Pairing.objects.get()  # the fixture city's: 城管执法委 ↔ 车城1社区, this year
    form = {
        "unit": existing.unit_id,
        "territory": existing.territory_id,
        "starts_on": str(existing.starts_on),
        "ends_on": str(existing.ends_on),
    }
    response = admin_client.post("/admin/org/pairing/add/", form)
    assert response.status_code == 200 and "已包联" in response.content.decode()
    assert Pairing.objects.count() == 1


# -- inline on the user's page -------------------------------------------------------------
def test_memberships_edited_on_the_user_page_go_through_the_services(admin_client, city):
    user = UserFactory()
    kept = membership_grant(
        user=user, unit=city.units["420302001"], role=Role.COLLECTOR, title="网格员", actor=None
    )
    dropped = membership_grant(
        user=user, unit=city.units["420302001001"], role=Role.PERSUADER, actor=None
    )
    before = AuditEvent.objects.count()
    url = f"/admin/accounts/user/{user.pk}/change/"
    data = page_form(admin_client, url, "user_form")
    rows = {int(data[f"memberships-{i}-id"][0]): i for i in range(2)}
    data[f"memberships-{rows[kept.pk]}-title"] = ["组长"]
    data[f"memberships-{rows[dropped.pk]}-DELETE"] = ["on"]
    data.update(
        {
            "memberships-TOTAL_FORMS": ["3"],
            "memberships-2-unit": [str(city.units["420303001"].pk)],
            "memberships-2-role": [Role.INSPECTOR],
            "memberships-2-title": [""],
            "memberships-2-is_active": ["on"],
            "memberships-2-user": [str(user.pk)],
        }
    )
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert sorted(user.memberships.values_list("role", "title")) == [
        (Role.COLLECTOR, "组长"),
        (Role.INSPECTOR, ""),
    ]
    assert sorted(actions()[before:]) == [
        "admin.change",
        "org.membership_change",
        "org.membership_delete",
        "org.membership_grant",
    ]


def test_a_refused_inline_membership_saves_nothing(admin_client, city):
    user = UserFactory()
    membership_grant(user=user, unit=city.units["420302001"], role=Role.COLLECTOR, actor=None)
    url = f"/admin/accounts/user/{user.pk}/change/"
    data = page_form(admin_client, url, "user_form")
    data.update(
        {
            "memberships-TOTAL_FORMS": ["2"],
            "memberships-1-unit": [str(city.units["420302001"].pk)],
            "memberships-1-role": [Role.INSPECTOR],
            "memberships-1-is_active": ["on"],
            "memberships-1-user": [str(user.pk)],
            "full_name": ["改过的名字"],
        }
    )
    closed = city.units["420302001"]
    closed.is_active = False
    closed.save(update_fields=["is_active"])
    response = admin_client.post(url, data)
    assert response.status_code == 200 and "该单位已停用" in response.content.decode()
    user.refresh_from_db()
    assert user.full_name != "改过的名字" and user.memberships.count() == 1
