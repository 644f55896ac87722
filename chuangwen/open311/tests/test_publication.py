"""What the public channels publish: only published cases, with personal data taken out,
the address cut at the community and the point rounded; and text that cannot break XML.

The same rules hold for every Open311 resource and for the portal's map, list and JSON."""

from urllib.parse import urlencode
from xml.etree import ElementTree

import pytest

from chuangwen.cases import services as cases
from chuangwen.cases.choices import Channel, Publicity
from chuangwen.cases.models import Case, CaseEvent
from chuangwen.catalog.models import Category
from chuangwen.core.errors import PermissionDeniedError, ServiceError
from chuangwen.core.models import AuditEvent
from chuangwen.org.choices import Role
from chuangwen.testing.cases import MAOJIAN, ZHANGWAN
from chuangwen.testing.city import ROLE_HOMES

pytestmark = pytest.mark.django_db

BASE = "/open311/v2"
# What a caller told the 12345 hotline, typed into the ticket as said.
HOTLINE_TEXT = (
    "张三反映,身份证420302199001011234,住人民北路25号3单元502室,楼下井盖缺失,电话13912345678"
)
SECRETS = ("420302199001011234", "25号3单元502室", "13912345678", "王大明", "13700001111")


def _case(channel, *, actor=None, where=MAOJIAN, description="井盖缺失", **kwargs):
    return cases.case_report(
        category="B0102",
        description=description,
        lat=where[0] + 0.00037,
        lng=where[1] + 0.00041,
        address="人民北路25号3单元502室楼下",
        actor=actor,
        channel=channel,
        reporter_name="王大明",
        reporter_phone="13700001111",
        **kwargs,
    ).case


def _open311(client, path, fmt="json", **params):
    return client.get(f"{BASE}/{path}.{fmt}", params)


def _published_codes(client) -> set[str]:
    rows = _open311(client, "requests").json()
    return {row["service_request_id"] for row in rows}


def _update_codes(client) -> set[str]:
    return {row["service_request_id"] for row in _open311(client, "servicerequestupdates").json()}


def _portal_places(client) -> list[dict]:
    return client.get("/public/cases.json").json()["points"]


@pytest.fixture
def office(people):
    return people["operator"]


def test_only_channels_the_office_publishes_go_out(client, people, office):
    portal = _case(Channel.PORTAL, description="人行道井盖缺失")
    internal = {
        channel: _case(channel, actor=office, description=HOTLINE_TEXT)
        for channel in (
            Channel.HOTLINE,
            Channel.SURVEY_FEEDBACK,
            Channel.INSPECTION,
            Channel.ASSIGNED,
            Channel.VIDEO,
            Channel.FIELD,
        )
    }
    assert _published_codes(client) == {portal.code}
    assert _update_codes(client) == {portal.code}
    for case in internal.values():
        assert _open311(client, f"requests/{case.code}").status_code == 404
        assert _open311(client, f"requests/{case.code}", "xml").status_code == 404
        params = {"service_request_id": case.code}
        assert _open311(client, "requests", **params).json() == []
        assert _open311(client, "servicerequestupdates", **params).json() == []
    assert len(_portal_places(client)) == 1
    for page in ("/public/cases/", "/public/cases.json", f"{BASE}/requests.xml"):
        body = client.get(page).content.decode()
        assert not any(case.code in body for case in internal.values())
        assert not any(secret in body for secret in SECRETS)


def test_the_public_channels_follow_the_setting(client, people, office, settings):
    settings.PUBLIC_CHANNELS = ("portal", "open311", "hotline")
    hotline = _case(Channel.HOTLINE, actor=office, description=HOTLINE_TEXT)
    assert hotline.code in _published_codes(client)
    body = _open311(client, f"requests/{hotline.code}").content.decode()
    assert not any(secret in body for secret in SECRETS)


def test_rejected_and_cancelled_cases_are_never_published(client, people, office):
    rejected = _case(Channel.PORTAL)
    cases.case_reject(case_id=rejected.pk, actor=office, note="恶意举报")
    cancelled = _case(Channel.PORTAL)
    cases.case_cancel(case_id=cancelled.pk, actor=office, note="误报")
    for case in (rejected, cancelled):
        # Not even when the office marks them public.
        cases.case_publicity_set(case_id=case.pk, actor=office, publicity=Publicity.PUBLIC)
    assert _published_codes(client) == set()
    assert _update_codes(client) == set()
    assert _portal_places(client) == []
    for case in (rejected, cancelled):
        assert _open311(client, f"requests/{case.code}").status_code == 404


