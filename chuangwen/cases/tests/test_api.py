import json

import pytest

from chuangwen.cases.models import Case
from chuangwen.core import clock
from chuangwen.org.choices import Role
from chuangwen.testing.cases import MAOJIAN, ZHANGWAN, at
from chuangwen.testing.city import CITYWIDE_ROLES, ROLE_HOMES
from chuangwen.testing.images import jpeg_bytes

pytestmark = pytest.mark.django_db


def post(client, url, body, auth, **extra):
    return client.post(url, data=json.dumps(body), content_type="application/json", **auth, **extra)


def upload(client, auth, **fields):
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = {
        "file": SimpleUploadedFile("after.jpg", jpeg_bytes(), content_type="image/jpeg"),
        **fields,
    }
    return client.post("/api/v1/cases/photos", data=data, **auth)


def test_manhole_case_through_the_api_from_report_to_closure(client, people, token_for):
    collector, water, operator = (token_for(people[k]) for k in ("collector", "water", "operator"))
    body = {
        "category": "B0102",
        "description": "井盖缺失",
        "lat": MAOJIAN[0],
        "lng": MAOJIAN[1],
        "address": "人民北路 12 号",
    }
    with clock.at(at(2026, 11, 2, 9, 0)):
        response = post(client, "/api/v1/cases", body, collector, HTTP_IDEMPOTENCY_KEY="abc-1")
    assert response.status_code == 201, response.content
    case = response.json()
    assert case["status"] == "dispatched"
    assert case["unit"]["name"] == "市水务集团"
    assert case["deadline"] == "2026-11-02T11:00:00+08:00"
    assert case["standard"] == {
        "code": "B0102-01",
        "condition": "井盖缺失、移位",
        "close_condition": "恢复原状",
        "time_type": "emergency_hours",
        "time_value": 2.0,
        "extension": 0.0,
    }
    assert case["territory"]["district"] == {"code": "420302", "name": "茅箭区"}
    assert case["code"] and case["allowed_actions"] == []

    again = post(client, "/api/v1/cases", body, collector, HTTP_IDEMPOTENCY_KEY="abc-1")
    assert again.status_code == 200 and again.json()["id"] == case["id"]
    assert Case.objects.count() == 1

    url = f"/api/v1/cases/{case['id']}"
    detail = client.get(url, **water).json()
    assert detail["allowed_actions"] == ["sign", "send_back"]
    assert (
        post(
            client, f"{url}/transitions", {"action": "sign", "version": detail["version"]}, water
        ).status_code
        == 200
    )
    photo = upload(client, water)
    assert photo.status_code == 201, photo.content
    finished = post(
        client,
        f"{url}/transitions",
        {"action": "finish", "note": "已更换", "photo_ids": [photo.json()["id"]]},
        water,
    )
    assert finished.status_code == 200 and finished.json()["status"] == "handled"
    closed = post(
        client, f"{url}/transitions", {"action": "verify_ok", "note": "核查通过"}, operator
    )
    assert closed.json()["status"] == "closed"

    events = client.get(f"{url}/events", **operator).json()
    assert [e["action"] for e in events] == [
        "report",
        "accept",
        "dispatch",
        "sign",
        "finish",
        "verify_ok",
    ]
    assert events[3]["actor"] == people["water"].full_name
    assert events[3]["actor_unit"] == "市水务集团"
    assert events[0]["actor_unit"] == "武当路街道420302001"  # the collector's street office
    assert all(e["created_at"].endswith("+08:00") for e in events)


def test_two_handlers_sign_at_once_one_gets_409(client, people, token_for):
    case = post(
        client,
        "/api/v1/cases",
        {"category": "B0102", "description": "井盖缺失", "lat": MAOJIAN[0], "lng": MAOJIAN[1]},
        token_for(people["collector"]),
    ).json()
    url = f"/api/v1/cases/{case['id']}/transitions"
    first = post(
        client, url, {"action": "sign", "version": case["version"]}, token_for(people["water"])
    )
    second = post(
        client, url, {"action": "sign", "version": case["version"]}, token_for(people["water2"])
    )
    assert first.status_code == 200
    assert second.status_code == 409
    assert "已被他人处理" in second.json()["detail"]


