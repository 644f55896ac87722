"""测评体系: an edition of the official framework is loaded from the office's workbook,
read as a tree, exported in the same workbook, and one edition per kind is current.

The workbook has two sheets read by their headers:

- “测评体系”: 层级 | 编号 | 上级编号 | 内容 | 测评方法 | 分值 — one row per entry; the 层级
  is 测评项目, 测评内容, 测评指标 or 测评标准 and every entry but a 测评项目 names its
  上级编号 one level up. Rows keep their order on the page.
- “负面清单”: 编号 | 情形 | 扣分 | 扣分对象.

Exporting an edition and importing the file again rebuilds the same tree, so an office
corrects a published edition by editing its export.
"""

from __future__ import annotations

import re
from collections import defaultdict
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import ProtectedError

from chuangwen.core.audit import audit
from chuangwen.core.errors import ConflictError, ServiceError
from chuangwen.core.scoping import CONFIGURE, require
from chuangwen.core.types import Actor
from chuangwen.core.xlsx import (
    Batch,
    Column,
    ImportReport,
    Row,
    Sheet,
    commit_rows,
    flag_duplicates,
    number_cell,
    parse_choice,
    parse_text,
    read_rows,
    upload_name,
    write_workbook,
)

from ..choices import PARENT_LEVEL, EntryLevel, FrameworkKind, Method, SubjectLevel
from ..models import ChecklistItem, Framework, FrameworkEntry, NegativeItem
from ..selectors.frameworks import _walk, framework_tree

CYCLE_YEARS = 3
FIRST_YEAR, LAST_YEAR = 2000, 2099
MAX_POINTS = Decimal("99999.99")

# The file's words are fixed Chinese whatever language the exporting person reads: the
# same file must import again anywhere.
ENTRY_SHEET = "测评体系"
NEGATIVE_SHEET = "负面清单"
NOTES_SHEET = "填写说明"
ENTRY_HEADERS = ("层级", "编号", "上级编号", "内容", "测评方法", "分值")
NEGATIVE_HEADERS = ("编号", "情形", "扣分", "扣分对象")
LEVEL_WORDS = {
    "测评项目": EntryLevel.DIMENSION,
    "测评内容": EntryLevel.ITEM,
    "测评指标": EntryLevel.INDICATOR,
    "测评标准": EntryLevel.STANDARD,
}
METHOD_WORDS = {
    "实地考察": Method.FIELD,
    "问卷调查": Method.SURVEY,
    "材料审核": Method.MATERIAL,
    "数据分析": Method.DATA,
}
SUBJECT_WORDS = {
    "社区": SubjectLevel.COMMUNITY,
    "街道": SubjectLevel.STREET,
    "区县": SubjectLevel.DISTRICT,
    "责任单位": SubjectLevel.UNIT,
}
LEVEL_ORDER = tuple(LEVEL_WORDS.values())
_WORD_OF_LEVEL = {v: k for k, v in LEVEL_WORDS.items()}
_WORD_OF_METHOD = {v: k for k, v in METHOD_WORDS.items()}
_WORD_OF_SUBJECT = {v: k for k, v in SUBJECT_WORDS.items()}
_SPACES = re.compile(r"[\s\u3000]+")


# -- checks shared by the services and the workbook -------------------------------------------
def _points(value, *, label: str, positive: bool) -> Decimal:
    if isinstance(value, bool):
        raise ServiceError(f"{label}应为数字。")
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ServiceError(f"{label}应为数字。") from None
    if not number.is_finite():
        raise ServiceError(f"{label}应为数字。")
    if positive and number <= 0:
        raise ServiceError(f"{label}必须大于 0。")
    if number < 0:
        raise ServiceError(f"{label}不能为负数。")
    if number != number.quantize(Decimal("0.01")):
        raise ServiceError(f"{label}最多保留 2 位小数。")
    if number > MAX_POINTS:
        raise ServiceError(f"{label}不能大于 {MAX_POINTS}。")
    return number.quantize(Decimal("0.01"))


def _parse_points(value) -> Decimal:
    return _points(value, label="分值", positive=False)


def _parse_penalty(value) -> Decimal:
    return _points(value, label="扣分", positive=True)


def _parse_code(value) -> str:
    # Codes are typed by hand; a space inside one is always a slip.
    return _SPACES.sub("", parse_text(20)(value))


def _check_kind(kind) -> str:
    if kind not in FrameworkKind.values:
        raise ServiceError("请选择测评体系类型。", field="kind")
    return kind


def _check_name(name) -> str:
    name = ("" if name is None else str(name)).strip()
    if not name:
        raise ServiceError("请填写测评体系名称。", field="name")
    if len(name) > 120:
        raise ServiceError("名称不能超过 120 个字。", field="name")
    return name


