"""Reads of scoring schemes, and the small reads the other assessment selectors share."""

from __future__ import annotations

from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.http import Http404

from chuangwen.core import clock
from chuangwen.core.errors import ServiceError
from chuangwen.core.workcalendar import get_calendar

from ..choices import (
    SubjectType,
)
from ..models import Scheme, SchemeComponent


def board_size() -> int:
    """How many subjects the 红榜 and the 黑榜 each name (ASSESSMENT_BOARD_SIZE)."""
    return max(1, settings.ASSESSMENT_BOARD_SIZE)


def today():
    return clock.now().astimezone(get_calendar().tz).date()


def subject_type_checked(subject_type: str) -> str:
    if subject_type not in SubjectType.values:
        raise ServiceError("请选择考评对象类型。", field="subject_type")
    return subject_type


# -- schemes -------------------------------------------------------------------------------
def _components() -> Prefetch:
    return Prefetch("components", queryset=SchemeComponent.objects.order_by("position", "id"))


def scheme_list() -> QuerySet[Scheme]:
    """Every scheme version, the current ones first within each subject type."""
    return (
        Scheme.objects.select_related("created_by")
        .prefetch_related(_components())
        .order_by("subject_type", "-is_current", "-version")
    )


def scheme_get(scheme_id) -> Scheme:
    scheme = scheme_list().filter(pk=scheme_id).first() if str(scheme_id).isdigit() else None
    if scheme is None:
        raise Http404("考评方案不存在")
    return scheme


def current_scheme(subject_type: str) -> Scheme | None:
    return scheme_list().filter(subject_type=subject_type, is_current=True).first()
