"""Outbox topics of the notifications app, delivered by ``manage.py worker``."""

from typing import Any

from chuangwen.core.outbox import handles

from . import backends


@handles("notifications.email")
def deliver_email(payload: dict[str, Any]) -> None:
    link = backends.absolute_link(payload.get("url", ""))
    body = payload.get("body", "") + (f"\n\n{link}" if link else "")
    backends.send_email(to=payload.get("emails", []), subject=payload["title"], body=body)


@handles("notifications.sms")
def deliver_sms(payload: dict[str, Any]) -> None:
    content = backends.sms_content(title=payload["title"], body=payload.get("body", ""))
    backends.send_sms(phones=payload.get("phones", []), content=content)


@handles("notifications.wecom")
def deliver_wecom(payload: dict[str, Any]) -> None:
    content = backends.wecom_content(
        title=payload["title"], body=payload.get("body", ""), url=payload.get("url", "")
    )
    backends.send_wecom(content=content)
