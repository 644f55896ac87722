"""The cases part of the worker: the overdue sweep runs without anyone opening a page."""

from datetime import datetime, timedelta

from django.conf import settings

from chuangwen.core.outbox import scheduled

from .services import supervise_overdue


@scheduled("cases.supervise_overdue", every=timedelta(seconds=settings.CASE_SUPERVISE_SECONDS))
def sweep(now: datetime) -> None:
    supervise_overdue(now=now)
