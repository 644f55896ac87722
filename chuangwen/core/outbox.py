"""Delivery of outbox messages and scheduled jobs, both run by ``manage.py worker``.

A message goes out in three steps, so that nothing slow happens inside a transaction:

1. *claim*: a short transaction marks the row as being sent, counts the attempt and gives
   the claim a token and a lease (``OUTBOX_LEASE_SECONDS``). On PostgreSQL the row is
   picked with ``FOR UPDATE SKIP LOCKED``, so several workers claim side by side and never
   the same row; SQLite serialises writers anyway.
2. *send*: the topic's handlers run outside any transaction. Mail, SMS and the 企业微信
   robot may take seconds; inside a transaction they would hold row locks, and on SQLite
   the only write lock, stalling every web write meanwhile.
3. *record*: a short transaction, fenced by the claim's token, marks the message
   delivered, or schedules the next attempt with exponential back-off, or after
   ``OUTBOX_MAX_ATTEMPTS`` leaves it as a dead letter for the office to look at (and
   retry, ``core.services.outbox_message_retry``).

A worker that dies between claim and record leaves the row to the next worker once the
lease has run out. The far side may then see the message twice, which is why every
message carries a stable idempotency key (``OutboxMessage.key``) that handlers pass on
to the gateways (a handler taking a keyword argument ``key`` receives it).

Handlers that only write to this database say ``atomic=True``: they run inside the
record's transaction, so their writes and the delivery commit together, exactly once.
"""

from __future__ import annotations

import inspect
import logging
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import InterfaceError, OperationalError, connections, transaction
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules

from .models import JobRun, OutboxMessage, OutboxStatus

log = logging.getLogger(__name__)

# Errors that say the database connection is gone or busy, not that a handler is wrong.
CONNECTION_ERRORS = (OperationalError, InterfaceError)
ERROR_CHARS = 2000


@dataclass(frozen=True)
class Handler:
    func: Callable[..., None]
    atomic: bool
    takes_key: bool

    def __call__(self, payload: dict[str, Any], key: str) -> None:
        if self.takes_key:
            self.func(payload, key=key)
        else:
            self.func(payload)


@dataclass(frozen=True)
class Job:
    name: str
    every: timedelta
    run: Callable[[datetime], Any]


_handlers: dict[str, list[Handler]] = {}
_labels: dict[str, str] = {}
_jobs: dict[str, Job] = {}


def handles(topic: str, *, atomic: bool = False, label: str | None = None):
    """Register a handler for ``topic``.

    ``atomic=False`` (the default) is for handlers that talk to the outside world: they
    run outside any transaction and may run again after a crash, so they pass ``key`` on
    to the far side. ``atomic=True`` is for handlers that only write to this database.
    ``label`` names the topic for the office (the dead-letter page)."""

    def register(func: Callable[..., None]) -> Callable[..., None]:
        takes_key = "key" in inspect.signature(func).parameters
        handler = Handler(func=func, atomic=atomic, takes_key=takes_key)
        registered = _handlers.setdefault(topic, [])
        if any(h.atomic != atomic for h in registered):
            # One topic, one delivery mode: otherwise a failure of the atomic part would
            # send the outside part again.
            raise ImproperlyConfigured(f"outbox topic {topic!r} mixes atomic and plain handlers")
        if all(h.func is not func for h in registered):
            registered.append(handler)
        if label:
            _labels[topic] = label
        return func

    return register


def handled_topics() -> set[str]:
    """The topics some handler delivers (after ``discover()``): an outbox row of any
    other topic would only ever be marked delivered."""
    return set(_handlers)


def topic_label(topic: str) -> str:
    return str(_labels.get(topic, topic))


def scheduled(name: str, *, every: timedelta) -> Callable[[Callable], Callable]:
    def register(func: Callable[[datetime], Any]) -> Callable[[datetime], Any]:
        _jobs[name] = Job(name=name, every=every, run=func)
        return func

    return register


def discover() -> None:
    """Import every app's ``handlers`` module so its topics and jobs are registered."""
    autodiscover_modules("handlers")


def _locked(queryset):
    if transaction.get_connection().features.has_select_for_update_skip_locked:
        return queryset.select_for_update(skip_locked=True)
    return queryset


def retry_delay(attempts: int) -> timedelta:
    """How long a message waits after its ``attempts``-th failed attempt: the base delay,
    doubled with every further failure, up to the maximum."""
    base = settings.OUTBOX_RETRY_BASE_SECONDS
    seconds = base * 2 ** max(0, attempts - 1)
    return timedelta(seconds=min(settings.OUTBOX_RETRY_MAX_SECONDS, seconds))


def reset_connections() -> None:
    """Drop this thread's database connections; the next query opens a fresh one."""
    for conn in connections.all(initialized_only=True):
        try:
            conn.close()
        except Exception:  # a broken connection may fail even to close; it is gone anyway
            log.debug("closing a broken database connection failed", exc_info=True)


@dataclass(frozen=True)
class Claim:
    pk: int
    topic: str
    payload: dict[str, Any]
    key: str
    attempts: int
    token: str


