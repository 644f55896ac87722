"""Reads: figures from the evaluation and the cases, drafts, scoped results, trends."""

from datetime import date
from decimal import Decimal

import pytest
from django.http import Http404

from chuangwen.assessment import selectors, services
from chuangwen.assessment.choices import AppealStatus
from chuangwen.assessment.periods import parse
from chuangwen.cases import services as case_services
from chuangwen.core import clock
from chuangwen.core.errors import ServiceError
from chuangwen.evaluation.choices import InspectionStatus, RoundStatus, SubjectLevel
from chuangwen.evaluation.models import Framework, Inspection, NegativeItem, Penalty, Round
from chuangwen.org.choices import Role
from chuangwen.testing.cases import at
from chuangwen.testing.factories import UserFactory

from .conftest import DISTRICT_SCHEME, SEPTEMBER, component, enter_surveys

pytestmark = pytest.mark.django_db

SEP = parse(SEPTEMBER)


def _round(name, due_on, status=RoundStatus.OPEN):
    return Round.objects.create(
        name=name,
        kind="bimonthly",
        status=status,
        starts_on=date(due_on.year, due_on.month, 1),
        due_on=due_on,
        checkin_radius_m=200,
    )


def _inspect(round_, point, score, most, status=InspectionStatus.SUBMITTED):
    return Inspection.objects.create(
        round=round_,
        point=point,
        status=status,
        planned_on=round_.starts_on,
        due_on=round_.due_on,
        score=Decimal(score),
        max_points=Decimal(most),
    )


@pytest.fixture
def inspected(story, registry):
    """Counted inspections of September: 茅箭区 community 001 34/39, 张湾区 10/25; a
    returned one and one of a round due in October do not count."""
    september = _round("第5期双月测评", date(2026, 9, 25))
    october = _round("第6期双月测评", date(2026, 10, 9))
    points = registry.points
    _inspect(september, points["MARKET-420302001001"], "20", "25")
    _inspect(september, points["ROAD-420302001001"], "14", "14", InspectionStatus.APPROVED)
    _inspect(september, points["MARKET-420303001001"], "10", "25")
    _inspect(september, points["ROAD-420303001001"], "0", "14", InspectionStatus.RETURNED)
    _inspect(october, points["MARKET-420302002001"], "1", "25")
    return registry


def test_inspection_rates_by_subject_type(inspected, story):
    rates, average = selectors.inspection_rates(subject_type="district", period=SEP)
    assert rates == {story.maojian: 87.18, story.zhangwan: 40.0}
    assert average == 68.75  # 44 ÷ 64
    rates, _ = selectors.inspection_rates(subject_type="community", period=SEP)
    assert rates == {
        story.node("420302001001").pk: 87.18,
        story.node("420303001001").pk: 40.0,
    }
    community_unit = story.city.units["420303001001"]
    rates, _ = selectors.inspection_rates(subject_type="unit", period=SEP)
    assert rates[community_unit.pk] == 40.0
    assert selectors.inspection_rates(subject_type="staff", period=SEP) == ({}, 68.75)
    assert selectors.inspection_rates(subject_type="district", period=parse("2026-08")) == (
        {},
        None,
    )


def test_draft_scores_inspections_and_falls_back_to_the_average(inspected, story, admin):
    services.scheme_save(
        subject_type="street",
        name="街道测评方案",
        components=[DISTRICT_SCHEME[3]],
        actor=admin,
    )
    lines = {
        line.subject_code: line for line in selectors.draft_lines(period=SEP, subject_type="street")
    }
    assert lines["420302001"].total == Decimal("17.44")  # 20 × 87.18 %
    assert lines["420303001"].total == Decimal("8.00")
    unsampled = component(lines["420302002"], 1)
    assert unsampled.figure is None and unsampled.points == Decimal("13.75")  # 68.75 %
    assert "全市平均得分率" in unsampled.explanation


