from collections import Counter
from datetime import date, timedelta
from decimal import Decimal

import pytest

from chuangwen.cases.choices import Channel, PhotoKind, Status
from chuangwen.cases.models import Case
from chuangwen.cases.services import case_finish, case_sign, case_verify
from chuangwen.core import clock
from chuangwen.core.errors import ConflictError, PermissionDeniedError, ServiceError
from chuangwen.core.models import AuditEvent
from chuangwen.core.workcalendar import get_calendar
from chuangwen.evaluation import services
from chuangwen.evaluation.choices import InspectionStatus, ReinspectionStatus, RoundStatus
from chuangwen.evaluation.models import (
    ChecklistItem,
    Framework,
    ItemResult,
    NegativeItem,
    RoundItem,
)
from chuangwen.notifications.models import Notification
from chuangwen.testing.cases import at

from .conftest import DUE, STARTS, answers, on_site, photo_of, plan, submit

pytestmark = pytest.mark.django_db

NON_PLANNERS = [
    ("district_operator", "420302"),
    ("street_operator", "420302001"),
    ("community_operator", "420302001001"),
    ("leader", "420302"),
    ("unit_handler", "dept"),
    ("inspector", "city"),
]


def inspection_at(round_, code):
    return round_.inspections.select_related("point", "round", "inspector").get(point__code=code)


# -- planning --------------------------------------------------------------------------------
def test_sampling_draws_the_share_of_each_district_reproducibly(registry, admin):
    rules = [{"point_type_id": registry.types["MARKET"].pk, "percent": 50}]
    first = plan(registry, admin, point_ids=[], rules=rules, seed=11)
    again = plan(registry, admin, point_ids=[], rules=rules, seed=11)

    def drawn(round_):
        return sorted(round_.inspections.values_list("point__code", flat=True))

    assert drawn(first) == drawn(again)
    per_district = Counter(first.inspections.values_list("point__district__code", flat=True))
    # 茅箭区 has 4 markets (50 % → 2), 张湾区 2 (→ 1).
    assert per_district == {"420302": 2, "420303": 1}
    assert first.rules.get().percent == 50


def test_sampling_per_street_with_a_minimum(registry, admin):
    rules = [{"point_type_id": registry.types["ROAD"].pk, "percent": 1, "per": "street"}]
    round_ = plan(registry, admin, point_ids=[], rules=rules)
    streets = Counter(round_.inspections.values_list("point__street__code", flat=True))
    assert streets == {"420302001": 1, "420302002": 1, "420303001": 1}


def test_assignment_is_balanced_compact_and_scheduled_on_working_days(registry, admin):
    round_ = plan(registry, admin)
    rows = list(round_.inspections.order_by("inspector_id", "route_order"))
    counts = Counter(r.inspector_id for r in rows)
    assert sorted(counts.values()) == [6, 6]
    calendar = get_calendar()
    for row in rows:
        assert STARTS <= row.planned_on <= DUE and calendar.is_workday(row.planned_on)
        assert row.due_on == DUE
    # Walking order: each inspector's visits never go back in time.
    for inspector in counts:
        days = [r.planned_on for r in rows if r.inspector_id == inspector]
        assert days == sorted(days)
    # The Hilbert cut keeps each inspector within a compact patch: both districts are
    # not split evenly between them.
    districts = {
        inspector: Counter(r.point.district.code for r in rows if r.inspector_id == inspector)
        for inspector in counts
    }
    assert any(len(d) == 1 for d in districts.values())
    assert AuditEvent.objects.filter(action="evaluation.round_create").count() == 1


@pytest.mark.parametrize(
    "change, field",
    [
        ({"due_on": date(2026, 11, 1)}, "due_on"),
        ({"starts_on": "2026-13-01"}, "starts_on"),
        ({"inspector_ids": []}, "inspectors"),
        ({"kind": "weekly"}, "kind"),
        ({"name": " "}, "name"),
        ({"point_ids": [999999]}, "points"),
        ({"point_ids": [], "rules": [{"point_type_id": 999, "percent": 30}]}, "rules"),
        ({"rules": [{"point_type_id": None, "percent": 0}]}, "rules"),
        ({"point_ids": [], "rules": []}, "rules"),
        ({"checkin_radius_m": 1}, "checkin_radius_m"),
    ],
)
def test_round_create_refuses_bad_input(registry, admin, change, field):
    with pytest.raises(ServiceError) as error:
        plan(registry, admin, **change)
    assert error.value.field == field


