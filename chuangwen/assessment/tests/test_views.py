"""The assessment pages: rankings (draft and published, boards, trend, export, publish
and withdraw), one result and its appeals, the office's review, schemes, entered figures
and the indicators page; and who sees what (the story is in conftest.py)."""

from __future__ import annotations

import io
import json
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from chuangwen.assessment import services
from chuangwen.assessment.choices import AppealStatus, PublicationStatus
from chuangwen.assessment.indicators import INDICATORS
from chuangwen.assessment.models import Appeal, EnteredFigure, Publication, Scheme
from chuangwen.core.models import AuditEvent
from chuangwen.org.choices import Role

from .conftest import SEPTEMBER, STREET_SCHEME

pytestmark = pytest.mark.django_db

RANKINGS = "/assessment/"
STREETS = {"420302001": "武当路街道", "420302002": "二堰街道", "420303001": "车城路街道"}
# Readers who are not the office, at their homes, and the streets each may see.
READERS = [
    (Role.LEADER, "city", {"420302001", "420302002", "420303001"}),
    (Role.DISTRICT_OPERATOR, "420302", {"420302001", "420302002"}),
    (Role.STREET_OPERATOR, "420302001", {"420302001"}),
    (Role.COMMUNITY_OPERATOR, "420302001001", set()),
    (Role.UNIT_HANDLER, "420303001", {"420303001"}),
]
NOT_OFFICE = [(role, home) for role, home, _seen in READERS]


def page_text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def rows_of(response) -> list[str]:
    """The subject names of the ranking table, top to bottom."""
    body = response.content.decode().split('id="ranking-table"', 1)[1].split("</table>", 1)[0]
    return re.findall(r'<td class="as-subject"><a href="[^"]+">([^<]+)</a>', body)


def publish(story, period=SEPTEMBER, subject_type="district"):
    return services.publication_publish(
        period_key=period, subject_type=subject_type, actor=story.office
    )


@pytest.fixture
def published(story):
    return publish(story)


@pytest.fixture
def zhangwan_operator(story):
    return story.city.user(Role.DISTRICT_OPERATOR, "420303", full_name="张湾区管理员")


def zhangwan_result(publication, story):
    return publication.results.get(subject_id=story.zhangwan)


def file_appeal(result, actor, requested="20"):
    return services.appeal_file(
        result_id=result.pk,
        component_position=1,
        requested_points=requested,
        reason="9月1日井盖案件已在时限内处置,系统记录有误",
        actor=actor,
    )


# -- rankings --------------------------------------------------------------------------------
def test_the_office_sees_the_draft_ranking(client, story):
    client.force_login(story.office)
    response = client.get(RANKINGS, {"period": SEPTEMBER, "type": "district"})
    assert response.status_code == 200
    text = page_text(response)
    assert 'id="rankings-status">草稿' in text
    assert "2026年9月区县考评排名" in text
    assert rows_of(response) == ["茅箭区", "张湾区"]
    # Each component's points, with how they were earned in the cell's title.
    assert "按期结案率 50.00%,目标 90%" in text
    assert "<strong>75</strong>" in text and "<strong>60</strong>" in text
    assert 'id="publish-button"' in text
    assert "申诉调整" not in text


def test_the_ranking_defaults_to_the_last_complete_quarter(client, story):
    client.force_login(story.office)
    response = client.get(RANKINGS)
    assert response.status_code == 200
    assert "2026年第三季度区县考评排名" in page_text(response)
    # The quarter has no survey figures yet: the office is told before publishing.
    assert 'id="rankings-missing"' in page_text(response)


def test_red_and_black_boards_follow_the_setting(client, story, settings):
    settings.ASSESSMENT_BOARD_SIZE = 1
    client.force_login(story.office)
    response = client.get(RANKINGS, {"period": SEPTEMBER, "type": "street"})
    text = page_text(response)
    red = text.split('id="red-board"', 1)[1].split("</section>", 1)[0]
    black = text.split('id="black-board"', 1)[1].split("</section>", 1)[0]
    assert "二堰街道" in red and "武当路街道" not in red and "车城路街道" not in red
    assert "车城路街道" in black and "二堰街道" not in black
    assert "前 1 名" in red and "后 1 名" in black