@pytest.fixture
def penalised(story, registry):
    framework = Framework.objects.create(
        kind="model_city", name="测评体系", cycle_start=2024, cycle_end=2026, is_current=True
    )

    def negative(code, level):
        return NegativeItem.objects.create(
            framework=framework, code=code, text=f"负面情形{code}", penalty=1, subject_level=level
        )

    september = _round("第5期双月测评", date(2026, 9, 25))
    october = _round("第6期双月测评", date(2026, 10, 9))
    district, street, unit = (
        negative("N1", SubjectLevel.DISTRICT),
        negative("N2", SubjectLevel.STREET),
        negative("N3", SubjectLevel.UNIT),
    )
    dept = story.city.units["dept"]
    rows = [
        (september, district, story.node("420303"), None, "2"),
        (september, street, story.node("420302001"), None, "1.5"),
        (september, unit, None, dept, "4"),
        (october, district, story.node("420303"), None, "7"),
    ]
    for round_, item, territory, unit_, points in rows:
        Penalty.objects.create(
            round=round_,
            negative=item,
            subject_level=item.subject_level,
            territory=territory,
            unit=unit_,
            points=Decimal(points),
            note="负面清单",
        )
    with clock.at(at(2026, 9, 15, 10, 0)):
        case_services.accountability_record(
            kind="deduct",
            reason="Z1 超时未处置",
            case_id=story.cases["Z1"].pk,
            points="3",
            actor=story.office,
        )
    case_services.accountability_record(  # October: not September's
        kind="deduct",
        reason="再次超时",
        case_id=story.cases["Z1"].pk,
        points="6",
        actor=story.office,
    )
    return story


def test_penalty_points_from_the_negative_list_and_accountability(penalised):
    story = penalised
    water, dept = story.cases["Z1"].unit, story.city.units["dept"]
    assert selectors.penalty_points(subject_type="district", period=SEP) == {
        story.zhangwan: Decimal("5")
    }
    assert selectors.penalty_points(subject_type="street", period=SEP) == {
        story.node("420302001").pk: Decimal("1.5"),
        story.node("420303001").pk: Decimal("3"),
    }
    assert selectors.penalty_points(subject_type="unit", period=SEP) == {
        water.pk: Decimal("3"),
        dept.pk: Decimal("4"),
    }
    # Published before the October record existed, a period's figure stays as of then.
    assert selectors.penalty_points(
        subject_type="district", period=parse("2026-Q4"), as_of=at(2026, 10, 1, 0, 0)
    ) == {story.zhangwan: Decimal("7")}
    assert selectors.penalty_points(subject_type="staff", period=SEP) == {}


def test_draft_deducts_the_penalties(penalised):
    lines = {
        line.subject_code: line
        for line in selectors.draft_lines(period=SEP, subject_type="district")
    }
    penalty = component(lines["420303"], 5)
    assert penalty.figure == 5.0 and penalty.points == Decimal("5.00")
    assert lines["420303"].total == Decimal("55.00")
    assert lines["420302"].total == Decimal("75.00")


# -- drafts and ranks ----------------------------------------------------------------------
def test_ties_share_a_rank_then_go_by_code(story, admin):
    services.scheme_save(
        subject_type="community",
        name="社区考评方案",
        components=[DISTRICT_SCHEME[0]],
        actor=admin,
    )
    lines = selectors.draft_lines(period=SEP, subject_type="community")
    # Nothing due in four communities: full points, one shared first place, code order.
    assert [(line.subject_code, line.total, line.rank) for line in lines] == [
        ("420302001002", Decimal("40.00"), 1),
        ("420302002001", Decimal("40.00"), 1),
        ("420302002002", Decimal("40.00"), 1),
        ("420303001002", Decimal("40.00"), 1),
        ("420302001001", Decimal("20.00"), 5),
        ("420303001001", Decimal("0.00"), 6),
    ]


