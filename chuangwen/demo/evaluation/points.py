"""300-odd evaluation points in the four urban districts, generated inside the demo grids
and located by routing, each with its responsible and 包联 unit."""

from __future__ import annotations

import random
from dataclasses import dataclass

import shapely
from django.db import transaction
from django.utils import timezone
from shapely.geometry import shape

from chuangwen.demo.city import URBAN_DISTRICTS
from chuangwen.evaluation.models import Point, PointType
from chuangwen.evaluation.services import point_create
from chuangwen.org.choices import UnitKind
from chuangwen.org.models import Pairing, Unit
from chuangwen.territory.choices import LandUse, Level
from chuangwen.territory.models import TerritoryNode
from chuangwen.territory.routing import invalidate, locate

# -- points ------------------------------------------------------------------------------------
# How many points of each type the demo city has, spread over the urban districts by their
# number of grids; and the land uses each type is most likely to stand on.
QUOTAS = {
    "ROAD": 40,
    "LANE": 40,
    "COMMUNITY": 50,
    "MARKET": 16,
    "STREET": 12,
    "PARK": 14,
    "HOSPITAL": 10,
    "SCHOOL": 20,
    "LIBRARY": 6,
    "NETCAFE": 10,
    "STATION": 8,
    "SITE": 12,
    "GOVSVC": 6,
    "TOILET": 24,
    "WINDOW": 12,
    "CROSSING": 20,
    "MALL": 12,
    "HOTEL": 10,
    "PRACTICE": 20,
}
RES, COM, IND, PUB, EDU, GRN, TRA = (
    LandUse.RESIDENTIAL,
    LandUse.COMMERCIAL,
    LandUse.INDUSTRIAL,
    LandUse.PUBLIC_SERVICE,
    LandUse.EDUCATION,
    LandUse.GREEN,
    LandUse.TRANSPORT,
)
LAND_USES = {
    "ROAD": (TRA, COM, RES),
    "LANE": (RES,),
    "COMMUNITY": (RES,),
    "MARKET": (COM, RES),
    "STREET": (COM,),
    "PARK": (GRN,),
    "HOSPITAL": (PUB,),
    "SCHOOL": (EDU,),
    "LIBRARY": (PUB, EDU),
    "NETCAFE": (COM, RES),
    "STATION": (TRA,),
    "SITE": (IND, RES),
    "GOVSVC": (PUB,),
    "TOILET": (GRN, COM, TRA),
    "WINDOW": (COM, PUB),
    "CROSSING": (TRA, COM),
    "MALL": (COM,),
    "HOTEL": (COM,),
    "PRACTICE": (RES,),
}
# Who answers for each type of point that is neither a community's nor a street's.
COMMUNITY_TYPES = ("COMMUNITY", "LANE", "PRACTICE")
STREET_TYPES = ("ROAD", "STREET", "CROSSING")
DEPARTMENT_OF = {
    "MARKET": "十堰市市场监督管理局",
    "PARK": "十堰市园林局",
    "HOSPITAL": "十堰市卫生健康委员会",
    "SCHOOL": "十堰市教育局",
    "LIBRARY": "十堰市文化和旅游局",
    "NETCAFE": "十堰市文化和旅游局",
    "STATION": "十堰市交通运输局",
    "SITE": "十堰市住房和城乡建设局",
    "GOVSVC": "十堰市政务服务和大数据管理局",
    "TOILET": "十堰市城市管理综合服务中心",
    "MALL": "十堰市商务局",
    "HOTEL": "十堰市商务局",
}
# 窗口单位: the utilities' own service halls, each answered for by its company.
WINDOW_OWNERS = (
    ("十堰市水务集团有限公司", "水务集团{s}营业厅"),
    ("十堰市燃气有限公司", "燃气公司{s}服务网点"),
    ("国网湖北省电力有限公司十堰供电公司", "十堰供电公司{s}供电营业厅"),
    ("中国电信股份有限公司十堰分公司", "十堰电信{c}营业厅"),
    ("中国移动通信集团湖北有限公司十堰分公司", "十堰移动{c}营业厅"),
    ("十堰市公共交通集团有限公司", "公交集团{s}服务中心"),
)
MARKET_OWNER = "十堰市五堰农贸市场管理有限公司"
MARKET_OWNER_COMMUNITY = "420302003001"

