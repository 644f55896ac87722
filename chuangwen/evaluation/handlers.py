"""The evaluation part of the worker: re-inspections follow their cases' deadlines and
inspectors are reminded on the day, without anyone opening a page."""

from datetime import datetime, timedelta

from chuangwen.core.outbox import scheduled

from .services import reinspections_sweep


@scheduled("evaluation.reinspections_sweep", every=timedelta(hours=1))
def sweep(now: datetime) -> None:
    reinspections_sweep(now=now)
