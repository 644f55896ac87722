"""One case as a reader sees it: the case, its history, its steps, reporter and clock."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from chuangwen.core import clock
from chuangwen.core.privacy import mask_name, mask_phone
from chuangwen.core.workcalendar import get_calendar
from chuangwen.org.models import Membership
from chuangwen.territory.models import TerritoryNode

from .. import permissions
from ..choices import PostponeStatus, Status
from ..models import Case, CaseEvent, CasePhoto
from .lists import case_queryset


def case_taken_from_caller(*, user, case_id: int, version: int | None) -> bool:
    """A case out of the caller's sight that their unit worked on and that changed since
    the version they cite: a step taken meanwhile (a colleague's 退回) moved it away. For
    them that is a conflict, not a wrong id; nobody else learns the case exists."""
    if version is None:
        return False
    units = Membership.objects.filter(user=user, is_active=True).values("unit_id")
    return Case.objects.filter(
        pk=case_id, version__gt=version, events__actor_unit_id__in=units
    ).exists()


def case_get(*, user, case_id: int, with_geometry: bool = False) -> Case:
    case = (
        case_queryset(user)
        .select_related("category__parent", "standard", "unit", "suggested_unit", "routing_rule")
        .filter(pk=case_id)
        .order_by("pk")
        .first()
    )
    if case is None:
        raise Http404("case")
    # The territory chain in one query of its own: joined in, four more relations make
    # the planner's work dominate the lookup.
    fields = ["id", "code", "name", "level", "path"] + (["geometry"] if with_geometry else [])
    ids = [case.grid_id, case.community_id, case.street_id, case.district_id]
    nodes = TerritoryNode.objects.only(*fields).in_bulk([i for i in ids if i])
    for name, node_id in zip(("grid", "community", "street", "district"), ids, strict=True):
        setattr(case, name, nodes.get(node_id))
    return case


def case_events(*, case: Case) -> QuerySet[CaseEvent]:
    return case.events.select_related("actor", "actor_unit").order_by("created_at", "id")


def case_timeline(*, user, case: Case) -> list[tuple[CaseEvent, str]]:
    """Each event with the name to show for its actor. The reporter's own steps (上报, a
    trusted channel's 自动立案) would otherwise reveal the name reporter_view masks."""
    reporter = reporter_view(user=user, case=case)
    rows = []
    for event in case_events(case=case):
        if not event.actor_id:
            name = _("系统")
        elif reporter["masked"] and event.actor_id == case.reporter_id:
            name = reporter["name"] or _("上报人")
        else:
            name = event.actor.full_name or event.actor.get_username()
        rows.append((event, name))
    return rows


def pending_postponement(case: Case):
    return case.postponements.filter(status=PostponeStatus.PENDING).first()


def allowed_actions(*, user, case: Case) -> list[str]:
    # Only a case being handled can have an extension request waiting.
    pending = case.status in (Status.IN_PROGRESS, Status.HANDLED) and (
        pending_postponement(case) is not None
    )
    return permissions.allowed_actions(user, case, pending_postponement=pending)


def reporter_view(*, user, case: Case) -> dict:
    """Reporter identity for the city office; a masked phone for everyone else."""
    if permissions.sees_reporter(user):
        return {"name": case.reporter_name, "phone": case.reporter_phone, "masked": False}
    return {
        "name": mask_name(case.reporter_name),
        "phone": mask_phone(case.reporter_phone),
        "masked": True,
    }


def remaining_minutes(case: Case, now: datetime | None = None) -> float | None:
    """Time left on the handling clock, in the case's own time type; negative when late."""
    if case.deadline is None or case.status not in (Status.DISPATCHED, Status.IN_PROGRESS):
        return None
    now = now or clock.now()
    calendar = get_calendar()
    if now <= case.deadline:
        return calendar.elapsed_minutes(now, case.deadline, case.time_type)
    return -calendar.elapsed_minutes(case.deadline, now, case.time_type)


def photo_get(*, user, photo_id: int) -> CasePhoto:
    """A photo of a case the user can see, or one they uploaded that waits for its case;
    any other answers 404."""
    photo = (
        CasePhoto.objects.filter(pk=photo_id)
        .filter(Q(case__in=case_queryset(user)) | Q(case__isnull=True, uploaded_by=user))
        .only("id", "case_id", "uploaded_by_id", "image")
        .first()
    )
    if photo is None:
        raise Http404("photo")
    return photo


def duplicates_of(*, user, case: Case) -> QuerySet[Case]:
    """Reports merged into ``case``, as far as the user can see them."""
    return case_queryset(user).filter(duplicate_of=case).order_by("reported_at", "id")
