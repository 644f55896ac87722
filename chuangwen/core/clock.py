"""The time services read. Normally the wall clock; the demo loader sets it back to
replay months of history through the same services, so every stored instant is genuine
relative to the rest of that history."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime

from django.utils import timezone

_fixed: ContextVar[datetime | None] = ContextVar("chuangwen_clock", default=None)


def now() -> datetime:
    return _fixed.get() or timezone.now()


@contextmanager
def at(moment: datetime) -> Iterator[None]:
    if timezone.is_naive(moment):
        raise ValueError("the clock needs an aware datetime")
    token = _fixed.set(moment)
    try:
        yield
    finally:
        _fixed.reset(token)
