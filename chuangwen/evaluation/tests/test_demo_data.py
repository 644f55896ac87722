"""The demo city's evaluation data (chuangwen/demo/evaluation/), on the real demo
territory, units, pairings and catalogue. Building those takes a while, so the module
builds them once, every test reads them, and it is all rolled back at the end."""

from __future__ import annotations

import io
import random
import re
from collections import Counter
from dataclasses import dataclass

import pytest
import shapely
from django.db import transaction
from django.utils import timezone
from shapely.geometry import shape

from chuangwen.catalog.models import Category
from chuangwen.core.models import AuditEvent
from chuangwen.demo import evaluation as demo
from chuangwen.demo import load
from chuangwen.demo.catalogue import load_catalogue
from chuangwen.demo.city import URBAN_DISTRICTS
from chuangwen.evaluation.choices import EntryLevel, FrameworkKind
from chuangwen.evaluation.models import ChecklistItem, Framework, FrameworkEntry, Point, PointType
from chuangwen.org.choices import Role, UnitKind
from chuangwen.org.models import Membership, Pairing
from chuangwen.territory.choices import Level
from chuangwen.territory.models import TerritoryNode
from chuangwen.territory.routing import locate

SEED = 2026
PASSWORD = "Demo-Password-1"
DIMENSIONS = (
    "理想信念坚定",
    "文明程度领先",
    "经济高质发展",
    "生态文明良好",
    "政治廉洁高效",
    "文化繁荣厚重",
    "社会和谐稳定",
    "治理效能提升",
    "群众高度认可",
    "工作常态长效",
)


@dataclass
class Seeded:
    framework: Framework
    types: dict[str, PointType]
    created: int
    inspectors: list
    output: str


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    out = io.StringIO()
    with django_db_blocker.unblock():
        # One transaction around the module: each test runs in a savepoint inside it, and
        # the rollback at the end leaves the database as empty as the next module expects.
        with transaction.atomic():
            load.build_territory(out)
            units = load.build_units(random.Random(SEED))
            load.assign_grid_owners(units)
            load.build_pairings(units, timezone.localdate())
            load_catalogue(stdout=out)
            framework = demo.seed_framework(stdout=out)
            types = demo.seed_point_types(stdout=out)
            created = demo.seed_points(stdout=out, seed=SEED)
            inspectors = demo.seed_inspectors(password=PASSWORD)
            yield Seeded(framework, types, created, inspectors, out.getvalue())
            transaction.set_rollback(True)


pytestmark = pytest.mark.django_db


# -- framework ---------------------------------------------------------------------------------
def test_the_framework_has_the_ten_dimensions_and_says_it_is_a_sample(seeded):
    framework = seeded.framework
    assert framework.kind == FrameworkKind.MODEL_CITY
    assert (framework.cycle_start, framework.cycle_end) == (2024, 2026)
    assert "演示样例" in framework.name
    assert "不是官方" in framework.note
    assert framework.is_current
    entries = list(FrameworkEntry.objects.filter(framework=framework))
    dimensions = [e for e in entries if e.level == EntryLevel.DIMENSION]
    assert tuple(d.name for d in sorted(dimensions, key=lambda e: e.position)) == DIMENSIONS
    children = Counter(e.parent_id for e in entries)
    by_level = {level: [e for e in entries if e.level == level] for level in EntryLevel.values}
    # 2–3 items per dimension, 1–3 indicators per item, 1–2 standards per indicator.
    assert all(2 <= children[d.pk] <= 3 for d in by_level[EntryLevel.DIMENSION])
    assert all(1 <= children[i.pk] <= 3 for i in by_level[EntryLevel.ITEM])
    assert all(1 <= children[i.pk] <= 2 for i in by_level[EntryLevel.INDICATOR])
    assert all(s.method and s.points > 0 for s in by_level[EntryLevel.STANDARD])
    assert {s.method for s in by_level[EntryLevel.STANDARD]} == {
        "field",
        "survey",
        "material",
        "data",
    }
    assert 7 <= framework.negatives.count() <= 10
    assert AuditEvent.objects.filter(
        action="evaluation.framework_import", object_id=str(framework.pk)
    ).exists()
    assert "演示样例" in seeded.output


def test_seed_framework_twice_changes_nothing(seeded):
    before = FrameworkEntry.objects.count()
    assert demo.seed_framework(stdout=io.StringIO()).pk == seeded.framework.pk
    assert FrameworkEntry.objects.count() == before


# -- point types -------------------------------------------------------------------------------
def test_point_types_have_full_checklists_in_existing_categories(seeded):
    types = PointType.objects.all()
    assert types.count() >= 15
    assert {"主次干道", "农贸市场", "公共厕所", "新时代文明实践站"} <= set(
        types.values_list("name", flat=True)
    )
    for point_type in types:
        items = list(point_type.items.filter(is_active=True).select_related("category"))
        assert len(items) >= 8, point_type.name
        for item in items:
            assert Category.objects.filter(pk=item.category_id, is_active=True).exists()
            assert re.fullmatch(r"[BEW]\d{4}", item.category.code), item.text
            assert 0 < item.deduction <= item.max_points, item.text
    market = seeded.types["MARKET"].items.values_list("text", flat=True)
    assert any("公平秤" in t for t in market)
    assert any("不少于 5 处" in t for t in market)
    assert any("占道经营" in t for t in market)


