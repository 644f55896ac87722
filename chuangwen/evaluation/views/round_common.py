"""Constants and small helpers the office's round, result and inspection pages share."""

from __future__ import annotations

from decimal import Decimal

from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chuangwen.core.bounds import parse_int

from .. import selectors
from ..choices import SubjectLevel

PAGE_SIZE = 50
# More bars than this make a chart nobody can read; the table keeps every line.
CHART_LIMIT = 50
CHART_BAR_HEIGHT, CHART_MIN_HEIGHT = 28, 220
# Score-rate bands of the map and the chart, best first: (lowest rate, colour, legend).
BANDS = (
    (0.9, "#15803d", "≥ 90%"),
    (0.8, "#84cc16", "80–90%"),
    (0.6, "#f59e0b", "60–80%"),
    (0.0, "#dc2626", "< 60%"),
)
NOT_INSPECTED_COLOR = "#94a3b8"
LEVEL_LABELS = {
    SubjectLevel.DISTRICT: gettext_lazy("区县"),
    SubjectLevel.STREET: gettext_lazy("街道"),
    SubjectLevel.COMMUNITY: gettext_lazy("社区"),
    SubjectLevel.UNIT: gettext_lazy("责任单位"),
    SubjectLevel.POINT_TYPE: gettext_lazy("点位类型"),
    SubjectLevel.POINT: gettext_lazy("点位"),
}


def _int(value) -> int | None:
    return parse_int(value)


def _refused(request, message: str):
    return render(request, "evaluation/round_refused.html", {"message": message}, status=403)


def _percent(rate: float | None) -> str:
    return "—" if rate is None else f"{rate * 100:.1f}%"


def _points(value: Decimal) -> str:
    # The map's popups read like the tables: 17.5 and 21, not 17.50 and 21.00.
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _color(rate: float | None) -> str:
    if rate is None:
        return NOT_INSPECTED_COLOR
    return next(color for low, color, _label in BANDS if rate >= low)


def _legend() -> list[dict]:
    return [{"color": c, "label": label} for _low, c, label in BANDS] + [
        {"color": NOT_INSPECTED_COLOR, "label": _("未检查")}
    ]


def _level(request) -> str:
    level = request.GET.get("level") or SubjectLevel.DISTRICT
    return level if level in selectors.RESULT_LEVELS else SubjectLevel.DISTRICT
