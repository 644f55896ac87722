from decimal import Decimal

import pytest

from chuangwen.cases import services
from chuangwen.cases.choices import Action, Channel, Stage, Status
from chuangwen.cases.models import Case, CaseEvent, Postponement
from chuangwen.cases.selectors import allowed_actions, reporter_view
from chuangwen.core import clock, outbox
from chuangwen.core.errors import ConflictError, PermissionDeniedError, ServiceError
from chuangwen.core.models import OutboxMessage
from chuangwen.org.choices import Role
from chuangwen.testing.cases import MAOJIAN, ZHANGWAN, after_photo, at
from chuangwen.testing.city import ROLE_HOMES

pytestmark = pytest.mark.django_db


def report(actor, category="B0102", where=MAOJIAN, **kwargs):
    kwargs.setdefault("description", "人行道上井盖缺失,有行人跌落危险")
    return services.case_report(
        category=category, lat=where[0], lng=where[1], actor=actor, **kwargs
    ).case


def test_trusted_report_is_registered_and_auto_dispatched_with_emergency_deadline(people):
    with clock.at(at(2026, 10, 1, 9, 0)):  # a holiday: emergency hours run anyway
        case = report(people["collector"])
    assert case.status == Status.DISPATCHED
    assert case.unit.name == "市水务集团"
    assert case.standard.code == "B0102-01"
    assert case.deadline == at(2026, 10, 1, 11, 0)
    assert case.red_at == at(2026, 10, 1, 12, 0)
    assert case.district.code == "420302" and case.grid.code == "420302001001001"
    assert [e.action for e in case.events.all()] == [Action.REPORT, Action.ACCEPT, Action.DISPATCH]
    assert case.stage == Stage.HANDLE and case.stage_deadline == case.deadline


def test_work_hour_standard_deadline_skips_the_national_day_holiday(people):
    with clock.at(at(2026, 9, 30, 17, 0)):
        case = report(people["collector"], category="B0102-02", description="井盖破损")
    # One hour on 30 September, then the holiday until the 8th (2026 schedule).
    assert case.deadline == at(2026, 10, 8, 11, 0)


def test_most_specific_rule_wins_and_fallback_is_only_a_suggestion(people, city):
    garbage_maojian = report(people["collector"], category="E0102", description="暴露垃圾")
    assert garbage_maojian.unit == city.units["420302"]
    stall = report(people["collector"], category="E0502", description="占道经营")
    assert stall.status == Status.REGISTERED and stall.unit is None
    assert stall.suggested_unit == city.units["dept"]
    litter = report(people["collector"], category="W0101", description="乱扔垃圾")
    assert litter.status == Status.REGISTERED
    # 属地兜底: the community committee of the grid's community.
    assert litter.suggested_unit == city.units["420302001001"]


def test_citizen_channel_waits_for_acceptance(people):
    case = report(None, channel=Channel.PORTAL)
    assert case.status == Status.REPORTED and case.stage == Stage.ACCEPT
    assert case.stage_deadline is not None


def test_idempotency_key_returns_the_first_case(people):
    first = services.case_report(
        category="B0102",
        description="井盖缺失",
        lat=MAOJIAN[0],
        lng=MAOJIAN[1],
        actor=people["collector"],
        idempotency_key="k-1",
    )
    second = services.case_report(
        category="B0102",
        description="井盖缺失(重发)",
        lat=MAOJIAN[0],
        lng=MAOJIAN[1],
        actor=people["collector"],
        idempotency_key="k-1",
    )
    assert first.created and not second.created
    assert first.case.pk == second.case.pk
    assert Case.objects.count() == 1


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"lat": 39.9, "lng": 116.4}, "不在本市范围内"),
        ({"lat": "abc", "lng": 110.0}, "坐标格式不正确"),
        ({"lat": 95, "lng": 110.0}, "纬度"),
        ({"lat": float("nan"), "lng": 110.0}, "有限数字"),
        ({"category": "X9999"}, "未知的案件类别"),
        ({"category": "B01"}, "是大类"),
        ({"category": ""}, "请选择案件类别"),
        ({"description": "   "}, "请填写问题描述"),
        ({"description": "长" * 2001}, "不能超过"),
        ({"channel": "fax"}, "未知的来源渠道"),
        ({"reporter_phone": "13800abc"}, "电话"),
    ],
)
def test_intake_refuses_bad_input(people, kwargs, message):
    args = {"category": "B0102", "description": "井盖缺失", "lat": MAOJIAN[0], "lng": MAOJIAN[1]}
    args.update(kwargs)
    with pytest.raises(ServiceError) as info:
        services.case_report(actor=people["collector"], **args)
    assert message in info.value.message
    assert Case.objects.count() == 0


