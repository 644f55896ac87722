"""One error shape, ``{"detail": …, "field": …}``, wherever a client reads JSON: the API's
own refusals (its request validation and unreadable bodies included) and the error pages
of a client that asked for JSON."""

import pytest

from chuangwen.testing.factories import UserFactory

pytestmark = pytest.mark.django_db

JSON = {"HTTP_ACCEPT": "application/json"}


def test_an_unreadable_json_body_is_refused_in_chinese(client, token_for):
    response = client.post(
        "/api/v1/cases", "{not json", content_type="application/json", **token_for(UserFactory())
    )
    assert response.status_code == 400
    assert response.json() == {"detail": "请求体不是有效的 JSON。"}


def test_request_validation_names_the_field(client, token_for):
    response = client.post(
        "/api/v1/cases",
        {"category": "B0102", "description": "井盖缺失", "lat": "north", "lng": 110.8},
        content_type="application/json",
        **token_for(UserFactory()),
    )
    assert response.status_code == 422
    assert response.json() == {"detail": "请求参数有误:lat 应为有限的数字。", "field": "lat"}


def test_a_session_write_without_its_csrf_token_is_refused_in_the_shape(client):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(UserFactory())
    response = browser.post("/api/v1/cases", {}, content_type="application/json")
    assert response.status_code == 403
    assert response.json() == {"detail": "CSRF 校验失败:请刷新页面后重试,或改用 API 令牌。"}


def test_an_unknown_api_path_answers_json(client):
    response = client.get("/api/v1/nowhere")
    assert response.status_code == 404
    assert response.json() == {"detail": "您要查看的内容不存在,或不在您的工作范围内。"}


def test_error_pages_answer_json_to_a_client_that_asks_for_it(client):
    client.force_login(UserFactory())
    page = client.get("/no-such-page/")
    assert page.status_code == 404 and page["Content-Type"].startswith("text/html")

    missing = client.get("/no-such-page/", **JSON)
    assert missing.status_code == 404
    assert missing.json() == {"detail": "您要查看的内容不存在,或不在您的工作范围内。"}

    wrong_method = client.post("/healthz", **JSON)
    assert wrong_method.status_code == 405 and wrong_method["Allow"] == "GET"
    assert wrong_method.json() == {"detail": "不支持该请求方法。"}

    nul = client.get("/no-such-page/", {"q": "\x00"}, **JSON)
    assert nul.status_code == 400
    assert nul.json() == {"detail": "请求中含有不允许的空字符(NUL)。"}


def test_a_refused_csrf_check_answers_json_to_a_client_that_asks_for_it(client):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(UserFactory())
    response = browser.post("/accounts/logout/", **JSON)
    assert response.status_code == 403
    assert response.json() == {"detail": "您没有权限执行此操作。"}


def test_a_browser_still_gets_the_pages(client):
    assert client.post("/healthz").status_code == 405
    assert not client.post("/healthz")["Content-Type"].startswith("application/json")


def test_the_open311_paths_keep_their_own_error_format(client):
    response = client.get("/open311/v2/requests/nowhere.json", **JSON)
    assert response.status_code == 404
    assert "detail" not in response.content.decode()
