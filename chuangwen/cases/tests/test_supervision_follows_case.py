"""The 督办 ladder runs once per dispatch, and open orders end with their case."""

import importlib
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import connection

from chuangwen.cases import services
from chuangwen.cases.choices import OverdueLevel, SupervisionKind, SupervisionStatus
from chuangwen.cases.models import Case, CaseEvent, Supervision
from chuangwen.core import clock
from chuangwen.core.errors import ConflictError
from chuangwen.testing.cases import MAOJIAN, at, close_case

pytestmark = pytest.mark.django_db

OVERDUE = SupervisionKind.OVERDUE


MONDAY_NINE = at(2026, 11, 2, 9, 0)


def _late_case(people, when=MONDAY_NINE):
    """B0102 goes to the water company at once: 2 emergency hours, red after 3."""
    with clock.at(when):
        return services.case_report(
            category="B0102",
            description="井盖缺失",
            lat=MAOJIAN[0],
            lng=MAOJIAN[1],
            actor=people["collector"],
        ).case


def _levels(case, unit=None) -> list[int]:
    orders = Supervision.objects.filter(case=case, kind=OVERDUE)
    if unit is not None:
        orders = orders.filter(unit=unit)
    return sorted(orders.values_list("level", flat=True))


def test_a_new_dispatch_runs_a_new_ladder(people, city):
    case = _late_case(people)
    services.supervise_overdue(now=at(2026, 11, 2, 12, 0))
    water = city.units["water"]
    assert _levels(case, water) == [OverdueLevel.YELLOW, OverdueLevel.RED]
    # Not theirs after all: the case goes back and on to the city department, which is late
    # in its turn and must get its own yellow and red orders.
    with clock.at(at(2026, 11, 2, 12, 10)):
        services.case_send_back(case_id=case.pk, actor=people["water"], note="不是我单位的井")
    with clock.at(at(2026, 11, 2, 12, 20)):
        services.case_dispatch(
            case_id=case.pk, actor=people["operator"], unit_id=city.units["dept"].pk
        )
    assert services.supervise_overdue(now=at(2026, 11, 2, 14, 20)) == 1
    assert services.supervise_overdue(now=at(2026, 11, 2, 15, 20)) == 1
    dept = city.units["dept"]
    assert _levels(case, dept) == [OverdueLevel.YELLOW, OverdueLevel.RED]
    case.refresh_from_db()
    assert case.overdue_level == OverdueLevel.RED
    # Sweeping again issues nothing more for the same dispatch.
    assert services.supervise_overdue(now=at(2026, 11, 3, 9, 0)) == 0
    assert Supervision.objects.filter(case=case, kind=OVERDUE).count() == 4


def test_a_reopened_case_is_supervised_again(people, city):
    case = _late_case(people)
    services.supervise_overdue(now=at(2026, 11, 2, 11, 0))
    with clock.at(at(2026, 11, 2, 11, 30)):
        close_case(case, people)
    with clock.at(at(2026, 11, 2, 14, 0)):
        services.case_reopen(case_id=case.pk, actor=people["operator"], note="市民反映仍未修好")
        services.case_dispatch(
            case_id=case.pk, actor=people["operator"], unit_id=city.units["water"].pk
        )
    assert services.supervise_overdue(now=at(2026, 11, 2, 16, 0)) == 1
    assert _levels(case) == [OverdueLevel.YELLOW, OverdueLevel.YELLOW]


@pytest.mark.parametrize("ending", ["close", "merge", "cancel"])
def test_open_orders_end_with_their_case(people, city, ending):
    case = _late_case(people)
    other = _late_case(people, when=at(2026, 11, 2, 9, 5))
    services.supervise_overdue(now=at(2026, 11, 2, 11, 30))
    answered = Supervision.objects.get(case=case, level=OverdueLevel.YELLOW)
    services.supervision_answer(
        supervision_id=answered.pk, answer="正在更换", actor=people["water"]
    )
    leader_order = services.supervision_issue(
        case_id=case.pk, kind=SupervisionKind.LEADER, note="请加快", actor=people["leader"]
    )
    with clock.at(at(2026, 11, 2, 12, 30)):
        if ending == "close":
            close_case(case, people)
            reason = "案件已结案"
        elif ending == "merge":
            services.case_merge(case_id=case.pk, into_id=other.pk, actor=people["operator"])
            reason = "案件已合并"
        else:
            services.case_cancel(case_id=case.pk, actor=people["operator"], note="重复")
            reason = "案件已作废"
    leader_order.refresh_from_db()
    answered.refresh_from_db()
    assert leader_order.status == SupervisionStatus.SETTLED
    assert leader_order.settled_reason == reason
    assert leader_order.settled_at == at(2026, 11, 2, 12, 30)
    # An answer already given stays as it was.
    assert answered.status == SupervisionStatus.ANSWERED and answered.settled_at is None
    # The other case's order is not touched.
    assert Supervision.objects.get(case=other).status == SupervisionStatus.OPEN
    with pytest.raises(ConflictError, match="随案关闭"):
        services.supervision_answer(
            supervision_id=leader_order.pk, answer="已处理", actor=people["water"]
        )
    # Nothing is left waiting for the city's dashboards on a finished case.
    assert not Supervision.objects.filter(case=case, status=SupervisionStatus.OPEN).exists()


def test_the_migration_settles_and_cleans_what_is_stored(people, city):
    """0005 on data as an older version left it: an order open on a closed case, an
    overdue order that does not know its dispatch, and text with control characters."""
    case = _late_case(people)
    services.supervise_overdue(now=at(2026, 11, 2, 11, 0))
    with clock.at(at(2026, 11, 2, 11, 30)):
        close_case(case, people)
    live = _late_case(people, when=at(2026, 11, 3, 9, 0))
    services.supervise_overdue(now=at(2026, 11, 3, 11, 0))
    Supervision.objects.update(status=SupervisionStatus.OPEN, settled_at=None, dispatched_at=None)
    nul = "\x00" if connection.vendor == "sqlite" else ""  # PostgreSQL cannot store one
    Case.objects.filter(pk=live.pk).update(
        description="井盖\x01缺失\x1b", address=f"北京北路{nul}\x85"
    )
    CaseEvent.objects.filter(case=live, action="report").update(note="\x07说明")
    migration = importlib.import_module("chuangwen.cases.migrations.0005_settle_and_clean_history")
    migration.forwards(apps, SimpleNamespace(connection=connection))
    old = Supervision.objects.get(case=case)
    assert (old.status, old.settled_reason) == (SupervisionStatus.SETTLED, "案件已结案")
    assert old.settled_at == at(2026, 11, 2, 11, 30)
    assert old.dispatched_at == at(2026, 11, 2, 9, 0)
    current = Supervision.objects.get(case=live)
    assert current.status == SupervisionStatus.OPEN
    assert current.dispatched_at == at(2026, 11, 3, 9, 0)
    live.refresh_from_db()
    assert (live.description, live.address) == ("井盖缺失", "北京北路")
    assert CaseEvent.objects.get(case=live, action="report").note == "说明"
