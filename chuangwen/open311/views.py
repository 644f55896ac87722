"""GeoReport v2 over HTTP: parse the parameters, call a selector or the service, answer
in the format the path names. Every refusal is an ``<errors>`` document."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from functools import wraps

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from chuangwen.core import clock
from chuangwen.core.errors import ServiceError
from chuangwen.core.http import client_hash
from chuangwen.core.throttling import RateLimit, exceeded

from . import render, selectors
from .services import RateLimitedError, open311_request_submit
from .w3c import parse_datetime

MAX_SPAN = timedelta(days=90)
MAX_ROWS = 1000
STATUSES = ("open", "closed")
ATTRIBUTE = re.compile(r"attribute\[([^\[\]]+)\](\[\])?")


READS = RateLimit("OPEN311_READ_RATE")
WRITES = RateLimit("OPEN311_WRITE_RATE")


class _NotFound(ServiceError):
    status_code = 404


def _param(request, name: str) -> str:
    value = request.POST.get(name) if request.method == "POST" else None
    return (value if value is not None else request.GET.get(name, "")).strip()


def _list(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


def endpoint(*methods: str):
    """Method and jurisdiction checks, and refusals in the spec's error format."""
    allowed = set(methods) | ({"HEAD"} if "GET" in methods else set())

    def decorate(view):
        @csrf_exempt  # clients post forms with an api_key, not from a page of ours
        @wraps(view)
        def wrapper(request, fmt: str, **kwargs):
            if request.method not in allowed:
                return render.error(
                    fmt,
                    405,
                    _("此接口不支持 %(method)s 请求,请使用 %(allowed)s。")
                    % {"method": request.method, "allowed": "、".join(sorted(methods))},
                    Allow=", ".join(sorted(allowed)),
                )
            wait = exceeded(request, WRITES if request.method == "POST" else READS)
            if wait is not None:
                return render.error(
                    fmt,
                    429,
                    _("请求过于频繁,请于 %(seconds)s 秒后再试。") % {"seconds": wait},
                    Retry_After=str(wait),
                )
            jurisdiction = _param(request, "jurisdiction_id")
            if jurisdiction and jurisdiction.lower() != settings.OPEN311_JURISDICTION.lower():
                return render.error(
                    fmt,
                    404,
                    _("未知的 jurisdiction_id:%(value)s。本接口服务的辖区为 %(ours)s。")
                    % {"value": jurisdiction[:60], "ours": settings.OPEN311_JURISDICTION},
                )
            try:
                return view(request, fmt, **kwargs)
            except RateLimitedError as exc:
                return render.error(fmt, 429, exc.message, Retry_After=str(exc.retry_after))
            except ServiceError as exc:
                status = exc.status_code if exc.status_code in (403, 404, 500) else 400
                return render.error(fmt, status, exc.message)

        return wrapper

    return decorate


def _window(request, *, default: timedelta) -> tuple[datetime, datetime]:
    """start_date/end_date: what the client gave, filled in up to now, at most 90 days."""
    start_raw, end_raw = _param(request, "start_date"), _param(request, "end_date")
    start = parse_datetime(start_raw, name="start_date") if start_raw else None
    end = parse_datetime(end_raw, name="end_date", end_of_day=True) if end_raw else None
    if start is None and end is None:
        end = clock.now()
    if start is None:
        start = end - default
    if end is None:
        end = max(start, min(clock.now(), start + MAX_SPAN))
    if start > end:
        raise ServiceError(_("start_date 不能晚于 end_date。"), field="start_date")
    if end - start > MAX_SPAN:
        raise ServiceError(
            _("start_date 与 end_date 相隔不能超过 90 天,请分段查询。"), field="end_date"
        )
    return start, end


def _codes(value: str, *, name: str) -> list[str]:
    codes = [code.upper() for code in _list(value)]
    if len(codes) > MAX_ROWS:
        raise ServiceError(
            _("%(name)s 一次最多 %(n)s 个。") % {"name": name, "n": MAX_ROWS}, field=name
        )
    return codes


@endpoint("GET")
def discovery(request, fmt: str):
    services_url = request.build_absolute_uri(reverse("open311:services", kwargs={"fmt": fmt}))
    data = selectors.discovery(url=services_url.rsplit("/", 1)[0])
    return render.respond(data, fmt, root="discovery")


