"""The 立结案标准 workbook: export of the active catalogue and import of the same file,
held to the services' own checks (``checks``), so the file and the pages agree."""

from __future__ import annotations

import re

from django.utils import translation

from chuangwen.core.audit import audit
from chuangwen.core.errors import ServiceError
from chuangwen.core.scoping import CONFIGURE, require
from chuangwen.core.types import Actor
from chuangwen.core.workcalendar import TimeType
from chuangwen.core.xlsx import (
    Batch,
    Column,
    ImportReport,
    Row,
    Sheet,
    each_row,
    import_rows,
    number_cell,
    parse_decimal,
    parse_int,
    parse_text,
    unique,
    write_workbook,
)
from chuangwen.org.choices import UnitKind

from ..checks import (
    MAX_RADIUS_M,
    MAX_WINDOW_DAYS,
    check_category_code,
    check_standard_code,
    check_time_limit,
    clean_code,
    position_from_code,
)
from ..choices import CategoryKind
from ..models import CaseStandard, Category
from .workbook_fields import FIELD_HEADERS, FIELDS_SHEET, apply_fields, read_fields, template_notes
from .workbook_fields import export_rows as export_fields

# -- the 立结案标准 workbook ----------------------------------------------------------------
# The file's words are fixed Chinese, whatever language the person exporting reads: the
# same file must import again anywhere.
SHEET_TITLE = "立结案标准"
FAMILY_WORDS = {
    "部件": CategoryKind.COMPONENT,
    "事件": CategoryKind.EVENT,
    "文明城市": CategoryKind.CIVILIZED,
}
TIME_TYPE_WORDS = {
    "紧急小时": TimeType.EMERGENCY_HOURS,
    "工作小时": TimeType.WORK_HOURS,
    "工作日": TimeType.WORK_DAYS,
    "自然日": TimeType.NATURAL_DAYS,
}
HEADERS = (
    "类别",
    "大类编码",
    "大类名称",
    "小类编码",
    "小类名称",
    "标准编码",
    "立案条件",
    "时限类型",
    "处置时限",
    "结案条件",
    "责任单位类型",
    "重复判定半径(米)",
    "重复判定时间窗(天)",
)


def _word(value) -> str:
    return re.sub(r"[\s\u3000]+", "", str(value))


def _parse_family(value) -> str:
    word = _word(value)
    for name, kind in FAMILY_WORDS.items():
        if word in (name, kind.value, kind.value.lower()):
            return kind.value
    raise ServiceError(f"未知的类别“{word}”,应为 部件、事件 或 文明城市。")


def _parse_time_type(value) -> str:
    word = _word(value)
    if word in TIME_TYPE_WORDS:
        return TIME_TYPE_WORDS[word].value
    if word.lower() in TimeType.values:
        return word.lower()
    with translation.override("zh-hans"):
        labels = {_word(label): key for key, label in TimeType.choices}
    if word in labels:
        return labels[word]
    raise ServiceError(f"未知的时限类型“{word}”,应为 {'、'.join(TIME_TYPE_WORDS)} 之一。")


def _unit_kind_words() -> dict[str, str]:
    with translation.override("zh-hans"):
        return {str(label): key for key, label in UnitKind.choices}


def _parse_unit_kind(value) -> str:
    word = _word(value)
    words = {_word(k): v for k, v in _unit_kind_words().items()}
    if word in words:
        return words[word]
    if word in UnitKind.values:
        return word
    raise ServiceError(f"未知的责任单位类型“{word}”,应为 {'、'.join(_unit_kind_words())} 之一。")


def _parse_code(value) -> str:
    return clean_code(parse_text(12)(value))


COLUMNS = (
    Column("kind", "类别", parse=_parse_family),
    Column("major_code", "大类编码", parse=_parse_code),
    Column("major_name", "大类名称", parse=parse_text(60)),
    Column("minor_code", "小类编码", parse=_parse_code),
    Column("minor_name", "小类名称", parse=parse_text(60)),
    Column("code", "标准编码", parse=_parse_code),
    Column("condition", "立案条件", parse=parse_text(300)),
    Column("time_type", "时限类型", parse=_parse_time_type),
    Column("time_value", "处置时限", parse=parse_decimal()),
    Column("close_condition", "结案条件", parse=parse_text(300)),
    Column("unit_kind", "责任单位类型", required=False, parse=_parse_unit_kind),
    Column(
        "radius",
        "重复判定半径(米)",
        required=False,
        parse=parse_int(low=1, high=MAX_RADIUS_M),
        aliases=("重复判定半径（米）", "重复判定半径"),
    ),
    Column(
        "window",
        "重复判定时间窗(天)",
        required=False,
        parse=parse_int(low=1, high=MAX_WINDOW_DAYS),
        aliases=("重复判定时间窗（天）", "重复判定时间窗"),
    ),
)


