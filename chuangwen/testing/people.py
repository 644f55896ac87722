"""The people of a test, by name: one roster of the usual members of the mini city, and
one way to build a cast from it.

A test names the people it needs; where one of them differs from the roster (another
name or phone, another role or home) it says only that::

    people = people_fixture("operator", "collector", collector={"full_name": "王小明"})

    people = people_fixture("planner", planner=Member(Role.CITY_OPERATOR, "city"))
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace

import pytest

from chuangwen.org.choices import Role
from chuangwen.org.models import Membership
from chuangwen.org.services import membership_grant, membership_revoke

from .factories import UserFactory


@dataclass(frozen=True)
class Member:
    """A user with ``role`` in the unit ``home`` (a key of the units given to
    :func:`build_people`; ``None``: a user of no unit), made with the user ``fields``.
    ``revoked``: the membership is granted, then revoked."""

    role: str | None = None
    home: str | None = None
    fields: Mapping = field(default_factory=dict)
    revoked: bool = False

    def but(self, **fields) -> Member:
        """The same member with other user fields."""
        return replace(self, fields={**self.fields, **fields})


# The usual people, at their homes in the mini city (chuangwen.testing.city; "water" is the
# unit of the case catalogue, chuangwen.testing.cases).
ROSTER: dict[str, Member] = {
    "admin": Member(Role.CITY_ADMIN, "city"),
    "operator": Member(Role.CITY_OPERATOR, "city"),
    "leader": Member(Role.LEADER, "city"),
    "district": Member(Role.DISTRICT_OPERATOR, "420302"),  # 茅箭区
    "zhangwan": Member(Role.DISTRICT_OPERATOR, "420303"),  # 张湾区
    "street": Member(Role.STREET_OPERATOR, "420302001"),  # 武当路街道
    "collector": Member(Role.COLLECTOR, "420302001"),
    "observer": Member(Role.OBSERVER, "420302001"),
    "water": Member(Role.UNIT_HANDLER, "water"),
    "water2": Member(Role.UNIT_HANDLER, "water"),
    "dept": Member(Role.UNIT_HANDLER, "dept"),  # 市城管执法委
    "handler": Member(Role.UNIT_HANDLER, "dept"),
}


def cast(*names: str, **changes: Member | Mapping) -> dict[str, Member]:
    """The members called ``names``, in that order, from the roster; ``changes`` gives a
    name its own ``Member`` or, as a mapping, other user fields for its roster member."""
    members = {}
    for name in names:
        change = changes.get(name)
        if isinstance(change, Member):
            members[name] = change
        elif name not in ROSTER:
            raise KeyError(f"{name!r} is not in the roster: give it a Member")
        else:
            members[name] = ROSTER[name].but(**(change or {}))
    unused = set(changes) - set(names)
    if unused:
        raise KeyError(f"changes for people not in the cast: {sorted(unused)}")
    return members


def build_people(units: Mapping, members: Mapping[str, Member]) -> dict:
    """The users of ``members`` by name, created in order, each granted its role in its
    unit (``units[member.home]``) and revoked where the member says so."""
    users = {}
    for name, member in members.items():
        user = users[name] = UserFactory(**member.fields)
        if member.home is None:
            continue
        unit = units[member.home]
        membership_grant(user=user, unit=unit, role=member.role, actor=None)
        if member.revoked:
            membership = Membership.objects.get(user=user, unit=unit)
            membership_revoke(membership=membership, actor=None)
    return users


def city_people(city, *names: str, **changes: Member | Mapping) -> dict:
    """The named cast as users of the mini city."""
    return build_people(city.units, cast(*names, **changes))


def people_fixture(*names: str, needs: tuple[str, ...] = ("catalogue",), **changes):
    """A ``people`` fixture building the named cast in the mini city, once the fixtures
    ``needs`` are set up (the catalogue makes the unit "water")."""

    @pytest.fixture
    def people(city, request):
        for name in needs:
            request.getfixturevalue(name)
        return city_people(city, *names, **changes)

    return people
