"""Placing a work order that has no coordinates, from the territory names it mentions.

12345 and survey lists name places in words: a 区县 / 街道 / 社区 column, or only an
address such as "茅箭区武当路街道武当1社区人民北路12号". The names are looked up among the
active district, street and community nodes, each under its full name and under its
name without the suffix (区/县/市/街道/镇/乡/社区/村), which is how people write them.

The deepest node wins whose ancestors agree with every other name found; the case point
is that node's representative point (always inside its polygon). Confidence says how
sure the placement is:

    community, its street also named ......... 0.9
    community alone (its name unique) ........ 0.8
    street (with or without its district) .... 0.7
    district only ............................ 0.4

Two candidates at the deepest level (the same village name in two townships) fall back
to the deepest ancestor they share; candidates sharing nothing leave the row unmatched.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from shapely.geometry import shape

from chuangwen.territory.choices import Level
from chuangwen.territory.models import TerritoryNode
from chuangwen.territory.routing import Chain, Link

SUFFIXES = ("街道办事处", "街道", "社区", "区", "县", "市", "镇", "乡", "村")
LEVELS = (Level.DISTRICT, Level.STREET, Level.COMMUNITY)
CONFIDENCE = {"community_in_street": 0.9, "community": 0.8, "street": 0.7, "district": 0.4}
# Shorter names ("城关") would be found inside too many unrelated words.
MIN_NAME = 2


@dataclass(frozen=True)
class Place:
    node_id: int
    level: str
    confidence: float
    chain: Chain
    lat: float
    lng: float


@dataclass
class _Node:
    id: int
    code: str
    name: str
    level: str
    path: str
    parent_id: int | None
    point: tuple[float, float] | None = None  # (lat, lng), computed on first use
    placed: bool = False

    def link(self) -> Link:
        return Link(self.id, self.code, self.name, self.path)


def variants(name: str) -> set[str]:
    names = {name}
    for suffix in SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= MIN_NAME:
            names.add(name[: -len(suffix)])
            break
    return names


class AddressMatcher:
    """The territory names held in memory for one import."""

    def __init__(self) -> None:
        rows = TerritoryNode.objects.filter(is_active=True, level__in=LEVELS).values_list(
            "id", "code", "name", "level", "path", "parent_id"
        )
        self.nodes = {row[0]: _Node(*row) for row in rows}
        self.names: dict[str, dict[str, set[int]]] = {level: defaultdict(set) for level in LEVELS}
        longest = MIN_NAME
        for node in self.nodes.values():
            for variant in variants(node.name):
                self.names[node.level][variant].add(node.id)
                longest = max(longest, len(variant))
        self.longest = longest
        # Where a name can start: most positions of an address begin none.
        self.starts = {name[:MIN_NAME] for level in LEVELS for name in self.names[level]}
        self._cache: dict[tuple[str, str, str, str], Place | None] = {}

    # -- finding names ----------------------------------------------------------------------
    def _exact(self, level: str, text: str) -> set[int]:
        text = text.strip()
        if not text:
            return set()
        found = set(self.names[level].get(text, ()))
        for variant in variants(text):
            found |= self.names[level].get(variant, set())
        return found

    def _inside(self, text: str) -> dict[str, set[int]]:
        """Every node named somewhere in the text, by level: each substring of a name's
        length is one dictionary lookup, so the cost does not grow with the city."""
        hits = []
        size = len(text)
        for start in range(size):
            if text[start : start + MIN_NAME] not in self.starts:
                continue
            for end in range(start + MIN_NAME, min(size, start + self.longest) + 1):
                piece = text[start:end]
                for level in LEVELS:
                    ids = self.names[level].get(piece)
                    if ids:
                        hits.append((start, end, level, ids))
        found: dict[str, set[int]] = {level: set() for level in LEVELS}
        for start, end, level, ids in hits:
            # A name inside a longer name is part of it ("二堰" in "二堰1社区"), not a
            # second place.
            if not any(s <= start and end <= e and e - s > end - start for s, e, _l, _i in hits):
                found[level] |= ids
        return found

    # -- deciding ---------------------------------------------------------------------------
    def _ancestor(self, node: _Node, level: str) -> _Node | None:
        while node is not None and node.level != level:
            node = self.nodes.get(node.parent_id) if node.parent_id else None
        return node

    def match(
        self, *, district: str = "", street: str = "", community: str = "", address: str = ""
    ) -> Place | None:
        key = (district, street, community, address)
        if key in self._cache:
            return self._cache[key]
        place = self._match(district, street, community, address)
        self._cache[key] = place
        return place

    def _match(self, district: str, street: str, community: str, address: str) -> Place | None:
        in_text = self._inside(address) if address else {level: set() for level in LEVELS}
        evidence: dict[str, set[int]] = {}
        for level, column in zip(LEVELS, (district, street, community), strict=True):
            # A column that names something known decides its level; one that names nothing
            # known (a typo, a place outside the city) leaves the level to the address.
            named = self._exact(level, column) if column else set()
            if not named and column:
                named = self._inside(column)[level]
            evidence[level] = named or in_text[level]

        def agrees(node: _Node) -> bool:
            for level in LEVELS:
                if level == node.level:
                    break
                ancestor = self._ancestor(node, level)
                if evidence[level] and (ancestor is None or ancestor.id not in evidence[level]):
                    return False
            return True

        for level in reversed(LEVELS):
            candidates = [self.nodes[i] for i in evidence[level] if agrees(self.nodes[i])]
            if not candidates:
                continue
            if len(candidates) == 1:
                node = candidates[0]
            else:
                node = self._shared_ancestor(candidates)
                if node is None:
                    return None
            return self._place(node, evidence)
        return None

    def _shared_ancestor(self, nodes: list[_Node]) -> _Node | None:
        for level in (Level.STREET, Level.DISTRICT):
            ancestors = {getattr(self._ancestor(n, level), "id", None) for n in nodes}
            if len(ancestors) == 1 and None not in ancestors:
                return self.nodes[ancestors.pop()]
        return None

    def _place(self, node: _Node, evidence: dict[str, set[int]]) -> Place | None:
        point = self.point(node)
        if point is None:
            return None
        if node.level == Level.COMMUNITY:
            street = self._ancestor(node, Level.STREET)
            confirmed = street is not None and street.id in evidence[Level.STREET]
            confidence = CONFIDENCE["community_in_street" if confirmed else "community"]
        else:
            confidence = CONFIDENCE[node.level]
        links = {level: self._ancestor(node, level) for level in LEVELS}
        chain = Chain(
            grid=None,
            community=links[Level.COMMUNITY].link() if links[Level.COMMUNITY] else None,
            street=links[Level.STREET].link() if links[Level.STREET] else None,
            district=links[Level.DISTRICT].link() if links[Level.DISTRICT] else None,
        )
        return Place(node.id, node.level, confidence, chain, point[0], point[1])

    def point(self, node: _Node) -> tuple[float, float] | None:
        # Boundaries are read only for the nodes rows land in: a district's polygon alone
        # can be megabytes.
        if not node.placed:
            geometry = (
                TerritoryNode.objects.filter(pk=node.id).values_list("geometry", flat=True).first()
            )
            if geometry:
                inside = shape(geometry).representative_point()
                node.point = (inside.y, inside.x)
            node.placed = True
        return node.point
