import re

import pytest
from playwright.sync_api import expect

from chuangwen.org.choices import Role
from chuangwen.testing.city import build_mini_city
from chuangwen.testing.factories import TEST_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def mini(transactional_db):
    return build_mini_city()


def login(page, base, username, password=TEST_PASSWORD):
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")


def open_menu_if_folded(page):
    toggle = page.locator("[data-nav-toggle]")
    if toggle.is_visible():
        toggle.click()


def click_map_at(page, lat, lng):
    x, y = page.evaluate(
        """([lat, lng]) => {
             const map = document.getElementById('territory-map').leafletMap;
             if (!map.getBounds().pad(-0.1).contains([lat, lng])) {
               map.setView([lat, lng], map.getZoom(), { animate: false });
             }
             const p = map.latLngToContainerPoint([lat, lng]);
             return [p.x, p.y];
           }""",
        [lat, lng],
    )
    box = page.locator("#territory-map").bounding_box()
    page.mouse.click(box["x"] + x, box["y"] + y)


def test_login_refuses_a_wrong_password_then_lets_in(page, live_server, mini):
    mini.user(Role.STREET_OPERATOR, "420302001", username="wudanglu", full_name="刘海燕")
    login(page, live_server.url, "wudanglu", "wrong-password")
    expect(page.locator(".error")).to_contain_text("用户名或密码不正确")
    login(page, live_server.url, "wudanglu")
    expect(page.locator("h1")).to_contain_text("您好,刘海燕")
    expect(page.locator("main")).to_contain_text("街道管理员")


def test_territory_map_drill_down_and_locate(page, live_server, mini):
    mini.user(Role.CITY_OPERATOR, "city", username="operator")
    login(page, live_server.url, "operator")
    open_menu_if_folded(page)
    page.get_by_role("link", name="属地地图").click()
    expect(page).to_have_url(re.compile(r"/territory/420300/$"))
    expect(page.locator("#territory-map")).to_have_attribute("data-loaded", "2")

    # Click inside 茅箭区: the popup names the point's whole chain and offers to go in.
    click_map_at(page, 32.05, 110.08)
    popup = page.locator(".leaflet-popup-content")
    expect(popup).to_contain_text("茅箭区")
    expect(popup).to_contain_text("武当1社区第2网格")
    expect(page.locator("#locate-result")).to_contain_text("武当路街道")
    # The popup may still be panning into view on a small screen; click once it rests.
    page.wait_for_function(
        """() => { const map = document.getElementById('territory-map').leafletMap;
                   return !map._panAnim || !map._panAnim._inProgress; }"""
    )
    popup.get_by_role("link", name=re.compile("进入")).click()
    expect(page).to_have_url(re.compile(r"/territory/420302/$"))
    expect(page.locator("#territory-map")).to_have_attribute("data-loaded", "2")

    # Down the table to a street, a community and a grid.
    page.get_by_role("link", name="武当路街道").first.click()
    page.get_by_role("link", name="武当1社区").click()
    page.get_by_role("link", name="武当1社区第1网格").click()
    expect(page.locator("h1")).to_contain_text("武当1社区第1网格")
    expect(page.locator("main")).to_contain_text("属地兜底")
    expect(page.locator(".breadcrumb")).to_contain_text("十堰市")

    # A click outside the city says so.
    click_map_at(page, 32.5, 110.5)
    expect(page.locator("#locate-result")).to_contain_text("不在十堰市辖区内")


def test_street_user_sees_only_their_street(page, live_server, mini):
    mini.user(Role.STREET_OPERATOR, "420302001", username="wudanglu")
    login(page, live_server.url, "wudanglu")
    page.goto(f"{live_server.url}/territory/")
    expect(page).to_have_url(re.compile(r"/territory/420302001/$"))
    response = page.goto(f"{live_server.url}/territory/420302002/")
    assert response.status == 404
    expect(page.locator("h1")).to_contain_text("未找到该页面")


def test_unit_directory_search_updates_in_place(page, live_server, mini):
    mini.user(Role.CITY_OPERATOR, "city", username="operator")
    login(page, live_server.url, "operator")
    page.goto(f"{live_server.url}/org/units/")
    expect(page.locator("#unit-table")).to_contain_text("市城管执法委")
    page.fill("input[name=q]", "车城路")
    expect(page.locator("#unit-table tbody tr")).to_have_count(1)
    expect(page).to_have_url(re.compile(r"q=%E8%BD%A6%E5%9F%8E%E8%B7%AF"))
    page.locator("#unit-table").get_by_role("link", name=re.compile("车城路街道")).click()
    expect(page.locator("h1")).to_contain_text("车城路街道")


def test_language_switch_to_english(page, live_server, mini):
    mini.user(Role.CITY_OPERATOR, "city", username="operator")
    login(page, live_server.url, "operator")
    page.select_option("select[name=language]", "en")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    open_menu_if_folded(page)
    expect(page.locator("#mainnav")).to_contain_text("Unit directory")