def test_checklist_items_point_at_indicators_of_the_sample(seeded):
    items = ChecklistItem.objects.select_related("indicator")
    linked = [i for i in items if i.indicator_id]
    assert len(linked) == items.count()
    assert {i.indicator.framework_id for i in linked} == {seeded.framework.pk}
    assert {i.indicator.level for i in linked} == {EntryLevel.INDICATOR}
    market = seeded.types["MARKET"].items.get(text__contains="公平秤")
    assert market.indicator.name == "商业诚信经营"


# -- points ------------------------------------------------------------------------------------
def test_points_fill_the_urban_districts_in_proportion_to_their_grids(seeded):
    points = list(Point.objects.select_related("district", "territory"))
    assert seeded.created == len(points) >= 300
    districts = Counter(p.district.code for p in points)
    assert set(districts) == set(URBAN_DISTRICTS)
    grids = Counter(
        path.split("/")[1]
        for path in TerritoryNode.objects.filter(level=Level.GRID).values_list("path", flat=True)
        if path.split("/")[1] in URBAN_DISTRICTS
    )
    for code in URBAN_DISTRICTS:
        share = grids[code] / sum(grids.values())
        assert abs(districts[code] / len(points) - share) < 0.01, code
    assert len({p.name for p in points}) == len(points)
    assert all(re.fullmatch(r"P(420302|420303|420304|420390)-\d{4}", p.code) for p in points)
    assert all(p.code[1:7] == p.district.code for p in points)
    assert Counter(p.point_type.code for p in points) == demo.QUOTAS
    assert Point.objects.filter(name="五堰农贸市场", unit__kind=UnitKind.POINT_OWNER).exists()


def test_each_point_lies_in_its_grid_and_routing_agrees(seeded):
    points = Point.objects.select_related("territory", "community", "street", "district")
    for p in points:
        grid = p.territory
        assert grid.level == Level.GRID
        assert shapely.contains_xy(shape(grid.geometry), p.lng, p.lat), p.code
        chain = locate(p.lng, p.lat)
        assert chain.grid.code == grid.code, p.code
        assert (p.community.code, p.street.code, p.district.code) == (
            chain.community.code,
            chain.street.code,
            chain.district.code,
        )
        assert p.territory_path == grid.path


def test_each_point_has_the_unit_its_type_calls_for_and_its_pairing(seeded):
    today = timezone.localdate()
    pairs = {}
    for territory_id, unit_id in (
        Pairing.objects.filter(starts_on__lte=today, ends_on__gte=today)
        .order_by("unit__name", "pk")
        .values_list("territory_id", "unit_id")
    ):
        pairs.setdefault(territory_id, unit_id)
    points = Point.objects.select_related("unit", "point_type")
    for p in points:
        kind = p.point_type.code
        if kind in demo.COMMUNITY_TYPES:
            assert (p.unit.kind, p.unit.territory_id) == (
                UnitKind.COMMUNITY_COMMITTEE,
                p.community_id,
            ), p.code
        elif kind in demo.STREET_TYPES:
            assert (p.unit.kind, p.unit.territory_id) == (
                UnitKind.STREET_OFFICE,
                p.street_id,
            ), p.code
        elif kind == "WINDOW":
            assert p.unit.kind == UnitKind.ENTERPRISE, p.code
        elif p.name == "五堰农贸市场":
            assert p.unit.name == demo.MARKET_OWNER
        else:
            assert p.unit.name == demo.DEPARTMENT_OF[kind], p.code
        assert p.paired_unit_id == pairs.get(p.community_id), p.code
    assert points.filter(paired_unit__isnull=False).exists()


def test_points_are_the_same_for_the_same_seed(seeded):
    stored = [
        (p.code, p.name, p.point_type.code, p.lat, p.lng, p.territory.code, p.unit_id)
        for p in Point.objects.select_related("point_type", "territory").order_by("code")
    ]
    planned = sorted(
        (p.code, p.name, p.type_code, p.lat, p.lng, p.grid, p.unit_id)
        for p in demo.plan_points(seed=SEED)
    )
    assert planned == stored
    other = demo.plan_points(seed=SEED + 1)
    assert [(p.lat, p.lng) for p in other] != [(s[3], s[4]) for s in stored]


def test_seeding_types_and_points_again_changes_nothing(seeded):
    before = (PointType.objects.count(), ChecklistItem.objects.count(), Point.objects.count())
    demo.seed_point_types(stdout=io.StringIO())
    assert demo.seed_points(stdout=io.StringIO(), seed=SEED) == 0
    after = (PointType.objects.count(), ChecklistItem.objects.count(), Point.objects.count())
    assert after == before


# -- inspectors --------------------------------------------------------------------------------
def test_seven_more_inspectors_at_the_city_office(seeded):
    names = [u.username for u in seeded.inspectors]
    assert names == [f"inspector{n}" for n in range(2, 9)]
    for user in seeded.inspectors:
        assert user.check_password(PASSWORD)
        assert re.fullmatch(r"[\u4e00-\u9fff]{2,3}", user.full_name)
        membership = Membership.objects.get(user=user)
        assert (membership.role, membership.unit.kind) == (Role.INSPECTOR, UnitKind.CITY_OFFICE)
