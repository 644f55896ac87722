"""Schemes, entered figures, publication and appeals (the story is in conftest.py)."""

from decimal import Decimal

import pytest

from chuangwen.assessment import selectors, services
from chuangwen.assessment.choices import AppealStatus, PublicationStatus
from chuangwen.assessment.models import Appeal, EnteredFigure, Publication, Result, Scheme
from chuangwen.assessment.periods import parse
from chuangwen.cases import services as case_services
from chuangwen.core import clock
from chuangwen.core.errors import ConflictError, PermissionDeniedError, ServiceError
from chuangwen.core.models import AuditEvent
from chuangwen.notifications.models import Notification
from chuangwen.org.choices import Role
from chuangwen.testing.cases import at

from .conftest import DISTRICT_SCHEME, SEPTEMBER, enter_surveys

pytestmark = pytest.mark.django_db

NOT_OFFICE = [
    (Role.LEADER, "city"),
    (Role.DISTRICT_OPERATOR, "420302"),
    (Role.STREET_OPERATOR, "420302001"),
    (Role.COMMUNITY_OPERATOR, "420302001001"),
    (Role.UNIT_HANDLER, "dept"),
    (Role.COLLECTOR, "420302001"),
]


def publish(story, period=SEPTEMBER, subject_type="district"):
    return services.publication_publish(
        period_key=period, subject_type=subject_type, actor=story.office
    )


def result_of(publication, node) -> Result:
    return publication.results.get(subject_id=node.pk)


def appeal(story, result, *, actor, position=1, requested="20", reason="按期结案率统计有误"):
    return services.appeal_file(
        result_id=result.pk,
        component_position=position,
        requested_points=requested,
        reason=reason,
        actor=actor,
    )


# -- schemes -------------------------------------------------------------------------------
def test_scheme_save_makes_a_new_current_version(story):
    first = selectors.current_scheme("district")
    assert first.version == 1 and first.is_current
    assert [c.position for c in first.components.all()] == [1, 2, 3, 4, 5]
    assert first.components.get(position=1).indicator == "on_time_rate"
    assert first.components.get(position=4).target is None  # proportional: no target

    second = services.scheme_save(
        subject_type="district",
        name="区县考评方案(修订)",
        note="提高按期结案率权重",
        components=DISTRICT_SCHEME[:1],
        actor=story.admin,
    )
    first.refresh_from_db()
    assert second.version == 2 and second.is_current and not first.is_current
    assert selectors.current_scheme("district") == second
    assert second.components.count() == 1
    assert first.components.count() == 5  # the old version stays as it was
    event = AuditEvent.objects.get(action="assessment.scheme_save", object_id=str(second.pk))
    assert event.actor == story.admin and event.data["previous"] == first.pk


def test_publications_keep_the_scheme_they_used(story):
    publication = publish(story)
    services.scheme_save(
        subject_type="district", name="新方案", components=DISTRICT_SCHEME[:2], actor=story.admin
    )
    publication.refresh_from_db()
    assert publication.scheme.version == 1
    assert selectors.current_scheme("district").version == 2


@pytest.mark.parametrize(("role", "home"), [(Role.CITY_OPERATOR, "city"), *NOT_OFFICE])
def test_scheme_save_is_for_city_admins_only(story, role, home):
    user = story.city.user(role, home)
    with pytest.raises(PermissionDeniedError):
        services.scheme_save(
            subject_type="district", name="x", components=DISTRICT_SCHEME, actor=user
        )
    assert Scheme.objects.filter(subject_type="district").count() == 1


def _with(index=0, **changes):
    components = [dict(c) for c in DISTRICT_SCHEME]
    components[index].update(changes)
    return components


