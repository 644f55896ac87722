"""The point workbook: importing points from it, exporting them and the blank template."""

from __future__ import annotations

import math
import re

from chuangwen.core.audit import audit
from chuangwen.core.errors import ServiceError
from chuangwen.core.scoping import CONFIGURE, require
from chuangwen.core.types import Actor
from chuangwen.core.xlsx import (
    Batch,
    Column,
    ImportReport,
    Row,
    Sheet,
    import_rows,
    parse_text,
    unique,
    write_workbook,
)
from chuangwen.org.models import Unit
from chuangwen.territory.routing import locate

from ..models import Point, PointType
from .registry_checks import _apply_place

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


def point_import(*, upload, actor: Actor, skip_bad_rows: bool = False) -> ImportReport:
    """Create or update points from the point workbook (.xlsx, or .csv in UTF-8 or GBK),
    matched by 点位编号. Blank optional cells (地址, 包联单位) keep what is stored. Every row
    is checked first; nothing is saved while a row is bad unless ``skip_bad_rows``. One
    transaction, one audit row."""
    require(actor, CONFIGURE)

    def check(rows: list[Row]) -> None:
        lookups = _Lookups([row.values["code"] for row in rows])
        for row in rows:
            _check_row(row, lookups)

    def save(batch: Batch) -> tuple[int, int]:
        good = batch.rows
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
            summary=(f"导入点位 {batch.file}:新增 {created},更新 {updated}" + batch.skipped_note),
            data={
                "file": batch.file,
                "rows": len(good),
                "created": created,
                "updated": updated,
                "skipped_rows": batch.skipped,
            },
        )
        return created, updated

    return import_rows(
        upload,
        columns=COLUMNS,
        checks=[check, unique("code", "点位编号")],
        save=save,
        skip_bad_rows=skip_bad_rows,
        # Someone else saved the same code between our read and our write.
        conflict=ServiceError("导入时点位编号与他人同时保存的数据冲突,请重新导入。", field="file"),
    )


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
