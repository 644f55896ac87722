"""The routing index on hand-made geometries, without the database."""

import random

import pytest
from shapely.geometry import MultiPolygon, Polygon, box

from chuangwen.core.geo import to_geojson
from chuangwen.territory.routing import NodeRow, RoutingIndex


def row(i, code, level, path, geom, kind="admin", name=None):
    return NodeRow(i, code, name or code, level, kind, path, to_geojson(geom) if geom else None)


@pytest.fixture
def index():
    rows = [
        row(1, "C", "city", "C/", box(0, 0, 10, 10)),
        # District A: two separate parts (a MultiPolygon).
        row(2, "A", "district", "C/A/", MultiPolygon([box(0, 0, 4, 4), box(6, 6, 8, 8)])),
        # District B: a square with a hole; the hole holds district H (an enclave).
        row(
            3,
            "B",
            "district",
            "C/B/",
            Polygon([(4, 0), (10, 0), (10, 4), (4, 4)], [[(6, 1), (8, 1), (8, 3), (6, 3)]]),
        ),
        row(4, "H", "district", "C/H/", box(6, 1, 8, 3)),
        # A functional zone overlapping the north of district A's second part.
        row(5, "Z", "district", "C/Z/", box(6, 7, 8, 8), kind="zone"),
        # Streets, communities and grids only in the first part of A.
        row(6, "A1", "street", "C/A/A1/", box(0, 0, 4, 4)),
        row(7, "A11", "community", "C/A/A1/A11/", box(0, 0, 4, 4)),
        row(8, "A111", "grid", "C/A/A1/A11/A111/", box(0, 0, 2, 4)),
        row(9, "A112", "grid", "C/A/A1/A11/A112/", box(2, 0, 4, 4)),
    ]
    return RoutingIndex(rows)


def codes(chain):
    return (
        None
        if chain is None
        else {k: (v["code"] if v else None) for k, v in chain.as_dict().items()}
    )


def test_point_inside_a_grid_gets_the_whole_chain(index):
    assert codes(index.locate(1, 1)) == {
        "grid": "A111",
        "community": "A11",
        "street": "A1",
        "district": "A",
    }


def test_point_outside_the_city_is_none(index):
    assert index.locate(50, 50) is None
    assert index.locate(-0.001, 2) is None


def test_point_in_the_second_part_of_a_multipolygon(index):
    assert codes(index.locate(6.5, 6.5)) == {
        "grid": None,
        "community": None,
        "street": None,
        "district": "A",
    }


def test_point_in_a_hole_belongs_to_what_fills_the_hole(index):
    assert codes(index.locate(7, 2))["district"] == "H"
    assert codes(index.locate(5, 2))["district"] == "B"


def test_point_in_an_empty_hole_is_outside():
    hole = Polygon([(0, 0), (4, 0), (4, 4), (0, 4)], [[(1, 1), (3, 1), (3, 3), (1, 3)]])
    index = RoutingIndex([row(1, "D", "district", "D/", hole)])
    assert index.locate(2, 2) is None
    assert codes(index.locate(0.5, 0.5))["district"] == "D"


def test_functional_zone_wins_over_its_district(index):
    assert codes(index.locate(7, 7.5))["district"] == "Z"
    assert codes(index.locate(7, 6.5))["district"] == "A"


def test_point_on_a_shared_border_is_answered_the_same_way_every_time(index):
    # x=2 is the border of grids A111 and A112 (equal areas): the lower code wins.
    assert codes(index.locate(2, 1))["grid"] == "A111"
    # The same rows in another order give the same answer.
    rows = [
        row(1, "G2", "grid", "G2/", box(2, 0, 4, 4)),
        row(2, "G1", "grid", "G1/", box(0, 0, 2, 4)),
    ]
    assert codes(RoutingIndex(rows).locate(2, 1))["grid"] == "G1"
    assert codes(RoutingIndex(rows[::-1]).locate(2, 1))["grid"] == "G1"


def test_smaller_polygon_wins_on_a_border():
    rows = [
        row(1, "BIG", "grid", "BIG/", box(0, 0, 4, 4)),
        row(2, "SMALL", "grid", "SMALL/", box(4, 0, 5, 1)),
    ]
    assert codes(RoutingIndex(rows).locate(4, 0.5))["grid"] == "SMALL"


def test_a_corner_shared_by_four_grids():
    rows = [
        row(i, f"G{i}", "grid", f"G{i}/", box(x, y, x + 1, y + 1))
        for i, (x, y) in enumerate([(0, 0), (1, 0), (0, 1), (1, 1)])
    ]
    assert codes(RoutingIndex(rows).locate(1, 1))["grid"] == "G0"


def test_nodes_without_geometry_are_skipped():
    index = RoutingIndex([row(1, "X", "district", "X/", None)])
    assert index.size == 0
    assert index.locate(0, 0) is None


def test_index_agrees_with_a_brute_force_scan():
    rng = random.Random(7)
    rows = [
        row(i, f"G{i:03d}", "grid", f"G{i:03d}/", box(x, y, x + 1, y + 1))
        for i, (x, y) in enumerate((x, y) for x in range(10) for y in range(10))
    ]
    index = RoutingIndex(rows)
    for _ in range(500):
        x, y = rng.uniform(-1, 11), rng.uniform(-1, 11)
        expected = None
        for r in rows:
            (x0, y0), (x1, y1) = r.geometry["coordinates"][0][2], r.geometry["coordinates"][0][0]
            lo_x, hi_x, lo_y, hi_y = min(x0, x1), max(x0, x1), min(y0, y1), max(y0, y1)
            if lo_x < x < hi_x and lo_y < y < hi_y:
                expected = r.code
        got = index.locate(x, y)
        assert (got.grid.code if got else None) == expected
