"""Point types, checklists and points on top of the mini city and its catalogue.

农贸市场 (MARKET): 环境卫生 · 地面无暴露垃圾 (10 points, −2 per place → E0102)
                   环境卫生 · 无乱扔垃圾现象 (5, −1 → W0101, N/A allowed, no photo needed)
                   市场秩序 · 无占道经营 (10, −5 → E0502)
主次干道 (ROAD):   市容秩序 · 无占道经营 (8, −4 → E0502)
                   设施完好 · 井盖完好 (6, −3 → B0102)

Points: a market and a road in each community of the mini city (12 in all), each owned
by its community committee; inspectors "insp1" and "insp2" at the city office.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection

from chuangwen.evaluation.models import ChecklistItem, Point, PointType
from chuangwen.evaluation.services import point_create
from chuangwen.territory.choices import Level

from .cases import Catalogue
from .city import MiniCity

CHECKLISTS = {
    ("MARKET", "农贸市场"): [
        ("环境卫生", "地面无暴露垃圾", "10", "2", "E0102", True, False),
        ("环境卫生", "无乱扔垃圾现象", "5", "1", "W0101", False, True),
        ("市场秩序", "无占道经营", "10", "5", "E0502", True, False),
    ],
    ("ROAD", "主次干道"): [
        ("市容秩序", "无占道经营", "8", "4", "E0502", True, False),
        ("设施完好", "井盖完好", "6", "3", "B0102", True, False),
    ],
}


@dataclass
class Registry:
    types: dict[str, PointType] = field(default_factory=dict)
    points: dict[str, Point] = field(default_factory=dict)
    inspectors: list = field(default_factory=list)


def build_registry(city: MiniCity, catalogue: Catalogue) -> Registry:
    registry = Registry()
    for position, ((code, name), items) in enumerate(CHECKLISTS.items()):
        point_type = PointType.objects.create(code=code, name=name, position=position)
        registry.types[code] = point_type
        for i, (section, text, most, each, category, evidence, na) in enumerate(items):
            ChecklistItem.objects.create(
                point_type=point_type,
                section=section,
                position=i,
                text=text,
                max_points=Decimal(most),
                deduction=Decimal(each),
                category=catalogue.categories[category],
                evidence_required=evidence,
                na_allowed=na,
            )
    communities = sorted(
        (n for n in city.nodes.values() if n.level == Level.COMMUNITY), key=lambda n: n.code
    )
    for community in communities:
        # The community's polygon is a box: a market near its south-west corner, a road
        # near its centre.
        x0, y0 = community.min_lng, community.min_lat
        x1, y1 = community.max_lng, community.max_lat
        spots = {
            "MARKET": (y0 + (y1 - y0) * 0.25, x0 + (x1 - x0) * 0.25),
            "ROAD": (y0 + (y1 - y0) * 0.5, x0 + (x1 - x0) * 0.6),
        }
        for type_code, (lat, lng) in spots.items():
            code = f"{type_code}-{community.code}"
            registry.points[code] = point_create(
                code=code,
                name=f"{community.name}{registry.types[type_code].name}",
                point_type_id=registry.types[type_code].pk,
                lat=lat,
                lng=lng,
                unit_id=city.units[community.code].pk,
                actor=None,
            )
    registry.inspectors = [
        city.user("inspector", "city", username="insp1", full_name="测评员甲"),
        city.user("inspector", "city", username="insp2", full_name="测评员乙"),
    ]
    return registry


# Each counted inspection's applicable maximum and score, straight from the item results and
# the frozen checklist: an independent path beside the stored scores and scoring.py.
POINT_SCORES_SQL = """
    SELECT i.id,
           SUM(CASE WHEN r.result = 'na' THEN 0 ELSE ri.max_points END) AS point_max,
           SUM(CASE WHEN r.result <> 'fail' THEN 0
                    WHEN ri.deduction * r.occurrences > ri.max_points THEN ri.max_points
                    ELSE ri.deduction * r.occurrences END) AS lost
    FROM evaluation_inspection i
    JOIN evaluation_point p ON p.id = i.point_id
    JOIN territory_territorynode d ON d.id = p.district_id
    JOIN evaluation_itemresult r ON r.inspection_id = i.id
    JOIN evaluation_rounditem ri ON ri.id = r.item_id
    WHERE i.round_id = %s AND i.status IN ('submitted', 'approved') AND d.code LIKE %s
    GROUP BY i.id
"""


def _points(round_id: int, district_code: str) -> list[tuple[int, Decimal, Decimal]]:
    with connection.cursor() as cursor:
        cursor.execute(POINT_SCORES_SQL, [round_id, district_code])
        rows = cursor.fetchall()
    return [
        (pk, Decimal(str(most)), max(Decimal(str(most)) - Decimal(str(lost)), Decimal(0)))
        for pk, most, lost in rows
    ]


def point_scores_by_sql(round_id: int) -> dict[int, Decimal]:
    """inspection id → score, for every counted inspection of the round."""
    return {pk: score for pk, _most, score in _points(round_id, "%")}


def district_totals_by_sql(round_id: int, district_code: str) -> tuple[Decimal, Decimal]:
    """(score, maximum) of one district, summed over its points."""
    rows = _points(round_id, district_code)
    return sum((r[2] for r in rows), Decimal(0)), sum((r[1] for r in rows), Decimal(0))
