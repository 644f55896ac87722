"""Which points a round checks, who checks each, and on which day. Pure functions, so a
round's plan is reproducible from its seed and its rules alone.

Sampling: each rule draws its share of one point type in each district (or street):
ceil(percent × count ÷ 100), at least ``minimum`` and at most all of them, from the
group's points in code order with a generator seeded by (round seed, type, group).

Assignment: the points are laid along a Hilbert curve over their coordinates, which
keeps neighbours next to each other, and the curve is cut into as many runs as there are
inspectors, of sizes that differ by at most one. Each inspector gets one compact patch
of the map and the same amount of work.

Schedule: each inspector's run, in curve order, is spread evenly over the round's
working days.
"""

from __future__ import annotations

import math
import random
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True)
class Candidate:
    id: int
    code: str
    type_code: str
    district_id: int | None
    street_id: int | None
    lat: float
    lng: float


@dataclass(frozen=True)
class Rule:
    type_code: str
    percent: int
    minimum: int = 1
    per: str = "district"


def sample_size(count: int, *, percent: int, minimum: int) -> int:
    wanted = math.ceil(count * percent / 100)
    return min(count, max(wanted, minimum))


def draw(candidates: Sequence[Candidate], rules: Sequence[Rule], seed: int) -> list[Candidate]:
    """The points the rules pick, in code order, each once."""
    picked: dict[int, Candidate] = {}
    for rule in rules:
        groups: dict[object, list[Candidate]] = defaultdict(list)
        for c in candidates:
            if c.type_code == rule.type_code:
                groups[c.street_id if rule.per == "street" else c.district_id].append(c)
        for group, members in sorted(groups.items(), key=lambda kv: str(kv[0])):
            members.sort(key=lambda c: c.code)
            n = sample_size(len(members), percent=rule.percent, minimum=rule.minimum)
            rng = random.Random(f"{seed}:{rule.type_code}:{rule.per}:{group}")
            for c in rng.sample(members, n):
                picked[c.id] = c
    return sorted(picked.values(), key=lambda c: c.code)


def _hilbert(x: int, y: int, order: int) -> int:
    """Distance of cell (x, y) along the Hilbert curve filling a 2^order square."""
    d = 0
    s = 1 << (order - 1)
    while s:
        rx = 1 if x & s else 0
        ry = 1 if y & s else 0
        d += s * s * ((3 * rx) ^ ry)
        if ry == 0:
            if rx == 1:
                x, y = s - 1 - x, s - 1 - y
            x, y = y, x
        s >>= 1
    return d


def route_order(points: Sequence[Candidate], order: int = 16) -> list[Candidate]:
    if not points:
        return []
    lats = [p.lat for p in points]
    lngs = [p.lng for p in points]
    lat0, lng0 = min(lats), min(lngs)
    span = max(max(lats) - lat0, max(lngs) - lng0) or 1.0
    cells = (1 << order) - 1

    def key(p: Candidate) -> tuple[int, str]:
        x = round((p.lng - lng0) / span * cells)
        y = round((p.lat - lat0) / span * cells)
        return _hilbert(x, y, order), p.code

    return sorted(points, key=key)


def assign(points: Sequence[Candidate], inspector_ids: Sequence[int]) -> dict[int, list[Candidate]]:
    """inspector id → their points in walking order; run sizes differ by at most one."""
    if not inspector_ids:
        return {}
    ordered = route_order(points)
    n = len(inspector_ids)
    size, extra = divmod(len(ordered), n)
    runs: dict[int, list[Candidate]] = {}
    start = 0
    for i, inspector in enumerate(inspector_ids):
        end = start + size + (1 if i < extra else 0)
        runs[inspector] = ordered[start:end]
        start = end
    return runs


def working_days(start: date, end: date, is_workday) -> list[date]:
    days = []
    day = start
    while day <= end:
        if is_workday(day):
            days.append(day)
        day += timedelta(days=1)
    # A round that lies wholly on a holiday is still worked on its first day.
    return days or [start]


def schedule(count: int, days: Sequence[date]) -> list[date]:
    """The day of each of ``count`` visits in order, spread evenly over ``days``."""
    return [days[i * len(days) // count] for i in range(count)] if count else []
