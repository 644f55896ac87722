import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from chuangwen.cases import services
from chuangwen.cases.choices import Action, PhotoKind, Status, SupervisionStatus
from chuangwen.cases.models import Case, CasePhoto, SavedView, Supervision
from chuangwen.core import clock
from chuangwen.org.choices import OWN_REPORTS_ONLY_ROLES, Role
from chuangwen.testing.cases import MAOJIAN, ZHANGWAN, at
from chuangwen.testing.city import CITYWIDE_ROLES, ROLE_HOMES
from chuangwen.testing.images import jpeg
from chuangwen.testing.people import people_fixture

STALE = "案件已被他人处理,请刷新后重试。"
pytestmark = pytest.mark.django_db


people = people_fixture(
    "operator",
    "leader",
    "street",
    "handler",
    "collector",
    operator={"full_name": "创文办受理员"},
    handler={"full_name": "执法队员"},
    collector={"full_name": "王小明", "phone": "13812341234"},
)


def report(actor, category="E0502", where=MAOJIAN, **kwargs):
    kwargs.setdefault("description", "人行道上有流动摊贩占道经营")
    return services.case_report(
        category=category, lat=where[0], lng=where[1], actor=actor, **kwargs
    ).case


@pytest.fixture
def stall(people, city):
    """占道经营 in 茅箭区: registered by the collector's report, dispatched to 城管执法委."""
    case = report(people["collector"], address="人民北路 12 号")
    return services.case_dispatch(
        case_id=case.pk, actor=people["operator"], unit_id=city.units["dept"].pk
    )


def act(client, case, action, **fields):
    data = {"action": action, "version": case.version, **fields}
    return client.post(f"/cases/{case.pk}/act/", data)


def page_text(response) -> str:
    return response.content.decode()


# -- every page, for the three kinds of user ------------------------------------------------
@pytest.mark.parametrize("who", ["operator", "handler", "street"])
def test_every_page_renders_for_operator_handler_and_street(client, people, stall, who):
    client.force_login(people[who])
    listing = page_text(client.get("/cases/"))
    assert stall.code in listing and "占道经营" in listing and "市城管执法委" in listing
    detail = client.get(f"/cases/{stall.pk}/")
    assert detail.status_code == 200
    text = page_text(detail)
    assert f'<span class="mono">{stall.code}</span>' in text
    assert "人民北路 12 号" in text and "茅箭区 › 武当路街道" in text
    inbox = page_text(client.get("/cases/inbox/"))
    assert "待签收" in inbox and "待核查" in inbox
    assert 'name="category"' in page_text(client.get("/cases/map/"))
    points = client.get("/cases/map.json").json()
    assert [p["code"] for p in points["points"]] == [stall.code]
    assert points["points"][0]["url"] == f"/cases/{stall.pk}/"
    assert points["points"][0]["status_label"] == "已派遣"
    report_page = page_text(client.get("/cases/report/"))
    assert 'value="E0502"' in report_page and 'capture="environment"' in report_page
    assert client.get("/cases/supervisions/").status_code == 200


def test_forms_on_the_case_page_are_exactly_the_allowed_actions(client, people, stall):
    client.force_login(people["handler"])
    text = page_text(client.get(f"/cases/{stall.pk}/"))
    assert re.findall(r'name="action" value="(\w+)"', text) == ["sign", "send_back"]
    assert f'name="version" value="{stall.version}"' in text
    client.force_login(people["operator"])
    text = page_text(client.get(f"/cases/{stall.pk}/"))
    assert re.findall(r'name="action" value="(\w+)"', text) == ["cancel", "merge"]
    assert 'data-action="supervise"' in text  # the city office may issue a 督办单
    client.force_login(people["street"])
    text = page_text(client.get(f"/cases/{stall.pk}/"))
    # A street's operator may merge a duplicate in the street, nothing more on this case.
    assert re.findall(r'name="action" value="(\w+)"', text) == ["merge"]
    assert 'data-action="supervise"' not in text


def test_dispatch_form_defaults_to_the_suggested_unit(client, people, city):
    case = report(people["collector"])
    client.force_login(people["operator"])
    text = page_text(client.get(f"/cases/{case.pk}/"))
    dept = city.units["dept"].pk
    assert f'<option value="{dept}" selected>市城管执法委 (建议)</option>' in text
    assert '<optgroup label="市直部门">' in text