def test_round_create_refuses_people_who_are_not_inspectors(city, registry, admin):
    clerk = city.user("unit_handler", "dept")
    with pytest.raises(ServiceError) as error:
        plan(registry, admin, inspector_ids=[clerk.pk])
    assert error.value.field == "inspectors"


@pytest.mark.parametrize("role, unit", NON_PLANNERS)
def test_only_the_city_office_plans_rounds(city, registry, role, unit):
    with pytest.raises(PermissionDeniedError):
        plan(registry, city.user(role, unit))


def test_a_city_operator_plans_rounds(city, registry):
    assert plan(registry, city.user("city_operator", "city")).status == RoundStatus.DRAFT


def test_draft_is_discarded_but_a_started_round_is_kept(registry, admin, open_round):
    draft = plan(registry, admin)
    services.round_discard(round_id=draft.pk, actor=admin)
    assert not type(draft).objects.filter(pk=draft.pk).exists()
    with pytest.raises(ConflictError):
        services.round_discard(round_id=open_round.pk, actor=admin)


# -- starting: the frozen checklist ----------------------------------------------------------
def test_start_freezes_the_checklists_and_tells_the_inspectors(registry, admin, open_round):
    assert open_round.status == RoundStatus.OPEN
    frozen = RoundItem.objects.filter(round=open_round)
    assert frozen.count() == ChecklistItem.objects.count() == 5
    item = ChecklistItem.objects.get(text="地面无暴露垃圾")
    item.text, item.max_points = "地面整洁", Decimal("20")
    item.save()
    ChecklistItem.objects.create(
        point_type=item.point_type,
        section="新增",
        text="新增检查项",
        max_points=5,
        deduction=1,
        category=item.category,
    )
    copy = frozen.get(source=item)
    assert (copy.text, copy.max_points) == ("地面无暴露垃圾", Decimal("10.00"))
    assert frozen.count() == 5
    assert Notification.objects.filter(kind="evaluation.assigned").count() == 2
    with pytest.raises(ConflictError):
        services.round_start(round_id=open_round.pk, actor=admin)


def test_start_refuses_a_point_type_without_a_checklist(registry, admin):
    round_ = plan(registry, admin)
    ChecklistItem.objects.filter(point_type=registry.types["ROAD"]).update(is_active=False)
    with pytest.raises(ConflictError, match="主次干道"):
        services.round_start(round_id=round_.pk, actor=admin)
    round_.refresh_from_db()
    assert round_.status == RoundStatus.DRAFT and not round_.items.exists()


# -- inspecting ------------------------------------------------------------------------------
def test_submission_scores_the_point_and_opens_one_case_per_failed_item(open_round):
    inspection = inspection_at(open_round, "MARKET-420302001001")
    # 地面无暴露垃圾 fails at 7 places (7 × 2 = 14, capped at its 10), 乱扔垃圾 is N/A.
    results = answers(inspection, fail=(0, 2), na=(1,), occurrences=7)
    with clock.at(at(2026, 11, 3, 10, 0)):
        done = submit(inspection, results)
    assert done.status == InspectionStatus.SUBMITTED
    assert (done.full_points, done.max_points) == (Decimal("25"), Decimal("20"))
    assert (done.deducted, done.score, done.failed_count) == (Decimal("20"), Decimal("0"), 2)
    failed = ItemResult.objects.filter(inspection=done, result="fail").select_related("case")
    assert failed.count() == 2
    for row in failed:
        case = row.case
        assert case.channel == Channel.INSPECTION and case.status == Status.DISPATCHED
        assert case.unit_id == inspection.point.unit_id
        assert case.category_id == row.item.category_id
        assert (case.lat, case.lng) == (inspection.point.lat, inspection.point.lng)
        assert case.photos.filter(kind=PhotoKind.BEFORE).count() == 1
        local = case.deadline.astimezone(get_calendar().tz).date()
        assert row.reinspection.due_on == local + timedelta(days=1)
        assert row.reinspection.inspector_id == inspection.inspector_id
    assert Case.objects.count() == 2
    event = AuditEvent.objects.get(action="evaluation.inspection_submit")
    assert event.data["cases_opened"] == 2


