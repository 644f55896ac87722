"""The portal's pages, as a citizen's browser sees them (no login)."""

import json
import re

import pytest
from django.test import override_settings
from django.urls import reverse

from chuangwen.cases import services as case_services
from chuangwen.cases.choices import Channel, ReopenRequestStatus, Satisfaction, Status
from chuangwen.cases.models import Case, CaseRating, ReopenRequest
from chuangwen.catalog import services as catalog_services
from chuangwen.core.privacy import mask_phone
from chuangwen.participation import selectors, services
from chuangwen.testing.cases import MAOJIAN, ZHANGWAN
from chuangwen.testing.cases import close_case as close
from chuangwen.testing.images import jpeg

from .conftest import NAME, PHONE

pytestmark = pytest.mark.django_db

NEAR = (MAOJIAN[0] + 0.0002, MAOJIAN[1] + 0.0002)


def portal_case(where=MAOJIAN, category="B0102", **kwargs):
    kwargs.setdefault("reporter_name", NAME)
    kwargs.setdefault("reporter_phone", PHONE)
    return services.portal_report(
        category=category,
        description=f"井盖缺失,联系 {PHONE}",
        lat=where[0],
        lng=where[1],
        client_hash="",
        uploads=[jpeg()] if "follow_case_id" not in kwargs else [],
        **kwargs,
    ).case


def form(**change):
    data = {
        "category": "B0102",
        "description": "人行道上的污水井盖不见了",
        "address": "人民北路 12 号门前",
        "lat": str(MAOJIAN[0]),
        "lng": str(MAOJIAN[1]),
        "reporter_name": "张先生",
        "reporter_phone": "13700001111",
        "form_key": "0123456789abcdef0123456789abcdef",
        "website": "",
        "photos": jpeg(),
    }
    data.update(change)
    return {k: v for k, v in data.items() if v is not None}


def html(response) -> str:
    return response.content.decode()


# -- every page ------------------------------------------------------------------------------
def test_the_home_page_offers_reporting_tracking_and_recent_cases(client, people):
    case = portal_case()
    response = client.get(reverse("participation:home"))
    assert response.status_code == 200
    page = html(response)
    assert reverse("participation:report") in page and 'name="code"' in page
    assert "污水井盖" in page and "茅箭区 武当路街道" in page
    assert case.public_token not in page  # codes belong to their reporters only
    assert "base.html" not in [t.name for t in response.templates]  # not the staff shell


def test_the_report_page_groups_the_categories_in_plain_words(client, people):
    page = html(client.get(reverse("participation:report")))
    # No groups configured: the 大类 of the catalogue.
    assert "街面秩序" in page and 'value="E0502"' in page and 'value="B0102"' in page
    assert 'name="website"' in page and 'capture="environment"' in page
    assert "回访" in page  # why the phone number is asked for
    catalog_services.public_group_save(
        actor=None, name="占道与停车", hint="乱停车、占道经营", category_codes=["E0502"]
    )
    page = html(client.get(reverse("participation:report")))
    assert "占道与停车" in page and "乱停车、占道经营" in page
    assert page.count('name="category"') == 1  # only the grouped 小类 are offered
    assert "街面秩序" in page  # still searchable by its 大类 name


def test_the_map_list_and_their_data_render(client, people):
    portal_case()
    assert client.get(reverse("participation:map")).status_code == 200
    listing = client.get(reverse("participation:cases"))
    assert listing.status_code == 200 and "污水井盖" in html(listing)
    assert "待受理" in html(listing)
    data = client.get(reverse("participation:cases_json")).json()
    assert data["count"] == 1
    point = data["points"][0]
    assert set(point) == {
        "lat",
        "lng",
        "status",
        "group",
        "status_label",
        "category",
        "place",
        "reported_at",
        "closed_at",
    }
    assert point["group"] == "waiting" and point["category"] == "污水井盖"
    outline = client.get(reverse("participation:districts")).json()
    assert {f["properties"]["name"] for f in outline["features"]} == {"茅箭区", "张湾区"}


def test_the_list_pages_through_recent_cases(client, people):
    for _ in range(3):
        portal_case(reporter_phone="13600000000")
    page = selectors.recent_page(number=2, per_page=2)
    assert len(page.rows) == 1 and page.has_previous and not page.has_next
    first = selectors.recent_page(number=1, per_page=2)
    assert len(first.rows) == 2 and first.has_next and not first.has_previous
    assert client.get(reverse("participation:cases") + "?page=x").status_code == 200


# -- reporting -----------------------------------------------------------------------------------
def test_a_citizen_reports_and_is_shown_the_tracking_code(client, people):
    response = client.post(reverse("participation:report"), form())
    assert response.status_code == 302 and response["Location"] == reverse("participation:done")
    case = Case.objects.get()
    assert case.channel == Channel.PORTAL and case.reporter_phone == "13700001111"
    assert case.photos.count() == 1
    done = client.get(reverse("participation:done"))
    page = html(done)
    assert "".join(re.findall(r"<span>(\w{4})</span>", page)) == case.public_token
    assert reverse("participation:track_case", args=[case.public_token]) in page
    # A second tap on the same form finds the same report.
    again = client.post(reverse("participation:report"), form())
    assert again.status_code == 302 and Case.objects.count() == 1


