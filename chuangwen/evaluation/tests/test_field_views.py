"""The inspector's phone pages and their two JSON endpoints (chuangwen/evaluation/views/field.py)."""

import json
import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from chuangwen.cases.models import Case, CasePhoto
from chuangwen.core import clock
from chuangwen.evaluation import selectors, services
from chuangwen.evaluation.choices import (
    InspectionStatus,
    ReinspectionStatus,
    Result,
    RoundKind,
)
from chuangwen.evaluation.models import Inspection, ItemResult, Reinspection, RoundItem
from chuangwen.org.choices import Role
from chuangwen.testing.images import jpeg

pytestmark = pytest.mark.django_db

POINT = "MARKET-420302001001"  # in 茅箭区 › 武当路街道 › 武当1社区


# -- set-up --------------------------------------------------------------------------------
@pytest.fixture
def admin(city):
    return city.user(Role.CITY_ADMIN, "city", full_name="创文办管理员")


@pytest.fixture
def insp1(registry):
    return registry.inspectors[0]


@pytest.fixture
def insp2(registry):
    return registry.inspectors[1]


def plan(registry, admin, *, start=True):
    today = selectors.today()
    round_ = services.round_create(
        name="十一月双月测评",
        kind=RoundKind.BIMONTHLY,
        starts_on=today,
        due_on=today + timedelta(days=14),
        inspector_ids=[u.pk for u in registry.inspectors],
        point_ids=[p.pk for p in registry.points.values()],
        seed=7,
        actor=admin,
    )
    return services.round_start(round_id=round_.pk, actor=admin) if start else round_


@pytest.fixture
def open_round(registry, admin):
    return plan(registry, admin)


@pytest.fixture
def market(open_round, registry, admin, insp1):
    """The market of 武当1社区, assigned to insp1 whatever the route planner drew."""
    inspection = Inspection.objects.get(round=open_round, point=registry.points[POINT])
    if inspection.inspector_id != insp1.pk:
        services.inspection_reassign(
            inspection_id=inspection.pk, inspector_id=insp1.pk, actor=admin
        )
    return Inspection.objects.select_related("point").get(pk=inspection.pk)


def items_of(inspection) -> dict[str, RoundItem]:
    return {
        i.text: i
        for i in RoundItem.objects.filter(
            round=inspection.round_id, point_type=inspection.point.point_type_id
        )
    }


def upload(client) -> int:
    response = client.post("/evaluation/field/photos/", {"photo": jpeg()})
    assert response.status_code == 200, response.content
    return response.json()["id"]


def payload(inspection, photo_ids=(), *, key="key-1", occurrences=2, **overrides) -> dict:
    """地面无暴露垃圾 failed (2 places, −4), the rest passed: 21 of 25."""
    items = items_of(inspection)
    point = inspection.point
    data = {
        "submission_key": key,
        "results": [
            {
                "item_id": items["地面无暴露垃圾"].pk,
                "result": "fail",
                "occurrences": occurrences,
                "note": "东门两处垃圾堆放",
                "photo_ids": list(photo_ids),
            },
            {"item_id": items["无乱扔垃圾现象"].pk, "result": "pass"},
            {"item_id": items["无占道经营"].pk, "result": "pass"},
        ],
        "checkin": {"lat": point.lat, "lng": point.lng, "at": clock.now().isoformat()},
        "note": "市场整体整洁",
    }
    data.update(overrides)
    return data


def submit(client, inspection, data):
    return client.post(
        f"/evaluation/field/{inspection.pk}/submit/",
        data=json.dumps(data),
        content_type="application/json",
    )


def form_data(response) -> dict:
    match = re.search(
        r'<script id="ef-form-data" type="application/json">(.*?)</script>',
        response.content.decode(),
        re.S,
    )
    assert match, "the capture page embeds its form data"
    return json.loads(match.group(1))


