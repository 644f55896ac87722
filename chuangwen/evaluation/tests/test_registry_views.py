"""The registry pages: points and point types, for a city admin, a street operator and
the rest, each limited to their scope."""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from chuangwen.core.models import AuditEvent
from chuangwen.core.xlsx import Sheet, write_workbook
from chuangwen.evaluation.models import ChecklistItem, Inspection, Point, PointType, Round
from chuangwen.evaluation.services import HEADERS
from chuangwen.org.choices import Role
from chuangwen.testing.city import ROLE_HOMES

pytestmark = pytest.mark.django_db
NON_ADMIN_ROLES = sorted(set(Role.values) - {Role.CITY_ADMIN})
# 武当路街道 (420302001) holds the points of its two communities: four of the twelve.
STREET_POINTS = {
    "MARKET-420302001001",
    "ROAD-420302001001",
    "MARKET-420302001002",
    "ROAD-420302001002",
}
OUTSIDE_STREET = "MARKET-420303001001"


@pytest.fixture
def admin(city):
    return city.user(Role.CITY_ADMIN, "city", username="admin")


@pytest.fixture
def street(city):
    return city.user(Role.STREET_OPERATOR, "420302001", username="street")


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def codes_on(response) -> set[str]:
    return set(re.findall(r"(?:MARKET|ROAD)-\d{12}", response.content.decode()))


def point(registry, code):
    return registry.points[code]


# -- reading ---------------------------------------------------------------------------------
def test_signing_in_is_required(client, registry):
    for url in ("/evaluation/points/", "/evaluation/point-types/", "/evaluation/points/map.json"):
        response = client.get(url)
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]


def test_a_city_admin_sees_every_point_with_counts_and_edit_buttons(client, registry, admin):
    client.force_login(admin)
    response = client.get("/evaluation/points/")
    assert response.status_code == 200
    assert codes_on(response) == set(registry.points)
    page = text(response)
    assert "共 12 个点位" in page
    assert re.search(r"农贸市场 <span class=\"count\">6</span>", page)
    for url in (
        "/evaluation/points/new/",
        "/evaluation/points/import/",
        "/evaluation/points/export",
    ):
        assert url in page


def test_the_list_filters_by_type_district_text_and_state(client, registry, admin):
    client.force_login(admin)
    by_type = client.get("/evaluation/points/?type=market")
    assert codes_on(by_type) == {c for c in registry.points if c.startswith("MARKET")}
    by_district = client.get("/evaluation/points/?district=420303")
    assert codes_on(by_district) == {c for c in registry.points if "-420303" in c}
    by_text = client.get("/evaluation/points/?q=武当1社区")
    assert codes_on(by_text) == {"MARKET-420302001001", "ROAD-420302001001"}
    Point.objects.filter(code="ROAD-420302001001").update(is_active=False)
    assert "ROAD-420302001001" not in codes_on(client.get("/evaluation/points/"))
    assert codes_on(client.get("/evaluation/points/?state=inactive")) == {"ROAD-420302001001"}
    assert len(codes_on(client.get("/evaluation/points/?state=all"))) == 12


def test_the_map_data_follows_the_filters_with_a_colour_per_type(client, registry, admin):
    client.force_login(admin)
    data = client.get("/evaluation/points/map.json?district=420302").json()
    assert data["count"] == 8 and not data["truncated"]
    first = data["points"][0]
    assert set(first) >= {"code", "name", "lat", "lng", "type", "type_name", "unit", "color", "url"}
    assert first["url"] == f"/evaluation/points/{Point.objects.get(code=first['code']).pk}/"
    colours = {p["type"]: p["color"] for p in data["points"]}
    assert len(set(colours.values())) == 2


def test_a_street_operator_sees_only_the_points_of_their_street(client, registry, street):
    client.force_login(street)
    response = client.get("/evaluation/points/")
    assert codes_on(response) == STREET_POINTS
    page = text(response)
    for url in ("/evaluation/points/new/", "/evaluation/points/import/"):
        assert url not in page
    assert "张湾区" not in page  # not even as a district to filter by
    data = client.get("/evaluation/points/map.json").json()
    assert {p["code"] for p in data["points"]} == STREET_POINTS
    inside = point(registry, "MARKET-420302001001")
    detail = client.get(f"/evaluation/points/{inside.pk}/")
    assert detail.status_code == 200
    assert f"/evaluation/points/{inside.pk}/edit/" not in text(detail)
    outside = point(registry, OUTSIDE_STREET)
    assert client.get(f"/evaluation/points/{outside.pk}/").status_code == 404
    assert client.get(f"/evaluation/points/{outside.pk}/edit/").status_code == 404
    assert client.post(f"/evaluation/points/{outside.pk}/edit/", {"name": "x"}).status_code == 404


