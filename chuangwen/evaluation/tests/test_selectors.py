"""The reads behind the office's and the inspector's pages (chuangwen/evaluation/selectors.py
and ``frameworks.framework_by_cycle``), each against an expectation worked out from the mini
city's layout, and, where they take a user, narrowed to that reader's scope."""

from __future__ import annotations

from decimal import Decimal

import pytest

from chuangwen.cases.choices import Status as CaseStatus
from chuangwen.cases.models import Case
from chuangwen.cases.services import case_finish, case_sign
from chuangwen.core import clock
from chuangwen.evaluation import selectors, services
from chuangwen.evaluation.choices import FrameworkKind, InspectionStatus, RoundStatus, SubjectLevel
from chuangwen.evaluation.models import (
    Framework,
    Inspection,
    ItemResult,
    NegativeItem,
    Point,
    PointType,
)
from chuangwen.evaluation.selectors import framework_by_cycle
from chuangwen.org.choices import Role
from chuangwen.org.models import Membership, Unit
from chuangwen.testing.cases import at
from chuangwen.testing.factories import UserFactory

from .conftest import answers, photo_of, plan, submit

pytestmark = pytest.mark.django_db

# Who reads, and the territory (a code prefix) whose points they see. Point codes end in
# their community's code, so the prefix picks the points out of the registry directly.
READERS = [
    (Role.CITY_OPERATOR, "city", "4203"),
    (Role.LEADER, "city", "4203"),
    (Role.INSPECTOR, "city", "4203"),
    (Role.DISTRICT_OPERATOR, "420302", "420302"),
    (Role.STREET_OPERATOR, "420302001", "420302001"),
    (Role.COMMUNITY_OPERATOR, "420302001001", "420302001001"),
    (Role.UNIT_HANDLER, "dept", "420303001001"),  # paired with that 张湾 community
    (Role.VOLUNTEER, "volunteers", "420302001"),
]
FAILED_MAOJIAN = "MARKET-420302001001"  # 茅箭区 › 武当路街道 › 武当1社区
FAILED_ZHANGWAN = "ROAD-420303001001"  # 张湾区 › 车城路街道 › 车城1社区 (paired with dept)
PASSED = "ROAD-420302002001"  # 茅箭区 › 二堰街道


def visible(registry, prefix: str) -> set[str]:
    return {code for code in registry.points if code.split("-")[1].startswith(prefix)}


def inspection_at(round_, code) -> Inspection:
    return Inspection.objects.select_related("point", "round", "inspector").get(
        round=round_, point__code=code
    )


def send(inspection, **kwargs) -> Inspection:
    with clock.at(at(2026, 11, 3, 10, 0)):
        return submit(inspection, answers(inspection, **kwargs))


@pytest.fixture
def worked(open_round):
    """The open round with two markets' worth of problems and one clean point."""
    send(inspection_at(open_round, FAILED_MAOJIAN), fail=(0, 2), na=(1,))
    send(inspection_at(open_round, FAILED_ZHANGWAN), fail=(0,))
    send(inspection_at(open_round, PASSED))
    return open_round


@pytest.fixture
def nobody(registry):
    return UserFactory()  # signed in, without any post


# -- the round list and the board ----------------------------------------------------------
@pytest.mark.parametrize("role, unit, prefix", READERS)
def test_round_counts_count_what_the_reader_sees(city, registry, admin, worked, role, unit, prefix):
    draft = plan(registry, admin, name="下一期", point_ids=[registry.points[PASSED].pk])
    mine = visible(registry, prefix)
    counted = {FAILED_MAOJIAN, FAILED_ZHANGWAN, PASSED} & mine
    counts = selectors.round_counts(user=city.user(role, unit), round_ids=[worked.pk, draft.pk])
    expected = {worked.pk: (len(mine), len(counted))}
    if PASSED in mine:
        expected[draft.pk] = (1, 0)
    assert counts == expected


def test_round_counts_for_someone_without_a_post_or_for_no_round(nobody, admin, worked):
    assert selectors.round_counts(user=nobody, round_ids=[worked.pk]) == {}
    assert selectors.round_counts(user=admin, round_ids=[]) == {}


@pytest.mark.parametrize("role, unit, prefix", READERS)
def test_the_board_lists_the_readers_points_in_plan_order(
    city, registry, worked, role, unit, prefix
):
    rows = list(
        selectors.round_inspection_list(
            round_=worked, user=city.user(role, unit), filters=selectors.BoardFilter()
        )
    )
    assert {r.point.code for r in rows} == visible(registry, prefix)
    order = [(r.planned_on, r.inspector_id, r.route_order, r.pk) for r in rows]
    assert order == sorted(order)


