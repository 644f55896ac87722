from unittest import mock

import pytest

from chuangwen.cases import services
from chuangwen.cases.choices import OverdueLevel, SupervisionKind, SupervisionStatus
from chuangwen.cases.models import Accountability, Case, Supervision
from chuangwen.core import clock
from chuangwen.core.errors import ConflictError, PermissionDeniedError, ServiceError
from chuangwen.core.outbox import discover, run_due_jobs
from chuangwen.org.choices import Role
from chuangwen.testing.cases import MAOJIAN, at
from chuangwen.testing.city import ROLE_HOMES

pytestmark = pytest.mark.django_db


def open_cases(people, n=3):
    with clock.at(at(2026, 11, 2, 9, 0)):  # 2 emergency hours: deadline 11:00, red 12:00
        return [
            services.case_report(
                category="B0102",
                description=f"井盖缺失{i}",
                lat=MAOJIAN[0],
                lng=MAOJIAN[1],
                actor=people["collector"],
            ).case
            for i in range(n)
        ]


def test_sweep_lights_yellow_then_red_once_each(people, city):
    cases = open_cases(people)
    assert services.supervise_overdue(now=at(2026, 11, 2, 10, 59)) == 0
    assert services.supervise_overdue(now=at(2026, 11, 2, 11, 0)) == 3
    assert services.supervise_overdue(now=at(2026, 11, 2, 11, 30)) == 0
    assert set(Case.objects.values_list("overdue_level", flat=True)) == {OverdueLevel.YELLOW}
    assert services.supervise_overdue(now=at(2026, 11, 2, 12, 0)) == 3
    assert services.supervise_overdue(now=at(2026, 11, 3, 12, 0)) == 0
    orders = Supervision.objects.filter(kind=SupervisionKind.OVERDUE)
    assert orders.count() == 6
    for case in cases:
        assert sorted(orders.filter(case=case).values_list("level", flat=True)) == [1, 2]
    order = orders.first()
    assert order.unit == city.units["water"]
    assert order.superior_unit == city.units["city"]  # no parent unit: the city office
    # Every order is on the case's record and notified to the unit.
    assert cases[0].events.filter(action="supervise").count() == 2


