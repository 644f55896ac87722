"""The cases part of the worker: the overdue sweep runs without anyone opening a page, and
photos nobody attached are deleted after their retention period."""

from datetime import datetime, timedelta

from django.conf import settings

from chuangwen.core.outbox import scheduled

from .services import supervise_overdue
from .services.retention import photos_prune_unattached


@scheduled("cases.supervise_overdue", every=timedelta(seconds=settings.CASE_SUPERVISE_SECONDS))
def sweep(now: datetime) -> None:
    supervise_overdue(now=now)


@scheduled("cases.prune_unattached_photos", every=timedelta(hours=1))
def prune_unattached_photos(now: datetime) -> int:
    return photos_prune_unattached(now=now)