def test_the_board_filters_by_status_inspector_district_and_today(city, registry, admin, worked):
    def codes(**filters):
        rows = selectors.round_inspection_list(
            round_=worked, user=admin, filters=selectors.BoardFilter(**filters)
        )
        return {r.point.code for r in rows}

    submitted = {FAILED_MAOJIAN, FAILED_ZHANGWAN, PASSED}
    assert codes(status=InspectionStatus.SUBMITTED) == submitted
    assert codes(status=InspectionStatus.ASSIGNED) == set(registry.points) - submitted
    zhangwan = city.node("420303").pk
    assert codes(district=zhangwan) == visible(registry, "420303")
    assert codes(district=zhangwan, status=InspectionStatus.SUBMITTED) == {FAILED_ZHANGWAN}
    insp1 = registry.inspectors[0]
    assert codes(inspector=insp1.pk) == set(
        Inspection.objects.filter(round=worked, inspector=insp1).values_list(
            "point__code", flat=True
        )
    )
    # Today's visits still to be made: the day of a visit that was made, so it drops out.
    day = inspection_at(worked, PASSED).planned_on
    planned = set(
        Inspection.objects.filter(round=worked, planned_on=day).values_list(
            "point__code", flat=True
        )
    )
    with clock.at(at(day.year, day.month, day.day, 9, 0)):
        assert codes(today=True) == planned - submitted
    assert PASSED in planned


@pytest.mark.parametrize(
    "params, expected",
    [
        ({}, selectors.BoardFilter()),
        (
            {"status": "returned", "inspector": "7", "district": " 3 ", "today": "1"},
            selectors.BoardFilter(status="returned", inspector=7, district=3, today=True),
        ),
        (
            {"status": "nonsense", "inspector": "甲", "district": "3.5", "today": "yes"},
            selectors.BoardFilter(),
        ),
    ],
)
def test_the_board_filter_keeps_only_what_it_understands(params, expected):
    assert selectors.BoardFilter.from_params(params) == expected


@pytest.mark.parametrize("role, unit, prefix", READERS)
def test_the_filter_choices_follow_the_scope(city, registry, worked, role, unit, prefix):
    # One point without an inspector, one with an inspector known by username only.
    unnamed = city.user(Role.INSPECTOR, "city", username="insp3", full_name="")
    Inspection.objects.filter(round=worked, point__code="MARKET-420302002002").update(
        inspector=None
    )
    Inspection.objects.filter(round=worked, point__code="MARKET-420302001002").update(
        inspector=unnamed
    )
    user = city.user(role, unit)
    mine = visible(registry, prefix)
    districts = sorted({registry.points[c].district for c in mine}, key=lambda n: n.code)
    assert selectors.round_districts(round_=worked, user=user) == [
        (d.pk, d.name) for d in districts
    ]
    people = {
        i.inspector
        for i in Inspection.objects.filter(round=worked, point__code__in=mine).select_related(
            "inspector"
        )
        if i.inspector
    }
    assert selectors.round_inspectors(round_=worked, user=user) == sorted(
        ((u.pk, u.full_name or u.username) for u in people), key=lambda r: r[1]
    )
    if "MARKET-420302001002" in mine:
        assert (unnamed.pk, "insp3") in selectors.round_inspectors(round_=worked, user=user)


def test_the_filter_choices_are_empty_for_someone_without_a_post(nobody, worked):
    assert selectors.round_districts(round_=worked, user=nobody) == []
    assert selectors.round_inspectors(round_=worked, user=nobody) == []


# -- penalties -------------------------------------------------------------------------------
@pytest.fixture
def penalised(city, admin, worked):
    framework = Framework.objects.create(
        kind=FrameworkKind.MODEL_CITY, name="测试体系", cycle_start=2024, cycle_end=2026
    )
    worked.framework = framework
    worked.save()
    on_district = NegativeItem.objects.create(
        framework=framework, code="N1", text="重大事故", penalty=Decimal("3"), position=1
    )
    on_unit = NegativeItem.objects.create(
        framework=framework,
        code="N2",
        text="窗口服务被曝光",
        penalty=Decimal("1"),
        subject_level=SubjectLevel.UNIT,
        position=0,
    )
    for note, negative, subject in (
        ("茅箭区", on_district, {"territory_id": city.node("420302").pk}),
        ("张湾区", on_district, {"territory_id": city.node("420303").pk}),
        ("武当1社区居委会", on_unit, {"unit_id": city.units["420302001001"].pk}),
    ):
        services.penalty_record(
            round_id=worked.pk, negative_id=negative.pk, note=note, actor=admin, **subject
        )
    return worked


