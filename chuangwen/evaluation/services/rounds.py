"""Writes of an evaluation round: planning, starting, rescoring, closing and reassigning its inspections."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import date

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.urls import reverse

from chuangwen.core import clock
from chuangwen.core.audit import audit
from chuangwen.core.errors import ConflictError, PermissionDeniedError, ServiceError
from chuangwen.core.types import Actor
from chuangwen.core.validation import check_version, locked_row
from chuangwen.core.workcalendar import get_calendar
from chuangwen.notifications.services import notify
from chuangwen.org.models import Membership

from .. import planning
from ..choices import (
    COUNTED_STATUSES,
    FrameworkKind,
    InspectionStatus,
    RoundKind,
    RoundStatus,
    SubjectLevel,
)
from ..cleaning import clean_text as _text
from ..models import (
    ChecklistItem,
    Framework,
    Inspection,
    ItemResult,
    Point,
    PointType,
    Round,
    RoundItem,
    SamplingRule,
)
from ..permissions import INSPECTOR_ROLES, plans_rounds
from ..scoring import ItemScore, item_deduction, point_score


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


def _require_planner(actor: Actor) -> None:
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
    actor: Actor,
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


def round_discard(*, round_id: int, actor: Actor) -> None:
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


def round_start(*, round_id: int, actor: Actor, version: int | None = None) -> Round:
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


def round_rescore(*, round_id: int, actor: Actor) -> int:
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


def round_close(*, round_id: int, actor: Actor, version: int | None = None) -> Round:
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


def inspection_reassign(*, inspection_id: int, inspector_id: int, actor: Actor) -> Inspection:
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
