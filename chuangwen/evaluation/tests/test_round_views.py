"""The office's evaluation pages: planning, progress board and its actions, results with
their export, the 问题清单, one inspection with its review; and who sees what."""

from __future__ import annotations

import io
import re
import uuid
from datetime import timedelta
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from chuangwen.cases import services as case_services
from chuangwen.evaluation import selectors, services
from chuangwen.evaluation.choices import (
    FrameworkKind,
    InspectionStatus,
    Result,
    RoundStatus,
    SubjectLevel,
)
from chuangwen.evaluation.models import (
    Framework,
    Inspection,
    NegativeItem,
    Penalty,
    Round,
    RoundItem,
)
from chuangwen.org.choices import Role
from chuangwen.testing.images import jpeg
from chuangwen.testing.people import ROSTER, people_fixture

pytestmark = pytest.mark.django_db

# Who may look but not plan, each at their home in the mini city.
NON_PLANNERS = {
    Role.LEADER: "city",
    Role.DISTRICT_OPERATOR: "420302",
    Role.STREET_OPERATOR: "420302001",
    Role.UNIT_HANDLER: "420302001",
    Role.INSPECTOR: "city",
}
MARKET_WUDANG = "MARKET-420302001001"  # in street 420302001 (武当路街道), 茅箭区
ROAD_WUDANG = "ROAD-420302001002"
MARKET_ZHANGWAN = "MARKET-420303001001"  # in 张湾区


# -- fixtures and helpers --------------------------------------------------------------------
people = people_fixture(
    "planner",
    "street",
    "observer",
    needs=("registry",),
    planner=ROSTER["operator"].but(full_name="创文办派遣员"),
    street={"full_name": "武当路街道管理员"},
    observer={"full_name": "文明观察员丙"},
)


@pytest.fixture
def framework(db):
    framework = Framework.objects.create(
        kind=FrameworkKind.MODEL_CITY,
        name="全国文明典范城市测评体系",
        cycle_start=2024,
        cycle_end=2026,
        is_current=True,
    )
    NegativeItem.objects.create(
        framework=framework,
        code="FM01",
        text="发生重大安全生产事故",
        penalty=Decimal("2"),
        subject_level=SubjectLevel.DISTRICT,
    )
    NegativeItem.objects.create(
        framework=framework,
        code="FM02",
        text="窗口单位服务态度恶劣被曝光",
        penalty=Decimal("1.5"),
        subject_level=SubjectLevel.UNIT,
    )
    return framework


def plan(registry, actor, *, name="第6期双月测评", starts_on=None, kind="bimonthly", **kwargs):
    start = starts_on or selectors.today()
    rules = [
        {"point_type_id": registry.types["MARKET"].pk, "percent": 100},
        {"point_type_id": registry.types["ROAD"].pk, "percent": 100},
    ]
    return services.round_create(
        name=name,
        kind=kind,
        starts_on=start,
        due_on=start + timedelta(days=10),
        inspector_ids=[u.pk for u in registry.inspectors],
        actor=actor,
        rules=kwargs.pop("rules", rules),
        seed=kwargs.pop("seed", 20261125),
        **kwargs,
    )


def inspection_of(round_, code) -> Inspection:
    return Inspection.objects.select_related("point", "inspector").get(
        round=round_, point__code=code
    )


def submit(inspection, *, fail: bool, exception: str = "") -> Inspection:
    """The assigned inspector's results: with ``fail`` the first item fails at 2 places
    with a photo (its case is opened), everything else passes."""
    actor = inspection.inspector
    items = RoundItem.objects.filter(
        round_id=inspection.round_id, point_type_id=inspection.point.point_type_id
    ).order_by("position", "id")
    results = []
    for index, item in enumerate(items):
        if fail and index == 0:
            photo = case_services.photo_upload(upload=jpeg(), actor=actor)
            results.append(
                {
                    "item_id": item.pk,
                    "result": Result.FAIL,
                    "occurrences": 2,
                    "note": "东门口堆放生活垃圾",
                    "photo_ids": [photo.pk],
                }
            )
        else:
            results.append({"item_id": item.pk, "result": Result.PASS})
    point = inspection.point
    checkin = {"exception": exception} if exception else {"lat": point.lat, "lng": point.lng}
    return services.inspection_submit(
        inspection_id=inspection.pk,
        actor=actor,
        submission_key=uuid.uuid4().hex,
        results=results,
        checkin=checkin,
    )


