"""A user of one street (or district) cannot read, list or export another's objects:
every such object answers 404, in the UI and the API alike."""

import pytest

from chuangwen.org.choices import Role
from chuangwen.org.models import Unit

pytestmark = pytest.mark.django_db

# (role, home unit key, a foreign street or district the user must not see)
CASES = [
    (Role.STREET_OPERATOR, "420302001", "420302002"),
    (Role.COMMUNITY_OPERATOR, "420302001001", "420302002"),
    (Role.UNIT_HANDLER, "420302001", "420302002"),
    (Role.INSPECTOR, "420302001", "420302002"),
    (Role.OBSERVER, "420302001", "420302002"),
    (Role.COLLECTOR, "420302001", "420302002"),
    (Role.PERSUADER, "420302001001", "420302002"),
    (Role.VOLUNTEER, "volunteers", "420302002"),
    (Role.DISTRICT_OPERATOR, "420302", "420303001"),
]


@pytest.fixture(params=CASES, ids=[c[0] for c in CASES])
def outsider(request, city, token_for):
    role, home, foreign = request.param
    user = city.user(role, home)
    return {"user": user, "auth": token_for(user), "foreign": foreign, "city": city}


def foreign_objects(outsider):
    code = outsider["foreign"]
    city = outsider["city"]
    community = code + "001" if len(code) == 9 else code + "001001"
    return code, community, community + "001", city.units[code], city.units[community]


def test_api_detail_is_404(client, outsider):
    street, community, grid, unit, committee = foreign_objects(outsider)
    auth = outsider["auth"]
    for url in (
        f"/api/v1/territory/nodes/{street}",
        f"/api/v1/territory/nodes/{community}",
        f"/api/v1/territory/nodes/{grid}",
        f"/api/v1/territory/nodes/{street}/geojson",
        f"/api/v1/org/units/{unit.pk}",
        f"/api/v1/org/units/{committee.pk}",
    ):
        response = client.get(url, **auth)
        assert response.status_code == 404, url


def test_api_lists_leave_them_out(client, outsider):
    street, community, grid, unit, committee = foreign_objects(outsider)
    auth = outsider["auth"]
    nodes = client.get("/api/v1/territory/nodes", {"limit": 1000}, **auth).json()["items"]
    codes = {n["code"] for n in nodes}
    assert codes, "the user sees their own territory"
    assert not {street, community, grid} & codes
    assert not any(c.startswith(street) for c in codes)
    units = client.get("/api/v1/org/units", {"limit": 1000}, **auth).json()["items"]
    ids = {u["id"] for u in units}
    assert unit.pk not in ids and committee.pk not in ids
    # City-wide departments stay in everyone's directory.
    assert outsider["city"].units["dept"].pk in ids


def test_ui_pages_and_exports_are_404(client, outsider):
    street, _community, grid, unit, committee = foreign_objects(outsider)
    client.force_login(outsider["user"])
    for url in (
        f"/territory/{street}/",
        f"/territory/{grid}/",
        f"/territory/{street}/children.geojson",
        f"/territory/{street}/export.geojson",
        "/territory/420300/export.geojson",
        f"/org/units/{unit.pk}/",
        f"/org/units/{committee.pk}/",
    ):
        assert client.get(url).status_code == 404, url


def test_ui_directory_leaves_them_out(client, outsider):
    _, _, _, unit, committee = foreign_objects(outsider)
    client.force_login(outsider["user"])
    for foreign in (unit, committee):
        page = client.get("/org/units/", {"q": foreign.name}).content.decode()
        assert f'href="/org/units/{foreign.pk}/"' not in page
        assert "没有符合条件的单位" in page


def test_own_territory_is_visible(client, outsider):
    home = outsider["user"].memberships.get().unit.territory.code
    client.force_login(outsider["user"])
    assert client.get(f"/territory/{home}/").status_code == 200
    assert client.get(f"/api/v1/territory/nodes/{home}", **outsider["auth"]).status_code == 200


def test_scope_ignores_units_of_other_kinds_in_the_street(city, client, token_for):
    user = city.user(Role.STREET_OPERATOR, "420302001")
    visible = set(Unit.objects.scoped_for(user).values_list("pk", flat=True))
    assert city.units["volunteers"].pk in visible  # a unit attached to the user's street
    assert city.units["420302002"].pk not in visible
