"""Writes of the figures the office enters for a period: the survey and the materials rates."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from django.db import transaction

from chuangwen.core import clock
from chuangwen.core.audit import audit
from chuangwen.core.errors import ConflictError, PermissionDeniedError, ServiceError
from chuangwen.core.types import Actor
from chuangwen.core.validation import clean_text

from .. import periods, selectors
from ..choices import (
    ENTERED_KINDS,
    ComponentKind,
    SubjectType,
)
from ..models import EnteredFigure
from ..permissions import manages_assessment
from .common import _actor, _decimal, _subject_type


# -- entered figures -----------------------------------------------------------------------
def _entry_period(period_key, subject_type: str) -> periods.Period:
    period = periods.parse(period_key)
    if period.start > clock.now():
        raise ServiceError("该周期尚未开始,不能录入数据。", field="period")
    if selectors.published(period.key, subject_type) is not None:
        raise ConflictError(f"{period.label}的结果已发布,修改录入数据须先撤回发布。")
    return period


def _enter(
    *, period, subject_type, subject_id, kind, value, note, actor: Actor, now
) -> EnteredFigure:
    old = (
        EnteredFigure.objects.select_for_update()
        .filter(period_key=period.key, subject_type=subject_type, subject_id=subject_id, kind=kind)
        .first()
    )
    before = None if old is None else str(old.value)
    figure = old or EnteredFigure(
        period_key=period.key, subject_type=subject_type, subject_id=subject_id, kind=kind
    )
    figure.value = value
    figure.note = note
    figure.entered_by = _actor(actor)
    figure.entered_at = now
    figure.save()
    audit(
        actor=actor,
        action="assessment.figure_enter",
        obj=figure,
        summary=f"{period.label} {ComponentKind(kind).label} {subject_type}:{subject_id} = {value}%",
        data={"before": before, "after": str(value), "note": note},
    )
    return figure


def _entry(kind, value, note) -> tuple[str, Decimal, str]:
    if kind not in ENTERED_KINDS:
        raise ServiceError("只能录入群众满意度调查和网申材料完整率。", field="kind")
    value = _decimal(value, field="value", label="数值")
    if not Decimal(0) <= value <= 100:
        raise ServiceError("数值应在 0 到 100 之间(百分比)。", field="value")
    return kind, value, clean_text(note, field="note", label="来源说明", limit=200)


def figure_enter(
    *, period_key, subject_type: str, subject_id, kind: str, value, note: str = "", actor: Actor
) -> EnteredFigure:
    """Enter (or correct) the survey or material figure of one subject for a period."""
    if not manages_assessment(actor):
        raise PermissionDeniedError("只有市创文办可以录入考评数据。")
    subject_type = _subject_type(subject_type)
    kind, value, note = _entry(kind, value, note)
    if str(subject_id).strip() not in {str(s.id) for s in selectors.subjects(subject_type)}:
        raise ServiceError("考评对象不存在。", field="subject")
    with transaction.atomic():
        period = _entry_period(period_key, subject_type)
        return _enter(
            period=period,
            subject_type=subject_type,
            subject_id=int(subject_id),
            kind=kind,
            value=value,
            note=note,
            actor=actor,
            now=clock.now(),
        )


def figures_enter(
    *, period_key, subject_type: str, kind: str, values: Mapping, note: str = "", actor: Actor
) -> list[EnteredFigure]:
    """Enter one kind of figure for many subjects at once (subject id → value): the
    survey agency's or the materials review's whole table, all or nothing, as one
    audited write."""
    if not manages_assessment(actor):
        raise PermissionDeniedError("只有市创文办可以录入考评数据。")
    subject_type = _subject_type(subject_type)
    known = {str(s.id): s for s in selectors.subjects(subject_type)}
    wanted: dict[int, Decimal] = {}
    text = ""
    for subject_id, value in values.items():
        subject = known.get(str(subject_id).strip())
        if subject is None:
            raise ServiceError(f"考评对象 {subject_id} 不存在。", field="subject")
        try:
            kind, wanted[subject.id], text = _entry(kind, value, note)
        except ServiceError as error:
            raise ServiceError(f"{subject.name}:{error.message}", field=error.field) from None
    if not wanted:
        raise ServiceError("没有要录入的数据。", field="values")
    with transaction.atomic():
        period = _entry_period(period_key, subject_type)
        now = clock.now()
        existing = {
            f.subject_id: f
            for f in EnteredFigure.objects.select_for_update().filter(
                period_key=period.key,
                subject_type=subject_type,
                kind=kind,
                subject_id__in=list(wanted),
            )
        }
        changes = {}
        fresh, changed = [], []
        for subject_id, value in wanted.items():
            figure = existing.get(subject_id)
            changes[subject_id] = [None if figure is None else str(figure.value), str(value)]
            if figure is None:
                figure = EnteredFigure(
                    period_key=period.key,
                    subject_type=subject_type,
                    subject_id=subject_id,
                    kind=kind,
                )
                fresh.append(figure)
            else:
                changed.append(figure)
            figure.value, figure.note = value, text
            figure.entered_by, figure.entered_at = _actor(actor), now
        EnteredFigure.objects.bulk_create(fresh)
        EnteredFigure.objects.bulk_update(changed, ["value", "note", "entered_by", "entered_at"])
        audit(
            actor=actor,
            action="assessment.figures_enter",
            object_type="assessment.enteredfigure",
            object_id=f"{period.key}/{subject_type}/{kind}",
            summary=(
                f"{period.label} {SubjectType(subject_type).label}{ComponentKind(kind).label}"
                f"批量录入 {len(wanted)} 个对象"
            ),
            data={"note": text, "values": changes},
        )
    return [*fresh, *changed]
