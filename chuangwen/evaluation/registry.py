"""Writes to the registry the rounds draw on: points (点位), point types and checklists.

Everything here is configuration of the city office (CONFIGURE). A round copies the
checklists it uses into ``RoundItem`` when it starts, so an edit here shapes the next
round and never a running one. Nothing is deleted: types, items and points are
deactivated, because rounds and inspections keep pointing at them.
"""

from __future__ import annotations

import math
import re
from decimal import Decimal, InvalidOperation
from functools import partial

from django.db import IntegrityError, transaction
from django.db.models import Max

from chuangwen.cases.services import OutsideCityError
from chuangwen.catalog.models import Category
from chuangwen.core.audit import audit
from chuangwen.core.errors import ServiceError
from chuangwen.core.scoping import CONFIGURE, require
from chuangwen.core.xlsx import (
    Column,
    ImportReport,
    Row,
    Sheet,
    apply_rows,
    flag_duplicates,
    parse_text,
    read_rows,
    write_workbook,
)
from chuangwen.org.models import Unit
from chuangwen.territory.routing import Chain, locate

from .choices import EntryLevel
from .cleaning import clean_float as _coordinate
from .cleaning import clean_text
from .models import ChecklistItem, FrameworkEntry, Point, PointType

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


# -- points ----------------------------------------------------------------------------------
def point_create(
    *,
    code: str,
    name: str,
    point_type_id: int,
    lat,
    lng,
    unit_id: int,
    actor,
    address: str = "",
    paired_unit_id: int | None = None,
) -> Point:
    """Register a point; its territory (grid → district) is found by routing its location."""
    require(actor, CONFIGURE)
    code = _text(code, field="code", label="点位编号", limit=24)
    name = _text(name, field="name", label="点位名称", limit=120)
    address = _text(address, field="address", label="地址", limit=200, required=False)
    point_type = _point_type(point_type_id)
    unit = _unit(unit_id, field="unit", label="责任单位", required=True)
    paired = _unit(paired_unit_id, field="paired_unit", label="包联单位", required=False)
    lat, lng, chain = _place(lat, lng)
    try:
        with transaction.atomic():
            if Point.objects.filter(code=code).exists():
                raise ServiceError(f"点位编号“{code}”已存在。", field="code")
            point = Point(
                code=code,
                name=name,
                point_type=point_type,
                address=address,
                unit=unit,
                paired_unit=paired,
            )
            _apply_place(point, lat, lng, chain)
            point.save()
            audit(
                actor=actor,
                action="evaluation.point_create",
                obj=point,
                summary=f"新建点位 {point.code} {point.name}",
                data={"point_type": point_type.code, "unit": unit.pk},
            )
    except IntegrityError:
        # Someone saved the same code between our check and our write.
        raise ServiceError(f"点位编号“{code}”已存在。", field="code") from None
    return point


def point_update(*, point_id: int, actor, **changes) -> Point:
    """Change a point. New coordinates are routed again, so its territory follows it.
    Only what actually changes is written and audited (old and new values)."""
    unknown = set(changes) - set(POINT_FIELDS)
    if unknown:
        raise ServiceError(f"不能修改字段:{', '.join(sorted(unknown))}")
    require(actor, CONFIGURE)
    clean: dict[str, object] = {}
    if "name" in changes:
        clean["name"] = _text(changes["name"], field="name", label="点位名称", limit=120)
    if "address" in changes:
        clean["address"] = _text(
            changes["address"], field="address", label="地址", limit=200, required=False
        )
    if "is_active" in changes:
        clean["is_active"] = _flag(changes["is_active"])
    with transaction.atomic():
        point = Point.objects.select_for_update().filter(pk=point_id).first()
        if point is None:
            raise ServiceError("点位不存在。", field="point")
        # A reference is checked only when it changes: a point keeps a type or a unit
        # that has since been deactivated until someone picks another.
        if "point_type_id" in changes:
            pk = _id(changes["point_type_id"], field="point_type", label="点位类型")
            if pk != point.point_type_id:
                clean["point_type_id"] = _point_type(pk).pk
        if "unit_id" in changes:
            pk = _id(changes["unit_id"], field="unit", label="责任单位")
            if pk != point.unit_id:
                clean["unit_id"] = _unit(pk, field="unit", label="责任单位", required=True).pk
        if "paired_unit_id" in changes:
            pk = _id(changes["paired_unit_id"], field="paired_unit", label="包联单位")
            if pk != point.paired_unit_id:
                paired = _unit(pk, field="paired_unit", label="包联单位", required=False)
                clean["paired_unit_id"] = paired.pk if paired else None
        chain = None
        if "lat" in changes or "lng" in changes:
            lat, lng, chain = _place(changes.get("lat", point.lat), changes.get("lng", point.lng))
            if (lat, lng) == (point.lat, point.lng):
                chain = None
        changed = {
            key: [_plain(getattr(point, key)), _plain(value)]
            for key, value in clean.items()
            if getattr(point, key) != value
        }
        for key in changed:
            setattr(point, key, clean[key])
        if chain is not None:
            old = (point.lat, point.lng, point.territory_path)
            _apply_place(point, lat, lng, chain)
            changed["lat"] = [old[0], lat]
            changed["lng"] = [old[1], lng]
            if old[2] != point.territory_path:
                changed["territory"] = [old[2], point.territory_path]
        if not changed:
            return point
        point.save()
        audit(
            actor=actor,
            action="evaluation.point_update",
            obj=point,
            summary=f"修改点位 {point.code} {point.name}",
            data={"changed": changed},
        )
    return point