def _check_note(note) -> str:
    note = ("" if note is None else str(note)).strip()
    if len(note) > 500:
        raise ServiceError("说明不能超过 500 个字。", field="note")
    return note


def _check_cycle_start(value) -> int:
    text = ("" if value is None else str(value)).strip()
    if not re.fullmatch(r"\d{4}", text):
        raise ServiceError("周期起始年应为四位年份,如 2024。", field="cycle_start")
    year = int(text)
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ServiceError(f"周期起始年应在 {FIRST_YEAR}–{LAST_YEAR} 之间。", field="cycle_start")
    return year


def _cycle_label(start: int) -> str:
    return f"{start}—{start + CYCLE_YEARS - 1}"


def _check_replaceable(existing: Framework | None, *, replace: bool) -> None:
    if existing is None:
        return
    if not replace:
        raise ConflictError(
            f"{existing.get_kind_display()} {_cycle_label(existing.cycle_start)} 周期的版本"
            f"“{existing.name}”已存在;如需用本文件替换它,请勾选“替换现有版本”。",
            field="cycle_start",
        )
    rounds = list(existing.rounds.order_by("-starts_on").values_list("name", flat=True)[:3])
    if rounds:
        names = "、".join(f"“{n}”" for n in rounds)
        raise ConflictError(
            f"测评轮次 {names} 已使用“{existing.name}”,不能替换;请以新的周期导入新版本。",
            field="replace",
        )


# -- the workbook ------------------------------------------------------------------------------
ENTRY_COLUMNS = (
    Column("level", "层级", parse=parse_choice(LEVEL_WORDS)),
    Column("code", "编号", parse=_parse_code),
    Column("parent", "上级编号", required=False, parse=_parse_code),
    Column("name", "内容", parse=parse_text(500)),
    Column("method", "测评方法", required=False, parse=parse_choice(METHOD_WORDS)),
    Column("points", "分值", required=False, parse=_parse_points),
)
NEGATIVE_COLUMNS = (
    Column("code", "编号", parse=_parse_code),
    Column("text", "情形", parse=parse_text(500), aliases=("负面清单情形",)),
    Column("penalty", "扣分", parse=_parse_penalty, aliases=("扣分值",)),
    Column("subject", "扣分对象", required=False, parse=parse_choice(SUBJECT_WORDS)),
)


def _read_sheets(upload) -> tuple[list[Row], list[Row]]:
    entries = read_rows(upload, columns=ENTRY_COLUMNS)
    try:
        negatives = read_rows(upload, columns=NEGATIVE_COLUMNS)
    except ServiceError as exc:
        if exc.message.startswith("缺少表头"):
            raise ServiceError(
                "找不到“负面清单”工作表(表头为 编号、情形、扣分、扣分对象)。测评体系须以"
                ".xlsx 工作簿导入,含“测评体系”和“负面清单”两个工作表;负面清单可只留表头。",
                field="file",
            ) from None
        raise
    if not entries:
        raise ServiceError("“测评体系”工作表中没有数据行。", field="file")
    return entries, negatives


def _check_tree(rows: list[Row]) -> None:
    """Each row's parent: present, one level up, and itself without errors. Rows are
    taken level by level, so a bad 测评项目 marks its whole branch."""
    flag_duplicates(rows, key="code", header="编号")
    first: dict[str, Row] = {}
    for row in rows:
        code = row.values.get("code")
        if code is not None and code not in first:
            first[code] = row
    by_depth = sorted(
        (r for r in rows if r.values.get("level") is not None),
        key=lambda r: LEVEL_ORDER.index(r.values["level"]),
    )
    for row in by_depth:
        level, parent = row.values["level"], row.values.get("parent")
        expected = PARENT_LEVEL[level]
        word = _WORD_OF_LEVEL[level]
        if expected is None:
            if parent:
                row.add_error("测评项目是第一级,不填上级编号。", header="上级编号")
            continue
        up_word = _WORD_OF_LEVEL[expected]
        if not parent:
            row.add_error(f"{word}须填写上级编号(所属{up_word}的编号)。", header="上级编号")
            continue
        above = first.get(parent)
        above_level = above.values.get("level") if above is not None else None
        if above is None:
            row.add_error(f"上级编号“{parent}”在本表中不存在。", header="上级编号")
        elif above_level is not None and above_level != expected:
            row.add_error(
                f"上级编号“{parent}”是{_WORD_OF_LEVEL[above_level]};{word}应挂在{up_word}下。",
                header="上级编号",
            )
        elif not above.ok:
            row.add_error(
                f"上级编号“{parent}”所在的第 {above.number} 行有错误。", header="上级编号"
            )


