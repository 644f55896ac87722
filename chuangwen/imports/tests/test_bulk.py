"""The bulk intake service (cases.services.bulk) that the commit uses."""

import pytest

from chuangwen.cases import services as case_services
from chuangwen.cases.choices import Action, Channel, Stage, Status
from chuangwen.cases.models import Case, CaseEvent
from chuangwen.cases.services import BulkRow, case_report_many
from chuangwen.core import clock
from chuangwen.core.errors import PermissionDeniedError, ServiceError
from chuangwen.core.models import OutboxMessage
from chuangwen.territory.routing import locate
from chuangwen.testing.cases import MAOJIAN, ZHANGWAN, at
from chuangwen.testing.factories import UserFactory

pytestmark = pytest.mark.django_db


def row(catalogue, ticket, *, where=MAOJIAN, standard="B0102-01", **kwargs):
    lat, lng = where
    kwargs.setdefault("description", "人行道井盖缺失")
    return BulkRow(
        standard=catalogue.standards[standard],
        lat=lat,
        lng=lng,
        chain=locate(lng, lat),
        external_id=ticket,
        **kwargs,
    )


def test_cases_and_events_are_written_as_case_report_writes_them(people, catalogue):
    operator = people["operator"]
    with clock.at(at(2026, 11, 2, 9, 0)):
        single = case_services.case_report(
            category="E0102",
            description="垃圾堆放",
            lat=ZHANGWAN[0],
            lng=ZHANGWAN[1],
            actor=operator,
            channel=Channel.HOTLINE,
            source="12345",
            external_id="ONE",
        ).case
        result = case_report_many(
            rows=[
                row(
                    catalogue,
                    "MANY",
                    where=ZHANGWAN,
                    standard="E0102-01",
                    description="垃圾堆放",
                    reporter_name="李四",
                    reporter_phone="13900000000",
                    address="车城路 1 号",
                    extra={"原始时间": "2026-11-01 08:00"},
                )
            ],
            actor=operator,
            channel=Channel.HOTLINE,
            source="12345",
        )
    assert result.created == 1 and result.existing == 0
    bulk = Case.objects.get(pk=result.case_ids[0])
    compared = (
        "status",
        "channel",
        "category_id",
        "standard_id",
        "territory_path",
        "grid_id",
        "district_id",
        "suggested_unit_id",
        "routing_rule_id",
        "reporter_id",
        "created_by_id",
        "time_type",
        "time_value",
        "reported_at",
        "stage_started_at",
        "stage_deadline",
        "unit_id",
    )
    assert {f: getattr(bulk, f) for f in compared} == {f: getattr(single, f) for f in compared}
    assert bulk.status == Status.REPORTED and bulk.stage == Stage.ACCEPT
    assert bulk.reporter is None and bulk.created_by == operator
    assert (bulk.reporter_name, bulk.reporter_phone, bulk.address) == (
        "李四",
        "13900000000",
        "车城路 1 号",
    )
    assert bulk.extra == {"原始时间": "2026-11-01 08:00"}
    assert len(bulk.public_token) == 12 and bulk.public_token != single.public_token
    assert bulk.code != single.code and bulk.code.startswith("261102")
    event = bulk.events.get()
    assert event.action == Action.REPORT and event.to_status == Status.REPORTED
    assert event.data == {"channel": Channel.HOTLINE, "standard": "E0102-01"}
    assert event.actor == operator
    assert event.actor_unit_id == single.events.get().actor_unit_id
    # Neither path leaves an outbox row for a report: nothing is sent on intake alone.
    assert not OutboxMessage.objects.filter(topic__startswith="cases").exists()
    assert not OutboxMessage.objects.filter(payload__case_id__isnull=False).exists()


def taken_in(operator, ticket: str):
    """A 12345 ticket taken in one at a time, as the hotline operator would."""
    return case_services.case_report(
        category="B0102",
        description="井盖缺失",
        lat=MAOJIAN[0],
        lng=MAOJIAN[1],
        actor=operator,
        channel=Channel.HOTLINE,
        source="12345",
        external_id=ticket,
    )


def test_tickets_taken_in_before_or_repeated_are_skipped(people, catalogue):
    operator = people["operator"]
    taken_in(operator, "T1")
    rows = [row(catalogue, t) for t in ("T1", "T2", "T3", "T2")]
    result = case_report_many(rows=rows, actor=operator, channel=Channel.HOTLINE, source="12345")
    assert (result.created, result.existing) == (2, 2)
    assert sorted(Case.objects.filter(source="12345").values_list("external_id", flat=True)) == [
        "T1",
        "T2",
        "T3",
    ]
    # The same ticket number from another source is another ticket.
    other = case_report_many(
        rows=[row(catalogue, "T1")],
        actor=operator,
        channel=Channel.SURVEY_FEEDBACK,
        source="survey",
    )
    assert other.created == 1
    again = case_report_many(rows=rows, actor=operator, channel=Channel.HOTLINE, source="12345")
    assert (again.created, again.existing) == (0, 4)
    assert CaseEvent.objects.filter(action=Action.REPORT).count() == Case.objects.count()


