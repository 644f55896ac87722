"""Scoring, roll-ups, their scope and the API that serves them."""

from datetime import date
from decimal import Decimal

import pytest

from chuangwen.core import clock
from chuangwen.evaluation import planning, selectors, services
from chuangwen.evaluation.choices import Result
from chuangwen.evaluation.scoring import (
    ItemScore,
    Subject,
    item_deduction,
    point_score,
    rank,
    rollup,
)
from chuangwen.testing.cases import at
from chuangwen.testing.evaluation import district_totals_by_sql

from .conftest import answers, plan, submit

D = Decimal


# -- pure arithmetic -------------------------------------------------------------------------
def test_item_deduction_is_capped_at_the_item_maximum():
    assert item_deduction("fail", max_points=10, per_occurrence=2, occurrences=3) == 6
    assert item_deduction("fail", max_points=10, per_occurrence=4, occurrences=3) == 10
    assert item_deduction("pass", max_points=10, per_occurrence=4, occurrences=3) == 0
    assert item_deduction("na", max_points=10, per_occurrence=4, occurrences=3) == 0


def test_point_score_excludes_not_applicable_items_and_never_goes_below_zero():
    score = point_score(
        [
            ItemScore(Result.PASS, D(10), D(0)),
            ItemScore(Result.NA, D(5), D(0)),
            ItemScore(Result.FAIL, D(10), D(4)),
        ]
    )
    assert (score.full_points, score.max_points, score.score) == (25, 20, 16)
    assert score.rate == pytest.approx(0.8) and score.failed_count == 1
    wiped = point_score([ItemScore(Result.FAIL, D(5), D(5)), ItemScore(Result.NA, D(5), D(0))])
    assert wiped.score == 0 and wiped.rate == 0
    assert point_score([ItemScore(Result.NA, D(5), D(0))]).rate is None


def test_rollup_weighs_points_by_their_maximum_and_ranks_ties_together():
    rows = [
        ("a", "甲区", D(9), D(10), 1),
        ("a", "甲区", D(80), D(90), 2),
        ("b", "乙区", D(45), D(50), 1),
        ("c", "丙区", D(0), D(0), 0),
        ("d", "丁区", D(18), D(20), 1),
    ]
    subjects = rollup(rows, {"b": D(5)})
    by_key = {s.key: s for s in subjects}
    assert by_key["a"].rate == pytest.approx(89 / 100) and by_key["a"].inspections == 2
    assert by_key["b"].net_score == 40 and by_key["b"].rate == pytest.approx(0.8)
    assert [s.key for s in subjects] == ["d", "a", "b", "c"]
    assert [s.rank for s in subjects] == [1, 2, 3, None]
    tied = rank(
        [
            Subject(key=1, name="x", score=D(8), max_points=D(10)),
            Subject(key=2, name="y", score=D(4), max_points=D(5)),
            Subject(key=3, name="z", score=D(1), max_points=D(5)),
        ]
    )
    assert [s.rank for s in tied] == [1, 1, 3]


def test_planning_is_pure_and_reproducible():
    points = [
        planning.Candidate(
            i, f"P{i:03d}", "M", i % 3, i % 6, 32 + i / 1000, 110 + (i * 7 % 13) / 100
        )
        for i in range(60)
    ]
    rules = [planning.Rule("M", 30)]
    assert planning.draw(points, rules, 5) == planning.draw(points, rules, 5)
    assert len(planning.draw(points, rules, 5)) == 18  # 20 per district × 30 %
    runs = planning.assign(points, [1, 2, 3, 4, 5, 6, 7])
    assert sorted(len(r) for r in runs.values()) == [8, 8, 8, 9, 9, 9, 9]
    assert sorted(c.id for run in runs.values() for c in run) == list(range(60))
    days = [date(2026, 11, d) for d in (2, 3, 4)]
    assert planning.schedule(5, days) == [days[0], days[0], days[1], days[1], days[2]]


# -- roll-ups over the database --------------------------------------------------------------
@pytest.fixture
def scored(registry, admin, open_round):
    """Every point inspected: markets fail their first item, 张湾区 roads fail both."""
    for inspection in open_round.inspections.select_related(
        "point__point_type", "inspector", "point", "round"
    ):
        if inspection.point.point_type.code == "MARKET":
            results = answers(inspection, fail=(0,), occurrences=2)
        elif inspection.point.district.code == "420303":
            results = answers(inspection, fail=(0, 1))
        else:
            results = answers(inspection)
        submit(inspection, results)
    return open_round


