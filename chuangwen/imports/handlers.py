"""The imports part of the worker.

A check or commit of a large list must not run inside a transaction (the commit writes
batch by batch, and on SQLite one long transaction would hold the write lock for
minutes), nor hold an outbox claim for minutes (another worker would take the message
over when the claim's lease runs out). So the handler only records, together with the
delivery, that the run is to start, and the run starts once that has committed; the
sweep below takes over a run whose worker died."""

from datetime import datetime, timedelta
from functools import partial

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from chuangwen.core.outbox import handles, scheduled

from . import services


@handles("imports.check", atomic=True, label=_("导入检查"))
def check(payload: dict) -> None:
    transaction.on_commit(
        partial(services.import_job_run_check, job_id=payload["job_id"]), robust=True
    )


@handles("imports.run", atomic=True, label=_("导入执行"))
def run(payload: dict) -> None:
    transaction.on_commit(
        partial(services.import_job_run_commit, job_id=payload["job_id"]), robust=True
    )


@scheduled("imports.resume_stalled", every=timedelta(minutes=1))
def resume_stalled(now: datetime) -> list[int]:
    return services.import_jobs_resume(now=now)


@scheduled("imports.expire_files", every=timedelta(hours=1))
def expire_files(now: datetime) -> int:
    return services.import_files_expire(now=now)
