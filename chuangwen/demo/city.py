"""The generated part of the Shiyan demo city: streets, communities and unit grids.

Districts and counties are the real boundaries; everything below them is generated
deterministically (seeded) as Voronoi cells clipped to the parent, so the children of
every node partition it exactly: no overlaps, no gaps. Cells are denser around each
district's urban core, the way real grids are small downtown and large in the hills.
"""

from __future__ import annotations

import json
import math
import random
from dataclasses import dataclass
from pathlib import Path

import shapely
from shapely.geometry import MultiPoint, MultiPolygon, Polygon, shape
from shapely.validation import make_valid

from chuangwen.core.geo import _polygonal_part
from chuangwen.territory.choices import LandUse, Level, ManagementLevel, NodeKind
from chuangwen.territory.services import NodeSpec

DATA_FILE = (
    Path(__file__).resolve().parent.parent / "territory" / "data" / "shiyan_districts.geojson"
)

CITY_CODE = "420300"
CITY_NAME = "十堰市"
ZONE_CODE = "420390"  # a local management code, not a GB/T 2260 code
ZONE_NAME = "十堰经济技术开发区"
# The development zone's management area in the east of 茅箭区 (illustrative outline).
ZONE_OUTLINE = [
    (110.845, 32.575),
    (110.905, 32.566),
    (110.926, 32.590),
    (110.915, 32.620),
    (110.870, 32.628),
    (110.845, 32.605),
]


@dataclass(frozen=True)
class DistrictPlan:
    code: str
    core: tuple[float, float]  # (lng, lat) of the urban core
    streets: tuple[str, ...]  # real names, 街道 first (they take the cells nearest the core)
    communities_per_street: int
    grids_per_community: int
    urban: bool


PLANS: dict[str, DistrictPlan] = {
    "420302": DistrictPlan(
        "420302",
        (110.798, 32.629),
        ("武当路街道", "二堰街道", "五堰街道", "大川镇", "茅塔乡", "小川乡", "鸳鸯乡"),
        12,
        19,
        True,
    ),
    "420303": DistrictPlan(
        "420303",
        (110.770, 32.652),
        (
            "车城路街道",
            "红卫街道",
            "汉江路街道",
            "花果街道",
            "工业新区街道",
            "柏林镇",
            "黄龙镇",
            "方滩乡",
            "西沟乡",
        ),
        12,
        17,
        True,
    ),
    ZONE_CODE: DistrictPlan(
        ZONE_CODE, (110.882, 32.598), ("白浪街道", "东部新区片区", "龙门片区"), 12, 17, True
    ),
    "420304": DistrictPlan(
        "420304",
        (110.812, 32.835),
        (
            "城关镇",
            "茶店镇",
            "柳陂镇",
            "杨溪铺镇",
            "青曲镇",
            "安阳镇",
            "鲍峡镇",
            "胡家营镇",
            "谭家湾镇",
            "梅铺镇",
        ),
        8,
        14,
        True,
    ),
    "420322": DistrictPlan(
        "420322",
        (110.426, 32.993),
        ("城关镇", "上津镇", "店子镇", "夹河镇", "羊尾镇", "观音镇"),
        4,
        5,
        False,
    ),
    "420323": DistrictPlan(
        "420323",
        (110.229, 32.225),
        ("城关镇", "宝丰镇", "擂鼓镇", "溢水镇", "麻家渡镇", "官渡镇"),
        4,
        5,
        False,
    ),
    "420324": DistrictPlan(
        "420324",
        (109.715, 32.318),
        ("城关镇", "水坪镇", "县河镇", "蒋家堰镇", "中峰镇", "泉溪镇"),
        4,
        5,
        False,
    ),
    "420325": DistrictPlan(
        "420325",
        (110.733, 32.050),
        ("城关镇", "军店镇", "化龙堰镇", "土城镇", "大木厂镇", "青峰镇"),
        4,
        5,
        False,
    ),
    "420381": DistrictPlan(
        "420381",
        (111.513, 32.540),
        ("均州路街道", "大坝街道", "丹赵路街道", "三官殿街道", "六里坪镇", "浪河镇", "习家店镇"),
        4,
        5,
        False,
    ),
}
URBAN_DISTRICTS = ("420302", "420303", "420304", ZONE_CODE)

