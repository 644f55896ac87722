"""Delivery of notices to the outside world: e-mail, SMS and the 企业微信 group robot.

These run in the worker, never inside a write's transaction. Every failure raises, so
the outbox keeps the message and tries again later; error texts and logs carry phone
numbers only masked, because both end up in places many people read (the outbox admin,
log files).

A message may reach the far side twice (a worker that stopped after sending but before
recording it); each carries the outbox message's idempotency key so the far side can
tell: the SMS gateway in a header and a field, mail as a fixed Message-ID, the 企业微信
robot in a header (its API has no field for it).
"""

from __future__ import annotations

import hashlib
import json
import logging
import urllib.error
import urllib.request
from collections.abc import Iterable, Sequence
from typing import Any, Protocol

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import EmailMessage, get_connection
from django.utils.module_loading import import_string

from chuangwen.core.privacy import mask_phone, mask_phones_in

sms_log = logging.getLogger("chuangwen.notifications.sms")

DUMMY_EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
SMS_MAX_CHARS = 300  # gateways split long texts and bill per part: keep it short
WECOM_MAX_BYTES = 2048  # the robot refuses longer text messages
ERROR_SNIPPET_CHARS = 200
IDEMPOTENCY_HEADER = "Idempotency-Key"


class DeliveryError(Exception):
    """The far side did not accept the message; the outbox will try again."""


def absolute_link(url: str) -> str:
    """Messages read outside the site need a full address; without SITE_URL the path is
    still better than nothing."""
    if not url:
        return ""
    base = getattr(settings, "SITE_URL", "") or ""
    return base.rstrip("/") + url if base and url.startswith("/") else url


# -- which channels are on -------------------------------------------------------------------
def email_enabled() -> bool:
    return bool(settings.EMAIL_BACKEND) and settings.EMAIL_BACKEND != DUMMY_EMAIL_BACKEND


def sms_enabled() -> bool:
    return bool(settings.SMS_BACKEND)


def wecom_enabled() -> bool:
    return bool(settings.WECOM_WEBHOOK_URL)


# -- HTTP ------------------------------------------------------------------------------------
def post_json(url: str, data: dict[str, Any], *, headers: dict[str, str] | None = None) -> bytes:
    """POST ``data`` as JSON; returns the answer's body or raises DeliveryError."""
    request = urllib.request.Request(
        url,
        data=json.dumps(data, ensure_ascii=False).encode("utf-8"),
        headers={"Content-Type": "application/json; charset=utf-8", **(headers or {})},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=settings.NOTIFY_TIMEOUT_SECONDS) as response:
            status = response.status
            body = response.read()
    except urllib.error.HTTPError as exc:
        snippet = exc.read(ERROR_SNIPPET_CHARS * 4).decode("utf-8", "replace")
        raise DeliveryError(
            f"HTTP {exc.code}: {mask_phones_in(snippet[:ERROR_SNIPPET_CHARS])}"
        ) from None
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise DeliveryError(f"{type(exc).__name__}: {reason}") from None
    if not 200 <= status < 300:
        # urllib only raises for 4xx/5xx; anything else that is not 2xx is no success either.
        raise DeliveryError(f"HTTP {status}")
    return body


# -- e-mail ----------------------------------------------------------------------------------
def message_id(idempotency_key: str, address: str) -> str:
    """The same Message-ID every time the same notice goes to the same address, so that a
    mail sent again after an interrupted delivery is recognised as a copy."""
    domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2].strip(" >") or "localhost"
    digest = hashlib.sha256(address.strip().lower().encode()).hexdigest()[:16]
    return f"<{idempotency_key}.{digest}@{domain}>"


def send_email(*, to: Sequence[str], subject: str, body: str, idempotency_key: str = "") -> int:
    """One message per address, so recipients do not see each other's addresses."""
    addresses = sorted({a for a in to if a})
    if not addresses:
        return 0
    subject = " ".join(subject.split())  # a header must stay on one line
    messages = [
        EmailMessage(
            subject,
            body,
            settings.DEFAULT_FROM_EMAIL,
            [address],
            headers={"Message-ID": message_id(idempotency_key, address)}
            if idempotency_key
            else None,
        )
        for address in addresses
    ]
    return get_connection(fail_silently=False).send_messages(messages) or 0


# -- SMS -------------------------------------------------------------------------------------
class SmsBackend(Protocol):
    def send(self, *, phones: Sequence[str], content: str, idempotency_key: str) -> None: ...


