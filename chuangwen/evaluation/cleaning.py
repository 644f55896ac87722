"""Input checks the evaluation services share: a clear Chinese refusal naming the field."""

from __future__ import annotations

import math

from chuangwen.core.errors import ServiceError


def clean_text(value, *, field: str, label: str, limit: int, required: bool = False) -> str:
    text = (value or "").strip() if isinstance(value, str) or value is None else str(value)
    if required and not text:
        raise ServiceError(f"请填写{label}。", field=field)
    if len(text) > limit:
        raise ServiceError(f"{label}不能超过 {limit} 个字。", field=field)
    return text


def clean_float(value, *, field: str, label: str) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ServiceError(f"{label}必须是数字。", field=field) from None
    if not math.isfinite(number):
        raise ServiceError(f"{label}必须是数字。", field=field)
    return number
