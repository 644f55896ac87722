import pytest

from chuangwen.org.choices import Role

pytestmark = pytest.mark.django_db


def test_pages_need_login(client, city):
    for url in ("/territory/", "/territory/420302/", "/territory/420302/children.geojson"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


def test_index_goes_straight_to_the_single_scope_root(client, city):
    client.force_login(city.user(Role.STREET_OPERATOR, "420302001"))
    response = client.get("/territory/")
    assert response.status_code == 302 and response["Location"] == "/territory/420302001/"


def test_index_lists_several_roots(client, city):
    from chuangwen.org.services import membership_grant

    user = city.user(Role.STREET_OPERATOR, "420302001")
    membership_grant(user=user, unit=city.units["420303001"], role=Role.STREET_OPERATOR, actor=None)
    client.force_login(user)
    page = client.get("/territory/").content.decode()
    assert "武当路街道" in page and "车城路街道" in page


def test_node_page_shows_children_map_and_counts(client, city):
    client.force_login(city.user(Role.CITY_OPERATOR, "city"))
    response = client.get("/territory/420302/")
    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="territory-map"' in page
    assert "下级街道/乡镇(2)" in page
    assert "/territory/420302001/" in page and "/territory/420302002/" in page


def test_grid_page_names_its_fallback_owner(client, city):
    client.force_login(city.user(Role.CITY_OPERATOR, "city"))
    page = client.get("/territory/420302001001001/").content.decode()
    assert "(属地兜底)" in page
    assert city.units["420302001001"].name in page


def test_children_geojson(client, city):
    client.force_login(city.user(Role.CITY_OPERATOR, "city"))
    data = client.get("/territory/420302001/children.geojson").json()
    assert [f["properties"]["code"] for f in data["features"]] == ["420302001001", "420302001002"]


def test_export_download(client, city):
    client.force_login(city.user(Role.CITY_OPERATOR, "city"))
    response = client.get("/territory/420302/export.geojson", {"level": "community"})
    assert response["Content-Type"].startswith("application/geo+json")
    assert 'filename="territory-420302-community.geojson"' in response["Content-Disposition"]
    import json

    assert len(json.loads(response.content)["features"]) == 4
    assert client.get("/territory/420302/export.geojson", {"level": "planet"}).status_code == 404


def test_leaf_page_draws_its_siblings_when_the_parent_is_in_scope(client, city):
    user = city.user(Role.COMMUNITY_OPERATOR, "420302001001")
    client.force_login(user)
    grid_page = client.get("/territory/420302001001001/").content.decode()
    assert 'data-context-url="/territory/420302001001/children.geojson"' in grid_page
    community_page = client.get("/territory/420302001001/").content.decode()
    assert "data-context-url" not in community_page
