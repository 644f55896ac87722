"""A city leader opens the dashboard and the big screen: the tiles, the 12-month chart,
the case map with its heat layer, the rankings and the lists all draw, and the big
screen refreshes itself from the JSON endpoint without reloading.

The live server answers from another thread, where ``clock.at`` does not reach: the
clock is pinned for the whole process once the history is written."""

import random
from datetime import timedelta

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from chuangwen.assessment import services
from chuangwen.cases import services as case_services
from chuangwen.cases.choices import PhotoKind
from chuangwen.cases.models import CasePhoto
from chuangwen.core import clock
from chuangwen.org.choices import Role
from chuangwen.testing.cases import at, build_catalogue
from chuangwen.testing.city import build_mini_city

from .conftest import shot
from .test_cases import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NOW = at(2026, 11, 20, 10, 0)
WALL = {"width": 1920, "height": 1080}
SCHEME = [
    {
        "kind": "case_indicator",
        "indicator": "on_time_rate",
        "label": "按期结案率",
        "max_points": "60",
        "rule": "threshold",
        "target": "90",
        "step": "1",
    },
    {
        "kind": "case_indicator",
        "indicator": "rework_rate",
        "label": "返工率",
        "max_points": "20",
        "rule": "lower_better",
        "target": "10",
        "step": "1",
    },
    {"kind": "penalty", "label": "负面清单扣分", "max_points": "20", "rule": "deduction"},
]


def _close(case, water, collector, reported, late: bool):
    with clock.at(reported + timedelta(minutes=10)):
        case_services.case_sign(case_id=case.pk, actor=water)
    with clock.at(reported + timedelta(minutes=150 if late else 40)):
        photo = CasePhoto.objects.create(
            kind=PhotoKind.AFTER,
            sha256="ef" * 32,
            uploaded_by=water,
            image="cases/after.jpg",
            created_at=clock.now(),
        )
        case_services.case_finish(case_id=case.pk, actor=water, photo_ids=[photo.pk])
    with clock.at(reported + timedelta(minutes=180)):
        case_services.case_verify(case_id=case.pk, actor=collector, ok=True)


@pytest.fixture
def history(transactional_db, monkeypatch):
    """Twelve months of 井盖 reports over both districts, most closed (a few late), the
    last ones still open and lit; October's district ranking published."""
    # The dashboard keeps past figures by scope and moment, the same in every test here.
    cache.clear()
    city = build_mini_city()
    build_catalogue(city)
    admin = city.user(Role.CITY_ADMIN, "city", username="guanli", full_name="赵管理")
    office = city.user(Role.CITY_OPERATOR, "city", username="diaodu", full_name="钱调度")
    city.user(Role.LEADER, "city", username="lingdao", full_name="孙市长")
    water = city.user(Role.UNIT_HANDLER, "water")
    collectors = {
        code: city.user(Role.COLLECTOR, code) for code in ("420302001", "420302002", "420303001")
    }
    boxes = {
        "420302001": (32.0, 110.0, 32.2, 110.1),
        "420302002": (32.0, 110.1, 32.2, 110.2),
        "420303001": (32.0, 110.2, 32.2, 110.4),
    }
    rng = random.Random(20261120)
    start = at(2025, 12, 1, 9, 0)
    day = 0
    while True:
        reported = start + timedelta(days=day, hours=rng.randint(0, 7))
        if reported >= NOW - timedelta(hours=4):
            break
        street = rng.choice(list(boxes))
        lat0, lng0, lat1, lng1 = boxes[street]
        with clock.at(reported):
            case = case_services.case_report(
                category="B0102",
                description="井盖缺失",
                lat=rng.uniform(lat0 + 0.01, lat1 - 0.01),
                lng=rng.uniform(lng0 + 0.01, lng1 - 0.01),
                actor=collectors[street],
            ).case
        if reported < NOW - timedelta(days=6):
            _close(case, water, collectors[street], reported, late=rng.random() < 0.3)
        day += rng.choice((2, 3, 4)) if reported < NOW - timedelta(days=40) else 1
    case_services.supervise_overdue(now=NOW)
    with clock.at(NOW):
        services.scheme_save(
            subject_type="district", name="区县月度考评方案", components=SCHEME, actor=admin
        )
        services.publication_publish(period_key="2026-10", subject_type="district", actor=office)
    monkeypatch.setattr(clock, "now", lambda: NOW)
    yield city
    cache.clear()


