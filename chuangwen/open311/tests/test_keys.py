"""Keys: created and revoked by the city's system administrators only, through the
services, the admin and the management command."""

from io import StringIO
from urllib.parse import urlencode

import pytest
from django.core.management import CommandError, call_command

from chuangwen.cases.choices import Channel
from chuangwen.cases.models import Case
from chuangwen.core.errors import ConflictError, PermissionDeniedError, ServiceError
from chuangwen.core.models import AuditEvent
from chuangwen.open311.models import Open311Key
from chuangwen.open311.selectors import hash_key, key_for, keys_for
from chuangwen.open311.services import open311_key_create, open311_key_revoke
from chuangwen.org.choices import Role
from chuangwen.org.services import unit_update
from chuangwen.testing.cases import MAOJIAN
from chuangwen.testing.city import ROLE_HOMES
from chuangwen.testing.factories import UserFactory

pytestmark = pytest.mark.django_db

ROLES_WITHOUT_CITYWIDE_CONFIGURE = [r for r in Role if r != Role.CITY_ADMIN]


def report_with(client, raw: str) -> int:
    data = {"api_key": raw, "service_code": "E0102", "lat": MAOJIAN[0], "long": MAOJIAN[1]}
    response = client.post(
        "/open311/v2/requests.json",
        urlencode(data),
        content_type="application/x-www-form-urlencoded",
    )
    return response.status_code


def test_a_city_admin_creates_a_key_shown_only_once(city, catalogue, client):
    admin = city.user(Role.CITY_ADMIN, "city")
    key, raw = open311_key_create(
        name="12345 热线平台", unit_id=city.units["dept"].pk, channel=Channel.HOTLINE, actor=admin
    )
    assert raw.startswith("o311_") and len(raw) > 40
    assert key.prefix == raw[:12]
    assert key.key_hash == hash_key(raw) and raw not in key.key_hash
    assert (key.unit, key.channel, key.created_by, key.is_active) == (
        city.units["dept"],
        Channel.HOTLINE,
        admin,
        True,
    )
    assert key_for(raw) == key and key_for(raw + "x") is None and key_for("") is None
    entry = AuditEvent.objects.get(action="open311.key_create")
    assert entry.actor == admin and entry.object_id == str(key.pk)
    assert raw not in str(entry.data) and raw not in entry.summary
    assert report_with(client, raw) == 200
    assert Case.objects.get().channel == Channel.HOTLINE


def test_a_superuser_manages_keys(city, catalogue):
    root = UserFactory(is_superuser=True, is_staff=True)
    key, _ = open311_key_create(name="App", unit_id=city.units["city"].pk, actor=root)
    assert open311_key_revoke(key_id=key.pk, actor=root).is_active is False


@pytest.mark.parametrize("role", ROLES_WITHOUT_CITYWIDE_CONFIGURE)
def test_others_may_not_create_keys(city, catalogue, role):
    user = city.user(role, ROLE_HOMES[role])
    with pytest.raises(PermissionDeniedError, match="只有市级系统管理员"):
        open311_key_create(name="App", unit_id=city.units["city"].pk, actor=user)
    assert not Open311Key.objects.exists()


def test_a_district_admin_is_not_citywide(city, catalogue):
    # CONFIGURE inside one district does not reach the city's keys.
    user = city.user(Role.CITY_ADMIN, "420302")
    with pytest.raises(PermissionDeniedError):
        open311_key_create(name="App", unit_id=city.units["420302"].pk, actor=user)


@pytest.mark.parametrize("role", ROLES_WITHOUT_CITYWIDE_CONFIGURE)
def test_others_may_not_revoke_keys(city, catalogue, role):
    key, _ = open311_key_create(name="App", unit_id=city.units["city"].pk, actor=None)
    with pytest.raises(PermissionDeniedError):
        open311_key_revoke(key_id=key.pk, actor=city.user(role, ROLE_HOMES[role]))
    assert Open311Key.objects.get(pk=key.pk).is_active


@pytest.mark.parametrize(
    ("fields", "says"),
    [
        ({"name": "  "}, "请填写密钥名称"),
        ({"name": "名" * 81}, "不能超过 80 个字"),
        ({"unit_id": 999999}, "所属单位不存在"),
        ({"unit_id": None}, "所属单位不存在"),
        ({"channel": Channel.FIELD}, "来源渠道只能是"),
        ({"channel": "fax"}, "来源渠道只能是"),
    ],
)
def test_bad_key_input_is_refused(city, catalogue, fields, says):
    arguments = {"name": "App", "unit_id": city.units["city"].pk, "actor": None, **fields}
    with pytest.raises(ServiceError, match=says):
        open311_key_create(**arguments)
    assert not Open311Key.objects.exists()


def test_a_key_for_an_inactive_unit_is_refused(city, catalogue):
    unit_update(unit=city.units["dept"], is_active=False, actor=None)
    with pytest.raises(ServiceError, match="已停用"):
        open311_key_create(name="App", unit_id=city.units["dept"].pk, actor=None)


def test_revoking_stops_the_key_and_is_audited(city, catalogue, client):
    admin = city.user(Role.CITY_ADMIN, "city")
    key, raw = open311_key_create(name="App", unit_id=city.units["city"].pk, actor=admin)
    assert report_with(client, raw) == 200
    open311_key_revoke(key_id=key.pk, actor=admin)
    assert report_with(client, raw) == 403
    assert AuditEvent.objects.filter(action="open311.key_revoke", actor=admin).count() == 1
    with pytest.raises(ConflictError, match="已停用"):
        open311_key_revoke(key_id=key.pk, actor=admin)
    with pytest.raises(ServiceError, match="密钥不存在"):
        open311_key_revoke(key_id=key.pk + 100, actor=admin)