# -- the point workbook ----------------------------------------------------------------------
# The file's words are fixed Chinese, whatever language the person exporting reads: the
# same file must import again anywhere.
SHEET_TITLE = "点位"
HEADERS = ("点位编号", "点位名称", "点位类型", "地址", "经度", "纬度", "责任单位", "包联单位")
EXPORT_HEADERS = (*HEADERS, "区县", "街道", "社区")
COORDINATE_DECIMALS = 7  # about a centimetre
COORDINATE_TOLERANCE = 10**-COORDINATE_DECIMALS


def _parse_coordinate(low: float, high: float):
    def parse(value) -> float:
        if isinstance(value, bool):
            raise ValueError("应为数字。")
        try:
            number = float(str(value).strip())
        except ValueError:
            raise ValueError("应为数字,如 110.79801。") from None
        if not math.isfinite(number) or not low <= number <= high:
            raise ValueError(f"应为 {low:g} 至 {high:g} 之间的数字。")
        return number

    return parse


def _parse_filled(limit: int):
    text = parse_text(limit)

    def parse(value) -> str:
        result = text(value)
        if not result:
            raise ValueError("不能为空。")
        return result

    return parse


COLUMNS = (
    Column("code", "点位编号", parse=_parse_filled(24)),
    Column("name", "点位名称", parse=_parse_filled(120)),
    Column("point_type", "点位类型"),
    Column("address", "地址", required=False, parse=parse_text(200)),
    Column("lng", "经度", parse=_parse_coordinate(-180, 180)),
    # Checked against -90…90 with the rest of the row, to tell swapped columns apart.
    Column("lat", "纬度", parse=_parse_coordinate(-180, 180)),
    Column("unit", "责任单位"),
    Column("paired_unit", "包联单位", required=False),
)


class _Lookups:
    """Types by name or code and units by full or short name, read once per import.

    A deactivated type or unit is refused, except where the point already has it: an
    exported list must import again unchanged."""

    def __init__(self, codes):
        self.types: dict[str, PointType] = {}
        for point_type in PointType.objects.order_by("-is_active", "position"):
            for key in (point_type.name, point_type.code.upper()):
                self.types.setdefault(key, point_type)
        self.units: dict[str, Unit] = {}
        self.short_units: dict[str, list[Unit]] = {}
        for unit in Unit.objects.only("id", "name", "short_name", "is_active"):
            self.units[unit.name] = unit
            if unit.short_name and unit.is_active:
                self.short_units.setdefault(unit.short_name, []).append(unit)
        self.current = {
            code: {"point_type": type_id, "unit": unit_id, "paired_unit": paired_id}
            for code, type_id, unit_id, paired_id in Point.objects.filter(
                code__in=[c for c in codes if c]
            ).values_list("code", "point_type_id", "unit_id", "paired_unit_id")
        }

    def _keeps(self, code, key: str, pk: int) -> bool:
        return self.current.get(code, {}).get(key) == pk

    def point_type(self, word: str, code) -> PointType:
        key = re.sub(r"\s+", "", word)
        found = self.types.get(key) or self.types.get(key.upper())
        if found is None:
            raise ServiceError(f"未知的点位类型“{key}”,请填写点位类型的名称或编码。")
        if not found.is_active and not self._keeps(code, "point_type", found.pk):
            raise ServiceError(f"点位类型“{key}”已停用。")
        return found

    def unit(self, word: str, code, key: str) -> Unit:
        name = word.strip()
        found = self.units.get(name)
        if found is None:
            matches = self.short_units.get(name, [])
            if len(matches) > 1:
                raise ServiceError(f"简称“{name}”对应多个单位,请填写单位全称。")
            if not matches:
                raise ServiceError(f"单位“{name}”不存在,请填写单位全称或简称。")
            found = matches[0]
        if not found.is_active and not self._keeps(code, key, found.pk):
            raise ServiceError(f"单位“{name}”已停用。")
        return found


