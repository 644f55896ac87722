"""Who may plan rounds, review inspections and record penalties: the city office, which
runs the evaluation city-wide (a district does not score itself)."""

from __future__ import annotations

from chuangwen.core.scoping import CHANGE, scope_for
from chuangwen.org.choices import Role

# Roles whose holders can be sent to inspect points.
INSPECTOR_ROLES = frozenset({Role.INSPECTOR, Role.OBSERVER})


def plans_rounds(user) -> bool:
    return user is None or scope_for(user).for_action(CHANGE).citywide


def inspects(user) -> bool:
    scope = scope_for(user)
    return scope.superuser or any(g.role in INSPECTOR_ROLES for g in scope.grants)


def acts_on(user, inspection) -> bool:
    """The assigned inspector (or the system) takes the inspection's own steps."""
    return user is None or inspection.inspector_id == user.pk
