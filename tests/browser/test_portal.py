"""The citizen portal in a real browser, on a phone and on a desktop: report on the map,
keep the code, follow the case to its end, rate it and ask for it to be reopened."""

import re

import pytest
from playwright.sync_api import expect

from chuangwen.cases import services
from chuangwen.cases.models import Case
from chuangwen.demo.public_groups import seed_public_groups
from chuangwen.testing.cases import MAOJIAN, build_catalogue, close_case
from chuangwen.testing.city import build_mini_city
from chuangwen.testing.images import jpeg_for_browser as jpeg
from chuangwen.testing.people import city_people

from .conftest import shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def town(transactional_db):
    city = build_mini_city()
    build_catalogue(city)
    seed_public_groups()
    city.people = city_people(
        city,
        "operator",
        "water",
        "collector",
        operator={"username": "paiqian"},
        water={"username": "shuiwu"},
        collector={"username": "wangge"},
    )
    return city


def tap_map_at(page, lat, lng):
    """Tap the report map where (lat, lng) is, once the city's outline has framed it."""
    expect(page.locator("#report-map .leaflet-overlay-pane path").first).to_be_attached()
    point = page.evaluate(
        "([lat, lng]) => { const map = document.getElementById('report-map').leafletMap;"
        " map.setView([lat, lng], 15, {animate: false});"
        " const p = map.latLngToContainerPoint([lat, lng]); return {x: p.x, y: p.y}; }",
        [lat, lng],
    )
    page.locator("#report-map").click(position=point)


def test_citizen_reports_follows_rates_and_asks_to_reopen(page, live_server, town, request):
    base = live_server.url
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base)
    page.goto(f"{base}/public/")
    expect(page.locator("h1")).to_have_text("发现城市问题,随手拍一拍")
    shot(page, request.node.name, "0-home")
    page.get_by_role("link", name="我要随手拍").click()

    # The category by searching in plain words; the place by a tap on the map.
    page.fill("#category-search", "井盖")
    expect(page.locator(".p-option:visible")).to_have_count(1)
    page.locator(".p-option:visible", has_text="污水井盖").click()
    expect(page.locator("#category-chosen")).to_have_text("已选:污水井盖")
    tap_map_at(page, *MAOJIAN)
    expect(page.locator("#geo-status")).to_have_text("已在地图上标出位置")
    lat = float(page.input_value("#lat"))
    lng = float(page.input_value("#lng"))
    assert abs(lat - MAOJIAN[0]) < 0.0005 and abs(lng - MAOJIAN[1]) < 0.0005
    expect(page.locator("#nearby")).to_be_hidden()  # nothing of the kind is open nearby

    # Sending too early names what is missing, without a round trip that loses the photos.
    page.click("#report-submit")
    expect(page.locator("#photos-error")).to_have_text("请至少拍摄或选择 1 张现场照片。")
    expect(page.locator("#phone-error")).to_be_visible()
    # One picture from the camera, two from the album; one of them taken back.
    page.set_input_files("#photos", [jpeg("#b45309", "manhole")])
    expect(page.locator("#photo-preview img")).to_have_count(1)
    expect(page.locator("#photos-error")).to_be_hidden()
    page.set_input_files("#photos-album", [jpeg("#1d4ed8", "wide"), jpeg("#7c3aed", "blurred")])
    expect(page.locator("#photo-preview img")).to_have_count(3)
    page.get_by_role("button", name="删除这张照片").last.click()
    expect(page.locator("#photo-preview img")).to_have_count(2)
    page.fill("#description", "人行道上的污水井盖不见了,晚上很危险")
    page.fill("#address", "人民北路 12 号门前")
    page.fill("#reporter_phone", "139 1234 5678")
    page.fill("#reporter_name", "欧阳女士")
    shot(page, request.node.name, "1-report")
    page.click("#report-submit")

    # The code, large and copyable.
    expect(page).to_have_url(re.compile(r"/public/report/done/$"))
    case = Case.objects.get()
    assert case.channel == "portal" and case.reporter_phone == "13912345678"
    assert case.photos.count() == 2 and case.category.code == "B0102"
    expect(page.locator("#tracking-code")).to_have_text(case.public_token)
    page.get_by_role("button", name="复制查询码").click()
    expect(page.get_by_role("button", name="已复制查询码")).to_be_visible()
    assert page.evaluate("navigator.clipboard.readText()") == case.public_token
    shot(page, request.node.name, "2-code")
    page.get_by_role("link", name="查看办理进度").click()
    expect(page.locator("#case-status")).to_have_text("待受理")
    expect(page.locator("#timeline")).to_contain_text("问题已上报")

    # The city takes it through the loop; the citizen follows it with the code alone.
    close_case(case, town.people)
    page.goto(f"{base}/public/track/")
    page.fill("#track-code", case.public_token.lower())
    page.get_by_role("button", name="查询").click()
    expect(page.locator("#case-status")).to_have_text("已结案")
    expect(page.locator("#timeline li")).to_have_count(6)
    expect(page.locator("#timeline")).to_contain_text("已派遣至责任单位:市水务集团")

    shot(page, request.node.name, "3-closed")
    page.locator(".p-choice", has_text=re.compile("^不满意$")).click()
    page.fill("#comment", "井盖是临时的,一踩就晃")
    page.get_by_role("button", name="提交评价").click()
    expect(page.locator("#my-rating")).to_have_text("您的评价:不满意")
    page.fill("#reason", "井盖只是临时盖上了,没有固定")
    page.get_by_role("button", name="提交申请").click()
    expect(page.locator("#reopen-status")).to_have_text("待审核")
    expect(page.locator(".p-messages")).to_contain_text("申请已提交")
    shot(page, request.node.name, "4-reopen")
    assert page.locator("body").inner_text().count("13912345678") == 0