def test_the_same_submission_sent_twice_is_taken_once(open_round):
    inspection = inspection_at(open_round, "ROAD-420302001001")
    results = answers(inspection, fail=(1,))
    first = submit(inspection, results, key="same")
    again = submit(inspection, results, key="same")
    assert again.pk == first.pk and again.version == first.version
    assert Case.objects.count() == 1
    with pytest.raises(ConflictError):
        submit(inspection, answers(inspection), key="another")


def test_a_returned_inspection_is_corrected_without_a_second_case(admin, open_round):
    inspection = inspection_at(open_round, "MARKET-420302001001")
    submit(inspection, answers(inspection, fail=(0, 2)))
    services.inspection_review(inspection_id=inspection.pk, actor=admin, approve=False, note="补拍")
    assert Notification.objects.filter(kind="evaluation.returned").count() == 1
    inspection.refresh_from_db()
    assert inspection.status == InspectionStatus.RETURNED
    kept = ItemResult.objects.get(inspection=inspection, item__position=0)
    corrected = answers(inspection, fail=(0,), photos=[[]])
    corrected[0]["photo_ids"] = [p.pk for p in kept.photos.all()] + [photo_of(inspection.inspector)]
    done = submit(inspection, corrected, key="second")
    assert done.status == InspectionStatus.SUBMITTED
    assert Case.objects.count() == 2  # nothing opened twice
    kept.refresh_from_db()
    assert kept.case.photos.count() == 2
    withdrawn = ItemResult.objects.get(inspection=inspection, item__position=2)
    withdrawn.case.refresh_from_db()
    assert withdrawn.case.status == Status.CANCELLED
    assert withdrawn.reinspection.status == ReinspectionStatus.CANCELLED


def test_check_in_far_from_the_point_needs_a_reason(open_round):
    inspection = inspection_at(open_round, "ROAD-420302001001")
    far = {"lat": inspection.point.lat + 0.01, "lng": inspection.point.lng}
    with pytest.raises(ServiceError, match="超出 200 米") as error:
        submit(inspection, answers(inspection), checkin=far)
    assert error.value.field == "checkin"
    with pytest.raises(ServiceError, match="未取得定位"):
        submit(inspection, answers(inspection), checkin={"lat": None, "lng": None})
    done = submit(inspection, answers(inspection), checkin={**far, "exception": "道路施工绕行"})
    assert done.checkin_exception == "道路施工绕行"
    assert 1000 < done.checkin_distance_m < 1200


def test_check_in_time_from_the_browser_is_kept_within_the_round(open_round):
    inspection = inspection_at(open_round, "ROAD-420302001001")
    with clock.at(at(2026, 11, 4, 12, 0)):
        earlier = at(2026, 11, 4, 9, 30).isoformat()
        done = submit(
            inspection, answers(inspection), checkin={**on_site(inspection), "at": earlier}
        )
    assert done.checked_in_at == at(2026, 11, 4, 9, 30)


@pytest.mark.parametrize(
    "moment",
    ["2026-02-30T09:30:00+08:00", "0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-12:00"],
)
def test_an_impossible_check_in_time_from_the_browser_is_the_submission_time(open_round, moment):
    inspection = inspection_at(open_round, "ROAD-420302001001")
    with clock.at(at(2026, 11, 4, 12, 0)):
        done = submit(
            inspection, answers(inspection), checkin={**on_site(inspection), "at": moment}
        )
    assert done.checked_in_at == at(2026, 11, 4, 12, 0)


def _bad(inspection, mutate):
    rows = answers(inspection)
    mutate(rows, inspection)
    return rows