COMMUNITY_WORDS = (
    "东岳",
    "柳林",
    "人民",
    "三堰",
    "四堰",
    "六堰",
    "北京路",
    "朝阳",
    "东风",
    "车城",
    "紫荆",
    "和平",
    "新华",
    "阳光",
    "滨江",
    "凤凰",
    "青年",
    "幸福",
    "建设",
    "公园",
    "东环",
    "西苑",
    "南街",
    "北街",
    "桥头",
    "湖滨",
    "金岭",
    "翠苑",
    "丽都",
    "锦绣",
    "惠民",
    "安居",
    "兴业",
    "广场",
    "堰河",
    "百二河",
    "犟河",
    "香山",
    "太和",
    "汉水",
    "龙泉",
    "玉泉",
    "双龙",
    "天津路",
    "上海路",
    "浙江路",
    "广东路",
    "大岭",
    "花园",
    "卧龙",
    "林荫",
    "清风",
    "明月",
    "春晖",
    "秦巴",
    "方山",
    "月亮湾",
    "马家河",
    "火箭路",
    "重庆路",
    "发展大道",
    "顾家岗",
    "许家棚",
    "茅坪",
    "刘家湾",
    "张家沟",
    "李家院",
    "王家岭",
    "陈家坡",
    "黄家湾",
    "杨家河",
    "郑家店",
    "石门",
    "土门",
    "新村",
    "柏树",
    "桂花",
    "枫林",
    "竹园",
    "杏花",
    "桃园",
    "梨园",
    "松林",
)


def load_districts() -> list[dict]:
    with DATA_FILE.open(encoding="utf-8") as fh:
        return json.load(fh)["features"]


def repaired(geom) -> Polygon | MultiPolygon:
    return geom if geom.is_valid else _polygonal_part(make_valid(geom))


def effective_areas(districts: list[dict]) -> tuple[dict[str, object], object]:
    """A planar partition of the city: the zone first, then each district minus what is
    already taken (the coarse published outlines overlap their neighbours a little)."""
    shapes = {f["properties"]["adcode"]: repaired(shape(f["geometry"])) for f in districts}
    urban = shapely.union_all([shapes["420302"], shapes["420303"]])
    zone = repaired(Polygon(ZONE_OUTLINE).intersection(urban))
    taken = zone
    areas = {ZONE_CODE: zone}
    for code in sorted(shapes):
        area = _polygonal_part(make_valid(shapes[code].difference(taken)))
        areas[code] = area
        taken = shapely.union_all([taken, area])
    return areas, zone


def _sample(
    poly, n: int, rng: random.Random, core: tuple[float, float], p_core: float, sigma: float
):
    shapely.prepare(poly)
    min_x, min_y, max_x, max_y = poly.bounds
    points: list[tuple[float, float]] = []
    seen: set[tuple[float, float]] = set()
    tries = 0
    while len(points) < n:
        tries += 1
        if rng.random() < p_core and tries < n * 400:
            x, y = rng.gauss(core[0], sigma), rng.gauss(core[1], sigma)
        else:
            x, y = rng.uniform(min_x, max_x), rng.uniform(min_y, max_y)
        if tries > n * 5000:
            # A sliver too thin to hit by chance: fall back to points on its surface.
            x, y = shapely.point_on_surface(poly).coords[0]
            x += rng.uniform(-1e-7, 1e-7)
        if (round(x, 9), round(y, 9)) in seen:
            continue
        if shapely.contains_xy(poly, x, y):
            points.append((x, y))
            seen.add((round(x, 9), round(y, 9)))
    return points


def partition(poly, n: int, rng: random.Random, core, p_core: float, sigma: float):
    """Split ``poly`` into ``n`` cells; returns [(seed, cell)] ordered by distance to core."""
    if n <= 1:
        return [(shapely.point_on_surface(poly).coords[0], poly)]
    seeds = _sample(poly, n, rng, core, p_core, sigma)
    cells = shapely.voronoi_polygons(MultiPoint(seeds), extend_to=poly, ordered=True)
    out = []
    for seed, cell in zip(seeds, cells.geoms, strict=True):
        piece = _polygonal_part(cell.intersection(poly))
        if piece is None or piece.is_empty:
            continue
        if not piece.is_valid:
            piece = _polygonal_part(make_valid(piece))
        out.append((seed, piece))
    out.sort(key=lambda item: math.dist(item[0], core))
    return out


