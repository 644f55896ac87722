"""Who reads what of the assessment: field staff's results are the office's alone, and
the API's result lists are an export, as the ranking page's XLSX is."""

from __future__ import annotations

import pytest

from chuangwen.assessment import selectors, services
from chuangwen.assessment.models import Result
from chuangwen.org.choices import Role
from chuangwen.testing.city import ROLE_HOMES

from .conftest import SEPTEMBER

pytestmark = pytest.mark.django_db

STAFF_SCHEME = [
    {
        "kind": "case_indicator",
        "indicator": "valid_report_rate",
        "label": "有效上报率",
        "max_points": "100",
        "rule": "proportional",
    }
]


@pytest.fixture
def staff_results(story):
    services.scheme_save(
        subject_type="staff", name="一线人员考评方案", components=STAFF_SCHEME, actor=story.admin
    )
    publication = services.publication_publish(
        period_key=SEPTEMBER, subject_type="staff", actor=story.office
    )
    return publication.results.get(subject_id=story.collector.pk)


@pytest.mark.parametrize(
    ("role", "home"),
    [
        (Role.STREET_OPERATOR, "420302001"),  # the collector works for this street office
        (Role.DISTRICT_OPERATOR, "420302"),
        (Role.COMMUNITY_OPERATOR, "420302001001"),
        (Role.LEADER, "city"),
        (Role.INSPECTOR, "city"),
    ],
)
def test_a_staff_members_result_is_not_readable_by_id(client, story, staff_results, role, home):
    reader = story.city.user(role, home)
    client.force_login(reader)
    assert client.get(f"/assessment/results/{staff_results.pk}/").status_code == 404
    assert not selectors.results_for(user=reader, period_key=SEPTEMBER, subject_type="staff").lines
    if role not in (Role.LEADER, Role.INSPECTOR):  # city-wide readers pass the model's rule
        assert not Result.objects.scoped_for(reader).filter(pk=staff_results.pk).exists()


def test_the_office_reads_staff_results(client, story, staff_results):
    client.force_login(story.office)
    page = client.get(f"/assessment/results/{staff_results.pk}/")
    assert page.status_code == 200
    lines = selectors.results_for(user=story.office, period_key=SEPTEMBER, subject_type="staff")
    assert staff_results.pk in {line.result_id for line in lines.lines}


@pytest.mark.parametrize("role", sorted(ROLE_HOMES))
def test_the_api_results_need_the_export_right(client, story, token_for, role):
    reader = story.city.user(role, ROLE_HOMES[role])
    answer = client.get(
        "/api/v1/assessment/results",
        {"period": SEPTEMBER, "subject_type": "district"},
        **token_for(reader),
    )
    if role in (Role.INSPECTOR, Role.OBSERVER, Role.COLLECTOR, Role.PERSUADER, Role.VOLUNTEER):
        assert answer.status_code == 403
        assert answer.json()["detail"] == "您没有导出数据的权限。"
        client.force_login(reader)
        page = client.get(
            "/assessment/", {"period": SEPTEMBER, "type": "district", "format": "xlsx"}
        )
        assert page.status_code == 403  # the page's export answers the same
    else:
        assert answer.status_code == 200
