import re

import pytest
from playwright.sync_api import expect

from chuangwen.cases import services
from chuangwen.cases.models import Case
from chuangwen.testing.cases import MAOJIAN, ZHANGWAN, build_catalogue
from chuangwen.testing.city import build_mini_city
from chuangwen.testing.factories import TEST_PASSWORD
from chuangwen.testing.images import jpeg_for_browser as jpeg
from chuangwen.testing.people import city_people

from .conftest import shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def town(transactional_db):
    city = build_mini_city()
    build_catalogue(city)
    city.people = city_people(
        city,
        "collector",
        "operator",
        "handler",
        collector={"username": "wangge", "full_name": "王小明", "phone": "13812341234"},
        operator={"username": "paiqian", "full_name": "李受理"},
        handler={"username": "zhifa", "full_name": "张执法"},
    )
    return city


def login(page, base, username):
    page.context.clear_cookies()
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", TEST_PASSWORD)
    page.click("button[type=submit]")
    expect(page.locator("h1")).to_contain_text("您好")


def open_menu_if_folded(page):
    toggle = page.locator("[data-nav-toggle]")
    if toggle.is_visible():
        toggle.click()


def take(page, action, note=None, photo=None):
    """Submits one workflow form on the case page; folded forms are opened first."""
    form = page.locator(f"form.action-form[data-action={action}]")
    folded = page.locator("details.action-more:not([open])", has=form)
    if folded.count():
        folded.locator("summary").click()
    if photo is not None:
        form.locator("input[type=file]").set_input_files(photo)
    if note is not None:
        form.locator("textarea[name=note]").fill(note)
    form.locator("button[type=submit]").click()


def test_field_report_to_closure_in_the_browser(page, live_server, town, request):
    base = live_server.url
    page.context.grant_permissions(["geolocation"], origin=base)
    page.context.set_geolocation({"latitude": MAOJIAN[0], "longitude": MAOJIAN[1]})

    # The collector reports from the street: category by search, GPS, a photo.
    login(page, base, "wangge")
    open_menu_if_folded(page)
    page.get_by_role("link", name="现场上报").click()
    expect(page.locator("#lat")).to_have_value("32.020000")
    expect(page.locator("#geo-status")).to_contain_text("已定位")
    page.fill("#category-search", "占道")
    expect(page.locator(".cat-option:visible")).to_have_count(1)
    page.locator(".cat-option", has_text="占道经营").click()
    expect(page.locator("#category-chosen")).to_contain_text("占道经营 · E0502")
    page.set_input_files("#photos", [jpeg("#b45309", "before")])
    expect(page.locator("#photo-preview img")).to_have_count(1)
    page.fill("#address", "人民北路 12 号门前")
    page.fill("#description", "人行道上有三处流动摊贩占道经营")
    shot(page, request.node.name, "1-report")
    page.click("#report-submit")
    expect(page).to_have_url(re.compile(r"/cases/\d+/$"))
    case = Case.objects.get()
    expect(page.locator(".messages")).to_contain_text(f"上报成功,案件编号 {case.code}")
    expect(page.locator("#case-status")).to_have_text("已立案")
    expect(page.locator(".photos img")).to_have_count(1)
    assert case.channel == "field" and case.photos.count() == 1

    # The operator dispatches it to the suggested unit.
    login(page, base, "paiqian")
    page.goto(f"{base}/cases/{case.pk}/")
    expect(page.locator("#dispatch-unit option:checked")).to_contain_text("市城管执法委")
    expect(page.locator("#reporter")).to_contain_text("13812341234")
    take(page, "dispatch")
    expect(page.locator(".messages")).to_contain_text("已派遣至市城管执法委")
    expect(page.locator("#case-status")).to_have_text("已派遣")
    # 占道经营: 2 emergency hours from the dispatch a moment ago.
    expect(page.locator("#countdown")).to_contain_text(re.compile(r"剩余 1 小时 5\d 分"))

    # The unit signs for it and reports back with an after-photo.
    login(page, base, "zhifa")
    open_menu_if_folded(page)
    page.get_by_role("link", name="我的待办").click()
    expect(page.locator(".tabs a.active")).to_contain_text("待签收 1")
    shot(page, request.node.name, "2-inbox")
    page.get_by_role("link", name=case.code).click()
    expect(page.locator("#reporter")).to_contain_text("138****1234")
    shot(page, request.node.name, "3-handler")
    take(page, "sign")
    expect(page.locator("#case-status")).to_have_text("处置中")
    take(page, "finish", note="已劝离摊贩,恢复通行", photo=[jpeg("#15803d", "after")])
    expect(page.locator("#case-status")).to_have_text("待核查")

    # The operator verifies and closes it; the timeline tells the whole story.
    login(page, base, "paiqian")
    page.goto(f"{base}/cases/{case.pk}/")
    expect(page.locator(".photo-kind")).to_have_text(["处置前", "处置后"])
    take(page, "verify_ok", note="现场核实已整改")
    expect(page.locator("#case-status")).to_have_text("已结案")
    steps = page.locator("#timeline li .tl-head strong")
    expect(steps).to_have_text(["上报", "受理立案", "派遣", "签收", "处置完成", "核查通过"])
    expect(page.locator("#timeline")).to_contain_text("派遣至 市城管执法委")
    expect(page.locator("#timeline")).to_contain_text("张执法 · 市城管执法委")
    expect(page.locator("#timeline")).to_contain_text("现场核实已整改")


