import re

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from chuangwen.notifications.models import Notification
from chuangwen.notifications.services import notify
from chuangwen.testing.factories import UserFactory

pytestmark = pytest.mark.django_db


def _give(user, title, url="", body="请查看。"):
    with transaction.atomic():
        (n,) = notify(
            users=[user], title=title, body=body, url=url, kind="test", channels=("inapp",)
        )
    return n


@pytest.fixture
def alice():
    return UserFactory(full_name="张丽")


@pytest.fixture
def bob():
    return UserFactory(full_name="李波")


def _bell_count(page: str) -> str | None:
    match = re.search(r'<span class="bell-count"[^>]*>([^<]*)</span>', page)
    return match.group(1) if match else None


def test_anonymous_users_are_sent_to_login(client, alice):
    n = _give(alice, "督办通知")
    for method, url in [
        ("get", "/notifications/"),
        ("post", "/notifications/read-all/"),
        ("post", f"/notifications/{n.pk}/read/"),
        ("post", f"/notifications/{n.pk}/open/"),
    ]:
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/login/?next=")
    n.refresh_from_db()
    assert n.read_at is None
    page = client.get("/accounts/login/").content.decode()
    assert "notification-bell" not in page


def test_page_lists_own_notices_newest_first_and_bell_counts_them(client, alice, bob):
    _give(alice, "第一条通知", url="/cases/1/")
    _give(alice, "第二条通知", url="/cases/2/")
    _give(bob, "别人的机密通知", url="/cases/3/")
    client.force_login(alice)
    page = client.get("/notifications/").content.decode()
    assert page.index("第二条通知") < page.index("第一条通知")
    assert 'href="/cases/2/"' in page and 'href="/cases/1/"' in page
    assert "别人的机密通知" not in page and "/cases/3/" not in page
    assert _bell_count(page) == "2"
    assert "全部标为已读" in page
    assert "2 条未读通知" in page


def test_bell_is_one_count_on_other_pages(client, alice):
    _give(alice, "督办通知")
    client.force_login(alice)
    client.get("/org/units/")  # warm up sessions and the like
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/org/units/").content.decode()
    assert _bell_count(page) == "1"
    touching = [q["sql"] for q in queries if "notifications_notification" in q["sql"]]
    assert len(touching) == 1 and "COUNT" in touching[0].upper()


def test_no_unread_no_badge(client, alice):
    n = _give(alice, "已读通知")
    Notification.objects.filter(pk=n.pk).update(read_at=n.created_at)
    client.force_login(alice)
    page = client.get("/notifications/").content.decode()
    assert "notification-bell" in page
    assert _bell_count(page) is None
    assert "全部标为已读" not in page
    page = client.get("/notifications/", {"unread": "1"}).content.decode()
    assert "已读通知" not in page and "没有未读通知。" in page


def test_pages_of_thirty(client, alice):
    for i in range(31):
        _give(alice, f"通知{i:02d}号")
    client.force_login(alice)
    first = client.get("/notifications/").content.decode()
    assert first.count('class="notice unread"') == 30
    assert "通知30号" in first and "通知00号" not in first
    second = client.get("/notifications/", {"page": "2"}).content.decode()
    assert second.count('class="notice unread"') == 1 and "通知00号" in second
    assert _bell_count(first) == "31"


def test_mark_all_read_touches_only_own_and_needs_csrf(alice, bob):
    _give(alice, "甲")
    _give(alice, "乙")
    theirs = _give(bob, "丙")
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(alice)
    assert strict.post("/notifications/read-all/").status_code == 403
    assert Notification.objects.filter(read_at__isnull=True).count() == 3

    page = strict.get("/notifications/").content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    response = strict.post(
        "/notifications/read-all/",
        {"csrfmiddlewaretoken": token, "next": "/notifications/?unread=1"},
    )
    assert response.status_code == 302 and response["Location"] == "/notifications/?unread=1"
    assert not Notification.objects.filter(recipient=alice, read_at__isnull=True).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None
    page = strict.get("/notifications/").content.decode()
    assert "已将 2 条通知标为已读。" in page and _bell_count(page) is None


def test_read_all_ignores_foreign_next(client, alice):
    _give(alice, "甲")
    client.force_login(alice)
    response = client.post("/notifications/read-all/", {"next": "https://evil.example/"})
    assert response["Location"] == "/notifications/"


def test_htmx_mark_read_swaps_the_item_and_the_bell(client, alice):
    first = _give(alice, "甲", url="/cases/1/")
    _give(alice, "乙")
    client.force_login(alice)
    response = client.post(f"/notifications/{first.pk}/read/", HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200 and "<html" not in body
    assert f'id="notice-{first.pk}"' in body and 'class="notice"' in body
    assert "标为已读" not in body
    assert 'hx-swap-oob="true"' in body and _bell_count(body) == "1"
    first.refresh_from_db()
    assert first.read_at is not None


def test_marking_someone_elses_notice_is_a_404(client, alice, bob):
    theirs = _give(bob, "别人的")
    client.force_login(alice)
    assert client.post(f"/notifications/{theirs.pk}/read/").status_code == 404
    assert client.post(f"/notifications/{theirs.pk}/open/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_plain_mark_read_goes_back(client, alice):
    n = _give(alice, "甲")
    client.force_login(alice)
    response = client.post(f"/notifications/{n.pk}/read/", {"next": "/notifications/?page=2"})
    assert response.status_code == 302 and response["Location"] == "/notifications/?page=2"
    n.refresh_from_db()
    assert n.read_at is not None


def test_opening_a_notice_marks_it_read_and_follows_the_link(client, alice):
    first = _give(alice, "甲", url="/cases/1/")
    second = _give(alice, "乙", url="/cases/2/")
    client.force_login(alice)
    response = client.post(f"/notifications/{first.pk}/open/")
    assert response.status_code == 302 and response["Location"] == "/cases/1/"
    response = client.post(f"/notifications/{second.pk}/open/", HTTP_HX_REQUEST="true")
    assert response["HX-Redirect"] == "/cases/2/"
    assert not Notification.objects.filter(read_at__isnull=True).exists()


def test_get_cannot_change_state(client, alice):
    n = _give(alice, "甲")
    client.force_login(alice)
    assert client.get("/notifications/read-all/").status_code == 405
    assert client.get(f"/notifications/{n.pk}/open/").status_code == 405
    n.refresh_from_db()
    assert n.read_at is None
