"""Housekeeping jobs of the core app, run by the worker."""

from datetime import datetime, timedelta

from django.conf import settings

from .models import OutboxMessage, OutboxStatus
from .outbox import scheduled


@scheduled("core.prune_delivered_outbox", every=timedelta(hours=6))
def prune_delivered_outbox(now: datetime) -> int:
    cutoff = now - timedelta(days=settings.OUTBOX_RETENTION_DAYS)
    deleted, _ = OutboxMessage.objects.filter(
        status=OutboxStatus.DELIVERED, delivered_at__lt=cutoff
    ).delete()
    return deleted
