"""The GeoReport v2 endpoint, resource by resource, in JSON and in XML."""

import pytest

from chuangwen.cases import services as cases
from chuangwen.cases.choices import Channel, Status
from chuangwen.cases.models import Case
from chuangwen.cases.selectors import public_timeline
from chuangwen.catalog.models import Category
from chuangwen.core import clock
from chuangwen.core.models import AuditEvent
from chuangwen.open311 import views
from chuangwen.open311.models import Open311Key
from chuangwen.open311.services import open311_key_create, open311_key_revoke
from chuangwen.testing.cases import MAOJIAN, ZHANGWAN, at
from chuangwen.testing.cases import close_case as close

from .schema import (
    DISCOVERY,
    REQUEST,
    REQUEST_CREATED,
    SERVICE,
    SERVICE_DEFINITION,
    TOKEN,
    UPDATE,
    check,
    check_error,
    check_list,
    read,
)

pytestmark = pytest.mark.django_db

BASE = "/open311/v2"
FORMATS = ["json", "xml"]
REPORTER = {"first_name": "小花", "last_name": "李", "phone": "13812345678"}


def get(client, path, fmt, **params):
    return client.get(f"{BASE}/{path}.{fmt}", params)


def citizen_case(where=MAOJIAN, category="B0102", **kwargs):
    kwargs.setdefault("description", "井盖缺失,联系电话 13912345678")
    return cases.case_report(
        category=category,
        lat=where[0],
        lng=where[1],
        actor=None,
        channel=Channel.PORTAL,
        reporter_name="王大明",
        reporter_phone="13700001111",
        **kwargs,
    ).case