# -- scope ------------------------------------------------------------------------------------
@pytest.mark.parametrize("role", sorted(ROLE_HOMES))
def test_a_case_outside_the_territory_is_404_and_absent(client, city, catalogue, role):
    operator = city.user(Role.CITY_OPERATOR, "city")
    far = report(operator, category="W0101", where=ZHANGWAN, description="张湾乱扔垃圾")
    near = report(operator, category="W0101", where=MAOJIAN, description="茅箭乱扔垃圾")
    client.force_login(city.user(role, ROLE_HOMES[role]))
    detail = client.get(f"/cases/{far.pk}/")
    listing = page_text(client.get("/cases/"))
    codes = {p["code"] for p in client.get("/cases/map.json").json()["points"]}
    if role in CITYWIDE_ROLES:
        assert detail.status_code == 200
        assert far.code in listing and far.code in codes
    else:
        assert detail.status_code == 404
        assert far.code not in listing and far.code not in codes
        assert client.post(f"/cases/{far.pk}/act/", {"action": "cancel"}).status_code == 404
    if role in OWN_REPORTS_ONLY_ROLES:
        # A volunteer reads their own reports, not every case of the street.
        assert near.code not in codes and near.code not in listing
        assert client.get(f"/cases/{near.pk}/").status_code == 404
        return
    # Every role of the mini city sits in 茅箭区: the case there is found, so the 404 is
    # about the scope and not a broken page.
    assert near.code in codes and near.code in listing


def test_photos_are_served_only_inside_the_scope(client, people, city):
    client.force_login(people["collector"])
    response = client.post(
        "/cases/report/",
        {
            "category": "E0502",
            "description": "占道经营",
            "lat": MAOJIAN[0],
            "lng": MAOJIAN[1],
            "idempotency_key": "photo-scope",
            "photos": [jpeg()],
        },
    )
    case = Case.objects.get()
    assert response.status_code == 302
    photo = case.photos.get()
    assert photo.kind == PhotoKind.BEFORE
    assert client.get(f"/cases/photos/{photo.pk}/")["Content-Type"] == "image/jpeg"
    client.force_login(city.user(Role.STREET_OPERATOR, "420303001"))
    assert client.get(f"/cases/photos/{photo.pk}/").status_code == 404


# -- workflow through the page ------------------------------------------------------------------
def test_actions_posted_through_the_page_move_the_case(client, people, city, stall):
    client.force_login(people["handler"])
    response = act(client, stall, Action.SIGN, note="收到")
    assert response.status_code == 302 and response["Location"] == f"/cases/{stall.pk}/"
    stall.refresh_from_db()
    assert stall.status == Status.IN_PROGRESS
    page = page_text(client.get(f"/cases/{stall.pk}/"))
    assert "已完成“签收”。" in page
    assert re.findall(r'name="action" value="(\w+)"', page) == ["finish", "postpone"]

    response = client.post(
        f"/cases/{stall.pk}/act/",
        {"action": "finish", "version": stall.version, "note": "已劝离", "photos": [jpeg("green")]},
    )
    assert response.status_code == 302
    stall.refresh_from_db()
    assert stall.status == Status.HANDLED
    assert list(stall.photos.values_list("kind", flat=True)) == [PhotoKind.AFTER]

    client.force_login(people["operator"])
    act(client, stall, Action.VERIFY_FAIL, note="摊贩又回来了")
    stall.refresh_from_db()
    assert (stall.status, stall.rework_count) == (Status.IN_PROGRESS, 1)
    page = page_text(client.get(f"/cases/{stall.pk}/"))
    assert "返工 1" in page and "摊贩又回来了" in page


def test_a_refused_step_shows_the_services_message_and_keeps_the_note(client, people, stall):
    client.force_login(people["handler"])
    response = act(client, stall, Action.SEND_BACK, note="")
    assert response.status_code == 400
    assert "请填写回退理由。" in page_text(response)
    stall.refresh_from_db()
    assert stall.status == Status.DISPATCHED

    response = act(client, stall, Action.SIGN)
    stall.refresh_from_db()
    response = act(client, stall, Action.FINISH, note="已处理")  # no after-photo
    assert response.status_code == 400
    text = page_text(response)
    assert "请上传处置后的照片。" in text and ">已处理</textarea>" in text


