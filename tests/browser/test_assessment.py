"""The office publishes a period's district ranking, a district appeals against a lost
point, the office accepts the appeal and the ranking shows the adjusted total.

The live server runs on the real clock, so the period is one long over (June 2025)."""

import pytest
from playwright.sync_api import expect

from chuangwen.assessment import services
from chuangwen.assessment.models import Appeal, Publication
from chuangwen.org.choices import Role
from chuangwen.testing.city import build_mini_city

from .conftest import shot
from .test_cases import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PERIOD = "2025-06"
SCHEME = [
    {
        "kind": "case_indicator",
        "indicator": "on_time_rate",
        "label": "按期结案率",
        "max_points": "40",
        "rule": "threshold",
        "target": "90",
        "step": "0.5",
    },
    {
        "kind": "survey",
        "label": "群众满意度",
        "max_points": "40",
        "rule": "threshold",
        "target": "90",
        "step": "1.5",
    },
    {"kind": "penalty", "label": "负面清单扣分", "max_points": "20", "rule": "deduction"},
]


@pytest.fixture
def assessed(transactional_db):
    """Two districts without cases (按期结案率 scores full), surveys 88 % and 80 %:
    茅箭区 40 + 37 + 20 = 97 first, 张湾区 40 + 25 + 20 = 85 second."""
    city = build_mini_city()
    admin = city.user(Role.CITY_ADMIN, "city", username="guanli", full_name="赵管理")
    office = city.user(Role.CITY_OPERATOR, "city", username="kaoping", full_name="周考评")
    city.user(Role.DISTRICT_OPERATOR, "420303", username="zhangwan", full_name="张湾区刘主任")
    services.scheme_save(
        subject_type="district", name="区县月度考评方案", components=SCHEME, actor=admin
    )
    services.figures_enter(
        period_key=PERIOD,
        subject_type="district",
        kind="survey",
        values={city.node("420302").pk: "88", city.node("420303").pk: "80"},
        note="第三方调查机构6月报告",
        actor=office,
    )
    return city


def ranking_rows(page):
    return page.locator("#ranking-table tbody tr")


def test_publish_appeal_accept_and_the_ranking_moves(page, live_server, assessed, request):
    base = live_server.url
    rankings = f"{base}/assessment/?period={PERIOD}&type=district"

    # The office reads the draft and publishes it.
    login(page, base, "kaoping")
    page.goto(rankings)
    expect(page.locator("#rankings-status")).to_have_text("草稿")
    expect(ranking_rows(page)).to_have_count(2)
    expect(ranking_rows(page).nth(0)).to_contain_text("茅箭区")
    expect(ranking_rows(page).nth(0)).to_contain_text("97")
    expect(ranking_rows(page).nth(1)).to_contain_text("张湾区")
    expect(page.locator("#red-board")).to_contain_text("茅箭区")
    shot(page, request.node.name, "draft")

    page.fill("#publish-note", "经市创文办审定")
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("#publish-button").click()
    expect(page.locator("#rankings-status")).to_have_text("已发布")
    expect(page.locator("#rankings-state")).to_contain_text("经市创文办审定")
    assert Publication.objects.filter(period_key=PERIOD).count() == 1
    shot(page, request.node.name, "published")

    # 张湾区 sees its own line and appeals against the survey points it lost.
    login(page, base, "zhangwan")
    page.goto(rankings)
    expect(ranking_rows(page)).to_have_count(1)
    expect(page.locator("#black-board")).to_contain_text("张湾区")
    page.locator("#ranking-table").get_by_role("link", name="张湾区").click()
    expect(page.locator("h1")).to_contain_text("张湾区")
    expect(page.locator("#result-score")).to_contain_text("第 2 名 / 共 2 个")
    expect(page.locator("#components")).to_contain_text(
        "群众满意度 80.00%,目标 90%,低 10.00 个百分点 × 1.5 分 = 扣 15.00 分"
    )
    page.select_option("#appeal-component", label="群众满意度(失分 15)")
    page.fill("#appeal-points", "15")
    page.fill("#appeal-reason", "调查样本中有 30 份问卷来自外区,已附调查机构更正说明")
    page.get_by_role("button", name="提交申诉").click()
    expect(page.locator(".messages")).to_contain_text("已提交“群众满意度”的申诉")
    expect(page.locator("#appeals .badge")).to_have_text("待审核")
    shot(page, request.node.name, "appealed")

    # The office accepts it from the review list.
    login(page, base, "kaoping")
    page.goto(f"{base}/assessment/appeals/")
    expect(page.locator("#pending-count")).to_contain_text("1 件待审核")
    appeal = Appeal.objects.get()
    form = page.locator(f"#appeal-{appeal.pk} form[data-decide]")
    expect(form.locator(".as-granted")).to_be_hidden()
    form.get_by_role("radio", name="部分采纳").check()
    expect(form.locator(".as-granted")).to_be_visible()
    shot(page, request.node.name, "review")
    form.get_by_role("radio", name="已采纳").check()
    form.get_by_role("button", name="提交审核").click()
    expect(page.locator(".messages")).to_contain_text("最终得分 85 → 100,名次 2 → 1")

    # The ranking shows the adjusted total, and 张湾区 is now first.
    page.goto(rankings)
    expect(ranking_rows(page).nth(0)).to_contain_text("张湾区")
    expect(ranking_rows(page).nth(0).locator(".as-final")).to_have_text("100")
    expect(ranking_rows(page).nth(0)).to_contain_text("+15")
    expect(ranking_rows(page).nth(1)).to_contain_text("茅箭区")
    expect(page.locator("#ranking-table thead")).to_contain_text("申诉调整")
    shot(page, request.node.name, "adjusted")