def test_the_done_page_without_a_report_sends_to_the_form(client, db):
    response = client.get(reverse("participation:done"))
    assert response.status_code == 302 and response["Location"] == reverse("participation:report")


def test_a_refused_report_keeps_what_was_typed_and_names_each_field(client, people):
    response = client.post(
        reverse("participation:report"),
        form(category="", reporter_phone="12345", photos=None, description=""),
    )
    assert response.status_code == 400
    page = html(response)
    for message in ("请选择问题类别", "请至少拍摄或选择 1 张现场照片", "请简要描述看到的问题"):
        assert message in page
    assert "手机号码应为以 1 开头的 11 位数字" in page
    assert 'value="人民北路 12 号门前"' in page and 'value="张先生"' in page
    assert 'value="12345"' in page and f'value="{MAOJIAN[0]}"' in page
    assert not Case.objects.exists()


def test_a_report_outside_the_city_is_shown_at_the_place(client, people):
    response = client.post(reverse("participation:report"), form(lat="31.5", lng="109.0"))
    assert response.status_code == 422
    page = html(response)
    assert "不在十堰市范围内" in page and 'id="place-error"' in page
    assert "人行道上的污水井盖不见了" in page  # the description survives
    assert "请重新选择" in page


@override_settings(PORTAL_REPORTS_PER_ADDRESS_HOUR=1)
def test_over_the_address_limit_the_answer_is_429_with_the_hotline(client, people):
    assert client.post(reverse("participation:report"), form()).status_code == 302
    response = client.post(reverse("participation:report"), form(form_key="f" * 32))
    assert response.status_code == 429
    page = html(response)
    assert "1 小时内最多可提交 1 条" in page and "后再试" in page and 'href="tel:12345"' in page
    assert Case.objects.count() == 1


def test_a_robot_filling_the_honeypot_is_told_it_succeeded(client, people):
    response = client.post(
        reverse("participation:report"), form(website="http://spam.example", reporter_phone="1")
    )
    assert response.status_code == 302
    done = html(client.get(reverse("participation:done")))
    assert "上报成功" in done and "website" not in done
    assert not Case.objects.exists()


def test_nearby_open_cases_are_offered_to_follow(client, people):
    original = portal_case()
    response = client.get(
        reverse("participation:nearby"), {"category": "B0102", "lat": NEAR[0], "lng": NEAR[1]}
    )
    page = html(response)
    assert "附近已有相同问题的上报" in page and f'value="{original.pk}"' in page
    assert "这就是我要报的问题,跟进它" in page and "不是,继续上报" in page
    assert "污水井盖" in page and "待受理" in page and "相距约" in page
    empty = client.get(reverse("participation:nearby"), {"category": "E0102", "lat": NEAR[0]})
    assert "附近" not in html(empty)
    # Following it: no photo or description needed, the citizen gets a code of their own.
    followed = client.post(
        reverse("participation:report"),
        form(
            lat=str(NEAR[0]),
            lng=str(NEAR[1]),
            photos=None,
            description="",
            follow_case_id=original.pk,
        ),
    )
    assert followed.status_code == 302
    mine = Case.objects.exclude(pk=original.pk).get()
    assert mine.duplicate_of == original
    assert f"已与案件 {original.code} 合并办理" in html(client.get(reverse("participation:done")))


# -- tracking ----------------------------------------------------------------------------------
def test_the_tracking_page_shows_status_place_and_timeline(client, people):
    case = portal_case(address="人民北路 12 号")
    response = client.get(reverse("participation:track", query={"code": case.public_token.lower()}))
    assert response.status_code == 302
    url = reverse("participation:track_case", args=[case.public_token])
    assert response["Location"] == url
    page = html(client.get(url))
    assert "待受理" in page and "污水井盖" in page and "茅箭区 武当路街道" in page
    assert "人民北路 12 号" in page and "问题已上报" in page
    assert 'id="deadline"' not in page
    case_services.case_accept(case_id=case.pk, actor=people["operator"])
    case_services.case_dispatch(
        case_id=case.pk, actor=people["operator"], unit_id=case.suggested_unit_id
    )
    page = html(client.get(url))
    assert "已派遣" in page and 'id="deadline"' in page and "市水务集团" in page


def test_an_unknown_code_is_a_friendly_page_of_the_portal(client, db):
    response = client.get(reverse("participation:track_case", args=["NOSUCHCODE22"]))
    assert response.status_code == 404
    page = html(response)
    assert "没有找到这个查询码" in page and "p-header" in page
    assert client.get(reverse("participation:track")).status_code == 200
    post = client.post(
        reverse("participation:rate", args=["NOSUCHCODE22"]), {"rating": "satisfied"}
    )
    assert post.status_code == 404


