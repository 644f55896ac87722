"""How a scheme component turns a figure into points, and how totals are ranked. Pure
functions over plain values, so drafts, publications, the report and the tests all use
the same arithmetic.

Rules (``Rule``):

- THRESHOLD: full points at or above ``target`` (a rate in %), ``step`` points off per
  percentage point below, never below 0.
- PROPORTIONAL: ``max_points`` × rate ÷ 100.
- LOWER_BETTER: full points up to ``target`` (a count, a rate or hours), ``step`` points
  off per unit above, never below 0.
- DEDUCTION: ``max_points`` minus the penalty points, never below 0.

A missing figure (``None``) means different things per source, so each kind decides:

- case indicator: the denominator was 0 (no case due, none rated, none handled). Nothing
  was late, reworked or rated badly, so nothing is lost: full points.
- inspection: none of the subject's points was inspected in the period. Full points
  would reward not being sampled and zero would punish it, so the subject is scored at
  the city's average score rate of the period; with no inspection anywhere, nobody
  loses anything: full points.
- survey, material: the office has not entered the figure. That is an omission, not a
  result: 0 points, and publishing is refused until the figure is entered.
- penalty: never missing (no penalty is 0 points).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from decimal import ROUND_HALF_UP, Decimal

from .choices import ComponentKind, Rule

ZERO = Decimal("0")
CENT = Decimal("0.01")
PERCENT = "%"


def quantize(value) -> Decimal:
    return Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)


def number_text(value) -> str:
    """A number as people write it: 5, 2.5, 13.75 (never 5.00, 1E+1 or -0)."""
    if value is None:
        return "—"
    value = quantize(value)
    if not value:
        return "0"
    return format(value.normalize(), "f")


def rate_text(value) -> str:
    return f"{quantize(value):.2f}%"


@dataclass
class ComponentScore:
    position: int
    kind: str
    label: str
    figure: float | None
    points: Decimal
    max_points: Decimal
    explanation: str

    @property
    def lost(self) -> Decimal:
        return self.max_points - self.points

    def as_json(self) -> dict:
        data = asdict(self)
        data["points"] = str(self.points)
        data["max_points"] = str(self.max_points)
        return data

    @classmethod
    def from_json(cls, data: dict) -> ComponentScore:
        figure = data.get("figure")
        return cls(
            position=int(data["position"]),
            kind=data["kind"],
            label=data["label"],
            figure=None if figure is None else float(figure),
            points=Decimal(str(data["points"])),
            max_points=Decimal(str(data["max_points"])),
            explanation=data.get("explanation", ""),
        )


def figure_unit(component) -> str:
    """The unit the component's figure is counted in: "%", "件", "小时" or "分"."""
    if component.kind == ComponentKind.PENALTY:
        return "分"
    if component.kind == ComponentKind.CASE_INDICATOR:
        from .indicators import BY_CODE

        indicator = BY_CODE.get(component.indicator)
        return indicator.unit if indicator else PERCENT
    return PERCENT


def _quantity(value, unit: str) -> str:
    if unit == PERCENT:
        return rate_text(value)
    return f"{number_text(value)} {unit}"


def _target(value, unit: str) -> str:
    return f"{number_text(value)}%" if unit == PERCENT else f"{number_text(value)} {unit}"


def _difference(value, unit: str) -> str:
    return f"{quantize(value):.2f} 个百分点" if unit == PERCENT else f"{number_text(value)} {unit}"


def _derived(value, unit: str) -> str:
    """Points worked out from a figure, with the precision of that figure."""
    return f"{quantize(value):.2f}" if unit == PERCENT else number_text(value)


def _full(component, text: str) -> ComponentScore:
    most = Decimal(component.max_points)
    return ComponentScore(
        position=component.position,
        kind=component.kind,
        label=component.label,
        figure=None,
        points=quantize(most),
        max_points=quantize(most),
        explanation=f"{text},得满分 {number_text(most)} 分",
    )


