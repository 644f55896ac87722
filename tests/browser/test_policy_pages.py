"""Pages that come from libraries work under the Content-Security-Policy too: the OpenAPI
docs (Swagger UI) and the Django admin. The shared fixture fails a test on any refusal."""

import re

import pytest
from django.db import transaction
from playwright.sync_api import expect

from chuangwen.core.csp import content_security_policy
from chuangwen.org.choices import Role
from chuangwen.testing.city import build_mini_city

from .conftest import shot
from .test_cases import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def mini(transactional_db):
    city = build_mini_city()
    city.admin = city.user(
        Role.CITY_ADMIN, "city", username="guanli", is_staff=True, is_superuser=True
    )
    return city


def test_the_api_docs_load_and_open_an_operation(page, live_server, mini):
    login(page, live_server.url, "guanli")
    page.goto(f"{live_server.url}/api/v1/docs")
    operation = page.locator(".opblock-summary", has_text="/api/v1/territory/locate").first
    expect(operation).to_be_visible()
    operation.click()
    expect(page.locator(".opblock-body").first).to_be_visible()
    # No validator badge: it would load a picture from outside and leak the schema's address.
    expect(page.locator("img[src*='validator']")).to_have_count(0)
    shot(page, f"api-docs-{page.viewport_name}", "operation")


def test_the_admin_lists_filters_and_edits(page, live_server, mini):
    login(page, live_server.url, "guanli")
    page.goto(f"{live_server.url}/admin/")
    expect(page.locator("#site-name")).to_contain_text("系统管理")
    page.goto(f"{live_server.url}/admin/territory/territorynode/?level__exact=street")
    expect(page.locator("#result_list tbody tr")).to_have_count(3)
    page.locator("#result_list tbody tr a").first.click()
    expect(page.locator("input[name=name]")).to_be_visible()
    # The admin's own scripts: the header box selects every row and the counter follows.
    page.goto(f"{live_server.url}/admin/accounts/user/")
    page.locator("#action-toggle").check()
    expect(page.locator(".action-counter")).to_contain_text(re.compile(r"1\D+1"))
    page.goto(f"{live_server.url}/admin/accounts/user/add/")
    expect(page.locator("input[name=username]")).to_be_visible()
    shot(page, f"admin-{page.viewport_name}", "user-add")


def test_map_tiles_load_from_the_tile_server(page, live_server, mini, settings):
    # The live server on its other name stands in for a tile server of another origin.
    port = live_server.url.rsplit(":", 1)[1]
    settings.MAP_TILE_URL = (
        f"http://127.0.0.1:{port}/static/img/favicon.svg?z={{z}}&x={{x}}&y={{y}}"
    )
    settings.CONTENT_SECURITY_POLICY = content_security_policy(tile_url=settings.MAP_TILE_URL)
    login(page, live_server.url, "guanli")
    page.goto(f"{live_server.url}/territory/420302/")
    expect(page.locator("#territory-map img.leaflet-tile-loaded").first).to_be_attached()


def test_a_notice_opens_through_htmx_with_the_csrf_token(page, live_server, mini):
    from chuangwen.notifications.models import Notification
    from chuangwen.notifications.services import notify

    with transaction.atomic():
        (notice,) = notify(
            users=[mini.admin],
            title="案件已派遣",
            body="请处置",
            url="/cases/",
            kind="test",
            channels=("inapp",),
        )
    login(page, live_server.url, "guanli")
    page.goto(f"{live_server.url}/notifications/")
    # htmx posts the click (no eval, the token from data-csrf-token) and follows HX-Redirect.
    page.locator(".notice-title", has_text="案件已派遣").click()
    expect(page).to_have_url(re.compile(r"/cases/$"))
    notice.refresh_from_db()
    assert notice.read_at is not None
    assert Notification.objects.filter(read_at__isnull=True).count() == 0