@pytest.mark.parametrize(
    ("subject_type", "components", "message"),
    [
        ("district", [], "至少要有一个计分项"),
        ("district", _with(indicator="nonsense"), "案件指标“nonsense”不存在"),
        ("district", _with(indicator="valid_report_rate"), "区县没有“有效上报率”这一指标"),
        ("district", _with(rule="deduction"), "只能使用以下计分规则"),
        ("district", _with(1, rule="threshold"), "“返工率”只能使用以下计分规则"),
        ("district", _with(indicator="closed"), "计数指标"),
        ("district", _with(4, rule="threshold", target="90", step="1"), "只能使用以下计分规则"),
        ("district", _with(3, rule="deduction"), "只能使用以下计分规则"),
        ("district", _with(max_points="0"), "分值应大于 0"),
        ("district", _with(max_points="-5"), "分值应大于 0"),
        ("district", _with(max_points="abc"), "分值须为数字"),
        ("district", _with(max_points="101"), "不超过 100 分"),
        ("district", _with(target="120"), "达标率应大于 0% 且不超过 100%"),
        ("district", _with(target="0"), "达标率应大于 0%"),
        ("district", _with(step=""), "请填写扣分步长"),
        ("district", _with(step="0"), "扣分步长应大于 0"),
        ("district", _with(target=None), "请填写目标值"),
        ("district", _with(1, target="-1"), "目标值应在 0 到 100 之间"),
        ("district", _with(1, target="101"), "目标值应在 0 到 100 之间"),
        ("district", _with(kind="weather"), "请选择数据来源"),
        ("district", _with(rule="best"), "请选择计分规则"),
        ("district", [*DISTRICT_SCHEME, DISTRICT_SCHEME[0]], "重复出现"),
        ("district", [*DISTRICT_SCHEME, DISTRICT_SCHEME[2]], "“群众满意度调查”在方案中重复出现"),
        ("staff", [DISTRICT_SCHEME[3]], "一线人员不能使用“测评得分率”"),
        ("nobody", DISTRICT_SCHEME, "请选择考评对象类型"),
    ],
)
def test_scheme_save_refuses_bad_components(story, subject_type, components, message):
    with pytest.raises(ServiceError) as error:
        services.scheme_save(
            subject_type=subject_type, name="新方案", components=components, actor=story.admin
        )
    assert message in error.value.message
    assert Scheme.objects.filter(subject_type="district").count() == 1


def test_scheme_save_needs_a_name(story):
    with pytest.raises(ServiceError) as error:
        services.scheme_save(
            subject_type="district", name="  ", components=DISTRICT_SCHEME, actor=story.admin
        )
    assert error.value.field == "name"


def test_lower_better_counts_may_exceed_one_hundred(story):
    scheme = services.scheme_save(
        subject_type="unit",
        name="责任单位考评方案",
        components=[
            {
                "kind": "case_indicator",
                "indicator": "overdue",
                "max_points": "10",
                "rule": "lower_better",
                "target": "150",
                "step": "0.1",
            }
        ],
        actor=story.admin,
    )
    only = scheme.components.get()
    assert only.label == "超时数" and only.target == Decimal("150.00")


# -- entered figures -----------------------------------------------------------------------
def test_figure_enter_creates_then_corrects_with_a_trace(story):
    figure = services.figure_enter(
        period_key=SEPTEMBER,
        subject_type="district",
        subject_id=story.maojian,
        kind="material",
        value="92.5",
        note="材料审核",
        actor=story.office,
    )
    assert figure.value == Decimal("92.50") and figure.entered_by == story.office
    again = services.figure_enter(
        period_key=SEPTEMBER,
        subject_type="district",
        subject_id=story.maojian,
        kind="material",
        value=88,
        actor=story.office,
    )
    assert again.pk == figure.pk and again.value == Decimal("88.00")
    events = AuditEvent.objects.filter(action="assessment.figure_enter").order_by("id")
    assert [(e.data["before"], e.data["after"]) for e in events] == [
        (None, "92.50"),
        ("92.50", "88.00"),
    ]
    figures = selectors.entered_figures(
        period_key=SEPTEMBER, subject_type="district", kind="material"
    )
    assert set(figures) == {story.maojian}