@pytest.fixture
def started(registry, people, framework):
    """An open round over all 12 points: the 武当路 market failed one item (a case, a
    photo), the 张湾 market passed everything."""
    round_ = plan(registry, people["planner"])
    services.round_start(round_id=round_.pk, actor=people["planner"])
    failed = submit(inspection_of(round_, MARKET_WUDANG), fail=True, exception="定位信号弱")
    submit(inspection_of(round_, MARKET_ZHANGWAN), fail=False)
    round_.refresh_from_db()
    round_.failed_inspection = failed
    return round_


def text(response) -> str:
    return response.content.decode()


def error_of(response, field: str) -> str:
    match = re.search(rf'<p class="field-error" id="err-{field}"[^>]*>(.*?)</p>', text(response))
    return match.group(1) if match else ""


def workbook_rows(response) -> list[tuple]:
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    return [tuple(row) for row in book.worksheets[0].iter_rows(values_only=True)]


# -- every page, for the planner -------------------------------------------------------------
def test_every_page_renders_for_a_planner(client, people, started, registry):
    client.force_login(people["planner"])
    failed = started.failed_inspection

    listing = text(client.get("/evaluation/"))
    assert "第6期双月测评" in listing and "双月测评" in listing and "测评中" in listing
    assert "2/12" in listing and 'href="/evaluation/rounds/new/"' in listing

    form = client.get("/evaluation/rounds/new/")
    assert form.status_code == 200
    page = text(form)
    assert "农贸市场" in page and "主次干道" in page and "测评员甲" in page
    assert "文明观察员丙" in page  # observers may inspect too
    assert 'placeholder="200"' in page  # the default check-in radius

    board = client.get(f"/evaluation/rounds/{started.pk}/")
    assert board.status_code == 200
    page = text(board)
    assert 'id="round-seed">20261125<' in page
    assert "农贸市场:每个区县抽取 100%,每组至少 1 个" in page
    assert 'id="total-count">12<' in page
    assert "结束测评" in page and "开始测评" not in page
    assert page.count('class="tag round-exception"') == 1  # the check-in without GPS
    assert "测评员甲" in page and "测评员乙" in page and "茅箭区" in page and "张湾区" in page
    assert "发生重大安全生产事故" in page  # the framework's negative list, to record from
    assert page.count('class="round-reassign"') == 10  # the 10 points not yet inspected

    for level in selectors.RESULT_LEVELS:
        results = client.get(f"/evaluation/rounds/{started.pk}/results/?level={level}")
        assert results.status_code == 200, level
    page = text(client.get(f"/evaluation/rounds/{started.pk}/results/"))
    assert "茅箭区" in page and "张湾区" in page and "100.0%" in page
    assert 'id="result-chart-data"' in page and 'id="result-markers"' in page
    markers = re.search(r'id="result-markers"[^>]*>(.*?)</script>', page).group(1)
    assert markers.count('"id"') == 12
    point_level = text(client.get(f"/evaluation/rounds/{started.pk}/results/?level=point"))
    assert f'href="/evaluation/inspections/{failed.pk}/"' in point_level

    problems = text(client.get(f"/evaluation/rounds/{started.pk}/problems/"))
    result = failed.results.get(result=Result.FAIL)
    assert f'href="/cases/{result.case_id}/"' in problems and result.case.code in problems
    assert "地面无暴露垃圾" in problems and "待复查" in problems and "1 张照片" in problems

    detail = client.get(f"/evaluation/inspections/{failed.pk}/")
    assert detail.status_code == 200
    page = text(detail)
    photo = result.photos.get()
    assert f'src="/cases/photos/{photo.pk}/"' in page
    assert "东门口堆放生活垃圾" in page and "定位信号弱" in page
    assert "审核通过" in page and "退回测评员" in page
    assert "环境卫生" in page and "市场秩序" in page  # items by section
    # 25 points, the failed item 2 places × 2 = −4
    assert ">21<small>/25</small>" in page


def test_a_draft_round_shows_its_plan_and_the_start_button(client, people, registry):
    round_ = plan(registry, people["planner"])
    client.force_login(people["planner"])
    page = text(client.get(f"/evaluation/rounds/{round_.pk}/"))
    assert "开始测评" in page and "删除" in page and "结束测评" not in page
    assert 'id="penalties"' not in page  # nothing to charge before the round runs
    inspection = round_.inspections.first()
    page = text(client.get(f"/evaluation/inspections/{inspection.pk}/"))
    assert "测评开始后才生成本点位的检查表。" in page


