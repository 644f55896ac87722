"""Checks of registry input shared by the point, point type and checklist writes and the point import."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from functools import partial

from chuangwen.cases.services import OutsideCityError
from chuangwen.catalog.models import Category
from chuangwen.core.errors import ServiceError
from chuangwen.org.models import Unit
from chuangwen.territory.routing import Chain, locate

from ..choices import EntryLevel
from ..cleaning import clean_float as _coordinate
from ..cleaning import clean_text
from ..models import FrameworkEntry, Point, PointType

POINT_FIELDS = (
    "name",
    "address",
    "point_type_id",
    "lat",
    "lng",
    "unit_id",
    "paired_unit_id",
    "is_active",
)
POINT_TYPE_FIELDS = ("code", "name", "description", "position", "is_active")
ITEM_FIELDS = (
    "section",
    "text",
    "max_points",
    "deduction",
    "category_code",
    "indicator_id",
    "evidence_required",
    "na_allowed",
    "position",
    "is_active",
)
POINT_TYPE_CODE = re.compile(r"^[A-Z][A-Z0-9_-]{0,11}$")
# What the decimal fields of the checklist hold: 7 digits, 2 of them after the point.
MAX_POINTS_VALUE = Decimal("99999.99")
MAX_POSITION = 99999


# -- checks shared by the services and the import ----------------------------------------
# Registry fields are required unless a caller says otherwise.
_text = partial(clean_text, required=True)


def _id(value, *, field: str, label: str) -> int | None:
    """A primary key from a form or a caller: blank is None, anything else a number."""
    if value is None or value == "":
        return None
    try:
        number = int(str(value).strip())
    except ValueError:
        raise ServiceError(f"{label}不存在或已停用。", field=field) from None
    if number <= 0:
        raise ServiceError(f"{label}不存在或已停用。", field=field)
    return number


def _flag(value) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "on", "yes", "是")
    return bool(value)


def _whole(value, *, field: str, label: str, low: int = 0, high: int = MAX_POSITION) -> int:
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ServiceError(f"{label}必须是整数。", field=field) from None
    if not number.is_finite() or number != number.to_integral_value():
        raise ServiceError(f"{label}必须是整数。", field=field)
    if not low <= number <= high:
        raise ServiceError(f"{label}应在 {low}–{high} 之间。", field=field)
    return int(number)


def _points(value, *, field: str, label: str) -> Decimal:
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ServiceError(f"{label}必须是数字。", field=field) from None
    if not number.is_finite():
        raise ServiceError(f"{label}必须是数字。", field=field)
    if number <= 0:
        raise ServiceError(f"{label}必须大于 0。", field=field)
    if number != number.quantize(Decimal("0.01")):
        raise ServiceError(f"{label}最多保留 2 位小数。", field=field)
    if number > MAX_POINTS_VALUE:
        raise ServiceError(f"{label}不能大于 {MAX_POINTS_VALUE}。", field=field)
    return number.quantize(Decimal("0.01"))


def _unit(unit_id, *, field: str, label: str, required: bool) -> Unit | None:
    pk = _id(unit_id, field=field, label=label)
    if pk is None:
        if required:
            raise ServiceError(f"请选择{label}。", field=field)
        return None
    unit = Unit.objects.filter(pk=pk, is_active=True).first()
    if unit is None:
        raise ServiceError(f"{label}不存在或已停用。", field=field)
    return unit


def _point_type(point_type_id) -> PointType:
    pk = _id(point_type_id, field="point_type", label="点位类型")
    point_type = PointType.objects.filter(pk=pk, is_active=True).first() if pk else None
    if point_type is None:
        raise ServiceError("点位类型不存在或已停用。", field="point_type")
    return point_type


def _place(lat, lng) -> tuple[float, float, Chain]:
    lat = _coordinate(lat, field="lat", label="纬度")
    lng = _coordinate(lng, field="lng", label="经度")
    chain = locate(lng, lat)
    if chain is None or chain.deepest is None:
        raise OutsideCityError("该位置不在本市范围内,请核对坐标。", field="lat")
    return lat, lng, chain


def _apply_place(point: Point, lat: float, lng: float, chain: Chain) -> None:
    point.lat, point.lng = lat, lng
    point.territory_id = chain.deepest.id
    point.territory_path = chain.deepest.path
    point.community_id = chain.community.id if chain.community else None
    point.street_id = chain.street.id if chain.street else None
    point.district_id = chain.district.id if chain.district else None


def _category(code) -> Category:
    """The 小类 a failed item opens its case in: it must be able to open one today."""
    code = ("" if code is None else str(code)).strip().upper()
    if not code:
        raise ServiceError("请选择不合格时的立案类别。", field="category")
    category = Category.objects.select_related("parent").filter(code=code).first()
    if category is None:
        raise ServiceError(f"未知的案件类别:{code}。", field="category")
    if category.parent_id is None:
        raise ServiceError(f"“{code} {category.name}”是大类,请选择其下的小类。", field="category")
    if not (category.is_active and category.parent.is_active):
        raise ServiceError(f"案件类别“{code} {category.name}”已停用。", field="category")
    if not category.standards.filter(is_active=True).exists():
        raise ServiceError(
            f"案件类别“{code} {category.name}”尚未设置立结案标准,不合格时无法立案。",
            field="category",
        )
    return category


def _indicator(indicator_id) -> FrameworkEntry | None:
    pk = _id(indicator_id, field="indicator", label="测评指标")
    if pk is None:
        return None
    entry = FrameworkEntry.objects.filter(pk=pk).first()
    if entry is None:
        raise ServiceError("测评指标不存在。", field="indicator")
    if entry.level != EntryLevel.INDICATOR:
        raise ServiceError(
            f"“{entry.code} {entry.name[:30]}”不是测评指标,请选择“测评指标”一级的条目。",
            field="indicator",
        )
    return entry


def _plain(value):
    """A value as the audit trail stores it (JSON: no Decimal)."""
    return str(value) if isinstance(value, Decimal) else value
