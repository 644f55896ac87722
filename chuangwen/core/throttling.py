"""Rate limits on the API, Open311 and the public feeds.

django-ninja's throttles do the counting, in the Django cache: Redis when ``REDIS_URL`` is
set (shared by every gunicorn worker and machine), local memory in the embedded demo.
Rates are settings read at each request (``"600/min"``; empty switches a limit off), and
the client is the project's own proxy-aware address, so every limit counts the same
client the same way.
"""

from __future__ import annotations

import hashlib
import math

from django.conf import settings
from django.http import HttpRequest
from ninja.throttling import SimpleRateThrottle

from .http import client_address

ADDRESS = "address"
CALLER = "caller"


class RateLimit(SimpleRateThrottle):
    """At most the rate of setting ``setting`` per client address (``per=ADDRESS``) or
    per caller (``per=CALLER``: the bearer token, else the signed-in account)."""

    def __init__(self, setting: str, *, per: str = ADDRESS):
        # The rate is read per request (see allow_request), not fixed at start-up.
        if per not in (ADDRESS, CALLER):
            raise ValueError(per)
        self.setting = setting
        self.per = per
        self.scope = setting.lower()

    def get_ident(self, request: HttpRequest) -> str | None:
        return client_address(request) or None

    def _caller(self, request: HttpRequest) -> str | None:
        header = request.headers.get("Authorization", "")
        if header[:7].lower() == "bearer ":
            return "t:" + hashlib.sha256(header[7:].strip().encode()).hexdigest()
        user = getattr(request, "auth", None) or getattr(request, "user", None)
        if user is not None and getattr(user, "is_authenticated", False):
            return f"u:{user.pk}"
        return None

    def get_cache_key(self, request: HttpRequest) -> str | None:
        ident = self._caller(request) if self.per == CALLER else self.get_ident(request)
        return None if ident is None else f"ratelimit:{self.scope}:{ident}"

    def allow_request(self, request: HttpRequest) -> bool:
        rate = getattr(settings, self.setting, "")
        if not rate:
            return True
        self.num_requests, self.duration = self.parse_rate(rate)
        return super().allow_request(request)

    def wait(self) -> float | None:
        """Seconds until the oldest counted request leaves the window."""
        if not self.history:
            return float(self.duration)
        return max(0.0, self.duration - (self.now - self.history[-1]))


def exceeded(request: HttpRequest, *limits: RateLimit) -> int | None:
    """Count the request against ``limits``; the whole seconds to wait when one of them
    is used up (the Retry-After to send), else None."""
    waits = [limit.wait() for limit in limits if not limit.allow_request(request)]
    if not waits:
        return None
    return max(1, math.ceil(max(w for w in waits if w is not None)))


def limited(*limits: RateLimit):
    """A view decorator: over a limit the answer is 429 in JSON with Retry-After."""
    from functools import wraps

    from django.http import JsonResponse
    from django.utils.translation import gettext as _

    from .errors import error_body

    def decorate(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            wait = exceeded(request, *limits)
            if wait is None:
                return view(request, *args, **kwargs)
            text = _("请求过于频繁,请于 %(seconds)s 秒后再试。") % {"seconds": wait}
            response = JsonResponse(error_body(text), status=429)
            response["Retry-After"] = str(wait)
            return response

        return wrapper

    return decorate
