"""The worker's side: the outbox delivers e-mail, SMS and 企业微信 posts, and retries."""

import logging
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.utils import timezone

from chuangwen.core.models import OutboxMessage, OutboxStatus
from chuangwen.core.outbox import deliver_pending, discover
from chuangwen.notifications import backends
from chuangwen.notifications.services import notification_mark_read, notify

pytestmark = pytest.mark.django_db

ALICE_PHONE, BOB_PHONE = "13812341234", "13900001111"


@pytest.fixture(autouse=True)
def _handlers():
    discover()


@pytest.fixture(autouse=True)
def _quiet_channels(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SMS_BACKEND = ""
    settings.WECOM_WEBHOOK_URL = ""


def _notify_team(people, **kwargs):
    with transaction.atomic():
        notify(
            units=[people.units["a"]],
            title="新派遣案件 A001",
            body="人民路 12 号路面破损。",
            url="/cases/7/",
            kind="case.dispatched",
            **kwargs,
        )


def _message(topic: str) -> OutboxMessage:
    return OutboxMessage.objects.get(topic=topic)


def test_email_goes_to_each_address_separately(people, mailoutbox, settings):
    settings.DEFAULT_FROM_EMAIL = "chuangwen@shiyan.example"
    settings.SITE_URL = "https://cw.shiyan.example"
    _notify_team(people)
    assert mailoutbox == []
    assert deliver_pending() == 1
    assert sorted(m.to[0] for m in mailoutbox) == ["alice@example.cn", "bob@example.cn"]
    assert all(len(m.to) == 1 for m in mailoutbox)
    mail = mailoutbox[0]
    key = _message("notifications.email").key
    ids = {m.to[0]: m.extra_headers["Message-ID"] for m in mailoutbox}
    assert ids["alice@example.cn"].startswith(f"<{key}.")
    assert ids["alice@example.cn"].endswith("@shiyan.example>")
    assert ids["alice@example.cn"] != ids["bob@example.cn"]
    assert mail.message()["Message-ID"] == ids[mail.to[0]]
    assert mail.subject == "新派遣案件 A001"
    assert mail.from_email == "chuangwen@shiyan.example"
    assert mail.body == "人民路 12 号路面破损。\n\nhttps://cw.shiyan.example/cases/7/"
    assert _message("notifications.email").status == OutboxStatus.DELIVERED


def test_sms_is_posted_to_the_gateway(people, fake_server, settings):
    settings.SMS_BACKEND = "http"
    settings.SMS_GATEWAY_URL = f"{fake_server.url}/sms/send"
    settings.SMS_GATEWAY_TOKEN = "gw-token-123"
    fake_server.answers = [(200, {"ok": True})]
    _notify_team(people, channels=("sms",))
    assert fake_server.received == []  # nothing is sent inside the write
    deliver_pending()
    (request,) = fake_server.received
    message = _message("notifications.sms")
    assert request["path"] == "/sms/send"
    assert request["headers"]["authorization"] == "Bearer gw-token-123"
    assert request["headers"]["content-type"].startswith("application/json")
    assert request["headers"]["idempotency-key"] == str(message.key)
    assert request["json"] == {
        "phones": [ALICE_PHONE, BOB_PHONE],
        "content": "新派遣案件 A001:人民路 12 号路面破损。",
        "request_id": str(message.key),
    }
    assert message.status == OutboxStatus.DELIVERED and message.attempts == 1


def test_a_failing_gateway_leaves_the_sms_for_a_retry(people, fake_server, settings, caplog):
    settings.SMS_BACKEND = "http"
    settings.SMS_GATEWAY_URL = f"{fake_server.url}/sms/send"
    # The gateway echoes a number in its complaint: it must not reach logs or the outbox.
    fake_server.answers = [(500, {"error": f"quota exceeded for {ALICE_PHONE}"}), (200, {})]
    _notify_team(people, channels=("sms",))
    before = timezone.now()
    with caplog.at_level(logging.INFO):
        deliver_pending()
    message = _message("notifications.sms")
    assert message.status == OutboxStatus.PENDING
    assert message.attempts == 1
    assert message.last_error.startswith("DeliveryError: HTTP 500")
    assert "138****1234" in message.last_error
    assert ALICE_PHONE not in message.last_error
    assert ALICE_PHONE not in caplog.text
    assert message.available_at > before

    # Later the gateway is back: the same message goes out and is done.
    deliver_pending(now=timezone.now() + timedelta(hours=2))
    message.refresh_from_db()
    assert message.status == OutboxStatus.DELIVERED
    assert message.attempts == 2 and message.last_error == ""
    assert len(fake_server.received) == 2
    assert fake_server.received[1]["json"] == fake_server.received[0]["json"]


def test_a_slow_gateway_times_out_and_is_retried(people, fake_server, settings):
    settings.SMS_BACKEND = "http"
    settings.SMS_GATEWAY_URL = f"{fake_server.url}/sms/send"
    settings.NOTIFY_TIMEOUT_SECONDS = 0.2
    fake_server.delay = 1.0
    _notify_team(people, channels=("sms",))
    deliver_pending()
    message = _message("notifications.sms")
    assert message.status == OutboxStatus.PENDING
    assert "timed out" in message.last_error.lower()


@pytest.mark.django_db(transaction=True)
def test_a_slow_gateway_does_not_hold_up_other_writes(people, fake_server, settings):
    """While the gateway takes its time, a web request (another connection) writes.
    On SQLite a delivery holding a transaction open would keep the only write lock."""
    settings.SMS_BACKEND = "http"
    settings.SMS_GATEWAY_URL = f"{fake_server.url}/sms/send"
    alice = people.users["alice"]
    outcome = []

    def web_write_meanwhile():
        try:
            with transaction.atomic():
                outcome.append(notification_mark_read(user=alice))
        except Exception as exc:
            outcome.append(f"{type(exc).__name__}: {exc}")
        finally:
            connection.close()  # the server thread's own connection

    fake_server.on_request = web_write_meanwhile
    _notify_team(people, channels=("inapp", "sms"))
    deliver_pending()
    assert outcome == [1]
    assert len(fake_server.received) == 1
    assert _message("notifications.sms").status == OutboxStatus.DELIVERED
    assert not alice.notifications.filter(read_at__isnull=True).exists()


def test_console_sms_logs_masked_numbers_only(people, settings, caplog):
    settings.SMS_BACKEND = "console"
    _notify_team(people, channels=("sms",))
    with caplog.at_level(logging.INFO, logger="chuangwen.notifications.sms"):
        deliver_pending()
    records = [r for r in caplog.records if r.name == "chuangwen.notifications.sms"]
    assert len(records) == 1
    text = records[0].getMessage()
    assert "138****1234" in text and "139****1111" in text
    assert ALICE_PHONE not in caplog.text and BOB_PHONE not in caplog.text
    assert "新派遣案件 A001" in text
    assert _message("notifications.sms").status == OutboxStatus.DELIVERED


def test_wecom_robot_gets_one_text_message(people, fake_server, settings):
    settings.WECOM_WEBHOOK_URL = f"{fake_server.url}/cgi-bin/webhook/send?key=abc"
    settings.SITE_URL = "https://cw.shiyan.example/"
    _notify_team(people)
    deliver_pending()
    (request,) = fake_server.received
    assert request["path"] == "/cgi-bin/webhook/send?key=abc"
    assert request["json"] == {
        "msgtype": "text",
        "text": {
            "content": "新派遣案件 A001\n人民路 12 号路面破损。\nhttps://cw.shiyan.example/cases/7/"
        },
    }
    assert _message("notifications.wecom").status == OutboxStatus.DELIVERED


@pytest.mark.parametrize(
    ("answer", "error"),
    [
        ((200, {"errcode": 93000, "errmsg": "invalid webhook url"}), "errcode 93000"),
        ((500, b"upstream broken"), "HTTP 500"),
        ((200, b"<html>gateway</html>"), "unreadable answer"),
    ],
)
def test_wecom_refusals_are_retried(people, fake_server, settings, answer, error):
    settings.WECOM_WEBHOOK_URL = f"{fake_server.url}/robot"
    fake_server.answers = [answer]
    _notify_team(people, channels=("wecom",))
    deliver_pending()
    message = _message("notifications.wecom")
    assert message.status == OutboxStatus.PENDING
    assert message.attempts == 1
    assert error in message.last_error
    assert len(fake_server.received) == 1


def test_unknown_sms_backend_is_an_error_not_a_silent_drop(people, settings):
    settings.SMS_BACKEND = "carrier-pigeon"
    _notify_team(people, channels=("sms",))
    deliver_pending()
    message = _message("notifications.sms")
    assert message.status == OutboxStatus.PENDING
    assert "carrier-pigeon" in message.last_error


@pytest.mark.parametrize(
    ("phone", "masked"),
    [
        ("13812341234", "138****1234"),
        ("+8613812341234", "+86138****1234"),
        ("0719-8000000", "****0000"),
        ("12345", "****"),
    ],
)
def test_mask_phone(phone, masked):
    assert backends.mask_phone(phone) == masked


def test_phones_are_masked_inside_text():
    text = "失败: 13812341234, +8613900001111; 订单 2026112512345678"
    assert backends.mask_phones_in(text) == (
        "失败: 138****1234, +86139****1111; 订单 2026112512345678"
    )


def test_wecom_text_is_shortened_but_keeps_the_link(settings):
    settings.SITE_URL = ""
    text = backends.wecom_content(title="标题", body="很长" * 2000, url="/cases/1/")
    assert len(text.encode("utf-8")) <= backends.WECOM_MAX_BYTES
    assert text.startswith("标题\n很长") and text.endswith("…\n/cases/1/")