# -- planning --------------------------------------------------------------------------------
def form_data(registry, **overrides) -> dict:
    start = selectors.today()
    data = {
        "name": "明察暗访第一轮",
        "kind": "unannounced",
        "starts_on": start.isoformat(),
        "due_on": (start + timedelta(days=5)).isoformat(),
        "framework": "",
        f"percent_{registry.types['MARKET'].pk}": "50",
        f"per_{registry.types['MARKET'].pk}": "street",
        f"minimum_{registry.types['MARKET'].pk}": "1",
        f"percent_{registry.types['ROAD'].pk}": "",
        "points": f"{ROAD_WUDANG}\n{ROAD_WUDANG}",
        "inspectors": [str(u.pk) for u in registry.inspectors],
        "seed": "4242",
        "checkin_radius_m": "150",
        "note": "",
    }
    data.update(overrides)
    return data


def test_the_planning_form_creates_a_round_with_its_draw(client, people, registry, framework):
    client.force_login(people["planner"])
    response = client.post("/evaluation/rounds/new/", form_data(registry))
    round_ = Round.objects.get(name="明察暗访第一轮")
    assert (
        response.status_code == 302 and response["Location"] == f"/evaluation/rounds/{round_.pk}/"
    )
    assert round_.seed == 4242 and round_.checkin_radius_m == 150
    assert round_.status == RoundStatus.DRAFT and round_.framework == framework
    rule = round_.rules.get()
    assert (rule.point_type.code, rule.percent, rule.per) == ("MARKET", 50, "street")
    codes = set(round_.inspections.values_list("point__code", flat=True))
    # 3 streets × 2 markets, half of each (at least one) = 3 markets, plus the named road
    assert len(codes) == 4 and ROAD_WUDANG in codes
    assert sum(c.startswith("MARKET-") for c in codes) == 3
    page = text(client.get(response["Location"]))
    assert "抽取 4 个点位" in page and "抽样种子 4242" in page
    # The same rules and seed draw the same points.
    again = client.post("/evaluation/rounds/new/", form_data(registry, name="复现"))
    assert again.status_code == 302
    replay = Round.objects.get(name="复现")
    assert set(replay.inspections.values_list("point__code", flat=True)) == codes


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"name": "  "}, "name", "请填写轮次名称。"),
        ({"kind": ""}, "kind", "请选择测评类型。"),
        ({"due_on": "2020-01-01"}, "due_on", "截止日期不能早于开始日期。"),
        ({"starts_on": "明天"}, "starts_on", "开始日期格式不正确"),
        ({"inspectors": []}, "inspectors", "请至少选择一名测评员。"),
        ({"seed": "-3"}, "seed", "抽样种子应在 0 到"),
        ({"checkin_radius_m": "5"}, "checkin_radius_m", "签到距离应在 10 到 5000 之间。"),
        ({"points": "NOPE-1, ROAD-420302001002,NOPE-2"}, "points", "NOPE-1、NOPE-2"),
        ({"framework": "abc"}, "framework", "请选择测评体系。"),
    ],
)
def test_planning_form_errors_are_shown_beside_their_field(
    client, people, registry, overrides, field, message
):
    client.force_login(people["planner"])
    response = client.post("/evaluation/rounds/new/", form_data(registry, **overrides))
    assert response.status_code == 400
    assert message in error_of(response, field)
    assert not Round.objects.exists()
    page = text(response)
    # What was typed stays in the form.
    assert 'value="-3"' in page if field == "seed" else 'value="4242"' in page
    assert f'name="percent_{registry.types["MARKET"].pk}" min="1" max="100"' in page
    assert 'value="50"' in page
    if field != "name":
        assert 'value="明察暗访第一轮"' in page
    if field != "inspectors":
        assert page.count('name="inspectors" value') == 3
        assert page.count(" checked>") == 2


def test_a_bad_sampling_row_is_marked_on_its_row(client, people, registry):
    client.force_login(people["planner"])
    road = registry.types["ROAD"].pk
    response = client.post(
        "/evaluation/rounds/new/", form_data(registry, **{f"percent_{road}": "150"})
    )
    assert response.status_code == 400
    assert "抽取比例应为 1 到 100 的整数。" in error_of(response, f"rule-{road}")
    assert 'value="150"' in text(response)