def test_rank_change_against_the_previous_period(story):
    enter_surveys(story, period_key="2026-08", maojian="80", zhangwan="99")
    # August: nothing due anywhere, so the survey decides: 张湾区 first.
    august = services.publication_publish(
        period_key="2026-08", subject_type="district", actor=story.office
    )
    assert august.results.get(subject_id=story.zhangwan).rank == 1
    lines = {
        line.subject_code: line
        for line in selectors.draft_lines(period=SEP, subject_type="district")
    }
    assert (lines["420302"].previous_rank, lines["420302"].rank_change) == (2, 1)
    assert (lines["420303"].previous_rank, lines["420303"].rank_change) == (1, -1)
    september = services.publication_publish(
        period_key=SEPTEMBER, subject_type="district", actor=story.office
    )
    frozen = september.results.get(subject_id=story.maojian)
    assert (frozen.previous_rank, frozen.rank_change) == (2, 1)


def test_rank_change_against_an_unpublished_previous_draft(story):
    # August has no entered survey: both lose its 20 points alike and tie for first.
    lines = selectors.draft_lines(period=SEP, subject_type="district")
    assert [(line.previous_rank, line.rank_change) for line in lines] == [(1, 0), (1, -1)]


def test_no_scheme_gives_unscored_lines(story):
    lines = selectors.draft_lines(period=SEP, subject_type="community")
    assert len(lines) == 6
    assert {(line.total, line.rank) for line in lines} == {(Decimal("0.00"), 1)}
    assert lines[0].components == [] and "on_time_rate" in lines[0].indicators


# -- results as each reader sees them ------------------------------------------------------
@pytest.mark.parametrize("publish", [False, True])
def test_a_street_operator_sees_their_street_ranked_city_wide(story, publish):
    if publish:
        services.publication_publish(
            period_key=SEPTEMBER, subject_type="street", actor=story.office
        )
    wudang = story.city.user(Role.STREET_OPERATOR, "420302001")
    results = selectors.results_for(user=wudang, period_key=SEPTEMBER, subject_type="street")
    assert results.is_published is publish
    assert [(line.subject_code, line.total, line.rank) for line in results.lines] == [
        ("420302001", Decimal("60.00"), 2)
    ]
    assert results.subject_count == 3
    assert results.scheme.name == "街道考评方案"
    office = selectors.results_for(user=story.office, period_key=SEPTEMBER, subject_type="street")
    assert [(line.subject_code, line.rank) for line in office.lines] == [
        ("420302002", 1),
        ("420302001", 2),
        ("420303001", 3),
    ]


@pytest.mark.parametrize(
    ("role", "home", "expected"),
    [
        (Role.LEADER, "city", ["420302", "420303"]),
        (Role.DISTRICT_OPERATOR, "420303", ["420303"]),
        (Role.STREET_OPERATOR, "420302001", []),
        (Role.UNIT_HANDLER, "dept", []),
    ],
)
def test_district_results_are_scoped(story, role, home, expected):
    services.publication_publish(period_key=SEPTEMBER, subject_type="district", actor=story.office)
    user = story.city.user(role, home)
    results = selectors.results_for(user=user, period_key=SEPTEMBER, subject_type="district")
    assert [line.subject_code for line in results.lines] == expected
    assert results.subject_count == 2


def test_someone_without_a_role_sees_no_line(story):
    results = selectors.results_for(
        user=UserFactory(), period_key=SEPTEMBER, subject_type="district"
    )
    assert results.lines == [] and results.subject_count == 2


def test_results_for_refuses_bad_keys(story):
    with pytest.raises(ServiceError) as error:
        selectors.results_for(user=story.office, period_key="2026-9", subject_type="district")
    assert error.value.field == "period"
    with pytest.raises(ServiceError) as error:
        selectors.results_for(user=story.office, period_key=SEPTEMBER, subject_type="moon")
    assert error.value.field == "subject_type"


