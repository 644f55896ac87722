"""Input checks the evaluation services share: a clear Chinese refusal naming the field."""

from __future__ import annotations

import math

from chuangwen.core.errors import ServiceError
from chuangwen.core.validation import clean_text

__all__ = ["clean_float", "clean_text"]


def clean_float(value, *, field: str, label: str) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ServiceError(f"{label}必须是数字。", field=field) from None
    if not math.isfinite(number):
        raise ServiceError(f"{label}必须是数字。", field=field)
    return number