def _moved(point: Point, lat: float, lng: float) -> bool:
    # A spreadsheet keeps about 15 significant digits; a centimetre is no move.
    return (
        abs(point.lat - lat) > COORDINATE_TOLERANCE or abs(point.lng - lng) > COORDINATE_TOLERANCE
    )


def _check_row(row: Row, lookups: _Lookups) -> None:
    """The service checks, applied to one row's cells; each failure names its column."""
    v = row.values
    for key, header in (
        ("point_type", "点位类型"),
        ("unit", "责任单位"),
        ("paired_unit", "包联单位"),
    ):
        if v[key] is None:
            continue
        try:
            if key == "point_type":
                v[key] = lookups.point_type(str(v[key]), v["code"])
            else:
                v[key] = lookups.unit(str(v[key]), v["code"], key)
        except ServiceError as exc:
            v[key] = None
            row.add_error(exc.message, header=header)
    if v["lat"] is None or v["lng"] is None:
        return
    if not -90 <= v["lat"] <= 90:
        # Columns typed the wrong way round are the usual cause: a city's longitude is
        # rarely a possible latitude.
        hint = "经度和纬度可能填反了。" if -90 <= v["lng"] <= 90 else ""
        row.add_error(f"应为 -90 至 90 之间的数字。{hint}", header="纬度")
        return
    chain = locate(v["lng"], v["lat"])
    if chain is None or chain.deepest is None:
        where = f"经度 {v['lng']}、纬度 {v['lat']}"
        row.add_error(f"{where} 不在本市范围内,请核对坐标。", header="经度")
        return
    v["chain"] = chain


def point_import(*, upload, actor, skip_bad_rows: bool = False) -> ImportReport:
    """Create or update points from the point workbook (.xlsx, or .csv in UTF-8 or GBK),
    matched by 点位编号. Blank optional cells (地址, 包联单位) keep what is stored. Every row
    is checked first; nothing is saved while a row is bad unless ``skip_bad_rows``. One
    transaction, one audit row."""
    require(actor, CONFIGURE)
    rows = read_rows(upload, columns=COLUMNS)
    lookups = _Lookups([row.values["code"] for row in rows])
    for row in rows:
        _check_row(row, lookups)
    flag_duplicates(rows, key="code", header="点位编号")
    skipped = [row.number for row in rows if not row.ok]
    name = str(getattr(upload, "name", "") or "")

    def save(good: list[Row]) -> tuple[int, int]:
        existing = {
            p.code: p
            for p in Point.objects.select_for_update().filter(
                code__in=[r.values["code"] for r in good]
            )
        }
        created = updated = 0
        for row in good:
            v = row.values
            chain = v["chain"]
            wanted = {
                "name": v["name"],
                "point_type_id": v["point_type"].pk,
                "unit_id": v["unit"].pk,
            }
            if v["address"]:
                wanted["address"] = v["address"]
            if v["paired_unit"] is not None:
                wanted["paired_unit_id"] = v["paired_unit"].pk
            point = existing.get(v["code"])
            if point is None:
                point = Point(code=v["code"], **wanted)
                _apply_place(point, v["lat"], v["lng"], chain)
                point.save()
                created += 1
                continue
            dirty = any(getattr(point, k) != value for k, value in wanted.items())
            if _moved(point, v["lat"], v["lng"]):
                _apply_place(point, v["lat"], v["lng"], chain)
                dirty = True
            if dirty:
                for key, value in wanted.items():
                    setattr(point, key, value)
                point.save()
                updated += 1
        audit(
            actor=actor,
            action="evaluation.point_import",
            object_type=Point._meta.label_lower,
            object_id="",
            summary=(
                f"导入点位 {name}:新增 {created},更新 {updated}"
                + (f",跳过错误行 {len(skipped)} 行" if skipped else "")
            ),
            data={
                "file": name,
                "rows": len(good),
                "created": created,
                "updated": updated,
                "skipped_rows": skipped,
            },
        )
        return created, updated

    try:
        return apply_rows(rows, skip_bad_rows=skip_bad_rows, save=save)
    except IntegrityError:
        raise ServiceError(
            "导入时点位编号与他人同时保存的数据冲突,请重新导入。", field="file"
        ) from None


