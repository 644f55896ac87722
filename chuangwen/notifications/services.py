"""Writing notices: the in-site rows at once, everything else through the outbox."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from chuangwen.core.audit import enqueue
from chuangwen.org.models import Membership

from . import backends
from .models import Notification

INAPP, EMAIL, SMS, WECOM = "inapp", "email", "sms", "wecom"
CHANNELS = (INAPP, EMAIL, SMS, WECOM)
TITLE_MAX = Notification._meta.get_field("title").max_length
URL_MAX = Notification._meta.get_field("url").max_length


def _pks(objects: Iterable) -> set[int]:
    return {getattr(o, "pk", o) for o in objects if o is not None}


def _check_url(url: str) -> str:
    url = (url or "").strip()
    # Only paths on this site: the link is rendered as-is into pages, mails and chats.
    if url and (not url.startswith("/") or url.startswith(("//", "/\\")) or len(url) > URL_MAX):
        raise ValueError(f"notify(url=...) must be a path on this site, got {url!r}")
    return url


def recipients_of(*, users: Iterable = (), units: Iterable = ()) -> list:
    """Active users among ``users`` plus the active members of ``units``, each once."""
    user_ids, unit_ids = _pks(users), _pks(units)
    if not user_ids and not unit_ids:
        return []
    wanted = Q(pk__in=user_ids) if user_ids else Q(pk__in=[])
    if unit_ids:
        members = Membership.objects.filter(unit_id__in=unit_ids, is_active=True)
        wanted |= Q(pk__in=members.values("user_id"))
    return list(
        get_user_model()
        .objects.filter(wanted, is_active=True)
        .only("pk", "email", "phone")
        .order_by("pk")
    )


def notify(
    *,
    users: Iterable = (),
    units: Iterable = (),
    title: str,
    body: str,
    url: str = "",
    kind: str,
    channels: tuple[str, ...] = CHANNELS,
) -> list[Notification]:
    """Tell ``users`` and the members of ``units`` about something the caller is writing.

    Runs inside the caller's transaction so the notice exists exactly when the write does;
    mails, texts and the 企业微信 post leave only after commit, via the worker. The group
    robot speaks to a chat, not to persons, so it is posted even when nobody is addressed.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("notify() must run inside the write's transaction")
    unknown = set(channels) - set(CHANNELS)
    if unknown:
        raise ValueError(f"unknown notification channels: {sorted(unknown)}")
    title = " ".join((title or "").split())[:TITLE_MAX]
    if not title:
        raise ValueError("notify() needs a title")
    if not kind:
        raise ValueError("notify() needs a kind")
    body = (body or "").strip()
    url = _check_url(url)

    people = recipients_of(users=users, units=units)
    created: list[Notification] = []
    if INAPP in channels and people:
        created = Notification.objects.bulk_create(
            Notification(recipient=p, kind=kind, title=title, body=body, url=url) for p in people
        )
    notice = {"kind": kind, "title": title, "body": body, "url": url}
    if EMAIL in channels and backends.email_enabled():
        emails = sorted({p.email.strip() for p in people if p.email and p.email.strip()})
        if emails:
            enqueue(topic="notifications.email", payload={**notice, "emails": emails})
    if SMS in channels and backends.sms_enabled():
        phones = sorted({p.phone.strip() for p in people if p.phone and p.phone.strip()})
        if phones:
            enqueue(topic="notifications.sms", payload={**notice, "phones": phones})
    if WECOM in channels and backends.wecom_enabled():
        enqueue(topic="notifications.wecom", payload=notice)
    return created


def notification_mark_read(*, user, ids: Iterable[int] | None = None) -> int:
    """Mark the user's own unread notices read (all of them when ``ids`` is None).

    Ids of other users' notices simply match nothing. A person tidying their own inbox is
    not worth an audit row; it is one UPDATE. Returns how many rows changed.
    """
    if not getattr(user, "is_authenticated", False):
        return 0
    rows = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        wanted = {int(i) for i in ids}
        if not wanted:
            return 0
        rows = rows.filter(pk__in=wanted)
    # One UPDATE is atomic on its own; a savepoint around it would only add round trips.
    return rows.update(read_at=timezone.now())
