"""Who runs the assessment. The city office scores, publishes and decides appeals
city-wide; the city admins set the schemes; an assessed subject (its territory's
operators, or the staff of the assessed unit) appeals against its own result. The
office does not appeal: it is the one deciding."""

from __future__ import annotations

from chuangwen.core.scoping import CHANGE, CONFIGURE, scope_for
from chuangwen.org.choices import Role

# Roles whose holders speak for the unit they belong to when it is assessed.
UNIT_APPEAL_ROLES = frozenset(
    {
        Role.UNIT_HANDLER,
        Role.DISTRICT_OPERATOR,
        Role.STREET_OPERATOR,
        Role.COMMUNITY_OPERATOR,
    }
)


def manages_assessment(user) -> bool:
    """Enter figures, publish and withdraw results, decide appeals (``None``: the system)."""
    return user is None or scope_for(user).for_action(CHANGE).citywide


def configures_schemes(user) -> bool:
    if user is None:
        return True
    scope = scope_for(user)
    return scope.superuser or scope.for_action(CONFIGURE).citywide


def may_appeal(user, result) -> bool:
    """The result's subject itself: CHANGE over its territory, or a member of its unit."""
    if user is None:
        return False
    scope = scope_for(user)
    change = scope.for_action(CHANGE)
    if change.citywide:
        return False
    if result.territory_path and change.covers_path(result.territory_path):
        return True
    return result.unit_id is not None and any(
        g.unit_id == result.unit_id and g.role in UNIT_APPEAL_ROLES for g in scope.grants
    )