def _export_rows(queryset):
    points = queryset.select_related(
        "point_type", "unit", "paired_unit", "district", "street", "community"
    )
    if not points.query.is_sliced:  # a caller's slice keeps the caller's order
        points = points.order_by("code")
    for p in points.iterator(chunk_size=500):
        yield (
            p.code,
            p.name,
            p.point_type.name,
            p.address,
            round(p.lng, COORDINATE_DECIMALS),
            round(p.lat, COORDINATE_DECIMALS),
            p.unit.name,
            p.paired_unit.name if p.paired_unit_id else "",
            p.district.name if p.district_id else "",
            p.street.name if p.street_id else "",
            p.community.name if p.community_id else "",
        )


def point_export(queryset) -> bytes:
    """The given points in the import's own columns plus where they lie: exporting and
    importing the file again changes nothing (the extra columns are not read)."""
    return write_workbook([Sheet(SHEET_TITLE, EXPORT_HEADERS, _export_rows(queryset))])


def point_template() -> bytes:
    types = "、".join(f"{t.name}({t.code})" for t in PointType.objects.filter(is_active=True))
    notes = [
        ("每行一个点位。按“点位编号”新增或更新:编号已存在的点位按文件内容更新,新编号新建点位。",),
        ("点位编号:最多 24 个字符,全市唯一,如 SC-420302-001。点位名称:最多 120 个字。",),
        (f"点位类型:填写类型名称或编码。现有类型:{types or '(尚未设置点位类型)'}。",),
        ("经度、纬度:WGS84 坐标,小数形式,如 经度 110.79801、纬度 32.62918;必须位于本市范围内。",),
        ("所在区县、街道、社区和网格由坐标自动确定,不需要填写。",),
        ("责任单位、包联单位:填写单位全称或简称(简称须唯一);包联单位可不填。",),
        ("地址、包联单位留空时,已有点位保持原值。停用的点位按编号更新后仍保持停用。",),
        (
            "示例:SC-420302-001 | 五堰农贸市场 | 农贸市场 | 北京北路 12 号 | 110.79801 | 32.62918 | 五堰街道办事处 | 市城管执法委",
        ),
    ]
    return write_workbook([Sheet(SHEET_TITLE, HEADERS, []), Sheet("填写说明", ("说明",), notes)])


# -- point types -------------------------------------------------------------------------
def _type_code(value) -> str:
    code = ("" if value is None else str(value)).strip().upper()
    if not code:
        raise ServiceError("请填写类型编码。", field="code")
    if not POINT_TYPE_CODE.match(code):
        raise ServiceError(
            "类型编码应以字母开头,由字母、数字、“-”或“_”组成,最多 12 位,如 MARKET。",
            field="code",
        )
    return code


def _check_type_unique(*, code: str | None, name: str | None, exclude: int | None) -> None:
    others = PointType.objects.exclude(pk=exclude) if exclude else PointType.objects.all()
    if code is not None and others.filter(code=code).exists():
        raise ServiceError(f"类型编码“{code}”已存在。", field="code")
    if name is not None and others.filter(name=name).exists():
        raise ServiceError(f"类型名称“{name}”已存在。", field="name")


def point_type_create(*, code: str, name: str, description: str = "", actor) -> PointType:
    require(actor, CONFIGURE)
    code = _type_code(code)
    name = _text(name, field="name", label="类型名称", limit=40)
    description = _text(description, field="description", label="说明", limit=300, required=False)
    try:
        with transaction.atomic():
            _check_type_unique(code=code, name=name, exclude=None)
            last = PointType.objects.aggregate(m=Max("position"))["m"]
            point_type = PointType.objects.create(
                code=code,
                name=name,
                description=description,
                position=0 if last is None else last + 1,
            )
            audit(
                actor=actor,
                action="evaluation.point_type_create",
                obj=point_type,
                summary=f"新建点位类型 {code} {name}",
            )
    except IntegrityError:
        raise ServiceError(f"类型编码“{code}”或名称“{name}”已存在。", field="code") from None
    return point_type


