"""How an inspection is scored and how scores roll up. Pure functions over plain values, so
the services, the selectors, the benchmark and the tests all use the same arithmetic.

A point's score is its applicable maximum (N/A items excluded) minus its deductions, not
below 0; an item never loses more than its own maximum. A roll-up adds the scores and
the maxima of the inspections under a subject, subtracts the subject's negative-list
penalties from the score (not below 0) and divides: the score rate of a district is
Σ score ÷ Σ max, so a big market weighs more than a small kiosk.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from .choices import Result

ZERO = Decimal("0")


@dataclass(frozen=True)
class ItemScore:
    result: str
    max_points: Decimal
    deduction: Decimal  # what this item costs: min(max, per occurrence × occurrences)


@dataclass(frozen=True)
class PointScore:
    full_points: Decimal
    max_points: Decimal
    deducted: Decimal
    score: Decimal
    failed_count: int

    @property
    def rate(self) -> float | None:
        return float(self.score / self.max_points) if self.max_points else None


def item_deduction(result: str, *, max_points, per_occurrence, occurrences: int) -> Decimal:
    if result != Result.FAIL:
        return ZERO
    return min(Decimal(max_points), Decimal(per_occurrence) * max(int(occurrences), 1))


def point_score(items: Iterable[ItemScore]) -> PointScore:
    full = applicable = deducted = ZERO
    failed = 0
    for item in items:
        full += item.max_points
        if item.result == Result.NA:
            continue
        applicable += item.max_points
        deducted += item.deduction
        failed += item.result == Result.FAIL
    return PointScore(
        full_points=full,
        max_points=applicable,
        deducted=deducted,
        score=max(applicable - deducted, ZERO),
        failed_count=failed,
    )


@dataclass
class Subject:
    """One line of a results table."""

    key: object
    name: str
    inspections: int = 0
    score: Decimal = ZERO
    max_points: Decimal = ZERO
    penalty: Decimal = ZERO
    failed: int = 0
    rank: int | None = None
    previous_rate: float | None = None
    code: str = ""

    @property
    def net_score(self) -> Decimal:
        return max(self.score - self.penalty, ZERO)

    @property
    def rate(self) -> float | None:
        return float(self.net_score / self.max_points) if self.max_points else None

    @property
    def change(self) -> float | None:
        if self.rate is None or self.previous_rate is None:
            return None
        return self.rate - self.previous_rate


def rollup(
    rows: Iterable[tuple[object, str, Decimal, Decimal, int]],
    penalties: dict[object, Decimal] | None = None,
) -> list[Subject]:
    """Subjects from (key, name, score, max, failed) rows of inspections, ranked by score
    rate (ties share a rank; subjects without an applicable maximum come last, unranked)."""
    subjects: dict[object, Subject] = {}
    for key, name, score, most, failed in rows:
        subject = subjects.get(key)
        if subject is None:
            subject = subjects[key] = Subject(key=key, name=name)
        subject.inspections += 1
        subject.score += score
        subject.max_points += most
        subject.failed += failed
    for key, points in (penalties or {}).items():
        if key in subjects:
            subjects[key].penalty += points
    return rank(list(subjects.values()))


def rank(subjects: list[Subject]) -> list[Subject]:
    ordered = sorted(
        subjects, key=lambda s: (s.rate is None, -(s.rate or 0), s.code or "", str(s.name))
    )
    previous_rate, previous_rank = None, 0
    for position, subject in enumerate(ordered, start=1):
        if subject.rate is None:
            subject.rank = None
            continue
        if subject.rate != previous_rate:
            previous_rank, previous_rate = position, subject.rate
        subject.rank = previous_rank
    return ordered


def points_text(value) -> str:
    """Points as people write them: 5, 2.5, 13.75 (never 5.00, 1E+1 or -0)."""
    if not value:
        return "0"
    return format(Decimal(str(value)).normalize(), "f")
