"""The Django admin covers every model, and edits through it leave an audit trail."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

from chuangwen.core.models import AuditEvent
from chuangwen.org.choices import Role

pytestmark = pytest.mark.django_db
OWN_APPS = {"core", "accounts", "territory", "org", "notifications", "cases"}


def test_every_model_is_registered():
    models = [m for m in apps.get_models() if m._meta.app_label in OWN_APPS]
    missing = [m.__name__ for m in models if m not in admin.site._registry]
    assert not missing


@pytest.fixture
def admin_client(client, city):
    user = city.user(Role.CITY_ADMIN, "city", is_staff=True, is_superuser=True)
    client.force_login(user)
    return client


def test_every_changelist_and_change_page_renders(admin_client, city, catalogue):
    from chuangwen.cases.services import case_report, supervise_overdue
    from chuangwen.testing.cases import MAOJIAN

    # A case with an event, a supervision order and a notification to show.
    collector = city.user(Role.COLLECTOR, "420302001")
    city.user(Role.UNIT_HANDLER, "water")
    case_report(
        category="B0102", description="井盖缺失", lat=MAOJIAN[0], lng=MAOJIAN[1], actor=collector
    )
    from datetime import timedelta

    from django.utils import timezone

    assert supervise_overdue(now=timezone.now() + timedelta(days=2)) == 2
    for model in [m for m in apps.get_models() if m._meta.app_label in OWN_APPS]:
        opts = model._meta
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        assert admin_client.get(url).status_code == 200, url
        obj = model.objects.first()
        if obj is not None:
            url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
            assert admin_client.get(url).status_code == 200, url


def test_territory_edit_in_admin_goes_through_the_service(admin_client, city):
    grid = city.node("420302001001001")
    url = reverse("admin:territory_territorynode_change", args=[grid.pk])
    response = admin_client.post(
        url,
        {
            "name": "后台改名网格",
            "land_use": "green",
            "management_level": "1",
            "owner_unit": "",
            "is_active": "on",
            "geometry": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    grid.refresh_from_db()
    assert grid.name == "后台改名网格"
    assert AuditEvent.objects.filter(
        action="territory.node_update", object_id=str(grid.pk)
    ).exists()


def test_admin_rejects_a_bad_boundary(admin_client, city):
    grid = city.node("420302001001001")
    url = reverse("admin:territory_territorynode_change", args=[grid.pk])
    response = admin_client.post(
        url,
        {
            "name": grid.name,
            "land_use": "",
            "management_level": "",
            "owner_unit": "",
            "is_active": "on",
            "geometry": '{"type": "Point", "coordinates": [1, 2]}',
        },
    )
    assert response.status_code == 200
    assert "Polygon" in response.content.decode()


def test_unit_edit_in_admin_is_audited(admin_client, city):
    unit = city.units["dept"]
    url = reverse("admin:org_unit_change", args=[unit.pk])
    response = admin_client.post(
        url,
        {
            "name": unit.name,
            "short_name": "城管",
            "kind": unit.kind,
            "parent": "",
            "territory": unit.territory_id,
            "contact_person": "张三",
            "contact_phone": "",
            "address": "",
            "is_active": "on",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    event = AuditEvent.objects.get(action="org.unit_update", object_id=str(unit.pk))
    assert event.data["after"]["contact_person"] == "张三"


def test_unit_added_in_admin_is_checked_by_the_service(admin_client, city):
    url = reverse("admin:org_unit_add")
    bad = admin_client.post(
        url,
        {
            "name": "错挂的街道办",
            "kind": "street_office",
            "territory": city.node("420302").pk,
            "is_active": "on",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
        },
    )
    assert bad.status_code == 200
    assert "街道" in bad.content.decode()
    good = admin_client.post(
        url,
        {
            "name": "市园林局",
            "kind": "department",
            "territory": city.node("420300").pk,
            "is_active": "on",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
        },
    )
    assert good.status_code == 302
    assert AuditEvent.objects.filter(
        action="org.unit_create", summary__contains="市园林局"
    ).exists()


def test_admin_is_closed_to_non_staff(client, city):
    client.force_login(city.user(Role.CITY_OPERATOR, "city"))
    assert client.get("/admin/").status_code == 302
