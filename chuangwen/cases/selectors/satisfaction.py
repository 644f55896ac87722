"""Callback ratings and reopen requests: the satisfaction figures and the review queue."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from ..choices import ReopenRequestStatus, Satisfaction
from ..models import CaseRating, ReopenRequest

SATISFACTION_GROUPS = {
    "unit": ("unit_id", "unit__name"),
    "category": ("category_id", "category__name"),
}


@dataclass
class SatisfactionRow:
    key: int | None
    name: str
    rated: int = 0
    satisfied: int = 0
    basic: int = 0
    dissatisfied: int = 0
    reopen_requests: int = 0
    reopened: int = 0

    @property
    def rate(self) -> float | None:
        """回访满意率: 满意 and 基本满意 over all ratings."""
        return (self.satisfied + self.basic) / self.rated if self.rated else None


def satisfaction_stats(
    *, user, by: str = "unit", since: datetime | None = None, until: datetime | None = None
) -> list[SatisfactionRow]:
    """Ratings and reopen requests per unit or per category, within the user's scope."""
    if by not in SATISFACTION_GROUPS:
        raise ValueError(by)
    key, name = SATISFACTION_GROUPS[by]
    ratings = CaseRating.objects.scoped_for(user)
    requests = ReopenRequest.objects.scoped_for(user)
    if since:
        ratings = ratings.filter(created_at__gte=since)
        requests = requests.filter(requested_at__gte=since)
    if until:
        ratings = ratings.filter(created_at__lt=until)
        requests = requests.filter(requested_at__lt=until)
    rows: dict = {}

    def row(pk, label):
        return rows.setdefault(pk, SatisfactionRow(pk, label or _("未派遣")))

    counted = ratings.values(key, name).annotate(
        rated=Count("pk"),
        satisfied=Count("pk", filter=Q(rating=Satisfaction.SATISFIED)),
        basic=Count("pk", filter=Q(rating=Satisfaction.BASIC)),
        dissatisfied=Count("pk", filter=Q(rating=Satisfaction.DISSATISFIED)),
    )
    for item in counted.order_by():
        r = row(item[key], item[name])
        r.rated, r.satisfied = item["rated"], item["satisfied"]
        r.basic, r.dissatisfied = item["basic"], item["dissatisfied"]
    target_key, target_name = f"target__{key}", f"target__{name}"
    if by == "unit":  # reopening takes the unit off the case: count the one that handled it
        target_key, target_name = "target__suggested_unit_id", "target__suggested_unit__name"
    asked = requests.values(target_key, target_name).annotate(
        asked=Count("pk"),
        approved=Count("pk", filter=Q(status=ReopenRequestStatus.APPROVED)),
    )
    for item in asked.order_by():
        r = row(item[target_key], item[target_name])
        r.reopen_requests, r.reopened = item["asked"], item["approved"]
    return sorted(rows.values(), key=lambda r: (-(r.rated), r.name))


def reopen_requests(*, user, pending_only: bool = False) -> QuerySet[ReopenRequest]:
    qs = ReopenRequest.objects.scoped_for(user).select_related(
        "case", "target__category", "target__suggested_unit", "decided_by"
    )
    if pending_only:
        qs = qs.filter(status=ReopenRequestStatus.PENDING)
    return qs
