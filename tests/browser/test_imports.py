"""An operator imports a 12345 list: upload, mapping, check with progress, commit."""

import csv
import io

import pytest
from playwright.sync_api import expect

from chuangwen.cases.models import Case
from chuangwen.core.outbox import deliver_pending, discover
from chuangwen.org.choices import Role
from chuangwen.testing.cases import build_catalogue
from chuangwen.testing.city import build_mini_city

from .test_cases import login, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def office(transactional_db):
    city = build_mini_city()
    build_catalogue(city)
    city.user(Role.CITY_OPERATOR, "city", username="daoru", full_name="赵导入")
    return city


def hotline_csv() -> dict:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["工单编号", "诉求内容", "问题类别", "问题地址", "经度", "纬度", "来电时间"])
    writer.writerow(
        ["GD001", "人行道井盖缺失", "B0102", "人民北路", "110.02", "32.02", "2026-11-02"]
    )
    writer.writerow(["GD002", "垃圾堆放", "暴露垃圾", "茅箭区武当路街道武当2社区", "", "", ""])
    writer.writerow(["GD003", "", "B0102", "人民北路", "110.03", "32.03", ""])
    return {
        "name": "12345工单.csv",
        "mimeType": "text/csv",
        "buffer": buffer.getvalue().encode("gbk"),
    }


def run_worker(page):
    """What `manage.py worker` does, run here while the page is away: the test database
    is an in-memory SQLite that refuses a write while the page's poll is reading."""
    url = page.url
    page.goto("about:blank")
    page.wait_for_timeout(300)  # a poll still being answered finishes its read
    discover()
    while deliver_pending():
        pass
    page.goto(url)


def test_an_operator_checks_and_imports_a_hotline_list(page, live_server, office, request):
    base = live_server.url
    login(page, base, "daoru")
    page.goto(f"{base}/imports/")
    page.get_by_role("link", name="新建导入").click()
    page.select_option("#import-source", "12345")
    page.set_input_files("#import-file", hotline_csv())
    page.get_by_role("button", name="上传").click()

    # The mapping step, guessed from the headers.
    expect(page.locator("#map-description")).to_have_value("诉求内容")
    expect(page.locator("#map-external_id")).to_have_value("工单编号")
    shot(page, request, "mapping")
    page.get_by_role("button", name="检查").click()
    panel = page.locator("#job-panel")
    expect(panel).to_contain_text("正在检查")
    expect(panel).to_have_attribute("hx-trigger", "every 1s")
    run_worker(page)
    expect(panel).to_contain_text("检查结果(尚未导入)")
    expect(panel.locator(".import-errors")).to_contain_text("不能为空。")
    expect(panel).to_contain_text("按坐标定位 1 行")
    shot(page, request, "checked")

    expect(page.locator("input[value=all_or_nothing]")).to_be_disabled()
    page.get_by_role("button", name="导入 2 行").click()
    expect(panel).to_contain_text("正在导入")
    run_worker(page)
    expect(panel).to_contain_text("导入结果")
    expect(panel).to_contain_text("有错误的行已跳过。")
    shot(page, request, "done")
    assert sorted(Case.objects.values_list("external_id", flat=True)) == ["GD001", "GD002"]