def point_type_update(*, point_type_id: int, actor, **changes) -> PointType:
    """Rename, renumber, reorder or (de)activate a type. A type with active points
    cannot be deactivated: they would drop out of every round's sampling unnoticed."""
    unknown = set(changes) - set(POINT_TYPE_FIELDS)
    if unknown:
        raise ServiceError(f"不能修改字段:{', '.join(sorted(unknown))}")
    require(actor, CONFIGURE)
    clean: dict[str, object] = {}
    if "code" in changes:
        clean["code"] = _type_code(changes["code"])
    if "name" in changes:
        clean["name"] = _text(changes["name"], field="name", label="类型名称", limit=40)
    if "description" in changes:
        clean["description"] = _text(
            changes["description"], field="description", label="说明", limit=300, required=False
        )
    if "position" in changes:
        clean["position"] = _whole(changes["position"], field="position", label="排序")
    if "is_active" in changes:
        clean["is_active"] = _flag(changes["is_active"])
    try:
        with transaction.atomic():
            point_type = PointType.objects.select_for_update().filter(pk=point_type_id).first()
            if point_type is None:
                raise ServiceError("点位类型不存在。", field="point_type")
            changed = {
                k: [getattr(point_type, k), v]
                for k, v in clean.items()
                if getattr(point_type, k) != v
            }
            if not changed:
                return point_type
            _check_type_unique(
                code=clean.get("code") if "code" in changed else None,
                name=clean.get("name") if "name" in changed else None,
                exclude=point_type.pk,
            )
            if changed.get("is_active") == [True, False]:
                active = point_type.points.filter(is_active=True).count()
                if active:
                    raise ServiceError(
                        f"该类型下还有 {active} 个有效点位,请先将它们改为其他类型或停用后再停用该类型。",
                        field="is_active",
                    )
            for key in changed:
                setattr(point_type, key, clean[key])
            point_type.save()
            audit(
                actor=actor,
                action="evaluation.point_type_update",
                obj=point_type,
                summary=f"修改点位类型 {point_type.code} {point_type.name}",
                data={"changed": changed},
            )
    except IntegrityError:
        raise ServiceError("类型编码或名称已存在。", field="code") from None
    return point_type


# -- checklists ----------------------------------------------------------------------------
def _normalize_positions(point_type_id: int) -> list[ChecklistItem]:
    """The type's items numbered 0, 1, 2 … in their current order, so that a move can
    swap two numbers even where earlier edits left ties."""
    items = list(
        ChecklistItem.objects.select_for_update()
        .filter(point_type_id=point_type_id)
        .order_by("position", "id")
    )
    for index, item in enumerate(items):
        if item.position != index:
            item.position = index
            item.save(update_fields=["position", "updated_at"])
    return items


def checklist_item_create(
    *,
    point_type_id: int,
    section: str,
    text: str,
    max_points,
    deduction,
    category_code: str,
    actor,
    indicator_id: int | None = None,
    evidence_required: bool = True,
    na_allowed: bool = False,
    position: int | None = None,
) -> ChecklistItem:
    """Add an item to a type's checklist; without ``position`` it goes to the end."""
    require(actor, CONFIGURE)
    section = _text(section, field="section", label="分组", limit=40)
    text = _text(text, field="text", label="检查内容", limit=300)
    max_points = _points(max_points, field="max_points", label="分值")
    deduction = _points(deduction, field="deduction", label="每处扣分")
    category = _category(category_code)
    indicator = _indicator(indicator_id)
    if position is not None and position != "":
        position = _whole(position, field="position", label="排序")
    else:
        position = None
    with transaction.atomic():
        pk = _id(point_type_id, field="point_type", label="点位类型")
        point_type = (
            PointType.objects.select_for_update().filter(pk=pk, is_active=True).first()
            if pk
            else None
        )
        if point_type is None:
            raise ServiceError("点位类型不存在或已停用。", field="point_type")
        if position is None:
            last = point_type.items.aggregate(m=Max("position"))["m"]
            position = 0 if last is None else last + 1
        item = ChecklistItem.objects.create(
            point_type=point_type,
            section=section,
            text=text,
            max_points=max_points,
            deduction=deduction,
            category=category,
            indicator=indicator,
            evidence_required=_flag(evidence_required),
            na_allowed=_flag(na_allowed),
            position=position,
        )
        audit(
            actor=actor,
            action="evaluation.checklist_item_create",
            obj=item,
            summary=f"{point_type.name}检查表新增:{section} · {text[:60]}",
            data={
                "point_type": point_type.code,
                "max_points": str(max_points),
                "deduction": str(deduction),
                "category": category.code,
                "indicator": indicator.code if indicator else None,
            },
        )
    return item


