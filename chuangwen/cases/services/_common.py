"""Helpers the case writes share: locking a case, its event rows, notices, notes and recipients."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from chuangwen.core.errors import ServiceError
from chuangwen.core.scoping import scope_for
from chuangwen.core.types import Actor
from chuangwen.core.validation import clean_text
from chuangwen.core.workcalendar import get_calendar
from chuangwen.org.choices import Role, UnitKind
from chuangwen.org.models import Unit

from ..models import Case, CaseEvent

MAX_DESCRIPTION = 2000
MAX_NOTE = 1000


class CaseNotFoundError(ServiceError):
    """No such case in the caller's sight. A caller who saw the case a moment ago meets
    this when a step taken meanwhile moved it out of their sight (a send-back takes a
    case away from the unit): for them it is a conflict, not a wrong id."""


def _actor_unit(actor: Actor, case: Case) -> int | None:
    """The unit the actor acts for: the case's unit when they belong to it."""
    if actor is None:
        return None
    grants = scope_for(actor).grants
    for grant in grants:
        if grant.unit_id == case.unit_id:
            return grant.unit_id
    return grants[0].unit_id if grants else None


def _record(
    case: Case,
    *,
    action: str,
    actor: Actor,
    now: datetime,
    from_status: str,
    note: str = "",
    data: dict | None = None,
    actor_unit: int | None = None,
) -> CaseEvent:
    """The step's event row. For a case not yet saved (intake) it waits in
    ``case._pending`` and goes in with one insert once the case has its key."""
    event = CaseEvent(
        case=case,
        action=action,
        from_status=from_status,
        to_status=case.status,
        actor=actor if getattr(actor, "pk", None) else None,
        actor_unit_id=actor_unit,
        note=note,
        data=data or {},
        created_at=now,
    )
    if case.pk is None:
        case.__dict__.setdefault("_pending", []).append(event)
        return event
    event.save()
    return event


def _local(moment: datetime | None) -> str:
    return moment.astimezone(get_calendar().tz).strftime("%Y-%m-%d %H:%M") if moment else ""


def _notify(
    *,
    units: Iterable[Unit] = (),
    users: Iterable = (),
    title: str,
    body: str,
    case: Case,
    kind: str,
) -> None:
    notice = {
        "units": [u for u in units if u is not None],
        "users": list(users),
        "title": title,
        "body": body,
        "kind": kind,
    }
    if case.pk is None:  # intake: sent once the case has its key
        case.__dict__.setdefault("_pending_notices", []).append(notice)
    else:
        _send(case, notice)


def _send(case: Case, notice: dict) -> None:
    from chuangwen.notifications.services import notify

    notify(url=f"/cases/{case.pk}/", **notice)


def _active_unit(unit_id: int | None, *, label: str) -> Unit:
    if not unit_id:
        raise ServiceError(f"请选择{label}。", field="unit")
    unit = Unit.objects.filter(pk=unit_id, is_active=True).first()
    if unit is None:
        raise ServiceError(f"{label}不存在或已停用。", field="unit")
    return unit


def _for_update(queryset):
    """The rows locked until the transaction ends (SQLite, which locks the whole database
    for a write, leaves the clause out by itself)."""
    return queryset.select_for_update(of=("self",))


def _locked_case(case_id: int, actor: Actor) -> Case:
    """The case, row-locked, as far as ``actor`` can see it: outside the caller's scope
    the case does not exist for them."""
    queryset = Case.objects.all() if actor is None else Case.objects.scoped_for(actor)
    queryset = _for_update(queryset.select_related("category", "unit"))
    case = queryset.filter(pk=case_id).order_by("pk").first()
    if case is None:
        raise CaseNotFoundError("案件不存在。")
    return case


def _required_note(note: str, label: str) -> str:
    return clean_text(note, field="note", label=label, required=True, limit=MAX_NOTE)


def _optional_note(note: str) -> str:
    return clean_text(note, field="note", label="意见", required=False, limit=MAX_NOTE)


def _people(role: str, *, unit_kind: str | None = None) -> list:
    """Active holders of a role (in units of one kind): who a notice is for."""
    from chuangwen.org.models import Membership

    rows = Membership.objects.filter(role=role, is_active=True, user__is_active=True)
    if unit_kind:
        rows = rows.filter(unit__kind=unit_kind)
    return [m.user for m in rows.select_related("user")]


def _office_operators() -> list:
    # The city office's operators act on what lands there; its observers and inspectors
    # are members too, and are not the ones to tell.
    return _people(Role.CITY_OPERATOR, unit_kind=UnitKind.CITY_OFFICE)