def test_batches_report_inside_their_transaction_and_a_refusal_stops_the_run(people, catalogue):
    seen = []

    def on_batch(done):
        seen.append((done.created, done.existing, done.rows_done))
        if len(seen) == 2:
            raise RuntimeError("stop")

    rows = [row(catalogue, f"B{i}") for i in range(5)]
    with pytest.raises(RuntimeError):
        case_report_many(
            rows=rows,
            actor=people["operator"],
            channel=Channel.HOTLINE,
            source="12345",
            batch_size=2,
            on_batch=on_batch,
        )
    assert seen == [(2, 0, 2), (2, 0, 4)]
    # The second batch was undone with its own transaction; the first stays.
    assert sorted(Case.objects.values_list("external_id", flat=True)) == ["B0", "B1"]
    result = case_report_many(
        rows=rows, actor=people["operator"], channel=Channel.HOTLINE, source="12345", batch_size=2
    )
    assert (result.created, result.existing) == (3, 2)


def test_many_cases_get_distinct_codes(people, catalogue):
    result = case_report_many(
        rows=[row(catalogue, f"N{i}") for i in range(300)],
        actor=people["operator"],
        channel=Channel.HOTLINE,
        source="12345",
        batch_size=100,
    )
    codes = list(Case.objects.values_list("code", flat=True))
    tokens = list(Case.objects.values_list("public_token", flat=True))
    assert result.created == 300 and len(set(codes)) == 300 and len(set(tokens)) == 300


def test_an_account_without_any_role_is_refused(people, catalogue):
    with pytest.raises(PermissionDeniedError):
        case_report_many(
            rows=[row(catalogue, "X")], actor=UserFactory(), channel=Channel.HOTLINE, source="12345"
        )
    assert not Case.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"channel": Channel.FIELD}, "channel"),
        ({"source": " "}, "source"),
        ({"ticket": ""}, "external_id"),
    ],
)
def test_bad_input_is_refused(people, catalogue, changes, field):
    with pytest.raises(ServiceError) as refused:
        case_report_many(
            rows=[row(catalogue, changes.get("ticket", "X"))],
            actor=people["operator"],
            channel=changes.get("channel", Channel.HOTLINE),
            source=changes.get("source", "12345"),
        )
    assert refused.value.field == field
    assert not Case.objects.exists()


def test_the_router_answers_what_route_for_answers(city, catalogue):
    from chuangwen.cases.selectors import route_for
    from chuangwen.cases.services.bulk import Router
    from chuangwen.catalog.models import Category, RoutingRule
    from chuangwen.territory.models import TerritoryNode

    # Some of every kind of rule: a grid owner, a deeper territory rule, an inactive rule.
    grid = city.node("420303001002001")
    grid.owner_unit = city.units["dept"]
    grid.save(update_fields=["owner_unit"])
    RoutingRule.objects.create(
        category=catalogue.categories["E0102"],
        territory=city.node("420302001"),
        unit=city.units["420302001"],
    )
    RoutingRule.objects.create(territory=city.node("420303"), unit=city.units["420303"])
    RoutingRule.objects.create(
        category=catalogue.categories["W0101"], unit=city.units["dept"], is_active=False
    )
    router = Router()
    nodes = list(TerritoryNode.objects.exclude(level="city"))
    pairs = 0
    for category in Category.objects.filter(parent__isnull=False):
        for node in nodes:
            assert router.get(category, node) == route_for(category, node), (category, node)
            pairs += 1
    assert pairs == 4 * 23  # 4 小类 × (2 districts, 3 streets, 6 communities, 12 grids)


def test_a_ticket_taken_in_meanwhile_is_skipped_on_the_retry(people, catalogue, monkeypatch):
    from chuangwen.cases.services import bulk

    operator = people["operator"]
    taken_in(operator, "RACE")
    real = bulk.taken_tickets
    calls = []

    def blind_first(source, tickets):
        # The first look misses the ticket, as if its intake committed just after it.
        calls.append(list(tickets))
        return {} if len(calls) == 1 else real(source, tickets)

    monkeypatch.setattr(bulk, "taken_tickets", blind_first)
    result = case_report_many(
        rows=[row(catalogue, "RACE"), row(catalogue, "NEW")],
        actor=operator,
        channel=Channel.HOTLINE,
        source="12345",
    )
    assert len(calls) == 2
    assert (result.created, result.existing) == (1, 1)
    assert Case.objects.filter(external_id="RACE").count() == 1
    assert CaseEvent.objects.count() == 2  # the earlier report's and the new case's