# -- discovery and services ----------------------------------------------------------------
@pytest.mark.parametrize("fmt", FORMATS)
def test_discovery_names_the_endpoint_and_its_formats(client, catalogue, fmt):
    response = get(client, "discovery", fmt)
    assert response.status_code == 200
    data = read(response, root="discovery")
    check(data, DISCOVERY, xml=fmt == "xml")
    (endpoint,) = data["endpoints"]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"] == "http://testserver/open311/v2"
    assert endpoint["type"] == "production"
    assert endpoint["formats"] == ["text/xml", "application/json"]
    assert data["contact"].startswith("市创文办")
    assert "市创文办" in data["key_service"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_services_are_the_active_subcategories(client, catalogue, manhole_fields, fmt):
    Category.objects.filter(code="W0101").update(is_active=False)
    response = get(client, "services", fmt)
    assert response.status_code == 200
    services = read(response, root="services")
    check_list(services, SERVICE, xml=fmt == "xml")
    by_code = {s["service_code"]: s for s in services}
    assert list(by_code) == ["B0102", "E0102", "E0502"]
    manhole = by_code["B0102"]
    assert manhole["service_name"] == "污水井盖"
    assert manhole["group"] == "公用设施"
    assert manhole["type"] == "realtime"
    assert manhole["metadata"] in (True, "true")
    assert by_code["E0102"]["metadata"] in (False, "false")
    assert "井盖破损" in manhole["keywords"].split(",")
    assert "井盖缺失、移位" in manhole["description"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_service_definition_maps_the_extra_fields(client, manhole_fields, fmt):
    response = get(client, "services/B0102", fmt)
    assert response.status_code == 200
    definition = read(response, root="service_definition")
    check(definition, SERVICE_DEFINITION, xml=fmt == "xml")
    assert definition["service_code"] == "B0102"
    attributes = {a["code"]: a for a in definition["attributes"]}
    # Shown in their order: explicit orders and list positions.
    assert list(attributes) == ["cover", "hazards", "depth", "seen_at", "details", "landmark"]
    assert {code: a["datatype"] for code, a in attributes.items()} == {
        "cover": "singlevaluelist",
        "hazards": "multivaluelist",
        "depth": "number",
        "seen_at": "datetime",
        "details": "text",
        "landmark": "string",
    }
    assert attributes["cover"]["required"] in (True, "true")
    assert attributes["depth"]["required"] in (False, "false")
    assert attributes["cover"]["values"] == [
        {"key": "rain", "name": "雨水井"},
        {"key": "sewage", "name": "污水井"},
    ]
    assert attributes["hazards"]["values"][0] == {"key": "学校", "name": "学校"}
    assert attributes["depth"]["datatype_description"] == "单位:米"
    assert attributes["cover"]["description"] == "井盖类型"
    assert str(attributes["cover"]["order"]) == "1"


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_service_without_extra_fields_has_no_attributes(client, catalogue, fmt):
    response = get(client, "services/E0102", fmt)
    assert read(response, root="service_definition") == {
        "service_code": "E0102",
        "attributes": [],
    }


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("code", ["X9999", "B01"])
def test_unknown_service_definition_is_404(client, catalogue, fmt, code):
    check_error(get(client, f"services/{code}", fmt), 404, fmt, says=code)


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_malformed_definition_is_the_citys_error_not_the_clients(client, catalogue, fmt):
    Category.objects.filter(code="E0102").update(
        extra_fields=[{"code": "kind", "label": "种类", "type": "choice"}]
    )
    check_error(get(client, "services/E0102", fmt), 500, fmt, says="第 1 项")


# -- POST requests ---------------------------------------------------------------------------
@pytest.mark.parametrize("fmt", FORMATS)
def test_a_report_becomes_a_case_on_the_keys_channel(submit, app_key, manhole_fields, fmt):
    response = submit(
        fmt,
        **REPORTER,
        **{
            "attribute[cover]": "sewage",
            "attribute[hazards][]": ["学校", "主干道"],
            "attribute[depth]": "1.5",
            "attribute[seen_at]": "2026-11-25T08:30:00Z",
            "email": "lixh@example.cn",
            "device_id": "phone-7",
            "account_id": "u-42",
            "address_string": "人民北路 12 号",
        },
    )
    assert response.status_code == 200, response.content.decode()
    (created,) = read(response, root="service_requests")
    check(created, REQUEST_CREATED, xml=fmt == "xml")
    case = Case.objects.get(code=created["service_request_id"])
    assert created["token"] == case.public_token
    assert created["account_id"] == "u-42"
    assert "处置时限 2 紧急工时" in created["service_notice"]
    assert case.channel == Channel.OPEN311
    assert case.source == f"open311:{app_key.key.pk}"
    assert case.status == Status.REPORTED
    assert case.category.code == "B0102"
    assert case.address == "人民北路 12 号"
    assert (case.reporter_id, case.reporter_name, case.reporter_phone) == (
        None,
        "李小花",
        "13812345678",
    )
    assert case.client_hash
    assert case.extra == {
        "cover": "sewage",
        "hazards": ["学校", "主干道"],
        "depth": 1.5,
        "seen_at": "2026-11-25T16:30:00+08:00",
        "_open311": {"email": "lixh@example.cn", "device_id": "phone-7", "account_id": "u-42"},
    }
    assert Open311Key.objects.get(pk=app_key.key.pk).last_used_at is not None
    assert AuditEvent.objects.filter(action="open311.request_submit", object_id=str(case.pk))


def test_a_hotline_key_reports_on_the_hotline_channel(submit, client, city, catalogue):
    _, raw = open311_key_create(
        name="12345 平台", unit_id=city.units["city"].pk, channel=Channel.HOTLINE, actor=None
    )
    response = submit(
        api_key=raw, service_code="e0102", description="", phone="+86 (139) 1234-5678"
    )
    assert response.status_code == 200, response.content.decode()
    case = Case.objects.get()
    assert case.channel == Channel.HOTLINE
    # No description given: the case names its category.
    assert case.description == "暴露垃圾"
    assert case.reporter_phone == "1391234-5678"
    assert case.extra == {}


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(
    ("api_key", "says"),
    [(None, "缺少 api_key"), ("", "缺少 api_key"), ("o311_guessed", "api_key 无效")],
)
def test_posting_without_a_valid_key_is_403(submit, catalogue, fmt, api_key, says):
    check_error(submit(fmt, api_key=api_key), 403, fmt, says=says)
    assert not Case.objects.exists()


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_revoked_key_is_403(submit, app_key, fmt):
    open311_key_revoke(key_id=app_key.key.pk, actor=None)
    check_error(submit(fmt), 403, fmt, says="已停用")
    assert not Case.objects.exists()


BAD_REPORTS = [
    ({"service_code": None}, "缺少 service_code"),
    ({"service_code": "X0101"}, "未知的服务代码 service_code:X0101"),
    ({"service_code": "B01"}, "未知的服务代码 service_code:B01"),
    ({"lat": None, "long": None}, "缺少位置"),
    ({"lat": None, "long": None, "address_string": "人民北路 12 号"}, "仅有地址无法派遣"),
    ({"lat": None, "long": None, "address_id": "A-1"}, "仅有地址无法派遣"),
    ({"long": None}, "lat 和 long 须同时提供"),
    ({"lat": "北纬 32 度"}, "坐标格式不正确"),
    ({"lat": 30.0, "long": 114.3}, "不在本市范围内"),
    ({"attribute[cover]": None}, "缺少必填的附加字段 attribute[cover]"),
    ({"attribute[cover]": "gold"}, "不在选项中,可选:rain、sewage"),
    ({"attribute[cover]": ["rain", "sewage"]}, "只能填写一个值"),
    ({"attribute[hazards][]": ["学校", "河边"]}, "“河边”不在选项中"),
    ({"attribute[depth]": "很深"}, "attribute[depth](井深)须为数字"),
    ({"attribute[seen_at]": "昨天"}, "attribute[seen_at] 不是有效的 W3C 日期时间"),
    ({"attribute[colour]": "red"}, "没有附加字段“colour”"),
    ({"attribute[landmark]": "超" * 201}, "不能超过 200 个字"),
    ({"email": "not-an-address"}, "email 格式不正确"),
    ({"media_url": "ftp://example.cn/a.jpg"}, "media_url 须是以 http://"),
    ({"description": "长" * 2001}, "问题描述不能超过 2000 个字"),
    ({"phone": "call me"}, "上报人电话只能包含数字"),
]


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(("fields", "says"), BAD_REPORTS)
def test_bad_reports_are_400_and_create_nothing(submit, manhole_fields, fmt, fields, says):
    fields = {"attribute[cover]": "rain", **fields}
    check_error(submit(fmt, **fields), 400, fmt, says=says)
    assert not Case.objects.exists()


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_key_over_its_hourly_limit_is_told_when_to_come_back(submit, settings, app_key, fmt):
    settings.OPEN311_POSTS_PER_KEY_HOUR = 2
    with clock.at(at(2026, 11, 25, 9, 0)):
        assert submit(fmt).status_code == 200
    with clock.at(at(2026, 11, 25, 9, 30)):
        assert submit(fmt).status_code == 200
        response = submit(fmt)
    check_error(response, 429, fmt, says="请于 10:00:00 后再提交")
    assert response["Retry-After"] == "1801"
    assert Case.objects.count() == 2
    # An hour after the first report, one more fits.
    with clock.at(at(2026, 11, 25, 10, 0, 1)):
        assert submit(fmt).status_code == 200


@pytest.mark.parametrize("fmt", FORMATS)
def test_jurisdiction_id_must_be_this_citys(client, submit, settings, catalogue, fmt):
    ours = settings.OPEN311_JURISDICTION
    assert get(client, "services", fmt, jurisdiction_id=ours).status_code == 200
    assert submit(fmt, jurisdiction_id=ours.upper()).status_code == 200
    for path in ("services", "services/B0102", "requests", "discovery"):
        check_error(
            get(client, path, fmt, jurisdiction_id="wuhan.gov.cn"), 404, fmt, says="wuhan.gov.cn"
        )
    check_error(submit(fmt, jurisdiction_id="wuhan.gov.cn"), 404, fmt, says=ours)
    assert Case.objects.count() == 1


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(
    ("method", "path"),
    [("post", "services"), ("put", "requests"), ("delete", "requests"), ("post", "discovery")],
)
def test_other_methods_are_405(client, catalogue, fmt, method, path):
    response = getattr(client, method)(f"{BASE}/{path}.{fmt}")
    check_error(response, 405, fmt, says=method.upper())
    assert "GET" in response["Allow"]


def test_unknown_formats_do_not_exist(client, catalogue):
    assert client.get(f"{BASE}/services.html").status_code == 404


# -- GET requests ----------------------------------------------------------------------------
@pytest.mark.parametrize("fmt", FORMATS)
def test_requests_show_progress_without_personal_data(client, people, submit, fmt):
    with clock.at(at(2026, 11, 24, 9, 0)):
        closed = close(citizen_case(), people)
    with clock.at(at(2026, 11, 25, 9, 0)):
        created = submit("json", **REPORTER, email="lixh@example.cn")
        waiting = Case.objects.get(code=created.json()[0]["service_request_id"])
        response = get(client, "requests", fmt)
    assert response.status_code == 200
    body = response.content.decode()
    for secret in ("王大明", "13700001111", "李小花", "13812345678", "lixh@example.cn"):
        assert secret not in body
    for token in (closed.public_token, waiting.public_token):
        assert token not in body
    rows = read(response, root="service_requests")
    check_list(rows, REQUEST, xml=fmt == "xml")
    assert [r["service_request_id"] for r in rows] == [waiting.code, closed.code]
    new, done = rows
    assert new["status"] == "open"
    assert new["status_notes"] == "问题已上报"
    assert new["agency_responsible"] is None
    assert new["expected_datetime"] is None
    assert new["requested_datetime"] == "2026-11-25T09:00:00+08:00"
    assert new["address"] == "茅箭区武当路街道武当1社区"
    assert done["status"] == "closed"
    assert done["status_notes"] == "现场核查通过,已结案"
    assert done["agency_responsible"] == "市水务集团"
    assert done["description"] == "井盖缺失,联系电话 [电话]"
    assert done["expected_datetime"] == "2026-11-24T11:00:00+08:00"
    assert done["updated_datetime"] == "2026-11-24T09:00:00+08:00"
    assert done["service_code"] == "B0102"
    assert done["service_name"] == "污水井盖"
    # About 100 m: the street, not the doorway.
    assert float(done["lat"]) == round(MAOJIAN[0], 3)
    assert float(done["long"]) == round(MAOJIAN[1], 3)
    assert done["media_url"] is None
    assert "处置时限 2 紧急工时" in done["service_notice"]


def test_status_notes_follow_the_public_timeline(client, people):
    """Every kind of ending, a merged report included, says what its timeline says last."""
    operator = people["operator"]
    original = citizen_case()
    duplicate = citizen_case(description="又看到这个井盖没了")
    cases.case_merge(case_id=duplicate.pk, into_id=original.pk, actor=operator)
    cases.case_accept(case_id=original.pk, actor=operator)
    cases.case_dispatch(case_id=original.pk, actor=operator, unit_id=original.suggested_unit_id)
    rejected = citizen_case(where=ZHANGWAN, category="E0102")
    cases.case_reject(case_id=rejected.pk, actor=operator, note="重复举报")
    closed = close(citizen_case(description="井盖破损"), people)
    rows = {r["service_request_id"]: r for r in get(client, "requests", "json").json()}
    # A rejected report is never published.
    assert len(rows) == 3 and rejected.code not in rows
    for case in Case.objects.exclude(pk=rejected.pk):
        assert rows[case.code]["status_notes"] == public_timeline(case=case)[-1]["text"]
    assert rows[duplicate.code]["status"] == "closed"
    assert rows[duplicate.code]["status_notes"].startswith("已派遣至责任单位")
    assert rows[duplicate.code]["agency_responsible"] == "市水务集团"
    assert rows[original.code]["status"] == "open"
    assert rows[closed.code]["status"] == "closed"


@pytest.mark.parametrize("fmt", FORMATS)
def test_requests_filters(client, people, fmt):
    with clock.at(at(2026, 6, 1, 9, 0)):
        old = citizen_case()
    with clock.at(at(2026, 11, 20, 9, 0)):
        manhole = close(citizen_case(), people)
    with clock.at(at(2026, 11, 21, 9, 0)):
        garbage = citizen_case(category="E0102")
    with clock.at(at(2026, 11, 22, 9, 0)):
        stall = citizen_case(category="E0502")

    def codes(**params):
        with clock.at(at(2026, 11, 25, 9, 0)):
            response = get(client, "requests", fmt, **params)
        assert response.status_code == 200, response.content.decode()
        rows = read(response, root="service_requests")
        check_list(rows, REQUEST, xml=fmt == "xml")
        return [r["service_request_id"] for r in rows]

    # The last 90 days by default, newest first.
    assert codes() == [stall.code, garbage.code, manhole.code]
    assert codes(service_code="E0102,e0502") == [stall.code, garbage.code]
    assert codes(status="closed") == [manhole.code]
    assert codes(status="open") == [stall.code, garbage.code]
    assert codes(status="open,closed") == [stall.code, garbage.code, manhole.code]
    assert codes(start_date="2026-11-21T00:00:00+08:00", end_date="2026-11-21") == [garbage.code]
    assert codes(start_date="2026-05-20T00:00:00Z", end_date="2026-06-30T00:00:00Z") == [old.code]
    assert codes(end_date="2026-06-02") == [old.code]
    assert codes(start_date="2026-11-21T01:00:00Z") == [stall.code, garbage.code]
    # Named requests override every other filter, the window too.
    named = f"{old.code.lower()},{garbage.code},NOSUCHCODE"
    assert codes(service_request_id=named, status="closed", service_code="B0102") == [
        garbage.code,
        old.code,
    ]


def test_at_most_the_limit_of_requests_newest_first(client, catalogue, monkeypatch):
    monkeypatch.setattr(views, "MAX_ROWS", 2)
    made = []
    for day in (1, 2, 3):
        with clock.at(at(2026, 11, day, 9, 0)):
            made.append(citizen_case())
    with clock.at(at(2026, 11, 25, 9, 0)):
        rows = get(client, "requests", "json").json()
    assert [r["service_request_id"] for r in rows] == [made[2].code, made[1].code]


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(
    ("params", "says"),
    [
        ({"start_date": "yesterday"}, "start_date 不是有效的 W3C 日期时间:“yesterday”"),
        ({"end_date": "2026-13-01"}, "end_date 不是有效的 W3C 日期时间"),
        ({"start_date": "2026-11-25T25:00:00+08:00"}, "start_date 不是有效的 W3C 日期时间"),
        ({"start_date": "2026-01-01", "end_date": "2026-06-01"}, "不能超过 90 天"),
        ({"start_date": "2026-11-25", "end_date": "2026-11-01"}, "start_date 不能晚于 end_date"),
        ({"end_date": "2026-06-01", "start_date": "2026-02-01T00:00:00Z"}, "不能超过 90 天"),
        ({"status": "pending"}, "status 只能是 open 或 closed"),
        ({"status": "open,done"}, "收到“done”"),
        ({"service_code": "B0102,Z0101"}, "未知的服务代码 service_code:Z0101"),
    ],
)
def test_bad_request_queries_are_400(client, catalogue, fmt, params, says):
    check_error(get(client, "requests", fmt, **params), 400, fmt, says=says)


def test_an_unencoded_plus_in_an_offset_is_read_as_one(client, catalogue):
    with clock.at(at(2026, 11, 21, 9, 0)):
        case = citizen_case()
    # "+08:00" typed into a URL arrives as " 08:00".
    response = client.get(
        f"{BASE}/requests.json?start_date=2026-11-21T08:00:00+08:00&end_date=2026-11-21T10:00:00+08:00"
    )
    assert [r["service_request_id"] for r in response.json()] == [case.code]


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("path", ["requests", "request"])
def test_one_request_by_its_id(client, people, fmt, path):
    case = close(citizen_case(), people)
    response = get(client, f"{path}/{case.code.lower()}", fmt)
    assert response.status_code == 200
    rows = read(response, root="service_requests")
    check_list(rows, REQUEST, xml=fmt == "xml")
    assert [(r["service_request_id"], r["status"]) for r in rows] == [(case.code, "closed")]
    body = response.content.decode()
    assert "王大明" not in body and "13700001111" not in body and case.public_token not in body


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_unknown_request_is_404(client, catalogue, fmt):
    check_error(get(client, "requests/261125ZZZZZ", fmt), 404, fmt, says="261125ZZZZZ")


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_token_names_its_request(client, catalogue, fmt):
    case = citizen_case()
    response = get(client, f"tokens/{case.public_token}", fmt)
    assert response.status_code == 200
    rows = read(response, root="service_requests")
    check_list(rows, TOKEN, xml=fmt == "xml")
    assert rows == [{"service_request_id": case.code, "token": case.public_token}]
    check_error(get(client, "tokens/NOSUCHTOKEN2", fmt), 404, fmt, says="NOSUCHTOKEN2")


# -- updates -------------------------------------------------------------------------------
@pytest.mark.parametrize("fmt", FORMATS)
def test_updates_list_each_public_step(client, people, fmt):
    with clock.at(at(2026, 11, 20, 9, 0)):
        earlier = citizen_case(category="E0102")
    with clock.at(at(2026, 11, 25, 9, 0)):
        case = close(citizen_case(), people)

    def updates(**params):
        with clock.at(at(2026, 11, 25, 12, 0)):
            response = get(client, "servicerequestupdates", fmt, **params)
        assert response.status_code == 200, response.content.decode()
        rows = read(response, root="service_request_updates")
        check_list(rows, UPDATE, xml=fmt == "xml")
        return rows

    rows = updates()  # the last 24 hours
    assert {r["service_request_id"] for r in rows} == {case.code}
    steps = [(r["description"], r["status"]) for r in rows]
    assert steps[0] == ("问题已上报", "open")
    assert ("已派遣至责任单位:市水务集团", "open") in steps
    assert steps[-1] == ("现场核查通过,已结案", "closed")
    assert [r["description"] for r in rows] == [t["text"] for t in public_timeline(case=case)]
    assert len({r["update_id"] for r in rows}) == len(rows)
    assert all(r["updated_datetime"] == "2026-11-25T09:00:00+08:00" for r in rows)
    week = {"start_date": "2026-11-19", "end_date": "2026-11-25T23:00:00+08:00"}
    assert {r["service_request_id"] for r in updates(**week)} == {case.code, earlier.code}
    only = updates(**week, service_request_id=earlier.code)
    assert [(r["service_request_id"], r["description"]) for r in only] == [
        (earlier.code, "问题已上报")
    ]
    body = get(client, "servicerequestupdates", fmt, **week).content.decode()
    assert "王大明" not in body and "13700001111" not in body


@pytest.mark.parametrize("fmt", FORMATS)
def test_updates_refuse_more_than_90_days(client, catalogue, fmt):
    params = {"start_date": "2026-01-01", "end_date": "2026-11-01"}
    check_error(get(client, "servicerequestupdates", fmt, **params), 400, fmt, says="90 天")


def test_updates_after_a_day_of_silence_are_empty(client, people):
    with clock.at(at(2026, 11, 20, 9, 0)):
        citizen_case()
    with clock.at(at(2026, 11, 25, 9, 0)):
        assert get(client, "servicerequestupdates", "json").json() == []
        assert (
            len(get(client, "servicerequestupdates", "json", start_date="2026-11-20").json()) == 1
        )


def test_the_request_list_costs_the_same_few_queries_for_any_length(
    client, people, django_assert_num_queries
):
    def listing_queries() -> int:
        with clock.at(at(2026, 11, 25, 9, 0)):
            response = client.get(f"{BASE}/requests.json")
        assert response.status_code == 200
        return len(response.json())

    with clock.at(at(2026, 11, 24, 9, 0)):
        citizen_case()
    with django_assert_num_queries(2):
        assert listing_queries() == 1
    with clock.at(at(2026, 11, 24, 10, 0)):
        original = citizen_case()
        for _ in range(3):
            duplicate = citizen_case(description="同一个井盖")
            cases.case_merge(case_id=duplicate.pk, into_id=original.pk, actor=people["operator"])
        close(original, people)
        citizen_case(where=ZHANGWAN, category="E0102")
    with django_assert_num_queries(2):
        assert listing_queries() == 6