def test_rules_that_draw_nothing_are_refused(client, people, registry):
    client.force_login(people["planner"])
    market = registry.types["MARKET"].pk
    response = client.post(
        "/evaluation/rounds/new/",
        form_data(registry, points="", **{f"percent_{market}": ""}),
    )
    assert response.status_code == 400
    assert "按所设规则没有抽到任何点位" in error_of(response, "rules")


@pytest.mark.parametrize("role", NON_PLANNERS)
def test_only_planners_get_the_planning_form(client, city, registry, role):
    client.force_login(city.user(role, NON_PLANNERS[role]))
    assert client.get("/evaluation/rounds/new/").status_code == 403
    response = client.post("/evaluation/rounds/new/", form_data(registry))
    assert response.status_code == 403 and "只有市创文办可以组织测评。" in text(response)
    assert not Round.objects.exists()
    assert "新建测评" not in text(client.get("/evaluation/"))


# -- the round's actions ---------------------------------------------------------------------
def test_a_planner_starts_reassigns_reviews_penalises_and_closes(
    client, people, registry, framework
):
    planner = people["planner"]
    round_ = plan(registry, planner)
    client.force_login(planner)
    response = client.post(f"/evaluation/rounds/{round_.pk}/start/", {"version": round_.version})
    assert response.status_code == 302
    round_.refresh_from_db()
    assert round_.status == RoundStatus.OPEN
    assert "测评已开始" in text(client.get(response["Location"]))

    # Reassign a point to the observer; the board comes back with its filter.
    target = inspection_of(round_, ROAD_WUDANG)
    back = f"/evaluation/rounds/{round_.pk}/?status=assigned"
    response = client.post(
        f"/evaluation/inspections/{target.pk}/reassign/",
        {"inspector": people["observer"].pk, "next": back},
    )
    assert response.status_code == 302 and response["Location"] == back
    target.refresh_from_db()
    assert target.inspector == people["observer"]
    # An address elsewhere is not followed.
    response = client.post(
        f"/evaluation/inspections/{target.pk}/reassign/",
        {"inspector": registry.inspectors[0].pk, "next": "https://example.com/"},
    )
    assert response["Location"] == f"/evaluation/rounds/{round_.pk}/"

    # Review: return with a reason, then approve after the resubmission.
    inspection = submit(inspection_of(round_, MARKET_WUDANG), fail=True)
    response = client.post(
        f"/evaluation/inspections/{inspection.pk}/review/",
        {"decision": "return", "note": "照片看不清,请重拍", "version": inspection.version},
    )
    assert response.status_code == 302
    inspection.refresh_from_db()
    assert inspection.status == InspectionStatus.RETURNED
    assert "照片看不清,请重拍" in text(client.get(f"/evaluation/inspections/{inspection.pk}/"))
    inspection = submit(inspection, fail=True)
    client.post(
        f"/evaluation/inspections/{inspection.pk}/review/",
        {"decision": "approve", "version": inspection.version},
    )
    inspection.refresh_from_db()
    assert inspection.status == InspectionStatus.APPROVED

    # A district penalty shows in the results.
    negative = NegativeItem.objects.get(code="FM01")
    maojian = registry.points[MARKET_WUDANG].district
    response = client.post(
        f"/evaluation/rounds/{round_.pk}/penalties/",
        {"negative": negative.pk, "subject": f"t:{maojian.pk}", "note": "11月3日某工地事故"},
    )
    assert response.status_code == 302
    penalty = Penalty.objects.get()
    assert (penalty.territory, penalty.points) == (maojian, Decimal("2"))
    board = text(client.get(f"/evaluation/rounds/{round_.pk}/"))
    assert "11月3日某工地事故" in board and "−2" in board
    results = text(client.get(f"/evaluation/rounds/{round_.pk}/results/"))
    # 茅箭区: 25 − 4 = 21, minus the 2-point penalty = 19 of 25
    assert "76.0%" in results

    response = client.post(f"/evaluation/rounds/{round_.pk}/close/", {"version": 99})
    assert response.status_code == 409 and "数据已被他人修改" in text(response)
    round_.refresh_from_db()
    response = client.post(f"/evaluation/rounds/{round_.pk}/close/", {"version": round_.version})
    assert response.status_code == 302
    round_.refresh_from_db()
    assert round_.status == RoundStatus.CLOSED
    board = text(client.get(f"/evaluation/rounds/{round_.pk}/"))
    assert "round-reassign" not in board and "结束测评" not in board


