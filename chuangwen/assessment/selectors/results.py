"""Reads of results: draft lines, published results as a reader sees them, appeals, trends."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from chuangwen.core import clock
from chuangwen.core.errors import ServiceError
from chuangwen.core.scoping import VIEW, scope_for

from .. import periods, scoring
from ..choices import (
    ENTERED_KINDS,
    AppealStatus,
    ComponentKind,
    PublicationStatus,
    SubjectType,
)
from ..models import Appeal, EnteredFigure, Publication, Result, Scheme, SchemeComponent
from ..periods import Period
from ..permissions import manages_assessment
from ..scoring import ComponentScore
from . import indicators
from .figures import inspection_rates, penalty_points
from .schemes import current_scheme, subject_type_checked, today


# -- draft results -------------------------------------------------------------------------
@dataclass
class Line:
    subject_id: int
    subject_code: str
    subject_name: str
    territory_path: str
    unit_id: int | None
    indicators: dict
    components: list[ComponentScore]
    total: Decimal
    rank: int
    previous_rank: int | None = None
    rank_change: int | None = None
    adjustment: Decimal = Decimal("0.00")
    final_total: Decimal = Decimal("0.00")
    final_rank: int = 0
    result_id: int | None = None
    pending_appeals: int = 0

    @property
    def lost(self) -> Decimal:
        return sum((c.lost for c in self.components), Decimal(0))


@dataclass
class Results:
    period: Period
    subject_type: str
    scheme: Scheme | None
    publication: Publication | None
    lines: list[Line] = field(default_factory=list)
    subject_count: int = 0
    computed_at: datetime | None = None

    @property
    def is_published(self) -> bool:
        return self.publication is not None


def _score_lines(
    *, period: Period, subject_type: str, scheme: Scheme | None, as_of: datetime | None
) -> list[Line]:
    subjects = indicators.subjects(subject_type)
    figures = indicators.compute(
        subject_type=subject_type, start=period.start, end=period.end, as_of=as_of
    )
    components = list(scheme.components.all()) if scheme else []
    kinds = {c.kind for c in components}
    rates, average = (
        inspection_rates(subject_type=subject_type, period=period)
        if ComponentKind.INSPECTION in kinds
        else ({}, None)
    )
    penalties = (
        penalty_points(subject_type=subject_type, period=period, as_of=as_of)
        if ComponentKind.PENALTY in kinds
        else {}
    )
    entered: dict[tuple[int, str], Decimal] = {}
    if kinds & set(ENTERED_KINDS):
        rows = EnteredFigure.objects.filter(
            period_key=period.key, subject_type=subject_type, kind__in=ENTERED_KINDS
        ).values_list("subject_id", "kind", "value")
        entered = {(pk, kind): value for pk, kind, value in rows}

    def figure(component: SchemeComponent, subject_id: int, values: dict):
        if component.kind == ComponentKind.CASE_INDICATOR:
            return values.get(component.indicator)
        if component.kind == ComponentKind.INSPECTION:
            return rates.get(subject_id)
        if component.kind == ComponentKind.PENALTY:
            return penalties.get(subject_id, Decimal(0))
        return entered.get((subject_id, component.kind))

    lines = []
    for subject in subjects:
        values = figures.get(subject.id, {})
        scores = [
            scoring.score(c, figure(c, subject.id, values), average=average) for c in components
        ]
        total = scoring.total(scores)
        lines.append(
            Line(
                subject_id=subject.id,
                subject_code=subject.code,
                subject_name=subject.name,
                territory_path=subject.territory_path,
                unit_id=subject.unit_id,
                indicators=dict(values),
                components=scores,
                total=total,
                rank=0,
                final_total=total,
            )
        )
    ranks = scoring.competition_ranks(
        (line.subject_id, line.total, line.subject_code) for line in lines
    )
    for line in lines:
        line.rank = line.final_rank = ranks[line.subject_id]
    lines.sort(key=lambda line: (line.rank, line.subject_code))
    return lines


def published(period_key: str, subject_type: str) -> Publication | None:
    """The period's standing publication for the subject type, if any."""
    return (
        Publication.objects.filter(
            period_key=period_key, subject_type=subject_type, status=PublicationStatus.PUBLISHED
        )
        .select_related("scheme", "published_by")
        .first()
    )