def test_district_rollup_matches_the_item_results_counted_by_hand(admin, scored):
    results = {
        s.code: s for s in selectors.round_results(round_=scored, level="district", user=admin)
    }
    for code in ("420302", "420303"):
        score, most = district_totals_by_sql(scored.pk, code)
        assert (results[code].score, results[code].max_points) == (score, most)
    # 茅箭区: 4 markets 25 − 4 and 4 roads 14 → 140/156; 张湾区: 2 markets 21, 2 roads 14 − 7.
    assert results["420302"].rate == pytest.approx(140 / 156)
    assert results["420303"].rate == pytest.approx(56 / 78)
    assert [results["420302"].rank, results["420303"].rank] == [1, 2]


def test_every_level_adds_up_to_the_same_city_total(admin, scored):
    totals = set()
    for level in selectors.RESULT_LEVELS:
        subjects = selectors.round_results(round_=scored, level=level, user=admin)
        totals.add((sum(s.score for s in subjects), sum(s.max_points for s in subjects)))
    assert totals == {(D(196), D(234))}


def test_a_street_sees_its_own_lines_with_their_citywide_rank(city, scored):
    street = city.user("street_operator", "420303001")
    rows = selectors.round_results(round_=scored, level="street", user=street)
    assert [(r.code, r.rank) for r in rows] == [("420303001", 3)]
    points = selectors.round_point_map(round_=scored, user=street)
    assert {p["code"][-12:-3] for p in points} == {"420303001"}
    problems = selectors.round_problems(round_=scored, user=street)
    assert {r.inspection.point.street.code for r in problems} == {"420303001"}


def test_results_compare_with_the_previous_round(registry, admin, scored):
    with clock.at(at(2027, 1, 2, 9, 0)):
        later = plan(registry, admin, starts_on=date(2027, 1, 4), due_on=date(2027, 1, 15))
        later = services.round_start(round_id=later.pk, actor=admin)
    assert later.previous_id == scored.pk
    inspection = later.inspections.select_related("point", "round", "inspector").get(
        point__code="ROAD-420303001001"
    )
    submit(inspection, answers(inspection))
    (zhangwan,) = [
        s
        for s in selectors.round_results(round_=later, level="district", user=admin)
        if s.code == "420303"
    ]
    assert zhangwan.rate == 1 and zhangwan.previous_rate == pytest.approx(56 / 78)
    assert zhangwan.change == pytest.approx(1 - 56 / 78)


# -- API -------------------------------------------------------------------------------------
def _get(client, headers, url):
    return client.get(url, **headers)


def test_api_lists_rounds_results_and_problems(client, token_for, admin, scored):
    token = token_for(admin)
    rounds = _get(client, token, "/api/v1/evaluation/rounds").json()
    assert rounds["count"] == 1 and rounds["items"][0]["done"] == 12
    url = f"/api/v1/evaluation/rounds/{scored.pk}/results?level=district"
    body = _get(client, token, url).json()
    assert [(r["code"], r["rank"]) for r in body] == [("420302", 1), ("420303", 2)]
    assert body[1]["score"] == 56 and body[1]["max"] == 78
    assert body[1]["score_rate"] == pytest.approx(56 / 78, abs=1e-6)
    problems = _get(client, token, f"/api/v1/evaluation/rounds/{scored.pk}/problems").json()
    assert problems["count"] == 10
    assert all(p["case_code"] and p["reinspection"] == "pending" for p in problems["items"])


def test_api_refuses_bad_levels_and_hides_drafts(city, client, token_for, registry, admin, scored):
    token = token_for(admin)
    bad = _get(client, token, f"/api/v1/evaluation/rounds/{scored.pk}/results?level=planet")
    assert bad.status_code == 422
    draft = plan(registry, admin)
    street = token_for(city.user("street_operator", "420302001"))
    assert _get(client, street, f"/api/v1/evaluation/rounds/{draft.pk}/results").status_code == 404
    listed = _get(client, street, "/api/v1/evaluation/rounds").json()
    assert [r["id"] for r in listed["items"]] == [scored.pk]
    assert client.get("/api/v1/evaluation/rounds").status_code == 401


