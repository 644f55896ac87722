"""The case catalogue (案件类别与立结案标准) and the routing rules: every write, audited in
its own transaction and open to CONFIGURE only, plus the reads the pickers, the API and
the catalogue page share. The spreadsheet import/export lives here too, so the file and
the services apply exactly the same checks.

A change to a standard never touches existing cases: a case freezes its time limit when
it is registered.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.db.models import Prefetch, Q
from django.utils import translation

from chuangwen.core.audit import audit
from chuangwen.core.errors import ServiceError
from chuangwen.core.scoping import CONFIGURE, require
from chuangwen.core.validation import clean_text
from chuangwen.core.workcalendar import TimeType
from chuangwen.core.xlsx import (
    Column,
    ImportReport,
    Row,
    Sheet,
    apply_rows,
    flag_duplicates,
    number_cell,
    parse_decimal,
    parse_int,
    parse_text,
    read_rows,
    write_workbook,
)
from chuangwen.org.choices import UnitKind

from .choices import CategoryKind
from .models import CaseStandard, Category, RoutingRule

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


def _clean_line(field: str, value) -> str:
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


def _position_from_code(code: str) -> int:
    # The numbering is the order people read; the lowest number is the 小类's default.
    return int(code[-2:])


# -- categories --------------------------------------------------------------------------
def category_create(
    *,
    kind: str,
    code: str,
    name: str,
    parent: Category | None = None,
    description: str = "",
    duplicate_radius_m: int = 50,
    duplicate_window_days: int = 7,
    actor,
) -> Category:
    require(actor, CONFIGURE)
    code = clean_code(code)
    check_category_code(kind=kind, code=code, parent=parent)
    name = _clean_line("name", name)
    description = _clean_line("description", description)
    radius = check_whole_number(
        duplicate_radius_m,
        label="重复判定半径",
        field="duplicate_radius_m",
        low=1,
        high=MAX_RADIUS_M,
    )
    window = check_whole_number(
        duplicate_window_days,
        label="重复判定时间窗",
        field="duplicate_window_days",
        low=1,
        high=MAX_WINDOW_DAYS,
    )
    if Category.objects.filter(code=code).exists():
        raise ServiceError(f"类别编码 {code} 已存在。", field="code")
    try:
        with transaction.atomic():
            category = Category.objects.create(
                kind=kind,
                code=code,
                name=name,
                parent=parent,
                description=description,
                duplicate_radius_m=radius,
                duplicate_window_days=window,
            )
            audit(
                actor=actor,
                action="cases.category_create",
                obj=category,
                summary=f"新建案件类别 {code} {name}",
            )
    except IntegrityError:
        raise ServiceError(f"类别编码 {code} 已存在。", field="code") from None
    return category


def category_update(*, category: Category, actor, **fields) -> Category:
    unknown = set(fields) - set(CATEGORY_FIELDS)
    if unknown:
        raise ServiceError(f"不能修改字段:{', '.join(sorted(unknown))}")
    require(actor, CONFIGURE)
    clean = dict(fields)
    if "name" in clean:
        clean["name"] = _clean_line("name", clean["name"])
    if "description" in clean:
        clean["description"] = _clean_line("description", clean["description"])
    if "duplicate_radius_m" in clean:
        clean["duplicate_radius_m"] = check_whole_number(
            clean["duplicate_radius_m"],
            label="重复判定半径",
            field="duplicate_radius_m",
            low=1,
            high=MAX_RADIUS_M,
        )
    if "duplicate_window_days" in clean:
        clean["duplicate_window_days"] = check_whole_number(
            clean["duplicate_window_days"],
            label="重复判定时间窗",
            field="duplicate_window_days",
            low=1,
            high=MAX_WINDOW_DAYS,
        )
    if "position" in clean:
        clean["position"] = check_whole_number(
            clean["position"], label="排序", field="position", low=0, high=9999
        )
    if "is_active" in clean:
        clean["is_active"] = bool(clean["is_active"])
    with transaction.atomic():
        category = Category.objects.select_for_update().get(pk=category.pk)
        before = {k: getattr(category, k) for k in clean}
        for key, value in clean.items():
            setattr(category, key, value)
        category.save()
        audit(
            actor=actor,
            action="cases.category_update",
            obj=category,
            summary=f"修改案件类别 {category.code} {category.name}",
            data={"before": before, "after": clean},
        )
    return category


# -- standards ---------------------------------------------------------------------------
def standard_create(
    *,
    category: Category,
    code: str,
    condition: str,
    time_type: str,
    time_value,
    close_condition: str,
    unit_kind: str = "",
    position: int = 0,
    actor,
) -> CaseStandard:
    """``position`` 0 takes the code's sequence number, so the default standard (the
    lowest position) is the one numbered first."""
    require(actor, CONFIGURE)
    code = clean_code(code)
    check_standard_code(category=category, code=code)
    condition = _clean_line("condition", condition)
    close_condition = _clean_line("close_condition", close_condition)
    value = check_time_limit(time_type, time_value)
    unit_kind = check_unit_kind(unit_kind)
    position = check_whole_number(position, label="排序", field="position", low=0, high=9999)
    if CaseStandard.objects.filter(code=code).exists():
        raise ServiceError(f"标准编码 {code} 已存在。", field="code")
    try:
        with transaction.atomic():
            standard = CaseStandard.objects.create(
                category=category,
                code=code,
                condition=condition,
                time_type=time_type,
                time_value=value,
                close_condition=close_condition,
                unit_kind=unit_kind,
                position=position or _position_from_code(code),
            )
            audit(
                actor=actor,
                action="cases.standard_create",
                obj=standard,
                summary=f"新建立结案标准 {code} {condition}",
            )
    except IntegrityError:
        raise ServiceError(f"标准编码 {code} 已存在。", field="code") from None
    return standard


def standard_update(*, standard: CaseStandard, actor, **fields) -> CaseStandard:
    unknown = set(fields) - set(STANDARD_FIELDS)
    if unknown:
        raise ServiceError(f"不能修改字段:{', '.join(sorted(unknown))}")
    require(actor, CONFIGURE)
    with transaction.atomic():
        standard = CaseStandard.objects.select_for_update().get(pk=standard.pk)
        clean = dict(fields)
        if "condition" in clean:
            clean["condition"] = _clean_line("condition", clean["condition"])
        if "close_condition" in clean:
            clean["close_condition"] = _clean_line("close_condition", clean["close_condition"])
        if "time_type" in clean or "time_value" in clean:
            time_type = clean.get("time_type", standard.time_type)
            clean["time_value"] = check_time_limit(
                time_type, clean.get("time_value", standard.time_value)
            )
            clean["time_type"] = time_type
        if "unit_kind" in clean:
            clean["unit_kind"] = check_unit_kind(clean["unit_kind"])
        if "position" in clean:
            clean["position"] = check_whole_number(
                clean["position"], label="排序", field="position", low=0, high=9999
            )
        if "is_active" in clean:
            clean["is_active"] = bool(clean["is_active"])
        before = {k: _plain(getattr(standard, k)) for k in clean}
        for key, value in clean.items():
            setattr(standard, key, value)
        standard.save()
        audit(
            actor=actor,
            action="cases.standard_update",
            obj=standard,
            summary=f"修改立结案标准 {standard.code}",
            data={"before": before, "after": {k: _plain(v) for k, v in clean.items()}},
        )
    return standard


def _plain(value):
    # Audit data is JSON; Decimal limits are kept as their exact text.
    return str(value) if isinstance(value, Decimal) else value


# -- routing rules -----------------------------------------------------------------------
def routing_rule_create(
    *,
    category: Category | None = None,
    territory=None,
    unit,
    auto_dispatch: bool = True,
    note: str = "",
    actor,
) -> RoutingRule:
    require(actor, CONFIGURE)
    if category is None and territory is None:
        raise ServiceError("派遣规则至少要指定案件类别或属地之一。", field="category")
    if unit is None:
        raise ServiceError("请选择责任单位。", field="unit")
    # Read from the database: the caller's object may predate a deactivation.
    if not type(unit).objects.filter(pk=unit.pk, is_active=True).exists():
        raise ServiceError(f"单位“{unit.name}”已停用,不能作为责任单位。", field="unit")
    if category is not None and not category.is_active:
        raise ServiceError(f"案件类别“{category}”已停用。", field="category")
    if territory is not None and not territory.is_active:
        raise ServiceError(f"属地“{territory.name}”已停用。", field="territory")
    note = _clean_line("note", note)
    where = f"{category or '全部类别'} @ {territory.name if territory else '全市'}"
    with transaction.atomic():
        # Two admins adding the same rule at once: the lock on the category (or
        # territory) row makes the second one see the first. The database's unique
        # constraint cannot help when one side is NULL.
        anchor = category if category is not None else territory
        type(anchor).objects.select_for_update().filter(pk=anchor.pk).first()
        clash = RoutingRule.objects.filter(
            is_active=True, category=category, territory=territory
        ).select_related("unit")
        existing = clash.first()
        if existing is not None:
            raise ServiceError(
                f"{where} 已有有效的派遣规则(→ {existing.unit.name}),请先停用后再新建。",
                field="category",
            )
        rule = RoutingRule.objects.create(
            category=category,
            territory=territory,
            unit=unit,
            auto_dispatch=bool(auto_dispatch),
            note=note,
        )
        audit(
            actor=actor,
            action="cases.routing_rule_create",
            obj=rule,
            summary=f"新建派遣规则 {where} → {unit.name}({'自动派遣' if auto_dispatch else '仅建议'})",
        )
    return rule


def routing_rule_deactivate(*, rule: RoutingRule, actor) -> RoutingRule:
    require(actor, CONFIGURE)
    with transaction.atomic():
        rule = RoutingRule.objects.select_for_update().get(pk=rule.pk)
        if not rule.is_active:
            raise ServiceError("该派遣规则已停用。")
        rule.is_active = False
        rule.save(update_fields=["is_active", "updated_at"])
        audit(
            actor=actor,
            action="cases.routing_rule_deactivate",
            obj=rule,
            summary=f"停用派遣规则 {rule}",
        )
    return rule


# -- reads -------------------------------------------------------------------------------
def _active_standards() -> Prefetch:
    return Prefetch(
        "standards",
        queryset=CaseStandard.objects.filter(is_active=True).order_by("position", "code"),
        to_attr="active_standards",
    )


@dataclass
class MajorNode:
    category: Category
    minors: list[Category] = field(default_factory=list)


def category_tree(*, search: str = "", kind: str | None = None) -> list[MajorNode]:
    """Active 大类 → 小类 → standards (each 小类 carries ``active_standards``), for pickers
    and the catalogue page. ``search`` matches codes, names and conditions; a matching
    大类 keeps all its 小类."""
    search = (search or "").strip()
    minors_qs = (
        Category.objects.filter(parent__isnull=False, is_active=True, parent__is_active=True)
        .prefetch_related(_active_standards())
        .order_by("position", "code")
    )
    majors_qs = Category.objects.filter(parent__isnull=True, is_active=True)
    if kind:
        minors_qs = minors_qs.filter(kind=kind)
        majors_qs = majors_qs.filter(kind=kind)
    tree = {m.pk: MajorNode(category=m) for m in majors_qs.order_by("position", "code")}
    matching_majors: set[int] = set()
    if search:
        code = search.upper()
        matching_majors = {
            pk
            for pk, node in tree.items()
            if search in node.category.name or node.category.code == code
        }
        minors_qs = minors_qs.filter(
            Q(parent_id__in=matching_majors)
            | Q(code__startswith=code)
            | Q(name__icontains=search)
            | Q(standards__code__startswith=code, standards__is_active=True)
            | Q(standards__condition__icontains=search, standards__is_active=True)
        ).distinct()
    for minor in minors_qs:
        if minor.parent_id in tree:
            tree[minor.parent_id].minors.append(minor)
    return [node for pk, node in tree.items() if not search or node.minors or pk in matching_majors]


def category_list_for_api(
    *, kind: str | None = None, parent: str | None = None, q: str = ""
) -> list[Category]:
    """Active categories in code order, 大类 and 小类 together; each carries
    ``active_standards`` (the first is the default) and its parent. Two queries."""
    qs = (
        Category.objects.filter(is_active=True)
        .filter(Q(parent__isnull=True) | Q(parent__is_active=True))
        .select_related("parent")
        .prefetch_related(_active_standards())
        .order_by("code")
    )
    if kind:
        qs = qs.filter(kind=kind)
    if parent:
        qs = qs.filter(parent__code=clean_code(parent))
    if q and q.strip():
        qs = qs.filter(name__icontains=q.strip())
    return list(qs)


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


def catalog_import(*, upload, actor, skip_bad_rows: bool = False) -> ImportReport:
    """Create or update 大类, 小类 and standards from the 立结案标准 workbook (.xlsx, or
    .csv in UTF-8 or GBK), matched by code. Entries the file does not name stay as they
    are, and so do optional cells left blank. Every row is checked first; nothing is saved
    while a row is bad unless ``skip_bad_rows``. One transaction, one audit row."""
    require(actor, CONFIGURE)
    rows = read_rows(upload, columns=COLUMNS)
    for row in rows:
        if row.ok:
            _check_row(row)
    flag_duplicates(rows, key="code", header="标准编码")
    _flag_disagreements(rows)
    skipped = [row.number for row in rows if not row.ok]
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

    def save(good: list[Row]) -> tuple[int, int]:
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
                    "position": _position_from_code(v["code"]),
                },
                fields,
            )
        created = sum(c for c, _ in counts.values())
        updated = sum(u for _, u in counts.values())
        name = str(getattr(upload, "name", "") or "")
        audit(
            actor=actor,
            action="cases.catalog_import",
            object_type=CaseStandard._meta.label_lower,
            object_id="",
            summary=(
                f"导入立结案标准 {name}:大类新增 {counts['major'][0]}、更新 {counts['major'][1]},"
                f"小类新增 {counts['minor'][0]}、更新 {counts['minor'][1]},"
                f"标准新增 {counts['standard'][0]}、更新 {counts['standard'][1]}"
                + (f",跳过错误行 {len(skipped)} 行" if skipped else "")
            ),
            data={
                "file": name,
                "rows": len(good),
                "created": {k: c for k, (c, _) in counts.items()},
                "updated": {k: u for k, (_, u) in counts.items()},
                "skipped_rows": skipped,
            },
        )
        return created, updated

    try:
        return apply_rows(rows, skip_bad_rows=skip_bad_rows, save=save)
    except IntegrityError:
        # Someone else saved the same code between our read and our write.
        raise ServiceError(
            "导入时编码与他人同时保存的数据冲突,请重新导入。", field="file"
        ) from None


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
    return write_workbook([Sheet(SHEET_TITLE, HEADERS, _export_rows())])


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
    return write_workbook([Sheet(SHEET_TITLE, HEADERS, []), Sheet("填写说明", ("说明",), notes)])
