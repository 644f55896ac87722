import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from chuangwen.testing.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def test_login_page_is_in_chinese(client):
    page = client.get("/accounts/login/").content.decode()
    assert "登录" in page and "用户名" in page and "密码" in page
    assert 'lang="zh-hans"' in page


def test_login_and_logout(client):
    user = UserFactory(username="wang")
    response = client.post("/accounts/login/", {"username": "wang", "password": TEST_PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get("/").status_code == 200
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert client.get("/").status_code == 302
    assert user.pk


def test_wrong_password_gives_a_chinese_error(client):
    UserFactory(username="wang")
    page = client.post(
        "/accounts/login/", {"username": "wang", "password": "wrong"}
    ).content.decode()
    assert "用户名或密码不正确" in page


def test_inactive_user_cannot_log_in(client):
    UserFactory(username="gone", is_active=False)
    response = client.post("/accounts/login/", {"username": "gone", "password": TEST_PASSWORD})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_repeated_failures_lock_the_account_out(client, settings):
    UserFactory(username="wang")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert (
            client.post("/accounts/login/", {"username": "wang", "password": "wrong"}).status_code
            == 200
        )
    locked = client.post("/accounts/login/", {"username": "wang", "password": "wrong"})
    assert locked.status_code == 429
    assert "账号已临时锁定" in locked.content.decode()
    assert "30 分钟" in locked.content.decode()
    # Even the right password is refused while locked.
    again = client.post("/accounts/login/", {"username": "wang", "password": TEST_PASSWORD})
    assert again.status_code == 429
    assert "_auth_user_id" not in client.session


def test_lockout_is_per_account(client, settings):
    UserFactory(username="wang")
    UserFactory(username="li")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/accounts/login/", {"username": "wang", "password": "wrong"})
    response = client.post("/accounts/login/", {"username": "li", "password": TEST_PASSWORD})
    assert response.status_code == 302


@pytest.mark.parametrize("password", ["12345678901", "password123", "short", "wangjianguo1"])
def test_weak_passwords_are_rejected(password):
    user = UserFactory.build(username="wangjianguo1", full_name="王建国")
    with pytest.raises(ValidationError):
        validate_password(password, user)


def test_a_strong_password_passes():
    validate_password("Shiyan-Civil-City-2026", UserFactory.build())


def test_pages_redirect_anonymous_users_to_login(client):
    response = client.get("/org/units/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/org/units/"


def test_password_change_is_validated_and_audited(client):
    from chuangwen.core.models import AuditEvent

    user = UserFactory(username="wang")
    client.force_login(user)
    page = client.get("/accounts/password/").content.decode()
    assert "修改密码" in page
    bad = client.post(
        "/accounts/password/",
        {"old_password": "wrong", "new_password1": "12345678901", "new_password2": "12345678901"},
    )
    assert bad.status_code == 200
    assert "密码" in bad.content.decode()
    good = client.post(
        "/accounts/password/",
        {
            "old_password": TEST_PASSWORD,
            "new_password1": "Wudang-Mountain-88",
            "new_password2": "Wudang-Mountain-88",
        },
    )
    assert good.status_code == 302
    assert AuditEvent.objects.filter(action="accounts.password_change", actor=user).exists()
    user.refresh_from_db()
    assert user.check_password("Wudang-Mountain-88")


def fail_from(client, address: str, password: str = "wrong", username: str = "wang"):
    return client.post(
        "/accounts/login/",
        {"username": username, "password": password},
        REMOTE_ADDR="10.0.0.2",  # the proxy in front of the site
        HTTP_X_FORWARDED_FOR=address,
    )


def test_the_lockout_counts_the_client_behind_the_proxy(client, settings):
    from axes.models import AccessAttempt

    settings.TRUSTED_PROXY_HOPS = 1
    UserFactory(username="wang")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        fail_from(client, "203.0.113.5")
    assert fail_from(client, "203.0.113.5", TEST_PASSWORD).status_code == 429
    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == ["203.0.113.5"]
    # Someone else behind the same proxy is not locked out with them.
    assert fail_from(client, "198.51.100.7", TEST_PASSWORD).status_code == 302


def test_a_forged_forwarded_header_does_not_escape_the_lockout(client, settings):
    settings.TRUSTED_PROXY_HOPS = 0  # no proxy in front: the header is the client's own words
    UserFactory(username="wang")
    for n in range(settings.AXES_FAILURE_LIMIT):
        fail_from(client, f"192.0.2.{n}")
    assert fail_from(client, "192.0.2.200", TEST_PASSWORD).status_code == 429