def _name_sheet(rows: list[Row], sheet: str) -> None:
    # The two sheets number their rows separately: every message says which sheet it is.
    for row in rows:
        row.values["sheet"] = sheet
        row.errors[:] = [f"“{sheet}”表{message}" for message in row.errors]


def _create_entries(framework: Framework, rows: list[Row]) -> dict[str, FrameworkEntry]:
    """One insert per level, parents first, so each child can point at its parent's id."""
    made: dict[str, FrameworkEntry] = {}
    for level in LEVEL_ORDER:
        batch = [
            FrameworkEntry(
                framework=framework,
                parent=made.get(r.values["parent"]) if r.values["parent"] else None,
                level=level,
                code=r.values["code"],
                name=r.values["name"],
                method=r.values["method"] or "",
                points=r.values["points"] if r.values["points"] is not None else Decimal(0),
                position=r.number,
            )
            for r in rows
            if r.values["level"] == level
        ]
        for entry in FrameworkEntry.objects.bulk_create(batch):
            made[entry.code] = entry
    return made


def framework_import(
    *,
    upload,
    actor: Actor,
    kind: str,
    name: str,
    cycle_start,
    note: str = "",
    replace: bool = False,
    skip_bad_rows: bool = False,
) -> ImportReport:
    """Load one edition (``kind``, three years from ``cycle_start``) from the workbook.

    Every row of both sheets is checked first; nothing is saved while a row is bad unless
    ``skip_bad_rows`` (a skipped entry takes its branch with it). An existing edition of
    the same kind and cycle is replaced only with ``replace`` and only while no round uses
    it; its checklist items keep their indicator when the new edition has the same code.
    The first edition of a kind becomes the current one. One transaction, one audit row."""
    require(actor, CONFIGURE)
    kind = _check_kind(kind)
    name = _check_name(name)
    note = _check_note(note)
    start = _check_cycle_start(cycle_start)
    _check_replaceable(
        Framework.objects.filter(kind=kind, cycle_start=start).first(), replace=replace
    )
    entry_rows, negative_rows = _read_sheets(upload)
    _check_tree(entry_rows)
    flag_duplicates(negative_rows, key="code", header="编号")
    _name_sheet(entry_rows, ENTRY_SHEET)
    _name_sheet(negative_rows, NEGATIVE_SHEET)
    rows = entry_rows + negative_rows
    if not any(r.ok for r in entry_rows):
        # Without one good entry there is no edition to save the negative list under.
        return ImportReport.checked(rows, skip_bad_rows=skip_bad_rows)

    def save(batch: Batch) -> tuple[int, int]:
        good = batch.rows
        existing = (
            Framework.objects.select_for_update().filter(kind=kind, cycle_start=start).first()
        )
        _check_replaceable(existing, replace=replace)
        links: dict[str, list[int]] = defaultdict(list)
        if existing is not None:
            framework = existing
            for item_id, code in ChecklistItem.objects.filter(
                indicator__framework=framework
            ).values_list("id", "indicator__code"):
                links[code].append(item_id)
            try:
                framework.negatives.all().delete()
            except ProtectedError:
                raise ConflictError(
                    "该版本的负面清单已被扣分记录引用,不能替换。", field="replace"
                ) from None
            framework.entries.all().delete()
            framework.name, framework.note = name, note
            framework.save(update_fields=["name", "note", "updated_at"])
        else:
            has_current = Framework.objects.filter(kind=kind, is_current=True).exists()
            framework = Framework.objects.create(
                kind=kind,
                name=name,
                cycle_start=start,
                cycle_end=start + CYCLE_YEARS - 1,
                note=note,
                is_current=not has_current,
            )
        entries = _create_entries(framework, [r for r in good if r.values["sheet"] == ENTRY_SHEET])
        negatives = NegativeItem.objects.bulk_create(
            NegativeItem(
                framework=framework,
                code=r.values["code"],
                text=r.values["text"],
                penalty=r.values["penalty"],
                subject_level=r.values["subject"] or SubjectLevel.DISTRICT,
                position=r.number,
            )
            for r in good
            if r.values["sheet"] == NEGATIVE_SHEET
        )
        relinked = unlinked = 0
        for code, item_ids in links.items():
            entry = entries.get(code)
            if entry is not None and entry.level == EntryLevel.INDICATOR:
                ChecklistItem.objects.filter(pk__in=item_ids).update(indicator=entry)
                relinked += len(item_ids)
            else:
                unlinked += len(item_ids)
        levels = defaultdict(int)
        for entry in entries.values():
            levels[entry.level] += 1
        audit(
            actor=actor,
            action="evaluation.framework_import",
            obj=framework,
            summary=(
                f"{'替换' if existing else '导入'}测评体系 {framework}:"
                f"条目 {len(entries)} 条,负面清单 {len(negatives)} 条" + batch.skipped_note
            ),
            data={
                "file": batch.file,
                "replaced": existing is not None,
                "entries": dict(levels),
                "negatives": len(negatives),
                "checklist_relinked": relinked,
                "checklist_unlinked": unlinked,
                "skipped_rows": batch.skipped,
            },
        )
        return len(entries) + len(negatives), 0

    return commit_rows(
        rows,
        file=upload_name(upload),
        save=save,
        skip_bad_rows=skip_bad_rows,
        conflict=ConflictError(
            "另一位管理员刚刚导入了同一类型和周期的版本,请刷新后重试。", field="cycle_start"
        ),
    )


