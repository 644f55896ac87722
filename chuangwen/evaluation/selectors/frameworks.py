"""Reads of 测评体系 editions: the tree of one edition, the list of editions, one by cycle."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count

from ..choices import EntryLevel
from ..models import Framework, FrameworkEntry, NegativeItem, Round
from ..scoring import points_text


# -- reads -------------------------------------------------------------------------------------
@dataclass
class Node:
    entry: FrameworkEntry
    parent_code: str = ""
    children: list[Node] = field(default_factory=list)

    @property
    def children_total(self) -> Decimal:
        return sum((c.total for c in self.children), Decimal(0))

    @property
    def total(self) -> Decimal:
        """The entry's points, or what its children add up to when it has none."""
        return self.entry.points or self.children_total

    @property
    def total_text(self) -> str:
        return points_text(self.total)

    @property
    def children_total_text(self) -> str:
        return points_text(self.children_total)

    @property
    def mismatch(self) -> bool:
        """Stated points that its children's points do not add up to."""
        children = self.children_total
        return bool(self.entry.points and children and children != self.entry.points)


def _walk(nodes: list[Node]):
    for node in nodes:
        yield node
        yield from _walk(node.children)


def framework_tree(framework: Framework) -> list[Node]:
    """The 测评项目 of the edition with their branches, in file order. One query."""
    nodes = {
        e.pk: Node(entry=e)
        for e in FrameworkEntry.objects.filter(framework=framework).order_by("position", "id")
    }
    roots = []
    for node in nodes.values():
        parent = nodes.get(node.entry.parent_id)
        if parent is None:
            roots.append(node)
        else:
            node.parent_code = parent.entry.code
            parent.children.append(node)
    return roots


@dataclass
class FrameworkSummary:
    framework: Framework
    levels: dict[str, int]
    negatives: int
    rounds: int

    @property
    def dimensions(self) -> int:
        return self.levels.get(EntryLevel.DIMENSION, 0)

    @property
    def items(self) -> int:
        return self.levels.get(EntryLevel.ITEM, 0)

    @property
    def indicators(self) -> int:
        return self.levels.get(EntryLevel.INDICATOR, 0)

    @property
    def standards(self) -> int:
        return self.levels.get(EntryLevel.STANDARD, 0)


def framework_list() -> list[FrameworkSummary]:
    """Every edition, newest cycle first, with its counts. Four queries."""
    frameworks = list(Framework.objects.order_by("-cycle_start", "kind"))
    levels: dict[int, dict[str, int]] = defaultdict(dict)
    for fid, level, n in (
        FrameworkEntry.objects.values("framework_id", "level")
        .annotate(n=Count("id"))
        .values_list("framework_id", "level", "n")
    ):
        levels[fid][level] = n
    negatives = dict(
        NegativeItem.objects.values("framework_id")
        .annotate(n=Count("id"))
        .values_list("framework_id", "n")
    )
    rounds = dict(
        Round.objects.filter(framework__isnull=False)
        .values("framework_id")
        .annotate(n=Count("id"))
        .values_list("framework_id", "n")
    )
    return [
        FrameworkSummary(f, levels.get(f.pk, {}), negatives.get(f.pk, 0), rounds.get(f.pk, 0))
        for f in frameworks
    ]


def framework_by_cycle(*, kind: str, cycle_start: int) -> Framework | None:
    """The edition of ``kind`` whose cycle starts in ``cycle_start`` (at most one: kind and
    start are unique together), or None."""
    return Framework.objects.filter(kind=kind, cycle_start=cycle_start).first()
