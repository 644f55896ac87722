import hashlib
import secrets
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from chuangwen.core.audit import audit
from chuangwen.core.errors import ServiceError
from chuangwen.core.types import Actor

from .models import ApiToken, User

TOKEN_PREFIX = "cw_"


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def api_token_create(
    *, user: User, name: str, actor: Actor, expires_at: datetime | None = None
) -> tuple[ApiToken, str]:
    """Create a token for ``user``; returns the row and the raw token (shown only once)."""
    name = (name or "").strip()
    if not name:
        raise ServiceError("请填写令牌用途。")
    if not user.is_active:
        raise ServiceError("该账号已停用，不能创建令牌。")
    if expires_at is not None and expires_at <= timezone.now():
        raise ServiceError("过期时间必须晚于当前时间。")
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user,
            name=name[:80],
            prefix=raw[:10],
            key_hash=hash_token(raw),
            expires_at=expires_at,
        )
        audit(
            actor=actor,
            action="accounts.api_token_create",
            obj=token,
            summary=f"为 {user.username} 创建 API 令牌 {token.prefix}…",
            data={"user": user.username, "name": token.name},
        )
    return token, raw


def api_token_revoke(*, token: ApiToken, actor: Actor) -> ApiToken:
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().get(pk=token.pk)
        if token.revoked_at is not None:
            raise ServiceError("该令牌已吊销。")
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit(
            actor=actor,
            action="accounts.api_token_revoke",
            obj=token,
            summary=f"吊销 API 令牌 {token.prefix}…",
        )
    return token


def user_create(
    *,
    username: str,
    password: str | None,
    full_name: str = "",
    phone: str = "",
    is_staff: bool = False,
    is_superuser: bool = False,
    actor: Actor,
) -> User:
    """Create a staff account; the password must pass the configured validators.

    ``password=None`` creates an account that cannot sign in until an administrator
    sets its password (staff entered in bulk before they are handed their login)."""
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    from chuangwen.core.scoping import CONFIGURE, require

    require(actor, CONFIGURE)
    username = (username or "").strip()
    if not username:
        raise ServiceError("请填写用户名。", field="username")
    if User.objects.filter(username__iexact=username).exists():
        raise ServiceError(f"用户名 {username} 已被使用。", field="username")
    candidate = User(username=username, full_name=full_name.strip(), phone=phone.strip())
    if password is not None:
        try:
            validate_password(password, candidate)
        except ValidationError as exc:
            raise ServiceError(" ".join(exc.messages), field="password") from exc
    with transaction.atomic():
        user = User.objects.create_user(
            username=username,
            password=password,
            full_name=full_name.strip(),
            phone=phone.strip(),
            is_staff=is_staff,
            is_superuser=is_superuser,
        )
        audit(
            actor=actor,
            action="accounts.user_create",
            obj=user,
            summary=f"创建账号 {username}",
            data={"is_staff": is_staff, "is_superuser": is_superuser},
        )
    return user


def user_password_change(*, user: User, new_password: str, actor: Actor) -> User:
    """Set a new password (checked against the validators); a user changes their own,
    a city administrator anyone's."""
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    from chuangwen.core.scoping import CONFIGURE, require

    if actor is None or actor.pk != user.pk:
        require(actor, CONFIGURE)
    try:
        validate_password(new_password, user)
    except ValidationError as exc:
        raise ServiceError(" ".join(exc.messages), field="password") from exc
    with transaction.atomic():
        user.set_password(new_password)
        user.save(update_fields=["password"])
        audit(
            actor=actor,
            action="accounts.password_change",
            obj=user,
            summary=f"修改 {user.username} 的登录密码",
        )
    return user