def test_a_paired_department_sees_the_points_of_its_community(client, registry, city):
    handler = city.user(Role.UNIT_HANDLER, "dept")
    client.force_login(handler)
    codes = codes_on(client.get("/evaluation/points/"))
    assert codes == {"MARKET-420303001001", "ROAD-420303001001"}


def test_the_detail_page_shows_the_place_units_and_recent_inspections(
    client, registry, admin, city
):
    market = point(registry, "MARKET-420302001001")
    Point.objects.filter(pk=market.pk).update(paired_unit=city.units["dept"])
    round_ = Round.objects.create(
        name="2026年第一次双月测评",
        kind="bimonthly",
        status="open",
        starts_on="2026-01-05",
        due_on="2026-02-28",
        checkin_radius_m=200,
    )
    Inspection.objects.create(
        round=round_,
        point=market,
        inspector=registry.inspectors[0],
        status="approved",
        planned_on="2026-01-10",
        due_on="2026-01-20",
        max_points=25,
        score=20,
        failed_count=1,
    )
    client.force_login(admin)
    page = text(client.get(f"/evaluation/points/{market.pk}/"))
    for expected in ("茅箭区", "武当路街道", "武当1社区", "武当1社区第1网格", "市城管执法委"):
        assert expected in page
    assert "2026年第一次双月测评" in page
    assert "20 / 25" in page and "80%" in page
    assert f"/evaluation/points/{market.pk}/edit/" in page


def test_a_point_without_inspections_says_so(client, registry, admin):
    client.force_login(admin)
    market = point(registry, "MARKET-420302001001")
    assert "该点位还没有测评记录" in text(client.get(f"/evaluation/points/{market.pk}/"))


# -- writing points ----------------------------------------------------------------------------
def form(registry, city, **overrides):
    data = {
        "code": "P-100",
        "name": "五堰农贸市场",
        "point_type": registry.types["MARKET"].pk,
        "address": "北京北路 12 号",
        "lat": "32.02",
        "lng": "110.02",
        "unit": city.units["420302001001"].pk,
        "paired_unit": "",
    }
    data.update(overrides)
    return data


def test_a_city_admin_creates_a_point_through_the_form(client, registry, city, admin):
    client.force_login(admin)
    assert client.get("/evaluation/points/new/").status_code == 200
    response = client.post("/evaluation/points/new/", form(registry, city))
    created = Point.objects.get(code="P-100")
    assert response.status_code == 302
    assert response["Location"] == f"/evaluation/points/{created.pk}/"
    assert created.community.code == "420302001001"


def test_a_refused_form_is_shown_again_with_the_reason(client, registry, city, admin):
    client.force_login(admin)
    response = client.post("/evaluation/points/new/", form(registry, city, lat="32.5", lng="111"))
    assert response.status_code == 422
    page = text(response)
    assert "该位置不在本市范围内" in page
    assert 'value="五堰农贸市场"' in page
    assert not Point.objects.filter(code="P-100").exists()


def test_a_city_admin_edits_and_deactivates_a_point(client, registry, city, admin):
    market = point(registry, "MARKET-420302001001")
    client.force_login(admin)
    page = text(client.get(f"/evaluation/points/{market.pk}/edit/"))
    assert f'value="{market.name}"' in page
    data = form(registry, city, name="改名的市场", lat=str(market.lat), lng=str(market.lng))
    response = client.post(f"/evaluation/points/{market.pk}/edit/", data)  # is_active unticked
    assert response.status_code == 302
    market.refresh_from_db()
    assert (market.name, market.is_active, market.code) == (
        "改名的市场",
        False,
        "MARKET-420302001001",
    )


@pytest.mark.parametrize("role", NON_ADMIN_ROLES)
def test_others_get_no_point_forms_and_their_posts_are_refused(client, registry, city, role):
    user = city.user(role, ROLE_HOMES[role])
    client.force_login(user)
    visible = Point.objects.scoped_for(user).filter(code__in=STREET_POINTS).first()
    assert client.get("/evaluation/points/new/").status_code == 403
    assert client.post("/evaluation/points/new/", form(registry, city)).status_code == 403
    assert not Point.objects.filter(code="P-100").exists()
    if visible is not None:
        url = f"/evaluation/points/{visible.pk}/edit/"
        assert client.get(url).status_code == 403
        data = form(registry, city, name="被改名", lat=str(visible.lat), lng=str(visible.lng))
        assert client.post(url, data).status_code == 403
        assert Point.objects.get(pk=visible.pk).name == visible.name
    assert client.get("/evaluation/points/import/").status_code == 403
    assert client.get("/evaluation/points/template.xlsx").status_code == 403