def test_citizen_follows_an_open_case_nearby(page, live_server, town, request):
    base = live_server.url
    original = services.case_report(
        category="B0102",
        description="井盖缺失",
        lat=MAOJIAN[0],
        lng=MAOJIAN[1],
        actor=town.people["collector"],
    ).case
    page.goto(f"{base}/public/report/")
    page.locator(".p-group summary", has_text="道路与井盖").click()
    page.locator(".p-option", has_text="污水井盖").click()
    tap_map_at(page, MAOJIAN[0] + 0.0002, MAOJIAN[1])
    nearby = page.locator("#nearby")
    expect(nearby).to_contain_text("附近已有相同问题的上报")
    expect(nearby).to_contain_text("已派遣")  # a collector's report, dispatched by rule
    shot(page, request.node.name, "1-nearby")
    follow = nearby.get_by_role("button", name="这就是我要报的问题,跟进它")
    follow.click()
    expect(page.locator("#phone-error")).to_be_visible()  # the phone is still needed
    page.fill("#reporter_phone", "13912345678")
    follow.click()
    expect(page.locator("h1")).to_have_text("已跟进已有案件")
    expect(page.locator(".p-receipt")).to_contain_text(original.code)
    mine = Case.objects.exclude(pk=original.pk).get()
    assert mine.duplicate_of == original and mine.public_token != original.public_token
    page.get_by_role("link", name="查看办理进度").click()
    expect(page.locator("#merged-notice")).to_contain_text(f"已与案件 {original.code} 合并办理")
    expect(page.locator("#case-status")).to_have_text("已派遣")


def test_a_refused_report_comes_back_with_everything_typed(page, live_server, town, request):
    base = live_server.url
    page.goto(f"{base}/public/report/")
    page.fill("#category-search", "占道")
    page.locator(".p-option:visible", has_text="占道经营").click()
    tap_map_at(page, 31.9, 110.1)  # south of the city
    page.set_input_files("#photos", [jpeg("#0f766e", "stall")])
    page.fill("#description", "菜市场门口摊贩占道")
    page.fill("#reporter_phone", "13912345678")
    page.click("#report-submit")
    expect(page.locator("#place-error")).to_contain_text("所选位置不在十堰市范围内")
    expect(page.locator("#step-place")).to_have_class(re.compile("p-has-error"))
    expect(page.locator("#description")).to_have_value("菜市场门口摊贩占道")
    expect(page.locator("#reporter_phone")).to_have_value("13912345678")
    expect(page.locator("#category-chosen")).to_have_text("已选:占道经营")
    expect(page.locator(".p-option input:checked")).to_have_value("E0502")
    expect(page.locator("#step-photos")).to_contain_text("请重新选择")
    shot(page, request.node.name, "1-refused")
    assert not Case.objects.exists()

    page.goto(f"{base}/public/track/NOSUCHCODE22/")
    expect(page.locator("h1")).to_have_text("没有找到这个查询码")
    shot(page, request.node.name, "2-unknown")


def test_public_map_and_list(page, live_server, town, request):
    base = live_server.url
    for offset in range(3):
        services.case_report(
            category="E0102",
            description="暴露垃圾",
            lat=MAOJIAN[0] + offset * 0.01,
            lng=MAOJIAN[1],
            actor=None,
            channel="portal",  # what the public channels publish
        )
    # A grid worker's report is internal: not on the public map.
    services.case_report(
        category="E0102",
        description="暴露垃圾",
        lat=MAOJIAN[0] + 0.03,
        lng=MAOJIAN[1],
        actor=town.people["collector"],
    )
    page.goto(f"{base}/public/map/")
    expect(page.locator("#map-count")).to_have_text("共 3 个问题")
    expect(page.locator("#public-map path.leaflet-interactive")).to_have_count(3)
    shot(page, request.node.name, "1-map")
    page.get_by_role("link", name="以列表查看").click()
    expect(page.locator(".p-table tbody tr")).to_have_count(3)
    expect(page.locator(".p-table")).to_contain_text("暴露垃圾")
    shot(page, request.node.name, "2-list")