def test_what_is_published_stops_at_the_community(client, people, office):
    case = _case(Channel.PORTAL, description=HOTLINE_TEXT)
    (row,) = _open311(client, f"requests/{case.code}").json()
    assert row["address"] == "茅箭区武当路街道武当1社区"
    assert row["description"] == (
        "张三反映,身份证[身份证号],住人民北路[门牌号],楼下井盖缺失,电话[电话]"
    )
    assert (row["lat"], row["long"]) == (round(case.lat, 3), round(case.lng, 3))
    assert (row["lat"], row["long"]) != (case.lat, case.lng)
    (point,) = _portal_places(client)
    assert (point["lat"], point["lng"]) == (round(case.lat, 3), round(case.lng, 3))
    assert point["place"] == "茅箭区 武当路街道 武当1社区"
    for page in (f"{BASE}/requests.json", f"{BASE}/requests.xml", "/public/cases.json"):
        body = client.get(page).content.decode()
        assert not any(secret in body for secret in SECRETS), page
        assert "人民北路25号" not in body


def test_the_office_publishes_hides_and_rewords(client, people, office):
    hotline = _case(Channel.HOTLINE, actor=office, description=HOTLINE_TEXT)
    portal = _case(Channel.PORTAL)
    cases.case_publicity_set(case_id=hotline.pk, actor=office, publicity=Publicity.PUBLIC)
    cases.case_publicity_set(case_id=portal.pk, actor=office, publicity=Publicity.HIDDEN)
    assert _published_codes(client) == {hotline.code}
    assert _update_codes(client) == {hotline.code}
    assert _open311(client, f"requests/{portal.code}").status_code == 404
    (row,) = _open311(client, f"requests/{hotline.code}").json()
    assert "420302199001011234" not in row["description"]
    cases.case_publicity_set(
        case_id=hotline.pk,
        actor=office,
        publicity=Publicity.PUBLIC,
        public_text="人民北路井盖缺失,已安排更换。车主鄂C12345请挪车",
    )
    (row,) = _open311(client, f"requests/{hotline.code}").json()
    assert row["description"] == "人民北路井盖缺失,已安排更换。车主[车牌号]请挪车"
    hotline.refresh_from_db()
    assert hotline.version == 3
    events = CaseEvent.objects.filter(case=hotline, action="publicity")
    assert [e.data["publicity"] for e in events.order_by("id")] == ["public", "public"]
    assert (
        AuditEvent.objects.filter(action="cases.publicity", object_id=str(hotline.pk)).count() == 2
    )
    # Back to the channel's default: a hotline ticket is internal again.
    cases.case_publicity_set(case_id=hotline.pk, actor=office, publicity=Publicity.AUTO)
    assert _published_codes(client) == set()


@pytest.mark.parametrize("role", sorted(ROLE_HOMES))
def test_only_the_office_decides_what_is_public(city, catalogue, role):
    case = _case(Channel.PORTAL)
    user = city.user(role, ROLE_HOMES[role])
    if role in (Role.CITY_ADMIN, Role.CITY_OPERATOR):
        cases.case_publicity_set(case_id=case.pk, actor=user, publicity=Publicity.HIDDEN)
        assert Case.objects.get(pk=case.pk).publicity == Publicity.HIDDEN
        return
    with pytest.raises(PermissionDeniedError):
        cases.case_publicity_set(case_id=case.pk, actor=user, publicity=Publicity.HIDDEN)
    assert Case.objects.get(pk=case.pk).publicity == Publicity.AUTO


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"publicity": "everyone"}, "publicity"),
        ({"publicity": ""}, "publicity"),
        ({"public_text": "字" * 2001}, "public_text"),
    ],
)
def test_publicity_refuses_bad_input(people, office, changes, field):
    case = _case(Channel.PORTAL)
    with pytest.raises(ServiceError) as refused:
        cases.case_publicity_set(
            case_id=case.pk, actor=office, **{"publicity": Publicity.PUBLIC, **changes}
        )
    assert refused.value.field == field


def test_publicity_refuses_a_stale_page(people, office):
    case = _case(Channel.PORTAL)
    with pytest.raises(ServiceError) as refused:
        cases.case_publicity_set(
            case_id=case.pk, actor=office, publicity=Publicity.HIDDEN, version=case.version + 1
        )
    assert refused.value.status_code == 409


