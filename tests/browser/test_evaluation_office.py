"""The city office runs an evaluation round: plans it in the form, starts it, follows the
board, reads the results with their chart and map."""

import io
import uuid
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from playwright.sync_api import expect

from chuangwen.cases import services as case_services
from chuangwen.evaluation import selectors, services
from chuangwen.evaluation.choices import FrameworkKind, Result, RoundStatus, SubjectLevel
from chuangwen.evaluation.models import (
    Framework,
    Inspection,
    NegativeItem,
    Penalty,
    Round,
    RoundItem,
)
from chuangwen.org.choices import Role
from chuangwen.testing.cases import build_catalogue
from chuangwen.testing.city import build_mini_city
from chuangwen.testing.evaluation import build_registry

from .test_cases import login, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def office(transactional_db):
    city = build_mini_city()
    registry = build_registry(city, build_catalogue(city))
    registry.planner = city.user(Role.CITY_OPERATOR, "city", username="cewen", full_name="周测评")
    framework = Framework.objects.create(
        kind=FrameworkKind.MODEL_CITY,
        name="典范城市测评体系",
        cycle_start=2024,
        cycle_end=2026,
        is_current=True,
    )
    for code, text, points, level in (
        ("FM01", "发生重大安全生产事故", "2", SubjectLevel.DISTRICT),
        ("FM02", "窗口单位服务态度恶劣被曝光", "1", SubjectLevel.UNIT),
    ):
        NegativeItem.objects.create(
            framework=framework, code=code, text=text, penalty=Decimal(points), subject_level=level
        )
    return registry


def submit(inspection, *, fail: bool):
    actor = inspection.inspector
    items = RoundItem.objects.filter(
        round_id=inspection.round_id, point_type_id=inspection.point.point_type_id
    ).order_by("position", "id")
    results = []
    for index, item in enumerate(items):
        if fail and index == 0:
            buffer = io.BytesIO()
            Image.new("RGB", (320, 240), "#b45309").save(buffer, "JPEG")
            upload = SimpleUploadedFile("p.jpg", buffer.getvalue(), content_type="image/jpeg")
            photo = case_services.photo_upload(upload=upload, actor=actor)
            results.append(
                {
                    "item_id": item.pk,
                    "result": Result.FAIL,
                    "occurrences": 3,
                    "photo_ids": [photo.pk],
                }
            )
        else:
            results.append({"item_id": item.pk, "result": Result.PASS})
    services.inspection_submit(
        inspection_id=inspection.pk,
        actor=actor,
        submission_key=uuid.uuid4().hex,
        results=results,
        checkin={"lat": inspection.point.lat, "lng": inspection.point.lng},
    )


