"""Requests no page or operation can take, answered before any view runs, and the
refusals of clients that asked for JSON given in the one error shape."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.utils.translation import gettext as _

from .errors import error_body

NUL = "\x00"

# Paths whose clients expect refusals in a format of their own (Open311's error documents):
# prefix → a callable(request, status, message) giving the response. Apps register theirs
# in AppConfig.ready(), so this module needs to know none of them.
REFUSAL_FORMATS: dict[str, Callable[[HttpRequest, int, str], HttpResponse]] = {}


def _has_nul(request) -> bool:
    if NUL in request.path or any(
        NUL in key or any(NUL in value for value in values) for key, values in request.GET.lists()
    ):
        return True
    content_type = request.content_type or ""
    if request.method == "POST" and content_type in (
        "application/x-www-form-urlencoded",
        "multipart/form-data",
    ):
        return any(
            NUL in key or any(NUL in value for value in values)
            for key, values in request.POST.lists()
        )
    if content_type.endswith("json"):
        # JSON writes the character only as the escape \u0000 (a raw one is no JSON).
        body = request.body.lower()
        return b"\\u0000" in body or b"\x00" in body
    return False


class RejectNulMiddleware:
    """A NUL character is never part of real input, and PostgreSQL cannot store or even
    compare text holding one: the query fails and the client would get a 500. A request
    carrying one in its path, query string or body answers 400 instead."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _has_nul(request):
            message = _("请求中含有不允许的空字符(NUL)。")
            for prefix, respond in REFUSAL_FORMATS.items():
                if request.path.startswith(prefix):
                    return respond(request, 400, message)
            if wants_json(request):
                return JsonResponse(error_body(message), status=400)
            return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
        return self.get_response(request)


def wants_json(request) -> bool:
    """A client of the API's paths, or one that lists JSON among the types it accepts
    (a browser's ``*/*`` is not asking for JSON)."""
    if request.path.startswith("/api/"):
        return True
    return any(
        media.main_type == "application" and media.sub_type == "json"
        for media in request.accepted_types
    )


def _refusal_messages() -> dict[int, str]:
    return {
        400: _("请求有误,请检查后重试。"),
        403: _("您没有权限执行此操作。"),
        404: _("您要查看的内容不存在,或不在您的工作范围内。"),
        405: _("不支持该请求方法。"),
        429: _("请求过于频繁,请稍后再试。"),
    }


class JsonRefusalMiddleware:
    """The error pages (400, 403, 404, 405, 429) are HTML for people; a client that asked
    for JSON gets the same refusal in the one error shape, ``{"detail": …}``. Answers
    already in JSON (the API's, the views' JSON endpoints') and the paths whose clients
    expect a format of their own (``REFUSAL_FORMATS``) are left as they are."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            response.status_code not in (400, 403, 404, 405, 429)
            or "json" in response.get("Content-Type", "")
            or any(request.path.startswith(prefix) for prefix in REFUSAL_FORMATS)
            or not wants_json(request)
        ):
            return response
        refusal = JsonResponse(
            error_body(_refusal_messages()[response.status_code]),
            status=response.status_code,
            json_dumps_params={"ensure_ascii": False},
        )
        for header in ("Allow", "Retry-After", "Vary"):
            if response.has_header(header):
                refusal[header] = response[header]
        return refusal
