"""The leaders' dashboard: figures of the viewer's own territory, who may open it, the
JSON the big screen refreshes from, and a number of queries that does not grow with the
cases.

The town (times local, the clock at 2026-11-20 10:00; the comparison span is
2026-10-01 00:00 to 2026-10-20 10:00). Every 井盖 (B0102) case goes to 市水务集团 at once
with 2 emergency hours (yellow at the deadline, red 1 hour later); 乱扔垃圾 (W0101) has no
routing rule and waits, registered, for an operator.

    street 420302001 (武当路街道)
      S3  W0101 reported 10-12 09:00, still registered (open, no deadline)
      S5  B0102 reported 10-15 09:00, finished 09:40, closed 10:00: on time
              rated 10-16 不满意
      S7  B0102 reported 10-16 09:00, finished 12:30, closed 14:00: late
      S8  W0101 reported 10-18 09:00, cancelled 11-08
      S6  B0102 reported 10-19 09:00, swept red 12:00 (two 超时督办), finished 11-04
              09:30, closed 10:00 (late); its yellow order answered 11-04 08:30, the
              red one settled with the case
      S1  B0102 reported 11-02 09:00, never signed: swept red 12:00 (two orders)
      S2  B0102 reported 11-03 09:00, finished 09:40, closed 10:00: on time,
              rated 11-10 满意
    street 420302002  O1  B0102 reported 11-05 09:00, never signed: red
    张湾区            Z1  B0102 reported 11-06 09:00, never signed: red

The street's figures, this month so far against 10-01 … 10-20 10:00:

    上报 2 (S1 S2) against 5 (S3 S5 S7 S8 S6)
    立案 2 against 4 (S8 cancelled does not count)
    应结案 2 (S1 S2), 结案 1 (S2), 按期 1 → 结案率 50.00 %, 按期结案率 50.00 %
        against 应结案 3 (S5 S7 S6), 结案 2, 按期 1 → 66.67 % and 33.33 %
    在办 2 (S1 S3) against 3 (S3 S8 S6)
    超时 1 red (S1) against 1 red (S6)
    待回复督办单 2 (S1 ×2) against 2 (S6 ×2, both open on 10-20)
    回访满意率 100.00 % against 0.00 %
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from chuangwen.assessment import services
from chuangwen.assessment.models import Publication
from chuangwen.assessment.selectors import dashboard
from chuangwen.cases import services as case_services
from chuangwen.cases.choices import PhotoKind, SupervisionKind
from chuangwen.cases.models import Case, CasePhoto, Supervision
from chuangwen.core import clock
from chuangwen.org.choices import Role
from chuangwen.testing.cases import MAOJIAN, ZHANGWAN, at

pytestmark = pytest.mark.django_db

NOW = at(2026, 11, 20, 10, 0)
# The east half of 茅箭区: street 420302002.
ERYAN = (32.02, 110.15)
ALLOWED = (
    Role.CITY_ADMIN,
    Role.CITY_OPERATOR,
    Role.LEADER,
    Role.DISTRICT_OPERATOR,
    Role.STREET_OPERATOR,
)
REFUSED = (
    Role.COMMUNITY_OPERATOR,
    Role.UNIT_HANDLER,
    Role.INSPECTOR,
    Role.OBSERVER,
    Role.COLLECTOR,
    Role.PERSUADER,
    Role.VOLUNTEER,
)
HOMES = {
    Role.CITY_ADMIN: "city",
    Role.CITY_OPERATOR: "city",
    Role.LEADER: "city",
    Role.DISTRICT_OPERATOR: "420302",
    Role.STREET_OPERATOR: "420302001",
    Role.COMMUNITY_OPERATOR: "420302001001",
    Role.UNIT_HANDLER: "dept",
    Role.INSPECTOR: "420302001",
    Role.OBSERVER: "420302001",
    Role.COLLECTOR: "420302001",
    Role.PERSUADER: "420302001001",
    Role.VOLUNTEER: "volunteers",
}


@pytest.fixture(autouse=True)
def _forget_kept_figures():
    """Kept figures are named by scope and moment, which every test here shares."""
    cache.clear()
    yield
    cache.clear()


@dataclass
class Town:
    city: object
    office: object
    collector: object
    water: object
    cases: dict[str, Case]


def _report(collector, where, moment, category="B0102") -> Case:
    with clock.at(moment):
        return case_services.case_report(
            category=category,
            description="人行道井盖缺失" if category == "B0102" else "路边乱扔垃圾",
            lat=where[0],
            lng=where[1],
            actor=collector,
        ).case


def _finish(case, water, *, signed, finished):
    with clock.at(signed):
        case_services.case_sign(case_id=case.pk, actor=water)
    with clock.at(finished):
        photo = CasePhoto.objects.create(
            kind=PhotoKind.AFTER,
            sha256="cd" * 32,
            uploaded_by=water,
            image="cases/after.jpg",
            created_at=clock.now(),
        )
        case_services.case_finish(case_id=case.pk, actor=water, photo_ids=[photo.pk])


def _close(case, people, *, signed, finished, verified):
    _finish(case, people.water, signed=signed, finished=finished)
    with clock.at(verified):
        case_services.case_verify(case_id=case.pk, actor=people.collector, ok=True)


def _rate(case, rating, moment):
    # Field reports carry no tracking code; the rating service finds a case by one.
    Case.objects.filter(pk=case.pk).update(public_token=f"T{case.pk:07d}")
    with clock.at(moment):
        case_services.case_rate(token=f"T{case.pk:07d}", rating=rating)


@pytest.fixture
def town(city, catalogue) -> Town:
    office = city.user(Role.CITY_OPERATOR, "city")
    collector = city.user(Role.COLLECTOR, "420302001")
    water = city.user(Role.UNIT_HANDLER, "water")
    people = Town(city=city, office=office, collector=collector, water=water, cases={})
    c = people.cases
    c["S3"] = _report(collector, MAOJIAN, at(2026, 10, 12, 9, 0), category="W0101")
    c["S5"] = _report(collector, MAOJIAN, at(2026, 10, 15, 9, 0))
    _close(
        c["S5"],
        people,
        signed=at(2026, 10, 15, 9, 10),
        finished=at(2026, 10, 15, 9, 40),
        verified=at(2026, 10, 15, 10, 0),
    )
    _rate(c["S5"], "dissatisfied", at(2026, 10, 16, 8, 0))
    c["S7"] = _report(collector, MAOJIAN, at(2026, 10, 16, 9, 0))
    _close(
        c["S7"],
        people,
        signed=at(2026, 10, 16, 9, 10),
        finished=at(2026, 10, 16, 12, 30),
        verified=at(2026, 10, 16, 14, 0),
    )
    c["S8"] = _report(collector, MAOJIAN, at(2026, 10, 18, 9, 0), category="W0101")
    c["S6"] = _report(collector, MAOJIAN, at(2026, 10, 19, 9, 0))
    case_services.supervise_overdue(now=at(2026, 10, 19, 12, 0))
    c["S1"] = _report(collector, MAOJIAN, at(2026, 11, 2, 9, 0))
    case_services.supervise_overdue(now=at(2026, 11, 2, 12, 0))
    c["S2"] = _report(collector, MAOJIAN, at(2026, 11, 3, 9, 0))
    _close(
        c["S2"],
        people,
        signed=at(2026, 11, 3, 9, 10),
        finished=at(2026, 11, 3, 9, 40),
        verified=at(2026, 11, 3, 10, 0),
    )
    yellow = Supervision.objects.get(case=c["S6"], kind=SupervisionKind.OVERDUE, level=1)
    with clock.at(at(2026, 11, 4, 8, 30)):
        case_services.supervision_answer(
            supervision_id=yellow.pk, answer="已安排抢修,井盖已补装。", actor=water
        )
    _close(
        c["S6"],
        people,
        signed=at(2026, 11, 4, 9, 0),
        finished=at(2026, 11, 4, 9, 30),
        verified=at(2026, 11, 4, 10, 0),
    )
    c["O1"] = _report(city.user(Role.COLLECTOR, "420302002"), ERYAN, at(2026, 11, 5, 9, 0))
    c["Z1"] = _report(city.user(Role.COLLECTOR, "420303001"), ZHANGWAN, at(2026, 11, 6, 9, 0))
    case_services.supervise_overdue(now=at(2026, 11, 6, 12, 0))
    with clock.at(at(2026, 11, 8, 9, 0)):
        case_services.case_cancel(case_id=c["S8"].pk, actor=office, note="重复录入,作废")
    _rate(c["S2"], "satisfied", at(2026, 11, 10, 8, 0))
    for case in c.values():
        case.refresh_from_db()
    return people


def user_for(city, role, **kwargs):
    return city.user(role, HOMES[role], **kwargs)


def figures(user) -> dict:
    with clock.at(NOW):
        data = dashboard.dashboard_for(user=user)
    return {k.code: (k.value, k.previous) for k in data.kpis}


# -- figures --------------------------------------------------------------------------------------
def test_a_street_operator_sees_only_their_street(town):
    assert town.cases["S1"].street.code == "420302001"
    assert town.cases["O1"].street.code == "420302002"
    street = user_for(town.city, Role.STREET_OPERATOR)
    assert figures(street) == {
        "reported": (2, 5),
        "registered": (2, 4),
        "close_rate": (50.0, 66.67),
        "on_time_rate": (50.0, 33.33),
        "open": (2, 3),
        "overdue": (1, 1),
        "supervisions": (2, 2),
        "satisfaction_rate": (100.0, 0.0),
    }


def test_the_street_kpis_carry_their_parts_and_read_their_direction(town):
    with clock.at(NOW):
        data = dashboard.dashboard_for(user=user_for(town.city, Role.STREET_OPERATOR))
    kpis = {k.code: k for k in data.kpis}
    assert kpis["close_rate"].parts == [("结案", 1), ("应结案", 2)]
    assert kpis["overdue"].parts == [("红灯", 1), ("黄灯", 0)]
    assert kpis["close_rate"].change == -16.67 and kpis["close_rate"].tone == "bad"
    assert kpis["on_time_rate"].change == 16.67 and kpis["on_time_rate"].tone == "good"
    assert kpis["supervisions"].change == 0 and kpis["supervisions"].tone == "flat"
    assert kpis["open"].change == -1 and kpis["open"].tone == "good"
    assert kpis["overdue"].tone == "flat"
    assert kpis["reported"].tone == ""  # more reports is neither good nor bad news
    assert data.area.name == "武当路街道"


def test_the_district_and_the_city_add_their_streets_up(town):
    district = user_for(town.city, Role.DISTRICT_OPERATOR)
    leader = user_for(town.city, Role.LEADER)
    mine, city = figures(district), figures(leader)
    # O1 (the other 茅箭 street) joins the district; Z1 (张湾区) only the city.
    assert mine["reported"] == (3, 5) and city["reported"] == (4, 5)
    assert mine["open"] == (3, 3) and city["open"] == (4, 3)
    assert mine["overdue"] == (2, 1) and city["overdue"] == (3, 1)
    # 3 due in November (S1 S2 O1) and only S2 closed, on time.
    assert mine["close_rate"] == (33.33, 66.67) and city["close_rate"] == (25.0, 66.67)
    assert city["on_time_rate"] == (25.0, 33.33)
    assert city["satisfaction_rate"] == (100.0, 0.0)
    # Every open order in the city: S1 ×2, O1 ×2, Z1 ×2 (S6's closed with S6).
    assert city["supervisions"] == (6, 2)


def test_the_trend_runs_twelve_months_to_this_one(town):
    with clock.at(NOW):
        data = dashboard.dashboard_for(user=user_for(town.city, Role.STREET_OPERATOR))
    keys = [p.period.key for p in data.trend]
    assert keys[0] == "2025-12" and keys[-1] == "2026-11" and len(keys) == 12
    october, november = data.trend[-2], data.trend[-1]
    # October as a whole: S3 S5 S7 S8 S6 reported; S5 S7 S6 due, S5 S7 closed by its end.
    assert (october.reported, october.due, october.closed) == (5, 3, 2)
    assert october.on_time_rate == 33.33
    assert (november.reported, november.due, november.closed) == (2, 2, 1)
    assert november.on_time_rate == 50.0
    assert all(p.reported == 0 and p.on_time_rate is None for p in data.trend[:-2])


def test_the_lists_show_red_first_and_only_the_viewers_cases(town):
    with clock.at(NOW):
        street = dashboard.dashboard_for(user=user_for(town.city, Role.STREET_OPERATOR))
        city = dashboard.dashboard_for(user=user_for(town.city, Role.LEADER))
    assert [c.code for c in street.overdue] == [town.cases["S1"].code]
    # All red; the longest overdue (the earliest deadline) first.
    assert [c.code for c in city.overdue] == [town.cases[k].code for k in ("S1", "O1", "Z1")]
    orders = street.supervisions
    assert {o.case_id for o in orders} == {town.cases["S1"].pk}
    assert len(orders) == 2
    assert [o.reply_due_at for o in orders] == sorted(o.reply_due_at for o in orders)


def test_the_map_holds_recent_cases_of_the_area_and_a_grid_of_them(town):
    with clock.at(NOW):
        street = dashboard.dashboard_for(user=user_for(town.city, Role.STREET_OPERATOR))
        city = dashboard.dashboard_for(user=user_for(town.city, Role.LEADER))
    # The last 30 days: 10-21 on. S8 was cancelled: on the heat grid, not as a point.
    assert {p["code"] for p in street.map.points} == {town.cases["S1"].code, town.cases["S2"].code}
    assert sum(n for _lat, _lng, n in street.map.heat) == 2
    assert [p["code"] for p in city.map.points] == [
        town.cases[k].code for k in ("Z1", "O1", "S2", "S1")
    ]
    assert sum(n for _lat, _lng, n in city.map.heat) == 4
    # Each cell is named by its centre, within half a cell of the cases in it.
    lat, lng, n = next(c for c in city.map.heat if abs(c[1] - ZHANGWAN[1]) < 0.01)
    assert n == 1
    assert abs(lat - ZHANGWAN[0]) <= dashboard.HEAT_CELL_DEGREES / 2
    assert abs(lng - ZHANGWAN[1]) <= dashboard.HEAT_CELL_DEGREES / 2


def test_the_map_is_capped(town, monkeypatch):
    monkeypatch.setattr(dashboard, "MAP_POINTS", 2)
    with clock.at(NOW):
        data = dashboard.dashboard_for(user=user_for(town.city, Role.LEADER))
    assert len(data.map.points) == 2 and data.map.truncated


def test_no_territory_no_figures(city, catalogue):
    # A street office unit that lost its territory: the dashboard shows nothing rather
    # than the city.
    from chuangwen.org.models import Unit

    operator = city.user(Role.STREET_OPERATOR, "420302001")
    Unit.objects.filter(pk=city.units["420302001"].pk).update(territory=None)
    _report(city.user(Role.COLLECTOR, "420303001"), ZHANGWAN, at(2026, 11, 6, 9, 0))
    with clock.at(NOW):
        data = dashboard.dashboard_for(user=operator)
    assert data.area.nodes == ()
    assert {k.code: k.value for k in data.kpis}["open"] == 0
    assert data.map.points == [] and data.overdue == [] and data.board is None


# -- rankings -------------------------------------------------------------------------------------
@pytest.fixture
def published(story):
    """September published for districts and streets (see conftest: 茅箭区 1st, 张湾区 2nd;
    streets 420302002 1st, 420302001 2nd, 420303001 3rd)."""
    for subject_type in ("district", "street"):
        services.publication_publish(
            period_key="2026-09", subject_type=subject_type, actor=story.office
        )
    return story


def test_the_city_ranks_its_districts_and_a_district_its_streets(published):
    city = published.city
    with clock.at(at(2026, 10, 20, 9, 0)):
        leader = dashboard.dashboard_for(user=user_for(city, Role.LEADER))
        district = dashboard.dashboard_for(user=user_for(city, Role.DISTRICT_OPERATOR))
        street = dashboard.dashboard_for(user=user_for(city, Role.STREET_OPERATOR))
    board = leader.board
    assert board.subject_type == "district" and board.period.key == "2026-09"
    assert [(line.subject_name, line.final_rank) for line in board.top] == [
        ("茅箭区", 1),
        ("张湾区", 2),
    ]
    assert board.bottom == [] and board.subject_count == 2
    # A district sees its own streets only, with their city-wide ranks.
    assert [(line.subject_code, line.final_rank) for line in district.board.top] == [
        ("420302002", 1),
        ("420302001", 2),
    ]
    assert district.board.subject_count == 3
    # Nothing published for communities yet.
    assert street.board is None


def test_the_board_splits_best_and_worst(published, settings):
    settings.ASSESSMENT_BOARD_SIZE = 1
    with clock.at(at(2026, 10, 20, 9, 0)):
        data = dashboard.dashboard_for(user=user_for(published.city, Role.LEADER))
    assert [line.subject_name for line in data.board.top] == ["茅箭区"]
    assert [line.subject_name for line in data.board.bottom] == ["张湾区"]


def test_a_withdrawn_publication_leaves_the_board(published):
    publication = Publication.objects.get(subject_type="district")
    services.publication_withdraw(
        publication_id=publication.pk, actor=published.office, reason="数据有误,重新核算"
    )
    with clock.at(at(2026, 10, 20, 9, 0)):
        data = dashboard.dashboard_for(user=user_for(published.city, Role.LEADER))
    assert data.board is None


# -- pages and JSON -------------------------------------------------------------------------------
def signed_in(client, user):
    client.force_login(user)
    return client


@pytest.mark.parametrize("role", ALLOWED)
def test_the_dashboard_roles_open_both_pages(client, city, catalogue, role):
    signed_in(client, user_for(city, role))
    with clock.at(NOW):
        page = client.get(reverse("assessment:dashboard"))
        screen = client.get(reverse("assessment:bigscreen"))
    assert page.status_code == 200 and screen.status_code == 200
    assert "领导驾驶舱" in page.content.decode()
    assert "dashboard-data" in screen.content.decode()


@pytest.mark.parametrize("role", REFUSED)
def test_other_roles_are_refused_in_chinese(client, city, role):
    signed_in(client, user_for(city, role))
    for name in ("assessment:dashboard", "assessment:bigscreen"):
        response = client.get(reverse(name))
        assert response.status_code == 403
        assert "领导驾驶舱只对市创文办、领导和区、街道管理员开放。" in response.content.decode()
    answer = client.get(reverse("assessment:dashboard_data"))
    assert answer.status_code == 403
    assert answer.json() == {"detail": "领导驾驶舱只对市创文办、领导和区、街道管理员开放。"}


def test_strangers_are_sent_to_sign_in(client, db):
    for name in ("assessment:dashboard", "assessment:bigscreen"):
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
    answer = client.get(reverse("assessment:dashboard_data"))
    assert answer.status_code == 401 and "登录" in answer.json()["detail"]


def test_the_json_carries_everything_the_screen_draws(client, town):
    signed_in(client, user_for(town.city, Role.STREET_OPERATOR))
    with clock.at(NOW):
        answer = client.get(reverse("assessment:dashboard_data"))
    assert answer.status_code == 200
    assert answer["Cache-Control"].startswith("max-age=0")
    data = answer.json()
    assert set(data) == {
        "generated_at",
        "generated_text",
        "area",
        "month",
        "compare",
        "kpis",
        "trend",
        "map",
        "board",
        "overdue",
        "supervisions",
    }
    assert data["generated_text"] == "2026-11-20 10:00:00"
    assert data["area"] == "武当路街道" and data["month"] == "2026年11月"
    assert data["compare"] == "对比上月同期:10月01日 至 10月20日 10:00"
    tiles = {tile["code"]: tile for tile in data["kpis"]}
    assert [tile["code"] for tile in data["kpis"]] == [
        "reported",
        "registered",
        "close_rate",
        "on_time_rate",
        "open",
        "overdue",
        "supervisions",
        "satisfaction_rate",
    ]
    assert (
        tiles["reported"]["text"] == "2" and tiles["reported"]["change_text"] == "较上月同期 −3 件"
    )
    assert tiles["close_rate"]["text"] == "50.00%"
    assert tiles["close_rate"]["change_text"] == "较上月同期 −16.67 个百分点"
    assert tiles["overdue"]["parts"] == [
        {"label": "红灯", "text": "1"},
        {"label": "黄灯", "text": "0"},
    ]
    assert tiles["overdue"]["tone"] == "flat"
    assert tiles["overdue"]["change_text"] == "较上月同期 ±0 件"
    trend = data["trend"]
    assert len(trend["labels"]) == len(trend["reported"]) == len(trend["on_time_rate"]) == 12
    assert trend["short"][0] == "2025年12月" and trend["short"][1] == "2026年1月"
    assert trend["short"][-1] == "11月"
    assert trend["reported"][-2:] == [5, 2] and trend["on_time_rate"][-2:] == [33.33, 50.0]
    s1 = town.cases["S1"]
    point = next(p for p in data["map"]["points"] if p["code"] == s1.code)
    assert point["url"] == reverse("cases:detail", args=[s1.pk])
    assert point["status_label"] == "已派遣" and point["overdue"] == 2
    assert data["map"]["heat_max"] >= 1 and data["map"]["days"] == 30
    assert data["overdue"]["count"] == 1
    assert data["overdue"]["rows"] == [
        {
            "code": s1.code,
            "url": reverse("cases:detail", args=[s1.pk]),
            "category": "污水井盖",
            "address": s1.address,
            "unit": "市水务集团",
            "deadline": "11-02 11:00",
            "level": 2,
            "light": "红灯",
        }
    ]
    orders = data["supervisions"]
    assert orders["count"] == 2 and len(orders["rows"]) == 2
    assert {row["kind"] for row in orders["rows"]} == {"超时督办"}
    assert all(row["late"] for row in orders["rows"])  # every reply was due days ago
    assert data["board"] is None


def test_the_json_names_the_latest_board(client, published):
    signed_in(client, user_for(published.city, Role.LEADER))
    with clock.at(at(2026, 10, 20, 9, 0)):
        data = client.get(reverse("assessment:dashboard_data")).json()
    board = data["board"]
    assert board["title"] == "2026年9月区县考评" and board["count"] == 2
    assert board["url"] == reverse("assessment:rankings") + "?period=2026-09&type=district"
    first = board["top"][0]
    assert first["name"] == "茅箭区" and first["rank"] == 1 and first["total"] == "75"
    assert first["url"].startswith("/assessment/")


def test_the_screen_has_no_menu_and_refreshes_on_the_setting(client, city, settings):
    settings.DASHBOARD_REFRESH_SECONDS = 15
    signed_in(client, user_for(city, Role.LEADER))
    with clock.at(NOW):
        screen = client.get(reverse("assessment:bigscreen")).content.decode()
        page = client.get(reverse("assessment:dashboard")).content.decode()
    assert 'data-refresh="15"' in screen and 'data-refresh="15"' in page
    assert "mainnav" not in screen and "mainnav" in page
    assert 'class="screen"' in screen
    labels = json.loads(
        screen.split('id="dashboard-labels" type="application/json">')[1].split("<")[0]
    )
    assert labels["updated"] == "数据更新于 %(time)s"


def test_the_refresh_interval_has_a_floor(settings):
    settings.DASHBOARD_REFRESH_SECONDS = 1
    assert dashboard.refresh_seconds() == 10
    settings.DASHBOARD_REFRESH_SECONDS = 90
    assert dashboard.refresh_seconds() == 90


# -- cost -----------------------------------------------------------------------------------------
def _queries(client, url) -> int:
    with clock.at(NOW), CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("role", (Role.LEADER, Role.STREET_OPERATOR))
def test_the_queries_do_not_grow_with_the_cases(client, town, role):
    signed_in(client, user_for(town.city, role))
    url = reverse("assessment:dashboard_data")
    # The first request also computes the past figures (twelve months, three queries
    # each) that later ones find kept.
    first = _queries(client, url)
    before = _queries(client, url)
    assert first <= 70 and before <= 25
    collector = town.collector
    for day in range(9, 19):
        _report(collector, MAOJIAN, at(2026, 11, day, 9, 0))
        _report(collector, ERYAN, at(2026, 11, day, 9, 30), category="W0101")
    case_services.supervise_overdue(now=at(2026, 11, 19, 12, 0))
    assert _queries(client, url) <= before


def test_kept_figures_stay_with_their_scope(town):
    street = user_for(town.city, Role.STREET_OPERATOR)
    district = user_for(town.city, Role.DISTRICT_OPERATOR)
    # Each viewer's comparison and trend are kept; none is handed to the other.
    first = (figures(street), figures(district))
    assert (figures(street), figures(district)) == first
    assert first[0]["reported"] == (2, 5) and first[1]["reported"] == (3, 5)
    assert first[0]["open"] == (2, 3) and first[1]["open"] == (3, 3)


def test_the_comparison_moves_by_the_hour(town):
    street = user_for(town.city, Role.STREET_OPERATOR)
    with clock.at(at(2026, 11, 20, 10, 59)):
        late = dashboard.dashboard_for(user=street)
    assert late.moments.previous_at == at(2026, 10, 20, 10, 0)
    # At the turn of a 31-day month the comparison stops at the end of a shorter one.
    with clock.at(at(2026, 3, 31, 12, 30)):
        march = dashboard.dashboard_for(user=street)
    assert march.moments.previous_at == at(2026, 3, 1, 0, 0)