@pytest.mark.parametrize("role,home,seen", READERS)
def test_readers_see_only_their_own_lines_with_city_wide_ranks(client, story, role, home, seen):
    client.force_login(story.city.user(role, home))
    response = client.get(RANKINGS, {"period": SEPTEMBER, "type": "street"})
    assert response.status_code == 200
    assert set(rows_of(response)) == {STREETS[code] for code in seen}
    text = page_text(response)
    assert 'id="publish-button"' not in text
    assert "共 3 个对象" in text or "全市 3 个对象" in text
    if "420302001" in seen:  # 武当路街道 is second city-wide, whoever looks
        assert re.search(r'<td class="num as-rank">2</td>', text)


@pytest.mark.parametrize(
    "query,message",
    [
        ({"period": "2026-13", "type": "district"}, "考评周期格式不正确"),
        ({"period": "Q3-2026", "type": "district"}, "考评周期格式不正确"),
        ({"period": SEPTEMBER, "type": "province"}, "考评对象类型不正确"),
        ({"kind": "week", "type": "district"}, "请选择考评周期类型"),
    ],
)
def test_bad_choices_answer_400_with_the_reason(client, story, query, message):
    client.force_login(story.office)
    response = client.get(RANKINGS, query)
    assert response.status_code == 400
    assert message in page_text(response)
    assert 'id="ranking-table"' not in page_text(response)


def test_field_staff_are_ranked_for_the_office_only(client, story):
    client.force_login(story.office)
    assert client.get(RANKINGS, {"period": SEPTEMBER, "type": "staff"}).status_code == 200
    client.force_login(story.city.user(Role.DISTRICT_OPERATOR, "420302"))
    response = client.get(RANKINGS, {"period": SEPTEMBER, "type": "staff"})
    assert response.status_code == 400
    assert "考评对象类型不正确" in page_text(response)


def test_a_type_without_scheme_says_so(client, story):
    client.force_login(story.office)
    response = client.get(RANKINGS, {"period": SEPTEMBER, "type": "community"})
    assert response.status_code == 200
    assert "尚未制定社区考评方案" in page_text(response)