def test_a_key_of_a_unit_deactivated_later_stops_working(city, catalogue, client):
    _, raw = open311_key_create(name="App", unit_id=city.units["dept"].pk, actor=None)
    unit_update(unit=city.units["dept"], is_active=False, actor=None)
    assert report_with(client, raw) == 403


def test_units_see_their_own_keys_and_only_the_city_manages_them(city, catalogue):
    mine, _ = open311_key_create(name="A", unit_id=city.units["dept"].pk, actor=None)
    open311_key_create(name="B", unit_id=city.units["city"].pk, actor=None)
    handler = city.user(Role.UNIT_HANDLER, "dept")
    assert list(keys_for(user=handler)) == [mine]
    assert not keys_for(user=handler, action="configure").exists()
    assert keys_for(user=city.user(Role.CITY_ADMIN, "city"), action="configure").count() == 2


# -- the management command ------------------------------------------------------------------
def test_the_command_prints_a_key_that_works(city, catalogue, client):
    out = StringIO()
    call_command("create_open311_key", "城市服务 App", stdout=out)
    raw = out.getvalue().strip()
    key = Open311Key.objects.get()
    assert key.key_hash == hash_key(raw)
    assert (key.name, key.unit, key.channel) == ("城市服务 App", city.units["city"], "open311")
    assert report_with(client, raw) == 200
    assert Case.objects.get().source == f"open311:{key.pk}"


@pytest.mark.parametrize(
    ("unit", "expected"),
    [("市城管执法委", "dept"), ("420302", "420302"), ("pk", "water")],
)
def test_the_command_finds_the_unit(city, catalogue, unit, expected):
    target = city.units[expected]
    value = str(target.pk) if unit == "pk" else unit
    call_command("create_open311_key", "12345", unit=value, channel="hotline", stdout=StringIO())
    key = Open311Key.objects.get()
    assert (key.unit, key.channel) == (target, Channel.HOTLINE)


@pytest.mark.parametrize(
    ("options", "says"),
    [
        ({"unit": "月球办事处"}, "no unit named"),
        ({"unit": "420300"}, "several units govern"),
        ({"channel": "field"}, "来源渠道只能是"),
    ],
)
def test_the_command_refuses_bad_options(city, catalogue, options, says):
    with pytest.raises(CommandError, match=says):
        call_command("create_open311_key", "App", stdout=StringIO(), **options)
    assert not Open311Key.objects.exists()


# -- the admin -------------------------------------------------------------------------------
def staff(city, role, unit_key):
    return city.user(role, unit_key, is_staff=True)


def test_the_admin_creates_a_key_and_shows_it_once(city, catalogue, client):
    admin = staff(city, Role.CITY_ADMIN, "city")
    client.force_login(admin)
    form = {"name": "城市服务 App", "unit": city.units["dept"].pk, "channel": "open311"}
    response = client.post("/admin/open311/open311key/add/", form, follow=True)
    assert response.status_code == 200
    key = Open311Key.objects.get()
    shown = [str(m) for m in response.context["messages"] if "只显示这一次" in str(m)]
    assert len(shown) == 1
    raw = next(word for word in shown[0].replace(":", " ").split() if word.startswith("o311_"))
    assert key.key_hash == hash_key(raw) and key.created_by == admin
    assert AuditEvent.objects.filter(action="open311.key_create", actor=admin).exists()
    listing = client.get("/admin/open311/open311key/").content.decode()
    assert key.prefix in listing and raw not in listing
    detail = client.get(f"/admin/open311/open311key/{key.pk}/change/").content.decode()
    assert raw not in detail and key.key_hash not in detail
    assert report_with(client, raw) == 200


def test_the_admin_offers_only_key_channels(city, catalogue, client):
    admin = staff(city, Role.CITY_ADMIN, "city")
    client.force_login(admin)
    form = {"name": "App", "unit": city.units["dept"].pk, "channel": "field"}
    response = client.post("/admin/open311/open311key/add/", form)
    assert response.status_code == 200 and response.context["adminform"].form.errors["channel"]
    assert not Open311Key.objects.exists()


def test_the_admin_revokes_selected_keys(city, catalogue, client):
    admin = staff(city, Role.CITY_ADMIN, "city")
    first, _ = open311_key_create(name="A", unit_id=city.units["dept"].pk, actor=None)
    second, _ = open311_key_create(name="B", unit_id=city.units["dept"].pk, actor=None)
    open311_key_revoke(key_id=second.pk, actor=None)
    client.force_login(admin)
    response = client.post(
        "/admin/open311/open311key/",
        {"action": "revoke", "_selected_action": [first.pk, second.pk]},
        follow=True,
    )
    texts = [str(m) for m in response.context["messages"]]
    assert "已停用 1 个密钥。" in texts
    assert any("已停用" in t and "B" in t for t in texts if t != "已停用 1 个密钥。")
    assert not Open311Key.objects.filter(is_active=True).exists()


@pytest.mark.parametrize("role", [Role.CITY_OPERATOR, Role.DISTRICT_OPERATOR, Role.LEADER])
def test_other_staff_do_not_reach_the_admin_pages(city, catalogue, client, role):
    user = staff(city, role, ROLE_HOMES[role])
    open311_key_create(name="A", unit_id=city.units["dept"].pk, actor=None)
    client.force_login(user)
    assert client.get("/admin/open311/open311key/").status_code == 302
    form = {"name": "App", "unit": city.units["dept"].pk, "channel": "open311"}
    assert client.post("/admin/open311/open311key/add/", form).status_code == 302
    assert Open311Key.objects.count() == 1