@pytest.mark.parametrize(
    "mutate, message",
    [
        (lambda rows, i: rows.pop(), "未填写"),
        (lambda rows, i: rows.append(dict(rows[0])), "重复填写"),
        (lambda rows, i: rows[0].update(item_id=999999), "不属于"),
        (lambda rows, i: rows[0].update(result="good"), "请为"),
        (lambda rows, i: rows[0].update(result="na"), "不允许选择不适用"),
        (lambda rows, i: rows[0].update(result="fail"), "须拍照取证"),
        (lambda rows, i: rows[0].update(result="fail", occurrences=0, photo_ids=[1]), "问题处数"),
        (lambda rows, i: rows[0].update(note="长" * 501), "不能超过"),
    ],
)
def test_submission_refuses_bad_results(open_round, mutate, message):
    inspection = inspection_at(open_round, "MARKET-420302001001")
    with pytest.raises(ServiceError, match=message) as error:
        submit(inspection, _bad(inspection, mutate))
    assert error.value.field == "results"
    assert not Case.objects.exists() and not ItemResult.objects.exists()


def test_photos_must_be_the_inspectors_own_and_used_once(city, open_round):
    inspection = inspection_at(open_round, "MARKET-420302001001")
    someone = city.user("collector", "420302001")
    stranger = answers(inspection, fail=(0,), photos=[[photo_of(someone)]])
    with pytest.raises(ServiceError, match="不是您上传的"):
        submit(inspection, stranger)
    shared = photo_of(inspection.inspector)
    twice = answers(inspection, fail=(0, 2), photos=[[shared], [shared]])
    with pytest.raises(ServiceError, match="同一张照片"):
        submit(inspection, twice)
    assert not Case.objects.exists()


def test_only_the_assigned_inspector_submits(city, registry, open_round):
    inspection = inspection_at(open_round, "ROAD-420302001001")
    other = next(u for u in registry.inspectors if u.pk != inspection.inspector_id)
    with pytest.raises(PermissionDeniedError):
        submit(inspection, answers(inspection), actor=other)


@pytest.mark.parametrize("role, unit", [("street_operator", "420303001"), ("unit_handler", "dept")])
def test_an_inspection_out_of_scope_does_not_exist(city, open_round, role, unit):
    inspection = inspection_at(open_round, "ROAD-420302001001")
    with pytest.raises(ServiceError, match="不存在"):
        submit(inspection, answers(inspection), actor=city.user(role, unit))


def test_no_submission_before_the_round_starts_or_after_it_ends(registry, admin, open_round):
    draft = plan(registry, admin)
    inspection = inspection_at(draft, "ROAD-420302001001")
    with pytest.raises(ConflictError, match="不在进行中"):
        submit(inspection, [])
    services.round_close(round_id=open_round.pk, actor=admin)
    closed = inspection_at(open_round, "ROAD-420302001001")
    with pytest.raises(ConflictError, match="不在进行中"):
        submit(closed, answers(closed))


# -- review ----------------------------------------------------------------------------------
def test_review_approves_or_returns_with_a_reason(admin, open_round):
    inspection = inspection_at(open_round, "ROAD-420302001001")
    with pytest.raises(ConflictError):
        services.inspection_review(inspection_id=inspection.pk, actor=admin, approve=True)
    submit(inspection, answers(inspection))
    with pytest.raises(ServiceError, match="审核意见") as error:
        services.inspection_review(inspection_id=inspection.pk, actor=admin, approve=False)
    assert error.value.field == "note"
    done = services.inspection_review(inspection_id=inspection.pk, actor=admin, approve=True)
    assert done.status == InspectionStatus.APPROVED and done.reviewed_by == admin


@pytest.mark.parametrize("role, unit", NON_PLANNERS)
def test_only_the_city_office_reviews(city, open_round, role, unit):
    inspection = inspection_at(open_round, "ROAD-420302001001")
    submit(inspection, answers(inspection))
    with pytest.raises(PermissionDeniedError):
        services.inspection_review(
            inspection_id=inspection.pk, actor=city.user(role, unit), approve=True
        )


