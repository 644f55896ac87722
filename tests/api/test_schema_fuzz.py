"""Schema fuzzing of the REST API: Schemathesis generates requests for every operation of
the OpenAPI document that /api/v1/openapi.json serves (valid and invalid ones, boundary
values included), sends them through the WSGI application as several roles of a populated
mini city, and fails on any server error (5xx) and on any response that does not match the
schema the operation declares."""

import io
import json
from dataclasses import dataclass, field
from datetime import date

import pytest
import schemathesis
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from PIL import Image
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from chuangwen.org.choices import Role
from chuangwen.testing.cases import MAOJIAN, ZHANGWAN, at
from chuangwen.testing.city import ROLE_HOMES

# Examples Hypothesis draws per operation and role, on top of the explicit examples of the
# coverage phase (boundaries, wrong types, missing values): the whole fuzz stays within a
# few minutes on two cores.
EXAMPLES = 10

# The roles the API is fuzzed as: the office that runs the loop, a territory, a unit that
# handles cases, and a field reporter.
ROLES = (Role.CITY_OPERATOR, Role.STREET_OPERATOR, Role.UNIT_HANDLER, Role.COLLECTOR)

CHECKS = [not_a_server_error, response_schema_conformance]


@dataclass
class Tally:
    operations: set = field(default_factory=set)
    roles: set = field(default_factory=set)
    requests: int = 0
    failing: set = field(default_factory=set)  # (operation, role) with a failed check

    def summary(self) -> str:
        return (
            f"schemathesis {schemathesis.__version__}: {len(self.operations)} operations × "
            f"{len(self.roles)} roles, {self.requests} requests, "
            f"{len(self.failing)} failing (operation, role)"
        )


TALLY = Tally()
# Ids of the objects the mini city holds, by path parameter name (set while the module runs).
KNOWN: dict[str, list[int]] = {}


def _document() -> dict:
    """The OpenAPI document as /api/v1/openapi.json serves it (read once, at collection:
    each operation becomes a test of its own)."""
    from ninja.responses import NinjaJSONEncoder

    from chuangwen.api import api

    return json.loads(json.dumps(api.get_openapi_schema(), cls=NinjaJSONEncoder))


schema = schemathesis.openapi.from_dict(_document())


def _jpeg() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (32, 24), "green").save(buffer, "JPEG")
    return SimpleUploadedFile("photo.jpg", buffer.getvalue(), content_type="image/jpeg")


def _populate(city, registry) -> dict[str, list[int]]:
    """Cases at several steps of the loop, a supervision order, an accountability record
    and a running evaluation round: the ids the fuzz's path parameters draw from."""
    from chuangwen.cases import services as cases
    from chuangwen.cases.models import Case
    from chuangwen.evaluation import services as evaluation
    from chuangwen.org.models import Unit

    operator = city.user(Role.CITY_OPERATOR, "city")
    collector = city.user(Role.COLLECTOR, "420302001")
    water = city.user(Role.UNIT_HANDLER, "water")
    admin = city.user(Role.CITY_ADMIN, "city")
    with clock_at(2026, 11, 2, 9, 0):
        ids = []
        for category, (lat, lng), text in [
            ("B0102", MAOJIAN, "井盖缺失"),
            ("E0102", MAOJIAN, "暴露垃圾"),
            ("W0101", ZHANGWAN, "乱扔垃圾"),
            ("E0502", ZHANGWAN, "占道经营"),
        ]:
            photo = cases.photo_upload(upload=_jpeg(), actor=collector)
            intake = cases.case_report(
                category=category,
                description=text,
                lat=lat,
                lng=lng,
                actor=collector,
                reporter_name="王小明",
                reporter_phone="13812341234",
                photo_ids=[photo.pk],
            )
            ids.append(intake.case.pk)
        cases.case_sign(case_id=ids[0], actor=water)
        order = cases.supervision_issue(
            case_id=ids[0], kind="leader", note="尽快处理", actor=operator
        )
        cases.accountability_record(kind="interview", reason="超时", actor=operator, case_id=ids[0])
    with clock_at(2026, 10, 30, 9, 0):
        round_ = evaluation.round_create(
            name="2026年第6期双月测评",
            kind="bimonthly",
            starts_on=date(2026, 11, 2),
            due_on=date(2026, 11, 13),
            inspector_ids=[u.pk for u in registry.inspectors],
            point_ids=[p.pk for p in registry.points.values()],
            seed=7,
            actor=admin,
        )
        evaluation.round_start(round_id=round_.pk, actor=admin)
    return {
        "case_id": list(Case.objects.values_list("pk", flat=True)),
        "supervision_id": [order.pk],
        "round_id": [round_.pk],
        "unit_id": list(Unit.objects.values_list("pk", flat=True)),
    }


