"""Reads of inspections and re-inspections: one with its checked items, the field staff's lists."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404

from chuangwen.cases.choices import PhotoKind

from ..choices import (
    ReinspectionStatus,
    Result,
    RoundStatus,
)
from ..models import (
    Inspection,
    ItemResult,
    Reinspection,
    RoundItem,
)
from ..permissions import plans_rounds


# -- inspections ---------------------------------------------------------------------------
def inspection_get(*, user, inspection_id) -> Inspection:
    inspection = (
        Inspection.objects.scoped_for(user)
        .select_related("round", "point", "point__point_type", "inspector", "reviewed_by")
        .filter(pk=inspection_id)
        .first()
    )
    if inspection is None or (
        inspection.round.status == RoundStatus.DRAFT and not plans_rounds(user)
    ):
        raise Http404("测评任务不存在")
    return inspection


@dataclass(frozen=True)
class CheckedItem:
    """One line of an inspection's checklist: the frozen item and what was found (None:
    nothing on record)."""

    item: RoundItem
    result: ItemResult | None


def inspection_sections(
    *, inspection: Inspection, recorded_only: bool = False
) -> list[tuple[str, list[CheckedItem]]]:
    """The inspection's checklist by section, in checklist order, each item with its result
    (its case and photos loaded). By default every item of the round's frozen checklist for
    the point's type, answered or not (the office's page shows what is missing);
    ``recorded_only``: only the results on record, which is what the inspector submitted
    even if the point's type has changed since. Two queries, three with the checklist."""
    results = list(
        inspection.results.select_related("item", "case")
        .prefetch_related("photos")
        .order_by("item__position", "item_id")
    )
    if recorded_only:
        lines = [CheckedItem(item=r.item, result=r) for r in results]
    else:
        by_item = {r.item_id: r for r in results}
        items = RoundItem.objects.filter(
            round_id=inspection.round_id, point_type_id=inspection.point.point_type_id
        ).order_by("position", "id")
        lines = [CheckedItem(item=item, result=by_item.get(item.pk)) for item in items]
    sections: dict[str, list[CheckedItem]] = {}
    for line in lines:
        sections.setdefault(line.item.section, []).append(line)
    return list(sections.items())


def inspection_case_codes(*, inspection: Inspection) -> list[str]:
    """The codes of the cases the inspection's failed items opened, in checklist order."""
    return list(
        ItemResult.objects.filter(inspection=inspection, result=Result.FAIL, case__isnull=False)
        .order_by("item__position", "item_id")
        .values_list("case__code", flat=True)
    )


def field_inspections(user) -> QuerySet[Inspection]:
    """The inspector's own points in rounds under way, in the order of their route."""
    return (
        Inspection.objects.filter(inspector=user, round__status=RoundStatus.OPEN)
        .select_related("round", "point", "point__point_type")
        .order_by("round__due_on", "round_id", "planned_on", "route_order")
    )


def field_reinspections(user) -> QuerySet[Reinspection]:
    return (
        Reinspection.objects.filter(inspector=user, status=ReinspectionStatus.PENDING)
        .select_related(
            "case", "result__item", "result__inspection__point", "result__inspection__round"
        )
        .order_by("due_on", "pk")
    )


def reinspection_get(*, user, reinspection_id) -> Reinspection:
    reinspection = (
        Reinspection.objects.select_related(
            "case", "result__item", "result__inspection__point", "result__inspection__round"
        )
        .filter(pk=reinspection_id)
        .first()
    )
    if reinspection is None or not (
        reinspection.inspector_id == getattr(user, "pk", None) or plans_rounds(user)
    ):
        raise Http404("复查任务不存在")
    return reinspection


@dataclass(frozen=True)
class ReinspectionPhotos:
    """Photo ids a 复查 shows side by side."""

    before: list[int]  # the failure's evidence
    after: list[int]  # the responsible unit's after-photos on the case
    done: list[int]  # the re-inspection's own


def reinspection_photos(*, reinspection: Reinspection) -> ReinspectionPhotos:
    """The photos of a 复查 task (got through ``reinspection_get``): before, after, done."""
    return ReinspectionPhotos(
        before=[p.pk for p in reinspection.result.photos.all()],
        after=[p.pk for p in reinspection.case.photos.filter(kind=PhotoKind.AFTER)],
        done=[p.pk for p in reinspection.photos.all()],
    )


def inspection_form(inspection: Inspection) -> dict:
    """What the capture page needs, as plain data: the point, the frozen checklist by
    section, and the results already on record (for a returned inspection)."""
    items = RoundItem.objects.filter(
        round_id=inspection.round_id, point_type_id=inspection.point.point_type_id
    ).order_by("position", "id")
    results = {
        r.item_id: r for r in inspection.results.prefetch_related("photos").select_related("item")
    }
    sections: dict[str, list[dict]] = defaultdict(list)
    for item in items:
        done = results.get(item.pk)
        sections[item.section].append(
            {
                "id": item.pk,
                "text": item.text,
                "indicator": " ".join(x for x in (item.indicator_code, item.indicator_name) if x),
                "max": str(item.max_points),
                "deduction": str(item.deduction),
                "evidence": item.evidence_required,
                "na": item.na_allowed,
                "result": done.result if done else "",
                "occurrences": done.occurrences if done else 0,
                "note": done.note if done else "",
                "photo_ids": [p.pk for p in done.photos.all()] if done else [],
            }
        )
    point = inspection.point
    return {
        "id": inspection.pk,
        "version": inspection.version,
        "status": inspection.status,
        "round": inspection.round.name,
        "radius": inspection.round.checkin_radius_m,
        "point": {
            "code": point.code,
            "name": point.name,
            "type": point.point_type.name,
            "address": point.address,
            "lat": point.lat,
            "lng": point.lng,
        },
        "review_note": inspection.review_note,
        "sections": [{"name": name, "items": rows} for name, rows in sections.items()],
    }
