"""The catalogue's rules, shared by the services, the workbook import and the admin forms,
so a 小类 or a standard is held to the same checks whichever way it comes in."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from chuangwen.core.errors import ServiceError
from chuangwen.core.validation import clean_text
from chuangwen.core.workcalendar import TimeType
from chuangwen.org.choices import UnitKind

from .choices import CategoryKind
from .models import Category

MAJOR_CODE = re.compile(r"^[BEW]\d{2}$")
MINOR_CODE = re.compile(r"^[BEW]\d{4}$")
STANDARD_CODE = re.compile(r"^[BEW]\d{4}-\d{2}$")

# The longest limit a standard may set, per time type. Anything longer is not a case
# deadline but a project, and is almost always a typo in a spreadsheet (e.g. 240 for 24).
MAX_LIMIT = {
    TimeType.EMERGENCY_HOURS: Decimal(720),
    TimeType.WORK_HOURS: Decimal(480),
    TimeType.WORK_DAYS: Decimal(180),
    TimeType.NATURAL_DAYS: Decimal(365),
}
MAX_RADIUS_M = 5000
MAX_WINDOW_DAYS = 365

CATEGORY_FIELDS = (
    "name",
    "description",
    "duplicate_radius_m",
    "duplicate_window_days",
    "position",
    "is_active",
)
STANDARD_FIELDS = (
    "condition",
    "time_type",
    "time_value",
    "close_condition",
    "unit_kind",
    "position",
    "is_active",
)


# -- checks shared by the services and the import ----------------------------------------
# The catalogue's free text, all single lines: field → (label, most characters, required).
TEXT_FIELDS = {
    "name": ("类别名称", 60, True),
    "description": ("说明", 300, False),
    "condition": ("立案条件", 300, True),
    "close_condition": ("结案条件", 300, True),
    "note": ("备注", 200, False),
}


def clean_line(field: str, value) -> str:
    label, limit, required = TEXT_FIELDS[field]
    return clean_text(
        value, field=field, label=label, limit=limit, required=required, multiline=False
    )


def clean_code(value) -> str:
    # Codes are typed by hand in spreadsheets: tolerate case and stray spaces, nothing else.
    return ("" if value is None else str(value)).strip().upper()


def check_category_code(*, kind: str, code: str, parent: Category | None) -> None:
    if kind not in CategoryKind.values:
        raise ServiceError(f"未知的类别:{kind}", field="kind")
    family = CategoryKind(kind)
    if parent is None:
        if not MAJOR_CODE.match(code):
            raise ServiceError(
                f"大类编码“{code}”格式不正确:应为类别字母加 2 位数字,如 {family.value}01。",
                field="code",
            )
    else:
        if parent.parent_id is not None:
            raise ServiceError(f"“{parent.code}”是小类,不能再有下级。", field="parent")
        if parent.kind != kind:
            raise ServiceError(
                f"小类必须与大类“{parent.code} {parent.name}”属于同一类别。", field="kind"
            )
        if not MINOR_CODE.match(code):
            raise ServiceError(
                f"小类编码“{code}”格式不正确:应为大类编码加 2 位数字,如 {parent.code}01。",
                field="code",
            )
        if not code.startswith(parent.code):
            raise ServiceError(
                f"小类编码“{code}”必须以其大类编码 {parent.code} 开头。", field="code"
            )
    if code[0] != family.value:
        raise ServiceError(
            f"{family.label}类别的编码必须以字母 {family.value} 开头(“{code}”)。", field="code"
        )


def check_whole_number(value, *, label: str, field: str, low: int, high: int) -> int:
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ServiceError(f"{label}必须是整数(“{value}”)。", field=field) from None
    if not number.is_finite() or number != number.to_integral_value():
        raise ServiceError(f"{label}必须是整数(“{value}”)。", field=field)
    if not low <= number <= high:
        raise ServiceError(f"{label}应在 {low}–{high} 之间。", field=field)
    return int(number)


def check_time_limit(time_type: str, time_value) -> Decimal:
    if time_type not in TimeType.values:
        raise ServiceError(f"未知的时限类型:{time_type}", field="time_type")
    try:
        value = Decimal(str(time_value).strip())
    except (InvalidOperation, ValueError):
        raise ServiceError(f"处置时限必须是数字(“{time_value}”)。", field="time_value") from None
    if not value.is_finite():
        raise ServiceError(f"处置时限必须是数字(“{time_value}”)。", field="time_value")
    if value <= 0:
        raise ServiceError("处置时限必须大于 0。", field="time_value")
    if value != value.quantize(Decimal("0.1")):
        raise ServiceError("处置时限最多保留 1 位小数。", field="time_value")
    limit = MAX_LIMIT[TimeType(time_type)]
    if value > limit:
        raise ServiceError(
            f"处置时限过长:{TimeType(time_type).label}最多 {limit}。", field="time_value"
        )
    return value.quantize(Decimal("0.1"))


def check_unit_kind(unit_kind: str) -> str:
    unit_kind = (unit_kind or "").strip()
    if unit_kind and unit_kind not in UnitKind.values:
        raise ServiceError(f"未知的责任单位类型:{unit_kind}", field="unit_kind")
    return unit_kind


def check_standard_code(*, category: Category, code: str) -> None:
    if category.parent_id is None:
        raise ServiceError(
            f"“{category.code} {category.name}”是大类:立结案标准只能建在小类上。",
            field="category",
        )
    if not STANDARD_CODE.match(code) or not code.startswith(f"{category.code}-"):
        raise ServiceError(
            f"标准编码“{code}”格式不正确:应为小类编码加“-”和 2 位序号,如 {category.code}-01。",
            field="code",
        )


def position_from_code(code: str) -> int:
    # The numbering is the order people read; the lowest number is the 小类's default.
    return int(code[-2:])
