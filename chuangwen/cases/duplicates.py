"""Finding open cases that a new report probably repeats.

A duplicate is an open case of the same category within the category's radius and time
window. ``find_duplicates`` asks the database (one indexed query: category and a band of
latitude); ``DuplicateIndex`` answers the same question from memory for an import that
checks thousands of rows against each other and against the open cases."""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from chuangwen.core import clock

from .choices import OPEN_STATUSES

METERS_PER_DEGREE = 111_320.0


def distance_m(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """Ground distance on a local flat projection: exact enough within a few kilometres."""
    dy = (lat2 - lat1) * METERS_PER_DEGREE
    dx = (lng2 - lng1) * METERS_PER_DEGREE * math.cos(math.radians((lat1 + lat2) / 2))
    return math.hypot(dx, dy)


def _deltas(lat: float, radius_m: float) -> tuple[float, float]:
    dlat = radius_m / METERS_PER_DEGREE
    dlng = radius_m / (METERS_PER_DEGREE * max(math.cos(math.radians(lat)), 0.01))
    return dlat, dlng


@dataclass(frozen=True)
class Candidate:
    id: int
    code: str
    status: str
    distance_m: float
    reported_at: datetime
    description: str
    address: str

    @property
    def status_label(self) -> str:
        from .choices import Status

        return str(Status(self.status).label)


def find_duplicates(
    *,
    category,
    lat: float,
    lng: float,
    now: datetime | None = None,
    exclude_id: int | None = None,
    limit: int = 5,
    within=None,
) -> list[Candidate]:
    """Open cases of ``category`` near (lat, lng), nearest first; ``within`` is the
    queryset of cases the caller may see (all cases when None)."""
    from .models import Case

    now = now or clock.now()
    radius = category.duplicate_radius_m
    dlat, dlng = _deltas(lat, radius)
    rows = (
        (Case.objects.all() if within is None else within)
        .filter(
            category_id=category.pk,
            lat__range=(lat - dlat, lat + dlat),
            lng__range=(lng - dlng, lng + dlng),
            status__in=OPEN_STATUSES,
            reported_at__gte=now - timedelta(days=category.duplicate_window_days),
        )
        .order_by()
        .values_list("id", "code", "status", "lat", "lng", "reported_at", "description", "address")
    )
    found = []
    for pk, code, status, clat, clng, reported_at, description, address in rows:
        if pk == exclude_id:
            continue
        meters = distance_m(lat, lng, clat, clng)
        if meters <= radius:
            found.append(
                Candidate(pk, code, status, round(meters, 1), reported_at, description, address)
            )
    found.sort(key=lambda c: (c.distance_m, -c.reported_at.timestamp()))
    return found[:limit]


class DuplicateIndex:
    """Open cases held in memory, bucketed by category and a grid of cells at least as
    large as the category's radius, so a lookup reads the nine cells around a point."""

    def __init__(self, categories, *, now: datetime | None = None):
        self.now = now or clock.now()
        self.categories = {c.pk: c for c in categories}
        self.cells: dict[tuple, list[tuple[int, float, float, datetime]]] = defaultdict(list)

    def _cell(self, category, lat: float, lng: float) -> tuple[int, int, int]:
        size = max(category.duplicate_radius_m, 1) / METERS_PER_DEGREE
        return category.pk, math.floor(lat / size), math.floor(lng / size)

    def load(self) -> DuplicateIndex:
        """Read the open cases of the index's categories within their windows."""
        from .models import Case

        for category in self.categories.values():
            since = self.now - timedelta(days=category.duplicate_window_days)
            rows = (
                Case.objects.filter(
                    category_id=category.pk, status__in=OPEN_STATUSES, reported_at__gte=since
                )
                .order_by()
                .values_list("id", "lat", "lng", "reported_at")
            )
            for pk, lat, lng, reported_at in rows.iterator(chunk_size=5000):
                self.add(category.pk, pk, lat, lng, reported_at)
        return self

    def add(self, category_id: int, case_id: int, lat: float, lng: float, reported_at) -> None:
        category = self.categories[category_id]
        self.cells[self._cell(category, lat, lng)].append((case_id, lat, lng, reported_at))

    def nearest(self, category_id: int, lat: float, lng: float) -> tuple[int, float] | None:
        """The nearest open case of the category within its radius and window, as
        (case id, metres), or None."""
        category = self.categories.get(category_id)
        if category is None:
            return None
        since = self.now - timedelta(days=category.duplicate_window_days)
        _pk, row, col = self._cell(category, lat, lng)
        best = None
        for dr in (-1, 0, 1):
            for dc in (-1, 0, 1):
                for case_id, clat, clng, reported_at in self.cells.get(
                    (category_id, row + dr, col + dc), ()
                ):
                    if reported_at < since:
                        continue
                    meters = distance_m(lat, lng, clat, clng)
                    if meters <= category.duplicate_radius_m and (best is None or meters < best[1]):
                        best = (case_id, meters)
        return best
