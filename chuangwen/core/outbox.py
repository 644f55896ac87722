"""Delivery of outbox messages and scheduled jobs, both run by ``manage.py worker``.

Several workers may run at once: on PostgreSQL each claims rows with
``SELECT … FOR UPDATE SKIP LOCKED``; SQLite serialises writers anyway.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules

from .models import JobRun, OutboxMessage, OutboxStatus

log = logging.getLogger(__name__)

Handler = Callable[[dict[str, Any]], None]
_handlers: dict[str, list[Handler]] = {}


@dataclass(frozen=True)
class Job:
    name: str
    every: timedelta
    run: Callable[[datetime], Any]


_jobs: dict[str, Job] = {}


def handles(topic: str) -> Callable[[Handler], Handler]:
    def register(func: Handler) -> Handler:
        _handlers.setdefault(topic, [])
        if func not in _handlers[topic]:
            _handlers[topic].append(func)
        return func

    return register


def scheduled(name: str, *, every: timedelta) -> Callable[[Callable], Callable]:
    def register(func: Callable[[datetime], Any]) -> Callable[[datetime], Any]:
        _jobs[name] = Job(name=name, every=every, run=func)
        return func

    return register


def discover() -> None:
    """Import every app's ``handlers`` module so its topics and jobs are registered."""
    autodiscover_modules("handlers")


def _locked(queryset):
    if connection.features.has_select_for_update_skip_locked:
        return queryset.select_for_update(skip_locked=True)
    return queryset


def _backoff(attempts: int) -> timedelta:
    return timedelta(seconds=min(3600, 5 * 2 ** max(0, attempts - 1)))


def deliver_pending(*, limit: int = 100, now: datetime | None = None) -> int:
    """Deliver up to ``limit`` due messages; returns how many were handled (either way)."""
    handled = 0
    while handled < limit:
        moment = now or timezone.now()
        with transaction.atomic():
            message = (
                _locked(
                    OutboxMessage.objects.filter(
                        status=OutboxStatus.PENDING, available_at__lte=moment
                    ).order_by("id")
                )
                .only("id", "topic", "payload", "attempts")
                .first()
            )
            if message is None:
                break
            message.attempts += 1
            try:
                with transaction.atomic():
                    for func in _handlers.get(message.topic, []):
                        func(message.payload)
            except Exception as exc:  # a handler failure must not stop the queue
                log.exception("outbox message %s (%s) failed", message.pk, message.topic)
                message.last_error = f"{type(exc).__name__}: {exc}"[:2000]
                if message.attempts >= settings.OUTBOX_MAX_ATTEMPTS:
                    message.status = OutboxStatus.FAILED
                else:
                    message.available_at = moment + _backoff(message.attempts)
            else:
                message.status = OutboxStatus.DELIVERED
                message.delivered_at = timezone.now()
                message.last_error = ""
            message.save(
                update_fields=["attempts", "status", "available_at", "delivered_at", "last_error"]
            )
        handled += 1
    return handled


def run_due_jobs(*, now: datetime | None = None) -> list[str]:
    """Run every scheduled job whose interval has passed; returns the names that ran.

    A job is claimed in a short transaction (its row locked, the start stamped) and then
    run outside it, so its own writes commit as they go and a long run holds no locks
    that would block others; a second worker sees the fresh stamp and leaves the job to
    the first. A worker killed mid-run leaves the rest to the next interval.
    """
    ran = []
    for job in _jobs.values():
        moment = now or timezone.now()
        JobRun.objects.get_or_create(name=job.name)
        with transaction.atomic():
            row = _locked(JobRun.objects.filter(name=job.name)).first()
            if row is None:  # another worker is claiming it right now
                continue
            if row.last_started_at and row.last_started_at + job.every > moment:
                continue
            row.last_started_at = moment
            row.runs += 1
            row.save(update_fields=["last_started_at", "runs"])
        try:
            job.run(moment)
        except Exception as exc:
            log.exception("scheduled job %s failed", job.name)
            error = f"{type(exc).__name__}: {exc}"[:2000]
        else:
            error = ""
        JobRun.objects.filter(pk=row.pk).update(last_finished_at=timezone.now(), last_error=error)
        ran.append(job.name)
    return ran
