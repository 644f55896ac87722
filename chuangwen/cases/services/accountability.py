"""Accountability (问责) the city office records against a unit, possibly for a case."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.db import transaction

from chuangwen.core import clock
from chuangwen.core.audit import audit
from chuangwen.core.errors import PermissionDeniedError, ServiceError
from chuangwen.core.types import Actor
from chuangwen.core.validation import clean_text

from .. import permissions
from ..choices import AccountabilityKind, Action
from ..models import Accountability, Supervision
from ._common import MAX_NOTE, _active_unit, _locked_case, _notify, _record


def accountability_record(
    *,
    kind: str,
    reason: str,
    actor: Actor,
    unit_id: int | None = None,
    case_id: int | None = None,
    supervision_id: int | None = None,
    person_name: str = "",
    points=0,
) -> Accountability:
    """问责: decided by the city office about a unit (and possibly a person); for a case,
    the unit defaults to the case's responsible unit."""
    if not permissions.holds_accountable(actor):
        raise PermissionDeniedError("只有创文办可以记录问责。")
    if kind not in AccountabilityKind.values:
        raise ServiceError(f"未知的问责方式:{kind}", field="kind")
    try:
        points = Decimal(str(points or 0))
    except InvalidOperation:
        raise ServiceError("扣分须为数字。", field="points") from None
    if points < 0 or points > 100:
        raise ServiceError("扣分须在 0 到 100 之间。", field="points")
    text = clean_text(reason, field="reason", label="问责事由", required=True, limit=MAX_NOTE)
    with transaction.atomic():
        case = _locked_case(case_id, actor) if case_id else None
        unit = _active_unit(unit_id or (case.unit_id if case else None), label="问责单位")
        supervision = (
            Supervision.objects.filter(pk=supervision_id).order_by("pk").first()
            if supervision_id
            else None
        )
        if supervision_id and supervision is None:
            raise ServiceError("督办单不存在。", field="supervision")
        now = clock.now()
        record = Accountability.objects.create(
            case=case,
            supervision=supervision,
            unit=unit,
            person_name=clean_text(
                person_name, field="person_name", label="问责对象", required=False, limit=40
            ),
            kind=kind,
            points=points,
            reason=text,
            decided_by=actor,
            decided_at=now,
        )
        audit(
            actor=actor,
            action="cases.accountability",
            obj=record,
            summary=f"{unit.name} {record.get_kind_display()}",
        )
        if case is not None:
            _record(
                case,
                action=Action.ACCOUNTABILITY,
                actor=actor,
                now=now,
                from_status=case.status,
                note=text,
                data={
                    "accountability": record.pk,
                    "kind": kind,
                    "unit": unit.pk,
                    "points": str(points),
                },
            )
            _notify(
                units=[unit],
                title=f"问责通知:{record.get_kind_display()}",
                body=text,
                case=case,
                kind="case.accountability",
            )
        return record