def test_figures_enter_takes_a_whole_table_in_one_write(story):
    values = EnteredFigure.objects.filter(kind="survey").order_by("subject_id")
    assert [v.value for v in values] == [Decimal("85.00"), Decimal("95.00")]
    event = AuditEvent.objects.get(action="assessment.figures_enter")
    assert event.data["values"][str(story.maojian)] == [None, "85.00"]
    enter_surveys(story, maojian="86")
    assert EnteredFigure.objects.get(kind="survey", subject_id=story.maojian).value == Decimal(
        "86.00"
    )
    assert EnteredFigure.objects.filter(kind="survey").count() == 2


def test_figures_enter_is_all_or_nothing(story):
    with pytest.raises(ServiceError) as error:
        services.figures_enter(
            period_key="2026-08",
            subject_type="district",
            kind="survey",
            values={story.maojian: "90", story.zhangwan: "190"},
            actor=story.office,
        )
    assert error.value.message.startswith("张湾区:")
    assert not EnteredFigure.objects.filter(period_key="2026-08").exists()


@pytest.mark.parametrize(("role", "home"), NOT_OFFICE)
def test_figure_enter_is_for_the_office(story, role, home):
    with pytest.raises(PermissionDeniedError):
        services.figure_enter(
            period_key=SEPTEMBER,
            subject_type="district",
            subject_id=story.maojian,
            kind="material",
            value="90",
            actor=story.city.user(role, home),
        )
    assert not EnteredFigure.objects.filter(kind="material").exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"value": "101"}, "0 到 100 之间"),
        ({"value": "-1"}, "0 到 100 之间"),
        ({"value": "九十"}, "数值须为数字"),
        ({"value": "90.123"}, "最多保留 2 位小数"),
        ({"kind": "penalty"}, "只能录入群众满意度调查和网申材料完整率"),
        ({"subject_id": 999999}, "考评对象不存在"),
        ({"period_key": "2026-13"}, "考评周期格式不正确"),
        ({"period_key": "2026-11"}, "尚未开始"),
        ({"subject_type": "galaxy"}, "请选择考评对象类型"),
    ],
)
def test_figure_enter_refuses_bad_input(story, changes, message):
    values = {
        "period_key": SEPTEMBER,
        "subject_type": "district",
        "subject_id": story.maojian,
        "kind": "material",
        "value": "90",
        "actor": story.office,
        **changes,
    }
    with pytest.raises(ServiceError) as error:
        services.figure_enter(**values)
    assert message in error.value.message
    assert not EnteredFigure.objects.filter(kind="material").exists()


def test_figures_of_a_published_period_are_locked(story):
    publish(story)
    with pytest.raises(ConflictError):
        enter_surveys(story, maojian="99")
    assert EnteredFigure.objects.get(kind="survey", subject_id=story.maojian).value == Decimal(
        "85.00"
    )


# -- publication ---------------------------------------------------------------------------
def test_publish_freezes_the_draft(story):
    publication = publish(story)
    assert publication.status == PublicationStatus.PUBLISHED
    assert publication.period_kind == "month"
    assert publication.computed_at == clock.now() and publication.published_by == story.office
    maojian = result_of(publication, story.node("420302"))
    zhangwan = result_of(publication, story.node("420303"))
    assert (maojian.total, maojian.rank) == (Decimal("75.00"), 1)
    assert (zhangwan.total, zhangwan.rank) == (Decimal("60.00"), 2)
    assert (maojian.final_total, maojian.final_rank, maojian.adjustment) == (
        Decimal("75.00"),
        1,
        Decimal("0"),
    )
    assert maojian.indicators["on_time_rate"] == 50.0 and maojian.indicators["due"] == 2
    first = maojian.components[0]
    assert first["points"] == "20.00" and first["max_points"] == "40.00"
    assert first["explanation"] == (
        "按期结案率 50.00%,目标 90%,低 40.00 个百分点 × 0.5 分 = 扣 20.00 分"
    )
    assert "扣完为止" in zhangwan.components[0]["explanation"]
    assert maojian.territory_path == story.node("420302").path
    assert AuditEvent.objects.filter(action="assessment.publish", object_id=str(publication.pk))