def test_result_get_and_appeals_are_scoped(story):
    publication = services.publication_publish(
        period_key=SEPTEMBER, subject_type="district", actor=story.office
    )
    zhangwan = publication.results.get(subject_id=story.zhangwan)
    operator = story.city.user(Role.DISTRICT_OPERATOR, "420303")
    maojian_operator = story.city.user(Role.DISTRICT_OPERATOR, "420302")
    assert selectors.result_get(user=operator, result_id=zhangwan.pk) == zhangwan
    with pytest.raises(Http404):
        selectors.result_get(user=maojian_operator, result_id=zhangwan.pk)
    with pytest.raises(Http404):
        selectors.result_get(user=operator, result_id="abc")
    filed = services.appeal_file(
        result_id=zhangwan.pk,
        component_position=1,
        requested_points="5",
        reason="误派",
        actor=operator,
    )
    assert list(selectors.appeals_for(user=operator)) == [filed]
    assert list(selectors.appeals_for(user=story.office, status=AppealStatus.PENDING)) == [filed]
    assert not selectors.appeals_for(user=story.office, status=AppealStatus.ACCEPTED).exists()
    assert not selectors.appeals_for(user=maojian_operator).exists()
    assert selectors.appeal_get(user=story.office, appeal_id=filed.pk) == filed
    with pytest.raises(Http404):
        selectors.appeal_get(user=maojian_operator, appeal_id=filed.pk)
    lines = selectors.results_for(user=operator, period_key=SEPTEMBER, subject_type="district")
    assert lines.lines[0].pending_appeals == 1 and lines.lines[0].result_id == zhangwan.pk


def test_publications_list_hides_withdrawn_ones_from_readers(story):
    first = services.publication_publish(
        period_key=SEPTEMBER, subject_type="district", actor=story.office
    )
    services.publication_withdraw(publication_id=first.pk, actor=story.office, reason="重算")
    second = services.publication_publish(
        period_key=SEPTEMBER, subject_type="district", actor=story.office
    )
    leader = story.city.user(Role.LEADER, "city")
    assert list(selectors.publications(user=leader)) == [second]
    assert list(selectors.publications(user=leader, include_withdrawn=True)) == [second]
    assert set(selectors.publications(user=story.office, include_withdrawn=True)) == {
        first,
        second,
    }
    assert selectors.publications(user=leader).get().result_count == 2


def test_trend_lists_published_totals_oldest_first(story):
    enter_surveys(story, period_key="2026-08", maojian="80", zhangwan="99")
    services.publication_publish(period_key="2026-08", subject_type="district", actor=story.office)
    services.publication_publish(period_key=SEPTEMBER, subject_type="district", actor=story.office)
    operator = story.city.user(Role.DISTRICT_OPERATOR, "420302")
    points = selectors.trend(
        user=operator, subject_type="district", subject_id=story.maojian, kind="month", count=3
    )
    assert [(p.key, total, rank) for p, total, rank in points] == [
        ("2026-07", None, None),
        ("2026-08", Decimal("90.00"), 2),
        ("2026-09", Decimal("75.00"), 1),
    ]
    # Someone else's trend shows nothing to this reader.
    other = selectors.trend(
        user=operator, subject_type="district", subject_id=story.zhangwan, kind="month", count=3
    )
    assert {(total, rank) for _p, total, rank in other} == {(None, None)}
    with pytest.raises(ServiceError):
        selectors.trend(
            user=operator, subject_type="district", subject_id=story.maojian, kind="week"
        )


def test_missing_figures_names_who_still_needs_one(story):
    missing = selectors.missing_figures(period_key="2026-08", subject_type="district")
    assert [s.code for s in missing["survey"]] == ["420302", "420303"]
    assert selectors.missing_figures(period_key=SEPTEMBER, subject_type="district") == {}
    assert selectors.missing_figures(period_key=SEPTEMBER, subject_type="community") == {}


def test_scheme_reads(story):
    current = selectors.current_scheme("district")
    assert selectors.scheme_get(current.pk) == current
    assert [s.subject_type for s in selectors.scheme_list()] == ["district", "street"]
    with pytest.raises(Http404):
        selectors.scheme_get(99999)
    assert selectors.current_scheme("unit") is None