def test_outside_city_is_a_422(people):
    with pytest.raises(services.OutsideCityError) as info:
        report(people["collector"], where=(39.9, 116.4))
    assert info.value.status_code == 422


def test_user_without_any_role_cannot_report(db, catalogue):
    from chuangwen.testing.factories import UserFactory

    with pytest.raises(PermissionDeniedError):
        report(UserFactory())


def test_full_loop_records_every_step_and_stage_times(people):
    with clock.at(at(2026, 11, 2, 9, 0)):  # a Monday
        case = report(None, channel=Channel.PORTAL)
    with clock.at(at(2026, 11, 2, 9, 30)):
        services.case_accept(case_id=case.pk, actor=people["operator"])
    with clock.at(at(2026, 11, 2, 10, 0)):
        services.case_dispatch(case_id=case.pk, actor=people["operator"])
    with clock.at(at(2026, 11, 2, 10, 15)):
        services.case_sign(case_id=case.pk, actor=people["water"])
    photo = after_photo(people["water"])
    with clock.at(at(2026, 11, 2, 11, 0)):
        services.case_finish(
            case_id=case.pk, actor=people["water"], photo_ids=[photo.pk], note="已补装井盖"
        )
    with clock.at(at(2026, 11, 2, 14, 30)):
        services.case_verify(
            case_id=case.pk, actor=people["collector"], ok=True, note="现场核查已恢复"
        )
    case.refresh_from_db()
    assert case.status == Status.CLOSED
    assert case.closed_on_time is True
    assert case.accept_minutes == 30
    assert case.dispatch_minutes == 30
    assert case.handle_minutes == 60
    assert case.verify_minutes == 90  # 11:00–12:00 and 14:00–14:30 on the work clock
    assert case.version == 6
    steps = list(case.events.values_list("action", "from_status", "to_status"))
    assert steps == [
        ("report", "", "reported"),
        ("accept", "reported", "registered"),
        ("dispatch", "registered", "dispatched"),
        ("sign", "dispatched", "in_progress"),
        ("finish", "in_progress", "handled"),
        ("verify_ok", "handled", "closed"),
    ]
    # The steps' side effects (the notices) went to the outbox, each to a real consumer.
    outbox.discover()
    topics = set(OutboxMessage.objects.values_list("topic", flat=True))
    assert topics and topics <= outbox.handled_topics()


def test_rework_send_back_and_postponement(people, city):
    with clock.at(at(2026, 11, 2, 9, 0)):
        case = report(people["collector"], category="B0102-02", description="井盖破损")
        assert case.deadline == at(2026, 11, 2, 15, 0)
        with pytest.raises(ServiceError, match="回退理由"):
            services.case_send_back(case_id=case.pk, actor=people["water"], note=" ")
        services.case_send_back(case_id=case.pk, actor=people["water"], note="该井盖属燃气公司")
    case.refresh_from_db()
    assert case.status == Status.REGISTERED and case.unit is None and case.deadline is None
    assert case.send_back_count == 1
    with clock.at(at(2026, 11, 2, 10, 0)):
        services.case_dispatch(
            case_id=case.pk, actor=people["operator"], unit_id=city.units["water"].pk
        )
        services.case_sign(case_id=case.pk, actor=people["water"])
        services.case_postpone(case_id=case.pk, actor=people["water"], value=4, note="需要定制井盖")
        with pytest.raises(ConflictError):
            services.case_postpone(case_id=case.pk, actor=people["water"], value=2, note="再延")
    with clock.at(at(2026, 11, 2, 11, 0)):
        services.case_postpone_decide(case_id=case.pk, actor=people["operator"], approve=True)
    case.refresh_from_db()
    assert case.extension_value == Decimal("4.0") and case.postpone_count == 1
    assert case.deadline == at(2026, 11, 3, 10, 0)  # 10:00 + 8 working hours
    photo = after_photo(people["water"])
    with clock.at(at(2026, 11, 2, 15, 0)):
        services.case_finish(case_id=case.pk, actor=people["water"], photo_ids=[photo.pk])
        services.case_verify(
            case_id=case.pk, actor=people["collector"], ok=False, note="井盖仍有松动"
        )
    case.refresh_from_db()
    assert case.status == Status.IN_PROGRESS and case.rework_count == 1
    assert Postponement.objects.get(case=case).status == "approved"


