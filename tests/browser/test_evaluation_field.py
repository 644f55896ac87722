"""An inspector's day on the phone: my tasks, check in at a market, fill its checklist (a
reload in the middle keeps everything), submit with the connection gone, and see the
submission go out from 我的测评任务 once the phone is back online."""

import re
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import expect

from chuangwen.cases.models import Case, CasePhoto
from chuangwen.cases.services import photo_upload
from chuangwen.evaluation import selectors, services
from chuangwen.evaluation.choices import InspectionStatus, Result, RoundKind
from chuangwen.evaluation.models import Inspection, ItemResult, Reinspection, RoundItem
from chuangwen.org.choices import Role
from chuangwen.testing.cases import build_catalogue
from chuangwen.testing.city import build_mini_city
from chuangwen.testing.evaluation import build_registry
from chuangwen.testing.images import jpeg_for_browser as jpeg

from .conftest import DESKTOP, PHONE, shot
from .test_cases import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MARKET = "MARKET-420302001001"


@pytest.fixture
def field(transactional_db):
    city = build_mini_city()
    registry = build_registry(city, build_catalogue(city))
    admin = city.user(Role.CITY_ADMIN, "city", username="guanli")
    insp1 = registry.inspectors[0]
    today = selectors.today()
    round_ = services.round_create(
        name="十一月双月测评",
        kind=RoundKind.BIMONTHLY,
        starts_on=today,
        due_on=today + timedelta(days=14),
        inspector_ids=[u.pk for u in registry.inspectors],
        point_ids=[p.pk for p in registry.points.values()],
        seed=7,
        actor=admin,
    )
    services.round_start(round_id=round_.pk, actor=admin)
    market = Inspection.objects.get(round=round_, point=registry.points[MARKET])
    if market.inspector_id != insp1.pk:
        services.inspection_reassign(inspection_id=market.pk, inspector_id=insp1.pk, actor=admin)
    # The market is today's first visit.
    Inspection.objects.filter(pk=market.pk).update(planned_on=today, route_order=0)
    items = {
        i.text: i
        for i in RoundItem.objects.filter(round=round_, point_type=registry.types["MARKET"])
    }
    return SimpleNamespace(
        city=city,
        registry=registry,
        admin=admin,
        insp1=insp1,
        round=round_,
        market=Inspection.objects.select_related("point").get(pk=market.pk),
        items=items,
    )


def phone(browser, where):
    context = browser.new_context(
        viewport=PHONE,
        locale="zh-CN",
        geolocation={"latitude": where.lat, "longitude": where.lng},
        permissions=["geolocation"],
        has_touch=True,
    )
    context.set_default_timeout(15_000)
    return context


def watch(page, errors):
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    return page


def fits(page):
    """Nothing sticks out sideways: a phone page never scrolls horizontally."""
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"page is {width}px wide"


def item(page, row):
    return page.locator(f"#ef-item-{row.pk}")


