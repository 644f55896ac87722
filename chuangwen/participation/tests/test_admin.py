"""The office edits the report form's groups in the admin, through the services."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from chuangwen.catalog.models import PublicGroup
from chuangwen.core.models import AuditEvent
from chuangwen.org.choices import Role

pytestmark = pytest.mark.django_db


def login(client, city, role=Role.CITY_ADMIN, **flags):
    user = city.user(role, "city", is_staff=True, **flags)
    client.force_login(user)
    return user


def test_groups_are_added_changed_and_deleted_in_the_admin(client, city, catalogue):
    login(client, city, is_superuser=True)
    assert client.get(reverse("admin:catalog_publicgroup_changelist")).status_code == 200
    assert client.get(reverse("admin:catalog_publicgroup_add")).status_code == 200
    minors = [catalogue.categories[c].pk for c in ("E0102", "W0101")]
    form = {"name": "环境卫生", "hint": "垃圾、脏乱", "position": "10", "categories": minors}
    response = client.post(reverse("admin:catalog_publicgroup_add"), form)
    assert response.status_code == 302
    group = PublicGroup.objects.get()
    assert sorted(c.code for c in group.categories.all()) == ["E0102", "W0101"]
    change = reverse("admin:catalog_publicgroup_change", args=[group.pk])
    response = client.post(change, {**form, "categories": minors[:1]})
    assert response.status_code == 302
    assert [c.code for c in group.categories.all()] == ["E0102"]
    assert AuditEvent.objects.filter(action="participation.public_group_save").count() == 2
    # A 大类 is not offered: only 小类 are reported.
    major = catalogue.categories["E01"].pk
    refused = client.post(change, {**form, "categories": [major]})
    assert refused.status_code == 200 and [c.code for c in group.categories.all()] == ["E0102"]
    delete = reverse("admin:catalog_publicgroup_delete", args=[group.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 302
    assert not PublicGroup.objects.exists()
    assert AuditEvent.objects.filter(action="participation.public_group_delete").exists()


def test_staff_without_configuration_rights_is_refused(client, city, catalogue):
    # Django's model permissions would let them in; the admin site still says no.
    user = login(client, city, role=Role.CITY_OPERATOR)
    user.user_permissions.set(Permission.objects.filter(codename__endswith="publicgroup"))
    form = {"name": "环境卫生", "hint": "", "position": "0", "categories": []}
    response = client.post(reverse("admin:catalog_publicgroup_add"), form)
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
    assert not PublicGroup.objects.exists()