def test_published_totals_do_not_move_when_cases_change(story):
    publication = publish(story)
    # October: M2's verification fails, so September's 返工率 of 茅箭区 becomes 50 %.
    case_services.case_verify(
        case_id=story.cases["M2"].pk, actor=story.collector, ok=False, note="井盖仍未盖好"
    )
    draft = {
        line.subject_code: line
        for line in selectors.draft_lines(period=parse(SEPTEMBER), subject_type="district")
    }
    assert draft["420302"].indicators["rework_rate"] == 50.0
    assert draft["420302"].total == Decimal("65.00")  # 返工率 loses its 10 points
    result = result_of(publication, story.node("420302"))
    assert result.total == Decimal("75.00") and result.indicators["rework_rate"] == 0.0
    shown = selectors.results_for(user=story.office, period_key=SEPTEMBER, subject_type="district")
    assert shown.publication == publication
    assert [line.final_total for line in shown.lines] == [Decimal("75.00"), Decimal("60.00")]


def test_a_second_publish_is_refused(story):
    publish(story)
    with pytest.raises(ConflictError) as error:
        publish(story)
    assert "请先撤回" in error.value.message
    assert Publication.objects.count() == 1


def test_withdraw_then_publish_again(story):
    first = publish(story)
    withdrawn = services.publication_withdraw(
        publication_id=first.pk, actor=story.office, reason="满意度数据录入有误"
    )
    assert withdrawn.status == PublicationStatus.WITHDRAWN
    assert withdrawn.withdrawn_by == story.office and withdrawn.withdraw_reason
    enter_surveys(story, maojian="95")  # the figures are open again
    second = publish(story)
    assert second.pk != first.pk
    assert result_of(second, story.node("420302")).total == Decimal("80.00")
    assert result_of(first, story.node("420302")).total == Decimal("75.00")
    assert selectors.published(SEPTEMBER, "district") == second
    with pytest.raises(ConflictError):
        services.publication_withdraw(publication_id=first.pk, actor=story.office, reason="再撤")


@pytest.mark.parametrize(("role", "home"), NOT_OFFICE)
def test_publish_and_withdraw_are_for_the_office(story, role, home):
    user = story.city.user(role, home)
    with pytest.raises(PermissionDeniedError):
        services.publication_publish(period_key=SEPTEMBER, subject_type="district", actor=user)
    publication = publish(story)
    with pytest.raises(PermissionDeniedError):
        services.publication_withdraw(publication_id=publication.pk, actor=user, reason="不对")
    publication.refresh_from_db()
    assert publication.status == PublicationStatus.PUBLISHED


def test_publish_refuses_a_period_not_yet_over(story):
    with pytest.raises(ServiceError) as error:
        publish(story, period="2026-10")
    assert "尚未结束" in error.value.message
    with pytest.raises(ServiceError):
        publish(story, period="2026-Q4")


def test_publish_refuses_missing_entered_figures(story):
    with pytest.raises(ConflictError) as error:
        publish(story, period="2026-08")
    assert "群众满意度调查 2 个" in error.value.message
    enter_surveys(story, period_key="2026-08")
    assert publish(story, period="2026-08").results.count() == 2


def test_publish_needs_a_scheme_and_a_valid_request(story):
    with pytest.raises(ServiceError) as error:
        publish(story, subject_type="community")
    assert "尚未制定社区考评方案" in error.value.message
    with pytest.raises(ServiceError) as error:
        publish(story, period="September")
    assert error.value.field == "period"
    with pytest.raises(ServiceError) as error:
        publish(story, subject_type="planet")
    assert error.value.field == "subject_type"
    assert not Publication.objects.exists()


def test_withdraw_needs_a_reason_and_no_pending_appeal(story):
    publication = publish(story)
    with pytest.raises(ServiceError):
        services.publication_withdraw(publication_id=publication.pk, actor=story.office, reason="")
    zhangwan = story.city.user(Role.DISTRICT_OPERATOR, "420303")
    appeal(story, result_of(publication, story.node("420303")), actor=zhangwan)
    with pytest.raises(ConflictError) as error:
        services.publication_withdraw(
            publication_id=publication.pk, actor=story.office, reason="重算"
        )
    assert "1 件申诉待审核" in error.value.message