@pytest.mark.parametrize(
    "role, unit, notes",
    [
        (Role.CITY_OPERATOR, "city", {"茅箭区", "张湾区", "武当1社区居委会"}),
        (Role.LEADER, "city", {"茅箭区", "张湾区", "武当1社区居委会"}),
        (Role.DISTRICT_OPERATOR, "420302", {"茅箭区"}),
        (Role.DISTRICT_OPERATOR, "420303", {"张湾区"}),
        # A penalty on a district is not the street's, one on their unit is the unit's.
        (Role.STREET_OPERATOR, "420302001", set()),
        (Role.COMMUNITY_OPERATOR, "420302001001", {"武当1社区居委会"}),
        (Role.UNIT_HANDLER, "dept", set()),
    ],
)
def test_penalties_are_those_on_subjects_in_scope(city, penalised, role, unit, notes):
    rows = selectors.round_penalties(round_=penalised, user=city.user(role, unit))
    assert {p.note for p in rows} == notes


def test_no_penalties_for_someone_without_a_post(nobody, penalised):
    assert not selectors.round_penalties(round_=penalised, user=nobody).exists()


def test_the_negative_list_is_the_rounds_frameworks(penalised, registry, admin):
    assert [n.code for n in selectors.round_negatives(round_=penalised)] == ["N2", "N1"]
    assert selectors.round_negatives(round_=plan(registry, admin)) == []


def test_what_a_penalty_can_fall_on(city):
    city.units["420303001002"].is_active = False
    city.units["420303001002"].save()
    by_level = selectors.penalty_territories()
    assert list(by_level) == list(selectors.PENALTY_TERRITORY_LEVELS)
    assert [n.code for n in by_level[SubjectLevel.DISTRICT]] == ["420302", "420303"]
    assert [n.code for n in by_level[SubjectLevel.STREET]] == [
        "420302001",
        "420302002",
        "420303001",
    ]
    assert len(by_level[SubjectLevel.COMMUNITY]) == 6
    units = list(selectors.penalty_units())
    assert city.units["420303001002"] not in units
    assert len(units) == Unit.objects.count() - 1
    assert [(u.kind, u.name) for u in units] == sorted((u.kind, u.name) for u in units)


# -- planning ----------------------------------------------------------------------------------
def test_the_sampling_table_counts_active_points_of_active_types(registry):
    Point.objects.filter(code="MARKET-420302001001").update(is_active=False)
    PointType.objects.create(code="PARK", name="公园广场", position=9, is_active=False)
    rows = [(t.code, t.active_points) for t in selectors.sampling_point_types()]
    assert rows == [("MARKET", 5), ("ROAD", 6)]


def test_codes_are_matched_to_active_points_only(registry):
    Point.objects.filter(code="ROAD-420302001001").update(is_active=False)
    codes = ["MARKET-420302001001", "ROAD-420302001001", "NOPE-1"]
    assert selectors.active_point_ids(codes=codes) == {
        "MARKET-420302001001": registry.points["MARKET-420302001001"].pk
    }
    assert selectors.active_point_ids(codes=[]) == {}


def test_the_current_framework_prefers_the_model_city_edition(db):
    assert selectors.current_framework() is None
    Framework.objects.create(
        kind=FrameworkKind.MODEL_CITY, name="旧", cycle_start=2021, cycle_end=2023
    )
    civilized = Framework.objects.create(
        kind=FrameworkKind.CIVILIZED_CITY,
        name="文明城市",
        cycle_start=2024,
        cycle_end=2026,
        is_current=True,
    )
    assert selectors.current_framework() == civilized
    model = Framework.objects.create(
        kind=FrameworkKind.MODEL_CITY,
        name="典范城市",
        cycle_start=2024,
        cycle_end=2026,
        is_current=True,
    )
    assert selectors.current_framework() == model
    assert set(selectors.framework_options()) == set(Framework.objects.all())


def test_a_framework_is_found_by_kind_and_cycle(db):
    model = Framework.objects.create(
        kind=FrameworkKind.MODEL_CITY, name="典范", cycle_start=2024, cycle_end=2026
    )
    Framework.objects.create(
        kind=FrameworkKind.CIVILIZED_CITY, name="文明", cycle_start=2024, cycle_end=2026
    )
    assert framework_by_cycle(kind=FrameworkKind.MODEL_CITY, cycle_start=2024) == model
    assert framework_by_cycle(kind=FrameworkKind.MODEL_CITY, cycle_start=2027) is None
    assert framework_by_cycle(kind="nonsense", cycle_start=2024) is None


