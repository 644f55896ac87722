"""A 小类's extra fields (附加字段): the questions a report of that 小类 answers, which
Open311 serves as the service's attributes (``chuangwen.open311.definitions`` reads them).

Each entry of ``Category.extra_fields`` is kept as::

    {"code": "cover", "label": "井盖类型", "type": "singlevaluelist", "required": true,
     "help": "看井盖上的字", "order": 1, "choices": [{"key": "rain", "label": "雨水井"}]}

The checks here hold every entry the office writes, on the pages and in the workbook, to
what Open311 can serve: a bad definition is refused when it is written, not when a
client asks for it.
"""

from __future__ import annotations

import hashlib
import json
import re

from chuangwen.core.errors import ServiceError
from chuangwen.core.validation import clean_text

from .choices import Datatype

# What a client submits as attribute[code]: Open311's reader wants a leading letter.
CODE = re.compile(r"[A-Za-z][A-Za-z0-9_]{0,39}")
# An option's key: what a client submits; it may be Chinese, but not the separators the
# pages and the workbook write options with.
KEY = re.compile(r"[^\s=;；＝]{1,40}")
LIST_TYPES = (Datatype.SINGLE, Datatype.MULTI)
MAX_FIELDS = 30
MAX_CHOICES = 50
LABEL_LIMIT = 60
HELP_LIMIT = 200
CHOICE_LIMIT = 60


def _type(value) -> str:
    word = str(value or "").strip()
    if word in Datatype.values:
        return word
    labels = {str(label): key for key, label in Datatype.choices}
    if word in labels:
        return labels[word]
    raise ServiceError(
        f"未知的字段类型“{word}”,应为 {'、'.join(str(label) for _k, label in Datatype.choices)} 之一。",
        field="type",
    )


def clean_choices(raw) -> list[dict]:
    """Options as ``{"key", "label"}``; a plain string is both key and label."""
    if not isinstance(raw, list):
        raise ServiceError("选项格式不正确。", field="choices")
    if len(raw) > MAX_CHOICES:
        raise ServiceError(f"选项不能超过 {MAX_CHOICES} 个。", field="choices")
    choices: list[dict] = []
    for entry in raw:
        if isinstance(entry, dict):
            key, label = entry.get("key"), entry.get("label") or entry.get("name")
        else:
            key, label = entry, None
        key = str(key or "").strip()
        if not KEY.fullmatch(key):
            raise ServiceError(
                f"选项编码“{key[:40]}”无效:须为 1–40 个字符,不能含空格、“=”或“;”。",
                field="choices",
            )
        if any(choice["key"] == key for choice in choices):
            raise ServiceError(f"选项编码“{key}”重复。", field="choices")
        label = clean_text(
            label or key,
            field="choices",
            label="选项名称",
            limit=CHOICE_LIMIT,
            required=True,
            multiline=False,
        )
        choices.append({"key": key, "label": label})
    return choices


def clean_field(entry: dict) -> dict:
    """One field as it is kept, or a refusal naming what is wrong with it."""
    code = str(entry.get("code") or "").strip()
    if not CODE.fullmatch(code):
        raise ServiceError(
            f"字段编码“{code[:40]}”无效:须以字母开头,只含字母、数字和下划线,不超过 40 个字符。",
            field="code",
        )
    label = clean_text(
        entry.get("label"),
        field="label",
        label="字段名称",
        limit=LABEL_LIMIT,
        required=True,
        multiline=False,
    )
    datatype = _type(entry.get("type"))
    help_text = clean_text(
        entry.get("help"),
        field="help",
        label="填写说明",
        limit=HELP_LIMIT,
        required=False,
        multiline=False,
    )
    field = {
        "code": code,
        "label": label,
        "type": datatype,
        "required": entry.get("required") is True,
        "help": help_text,
    }
    if entry.get("variable") is False:
        field["variable"] = False
    if datatype in LIST_TYPES:
        choices = clean_choices(entry.get("choices") or [])
        if not choices:
            raise ServiceError("单选、多选字段至少要有一个选项。", field="choices")
        field["choices"] = choices
    return field


def clean_fields(entries) -> list[dict]:
    """A whole list, in the order given (``order`` is renumbered 1, 2, …): each field
    checked, codes unique."""
    if not isinstance(entries, list):
        raise ServiceError("附加字段须是一个列表。", field="extra_fields")
    if len(entries) > MAX_FIELDS:
        raise ServiceError(f"一个小类最多 {MAX_FIELDS} 个附加字段。", field="extra_fields")
    fields: list[dict] = []
    for position, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict):
            raise ServiceError(f"附加字段第 {position} 项格式不正确。", field="extra_fields")
        field = clean_field(entry)
        if any(f["code"] == field["code"] for f in fields):
            raise ServiceError(f"字段编码“{field['code']}”已存在。", field="code")
        fields.append({**field, "order": position})
    return fields


def ordered(extra_fields) -> list[dict]:
    """The stored list in the order clients see it (``order``, then list position)."""
    entries = [e for e in (extra_fields or []) if isinstance(e, dict)]
    indexed = list(enumerate(entries, start=1))
    indexed.sort(key=lambda pair: (_order(pair[1], pair[0]), pair[0]))
    return [entry for _i, entry in indexed]


def _order(entry: dict, default: int) -> int:
    order = entry.get("order", default)
    return order if isinstance(order, int) and not isinstance(order, bool) else default


def fields_version(extra_fields) -> str:
    """A short fingerprint of the stored list: a page sends back the one it was drawn
    from, and an edit made on an older list is refused."""
    text = json.dumps(extra_fields or [], ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


# -- options as one line of text (the pages' text box and the workbook's cell) --------------
def choices_text(choices, *, separator: str = "\n") -> str:
    lines = []
    for choice in choices or []:
        if isinstance(choice, dict):
            key, label = str(choice.get("key") or ""), str(choice.get("label") or "")
        else:
            key = label = str(choice)
        lines.append(key if label in ("", key) else f"{key}={label}")
    return separator.join(lines)


def parse_choices_text(text) -> list[dict]:
    """``key=名称`` per line (or separated by “;”); a line without “=” is both."""
    parts = re.split(r"[\n;；]", str(text or ""))
    choices = []
    for part in parts:
        part = part.strip()
        if not part:
            continue
        pair = re.fullmatch(r"([^=＝]*)[=＝](.*)", part)
        key, label = (pair.group(1).strip(), pair.group(2).strip()) if pair else (part, "")
        choices.append({"key": key, "label": label or key})
    return choices