def test_an_operator_plans_and_starts_a_round(page, live_server, office, request):
    base = live_server.url
    login(page, base, "cewen")
    page.goto(f"{base}/evaluation/")
    expect(page.locator("h1")).to_have_text("测评轮次")
    page.get_by_role("link", name="新建测评").click()

    page.fill("#id_name", "2026年第6期双月测评")
    page.select_option("#id_kind", "bimonthly")
    market = office.types["MARKET"].pk
    page.fill(f"#percent_{market}", "50")
    page.select_option(f"select[name=per_{market}]", "street")
    page.fill("#id_points", "ROAD-420303001002")
    page.fill("#id_seed", "20261125")
    # Forgetting the inspectors keeps everything typed and says what is missing.
    page.get_by_role("button", name="抽取点位并创建").click()
    expect(page.locator("#err-inspectors")).to_have_text("请至少选择一名测评员。")
    expect(page.locator("#id_name")).to_have_value("2026年第6期双月测评")
    expect(page.locator(f"#percent_{market}")).to_have_value("50")
    shot(page, request, "form-error")

    page.get_by_role("button", name="全选").click()
    page.get_by_role("button", name="抽取点位并创建").click()
    expect(page.locator("h1")).to_contain_text("2026年第6期双月测评")
    expect(page.locator("#round-status")).to_have_text("筹备中")
    expect(page.locator("#round-seed")).to_have_text("20261125")
    expect(page.locator(".messages")).to_contain_text("抽取 4 个点位")
    round_ = Round.objects.get()
    assert round_.inspections.count() == 4
    shot(page, request, "planned")

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="开始测评").click()
    expect(page.locator("#round-status")).to_have_text("测评中")
    expect(page.locator("#total-count")).to_have_text("4")
    expect(page.locator("#by-inspector li")).to_have_count(2)
    expect(page.get_by_role("button", name="结束测评")).to_be_visible()
    round_.refresh_from_db()
    assert round_.status == RoundStatus.OPEN

    # Declining the confirmation leaves the round running.
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.get_by_role("button", name="结束测评").click()
    expect(page.locator("#round-status")).to_have_text("测评中")
    shot(page, request, "board")

    # A district-level case offers districts only.
    page.select_option("#penalty-negative", label="FM01 发生重大安全生产事故(−2,区县)")
    expect(page.locator("#penalty-subject optgroup[label=区县]")).to_be_enabled()
    expect(page.locator("#penalty-subject optgroup[label=街道]")).to_be_disabled()
    expect(page.locator("#penalty-subject optgroup[label=责任单位]")).to_be_disabled()
    page.select_option("#penalty-subject", label="张湾区 420303")
    page.fill("#penalty-note", "11月3日张湾区某工地发生安全事故")
    page.get_by_role("button", name="登记扣分").click()
    expect(page.locator("#penalty-list")).to_contain_text("11月3日张湾区某工地发生安全事故")
    assert Penalty.objects.get().territory.code == "420303"
    shot(page, request, "penalty")

    page.get_by_role("link", name="测评轮次").first.click()
    row = page.locator(".round-table tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("0/4")
    shot(page, request, "list")


def test_the_results_page_draws_its_chart_and_map(page, live_server, office, request):
    planner = office.planner
    start = selectors.today()
    round_ = services.round_create(
        name="第6期双月测评",
        kind="bimonthly",
        starts_on=start,
        due_on=start + timedelta(days=10),
        inspector_ids=[u.pk for u in office.inspectors],
        actor=planner,
        rules=[
            {"point_type_id": office.types["MARKET"].pk, "percent": 100},
            {"point_type_id": office.types["ROAD"].pk, "percent": 100},
        ],
        seed=7,
    )
    services.round_start(round_id=round_.pk, actor=planner)
    for code, fail in (
        ("MARKET-420302001001", True),
        ("MARKET-420303001001", False),
        ("ROAD-420302002001", True),
    ):
        submit(Inspection.objects.get(round=round_, point__code=code), fail=fail)

    base = live_server.url
    login(page, base, "cewen")
    page.goto(f"{base}/evaluation/rounds/{round_.pk}/results/")
    expect(page.locator("#result-chart svg")).to_be_visible()
    expect(page.locator("#result-chart svg")).to_contain_text("张湾区")
    expect(page.locator("#result-map")).to_have_attribute("data-loaded", "12")
    markers = page.locator("#result-map path.leaflet-interactive")
    expect(markers).to_have_count(12)
    expect(page.locator("#results-table tbody tr")).to_have_count(2)
    shot(page, request, "districts")

    page.get_by_role("link", name="点位", exact=True).click()
    expect(page.locator("#results-table tbody tr")).to_have_count(3)
    # The lowest-scoring point is red on the map; its popup leads to the inspection.
    # The map is fitted to the markers once the outlines are in: click after that.
    expect(page.locator("#result-map")).to_have_attribute("data-loaded", "12")
    red = page.locator("#result-map path.leaflet-interactive[fill='#dc2626']")
    expect(red).to_have_count(1)
    red.click()
    popup = page.locator(".leaflet-popup-content")
    expect(popup).to_contain_text("ROAD-420302002001")
    page.wait_for_timeout(300)  # the popup fades in; the screenshot should show it whole
    shot(page, request, "points")
    popup.get_by_role("link", name="查看测评 ›").click()
    expect(page.locator("h1")).to_contain_text("二堰1社区主次干道")
    expect(page.locator("#inspection-status")).to_have_text("待审核")
    expect(page.locator(".round-item .photos img")).to_have_count(1)
    shot(page, request, "inspection")

    page.goto(f"{base}/evaluation/rounds/{round_.pk}/problems/")
    expect(page.locator("#problems-table tbody tr")).to_have_count(2)
    shot(page, request, "problems")