def test_rework_journey(page, live_server, town, request):
    base = live_server.url
    people = town.people
    case = services.case_report(
        category="E0502",
        description="菜市场门口占道经营",
        lat=MAOJIAN[0],
        lng=MAOJIAN[1],
        actor=people["collector"],
    ).case
    services.case_dispatch(case_id=case.pk, actor=people["operator"], unit_id=town.units["dept"].pk)
    services.case_sign(case_id=case.pk, actor=people["handler"])

    login(page, base, "zhifa")
    page.goto(f"{base}/cases/{case.pk}/")
    take(page, "finish", note="已清理", photo=[jpeg("#0f766e", "after-1")])
    expect(page.locator("#case-status")).to_have_text("待核查")

    login(page, base, "paiqian")
    page.goto(f"{base}/cases/{case.pk}/")
    # A refusal without its reason stays on the page with the service's message.
    page.locator("details.action-more summary", has_text="核查不通过").click()
    form = page.locator("form.action-form[data-action=verify_fail]")
    form.locator("textarea").evaluate("el => el.removeAttribute('required')")
    form.locator("button[type=submit]").click()
    expect(page.locator("#action-error")).to_contain_text("请填写核查不通过的理由。")
    take(page, "verify_fail", note="摊贩仍在原处经营")
    expect(page.locator("#case-status")).to_have_text("处置中")
    expect(page.locator("#rework")).to_have_text("返工 1")
    expect(page.locator("#timeline")).to_contain_text("摊贩仍在原处经营")
    shot(page, request.node.name, "1-rework")

    login(page, base, "zhifa")
    page.goto(f"{base}/cases/{case.pk}/")
    take(page, "finish", note="已再次劝离并设置隔离", photo=[jpeg("#1d4ed8", "after-2")])
    expect(page.locator("#case-status")).to_have_text("待核查")

    login(page, base, "paiqian")
    page.goto(f"{base}/cases/{case.pk}/")
    take(page, "verify_ok")
    expect(page.locator("#case-status")).to_have_text("已结案")
    expect(page.locator("#timeline li .tl-head strong")).to_have_text(
        ["上报", "受理立案", "派遣", "签收", "处置完成", "核查不通过", "处置完成", "核查通过"]
    )
    case.refresh_from_db()
    assert case.rework_count == 1 and case.photos.filter(kind="after").count() == 2


def test_stale_page_is_told_to_refresh(page, live_server, town):
    base = live_server.url
    people = town.people
    case = services.case_report(
        category="E0502",
        description="占道",
        lat=MAOJIAN[0],
        lng=MAOJIAN[1],
        actor=people["collector"],
    ).case
    services.case_dispatch(case_id=case.pk, actor=people["operator"], unit_id=town.units["dept"].pk)
    login(page, base, "zhifa")
    page.goto(f"{base}/cases/{case.pk}/")
    services.case_sign(case_id=case.pk, actor=people["handler"])  # someone else, meanwhile
    take(page, "sign")
    expect(page.locator("#action-error")).to_have_text("案件已被他人处理,请刷新后重试。")
    expect(page.locator("#case-status")).to_have_text("处置中")