def test_quarters_and_years_publish_the_same_way(story):
    enter_surveys(story, period_key="2026-Q3")
    quarter = publish(story, period="2026-Q3")
    assert quarter.period_kind == "quarter"
    assert result_of(quarter, story.node("420302")).total == Decimal("75.00")
    enter_surveys(story, period_key="2026-B5")
    with pytest.raises(ServiceError):
        publish(story, period="2026-B5")  # September–October is not over
    enter_surveys(story, period_key="2026-B4", maojian="80")
    two_months = publish(story, period="2026-B4")  # July–August: nothing was due
    assert two_months.period_kind == "bimonth"
    assert [(r.subject_code, r.total, r.rank) for r in two_months.results.all()] == [
        ("420303", Decimal("100.00"), 1),
        ("420302", Decimal("90.00"), 2),
    ]
    with clock.at(at(2027, 1, 4, 9, 0)):
        enter_surveys(story, period_key="2026")
        year = publish(story, period="2026")
    assert year.period_kind == "year" and year.results.count() == 2


# -- appeals -------------------------------------------------------------------------------
@pytest.fixture
def published(story):
    return publish(story)


@pytest.fixture
def zhangwan_operator(story):
    return story.city.user(Role.DISTRICT_OPERATOR, "420303")


def test_appeal_file_records_the_component(story, published, zhangwan_operator):
    result = result_of(published, story.node("420303"))
    filed = appeal(story, result, actor=zhangwan_operator, requested="12.5")
    assert filed.status == AppealStatus.PENDING
    assert filed.component_label == "按期结案率" and filed.requested_points == Decimal("12.50")
    assert filed.filed_by == zhangwan_operator and filed.filed_at == clock.now()
    assert AuditEvent.objects.filter(action="assessment.appeal_file", object_id=str(filed.pk))
    notice = Notification.objects.get(recipient=story.office, kind="assessment.appeal_filed")
    assert notice.url == "/assessment/appeals/?status=pending"
    result.refresh_from_db()
    assert result.final_total == Decimal("60.00")  # nothing moves until the office decides


def test_a_unit_appeals_against_its_own_result(story, admin):
    services.scheme_save(
        subject_type="unit",
        name="责任单位考评方案",
        components=[DISTRICT_SCHEME[0]],
        actor=admin,
    )
    publication = publish(story, subject_type="unit")
    water = story.cases["M1"].unit
    result = publication.results.get(subject_id=water.pk)
    assert result.unit_id == water.pk
    filed = appeal(story, result, actor=story.water, requested="5")
    assert filed.result == result


@pytest.mark.parametrize(
    ("role", "home"),
    [
        (Role.CITY_ADMIN, "city"),
        (Role.CITY_OPERATOR, "city"),
        (Role.LEADER, "city"),
        (Role.DISTRICT_OPERATOR, "420302"),
        (Role.STREET_OPERATOR, "420302001"),
        (Role.STREET_OPERATOR, "420303001"),
        (Role.COMMUNITY_OPERATOR, "420303001001"),
        (Role.UNIT_HANDLER, "420303"),
        (Role.UNIT_HANDLER, "dept"),
        (Role.COLLECTOR, "420303001"),
        (Role.INSPECTOR, "city"),
    ],
)
def test_appeal_file_refused_to_anyone_but_the_subject(story, published, role, home):
    result = result_of(published, story.node("420303"))
    with pytest.raises(ServiceError):
        appeal(story, result, actor=story.city.user(role, home))
    assert not Appeal.objects.exists()