@endpoint("GET")
def services(request, fmt: str):
    return render.respond(selectors.service_list(), fmt, root="services")


@endpoint("GET")
def service_definition(request, fmt: str, service_code: str):
    category = selectors.service_category(service_code)
    if category is None:
        raise _NotFound(_("未知的服务代码:%(code)s。") % {"code": service_code[:20]})
    return render.respond(selectors.service_definition(category), fmt, root="service_definition")


@endpoint("GET", "POST")
def requests(request, fmt: str):
    if request.method == "POST":
        return _submit(request, fmt)
    codes = _codes(_param(request, "service_request_id"), name="service_request_id")
    if codes:  # the spec: named requests override every other filter
        cases = selectors.search_requests(codes=codes, limit=MAX_ROWS)
        return render.respond(selectors.request_rows(cases), fmt, root="service_requests")
    service_codes = _codes(_param(request, "service_code"), name="service_code")
    unknown = sorted(set(service_codes) - selectors.known_service_codes(service_codes))
    if unknown:
        raise ServiceError(
            _("未知的服务代码 service_code:%(codes)s。") % {"codes": "、".join(unknown)[:200]},
            field="service_code",
        )
    statuses = [status.lower() for status in _list(_param(request, "status"))]
    wrong = [s for s in statuses if s not in STATUSES]
    if wrong:
        raise ServiceError(
            _("status 只能是 open 或 closed(多个用逗号分隔),收到“%(value)s”。")
            % {"value": wrong[0][:20]},
            field="status",
        )
    start, end = _window(request, default=MAX_SPAN)
    cases = selectors.search_requests(
        service_codes=service_codes, start=start, end=end, statuses=statuses, limit=MAX_ROWS
    )
    return render.respond(selectors.request_rows(cases), fmt, root="service_requests")


def _attributes(data) -> dict[str, list[str]]:
    """attribute[code]=v, and attribute[code][]=v1&attribute[code][]=v2 for lists."""
    values: dict[str, list[str]] = {}
    for name in data:
        match = ATTRIBUTE.fullmatch(name)
        if match:
            values.setdefault(match.group(1).strip(), []).extend(data.getlist(name))
    return values


def _submit(request, fmt: str):
    raw = _param(request, "api_key")
    if not raw:
        return render.error(fmt, 403, _("缺少 api_key:提交上报须提供市创文办发放的 API 密钥。"))
    key = selectors.key_for(raw)
    if key is None:
        return render.error(fmt, 403, _("api_key 无效:请核对密钥是否完整。"))
    fields = (
        "service_code",
        "lat",
        "long",
        "address_string",
        "address_id",
        "description",
        "first_name",
        "last_name",
        "phone",
        "email",
        "device_id",
        "account_id",
        "media_url",
    )
    intake = open311_request_submit(
        key=key,
        attributes=_attributes(request.POST),
        client_hash=client_hash(request),
        **{name: _param(request, name) for name in fields},
    )
    case = intake.case
    row = {
        "service_request_id": case.code,
        "token": case.public_token,
        "service_notice": selectors.service_notice(case),
        "account_id": _param(request, "account_id") or None,
    }
    return render.respond([row], fmt, root="service_requests")


@endpoint("GET")
def request_detail(request, fmt: str, service_request_id: str):
    case = selectors.request_by_code(service_request_id)
    if case is None:
        raise _NotFound(_("未找到编号为 %(code)s 的服务请求。") % {"code": service_request_id[:30]})
    return render.respond(selectors.request_rows([case]), fmt, root="service_requests")


@endpoint("GET")
def token(request, fmt: str, token: str):
    case = selectors.request_for_token(token)
    if case is None:
        raise _NotFound(_("未找到查询码 %(token)s 对应的服务请求。") % {"token": token[:30]})
    row = {"service_request_id": case.code, "token": case.public_token}
    return render.respond([row], fmt, root="service_requests")


@endpoint("GET")
def updates(request, fmt: str):
    codes = _codes(_param(request, "service_request_id"), name="service_request_id")
    start, end = _window(request, default=timedelta(hours=24))
    rows = selectors.request_updates(start=start, end=end, codes=codes, limit=MAX_ROWS)
    return render.respond(rows, fmt, root="service_request_updates")
