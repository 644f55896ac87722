"""The scope matrix: every URL pattern and every API operation, tried by every role (and
by nobody) against objects outside that role's scope.

What it holds each route to is in routes.py; what it tries them on is in world.py. A
route that nobody classified fails ``test_every_route_is_classified``.
"""

from __future__ import annotations

import io
import json
import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from PIL import Image

from chuangwen.api import api
from chuangwen.testing.city import ROLE_HOMES

from .routes import (
    API,
    CITYWIDE_ROLES,
    OFFICE,
    OWNED,
    PAGE,
    PUBLIC,
    SCOPED,
    SHARED,
    URLS,
    Route,
)
from .world import build_world

ANONYMOUS = "anonymous"


# -- what the code has ------------------------------------------------------------------------
def _walk(patterns, prefix="", namespace=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            space = ":".join(n for n in (namespace, entry.namespace) if n)
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), space)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name
            yield prefix + str(entry.pattern), name


def site_routes() -> dict[str, str]:
    """Route name → pattern, for every route but the API's operations and the admin."""
    routes = {}
    for pattern, name in _walk(get_resolver().url_patterns):
        if pattern.startswith("admin/"):
            continue
        if pattern.startswith("api/v1/") and name not in URLS:
            continue  # an operation, checked by its method and path below
        routes[name or pattern] = pattern
    return routes


def admin_routes() -> list[tuple[str, str]]:
    return [(p, n) for p, n in _walk(get_resolver().url_patterns) if p.startswith("admin/")]


def api_operations() -> dict[str, dict]:
    schema = api.get_openapi_schema()
    return {
        f"{method.upper()} {path}": operation
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
    }


def test_every_route_and_operation_is_classified():
    routes = site_routes()
    unclassified = sorted(set(routes) - set(URLS))
    gone = sorted(set(URLS) - set(routes))
    assert not unclassified, f"routes nobody classified in tests/trust/routes.py: {unclassified}"
    assert not gone, f"classified routes that no longer exist: {gone}"
    operations = api_operations()
    unclassified = sorted(set(operations) - set(API))
    gone = sorted(set(API) - set(operations))
    assert not unclassified, f"API operations nobody classified: {unclassified}"
    assert not gone, f"classified API operations that no longer exist: {gone}"


# -- what each role must get ------------------------------------------------------------------
def expected(route: Route, role: str) -> set[int] | None:
    """The statuses the role must get from the route on the outsider's object; None when
    any answer short of a server error will do (the route is theirs to use, and what it
    shows is checked for the outsider's data instead)."""
    if role == ANONYMOUS:
        return None if route.kind == PUBLIC else {302, 401}
    if route.kind == PUBLIC:
        return None
    if not route.allowed(role):
        return {403, 404}
    if route.kind == OWNED:
        return {404}
    if route.kind == SCOPED:
        return None if role in CITYWIDE_ROLES else {404}
    return None


def secrets_for(world, role: str) -> list[str]:
    """What the role must not read anywhere: a person's own notice for everyone else, and
    the outsider's case, its 问责 and its appeal for all but the city-wide roles."""
    found = ["张湾通知"]
    if role not in CITYWIDE_ROLES:
        found += [world.texts["case"], "外人不可见", "外人不可见的问责", "外人不可见的申诉"]
    return found


def _jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (16, 16), "red").save(buffer, "JPEG")
    return buffer.getvalue()


def _request(client, method: str, url: str, query: dict, headers: dict, photo_case=None, body=None):
    if photo_case is not None:
        from django.core.files.uploadedfile import SimpleUploadedFile

        data = {
            "file": SimpleUploadedFile("p.jpg", _jpeg(), content_type="image/jpeg"),
            "case": photo_case,
            "kind": "before",
        }
        return client.post(url, data, **headers)
    if method == "GET":
        return client.get(url, query, **headers)
    if url.startswith("/api/"):
        data = json.dumps(body or {}, ensure_ascii=False)
        return client.post(url, data, content_type="application/json", **headers)
    return client.post(url, query, **headers)


