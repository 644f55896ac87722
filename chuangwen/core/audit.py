"""The audit trail and the outbox: both are written inside the caller's transaction."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from .models import AuditEvent, OutboxMessage
from .types import Actor


def _object_type(obj: models.Model | None, object_type: str | None) -> str:
    if object_type:
        return object_type
    if obj is None:
        return ""
    return obj._meta.label_lower


def audit(
    *,
    actor: Actor,
    action: str,
    obj: models.Model | None = None,
    object_type: str | None = None,
    object_id: str | int | None = None,
    summary: str = "",
    data: dict[str, Any] | None = None,
) -> AuditEvent:
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit() must run inside the write's transaction")
    if object_id is None and obj is not None:
        object_id = obj.pk
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        object_type=_object_type(obj, object_type),
        object_id="" if object_id is None else str(object_id),
        summary=summary[:500],
        data=data or {},
    )


def enqueue(*, topic: str, payload: dict[str, Any], delay_seconds: float = 0) -> OutboxMessage:
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("enqueue() must run inside the write's transaction")
    return OutboxMessage.objects.create(
        topic=topic,
        payload=payload,
        available_at=timezone.now() + timedelta(seconds=delay_seconds),
    )