def test_an_inspector_submits_offline_and_the_result_goes_out_later(browser, live_server, field):
    base = live_server.url
    point = field.market.point
    items = field.items
    context = phone(browser, point)
    errors = []
    page = watch(context.new_page(), errors)
    name = "test_evaluation_field_offline"

    login(page, base, "insp1")
    page.goto(f"{base}/evaluation/field/")
    expect(page.locator("h1")).to_have_text("我的测评任务")
    task = page.locator(f".ef-task[data-inspection='{field.market.pk}']")
    expect(task.locator("[data-status]")).to_have_text("待检查")
    expect(task.locator("[data-distance]")).to_have_text("距您 0 米")
    expect(page.locator(".ef-day").first.locator(".ef-day-tag.today")).to_have_text("今天")
    expect(page.locator("#ef-map .ef-pin:not(.ef-me)")).to_have_count(6)
    expect(page.locator("#ef-map .ef-pin.ef-me")).to_have_count(1)
    fits(page)
    shot(page, name, "1-home")

    # Check in: the phone is at the market.
    task.locator("a").click()
    expect(page.locator("h1")).to_have_text(point.name)
    expect(page.locator("#ef-geo-status")).to_contain_text("已在签到范围内")
    shot(page, name, "2-checkin")
    page.click("#ef-checkin-ok")
    expect(page.locator("#ef-checked-text")).to_contain_text("已签到")

    # 环境卫生: litter in two places, with a photo; no littering.
    garbage = item(page, items["地面无暴露垃圾"])
    expect(garbage).to_be_visible()
    garbage.locator(".ef-opt-fail").click()
    garbage.locator("[data-inc]").click()
    expect(garbage.locator("[data-occurrences]")).to_have_value("2")
    expect(garbage.locator("[data-deduct]")).to_have_text("扣 4 分")
    garbage.locator("[data-note]").fill("东门两处垃圾堆放")
    garbage.locator("[data-photo-input]").set_input_files(jpeg("#b45309", "garbage"))
    expect(garbage.locator("[data-thumbs] img")).to_have_count(1)
    item(page, items["无乱扔垃圾现象"]).locator(".ef-opt-pass").click()
    expect(page.locator("#ef-answered")).to_have_text("已填 2 / 3 项")
    fits(page)
    shot(page, name, "3-section")

    # The tab is reloaded halfway: every answer and the photo are still there.
    page.reload()
    garbage = item(page, items["地面无暴露垃圾"])
    expect(garbage).to_be_visible()
    expect(garbage.locator("input[value=fail]")).to_be_checked()
    expect(garbage.locator("[data-occurrences]")).to_have_value("2")
    expect(garbage.locator("[data-note]")).to_have_value("东门两处垃圾堆放")
    expect(garbage.locator("[data-thumbs] img")).to_have_count(1)
    expect(item(page, items["无乱扔垃圾现象"]).locator("input[value=pass]")).to_be_checked()
    expect(page.locator(".ef-steps button.current")).to_have_text("环境卫生")
    expect(page.locator("#ef-answered")).to_have_text("已填 2 / 3 项")

    # 市场秩序, then the summary with the score preview.
    page.locator("#ef-form .ef-step:visible [data-next]").click()
    order = item(page, items["无占道经营"])
    expect(order).to_be_visible()
    order.locator(".ef-opt-pass").click()
    page.locator("#ef-form .ef-step:visible [data-next]").click()
    expect(page.locator("#ef-score")).to_have_text("21 / 25 分")
    expect(page.locator("#ef-rate")).to_have_text("得分率 84.0%")
    expect(page.locator("#ef-failed-list")).to_contain_text("地面无暴露垃圾:2 处,扣 4 分")
    expect(page.locator("#ef-problems")).to_be_hidden()
    page.fill("#ef-note", "市场整体整洁,东门垃圾未清")
    shot(page, name, "4-summary")

    # No connection at the moment of 提交: kept on the phone, nothing reaches the server.
    context.set_offline(True)
    page.click("#ef-submit")
    expect(page.locator("#ef-pending-title")).to_have_text("已离线保存,联网后自动提交")
    expect(page.locator("#ef-pending")).to_be_visible()
    shot(page, name, "5-offline")
    page.close()
    field.market.refresh_from_db()
    assert field.market.status == InspectionStatus.ASSIGNED
    assert CasePhoto.objects.count() == 0 and Case.objects.count() == 0

    # Back online, 我的测评任务 sends what waited.
    context.set_offline(False)
    page = watch(context.new_page(), errors)
    page.goto(f"{base}/evaluation/field/")
    task = page.locator(f".ef-task[data-inspection='{field.market.pk}']")
    expect(page.locator("#ef-notices")).to_contain_text(f"{point.name} 已上传:21 / 25")
    expect(task.locator("[data-status]")).to_have_text("待审核")
    expect(page.locator("#ef-outbox")).to_be_hidden()
    shot(page, name, "6-sent")
    page.goto(f"{base}/evaluation/field/{field.market.pk}/")
    expect(page.locator(".ef-score-big")).to_have_text("21 / 25")
    shot(page, name, "7-result")
    page.goto("about:blank")

    field.market.refresh_from_db()
    assert field.market.status == InspectionStatus.SUBMITTED
    assert field.market.note == "市场整体整洁,东门垃圾未清"
    assert field.market.checkin_distance_m == 0
    failed = list(ItemResult.objects.filter(inspection=field.market, result=Result.FAIL))
    assert [r.item.text for r in failed] == ["地面无暴露垃圾"]
    assert all(r.case_id for r in failed) and Case.objects.count() == len(failed) == 1
    assert failed[0].occurrences == 2 and failed[0].note == "东门两处垃圾堆放"
    assert CasePhoto.objects.count() == 1 and failed[0].photos.count() == 1
    # Nothing is left waiting in the browser.
    page.goto(f"{base}/evaluation/field/")
    waiting = page.evaluate(
        "() => Promise.all([EvaluationField.db.all('outbox'), EvaluationField.db.all('drafts'),"
        " EvaluationField.db.all('photos')]).then(s => s.map(x => x.length))"
    )
    assert waiting == [0, 0, 0]
    context.close()
    assert not errors, f"JavaScript errors: {errors}"


