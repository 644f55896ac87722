"""Build the Shiyan demo city through the same services the product uses."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone

from chuangwen.accounts.services import user_create
from chuangwen.org.choices import UnitKind
from chuangwen.org.models import Membership, Unit
from chuangwen.org.services import membership_grant, pairing_create, unit_create
from chuangwen.territory.choices import LandUse, Level, NodeKind
from chuangwen.territory.models import TerritoryNode
from chuangwen.territory.services import (
    territory_assign_owner,
    territory_bulk_create,
    territory_import_features,
    territory_node_create,
)

from . import city
from . import evaluation as evaluation_demo
from .assessment import seed_assessment
from .catalogue import load_catalogue, load_routing_rules
from .history import load_history
from .people import DEMO_USERS, DEPARTMENTS, GIVEN, SURNAMES
from .public_groups import seed_public_groups

GRID_OWNERS = {
    LandUse.GREEN: "十堰市园林局",
    LandUse.EDUCATION: "十堰市教育局",
    LandUse.TRANSPORT: "十堰市交通运输局",
}
PAIRINGS_PER_DEPARTMENT = 3


@dataclass
class DemoLogin:
    username: str
    full_name: str
    role: str
    unit: str


def _person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN)


def _phone(rng: random.Random) -> str:
    return f"0719-8{rng.randint(100000, 999999)}"


def _office_name(district: TerritoryNode, street: TerritoryNode) -> str:
    if street.name.endswith("片区"):
        return f"{district.name}{street.name}管理办公室"
    suffix = "办事处" if street.name.endswith("街道") else "人民政府"
    return f"{district.name}{street.name}{suffix}"


def _committee_name(street_office: str, community: TerritoryNode) -> str:
    prefix = (
        street_office.removesuffix("办事处").removesuffix("人民政府").removesuffix("管理办公室")
    )
    suffix = "居民委员会" if community.name.endswith("社区") else "村民委员会"
    return f"{prefix}{community.name}{suffix}"


def build_territory(stdout) -> None:
    specs, counts = city.generate()
    districts = city.load_districts()
    root_spec = specs[0]
    from chuangwen.core.geo import to_geojson

    root = territory_node_create(
        code=city.CITY_CODE,
        name=city.CITY_NAME,
        level=Level.CITY,
        parent=None,
        geometry=to_geojson(root_spec.geometry),
        actor=None,
    )
    report = territory_import_features(
        features=districts,
        level=Level.DISTRICT,
        code_field="adcode",
        name_field="name",
        parent_code=root.code,
        actor=None,
    )
    for line in report.lines():
        stdout.write(line)
    zone = next(s for s in specs if s.code == city.ZONE_CODE)
    territory_node_create(
        code=zone.code,
        name=zone.name,
        level=Level.DISTRICT,
        parent=root,
        geometry=to_geojson(zone.geometry),
        kind=NodeKind.FUNCTIONAL_ZONE,
        actor=None,
    )
    below = [s for s in specs if s.level in (Level.STREET, Level.COMMUNITY, Level.GRID)]
    territory_bulk_create(specs=below, actor=None)
    stdout.write(
        f"属地:{counts['districts']} 个区县/功能区,{counts['streets']} 个街道/乡镇,"
        f"{counts['communities']} 个社区/村,{counts['grids']} 个单元网格"
        f"(四个城区 {counts['urban_grids']} 个)"
    )


def build_units(rng: random.Random) -> dict[str, Unit]:
    root = TerritoryNode.objects.get(code=city.CITY_CODE)
    units: dict[str, Unit] = {}
    office = unit_create(
        name="十堰市创建全国文明城市工作指挥部办公室",
        short_name="市创文办",
        kind=UnitKind.CITY_OFFICE,
        territory=root,
        contact_person=_person(rng),
        contact_phone=_phone(rng),
        address="十堰市茅箭区北京北路",
        actor=None,
    )
    units["city"] = office
    for name, short, kind in DEPARTMENTS:
        units[f"dept:{name}"] = unit_create(
            name=name,
            short_name=short,
            kind=kind,
            territory=root,
            contact_person=_person(rng),
            contact_phone=_phone(rng),
            actor=None,
        )
    units["volunteer:city"] = unit_create(
        name="十堰市志愿服务联合会",
        kind=UnitKind.VOLUNTEER_ORG,
        territory=root,
        parent=office,
        actor=None,
    )
    for district in TerritoryNode.objects.filter(level=Level.DISTRICT).order_by("code"):
        gov_name = (
            f"{district.name}管理委员会"
            if district.kind == NodeKind.FUNCTIONAL_ZONE
            else f"{district.name}人民政府"
        )
        gov = unit_create(
            name=gov_name,
            short_name=district.name,
            kind=UnitKind.DISTRICT_GOVERNMENT,
            territory=district,
            contact_person=_person(rng),
            contact_phone=_phone(rng),
            actor=None,
        )
        units[f"district:{district.code}"] = gov
        for street in district.children.order_by("code"):
            office_name = _office_name(district, street)
            street_office = unit_create(
                name=office_name,
                short_name=street.name,
                kind=UnitKind.STREET_OFFICE,
                territory=street,
                parent=gov,
                contact_person=_person(rng),
                contact_phone=_phone(rng),
                actor=None,
            )
            units[f"street:{street.code}"] = street_office
            if district.code in city.URBAN_DISTRICTS and street.name.endswith("街道"):
                units[f"volunteer:{street.code}"] = unit_create(
                    name=f"{district.name}{street.name}志愿服务队",
                    kind=UnitKind.VOLUNTEER_ORG,
                    territory=street,
                    parent=units["volunteer:city"],
                    actor=None,
                )
            for community in street.children.order_by("code"):
                units[f"community:{community.code}"] = unit_create(
                    name=_committee_name(office_name, community),
                    short_name=community.name,
                    kind=UnitKind.COMMUNITY_COMMITTEE,
                    territory=community,
                    parent=street_office,
                    contact_person=_person(rng),
                    contact_phone=_phone(rng),
                    actor=None,
                )
    market_community = TerritoryNode.objects.get(code="420302003001")
    units["point:market"] = unit_create(
        name="十堰市五堰农贸市场管理有限公司",
        short_name="五堰农贸市场",
        kind=UnitKind.POINT_OWNER,
        territory=market_community,
        contact_person=_person(rng),
        contact_phone=_phone(rng),
        actor=None,
    )
    return units


def assign_grid_owners(units: dict[str, Unit]) -> None:
    urban_paths = [f"{city.CITY_CODE}/{code}/" for code in city.URBAN_DISTRICTS]
    for land_use, unit_name in GRID_OWNERS.items():
        codes = [
            code
            for code, path in TerritoryNode.objects.filter(level=Level.GRID, land_use=land_use)
            .order_by("code")
            .values_list("code", "path")
            if any(path.startswith(p) for p in urban_paths)
        ]
        territory_assign_owner(codes=codes, unit=units[f"dept:{unit_name}"], actor=None)


def build_pairings(units: dict[str, Unit], today: date) -> int:
    communities = list(
        TerritoryNode.objects.filter(level=Level.COMMUNITY, parent__name__endswith="街道")
        .filter(path__regex=r"^420300/(420302|420303|420390)/")
        .order_by("code")
    )
    departments = [u for key, u in units.items() if key.startswith("dept:")]
    start, end = date(today.year, 1, 1), date(today.year, 12, 31)
    made = 0
    for i, dept in enumerate(departments):
        for j in range(PAIRINGS_PER_DEPARTMENT):
            community = communities[(i * PAIRINGS_PER_DEPARTMENT + j) % len(communities)]
            pairing_create(
                unit=dept,
                territory=community,
                starts_on=start,
                ends_on=end,
                note=f"{today.year}年度创文包联",
                actor=None,
            )
            made += 1
    return made


def build_users(units: dict[str, Unit], password: str) -> list[DemoLogin]:
    logins = []
    for username, full_name, role, where, title in DEMO_USERS:
        unit = units[where]
        user = user_create(
            username=username,
            password=password,
            full_name=full_name,
            is_staff=role == "city_admin",
            is_superuser=role == "city_admin",
            actor=None,
        )
        membership_grant(user=user, unit=unit, role=role, title=title, actor=None)
        logins.append(DemoLogin(username, full_name, role, unit.name))
    return logins


def existing_logins() -> list[DemoLogin]:
    names = [u[0] for u in DEMO_USERS]
    rows = Membership.objects.filter(user__username__in=names).select_related("user", "unit")
    by_name = {m.user.username: m for m in rows}
    return [
        DemoLogin(n, by_name[n].user.full_name, by_name[n].role, by_name[n].unit.name)
        for n in names
        if n in by_name
    ]


def load(
    *, password: str, stdout, seed: int = 2026, cases: int = 3000
) -> tuple[bool, list[DemoLogin]]:
    """Load the demo city once; on a database that has it, change nothing. The case
    history is replayed when there is none yet (``cases=0``: never).

    Returns (created, logins).
    """
    created = False
    if not TerritoryNode.objects.filter(level=Level.CITY).exists():
        rng = random.Random(seed)
        with transaction.atomic():
            build_territory(stdout)
            units = build_units(rng)
            assign_grid_owners(units)
            pairings = build_pairings(units, timezone.localdate())
            build_users(units, password)
            load_catalogue(stdout=stdout)
            load_routing_rules(stdout=stdout)
            seed_public_groups(stdout=stdout)
            evaluation_demo.seed_framework(stdout=stdout)
            evaluation_demo.seed_point_types(stdout=stdout)
            evaluation_demo.seed_points(stdout=stdout, seed=seed)
            evaluation_demo.seed_inspectors(password=password)
        stdout.write(
            f"单位:{Unit.objects.count()} 个(市直部门和企事业单位 {len(DEPARTMENTS)} 个),包联关系 {pairings} 条"
        )
        created = True
    if cases:
        load_history(stdout=stdout, seed=seed, count=cases)
        evaluation_demo.seed_rounds(stdout=stdout, seed=seed)
        seed_assessment(stdout=stdout, seed=seed)
    return created, existing_logins()


def logins_table(logins: list[DemoLogin], password: str) -> str:
    from chuangwen.org.choices import Role

    width = max(len(login.username) for login in logins) + 2
    lines = [f"{'用户名'.ljust(width)}{'密码'.ljust(20)}角色 / 单位"]
    for login in logins:
        lines.append(
            f"{login.username.ljust(width)}{password.ljust(20)}{Role(login.role).label} / {login.unit}"
        )
    return "\n".join(lines)
