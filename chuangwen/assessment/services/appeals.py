"""Appeals against a published result: filing one and deciding it."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.urls import reverse

from chuangwen.core import clock
from chuangwen.core.audit import audit
from chuangwen.core.errors import ConflictError, PermissionDeniedError, ServiceError
from chuangwen.core.types import Actor
from chuangwen.core.validation import check_version, clean_text
from chuangwen.notifications.services import notify

from .. import periods, scoring, selectors
from ..choices import (
    DECIDED_APPEALS,
    AppealStatus,
    PublicationStatus,
)
from ..models import Appeal, Publication, Result
from ..permissions import manages_assessment, may_appeal
from .common import _actor, _decimal, _office_units


# -- appeals -------------------------------------------------------------------------------
def _component_of(result: Result, position) -> scoring.ComponentScore:
    try:
        wanted = int(position)
    except (TypeError, ValueError):
        wanted = None
    for component in selectors.result_components(result):
        if component.position == wanted:
            return component
    raise ServiceError("请选择要申诉的计分项。", field="component_position")


def appeal_file(
    *, result_id, component_position, requested_points, reason: str, actor: Actor
) -> Appeal:
    """申诉 against the points lost on one component of a published result, asking for
    at most what was lost there (less what earlier appeals already restored)."""
    reason = clean_text(reason, field="reason", label="申诉理由", limit=2000, required=True)
    requested = _decimal(requested_points, field="requested_points", label="申请恢复分值")
    if requested <= 0:
        raise ServiceError("申请恢复分值须大于 0。", field="requested_points")
    with transaction.atomic():
        rows = Result.objects.all() if actor is None else Result.objects.scoped_for(actor)
        publication_id = rows.filter(pk=result_id).values_list("publication_id", flat=True).first()
        if publication_id is None:
            raise ServiceError("考评结果不存在。")
        # The publication's row first, as publication_withdraw locks it: a withdrawal
        # under way makes this appeal wait and then see it withdrawn, and a withdrawal
        # asked for meanwhile waits for this appeal and then finds it pending.
        publication = Publication.objects.select_for_update().get(pk=publication_id)
        result = rows.select_for_update(of=("self",)).filter(pk=result_id).order_by("pk").first()
        result.publication = publication
        if not may_appeal(actor, result):
            raise PermissionDeniedError("只有被考评对象可以对本结果提出申诉。")
        if publication.status != PublicationStatus.PUBLISHED:
            raise ConflictError("该考评结果已撤回,不能申诉;重新发布后可对新的结果申诉。")
        component = _component_of(result, component_position)
        if component.lost <= 0:
            raise ServiceError(f"“{component.label}”未失分,无需申诉。", field="component_position")
        earlier = result.appeals.filter(component_position=component.position)
        if earlier.filter(status=AppealStatus.PENDING).exists():
            raise ConflictError(f"“{component.label}”已有待审核的申诉。")
        restored = sum(
            earlier.filter(status__in=DECIDED_APPEALS).values_list("granted_points", flat=True),
            Decimal(0),
        )
        open_points = component.lost - restored
        if open_points <= 0:
            raise ServiceError(
                f"“{component.label}”失分已全部经申诉恢复。", field="component_position"
            )
        if requested > open_points:
            what = "尚未恢复的失分" if restored else "失分"
            raise ServiceError(
                f"申请恢复分值不能超过该项{what} {scoring.number_text(open_points)} 分。",
                field="requested_points",
            )
        appeal = Appeal.objects.create(
            result=result,
            component_position=component.position,
            component_label=component.label[:60],
            requested_points=requested,
            reason=reason,
            filed_by=_actor(actor),
            filed_at=clock.now(),
        )
        period = periods.parse(result.publication.period_key)
        audit(
            actor=actor,
            action="assessment.appeal_file",
            obj=appeal,
            summary=(
                f"{result.subject_name} 对{period.label}“{component.label}”申诉,"
                f"申请恢复 {scoring.number_text(requested)} 分"
            ),
            data={"result": result.pk, "position": component.position, "requested": str(requested)},
        )
        notify(
            units=_office_units(),
            title=f"考评申诉:{result.subject_name}",
            body=f"{period.label}“{component.label}”申请恢复 {scoring.number_text(requested)} 分:{reason[:100]}",
            url=f"{reverse('assessment:appeal_list')}?status={AppealStatus.PENDING}",
            kind="assessment.appeal_filed",
        )
    return appeal


def appeal_decide(
    *, appeal_id, actor: Actor, status: str, granted_points=None, note: str = "", version=None
) -> Appeal:
    """The office's review: accepted restores the requested points, partial some of them
    (more than 0, less than requested), rejected none. The result's final total and the
    publication's final ranks follow; the appeal keeps the before and after."""
    if not manages_assessment(actor):
        raise PermissionDeniedError("只有市创文办可以审核申诉。")
    if status not in DECIDED_APPEALS:
        raise ServiceError("请选择审核结论。", field="status")
    note = clean_text(
        note,
        field="note",
        label="审核意见",
        limit=2000,
        required=status in (AppealStatus.PARTIAL, AppealStatus.REJECTED),
    )
    with transaction.atomic():
        appeal = (
            Appeal.objects.select_for_update(of=("self",))
            .select_related("result", "result__publication")
            .filter(pk=appeal_id)
            .order_by("pk")
            .first()
        )
        if appeal is None:
            raise ServiceError("申诉不存在。")
        check_version(appeal, version)
        if appeal.status != AppealStatus.PENDING:
            raise ConflictError(f"该申诉已审核({appeal.get_status_display()})。")
        publication = appeal.result.publication
        if publication.status != PublicationStatus.PUBLISHED:
            raise ConflictError("该考评结果已撤回,不能审核申诉。")
        if status == AppealStatus.ACCEPTED:
            granted = appeal.requested_points
        elif status == AppealStatus.REJECTED:
            granted = Decimal("0.00")
        else:
            if granted_points in (None, ""):
                raise ServiceError("部分采纳须填写核准恢复分值。", field="granted_points")
            granted = _decimal(granted_points, field="granted_points", label="核准恢复分值")
            if not Decimal(0) < granted < appeal.requested_points:
                raise ServiceError(
                    f"部分采纳的核准分值应大于 0 且小于申请的 "
                    f"{scoring.number_text(appeal.requested_points)} 分。",
                    field="granted_points",
                )
        results = list(
            Result.objects.select_for_update().filter(publication=publication).order_by("pk")
        )
        subject = next(r for r in results if r.pk == appeal.result_id)
        appeal.total_before, appeal.rank_before = subject.final_total, subject.final_rank
        subject.adjustment += granted
        subject.final_total = subject.total + subject.adjustment
        ranks = scoring.competition_ranks((r.pk, r.final_total, r.subject_code) for r in results)
        moved = []
        for row in results:
            if row.final_rank != ranks[row.pk] or row is subject:
                row.final_rank = ranks[row.pk]
                moved.append(row)
        Result.objects.bulk_update(moved, ["adjustment", "final_total", "final_rank"])
        now = clock.now()
        appeal.status = status
        appeal.granted_points = granted
        appeal.decided_by = _actor(actor)
        appeal.decided_at = now
        appeal.decision_note = note
        appeal.total_after, appeal.rank_after = subject.final_total, subject.final_rank
        appeal.version += 1
        appeal.save()
        audit(
            actor=actor,
            action="assessment.appeal_decide",
            obj=appeal,
            summary=(
                f"{subject.subject_name}“{appeal.component_label}”申诉"
                f"{AppealStatus(status).label},恢复 {scoring.number_text(granted)} 分,"
                f"名次 {appeal.rank_before} → {appeal.rank_after}"
            ),
            data={
                "status": status,
                "granted": str(granted),
                "total_before": str(appeal.total_before),
                "total_after": str(appeal.total_after),
                "rank_before": appeal.rank_before,
                "rank_after": appeal.rank_after,
                "reranked": [r.pk for r in moved if r is not subject],
            },
        )
        if appeal.filed_by_id:
            notify(
                users=[appeal.filed_by_id],
                title=f"申诉审核结果:{AppealStatus(status).label}",
                body=(
                    f"“{appeal.component_label}”核准恢复 {scoring.number_text(granted)} 分,"
                    f"最终得分 {scoring.number_text(subject.final_total)},"
                    f"名次 {subject.final_rank}。{note}"
                ),
                url=reverse("assessment:result_detail", kwargs={"pk": subject.pk}),
                kind="assessment.appeal_decided",
            )
    return appeal