def watch_console(page) -> list[str]:
    errors = []
    page.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    return errors


def test_the_leader_reads_the_dashboard(page, live_server, history, request):
    errors = watch_console(page)
    base = live_server.url
    login(page, base, "lingdao")
    page.goto(f"{base}/assessment/dashboard/")
    expect(page.locator("h1")).to_contain_text("领导驾驶舱")
    expect(page.locator("h1 .dash-area")).to_have_text("十堰市")
    tiles = page.locator("#dash-kpis .dash-kpi")
    expect(tiles).to_have_count(8)
    expect(page.locator("[data-kpi=overdue] .dash-kpi-label")).to_have_text("超时案件")
    expect(page.locator("[data-kpi=reported] .dash-kpi-change")).to_contain_text("较上月同期")
    expect(page.locator("#dash-trend canvas")).to_have_count(1)
    expect(page.locator("#dash-map")).to_have_attribute("data-loaded", "1")
    expect(page.locator("#dash-map canvas").first).to_be_visible()
    points = int(page.locator("#dash-map").get_attribute("data-points"))
    assert points > 10
    # The chart holds twelve months, the last one November.
    months = page.evaluate(
        "document.getElementById('dash-trend').echartsInstance.getOption().xAxis[0].data"
    )
    assert len(months) == 12 and months[-1] == "11月"
    expect(page.locator("[data-list=top] li").first).to_contain_text("区")
    expect(page.locator("[data-field=board-title]")).to_contain_text("2026年10月区县考评")
    expect(page.locator("[data-list=overdue] li.level-2").first).to_be_visible()
    expect(page.locator("[data-list=orders] li").first).to_contain_text("超时督办")
    shot(page, request.node.name, "points")

    page.get_by_role("button", name="热力图").click()
    expect(page.locator("#dash-map")).to_have_attribute("data-layer", "heat")
    expect(page.locator("#dash-map canvas.leaflet-heatmap-layer")).to_have_count(1)
    shot(page, request.node.name, "heat")

    # A case of the overdue list opens its own page.
    first = page.locator("[data-list=overdue] li a").first
    code = first.inner_text()
    first.click()
    expect(page.locator("h1")).to_contain_text(code)
    assert not errors, errors


def test_the_big_screen_refreshes_in_place(browser, live_server, history, request):
    context = browser.new_context(viewport=WALL, locale="zh-CN")
    context.set_default_timeout(15_000)
    page = context.new_page()
    errors = watch_console(page)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        base = live_server.url
        login(page, base, "lingdao")
        page.goto(f"{base}/assessment/dashboard/screen/")
        expect(page.locator("h1")).to_contain_text("创建文明城市工作驾驶舱")
        expect(page.locator(".mainnav")).to_have_count(0)
        background = page.evaluate("getComputedStyle(document.body).backgroundColor")
        assert background == "rgb(6, 14, 31)"
        expect(page.locator("#dash-kpis .dash-kpi")).to_have_count(8)
        expect(page.locator("#dash-trend canvas")).to_have_count(1)
        expect(page.locator("#dash-map")).to_have_attribute("data-loaded", "1")
        expect(page.locator("[data-field=updated]")).to_have_text("数据更新于 2026-11-20 10:00:00")
        shot(page, request.node.name, "screen")
        # The whole screen fits the window: nothing to scroll on a wall.
        assert page.evaluate("document.documentElement.scrollHeight") <= WALL["height"]

        # A refresh redraws from the JSON endpoint; the page itself is not loaded again.
        page.evaluate("window.notReloaded = true")
        page.evaluate("document.getElementById('dashboard').dashboard.refresh()")
        expect(page.locator("#dashboard")).to_have_attribute("data-refreshes", "1")
        assert page.evaluate("window.notReloaded") is True
        expect(page.locator("#dash-kpis .dash-kpi")).to_have_count(8)

        # Signed out elsewhere: the screen keeps its figures and says why they are old.
        context.clear_cookies()
        page.evaluate("document.getElementById('dashboard').dashboard.refresh()")
        expect(page.locator("[data-field=updated]")).to_have_text(
            "登录已过期,请重新登录后查看最新数据。"
        )
        expect(page.locator("#dash-kpis .dash-kpi")).to_have_count(8)
        shot(page, request.node.name, "expired")
        assert not [e for e in errors if "401" not in e], errors
    finally:
        context.close()