def test_reassign_moves_an_unchecked_point(registry, admin, open_round):
    inspection = inspection_at(open_round, "ROAD-420302001001")
    other = next(u for u in registry.inspectors if u.pk != inspection.inspector_id)
    moved = services.inspection_reassign(
        inspection_id=inspection.pk, inspector_id=other.pk, actor=admin
    )
    assert moved.inspector_id == other.pk
    submit(moved, answers(moved))
    with pytest.raises(ConflictError):
        services.inspection_reassign(
            inspection_id=inspection.pk, inspector_id=registry.inspectors[0].pk, actor=admin
        )


# -- penalties -------------------------------------------------------------------------------
@pytest.fixture
def negative(open_round):
    framework = Framework.objects.create(
        kind="model_city", name="测试体系", cycle_start=2024, cycle_end=2026
    )
    open_round.framework = framework
    open_round.save()
    return NegativeItem.objects.create(
        framework=framework,
        code="N1",
        text="发生重大安全事故",
        penalty=Decimal("3"),
        subject_level="district",
    )


def test_a_penalty_falls_on_its_subject(city, admin, open_round, negative):
    from chuangwen.evaluation.selectors import round_results

    inspection = inspection_at(open_round, "ROAD-420302001001")
    submit(inspection, answers(inspection))
    services.penalty_record(
        round_id=open_round.pk,
        negative_id=negative.pk,
        territory_id=city.node("420302").pk,
        note="暗访发现",
        actor=admin,
    )
    (maojian,) = round_results(round_=open_round, level="district", user=admin)
    assert (maojian.score, maojian.penalty, maojian.net_score) == (14, 3, 11)
    assert maojian.rate == pytest.approx(11 / 14)
    (street,) = round_results(round_=open_round, level="street", user=admin)
    assert street.penalty == 0


def test_a_penalty_needs_a_subject_of_its_level(city, admin, open_round, negative):
    with pytest.raises(ServiceError) as error:
        services.penalty_record(
            round_id=open_round.pk,
            negative_id=negative.pk,
            territory_id=city.node("420302001").pk,
            note="暗访发现",
            actor=admin,
        )
    assert error.value.field == "territory"
    with pytest.raises(ServiceError, match="事实说明"):
        services.penalty_record(
            round_id=open_round.pk, negative_id=negative.pk, territory_id=1, note="", actor=admin
        )


@pytest.mark.parametrize("role, unit", NON_PLANNERS)
def test_only_the_city_office_records_penalties(city, open_round, negative, role, unit):
    with pytest.raises(PermissionDeniedError):
        services.penalty_record(
            round_id=open_round.pk,
            negative_id=negative.pk,
            territory_id=city.node("420302").pk,
            note="暗访发现",
            actor=city.user(role, unit),
        )


# -- re-inspection ---------------------------------------------------------------------------
@pytest.fixture
def problem(open_round):
    # Submitted on a fixed working day, so the case's deadline and the 复查 day do not
    # depend on the day the tests run.
    inspection = inspection_at(open_round, "ROAD-420302001001")
    with clock.at(at(2026, 11, 2, 10, 0)):
        submit(inspection, answers(inspection, fail=(0,)))
    return ItemResult.objects.get(inspection=inspection, result="fail").reinspection


def _handled(case):
    case_sign(case_id=case.pk, actor=None)
    after = photo_of(None)
    case_finish(case_id=case.pk, actor=None, photo_ids=[after])


def test_reinspection_passed_closes_the_handled_case(problem):
    _handled(problem.case)
    done = services.reinspection_record(
        reinspection_id=problem.pk, actor=problem.inspector, passed=True
    )
    problem.case.refresh_from_db()
    assert done.status == ReinspectionStatus.PASSED and problem.case.status == Status.CLOSED


def test_reinspection_failed_sends_the_case_back_to_the_unit(problem):
    _handled(problem.case)
    services.reinspection_record(
        reinspection_id=problem.pk, actor=problem.inspector, passed=False, note="仍有占道"
    )
    problem.case.refresh_from_db()
    assert problem.case.status == Status.IN_PROGRESS and problem.case.rework_count == 1


def test_reinspection_failed_reopens_a_closed_case(city, problem):
    _handled(problem.case)
    case_verify(case_id=problem.case.pk, actor=None, ok=True)
    services.reinspection_record(
        reinspection_id=problem.pk, actor=problem.inspector, passed=False, note="问题反弹"
    )
    problem.case.refresh_from_db()
    assert problem.case.status == Status.REGISTERED and problem.case.reopen_count == 1


