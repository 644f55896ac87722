"""Every write of an evaluation round: planning, starting, inspecting, reviewing,
penalties, re-inspections. Each runs in one transaction with its audit row; failed items
become cases through the case services inside the same transaction, so an inspection is
never submitted without its problem cases, nor a case opened for an unsaved result."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.urls import reverse
from django.utils.dateparse import parse_datetime

from chuangwen.cases import services as case_services
from chuangwen.cases.choices import Channel, PhotoKind, Status
from chuangwen.cases.duplicates import distance_m
from chuangwen.cases.models import Case, CasePhoto
from chuangwen.core import clock
from chuangwen.core.audit import audit
from chuangwen.core.errors import ConflictError, PermissionDeniedError, ServiceError
from chuangwen.core.validation import check_version, locked_row
from chuangwen.core.workcalendar import get_calendar
from chuangwen.notifications.services import notify
from chuangwen.org.models import Membership, Unit
from chuangwen.territory.models import TerritoryNode

from . import planning
from .choices import (
    COUNTED_STATUSES,
    FrameworkKind,
    InspectionStatus,
    ReinspectionStatus,
    Result,
    RoundKind,
    RoundStatus,
    SubjectLevel,
)
from .cleaning import clean_float as _float
from .cleaning import clean_text as _text
from .models import (
    ChecklistItem,
    Framework,
    Inspection,
    ItemResult,
    NegativeItem,
    Penalty,
    Point,
    PointType,
    Reinspection,
    Round,
    RoundItem,
    SamplingRule,
)
from .permissions import INSPECTOR_ROLES, acts_on, plans_rounds
from .scoring import ItemScore, item_deduction, point_score

MAX_OCCURRENCES = 999


# -- helpers -------------------------------------------------------------------------------
def _date(value, *, field: str, label: str) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except (TypeError, ValueError):
        raise ServiceError(f"{label}格式不正确(应为 2026-11-25)。", field=field) from None


def _int(value, *, field: str, label: str, low: int, high: int) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise ServiceError(f"{label}必须是整数。", field=field) from None
    if not low <= number <= high:
        raise ServiceError(f"{label}应在 {low} 到 {high} 之间。", field=field)
    return number


def _require_planner(actor) -> None:
    if not plans_rounds(actor):
        raise PermissionDeniedError("只有市创文办可以组织测评。")


def _inspectors(ids: Sequence[int]) -> list:
    wanted = []
    for value in ids:
        try:
            pk = int(value)
        except (TypeError, ValueError):
            raise ServiceError("所选测评员不存在。", field="inspectors") from None
        if pk not in wanted:
            wanted.append(pk)
    if not wanted:
        raise ServiceError("请至少选择一名测评员。", field="inspectors")
    holders = set(
        Membership.objects.filter(
            user_id__in=wanted, role__in=INSPECTOR_ROLES, is_active=True, user__is_active=True
        ).values_list("user_id", flat=True)
    )
    missing = [pk for pk in wanted if pk not in holders]
    if missing:
        raise ServiceError("所选人员中有人不是在岗的测评员或文明观察员。", field="inspectors")
    users = get_user_model().objects.in_bulk(wanted)
    return [users[pk] for pk in wanted]


def _rules(rules: Sequence[dict]) -> list[tuple[PointType, planning.Rule]]:
    parsed = []
    types = {t.pk: t for t in PointType.objects.filter(is_active=True)}
    seen = set()
    for i, rule in enumerate(rules, start=1):
        try:
            type_id = int(rule.get("point_type_id"))
        except (TypeError, ValueError):
            type_id = None
        point_type = types.get(type_id)
        if point_type is None:
            raise ServiceError(f"第 {i} 条抽样规则的点位类型不存在或已停用。", field="rules")
        percent = _int(rule.get("percent"), field="rules", label="抽取比例", low=1, high=100)
        minimum = _int(rule.get("minimum", 1), field="rules", label="每组至少", low=0, high=1000)
        per = rule.get("per") or SubjectLevel.DISTRICT
        if per not in (SubjectLevel.DISTRICT, SubjectLevel.STREET):
            raise ServiceError(f"第 {i} 条抽样规则的分组只能是区县或街道。", field="rules")
        if (type_id, per) in seen:
            raise ServiceError(f"点位类型“{point_type.name}”的抽样规则重复。", field="rules")
        seen.add((type_id, per))
        parsed.append(
            (point_type, planning.Rule(point_type.code, percent, minimum=minimum, per=per))
        )
    return parsed


def _candidate(point: Point) -> planning.Candidate:
    return planning.Candidate(
        id=point.pk,
        code=point.code,
        type_code=point.point_type.code,
        district_id=point.district_id,
        street_id=point.street_id,
        lat=point.lat,
        lng=point.lng,
    )


def _previous_round(kind: str, starts_on: date) -> Round | None:
    return (
        Round.objects.filter(kind=kind, starts_on__lt=starts_on)
        .exclude(status=RoundStatus.DRAFT)
        .order_by("-starts_on", "-id")
        .first()
    )


# -- planning ------------------------------------------------------------------------------
def round_create(
    *,
    name: str,
    kind: str,
    starts_on,
    due_on,
    inspector_ids: Sequence[int],
    actor,
    rules: Sequence[dict] = (),
    point_ids: Sequence[int] = (),
    framework_id: int | None = None,
    seed: int | None = None,
    checkin_radius_m: int | None = None,
    note: str = "",
) -> Round:
    """Plan a round: draw its points by the sampling rules (plus any named points), share
    them among the inspectors and schedule each visit. The round stays 筹备中 until
    ``round_start``; nothing of it is visible to inspectors before."""
    _require_planner(actor)
    name = _text(name, field="name", label="轮次名称", limit=120, required=True)
    if kind not in RoundKind.values:
        raise ServiceError("请选择测评类型。", field="kind")
    starts_on = _date(starts_on, field="starts_on", label="开始日期")
    due_on = _date(due_on, field="due_on", label="截止日期")
    if due_on < starts_on:
        raise ServiceError("截止日期不能早于开始日期。", field="due_on")
    if (due_on - starts_on).days > 366:
        raise ServiceError("一轮测评不能超过一年。", field="due_on")
    note = _text(note, field="note", label="说明", limit=500)
    seed = (
        secrets.randbelow(1_000_000)
        if seed in (None, "")
        else _int(seed, field="seed", label="抽样种子", low=0, high=2**31 - 1)
    )
    radius = (
        settings.EVALUATION_CHECKIN_RADIUS_M
        if checkin_radius_m in (None, "")
        else _int(checkin_radius_m, field="checkin_radius_m", label="签到距离", low=10, high=5000)
    )
    if framework_id not in (None, ""):
        framework_id = _int(framework_id, field="framework", label="测评体系", low=1, high=2**31)
        framework = Framework.objects.filter(pk=framework_id).first()
        if framework is None:
            raise ServiceError("测评体系不存在。", field="framework")
    else:
        framework = (
            Framework.objects.filter(is_current=True, kind=FrameworkKind.MODEL_CITY).first()
            or Framework.objects.filter(is_current=True).first()
        )
    inspectors = _inspectors(inspector_ids)
    parsed_rules = _rules(rules)
    explicit_ids = set()
    for value in point_ids:
        explicit_ids.add(_int(value, field="points", label="点位", low=1, high=2**31))
    active = Point.objects.filter(is_active=True).select_related("point_type")
    explicit = list(active.filter(pk__in=explicit_ids))
    if len(explicit) != len(explicit_ids):
        raise ServiceError("所列点位中有不存在或已停用的。", field="points")
    type_codes = {rule.type_code for _t, rule in parsed_rules}
    candidates = [_candidate(p) for p in active.filter(point_type__code__in=type_codes)]
    drawn = {c.id: c for c in planning.draw(candidates, [r for _t, r in parsed_rules], seed)}
    drawn.update({p.pk: _candidate(p) for p in explicit})
    if not drawn:
        raise ServiceError("按所设规则没有抽到任何点位,请调整抽样规则或指定点位。", field="rules")
    runs = planning.assign(list(drawn.values()), [u.pk for u in inspectors])
    days = planning.working_days(starts_on, due_on, get_calendar().is_workday)
    with transaction.atomic():
        round_ = Round.objects.create(
            name=name,
            kind=kind,
            framework=framework,
            starts_on=starts_on,
            due_on=due_on,
            seed=seed,
            checkin_radius_m=radius,
            previous=_previous_round(kind, starts_on),
            note=note,
            created_by=actor if getattr(actor, "pk", None) else None,
        )
        SamplingRule.objects.bulk_create(
            SamplingRule(
                round=round_,
                point_type=point_type,
                percent=rule.percent,
                minimum=rule.minimum,
                per=rule.per,
            )
            for point_type, rule in parsed_rules
        )
        inspections = []
        for inspector_id, run in runs.items():
            for order, (candidate, day) in enumerate(
                zip(run, planning.schedule(len(run), days), strict=True), start=1
            ):
                inspections.append(
                    Inspection(
                        round=round_,
                        point_id=candidate.id,
                        inspector_id=inspector_id,
                        planned_on=day,
                        due_on=due_on,
                        route_order=order,
                    )
                )
        Inspection.objects.bulk_create(inspections)
        audit(
            actor=actor,
            action="evaluation.round_create",
            obj=round_,
            summary=f"新建测评轮次 {round_.name}({len(inspections)} 个点位)",
            data={
                "seed": seed,
                "rules": [
                    {"type": r.type_code, "percent": r.percent, "minimum": r.minimum, "per": r.per}
                    for _t, r in parsed_rules
                ],
                "points": sorted(explicit_ids),
                "inspectors": [u.pk for u in inspectors],
            },
        )
    return round_


def round_discard(*, round_id: int, actor) -> None:
    """Drop a round still being planned (筹备中); a started round is kept for the record."""
    _require_planner(actor)
    with transaction.atomic():
        round_ = locked_row(Round.objects.all(), round_id, "测评轮次")
        if round_.status != RoundStatus.DRAFT:
            raise ConflictError("测评已开始,不能删除,只能结束。")
        audit(
            actor=actor,
            action="evaluation.round_discard",
            obj=round_,
            summary=f"删除筹备中的测评轮次 {round_.name}",
        )
        round_.delete()


def round_start(*, round_id: int, actor, version: int | None = None) -> Round:
    """Open the round: freeze the checklists of its point types and tell the inspectors."""
    _require_planner(actor)
    with transaction.atomic():
        round_ = locked_row(Round.objects.all(), round_id, "测评轮次")
        check_version(round_, version)
        if round_.status != RoundStatus.DRAFT:
            raise ConflictError(f"测评轮次当前为“{round_.get_status_display()}”,不能开始。")
        type_ids = set(round_.inspections.values_list("point__point_type_id", flat=True))
        items = list(
            ChecklistItem.objects.filter(point_type_id__in=type_ids, is_active=True)
            .select_related("indicator")
            .order_by("point_type_id", "position", "id")
        )
        missing = type_ids - {i.point_type_id for i in items}
        if missing:
            names = "、".join(
                PointType.objects.filter(pk__in=missing).values_list("name", flat=True)
            )
            raise ConflictError(f"点位类型“{names}”还没有有效的检查项,不能开始测评。")
        RoundItem.objects.bulk_create(
            RoundItem(
                round=round_,
                point_type_id=item.point_type_id,
                source=item,
                section=item.section,
                position=item.position,
                text=item.text,
                indicator_code=item.indicator.code if item.indicator else "",
                indicator_name=item.indicator.name if item.indicator else "",
                max_points=item.max_points,
                deduction=item.deduction,
                category_id=item.category_id,
                evidence_required=item.evidence_required,
                na_allowed=item.na_allowed,
            )
            for item in items
        )
        round_.status = RoundStatus.OPEN
        round_.started_at = clock.now()
        round_.version += 1
        round_.save()
        audit(
            actor=actor,
            action="evaluation.round_start",
            obj=round_,
            summary=f"开始测评 {round_.name}",
            data={"items": len(items), "point_types": sorted(type_ids)},
        )
        counts: dict[int, int] = {}
        for inspector_id in round_.inspections.values_list("inspector_id", flat=True):
            counts[inspector_id] = counts.get(inspector_id, 0) + 1
        for inspector_id, count in counts.items():
            notify(
                users=[inspector_id],
                title=f"测评任务:{round_.name}",
                body=f"您有 {count} 个点位待测评,截止 {round_.due_on:%Y-%m-%d}。",
                url=reverse("evaluation:field_home"),
                kind="evaluation.assigned",
            )
    return round_


def _rescore(round_: Round) -> int:
    """Recompute the stored score of every counted inspection from its item results and
    the frozen checklist; returns how many differed. The published result of a round
    is then exactly what its item results say."""
    rows = (
        ItemResult.objects.filter(inspection__round=round_, inspection__status__in=COUNTED_STATUSES)
        .order_by("inspection_id")
        .values_list(
            "inspection_id", "result", "occurrences", "item__max_points", "item__deduction"
        )
    )
    scored: dict[int, list[ItemScore]] = {}
    for inspection_id, result, occurrences, most, each in rows.iterator(chunk_size=5000):
        lost = item_deduction(result, max_points=most, per_occurrence=each, occurrences=occurrences)
        scored.setdefault(inspection_id, []).append(ItemScore(result, most, lost))
    fields = ("full_points", "max_points", "deducted", "score", "failed_count")
    changed = []
    for inspection in Inspection.objects.filter(pk__in=list(scored)).only("pk", *fields):
        score = point_score(scored[inspection.pk])
        fresh = (score.full_points, score.max_points, score.deducted, score.score)
        stored = (
            inspection.full_points,
            inspection.max_points,
            inspection.deducted,
            inspection.score,
        )
        if fresh != stored or score.failed_count != inspection.failed_count:
            inspection.full_points, inspection.max_points = fresh[0], fresh[1]
            inspection.deducted, inspection.score = fresh[2], fresh[3]
            inspection.failed_count = score.failed_count
            changed.append(inspection)
    _write_scores(changed, fields)
    return len(changed)


def _write_scores(rows: list[Inspection], fields: tuple[str, ...]) -> None:
    """One plain UPDATE per changed row, sent as a batch: the ORM's bulk_update builds a
    CASE expression per field and row, which costs far more than the scoring itself."""
    if not rows:
        return
    meta = Inspection._meta
    columns = [meta.get_field(name) for name in fields]
    quote = connection.ops.quote_name
    sql = (
        f"UPDATE {quote(meta.db_table)} SET "
        + ", ".join(f"{quote(f.column)} = %s" for f in columns)
        + f" WHERE {quote(meta.pk.column)} = %s"
    )
    params = [
        [f.get_db_prep_save(getattr(row, f.attname), connection) for f in columns] + [row.pk]
        for row in rows
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


def round_rescore(*, round_id: int, actor) -> int:
    """统一核算: recompute every score of the round from its item results."""
    _require_planner(actor)
    with transaction.atomic():
        round_ = locked_row(Round.objects.all(), round_id, "测评轮次")
        changed = _rescore(round_)
        audit(
            actor=actor,
            action="evaluation.round_rescore",
            obj=round_,
            summary=f"核算测评得分 {round_.name}:更正 {changed} 个点位",
            data={"changed": changed},
        )
    return changed


def round_close(*, round_id: int, actor, version: int | None = None) -> Round:
    """End the round; its scores are recomputed from the item results one last time."""
    _require_planner(actor)
    with transaction.atomic():
        round_ = locked_row(Round.objects.all(), round_id, "测评轮次")
        check_version(round_, version)
        if round_.status != RoundStatus.OPEN:
            raise ConflictError(f"测评轮次当前为“{round_.get_status_display()}”,不能结束。")
        corrected = _rescore(round_)
        unchecked = round_.inspections.filter(
            status__in=(InspectionStatus.ASSIGNED, InspectionStatus.RETURNED)
        ).count()
        round_.status = RoundStatus.CLOSED
        round_.closed_at = clock.now()
        round_.version += 1
        round_.save()
        audit(
            actor=actor,
            action="evaluation.round_close",
            obj=round_,
            summary=f"结束测评 {round_.name}",
            data={"unchecked": unchecked, "rescored": corrected},
        )
    return round_


def inspection_reassign(*, inspection_id: int, inspector_id: int, actor) -> Inspection:
    _require_planner(actor)
    (inspector,) = _inspectors([inspector_id])
    with transaction.atomic():
        inspection = locked_row(
            Inspection.objects.select_related("round"), inspection_id, "测评任务"
        )
        if inspection.status not in (InspectionStatus.ASSIGNED, InspectionStatus.RETURNED):
            raise ConflictError("该点位已提交结果,不能改派。")
        if inspection.round.status == RoundStatus.CLOSED:
            raise ConflictError("测评已结束,不能改派。")
        before = inspection.inspector_id
        inspection.inspector = inspector
        inspection.version += 1
        inspection.save()
        audit(
            actor=actor,
            action="evaluation.inspection_reassign",
            obj=inspection,
            summary=f"{inspection.point} 改派给 {inspector.full_name or inspector.username}",
            data={"from": before, "to": inspector.pk},
        )
        if inspection.round.status == RoundStatus.OPEN:
            notify(
                users=[inspector],
                title=f"测评任务:{inspection.round.name}",
                body=f"新增点位 {inspection.point.name},截止 {inspection.due_on:%Y-%m-%d}。",
                url=reverse("evaluation:field_home"),
                kind="evaluation.assigned",
            )
    return inspection


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


def _photos_for(entries: list[_Entry], actor, current: dict[int, set[int]]) -> dict[int, list]:
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


def _open_case(row: ItemResult, inspection: Inspection, photos: list, actor) -> None:
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
    actor,
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
    *, inspection_id: int, actor, approve: bool, note: str = "", version: int | None = None
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


# -- penalties -----------------------------------------------------------------------------
def penalty_record(
    *,
    round_id: int,
    negative_id: int,
    actor,
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


# -- re-inspection -------------------------------------------------------------------------
def reinspection_record(
    *,
    reinspection_id: int,
    actor,
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
