"""Writes on the public side: publication, the reporter's rating and reopen request."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import transaction

from chuangwen.core import clock
from chuangwen.core.audit import audit
from chuangwen.core.errors import ConflictError, PermissionDeniedError, ServiceError
from chuangwen.core.scoping import CHANGE
from chuangwen.core.types import Actor
from chuangwen.core.validation import clean_text

from .. import permissions
from ..choices import Action, Publicity, ReopenRequestStatus, Satisfaction, Status
from ..models import Case, CaseRating, ReopenRequest
from ._common import (
    MAX_DESCRIPTION,
    _actor_unit,
    _for_update,
    _locked_case,
    _notify,
    _office_operators,
    _optional_note,
    _record,
    _required_note,
)
from .workflow import _begin, _reopen


# -- publication ---------------------------------------------------------------------------
def case_publicity_set(
    *, case_id: int, actor: Actor, publicity: str, public_text: str = "", version: int | None = None
) -> Case:
    """The office publishes a case on the public channels, hides it, or leaves it to its
    channel's default, and may write the text the public reads instead of the
    description (redacted all the same)."""
    if not permissions.decides_publicity(actor):
        raise PermissionDeniedError("只有市创文办可以设置案件是否公开。")
    if publicity not in Publicity.values:
        raise ServiceError("公开方式只能是按渠道默认、公开或不公开。", field="publicity")
    text = clean_text(
        public_text, field="public_text", label="公开描述", required=False, limit=MAX_DESCRIPTION
    )
    with transaction.atomic():
        case = _locked_case(case_id, actor)
        if version is not None and int(version) != case.version:
            raise ConflictError("案件已被他人处理,请刷新后重试。")
        before = {"publicity": case.publicity, "public_text": bool(case.public_text)}
        case.publicity, case.public_text = publicity, text
        now = clock.now()
        _record(
            case,
            action=Action.PUBLICITY,
            actor=actor,
            now=now,
            from_status=case.status,
            note=text,
            data={"publicity": publicity, "before": before["publicity"]},
            actor_unit=_actor_unit(actor, case),
        )
        audit(
            actor=actor,
            action="cases.publicity",
            obj=case,
            summary=f"案件 {case.code} 公开方式:{Publicity(publicity).label}",
            data={"publicity": publicity, "public_text": bool(text), "before": before},
        )
        case.version += 1
        case.save()
        return case


# -- the public's rating and reopening -------------------------------------------------------
def _public_case(token: str) -> Case:
    token = (token or "").strip().upper()
    case = None
    if token:
        queryset = _for_update(Case.objects.select_related("duplicate_of"))
        case = queryset.filter(public_token=token).order_by("pk").first()
    if case is None:
        raise ServiceError("查询码不正确,未找到对应的案件。", field="token")
    return case


def handled_case(case: Case) -> Case:
    """The case whose handling a reporter sees: the original, when theirs was merged."""
    return case.duplicate_of if case.status == Status.MERGED and case.duplicate_of_id else case


def case_rate(*, token: str, rating: str, comment: str = "") -> CaseRating:
    """The reporter's 回访 rating, once, after the case (or its original) is closed."""
    if rating not in Satisfaction.values:
        raise ServiceError("请选择满意、基本满意或不满意。", field="rating")
    comment = clean_text(comment, field="comment", label="评价意见", required=False, limit=500)
    with transaction.atomic():
        case = _public_case(token)
        target = handled_case(case)
        if target.status != Status.CLOSED:
            raise ConflictError("案件办结后才能评价。")
        if CaseRating.objects.filter(case=case).exists():
            raise ConflictError("该案件已经评价过,不能重复评价。")
        now = clock.now()
        row = CaseRating.objects.create(
            case=case,
            handled_case=target,
            unit_id=target.unit_id,
            category_id=target.category_id,
            territory_path=target.territory_path,
            rating=rating,
            comment=comment,
            created_at=now,
        )
        _record(
            case,
            action=Action.RATE,
            actor=None,
            now=now,
            from_status=case.status,
            note=comment,
            data={"rating": rating},
        )
        return row


def reopen_request_submit(*, token: str, reason: str) -> ReopenRequest:
    """A dissatisfied reporter asks, within the reopen window, for the case to be handled
    again; the request waits for an operator's review."""
    reason = clean_text(reason, field="reason", label="申请理由", required=True, limit=500)
    with transaction.atomic():
        case = _public_case(token)
        target = handled_case(case)
        rating = CaseRating.objects.filter(case=case).first()
        if rating is None or rating.rating != Satisfaction.DISSATISFIED:
            raise ConflictError("请先评价为“不满意”,再申请重新办理。")
        if target.status != Status.CLOSED:
            raise ConflictError("案件当前不是已结案状态,不能申请重新办理。")
        now = clock.now()
        if target.closed_at and now - target.closed_at > timedelta(days=settings.CASE_REOPEN_DAYS):
            raise ConflictError(f"结案已超过 {settings.CASE_REOPEN_DAYS} 天,不能申请重新办理。")
        if ReopenRequest.objects.filter(case=case).exists():
            raise ConflictError("已经提交过重新办理申请,请等待审核结果。")
        request = ReopenRequest.objects.create(
            case=case, target=target, reason=reason, requested_at=now
        )
        _record(
            case,
            action=Action.REOPEN_REQUEST,
            actor=None,
            now=now,
            from_status=case.status,
            note=reason,
            data={"request_id": request.pk, "target": target.code},
        )
        _notify(
            users=_office_operators(),
            title=f"市民申请重新办理 {target.code}",
            body=f"{target.category.name}:{reason[:80]}",
            case=target,
            kind="case.reopen_request",
        )
        return request


def reopen_request_decide(
    *, request_id: int, approve: bool, actor: Actor, note: str = ""
) -> ReopenRequest:
    """An operator's review: approval reopens the case (registered again, back to
    dispatch); a refusal needs a reason, which the reporter sees."""
    with transaction.atomic():
        queryset = _for_update(ReopenRequest.objects.scoped_for(actor, CHANGE))
        request = queryset.filter(pk=request_id).select_related("case", "target").first()
        if request is None:
            raise ServiceError("重新办理申请不存在。")
        if request.status != ReopenRequestStatus.PENDING:
            raise ConflictError("该申请已经审核过。")
        if approve:
            reason = _optional_note(note) or f"市民不满意申请重新办理:{request.reason}"
            t = _begin(request.target_id, Action.REOPEN, actor, None)
            _reopen(t, reason, asked_at=request.requested_at)
            request.status = ReopenRequestStatus.APPROVED
        else:
            reason = _required_note(note, "驳回理由")
            case = request.case
            if not permissions.operates(actor, request.target.territory_path):
                raise PermissionDeniedError("您没有权限审核该申请。")
            _record(
                case,
                action=Action.REOPEN_REFUSE,
                actor=actor,
                now=clock.now(),
                from_status=case.status,
                note=reason,
                data={"request_id": request.pk},
                actor_unit=_actor_unit(actor, case),
            )
            request.status = ReopenRequestStatus.REFUSED
        request.decided_by = actor
        request.decided_at = clock.now()
        request.decision_note = reason
        request.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
        audit(
            actor=actor,
            action="cases.reopen_request_decide",
            obj=request,
            summary=f"{'批准' if approve else '驳回'}重新办理申请 {request.target.code}",
            data={"approve": approve},
        )
        return request
