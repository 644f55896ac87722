"""Numbers past 64 bits, page sizes past the maximum and impossible dates answer 4xx in the
API's one error shape, never 500 (the databases keep ids in signed 64-bit integers)."""

import json

import pytest

from chuangwen.org.choices import Role
from chuangwen.testing.cases import MAOJIAN

pytestmark = pytest.mark.django_db

BIG = 2**64
LARGEST = 2**63 - 1


@pytest.fixture
def operator(city, catalogue, token_for):
    return token_for(city.user(Role.CITY_OPERATOR, "city"))


def post(client, url, body, auth):
    return client.post(url, data=json.dumps(body), content_type="application/json", **auth)


def refused(response, field, status=422):
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"detail", "field"}
    assert body["field"] == field
    assert body["detail"].startswith("请求参数有误")
    return body


@pytest.mark.parametrize(
    ("url", "field"),
    [
        (f"/api/v1/cases?limit={BIG}", "limit"),
        (f"/api/v1/cases?offset={BIG}", "offset"),
        (f"/api/v1/cases?unit={BIG}", "unit"),
        (f"/api/v1/cases/supervisions?offset={BIG}", "offset"),
        (f"/api/v1/cases/accountability?limit={BIG}", "limit"),
        (f"/api/v1/evaluation/rounds?offset={BIG}", "offset"),
        (f"/api/v1/org/units?offset={BIG}", "offset"),
        (f"/api/v1/territory/nodes?offset={BIG}", "offset"),
        (f"/api/v1/cases/{BIG}", "case_id"),
        (f"/api/v1/org/units/{BIG}", "unit_id"),
        (f"/api/v1/evaluation/rounds/{BIG}/problems", "round_id"),
    ],
)
def test_numbers_past_64_bits_answer_422_naming_the_field(client, operator, url, field):
    refused(client.get(url, **operator), field)


def test_the_largest_id_is_simply_not_found(client, operator):
    assert client.get(f"/api/v1/cases/{LARGEST}", **operator).status_code == 404
    assert client.get(f"/api/v1/cases?unit={LARGEST}&offset={LARGEST}", **operator).json() == {
        "items": [],
        "count": 0,
    }


def test_a_page_holds_at_most_1000_rows(client, operator):
    assert client.get("/api/v1/cases?limit=1000", **operator).status_code == 200
    body = refused(client.get("/api/v1/cases?limit=1001", **operator), "limit")
    assert "1000" in body["detail"]
    refused(client.get("/api/v1/org/units?limit=100000", **operator), "limit")


def test_the_openapi_document_declares_the_bounds(client, city):
    from chuangwen.api import api

    document = api.get_openapi_schema()
    params = {
        p["name"]: p["schema"] for p in document["paths"]["/api/v1/cases"]["get"]["parameters"]
    }
    assert params["limit"]["maximum"] == 1000
    assert params["offset"]["maximum"] == LARGEST
    assert params["unit"]["anyOf"][0]["maximum"] == LARGEST


@pytest.mark.parametrize(
    ("query", "field"),
    [("date_from=2026-02-30", "date_from"), ("date_to=2026-13-01", "date_to")],
)
def test_an_impossible_date_filter_answers_422(client, operator, query, field):
    refused(client.get(f"/api/v1/cases?{query}", **operator), field)


@pytest.mark.parametrize("query", ["date_from=0001-01-01", "date_to=9999-12-31"])
def test_the_first_and_last_days_filter_nothing_out(client, operator, query):
    response = client.get(f"/api/v1/cases?{query}", **operator)
    assert response.status_code == 200, response.content


def test_photo_ids_past_64_bits_answer_422(client, operator):
    body = {"category": "B0102", "description": "井盖缺失", "lat": MAOJIAN[0], "lng": MAOJIAN[1]}
    refused(post(client, "/api/v1/cases", {**body, "photo_ids": [BIG]}, operator), "photo_ids")
    refused(
        post(client, "/api/v1/cases", {**body, "follow_case_id": BIG}, operator), "follow_case_id"
    )


def test_a_transition_with_photo_ids_past_64_bits_answers_422(client, operator, catalogue):
    body = {"category": "B0102", "description": "井盖缺失", "lat": MAOJIAN[0], "lng": MAOJIAN[1]}
    case = post(client, "/api/v1/cases", body, operator).json()
    response = post(
        client,
        f"/api/v1/cases/{case['id']}/transitions",
        {"action": "finish", "photo_ids": [BIG]},
        operator,
    )
    refused(response, "photo_ids")


def test_a_body_that_is_no_json_answers_400_in_the_same_shape(client, operator):
    response = client.post(
        "/api/v1/cases", data="{not json", content_type="application/json", **operator
    )
    assert response.status_code == 400
    assert set(response.json()) == {"detail"}


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("since=0001-01-01T00:00:00%2B14:00", "since"),
        ("since=0001-01-01", "since"),
        ("until=9999-12-31T23:59:59-12:00", "until"),
    ],
)
def test_moments_at_the_ends_of_the_calendar_answer_422(client, operator, query, field):
    body = refused(client.get(f"/api/v1/cases/satisfaction?{query}", **operator), field)
    assert "1900" in body["detail"]
