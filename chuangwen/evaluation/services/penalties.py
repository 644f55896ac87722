"""Writes of the penalties (负面清单扣分) recorded against a round's subjects."""

from __future__ import annotations

from django.db import transaction

from chuangwen.core.audit import audit
from chuangwen.core.errors import ConflictError, ServiceError
from chuangwen.core.types import Actor
from chuangwen.core.validation import locked_row
from chuangwen.org.models import Unit
from chuangwen.territory.models import TerritoryNode

from ..choices import (
    RoundStatus,
    SubjectLevel,
)
from ..cleaning import clean_text as _text
from ..models import (
    NegativeItem,
    Penalty,
    Round,
)
from .rounds import _require_planner


# -- penalties -----------------------------------------------------------------------------
def penalty_record(
    *,
    round_id: int,
    negative_id: int,
    actor: Actor,
    note: str,
    territory_id: int | None = None,
    unit_id: int | None = None,
) -> Penalty:
    """A negative-list event charged to the subject concerned in this round."""
    _require_planner(actor)
    note = _text(note, field="note", label="事实说明", limit=500, required=True)
    with transaction.atomic():
        round_ = locked_row(Round.objects.all(), round_id, "测评轮次")
        if round_.status == RoundStatus.DRAFT:
            raise ConflictError("测评尚未开始,不能登记负面清单扣分。")
        negative = NegativeItem.objects.filter(
            pk=negative_id, framework_id=round_.framework_id
        ).first()
        if negative is None:
            raise ServiceError("负面清单情形不存在或不属于本轮的测评体系。", field="negative")
        territory = unit = None
        if negative.subject_level == SubjectLevel.UNIT:
            unit = Unit.objects.filter(pk=unit_id, is_active=True).first() if unit_id else None
            if unit is None:
                raise ServiceError("请选择被扣分的责任单位。", field="unit")
        else:
            territory = (
                TerritoryNode.objects.filter(pk=territory_id, level=negative.subject_level).first()
                if territory_id
                else None
            )
            if territory is None:
                raise ServiceError(
                    f"请选择被扣分的{SubjectLevel(negative.subject_level).label}。",
                    field="territory",
                )
        penalty = Penalty.objects.create(
            round=round_,
            negative=negative,
            subject_level=negative.subject_level,
            territory=territory,
            unit=unit,
            points=negative.penalty,
            note=note,
            recorded_by=actor if getattr(actor, "pk", None) else None,
        )
        audit(
            actor=actor,
            action="evaluation.penalty_record",
            obj=penalty,
            summary=f"负面清单扣分:{territory or unit} −{negative.penalty}({negative.text[:40]})",
            data={"round": round_.pk, "negative": negative.code},
        )
    return penalty