# -- field_submit --------------------------------------------------------------------------
def test_submit_scores_the_point_and_opens_a_case_per_failed_item(client, market, insp1):
    client.force_login(insp1)
    photo_id = upload(client)
    response = submit(client, market, payload(market, [photo_id]))
    assert response.status_code == 200, response.content
    answer = response.json()
    market.refresh_from_db()
    codes = list(
        ItemResult.objects.filter(inspection=market, case__isnull=False).values_list(
            "case__code", flat=True
        )
    )
    assert answer == {
        "id": market.pk,
        "status": "submitted",
        "status_label": "待审核",
        "score": "21.00",
        "max": "25.00",
        "failed": 1,
        "cases": codes,
        "url": f"/evaluation/field/{market.pk}/",
    }
    assert len(codes) == 1
    assert market.status == InspectionStatus.SUBMITTED
    assert market.submission_key == "key-1"
    assert market.checkin_distance_m == 0
    assert market.note == "市场整体整洁"
    case = Case.objects.get(code=codes[0])
    assert list(case.photos.values_list("pk", flat=True)) == [photo_id]
    assert Reinspection.objects.filter(case=case, inspector=insp1).count() == 1


def test_the_same_submission_sent_again_is_taken_once(client, market, insp1):
    client.force_login(insp1)
    data = payload(market, [upload(client)])
    first = submit(client, market, data)
    again = submit(client, market, data)
    assert first.status_code == again.status_code == 200
    assert again.json() == first.json()
    assert Case.objects.count() == 1
    assert ItemResult.objects.filter(inspection=market).count() == 3


def test_a_second_submission_with_a_new_key_is_refused(client, market, insp1):
    client.force_login(insp1)
    photo_id = upload(client)
    assert submit(client, market, payload(market, [photo_id])).status_code == 200
    response = submit(client, market, payload(market, [photo_id], key="key-2"))
    assert response.status_code == 409
    assert response.json()["detail"] == "该点位已待审核,不能重复提交。"
    assert Case.objects.count() == 1


@pytest.mark.parametrize(
    ("role", "unit"),
    [
        (Role.INSPECTOR, "city"),
        (Role.OBSERVER, "420302001"),
        (Role.CITY_OPERATOR, "city"),
        (Role.CITY_ADMIN, "city"),
        (Role.STREET_OPERATOR, "420302001"),
        (Role.COMMUNITY_OPERATOR, "420302001001"),
    ],
)
def test_only_the_assigned_inspector_may_submit(client, market, city, role, unit):
    other = city.user(role, unit)
    client.force_login(other)
    response = submit(client, market, payload(market))
    assert response.status_code == 403
    assert response.json() == {"detail": "该点位不是分配给您的测评任务。"}
    market.refresh_from_db()
    assert market.status == InspectionStatus.ASSIGNED


def test_the_other_inspector_of_the_round_is_refused(client, market, insp2):
    client.force_login(insp2)
    response = submit(client, market, payload(market))
    assert response.status_code == 403
    assert Inspection.objects.get(pk=market.pk).status == InspectionStatus.ASSIGNED


@pytest.mark.parametrize(
    ("role", "unit"),
    [
        (Role.STREET_OPERATOR, "420303001"),
        (Role.COMMUNITY_OPERATOR, "420302001002"),
        (Role.INSPECTOR, "420303001"),
        (Role.DISTRICT_OPERATOR, "420303"),
        (Role.UNIT_HANDLER, "dept"),
    ],
)
def test_an_inspection_outside_the_scope_answers_404(client, market, city, role, unit):
    client.force_login(city.user(role, unit))
    response = submit(client, market, payload(market))
    assert response.status_code == 404
    assert response.json() == {"detail": "测评任务不存在。"}
    assert client.get(f"/evaluation/field/{market.pk}/").status_code == 404
    assert Inspection.objects.get(pk=market.pk).status == InspectionStatus.ASSIGNED


def test_an_unknown_inspection_answers_404(client, market, insp1):
    client.force_login(insp1)
    response = client.post(
        "/evaluation/field/999999/submit/", data="{}", content_type="application/json"
    )
    assert response.status_code == 404


