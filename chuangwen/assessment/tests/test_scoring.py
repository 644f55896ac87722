"""The scoring rules against hand-computed points (no database)."""

from decimal import Decimal

import pytest

from chuangwen.assessment.models import SchemeComponent
from chuangwen.assessment.scoring import (
    ComponentScore,
    competition_ranks,
    number_text,
    score,
    total,
)


def part(kind="case_indicator", rule="threshold", most="30", target=None, step=None, **kw):
    kw.setdefault("label", "按期结案率")
    kw.setdefault("indicator", "on_time_rate" if kind == "case_indicator" else "")
    return SchemeComponent(
        position=kw.pop("position", 1),
        kind=kind,
        rule=rule,
        max_points=Decimal(most),
        target=None if target is None else Decimal(target),
        step=None if step is None else Decimal(step),
        **kw,
    )


def test_threshold_below_target_loses_step_per_point():
    scored = score(part(target="90", step="1"), 82.5)
    assert scored.points == Decimal("22.50")
    assert scored.max_points == Decimal("30.00")
    assert scored.figure == 82.5
    assert scored.explanation == "按期结案率 82.50%,目标 90%,低 7.50 个百分点 × 1 分 = 扣 7.50 分"


def test_threshold_exactly_at_target_earns_full_points():
    scored = score(part(target="90", step="1"), 90)
    assert scored.points == Decimal("30.00")
    assert "达到目标 90%" in scored.explanation and "满分 30 分" in scored.explanation


def test_threshold_just_below_target_loses_a_fraction():
    assert score(part(target="90", step="2"), 89.99).points == Decimal("29.98")


def test_threshold_far_below_stops_at_zero():
    scored = score(part(most="40", target="90", step="0.5"), 0)
    assert scored.points == Decimal("0.00")
    assert "扣 45.00 分" in scored.explanation and "扣完为止" in scored.explanation


def test_proportional_scales_the_maximum():
    scored = score(
        part(kind="inspection", rule="proportional", most="25", label="测评得分率"), 85.2
    )
    assert scored.points == Decimal("21.30")
    assert scored.explanation == "测评得分率 85.20%,25 分 × 85.20% = 21.30 分"


def test_proportional_rounds_half_up():
    # 15 × 33.33 % = 4.9995 → 5.00
    assert score(part(kind="survey", rule="proportional", most="15"), 33.33).points == Decimal(
        "5.00"
    )


def test_lower_better_count_within_and_above_target():
    overdue = part(rule="lower_better", most="10", target="2", step="1", indicator="overdue")
    overdue.label = "超时数"
    assert score(overdue, 2).points == Decimal("10.00")
    above = score(overdue, 5)
    assert above.points == Decimal("7.00")
    assert above.explanation == "超时数 5 件,目标不超过 2 件,超出 3 件 × 1 分 = 扣 3 分"
    assert score(overdue, 40).points == Decimal("0.00")


def test_lower_better_rate_counts_percentage_points():
    rework = part(
        rule="lower_better",
        most="10",
        target="5",
        step="0.5",
        indicator="rework_rate",
        label="返工率",
    )
    scored = score(rework, 8.5)
    assert scored.points == Decimal("8.25")
    assert scored.explanation == (
        "返工率 8.50%,目标不超过 5%,超出 3.50 个百分点 × 0.5 分 = 扣 1.75 分"
    )
    assert score(rework, 5).explanation == "返工率 5.00%,不超过目标 5%,得满分 10 分"


def test_lower_better_hours():
    hours = part(rule="lower_better", most="10", target="4", step="1", indicator="avg_handle_hours")
    hours.label = "平均处置用时"
    scored = score(hours, 6.25)
    assert scored.points == Decimal("7.75")
    assert scored.explanation.startswith("平均处置用时 6.25 小时,目标不超过 4 小时")


@pytest.mark.parametrize(
    ("penalty", "expected", "words"),
    [
        (0, "10.00", "本期无负面清单扣分,得满分 10 分"),
        (3, "7.00", "10 分 − 3 分 = 7 分"),
        (10, "0.00", "扣完为止"),
        (12.5, "0.00", "超过满分 10 分,扣完为止,得 0 分"),
    ],
)
def test_deduction_takes_the_penalty_off_and_stops_at_zero(penalty, expected, words):
    scored = score(part(kind="penalty", rule="deduction", most="10", label="负面清单扣分"), penalty)
    assert scored.points == Decimal(expected)
    assert words in scored.explanation


def test_missing_case_indicator_earns_full_points():
    scored = score(part(target="90", step="1"), None)
    assert scored.points == Decimal("30.00") and scored.figure is None
    assert "分母为 0" in scored.explanation


def test_missing_inspection_scores_at_the_city_average():
    inspection = part(kind="inspection", rule="proportional", most="20", label="测评得分率")
    scored = score(inspection, None, average=80.0)
    assert scored.points == Decimal("16.00")
    assert scored.figure is None
    assert scored.explanation.startswith("本期未抽检其点位,按全市平均得分率计")


def test_missing_inspection_without_any_inspection_earns_full_points():
    inspection = part(kind="inspection", rule="threshold", most="20", target="90", step="1")
    assert score(inspection, None, average=None).points == Decimal("20.00")


@pytest.mark.parametrize("kind", ["survey", "material"])
def test_missing_entered_figure_earns_nothing(kind):
    scored = score(part(kind=kind, rule="threshold", most="15", target="90", step="1"), None)
    assert scored.points == Decimal("0.00")
    assert "未录入" in scored.explanation


def test_missing_penalty_means_none():
    scored = score(part(kind="penalty", rule="deduction", most="10"), None)
    assert scored.points == Decimal("10.00")


def test_total_is_the_sum_of_the_components():
    scores = [
        score(part(target="90", step="1"), 82.5),
        score(part(kind="penalty", rule="deduction", most="10", position=2), 3),
    ]
    assert total(scores) == Decimal("29.50")


def test_component_score_survives_json():
    scored = score(part(target="90", step="1"), 82.5)
    again = ComponentScore.from_json(scored.as_json())
    assert again == scored
    assert again.lost == Decimal("7.50")


def test_ties_share_a_rank_and_the_next_rank_skips():
    ranks = competition_ranks(
        [("a", Decimal("90"), "420303"), ("b", Decimal("90"), "420302"), ("c", Decimal("80"), "1")]
    )
    assert ranks == {"b": 1, "a": 1, "c": 3}


@pytest.mark.parametrize(
    ("value", "text"), [(5, "5"), (Decimal("2.50"), "2.5"), (13.755, "13.76"), (0, "0")]
)
def test_numbers_are_written_plainly(value, text):
    assert number_text(value) == text
