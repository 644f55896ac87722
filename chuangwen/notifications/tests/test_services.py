import pytest
from django.db import transaction
from django.test import RequestFactory

from chuangwen.core.models import OutboxMessage
from chuangwen.notifications import selectors
from chuangwen.notifications.context_processors import Bell, unread
from chuangwen.notifications.models import Notification
from chuangwen.notifications.services import notification_mark_read, notify
from chuangwen.testing.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _external_channels_on(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SMS_BACKEND = "console"
    settings.WECOM_WEBHOOK_URL = "http://127.0.0.1:9/robot"


def _notify(**kwargs):
    defaults = {"title": "新派遣案件 A001", "body": "道路破损", "kind": "case.dispatched"}
    with transaction.atomic():
        return notify(**{**defaults, **kwargs})


def test_notify_reaches_given_users_and_active_unit_members_once(people):
    u = people.users
    created = _notify(
        users=[u["alice"], u["dave"], u["gone"], None],
        units=[people.units["a"]],
        url="/cases/7/",
    )
    expected = {u["alice"].pk, u["bob"].pk, u["dave"].pk}
    assert sorted(n.recipient_id for n in created) == sorted(expected)
    rows = Notification.objects.all()
    assert sorted(rows.values_list("recipient_id", flat=True)) == sorted(expected)
    assert set(rows.values_list("title", "body", "url", "kind")) == {
        ("新派遣案件 A001", "道路破损", "/cases/7/", "case.dispatched")
    }
    assert all(n.read_at is None for n in rows)


def test_notify_reaches_a_street_office_of_the_mini_city(city):
    from chuangwen.org.choices import Role

    operator = city.user(Role.STREET_OPERATOR, "420302001")
    handler = city.user(Role.UNIT_HANDLER, "420302001")
    city.user(Role.STREET_OPERATOR, "420302002")  # the neighbouring street hears nothing
    created = _notify(units=[city.units["420302001"]], channels=("inapp",))
    assert sorted(n.recipient_id for n in created) == sorted([operator.pk, handler.pk])


def test_notify_accepts_primary_keys_too(people):
    created = _notify(users=[people.users["carol"].pk], units=[people.units["b"].pk])
    assert [n.recipient_id for n in created] == [people.users["carol"].pk]


@pytest.mark.django_db(transaction=True)
def test_notify_refuses_outside_a_transaction():
    user = UserFactory()
    assert not transaction.get_connection().in_atomic_block
    with pytest.raises(RuntimeError, match="inside the write's transaction"):
        notify(users=[user], title="督办通知", body="请尽快处置", kind="case.supervision")
    assert Notification.objects.count() == 0
    assert OutboxMessage.objects.count() == 0


def test_notify_enqueues_one_message_per_external_channel(people, mailoutbox):
    u = people.users
    _notify(units=[people.units["a"]], users=[u["carol"], u["dave"]], url="/cases/7/")
    topics = sorted(OutboxMessage.objects.values_list("topic", flat=True))
    assert topics == ["notifications.email", "notifications.sms", "notifications.wecom"]
    email = OutboxMessage.objects.get(topic="notifications.email").payload
    assert email["emails"] == ["alice@example.cn", "bob@example.cn", "carol@example.cn"]
    assert email["title"] == "新派遣案件 A001" and email["url"] == "/cases/7/"
    sms = OutboxMessage.objects.get(topic="notifications.sms").payload
    assert sms["phones"] == ["13500004444", "13812341234", "13900001111"]
    wecom = OutboxMessage.objects.get(topic="notifications.wecom").payload
    assert wecom == {
        "kind": "case.dispatched",
        "title": "新派遣案件 A001",
        "body": "道路破损",
        "url": "/cases/7/",
    }
    assert mailoutbox == []  # nothing leaves before the worker runs


def test_channels_that_are_off_or_have_no_address_are_skipped(people, settings):
    settings.SMS_BACKEND = ""
    settings.WECOM_WEBHOOK_URL = ""
    _notify(users=[people.users["dave"]])  # dave has neither e-mail nor phone
    assert OutboxMessage.objects.count() == 0
    assert Notification.objects.filter(recipient=people.users["dave"]).count() == 1

    settings.EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
    settings.SMS_BACKEND = "console"
    _notify(users=[people.users["alice"]])
    assert list(OutboxMessage.objects.values_list("topic", flat=True)) == ["notifications.sms"]


def test_channels_can_be_chosen(people):
    created = _notify(users=[people.users["alice"]], channels=("wecom",))
    assert created == []
    assert Notification.objects.count() == 0
    assert list(OutboxMessage.objects.values_list("topic", flat=True)) == ["notifications.wecom"]
    _notify(users=[people.users["alice"]], channels=("inapp",))
    assert Notification.objects.count() == 1
    assert OutboxMessage.objects.count() == 1
    with pytest.raises(ValueError, match="unknown notification channels"):
        _notify(users=[people.users["alice"]], channels=("fax",))


@pytest.mark.parametrize(
    "url", ["https://evil.example/", "//evil.example/x", "javascript:alert(1)", "cases/1/"]
)
def test_links_must_stay_on_the_site(people, url):
    with pytest.raises(ValueError):
        _notify(users=[people.users["alice"]], url=url)
    assert Notification.objects.count() == 0


def test_title_is_kept_on_one_line(people):
    (n,) = _notify(users=[people.users["alice"]], title="督办\n通知 ", channels=("inapp",))
    assert n.title == "督办 通知"


def _three_for_alice_one_for_bob(people):
    u = people.users
    for title in ("一", "二", "三"):
        _notify(users=[u["alice"]], title=title, channels=("inapp",))
    _notify(users=[u["bob"]], title="给 bob", channels=("inapp",))
    return list(Notification.objects.filter(recipient=u["alice"]).order_by("id")), (
        Notification.objects.get(recipient=u["bob"])
    )


def test_mark_read_only_touches_the_users_own_rows(people, django_assert_num_queries):
    alice, bob = people.users["alice"], people.users["bob"]
    mine, bobs = _three_for_alice_one_for_bob(people)
    with django_assert_num_queries(1):
        changed = notification_mark_read(user=alice, ids=[mine[0].pk, bobs.pk])
    assert changed == 1
    bobs.refresh_from_db()
    assert bobs.read_at is None
    assert selectors.unread_count(alice) == 2
    assert notification_mark_read(user=alice, ids=[mine[0].pk]) == 0  # already read
    assert notification_mark_read(user=alice) == 2
    assert selectors.unread_count(alice) == 0
    assert selectors.unread_count(bob) == 1
    assert notification_mark_read(user=bob, ids=[]) == 0
    assert selectors.unread_count(bob) == 1


def test_selectors_list_own_newest_first(people):
    alice = people.users["alice"]
    mine, bobs = _three_for_alice_one_for_bob(people)
    assert [n.title for n in selectors.notification_list(alice)] == ["三", "二", "一"]
    notification_mark_read(user=alice, ids=[mine[2].pk])
    assert [n.title for n in selectors.notification_list(alice, unread_only=True)] == [
        "二",
        "一",
    ]
    assert bobs not in selectors.notification_list(alice)
    assert selectors.unread_count(alice) == 2


def test_bell_context_is_one_lazy_count(people, django_assert_num_queries):
    request = RequestFactory().get("/")
    request.user = people.users["alice"]
    _three_for_alice_one_for_bob(people)
    with django_assert_num_queries(0):
        context = unread(request)
    with django_assert_num_queries(1):
        assert context["notification_bell"].count == 3
        assert context["notification_bell"].label == "3"


def test_bell_is_skipped_for_anonymous_users(django_assert_num_queries):
    from django.contrib.auth.models import AnonymousUser

    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    with django_assert_num_queries(0):
        assert unread(request) == {}


def test_bell_label_caps_large_counts():
    assert Bell(count=99).label == "99"
    assert Bell(count=100).label == "99+"