def test_dispatch_and_send_back_through_the_page(client, people, city):
    case = report(people["collector"])
    client.force_login(people["operator"])
    act(client, case, Action.DISPATCH, unit=city.units["dept"].pk)
    case.refresh_from_db()
    assert case.status == Status.DISPATCHED and case.unit == city.units["dept"]
    client.force_login(people["handler"])
    act(client, case, Action.SEND_BACK, note="不属于本单位职责")
    case.refresh_from_db()
    assert case.status == Status.REGISTERED and case.unit is None and case.send_back_count == 1


def test_a_unit_that_sends_a_case_out_of_its_sight_lands_in_its_inbox(client, people, city):
    from chuangwen.org.choices import UnitKind
    from chuangwen.org.services import unit_create

    owner = unit_create(name="某商场物业", kind=UnitKind.POINT_OWNER, territory=None, actor=None)
    city.units["owner"] = owner
    handler = city.user(Role.UNIT_HANDLER, "owner")
    case = report(people["collector"])
    services.case_dispatch(case_id=case.pk, actor=people["operator"], unit_id=owner.pk)
    case.refresh_from_db()
    client.force_login(handler)
    response = act(client, case, Action.SEND_BACK, note="不是本单位的点位")
    assert response.status_code == 302 and response["Location"] == "/cases/inbox/"
    assert "已完成“回退”。" in page_text(client.get("/cases/inbox/"))
    assert client.get(f"/cases/{case.pk}/").status_code == 404


def test_a_stale_page_gets_the_409_message(client, people, stall):
    client.force_login(people["handler"])
    old_version = stall.version
    services.case_sign(case_id=stall.pk, actor=people["handler"])
    response = client.post(
        f"/cases/{stall.pk}/act/", {"action": "send_back", "version": old_version, "note": "x"}
    )
    assert response.status_code == 409
    assert STALE in page_text(response)
    stall.refresh_from_db()
    assert stall.status == Status.IN_PROGRESS


def test_malformed_posts_are_messages_not_errors(client, people, stall):
    client.force_login(people["handler"])
    response = client.post(f"/cases/{stall.pk}/act/", {"action": "fly", "version": "x"})
    assert response.status_code == 400
    assert "未知的操作。" in page_text(response)
    response = client.post(f"/cases/{stall.pk}/act/", {"action": "postpone", "version": 1})
    assert response.status_code == 409 and STALE in page_text(response)


def test_countdown_shows_the_remaining_time_from_the_server(client, people, city):
    with clock.at(at(2026, 11, 2, 9, 0)):
        case = report(people["collector"])
        services.case_dispatch(
            case_id=case.pk, actor=people["operator"], unit_id=city.units["dept"].pk
        )
    client.force_login(people["handler"])
    with clock.at(at(2026, 11, 2, 9, 40)):  # 2 emergency hours from 09:00
        text = page_text(client.get(f"/cases/{case.pk}/"))
    assert "剩余 1 小时 20 分" in text and 'data-continuous="1"' in text
    with clock.at(at(2026, 11, 2, 11, 5)):
        text = page_text(client.get(f"/cases/{case.pk}/"))
    assert "已超时 5 分" in text


def test_supervision_issued_and_answered_through_the_pages(client, people, stall):
    client.force_login(people["leader"])
    response = client.post(
        f"/cases/{stall.pk}/supervise/", {"kind": "leader", "note": "请今日内处理", "reply_days": 1}
    )
    assert response.status_code == 302
    order = Supervision.objects.get()
    assert order.unit.name == "市城管执法委" and order.kind == "leader"

    client.force_login(people["handler"])
    listing = page_text(client.get("/cases/supervisions/"))
    assert stall.code in listing and "领导督办" in listing and "待回复" in listing
    page = page_text(client.get(f"/cases/{stall.pk}/"))
    assert f'action="/cases/supervisions/{order.pk}/answer/"' in page
    empty = client.post(f"/cases/supervisions/{order.pk}/answer/", {"answer": ""})
    assert empty.status_code == 400 and "请填写回复内容。" in page_text(empty)
    client.post(f"/cases/supervisions/{order.pk}/answer/", {"answer": "已安排队员到场"})
    order.refresh_from_db()
    assert order.status == SupervisionStatus.ANSWERED and order.answer == "已安排队员到场"

    client.force_login(people["street"])  # sees the case, is not the supervised unit
    response = client.post(
        f"/cases/{stall.pk}/supervise/", {"kind": "key", "note": "x", "reply_days": 1}
    )
    assert response.status_code == 403
    assert "只有领导和创文办可以下发督办单。" in page_text(response)


