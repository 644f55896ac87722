from ninja.security import HttpBearer, django_auth

from .selectors import user_for_token


class BearerToken(HttpBearer):
    """``Authorization: Bearer <token>`` for API clients."""

    def authenticate(self, request, token: str):
        user = user_for_token(token)
        if user is None:
            return None
        request.user = user
        return user


# Browsers use their session (with CSRF on writes); clients use a bearer token.
API_AUTH = [BearerToken(), django_auth]
