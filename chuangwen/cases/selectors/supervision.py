"""Supervision orders and accountability records as a reader sees them."""

from __future__ import annotations

from django.db.models import QuerySet

from ..choices import SupervisionStatus
from ..models import Accountability, Supervision


def supervision_list(*, user, open_only: bool = False) -> QuerySet[Supervision]:
    qs = Supervision.objects.scoped_for(user).select_related("case", "unit", "superior_unit")
    return qs.filter(status=SupervisionStatus.OPEN) if open_only else qs


def accountability_list(*, user) -> QuerySet[Accountability]:
    return Accountability.objects.scoped_for(user).select_related("unit", "case", "decided_by")