def checklist_item_update(*, item_id: int, actor, **changes) -> ChecklistItem:
    """Change an item (``category_code``, ``indicator_id`` None to clear, ``is_active``
    False to retire it). Running rounds keep their own copy."""
    unknown = set(changes) - set(ITEM_FIELDS)
    if unknown:
        raise ServiceError(f"不能修改字段:{', '.join(sorted(unknown))}")
    require(actor, CONFIGURE)
    clean: dict[str, object] = {}
    if "section" in changes:
        clean["section"] = _text(changes["section"], field="section", label="分组", limit=40)
    if "text" in changes:
        clean["text"] = _text(changes["text"], field="text", label="检查内容", limit=300)
    if "max_points" in changes:
        clean["max_points"] = _points(changes["max_points"], field="max_points", label="分值")
    if "deduction" in changes:
        clean["deduction"] = _points(changes["deduction"], field="deduction", label="每处扣分")
    if "position" in changes:
        clean["position"] = _whole(changes["position"], field="position", label="排序")
    for key in ("evidence_required", "na_allowed", "is_active"):
        if key in changes:
            clean[key] = _flag(changes[key])
    with transaction.atomic():
        item = (
            ChecklistItem.objects.select_for_update(of=("self",))
            .select_related("point_type", "category", "indicator")
            .filter(pk=item_id)
            .first()
        )
        if item is None:
            raise ServiceError("检查项不存在。", field="item")
        # Like a point's unit: a reference is checked only when someone changes it.
        if "category_code" in changes:
            code = str(changes["category_code"] or "").strip().upper()
            if code != item.category.code:
                clean["category_id"] = _category(code).pk
        if "indicator_id" in changes:
            pk = _id(changes["indicator_id"], field="indicator", label="测评指标")
            if pk != item.indicator_id:
                indicator = _indicator(pk)
                clean["indicator_id"] = indicator.pk if indicator else None
        changed = {
            k: [_plain(getattr(item, k)), _plain(v)]
            for k, v in clean.items()
            if getattr(item, k) != v
        }
        if not changed:
            return item
        for key in changed:
            setattr(item, key, clean[key])
        item.save()
        audit(
            actor=actor,
            action="evaluation.checklist_item_update",
            obj=item,
            summary=f"{item.point_type.name}检查表修改:{item.section} · {item.text[:60]}",
            data={"changed": changed},
        )
    return item


def checklist_item_move(*, item_id: int, direction: str, actor) -> ChecklistItem:
    """Swap an item with its neighbour in the same section (``up`` or ``down``); the
    checklist page and the inspection screens show sections in their items' order."""
    # Who asks comes first: a refusal must not depend on how well the request was formed.
    require(actor, CONFIGURE)
    if direction not in ("up", "down"):
        raise ServiceError("移动方向应为 up 或 down。", field="direction")
    with transaction.atomic():
        item = ChecklistItem.objects.filter(pk=item_id).only("point_type_id").first()
        if item is None:
            raise ServiceError("检查项不存在。", field="item")
        items = _normalize_positions(item.point_type_id)
        by_id = {i.pk: i for i in items}
        item = by_id[item_id]
        siblings = [i for i in items if i.section == item.section]
        index = siblings.index(item)
        neighbour_index = index - 1 if direction == "up" else index + 1
        if not 0 <= neighbour_index < len(siblings):
            return item
        other = siblings[neighbour_index]
        item.position, other.position = other.position, item.position
        item.save(update_fields=["position", "updated_at"])
        other.save(update_fields=["position", "updated_at"])
        audit(
            actor=actor,
            action="evaluation.checklist_item_move",
            obj=item,
            summary=f"{item.section} · {item.text[:40]} 与 {other.text[:40]} 交换顺序",
            data={"direction": direction, "swapped_with": other.pk},
        )
    return item