ROADS = (
    "人民路",
    "北京路",
    "朝阳路",
    "五堰街",
    "公园路",
    "柳林路",
    "东岳路",
    "武当路",
    "浙江路",
    "上海路",
    "天津路",
    "重庆路",
    "广东路",
    "发展大道",
    "车城路",
    "东风大道",
    "汉江路",
    "大岭路",
    "火箭路",
    "白浪路",
    "沿江大道",
    "香港路",
    "江苏路",
    "湖北路",
    "紫荆路",
    "红卫路",
    "花果路",
    "东环路",
    "丹江路",
    "三堰路",
    "六堰路",
    "市府路",
)
ORDINALS = "一二三四五六七八九"
HOMES = ("花园", "家园", "新村", "雅苑", "华庭", "小区", "嘉园", "名邸")
NETCAFES = ("极速网咖", "星际网咖", "蓝海网咖", "天翼网咖", "电竞空间", "网鱼网咖")
MALLS = ("中百仓储", "武商量贩", "好邻居超市", "人民商场", "万联购物中心", "家家乐超市")
HOTELS = ("汉庭酒店", "如家酒店", "锦江之星", "维也纳酒店", "全季酒店", "城市便捷酒店")
CITY_HOSPITALS = ("十堰市人民医院", "十堰市太和医院", "国药东风总医院", "十堰市中医医院")
PARKS = ("人民公园", "四方山植物园", "百二河生态公园", "牛头山森林公园", "犟河生态公园")
STATIONS = ("十堰站", "十堰东站", "十堰客运中心站", "十堰汽车客运站")
# Names of each type: {d} district, {s} street, {c} community, {r} {r2} {r3} roads,
# {o} an ordinal, {h} a home name, {n} a net cafe, {m} a mall, {t} a hotel, {w} a unit.
NAME_TEMPLATES = {
    "ROAD": ("{r}({r2}—{r3})",),
    "LANE": ("{c}{o}巷", "{r}{o}巷", "{c}后街"),
    "COMMUNITY": ("{c}{h}", "{s}{h}"),
    "MARKET": ("{c}农贸市场", "{s}农贸市场", "{c}菜市场"),
    "STREET": ("{s}商业步行街", "{r}商业街", "{c}美食街"),
    "PARK": ("{park}", "{c}游园", "{s}文化广场", "{c}口袋公园"),
    "HOSPITAL": ("{hospital}", "{d}人民医院", "{d}中医医院", "{s}社区卫生服务中心"),
    "SCHOOL": ("{c}小学周边", "{s}中学周边", "{c}幼儿园周边", "{d}实验小学周边"),
    "LIBRARY": ("{d}图书馆", "{d}文化馆", "{s}综合文化站", "{c}图书分馆"),
    "NETCAFE": ("{n}({c}店)", "{n}({r}店)"),
    "STATION": ("{station}", "{s}公交枢纽站", "{c}公交首末站", "{d}客运站"),
    "SITE": ("{c}{h}项目工地", "{r}改造工程工地", "{s}安置房项目工地"),
    "GOVSVC": ("{d}政务服务中心", "{s}便民服务中心"),
    "TOILET": ("{r}公厕", "{c}公厕", "{s}{o}号公厕"),
    "WINDOW": ("{w}",),
    "CROSSING": ("{r}与{r2}交叉口",),
    "MALL": ("{m}({c}店)", "{m}({s}店)"),
    "HOTEL": ("{t}({c}店)", "{t}({r}店)"),
    "PRACTICE": ("{community}新时代文明实践站", "{c}{h}新时代文明实践点"),
}


@dataclass(frozen=True)
class PlannedPoint:
    code: str
    name: str
    type_code: str
    lat: float
    lng: float
    grid: str
    unit_id: int
    paired_unit_id: int | None
    address: str


@dataclass(frozen=True)
class _Grid:
    code: str
    district: str
    land_use: str
    geometry: dict
    community_id: int


def _apportion(total: int, weights: dict[str, int]) -> dict[str, int]:
    """Largest remainders: the shares add up to ``total`` exactly."""
    whole = sum(weights.values())
    raw = {k: total * w / whole for k, w in weights.items()}
    shares = {k: int(v) for k, v in raw.items()}
    rest = total - sum(shares.values())
    for key in sorted(raw, key=lambda k: (shares[k] - raw[k], k))[:rest]:
        shares[key] += 1
    return shares


