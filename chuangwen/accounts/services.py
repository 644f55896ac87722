import hashlib
import secrets
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from chuangwen.core.audit import audit
from chuangwen.core.errors import ServiceError

from .models import ApiToken, User

TOKEN_PREFIX = "cw_"


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def api_token_create(
    *, user: User, name: str, actor: User | None, expires_at: datetime | None = None
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


def api_token_revoke(*, token: ApiToken, actor: User | None) -> ApiToken:
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