# -- import and export ---------------------------------------------------------------------
def upload(rows, name="点位.xlsx"):
    return SimpleUploadedFile(name, write_workbook([Sheet("点位", HEADERS, rows)]))


def test_the_import_page_reports_bad_rows_and_offers_the_error_report(client, registry, admin):
    client.force_login(admin)
    assert client.get("/evaluation/points/import/").status_code == 200
    rows = [
        ("P-1", "新点位", "农贸市场", "", 110.02, 32.02, "市城管执法委", ""),
        ("P-2", "城外点位", "农贸市场", "", 111.0, 32.5, "市城管执法委", ""),
    ]
    response = client.post("/evaluation/points/import/", {"file": upload(rows)})
    assert response.status_code == 200
    page = text(response)
    assert "第 3 行“经度”" in page
    assert "因存在错误行,未导入任何数据" in page
    assert not Point.objects.filter(code="P-1").exists()
    report = client.get("/evaluation/points/import/errors.xlsx")
    assert report.status_code == 200
    sheet = load_workbook(io.BytesIO(report.content)).active
    assert [r[0] for r in sheet.iter_rows(min_row=2, values_only=True)] == [3]

    response = client.post(
        "/evaluation/points/import/", {"file": upload(rows), "skip_bad_rows": "on"}
    )
    assert "已导入有效行,有错误的行已跳过" in text(response)
    assert Point.objects.filter(code="P-1").exists()


def test_an_unreadable_file_is_refused_on_the_page(client, registry, admin):
    client.force_login(admin)
    bad = SimpleUploadedFile("点位.pdf", b"%PDF-1.4 not a sheet")
    response = client.post("/evaluation/points/import/", {"file": bad})
    assert response.status_code == 400
    assert "无法读取文件" in text(response)
    assert client.post("/evaluation/points/import/", {}).status_code == 400
    assert client.get("/evaluation/points/import/errors.xlsx").status_code == 404


def test_a_non_admin_post_to_the_import_is_refused(client, registry, street):
    client.force_login(street)
    rows = [("P-1", "新点位", "农贸市场", "", 110.02, 32.02, "市城管执法委", "")]
    assert client.post("/evaluation/points/import/", {"file": upload(rows)}).status_code == 403
    assert not Point.objects.filter(code="P-1").exists()


def test_the_export_holds_the_filtered_points_of_the_scope(client, registry, admin, street):
    def exported(user, query=""):
        client.force_login(user)
        response = client.get(f"/evaluation/points/export.xlsx{query}")
        assert response.status_code == 200
        rows = load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True)
        next(rows)
        return {r[0] for r in rows}

    assert exported(admin) == set(registry.points)
    assert exported(admin, "?type=ROAD&district=420303") == {
        "ROAD-420303001001",
        "ROAD-420303001002",
    }
    assert exported(street) == STREET_POINTS


def test_readers_without_export_rights_cannot_export(client, registry, city):
    client.force_login(city.user(Role.INSPECTOR, "city"))
    page = text(client.get("/evaluation/points/"))
    assert "/evaluation/points/export" not in page
    assert client.get("/evaluation/points/export.xlsx").status_code == 403