def _base(name: str, suffixes: tuple[str, ...]) -> str:
    for suffix in suffixes:
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return name


def _district_short(node: TerritoryNode) -> str:
    return "经开区" if node.code not in ("420302", "420303", "420304") else node.name


def _inside(geometry: dict, rng: random.Random) -> tuple[float, float]:
    polygon = shape(geometry)
    # Away from the edges: a point on a shared border would route to the neighbour.
    inner = polygon.buffer(-0.00005)
    target = inner if not inner.is_empty else polygon
    min_x, min_y, max_x, max_y = target.bounds
    for _ in range(500):
        x = round(rng.uniform(min_x, max_x), 6)
        y = round(rng.uniform(min_y, max_y), 6)
        if shapely.contains_xy(target, x, y):
            return y, x
    x, y = target.representative_point().coords[0]
    return round(y, 6), round(x, 6)


def plan_points(*, seed: int) -> list[PlannedPoint]:
    """Where the demo points go, what they are called and who answers for them: the same
    for the same seed and the same city."""
    rng = random.Random(seed)
    invalidate()
    districts = {
        n.code: n
        for n in TerritoryNode.objects.filter(level=Level.DISTRICT, code__in=URBAN_DISTRICTS)
    }
    grids: dict[str, list[_Grid]] = {code: [] for code in sorted(districts)}
    for code, path, land_use, geometry, parent_id in (
        TerritoryNode.objects.filter(level=Level.GRID, is_active=True)
        .order_by("code")
        .values_list("code", "path", "land_use", "geometry", "parent_id")
    ):
        district = path.split("/")[1] if path.count("/") > 1 else ""
        if district in grids and geometry:
            grids[district].append(_Grid(code, district, land_use, geometry, parent_id))
    nodes = {
        n.pk: n
        for n in TerritoryNode.objects.filter(
            level__in=(Level.STREET, Level.COMMUNITY),
            path__regex=r"^420300/(420302|420303|420304|420390)/",
        )
    }
    units = {
        (u.kind, u.territory_id): u.pk
        for u in Unit.objects.filter(
            kind__in=(UnitKind.COMMUNITY_COMMITTEE, UnitKind.STREET_OFFICE), is_active=True
        )
    }
    named = {u.name: u.pk for u in Unit.objects.filter(is_active=True)}
    today = timezone.localdate()
    paired: dict[int, int] = {}
    for territory_id, unit_id in (
        Pairing.objects.filter(starts_on__lte=today, ends_on__gte=today, unit__is_active=True)
        .order_by("unit__name", "pk")
        .values_list("territory_id", "unit_id")
    ):
        paired.setdefault(territory_id, unit_id)

    weights = {code: len(items) for code, items in grids.items() if items}
    per_type = {t: _apportion(q, weights) for t, q in QUOTAS.items()}
    used_names: set[str] = set()
    used_grids: set[str] = set()
    planned: list[PlannedPoint] = []
    market_done = False
    for district_code in sorted(weights):
        district = districts[district_code]
        pool = grids[district_code]
        number = 0
        for type_code in QUOTAS:
            for _ in range(per_type[type_code][district_code]):
                # The one market with its own management company sits in its community.
                special = type_code == "MARKET" and not market_done and MARKET_OWNER in named
                owner_grids = (
                    [g for g in pool if g.code.startswith(MARKET_OWNER_COMMUNITY)]
                    if special
                    else []
                )
                grid = (
                    rng.choice(owner_grids)
                    if owner_grids
                    else _pick_grid(pool, LAND_USES[type_code], used_grids, rng)
                )
                community = nodes[grid.community_id]
                street = nodes[community.parent_id]
                lat, lng = _placed(grid, rng)
                unit_id, name = _owner_and_name(
                    type_code, grid, district, street, community, units, named, rng, used_names
                )
                if owner_grids and "五堰农贸市场" not in used_names:
                    unit_id, name = named[MARKET_OWNER], "五堰农贸市场"
                    market_done = True
                used_names.add(name)
                used_grids.add(grid.code)
                number += 1
                planned.append(
                    PlannedPoint(
                        code=f"P{district_code}-{number:04d}",
                        name=name,
                        type_code=type_code,
                        lat=lat,
                        lng=lng,
                        grid=grid.code,
                        unit_id=unit_id,
                        paired_unit_id=paired.get(community.pk),
                        address=f"{district.name}{street.name}{community.name}",
                    )
                )
    return planned


