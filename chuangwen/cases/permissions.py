"""Who may take which step of a case. One table serves the services (which refuse), the
API's ``allowed_actions`` and the buttons on the case page."""

from __future__ import annotations

from chuangwen.core.scoping import CHANGE, VIEW, scope_for
from chuangwen.org.choices import Role

from .choices import OPEN_STATUSES, Action, Channel, Status

# action → (states it starts from, state it leads to; None = unchanged)
TRANSITIONS: dict[str, tuple[tuple[str, ...], str | None]] = {
    Action.ACCEPT: ((Status.REPORTED,), Status.REGISTERED),
    Action.REJECT: ((Status.REPORTED,), Status.INVALID),
    Action.DISPATCH: ((Status.REGISTERED,), Status.DISPATCHED),
    Action.SIGN: ((Status.DISPATCHED,), Status.IN_PROGRESS),
    Action.SEND_BACK: ((Status.DISPATCHED,), Status.REGISTERED),
    Action.FINISH: ((Status.IN_PROGRESS,), Status.HANDLED),
    Action.POSTPONE: ((Status.IN_PROGRESS,), None),
    Action.POSTPONE_APPROVE: ((Status.IN_PROGRESS, Status.HANDLED), None),
    Action.POSTPONE_REJECT: ((Status.IN_PROGRESS, Status.HANDLED), None),
    Action.VERIFY_OK: ((Status.HANDLED,), Status.CLOSED),
    Action.VERIFY_FAIL: ((Status.HANDLED,), Status.IN_PROGRESS),
    Action.REOPEN: ((Status.CLOSED,), Status.REGISTERED),
    Action.CANCEL: (OPEN_STATUSES, Status.CANCELLED),
    Action.MERGE: (OPEN_STATUSES, Status.MERGED),
}
WORKFLOW_ACTIONS = tuple(TRANSITIONS)

# Steps the responsible unit takes.
UNIT_ACTIONS = frozenset({Action.SIGN, Action.SEND_BACK, Action.FINISH, Action.POSTPONE})
# Steps a territory's operators take (受理、派遣、审批、重新立案).
OPERATOR_ACTIONS = frozenset(
    {
        Action.ACCEPT,
        Action.REJECT,
        Action.DISPATCH,
        Action.POSTPONE_APPROVE,
        Action.POSTPONE_REJECT,
        Action.REOPEN,
        Action.MERGE,
    }
)
VERIFY_ACTIONS = frozenset({Action.VERIFY_OK, Action.VERIFY_FAIL})

# Field staff verify on site in their own territory (核查), besides the operators.
FIELD_ROLES = frozenset({Role.COLLECTOR, Role.INSPECTOR, Role.OBSERVER, Role.PERSUADER})
# Roles whose members act for their unit on a case dispatched to it.
HANDLER_ROLES = frozenset(
    {
        Role.UNIT_HANDLER,
        Role.DISTRICT_OPERATOR,
        Role.STREET_OPERATOR,
        Role.COMMUNITY_OPERATOR,
        Role.CITY_OPERATOR,
        Role.CITY_ADMIN,
    }
)
# Reporter identity is the city office's to see.
CITY_OFFICE_ROLES = frozenset({Role.CITY_ADMIN, Role.CITY_OPERATOR, Role.LEADER})
SUPERVISOR_ROLES = frozenset({Role.LEADER, Role.CITY_OPERATOR, Role.CITY_ADMIN})


_OFFICE_CHANNELS = frozenset(
    {
        Channel.FIELD,
        Channel.HOTLINE,
        Channel.SURVEY_FEEDBACK,
        Channel.INSPECTION,
        Channel.ASSIGNED,
        Channel.VIDEO,
    }
)
# The channels each role may file a report on. The portal and Open311 are intake paths
# of their own (no account files on them); the rest says where a report came from, and
# the office counts and publishes by it, so nobody may label a report as something else.
ROLE_CHANNELS: dict[str, frozenset[str]] = {
    Role.CITY_ADMIN: _OFFICE_CHANNELS,
    Role.CITY_OPERATOR: _OFFICE_CHANNELS,
    Role.LEADER: frozenset({Channel.ASSIGNED}),
    Role.DISTRICT_OPERATOR: frozenset(
        {Channel.FIELD, Channel.HOTLINE, Channel.SURVEY_FEEDBACK, Channel.ASSIGNED, Channel.VIDEO}
    ),
    Role.STREET_OPERATOR: frozenset({Channel.FIELD, Channel.ASSIGNED, Channel.VIDEO}),
    Role.COMMUNITY_OPERATOR: frozenset({Channel.FIELD}),
    Role.UNIT_HANDLER: frozenset({Channel.FIELD}),
    Role.INSPECTOR: frozenset({Channel.FIELD, Channel.INSPECTION}),
    Role.OBSERVER: frozenset({Channel.FIELD}),
    Role.COLLECTOR: frozenset({Channel.FIELD}),
    Role.PERSUADER: frozenset({Channel.FIELD}),
    Role.VOLUNTEER: frozenset({Channel.FIELD}),
}
# People who report like citizens: their reports wait for 受理 however they came in.
CITIZEN_LIKE_ROLES = frozenset({Role.VOLUNTEER, Role.PERSUADER, Role.OBSERVER})


