from datetime import timedelta

from django.db.models import Q
from django.utils import timezone

from .models import ApiToken, User
from .services import hash_token

# last_used_at is a hint for administrators; writing it on every request would be waste.
LAST_USED_RESOLUTION = timedelta(minutes=5)


def user_for_token(raw: str) -> User | None:
    if not raw:
        return None
    now = timezone.now()
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=hash_token(raw), revoked_at__isnull=True, user__is_active=True)
        .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))
        .first()
    )
    if token is None:
        return None
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