def test_accountability_recorded_from_the_case_page(client, people, stall):
    from chuangwen.cases.models import Accountability

    client.force_login(people["street"])
    page = page_text(client.get(f"/cases/{stall.pk}/"))
    assert f'action="/cases/{stall.pk}/accountability/"' not in page
    body = {"unit": stall.unit_id, "kind": "interview", "points": "1", "reason": "占道问题反复出现"}
    assert client.post(f"/cases/{stall.pk}/accountability/", body).status_code == 403
    assert not Accountability.objects.exists()

    client.force_login(people["operator"])
    empty = client.post(f"/cases/{stall.pk}/accountability/", {**body, "reason": ""})
    assert empty.status_code == 400 and "请填写问责事由。" in page_text(empty)
    assert client.post(f"/cases/{stall.pk}/accountability/", body).status_code == 302
    record = Accountability.objects.get()
    assert record.unit == stall.unit and record.kind == "interview" and record.case == stall
    page = page_text(client.get(f"/cases/{stall.pk}/"))
    assert "问责记录" in page and "占道问题反复出现" in page


# -- list, filters, saved views, inbox --------------------------------------------------------
def test_list_filters_and_htmx_refresh(client, people, city, stall):
    garbage = report(people["collector"], category="E0102", description="路边暴露垃圾")
    client.force_login(people["operator"])
    by_major = page_text(client.get("/cases/", {"category": "E05"}))
    assert stall.code in by_major and garbage.code not in by_major
    partial = client.get("/cases/", {"category": "E0102"}, HTTP_HX_REQUEST="true")
    text = page_text(partial)
    assert "<html" not in text and garbage.code in text and stall.code not in text
    assert stall.code in page_text(client.get("/cases/", {"unit": city.units["dept"].pk}))
    assert garbage.code not in page_text(client.get("/cases/", {"unit": city.units["dept"].pk}))
    assert stall.code in page_text(client.get("/cases/", {"q": "人民北路"}))
    assert "没有符合条件的案件。" in page_text(client.get("/cases/", {"territory": "420303"}))
    assert "共 2 件案件" in page_text(client.get("/cases/", {"status": "open"}))
    assert "共 0 件案件" in page_text(client.get("/cases/", {"status": "closed"}))
    assert "共 0 件案件" in page_text(client.get("/cases/", {"overdue": "1"}))


def test_saved_views_are_saved_listed_and_deleted(client, people, stall):
    client.force_login(people["operator"])
    response = client.post(
        "/cases/views/", {"name": "执法委未办结", "query": "status=open&category=E05"}
    )
    assert response["Location"] == "/cases/?status=open&category=E05"
    view = SavedView.objects.get(user=people["operator"])
    text = page_text(client.get("/cases/"))
    assert 'href="/cases/?status=open&amp;category=E05">执法委未办结</a>' in text
    assert "请填写名称。" in page_text(client.post("/cases/views/", {"name": ""}, follow=True))
    client.post(f"/cases/views/{view.pk}/delete/")
    assert not SavedView.objects.exists()
    other = SavedView.objects.create(user=people["leader"], name="别人的", query="")
    client.post(f"/cases/views/{other.pk}/delete/")
    assert SavedView.objects.filter(pk=other.pk).exists()


def test_inbox_tabs_count_the_units_work(client, people, stall):
    client.force_login(people["handler"])
    text = page_text(client.get("/cases/inbox/"))
    assert re.search(r'data-box="to_sign">待签收 <span class="count">1</span>', text)
    assert stall.code in text
    services.case_sign(case_id=stall.pk, actor=people["handler"])
    text = page_text(client.get("/cases/inbox/", {"box": "to_sign"}))
    assert re.search(r'data-box="in_progress">处置中 <span class="count">1</span>', text)
    assert stall.code not in text
    assert stall.code in page_text(client.get("/cases/inbox/", {"box": "in_progress"}))


# -- field report ---------------------------------------------------------------------------
def test_field_report_posted_twice_with_one_key_creates_one_case(client, people):
    client.force_login(people["collector"])
    form = {
        "category": "E0502",
        "description": "路口占道经营",
        "address": "北京路 3 号",
        "lat": str(MAOJIAN[0]),
        "lng": str(MAOJIAN[1]),
        "idempotency_key": "6f1f3c1e-double-tap",
    }
    first = client.post("/cases/report/", form)
    second = client.post("/cases/report/", form)
    case = Case.objects.get()
    assert first["Location"] == second["Location"] == f"/cases/{case.pk}/"
    assert case.channel == "field" and case.status == Status.REGISTERED
    assert case.address == "北京路 3 号"
    page = page_text(client.get(first["Location"]))
    assert f"上报成功,案件编号 {case.code}。" in page