def clock_at(*moment):
    from chuangwen.core import clock

    return clock.at(at(*moment))


@pytest.fixture(scope="module")
def tokens(django_db_setup, django_db_blocker):
    """The populated mini city (city, catalogue and registry of the test fixtures, with
    cases and a round), built once for the whole fuzz in a transaction rolled back at the
    end; each test runs in a savepoint of its own inside it. A bearer token per role."""
    from chuangwen.accounts.services import api_token_create
    from chuangwen.testing.cases import build_catalogue
    from chuangwen.testing.city import build_mini_city
    from chuangwen.testing.evaluation import build_registry

    with django_db_blocker.unblock(), transaction.atomic():
        city = build_mini_city()
        registry = build_registry(city, build_catalogue(city))
        KNOWN.update(_populate(city, registry))
        tokens = {}
        for role in ROLES:
            user = city.user(role, ROLE_HOMES[role])
            tokens[role] = api_token_create(user=user, name="fuzz", actor=None)[1]
        yield tokens
        KNOWN.clear()
        transaction.set_rollback(True)


@pytest.fixture(params=ROLES)
def caller(request, tokens, db):
    TALLY.roles.add(request.param)
    return {"role": request.param, "Authorization": f"Bearer {tokens[request.param]}"}


@pytest.fixture
def wsgi_app():
    """The project's WSGI application inside the test's transaction: as with Django's test
    client, a request neither starts nor ends by closing the connection (which would end
    the test's transaction)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield WSGIHandler()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@schemathesis.hook
def flatmap_path_parameters(context, path_parameters):
    """Half of the ids in paths are of objects that exist, so the fuzz gets past the 404
    and into the operations' own checks."""
    real = {name: KNOWN[name] for name in path_parameters or () if KNOWN.get(name)}
    if not real:
        return st.just(path_parameters)
    existing = st.fixed_dictionaries(
        {
            name: st.sampled_from(real[name]) if name in real else st.just(value)
            for name, value in path_parameters.items()
        }
    )
    return st.one_of(st.just(path_parameters), existing)


class _ServerError(Exception):
    def __init__(self, response):
        self.response = response


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_api_answers_every_request_within_its_schema(case, caller, wsgi_app):
    TALLY.operations.add(case.operation.label)
    TALLY.requests += 1
    # One savepoint per request, as if each ran in a transaction of its own: a failed one
    # does not poison those after it (PostgreSQL refuses all until a rollback).
    try:
        with transaction.atomic():
            response = case.call(app=wsgi_app, headers={"Authorization": caller["Authorization"]})
            if response.status_code >= 500:
                raise _ServerError(response)
    except _ServerError as error:
        response = error.response
    try:
        case.validate_response(response, checks=CHECKS)
    except BaseException:  # Schemathesis reports failures as a BaseExceptionGroup
        TALLY.failing.add((case.operation.label, caller["role"]))
        raise


@pytest.mark.django_db
def test_the_fuzzed_document_is_the_one_served(client):
    from chuangwen.testing.factories import UserFactory

    client.force_login(UserFactory())
    served = client.get("/api/v1/openapi.json")
    assert served.status_code == 200
    assert served.json() == _document()
