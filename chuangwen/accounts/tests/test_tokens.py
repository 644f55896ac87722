from datetime import timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from chuangwen.accounts.models import ApiToken
from chuangwen.accounts.services import api_token_create, api_token_revoke, hash_token
from chuangwen.core.errors import ServiceError
from chuangwen.core.models import AuditEvent
from chuangwen.testing.factories import UserFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/org/units"


def bearer(raw):
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_token_is_stored_as_a_hash_and_works(client):
    user = UserFactory()
    token, raw = api_token_create(user=user, name="巡查 App", actor=None)
    assert raw.startswith("cw_") and len(raw) > 40
    assert token.key_hash == hash_token(raw) and raw not in token.key_hash
    assert client.get(URL, **bearer(raw)).status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None
    assert AuditEvent.objects.filter(
        action="accounts.api_token_create", object_id=str(token.pk)
    ).exists()


def test_revoked_expired_and_inactive_tokens_are_refused(client):
    user = UserFactory()
    revoked, raw_revoked = api_token_create(user=user, name="a", actor=None)
    api_token_revoke(token=revoked, actor=None)
    expiring, raw_expiring = api_token_create(
        user=user, name="b", actor=None, expires_at=timezone.now() + timedelta(seconds=30)
    )
    ApiToken.objects.filter(pk=expiring.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    other = UserFactory()
    _, raw_other = api_token_create(user=other, name="c", actor=None)
    other.is_active = False
    other.save()
    for raw in (raw_revoked, raw_expiring, raw_other, raw_revoked + "x"):
        assert client.get(URL, **bearer(raw)).status_code == 401


def test_token_service_refusals():
    user = UserFactory()
    with pytest.raises(ServiceError, match="用途"):
        api_token_create(user=user, name=" ", actor=None)
    with pytest.raises(ServiceError, match="过期时间"):
        api_token_create(
            user=user, name="x", actor=None, expires_at=timezone.now() - timedelta(days=1)
        )
    with pytest.raises(ServiceError, match="停用"):
        api_token_create(user=UserFactory(is_active=False), name="x", actor=None)
    token, _ = api_token_create(user=user, name="x", actor=None)
    api_token_revoke(token=token, actor=None)
    with pytest.raises(ServiceError, match="已吊销"):
        api_token_revoke(token=token, actor=None)


def test_create_api_token_command_prints_a_working_token(client, capsys):
    UserFactory(username="operator")
    call_command("create_api_token", "operator", "--name", "12345 对接")
    raw = capsys.readouterr().out.strip()
    assert client.get(URL, **bearer(raw)).status_code == 200
    assert ApiToken.objects.get().name == "12345 对接"


def test_create_api_token_command_for_unknown_user():
    with pytest.raises(CommandError, match="no user"):
        call_command("create_api_token", "nobody")


def test_user_create_validates_and_audits():
    from chuangwen.accounts.services import user_create

    user = user_create(username="li", password="Wudang-Mountain-88", full_name="李四", actor=None)
    assert user.check_password("Wudang-Mountain-88")
    assert AuditEvent.objects.filter(action="accounts.user_create", object_id=str(user.pk)).exists()
    with pytest.raises(ServiceError, match="已被使用"):
        user_create(username="LI", password="Wudang-Mountain-88", actor=None)
    with pytest.raises(ServiceError):
        user_create(username="zhang", password="1234567890", actor=None)
    with pytest.raises(ServiceError, match="用户名"):
        user_create(username=" ", password="Wudang-Mountain-88", actor=None)
    pending = user_create(username="wang", password=None, full_name="王五", actor=None)
    assert not pending.has_usable_password()


@pytest.mark.parametrize("role", ["city_operator", "street_operator", "unit_handler", "volunteer"])
def test_only_city_admins_create_users(city, role):
    from chuangwen.accounts.services import user_create
    from chuangwen.core.errors import PermissionDeniedError
    from chuangwen.testing.city import ROLE_HOMES

    actor = city.user(role, ROLE_HOMES[role])
    with pytest.raises(PermissionDeniedError):
        user_create(username="newbie", password="Wudang-Mountain-88", actor=actor)


def test_password_change_service(city):
    from chuangwen.accounts.services import user_password_change
    from chuangwen.core.errors import PermissionDeniedError

    target = city.user("street_operator", "420302001")
    admin = city.user("city_admin", "city")
    user_password_change(user=target, new_password="Wudang-Mountain-88", actor=admin)
    target.refresh_from_db()
    assert target.check_password("Wudang-Mountain-88")
    assert AuditEvent.objects.filter(action="accounts.password_change", actor=admin).exists()
    other = city.user("street_operator", "420302002")
    with pytest.raises(PermissionDeniedError):
        user_password_change(user=target, new_password="Wudang-Mountain-99", actor=other)
    with pytest.raises(ServiceError):
        user_password_change(user=target, new_password="1234567890", actor=target)
