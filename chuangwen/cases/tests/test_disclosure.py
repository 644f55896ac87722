"""Every look at a reporter's unmasked identity leaves an audit row: who saw whose
details (the case code), never the name or the phone number themselves."""

import json

import pytest

from chuangwen.cases import services
from chuangwen.cases.choices import Channel
from chuangwen.cases.disclosure import reporter_disclose
from chuangwen.core.models import AuditEvent
from chuangwen.org.choices import Role
from chuangwen.testing.cases import MAOJIAN
from chuangwen.testing.city import ROLE_HOMES

pytestmark = pytest.mark.django_db

NAME, PHONE = "王小明", "13812341234"
OFFICE_ROLES = {Role.CITY_ADMIN, Role.CITY_OPERATOR, Role.LEADER}


@pytest.fixture
def case(people):
    return services.case_report(
        category="B0102",
        description="人行道井盖缺失",
        lat=MAOJIAN[0],
        lng=MAOJIAN[1],
        reporter_name=NAME,
        reporter_phone=PHONE,
        channel=Channel.PORTAL,  # a citizen's report: it waits for the office to accept it
        actor=None,
    ).case


def looks() -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action="cases.reporter_view").order_by("id"))


def keeps_no_details(event: AuditEvent) -> bool:
    stored = event.summary + json.dumps(event.data, ensure_ascii=False)
    return PHONE not in stored and NAME not in stored


def test_the_case_page_audits_the_office_reading_the_reporter(client, people, case):
    operator = people["operator"]
    client.force_login(operator)
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert PHONE in page
    [event] = looks()
    assert event.actor == operator
    assert (event.object_type, event.object_id) == ("cases.case", str(case.pk))
    assert event.data == {"code": case.code, "via": "case_page", "fields": ["name", "phone"]}
    assert case.code in event.summary and keeps_no_details(event)


def test_the_case_api_audits_each_answer_that_carries_the_reporter(client, people, case, token_for):
    auth = token_for(people["operator"])
    detail = client.get(f"/api/v1/cases/{case.pk}", **auth).json()
    assert detail["reporter"]["phone"] == PHONE
    answer = client.post(
        f"/api/v1/cases/{case.pk}/transitions",
        json.dumps({"action": "accept", "version": detail["version"]}),
        content_type="application/json",
        **auth,
    )
    assert answer.status_code == 200 and answer.json()["reporter"]["phone"] == PHONE
    events = looks()
    assert [e.data["via"] for e in events] == ["case_api", "case_api"]
    assert all(e.actor == people["operator"] and keeps_no_details(e) for e in events)


def test_a_masked_view_is_not_audited(client, people, case, token_for):
    client.force_login(people["district"])
    assert "138****1234" in client.get(f"/cases/{case.pk}/").content.decode()
    detail = client.get(f"/api/v1/cases/{case.pk}", **token_for(people["district"])).json()
    assert detail["reporter"]["masked"]
    assert looks() == []


@pytest.mark.parametrize("role", sorted(Role.values))
def test_only_the_city_office_sees_the_details_and_each_look_is_audited(city, case, role):
    user = city.user(role, ROLE_HOMES[role])
    shown = reporter_disclose(user=user, case=case, via="case_page")
    if role in OFFICE_ROLES:
        assert (shown["name"], shown["phone"], shown["masked"]) == (NAME, PHONE, False)
        assert [e.actor for e in looks()] == [user]
    else:
        assert shown["masked"] and PHONE not in shown["phone"]
        assert looks() == []


def test_nothing_to_show_is_not_audited(people, case):
    type(case).objects.filter(pk=case.pk).update(reporter_name="", reporter_phone="")
    case.refresh_from_db()
    shown = reporter_disclose(user=people["operator"], case=case, via="case_page")
    assert (shown["name"], shown["phone"]) == ("", "")
    assert looks() == []


def test_the_admin_case_page_does_not_show_the_reporter(client, city, case):
    client.force_login(city.user(Role.CITY_ADMIN, "city", is_staff=True, is_superuser=True))
    page = client.get(f"/admin/cases/case/{case.pk}/change/")
    assert page.status_code == 200
    assert PHONE not in page.content.decode() and NAME not in page.content.decode()