def test_a_planner_discards_a_draft_but_not_a_started_round(client, people, registry):
    client.force_login(people["planner"])
    draft = plan(registry, people["planner"], name="作废的草稿")
    response = client.post(f"/evaluation/rounds/{draft.pk}/discard/")
    assert response.status_code == 302 and response["Location"] == "/evaluation/"
    assert not Round.objects.filter(pk=draft.pk).exists()
    running = plan(registry, people["planner"])
    services.round_start(round_id=running.pk, actor=people["planner"])
    response = client.post(f"/evaluation/rounds/{running.pk}/discard/")
    assert response.status_code == 409 and "测评已开始,不能删除,只能结束。" in text(response)
    assert Round.objects.filter(pk=running.pk).exists()


def test_bad_action_input_is_shown_where_it_was_typed(client, people, started, registry):
    client.force_login(people["planner"])
    failed = started.failed_inspection
    response = client.post(
        f"/evaluation/inspections/{failed.pk}/review/",
        {"decision": "return", "note": " ", "version": failed.version},
    )
    assert response.status_code == 400
    assert 'id="review-error">请填写审核意见。<' in text(response)
    assert text(response).count("请填写审核意见。") == 1  # beside the form, not twice

    negative = NegativeItem.objects.get(code="FM01")
    street = registry.points[MARKET_WUDANG].street
    response = client.post(
        f"/evaluation/rounds/{started.pk}/penalties/",
        {"negative": negative.pk, "subject": f"t:{street.pk}", "note": "事故"},
    )
    assert response.status_code == 400
    page = text(response)
    assert 'id="penalty-error">请选择被扣分的区县。<' in page
    assert page.count("请选择被扣分的区县。") == 1
    assert f'<option value="t:{street.pk}" selected>' in page  # the choice is kept
    response = client.post(
        f"/evaluation/rounds/{started.pk}/penalties/",
        {"negative": NegativeItem.objects.get(code="FM02").pk, "subject": "", "note": "曝光"},
    )
    assert response.status_code == 400 and "请选择被扣分的责任单位。" in text(response)
    assert not Penalty.objects.exists()

    assigned = inspection_of(started, ROAD_WUDANG)
    response = client.post(
        f"/evaluation/inspections/{assigned.pk}/reassign/", {"inspector": people["street"].pk}
    )
    assert response.status_code == 400
    assert "所选人员中有人不是在岗的测评员或文明观察员。" in text(response)
    response = client.post(
        f"/evaluation/inspections/{failed.pk}/reassign/",
        {"inspector": registry.inspectors[1].pk},
    )
    assert response.status_code == 409 and "该点位已提交结果,不能改派。" in text(response)


@pytest.mark.parametrize("role", NON_PLANNERS)
def test_actions_are_refused_to_non_planners(client, city, people, started, registry, role):
    user = city.user(role, NON_PLANNERS[role])
    client.force_login(user)
    failed = started.failed_inspection
    board = text(client.get(f"/evaluation/rounds/{started.pk}/"))
    for button in ("结束测评", "round-reassign", 'id="penalty-form"', "/close/"):
        assert button not in board
    assert "审核通过" not in text(client.get(f"/evaluation/inspections/{failed.pk}/"))

    negative = NegativeItem.objects.get(code="FM01")
    maojian = registry.points[MARKET_WUDANG].district
    assigned = inspection_of(started, ROAD_WUDANG)
    attempts = [
        (f"/evaluation/rounds/{started.pk}/close/", {"version": started.version}),
        (
            f"/evaluation/rounds/{started.pk}/penalties/",
            {"negative": negative.pk, "subject": f"t:{maojian.pk}", "note": "事故"},
        ),
        (
            f"/evaluation/inspections/{failed.pk}/review/",
            {"decision": "approve", "version": failed.version},
        ),
        (
            f"/evaluation/inspections/{assigned.pk}/reassign/",
            {"inspector": people["observer"].pk},
        ),
    ]
    for url, data in attempts:
        response = client.post(url, data)
        assert response.status_code == 403, url
        assert "只有市创文办可以组织测评。" in text(response), url
    started.refresh_from_db()
    failed.refresh_from_db()
    assert started.status == RoundStatus.OPEN and failed.status == InspectionStatus.SUBMITTED
    assert not Penalty.objects.exists()
    assert inspection_of(started, ROAD_WUDANG).inspector == assigned.inspector


