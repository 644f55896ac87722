import json
from pathlib import Path

import pytest

from chuangwen.org.choices import Role
from chuangwen.territory.choices import Level
from chuangwen.territory.services import territory_import_features, territory_node_create
from chuangwen.testing.factories import UserFactory

pytestmark = pytest.mark.django_db
SHIYAN = Path(__file__).resolve().parents[1] / "data" / "shiyan_districts.geojson"


@pytest.fixture
def shiyan(db):
    """The real district boundaries only (no generated streets)."""
    root = territory_node_create(
        code="420300", name="十堰市", level=Level.CITY, parent=None, actor=None
    )
    territory_import_features(
        features=json.loads(SHIYAN.read_text(encoding="utf-8"))["features"],
        level=Level.DISTRICT,
        code_field="adcode",
        name_field="name",
        parent_code=root.code,
        actor=None,
    )
    return root


@pytest.mark.parametrize(
    ("lat", "lng", "district"),
    [(32.629, 110.798, "茅箭区"), (32.400, 111.004, "丹江口市"), (32.05, 110.73, "房县")],
)
def test_locate_names_the_real_district(client, shiyan, token_for, lat, lng, district):
    response = client.get(
        "/api/v1/territory/locate", {"lat": lat, "lng": lng}, **token_for(UserFactory())
    )
    assert response.status_code == 200
    assert response.json()["district"]["name"] == district
    assert response.json()["grid"] is None


def test_locate_outside_the_city_is_422_in_chinese(client, shiyan, token_for):
    response = client.get(
        "/api/v1/territory/locate", {"lat": 39.9, "lng": 116.4}, **token_for(UserFactory())
    )
    assert response.status_code == 422
    assert response.json()["detail"] == "该位置(39.9, 116.4)不在十堰市辖区内。"


def test_locate_returns_the_full_chain(client, city, token_for):
    response = client.get(
        "/api/v1/territory/locate", {"lat": 32.05, "lng": 110.08}, **token_for(UserFactory())
    )
    assert response.json() == {
        "lng": 110.08,
        "lat": 32.05,
        "grid": {"code": "420302001001002", "name": "武当1社区第2网格"},
        "community": {"code": "420302001001", "name": "武当1社区"},
        "street": {"code": "420302001", "name": "武当路街道"},
        "district": {"code": "420302", "name": "茅箭区"},
    }


@pytest.mark.parametrize(
    "params",
    [
        {"lat": "abc", "lng": "110"},
        {"lat": "91", "lng": "110"},
        {"lat": "32", "lng": "-181"},
        {"lat": "32"},
    ],
)
def test_locate_rejects_bad_coordinates(client, city, token_for, params):
    response = client.get("/api/v1/territory/locate", params, **token_for(UserFactory()))
    assert response.status_code == 422
    body = response.json()
    assert body["detail"].startswith("请求参数有误:") and body["field"] in ("lat", "lng")


@pytest.mark.parametrize("header", [None, "Bearer nope", "Token abc", "Bearer "])
def test_locate_needs_a_valid_token(client, city, header):
    extra = {"HTTP_AUTHORIZATION": header} if header else {}
    response = client.get("/api/v1/territory/locate", {"lat": 32.05, "lng": 110.08}, **extra)
    assert response.status_code == 401
    assert "令牌" in response.json()["detail"]


def test_session_login_works_for_the_browser(client, city):
    client.force_login(UserFactory())
    assert client.get("/api/v1/territory/locate", {"lat": 32.05, "lng": 110.08}).status_code == 200


def test_node_list_is_scoped_and_paginated(client, city, token_for):
    user = city.user(Role.STREET_OPERATOR, "420302001")
    response = client.get(
        "/api/v1/territory/nodes", {"level": "grid", "limit": 3}, **token_for(user)
    )
    body = response.json()
    assert body["count"] == 4
    assert len(body["items"]) == 3
    assert all(item["code"].startswith("420302001") for item in body["items"])


def test_node_list_filters(client, city, token_for):
    admin = city.user(Role.CITY_ADMIN, "city")
    auth = token_for(admin)
    by_parent = client.get("/api/v1/territory/nodes", {"parent": "420302"}, **auth).json()
    assert [i["code"] for i in by_parent["items"]] == ["420302001", "420302002"]
    by_name = client.get("/api/v1/territory/nodes", {"q": "车城路"}, **auth).json()
    assert [i["code"] for i in by_name["items"]] == ["420303001"]
    assert client.get("/api/v1/territory/nodes", {"level": "planet"}, **auth).status_code == 422


def test_node_detail_with_geometry_and_ancestors(client, city, token_for):
    auth = token_for(city.user(Role.CITY_OPERATOR, "city"))
    body = client.get("/api/v1/territory/nodes/420302001001", {"geometry": "true"}, **auth).json()
    assert body["ancestors"] == [
        {"code": "420300", "name": "十堰市"},
        {"code": "420302", "name": "茅箭区"},
        {"code": "420302001", "name": "武当路街道"},
    ]
    assert body["child_count"] == 2
    assert body["geometry"]["type"] == "Polygon"
    assert client.get("/api/v1/territory/nodes/420302001001", **auth).json()["geometry"] is None


def test_ancestors_outside_scope_are_not_listed(client, city, token_for):
    auth = token_for(city.user(Role.STREET_OPERATOR, "420302001"))
    body = client.get("/api/v1/territory/nodes/420302001001", **auth).json()
    assert body["ancestors"] == [{"code": "420302001", "name": "武当路街道"}]


def test_geojson_export_of_a_subtree(client, city, token_for):
    auth = token_for(city.user(Role.CITY_OPERATOR, "city"))
    body = client.get("/api/v1/territory/nodes/420302/geojson", {"level": "grid"}, **auth).json()
    assert body["type"] == "FeatureCollection"
    assert len(body["features"]) == 8
    assert body["features"][0]["properties"]["level"] == "grid"


def test_unknown_node_is_404_in_chinese(client, city, token_for):
    response = client.get(
        "/api/v1/territory/nodes/000000", **token_for(city.user(Role.CITY_ADMIN, "city"))
    )
    assert response.status_code == 404
    assert response.json() == {"detail": "未找到该对象。"}
