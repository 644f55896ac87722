"""One routing decision for every intake path: the same ticket goes to the same unit
whether it comes from the staff app, the REST API, Open311 or an imported list."""

import pytest

from chuangwen.cases.choices import Channel
from chuangwen.cases.models import Case
from chuangwen.cases.services import BulkRow, case_report_many
from chuangwen.catalog.models import RoutingRule
from chuangwen.catalog.routing import choose_unit
from chuangwen.open311.services import open311_key_create
from chuangwen.org.choices import Role
from chuangwen.org.selectors import fallback_units, territory_default_unit
from chuangwen.org.services import unit_create
from chuangwen.territory.routing import locate
from chuangwen.territory.services import territory_assign_owner
from chuangwen.testing.cases import MAOJIAN, ZHANGWAN

pytestmark = pytest.mark.django_db

# (category, standard, place) of each ticket; the expected unit is worked out below.
TICKETS = {
    "manhole": ("B0102", "B0102-01", MAOJIAN),
    "rubbish-maojian": ("E0102", "E0102-01", MAOJIAN),
    "rubbish-zhangwan": ("E0102", "E0102-01", ZHANGWAN),
    "stall-maojian": ("E0502", "E0502-01", MAOJIAN),
    "stall-zhangwan": ("E0502", "E0502-01", ZHANGWAN),
    "litter-maojian": ("W0101", "W0101-01", MAOJIAN),
    "litter-zhangwan": ("W0101", "W0101-01", ZHANGWAN),
}


@pytest.fixture
def routed_city(city, catalogue):
    """The catalogue's rules, plus the cases where an order could decide: two city-wide
    rules for 占道经营 (the older must win), a grid with its own owner and a second
    committee for one community (the first created answers)."""
    cats = catalogue.categories
    RoutingRule.objects.create(category=cats["E0502"], unit=city.units["420303"])
    RoutingRule.objects.create(category=cats["E0502"], unit=city.units["city"])
    territory_assign_owner(
        codes=["420302001001001"],
        unit=city.units["420302001"],
        actor=city.user(Role.CITY_ADMIN, "city"),
    )
    unit_create(
        actor=None,
        name="张湾1社区第二居委会",
        kind=city.units["420303001001"].kind,
        territory=city.nodes["420303001001"],
    )
    return city


def expected(city, name):
    return {
        "manhole": city.units["water"],  # B0102 anywhere: 水务集团
        "rubbish-maojian": city.units["420302"],  # E0102 in 茅箭区
        "rubbish-zhangwan": city.units["420303001001"],  # 属地兜底: the community
        "stall-maojian": city.units["420303"],  # the older of two equal E0502 rules
        "stall-zhangwan": city.units["420303"],
        "litter-maojian": city.units["420302001"],  # the grid's own owner
        "litter-zhangwan": city.units["420303001001"],  # the first committee
    }[name]


def through_the_app(client, city, catalogue, name, category, standard, where):
    client.force_login(city.user(Role.COLLECTOR, "420302001"))
    lat, lng = where
    form = {"category": category, "description": f"现场上报 {name}", "lat": lat, "lng": lng}
    response = client.post("/cases/report/", {**form, "idempotency_key": f"app-{name}"})
    assert response.status_code == 302, response.content.decode()[:500]
    return Case.objects.get(idempotency_key=f"app-{name}")


def through_the_api(client, city, catalogue, name, category, standard, where, *, token):
    lat, lng = where
    response = client.post(
        "/api/v1/cases",
        {"category": category, "description": f"接口上报 {name}", "lat": lat, "lng": lng},
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY=f"api-{name}",
        **token,
    )
    assert response.status_code == 201, response.content
    return Case.objects.get(pk=response.json()["id"])


def through_open311(client, city, catalogue, name, category, standard, where, *, key):
    lat, lng = where
    response = client.post(
        "/open311/v2/requests.json",
        {
            "api_key": key,
            "service_code": category,
            "lat": lat,
            "long": lng,
            "description": f"市民上报 {name}",
        },
    )
    assert response.status_code == 200, response.content  # GeoReport v2 answers 200
    return Case.objects.get(code=response.json()[0]["service_request_id"])


def through_the_import(city, catalogue, name, category, standard, where):
    lat, lng = where
    result = case_report_many(
        rows=[
            BulkRow(
                standard=catalogue.standards[standard],
                lat=lat,
                lng=lng,
                chain=locate(lng, lat),
                external_id=f"12345-{name}",
                description=f"热线工单 {name}",
            )
        ],
        actor=city.user(Role.CITY_OPERATOR, "city"),
        channel=Channel.HOTLINE,
        source="12345",
    )
    return Case.objects.get(pk=result.case_ids[0])


def test_every_intake_path_sends_the_same_ticket_to_the_same_unit(
    client, routed_city, catalogue, token_for
):
    city = routed_city
    token = token_for(city.user(Role.COLLECTOR, "420302001"))
    _, key = open311_key_create(name="城市服务 App", unit_id=city.units["city"].pk, actor=None)
    for name, (category, standard, where) in TICKETS.items():
        args = (city, catalogue, name, category, standard, where)
        cases = {
            "app": through_the_app(client, *args),
            "api": through_the_api(client, *args, token=token),
            "open311": through_open311(client, *args, key=key),
            "import": through_the_import(*args),
        }
        units = {path: case.suggested_unit for path, case in cases.items()}
        rules = {path: case.routing_rule_id for path, case in cases.items()}
        assert set(units.values()) == {expected(city, name)}, (name, units)
        assert len(set(rules.values())) == 1, (name, rules)


def test_the_decision_does_not_depend_on_the_order_of_the_rules(routed_city, catalogue):
    city = routed_city
    stall = catalogue.categories["E0502"]
    rules = list(RoutingRule.objects.select_related("unit", "territory"))
    path = city.nodes["420302001001001"].path
    fallback = fallback_units()
    one = choose_unit(category=stall, path=path, rules=rules, owner=None, fallback=fallback)
    other = choose_unit(category=stall, path=path, rules=rules[::-1], owner=None, fallback=fallback)
    assert one == other and one[0] == city.units["420303"]
    # Without a rule: the owner, else the nearest fallback; the territory page says the same.
    litter = catalogue.categories["W0101"]
    grid = city.nodes["420303001001001"]
    unit, rule = choose_unit(
        category=litter, path=grid.path, rules=rules, owner=None, fallback=fallback
    )
    assert (unit, rule) == (city.units["420303001001"], None)
    assert territory_default_unit(grid) == unit
    nowhere = choose_unit(category=litter, path="999/", rules=[], owner=None, fallback=fallback)
    assert nowhere == (None, None)