def channels_for(user) -> frozenset[str]:
    """The channels ``user`` may file reports on (``None``: the system, any)."""
    if user is None:
        return frozenset(Channel.values)
    scope = scope_for(user)
    if scope.superuser:
        return _OFFICE_CHANNELS
    return frozenset().union(*(ROLE_CHANNELS.get(g.role, frozenset()) for g in scope.grants))


def reports_trusted(user) -> bool:
    """Whether a report by ``user`` on a trusted channel is registered without review:
    the office's and the territories' own staff, not volunteers, 劝导员 or observers."""
    if user is None:
        return True
    scope = scope_for(user)
    return scope.superuser or any(g.role not in CITIZEN_LIKE_ROLES for g in scope.grants)


def operates(user, path: str) -> bool:
    return scope_for(user).for_action(CHANGE).covers_path(path)


def acts_for_unit(user, unit_id: int | None) -> bool:
    if unit_id is None:
        return False
    scope = scope_for(user)
    if scope.superuser:
        return True
    return any(g.unit_id == unit_id and g.role in HANDLER_ROLES for g in scope.grants)


def operates_somewhere(user) -> bool:
    """Whether the user operates any territory (受理、派遣、审核 somewhere)."""
    scope = scope_for(user).for_action(CHANGE)
    return scope.citywide or bool(scope.paths)


def verifies(user, path: str) -> bool:
    if operates(user, path):
        return True
    scope = scope_for(user)
    return any(
        g.role in FIELD_ROLES and g.territory_path and path.startswith(g.territory_path)
        for g in scope.grants
    )


def supervises(user, path: str) -> bool:
    """领导督办/重点督办: leaders and the city office, within what they can see."""
    scope = scope_for(user)
    if scope.superuser:
        return True
    roles = {g.role for g in scope.grants}
    return bool(roles & SUPERVISOR_ROLES) and scope.for_action(VIEW).covers_path(path)


def sees_reporter(user) -> bool:
    scope = scope_for(user)
    if scope.superuser:
        return True
    root = scope.root_path
    return any(g.role in CITY_OFFICE_ROLES and g.territory_path == root for g in scope.grants)


def decides_publicity(user) -> bool:
    """Whether a case is published, and with which words, is the city office's call."""
    return user is None or scope_for(user).for_action(CHANGE).citywide


def holds_accountable(user) -> bool:
    """问责 is decided by the city office."""
    return user is None or scope_for(user).for_action(CHANGE).citywide


def may(user, action: str, case) -> bool:
    """Whether ``user`` may take ``action`` on ``case`` by role and scope (not state)."""
    if user is None:  # the system itself
        return True
    if action in UNIT_ACTIONS:
        return acts_for_unit(user, case.unit_id)
    if action in OPERATOR_ACTIONS:
        return operates(user, case.territory_path)
    if action in VERIFY_ACTIONS:
        return verifies(user, case.territory_path)
    if action == Action.CANCEL:
        return scope_for(user).for_action(CHANGE).citywide
    if action == Action.SUPERVISE:
        return supervises(user, case.territory_path)
    return False


def may_add_photo(user, kind: str, case) -> bool:
    """A photo is evidence of a step: "after" photos are the unit's (处置), "verify"
    photos the verifier's (核查); "before" photos document the problem and are the
    reporter's, the territory's operators' or its field staff's to add."""
    from .choices import PhotoKind

    if user is None:
        return True
    if kind == PhotoKind.AFTER:
        return may(user, Action.FINISH, case)
    if kind == PhotoKind.VERIFY:
        return may(user, Action.VERIFY_OK, case)
    return case.reporter_id == user.pk or verifies(user, case.territory_path)


def state_allows(action: str, case, *, pending_postponement: bool) -> bool:
    sources, _ = TRANSITIONS[action]
    if case.status not in sources:
        return False
    if action == Action.POSTPONE:
        return not pending_postponement
    if action in (Action.POSTPONE_APPROVE, Action.POSTPONE_REJECT):
        return pending_postponement
    return True


def allowed_actions(user, case, *, pending_postponement: bool) -> list[str]:
    return [
        action
        for action in WORKFLOW_ACTIONS
        if state_allows(action, case, pending_postponement=pending_postponement)
        and may(user, action, case)
    ]


# Who files reports in the field: the case pages offer them the phone form.
REPORTER_ROLES = frozenset(
    {
        Role.COLLECTOR,
        Role.INSPECTOR,
        Role.OBSERVER,
        Role.PERSUADER,
        Role.CITY_OPERATOR,
        Role.DISTRICT_OPERATOR,
        Role.STREET_OPERATOR,
        Role.COMMUNITY_OPERATOR,
    }
)
# Who follows the public's ratings and reviews reopen requests.
SATISFACTION_ROLES = frozenset(
    {
        Role.CITY_ADMIN,
        Role.CITY_OPERATOR,
        Role.LEADER,
        Role.DISTRICT_OPERATOR,
        Role.STREET_OPERATOR,
    }
)


def _holds(user, roles: frozenset[str]) -> bool:
    scope = scope_for(user)
    return scope.superuser or bool(scope.roles & roles)


def reports_in_field(user) -> bool:
    """Whether the phone report form (现场上报) is offered to ``user``."""
    return _holds(user, REPORTER_ROLES)


def follows_satisfaction(user) -> bool:
    """Whether ``user`` follows the callback ratings and reopen requests (回访满意度)."""
    return _holds(user, SATISFACTION_ROLES)