def _ranks_of(period: Period, subject_type: str) -> dict[int, int]:
    """subject id → rank in the period: the published final rank, or the draft's."""
    publication = published(period.key, subject_type)
    if publication is not None:
        return dict(publication.results.values_list("subject_id", "final_rank"))
    lines = _score_lines(
        period=period, subject_type=subject_type, scheme=current_scheme(subject_type), as_of=None
    )
    return {line.subject_id: line.rank for line in lines}


def draft_lines(
    *,
    period: Period,
    subject_type: str,
    as_of: datetime | None = None,
    scheme: Scheme | None = None,
) -> list[Line]:
    """Every subject of the type, scored by ``scheme`` (the current one by default) on the
    figures as they stand (``as_of``: now), ranked city-wide, with the change against the
    previous period of the same kind."""
    subject_type_checked(subject_type)
    scheme = scheme or current_scheme(subject_type)
    lines = _score_lines(period=period, subject_type=subject_type, scheme=scheme, as_of=as_of)
    before = _ranks_of(period.previous(), subject_type)
    for line in lines:
        line.previous_rank = before.get(line.subject_id)
        if line.previous_rank is not None:
            line.rank_change = line.previous_rank - line.final_rank
    return lines


# -- results as a reader sees them ---------------------------------------------------------
def _line_of(result: Result) -> Line:
    return Line(
        subject_id=result.subject_id,
        subject_code=result.subject_code,
        subject_name=result.subject_name,
        territory_path=result.territory_path,
        unit_id=result.unit_id,
        indicators=dict(result.indicators),
        components=[ComponentScore.from_json(c) for c in result.components],
        total=result.total,
        rank=result.rank,
        previous_rank=result.previous_rank,
        rank_change=result.rank_change,
        adjustment=result.adjustment,
        final_total=result.final_total,
        final_rank=result.final_rank,
        result_id=result.pk,
        pending_appeals=getattr(result, "pending_appeals", 0),
    )


def _visible(user):
    """A predicate on (territory_path, unit_id): may ``user`` read that subject's line?"""
    if user is None:
        return lambda path, unit_id: True
    scope = scope_for(user).for_action(VIEW)
    if scope.citywide:
        return lambda path, unit_id: True
    return lambda path, unit_id: (
        bool(path and scope.covers_path(path))
        or (unit_id is not None and unit_id in scope.unit_ids)
    )


def _results_of(user) -> QuerySet[Result]:
    if user is None:
        return Result.objects.all()
    rows = Result.objects.scoped_for(user)
    # Field staff are ranked for the office only (city-wide readers included).
    return (
        rows
        if manages_assessment(user)
        else rows.exclude(publication__subject_type=SubjectType.STAFF)
    )


def results_for(*, user, period_key: str, subject_type: str) -> Results:
    """The period's results for the subject type as ``user`` may see them: the published
    snapshot when there is one, else a draft computed now. Lines are the user's scope
    only, by final rank; ranks and ``subject_count`` are city-wide."""
    period = periods.parse(period_key)
    subject_type_checked(subject_type)
    publication = published(period.key, subject_type)
    if publication is not None:
        rows = (
            _results_of(user)
            .filter(publication=publication)
            .annotate(
                pending_appeals=Count("appeals", filter=Q(appeals__status=AppealStatus.PENDING))
            )
            .order_by("final_rank", "subject_code")
        )
        return Results(
            period=period,
            subject_type=subject_type,
            scheme=publication.scheme,
            publication=publication,
            lines=[_line_of(r) for r in rows],
            subject_count=publication.results.count(),
            computed_at=publication.computed_at,
        )
    scheme = current_scheme(subject_type)
    computed_at = clock.now()
    lines = draft_lines(period=period, subject_type=subject_type, as_of=computed_at, scheme=scheme)
    visible = _visible(user)
    if subject_type == SubjectType.STAFF and not manages_assessment(user):
        lines_shown = []
    else:
        lines_shown = [line for line in lines if visible(line.territory_path, line.unit_id)]
    return Results(
        period=period,
        subject_type=subject_type,
        scheme=scheme,
        publication=None,
        lines=lines_shown,
        subject_count=len(lines),
        computed_at=computed_at,
    )


