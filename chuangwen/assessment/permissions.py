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


# Who reads assessment results (考评): the office scores and publishes, territories and
# units see their rank and appeal.
ASSESSMENT_ROLES = frozenset(
    {
        Role.CITY_ADMIN,
        Role.CITY_OPERATOR,
        Role.LEADER,
        Role.DISTRICT_OPERATOR,
        Role.STREET_OPERATOR,
        Role.COMMUNITY_OPERATOR,
        Role.UNIT_HANDLER,
    }
)
# Who opens the leaders' dashboard: the office, the leaders, district and street offices.
DASHBOARD_ROLES = frozenset(
    {
        Role.CITY_ADMIN,
        Role.CITY_OPERATOR,
        Role.LEADER,
        Role.DISTRICT_OPERATOR,
        Role.STREET_OPERATOR,
    }
)


def reads_results(user) -> bool:
    """Whether ``user`` reads the rankings, results and appeals (考评)."""
    scope = scope_for(user)
    return scope.superuser or bool(scope.roles & ASSESSMENT_ROLES)


def may_open_dashboard(user) -> bool:
    """The leaders' dashboard (领导驾驶舱), its page, big screen, data and menu entry."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    scope = scope_for(user)
    return scope.superuser or bool(scope.roles & DASHBOARD_ROLES)


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