def _missing(component, average) -> ComponentScore:
    label = component.label
    if component.kind == ComponentKind.CASE_INDICATOR:
        return _full(component, f"{label}:本期无可计算的数据(分母为 0),不扣分")
    if component.kind == ComponentKind.INSPECTION:
        if average is None:
            return _full(component, f"{label}:本期全市无测评数据,不扣分")
        scored = score(component, average)
        scored.figure = None
        scored.explanation = f"本期未抽检其点位,按全市平均得分率计:{scored.explanation}"
        return scored
    if component.kind == ComponentKind.PENALTY:
        return score(component, 0)
    return ComponentScore(
        position=component.position,
        kind=component.kind,
        label=label,
        figure=None,
        points=ZERO.quantize(CENT),
        max_points=quantize(component.max_points),
        explanation=f"{label}:未录入本期数据,按 0 分计",
    )


def score(component, figure, *, average=None) -> ComponentScore:
    """The points ``component`` earns with ``figure``. ``component`` is a SchemeComponent
    (or anything with its fields); ``average`` is the city's average inspection score
    rate, used only for a subject whose inspection figure is missing."""
    if figure is None:
        return _missing(component, average)
    most = quantize(component.max_points)
    value = quantize(figure)
    unit = figure_unit(component)
    label = component.label
    rule = component.rule
    if rule == Rule.THRESHOLD:
        target = Decimal(component.target)
        if value >= target:
            points = most
            text = f"{label} {rate_text(value)},达到目标 {number_text(target)}%,得满分 {number_text(most)} 分"
        else:
            gap = target - value
            lost = quantize(gap * Decimal(component.step))
            points = max(most - lost, ZERO)
            text = (
                f"{label} {rate_text(value)},目标 {number_text(target)}%,"
                f"低 {_difference(gap, PERCENT)} × {number_text(component.step)} 分 = 扣 {_derived(lost, PERCENT)} 分"
            )
            if lost > most:
                text += f",扣完为止(满分 {number_text(most)} 分)"
    elif rule == Rule.PROPORTIONAL:
        rate = min(max(value, ZERO), Decimal(100))
        points = quantize(most * rate / 100)
        text = f"{label} {rate_text(value)},{number_text(most)} 分 × {rate_text(rate)} = {_derived(points, PERCENT)} 分"
    elif rule == Rule.LOWER_BETTER:
        target = Decimal(component.target)
        if value <= target:
            points = most
            text = (
                f"{label} {_quantity(value, unit)},不超过目标 {_target(target, unit)},"
                f"得满分 {number_text(most)} 分"
            )
        else:
            excess = value - target
            lost = quantize(excess * Decimal(component.step))
            points = max(most - lost, ZERO)
            text = (
                f"{label} {_quantity(value, unit)},目标不超过 {_target(target, unit)},"
                f"超出 {_difference(excess, unit)} × {number_text(component.step)} 分 = 扣 {_derived(lost, unit)} 分"
            )
            if lost > most:
                text += f",扣完为止(满分 {number_text(most)} 分)"
    elif rule == Rule.DEDUCTION:
        penalty = max(value, ZERO)
        if not penalty:
            points = most
            text = f"本期无{label},得满分 {number_text(most)} 分"
        elif penalty >= most:
            points = ZERO
            text = (
                f"{label} {number_text(penalty)} 分,"
                f"{'超过' if penalty > most else '等于'}满分 {number_text(most)} 分,扣完为止,得 0 分"
            )
        else:
            points = most - penalty
            text = (
                f"{label} {number_text(penalty)} 分,{number_text(most)} 分 − "
                f"{number_text(penalty)} 分 = {number_text(points)} 分"
            )
    else:
        raise ValueError(f"unknown rule {rule!r}")
    return ComponentScore(
        position=component.position,
        kind=component.kind,
        label=label,
        figure=float(value),
        points=quantize(points),
        max_points=most,
        explanation=text,
    )


def total(scores: Iterable[ComponentScore]) -> Decimal:
    return quantize(sum((s.points for s in scores), ZERO))


def competition_ranks(rows: Iterable[tuple[object, Decimal, str]]) -> dict[object, int]:
    """key → rank from (key, total, code) rows: the highest total is 1, equal totals share
    a rank and the next rank skips (1, 1, 3); the list order among equals is by code."""
    ordered = sorted(rows, key=lambda r: (-r[1], r[2]))
    ranks: dict[object, int] = {}
    previous_total, previous_rank = None, 0
    for position, (key, value, _code) in enumerate(ordered, start=1):
        if value != previous_total:
            previous_total, previous_rank = value, position
        ranks[key] = previous_rank
    return ranks
