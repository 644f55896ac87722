"""The loop of ``manage.py worker``: deliver the outbox, run the due jobs, wait, again.

The worker is meant to run for months. A database restart, a failover or a dropped
network connection must not end it: a pass that fails for any reason is logged, the
connections are dropped, and the next pass starts after a growing pause (1 s, 2 s, 4 s …
up to ``WORKER_RECONNECT_MAX_SECONDS``) until the database answers again.
"""

from __future__ import annotations

import logging
import threading

from django.conf import settings
from django.db import close_old_connections

from . import outbox

log = logging.getLogger("chuangwen.worker")


def reconnect_delay(failures: int) -> float:
    """Seconds to wait after ``failures`` passes in a row have failed."""
    return min(settings.WORKER_RECONNECT_MAX_SECONDS, float(2 ** max(0, failures - 1)))


class Worker:
    def __init__(self, *, poll: float, stop: threading.Event | None = None):
        self.poll = poll
        self.stop = stop or threading.Event()
        self.failures = 0
        self.passes = 0

    def run_once(self) -> tuple[int, list[str]]:
        delivered = outbox.deliver_pending()
        jobs = outbox.run_due_jobs()
        if delivered or jobs:
            log.info("worker: delivered %d messages, ran jobs %s", delivered, jobs)
        return delivered, jobs

    def step(self) -> float:
        """One pass; returns how long to wait before the next."""
        self.passes += 1
        try:
            # A long-running process must not keep a broken or expired connection.
            close_old_connections()
            self.run_once()
        except outbox.CONNECTION_ERRORS as exc:
            self.failures += 1
            delay = reconnect_delay(self.failures)
            log.warning(
                "worker: database unavailable (%s: %s), reconnecting in %gs",
                type(exc).__name__,
                str(exc).strip()[:300],
                delay,
            )
        except Exception:
            self.failures += 1
            delay = reconnect_delay(self.failures)
            log.exception("worker: pass failed, next attempt in %gs", delay)
        else:
            if self.failures:
                log.info("worker: database reachable again after %d failed passes", self.failures)
            self.failures = 0
            return self.poll
        outbox.reset_connections()
        return delay

    def run(self) -> None:
        while not self.stop.is_set():
            # Event.wait returns at once when a stop signal sets the event.
            self.stop.wait(self.step())
