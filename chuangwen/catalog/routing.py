"""The one routing decision: which unit a case of a category at a place goes to.

Every intake path asks ``choose_unit``: a report from the app, the API and Open311
through ``cases.selectors.route_for`` (which reads the candidates from the database), an
imported list through ``cases.services.bulk.Router`` (which reads them once per import). Both give it
the same candidates, so the same ticket goes to the same unit whichever way it came in.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from chuangwen.org.models import Unit
from chuangwen.org.selectors import nearest_fallback

from .models import Category, RoutingRule


def _specificity(rule: RoutingRule, category: Category) -> tuple:
    """Category + territory over category alone over territory alone; a 小类 over its
    大类; the deeper territory. Between two rules still equal the older one wins, so the
    answer never depends on the order the rules were read in."""
    return (
        rule.category_id is not None,
        rule.territory_id is not None,
        rule.category_id == category.pk,
        len(rule.territory.path) if rule.territory_id else 0,
        -rule.pk,
    )


def applies(rule: RoutingRule, category: Category, path: str) -> bool:
    return rule.category_id in (category.pk, category.parent_id, None) and (
        rule.territory_id is None or path.startswith(rule.territory.path)
    )


def choose_unit(
    *,
    category: Category,
    path: str,
    rules: Iterable[RoutingRule],
    owner: Unit | None,
    fallback: Mapping[str, Unit],
) -> tuple[Unit | None, RoutingRule | None]:
    """(unit, rule) for a case of ``category`` at the territory node with ``path``.

    ``rules`` are active rules of active units (others may be among them: those that do
    not apply are passed over). Without one, 属地兜底 with no rule, which makes the unit a
    suggestion only: ``owner``, the unit that owns the node itself (a grid's), else the
    unit ``fallback`` names for the nearest enclosing territory code."""
    candidates = [rule for rule in rules if applies(rule, category, path)]
    if candidates:
        best = max(candidates, key=lambda rule: _specificity(rule, category))
        return best.unit, best
    return nearest_fallback(path, owner=owner, fallback=fallback), None
