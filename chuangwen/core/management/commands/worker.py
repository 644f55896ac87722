import logging
import signal
import time

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import close_old_connections

from chuangwen.core import outbox

log = logging.getLogger("chuangwen.worker")


class Command(BaseCommand):
    help = "Deliver the outbox and run scheduled jobs until stopped (SIGTERM/SIGINT)."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="one pass, then exit")
        parser.add_argument("--poll", type=float, default=None, help="seconds between passes")

    def handle(self, *args, once: bool = False, poll: float | None = None, **options):
        outbox.discover()
        interval = settings.WORKER_POLL_SECONDS if poll is None else poll
        self._stopping = False

        def stop(signum, frame):
            log.info("worker: signal %s received, finishing the current pass", signum)
            self._stopping = True

        if not once:
            signal.signal(signal.SIGTERM, stop)
            signal.signal(signal.SIGINT, stop)
            self.stdout.write(f"worker started, polling every {interval:g}s")
        while True:
            if not once:
                # A long-running process must not keep a broken or expired connection.
                close_old_connections()
            delivered = outbox.deliver_pending()
            jobs = outbox.run_due_jobs()
            if delivered or jobs:
                log.info("worker: delivered %d messages, ran jobs %s", delivered, jobs)
            if once or self._stopping:
                break
            # Sleep in short steps so a stop signal is honoured promptly.
            waited = 0.0
            while waited < interval and not self._stopping:
                time.sleep(min(0.2, interval))
                waited += 0.2
            if self._stopping:
                break
        if not once:
            self.stdout.write("worker stopped")
