"""Dead letters: messages that exhausted their attempts are shown to the city office, who
may send them again (audited); for everyone else the page does not exist."""

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from chuangwen.core import outbox
from chuangwen.core.audit import enqueue
from chuangwen.core.errors import ConflictError, PermissionDeniedError, ServiceError
from chuangwen.core.models import AuditEvent, OutboxMessage, OutboxStatus
from chuangwen.core.services import outbox_message_retry
from chuangwen.org.choices import Role
from chuangwen.testing.city import ROLE_HOMES

pytestmark = pytest.mark.django_db

OTHER_ROLES = [role for role in ROLE_HOMES if role != Role.CITY_ADMIN]


@pytest.fixture
def gateway():
    """A gateway that refuses until told otherwise."""
    state = {"up": False, "sent": []}

    def send(payload, *, key):
        if not state["up"]:
            raise ConnectionRefusedError("短信网关拒绝连接")
        state["sent"].append(key)

    outbox.handles("test.gateway", label="测试网关")(send)
    yield state
    outbox._handlers.pop("test.gateway", None)
    outbox._labels.pop("test.gateway", None)


@pytest.fixture
def dead_letter(gateway, settings):
    settings.OUTBOX_MAX_ATTEMPTS = 3
    with transaction.atomic():
        message = enqueue(
            topic="test.gateway",
            payload={"title": "新派遣案件 A001", "phones": ["13812341234", "13900001111"]},
        )
    now = timezone.now()
    for _ in range(3):
        outbox.deliver_pending(now=now)
        message.refresh_from_db()
        now = message.available_at
    assert message.status == OutboxStatus.FAILED and message.attempts == 3
    return message


