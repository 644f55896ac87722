import pytest

from chuangwen.org.choices import Role, UnitKind

pytestmark = pytest.mark.django_db


def test_directory_page_filters_by_kind_and_name(client, city):
    client.force_login(city.user(Role.CITY_OPERATOR, "city"))
    page = client.get("/org/units/", {"kind": UnitKind.STREET_OFFICE}).content.decode()
    assert "共 3 个单位" in page
    page = client.get("/org/units/", {"q": "车城"}).content.decode()
    assert "车城路街道420303001" in page and "武当路街道420302001" not in page


def test_directory_answers_htmx_with_the_table_only(client, city):
    client.force_login(city.user(Role.CITY_OPERATOR, "city"))
    response = client.get("/org/units/", {"q": "城管"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "<html" not in body
    assert "市城管执法委" in body


def test_directory_ignores_bad_filters(client, city):
    client.force_login(city.user(Role.CITY_OPERATOR, "city"))
    response = client.get("/org/units/", {"kind": "ministry", "page": "x"})
    assert response.status_code == 200


def test_unit_detail_lists_members_and_pairings(client, city):
    client.force_login(city.user(Role.CITY_OPERATOR, "city"))
    handler = city.user(Role.UNIT_HANDLER, "dept", full_name="王执法")
    page = client.get(f"/org/units/{city.units['dept'].pk}/").content.decode()
    assert "王执法" in page and "责任单位处置人员" in page
    assert "车城1社区" in page  # the fixture's 包联
    assert handler.phone not in page


def test_api_unit_list_filters(client, city, token_for):
    auth = token_for(city.user(Role.CITY_OPERATOR, "city"))
    body = client.get("/api/v1/org/units", {"kind": "street_office"}, **auth).json()
    assert body["count"] == 3
    body = client.get("/api/v1/org/units", {"territory": "420303"}, **auth).json()
    assert {u["territory_code"] for u in body["items"]} <= {
        "420303",
        "420303001",
        "420303001001",
        "420303001002",
    }
    assert body["count"] == 4
    assert client.get("/api/v1/org/units", {"kind": "ministry"}, **auth).status_code == 422


def test_api_unit_detail(client, city, token_for):
    auth = token_for(city.user(Role.CITY_OPERATOR, "city"))
    body = client.get(f"/api/v1/org/units/{city.units['dept'].pk}", **auth).json()
    assert body["kind_label"] == "市直部门"
    assert body["pairings"][0]["territory_code"] == "420303001001"
    assert client.get("/api/v1/org/units/999999", **auth).status_code == 404