@pytest.mark.parametrize(
    ("body", "status", "text"),
    [
        ({"lat": 39.9, "lng": 116.4}, 422, "不在本市范围内"),
        ({"category": "Z0000"}, 400, "未知的案件类别"),
        ({"lat": "north"}, 422, "请求参数有误"),
        ({"description": ""}, 400, "请填写问题描述"),
    ],
)
def test_intake_errors_are_chinese_4xx(client, people, token_for, body, status, text):
    payload = {
        "category": "B0102",
        "description": "井盖缺失",
        "lat": MAOJIAN[0],
        "lng": MAOJIAN[1],
        **body,
    }
    response = post(client, "/api/v1/cases", payload, token_for(people["collector"]))
    assert response.status_code == status
    assert text in response.json()["detail"]


def test_photo_upload_refuses_forgeries(client, people, token_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("evil.jpg", b"%PDF-1.4 not a picture", content_type="image/jpeg")
    response = client.post(
        "/api/v1/cases/photos", data={"file": fake}, **token_for(people["collector"])
    )
    assert response.status_code == 400
    assert response.json()["field"] == "photo"


@pytest.mark.parametrize("role", [r for r in Role if r not in CITYWIDE_ROLES])
def test_case_outside_scope_is_404_for_the_api(client, people, city, token_for, role):
    case = post(
        client,
        "/api/v1/cases",
        {"category": "E0502", "description": "占道经营", "lat": ZHANGWAN[0], "lng": ZHANGWAN[1]},
        token_for(people["operator"]),
    ).json()
    auth = token_for(city.user(role, ROLE_HOMES[role]))
    assert client.get(f"/api/v1/cases/{case['id']}", **auth).status_code == 404
    assert client.get(f"/api/v1/cases/{case['id']}/events", **auth).status_code == 404
    assert (
        post(
            client, f"/api/v1/cases/{case['id']}/transitions", {"action": "dispatch"}, auth
        ).status_code
        == 404
    )
    assert client.get("/api/v1/cases", **auth).json()["count"] == 0


def test_handler_sees_masked_reporter_phone(client, people, token_for):
    case = post(
        client,
        "/api/v1/cases",
        {
            "category": "B0102",
            "description": "井盖缺失",
            "lat": MAOJIAN[0],
            "lng": MAOJIAN[1],
            "reporter_name": "李四",
            "reporter_phone": "13912345678",
        },
        token_for(people["operator"]),
    ).json()
    assert case["reporter"]["phone"] == "13912345678"
    seen = client.get(f"/api/v1/cases/{case['id']}", **token_for(people["water"])).json()
    assert seen["reporter"] == {"name": "李*", "phone": "139****5678", "masked": True}
    assert (
        "13912345678"
        not in client.get(
            f"/api/v1/cases/{case['id']}/events", **token_for(people["water"])
        ).content.decode()
    )


def test_list_filters(client, people, token_for):
    auth = token_for(people["operator"])
    for category in ("B0102", "E0502", "E0102"):
        post(
            client,
            "/api/v1/cases",
            {"category": category, "description": "问题", "lat": MAOJIAN[0], "lng": MAOJIAN[1]},
            auth,
        )
    assert client.get("/api/v1/cases?category=E05", **auth).json()["count"] == 1
    assert client.get("/api/v1/cases?status=registered", **auth).json()["count"] == 1
    assert client.get("/api/v1/cases?status=open", **auth).json()["count"] == 3
    assert client.get("/api/v1/cases?territory=420303", **auth).json()["count"] == 0
    assert client.get("/api/v1/cases", **token_for(people["water"])).json()["count"] == 1


def test_unauthenticated_is_401(client, db):
    assert client.get("/api/v1/cases").status_code == 401
    assert (
        client.post("/api/v1/cases", data="{}", content_type="application/json").status_code == 401
    )


def test_department_handler_sees_its_cases_and_its_paired_community_only(
    client, people, city, token_for
):
    """包联: 市城管执法委 is paired with community 420303001001 (ZHANGWAN lies in it)."""
    operator = token_for(people["operator"])
    body = {"description": "乱扔垃圾", "category": "W0101"}
    paired = post(
        client, "/api/v1/cases", {**body, "lat": ZHANGWAN[0], "lng": ZHANGWAN[1]}, operator
    ).json()
    elsewhere = post(
        client, "/api/v1/cases", {**body, "lat": MAOJIAN[0], "lng": MAOJIAN[1]}, operator
    ).json()
    handler = token_for(city.user(Role.UNIT_HANDLER, "dept"))
    listed = {row["id"] for row in client.get("/api/v1/cases", **handler).json()["items"]}
    assert listed == {paired["id"]}
    assert client.get(f"/api/v1/cases/{elsewhere['id']}", **handler).status_code == 404
    # Seeing a paired community's case does not make the department its handler.
    assert client.get(f"/api/v1/cases/{paired['id']}", **handler).json()["allowed_actions"] == []


def test_timeline_masks_the_reporter_for_handlers(client, people, token_for):
    case = post(
        client,
        "/api/v1/cases",
        {"category": "B0102", "description": "井盖缺失", "lat": MAOJIAN[0], "lng": MAOJIAN[1]},
        token_for(people["collector"]),
    ).json()
    name = people["collector"].full_name
    seen_by_handler = client.get(
        f"/api/v1/cases/{case['id']}/events", **token_for(people["water"])
    ).json()
    assert seen_by_handler[0]["actor"] == name[0] + "*" * (len(name) - 1)
    assert name not in json.dumps(seen_by_handler, ensure_ascii=False)
    seen_by_office = client.get(
        f"/api/v1/cases/{case['id']}/events", **token_for(people["operator"])
    ).json()
    assert seen_by_office[0]["actor"] == name


def test_accountability_through_the_api(client, people, city, token_for):
    case = post(
        client,
        "/api/v1/cases",
        {"category": "B0102", "description": "井盖缺失", "lat": MAOJIAN[0], "lng": MAOJIAN[1]},
        token_for(people["collector"]),
    ).json()
    url = f"/api/v1/cases/{case['id']}/accountability"
    body = {"kind": "deduct", "reason": "井盖案件超时未办结", "points": 1.5}
    refused = post(client, url, body, token_for(people["district"]))
    assert refused.status_code == 403
    made = post(client, url, body, token_for(people["operator"]))
    assert made.status_code == 201, made.content
    assert made.json()["unit"] == "市水务集团" and made.json()["points"] == 1.5
    bad = post(client, url, {**body, "kind": "fine"}, token_for(people["operator"]))
    assert bad.status_code == 400 and "问责方式" in bad.json()["detail"]
    # The unit held accountable sees its record; another district's operator does not.
    assert (
        client.get("/api/v1/cases/accountability", **token_for(people["water"])).json()["count"]
        == 1
    )
    assert (
        client.get("/api/v1/cases/accountability", **token_for(people["zhangwan"])).json()["count"]
        == 0
    )


def test_a_step_that_takes_the_case_away_still_answers_what_it_became(client, people, token_for):
    """A unit that sends a case back no longer sees it; the answer to its step is the case as
    the step left it, not a 404 that would make a client retry a step already taken."""
    case = post(
        client,
        "/api/v1/cases",
        {"category": "B0102", "description": "井盖缺失", "lat": MAOJIAN[0], "lng": MAOJIAN[1]},
        token_for(people["collector"]),
    ).json()
    url = f"/api/v1/cases/{case['id']}/transitions"
    answer = post(
        client,
        url,
        {"action": "send_back", "note": "不属本单位", "version": case["version"]},
        token_for(people["water"]),
    )
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert (body["status"], body["unit"], body["allowed_actions"]) == ("registered", None, [])
    assert (
        client.get(f"/api/v1/cases/{case['id']}", **token_for(people["water"])).status_code == 404
    )
    # The second handler, who read the case before, is told it moved on: for them the case
    # changed under their hands (409), as after any other step taken meanwhile.
    again = post(
        client, url, {"action": "sign", "version": case["version"]}, token_for(people["water2"])
    )
    assert again.status_code == 409 and "已被他人处理" in again.json()["detail"]
    # Without a version, or for a unit that never worked on it, the case is not there.
    assert post(client, url, {"action": "sign"}, token_for(people["water2"])).status_code == 404
    stranger = post(
        client, url, {"action": "sign", "version": case["version"]}, token_for(people["dept"])
    )
    assert stranger.status_code == 404
