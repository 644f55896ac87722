"""The assessment's case and staff indicators: their catalogue and the pure formulas that turn
raw counts into figures (no database access; ``selectors.indicators`` does the counting)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from chuangwen.cases.choices import Status

from .choices import TERRITORY_SUBJECTS, SubjectType

COUNT = "件"
PERCENT = "%"
HOURS = "小时"

CASE_SUBJECTS = (*TERRITORY_SUBJECTS, SubjectType.UNIT)
STAFF_SUBJECTS = (SubjectType.STAFF,)


@dataclass(frozen=True)
class Indicator:
    code: str
    name: str
    formula: str
    unit: str  # 件, % or 小时
    subjects: tuple[str, ...]
    higher_is_better: bool


INDICATORS: tuple[Indicator, ...] = (
    Indicator(
        "reported",
        "上报数",
        "属地和责任单位:上报时间在统计期内的案件数,含已作废、已合并的案件。"
        "一线人员:本人账号通过网格员/观察员渠道上报、上报时间在统计期内的案件数。",
        COUNT,
        (*CASE_SUBJECTS, *STAFF_SUBJECTS),
        True,
    ),
    Indicator(
        "registered",
        "立案数",
        "立案时间在统计期内的案件数,不含已作废、已合并的案件;重新立案的案件按最近一次立案时间计。",
        COUNT,
        CASE_SUBJECTS,
        True,
    ),
    Indicator(
        "due",
        "应结案数",
        "处置时限截止时间(含批准的延期)在统计期内的案件数,不含已作废、已合并的案件;"
        "每件案件只在其最终时限所在的统计期应结案一次。",
        COUNT,
        CASE_SUBJECTS,
        True,
    ),
    Indicator(
        "closed",
        "结案数",
        "应结案案件中,结案时间早于统计截止时刻的案件数(重新立案的案件在再次结案前不计)。",
        COUNT,
        CASE_SUBJECTS,
        True,
    ),
    Indicator("close_rate", "结案率", "结案数 ÷ 应结案数 × 100%。", PERCENT, CASE_SUBJECTS, True),
    Indicator(
        "on_time",
        "按期结案数",
        "结案案件中按期办结(处置完成时间不晚于处置时限)的案件数。",
        COUNT,
        CASE_SUBJECTS,
        True,
    ),
    Indicator(
        "deferred",
        "缓办数",
        "应结案案件中,经批准延期(延期时长大于 0)且至统计截止时刻仍未结案的案件数。",
        COUNT,
        CASE_SUBJECTS,
        False,
    ),
    Indicator(
        "on_time_rate",
        "按期结案率",
        "按期结案数 ÷ (应结案数 − 缓办数) × 100%。",
        PERCENT,
        CASE_SUBJECTS,
        True,
    ),
    Indicator(
        "overdue",
        "超时数",
        "应结案数 − 缓办数 − 按期结案数:应结案、未缓办且未按期结案的案件数。",
        COUNT,
        CASE_SUBJECTS,
        False,
    ),
    Indicator(
        "rework",
        "返工数",
        "应结案案件中,核查不通过返工过(返工次数大于 0)的案件数。",
        COUNT,
        CASE_SUBJECTS,
        False,
    ),
    Indicator("rework_rate", "返工率", "返工数 ÷ 应结案数 × 100%。", PERCENT, CASE_SUBJECTS, False),
    Indicator(
        "sent_back",
        "回退数",
        "统计期内立案的案件中,被责任单位回退过(回退次数大于 0)的案件数。",
        COUNT,
        CASE_SUBJECTS,
        False,
    ),
    Indicator(
        "send_back_rate", "回退率", "回退数 ÷ 立案数 × 100%。", PERCENT, CASE_SUBJECTS, False
    ),
    Indicator(
        "avg_handle_hours",
        "平均处置用时",
        "结案案件处置环节工作用时(工作分钟,含返工)之和 ÷ 结案数 ÷ 60。",
        HOURS,
        CASE_SUBJECTS,
        False,
    ),
    Indicator(
        "rated",
        "回访评价数",
        "评价时间在统计期内的回访满意度评价数,按评价记录的责任单位和属地归属。",
        COUNT,
        CASE_SUBJECTS,
        True,
    ),
    Indicator(
        "satisfaction_rate",
        "回访满意率",
        "(满意 + 基本满意)评价数 ÷ 回访评价数 × 100%。",
        PERCENT,
        CASE_SUBJECTS,
        True,
    ),
    Indicator(
        "valid_reports",
        "有效上报数",
        "一线人员上报的案件中已立案、且未被判为不予受理或合并的案件数。",
        COUNT,
        STAFF_SUBJECTS,
        True,
    ),
    Indicator(
        "valid_report_rate",
        "有效上报率",
        "有效上报数 ÷ 上报数 × 100%。",
        PERCENT,
        STAFF_SUBJECTS,
        True,
    ),
    Indicator(
        "verified",
        "核实数",
        "本人在统计期内完成的现场核查(核查通过或不通过)次数。",
        COUNT,
        STAFF_SUBJECTS,
        True,
    ),
    Indicator(
        "verified_on_time",
        "按时核实数",
        "核实中在核查环节时限内完成的次数(环节无时限的按按时计)。",
        COUNT,
        STAFF_SUBJECTS,
        True,
    ),
    Indicator(
        "verify_on_time_rate",
        "按时核实率",
        "按时核实数 ÷ 核实数 × 100%。",
        PERCENT,
        STAFF_SUBJECTS,
        True,
    ),
)
BY_CODE: dict[str, Indicator] = {indicator.code: indicator for indicator in INDICATORS}

# Cancelled and merged cases count as reports and nothing else.
DROPPED = (Status.CANCELLED, Status.MERGED)


RAW_CASE_KEYS = (
    "reported",
    "registered",
    "due",
    "closed",
    "on_time",
    "deferred",
    "rework",
    "sent_back",
    "handle_minutes",
    "rated",
    "satisfied",
)
RAW_STAFF_KEYS = ("reported", "valid_reports", "verified", "verified_on_time")


def indicators_for(subject_type: str) -> list[Indicator]:
    return [i for i in INDICATORS if subject_type in i.subjects]


def rate(part: int, whole: int) -> float | None:
    """A percentage rounded half up to 2 decimals; None when there is nothing to divide."""
    if not whole:
        return None
    return float((Decimal(100 * part) / Decimal(whole)).quantize(Decimal("0.01"), ROUND_HALF_UP))


def hours(minutes: float | None, count: int) -> float | None:
    if not count:
        return None
    value = Decimal(minutes or 0) / Decimal(60 * count)
    return float(value.quantize(Decimal("0.01"), ROUND_HALF_UP))


def change(value: int | float | None, previous: int | float | None) -> int | float | None:
    """A figure's change since the previous period (rates to 2 decimals); None when either
    side has no value."""
    if value is None or previous is None:
        return None
    difference = value - previous
    return round(difference, 2) if isinstance(difference, float) else difference


def case_figures(counts: dict) -> dict[str, int | float | None]:
    """A territory's or unit's figures from its raw counts (the keys of ``_case_counts``
    and ``_rating_counts``; missing keys are zeros)."""
    c = {key: counts.get(key) or 0 for key in RAW_CASE_KEYS}
    due, deferred, on_time = c["due"], c["deferred"], c["on_time"]
    return {
        "reported": c["reported"],
        "registered": c["registered"],
        "due": due,
        "closed": c["closed"],
        "close_rate": rate(c["closed"], due),
        "on_time": on_time,
        "deferred": deferred,
        "on_time_rate": rate(on_time, due - deferred),
        "overdue": due - deferred - on_time,
        "rework": c["rework"],
        "rework_rate": rate(c["rework"], due),
        "sent_back": c["sent_back"],
        "send_back_rate": rate(c["sent_back"], c["registered"]),
        "avg_handle_hours": hours(c["handle_minutes"], c["closed"]),
        "rated": c["rated"],
        "satisfaction_rate": rate(c["satisfied"], c["rated"]),
    }


def staff_figures(counts: dict) -> dict[str, int | float | None]:
    c = {key: counts.get(key) or 0 for key in RAW_STAFF_KEYS}
    return {
        "reported": c["reported"],
        "valid_reports": c["valid_reports"],
        "valid_report_rate": rate(c["valid_reports"], c["reported"]),
        "verified": c["verified"],
        "verified_on_time": c["verified_on_time"],
        "verify_on_time_rate": rate(c["verified_on_time"], c["verified"]),
    }