def test_publicity_over_the_api_and_the_page(client, people, office, token_for):
    case = _case(Channel.PORTAL)
    url = f"/api/v1/cases/{case.pk}/publicity"
    answer = client.post(
        url,
        {"publicity": "hidden", "version": case.version},
        content_type="application/json",
        **token_for(office),
    )
    assert answer.status_code == 200
    assert answer.json()["publicity"] == {
        "setting": "hidden",
        "public": False,
        "text": "井盖缺失",
    }
    refused = client.post(
        url, {"publicity": "public"}, content_type="application/json", **token_for(people["water"])
    )
    assert refused.status_code == 404  # the water company does not see the case at all
    refused = client.post(
        url,
        {"publicity": "public"},
        content_type="application/json",
        **token_for(people["district"]),
    )
    assert refused.status_code == 403
    client.force_login(office)
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert f'action="/cases/{case.pk}/publicity/"' in page
    response = client.post(
        f"/cases/{case.pk}/publicity/",
        {"publicity": "public", "public_text": "井盖已更换", "version": case.version + 1},
    )
    assert response.status_code == 302
    assert Case.objects.get(pk=case.pk).public_text == "井盖已更换"
    client.force_login(people["district"])
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert "井盖已更换" in page and "/publicity/" not in page


# -- text that breaks formats ------------------------------------------------------------------
# NUL is refused at the door (test_a_nul_is_refused_in_the_specs_format); the rest is
# stripped by the intake's cleaner.
CONTROLS = "\x01\x08\x0b\x0c\x1b\x7f\x85"
RESOURCES = (
    "discovery",
    "services",
    "services/B0102",
    "requests",
    "servicerequestupdates",
)


def _dirty(text: str) -> str:
    return "".join(f"{c}{CONTROLS[i % len(CONTROLS)]}" for i, c in enumerate(text))


def test_control_characters_never_reach_the_xml(client, people, app_key, token_for):
    posted = client.post(
        f"{BASE}/requests.json",
        urlencode(
            {
                "api_key": app_key.raw,
                "service_code": "B0102",
                "lat": MAOJIAN[0],
                "long": MAOJIAN[1],
                "description": _dirty("井盖缺失"),
                "address_string": _dirty("人民北路"),
                "first_name": _dirty("小花"),
            }
        ),
        content_type="application/x-www-form-urlencoded",
    )
    assert posted.status_code == 200, posted.content
    code = posted.json()[0]["service_request_id"]
    token = posted.json()[0]["token"]
    from_api = client.post(
        "/api/v1/cases",
        {
            "category": "B0102",
            "description": _dirty("井盖破损\n第二处"),
            "address": _dirty("北京北路\n12号"),
            "lat": ZHANGWAN[0],
            "lng": ZHANGWAN[1],
        },
        content_type="application/json",
        **token_for(people["collector"]),
    )
    assert from_api.status_code == 201, from_api.content
    stored = Case.objects.get(code=code)
    assert (stored.description, stored.address, stored.reporter_name) == (
        "井盖缺失",
        "人民北路",
        "小花",
    )
    other = Case.objects.get(pk=from_api.json()["id"])
    assert (other.description, other.address) == ("井盖破损\n第二处", "北京北路 12号")
    cases.case_publicity_set(case_id=other.pk, actor=people["operator"], publicity="public")
    # Names the office typed into the admin are not cleaned on the way in.
    Category.objects.filter(code="B0102").update(name="污水\x01井盖", description="说明\x1b")
    for resource in (*RESOURCES, f"requests/{code}", f"requests/{other.code}", f"tokens/{token}"):
        response = _open311(client, resource, "xml")
        assert response.status_code == 200, resource
        document = ElementTree.fromstring(response.content)
        text = "".join(document.itertext())
        assert not any(c in text for c in CONTROLS), resource
        assert _open311(client, resource, "json").status_code == 200


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_a_nul_is_refused_in_the_specs_format(client, app_key, fmt):
    posted = client.post(
        f"{BASE}/requests.{fmt}",
        urlencode(
            {
                "api_key": app_key.raw,
                "service_code": "B0102",
                "lat": MAOJIAN[0],
                "long": MAOJIAN[1],
                "description": "井盖\x00缺失",
            }
        ),
        content_type="application/x-www-form-urlencoded",
    )
    assert posted.status_code == 400
    body = posted.content.decode()
    assert "空字符" in body
    if fmt == "xml":
        document = ElementTree.fromstring(posted.content)
        assert document.tag == "errors" and document.find("error/code").text == "400"
    else:
        assert posted.json()[0]["code"] == 400
    assert not Case.objects.exists()