@pytest.mark.parametrize(
    ("position", "requested", "reason", "message"),
    [
        (1, "40.01", "有误", "不能超过该项失分 40 分"),
        (1, "0", "有误", "须大于 0"),
        (1, "-3", "有误", "须大于 0"),
        (1, "三分", "有误", "须为数字"),
        (1, "1.234", "有误", "最多保留 2 位小数"),
        (2, "1", "有误", "“返工率”未失分"),
        (9, "1", "有误", "请选择要申诉的计分项"),
        ("x", "1", "有误", "请选择要申诉的计分项"),
        (1, "5", "  ", "请填写申诉理由"),
    ],
)
def test_appeal_file_refuses_bad_input(
    story, published, zhangwan_operator, position, requested, reason, message
):
    result = result_of(published, story.node("420303"))
    with pytest.raises(ServiceError) as error:
        appeal(
            story,
            result,
            actor=zhangwan_operator,
            position=position,
            requested=requested,
            reason=reason,
        )
    assert message in error.value.message
    assert not Appeal.objects.exists()


def test_one_pending_appeal_per_component(story, published, zhangwan_operator):
    result = result_of(published, story.node("420303"))
    appeal(story, result, actor=zhangwan_operator, requested="5")
    with pytest.raises(ConflictError) as error:
        appeal(story, result, actor=zhangwan_operator, requested="5")
    assert "已有待审核的申诉" in error.value.message
    assert Appeal.objects.count() == 1


def test_appeal_refused_on_a_withdrawn_publication(story, published, zhangwan_operator):
    services.publication_withdraw(publication_id=published.pk, actor=story.office, reason="重算")
    with pytest.raises(ConflictError, match="已撤回,不能申诉;重新发布后"):
        appeal(story, result_of(published, story.node("420303")), actor=zhangwan_operator)
    assert not Appeal.objects.exists()


def test_accepted_appeal_re_ranks_and_leaves_the_trace(story, published, zhangwan_operator):
    maojian = result_of(published, story.node("420302"))
    zhangwan = result_of(published, story.node("420303"))
    filed = appeal(story, zhangwan, actor=zhangwan_operator, requested="20")
    decided = services.appeal_decide(
        appeal_id=filed.pk,
        actor=story.office,
        status=AppealStatus.ACCEPTED,
        note="经核实,Z1 为跨区误派",
        version=filed.version,
    )
    assert decided.status == AppealStatus.ACCEPTED and decided.granted_points == Decimal("20.00")
    assert (decided.total_before, decided.rank_before) == (Decimal("60.00"), 2)
    assert (decided.total_after, decided.rank_after) == (Decimal("80.00"), 1)
    assert decided.decided_by == story.office and decided.version == filed.version + 1
    zhangwan.refresh_from_db()
    maojian.refresh_from_db()
    # The frozen total and rank stay; the adjustment sits beside them.
    assert (zhangwan.total, zhangwan.rank) == (Decimal("60.00"), 2)
    assert (zhangwan.adjustment, zhangwan.final_total, zhangwan.final_rank) == (
        Decimal("20.00"),
        Decimal("80.00"),
        1,
    )
    assert (maojian.final_total, maojian.final_rank, maojian.rank) == (Decimal("75.00"), 2, 1)
    event = AuditEvent.objects.get(action="assessment.appeal_decide")
    assert event.data["rank_before"] == 2 and event.data["rank_after"] == 1
    assert event.data["reranked"] == [maojian.pk]
    notice = Notification.objects.get(recipient=zhangwan_operator, kind="assessment.appeal_decided")
    assert notice.url == f"/assessment/results/{zhangwan.pk}/"
    shown = selectors.results_for(user=story.office, period_key=SEPTEMBER, subject_type="district")
    assert [(line.subject_code, line.final_rank) for line in shown.lines] == [
        ("420303", 1),
        ("420302", 2),
    ]


def test_partial_appeal_grants_some_points(story, published, zhangwan_operator):
    zhangwan = result_of(published, story.node("420303"))
    filed = appeal(story, zhangwan, actor=zhangwan_operator, requested="20")
    decided = services.appeal_decide(
        appeal_id=filed.pk,
        actor=story.office,
        status=AppealStatus.PARTIAL,
        granted_points="10",
        note="仅部分属实",
    )
    assert decided.granted_points == Decimal("10.00")
    assert (decided.total_after, decided.rank_after) == (Decimal("70.00"), 2)
    # What is left of the component's loss may be appealed again, no more.
    with pytest.raises(ServiceError) as error:
        appeal(story, zhangwan, actor=zhangwan_operator, requested="30.01")
    assert "不能超过该项尚未恢复的失分 30 分" in error.value.message
    again = appeal(story, zhangwan, actor=zhangwan_operator, requested="30")
    services.appeal_decide(
        appeal_id=again.pk, actor=story.office, status=AppealStatus.ACCEPTED, note=""
    )
    zhangwan.refresh_from_db()
    assert zhangwan.adjustment == Decimal("40.00") and zhangwan.final_total == Decimal("100.00")
    with pytest.raises(ServiceError) as error:
        appeal(story, zhangwan, actor=zhangwan_operator, requested="1")
    assert "已全部经申诉恢复" in error.value.message