def test_the_template_downloads_for_an_admin(client, registry, admin):
    client.force_login(admin)
    response = client.get("/evaluation/points/template.xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


# -- point types and checklists -----------------------------------------------------------
def test_everyone_reads_the_checklists_grouped_by_section(client, registry, street):
    client.force_login(street)
    page = text(client.get("/evaluation/point-types/"))
    assert page.index("环境卫生") < page.index("地面无暴露垃圾") < page.index("市场秩序")
    assert "E0102" in page and "暴露垃圾" in page
    assert "满分 25 分" in page
    assert "/evaluation/point-types/new/" not in page
    assert "/items/new/" not in page and "/move/" not in page


def test_a_city_admin_sees_inactive_items_and_the_round_note(client, registry, admin):
    ChecklistItem.objects.filter(text="井盖完好").update(is_active=False)
    client.force_login(admin)
    page = text(client.get("/evaluation/point-types/"))
    assert "井盖完好" in page and "已停用" in page
    assert "不会改变进行中的轮次" in page
    assert "/evaluation/point-types/new/" in page


def test_inactive_items_are_hidden_from_others(client, registry, street):
    ChecklistItem.objects.filter(text="井盖完好").update(is_active=False)
    client.force_login(street)
    assert "井盖完好" not in text(client.get("/evaluation/point-types/"))


def test_a_city_admin_manages_types_and_items_through_the_forms(client, registry, admin):
    client.force_login(admin)
    assert client.get("/evaluation/point-types/new/").status_code == 200
    response = client.post("/evaluation/point-types/new/", {"code": "park", "name": "公园广场"})
    assert response["Location"] == "/evaluation/point-types/#type-PARK"
    park = PointType.objects.get(code="PARK")

    edit = f"/evaluation/point-types/{park.pk}/edit/"
    assert client.get(edit).status_code == 200
    client.post(edit, {"code": "PARK", "name": "公园广场", "position": "9", "is_active": "on"})
    park.refresh_from_db()
    assert park.position == 9

    new_item = f"/evaluation/point-types/{park.pk}/items/new/"
    assert "进行中的轮次不受影响" in text(client.get(new_item))
    item_form = {
        "section": "环境卫生",
        "text": "绿地无垃圾",
        "max_points": "6",
        "deduction": "2",
        "category": "E0102",
        "evidence_required": "on",
    }
    assert client.post(new_item, item_form).status_code == 302
    client.post(new_item, {**item_form, "text": "座椅完好"})
    first, second = park.items.order_by("position")
    assert (first.text, second.text) == ("绿地无垃圾", "座椅完好")
    assert (first.evidence_required, first.na_allowed) == (True, False)

    response = client.post(f"/evaluation/point-types/items/{second.pk}/move/", {"direction": "up"})
    assert response.status_code == 302
    assert list(park.items.order_by("position").values_list("text", flat=True)) == [
        "座椅完好",
        "绿地无垃圾",
    ]

    edit_item = f"/evaluation/point-types/items/{first.pk}/edit/"
    assert 'value="6"' in text(client.get(edit_item))
    client.post(edit_item, {**item_form, "max_points": "7.5"})  # is_active unticked
    first.refresh_from_db()
    assert (str(first.max_points), first.is_active) == ("7.50", False)


def test_a_refused_item_form_keeps_what_was_typed(client, registry, admin):
    client.force_login(admin)
    market = registry.types["MARKET"]
    response = client.post(
        f"/evaluation/point-types/{market.pk}/items/new/",
        {"section": "环境卫生", "text": "公益广告", "max_points": "0", "deduction": "1"},
    )
    assert response.status_code == 400
    page = text(response)
    assert "分值必须大于 0" in page
    assert "公益广告" in page


def test_deactivating_a_type_with_points_is_refused_on_the_form(client, registry, admin):
    client.force_login(admin)
    road = registry.types["ROAD"]
    response = client.post(
        f"/evaluation/point-types/{road.pk}/edit/", {"code": "ROAD", "name": "主次干道"}
    )
    assert response.status_code == 400
    assert "还有 6 个有效点位" in text(response)
    assert PointType.objects.get(pk=road.pk).is_active


@pytest.mark.parametrize("role", NON_ADMIN_ROLES)
def test_others_cannot_change_types_or_checklists(client, registry, city, role):
    client.force_login(city.user(role, ROLE_HOMES[role]))
    market = registry.types["MARKET"]
    item = market.items.order_by("position").last()
    gets = (
        "/evaluation/point-types/new/",
        f"/evaluation/point-types/{market.pk}/edit/",
        f"/evaluation/point-types/{market.pk}/items/new/",
        f"/evaluation/point-types/items/{item.pk}/edit/",
    )
    for url in gets:
        assert client.get(url).status_code == 403, url
    posts = {
        "/evaluation/point-types/new/": {"code": "PARK", "name": "公园广场"},
        f"/evaluation/point-types/{market.pk}/edit/": {"code": "MARKET", "name": "改名"},
        f"/evaluation/point-types/{market.pk}/items/new/": {
            "section": "新",
            "text": "新",
            "max_points": "1",
            "deduction": "1",
            "category": "E0102",
        },
        f"/evaluation/point-types/items/{item.pk}/edit/": {"text": "改", "category": "E0502"},
        f"/evaluation/point-types/items/{item.pk}/move/": {"direction": "up"},
    }
    for url, data in posts.items():
        assert client.post(url, data).status_code == 403, url
    assert PointType.objects.count() == 2
    assert PointType.objects.get(pk=market.pk).name == "农贸市场"
    assert ChecklistItem.objects.get(pk=item.pk).text == item.text
    assert ChecklistItem.objects.get(pk=item.pk).position == item.position
    assert not AuditEvent.objects.filter(actor__isnull=False).exists()