def _pick_grid(pool: list[_Grid], uses: tuple[str, ...], used: set[str], rng) -> _Grid:
    fresh = [g for g in pool if g.code not in used]
    for candidates in (
        [g for g in fresh if g.land_use in uses],
        [g for g in fresh if g.land_use != LandUse.RURAL],
        fresh,
        pool,
    ):
        if candidates:
            return rng.choice(candidates)
    raise RuntimeError("演示城区没有单元网格:请先加载属地。")


def _placed(grid: _Grid, rng: random.Random) -> tuple[float, float]:
    """A spot inside the grid that the routing index also puts in that grid."""
    for _ in range(20):
        lat, lng = _inside(grid.geometry, rng)
        chain = locate(lng, lat)
        if chain is not None and chain.grid is not None and chain.grid.code == grid.code:
            return lat, lng
    raise RuntimeError(f"无法在网格 {grid.code} 内取点。")


def _owner_and_name(type_code, grid, district, street, community, units, named, rng, used):
    s = _base(street.name, ("街道", "片区", "镇", "乡"))
    c = _base(community.name, ("社区", "村"))
    roads = rng.sample(ROADS, 3)
    window_unit, window_name = rng.choice(WINDOW_OWNERS)
    words = {
        "d": _district_short(district),
        "s": s,
        "c": c,
        "community": community.name,
        "r": roads[0],
        "r2": roads[1],
        "r3": roads[2],
        "o": rng.choice(ORDINALS),
        "h": rng.choice(HOMES),
        "n": rng.choice(NETCAFES),
        "m": rng.choice(MALLS),
        "t": rng.choice(HOTELS),
        "w": window_name.format(s=s, c=c),
        "park": rng.choice(PARKS),
        "station": rng.choice(STATIONS),
        "hospital": rng.choice(CITY_HOSPITALS)
        if district.code in ("420302", "420303")
        else f"{_district_short(district)}人民医院",
    }
    templates = list(NAME_TEMPLATES[type_code])
    rng.shuffle(templates)
    name = next(
        (n for n in (t.format(**words) for t in templates) if n not in used),
        None,
    )
    if name is None:
        # Every pattern is taken: the community tells this one apart.
        name = f"{templates[0].format(**words)}({community.name})"
        n = 2
        while name in used:
            name = f"{templates[0].format(**words)}({community.name}{n})"
            n += 1
    if type_code in COMMUNITY_TYPES:
        unit_id = units.get((UnitKind.COMMUNITY_COMMITTEE, community.pk))
    elif type_code in STREET_TYPES:
        unit_id = units.get((UnitKind.STREET_OFFICE, street.pk))
    elif type_code == "WINDOW":
        unit_id = named.get(window_unit)
    else:
        unit_id = named.get(DEPARTMENT_OF[type_code])
    if unit_id is None:
        raise RuntimeError(f"找不到点位 {name} 的责任单位:请先加载单位。")
    return unit_id, name


def seed_points(*, stdout, seed: int) -> int:
    """The demo points, registered through ``point_create`` as the system. On a database
    that has points, nothing changes. Returns how many were created."""
    if Point.objects.exists():
        return 0
    types = {t.code: t.pk for t in PointType.objects.filter(is_active=True)}
    missing = sorted(set(QUOTAS) - set(types))
    if missing:
        raise RuntimeError(f"缺少点位类型 {'、'.join(missing)}:请先加载点位类型。")
    planned = plan_points(seed=seed)
    with transaction.atomic():
        for p in planned:
            point_create(
                code=p.code,
                name=p.name,
                point_type_id=types[p.type_code],
                lat=p.lat,
                lng=p.lng,
                unit_id=p.unit_id,
                paired_unit_id=p.paired_unit_id,
                address=p.address,
                actor=None,
            )
    by_district: dict[str, int] = {}
    for p in planned:
        district = p.code[1:7]
        by_district[district] = by_district.get(district, 0) + 1
    spread = "、".join(
        f"{name} {by_district.get(code, 0)} 个"
        for code, name in TerritoryNode.objects.filter(code__in=URBAN_DISTRICTS)
        .order_by("code")
        .values_list("code", "name")
    )
    stdout.write(f"测评点位:{len(planned)} 个({spread})")
    return len(planned)
