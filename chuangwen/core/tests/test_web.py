"""The view helpers every app shares (core/web.py)."""

import pytest
from django.test import RequestFactory

from chuangwen.core.web import is_htmx, is_safe_url, list_query, next_url

factory = RequestFactory()


def test_htmx_requests_are_told_apart():
    assert is_htmx(factory.get("/cases/", HTTP_HX_REQUEST="true"))
    assert not is_htmx(factory.get("/cases/"))
    assert not is_htmx(factory.get("/cases/", HTTP_HX_REQUEST="false"))


def test_a_list_query_drops_the_page_and_empty_fields():
    request = factory.get("/cases/?status=closed&page=3&q=+&unit=&format=xlsx&box=a&box=")
    assert list_query(request) == "status=closed&format=xlsx&box=a&box="
    assert list_query(request, drop=("page", "format")) == "status=closed&box=a&box="


@pytest.mark.parametrize(
    ("target", "safe"),
    [
        ("/cases/7/", True),
        ("/notifications/?page=2", True),
        ("https://evil.example/", False),
        ("//evil.example/", False),
        ("javascript:alert(1)", False),
        ("", False),
    ],
)
def test_next_goes_only_to_this_site(target, safe):
    request = factory.post("/x/", {"next": target}, HTTP_HOST="testserver")
    assert next_url(request, "/fallback/") == (target if safe else "/fallback/")
    assert is_safe_url(request, target) is safe


def test_an_https_page_does_not_send_back_to_http():
    request = factory.post("/x/", {"next": "http://testserver/a/"}, secure=True)
    assert next_url(request, "/fallback/") == "/fallback/"


def test_json_refusals_have_the_apis_shape():
    import json

    from chuangwen.core.web import json_refusal

    plain = json_refusal("测评任务不存在。", status=404)
    assert plain.status_code == 404 and json.loads(plain.content) == {"detail": "测评任务不存在。"}
    named = json_refusal("请选择一张照片。", status=400, field="photo")
    assert json.loads(named.content) == {"detail": "请选择一张照片。", "field": "photo"}
