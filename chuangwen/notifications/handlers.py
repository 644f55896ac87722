"""Outbox topics of the notifications app, delivered by ``manage.py worker``.

They talk to the outside world, so they run outside any transaction and hand the
message's idempotency ``key`` to the gateway."""

from typing import Any

from django.utils.translation import gettext_lazy as _

from chuangwen.core.outbox import handles

from . import backends


@handles("notifications.email", label=_("邮件通知"))
def deliver_email(payload: dict[str, Any], *, key: str) -> None:
    link = backends.absolute_link(payload.get("url", ""))
    body = payload.get("body", "") + (f"\n\n{link}" if link else "")
    backends.send_email(
        to=payload.get("emails", []), subject=payload["title"], body=body, idempotency_key=key
    )


@handles("notifications.sms", label=_("短信通知"))
def deliver_sms(payload: dict[str, Any], *, key: str) -> None:
    content = backends.sms_content(title=payload["title"], body=payload.get("body", ""))
    backends.send_sms(phones=payload.get("phones", []), content=content, idempotency_key=key)


@handles("notifications.wecom", label=_("企业微信通知"))
def deliver_wecom(payload: dict[str, Any], *, key: str) -> None:
    content = backends.wecom_content(
        title=payload["title"], body=payload.get("body", ""), url=payload.get("url", "")
    )
    backends.send_wecom(content=content, idempotency_key=key)
