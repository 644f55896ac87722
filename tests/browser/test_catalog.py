"""The office gives a 小类 its extra fields in the browser, and Open311 clients see them."""

import pytest
from playwright.sync_api import expect

from chuangwen.testing.cases import build_catalogue
from chuangwen.testing.city import build_mini_city
from chuangwen.testing.people import city_people

from .conftest import shot
from .test_cases import login, open_menu_if_folded

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def office(transactional_db):
    city = build_mini_city()
    build_catalogue(city)
    city.people = city_people(city, "admin", admin={"username": "guanli"})
    return city


def _add_field(page, *, code, label, kind, choices=""):
    page.get_by_role("link", name="新增附加字段").click()
    page.fill("#field-code", code)
    page.fill("#field-label", label)
    page.select_option("#field-type", kind)
    if choices:
        page.fill("#field-choices", choices)
    page.get_by_role("button", name="保存").click()
    expect(page.locator("body")).to_contain_text("附加字段已保存")


def test_the_office_edits_a_minor_categorys_extra_fields(page, live_server, office, request):
    base = live_server.url
    name = request.node.name
    page.on("dialog", lambda dialog: dialog.accept())  # 确定删除该附加字段?
    login(page, base, "guanli")
    open_menu_if_folded(page)
    page.get_by_role("link", name="案件类别").first.click()
    page.get_by_role("link", name="附加字段 0 项").first.click()
    expect(page.locator("h1")).to_contain_text("附加字段")
    expect(page.locator("#catalog-fields")).to_contain_text("该小类还没有附加字段")
    code = page.locator("h1 .tag").inner_text().split()[0]

    _add_field(page, code="depth", label="井深(米)", kind="number")
    # A list without choices is refused on the field it concerns, and nothing is lost.
    page.get_by_role("link", name="新增附加字段").click()
    page.fill("#field-code", "kind")
    page.fill("#field-label", "井盖类型")
    page.select_option("#field-type", "singlevaluelist")
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".field-error")).to_be_visible()
    expect(page.locator("#field-label")).to_have_value("井盖类型")
    page.fill("#field-choices", "rain=雨水井\nsewage=污水井")
    page.get_by_role("button", name="保存").click()
    rows = page.locator("#catalog-fields tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(1)).to_contain_text("雨水井")
    shot(page, name, "fields")

    # 上移 swaps the two in place (htmx), 删除 removes one after the confirmation.
    rows.nth(1).get_by_role("button", name="上移").click()
    expect(rows.nth(0)).to_contain_text("kind")
    expect(rows.nth(1)).to_contain_text("depth")
    rows.nth(1).get_by_role("button", name="删除").click()
    expect(rows).to_have_count(1)
    expect(rows.nth(0)).to_contain_text("井盖类型")

    # Open311 clients read the field as the service's attribute.
    page.goto(f"{base}/open311/v2/services/{code}.json")
    body = page.locator("body").inner_text()
    assert '"code": "kind"' in body or '"code":"kind"' in body
    assert "雨水井" in body and "depth" not in body
