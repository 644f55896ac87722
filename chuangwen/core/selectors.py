"""Reads of the core app's own records."""

from __future__ import annotations

from django.db.models import F, QuerySet

from .models import OutboxMessage, OutboxStatus
from .scoping import CONFIGURE, scope_for


def can_manage_outbox(user) -> bool:
    """Dead letters concern the whole installation: the city-wide configuration role."""
    return scope_for(user).for_action(CONFIGURE).citywide


def dead_letters(*, user) -> QuerySet[OutboxMessage]:
    """Messages that exhausted their attempts, newest first; nothing for anyone else."""
    if not can_manage_outbox(user):
        return OutboxMessage.objects.none()
    return OutboxMessage.objects.filter(status=OutboxStatus.FAILED).order_by(
        F("last_attempt_at").desc(nulls_last=True), "-id"
    )
