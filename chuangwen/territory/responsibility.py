"""Who answers for a piece of territory (属地兜底) is known to the app that keeps the
units (org), which registers its lookup when it is ready; territory only shows it."""

from collections.abc import Callable
from typing import Any

_default_unit: Callable[[Any], Any] | None = None


def register_default_unit(lookup: Callable[[Any], Any]) -> None:
    """``lookup(node)`` returns the unit answering for a node without an owner."""
    global _default_unit
    _default_unit = lookup


def default_unit(node):
    """The registered lookup's answer; no unit at all when no app keeps units."""
    return _default_unit(node) if _default_unit is not None else None