def test_sweep_killed_halfway_then_rerun_issues_each_order_once(people):
    open_cases(people)
    real_issue = services.supervision._issue
    calls = {"n": 0}

    def dying(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise KeyboardInterrupt("worker killed")
        return real_issue(*args, **kwargs)

    with (
        mock.patch.object(services.supervision, "_issue", side_effect=dying),
        pytest.raises(KeyboardInterrupt),
    ):
        services.supervise_overdue(now=at(2026, 11, 2, 11, 5))
    assert Supervision.objects.count() == 1
    services.supervise_overdue(now=at(2026, 11, 2, 11, 6))
    services.supervise_overdue(now=at(2026, 11, 2, 11, 7))
    assert Supervision.objects.count() == 3
    assert Supervision.objects.values("case").distinct().count() == 3


def test_a_second_sweep_with_stale_view_cannot_issue_twice(people):
    """Two workers that both listed the case before either wrote: the loser finds the
    level already raised (or the unique constraint) and issues nothing."""
    [case] = open_cases(people, n=1)
    services.supervise_overdue(now=at(2026, 11, 2, 11, 1))
    Case.objects.filter(pk=case.pk).update(
        overdue_level=OverdueLevel.NONE
    )  # as seen by a stale worker
    services.supervise_overdue(now=at(2026, 11, 2, 11, 2))
    assert Supervision.objects.filter(case=case, level=OverdueLevel.YELLOW).count() == 1
    case.refresh_from_db()
    assert case.overdue_level == OverdueLevel.YELLOW


def test_the_worker_job_runs_the_sweep(people):
    open_cases(people, n=1)
    discover()
    with clock.at(at(2026, 11, 2, 13, 0)):
        ran = run_due_jobs(now=at(2026, 11, 2, 13, 0))
    assert "cases.supervise_overdue" in ran
    assert Supervision.objects.filter(kind=SupervisionKind.OVERDUE).count() == 2


def test_leader_supervision_and_answer(people):
    [case] = open_cases(people, n=1)
    order = services.supervision_issue(
        case_id=case.pk, kind=SupervisionKind.LEADER, note="请今日处置到位", actor=people["leader"]
    )
    assert order.issued_by == people["leader"] and order.status == SupervisionStatus.OPEN
    with pytest.raises(PermissionDeniedError):
        services.supervision_answer(
            supervision_id=order.pk, answer="收到", actor=people["collector"]
        )
    services.supervision_answer(supervision_id=order.pk, answer="已安排抢修", actor=people["water"])
    order.refresh_from_db()
    assert order.status == SupervisionStatus.ANSWERED and order.answer == "已安排抢修"
    with pytest.raises(ConflictError):
        services.supervision_answer(supervision_id=order.pk, answer="再答", actor=people["water"])
    assert list(
        case.events.filter(action__in=["supervise", "answer"]).values_list("action", flat=True)
    ) == [
        "supervise",
        "answer",
    ]


@pytest.mark.parametrize("kwargs", [{"kind": "overdue"}, {"note": ""}, {"reply_days": 0}])
def test_supervision_bad_input(people, kwargs):
    [case] = open_cases(people, n=1)
    args = {"kind": SupervisionKind.KEY, "note": "重点督办", "reply_days": 2}
    args.update(kwargs)
    with pytest.raises(ServiceError):
        services.supervision_issue(case_id=case.pk, actor=people["operator"], **args)


@pytest.mark.parametrize(
    "role", [r for r in Role if r not in (Role.LEADER, Role.CITY_OPERATOR, Role.CITY_ADMIN)]
)
def test_only_leaders_and_the_office_supervise(people, city, role):
    [case] = open_cases(people, n=1)
    user = city.user(role, ROLE_HOMES[role])
    with pytest.raises(ServiceError):
        services.supervision_issue(
            case_id=case.pk, kind=SupervisionKind.KEY, note="督办", actor=user
        )
    assert not Supervision.objects.exists()


def test_accountability_record(people, city):
    [case] = open_cases(people, n=1)
    record = services.accountability_record(
        unit_id=city.units["water"].pk,
        kind="deduct",
        reason="井盖案件超时",
        points=2,
        case_id=case.pk,
        actor=people["operator"],
    )
    assert Accountability.objects.get() == record
    assert case.events.filter(action="accountability").exists()
    with pytest.raises(ServiceError, match="扣分"):
        services.accountability_record(
            unit_id=city.units["water"].pk,
            kind="deduct",
            reason="x",
            points=-1,
            actor=people["operator"],
        )
    with pytest.raises(ServiceError, match="问责单位不存在或已停用"):
        services.accountability_record(
            unit_id=999_999, kind="deduct", reason="x", actor=people["operator"]
        )
    with pytest.raises(ServiceError, match="问责方式"):
        services.accountability_record(
            unit_id=city.units["water"].pk, kind="fire", reason="x", actor=people["operator"]
        )


@pytest.mark.parametrize(
    "role", [r for r in Role if r not in (Role.CITY_OPERATOR, Role.CITY_ADMIN)]
)
def test_accountability_is_the_city_offices(people, city, role):
    user = city.user(role, ROLE_HOMES[role])
    with pytest.raises(PermissionDeniedError):
        services.accountability_record(
            unit_id=city.units["water"].pk, kind="interview", reason="约谈", actor=user
        )


@pytest.mark.django_db(transaction=True)
def test_two_workers_sweeping_at_once_issue_each_order_once(city, catalogue):
    """Real concurrency needs real row locks: PostgreSQL only (SQLite serialises writers)."""
    import threading

    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("row locks with SKIP LOCKED need PostgreSQL")
    collector = city.user(Role.COLLECTOR, "420302001")
    open_cases({"collector": collector}, n=30)
    barrier = threading.Barrier(2)
    issued, failures = [], []

    def worker():
        try:
            barrier.wait()
            issued.append(services.supervise_overdue(now=at(2026, 11, 2, 11, 30)))
        except Exception as exc:  # surfaced below
            failures.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not failures
    assert sum(issued) == 30
    assert Supervision.objects.count() == 30
    assert Supervision.objects.values("case").distinct().count() == 30


def test_orders_notify_the_unit_and_the_office_operators_not_every_member(people, city):
    from chuangwen.notifications.models import Notification

    observer = city.user(Role.OBSERVER, "city")
    [case] = open_cases(people, n=1)
    assert (
        Notification.objects.filter(recipient=people["water"], kind="case.dispatched").count() == 1
    )
    services.supervise_overdue(now=at(2026, 11, 2, 12, 30))  # yellow and red at once
    assert (
        Notification.objects.filter(recipient=people["water"], kind="case.supervision").count() == 2
    )
    assert (
        Notification.objects.filter(recipient=people["operator"], kind="case.supervision").count()
        == 2
    )
    assert Notification.objects.filter(recipient=people["leader"], kind="case.red").count() == 1
    assert not Notification.objects.filter(recipient=observer).exists()
    assert all(n.url == f"/cases/{case.pk}/" for n in Notification.objects.all())
