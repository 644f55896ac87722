"""Writes of a 小类's extra fields (its Open311 attributes), edited one at a time on the
catalogue's pages: each locks the 小类, refuses an edit made on an older list, checks the
whole list and is audited."""

from __future__ import annotations

from django.db import transaction

from chuangwen.core.audit import audit
from chuangwen.core.errors import ConflictError, ServiceError
from chuangwen.core.scoping import CONFIGURE, require
from chuangwen.core.types import Actor

from ..extra_fields import clean_field, clean_fields, fields_version, ordered
from ..models import Category


def _write_fields(*, category: Category, actor: Actor, version: str | None, change, summary: str):
    """Lock the 小类, refuse an edit made on an older list, apply ``change`` (old list →
    new list), check the result whole, save and audit."""
    require(actor, CONFIGURE)
    with transaction.atomic():
        category = Category.objects.select_for_update().get(pk=category.pk)
        if category.parent_id is None:
            raise ServiceError("附加字段只能设在小类上。", field="category")
        if version is not None and version != fields_version(category.extra_fields):
            raise ConflictError("数据已被他人修改,请刷新后重试。")
        before = ordered(category.extra_fields)
        after = clean_fields(change([dict(entry) for entry in before]))
        category.extra_fields = after
        category.save(update_fields=["extra_fields", "updated_at"])
        audit(
            actor=actor,
            action="catalog.category_fields_update",
            obj=category,
            summary=f"修改小类 {category.code} {category.name} 的附加字段:{summary}",
            data={"before": before, "after": after},
        )
    return category


def _index_of(fields: list[dict], code: str) -> int:
    for index, entry in enumerate(fields):
        if entry.get("code") == code:
            return index
    raise ServiceError(f"附加字段“{code}”不存在,可能已被他人删除,请刷新后重试。")


def category_field_save(
    *,
    category: Category,
    field: dict,
    actor: Actor,
    code: str | None = None,
    version: str | None = None,
) -> Category:
    """Add ``field`` at the end (``code`` None) or replace the field ``code`` with it."""
    entry = clean_field(field)

    def change(fields: list[dict]) -> list[dict]:
        if code is None:
            return [*fields, entry]
        index = _index_of(fields, code)
        return [*fields[:index], {**entry, "order": index + 1}, *fields[index + 1 :]]

    verb = "新增" if code is None else "修改"
    return _write_fields(
        category=category,
        actor=actor,
        version=version,
        change=change,
        summary=f"{verb} {entry['code']} {entry['label']}",
    )


def category_field_move(
    *, category: Category, code: str, step: int, actor: Actor, version: str | None = None
) -> Category:
    """Move the field ``code`` one place up (``step`` -1) or down (+1)."""
    if step not in (-1, 1):
        raise ServiceError("只能上移或下移一位。")

    def change(fields: list[dict]) -> list[dict]:
        index = _index_of(fields, code)
        target = index + step
        if 0 <= target < len(fields):
            fields[index], fields[target] = fields[target], fields[index]
        return fields

    return _write_fields(
        category=category,
        actor=actor,
        version=version,
        change=change,
        summary=f"{'上移' if step < 0 else '下移'} {code}",
    )


def category_field_delete(
    *, category: Category, code: str, actor: Actor, version: str | None = None
) -> Category:
    def change(fields: list[dict]) -> list[dict]:
        index = _index_of(fields, code)
        return fields[:index] + fields[index + 1 :]

    return _write_fields(
        category=category, actor=actor, version=version, change=change, summary=f"删除 {code}"
    )
