"""Requests no page or operation can take, answered before any view runs."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.utils.translation import gettext as _

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
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": message}, status=400)
            return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
        return self.get_response(request)