def test_a_merged_report_shows_the_originals_progress(client, people):
    original = portal_case(address="原案件的地址")
    mine = portal_case(where=NEAR, follow_case_id=original.pk, reporter_phone="13600000000")
    page = html(client.get(reverse("participation:track_case", args=[mine.public_token])))
    assert f"已与案件 {original.code} 合并办理" in page
    assert "原案件的地址" not in page  # someone else's words


def test_rating_before_closure_is_refused_on_the_page(client, people):
    case = portal_case()
    url = reverse("participation:rate", args=[case.public_token])
    response = client.post(url, {"rating": "satisfied", "comment": "很好"})
    assert response.status_code == 409
    assert "案件办结后才能评价" in html(response)
    assert not CaseRating.objects.exists()


def test_a_closed_case_is_rated_once(client, people):
    case = portal_case()
    close(case, people)
    track = reverse("participation:track_case", args=[case.public_token])
    assert 'name="rating"' in html(client.get(track))
    url = reverse("participation:rate", args=[case.public_token])
    bad = client.post(url, {"rating": "great", "comment": "保留的意见"})
    assert bad.status_code == 400 and "保留的意见" in html(bad)
    response = client.post(url, {"rating": "basic", "comment": "处理及时"})
    assert response.status_code == 302 and response["Location"].startswith(track)
    page = html(client.get(track))
    assert "感谢您的评价" in page and "您的评价:基本满意" in page
    again = client.post(url, {"rating": "satisfied"})
    assert again.status_code == 409 and "不能重复评价" in html(again)
    assert CaseRating.objects.get().rating == Satisfaction.BASIC


def test_reopening_needs_a_dissatisfied_rating_then_waits_for_review(client, people):
    case = portal_case()
    close(case, people)
    track = reverse("participation:track_case", args=[case.public_token])
    url = reverse("participation:reopen", args=[case.public_token])
    early = client.post(url, {"reason": "没修好"})
    assert early.status_code == 409 and "请先评价为“不满意”" in html(early)
    client.post(reverse("participation:rate", args=[case.public_token]), {"rating": "dissatisfied"})
    assert 'name="reason"' in html(client.get(track))
    empty = client.post(url, {"reason": ""})
    assert empty.status_code == 400 and "请填写申请理由" in html(empty)
    response = client.post(url, {"reason": "井盖只是临时盖上了"})
    assert response.status_code == 302
    page = html(client.get(track))
    assert "待审核" in page and "井盖只是临时盖上了" in page
    request = ReopenRequest.objects.get()
    case_services.reopen_request_decide(
        request_id=request.pk, approve=False, actor=people["operator"], note="现场核实已修复"
    )
    page = html(client.get(track))
    assert "已驳回" in page and "现场核实已修复" in page
    request.refresh_from_db()
    assert request.status == ReopenRequestStatus.REFUSED


# -- privacy ------------------------------------------------------------------------------------
def test_no_public_page_shows_a_reporters_name_or_phone(client, people):
    original = portal_case(address="人民北路 12 号")
    follower = portal_case(where=NEAR, follow_case_id=original.pk)
    other = portal_case(where=ZHANGWAN, category="E0102", reporter_phone="13511112222")
    close(original, people)
    client.post(
        reverse("participation:rate", args=[original.public_token]),
        {"rating": "dissatisfied", "comment": "不满意"},
    )
    client.post(reverse("participation:reopen", args=[original.public_token]), {"reason": "没修好"})
    client.post(reverse("participation:report"), form(reporter_name=NAME, reporter_phone=PHONE))
    pages = [
        reverse("participation:home"),
        reverse("participation:report"),
        reverse("participation:done"),
        reverse("participation:track"),
        reverse("participation:map"),
        reverse("participation:cases"),
        reverse("participation:cases_json"),
        reverse("participation:districts"),
        reverse("participation:nearby") + f"?category=B0102&lat={NEAR[0]}&lng={NEAR[1]}",
        reverse("participation:nearby") + f"?category=E0102&lat={ZHANGWAN[0]}&lng={ZHANGWAN[1]}",
    ] + [
        reverse("participation:track_case", args=[c.public_token])
        for c in (original, follower, other)
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        text = response.content.decode()
        if url.endswith("json"):
            text = json.dumps(json.loads(text), ensure_ascii=False)
        for secret in (NAME, PHONE, "13511112222", "张先生", "13700001111", mask_phone(PHONE)):
            assert secret not in text, (url, secret)
        assert "井盖缺失,联系" not in text, url  # descriptions may hold numbers: never shown
    assert Case.objects.filter(reporter_phone=PHONE).count() == 3
    assert Status.CLOSED == Case.objects.get(pk=original.pk).status
