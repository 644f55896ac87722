"""Publishing a period's results (frozen into Result rows) and withdrawing a publication."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from chuangwen.core import clock
from chuangwen.core.audit import audit
from chuangwen.core.errors import ConflictError, PermissionDeniedError, ServiceError
from chuangwen.core.types import Actor
from chuangwen.core.validation import clean_text

from .. import periods, selectors
from ..choices import (
    AppealStatus,
    ComponentKind,
    PublicationStatus,
    SubjectType,
)
from ..models import Appeal, Publication, Result, Scheme
from ..permissions import manages_assessment
from .common import _actor, _subject_type


# -- publication ---------------------------------------------------------------------------
def publication_publish(
    *, period_key, subject_type: str, actor: Actor, note: str = ""
) -> Publication:
    """Freeze the period's draft into published results. One standing publication per
    period and subject type: publishing again needs the first withdrawn."""
    if not manages_assessment(actor):
        raise PermissionDeniedError("只有市创文办可以发布考评结果。")
    subject_type = _subject_type(subject_type)
    period = periods.parse(period_key)
    note = clean_text(note, field="note", label="发布说明", limit=500)
    now = clock.now()
    if period.end > now:
        raise ServiceError(f"{period.label}尚未结束,不能发布。", field="period")
    label = SubjectType(subject_type).label
    try:
        with transaction.atomic():
            scheme = (
                Scheme.objects.select_for_update()
                .filter(subject_type=subject_type, is_current=True)
                .first()
            )
            if scheme is None:
                raise ServiceError(f"尚未制定{label}考评方案,不能发布。", field="subject_type")
            if selectors.published(period.key, subject_type) is not None:
                raise ConflictError(f"{period.label}{label}考评结果已发布;如需重新发布,请先撤回。")
            scheme = selectors.scheme_get(scheme.pk)
            missing = selectors.missing_figures(
                period_key=period.key, subject_type=subject_type, scheme=scheme
            )
            if missing:
                parts = [
                    f"{ComponentKind(kind).label} {len(subjects)} 个(如{subjects[0].name})"
                    for kind, subjects in missing.items()
                ]
                raise ConflictError(f"尚有对象未录入数据:{';'.join(parts)}。请录入后再发布。")
            lines = selectors.draft_lines(
                period=period, subject_type=subject_type, as_of=now, scheme=scheme
            )
            if not lines:
                raise ServiceError(f"没有可考评的{label}。", field="subject_type")
            publication = Publication.objects.create(
                period_key=period.key,
                period_kind=period.kind,
                subject_type=subject_type,
                scheme=scheme,
                computed_at=now,
                published_by=_actor(actor),
                published_at=now,
                note=note,
            )
            Result.objects.bulk_create(
                Result(
                    publication=publication,
                    subject_id=line.subject_id,
                    subject_code=line.subject_code[:40],
                    subject_name=line.subject_name[:120],
                    territory_path=line.territory_path or "",
                    unit_id=line.unit_id,
                    indicators=line.indicators,
                    components=[c.as_json() for c in line.components],
                    total=line.total,
                    rank=line.rank,
                    previous_rank=line.previous_rank,
                    final_total=line.total,
                    final_rank=line.rank,
                )
                for line in lines
            )
            audit(
                actor=actor,
                action="assessment.publish",
                obj=publication,
                summary=f"发布{period.label}{label}考评结果({len(lines)} 个对象)",
                data={
                    "period": period.key,
                    "subject_type": subject_type,
                    "scheme": scheme.pk,
                    "scheme_version": scheme.version,
                    "computed_at": now.isoformat(),
                    "first": lines[0].subject_name,
                },
            )
    except IntegrityError:
        raise ConflictError(f"{period.label}{label}考评结果刚被他人发布。") from None
    return publication


def publication_withdraw(*, publication_id, actor: Actor, reason: str) -> Publication:
    """Take a publication back (a wrong figure, a late correction): its results stay on
    record under the withdrawn publication, and the period can be published again."""
    if not manages_assessment(actor):
        raise PermissionDeniedError("只有市创文办可以撤回考评结果。")
    reason = clean_text(reason, field="reason", label="撤回理由", limit=500, required=True)
    with transaction.atomic():
        publication = (
            Publication.objects.select_for_update().filter(pk=publication_id).order_by("pk").first()
        )
        if publication is None:
            raise ServiceError("考评结果发布不存在。")
        if publication.status != PublicationStatus.PUBLISHED:
            raise ConflictError("该发布已撤回。")
        pending = Appeal.objects.filter(
            result__publication=publication, status=AppealStatus.PENDING
        ).count()
        if pending:
            raise ConflictError(f"该发布尚有 {pending} 件申诉待审核,请审核后再撤回。")
        now = clock.now()
        publication.status = PublicationStatus.WITHDRAWN
        publication.withdrawn_by = _actor(actor)
        publication.withdrawn_at = now
        publication.withdraw_reason = reason
        publication.save()
        period = periods.parse(publication.period_key)
        audit(
            actor=actor,
            action="assessment.withdraw",
            obj=publication,
            summary=f"撤回{period.label}{publication.get_subject_type_display()}考评结果:{reason}",
            data={"reason": reason},
        )
    return publication