def _check_row(row: Row) -> None:
    """The service checks, applied to one row's cells; each failure names its column."""
    v = row.values

    def check(header: str, run) -> None:
        try:
            run()
        except ServiceError as exc:
            row.add_error(exc.message, header=header)

    kind = v["kind"]
    if kind is None:
        return
    major = Category(kind=kind, code=v["major_code"] or "")
    if v["major_code"]:
        check("大类编码", lambda: check_category_code(kind=kind, code=major.code, parent=None))
    if v["minor_code"] and v["major_code"] and not row.errors:
        check(
            "小类编码",
            lambda: check_category_code(kind=kind, code=v["minor_code"], parent=major),
        )
    if v["code"] and v["minor_code"] and not row.errors:
        # parent_id 0 stands for "has a parent": the 大类 may not be saved yet.
        minor = Category(kind=kind, code=v["minor_code"], parent_id=0)
        check("标准编码", lambda: check_standard_code(category=minor, code=v["code"]))
    if v["time_type"] and v["time_value"] is not None:
        try:
            v["time_value"] = check_time_limit(v["time_type"], v["time_value"])
        except ServiceError as exc:
            row.add_error(exc.message, header="处置时限")
    for key, header in (("major_name", "大类名称"), ("minor_name", "小类名称")):
        if v[key] is not None and not v[key]:
            row.add_error("不能为空。", header=header)


def _flag_disagreements(rows: list[Row]) -> None:
    """A 大类 or 小类 repeated on many rows must read the same on every one of them."""
    first: dict[tuple[str, str], tuple[object, int]] = {}
    checks = (
        ("major_code", "major_name", "大类名称", "大类"),
        ("minor_code", "minor_name", "小类名称", "小类"),
        ("minor_code", "radius", "重复判定半径(米)", "小类"),
        ("minor_code", "window", "重复判定时间窗(天)", "小类"),
    )
    for row in rows:
        if not row.ok:
            continue
        for code_key, key, header, level in checks:
            code, value = row.values[code_key], row.values[key]
            if value is None:
                continue
            seen = first.setdefault((code, key), (value, row.number))
            if seen[0] != value:
                row.add_error(
                    f"{level} {code} 在第 {seen[1]} 行为“{seen[0]}”,与本行不一致。",
                    header=header,
                )


def catalog_import(*, upload, actor: Actor, skip_bad_rows: bool = False) -> ImportReport:
    """Create or update 大类, 小类 and standards from the 立结案标准 workbook (.xlsx, or
    .csv in UTF-8 or GBK), matched by code. Entries the file does not name stay as they
    are, and so do optional cells left blank. Every row is checked first; nothing is saved
    while a row is bad unless ``skip_bad_rows``. One transaction, one audit row."""
    require(actor, CONFIGURE)
    extra: dict = {}

    def read_extra(rows: list[Row]) -> None:
        # The 附加字段 sheet may name the 小类 this file creates as well as existing ones.
        known = {r.values["minor_code"] for r in rows if r.ok and r.values["minor_code"]}
        known |= set(Category.objects.filter(parent__isnull=False).values_list("code", flat=True))
        extra.update(read_fields(upload, known_minors=known))

    counts = {"major": [0, 0], "minor": [0, 0], "standard": [0, 0]}  # [created, updated]

    def upsert(model, lookup: dict, key: str, level: str, create: dict, update: dict):
        obj = lookup.get(key)
        if obj is None:
            obj = model.objects.create(**create)
            lookup[key] = obj
            counts[level][0] += 1
            return obj
        changed = {k: v for k, v in update.items() if v is not None and getattr(obj, k) != v}
        if changed:
            for name, value in changed.items():
                setattr(obj, name, value)
            obj.save(update_fields=[*changed, "updated_at"])
            # An object named on several rows is counted once.
            if not getattr(obj, "_counted_update", False):
                obj._counted_update = True
                counts[level][1] += 1
        return obj

    def save(batch: Batch) -> tuple[int, int]:
        good = batch.rows
        codes = {r.values[k] for r in good for k in ("major_code", "minor_code")}
        categories = {
            c.code: c for c in Category.objects.select_for_update().filter(code__in=codes)
        }
        standards = {
            s.code: s
            for s in CaseStandard.objects.select_for_update().filter(
                code__in=[r.values["code"] for r in good]
            )
        }
        # A 小类's settings may be filled on any one of its rows.
        settings: dict[str, dict] = {}
        for row in good:
            mine = settings.setdefault(row.values["minor_code"], {})
            for key, field_name in (
                ("radius", "duplicate_radius_m"),
                ("window", "duplicate_window_days"),
            ):
                if row.values[key] is not None:
                    mine.setdefault(field_name, row.values[key])
        for row in good:
            v = row.values
            major = upsert(
                Category,
                categories,
                v["major_code"],
                "major",
                {"kind": v["kind"], "code": v["major_code"], "name": v["major_name"]},
                {"name": v["major_name"]},
            )
            minor = upsert(
                Category,
                categories,
                v["minor_code"],
                "minor",
                {
                    "kind": v["kind"],
                    "code": v["minor_code"],
                    "name": v["minor_name"],
                    "parent": major,
                    **settings[v["minor_code"]],
                },
                {"name": v["minor_name"], **settings[v["minor_code"]]},
            )
            fields = {
                "condition": v["condition"],
                "time_type": v["time_type"],
                "time_value": v["time_value"],
                "close_condition": v["close_condition"],
                "unit_kind": v["unit_kind"],
            }
            upsert(
                CaseStandard,
                standards,
                v["code"],
                "standard",
                {
                    **fields,
                    "unit_kind": v["unit_kind"] or "",
                    "category": minor,
                    "code": v["code"],
                    "position": position_from_code(v["code"]),
                },
                fields,
            )
        fields_changed = apply_fields(extra, categories)
        created = sum(c for c, _ in counts.values())
        updated = sum(u for _, u in counts.values())
        audit(
            actor=actor,
            action="cases.catalog_import",
            object_type=CaseStandard._meta.label_lower,
            object_id="",
            summary=(
                f"导入立结案标准 {batch.file}:大类新增 {counts['major'][0]}、更新 {counts['major'][1]},"
                f"小类新增 {counts['minor'][0]}、更新 {counts['minor'][1]},"
                f"标准新增 {counts['standard'][0]}、更新 {counts['standard'][1]}"
                + (f",附加字段更新 {fields_changed} 个小类" if fields_changed else "")
                + batch.skipped_note
            ),
            data={
                "file": batch.file,
                "rows": len(good),
                "created": {k: c for k, (c, _) in counts.items()},
                "updated": {k: u for k, (_, u) in counts.items()},
                "skipped_rows": batch.skipped,
                "extra_fields": sorted(extra),
            },
        )
        return created, updated

    return import_rows(
        upload,
        columns=COLUMNS,
        checks=[
            read_extra,
            each_row(_check_row, ok_only=True),
            unique("code", "标准编码"),
            _flag_disagreements,
        ],
        save=save,
        skip_bad_rows=skip_bad_rows,
        # Someone else saved the same code between our read and our write.
        conflict=ServiceError("导入时编码与他人同时保存的数据冲突,请重新导入。", field="file"),
    )