def test_list_filters_saved_view_and_map(page, live_server, town, request):
    base = live_server.url
    people = town.people
    codes = {}
    for category, where, text in (
        ("E0502", MAOJIAN, "占道经营"),
        ("E0102", MAOJIAN, "暴露垃圾"),
        ("W0101", ZHANGWAN, "乱扔垃圾"),
    ):
        codes[category] = services.case_report(
            category=category,
            description=text,
            lat=where[0],
            lng=where[1],
            actor=people["operator"],
        ).case.code

    login(page, base, "paiqian")
    page.goto(f"{base}/cases/")
    expect(page.locator("#case-table tbody tr")).to_have_count(3)
    page.select_option("select[name=category]", "E05")
    expect(page.locator("#case-table tbody tr")).to_have_count(1)
    expect(page.locator("#case-table")).to_contain_text(codes["E0502"])
    expect(page).to_have_url(re.compile(r"category=E05"))
    page.fill("#save-view input[name=name]", "街面秩序")
    page.click("#save-view button[type=submit]")
    expect(page.locator(".saved-list")).to_contain_text("街面秩序")
    page.goto(f"{base}/cases/")
    page.get_by_role("link", name="街面秩序").click()
    expect(page.locator("#case-table tbody tr")).to_have_count(1)
    shot(page, request.node.name, "1-list")

    page.goto(f"{base}/cases/map/")
    expect(page.locator("#case-map-all")).to_have_attribute("data-loaded", "3")
    expect(page.locator("#map-count")).to_contain_text("共 3 件案件")
    page.get_by_role("button", name="热力图").click()
    expect(page.locator("#case-map-all")).to_have_attribute("data-mode", "heat")
    expect(page.locator("#case-map-all canvas.leaflet-heatmap-layer")).to_have_count(1)
    page.get_by_role("button", name="散点").click()
    page.locator("details.map-filters summary").click()
    page.select_option("#case-filters select[name=territory]", "420303")
    expect(page.locator("#case-map-all")).to_have_attribute("data-loaded", "1")
    expect(page).to_have_url(re.compile(r"territory=420303"))
    page.locator(".case-pin").first.click()
    expect(page.locator(".leaflet-popup-content")).to_contain_text(codes["W0101"])
    shot(page, request.node.name, "2-map")


def test_the_office_publishes_a_hotline_case_with_its_own_words(page, live_server, town, request):
    """A 12345 ticket stays internal until the office publishes it; the public then reads
    the office's words, redacted, and the place down to the community only."""
    base = live_server.url
    ticket = services.case_report(
        category="E0502",
        description="市民张三(身份证420302199001011234)反映人民北路25号3单元楼下占道经营",
        address="人民北路25号3单元",
        lat=MAOJIAN[0],
        lng=MAOJIAN[1],
        actor=town.people["operator"],
        channel="hotline",
    ).case
    login(page, base, "paiqian")
    page.goto(f"{base}/cases/{ticket.pk}/")
    publicity = page.locator("#publicity")
    expect(publicity).to_contain_text("不公开")
    publicity.locator("summary").click()
    page.select_option("#publicity-choice", "public")
    page.fill("#publicity-text", "人民北路有流动摊贩占道经营,联系电话13812345678")
    shot(page, request.node.name, "1-setting")
    publicity.locator("button[type=submit]").click()
    expect(page.locator(".messages")).to_contain_text("案件将在市民随手拍和 Open311 上公开")
    expect(page.locator("#public-text")).to_have_text("人民北路有流动摊贩占道经营,联系电话[电话]")
    expect(page.locator("#timeline")).to_contain_text("公开设置")
    shot(page, request.node.name, "2-published")
    answer = page.request.get(f"{base}/open311/v2/requests/{ticket.code}.json").json()
    assert answer[0]["description"] == "人民北路有流动摊贩占道经营,联系电话[电话]"
    assert answer[0]["address"] == "茅箭区武当路街道武当1社区"