def test_reinspection_of_a_case_still_in_hand_is_recorded_only(problem):
    done = services.reinspection_record(
        reinspection_id=problem.pk, actor=problem.inspector, passed=False, note="尚未整改"
    )
    problem.case.refresh_from_db()
    assert done.status == ReinspectionStatus.FAILED and problem.case.status == Status.DISPATCHED
    with pytest.raises(ConflictError):
        services.reinspection_record(
            reinspection_id=problem.pk, actor=problem.inspector, passed=True
        )


@pytest.mark.parametrize("role, unit", [("inspector", "city"), ("street_operator", "420302001")])
def test_reinspection_is_for_its_inspector(city, problem, role, unit):
    with pytest.raises(PermissionDeniedError):
        services.reinspection_record(
            reinspection_id=problem.pk, actor=city.user(role, unit), passed=True
        )


def test_reinspection_failed_needs_a_reason(problem):
    with pytest.raises(ServiceError) as error:
        services.reinspection_record(
            reinspection_id=problem.pk, actor=problem.inspector, passed=False
        )
    assert error.value.field == "note"


def test_sweep_follows_a_postponed_deadline_and_reminds_once(problem):
    from chuangwen.cases.services import case_postpone, case_postpone_decide

    case = problem.case
    with clock.at(at(2026, 11, 2, 11, 0)):
        case_sign(case_id=case.pk, actor=None)
        case_postpone(case_id=case.pk, actor=None, value=16, note="需要采购材料")
        case_postpone_decide(case_id=case.pk, actor=None, approve=True)
    case.refresh_from_db()
    new_day = case.deadline.astimezone(get_calendar().tz).date() + timedelta(days=1)
    assert new_day > problem.due_on
    with clock.at(at(2026, 11, 3, 8, 0)):
        assert services.reinspections_sweep(now=clock.now()) == (1, 0)
    problem.refresh_from_db()
    assert problem.due_on == new_day
    on_the_day = at(new_day.year, new_day.month, new_day.day, 8, 0)
    assert services.reinspections_sweep(now=on_the_day) == (0, 1)
    assert services.reinspections_sweep(now=on_the_day) == (0, 0)
    notice = Notification.objects.get(kind="evaluation.reinspection_due")
    assert notice.recipient_id == problem.inspector_id


@pytest.mark.parametrize("role, unit", NON_PLANNERS)
@pytest.mark.parametrize("step", ["start", "close", "discard", "reassign", "rescore"])
def test_round_steps_are_for_the_city_office(city, registry, admin, open_round, role, unit, step):
    actor = city.user(role, unit)
    draft = plan(registry, admin)
    inspection = inspection_at(open_round, "ROAD-420302001001")
    calls = {
        "start": lambda: services.round_start(round_id=draft.pk, actor=actor),
        "close": lambda: services.round_close(round_id=open_round.pk, actor=actor),
        "discard": lambda: services.round_discard(round_id=draft.pk, actor=actor),
        "reassign": lambda: services.inspection_reassign(
            inspection_id=inspection.pk, inspector_id=registry.inspectors[1].pk, actor=actor
        ),
        "rescore": lambda: services.round_rescore(round_id=open_round.pk, actor=actor),
    }
    with pytest.raises(PermissionDeniedError):
        calls[step]()
    draft.refresh_from_db()
    open_round.refresh_from_db()
    assert (draft.status, open_round.status) == (RoundStatus.DRAFT, RoundStatus.OPEN)


def test_round_steps_refuse_a_stale_version_and_unknown_rounds(admin, open_round):
    with pytest.raises(ConflictError, match="刷新"):
        services.round_close(round_id=open_round.pk, actor=admin, version=open_round.version - 1)
    with pytest.raises(ServiceError, match="不存在"):
        services.round_start(round_id=999999, actor=admin)
    with pytest.raises(ServiceError) as error:
        services.inspection_reassign(
            inspection_id=open_round.inspections.first().pk, inspector_id="x", actor=admin
        )
    assert error.value.message == "所选测评员不存在。"
