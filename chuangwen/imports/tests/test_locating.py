import pytest
from shapely.geometry import Point, shape

from chuangwen.imports.locating import CONFIDENCE, AddressMatcher, variants
from chuangwen.territory.choices import Level
from chuangwen.territory.services import territory_node_create
from chuangwen.testing.city import square

pytestmark = pytest.mark.django_db


@pytest.fixture
def matcher(city):
    return AddressMatcher()


def inside(city, code, place) -> bool:
    return shape(city.node(code).geometry).contains(Point(place.lng, place.lat))


def test_suffixes_are_dropped_but_never_down_to_one_character():
    assert variants("武当路街道") == {"武当路街道", "武当路"}
    assert variants("茅箭区") == {"茅箭区", "茅箭"}
    assert variants("黄龙村") == {"黄龙村", "黄龙"}
    assert variants("城区") == {"城区"}


def test_exact_names_in_the_columns(city, matcher):
    place = matcher.match(district="茅箭区", street="武当路街道", community="武当1社区")
    assert place.node_id == city.node("420302001001").id
    assert place.confidence == CONFIDENCE["community_in_street"] == 0.9
    assert place.chain.street.name == "武当路街道" and place.chain.district.name == "茅箭区"
    assert place.chain.grid is None
    assert place.chain.deepest.path == city.node("420302001001").path
    assert inside(city, "420302001001", place)


def test_names_without_their_suffix(city, matcher):
    place = matcher.match(street="武当路", community="武当2")
    assert place.node_id == city.node("420302001002").id
    assert place.confidence == 0.9


def test_names_found_inside_the_address(city, matcher):
    place = matcher.match(address="十堰市茅箭区武当路街道武当2社区北京路8号")
    assert place.node_id == city.node("420302001002").id and place.confidence == 0.9
    assert inside(city, "420302001002", place)


def test_a_community_alone(city, matcher):
    place = matcher.match(address="二堰1社区菜市场门口")
    assert place.node_id == city.node("420302002001").id
    assert place.confidence == CONFIDENCE["community"] == 0.8


def test_a_street_alone(city, matcher):
    place = matcher.match(address="车城路88号")
    assert place.node_id == city.node("420303001").id
    assert place.level == Level.STREET and place.confidence == 0.7
    assert inside(city, "420303001", place)


def test_a_district_alone(city, matcher):
    place = matcher.match(district="张湾区", address="某小区门口")
    assert place.node_id == city.node("420303").id and place.confidence == 0.4
    assert place.chain.street is None


def test_nothing_known_is_unmatched(matcher):
    assert matcher.match(address="丹江口市均州路") is None
    assert matcher.match() is None


def test_a_name_that_contradicts_its_district_is_not_taken(city, matcher):
    # 武当1社区 lies in 茅箭区, not in 张湾区: only the district is certain.
    place = matcher.match(district="张湾区", address="武当1社区")
    assert place.node_id == city.node("420303").id and place.confidence == 0.4


def test_an_unknown_column_value_leaves_the_level_to_the_address(city, matcher):
    place = matcher.match(street="不存在街道", address="茅箭区武当1社区")
    assert place.node_id == city.node("420302001001").id


def test_the_same_village_name_in_two_streets_falls_back_to_what_they_share(city):
    for code, parent, box in (
        ("420302001003", "420302001", (110.0, 32.15, 110.01, 32.16)),
        ("420302002003", "420302002", (110.15, 32.15, 110.16, 32.16)),
        ("420303001003", "420303001", (110.3, 32.15, 110.31, 32.16)),
    ):
        territory_node_create(
            code=code,
            name="黄龙村",
            level=Level.COMMUNITY,
            parent=city.node(parent),
            geometry=square(*box),
            actor=None,
        )
    matcher = AddressMatcher()
    # Named with its district: two candidates, both in 茅箭区.
    place = matcher.match(address="茅箭区黄龙村")
    assert place.node_id == city.node("420302").id and place.confidence == 0.4
    # Named with its street: one candidate.
    place = matcher.match(address="二堰街道黄龙村")
    assert place.chain.community.code == "420302002003" and place.confidence == 0.9
    # Named alone: three candidates in two districts share nothing.
    assert matcher.match(address="黄龙村村委会") is None


def test_locating_many_points_at_once_agrees_with_locate(city):
    import random

    from chuangwen.imports.checking import locate_many
    from chuangwen.territory.routing import locate

    rng = random.Random(7)
    points = [(rng.uniform(31.95, 32.25), rng.uniform(109.95, 110.45)) for _ in range(300)]
    # Shared borders and corners: the tie-break must be the same.
    points += [(32.05, 110.1), (32.1, 110.2), (32.0, 110.0), (32.2, 110.4), (32.1, 110.05)]
    expected = [locate(lng, lat) for lat, lng in points]
    assert locate_many(points) == expected
    assert any(chain is None for chain in expected)  # some points lie outside the city
    assert locate_many([]) == []