def publications(*, user, include_withdrawn: bool = False) -> QuerySet[Publication]:
    """Everything published, newest period first (withdrawn ones too, for the office,
    when asked). Who reads which rows inside is decided per result."""
    rows = Publication.objects.select_related("scheme", "published_by", "withdrawn_by").annotate(
        result_count=Count("results")
    )
    if not (include_withdrawn and manages_assessment(user)):
        rows = rows.filter(status=PublicationStatus.PUBLISHED)
    return rows.order_by("-period_key", "subject_type", "-published_at")


def publication_get(*, user, publication_id) -> Publication:
    publication = (
        publications(user=user, include_withdrawn=True).filter(pk=publication_id).first()
        if str(publication_id).isdigit()
        else None
    )
    if publication is None:
        raise Http404("考评结果发布不存在")
    return publication


def result_get(*, user, result_id) -> Result:
    """One published result with its publication and appeals; 404 outside the scope."""
    result = (
        _results_of(user)
        .select_related("publication", "publication__scheme", "unit")
        .prefetch_related("appeals")
        .filter(pk=result_id)
        .first()
        if str(result_id).isdigit()
        else None
    )
    if result is None:
        raise Http404("考评结果不存在")
    return result


def result_components(result: Result) -> list[ComponentScore]:
    return [ComponentScore.from_json(c) for c in result.components]


def appeals_for(*, user, status: str | None = None) -> QuerySet[Appeal]:
    """The appeals on results in the user's scope (the office: all), newest first;
    ``status`` narrows to one AppealStatus (anything else is ignored)."""
    rows = (
        Appeal.objects.all() if user is None else Appeal.objects.scoped_for(user)
    ).select_related("result", "result__publication", "filed_by", "decided_by")
    if status in AppealStatus.values:
        rows = rows.filter(status=status)
    return rows


def appeal_get(*, user, appeal_id) -> Appeal:
    appeal = (
        appeals_for(user=user).filter(pk=appeal_id).first() if str(appeal_id).isdigit() else None
    )
    if appeal is None:
        raise Http404("申诉不存在")
    return appeal


def trend(
    *, user, subject_type: str, subject_id: int, kind: str, count: int = 6
) -> list[tuple[Period, Decimal | None, int | None]]:
    """(period, final total, final rank) of the subject's published results over the
    ``count`` periods of ``kind`` up to the last complete one, oldest first; a period
    without a publication (or outside the user's scope) has None."""
    subject_type_checked(subject_type)
    if kind not in periods.SPAN:
        raise ServiceError("请选择考评周期类型。", field="kind")
    count = max(1, min(int(count), 36))
    span = periods.recent(periods.last_complete(today(), kind).first_day, kind, count)[::-1]
    rows = (
        _results_of(user)
        .filter(
            subject_id=subject_id,
            publication__subject_type=subject_type,
            publication__status=PublicationStatus.PUBLISHED,
            publication__period_key__in=[p.key for p in span],
        )
        .values_list("publication__period_key", "final_total", "final_rank")
    )
    found = {key: (total, rank) for key, total, rank in rows}
    return [(p, *found.get(p.key, (None, None))) for p in span]
