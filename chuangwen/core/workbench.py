"""The home page (工作台) shows what the apps above core contribute: each registers a
function of the signed-in user that returns template variables for ``core/home.html``."""

from collections.abc import Callable
from typing import Any

WorkbenchContext = Callable[[Any], dict[str, Any]]

_contributions: list[WorkbenchContext] = []


def register_workbench_context(contribute: WorkbenchContext) -> None:
    """Add ``contribute(user) -> dict`` to the home page (called from an app's ``ready()``)."""
    if contribute not in _contributions:
        _contributions.append(contribute)


def workbench_context(user) -> dict[str, Any]:
    context: dict[str, Any] = {}
    for contribute in _contributions:
        context.update(contribute(user))
    return context