def test_field_report_stores_photos_before_the_case(client, people):
    client.force_login(people["collector"])
    response = client.post(
        "/cases/report/",
        {
            "category": "E0502",
            "description": "占道经营",
            "lat": MAOJIAN[0],
            "lng": MAOJIAN[1],
            "idempotency_key": "k1",
            "photos": [jpeg("red"), jpeg("blue")],
        },
    )
    case = Case.objects.get()
    assert response["Location"] == f"/cases/{case.pk}/"
    assert sorted(case.photos.values_list("kind", flat=True)) == [PhotoKind.BEFORE] * 2


def test_a_forged_image_is_refused_with_the_values_kept(client, people):
    client.force_login(people["collector"])
    fake = SimpleUploadedFile("scene.jpg", b"this is plain text, not a picture", "image/jpeg")
    response = client.post(
        "/cases/report/",
        {
            "category": "E0502",
            "description": "占道经营,摊位三处",
            "lat": MAOJIAN[0],
            "lng": MAOJIAN[1],
            "idempotency_key": "k-fake",
            "photos": [fake],
        },
    )
    assert response.status_code in (400, 422)
    text = page_text(response)
    error = re.search(r'<p class="field-error">([^<]+)</p>', text)
    assert error and "不是支持的图片格式" in error.group(1)
    assert ">占道经营,摊位三处</textarea>" in text
    assert 'value="E0502" checked' in text and 'value="k-fake"' in text
    assert not Case.objects.exists() and not CasePhoto.objects.exists()


def test_field_report_errors_are_shown_with_the_values_kept(client, people):
    client.force_login(people["collector"])
    outside = client.post(
        "/cases/report/",
        {"category": "E0502", "description": "占道", "lat": "39.9", "lng": "116.4"},
    )
    assert outside.status_code == 422
    assert "该位置不在本市范围内,请核对坐标。" in page_text(outside)
    assert 'value="39.9"' in page_text(outside)
    unknown = client.post(
        "/cases/report/",
        {"category": "Z9999", "description": "x", "lat": MAOJIAN[0], "lng": MAOJIAN[1]},
    )
    assert unknown.status_code == 400 and "未知的案件类别:Z9999" in page_text(unknown)
    nowhere = client.post("/cases/report/", {"category": "E0502", "description": "x"})
    assert nowhere.status_code == 400
    assert "请先定位,或在地图上点选问题位置。" in page_text(nowhere)
    empty = page_text(client.post("/cases/report/", {}))
    for message in ("请选择案件类别。", "请填写问题描述。", "请先定位,或在地图上点选问题位置。"):
        assert f'<p class="field-error">{message}</p>' in empty
    assert not Case.objects.exists()


# -- privacy and login ---------------------------------------------------------------------------
def test_reporter_phone_is_masked_for_a_handler_and_full_for_the_city_office(client, people, stall):
    client.force_login(people["handler"])
    text = page_text(client.get(f"/cases/{stall.pk}/"))
    assert "138****1234" in text and "王**" in text
    assert "13812341234" not in text and "王小明" not in text
    client.force_login(people["operator"])
    text = page_text(client.get(f"/cases/{stall.pk}/"))
    assert "13812341234" in text and "王小明" in text


@pytest.mark.parametrize(
    "url",
    [
        "/cases/",
        "/cases/inbox/",
        "/cases/map/",
        "/cases/map.json",
        "/cases/report/",
        "/cases/supervisions/",
        "/cases/1/",
        "/cases/photos/1/",
    ],
)
def test_anonymous_users_are_sent_to_login(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={url}"


def test_navigation_offers_the_case_pages_by_role(client, people):
    client.force_login(people["collector"])
    text = page_text(client.get("/cases/inbox/"))
    nav = re.search(r'<nav id="mainnav".*?</nav>', text, re.S).group(0)
    assert 'href="/cases/report/"' in nav
    assert re.search(r'<a href="/cases/inbox/" class="active"', nav)
    assert not re.search(r'<a href="/cases/" class="active"', nav)
    client.force_login(people["handler"])
    nav = re.search(r'<nav id="mainnav".*?</nav>', page_text(client.get("/cases/")), re.S).group(0)
    assert 'href="/cases/report/"' not in nav and 'href="/cases/map/"' in nav