class ConsoleSmsBackend:
    """For demos and development: the text goes to the log instead of to phones."""

    def send(self, *, phones: Sequence[str], content: str, idempotency_key: str = "") -> None:
        sms_log.info(
            "SMS to %s: %s",
            ", ".join(mask_phone(p) for p in phones),
            mask_phones_in(content),
            extra={"idempotency_key": idempotency_key},
        )


class HttpSmsBackend:
    """A gateway that takes ``{"phones": [...], "content": "…", "request_id": "…"}`` with a
    bearer token; the request id (also in the ``Idempotency-Key`` header) is the same for
    every attempt at one message, so the gateway can drop a repeat."""

    def __init__(self, *, url: str | None = None, token: str | None = None):
        self.url = settings.SMS_GATEWAY_URL if url is None else url
        self.token = settings.SMS_GATEWAY_TOKEN if token is None else token
        if not self.url:
            raise ImproperlyConfigured("SMS_BACKEND=http needs SMS_GATEWAY_URL.")

    def send(self, *, phones: Sequence[str], content: str, idempotency_key: str = "") -> None:
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        data: dict[str, Any] = {"phones": list(phones), "content": content}
        if idempotency_key:
            headers[IDEMPOTENCY_HEADER] = idempotency_key
            data["request_id"] = idempotency_key
        post_json(self.url, data, headers=headers)
        sms_log.info("SMS sent to %s", ", ".join(mask_phone(p) for p in phones))


SMS_BACKENDS = {"console": ConsoleSmsBackend, "http": HttpSmsBackend}


def get_sms_backend(name: str | None = None) -> SmsBackend:
    """``name`` is "console", "http" or the dotted path of a class with ``send()``, so a
    city can plug in its own provider without touching this module."""
    name = settings.SMS_BACKEND if name is None else name
    if name in SMS_BACKENDS:
        return SMS_BACKENDS[name]()
    if "." in name:
        return import_string(name)()
    raise ImproperlyConfigured(f"Unknown SMS_BACKEND {name!r}.")


def sms_content(*, title: str, body: str) -> str:
    text = f"{title}:{body}" if body else title
    return text if len(text) <= SMS_MAX_CHARS else text[: SMS_MAX_CHARS - 1] + "…"


def send_sms(*, phones: Iterable[str], content: str, idempotency_key: str = "") -> int:
    numbers = sorted({p.strip() for p in phones if p and p.strip()})
    if not numbers:
        return 0
    get_sms_backend().send(phones=numbers, content=content, idempotency_key=idempotency_key)
    return len(numbers)


# -- 企业微信 group robot ------------------------------------------------------------------------
def wecom_content(*, title: str, body: str, url: str = "") -> str:
    link = absolute_link(url)
    text = f"{title}\n{body}" + (f"\n{link}" if link else "")
    data = text.encode("utf-8")
    if len(data) <= WECOM_MAX_BYTES:
        return text
    # Shorten the body, not the link: the link is what people act on.
    tail = f"…\n{link}" if link else "…"
    room = WECOM_MAX_BYTES - len(tail.encode("utf-8"))
    head = f"{title}\n{body}".encode()[:room].decode("utf-8", "ignore")
    return head + tail


def send_wecom(*, content: str, webhook_url: str | None = None, idempotency_key: str = "") -> None:
    url = settings.WECOM_WEBHOOK_URL if webhook_url is None else webhook_url
    if not url:
        raise ImproperlyConfigured("WECOM_WEBHOOK_URL is empty.")
    headers = {IDEMPOTENCY_HEADER: idempotency_key} if idempotency_key else None
    answer = post_json(url, {"msgtype": "text", "text": {"content": content}}, headers=headers)
    # The robot answers 200 also when it refuses; the verdict is in errcode.
    try:
        result = json.loads(answer.decode("utf-8"))
    except ValueError:
        raise DeliveryError(
            f"企业微信: unreadable answer {answer[:ERROR_SNIPPET_CHARS]!r}"
        ) from None
    if not isinstance(result, dict) or result.get("errcode") != 0:
        errcode = result.get("errcode") if isinstance(result, dict) else None
        errmsg = result.get("errmsg", "") if isinstance(result, dict) else ""
        raise DeliveryError(f"企业微信 errcode {errcode}: {str(errmsg)[:ERROR_SNIPPET_CHARS]}")
