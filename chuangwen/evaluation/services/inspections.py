"""Writes of one inspection: the inspector's submission (problem cases opened with it) and the office's review."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db import transaction
from django.urls import reverse
from django.utils.dateparse import parse_datetime

from chuangwen.cases import services as case_services
from chuangwen.cases.choices import Channel, PhotoKind
from chuangwen.cases.duplicates import distance_m
from chuangwen.cases.models import Case, CasePhoto
from chuangwen.core import clock
from chuangwen.core.audit import audit
from chuangwen.core.errors import ConflictError, PermissionDeniedError, ServiceError
from chuangwen.core.types import Actor
from chuangwen.core.validation import check_version, locked_row
from chuangwen.core.workcalendar import get_calendar
from chuangwen.notifications.services import notify

from ..choices import (
    InspectionStatus,
    ReinspectionStatus,
    Result,
    RoundStatus,
)
from ..cleaning import clean_float as _float
from ..cleaning import clean_text as _text
from ..models import (
    Inspection,
    ItemResult,
    Reinspection,
    RoundItem,
)
from ..permissions import acts_on
from ..scoring import ItemScore, item_deduction, point_score
from .rounds import _int, _require_planner

MAX_OCCURRENCES = 999


# -- inspecting ----------------------------------------------------------------------------
@dataclass
class _Entry:
    item: RoundItem
    result: str
    occurrences: int
    note: str
    photo_ids: list[int]


def _entries(items: list[RoundItem], results: Sequence[dict]) -> list[_Entry]:
    by_id = {item.pk: item for item in items}
    entries: dict[int, _Entry] = {}
    for raw in results:
        try:
            item_id = int(raw.get("item_id"))
        except (TypeError, ValueError, AttributeError):
            raise ServiceError("检查结果格式不正确。", field="results") from None
        item = by_id.get(item_id)
        if item is None:
            raise ServiceError("检查结果中有不属于该点位清单的检查项。", field="results")
        if item_id in entries:
            raise ServiceError(f"检查项“{item.text}”重复填写。", field="results")
        result = raw.get("result")
        if result not in Result.values:
            raise ServiceError(f"请为“{item.text}”选择合格、不合格或不适用。", field="results")
        if result == Result.NA and not item.na_allowed:
            raise ServiceError(f"检查项“{item.text}”不允许选择不适用。", field="results")
        occurrences = 0
        if result == Result.FAIL:
            given = raw.get("occurrences")
            occurrences = _int(
                1 if given in (None, "") else given,
                field="results",
                label=f"“{item.text}”的问题处数",
                low=1,
                high=MAX_OCCURRENCES,
            )
        note = _text(raw.get("note"), field="results", label="说明", limit=500)
        photo_ids = []
        for value in raw.get("photo_ids") or ():
            photo_ids.append(_int(value, field="results", label="照片", low=1, high=2**63 - 1))
        if result == Result.FAIL and item.evidence_required and not photo_ids:
            raise ServiceError(f"检查项“{item.text}”不合格,须拍照取证。", field="results")
        entries[item_id] = _Entry(item, result, occurrences, note, photo_ids)
    missing = [item.text for item in items if item.pk not in entries]
    if missing:
        raise ServiceError(
            f"还有 {len(missing)} 项未填写:{'、'.join(missing[:3])}{'等' if len(missing) > 3 else ''}。",
            field="results",
        )
    return [entries[item.pk] for item in items]


def _checkin(inspection: Inspection, checkin: dict, now: datetime) -> None:
    point, radius = inspection.point, inspection.round.checkin_radius_m
    exception = _text(
        (checkin or {}).get("exception"), field="checkin", label="签到异常说明", limit=300
    )
    lat, lng = (checkin or {}).get("lat"), (checkin or {}).get("lng")
    if lat in (None, "") or lng in (None, ""):
        if not exception:
            raise ServiceError("未取得定位,请说明原因后提交。", field="checkin")
        inspection.checkin_lat = inspection.checkin_lng = inspection.checkin_distance_m = None
    else:
        lat = _float(lat, field="checkin", label="签到纬度")
        lng = _float(lng, field="checkin", label="签到经度")
        distance = distance_m(point.lat, point.lng, lat, lng)
        if distance > radius and not exception:
            raise ServiceError(
                f"签到位置距点位 {distance:.0f} 米,超出 {radius} 米,请说明原因。",
                field="checkin",
            )
        inspection.checkin_lat, inspection.checkin_lng = lat, lng
        inspection.checkin_distance_m = round(distance, 1)
    inspection.checkin_exception = exception
    # The browser keeps the moment of check-in while offline; trust it only within the
    # round and not in the future.
    start = datetime.combine(inspection.round.starts_on, datetime.min.time()).replace(
        tzinfo=get_calendar().tz
    )
    try:
        moment = parse_datetime(str((checkin or {}).get("at") or "")) if checkin else None
        if (
            moment is None
            or moment.tzinfo is None
            or not start <= moment <= now + timedelta(minutes=5)
        ):
            moment = now
    except (ValueError, OverflowError):
        # An impossible day (2026-02-30) or a moment at the calendar's very ends.
        moment = now
    inspection.checked_in_at = moment


def _photos_for(
    entries: list[_Entry], actor: Actor, current: dict[int, set[int]]
) -> dict[int, list]:
    """item id → its photos, checked: the inspector's own uploads, each used once, either
    unused so far or already on this very item."""
    wanted: dict[int, int] = {}
    for entry in entries:
        for pk in entry.photo_ids:
            if pk in wanted:
                raise ServiceError("同一张照片不能用于两个检查项。", field="results")
            wanted[pk] = entry.item.pk
    if not wanted:
        return {}
    photos = CasePhoto.objects.in_bulk(list(wanted))
    by_item: dict[int, list] = {}
    for pk, item_id in wanted.items():
        photo = photos.get(pk)
        own = photo is not None and (actor is None or photo.uploaded_by_id == actor.pk)
        reused = pk in current.get(item_id, set())
        if not own or (photo.case_id is not None and not reused):
            raise ServiceError("照片不存在、已被使用或不是您上传的。", field="results")
        by_item.setdefault(item_id, []).append(photo)
    return by_item


def _deadline_day(case: Case) -> date:
    if case.deadline is None:
        return clock.now().astimezone(get_calendar().tz).date() + timedelta(days=7)
    return case.deadline.astimezone(get_calendar().tz).date() + timedelta(days=1)


def _open_case(row: ItemResult, inspection: Inspection, photos: list, actor: Actor) -> None:
    point, item = inspection.point, row.item
    description = f"【{inspection.round.name}】{point.name}:{item.text}不合格"
    if row.occurrences > 1:
        description += f"({row.occurrences} 处)"
    if row.note:
        description += f"。{row.note}"
    intake = case_services.case_report(
        category=item.category.code,
        description=description[: case_services.MAX_DESCRIPTION],
        lat=point.lat,
        lng=point.lng,
        address=point.address or point.name,
        actor=actor,
        channel=Channel.INSPECTION,
        # The inspection service checked the inspector (an observer, too) is the point's.
        vouched=True,
        photo_ids=[p.pk for p in photos],
        idempotency_key=f"evaluation-result-{row.pk}",
        unit_id=point.unit_id,
        extra={
            "evaluation_round": inspection.round_id,
            "point": point.code,
            "checklist_item": item.text,
        },
    )
    row.case = intake.case
    row.save(update_fields=["case"])
    Reinspection.objects.create(
        result=row,
        case=intake.case,
        inspector_id=inspection.inspector_id,
        due_on=_deadline_day(intake.case),
    )


def _withdraw_case(row: ItemResult) -> None:
    """An item corrected to 合格/不适用 after a return: its case was opened in error."""
    reinspection = getattr(row, "reinspection", None)
    if reinspection is not None and reinspection.status == ReinspectionStatus.PENDING:
        reinspection.status = ReinspectionStatus.CANCELLED
        reinspection.note = "测评结果更正,复查取消"
        reinspection.save(update_fields=["status", "note", "updated_at"])
    case = row.case
    if case.is_open:
        case_services.case_cancel(
            case_id=case.pk,
            actor=None,
            note=f"测评结果经复核更正为“{Result(row.result).label}”,问题不成立",
        )


def inspection_submit(
    *,
    inspection_id: int,
    actor: Actor,
    submission_key: str,
    results: Sequence[dict],
    checkin: dict | None = None,
    note: str = "",
) -> Inspection:
    """The inspector's results for one point. ``submission_key`` is drawn by the browser
    for each filled form: the same submission sent twice (a retry after a lost
    connection) is taken once. Every failed item opens one case, never two."""
    key = _text(submission_key, field="submission_key", label="提交标识", limit=64, required=True)
    note = _text(note, field="note", label="总体说明", limit=1000)
    with transaction.atomic():
        queryset = Inspection.objects.select_related("round", "point", "point__point_type")
        visible = (
            queryset
            if actor is None
            else queryset.filter(pk__in=Inspection.objects.scoped_for(actor).values("pk"))
        )
        inspection = locked_row(visible, inspection_id, "测评任务")
        if not acts_on(actor, inspection):
            raise PermissionDeniedError("该点位不是分配给您的测评任务。")
        if inspection.submission_key == key and inspection.status in (
            InspectionStatus.SUBMITTED,
            InspectionStatus.APPROVED,
        ):
            return inspection
        if inspection.round.status != RoundStatus.OPEN:
            raise ConflictError("该测评轮次不在进行中,不能提交。")
        if inspection.status not in (InspectionStatus.ASSIGNED, InspectionStatus.RETURNED):
            raise ConflictError(f"该点位已{inspection.get_status_display()},不能重复提交。")
        items = list(
            RoundItem.objects.filter(
                round_id=inspection.round_id, point_type_id=inspection.point.point_type_id
            )
            .select_related("category")
            .order_by("position", "id")
        )
        entries = _entries(items, results)
        now = clock.now()
        _checkin(inspection, checkin or {}, now)
        existing = {
            row.item_id: row
            for row in ItemResult.objects.filter(inspection=inspection).select_related("case")
        }
        current = {item_id: {p.pk for p in row.photos.all()} for item_id, row in existing.items()}
        photos = _photos_for(entries, actor, current)
        scored = []
        rows = []
        for entry in entries:
            deduction = item_deduction(
                entry.result,
                max_points=entry.item.max_points,
                per_occurrence=entry.item.deduction,
                occurrences=entry.occurrences,
            )
            scored.append(ItemScore(entry.result, entry.item.max_points, deduction))
            row = existing.get(entry.item.pk) or ItemResult(inspection=inspection, item=entry.item)
            row.result, row.occurrences, row.note = entry.result, entry.occurrences, entry.note
            row.deduction = deduction
            row.item = entry.item
            row.save()
            row.photos.set(photos.get(entry.item.pk, []))
            rows.append(row)
        score = point_score(scored)
        inspection.full_points, inspection.max_points = score.full_points, score.max_points
        inspection.deducted, inspection.score = score.deducted, score.score
        inspection.failed_count = score.failed_count
        inspection.status = InspectionStatus.SUBMITTED
        inspection.submitted_at = now
        inspection.submission_key = key
        inspection.note = note
        inspection.version += 1
        inspection.save()
        opened = 0
        for row in rows:
            if row.result == Result.FAIL and row.case_id is None:
                _open_case(row, inspection, photos.get(row.item_id, []), actor)
                opened += 1
            elif row.result == Result.FAIL:
                # Photos added on a re-submission go to the case already open for the item.
                CasePhoto.objects.filter(
                    pk__in=[p.pk for p in photos.get(row.item_id, []) if p.case_id is None]
                ).update(case=row.case, kind=PhotoKind.BEFORE)
            elif row.case_id is not None and row.case.is_open:
                _withdraw_case(row)
        audit(
            actor=actor,
            action="evaluation.inspection_submit",
            obj=inspection,
            summary=(
                f"提交测评结果 {inspection.point.name}:得分 {score.score}/{score.max_points},"
                f"不合格 {score.failed_count} 项"
            ),
            data={
                "submission_key": key,
                "score": str(score.score),
                "max": str(score.max_points),
                "cases_opened": opened,
                "checkin_distance_m": inspection.checkin_distance_m,
                "checkin_exception": inspection.checkin_exception,
            },
        )
    return inspection


def inspection_review(
    *, inspection_id: int, actor: Actor, approve: bool, note: str = "", version: int | None = None
) -> Inspection:
    """A supervisor accepts the results or returns them to the inspector with a reason."""
    _require_planner(actor)
    note = _text(note, field="note", label="审核意见", limit=500, required=not approve)
    with transaction.atomic():
        inspection = locked_row(
            Inspection.objects.select_related("round", "point"), inspection_id, "测评任务"
        )
        check_version(inspection, version)
        if inspection.status != InspectionStatus.SUBMITTED:
            raise ConflictError(f"该点位当前为“{inspection.get_status_display()}”,不能审核。")
        if not approve and inspection.round.status != RoundStatus.OPEN:
            raise ConflictError("测评已结束,不能退回。")
        inspection.status = InspectionStatus.APPROVED if approve else InspectionStatus.RETURNED
        inspection.reviewed_by = actor if getattr(actor, "pk", None) else None
        inspection.reviewed_at = clock.now()
        inspection.review_note = note
        inspection.version += 1
        inspection.save()
        audit(
            actor=actor,
            action="evaluation.inspection_approve" if approve else "evaluation.inspection_return",
            obj=inspection,
            summary=f"{'审核通过' if approve else '退回'}测评结果 {inspection.point.name}",
            data={"note": note},
        )
        if not approve and inspection.inspector_id:
            notify(
                users=[inspection.inspector_id],
                title=f"测评结果被退回:{inspection.point.name}",
                body=f"退回理由:{note}",
                url=reverse("evaluation:field_inspect", args=[inspection.pk]),
                kind="evaluation.returned",
            )
    return inspection
