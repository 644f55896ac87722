"""The workbook's 附加字段 sheet: one row per extra field of a 小类, in the order clients
see them. On import, every 小类 the sheet names gets exactly the sheet's fields; a 小类
the sheet does not name keeps its own."""

from __future__ import annotations

import io
from collections import defaultdict

from django.utils import translation
from openpyxl import load_workbook

from chuangwen.core.errors import ServiceError
from chuangwen.core.xlsx import Column, Row, read_rows

from ..checks import clean_code
from ..choices import Datatype
from ..extra_fields import choices_text, clean_field, clean_fields, ordered, parse_choices_text
from ..models import Category

FIELDS_SHEET = "附加字段"
FIELD_HEADERS = ("小类编码", "字段编码", "字段名称", "字段类型", "必填", "填写说明", "选项")
YES, NO = "是", "否"
# At most this many of the sheet's bad rows are named in the refusal.
SHOWN_ERRORS = 10


def _yes_no(value) -> bool:
    word = str(value).strip().lower()
    if word in (YES, "y", "yes", "true", "1", "必填"):
        return True
    if word in (NO, "n", "no", "false", "0", "选填"):
        return False
    raise ServiceError(f"应填“{YES}”或“{NO}”(“{word}”)。")


def _text(value) -> str:
    return "" if value is None else str(value)


FIELD_COLUMNS = (
    Column("minor_code", "小类编码", parse=lambda v: clean_code(_text(v))),
    Column("code", "字段编码", parse=lambda v: _text(v).strip()),
    Column("label", "字段名称", parse=_text),
    Column("type", "字段类型", parse=_text),
    Column("required", "必填", required=False, parse=_yes_no),
    Column("help", "填写说明", required=False, parse=_text),
    Column("choices", "选项", required=False, parse=_text),
)


def _type_words() -> dict[str, str]:
    with translation.override("zh-hans"):
        return {key: str(label) for key, label in Datatype.choices}


def _has_fields_sheet(upload) -> bool:
    name = str(getattr(upload, "name", "") or "").lower()
    if not name.endswith((".xlsx", ".xlsm")):
        return False
    upload.seek(0)
    try:
        book = load_workbook(io.BytesIO(upload.read()), read_only=True)
    except Exception:  # the main sheet was read already: a file it read is a workbook
        return False
    try:
        return FIELDS_SHEET in book.sheetnames
    finally:
        book.close()


def _entry(row: Row) -> dict:
    v = row.values
    labels = {label: key for key, label in _type_words().items()}
    word = (v["type"] or "").strip()
    return {
        "code": v["code"],
        "label": v["label"],
        "type": labels.get(word, word),
        "required": bool(v["required"]),
        "help": v["help"] or "",
        "choices": parse_choices_text(v["choices"]),
    }


def read_fields(upload, *, known_minors: set[str]) -> dict[str, list[dict]]:
    """小类 code → its fields as the sheet gives them (checked), or {} without the sheet.
    A bad row refuses the whole import: half a question list is worse than the old one."""
    if not _has_fields_sheet(upload):
        return {}
    rows = read_rows(upload, columns=FIELD_COLUMNS)
    grouped: dict[str, list[dict]] = defaultdict(list)
    seen: dict[tuple[str, str], int] = {}
    for row in rows:
        if not row.ok:
            continue
        code = row.values["minor_code"]
        if code not in known_minors:
            row.add_error(f"小类 {code} 不存在。", header="小类编码")
            continue
        try:
            entry = clean_field(_entry(row))
        except ServiceError as exc:
            header = {"code": "字段编码", "label": "字段名称", "type": "字段类型"}
            row.add_error(exc.message, header=header.get(exc.field, "选项"))
            continue
        first = seen.setdefault((code, entry["code"]), row.number)
        if first != row.number:
            row.add_error(f"与第 {first} 行重复。", header="字段编码")
            continue
        grouped[code].append(entry)
    bad = [row for row in rows if not row.ok]
    if bad:
        lines = [f"第 {row.number} 行:{';'.join(row.errors)}" for row in bad[:SHOWN_ERRORS]]
        more = f"(另有 {len(bad) - SHOWN_ERRORS} 行有错误)" if len(bad) > SHOWN_ERRORS else ""
        raise ServiceError(
            f"“{FIELDS_SHEET}”表有 {len(bad)} 行错误,未导入任何内容:" + " ".join(lines) + more,
            field="file",
        )
    for code, entries in grouped.items():
        try:
            grouped[code] = clean_fields(entries)
        except ServiceError as exc:
            raise ServiceError(
                f"“{FIELDS_SHEET}”表中小类 {code}:{exc.message}", field="file"
            ) from None
    return dict(grouped)


def apply_fields(fields: dict[str, list[dict]], categories: dict[str, Category]) -> int:
    """Save each named 小类's fields; returns how many 小类 changed."""
    missing = [code for code in fields if code not in categories]
    if missing:
        categories.update(
            {c.code: c for c in Category.objects.select_for_update().filter(code__in=missing)}
        )
    changed = 0
    for code, entries in fields.items():
        category = categories[code]
        if category.extra_fields != entries:
            category.extra_fields = entries
            category.save(update_fields=["extra_fields", "updated_at"])
            changed += 1
    return changed


def export_rows():
    types = _type_words()
    minors = Category.objects.filter(
        is_active=True, parent__isnull=False, parent__is_active=True
    ).order_by("code")
    for minor in minors:
        for entry in ordered(minor.extra_fields):
            yield (
                minor.code,
                entry.get("code", ""),
                entry.get("label", ""),
                types.get(entry.get("type"), entry.get("type", "")),
                YES if entry.get("required") else NO,
                entry.get("help", ""),
                choices_text(entry.get("choices"), separator=";"),
            )


def template_notes() -> list[tuple[str]]:
    return [
        (
            f"“{FIELDS_SHEET}”表(选填):每行一个附加字段,即上报该小类时要回答的问题,按行的先后排序。"
            "表中列出的小类,其附加字段整体替换为表中各行;未列出的小类保持不变。",
        ),
        (f"字段类型:{'、'.join(_type_words().values())}。必填:{YES} 或 {NO}。",),
        (
            "选项:单选、多选字段必填,写作“编码=名称”,多个选项用“;”分隔,如 rain=雨水井;sewage=污水井。",
        ),
    ]
