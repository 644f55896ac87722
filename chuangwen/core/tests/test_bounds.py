"""Numbers in URLs, query strings and forms of the staff pages and the portal are bounded:
past 64 bits (or in other scripts' digits) they answer 4xx or are treated as not given,
never 500."""

from datetime import date

import pytest
from django.urls import resolve
from django.urls.exceptions import Resolver404

from chuangwen.core import clock
from chuangwen.core.bounds import MAX_ID, IdConverter, parse_id, parse_int
from chuangwen.core.errors import describe_invalid
from chuangwen.org.choices import Role
from chuangwen.testing.cases import MAOJIAN, at

BIG = 2**64


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("1", 1),
        (" 42 ", 42),
        (str(MAX_ID), MAX_ID),
        (str(MAX_ID + 1), None),
        ("0", None),
        ("-3", None),
        ("²", None),
        ("١٢", None),
        ("1e3", None),
        ("", None),
        (None, None),
    ],
)
def test_parse_id_takes_positive_64_bit_ascii_numbers_only(text, number):
    assert parse_id(text) == number


@pytest.mark.parametrize(
    ("text", "number"),
    [("-5", -5), ("+7", 7), (str(BIG), None), ("²", None), ("3.0", None), ("x", None)],
)
def test_parse_int_is_bounded(text, number):
    assert parse_int(text) == number
    assert parse_int("0", low=1) is None


def test_the_id_converter_refuses_numbers_past_64_bits():
    converter = IdConverter()
    assert converter.to_python(str(MAX_ID)) == MAX_ID
    with pytest.raises(ValueError):
        converter.to_python(str(MAX_ID + 1))
    assert resolve(f"/cases/{MAX_ID}/").kwargs == {"pk": MAX_ID}
    with pytest.raises(Resolver404):
        resolve(f"/cases/{BIG}/")


def test_validation_errors_name_the_field_as_the_client_wrote_it():
    detail, field = describe_invalid(
        [{"type": "less_than_equal", "loc": ("body", "payload", "photo_ids", 0), "ctx": {"le": 9}}]
    )
    assert field == "photo_ids" and detail == "请求参数有误:photo_ids 不能大于 9。"
    assert describe_invalid([{"type": "missing", "loc": ("query", "lat")}])[1] == "lat"


@pytest.fixture
def operator(client, city, catalogue):
    user = city.user(Role.CITY_OPERATOR, "city")
    client.force_login(user)
    return user


@pytest.mark.django_db
@pytest.mark.parametrize("unit", [str(BIG), "²"])
def test_a_unit_filter_that_is_no_id_is_named_on_the_case_list(client, operator, unit):
    response = client.get("/cases/", {"unit": unit})
    assert response.status_code == 400
    assert "筛选条件有误" in response.content.decode()


@pytest.mark.django_db
def test_an_impossible_date_is_named_on_the_case_list_and_the_map(client, operator):
    response = client.get("/cases/", {"date_from": "2026-02-30"})
    assert response.status_code == 400
    assert "上报日期从" in response.content.decode()
    assert client.get("/cases/map/", {"date_to": "2026-02-30"}).status_code == 400
    points = client.get("/cases/map.json", {"unit": str(BIG)})
    assert points.status_code == 400 and points.json()["field"] == "unit"
    assert client.get("/cases/", {"date_to": "9999-12-31"}).status_code == 200


@pytest.mark.django_db
def test_photo_ids_past_64_bits_in_the_field_report_are_dropped(client, operator):
    response = client.post(
        "/cases/report/",
        {
            "category": "B0102",
            "description": "井盖缺失",
            "lat": MAOJIAN[0],
            "lng": MAOJIAN[1],
            "idempotency_key": "k-1",
            "photo_ids": f"{BIG},{MAX_ID + 1}",
        },
    )
    assert response.status_code == 302