@pytest.mark.parametrize("role", NON_PLANNERS)
def test_a_draft_round_does_not_exist_for_non_planners(client, city, people, registry, role):
    draft = plan(registry, people["planner"], name="还在筹备")
    client.force_login(city.user(role, NON_PLANNERS[role]))
    assert "还在筹备" not in text(client.get("/evaluation/"))
    for url in ("", "results/", "problems/"):
        assert client.get(f"/evaluation/rounds/{draft.pk}/{url}").status_code == 404
    for action in ("start", "discard"):
        assert client.post(f"/evaluation/rounds/{draft.pk}/{action}/").status_code == 404
    inspection = draft.inspections.first()
    assert client.get(f"/evaluation/inspections/{inspection.pk}/").status_code == 404
    assert Round.objects.filter(pk=draft.pk, status=RoundStatus.DRAFT).exists()


# -- scope -----------------------------------------------------------------------------------
def test_a_street_operator_sees_only_the_lines_of_their_street(client, people, started):
    client.force_login(people["street"])
    listing = text(client.get("/evaluation/"))
    assert "第6期双月测评" in listing and "1/4" in listing  # their 4 points, 1 submitted

    board = text(client.get(f"/evaluation/rounds/{started.pk}/"))
    assert 'id="total-count">4<' in board
    assert "张湾区" not in board and "二堰街道" not in board and MARKET_ZHANGWAN not in board

    results = text(client.get(f"/evaluation/rounds/{started.pk}/results/"))
    table = re.search(r'<table class="table round-results".*?</table>', results, re.S).group(0)
    # The district's line adds up 二堰街道's points too: not a street's to read.
    assert "茅箭区" not in table and "张湾区" not in table
    streets = text(client.get(f"/evaluation/rounds/{started.pk}/results/?level=street"))
    assert "武当路街道" in streets and "车城路街道" not in streets
    markers = re.search(r'id="result-markers"[^>]*>(.*?)</script>', results).group(1)
    assert markers.count('"id"') == 4

    problems = text(client.get(f"/evaluation/rounds/{started.pk}/problems/"))
    assert MARKET_WUDANG in problems

    outside = inspection_of(started, MARKET_ZHANGWAN)
    assert client.get(f"/evaluation/inspections/{outside.pk}/").status_code == 404
    inside = started.failed_inspection
    assert client.get(f"/evaluation/inspections/{inside.pk}/").status_code == 200
    # Their workbook holds their lines only.
    rows = workbook_rows(
        client.get(f"/evaluation/rounds/{started.pk}/results/?level=street&format=xlsx")
    )
    assert [r[2] for r in rows[1:]] == ["武当路街道"]


def test_penalties_outside_the_scope_are_not_listed(client, people, started, registry):
    negative = NegativeItem.objects.get(code="FM01")
    zhangwan = registry.points[MARKET_ZHANGWAN].district
    services.penalty_record(
        round_id=started.pk,
        negative_id=negative.pk,
        actor=people["planner"],
        note="张湾区某工地事故",
        territory_id=zhangwan.pk,
    )
    client.force_login(people["planner"])
    assert "张湾区某工地事故" in text(client.get(f"/evaluation/rounds/{started.pk}/"))
    client.force_login(people["street"])
    assert "张湾区某工地事故" not in text(client.get(f"/evaluation/rounds/{started.pk}/"))


# -- filters and exports ---------------------------------------------------------------------
def test_the_board_filters_by_status_inspector_and_district(client, people, started, registry):
    client.force_login(people["planner"])
    url = f"/evaluation/rounds/{started.pk}/"
    page = text(client.get(url, {"status": "submitted"}))
    assert "共 2 个点位" in page
    maojian = registry.points[MARKET_WUDANG].district
    page = text(client.get(url, {"status": "submitted", "district": maojian.pk}))
    assert "共 1 个点位" in page and MARKET_WUDANG in page
    mine = Inspection.objects.filter(round=started, inspector=registry.inspectors[0]).count()
    page = text(client.get(url, {"inspector": registry.inspectors[0].pk}))
    assert f"共 {mine} 个点位" in page
    page = text(client.get(url, {"status": "nonsense", "district": "x"}))
    assert "共 12 个点位" in page