def test_a_draft_round_is_not_there_for_its_inspectors(client, registry, admin, insp1):
    draft = plan(registry, admin, start=False)
    inspection = Inspection.objects.filter(round=draft, inspector=insp1).first()
    client.force_login(insp1)
    assert client.get(f"/evaluation/field/{inspection.pk}/").status_code == 404
    assert submit(client, inspection, {"submission_key": "k"}).status_code == 404


def test_an_expired_session_answers_401_not_a_login_page(client, market):
    response = submit(client, market, payload(market))
    assert response.status_code == 401
    assert response.json()["detail"] == "登录已过期,请重新登录后再提交。"
    photo = client.post("/evaluation/field/photos/", {"photo": jpeg()})
    assert photo.status_code == 401
    assert CasePhoto.objects.count() == 0


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"submission_key": ""}, "submission_key", "请填写提交标识。"),
        ({"results": "all fine"}, "results", "检查结果格式不正确。"),
        ({"results": [1, 2, 3]}, "results", "检查结果格式不正确。"),
        ({"checkin": "here"}, "checkin", "签到信息格式不正确。"),
        ({"note": 12}, "note", "总体说明格式不正确。"),
        ({"checkin": {"lat": 32.5, "lng": 110.3}}, "checkin", None),
        ({"checkin": {}}, "checkin", "未取得定位,请说明原因后提交。"),
        ({"note": "长" * 1001}, "note", "总体说明不能超过 1000 个字。"),
    ],
)
def test_bad_input_answers_400_with_the_field(client, market, insp1, change, field, message):
    client.force_login(insp1)
    data = payload(market, [upload(client)])
    data.update(change)
    response = submit(client, market, data)
    assert response.status_code == 400
    body = response.json()
    assert body["field"] == field
    if message:
        assert body["detail"] == message
    else:
        assert "超出 200 米,请说明原因" in body["detail"]
    assert Inspection.objects.get(pk=market.pk).status == InspectionStatus.ASSIGNED
    assert Case.objects.count() == 0


def test_a_far_check_in_with_a_reason_is_recorded_as_an_exception(client, market, insp1):
    client.force_login(insp1)
    data = payload(market, [upload(client)])
    data["checkin"] = {"lat": 32.5, "lng": 110.3, "exception": "定位漂移,已在市场东门"}
    assert submit(client, market, data).status_code == 200
    market.refresh_from_db()
    assert market.checkin_exception == "定位漂移,已在市场东门"
    assert market.checkin_distance_m > 200


def test_missing_items_and_missing_evidence_are_refused(client, market, insp1):
    client.force_login(insp1)
    data = payload(market)  # failed item without its photo
    response = submit(client, market, data)
    assert response.status_code == 400
    assert response.json() == {
        "detail": "检查项“地面无暴露垃圾”不合格,须拍照取证。",
        "field": "results",
    }
    data = payload(market, [upload(client)])
    data["results"] = data["results"][:2]
    response = submit(client, market, data)
    assert response.status_code == 400
    assert response.json()["detail"] == "还有 1 项未填写:无占道经营。"