def test_a_far_check_in_needs_a_reason_and_a_refusal_returns_to_the_form(
    browser, live_server, field
):
    base = live_server.url
    point = field.market.point
    far = SimpleNamespace(lat=point.lat + 0.01, lng=point.lng)  # about 1.1 km north
    context = phone(browser, far)
    errors = []
    page = watch(context.new_page(), errors)
    name = "test_evaluation_field_far"
    login(page, base, "insp1")
    page.goto(f"{base}/evaluation/field/{field.market.pk}/")
    expect(page.locator("#ef-geo-status")).to_contain_text("不在签到范围内")
    expect(page.locator("#ef-checkin-ok")).to_be_disabled()
    page.click("#ef-checkin-exception")
    expect(page.locator("#ef-alert")).to_have_text("请填写未能在点位范围内签到的原因。")
    page.fill("#ef-exception-text", "定位漂移,人在市场东门")
    shot(page, name, "1-exception")
    page.click("#ef-checkin-exception")
    page.locator(".ef-steps [data-goto='0']").click()
    expect(page.locator("#ef-checked-text")).to_contain_text("定位漂移,人在市场东门")
    page.locator("#ef-checkin [data-next]").click()

    # Everything passed; meanwhile the office closes the round: the refusal comes back.
    item(page, field.items["地面无暴露垃圾"]).locator(".ef-opt-pass").click()
    item(page, field.items["无乱扔垃圾现象"]).locator(".ef-opt-pass").click()
    page.locator("#ef-form .ef-step:visible [data-next]").click()
    item(page, field.items["无占道经营"]).locator(".ef-opt-pass").click()
    page.locator(".ef-steps [data-goto]").last.click()
    expect(page.locator("#ef-score")).to_have_text("25 / 25 分")
    services.round_close(round_id=field.round.pk, actor=field.admin)
    page.click("#ef-submit")
    expect(page.locator("#ef-alert")).to_have_text("提交未被接受:该测评轮次不在进行中,不能提交。")
    expect(page.locator("#ef-summary")).to_be_visible()
    expect(page.locator("#ef-submit")).to_be_enabled()
    expect(item(page, field.items["无占道经营"]).locator("input[value=pass]")).to_be_checked()
    shot(page, name, "2-refused")
    outbox = page.evaluate("() => EvaluationField.db.all('outbox').then(e => e.length)")
    assert outbox == 0
    context.close()
    assert not errors, f"JavaScript errors: {errors}"


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_reinspection_and_the_pages_on_a_desk(browser, live_server, field, viewport):
    """A submitted market on record, its 复查 recorded in the browser; screenshots of each
    field page at the desk and on the phone."""
    base = live_server.url
    name = f"test_evaluation_field_pages-{'desktop' if viewport == DESKTOP else 'phone'}"
    point = field.market.point
    picture = jpeg("#64748b", "seed")
    photo = photo_upload(
        upload=SimpleUploadedFile("seed.jpg", picture["buffer"], content_type="image/jpeg"),
        actor=field.insp1,
    )
    services.inspection_submit(
        inspection_id=field.market.pk,
        actor=field.insp1,
        submission_key="seed",
        results=[
            {
                "item_id": field.items["地面无暴露垃圾"].pk,
                "result": "fail",
                "occurrences": 1,
                "note": "门口垃圾",
                "photo_ids": [photo.pk],
            },
            {"item_id": field.items["无乱扔垃圾现象"].pk, "result": "na"},
            {"item_id": field.items["无占道经营"].pk, "result": "pass"},
        ],
        checkin={"lat": point.lat, "lng": point.lng},
    )
    task = Reinspection.objects.get(result__inspection=field.market)
    context = browser.new_context(
        viewport=viewport,
        locale="zh-CN",
        geolocation={"latitude": point.lat, "longitude": point.lng},
        permissions=["geolocation"],
    )
    context.set_default_timeout(15_000)
    errors = []
    page = watch(context.new_page(), errors)
    login(page, base, "insp1")
    page.goto(f"{base}/evaluation/field/")
    expect(page.locator(".ef-reinspections")).to_contain_text(task.case.code)
    shot(page, name, "1-home")
    other = Inspection.objects.filter(round=field.round, inspector=field.insp1).exclude(
        pk=field.market.pk
    )[0]
    page.goto(f"{base}/evaluation/field/{other.pk}/")
    expect(page.locator("#ef-geo-status")).not_to_be_empty()
    shot(page, name, "2-capture")
    page.goto(f"{base}/evaluation/field/{field.market.pk}/")
    expect(page.locator(".ef-score-big")).to_have_text("18 / 20")
    shot(page, name, "3-result")

    page.goto(f"{base}/evaluation/field/")
    page.locator(".ef-reinspections a").first.click()
    expect(page.locator("h1")).to_contain_text(task.case.code)
    expect(page.locator("#ef-re-geo")).to_have_text("距您 0 米")
    page.locator(".ef-opt-pass").click()
    page.fill("#ef-re-note", "垃圾已清运")
    page.set_input_files("#ef-re-photos", jpeg("#15803d", "fixed"))
    expect(page.locator("#ef-re-thumbs input[name=photo_ids]")).to_have_count(1)
    fits(page)
    shot(page, name, "4-reinspect")
    page.click("#ef-re-submit")
    expect(page).to_have_url(re.compile(r"/evaluation/field/$"))
    expect(page.locator(".messages")).to_contain_text(f"已记录复查合格:案件 {task.case.code}。")
    shot(page, name, "5-after-reinspect")
    page.goto("about:blank")
    task.refresh_from_db()
    assert task.status == "passed" and task.photos.count() == 1
    assert task.lat == pytest.approx(point.lat) and task.lng == pytest.approx(point.lng)
    context.close()
    assert not errors, f"JavaScript errors: {errors}"