def _land_use(rng: random.Random, distance_deg: float, urban: bool) -> tuple[str, str]:
    if not urban or distance_deg > 0.12:
        return LandUse.RURAL, ManagementLevel.GENERAL
    weights = [
        (LandUse.RESIDENTIAL, 46),
        (LandUse.COMMERCIAL, 14),
        (LandUse.PUBLIC_SERVICE, 8),
        (LandUse.EDUCATION, 7),
        (LandUse.GREEN, 9),
        (LandUse.TRANSPORT, 8),
        (LandUse.INDUSTRIAL, 8),
    ]
    pick = rng.choices([w[0] for w in weights], [w[1] for w in weights])[0]
    level = ManagementLevel.KEY if distance_deg < 0.03 else ManagementLevel.MAJOR
    return pick, level


def _community_names(rng: random.Random, street: str, count: int) -> list[str]:
    words = list(COMMUNITY_WORDS)
    rng.shuffle(words)
    names = []
    town = street.endswith(("镇", "乡"))
    for i, word in enumerate(words[:count]):
        # Townships are mostly villages; their seat keeps a couple of residents' communities.
        names.append(word + ("村" if town and i >= 2 else "社区"))
    return names


def generate(seed: int = 2026) -> tuple[list[NodeSpec], dict]:
    """All territory nodes of the demo city, plus a summary of what was generated."""
    rng = random.Random(seed)
    districts = load_districts()
    areas, zone = effective_areas(districts)
    city = repaired(shapely.union_all([repaired(shape(f["geometry"])) for f in districts]))
    specs = [NodeSpec(CITY_CODE, CITY_NAME, Level.CITY, None, city)]
    names = {f["properties"]["adcode"]: f["properties"]["name"] for f in districts}
    for feature in districts:
        code = feature["properties"]["adcode"]
        specs.append(
            NodeSpec(
                code, names[code], Level.DISTRICT, CITY_CODE, repaired(shape(feature["geometry"]))
            )
        )
    specs.append(
        NodeSpec(
            ZONE_CODE, ZONE_NAME, Level.DISTRICT, CITY_CODE, zone, kind=NodeKind.FUNCTIONAL_ZONE
        )
    )
    counts = {
        "districts": len(districts) + 1,
        "streets": 0,
        "communities": 0,
        "grids": 0,
        "urban_grids": 0,
    }
    for dcode in sorted(PLANS):
        plan = PLANS[dcode]
        area = areas[dcode]
        streets = partition(area, len(plan.streets), rng, plan.core, 0.45, 0.05)
        for s_index, ((_, s_geom), s_name) in enumerate(
            zip(streets, plan.streets, strict=False), start=1
        ):
            s_code = f"{dcode}{s_index:03d}"
            specs.append(NodeSpec(s_code, s_name, Level.STREET, dcode, s_geom))
            counts["streets"] += 1
            communities = partition(s_geom, plan.communities_per_street, rng, plan.core, 0.6, 0.03)
            c_names = _community_names(rng, s_name, len(communities))
            for c_index, ((_, c_geom), c_name) in enumerate(
                zip(communities, c_names, strict=True), start=1
            ):
                c_code = f"{s_code}{c_index:03d}"
                specs.append(NodeSpec(c_code, c_name, Level.COMMUNITY, s_code, c_geom))
                counts["communities"] += 1
                grids = partition(c_geom, plan.grids_per_community, rng, plan.core, 0.0, 0.0)
                for g_index, (g_seed, g_geom) in enumerate(grids, start=1):
                    land_use, mlevel = _land_use(rng, math.dist(g_seed, plan.core), plan.urban)
                    specs.append(
                        NodeSpec(
                            f"{c_code}{g_index:03d}",
                            f"{c_name}第{g_index}网格",
                            Level.GRID,
                            c_code,
                            g_geom,
                            land_use=land_use,
                            management_level=mlevel,
                        )
                    )
                    counts["grids"] += 1
                    if dcode in URBAN_DISTRICTS:
                        counts["urban_grids"] += 1
    return specs, counts
