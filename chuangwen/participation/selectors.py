"""Reads of the citizen portal. Everything here is public: it names no person and shows
nothing that a passer-by could not see in the street (category, place, state)."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import datetime, timedelta

import shapely
from django.db.models import Count, Q
from django.utils.translation import gettext as _
from shapely.geometry import mapping, shape

from chuangwen.cases.choices import DONE_STATUSES, Status
from chuangwen.cases.models import Case
from chuangwen.cases.selectors import public_recent
from chuangwen.catalog.models import Category
from chuangwen.core import clock
from chuangwen.territory.choices import Level, NodeKind
from chuangwen.territory.models import TerritoryNode, TerritoryState

RECENT_DAYS = 30
# Each page re-reads the rows before it: the list stops where that would grow costly.
MAX_PAGES = 100


def category_label(code: str) -> str:
    """The name of a 小类 (or of a standard's 小类) the form was sent with."""
    found = Category.objects.filter(code=(code or "").split("-")[0]).only("name").first()
    return found.name if found else ""


# -- limits --------------------------------------------------------------------------------
def limit_frees_at(
    *, since: datetime, window: timedelta, limit: int, client_hash: str = "", phone: str = ""
) -> datetime:
    """When a sender at the limit may report again: the moment the oldest of their last
    ``limit`` reports leaves the window."""
    reports = Case.objects.filter(reported_at__gte=since)
    reports = (
        reports.filter(client_hash=client_hash)
        if client_hash
        else reports.filter(reporter_phone=phone)
    )
    times = list(reports.order_by("-reported_at").values_list("reported_at", flat=True)[:limit])
    return (times[-1] if times else since) + window


# -- recent cases ----------------------------------------------------------------------------
@dataclass(frozen=True)
class RecentPage:
    rows: list[dict]
    number: int
    has_previous: bool
    has_next: bool


def recent_page(*, number: int, per_page: int = 20, days: int = RECENT_DAYS) -> RecentPage:
    """One page of the public list, newest first. Pages are cut from the same public
    rows the map shows, so the list can never show a field the map does not."""
    number = min(max(1, number), MAX_PAGES)
    rows = public_recent(days=days, limit=number * per_page + 1)
    start = (number - 1) * per_page
    return RecentPage(
        rows=rows[start : start + per_page],
        number=number,
        has_previous=number > 1,
        has_next=len(rows) > number * per_page,
    )


def recent_counts(*, days: int = RECENT_DAYS) -> dict[str, int]:
    """How many reports the city took on in the last days, and how many it finished."""
    since = clock.now() - timedelta(days=days)
    counted = (
        Case.objects.filter(reported_at__gte=since)
        .exclude(status__in=(Status.INVALID, Status.CANCELLED, Status.MERGED))
        .aggregate(
            total=Count("pk"),
            closed=Count("pk", filter=Q(status=Status.CLOSED)),
            open=Count("pk", filter=~Q(status__in=DONE_STATUSES)),
        )
    )
    return {key: value or 0 for key, value in counted.items()}


# -- the city's outline ----------------------------------------------------------------------
_outline_lock = threading.Lock()
_outline_cache: dict[tuple | None, dict] = {}
# About 50 m: plenty for a backdrop, and a fraction of the full boundary's size.
OUTLINE_TOLERANCE = 0.0005


def districts_geojson() -> dict:
    """The city's districts and counties, simplified, for the public maps' backdrop
    (administrative boundaries are public). Rebuilt when the territory changes."""
    state = TerritoryState.objects.order_by("pk").values_list("version", "changed_at").first()
    with _outline_lock:
        if state in _outline_cache:
            return _outline_cache[state]
    nodes = TerritoryNode.objects.filter(
        level=Level.DISTRICT,
        kind=NodeKind.ADMINISTRATIVE,
        is_active=True,
        geometry__isnull=False,
    ).only("code", "name", "geometry")
    features = []
    for node in nodes.order_by("code"):
        geometry = shapely.simplify(shape(node.geometry), OUTLINE_TOLERANCE)
        features.append(
            {
                "type": "Feature",
                "properties": {"code": node.code, "name": node.name},
                "geometry": mapping(geometry),
            }
        )
    collection = {"type": "FeatureCollection", "features": features}
    with _outline_lock:
        _outline_cache.clear()
        _outline_cache[state] = collection
    return collection


def city_centre() -> str:
    """The city's centre as "lat,lng": where a map starts before its outlines arrive."""
    root = (
        TerritoryNode.objects.filter(level=Level.CITY, parent__isnull=True)
        .values_list("centroid_lat", "centroid_lng")
        .first()
    )
    return f"{root[0]:.5f},{root[1]:.5f}" if root and None not in root else ""


def status_groups() -> list[tuple[str, str, list[str]]]:
    """The legend of the public map: four colours for the states a passer-by tells apart."""
    return [
        ("waiting", _("待受理/待派遣"), [Status.REPORTED, Status.REGISTERED]),
        ("working", _("处置中"), [Status.DISPATCHED, Status.IN_PROGRESS]),
        ("checking", _("待核查"), [Status.HANDLED]),
        ("closed", _("已办结"), [Status.CLOSED]),
    ]