NOTES = (
    "一个工作簿两个工作表:“测评体系”和“负面清单”;本“填写说明”工作表不导入。",
    "“测评体系”每行一个条目,四个层级自上而下:测评项目 → 测评内容 → 测评指标 → 测评标准。",
    "层级:填 测评项目、测评内容、测评指标 或 测评标准。",
    "编号:在本版本内唯一,最多 20 个字符,如 1、1.1、1.1.1、1.1.1.1。",
    "上级编号:测评项目不填;其他条目填上一层级条目的编号(测评内容填所属测评项目的编号,依此类推)。",
    "内容:条目的文字,最多 500 字。",
    "测评方法(选填):实地考察、问卷调查、材料审核 或 数据分析。",
    "分值(选填):不小于 0 的数字,最多 2 位小数;留空为 0。页面上各测评项目的合计按下级分值汇总。",
    "条目在页面上按本表的行序排列。",
    "“负面清单”每行一种情形:编号(唯一)、情形、扣分(大于 0)、扣分对象(社区、街道、区县 或 责任单位,留空为区县)。没有负面清单时只保留表头。",
    "导入时选择类型和周期起始年,周期为 3 年(如 2024—2026)。同一类型同一周期已有版本时,须勾选“替换现有版本”;已被测评轮次使用的版本不能替换。",
    "示例:测评项目 | 1 | | 理想信念坚定 | | 60;测评内容 | 1.1 | 1 | 学习宣传贯彻党的创新理论 | | 20;测评指标 | 1.1.1 | 1.1 | 理论学习常态化 | 材料审核 | 10;测评标准 | 1.1.1.1 | 1.1.1 | 建立党委(党组)理论学习中心组学习制度 | 材料审核 | 5",
)


def framework_template() -> bytes:
    """The empty workbook, with the rules on a third sheet."""
    return write_workbook(
        [
            Sheet(ENTRY_SHEET, ENTRY_HEADERS, []),
            Sheet(NEGATIVE_SHEET, NEGATIVE_HEADERS, []),
            Sheet(NOTES_SHEET, ("说明",), [(line,) for line in NOTES]),
        ]
    )


def framework_export(framework: Framework) -> bytes:
    """The edition in the import's own layout, parents before their children."""

    def entry_rows():
        for node in _walk(framework_tree(framework)):
            e = node.entry
            parent = node.parent_code
            yield (
                _WORD_OF_LEVEL[e.level],
                e.code,
                parent,
                e.name,
                _WORD_OF_METHOD.get(e.method, ""),
                number_cell(e.points),
            )

    negatives = [
        (n.code, n.text, number_cell(n.penalty), _WORD_OF_SUBJECT.get(n.subject_level, "区县"))
        for n in framework.negatives.order_by("position", "id")
    ]
    return write_workbook(
        [
            Sheet(ENTRY_SHEET, ENTRY_HEADERS, entry_rows()),
            Sheet(NEGATIVE_SHEET, NEGATIVE_HEADERS, negatives),
            Sheet(NOTES_SHEET, ("说明",), [(line,) for line in NOTES]),
        ]
    )


# -- current edition ---------------------------------------------------------------------------
def framework_set_current(*, framework_id: int, actor: Actor) -> Framework:
    """Make this edition the one in force for its kind; the previous one steps down."""
    require(actor, CONFIGURE)
    with transaction.atomic():
        framework = Framework.objects.select_for_update().filter(pk=framework_id).first()
        if framework is None:
            raise ServiceError("测评体系不存在。", field="framework_id")
        if framework.is_current:
            return framework
        # Locking every edition of the kind keeps two admins from leaving two current.
        previous = list(
            Framework.objects.select_for_update()
            .filter(kind=framework.kind, is_current=True)
            .values_list("pk", "name")
        )
        Framework.objects.filter(kind=framework.kind, is_current=True).update(is_current=False)
        framework.is_current = True
        framework.save(update_fields=["is_current", "updated_at"])
        audit(
            actor=actor,
            action="evaluation.framework_set_current",
            obj=framework,
            summary=f"设 {framework} 为现行{framework.get_kind_display()}测评体系",
            data={"previous": [pk for pk, _ in previous]},
        )
    return framework
