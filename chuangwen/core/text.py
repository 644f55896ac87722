"""The one cleaner for text that people type or send in.

Every intake path (the API, Open311, the portal, imports, staff forms) passes free text
through ``clean_text``. Control characters never belong in a report: besides being
invisible, one of them in a description makes every XML document that carries it
invalid, so a single record could take the public feed down for everyone.
"""

from __future__ import annotations

import re

from .errors import ServiceError

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