@pytest.mark.parametrize("body", ["not json", "[1, 2]", '"text"'])
def test_a_body_that_is_not_a_json_object_answers_400(client, market, insp1, body):
    client.force_login(insp1)
    response = client.post(
        f"/evaluation/field/{market.pk}/submit/", data=body, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json() == {"detail": "提交内容格式不正确。"}


def test_another_inspectors_photo_cannot_be_used(client, market, insp1, insp2):
    client.force_login(insp2)
    theirs = upload(client)
    client.force_login(insp1)
    response = submit(client, market, payload(market, [theirs]))
    assert response.status_code == 400
    assert response.json()["detail"] == "照片不存在、已被使用或不是您上传的。"


def test_submit_only_takes_post(client, market, insp1):
    client.force_login(insp1)
    assert client.get(f"/evaluation/field/{market.pk}/submit/").status_code == 405


# -- field_photo ---------------------------------------------------------------------------
def test_a_photo_is_stored_for_its_uploader(client, insp1, registry):
    client.force_login(insp1)
    photo_id = upload(client)
    photo = CasePhoto.objects.get(pk=photo_id)
    assert photo.uploaded_by == insp1 and photo.case_id is None
    assert client.get(f"/cases/photos/{photo_id}/").status_code == 200


def test_a_file_that_is_not_a_picture_answers_400_with_the_message(client, insp1, registry):
    client.force_login(insp1)
    fake = SimpleUploadedFile("photo.jpg", b"not a picture at all", content_type="image/jpeg")
    response = client.post("/evaluation/field/photos/", {"photo": fake})
    assert response.status_code == 400
    assert response.json() == {
        "detail": "文件不是支持的图片格式,请上传 JPEG、PNG 或 WEBP 图片。",
        "field": "photo",
    }
    assert CasePhoto.objects.count() == 0


def test_a_photo_request_without_a_file_answers_400(client, insp1, registry):
    client.force_login(insp1)
    response = client.post("/evaluation/field/photos/", {})
    assert response.status_code == 400
    assert response.json() == {"detail": "请选择一张照片。", "field": "photo"}
    assert client.get("/evaluation/field/photos/").status_code == 405


def test_a_user_without_any_post_may_not_upload(client, registry):
    from chuangwen.testing.factories import UserFactory

    client.force_login(UserFactory())
    response = client.post("/evaluation/field/photos/", {"photo": jpeg()})
    assert response.status_code == 403
    assert response.json()["detail"] == "您的账号没有上传照片的权限。"


# -- 我的测评任务 ----------------------------------------------------------------------------
def test_home_lists_my_points_by_day_with_today_first(client, open_round, insp1, insp2):
    today = selectors.today()
    mine = list(Inspection.objects.filter(round=open_round, inspector=insp1).order_by("pk"))
    theirs = Inspection.objects.filter(round=open_round, inspector=insp2).first()
    assert len(mine) >= 3
    Inspection.objects.filter(pk=mine[0].pk).update(planned_on=today + timedelta(days=2))
    Inspection.objects.filter(pk=mine[1].pk).update(planned_on=today - timedelta(days=1))
    Inspection.objects.filter(pk__in=[m.pk for m in mine[2:]]).update(planned_on=today)
    client.force_login(insp1)
    response = client.get("/evaluation/field/")
    assert response.status_code == 200
    text = response.content.decode()
    for inspection in mine:
        assert f'data-inspection="{inspection.pk}"' in text
        assert inspection.point.name in text
    assert f'data-inspection="{theirs.pk}"' not in text
    # Today's group, then yesterday's (overdue), then the day after tomorrow.
    positions = [
        text.index(f'data-inspection="{pk}"') for pk in (mine[2].pk, mine[1].pk, mine[0].pk)
    ]
    assert positions == sorted(positions)
    assert text.index('ef-day-tag today">今天') < text.index('ef-day-tag late">逾期')
    late = re.search(rf'<li class="ef-task is-late" data-inspection="{mine[1].pk}"', text)
    assert late, "yesterday's unvisited point is marked overdue"
    markers = json.loads(
        re.search(r'<script id="ef-points" type="application/json">(.*?)</script>', text, re.S)[1]
    )
    assert sorted(m["id"] for m in markers) == sorted(m.pk for m in mine)
    assert all(m["url"] == f"/evaluation/field/{m['id']}/" for m in markers)


def test_home_shows_a_returned_point_with_its_reason(client, market, insp1, admin):
    client.force_login(insp1)
    assert submit(client, market, payload(market, [upload(client)])).status_code == 200
    services.inspection_review(
        inspection_id=market.pk, actor=admin, approve=False, note="照片看不清垃圾位置"
    )
    text = client.get("/evaluation/field/").content.decode()
    assert "已退回" in text and "照片看不清垃圾位置" in text


def test_home_lists_my_pending_reinspections(client, market, insp1, insp2):
    client.force_login(insp1)
    assert submit(client, market, payload(market, [upload(client)])).status_code == 200
    task = Reinspection.objects.get(result__inspection=market)
    text = client.get("/evaluation/field/").content.decode()
    assert "复查任务" in text and task.case.code in text
    assert f"/evaluation/field/reinspections/{task.pk}/" in text
    client.force_login(insp2)
    assert task.case.code not in client.get("/evaluation/field/").content.decode()


def test_home_for_someone_without_tasks(client, registry, city):
    client.force_login(city.user(Role.COLLECTOR, "420302001"))
    text = client.get("/evaluation/field/").content.decode()
    assert "目前没有进行中的测评任务。" in text and "没有待复查的问题。" in text


def test_home_needs_a_login(client, registry):
    response = client.get("/evaluation/field/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


# -- the capture page ----------------------------------------------------------------------
def test_the_assigned_inspector_gets_the_capture_form(client, market, insp1):
    client.force_login(insp1)
    response = client.get(f"/evaluation/field/{market.pk}/")
    assert response.status_code == 200
    data = form_data(response)
    assert data["id"] == market.pk and data["radius"] == open_radius(market)
    assert [s["name"] for s in data["sections"]] == ["环境卫生", "市场秩序"]
    assert data["photo_src"] == "/cases/photos/{id}/"
    text = response.content.decode()
    assert 'capture="environment"' in text and 'accept="image/*"' in text
    assert f'data-submit-url="/evaluation/field/{market.pk}/submit/"' in text
    # 不适用 only where the checklist allows it.
    assert text.count('value="na"') == 1


def open_radius(inspection) -> int:
    return inspection.round.checkin_radius_m


@pytest.mark.parametrize(
    ("role", "unit"),
    [(Role.INSPECTOR, "city"), (Role.CITY_OPERATOR, "city"), (Role.STREET_OPERATOR, "420302001")],
)
def test_others_in_scope_only_read(client, market, city, role, unit):
    client.force_login(city.user(role, unit))
    response = client.get(f"/evaluation/field/{market.pk}/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "ef-form-data" not in text
    assert "负责测评,您只能查看。" in text


def test_a_submitted_inspection_shows_its_results_read_only(client, market, insp1):
    client.force_login(insp1)
    assert submit(client, market, payload(market, [upload(client)])).status_code == 200
    code = ItemResult.objects.get(inspection=market, result=Result.FAIL).case.code
    response = client.get(f"/evaluation/field/{market.pk}/")
    text = response.content.decode()
    assert "ef-form-data" not in text
    assert "21 / 25" in text and "得分率 84.0%" in text
    assert code in text and "2 处,扣 4 分" in text and "东门两处垃圾堆放" in text
    assert 'data-settled="1"' in text


def test_a_returned_inspection_opens_with_its_answers_and_the_reason(client, market, insp1, admin):
    client.force_login(insp1)
    photo_id = upload(client)
    assert submit(client, market, payload(market, [photo_id])).status_code == 200
    services.inspection_review(
        inspection_id=market.pk, actor=admin, approve=False, note="请补充市场秩序照片"
    )
    response = client.get(f"/evaluation/field/{market.pk}/")
    text = response.content.decode()
    assert "请补充市场秩序照片" in text
    data = form_data(response)
    assert data["status"] == "returned"
    answers = {i["text"]: i for s in data["sections"] for i in s["items"]}
    assert answers["地面无暴露垃圾"]["result"] == "fail"
    assert answers["地面无暴露垃圾"]["occurrences"] == 2
    assert answers["地面无暴露垃圾"]["photo_ids"] == [photo_id]
    assert answers["无占道经营"]["result"] == "pass"
    # Sent again with the photo already on record and a new key: accepted, no new case.
    response = submit(client, market, payload(market, [photo_id], key="key-2", occurrences=3))
    assert response.status_code == 200
    assert response.json()["score"] == "19.00"
    assert Case.objects.count() == 1


def test_a_closed_round_is_read_only_for_its_inspector(client, market, insp1, admin):
    services.round_close(round_id=market.round_id, actor=admin)
    client.force_login(insp1)
    text = client.get(f"/evaluation/field/{market.pk}/").content.decode()
    assert "本轮测评已结束,不能再提交。" in text and "ef-form-data" not in text


# -- 复查 ----------------------------------------------------------------------------------
@pytest.fixture
def task(client, market, insp1):
    client.force_login(insp1)
    assert submit(client, market, payload(market, [upload(client)])).status_code == 200
    return Reinspection.objects.select_related("case").get(result__inspection=market)


def test_the_reinspection_page_shows_the_case_and_its_photos(client, task):
    response = client.get(f"/evaluation/field/reinspections/{task.pk}/")
    assert response.status_code == 200
    text = response.content.decode()
    assert task.case.code in text and "地面无暴露垃圾" in text
    photo = task.result.photos.get()
    assert f"/cases/photos/{photo.pk}/" in text
    assert 'name="result" value="pass"' in text


def test_a_reinspection_passed_goes_back_to_my_tasks(client, task):
    photo_id = upload(client)
    response = client.post(
        f"/evaluation/field/reinspections/{task.pk}/",
        {
            "result": "pass",
            "note": "已清理",
            "lat": "32.03",
            "lng": "110.03",
            "photo_ids": [photo_id],
        },
    )
    assert response.status_code == 302 and response["Location"] == "/evaluation/field/"
    task.refresh_from_db()
    assert task.status == ReinspectionStatus.PASSED
    assert (task.lat, task.lng, task.note) == (32.03, 110.03, "已清理")
    assert list(task.photos.values_list("pk", flat=True)) == [photo_id]
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages == [f"已记录复查合格:案件 {task.case.code}。"]


def test_a_reinspection_photo_may_come_with_the_form(client, task):
    response = client.post(
        f"/evaluation/field/reinspections/{task.pk}/",
        {"result": "fail", "note": "垃圾仍在", "photos": jpeg("blue")},
    )
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.status == ReinspectionStatus.FAILED and task.photos.count() == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"result": "fail", "note": ""}, "请填写复查说明。"),
        ({"note": "看过了"}, "请选择复查结果:合格或不合格。"),
        ({"result": "pass", "lat": "north", "lng": "110"}, "纬度必须是数字。"),
    ],
)
def test_a_bad_reinspection_is_shown_again_with_the_message(client, task, data, message):
    response = client.post(f"/evaluation/field/reinspections/{task.pk}/", data)
    assert response.status_code == 400
    assert message in response.content.decode()
    task.refresh_from_db()
    assert task.status == ReinspectionStatus.PENDING


@pytest.mark.parametrize(
    ("role", "unit"),
    [(Role.INSPECTOR, "city"), (Role.STREET_OPERATOR, "420302001"), (Role.LEADER, "city")],
)
def test_someone_elses_reinspection_answers_404(client, task, city, role, unit):
    client.force_login(city.user(role, unit))
    url = f"/evaluation/field/reinspections/{task.pk}/"
    assert client.get(url).status_code == 404
    assert client.post(url, {"result": "pass"}).status_code == 404
    task.refresh_from_db()
    assert task.status == ReinspectionStatus.PENDING


def test_a_done_reinspection_is_shown_read_only(client, task):
    url = f"/evaluation/field/reinspections/{task.pk}/"
    assert client.post(url, {"result": "pass"}).status_code == 302
    text = client.get(url).content.decode()
    assert "复查合格" in text and 'name="result"' not in text
    response = client.post(url, {"result": "fail", "note": "再看"})
    assert response.status_code == 409
    assert "该复查任务已复查合格。" in response.content.decode()