def test_exports_need_the_export_right(client, city, started):
    client.force_login(city.user(Role.INSPECTOR, "city"))  # sees the pages, may not export
    results = client.get(f"/evaluation/rounds/{started.pk}/results/")
    assert results.status_code == 200 and 'id="results-export"' not in text(results)
    problems = client.get(f"/evaluation/rounds/{started.pk}/problems/")
    assert problems.status_code == 200 and 'id="problems-export"' not in text(problems)
    for url in ("results/?level=district&format=xlsx", "problems/?format=xlsx"):
        response = client.get(f"/evaluation/rounds/{started.pk}/{url}")
        assert response.status_code == 403 and "您没有导出测评结果的权限。" in text(response)
    client.force_login(city.user(Role.LEADER, "city"))
    results = client.get(f"/evaluation/rounds/{started.pk}/results/")
    assert 'id="results-export"' in text(results)


def test_the_results_workbook_holds_the_table(client, people, started):
    client.force_login(people["planner"])
    response = client.get(f"/evaluation/rounds/{started.pk}/results/?level=district&format=xlsx")
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    rows = workbook_rows(response)
    assert rows[0][:4] == ("排名", "编码", "区县", "测评点位数")
    assert [r[:4] for r in rows[1:]] == [(1, "420303", "张湾区", 1), (2, "420302", "茅箭区", 1)]
    maojian = rows[2]
    assert (maojian[4], maojian[5], maojian[8]) == (21, 25, 84)

    points = workbook_rows(
        client.get(f"/evaluation/rounds/{started.pk}/results/?level=point&format=xlsx")
    )
    assert {r[1] for r in points[1:]} == {MARKET_WUDANG, MARKET_ZHANGWAN}


def test_the_problem_list_filters_and_exports_with_absolute_links(client, people, started):
    client.force_login(people["planner"])
    url = f"/evaluation/rounds/{started.pk}/problems/"
    result = started.failed_inspection.results.get(result=Result.FAIL)
    case, photo = result.case, result.photos.get()
    assert case.code in text(client.get(url, {"status": case.status}))
    assert case.code not in text(client.get(url, {"status": "closed"}))
    zhangwan = inspection_of(started, MARKET_ZHANGWAN).point.district
    assert "共 0 个问题" in text(client.get(url, {"district": zhangwan.pk}))

    rows = workbook_rows(client.get(url, {"format": "xlsx"}))
    assert len(rows) == 2
    header, line = rows
    row = dict(zip(header, line, strict=True))
    assert row["点位编号"] == MARKET_WUDANG and row["检查项"] == "地面无暴露垃圾"
    assert row["问题处数"] == 2 and row["扣分"] == 4
    assert row["案件编号"] == case.code
    assert row["案件链接"] == f"http://testserver/cases/{case.pk}/"
    assert row["照片链接"] == f"http://testserver/cases/photos/{photo.pk}/"
    assert row["复查状态"] == "待复查" and row["区县"] == "茅箭区"
    filtered = workbook_rows(client.get(url, {"format": "xlsx", "status": "closed"}))
    assert len(filtered) == 1  # the header only


def test_results_compare_with_the_previous_round(client, people, registry, framework):
    planner = people["planner"]
    start = selectors.today()
    first = plan(registry, planner, name="上一轮", starts_on=start - timedelta(days=60))
    services.round_start(round_id=first.pk, actor=planner)
    submit(inspection_of(first, MARKET_WUDANG), fail=False)
    submit(inspection_of(first, MARKET_ZHANGWAN), fail=True)
    second = plan(registry, planner, name="这一轮")
    assert second.previous == first
    services.round_start(round_id=second.pk, actor=planner)
    submit(inspection_of(second, MARKET_WUDANG), fail=True)
    submit(inspection_of(second, MARKET_ZHANGWAN), fail=False)
    client.force_login(planner)
    page = text(client.get(f"/evaluation/rounds/{second.pk}/results/"))
    assert "上轮得分率" in page
    assert '<span class="round-down" title="下降">↓ 16.0</span>' in page  # 茅箭区 100 → 84
    assert '<span class="round-up" title="上升">↑ 16.0</span>' in page  # 张湾区 84 → 100
