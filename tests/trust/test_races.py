"""Two processes take the same step on the same case at the same moment, on PostgreSQL
with its real row locks: exactly one succeeds and the other is told 409 (the case moved
under it), and the case's history holds the step once."""

from __future__ import annotations

import json
import multiprocessing

import pytest
from django.db import connection, connections

from chuangwen.cases import services
from chuangwen.cases.models import Case, CaseEvent
from chuangwen.testing.cases import MAOJIAN, after_photo
from chuangwen.testing.people import city_people

pytestmark = pytest.mark.django_db(transaction=True)

# (what the case is brought to first, the two steps raced, who takes each)
RACES = {
    "sign_sign": ("dispatched", ("sign", "sign"), ("water", "water2")),
    "sign_send_back": ("dispatched", ("sign", "send_back"), ("water", "water2")),
    "verify_ok_verify_fail": ("handled", ("verify_ok", "verify_fail"), ("collector", "operator")),
    "dispatch_cancel": ("registered", ("dispatch", "cancel"), ("operator", "admin")),
    "accept_reject": ("reported", ("accept", "reject"), ("operator", "admin")),
}


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("real row locks between processes: PostgreSQL only")


@pytest.fixture
def cast(city, catalogue, token_for):
    people = city_people(city, "operator", "admin", "collector", "water", "water2")
    tokens = {name: token_for(user) for name, user in people.items()}
    return people, tokens


def _bring(case: Case, state: str, people) -> Case:
    if state == "reported":
        return case
    services.case_accept(case_id=case.pk, actor=people["operator"])
    if state == "registered":
        return Case.objects.get(pk=case.pk)
    services.case_dispatch(
        case_id=case.pk, actor=people["operator"], unit_id=case.suggested_unit_id
    )
    if state == "dispatched":
        return Case.objects.get(pk=case.pk)
    services.case_sign(case_id=case.pk, actor=people["water"])
    photo = after_photo(people["water"])
    services.case_finish(case_id=case.pk, actor=people["water"], photo_ids=[photo.pk])
    return Case.objects.get(pk=case.pk)


def _step(barrier, results, url, body, auth):
    """One racer, in a process of its own with its own database connection."""
    from django.test import Client

    connections.close_all()  # never share the parent's socket
    client = Client()
    barrier.wait(timeout=30)
    response = client.post(url, json.dumps(body), content_type="application/json", **auth)
    results.put((body["action"], response.status_code, response.content.decode()[:200]))
    connections.close_all()


def _race(people, tokens, race: str) -> str:
    """Run one race; the winning step."""
    state, actions, who = RACES[race]
    case = services.case_report(
        category="B0102" if state != "reported" else "E0102",
        description="井盖缺失",
        lat=MAOJIAN[0],
        lng=MAOJIAN[1],
        actor=None,
        channel="portal",
    ).case
    case = _bring(case, state, people)
    assert case.status == state
    url = f"/api/v1/cases/{case.pk}/transitions"
    extra = {"note": "竞争测试", "version": case.version}
    context = multiprocessing.get_context("fork")
    barrier, results = context.Barrier(2), context.Queue()
    connections.close_all()
    racers = [
        context.Process(
            target=_step,
            args=(barrier, results, url, {"action": action, **extra}, tokens[name]),
        )
        for action, name in zip(actions, who, strict=True)
    ]
    for racer in racers:
        racer.start()
    for racer in racers:
        racer.join(timeout=60)
        assert racer.exitcode == 0, race
    outcomes = sorted((results.get(timeout=5) for _ in racers), key=lambda r: r[1])
    assert [row[1] for row in outcomes] == [200, 409], (race, outcomes)
    winner = outcomes[0][0]
    case.refresh_from_db()
    assert case.version == extra["version"] + 1, race
    taken = CaseEvent.objects.filter(case=case, action__in=set(actions)).values_list(
        "action", flat=True
    )
    assert list(taken) == [winner], race
    return winner


def test_two_processes_race_one_step_and_exactly_one_wins(cast):
    people, tokens = cast
    won = {race: _race(people, tokens, race) for race in sorted(RACES)}
    # The figure the CI log shows: races run, and one winner in each.
    print(f"\nRACES run={len(won)} processes=2 winners={sum(1 for w in won.values() if w)}")
    assert len(won) == len(RACES)
