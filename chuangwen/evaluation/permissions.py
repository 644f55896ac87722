"""Who may plan rounds, review inspections and record penalties: the city office, which
runs the evaluation city-wide (a district does not score itself)."""

from __future__ import annotations

from chuangwen.core.scoping import CHANGE, scope_for
from chuangwen.org.choices import Role

# Roles whose holders can be sent to inspect points.
INSPECTOR_ROLES = frozenset({Role.INSPECTOR, Role.OBSERVER})


# Who follows evaluation rounds (测评): the office plans them, territories and units see
# their results and problems.
EVALUATION_ROLES = frozenset(
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


def follows_rounds(user) -> bool:
    """Whether ``user`` follows the rounds, their results and problems (测评)."""
    scope = scope_for(user)
    return scope.superuser or bool(scope.roles & EVALUATION_ROLES)


def walks_points(user) -> bool:
    """Whether ``user`` holds an inspector's post (测评任务): the work list is theirs, not
    a superuser's who merely may see everything."""
    return any(g.role in INSPECTOR_ROLES for g in scope_for(user).grants)


def plans_rounds(user) -> bool:
    return user is None or scope_for(user).for_action(CHANGE).citywide


def inspects(user) -> bool:
    return scope_for(user).superuser or walks_points(user)


def acts_on(user, inspection) -> bool:
    """The assigned inspector (or the system) takes the inspection's own steps."""
    return user is None or inspection.inspector_id == user.pk
