"""Checks every service shares: the one text cleaner, the version check of an edited
row and the row lock that goes with it.

The one cleaner for text that people type or send in: every intake path (the API, Open311, the portal, imports, staff forms) passes free text
through ``clean_text``. Control characters never belong in a report: besides being
invisible, one of them in a description makes every XML document that carries it
invalid, so a single record could take the public feed down for everyone.
"""

from __future__ import annotations

import re

from .errors import ConflictError, ServiceError

# C0 controls other than tab and line breaks, DEL, the C1 block, lone surrogates and the
# two non-characters XML 1.0 forbids.
_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
# Where a field is a single line, line breaks and tabs become plain spaces.
_LINE_BREAKS = re.compile("[\t\n\r\u2028\u2029]+")


def strip_controls(value: str | None, *, multiline: bool = True) -> str:
    """``value`` without characters no report needs (and XML cannot carry)."""
    text = _CONTROLS.sub("", value or "")
    if not multiline:
        text = _LINE_BREAKS.sub(" ", text)
    return text


def clean_text(
    value,
    *,
    field: str,
    label: str,
    limit: int,
    required: bool = False,
    multiline: bool = True,
) -> str:
    """Free text as it is kept: controls removed, trimmed, required and at most
    ``limit`` characters, or a refusal naming the field in Chinese."""
    if value is not None and not isinstance(value, str):
        value = str(value)
    text = strip_controls(value, multiline=multiline).strip()
    if required and not text:
        raise ServiceError(f"请填写{label}。", field=field)
    if len(text) > limit:
        raise ServiceError(f"{label}不能超过 {limit} 个字。", field=field)
    return text


def check_version(row, version) -> None:
    """Refuses an edit made on an older copy of ``row`` than the one stored (its
    ``version`` field); ``version=None`` means the caller did not say, and passes."""
    if version is not None and int(version) != row.version:
        raise ConflictError("数据已被他人修改,请刷新后重试。")


def locked_row(queryset, pk, label: str):
    """The row ``pk`` of ``queryset``, locked for this transaction (its own table only,
    not the joined ones), or a refusal naming ``label``."""
    row = queryset.select_for_update(of=("self",)).filter(pk=pk).order_by("pk").first()
    if row is None:
        raise ServiceError(f"{label}不存在。")
    return row
