from unittest import mock

import pytest
from django.db.utils import OperationalError

pytestmark = pytest.mark.django_db


def test_healthz_checks_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_healthz_reports_a_broken_database_without_its_error_text(client, caplog):
    failure = OperationalError('connection to server at "db-7.internal" (10.2.3.4) failed')
    with mock.patch("chuangwen.core.views.connection.cursor", side_effect=failure):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "unavailable"}
    assert "db-7.internal" in caplog.text  # the operators still learn why


def test_healthz_accepts_only_get(client):
    assert client.post("/healthz").status_code == 405


def test_api_docs_are_served_locally_to_signed_in_users(client):
    from chuangwen.testing.factories import UserFactory

    assert client.get("/api/v1/docs").status_code == 302
    client.force_login(UserFactory())
    page = client.get("/api/v1/docs").content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in page
    assert "cdn." not in page
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/territory/locate" in schema["paths"]


def test_clients_read_the_openapi_document_with_their_bearer_token(client, token_for):
    from chuangwen.testing.factories import UserFactory

    schema = client.get("/api/v1/openapi.json", **token_for(UserFactory()))
    assert schema.status_code == 200 and "/api/v1/cases" in schema.json()["paths"]
    refused = client.get("/api/v1/openapi.json", HTTP_AUTHORIZATION="Bearer cw_not-a-token")
    assert refused.status_code == 401 and refused["WWW-Authenticate"] == "Bearer"
    assert refused.json() == {"detail": "未认证:请提供有效的 API 令牌,或先登录。"}
    assert client.get("/api/v1/openapi.json").status_code == 302  # a browser: to the login
