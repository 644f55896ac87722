"""/api/v1/assessment: results of a period (draft or published, scoped to the caller) and
the indicators with their formulas (the story is in conftest.py)."""

from __future__ import annotations

import pytest

from chuangwen.assessment import services
from chuangwen.assessment.indicators import INDICATORS
from chuangwen.org.choices import Role

from .conftest import SEPTEMBER

pytestmark = pytest.mark.django_db

RESULTS = "/api/v1/assessment/results"


def get(client, headers, url, params=None):
    return client.get(url, params or {}, **headers)


def test_the_office_reads_the_draft(client, story, token_for):
    response = get(
        client, token_for(story.office), RESULTS, {"period": SEPTEMBER, "subject_type": "district"}
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["period"], body["label"], body["subject_type"], body["status"]) == (
        SEPTEMBER,
        "2026年9月",
        "district",
        "draft",
    )
    assert body["computed_at"].startswith("2026-10-12T")
    assert body["scheme"]["version"] == 1 and body["scheme"]["name"] == "区县月度考评方案"
    first, second = body["results"]
    assert first["subject"] == {"id": story.maojian, "code": "420302", "name": "茅箭区"}
    assert (first["total"], first["rank"], first["adjustment"]) == (75.0, 1, 0.0)
    assert (second["subject"]["name"], second["total"], second["rank"]) == ("张湾区", 60.0, 2)
    assert first["indicators"]["on_time_rate"] == 50.0
    on_time = first["components"][0]
    assert (on_time["label"], on_time["kind"], on_time["figure"]) == (
        "按期结案率",
        "case_indicator",
        50.0,
    )
    assert (on_time["points"], on_time["max_points"]) == (20.0, 40.0)
    assert "低 40.00 个百分点 × 0.5 分 = 扣 20.00 分" in on_time["explanation"]
    # August had no case and no survey: both districts tied first.
    assert (first["previous_rank"], first["rank_change"]) == (1, 0)
    assert (second["previous_rank"], second["rank_change"]) == (1, -1)


def test_published_results_carry_the_appeal_adjustment(client, story, token_for):
    publication = services.publication_publish(
        period_key=SEPTEMBER, subject_type="district", actor=story.office
    )
    operator = story.city.user(Role.DISTRICT_OPERATOR, "420303")
    result = publication.results.get(subject_id=story.zhangwan)
    appeal = services.appeal_file(
        result_id=result.pk,
        component_position=1,
        requested_points="20",
        reason="统计有误",
        actor=operator,
    )
    services.appeal_decide(appeal_id=appeal.pk, actor=story.office, status="accepted")
    body = get(
        client, token_for(operator), RESULTS, {"period": SEPTEMBER, "subject_type": "district"}
    ).json()
    assert body["status"] == "published"
    [line] = body["results"]  # the district sees itself only
    assert line["subject"]["name"] == "张湾区"
    assert (line["total"], line["adjustment"], line["final_total"], line["rank"]) == (
        60.0,
        20.0,
        80.0,
        1,
    )


@pytest.mark.parametrize(
    "role,home,names",
    [
        (Role.LEADER, "city", ["二堰街道", "武当路街道", "车城路街道"]),
        (Role.DISTRICT_OPERATOR, "420302", ["二堰街道", "武当路街道"]),
        (Role.STREET_OPERATOR, "420302001", ["武当路街道"]),
        (Role.COMMUNITY_OPERATOR, "420302001001", []),
        (Role.UNIT_HANDLER, "dept", []),
        (Role.UNIT_HANDLER, "420303001", ["车城路街道"]),
    ],
)
def test_results_keep_to_the_callers_scope(client, story, token_for, role, home, names):
    user = story.city.user(role, home)
    body = get(
        client, token_for(user), RESULTS, {"period": SEPTEMBER, "subject_type": "street"}
    ).json()
    assert [line["subject"]["name"] for line in body["results"]] == names
    # Ranks stay city-wide: 武当路街道 is second wherever it is seen.
    assert all(
        line["rank"] == 2 for line in body["results"] if line["subject"]["name"] == "武当路街道"
    )


@pytest.mark.parametrize(
    "params,field,message",
    [
        ({"period": "2026-13", "subject_type": "district"}, "period", "考评周期格式不正确"),
        ({"period": "九月", "subject_type": "district"}, "period", "考评周期格式不正确"),
        ({"period": SEPTEMBER, "subject_type": "city"}, "subject_type", "考评对象类型不正确"),
        ({"period": SEPTEMBER, "subject_type": "staff"}, "subject_type", "考评对象类型不正确"),
    ],
)
def test_a_bad_period_or_subject_type_answers_422(client, story, token_for, params, field, message):
    response = get(client, token_for(story.office), RESULTS, params)
    assert response.status_code == 422
    body = response.json()
    assert body["field"] == field and message in body["detail"]


def test_missing_parameters_answer_422(client, story, token_for):
    response = get(client, token_for(story.office), RESULTS, {"period": SEPTEMBER})
    assert response.status_code == 422
    assert response.json() == {
        "detail": "请求参数有误:subject_type 为必填项。",
        "field": "subject_type",
    }


def test_the_results_need_a_caller(client, story):
    response = client.get(RESULTS, {"period": SEPTEMBER, "subject_type": "district"})
    assert response.status_code == 401


def test_the_indicators_come_with_their_formulas(client, story, token_for):
    response = get(client, token_for(story.collector), "/api/v1/assessment/indicators")
    assert response.status_code == 200
    body = response.json()
    assert [row["code"] for row in body] == [i.code for i in INDICATORS]
    on_time = next(row for row in body if row["code"] == "on_time_rate")
    assert on_time == {
        "code": "on_time_rate",
        "name": "按期结案率",
        "formula": "按期结案数 ÷ (应结案数 − 缓办数) × 100%。",
        "unit": "%",
        "subjects": ["district", "street", "community", "unit"],
        "higher_is_better": True,
    }
