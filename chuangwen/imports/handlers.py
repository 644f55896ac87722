"""The imports part of the worker.

The outbox delivers each message inside a transaction; a check or commit of a large
list must not run inside it (the commit writes batch by batch, and on SQLite one long
transaction would hold the write lock for minutes). So the handler only arranges for
the run to start once the delivery has committed; the sweep below takes over a run
whose worker died."""

from datetime import datetime, timedelta
from functools import partial

from django.db import transaction

from chuangwen.core.outbox import handles, scheduled

from . import services


@handles("imports.check")
def check(payload: dict) -> None:
    transaction.on_commit(
        partial(services.import_job_run_check, job_id=payload["job_id"]), robust=True
    )


@handles("imports.run")
def run(payload: dict) -> None:
    transaction.on_commit(
        partial(services.import_job_run_commit, job_id=payload["job_id"]), robust=True
    )


@scheduled("imports.resume_stalled", every=timedelta(minutes=1))
def resume_stalled(now: datetime) -> list[int]:
    return services.import_jobs_resume(now=now)