def test_the_ranking_exports_to_xlsx(client, story):
    client.force_login(story.office)
    response = client.get(RANKINGS, {"period": SEPTEMBER, "type": "district", "format": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("名次", "名次变化", "编码", "考评对象")
    assert "按期结案率(满分 40)" in rows[0]
    assert [(r[0], r[2], r[3], r[-1]) for r in rows[1:]] == [
        (1, "420302", "茅箭区", 75),
        (2, "420303", "张湾区", 60),
    ]


def test_the_export_keeps_to_the_scope_and_needs_export_rights(client, story):
    client.force_login(story.city.user(Role.STREET_OPERATOR, "420302001"))
    response = client.get(RANKINGS, {"period": SEPTEMBER, "type": "street", "format": "xlsx"})
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert [r[3] for r in rows[1:]] == ["武当路街道"]
    client.force_login(story.city.user(Role.COLLECTOR, "420302001"))
    response = client.get(RANKINGS, {"period": SEPTEMBER, "type": "street", "format": "xlsx"})
    assert response.status_code == 403
    assert "没有导出考评结果的权限" in page_text(response)


# -- publish and withdraw --------------------------------------------------------------------
def test_the_office_publishes_a_draft(client, story):
    client.force_login(story.office)
    response = client.post(
        reverse("assessment:publish"),
        {"period": SEPTEMBER, "type": "district", "note": "经市创文办主任办公会审定"},
    )
    publication = Publication.objects.get()
    assert response.status_code == 302
    assert response["Location"].endswith(f"?period={SEPTEMBER}&type=district")
    assert publication.note == "经市创文办主任办公会审定"
    assert AuditEvent.objects.filter(action="assessment.publish").exists()
    text = page_text(client.get(response["Location"]))
    assert 'id="rankings-status">已发布' in text
    assert "经市创文办主任办公会审定" in text
    assert "撤回发布" in text
    assert 'id="publish-button"' not in text


@pytest.mark.parametrize("role,home", NOT_OFFICE)
def test_publishing_is_refused_to_everyone_but_the_office(client, story, role, home):
    client.force_login(story.city.user(role, home))
    response = client.post(reverse("assessment:publish"), {"period": SEPTEMBER, "type": "district"})
    assert response.status_code == 403
    assert "只有市创文办可以发布考评结果" in page_text(response)
    assert not Publication.objects.exists()


@pytest.mark.parametrize(
    "data,status,message",
    [
        ({"period": "2026-10", "type": "district"}, 400, "2026年10月尚未结束,不能发布"),
        ({"period": "2026-Q3", "type": "district"}, 409, "尚有对象未录入数据"),
        ({"period": SEPTEMBER, "type": "community"}, 400, "尚未制定社区考评方案,不能发布"),
        ({"period": "2026-9", "type": "district"}, 400, "考评周期格式不正确"),
    ],
)
def test_a_refused_publication_shows_why(client, story, data, status, message):
    client.force_login(story.office)
    response = client.post(reverse("assessment:publish"), data)
    assert response.status_code == status
    assert message in page_text(response)
    assert not Publication.objects.exists()


def test_the_office_withdraws_with_a_reason(client, story, published):
    client.force_login(story.office)
    url = reverse("assessment:withdraw", args=[published.pk])
    response = client.post(url, {"reason": ""})
    assert response.status_code == 400
    assert "请填写撤回理由" in page_text(response)
    response = client.post(url, {"reason": "张湾区满意度数据录入有误"})
    assert response.status_code == 302
    published.refresh_from_db()
    assert published.status == PublicationStatus.WITHDRAWN
    assert published.withdraw_reason == "张湾区满意度数据录入有误"
    assert 'id="rankings-status">草稿' in page_text(client.get(response["Location"]))


@pytest.mark.parametrize("role,home", NOT_OFFICE)
def test_withdrawing_is_refused_to_everyone_but_the_office(client, story, published, role, home):
    client.force_login(story.city.user(role, home))
    response = client.post(
        reverse("assessment:withdraw", args=[published.pk]), {"reason": "不认可"}
    )
    assert response.status_code == 403
    published.refresh_from_db()
    assert published.status == PublicationStatus.PUBLISHED


def test_the_trend_shows_published_totals(client, story, published):
    client.force_login(story.office)
    response = client.get(RANKINGS, {"period": SEPTEMBER, "type": "district"})
    data = json.loads(
        response.content.decode()
        .split('id="trend-data" type="application/json">', 1)[1]
        .split("</script>", 1)[0]
    )
    assert data["periods"][-1] == "2026年9月"
    assert len(data["periods"]) == 6
    by_name = {s["name"]: s["totals"] for s in data["series"]}
    assert by_name["茅箭区"][-1] == 75.0 and by_name["张湾区"][-1] == 60.0
    assert by_name["茅箭区"][0] is None


def test_no_trend_before_anything_is_published(client, story):
    client.force_login(story.office)
    response = client.get(RANKINGS, {"period": SEPTEMBER, "type": "district"})
    assert 'id="trend-empty"' in page_text(response)


# -- one result ------------------------------------------------------------------------------
def test_a_published_result_explains_every_point(client, story, published):
    result = zhangwan_result(published, story)
    client.force_login(story.office)
    response = client.get(reverse("assessment:result_detail", args=[result.pk]))
    assert response.status_code == 200
    text = page_text(response)
    assert "按期结案率 0.00%,目标 90%,低 90.00 个百分点 × 0.5 分 = 扣 45.00 分" in text
    assert "扣完为止" in text
    # The case indicators with their formulas.
    assert "按期结案数 ÷ (应结案数 − 缓办数) × 100%。" in text
    assert "第 2 名 / 共 2 个" in text
    # The office decides appeals; it does not file them.
    assert 'id="appeal-form"' not in text


@pytest.mark.parametrize(
    "role,home",
    [
        (Role.DISTRICT_OPERATOR, "420302"),
        (Role.STREET_OPERATOR, "420302001"),
        (Role.COMMUNITY_OPERATOR, "420302001001"),
        (Role.UNIT_HANDLER, "420302001"),
        (Role.COLLECTOR, "420302001"),
    ],
)
def test_a_result_outside_the_scope_is_not_found(client, story, published, role, home):
    result = zhangwan_result(published, story)
    client.force_login(story.city.user(role, home))
    assert client.get(reverse("assessment:result_detail", args=[result.pk])).status_code == 404
    response = client.post(
        reverse("assessment:appeal_file", args=[result.pk]),
        {"component_position": "1", "requested_points": "5", "reason": "有误"},
    )
    assert response.status_code == 404
    assert not Appeal.objects.exists()


def test_a_draft_result_is_read_in_scope_only(client, story):
    url = reverse("assessment:draft_detail", args=["district", SEPTEMBER, story.maojian])
    client.force_login(story.city.user(Role.STREET_OPERATOR, "420302001"))
    # A street does not see its district's line.
    assert client.get(url).status_code == 404
    client.force_login(story.city.user(Role.DISTRICT_OPERATOR, "420302"))
    response = client.get(url)
    assert response.status_code == 200
    text = page_text(response)
    assert 'id="result-status">草稿' in text
    assert "第 1 名 / 共 2 个" in text
    assert "群众满意度 85.00%,目标 90%" in text
    other = reverse("assessment:draft_detail", args=["district", SEPTEMBER, story.zhangwan])
    assert client.get(other).status_code == 404


@pytest.mark.parametrize(
    "subject_type,period",
    [("district", "2026-13"), ("province", SEPTEMBER), ("staff", SEPTEMBER)],
)
def test_a_draft_result_with_a_bad_address_is_not_found(client, story, subject_type, period):
    client.force_login(story.city.user(Role.DISTRICT_OPERATOR, "420302"))
    url = reverse("assessment:draft_detail", args=[subject_type, period, story.maojian])
    assert client.get(url).status_code == 404


def test_a_published_draft_address_leads_to_the_result(client, story, published):
    client.force_login(story.office)
    url = reverse("assessment:draft_detail", args=["district", SEPTEMBER, story.maojian])
    response = client.get(url)
    result = published.results.get(subject_id=story.maojian)
    assert response.status_code == 302
    assert response["Location"] == reverse("assessment:result_detail", args=[result.pk])


# -- appeals ---------------------------------------------------------------------------------
def test_the_subject_files_an_appeal_from_its_result(client, story, published, zhangwan_operator):
    result = zhangwan_result(published, story)
    client.force_login(zhangwan_operator)
    url = reverse("assessment:result_detail", args=[result.pk])
    text = page_text(client.get(url))
    assert 'id="appeal-form"' in text
    # Only components that lost points are offered.
    assert "按期结案率(失分 40)" in text
    assert "返工率(失分" not in text
    response = client.post(
        reverse("assessment:appeal_file", args=[result.pk]),
        {"component_position": "1", "requested_points": "20", "reason": "井盖案件按期处置"},
    )
    assert response.status_code == 302
    appeal = Appeal.objects.get()
    assert (appeal.component_label, appeal.requested_points) == ("按期结案率", Decimal("20"))
    assert appeal.filed_by == zhangwan_operator
    text = page_text(client.get(url))
    assert "待审核" in text and "井盖案件按期处置" in text
    # The component now waits for its review: it is not offered again.
    assert "按期结案率(失分 40)" not in text


@pytest.mark.parametrize(
    "data,field,message",
    [
        (
            {"component_position": "1", "requested_points": "很多", "reason": "有误"},
            "requested_points",
            "申请恢复分值须为数字",
        ),
        (
            {"component_position": "1", "requested_points": "41", "reason": "有误"},
            "requested_points",
            "不能超过该项失分 40 分",
        ),
        (
            {"component_position": "1", "requested_points": "0", "reason": "有误"},
            "requested_points",
            "申请恢复分值须大于 0",
        ),
        (
            {"component_position": "1", "requested_points": "5", "reason": " "},
            "reason",
            "请填写申诉理由",
        ),
        (
            {"component_position": "2", "requested_points": "5", "reason": "有误"},
            "component_position",
            "未失分,无需申诉",
        ),
        (
            {"component_position": "9", "requested_points": "5", "reason": "有误"},
            "component_position",
            "请选择要申诉的计分项",
        ),
    ],
)
def test_a_bad_appeal_form_is_shown_again_with_the_reason(
    client, story, published, zhangwan_operator, data, field, message
):
    result = zhangwan_result(published, story)
    client.force_login(zhangwan_operator)
    response = client.post(reverse("assessment:appeal_file", args=[result.pk]), data)
    assert response.status_code == 400
    text = page_text(response)
    assert 'id="appeal-error">' in text and message in text
    # What was typed stays in the form.
    assert data["reason"].strip() in text
    assert re.search(rf'name="{field}"[^>]*aria-invalid="true"', text) or (
        field == "reason" and 'aria-invalid="true">' in text
    )
    assert not Appeal.objects.exists()


@pytest.mark.parametrize("role,home", [(Role.CITY_OPERATOR, "city"), (Role.LEADER, "city")])
def test_the_office_and_leaders_do_not_appeal(client, story, published, role, home):
    result = zhangwan_result(published, story)
    client.force_login(story.city.user(role, home))
    response = client.post(
        reverse("assessment:appeal_file", args=[result.pk]),
        {"component_position": "1", "requested_points": "5", "reason": "有误"},
    )
    assert response.status_code == 403
    assert "只有被考评对象可以对本结果提出申诉" in page_text(response)
    assert not Appeal.objects.exists()


def test_the_office_accepts_an_appeal_and_the_ranking_follows(
    client, story, published, zhangwan_operator
):
    result = zhangwan_result(published, story)
    appeal = file_appeal(result, zhangwan_operator, requested="20")
    client.force_login(story.office)
    listing = page_text(client.get(reverse("assessment:appeal_list")))
    assert "张湾区" in listing and "data-decide" in listing
    response = client.post(
        reverse("assessment:appeal_decide", args=[appeal.pk]),
        {"status": "accepted", "note": "", "version": appeal.version, "list_status": "pending"},
    )
    assert response.status_code == 302
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.ACCEPTED
    assert (appeal.total_before, appeal.total_after) == (Decimal("60"), Decimal("80"))
    assert (appeal.rank_before, appeal.rank_after) == (2, 1)
    message = page_text(client.get(response["Location"]))
    assert "最终得分 60 → 80,名次 2 → 1" in message
    ranking = client.get(RANKINGS, {"period": SEPTEMBER, "type": "district"})
    assert rows_of(ranking) == ["张湾区", "茅箭区"]
    text = page_text(ranking)
    assert "申诉调整" in text and "+20" in text
    # The trace on the result.
    detail = page_text(client.get(reverse("assessment:result_detail", args=[result.pk])))
    assert "得分 60 → 80,名次 2 → 1" in detail


def test_a_partial_decision_grants_the_points_typed(client, story, published, zhangwan_operator):
    appeal = file_appeal(zhangwan_result(published, story), zhangwan_operator, requested="20")
    client.force_login(story.office)
    response = client.post(
        reverse("assessment:appeal_decide", args=[appeal.pk]),
        {"status": "partial", "granted_points": "8", "note": "一件案件超时属实"},
    )
    assert response.status_code == 302
    appeal.refresh_from_db()
    assert (appeal.status, appeal.granted_points) == (AppealStatus.PARTIAL, Decimal("8"))


@pytest.mark.parametrize(
    "data,status,message",
    [
        (
            {"status": "partial", "granted_points": "", "note": "部分属实"},
            400,
            "部分采纳须填写核准恢复分值",
        ),
        (
            {"status": "partial", "granted_points": "二十", "note": "部分属实"},
            400,
            "核准恢复分值须为数字",
        ),
        (
            {"status": "partial", "granted_points": "20", "note": "部分属实"},
            400,
            "应大于 0 且小于申请的 20 分",
        ),
        ({"status": "rejected", "note": ""}, 400, "请填写审核意见"),
        ({"status": "", "note": "x"}, 400, "请选择审核结论"),
        ({"status": "accepted", "version": "99"}, 409, "数据已被他人修改"),
    ],
)
def test_a_bad_decision_is_shown_beside_its_form(
    client, story, published, zhangwan_operator, data, status, message
):
    appeal = file_appeal(zhangwan_result(published, story), zhangwan_operator)
    client.force_login(story.office)
    response = client.post(
        reverse("assessment:appeal_decide", args=[appeal.pk]), {**data, "list_status": "pending"}
    )
    assert response.status_code == status
    text = page_text(response)
    assert 'id="decide-error">' in text and message in text
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.PENDING


def test_the_subject_sees_its_own_appeals_and_no_review_form(
    client, story, published, zhangwan_operator
):
    file_appeal(zhangwan_result(published, story), zhangwan_operator)
    client.force_login(zhangwan_operator)
    text = page_text(client.get(reverse("assessment:appeal_list")))
    assert "张湾区" in text and "按期结案率" in text
    assert "data-decide" not in text
    client.force_login(story.city.user(Role.DISTRICT_OPERATOR, "420302"))
    text = page_text(client.get(reverse("assessment:appeal_list")))
    assert 'id="no-appeals"' in text and "井盖案件" not in text


def test_the_appeal_list_filters_by_status(client, story, published, zhangwan_operator):
    file_appeal(zhangwan_result(published, story), zhangwan_operator)
    client.force_login(story.office)
    assert "张湾区" in page_text(client.get(reverse("assessment:appeal_list")))
    text = page_text(client.get(reverse("assessment:appeal_list"), {"status": "accepted"}))
    assert 'id="no-appeals"' in text


@pytest.mark.parametrize(
    "role,home,found",
    [
        (Role.DISTRICT_OPERATOR, "420303", True),
        (Role.UNIT_HANDLER, "420303", True),
        (Role.LEADER, "city", True),
        (Role.STREET_OPERATOR, "420303001", False),
        (Role.DISTRICT_OPERATOR, "420302", False),
        (Role.UNIT_HANDLER, "dept", False),
    ],
)
def test_deciding_is_for_the_office(client, story, published, zhangwan_operator, role, home, found):
    appeal = file_appeal(zhangwan_result(published, story), zhangwan_operator)
    client.force_login(story.city.user(role, home))
    response = client.post(
        reverse("assessment:appeal_decide", args=[appeal.pk]), {"status": "accepted"}
    )
    # Inside the scope the refusal is explained; outside it the appeal does not exist.
    assert response.status_code == (403 if found else 404)
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.PENDING


# -- schemes ---------------------------------------------------------------------------------
def scheme_post(rows, name="街道考评方案(修订)", note="提高按期结案率权重"):
    data = {"name": name, "note": note}
    for field in ("kind", "indicator", "label", "max_points", "rule", "target", "step"):
        data[field] = [row.get(field, "") for row in rows]
    return data


def test_everyone_reads_the_schemes(client, story):
    client.force_login(story.city.user(Role.STREET_OPERATOR, "420302001"))
    text = page_text(client.get(reverse("assessment:scheme_list")))
    assert "区县月度考评方案" in text and "街道考评方案" in text
    assert "/assessment/schemes/edit/" not in text
    scheme = Scheme.objects.get(subject_type="district", is_current=True)
    text = page_text(client.get(reverse("assessment:scheme_detail", args=[scheme.pk])))
    assert "按期结案率" in text and "负面清单与问责扣分" in text
    assert "按期结案数 ÷ (应结案数 − 缓办数) × 100%。" in text
    assert "/assessment/schemes/edit/" not in text


def test_a_city_admin_saves_a_new_version(client, story):
    client.force_login(story.admin)
    url = reverse("assessment:scheme_edit", args=["street"])
    form = page_text(client.get(url))
    assert 'value="街道考评方案"' in form and 'value="按期结案率"' in form
    rows = [
        {**STREET_SCHEME[0], "max_points": "80"},
        {"kind": "penalty", "label": "负面清单扣分", "max_points": "20", "rule": "deduction"},
        {},  # a spare row left blank
    ]
    response = client.post(url, scheme_post(rows))
    scheme = Scheme.objects.get(subject_type="street", is_current=True)
    assert response.status_code == 302
    assert response["Location"] == reverse("assessment:scheme_detail", args=[scheme.pk])
    assert (scheme.version, scheme.name, scheme.note) == (
        2,
        "街道考评方案(修订)",
        "提高按期结案率权重",
    )
    assert [(c.label, c.max_points) for c in scheme.components.all()] == [
        ("按期结案率", Decimal("80")),
        ("负面清单扣分", Decimal("20")),
    ]
    older = Scheme.objects.get(subject_type="street", version=1)
    text = page_text(client.get(reverse("assessment:scheme_detail", args=[older.pk])))
    assert "这是历史版本,只读" in text


@pytest.mark.parametrize(
    "rows,message",
    [
        ([{**STREET_SCHEME[0], "max_points": "很多"}], "第 1 项分值须为数字"),
        ([{**STREET_SCHEME[0], "target": ""}], "第 1 项:请填写目标值"),
        ([{**STREET_SCHEME[0], "indicator": "reported"}], "是计数指标,不能单独计分"),
        ([{}], "考评方案至少要有一个计分项"),
    ],
)
def test_a_bad_scheme_is_shown_again_with_the_reason(client, story, rows, message):
    client.force_login(story.admin)
    response = client.post(reverse("assessment:scheme_edit", args=["street"]), scheme_post(rows))
    assert response.status_code == 400
    text = page_text(response)
    assert 'id="scheme-error">' in text and message in text
    assert 'value="街道考评方案(修订)"' in text
    assert Scheme.objects.filter(subject_type="street").count() == 1


@pytest.mark.parametrize(
    "role,home",
    [(Role.CITY_OPERATOR, "city"), (Role.LEADER, "city"), (Role.DISTRICT_OPERATOR, "420302")],
)
def test_only_city_admins_edit_schemes(client, story, role, home):
    client.force_login(story.city.user(role, home))
    url = reverse("assessment:scheme_edit", args=["street"])
    assert client.get(url).status_code == 403
    response = client.post(url, scheme_post(STREET_SCHEME))
    assert response.status_code == 403
    assert "只有市创文办系统管理员可以制定考评方案" in page_text(response)
    assert Scheme.objects.filter(subject_type="street").count() == 1


def test_scheme_pages_with_bad_addresses_are_not_found(client, story):
    client.force_login(story.admin)
    assert client.get(reverse("assessment:scheme_edit", args=["province"])).status_code == 404
    assert client.get(reverse("assessment:scheme_detail", args=[9999])).status_code == 404
    district = Scheme.objects.get(subject_type="district")
    url = reverse("assessment:scheme_edit", args=["street"])
    assert client.get(url, {"from": district.pk}).status_code == 404


# -- entered figures -------------------------------------------------------------------------
def figures_url(period=SEPTEMBER, subject_type="district") -> str:
    return f"{reverse('assessment:figures')}?period={period}&type={subject_type}"


def test_the_office_corrects_an_entered_figure(client, story):
    client.force_login(story.office)
    text = page_text(client.get(figures_url()))
    assert f'name="survey_{story.maojian}" value="85"' in text
    response = client.post(
        reverse("assessment:figures"),
        {
            "period": SEPTEMBER,
            "type": "district",
            f"survey_{story.maojian}": "88.5",
            f"survey_{story.zhangwan}": "95",  # unchanged: not written again
            f"material_{story.maojian}": "",
            "note": "调查机构更正报告",
        },
    )
    assert response.status_code == 302
    figure = EnteredFigure.objects.get(subject_id=story.maojian, kind="survey")
    assert (figure.value, figure.note) == (Decimal("88.5"), "调查机构更正报告")
    unchanged = EnteredFigure.objects.get(subject_id=story.zhangwan, kind="survey")
    assert unchanged.note == "第三方调查机构报告"
    assert not EnteredFigure.objects.filter(kind="material").exists()
    assert "已保存 1 项录入数据" in page_text(client.get(response["Location"]))


@pytest.mark.parametrize(
    "value,message", [("120", "数值应在 0 到 100 之间"), ("八十", "数值须为数字")]
)
def test_a_bad_figure_is_refused_and_kept_in_the_table(client, story, value, message):
    client.force_login(story.office)
    response = client.post(
        reverse("assessment:figures"),
        {"period": SEPTEMBER, "type": "district", f"survey_{story.maojian}": value},
    )
    assert response.status_code == 400
    text = page_text(response)
    assert message in text and "茅箭区" in text
    assert f'name="survey_{story.maojian}" value="{value}"' in text
    assert EnteredFigure.objects.get(subject_id=story.maojian, kind="survey").value == 85


def test_figures_of_a_published_period_are_locked(client, story, published):
    client.force_login(story.office)
    assert 'id="figures-locked"' in page_text(client.get(figures_url()))
    response = client.post(
        reverse("assessment:figures"),
        {"period": SEPTEMBER, "type": "district", f"survey_{story.maojian}": "99"},
    )
    assert response.status_code == 409
    assert "须先撤回发布" in page_text(response)


def test_figures_with_a_bad_period_answer_400(client, story):
    client.force_login(story.office)
    response = client.get(figures_url(period="2026-Q5"))
    assert response.status_code == 400
    assert "考评周期格式不正确" in page_text(response)


@pytest.mark.parametrize("role,home", NOT_OFFICE)
def test_figures_are_for_the_office(client, story, role, home):
    client.force_login(story.city.user(role, home))
    assert client.get(figures_url()).status_code == 403
    response = client.post(
        reverse("assessment:figures"),
        {"period": SEPTEMBER, "type": "district", f"survey_{story.maojian}": "99"},
    )
    assert response.status_code == 403
    assert EnteredFigure.objects.get(subject_id=story.maojian, kind="survey").value == 85


# -- indicators and navigation ---------------------------------------------------------------
def test_the_indicators_page_documents_every_indicator(client, story):
    client.force_login(story.city.user(Role.UNIT_HANDLER, "420302001"))
    response = client.get(reverse("assessment:indicator_list"))
    text = page_text(response)
    for indicator in INDICATORS:
        assert f'id="indicator-{indicator.code}"' in text
        assert indicator.formula in text


@pytest.mark.parametrize(
    "role,home,assessment,dashboard",
    [
        (Role.CITY_ADMIN, "city", True, True),
        (Role.CITY_OPERATOR, "city", True, True),
        (Role.LEADER, "city", True, True),
        (Role.DISTRICT_OPERATOR, "420302", True, True),
        (Role.STREET_OPERATOR, "420302001", True, True),
        (Role.COMMUNITY_OPERATOR, "420302001001", True, False),
        (Role.UNIT_HANDLER, "420302001", True, False),
        (Role.COLLECTOR, "420302001", False, False),
        (Role.INSPECTOR, "420302001", False, False),
    ],
)
def test_the_navigation_offers_assessment_to_its_readers(
    client, story, role, home, assessment, dashboard
):
    client.force_login(story.city.user(role, home))
    nav = page_text(client.get("/")).split('id="mainnav"', 1)[1].split("</nav>", 1)[0]
    assert bool(re.search(r'href="/assessment/"[^>]*>考评<', nav)) is assessment
    assert bool(re.search(r'href="/assessment/dashboard/"[^>]*>领导驾驶舱<', nav)) is dashboard
