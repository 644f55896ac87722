"""Reads of notices: a user only ever sees their own."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from .models import Notification


def _own(user) -> QuerySet[Notification]:
    if not getattr(user, "is_authenticated", False):
        return Notification.objects.none()
    return Notification.objects.filter(recipient=user)


def unread_count(user) -> int:
    return _own(user).filter(read_at__isnull=True).count()


def notification_list(user, *, unread_only: bool = False) -> QuerySet[Notification]:
    rows = _own(user)
    if unread_only:
        rows = rows.filter(read_at__isnull=True)
    return rows.order_by("-created_at", "-id")


def notification_get(user, pk: int) -> Notification:
    """Someone else's notice answers 404, as if it did not exist."""
    return get_object_or_404(_own(user), pk=pk)
