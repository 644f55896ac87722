"""Small checks the assessment's writes share."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from chuangwen.core.errors import ServiceError
from chuangwen.core.types import Actor
from chuangwen.org.choices import UnitKind
from chuangwen.org.models import Unit

from ..choices import (
    SubjectType,
)


# -- helpers -------------------------------------------------------------------------------
def _actor(actor: Actor):
    return actor if getattr(actor, "pk", None) else None


def _decimal(value, *, field: str, label: str, places: int = 2) -> Decimal:
    if isinstance(value, float):
        value = str(value)
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError, TypeError):
        raise ServiceError(f"{label}须为数字。", field=field) from None
    if not number.is_finite():
        raise ServiceError(f"{label}须为数字。", field=field)
    if number != number.quantize(Decimal(1).scaleb(-places)):
        raise ServiceError(f"{label}最多保留 {places} 位小数。", field=field)
    return number.quantize(Decimal(1).scaleb(-places))


def _subject_type(value) -> str:
    if value not in SubjectType.values:
        raise ServiceError("请选择考评对象类型。", field="subject_type")
    return value


def _office_units() -> list[Unit]:
    return list(Unit.objects.filter(kind=UnitKind.CITY_OFFICE, is_active=True))