def test_finish_needs_an_after_photo(people):
    case = report(people["collector"])
    services.case_sign(case_id=case.pk, actor=people["water"])
    with pytest.raises(ServiceError, match="处置后的照片"):
        services.case_finish(case_id=case.pk, actor=people["water"])
    stranger_photo = after_photo(people["dept"])
    with pytest.raises(ServiceError, match="不是您上传的"):
        services.case_finish(case_id=case.pk, actor=people["water"], photo_ids=[stranger_photo.pk])


def test_stale_version_and_second_signature_get_409(people):
    case = report(people["collector"])
    services.case_sign(case_id=case.pk, actor=people["water"], version=case.version)
    with pytest.raises(ConflictError):
        services.case_sign(case_id=case.pk, actor=people["water"], version=case.version)
    with pytest.raises(ConflictError):
        services.case_sign(case_id=case.pk, actor=people["water"])


def test_cancel_and_reopen_rules(people):
    case = report(people["collector"])
    with pytest.raises(PermissionDeniedError):
        services.case_cancel(case_id=case.pk, actor=people["district"], note="重复")
    services.case_cancel(case_id=case.pk, actor=people["operator"], note="重复上报")
    case.refresh_from_db()
    assert case.status == Status.CANCELLED

    with clock.at(at(2026, 11, 2, 9, 0)):
        other = report(people["collector"])
        services.case_sign(case_id=other.pk, actor=people["water"])
        photo = after_photo(people["water"])
        services.case_finish(case_id=other.pk, actor=people["water"], photo_ids=[photo.pk])
        services.case_verify(case_id=other.pk, actor=people["operator"], ok=True)
    with clock.at(at(2026, 11, 20, 9, 0)), pytest.raises(ConflictError, match="7 天"):
        services.case_reopen(case_id=other.pk, actor=people["operator"], note="市民不满意")
    with clock.at(at(2026, 11, 5, 9, 0)):
        services.case_reopen(case_id=other.pk, actor=people["operator"], note="市民不满意")
    other.refresh_from_db()
    assert other.status == Status.REGISTERED and other.reopen_count == 1
    assert other.suggested_unit.name == "市水务集团" and other.closed_at is None


ROLES_WITHOUT_DISPATCH = [
    r
    for r in Role
    if r
    not in (
        Role.CITY_ADMIN,
        Role.CITY_OPERATOR,
        Role.DISTRICT_OPERATOR,
        Role.STREET_OPERATOR,
        Role.COMMUNITY_OPERATOR,
    )
]


@pytest.mark.parametrize("role", ROLES_WITHOUT_DISPATCH)
def test_roles_without_change_rights_cannot_dispatch(people, city, role):
    case = report(people["collector"], category="E0502")
    user = city.user(role, ROLE_HOMES[role])
    with pytest.raises(ServiceError) as info:
        services.case_dispatch(case_id=case.pk, actor=user)
    # Outside the scope the case does not exist; inside it the step is refused.
    assert info.value.status_code in (400, 403)
    assert Case.objects.get(pk=case.pk).status == Status.REGISTERED


@pytest.mark.parametrize(
    "role", [Role.STREET_OPERATOR, Role.COMMUNITY_OPERATOR, Role.DISTRICT_OPERATOR]
)
def test_other_territorys_operators_do_not_see_the_case(people, city, role):
    case = report(people["collector"], category="E0502", where=ZHANGWAN)
    with pytest.raises(ServiceError, match="案件不存在"):
        services.case_dispatch(case_id=case.pk, actor=city.user(role, ROLE_HOMES[role]))


def test_only_the_responsible_unit_signs(people):
    case = report(people["collector"])
    for outsider in (people["dept"], people["operator"], people["collector"]):
        with pytest.raises(ServiceError):
            services.case_sign(case_id=case.pk, actor=outsider)
    assert allowed_actions(user=people["water"], case=case) == ["sign", "send_back"]
    assert "cancel" in allowed_actions(user=people["operator"], case=case)
    assert allowed_actions(user=people["collector"], case=case) == []


def test_reporter_identity_is_masked_outside_the_city_office(people):
    case = report(people["collector"], reporter_name="王小明", reporter_phone="13812341234")
    assert reporter_view(user=people["operator"], case=case)["phone"] == "13812341234"
    masked = reporter_view(user=people["water"], case=case)
    assert masked == {"name": "王**", "phone": "138****1234", "masked": True}
    assert reporter_view(user=people["district"], case=case)["phone"] == "138****1234"


def test_unknown_action_is_refused(people):
    case = report(people["collector"])
    with pytest.raises(ServiceError, match="未知的操作"):
        services.case_transition(case_id=case.pk, action="teleport", actor=people["operator"])
    assert CaseEvent.objects.filter(case=case).count() == 3
