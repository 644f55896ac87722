"""Reads of the figures behind a score: entered figures, inspection rates, penalty points."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from django.db.models import Sum

from chuangwen.cases.models import Accountability
from chuangwen.evaluation.choices import COUNTED_STATUSES
from chuangwen.evaluation.models import Inspection, Penalty

from .. import periods, scoring
from ..choices import (
    ENTERED_KINDS,
    TERRITORY_SUBJECTS,
    SubjectType,
)
from ..models import EnteredFigure, Scheme
from ..periods import Period
from . import indicators
from .schemes import current_scheme, subject_type_checked

# The inspection's field naming its subject, per subject type (field staff have no points).
INSPECTION_FIELD = {
    SubjectType.DISTRICT: "point__district_id",
    SubjectType.STREET: "point__street_id",
    SubjectType.COMMUNITY: "point__community_id",
    SubjectType.UNIT: "point__unit_id",
}
# The case's field naming the territory an accountability record falls on.
CASE_TERRITORY_FIELD = {
    SubjectType.DISTRICT: "case__district_id",
    SubjectType.STREET: "case__street_id",
    SubjectType.COMMUNITY: "case__community_id",
}


# -- figures -------------------------------------------------------------------------------
def entered_figures(*, period_key: str, subject_type: str, kind: str) -> dict[int, EnteredFigure]:
    """subject id → the figure the office entered (survey or material) for the period."""
    period = periods.parse(period_key)
    subject_type_checked(subject_type)
    rows = EnteredFigure.objects.filter(
        period_key=period.key, subject_type=subject_type, kind=kind
    ).select_related("entered_by")
    return {row.subject_id: row for row in rows}


def missing_figures(
    *, period_key: str, subject_type: str, scheme: Scheme | None = None
) -> dict[str, list[indicators.SubjectInfo]]:
    """kind → the subjects still without an entered figure the scheme needs: what must
    be entered before the period can be published."""
    period = periods.parse(period_key)
    scheme = scheme or current_scheme(subject_type_checked(subject_type))
    if scheme is None:
        return {}
    kinds = [k for k in ENTERED_KINDS if any(c.kind == k for c in scheme.components.all())]
    if not kinds:
        return {}
    have: dict[str, set[int]] = {k: set() for k in kinds}
    rows = EnteredFigure.objects.filter(
        period_key=period.key, subject_type=subject_type, kind__in=kinds
    ).values_list("kind", "subject_id")
    for kind, subject_id in rows:
        have[kind].add(subject_id)
    everyone = indicators.subjects(subject_type)
    missing = {k: [s for s in everyone if s.id not in have[k]] for k in kinds}
    return {k: v for k, v in missing.items() if v}


def _rate(score, most) -> float | None:
    if not most:
        return None
    return float(scoring.quantize(Decimal(score) * 100 / Decimal(most)))


def inspection_rates(*, subject_type: str, period: Period) -> tuple[dict[int, float], float | None]:
    """(subject id → score rate in %, the city's average) over the counted inspections of
    the rounds due in the period: Σ score ÷ Σ applicable maximum, so a big market weighs
    more than a kiosk. Negative-list penalties are not taken off here: the scheme's
    penalty component counts them once."""
    counted = Inspection.objects.filter(
        status__in=COUNTED_STATUSES,
        round__due_on__gte=period.first_day,
        round__due_on__lt=period.end_day,
    )
    overall = counted.aggregate(score=Sum("score"), most=Sum("max_points"))
    average = _rate(overall["score"] or 0, overall["most"] or 0)
    key = INSPECTION_FIELD.get(subject_type)
    if key is None:
        return {}, average
    rows = (
        counted.exclude(**{f"{key}__isnull": True})
        .values(key)
        .annotate(score=Sum("score"), most=Sum("max_points"))
        .values_list(key, "score", "most")
    )
    rates = {pk: _rate(score, most) for pk, score, most in rows}
    return {pk: rate for pk, rate in rates.items() if rate is not None}, average


def penalty_points(
    *, subject_type: str, period: Period, as_of: datetime | None = None
) -> dict[int, Decimal]:
    """subject id → penalty points of the period: negative-list penalties of the rounds due
    in it, plus accountability points decided in it (a unit by the unit held to account,
    a territory by where the case lies)."""
    totals: dict[int, Decimal] = {}

    def add(rows):
        for pk, points in rows:
            if pk is not None and points:
                totals[pk] = totals.get(pk, Decimal(0)) + Decimal(points)

    in_rounds = Penalty.objects.filter(
        round__due_on__gte=period.first_day, round__due_on__lt=period.end_day
    )
    if subject_type == SubjectType.UNIT:
        key = "unit_id"
        in_rounds = in_rounds.filter(subject_level=subject_type)
    elif subject_type in TERRITORY_SUBJECTS:
        key = "territory_id"
        in_rounds = in_rounds.filter(subject_level=subject_type)
    else:
        return totals
    add(in_rounds.values(key).annotate(total=Sum("points")).values_list(key, "total"))

    end = period.end if as_of is None else min(period.end, as_of)
    decided = Accountability.objects.filter(decided_at__gte=period.start, decided_at__lt=end)
    key = "unit_id" if subject_type == SubjectType.UNIT else CASE_TERRITORY_FIELD[subject_type]
    add(decided.values(key).annotate(total=Sum("points")).values_list(key, "total"))
    return totals
