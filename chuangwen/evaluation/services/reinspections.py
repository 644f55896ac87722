"""Writes of re-inspections (复查) of problem cases, and the sweep of those past due."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.db import transaction
from django.urls import reverse

from chuangwen.cases import services as case_services
from chuangwen.cases.choices import Status
from chuangwen.cases.models import CasePhoto
from chuangwen.core import clock
from chuangwen.core.audit import audit
from chuangwen.core.errors import ConflictError, PermissionDeniedError, ServiceError
from chuangwen.core.types import Actor
from chuangwen.core.validation import locked_row
from chuangwen.core.workcalendar import get_calendar
from chuangwen.notifications.services import notify

from ..choices import (
    ReinspectionStatus,
)
from ..cleaning import clean_float as _float
from ..cleaning import clean_text as _text
from ..models import (
    Reinspection,
)
from ..permissions import plans_rounds
from .inspections import _deadline_day


# -- re-inspection -------------------------------------------------------------------------
def reinspection_record(
    *,
    reinspection_id: int,
    actor: Actor,
    passed: bool,
    note: str = "",
    lat=None,
    lng=None,
    photo_ids: Sequence[int] = (),
) -> Reinspection:
    """复查 after the deadline. Passed: a case awaiting verification is closed. Failed: it
    goes back to the unit (返工), or a closed case is reopened. A case still being
    handled keeps its course; the result is on record for the assessment."""
    note = _text(note, field="note", label="复查说明", limit=500, required=not passed)
    if lat not in (None, "") and lng not in (None, ""):
        lat = _float(lat, field="lat", label="纬度")
        lng = _float(lng, field="lng", label="经度")
    else:
        lat = lng = None
    with transaction.atomic():
        reinspection = locked_row(
            Reinspection.objects.select_related("case"), reinspection_id, "复查任务"
        )
        if actor is not None and not (reinspection.inspector_id == actor.pk or plans_rounds(actor)):
            raise PermissionDeniedError("该复查任务不是分配给您的。")
        if reinspection.status != ReinspectionStatus.PENDING:
            raise ConflictError(f"该复查任务已{reinspection.get_status_display()}。")
        case = reinspection.case
        if case.status in (Status.CANCELLED, Status.MERGED, Status.INVALID):
            raise ConflictError(f"问题案件已{case.get_status_display()},无需复查。")
        words = "复查合格" if passed else "复查不合格"
        case_note = f"测评{words}" + (f":{note}" if note else "")
        if case.status == Status.HANDLED:
            case_services.case_verify(
                case_id=case.pk, actor=actor, ok=passed, note=case_note, photo_ids=photo_ids
            )
        elif case.status == Status.CLOSED and not passed:
            case_services.case_reopen(case_id=case.pk, actor=None, note=case_note)
        elif photo_ids:
            for photo_id in photo_ids:
                if not CasePhoto.objects.filter(
                    pk=photo_id, case__isnull=True, uploaded_by=actor
                ).exists():
                    raise ServiceError("照片不存在、已被使用或不是您上传的。", field="photo_ids")
        reinspection.status = ReinspectionStatus.PASSED if passed else ReinspectionStatus.FAILED
        reinspection.note = note
        reinspection.lat, reinspection.lng = lat, lng
        reinspection.done_at = clock.now()
        reinspection.done_by = actor if getattr(actor, "pk", None) else None
        reinspection.save()
        if photo_ids:
            reinspection.photos.set(CasePhoto.objects.filter(pk__in=list(photo_ids)))
        audit(
            actor=actor,
            action="evaluation.reinspection_record",
            obj=reinspection,
            summary=f"{words}:案件 {case.code}",
            data={"passed": passed, "case_status": case.status},
        )
    return reinspection


def reinspections_sweep(*, now: datetime) -> tuple[int, int]:
    """The worker's hourly look at pending re-inspections: a case whose deadline was
    extended (延期) moves its re-inspection to the day after the new deadline, and each
    inspector is told once, on the day, which re-inspections are due.

    Returns (moved, reminded)."""
    today = now.astimezone(get_calendar().tz).date()
    moved = reminded = 0
    with transaction.atomic():
        pending = list(
            Reinspection.objects.select_for_update(of=("self",))
            .filter(status=ReinspectionStatus.PENDING)
            .select_related("case", "result__inspection__point")
            .order_by("pk")
        )
        due_by_inspector: dict[int, list[Reinspection]] = {}
        for reinspection in pending:
            case = reinspection.case
            if case.deadline is not None and case.is_open:
                due_on = _deadline_day(case)
                if due_on != reinspection.due_on:
                    # A reminder for the old day no longer holds: remind again on the new one.
                    reinspection.due_on, reinspection.reminded_at = due_on, None
                    reinspection.save(update_fields=["due_on", "reminded_at", "updated_at"])
                    moved += 1
            if (
                reinspection.due_on <= today
                and reinspection.reminded_at is None
                and reinspection.inspector_id
            ):
                due_by_inspector.setdefault(reinspection.inspector_id, []).append(reinspection)
        for inspector_id, rows in due_by_inspector.items():
            places = "、".join(r.result.inspection.point.name for r in rows[:3])
            notify(
                users=[inspector_id],
                title=f"今日复查任务 {len(rows)} 项",
                body=f"{places}{'等' if len(rows) > 3 else ''}的问题整改期限已过,请到现场复查。",
                url=reverse("evaluation:field_home"),
                kind="evaluation.reinspection_due",
            )
            Reinspection.objects.filter(pk__in=[r.pk for r in rows]).update(reminded_at=now)
            reminded += len(rows)
        if moved or reminded:
            audit(
                actor=None,
                action="evaluation.reinspections_sweep",
                object_type="evaluation.reinspection",
                summary=f"复查任务:改期 {moved} 项,提醒 {reminded} 项",
                data={"moved": moved, "reminded": reminded},
            )
    return moved, reminded