@pytest.mark.django_db
def test_following_a_case_past_64_bits_is_refused_on_the_portal(client, city, catalogue):
    response = client.post(
        "/public/report/",
        {
            "category": "B0102",
            "description": "井盖缺失",
            "lat": MAOJIAN[0],
            "lng": MAOJIAN[1],
            "follow_case_id": str(BIG),
        },
    )
    assert response.status_code == 400
    assert "要跟进的案件编号不正确" in response.content.decode()


@pytest.mark.django_db
def test_the_public_list_treats_other_digits_as_the_first_page(client, city):
    assert client.get("/public/cases/", {"page": "²"}).status_code == 200


@pytest.mark.django_db
def test_evaluation_filters_past_64_bits_filter_nothing(client, city, catalogue, registry):
    from chuangwen.evaluation import services

    admin = city.user(Role.CITY_ADMIN, "city")
    with clock.at(at(2026, 10, 30, 9, 0)):
        round_ = services.round_create(
            name="2026年第6期双月测评",
            kind="bimonthly",
            starts_on=date(2026, 11, 2),
            due_on=date(2026, 11, 13),
            inspector_ids=[u.pk for u in registry.inspectors],
            point_ids=[p.pk for p in registry.points.values()],
            seed=7,
            actor=admin,
        )
    client.force_login(admin)
    board = client.get(f"/evaluation/rounds/{round_.pk}/", {"inspector": BIG, "district": BIG})
    assert board.status_code == 200
    problems = client.get(f"/evaluation/rounds/{round_.pk}/problems/", {"district": BIG})
    assert problems.status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("month", ["9999-12", "0001-01"])
def test_a_month_at_the_ends_of_the_calendar_is_named_on_the_satisfaction_page(
    client, operator, month
):
    response = client.get("/cases/satisfaction/", {"month": month})
    assert response.status_code == 200
    assert response.context["month_error"] is True


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [
        {"start_date": "0001-01-01"},
        {"end_date": "9999-12-31"},
        {"start_date": "0001-01-01T00:00:00+14:00"},
    ],
)
def test_open311_dates_at_the_ends_of_the_calendar_answer_400(client, city, query):
    response = client.get("/open311/v2/requests.json", query)
    assert response.status_code == 400
    assert response.json()[0]["code"] == 400


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["inf", "-inf", "1e999", "nan"])
def test_no_place_on_earth_has_nothing_nearby(client, operator, value):
    staff = client.get("/cases/report/nearby/", {"category": "B0102", "lat": value, "lng": value})
    assert staff.status_code == 200
    portal = client.get(
        "/public/report/nearby", {"category": "B0102", "lat": value, "lng": "110.02"}
    )
    assert portal.status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url", ["/api/v1/cases?q=%00", "/api/v1/territory/nodes/%00", "/api/v1/categories?q=a%00"]
)
def test_a_nul_character_in_an_api_request_answers_400(client, city, token_for, url):
    auth = token_for(city.user(Role.CITY_OPERATOR, "city"))
    response = client.get(url, **auth)
    assert response.status_code == 400
    assert response.json() == {"detail": "请求中含有不允许的空字符(NUL)。"}


@pytest.mark.django_db
def test_a_nul_character_in_a_json_body_answers_400(client, city, catalogue, token_for):
    auth = token_for(city.user(Role.CITY_OPERATOR, "city"))
    body = '{"category": "B0102", "description": "x\\u0000", "lat": 32.02, "lng": 110.02}'
    response = client.post("/api/v1/cases", data=body, content_type="application/json", **auth)
    assert response.status_code == 400


@pytest.mark.django_db
def test_a_nul_character_in_a_page_request_answers_400(client, operator):
    assert client.get("/cases/", {"q": "井盖\x00"}).status_code == 400
    assert client.post("/cases/report/", {"description": "x\x00"}).status_code == 400
    assert client.get("/cases/", {"q": "井盖"}).status_code == 200
