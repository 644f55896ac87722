"""Small pieces every app's views share: htmx requests, list addresses, safe redirects
and the refusals of the JSON endpoints."""

from __future__ import annotations

from django.http import JsonResponse
from django.utils.http import url_has_allowed_host_and_scheme

from .errors import error_body


def is_htmx(request) -> bool:
    """A request htmx made to swap part of a page (it answers with that part only)."""
    return request.headers.get("HX-Request") == "true"


def list_query(request, drop: tuple[str, ...] = ("page",)) -> str:
    """The list's filters as a query string, without ``drop`` (the page, by default) and
    without the empty fields a submitted filter form carries, so links and saved views
    stay short."""
    params = request.GET.copy()
    for name in drop:
        params.pop(name, None)
    for name in [k for k, values in params.lists() if not any(v.strip() for v in values)]:
        params.pop(name)
    return params.urlencode()


def is_safe_url(request, url: str) -> bool:
    """An address on this site (never another host, never http from an https page)."""
    return bool(url) and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )


def next_url(request, fallback: str) -> str:
    """Where a form asks to go after it is posted (its ``next`` field), if that is on
    this site; ``fallback`` otherwise."""
    target = request.POST.get("next") or ""
    return target if is_safe_url(request, target) else fallback


def json_refusal(detail, *, status: int, field: str | None = None) -> JsonResponse:
    """A refusal of a view's JSON endpoint in the API's one error shape: ``detail``, and
    ``field`` when the refusal concerns one field."""
    return JsonResponse(error_body(detail, field), status=status)