def test_rejected_appeal_changes_nothing_but_is_traced(story, published, zhangwan_operator):
    zhangwan = result_of(published, story.node("420303"))
    filed = appeal(story, zhangwan, actor=zhangwan_operator, requested="20")
    decided = services.appeal_decide(
        appeal_id=filed.pk, actor=story.office, status=AppealStatus.REJECTED, note="证据不足"
    )
    assert decided.granted_points == Decimal("0")
    assert (decided.total_before, decided.total_after) == (Decimal("60.00"), Decimal("60.00"))
    assert (decided.rank_before, decided.rank_after) == (2, 2)
    zhangwan.refresh_from_db()
    assert zhangwan.final_total == Decimal("60.00") and zhangwan.adjustment == Decimal("0")


@pytest.mark.parametrize(
    ("status", "granted", "note", "message"),
    [
        (AppealStatus.PARTIAL, "20", "部分属实", "应大于 0 且小于申请的 20 分"),
        (AppealStatus.PARTIAL, "0", "部分属实", "应大于 0"),
        (AppealStatus.PARTIAL, None, "部分属实", "须填写核准恢复分值"),
        (AppealStatus.PARTIAL, "5", "", "请填写审核意见"),
        (AppealStatus.REJECTED, None, "", "请填写审核意见"),
        (AppealStatus.PENDING, None, "再看看", "请选择审核结论"),
        ("maybe", None, "再看看", "请选择审核结论"),
    ],
)
def test_appeal_decide_refuses_bad_input(
    story, published, zhangwan_operator, status, granted, note, message
):
    filed = appeal(story, result_of(published, story.node("420303")), actor=zhangwan_operator)
    with pytest.raises(ServiceError) as error:
        services.appeal_decide(
            appeal_id=filed.pk,
            actor=story.office,
            status=status,
            granted_points=granted,
            note=note,
        )
    assert message in error.value.message
    filed.refresh_from_db()
    assert filed.status == AppealStatus.PENDING


def test_appeal_is_decided_once_and_at_the_version_read(story, published, zhangwan_operator):
    filed = appeal(story, result_of(published, story.node("420303")), actor=zhangwan_operator)
    with pytest.raises(ConflictError):
        services.appeal_decide(
            appeal_id=filed.pk,
            actor=story.office,
            status=AppealStatus.ACCEPTED,
            version=filed.version + 1,
        )
    services.appeal_decide(appeal_id=filed.pk, actor=story.office, status=AppealStatus.ACCEPTED)
    with pytest.raises(ConflictError) as error:
        services.appeal_decide(
            appeal_id=filed.pk, actor=story.office, status=AppealStatus.REJECTED, note="改判"
        )
    assert "已审核" in error.value.message
    result = result_of(published, story.node("420303"))
    assert result.adjustment == Decimal("20.00")


@pytest.mark.parametrize(("role", "home"), [*NOT_OFFICE, (Role.DISTRICT_OPERATOR, "420303")])
def test_appeal_decide_is_for_the_office(story, published, zhangwan_operator, role, home):
    filed = appeal(story, result_of(published, story.node("420303")), actor=zhangwan_operator)
    with pytest.raises(PermissionDeniedError):
        services.appeal_decide(
            appeal_id=filed.pk, actor=story.city.user(role, home), status=AppealStatus.ACCEPTED
        )
    filed.refresh_from_db()
    assert filed.status == AppealStatus.PENDING
