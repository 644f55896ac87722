"""Case indicators against hand-computed figures.

The story (mini city, B0102 井盖 cases routed to 市水务集团; M = 茅箭区 community
420302001001, Z = 张湾区; times local, 2026):

    A  M  reported 10-30 16:00 (4 working hours) → due 11-02 10:00, finished 09:00,
          closed 09:30 on time; rated 满意 11-10
    C  M  reported 11-02 10:00, closed 11:00; reopened 11-05 09:00 (registered again),
          dispatched 09:10 → due 11-05 11:10, left open (超时)
    D  M  reported 11-03 09:00, finished 09:30, 核查不通过 10:00 (返工), finished 10:30,
          closed 10:45 on time; rated 不满意 11-10
    E  M  reported 11-04 09:00, sent back 09:10 (回退), dispatched again 09:20 → due 11:20,
          finished 13:00 (late), closed 11-05 09:00 by the second collector (核查 late);
          rated 基本满意 12-02
    F  M  reported 11-06 09:00, cancelled 09:30
    H  M  reported 11-09 09:00 by a citizen on the portal, rejected (不予受理)
    B  M  reported 11-27 09:00 (4 working hours, due 15:00), postponement of 16 hours
          approved 10:00 → due 12-01 15:00, left open (缓办 in December)
    G  M  reported 11-27 09:05, merged into B 09:10
    I  Z  reported 11-10 09:00 → due 11:00, left open

Every trusted report is by the collector; A, C and D are verified by the collector.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from chuangwen.assessment import indicators, selectors
from chuangwen.assessment.choices import SubjectType
from chuangwen.assessment.indicators import BY_CODE, INDICATORS, indicators_for
from chuangwen.assessment.periods import parse
from chuangwen.assessment.selectors import compute
from chuangwen.cases import services
from chuangwen.cases.choices import Channel, PhotoKind, Status
from chuangwen.cases.models import Case, CaseEvent, CasePhoto
from chuangwen.core import clock
from chuangwen.core.errors import ServiceError
from chuangwen.org.choices import Role, UnitKind
from chuangwen.org.models import Membership
from chuangwen.org.services import unit_create
from chuangwen.testing.cases import MAOJIAN, ZHANGWAN, at

pytestmark = pytest.mark.django_db

NOVEMBER, DECEMBER, OCTOBER = parse("2026-11"), parse("2026-12"), parse("2026-10")
AFTER_DECEMBER = at(2027, 1, 5, 9, 0)


@dataclass
class Story:
    city: object
    collector: object
    collector2: object
    operator: object
    water: object
    cases: dict


def _report(actor, when, *, category="B0102", where=MAOJIAN, channel=None):
    with clock.at(when):
        return services.case_report(
            category=category,
            description="井盖问题",
            lat=where[0],
            lng=where[1],
            actor=actor,
            channel=channel,
        ).case


def _finish(case, water, when):
    photo = CasePhoto.objects.create(
        kind=PhotoKind.AFTER, sha256="ab" * 32, uploaded_by=water, image="x.jpg", created_at=when
    )
    with clock.at(when):
        services.case_finish(case_id=case.pk, actor=water, photo_ids=[photo.pk])


def _sign(case, water, when):
    with clock.at(when):
        services.case_sign(case_id=case.pk, actor=water)


def _verify(case, who, when, ok=True):
    with clock.at(when):
        services.case_verify(case_id=case.pk, actor=who, ok=ok, note="" if ok else "仍有松动")


def _rate(case, rating, when):
    case.refresh_from_db()
    with clock.at(when):
        services.case_rate(token=case.public_token, rating=rating)


@pytest.fixture
def story(city, catalogue) -> Story:
    collector = city.user(Role.COLLECTOR, "420302001", username="collector")
    collector2 = city.user(Role.COLLECTOR, "420302001", username="collector2")
    operator = city.user(Role.CITY_OPERATOR, "city")
    water = city.user(Role.UNIT_HANDLER, "water")
    cases = {}

    a = cases["A"] = _report(collector, at(2026, 10, 30, 16, 0), category="B0102-02")
    _sign(a, water, at(2026, 10, 30, 16, 30))
    _finish(a, water, at(2026, 11, 2, 9, 0))
    _verify(a, collector, at(2026, 11, 2, 9, 30))

    c = cases["C"] = _report(collector, at(2026, 11, 2, 10, 0))
    _sign(c, water, at(2026, 11, 2, 10, 10))
    _finish(c, water, at(2026, 11, 2, 10, 30))
    _verify(c, collector, at(2026, 11, 2, 11, 0))
    with clock.at(at(2026, 11, 5, 9, 0)):
        services.case_reopen(case_id=c.pk, actor=operator, note="市民反映井盖仍缺失")
    with clock.at(at(2026, 11, 5, 9, 10)):
        services.case_dispatch(case_id=c.pk, actor=operator, unit_id=catalogue.water.pk)

    d = cases["D"] = _report(collector, at(2026, 11, 3, 9, 0))
    _sign(d, water, at(2026, 11, 3, 9, 5))
    _finish(d, water, at(2026, 11, 3, 9, 30))
    _verify(d, collector, at(2026, 11, 3, 10, 0), ok=False)
    _finish(d, water, at(2026, 11, 3, 10, 30))
    _verify(d, collector, at(2026, 11, 3, 10, 45))

    e = cases["E"] = _report(collector, at(2026, 11, 4, 9, 0))
    with clock.at(at(2026, 11, 4, 9, 10)):
        services.case_send_back(case_id=e.pk, actor=water, note="该井盖属燃气公司")
    with clock.at(at(2026, 11, 4, 9, 20)):
        services.case_dispatch(case_id=e.pk, actor=operator, unit_id=catalogue.water.pk)
    _sign(e, water, at(2026, 11, 4, 9, 30))
    _finish(e, water, at(2026, 11, 4, 13, 0))
    _verify(e, collector2, at(2026, 11, 5, 9, 0))

    f = cases["F"] = _report(collector, at(2026, 11, 6, 9, 0))
    with clock.at(at(2026, 11, 6, 9, 30)):
        services.case_cancel(case_id=f.pk, actor=operator, note="测试误报")

    h = cases["H"] = _report(None, at(2026, 11, 9, 9, 0), channel=Channel.PORTAL)
    with clock.at(at(2026, 11, 9, 9, 30)):
        services.case_reject(case_id=h.pk, actor=operator, note="不属于受理范围")

    cases["I"] = _report(collector, at(2026, 11, 10, 9, 0), where=ZHANGWAN)

    b = cases["B"] = _report(collector, at(2026, 11, 27, 9, 0), category="B0102-02")
    g = cases["G"] = _report(collector, at(2026, 11, 27, 9, 5), category="B0102-02")
    with clock.at(at(2026, 11, 27, 9, 10)):
        services.case_merge(case_id=g.pk, into_id=b.pk, actor=operator)
    _sign(b, water, at(2026, 11, 27, 9, 20))
    with clock.at(at(2026, 11, 27, 9, 30)):
        services.case_postpone(case_id=b.pk, actor=water, value=16, note="需定制井盖")
    with clock.at(at(2026, 11, 27, 10, 0)):
        services.case_postpone_decide(case_id=b.pk, actor=operator, approve=True)

    _rate(a, "satisfied", at(2026, 11, 10, 9, 0))
    _rate(d, "dissatisfied", at(2026, 11, 10, 9, 0))
    _rate(e, "basic", at(2026, 12, 2, 9, 0))
    for case in cases.values():
        case.refresh_from_db()
    return Story(city, collector, collector2, operator, water, cases)


def test_the_story_is_what_the_scenario_says(story):
    """The states the figures below rest on, so a change in the case services shows here
    first rather than as a wrong figure."""
    c = story.cases
    assert c["A"].registered_at == at(2026, 10, 30, 16, 0)
    assert c["A"].deadline == at(2026, 11, 2, 10, 0)
    assert c["A"].closed_on_time is True and c["A"].handle_minutes == 180
    assert c["C"].status == Status.DISPATCHED and c["C"].closed_at is None
    assert c["C"].registered_at == at(2026, 11, 5, 9, 0)
    assert c["C"].deadline == at(2026, 11, 5, 11, 10)
    assert c["D"].rework_count == 1 and c["D"].closed_on_time is True
    assert c["D"].handle_minutes == 60
    assert c["E"].send_back_count == 1 and c["E"].closed_on_time is False
    assert c["E"].handle_minutes == 170  # 09:00–09:10, then 09:20–12:00 on the work clock
    assert c["F"].status == Status.CANCELLED and c["F"].deadline is not None
    assert c["G"].status == Status.MERGED and c["G"].registered_at is not None
    assert c["H"].status == Status.INVALID and c["H"].created_by is None
    assert c["B"].deadline == at(2026, 12, 1, 15, 0) and c["B"].extension_value == 16
    assert c["I"].district.code == "420303"


def by_code(subject_type, code):
    return next(s.id for s in selectors.subjects(subject_type) if s.code == code)


def figures(subject_type, period, as_of=AFTER_DECEMBER):
    return compute(subject_type=subject_type, start=period.start, end=period.end, as_of=as_of)


ZERO = {
    "reported": 0,
    "registered": 0,
    "due": 0,
    "closed": 0,
    "close_rate": None,
    "on_time": 0,
    "deferred": 0,
    "on_time_rate": None,
    "overdue": 0,
    "rework": 0,
    "rework_rate": None,
    "sent_back": 0,
    "send_back_rate": None,
    "avg_handle_hours": None,
    "rated": 0,
    "satisfaction_rate": None,
}

# 茅箭区 in November: reported B C D E F G H; registered B C(again) D E; due A C D E
# (B moved to December); closed A D E, on time A D; overdue C E; rework D; sent back E;
# handling 180 + 60 + 170 minutes over 3 closed; ratings A (满意) and D (不满意).
MAOJIAN_NOVEMBER = {
    "reported": 7,
    "registered": 4,
    "due": 4,
    "closed": 3,
    "close_rate": 75.0,
    "on_time": 2,
    "deferred": 0,
    "on_time_rate": 50.0,
    "overdue": 2,
    "rework": 1,
    "rework_rate": 25.0,
    "sent_back": 1,
    "send_back_rate": 25.0,
    "avg_handle_hours": 2.28,
    "rated": 2,
    "satisfaction_rate": 50.0,
}


@pytest.mark.parametrize(
    ("subject_type", "code"),
    [
        (SubjectType.DISTRICT, "420302"),
        (SubjectType.STREET, "420302001"),
        (SubjectType.COMMUNITY, "420302001001"),
    ],
)
def test_territory_figures_for_november(story, subject_type, code):
    result = figures(subject_type, NOVEMBER)
    assert result[by_code(subject_type, code)] == MAOJIAN_NOVEMBER


def test_other_territories_get_their_own_cases_or_zeros(story):
    districts = figures(SubjectType.DISTRICT, NOVEMBER)
    assert districts[by_code(SubjectType.DISTRICT, "420303")] == {
        **ZERO,
        "reported": 1,
        "registered": 1,
        "due": 1,
        "close_rate": 0.0,
        "on_time_rate": 0.0,
        "overdue": 1,
        "rework_rate": 0.0,
        "send_back_rate": 0.0,
    }
    streets = figures(SubjectType.STREET, NOVEMBER)
    assert set(streets) == {s.id for s in selectors.subjects(SubjectType.STREET)}
    assert streets[by_code(SubjectType.STREET, "420302002")] == ZERO
    communities = figures(SubjectType.COMMUNITY, NOVEMBER)
    assert communities[by_code(SubjectType.COMMUNITY, "420302001002")] == ZERO


def test_a_case_registered_in_october_is_due_and_closed_in_november(story):
    october = figures(SubjectType.DISTRICT, OCTOBER)[by_code(SubjectType.DISTRICT, "420302")]
    assert october == {**ZERO, "reported": 1, "registered": 1, "send_back_rate": 0.0}


def test_the_responsible_unit_gets_every_case_dispatched_to_it(story):
    water = story.city.units["water"].pk
    november = figures(SubjectType.UNIT, NOVEMBER)
    # As 茅箭区, plus I (张湾区); H was never dispatched, so it has no unit.
    assert november[water] == {
        **MAOJIAN_NOVEMBER,
        "reported": 7,
        "registered": 5,
        "due": 5,
        "close_rate": 60.0,
        "on_time_rate": 40.0,
        "overdue": 3,
        "rework_rate": 20.0,
        "send_back_rate": 20.0,
    }
    assert november[story.city.units["420302"].pk] == ZERO


def test_a_postponed_case_is_due_and_deferred_in_the_period_of_its_new_deadline(story):
    december = figures(SubjectType.UNIT, DECEMBER)[story.city.units["water"].pk]
    assert december == {
        **ZERO,
        "due": 1,
        "deferred": 1,
        "close_rate": 0.0,
        "on_time_rate": None,  # nothing left once the deferred case is set aside
        "rework_rate": 0.0,
        "rated": 1,  # E's 基本满意, given in December
        "satisfaction_rate": 100.0,
    }


def test_a_deferred_case_closed_later_is_no_longer_deferred(story, catalogue):
    b = story.cases["B"]
    _finish(b, story.water, at(2026, 12, 1, 14, 0))
    _verify(b, story.collector, at(2026, 12, 1, 14, 30))
    december = figures(SubjectType.UNIT, DECEMBER)[story.city.units["water"].pk]
    assert (december["due"], december["closed"], december["deferred"], december["on_time"]) == (
        1,
        1,
        0,
        1,
    )
    assert december["on_time_rate"] == 100.0
    # Before its deadline (12-01 15:00) has come, a case is not due yet at all.
    earlier = figures(SubjectType.UNIT, DECEMBER, as_of=at(2026, 12, 1, 14, 59))
    assert earlier[story.city.units["water"].pk] == ZERO


def test_figures_as_of_a_moment_inside_the_period(story):
    """T = 11-04 12:00: A and D closed, E sent back and dispatched again but not finished.
    C was reopened later, so its registration and deadline have moved past T."""
    expected = {
        **ZERO,
        "reported": 3,  # C, D, E
        "registered": 2,  # D, E
        "due": 3,  # A, D, E
        "closed": 2,
        "close_rate": 66.67,
        "on_time": 2,
        "on_time_rate": 66.67,
        "overdue": 1,
        "rework": 1,
        "rework_rate": 33.33,
        "sent_back": 1,
        "send_back_rate": 50.0,
        "avg_handle_hours": 2.0,
    }
    maojian = by_code(SubjectType.DISTRICT, "420302")
    moment = at(2026, 11, 4, 12, 0)
    assert figures(SubjectType.DISTRICT, NOVEMBER, as_of=moment)[maojian] == expected
    with clock.at(moment):  # without as_of, the figures are taken now
        assert figures(SubjectType.DISTRICT, NOVEMBER, as_of=None)[maojian] == expected


def test_a_period_that_has_not_started_is_all_zeros(story):
    result = figures(SubjectType.DISTRICT, DECEMBER, as_of=at(2026, 11, 20, 9, 0))
    assert all(values == ZERO for values in result.values())


def test_staff_reports_and_verifications(story):
    staff = figures(SubjectType.STAFF, NOVEMBER)
    assert set(staff) == {story.collector.pk, story.collector2.pk}
    # B C D E F G I on the field channel (H came in on the portal); G merged is not valid;
    # A, C and D (twice) verified within the 4 working hours of the verify stage.
    assert staff[story.collector.pk] == {
        "reported": 7,
        "valid_reports": 6,
        "valid_report_rate": 85.71,
        "verified": 4,
        "verified_on_time": 4,
        "verify_on_time_rate": 100.0,
    }
    # E finished 11-04 13:00, so its verify limit ran out at 18:00; verified next morning.
    assert staff[story.collector2.pk] == {
        "reported": 0,
        "valid_reports": 0,
        "valid_report_rate": None,
        "verified": 1,
        "verified_on_time": 0,
        "verify_on_time_rate": 0.0,
    }
    october = figures(SubjectType.STAFF, OCTOBER)[story.collector.pk]
    assert (october["reported"], october["valid_reports"], october["verified"]) == (1, 1, 0)


def test_verifications_by_office_staff_do_not_make_them_subjects(story):
    c = story.cases["C"]
    _sign(c, story.water, at(2026, 11, 5, 9, 20))
    _finish(c, story.water, at(2026, 11, 5, 9, 40))
    _verify(c, story.operator, at(2026, 11, 5, 10, 0))
    assert story.operator.pk not in figures(SubjectType.STAFF, NOVEMBER)
    # ... while the case now counts as closed on time for the territory.
    maojian = figures(SubjectType.DISTRICT, NOVEMBER)[by_code(SubjectType.DISTRICT, "420302")]
    assert (maojian["closed"], maojian["on_time"], maojian["overdue"]) == (4, 3, 1)


def test_subjects_of_each_type(story, city):
    districts = selectors.subjects(SubjectType.DISTRICT)
    assert [s.code for s in districts] == ["420302", "420303"]
    assert districts[0].territory_path == city.node("420302").path and districts[0].unit_id is None
    assert [s.code for s in selectors.subjects(SubjectType.STREET)] == [
        "420302001",
        "420302002",
        "420303001",
    ]
    assert len(selectors.subjects(SubjectType.COMMUNITY)) == 6

    units = selectors.subjects(SubjectType.UNIT)
    unit_ids = {s.id for s in units}
    assert city.units["city"].pk not in unit_ids  # the office does the assessing
    assert city.units["volunteers"].pk not in unit_ids
    water = next(s for s in units if s.id == city.units["water"].pk)
    assert water.unit_id == water.id and water.territory_path == city.node("420300").path

    staff = selectors.subjects(SubjectType.STAFF)
    assert [s.code for s in staff] == ["collector", "collector2"]
    assert staff[0].unit_id == city.units["420302001"].pk
    assert staff[0].territory_path == city.node("420302001").path


def test_inactive_subjects_are_left_out(story, city):
    Membership.objects.filter(user=story.collector2).update(is_active=False)
    assert [s.code for s in selectors.subjects(SubjectType.STAFF)] == ["collector"]
    retired = unit_create(name="已撤销单位", kind=UnitKind.ENTERPRISE, territory=None, actor=None)
    homeless = unit_create(
        name="无属地单位", short_name="无属地", kind=UnitKind.ENTERPRISE, territory=None, actor=None
    )
    retired.is_active = False
    retired.save()
    units = {s.id: s for s in selectors.subjects(SubjectType.UNIT)}
    assert retired.pk not in units
    assert (units[homeless.pk].territory_path, units[homeless.pk].code) == ("", "无属地")
    node = city.node("420302002")
    node.is_active = False
    node.save()
    assert "420302002" not in {s.code for s in selectors.subjects(SubjectType.STREET)}


def test_a_person_with_two_field_roles_is_one_subject(story, city):
    Membership.objects.create(user=story.collector, unit=city.units["420303"], role=Role.OBSERVER)
    codes = [s.code for s in selectors.subjects(SubjectType.STAFF)]
    assert codes == ["collector", "collector2"]


def test_unknown_subject_type_is_refused(db):
    with pytest.raises(ServiceError) as info:
        compute(subject_type="planet", start=NOVEMBER.start, end=NOVEMBER.end)
    assert info.value.field == "subject_type"
    with pytest.raises(ServiceError):
        selectors.subjects("")


def test_catalogue_of_indicators():
    assert len(BY_CODE) == len(INDICATORS)
    territory = [i.code for i in indicators_for(SubjectType.COMMUNITY)]
    assert territory == [
        "reported",
        "registered",
        "due",
        "closed",
        "close_rate",
        "on_time",
        "deferred",
        "on_time_rate",
        "overdue",
        "rework",
        "rework_rate",
        "sent_back",
        "send_back_rate",
        "avg_handle_hours",
        "rated",
        "satisfaction_rate",
    ]
    assert [i.code for i in indicators_for(SubjectType.UNIT)] == territory
    assert [i.code for i in indicators_for(SubjectType.STAFF)] == [
        "reported",
        "valid_reports",
        "valid_report_rate",
        "verified",
        "verified_on_time",
        "verify_on_time_rate",
    ]
    assert {i.unit for i in INDICATORS} == {"件", "%", "小时"}
    assert all(i.formula and i.name for i in INDICATORS)
    assert BY_CODE["overdue"].higher_is_better is False
    assert BY_CODE["on_time_rate"].higher_is_better is True


def test_rates_round_half_up():
    assert indicators.rate(1, 3) == 33.33
    assert indicators.rate(2, 3) == 66.67
    assert indicators.rate(1, 8) == 12.5
    assert indicators.rate(1, 800) == 0.13  # 0.125 rounds up, not to even
    assert indicators.rate(0, 0) is None
    assert indicators.hours(90, 1) == 1.5
    assert indicators.hours(None, 0) is None


def _bulk_cases(story, count: int) -> None:
    """Rows written directly: only their number matters here, and going through the
    services would take seconds per hundred cases."""
    template = story.cases["D"]
    rows = []
    for n in range(count):
        moment = at(2026, 11, 1 + n % 28, 9, 0)
        rows.append(
            Case(
                code=f"BULK{n:06d}",
                status=Status.CLOSED,
                channel=Channel.FIELD,
                category_id=template.category_id,
                standard_id=template.standard_id,
                description="批量",
                lat=template.lat,
                lng=template.lng,
                grid_id=template.grid_id,
                community_id=template.community_id,
                street_id=template.street_id,
                district_id=template.district_id,
                territory_path=template.territory_path,
                unit_id=template.unit_id,
                created_by=story.collector,
                time_type=template.time_type,
                time_value=template.time_value,
                reported_at=moment,
                registered_at=moment,
                dispatched_at=moment,
                deadline=moment.replace(hour=11),
                closed_at=moment.replace(hour=10),
                closed_on_time=True,
                handle_minutes=30,
            )
        )
    created = Case.objects.bulk_create(rows)
    CaseEvent.objects.bulk_create(
        CaseEvent(
            case_id=case.pk,
            action="verify_ok",
            actor=story.collector,
            data={"on_time": True},
            created_at=case.closed_at,
        )
        for case in Case.objects.filter(code__startswith="BULK")
    )
    assert len(created) == count


@pytest.mark.parametrize("extra", [0, 200])
@pytest.mark.parametrize("subject_type", SubjectType.values)
def test_queries_do_not_grow_with_the_cases(
    story, django_assert_max_num_queries, subject_type, extra
):
    _bulk_cases(story, extra)
    with django_assert_max_num_queries(3):
        result = figures(subject_type, NOVEMBER)
    if subject_type == SubjectType.STAFF:
        assert result[story.collector.pk]["verified"] == 4 + extra
    elif subject_type == SubjectType.UNIT:
        assert result[story.city.units["water"].pk]["closed"] == 3 + extra
    else:
        assert sum(v["closed"] for v in result.values()) == 3 + extra


def test_several_types_at_once_give_the_same_figures(story, django_assert_max_num_queries):
    _bulk_cases(story, 30)
    each = {t: figures(t, NOVEMBER) for t in SubjectType.values}
    # 5 subject lists, 1 pass over the cases, 2 over the ratings, 2 for the staff.
    with django_assert_max_num_queries(10):
        together = selectors.compute_many(
            subject_types=SubjectType.values,
            start=NOVEMBER.start,
            end=NOVEMBER.end,
            as_of=AFTER_DECEMBER,
        )
    assert together == each
    two = selectors.compute_many(
        subject_types=[SubjectType.UNIT, SubjectType.COMMUNITY, SubjectType.UNIT],
        start=NOVEMBER.start,
        end=NOVEMBER.end,
        as_of=AFTER_DECEMBER,
    )
    assert list(two) == [SubjectType.UNIT, SubjectType.COMMUNITY]
    assert two[SubjectType.UNIT] == each[SubjectType.UNIT]