def test_the_rules_are_the_rounds(registry, admin):
    market = registry.types["MARKET"]
    round_ = plan(
        registry, admin, point_ids=[], rules=[{"point_type_id": market.pk, "percent": 50}]
    )
    other = plan(registry, admin, name="另一期")
    assert [(r.point_type.code, r.percent) for r in selectors.round_rules(round_=round_)] == [
        ("MARKET", 50)
    ]
    assert not selectors.round_rules(round_=other).exists()


def test_inspectors_are_grouped_with_their_open_visits(city, registry, admin, open_round):
    insp1, insp2 = registry.inspectors
    both = city.user(Role.INSPECTOR, "city", full_name="测评员丁")
    Membership.objects.create(user=both, unit=city.units["420302001"], role=Role.OBSERVER)
    observer = city.user(Role.OBSERVER, "420302001", full_name="文明观察员丙")
    left = city.user(Role.OBSERVER, "420302001", full_name="已离岗观察员")
    Membership.objects.filter(user=left).update(is_active=False)
    gone = city.user(Role.INSPECTOR, "city", full_name="已停用测评员")
    gone.is_active = False
    gone.save()
    city.user(Role.COLLECTOR, "420302001", full_name="网格员")

    def assigned(user):
        return Inspection.objects.filter(inspector=user, status=InspectionStatus.ASSIGNED).count()

    done = Inspection.objects.filter(round=open_round, inspector=insp1).first()
    send(inspection_at(open_round, done.point.code))
    # Work in a closed round is no longer anyone's; work in a draft is.
    plan(registry, admin, name="下一期")
    before_close = {u.pk: assigned(u) for u in (insp1, insp2)}
    services.round_close(round_id=open_round.pk, actor=admin)
    in_draft = {
        u.pk: Inspection.objects.filter(inspector=u, round__status=RoundStatus.DRAFT).count()
        for u in (insp1, insp2)
    }
    assert in_draft[insp1.pk] < before_close[insp1.pk]

    groups = selectors.inspector_groups()
    assert [(g["role"], g["label"]) for g in groups] == [
        (Role.INSPECTOR, Role.INSPECTOR.label),
        (Role.OBSERVER, Role.OBSERVER.label),
    ]
    people = {g["role"]: [(p["name"], p["open"]) for p in g["people"]] for g in groups}
    # By name: 丁 (U+4E01) < 乙 (U+4E59) < 甲 (U+7532).
    assert people[Role.INSPECTOR] == [
        ("测评员丁", 0),
        ("测评员乙", in_draft[insp2.pk]),
        ("测评员甲", in_draft[insp1.pk]),
    ]
    assert people[Role.OBSERVER] == [("文明观察员丙", 0)]
    (first,) = groups[1]["people"]
    assert first == {
        "id": observer.pk,
        "name": "文明观察员丙",
        "unit": city.units["420302001"].name,
        "open": 0,
    }


def test_no_inspector_groups_without_inspectors(city):
    city.user(Role.COLLECTOR, "420302001")
    assert selectors.inspector_groups() == []


# -- the 问题清单 --------------------------------------------------------------------------
@pytest.mark.parametrize("role, unit, prefix", READERS)
def test_the_problem_list_holds_the_failures_in_scope(city, registry, worked, role, unit, prefix):
    rows = selectors.round_problem_list(
        round_=worked, user=city.user(role, unit), filters=selectors.ProblemFilter()
    )
    expected = {FAILED_MAOJIAN: 2, FAILED_ZHANGWAN: 1}
    mine = visible(registry, prefix)
    codes = [r.inspection.point.code for r in rows]
    assert {c: codes.count(c) for c in set(codes)} == {
        c: n for c, n in expected.items() if c in mine
    }


def test_the_problem_list_filters_by_district_and_case_status(city, admin, worked):
    def lines(**filters):
        rows = selectors.round_problem_list(
            round_=worked, user=admin, filters=selectors.ProblemFilter(**filters)
        )
        return sorted((r.inspection.point.code, r.item.position) for r in rows)

    assert lines(district=city.node("420303").pk) == [(FAILED_ZHANGWAN, 0)]
    assert lines(district=city.node("420302").pk) == [(FAILED_MAOJIAN, 0), (FAILED_MAOJIAN, 2)]
    closing = ItemResult.objects.get(
        inspection__round=worked, inspection__point__code=FAILED_MAOJIAN, item__position=2
    )
    Case.objects.filter(pk=closing.case_id).update(status=CaseStatus.CLOSED)
    assert lines(status=CaseStatus.CLOSED) == [(FAILED_MAOJIAN, 2)]
    assert lines(status=CaseStatus.CLOSED, district=city.node("420303").pk) == []


