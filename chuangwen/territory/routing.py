"""Point → territory chain, answered in-process from an STRtree of the territory polygons.

The index is built once per process from the database and rebuilt when the territory
version changes (every territory service bumps it). The deepest level that contains the
point answers: normally a grid; a community, street or district where nothing finer is
mapped. At district level a functional zone beats the district it lies in. On a shared
border the point belongs to the candidate with the smallest area, then the lowest code,
so the answer never depends on insertion order.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

import numpy as np
import shapely
from django.conf import settings
from shapely.geometry import shape

from .choices import Level, NodeKind

SEARCH_LEVELS = (Level.GRID, Level.COMMUNITY, Level.STREET, Level.DISTRICT)


@dataclass(frozen=True)
class Link:
    id: int
    code: str
    name: str
    path: str = ""


@dataclass(frozen=True)
class Chain:
    grid: Link | None
    community: Link | None
    street: Link | None
    district: Link | None

    @property
    def deepest(self) -> Link | None:
        return self.grid or self.community or self.street or self.district

    def as_dict(self) -> dict[str, dict[str, str] | None]:
        return {
            level: ({"code": link.code, "name": link.name} if link else None)
            for level, link in (
                ("grid", self.grid),
                ("community", self.community),
                ("street", self.street),
                ("district", self.district),
            )
        }


@dataclass(frozen=True)
class NodeRow:
    id: int
    code: str
    name: str
    level: str
    kind: str
    path: str
    geometry: dict | None


class _LevelIndex:
    def __init__(self, rows: list[NodeRow], chains: dict[str, Chain]):
        geoms = [shape(r.geometry) for r in rows]
        self.geoms = np.array(geoms, dtype=object)
        shapely.prepare(self.geoms)
        self.tree = shapely.STRtree(self.geoms)
        # Lower rank wins a tie: zones before districts, then smaller, then lower code.
        order = sorted(
            range(len(rows)),
            key=lambda i: (rows[i].kind != NodeKind.FUNCTIONAL_ZONE, geoms[i].area, rows[i].code),
        )
        self.rank = np.empty(len(rows), dtype=np.int64)
        self.rank[order] = np.arange(len(rows))
        self.chains = [chains[r.code] for r in rows]

    def lookup(self, point) -> Chain | None:
        hits = self.tree.query(point, predicate="intersects")
        if hits.size == 0:
            return None
        if hits.size == 1:
            return self.chains[hits[0]]
        return self.chains[hits[np.argmin(self.rank[hits])]]


class RoutingIndex:
    def __init__(self, rows: list[NodeRow], version: int = 0):
        self.version = version
        by_code = {r.code: r for r in rows}
        chains: dict[str, Chain] = {}
        for row in rows:
            links: dict[str, Link] = {}
            for code in row.path.strip("/").split("/"):
                node = by_code.get(code)
                if node is not None:
                    links[node.level] = Link(node.id, node.code, node.name, node.path)
            chains[row.code] = Chain(
                grid=links.get(Level.GRID),
                community=links.get(Level.COMMUNITY),
                street=links.get(Level.STREET),
                district=links.get(Level.DISTRICT),
            )
        self.levels = []
        for level in SEARCH_LEVELS:
            level_rows = [r for r in rows if r.level == level and r.geometry]
            if level_rows:
                self.levels.append(_LevelIndex(level_rows, chains))
        self.size = sum(len(level.chains) for level in self.levels)

    def locate(self, lng: float, lat: float) -> Chain | None:
        point = shapely.Point(lng, lat)
        for level in self.levels:
            chain = level.lookup(point)
            if chain is not None:
                return chain
        return None


def load_rows() -> list[NodeRow]:
    from .models import TerritoryNode

    return [
        NodeRow(*values)
        for values in TerritoryNode.objects.filter(is_active=True).values_list(
            "id", "code", "name", "level", "kind", "path", "geometry"
        )
    ]


def current_version() -> int:
    from .models import TerritoryState

    return TerritoryState.objects.filter(pk=1).values_list("version", flat=True).first() or 0


_lock = threading.Lock()
_index: RoutingIndex | None = None
_checked_at = 0.0


def invalidate() -> None:
    global _index
    with _lock:
        _index = None


def get_index() -> RoutingIndex:
    """This process's index, rebuilt when another process changed the territory."""
    global _index, _checked_at
    now = time.monotonic()
    index = _index
    if index is not None and now - _checked_at < settings.ROUTING_RECHECK_SECONDS:
        return index
    version = current_version()
    with _lock:
        if _index is None or _index.version != version:
            _index = RoutingIndex(load_rows(), version=version)
        _checked_at = now
        return _index


def locate(lng: float, lat: float) -> Chain | None:
    return get_index().locate(lng, lat)
