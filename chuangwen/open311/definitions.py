"""A category's extra fields as Open311 service attributes, and the values a report
gives them.

``Category.extra_fields`` is a list; each entry is one question asked when that 小类 is
reported::

    {"code": "depth", "label": "积水深度", "type": "number", "required": true,
     "help": "单位:厘米", "order": 1}
    {"code": "cover", "label": "井盖类型", "type": "choice",
     "choices": [{"key": "rain", "label": "雨水井"}, "污水井"]}

``code``: letters, digits and ``_``, starting with a letter (what a client submits as
``attribute[code]`` and the key under which ``case.extra`` keeps the value); ``label``:
the question; ``type``: string (one line), text (several lines), number, datetime,
choice or multichoice (the Open311 names singlevaluelist and multivaluelist also do);
``choices`` (choice types only): ``{"key", "label"}`` objects or plain strings; optional
``required`` (false), ``help``, ``order`` (1 first; the list order otherwise) and
``variable`` (false for an entry that only informs and takes no value).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from chuangwen.catalog.choices import Datatype
from chuangwen.catalog.extra_fields import CODE, LIST_TYPES
from chuangwen.core.errors import ServiceError

from .w3c import format_datetime, parse_datetime

TYPES = {
    **{value: Datatype(value) for value in Datatype.values},
    "choice": Datatype.SINGLE,
    "multichoice": Datatype.MULTI,
}
MAX_LENGTH = {Datatype.STRING: 200, Datatype.TEXT: 2000}


@dataclass(frozen=True)
class Attribute:
    code: str
    label: str
    datatype: str
    required: bool
    variable: bool
    help: str
    order: int
    values: tuple[tuple[str, str], ...]

    @property
    def datatype_description(self) -> str:
        if self.help:
            return self.help
        return {
            Datatype.STRING: _("一行文字,不超过 200 字"),
            Datatype.TEXT: _("文字,不超过 2000 字"),
            Datatype.NUMBER: _("数字,如 12 或 3.5"),
            Datatype.DATETIME: _("W3C 日期时间,如 2026-11-25T10:00:00+08:00"),
            Datatype.SINGLE: _("从所列选项中选一项,提交选项的 key"),
            Datatype.MULTI: _("从所列选项中选一项或多项,提交各选项的 key"),
        }[self.datatype]


class DefinitionError(ServiceError):
    """The catalogue's definition is wrong, not the client's request."""

    status_code = 500


def _bad(index: int, message: str) -> ServiceError:
    return DefinitionError(
        _("附加字段第 %(n)s 项:%(message)s") % {"n": index, "message": message},
        field="extra_fields",
    )


def _choices(entry: dict, index: int) -> tuple[tuple[str, str], ...]:
    raw = entry.get("choices")
    if not isinstance(raw, list) or not raw:
        raise _bad(index, _("单选、多选字段须列出选项 choices。"))
    values: list[tuple[str, str]] = []
    for choice in raw:
        if isinstance(choice, str):
            key = label = choice.strip()
        elif isinstance(choice, dict):
            key = str(choice.get("key") or "").strip()
            label = str(choice.get("label") or key).strip()
        else:
            key = label = ""
        if not key:
            raise _bad(index, _("每个选项须有 key(或是一段文字)。"))
        if any(key == seen for seen, _label in values):
            raise _bad(index, _("选项 key“%(key)s”重复。") % {"key": key})
        values.append((key, label))
    return tuple(values)


def attributes_of(extra_fields) -> tuple[Attribute, ...]:
    """The attributes, in the order a client shows them; a malformed definition is
    refused with the entry it is in."""
    if not extra_fields:
        return ()
    if not isinstance(extra_fields, list):
        raise DefinitionError(_("附加字段须是一个列表。"), field="extra_fields")
    attributes: list[Attribute] = []
    for index, entry in enumerate(extra_fields, start=1):
        if not isinstance(entry, dict):
            raise _bad(index, _("每一项须是一个对象。"))
        code = str(entry.get("code") or "").strip()
        if not CODE.fullmatch(code):
            raise _bad(
                index,
                _("编码“%(code)s”无效:须以字母开头,只含字母、数字和下划线,不超过 40 个字符。")
                % {"code": code},
            )
        if any(a.code == code for a in attributes):
            raise _bad(index, _("编码“%(code)s”重复。") % {"code": code})
        label = str(entry.get("label") or "").strip()
        if not label:
            raise _bad(index, _("请填写字段名称 label。"))
        datatype = TYPES.get(str(entry.get("type") or "").strip())
        if datatype is None:
            raise _bad(
                index,
                _("未知的字段类型“%(type)s”:应为 %(types)s 之一。")
                % {"type": entry.get("type"), "types": "、".join(TYPES)},
            )
        order = entry.get("order", index)
        if not isinstance(order, int) or isinstance(order, bool) or order < 1:
            raise _bad(index, _("排序 order 须是正整数。"))
        attributes.append(
            Attribute(
                code=code,
                label=label,
                datatype=datatype,
                required=entry.get("required") is True,
                variable=entry.get("variable", True) is not False,
                help=str(entry.get("help") or "").strip(),
                order=order,
                values=_choices(entry, index) if datatype in LIST_TYPES else (),
            )
        )
    return tuple(sorted(attributes, key=lambda a: a.order))


def _value(attribute: Attribute, values: list[str]):
    name = f"attribute[{attribute.code}]"
    if attribute.datatype != Datatype.MULTI and len(values) > 1:
        raise ServiceError(
            _("%(name)s(%(label)s)只能填写一个值。") % {"name": name, "label": attribute.label},
            field=name,
        )
    if attribute.datatype in LIST_TYPES:
        keys = dict(attribute.values)
        unknown = [v for v in values if v not in keys]
        if unknown:
            raise ServiceError(
                _("%(name)s(%(label)s)的值“%(value)s”不在选项中,可选:%(keys)s。")
                % {
                    "name": name,
                    "label": attribute.label,
                    "value": unknown[0][:40],
                    "keys": "、".join(keys),
                },
                field=name,
            )
        chosen = list(dict.fromkeys(values))
        return chosen if attribute.datatype == Datatype.MULTI else chosen[0]
    text = values[0]
    if attribute.datatype == Datatype.NUMBER:
        try:
            number = Decimal(text)
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite():
            raise ServiceError(
                _("%(name)s(%(label)s)须为数字,收到“%(value)s”。")
                % {"name": name, "label": attribute.label, "value": text[:40]},
                field=name,
            )
        return int(number) if number == number.to_integral_value() else float(number)
    if attribute.datatype == Datatype.DATETIME:
        return format_datetime(parse_datetime(text, name=name))
    limit = MAX_LENGTH[attribute.datatype]
    if len(text) > limit:
        raise ServiceError(
            _("%(name)s(%(label)s)不能超过 %(limit)s 个字。")
            % {"name": name, "label": attribute.label, "limit": limit},
            field=name,
        )
    return text


def clean_attribute_values(
    attributes: tuple[Attribute, ...], submitted: dict[str, list[str]], *, service_code: str
) -> dict:
    """The values to keep in ``case.extra``, checked against the service definition."""
    known = {a.code: a for a in attributes}
    for code in submitted:
        attribute = known.get(code)
        if attribute is None:
            raise ServiceError(
                _("服务 %(service)s 没有附加字段“%(code)s”。")
                % {"service": service_code, "code": code},
                field=f"attribute[{code}]",
            )
        if not attribute.variable:
            raise ServiceError(
                _("附加字段“%(code)s”仅作说明,不接受填写。") % {"code": code},
                field=f"attribute[{code}]",
            )
    cleaned = {}
    for attribute in attributes:
        values = [v.strip() for v in submitted.get(attribute.code, []) if v and v.strip()]
        if not values:
            if attribute.required and attribute.variable:
                raise ServiceError(
                    _("缺少必填的附加字段 attribute[%(code)s](%(label)s)。")
                    % {"code": attribute.code, "label": attribute.label},
                    field=f"attribute[{attribute.code}]",
                )
            continue
        cleaned[attribute.code] = _value(attribute, values)
    return cleaned