def _export_rows():
    family = {kind.value: word for word, kind in FAMILY_WORDS.items()}
    time_words = {kind.value: word for word, kind in TIME_TYPE_WORDS.items()}
    unit_words = {key: word for word, key in _unit_kind_words().items()}
    standards = (
        CaseStandard.objects.filter(
            is_active=True, category__is_active=True, category__parent__is_active=True
        )
        .select_related("category__parent")
        .order_by("category__code", "position", "code")
    )
    for s in standards:
        minor, major = s.category, s.category.parent
        yield (
            family[minor.kind],
            major.code,
            major.name,
            minor.code,
            minor.name,
            s.code,
            s.condition,
            time_words[s.time_type],
            number_cell(s.time_value),
            s.close_condition,
            unit_words.get(s.unit_kind, ""),
            minor.duplicate_radius_m,
            minor.duplicate_window_days,
        )


def catalog_export() -> bytes:
    """The active catalogue in the import's own columns: exporting and importing the file
    again changes nothing."""
    return write_workbook(
        [
            Sheet(SHEET_TITLE, HEADERS, _export_rows()),
            Sheet(FIELDS_SHEET, FIELD_HEADERS, export_fields()),
        ]
    )


def catalog_template() -> bytes:
    notes = [
        (
            "每行一条立结案标准;同一小类的多个立案条件各占一行,大类和小类的编码、名称在各行中重复填写。",
        ),
        ("类别:部件、事件 或 文明城市。编码以类别字母开头:部件 B、事件 E、文明城市 W。",),
        ("大类编码:字母加 2 位数字,如 B01;小类编码:大类编码加 2 位数字,如 B0101。",),
        ("标准编码:小类编码加“-”和 2 位序号,如 B0101-01;序号最小的一条是该小类的默认标准。",),
        (
            f"时限类型:{'、'.join(TIME_TYPE_WORDS)};紧急小时连续计时,工作小时和工作日按工作日历计时。",
        ),
        ("处置时限:大于 0 的数字,最多 1 位小数,如 2 或 0.5。",),
        (f"责任单位类型(选填):{'、'.join(_unit_kind_words())}。",),
        ("重复判定半径(米)、重复判定时间窗(天)(选填):小类的重复案件判定范围,默认 50 米、7 天。",),
        ("按编码新增或更新;文件中没有的条目保持不变,选填列留空时保持原值。",),
        (
            "示例:部件 | B01 | 公用设施 | B0101 | 上水井盖 | B0101-01 | 井盖缺失、移位 | 紧急小时 | 2 | 井盖已补装或复位 | 企业/公用事业单位 | 50 | 7",
        ),
    ]
    return write_workbook(
        [
            Sheet(SHEET_TITLE, HEADERS, []),
            Sheet(FIELDS_SHEET, FIELD_HEADERS, []),
            Sheet("填写说明", ("说明",), [*notes, *template_notes()]),
        ]
    )