@pytest.mark.parametrize(
    "params, expected",
    [
        ({}, selectors.ProblemFilter()),
        (
            {"district": "12", "status": "closed"},
            selectors.ProblemFilter(district=12, status="closed"),
        ),
        ({"district": "茅箭", "status": "submitted"}, selectors.ProblemFilter()),
    ],
)
def test_the_problem_filter_keeps_only_what_it_understands(params, expected):
    assert selectors.ProblemFilter.from_params(params) == expected


# -- one inspection ----------------------------------------------------------------------------
def test_sections_list_every_checklist_item_with_its_result(worked, django_assert_num_queries):
    inspection = inspection_at(worked, FAILED_MAOJIAN)
    with django_assert_num_queries(3):
        sections = selectors.inspection_sections(inspection=inspection)
    shape = [
        (name, [(line.item.text, line.result.result) for line in lines]) for name, lines in sections
    ]
    assert shape == [
        ("环境卫生", [("地面无暴露垃圾", "fail"), ("无乱扔垃圾现象", "na")]),
        ("市场秩序", [("无占道经营", "fail")]),
    ]
    failed = sections[0][1][0].result
    with django_assert_num_queries(0):  # case and photos came with the sections
        assert failed.case.code and len(failed.photos.all()) == 1
        assert not sections[0][1][1].result.case


def test_sections_of_an_unchecked_point_show_what_is_to_be_filled(worked):
    inspection = inspection_at(worked, "MARKET-420303001001")
    sections = selectors.inspection_sections(inspection=inspection)
    assert [(name, [line.result for line in lines]) for name, lines in sections] == [
        ("环境卫生", [None, None]),
        ("市场秩序", [None]),
    ]
    assert selectors.inspection_sections(inspection=inspection, recorded_only=True) == []


def test_recorded_sections_keep_what_was_submitted_after_the_point_changes_type(
    registry, worked, django_assert_num_queries
):
    Point.objects.filter(code=FAILED_MAOJIAN).update(point_type=registry.types["ROAD"])
    inspection = inspection_at(worked, FAILED_MAOJIAN)
    with django_assert_num_queries(2):
        recorded = selectors.inspection_sections(inspection=inspection, recorded_only=True)
    assert [(name, [line.item.text for line in lines]) for name, lines in recorded] == [
        ("环境卫生", ["地面无暴露垃圾", "无乱扔垃圾现象"]),
        ("市场秩序", ["无占道经营"]),
    ]
    # The checklist view follows the point's type: the road's items, none answered.
    checklist = selectors.inspection_sections(inspection=inspection)
    assert [(name, [line.result for line in lines]) for name, lines in checklist] == [
        ("市容秩序", [None]),
        ("设施完好", [None]),
    ]


def test_case_codes_are_in_checklist_order(worked):
    inspection = inspection_at(worked, FAILED_MAOJIAN)
    by_position = dict(
        ItemResult.objects.filter(inspection=inspection, case__isnull=False).values_list(
            "item__position", "case__code"
        )
    )
    assert selectors.inspection_case_codes(inspection=inspection) == [
        by_position[0],
        by_position[2],
    ]
    assert selectors.inspection_case_codes(inspection=inspection_at(worked, PASSED)) == []


def test_a_reinspection_shows_the_photos_before_after_and_its_own(worked):
    result = ItemResult.objects.get(
        inspection__round=worked, inspection__point__code=FAILED_ZHANGWAN, result="fail"
    )
    inspector = result.inspection.inspector
    task = selectors.reinspection_get(user=inspector, reinspection_id=result.reinspection.pk)
    photos = selectors.reinspection_photos(reinspection=task)
    assert photos.before == [p.pk for p in result.photos.all()] and len(photos.before) == 1
    assert (photos.after, photos.done) == ([], [])

    case_sign(case_id=result.case_id, actor=None)
    after = photo_of(None)
    case_finish(case_id=result.case_id, actor=None, photo_ids=[after])
    mine = photo_of(inspector)
    services.reinspection_record(
        reinspection_id=task.pk, actor=inspector, passed=True, photo_ids=[mine]
    )
    task = selectors.reinspection_get(user=inspector, reinspection_id=task.pk)
    photos = selectors.reinspection_photos(reinspection=task)
    assert (photos.after, photos.done) == ([after], [mine])
    assert mine not in photos.before and after not in photos.before
