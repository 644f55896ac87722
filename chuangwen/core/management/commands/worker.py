import logging
import signal

from django.conf import settings
from django.core.management.base import BaseCommand

from chuangwen.core import outbox
from chuangwen.core.worker import Worker

log = logging.getLogger("chuangwen.worker")


class Command(BaseCommand):
    help = "Deliver the outbox and run scheduled jobs until stopped (SIGTERM/SIGINT)."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="one pass, then exit")
        parser.add_argument("--poll", type=float, default=None, help="seconds between passes")

    def handle(self, *args, once: bool = False, poll: float | None = None, **options):
        outbox.discover()
        interval = settings.WORKER_POLL_SECONDS if poll is None else poll
        worker = Worker(poll=interval)
        if once:
            # One pass for scripts and cron: a failure is the caller's to see.
            worker.run_once()
            return

        def stop(signum, frame):
            log.info("worker: signal %s received, finishing the current pass", signum)
            worker.stop.set()

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        self.stdout.write(f"worker started, polling every {interval:g}s")
        self.stdout.flush()
        worker.run()
        self.stdout.write("worker stopped")