def _error_text(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"[:ERROR_CHARS]


def _claim(moment: datetime) -> Claim | bool | None:
    """The next due message, claimed; None when there is none; False when the due row
    was a message whose worker stopped mid-delivery once too often (now a dead letter)."""
    with transaction.atomic():
        message = (
            _locked(
                OutboxMessage.objects.filter(
                    status__in=(OutboxStatus.PENDING, OutboxStatus.SENDING),
                    available_at__lte=moment,
                ).order_by("id")
            )
            .only("id", "topic", "payload", "attempts", "key", "status")
            .first()
        )
        if message is None:
            return None
        if (
            message.status == OutboxStatus.SENDING
            and message.attempts >= settings.OUTBOX_MAX_ATTEMPTS
        ):
            # Its lease ran out without a result, attempt after attempt: whatever it does
            # stops the worker, so it is not tried again without a person looking at it.
            OutboxMessage.objects.filter(pk=message.pk).update(
                status=OutboxStatus.FAILED,
                claim_token="",
                last_error="投递中断:发送期间工作进程停止,已达最大尝试次数。",
            )
            log.error("outbox message %s (%s) abandoned mid-delivery", message.pk, message.topic)
            return False
        token = secrets.token_hex(8)
        OutboxMessage.objects.filter(pk=message.pk).update(
            status=OutboxStatus.SENDING,
            attempts=message.attempts + 1,
            claim_token=token,
            last_attempt_at=moment,
            available_at=moment + timedelta(seconds=settings.OUTBOX_LEASE_SECONDS),
        )
    return Claim(
        pk=message.pk,
        topic=message.topic,
        payload=message.payload,
        key=str(message.key),
        attempts=message.attempts + 1,
        token=token,
    )


def _outcome_fields(claim: Claim, error: str | None, moment: datetime) -> dict[str, Any]:
    if error is None:
        return {
            "status": OutboxStatus.DELIVERED,
            "delivered_at": timezone.now(),
            "last_error": "",
        }
    if claim.attempts >= settings.OUTBOX_MAX_ATTEMPTS:
        return {"status": OutboxStatus.FAILED, "last_error": error}
    return {
        "status": OutboxStatus.PENDING,
        "available_at": moment + retry_delay(claim.attempts),
        "last_error": error,
    }


def _record(claim: Claim, error: str | None, moment: datetime) -> None:
    # Fenced by the token: a worker whose lease ran out (and whose message another worker
    # took over) does not overwrite the newer attempt. Running it twice (a reply lost
    # with the connection) changes nothing the second time.
    done = OutboxMessage.objects.filter(
        pk=claim.pk, claim_token=claim.token, status=OutboxStatus.SENDING
    ).update(**_outcome_fields(claim, error, moment))
    if not done:
        log.info("outbox message %s: result not recorded, the claim has moved on", claim.pk)


def _deliver_atomic(claim: Claim, handlers: list[Handler], moment: datetime) -> None:
    try:
        with transaction.atomic():
            current = (
                OutboxMessage.objects.select_for_update()
                .filter(pk=claim.pk, claim_token=claim.token, status=OutboxStatus.SENDING)
                .exists()
            )
            if not current:
                return
            for handler in handlers:
                handler(claim.payload, claim.key)
            _record(claim, None, moment)
    except CONNECTION_ERRORS:
        raise
    except Exception as exc:  # a handler failure must not stop the queue
        log.exception("outbox message %s (%s) failed", claim.pk, claim.topic)
        _record(claim, _error_text(exc), moment)


def _send(claim: Claim, handlers: list[Handler]) -> str | None:
    try:
        for handler in handlers:
            handler(claim.payload, claim.key)
    except Exception as exc:  # a handler failure must not stop the queue
        log.exception("outbox message %s (%s) failed", claim.pk, claim.topic)
        return _error_text(exc)
    return None


def _persistently(step: Callable[[], None], *, what: str) -> None:
    """Run ``step`` until the database takes it, for as long as the claim's lease lasts:
    a result already sent is worth waiting for a database restart to record."""
    deadline = time.monotonic() + settings.OUTBOX_LEASE_SECONDS
    delay = 0.5
    while True:
        try:
            step()
            return
        except CONNECTION_ERRORS as exc:
            if time.monotonic() + delay > deadline:
                raise
            log.warning("%s: database unavailable (%s), retrying in %.1fs", what, exc, delay)
            reset_connections()
            time.sleep(delay)
            delay = min(delay * 2, settings.WORKER_RECONNECT_MAX_SECONDS)


def deliver_pending(*, limit: int = 100, now: datetime | None = None) -> int:
    """Deliver up to ``limit`` due messages; returns how many were handled (either way)."""
    handled = 0
    while handled < limit:
        moment = now or timezone.now()
        claim = _claim(moment)
        if claim is None:
            break
        handled += 1
        if claim is False:
            continue
        handlers = _handlers.get(claim.topic, [])
        what = f"outbox message {claim.pk}"
        if any(h.atomic for h in handlers):
            _persistently(lambda c=claim, h=handlers, m=moment: _deliver_atomic(c, h, m), what=what)
        else:
            error = _send(claim, handlers)
            _persistently(lambda c=claim, e=error, m=moment: _record(c, e, m), what=what)
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
        except CONNECTION_ERRORS:
            raise  # the worker reconnects; the job's claim stands until its next interval
        except Exception as exc:
            log.exception("scheduled job %s failed", job.name)
            error = _error_text(exc)
        else:
            error = ""
        JobRun.objects.filter(pk=row.pk).update(last_finished_at=timezone.now(), last_error=error)
        ran.append(job.name)
    return ran
