from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.http import JsonResponse
from ninja.security import HttpBearer, django_auth

from chuangwen.core.errors import error_body

from .selectors import user_for_token


class BearerToken(HttpBearer):
    """``Authorization: Bearer <token>`` for API clients."""

    def authenticate(self, request, token: str):
        user = user_for_token(token)
        if user is None:
            return None
        request.user = user
        return user


UNAUTHENTICATED = "未认证:请提供有效的 API 令牌,或先登录。"

# Browsers use their session (with CSRF on writes); clients use a bearer token.
API_AUTH = [BearerToken(), django_auth]


def session_or_token(view):
    """For the API's own documents (the OpenAPI schema, its Swagger page): a signed-in
    browser or a client with a valid bearer token. A bad token answers 401 in the API's
    error shape; a browser without a session goes to the login page."""

    @wraps(view)
    def guarded(request, *args, **kwargs):
        if not request.user.is_authenticated and "Authorization" in request.headers:
            if BearerToken()(request) is None:
                return JsonResponse(
                    error_body(UNAUTHENTICATED),
                    status=401,
                    headers={"WWW-Authenticate": "Bearer"},
                    json_dumps_params={"ensure_ascii": False},
                )
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    return guarded