def _check(failures, label, response, want, secrets, also=()):
    status = response.status_code
    if status >= 500:
        failures.append(f"{label}: server error {status}")
        return
    if want is not None and status not in want and status not in also:
        failures.append(f"{label}: {status}, expected {sorted(want)}")
        return
    if status == 200 and secrets:
        body = b"".join(response) if response.streaming else response.content
        text = body.decode("utf-8", "replace")
        shown = [s for s in secrets if s in text]
        if shown:
            failures.append(f"{label}: shows {shown}")


def _api_path(path: str, kwargs: dict) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: str(kwargs[m.group(1)]), path)


@pytest.mark.django_db
def test_scope_matrix(client, settings, token_for, capsys):
    # The matrix sends thousands of requests from one address: limits are tested apart.
    for name in (
        "API_RATE_PER_ADDRESS",
        "API_RATE_PER_CALLER",
        "OPEN311_READ_RATE",
        "OPEN311_WRITE_RATE",
        "PUBLIC_FEED_RATE",
    ):
        setattr(settings, name, "")
    world = build_world()
    failures: list[str] = []
    tried = 0
    roles = [ANONYMOUS, *sorted(ROLE_HOMES)]
    for role in roles:
        user = world.people.get(role)
        client.logout()
        if user is not None:
            client.force_login(user)
        headers = token_for(user) if user is not None else {}
        secrets = secrets_for(world, role)
        for name, route in URLS.items():
            url = reverse(name, kwargs=route.kwargs(world))
            want = expected(route, role)
            for method in route.methods:
                if method == "POST" and want is None and route.kind != PUBLIC:
                    continue  # a write the role may make: not the matrix's question
                response = _request(client, method, url, route.query(world), {})
                tried += 1
                if name == "accounts:logout" and user is not None:
                    client.force_login(user)  # the matrix goes on as the role
                if response.status_code == 405:
                    continue
                _check(failures, f"{role} {method} {url}", response, want, secrets, route.also)
        for key, route in API.items():
            method, path = key.split(" ", 1)
            url = _api_path(path, route.kwargs(world))
            want = {401} if role == ANONYMOUS else expected(route, role)
            if method == "POST" and want is None and route.kind != PUBLIC:
                continue
            photo_case = world.ids["case"] if path == "/api/v1/cases/photos" else None
            response = _request(
                client, method, url, route.query(world), headers, photo_case, route.body
            )
            tried += 1
            _check(failures, f"{role} {key}", response, want, secrets, route.also)
        client.logout()
    admin_tried = _admin_is_for_city_admins(client, world, failures)
    with capsys.disabled():
        print(
            f"\nSCOPE MATRIX routes={len(URLS)} api_operations={len(API)} roles={len(roles)}"
            f" requests={tried} admin_routes={len(admin_routes())} admin_requests={admin_tried}"
            f" failures={len(failures)}"
        )
    assert not failures, "\n".join(failures)


def _admin_is_for_city_admins(client, world, failures) -> int:
    """Every admin page sends everyone but the city admins to the admin's login."""
    tried = 0
    samples = {"object_id": "1", "app_label": "cases", "content_type_id": "1", "id": "1"}
    for role, user in world.people.items():
        if role not in ROLE_HOMES or role == "city_admin":
            continue
        client.force_login(user)
        for pattern, name in admin_routes():
            if name in ("admin:login", "admin:logout"):
                continue  # the way in and out, open to all
            kwargs = {
                key: value
                for key, value in samples.items()
                if f"<{key}>" in pattern or f":{key}>" in pattern
            }
            if "<url>" in pattern or "(?P<url>" in pattern:
                kwargs["url"] = "x"
            try:
                url = reverse(name, kwargs=kwargs) if name else None
            except Exception:
                url = None
            if url is None:
                continue
            response = client.get(url)
            tried += 1
            refused = response.status_code in (403, 404) or (
                response.status_code == 302 and "/admin/login/" in response["Location"]
            )
            if not refused:
                failures.append(f"{role} GET {url}: {response.status_code} (admin)")
        client.logout()
    return tried


# Kinds the matrix knows; a typo in routes.py fails here rather than passing quietly.
assert {r.kind for r in (*URLS.values(), *API.values())} <= {
    PUBLIC,
    PAGE,
    SCOPED,
    OWNED,
    SHARED,
    OFFICE,
}