def test_a_message_that_keeps_failing_is_listed_for_the_city_admin(client, city, dead_letter):
    client.force_login(city.user(Role.CITY_ADMIN, "city"))
    page = client.get(reverse("core:dead_letters"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "测试网关" in text and "新派遣案件 A001" in text
    assert "短信网关拒绝连接" in text
    assert reverse("core:dead_letter_retry", args=[dead_letter.pk]) in text
    # The numbers themselves are not shown, only how many.
    assert "13812341234" not in text
    home = client.get(reverse("core:home")).content.decode()
    assert reverse("core:dead_letters") in home


def test_the_page_lists_only_dead_letters(client, city, dead_letter, gateway):
    with transaction.atomic():
        enqueue(topic="test.gateway", payload={"title": "还在重试的消息"})
    client.force_login(city.user(Role.CITY_ADMIN, "city"))
    text = client.get(reverse("core:dead_letters")).content.decode()
    assert "新派遣案件 A001" in text and "还在重试的消息" not in text


def test_retry_sends_the_message_again_with_the_same_key_and_is_audited(
    client, city, dead_letter, gateway
):
    admin = city.user(Role.CITY_ADMIN, "city")
    client.force_login(admin)
    response = client.post(reverse("core:dead_letter_retry", args=[dead_letter.pk]))
    assert response.status_code == 302
    dead_letter.refresh_from_db()
    assert dead_letter.status == OutboxStatus.PENDING and dead_letter.attempts == 0
    event = AuditEvent.objects.get(action="core.outbox_retry")
    assert event.actor == admin and event.object_id == str(dead_letter.pk)
    assert event.data["attempts"] == 3 and "短信网关拒绝连接" in event.data["last_error"]

    gateway["up"] = True
    assert outbox.deliver_pending() == 1
    dead_letter.refresh_from_db()
    assert dead_letter.status == OutboxStatus.DELIVERED
    assert gateway["sent"] == [str(dead_letter.key)]
    assert "新派遣案件 A001" not in client.get(reverse("core:dead_letters")).content.decode()


@pytest.mark.parametrize("role", OTHER_ROLES)
def test_other_roles_get_404_and_cannot_retry(client, city, dead_letter, role):
    client.force_login(city.user(role, ROLE_HOMES[role]))
    assert client.get(reverse("core:dead_letters")).status_code == 404
    response = client.post(reverse("core:dead_letter_retry", args=[dead_letter.pk]))
    assert response.status_code == 404
    dead_letter.refresh_from_db()
    assert dead_letter.status == OutboxStatus.FAILED
    assert not AuditEvent.objects.filter(action="core.outbox_retry").exists()
    assert reverse("core:dead_letters") not in client.get(reverse("core:home")).content.decode()


def test_anonymous_visitors_are_sent_to_log_in(client, dead_letter):
    response = client.get(reverse("core:dead_letters"))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


@pytest.mark.parametrize("role", OTHER_ROLES)
def test_the_retry_service_refuses_other_roles(city, dead_letter, role):
    with pytest.raises(PermissionDeniedError):
        outbox_message_retry(message_id=dead_letter.pk, actor=city.user(role, ROLE_HOMES[role]))
    dead_letter.refresh_from_db()
    assert dead_letter.status == OutboxStatus.FAILED


def test_the_retry_service_refuses_a_message_that_is_not_dead(city, gateway):
    admin = city.user(Role.CITY_ADMIN, "city")
    with transaction.atomic():
        pending = enqueue(topic="test.gateway", payload={})
    with pytest.raises(ConflictError):
        outbox_message_retry(message_id=pending.pk, actor=admin)
    with pytest.raises(ServiceError):
        outbox_message_retry(message_id=pending.pk + 1000, actor=admin)
    assert not AuditEvent.objects.filter(action="core.outbox_retry").exists()


def test_a_refused_retry_on_the_page_says_why(client, city, dead_letter):
    client.force_login(city.user(Role.CITY_ADMIN, "city"))
    client.post(reverse("core:dead_letter_retry", args=[dead_letter.pk]))
    response = client.post(reverse("core:dead_letter_retry", args=[dead_letter.pk]), follow=True)
    assert "只有投递失败的消息可以重新投递" in response.content.decode()
    assert AuditEvent.objects.filter(action="core.outbox_retry").count() == 1


def test_the_admin_action_retries_selected_dead_letters(client, city, dead_letter):
    admin = city.user(Role.CITY_ADMIN, "city", is_staff=True, is_superuser=True)
    client.force_login(admin)
    url = reverse("admin:core_outboxmessage_changelist")
    response = client.post(
        url, {"action": "retry_dead_letters", "_selected_action": [dead_letter.pk]}
    )
    assert response.status_code == 302
    dead_letter.refresh_from_db()
    assert dead_letter.status == OutboxStatus.PENDING
    assert AuditEvent.objects.get(action="core.outbox_retry").actor == admin


def test_a_staff_member_without_the_city_role_cannot_retry_in_the_admin(client, city, dead_letter):
    from django.contrib.auth.models import Permission

    staff = city.user(Role.CITY_OPERATOR, "city", is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="view_outboxmessage"))
    client.force_login(staff)
    response = client.post(
        reverse("admin:core_outboxmessage_changelist"),
        {"action": "retry_dead_letters", "_selected_action": [dead_letter.pk]},
    )
    # The admin is the city admins': the staff flag alone is turned away at the door.
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert OutboxMessage.objects.get(pk=dead_letter.pk).status == OutboxStatus.FAILED


def test_the_admin_finds_a_message_by_its_key(client, city, dead_letter):
    """A gateway reports the key of a message it had trouble with."""
    client.force_login(city.user(Role.CITY_ADMIN, "city", is_staff=True, is_superuser=True))
    url = reverse("admin:core_outboxmessage_changelist")
    found = client.get(url, {"q": str(dead_letter.key)})
    assert found.status_code == 200
    assert (
        reverse("admin:core_outboxmessage_change", args=[dead_letter.pk]) in found.content.decode()
    )
    other = client.get(url, {"q": "00000000-0000-0000-0000-000000000000"}).content.decode()
    assert reverse("admin:core_outboxmessage_change", args=[dead_letter.pk]) not in other
