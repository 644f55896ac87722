"""A small, hand-checkable city for tests: two districts of squares, built through the
services. Coordinates (lng, lat):

    茅箭区 420302  [110.0, 110.2] × [32.0, 32.2]   streets 001 (west half), 002 (east half)
    张湾区 420303  [110.2, 110.4] × [32.0, 32.2]   street 001 (whole)
    each street: community 001 (south half), 002 (north half)
    each community: grid 001 (west half), 002 (east half)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from shapely.geometry import box, mapping

from chuangwen.org.choices import Role, UnitKind
from chuangwen.org.models import Unit
from chuangwen.org.services import membership_grant, pairing_create, unit_create
from chuangwen.territory.choices import Level
from chuangwen.territory.models import TerritoryNode
from chuangwen.territory.services import territory_node_create

from .factories import UserFactory


def square(x0, y0, x1, y1) -> dict:
    return {
        "type": "Polygon",
        "coordinates": [list(map(list, mapping(box(x0, y0, x1, y1))["coordinates"][0]))],
    }


@dataclass
class MiniCity:
    nodes: dict[str, TerritoryNode] = field(default_factory=dict)
    units: dict[str, Unit] = field(default_factory=dict)

    def node(self, code: str) -> TerritoryNode:
        return self.nodes[code]

    def user(self, role: str, unit_key: str, **kwargs):
        user = UserFactory(**kwargs)
        membership_grant(user=user, unit=self.units[unit_key], role=role, actor=None)
        return user


def _split(x0, y0, x1, y1, axis):
    if axis == "x":
        mid = (x0 + x1) / 2
        return (x0, y0, mid, y1), (mid, y0, x1, y1)
    mid = (y0 + y1) / 2
    return (x0, y0, x1, mid), (x0, mid, x1, y1)


def build_mini_city() -> MiniCity:
    city = MiniCity()
    root = territory_node_create(
        code="420300",
        name="十堰市",
        level=Level.CITY,
        parent=None,
        geometry=square(110.0, 32.0, 110.4, 32.2),
        actor=None,
    )
    city.nodes[root.code] = root
    districts = {
        "420302": ("茅箭区", (110.0, 32.0, 110.2, 32.2), ["武当路街道", "二堰街道"]),
        "420303": ("张湾区", (110.2, 32.0, 110.4, 32.2), ["车城路街道"]),
    }
    for dcode, (dname, dbox, streets) in districts.items():
        d = territory_node_create(
            code=dcode,
            name=dname,
            level=Level.DISTRICT,
            parent=root,
            geometry=square(*dbox),
            actor=None,
        )
        city.nodes[dcode] = d
        sboxes = _split(*dbox, "x") if len(streets) == 2 else (dbox,)
        for si, (sname, sbox) in enumerate(zip(streets, sboxes, strict=True), start=1):
            s = territory_node_create(
                code=f"{dcode}{si:03d}",
                name=sname,
                level=Level.STREET,
                parent=d,
                geometry=square(*sbox),
                actor=None,
            )
            city.nodes[s.code] = s
            for ci, cbox in enumerate(_split(*sbox, "y"), start=1):
                c = territory_node_create(
                    code=f"{s.code}{ci:03d}",
                    name=f"{sname[:2]}{ci}社区",
                    level=Level.COMMUNITY,
                    parent=s,
                    geometry=square(*cbox),
                    actor=None,
                )
                city.nodes[c.code] = c
                for gi, gbox in enumerate(_split(*cbox, "x"), start=1):
                    g = territory_node_create(
                        code=f"{c.code}{gi:03d}",
                        name=f"{c.name}第{gi}网格",
                        level=Level.GRID,
                        parent=c,
                        geometry=square(*gbox),
                        actor=None,
                    )
                    city.nodes[g.code] = g
    make = lambda key, **kw: city.units.__setitem__(key, unit_create(actor=None, **kw))  # noqa: E731
    make("city", name="市创文办", kind=UnitKind.CITY_OFFICE, territory=root)
    make("dept", name="市城管执法委", kind=UnitKind.MUNICIPAL_DEPARTMENT, territory=root)
    for code, node in city.nodes.items():
        kind = {
            Level.DISTRICT: UnitKind.DISTRICT_GOVERNMENT,
            Level.STREET: UnitKind.STREET_OFFICE,
            Level.COMMUNITY: UnitKind.COMMUNITY_COMMITTEE,
        }.get(node.level)
        if kind:
            make(
                code,
                name=f"{node.name}{code}",
                kind=kind,
                territory=node,
                contact_phone="0719-8000000",
            )
    make(
        "volunteers",
        name="武当路街道志愿服务队",
        kind=UnitKind.VOLUNTEER_ORG,
        territory=city.nodes["420302001"],
    )
    today = date.today()
    pairing_create(
        unit=city.units["dept"],
        territory=city.nodes["420303001001"],
        starts_on=date(today.year, 1, 1),
        ends_on=date(today.year, 12, 31),
        actor=None,
    )
    return city


# Where each role sits in the mini city: street 420302001 (武当路街道) and its neighbours.
ROLE_HOMES = {
    Role.CITY_ADMIN: "city",
    Role.CITY_OPERATOR: "city",
    Role.LEADER: "city",
    Role.DISTRICT_OPERATOR: "420302",
    Role.STREET_OPERATOR: "420302001",
    Role.COMMUNITY_OPERATOR: "420302001001",
    Role.UNIT_HANDLER: "420302001",
    Role.INSPECTOR: "420302001",
    Role.OBSERVER: "420302001",
    Role.COLLECTOR: "420302001",
    Role.PERSUADER: "420302001001",
    Role.VOLUNTEER: "volunteers",
}
CITYWIDE_ROLES = {Role.CITY_ADMIN, Role.CITY_OPERATOR, Role.LEADER}