def test_rescore_restores_what_the_item_results_say(admin, scored):
    from chuangwen.core.models import AuditEvent
    from chuangwen.evaluation.models import Inspection

    tampered = scored.inspections.filter(failed_count__gt=0).order_by("pk").first()
    right = (tampered.score, tampered.max_points)
    Inspection.objects.filter(pk=tampered.pk).update(score=D(1), failed_count=0)
    assert services.round_rescore(round_id=scored.pk, actor=admin) == 1
    tampered.refresh_from_db()
    assert (tampered.score, tampered.max_points) == right and tampered.failed_count > 0
    assert AuditEvent.objects.get(action="evaluation.round_rescore").data == {"changed": 1}
    assert services.round_rescore(round_id=scored.pk, actor=admin) == 0


@pytest.mark.parametrize(
    "role, unit", [("district_operator", "420302"), ("leader", "city"), ("inspector", "city")]
)
def test_rescore_is_for_the_city_office(city, scored, role, unit):
    from chuangwen.core.errors import PermissionDeniedError

    with pytest.raises(PermissionDeniedError):
        services.round_rescore(round_id=scored.pk, actor=city.user(role, unit))


def test_a_problem_case_links_back_to_its_inspection(client, admin, scored):
    row = selectors.round_problems(round_=scored, user=admin).first()
    client.force_login(admin)
    page = client.get(f"/cases/{row.case_id}/").content.decode()
    assert f"/evaluation/inspections/{row.inspection_id}/" in page
    assert row.item.text in page


@pytest.fixture
def shared(city, registry, admin, open_round):
    """Two points owned by a city department, one in 茅箭区 武当路街道 and one in 张湾区;
    then everything scored as in ``scored``."""
    from chuangwen.evaluation.models import Point

    Point.objects.filter(code__in=["ROAD-420302001001", "ROAD-420303001001"]).update(
        unit=city.units["dept"]
    )
    for inspection in open_round.inspections.select_related("point", "inspector", "round"):
        submit(inspection, answers(inspection, fail=(0,)))
    return open_round


@pytest.mark.parametrize(
    ("level", "expected"),
    [
        ("district", set()),  # 茅箭区's line adds up 二堰街道 too
        ("street", {"420302001"}),
        ("community", {"420302001001", "420302001002"}),
        # the communities' committees, not the department whose line counts 张湾区
        ("unit", {"武当1社区420302001001", "武当2社区420302001002"}),
        ("point_type", set()),  # a point type's line adds up the whole city
    ],
)
def test_a_street_reads_no_line_that_reaches_beyond_it(
    city, client, token_for, shared, level, expected
):
    street = city.user("street_operator", "420302001")
    rows = selectors.round_results(round_=shared, level=level, user=street)
    assert {r.code for r in rows} == expected
    url = f"/api/v1/evaluation/rounds/{shared.pk}/results?level={level}"
    answer = client.get(url, **token_for(street))
    assert answer.status_code == 200
    assert {r["code"] for r in answer.json()} == expected


def test_the_department_reads_its_own_line(city, token_for, client, shared):
    """Its own line (both its points), and the committee of the community it is paired
    with (包联), whose responsibility it shares."""
    handler = city.user("unit_handler", "dept")
    rows = {r.name: r for r in selectors.round_results(round_=shared, level="unit", user=handler)}
    assert set(rows) == {"市城管执法委", "车城1社区420303001001"}
    assert rows["市城管执法委"].inspections == 2


@pytest.mark.parametrize("role", ["inspector", "observer", "collector", "persuader", "volunteer"])
def test_the_api_result_lists_are_exports(city, client, token_for, scored, role):
    """The pages keep their XLSX behind EXPORT; the API's lists are the same data."""
    from chuangwen.testing.city import ROLE_HOMES

    token = token_for(city.user(role, ROLE_HOMES[role]))
    for path in ("results?level=point", "problems"):
        answer = client.get(f"/api/v1/evaluation/rounds/{scored.pk}/{path}", **token)
        assert answer.status_code in (403, 404), (path, answer.status_code)
        if answer.status_code == 403:
            assert answer.json()["detail"] == "您没有导出数据的权限。"
