"""Outbox handlers of the territory app, run by the worker."""

from chuangwen.core.outbox import handles

from . import routing


@handles("territory.changed")
def drop_worker_routing_index(payload: dict) -> None:
    # Web processes notice the new version on their own; the worker drops its copy at once.
    routing.invalidate()
