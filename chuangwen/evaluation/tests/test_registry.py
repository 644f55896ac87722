"""The registry services: points, the point workbook, point types and checklists."""

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from chuangwen.catalog.models import CaseStandard, Category
from chuangwen.core.errors import PermissionDeniedError, ServiceError
from chuangwen.core.models import AuditEvent
from chuangwen.core.xlsx import Sheet, write_workbook
from chuangwen.evaluation import services
from chuangwen.evaluation.choices import EntryLevel, FrameworkKind
from chuangwen.evaluation.models import ChecklistItem, Framework, FrameworkEntry, Point, PointType
from chuangwen.org.choices import Role
from chuangwen.org.models import Unit
from chuangwen.testing.city import ROLE_HOMES

pytestmark = pytest.mark.django_db
NON_ADMIN_ROLES = sorted(set(Role.values) - {Role.CITY_ADMIN})
# Inside 茅箭区 武当路街道 武当1社区, grid 001; and inside 张湾区 车城路街道 车城1社区.
MAOJIAN = (32.02, 110.02)
ZHANGWAN = (32.02, 110.25)
OUTSIDE = (32.5, 111.0)


@pytest.fixture
def admin(city):
    return city.user(Role.CITY_ADMIN, "city")


@pytest.fixture
def indicators(db):
    framework = Framework.objects.create(
        kind=FrameworkKind.MODEL_CITY,
        name="全国文明城市典范城市测评体系",
        cycle_start=2024,
        cycle_end=2026,
        is_current=True,
    )

    def entry(level, code, parent=None):
        return FrameworkEntry.objects.create(
            framework=framework, level=level, code=code, name=f"条目{code}", parent=parent
        )

    dimension = entry(EntryLevel.DIMENSION, "2")
    item = entry(EntryLevel.ITEM, "2.1", dimension)
    indicator = entry(EntryLevel.INDICATOR, "2.1.3", item)
    standard = entry(EntryLevel.STANDARD, "2.1.3.1", indicator)
    return {"dimension": dimension, "item": item, "indicator": indicator, "standard": standard}


def market_point(registry_fixture):
    return registry_fixture.points["MARKET-420302001001"]


def workbook(rows, headers=services.HEADERS, name="点位.xlsx") -> SimpleUploadedFile:
    data = write_workbook([Sheet("点位", headers, rows)])
    return SimpleUploadedFile(name, data)


def row(code, name="新建点位", kind="农贸市场", where=MAOJIAN, unit="市城管执法委", **extra):
    lat, lng = where
    return (
        code,
        name,
        kind,
        extra.get("address", ""),
        extra.get("lng", lng),
        extra.get("lat", lat),
        unit,
        extra.get("paired", ""),
    )


# -- points ------------------------------------------------------------------------------------
def test_a_city_admin_registers_a_point_routed_to_its_grid(registry, city, admin):
    point = _create(admin, city, code=" P-001 ", name=" 五堰农贸市场 ", address="北京北路 12 号")
    assert (point.code, point.name, point.address) == ("P-001", "五堰农贸市场", "北京北路 12 号")
    assert point.territory.code == "420302001001001"
    assert point.territory_path == city.node("420302001001001").path
    assert (point.community.code, point.street.code, point.district.code) == (
        "420302001001",
        "420302001",
        "420302",
    )
    event = AuditEvent.objects.get(action="evaluation.point_create", object_id=str(point.pk))
    assert event.actor == admin
    assert "P-001" in event.summary


def _create(actor, city, **overrides):
    fields = {
        "code": "P-001",
        "name": "五堰农贸市场",
        "point_type_id": PointType.objects.get(code="MARKET").pk,
        "lat": MAOJIAN[0],
        "lng": MAOJIAN[1],
        "unit_id": city.units["420302001001"].pk,
        "paired_unit_id": city.units["dept"].pk,
        "actor": actor,
    }
    fields.update(overrides)
    return services.point_create(**fields)


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"code": "MARKET-420302001001"}, "code", "已存在"),
        ({"code": "  "}, "code", "请填写点位编号"),
        ({"code": "X" * 25}, "code", "不能超过 24 个字"),
        ({"name": ""}, "name", "请填写点位名称"),
        ({"lat": OUTSIDE[0], "lng": OUTSIDE[1]}, "lat", "不在本市范围内"),
        ({"lat": "三十二"}, "lat", "纬度必须是数字"),
        ({"lng": "nan"}, "lng", "经度必须是数字"),
        ({"point_type_id": 999999}, "point_type", "点位类型不存在"),
        ({"point_type_id": "abc"}, "point_type", "点位类型不存在"),
        ({"unit_id": None}, "unit", "请选择责任单位"),
        ({"paired_unit_id": 999999}, "paired_unit", "包联单位不存在"),
    ],
)
def test_point_create_refuses_bad_input(registry, city, admin, overrides, field, message):
    before = Point.objects.count()
    with pytest.raises(ServiceError) as caught:
        _create(admin, city, **overrides)
    assert caught.value.field == field
    assert message in caught.value.message
    assert Point.objects.count() == before


def test_outside_the_city_is_a_422(registry, city, admin):
    with pytest.raises(ServiceError) as caught:
        _create(admin, city, lat=OUTSIDE[0], lng=OUTSIDE[1])
    assert caught.value.status_code == 422


def test_point_create_refuses_an_inactive_type_or_unit(registry, city, admin):
    PointType.objects.filter(code="ROAD").update(is_active=False)
    with pytest.raises(ServiceError, match="点位类型不存在或已停用"):
        _create(admin, city, point_type_id=PointType.objects.get(code="ROAD").pk)
    Unit.objects.filter(pk=city.units["dept"].pk).update(is_active=False)
    with pytest.raises(ServiceError, match="包联单位不存在或已停用"):
        _create(admin, city)


def test_moving_a_point_reroutes_it_and_audits_what_changed(registry, city, admin):
    point = market_point(registry)
    updated = registry_update(
        point,
        admin,
        name="车城农贸市场",
        lat=ZHANGWAN[0],
        lng=ZHANGWAN[1],
        unit_id=city.units["420303001001"].pk,
        paired_unit_id=city.units["dept"].pk,
        address=point.address,  # unchanged: not in the trail
    )
    assert updated.district.code == "420303"
    assert updated.territory.code == "420303001001001"
    assert updated.territory_path.startswith(city.node("420303").path)
    event = AuditEvent.objects.get(action="evaluation.point_update", object_id=str(point.pk))
    changed = event.data["changed"]
    assert set(changed) == {"name", "lat", "lng", "territory", "unit_id", "paired_unit_id"}
    assert changed["name"] == [point.name, "车城农贸市场"]
    assert changed["paired_unit_id"] == [None, city.units["dept"].pk]


def registry_update(point, actor, **changes):
    return services.point_update(point_id=point.pk, actor=actor, **changes)


def test_an_update_that_changes_nothing_leaves_no_trace(registry, admin):
    point = market_point(registry)
    registry_update(
        point,
        admin,
        name=point.name,
        lat=point.lat,
        lng=point.lng,
        unit_id=str(point.unit_id),
        point_type_id=point.point_type_id,
        is_active="on",
    )
    assert not AuditEvent.objects.filter(action="evaluation.point_update").exists()


def test_a_point_keeps_a_unit_deactivated_since_until_another_is_picked(registry, city, admin):
    point = market_point(registry)
    Unit.objects.filter(pk=point.unit_id).update(is_active=False)
    updated = registry_update(point, admin, unit_id=point.unit_id, name="改名后的市场")
    assert updated.name == "改名后的市场"
    with pytest.raises(ServiceError, match="责任单位不存在或已停用"):
        registry_update(point, admin, unit_id=999999)


def test_deactivating_a_point(registry, admin):
    point = market_point(registry)
    assert registry_update(point, admin, is_active=False).is_active is False
    assert Point.objects.get(pk=point.pk).is_active is False


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"code": "NEW"}, None, "不能修改字段"),
        ({"name": " "}, "name", "请填写点位名称"),
        ({"lat": OUTSIDE[0], "lng": OUTSIDE[1]}, "lat", "不在本市范围内"),
        ({"lng": "东经110度"}, "lng", "经度必须是数字"),
        ({"point_type_id": 0}, "point_type", "点位类型不存在"),
        ({"unit_id": ""}, "unit", "请选择责任单位"),
        ({"address": "路" * 201}, "address", "不能超过 200 个字"),
    ],
)
def test_point_update_refuses_bad_input(registry, admin, changes, field, message):
    point = market_point(registry)
    with pytest.raises(ServiceError) as caught:
        registry_update(point, admin, **changes)
    assert caught.value.field == field
    assert message in caught.value.message
    fresh = Point.objects.get(pk=point.pk)
    assert (fresh.name, fresh.lat, fresh.unit_id) == (point.name, point.lat, point.unit_id)


def test_point_update_of_a_missing_point(registry, admin):
    with pytest.raises(ServiceError, match="点位不存在"):
        services.point_update(point_id=999999, actor=admin, name="x")


# -- refusals ------------------------------------------------------------------------------------
def _attempts(registry_fixture, city):
    point = market_point(registry_fixture)
    market = registry_fixture.types["MARKET"]
    item = market.items.first()
    return [
        lambda user: _create(user, city, code="P-REFUSED"),
        lambda user: services.point_update(point_id=point.pk, actor=user, name="被改名"),
        lambda user: services.point_import(upload=workbook([row("P-IMPORT")]), actor=user),
        lambda user: services.point_type_create(code="PARK", name="公园广场", actor=user),
        lambda user: services.point_type_update(point_type_id=market.pk, actor=user, name="集贸"),
        lambda user: services.checklist_item_create(
            point_type_id=market.pk,
            section="环境卫生",
            text="无积水",
            max_points=5,
            deduction=1,
            category_code="E0102",
            actor=user,
        ),
        lambda user: services.checklist_item_update(item_id=item.pk, actor=user, text="改"),
        lambda user: services.checklist_item_move(item_id=item.pk, direction="down", actor=user),
    ]


def _snapshot():
    return (
        list(Point.objects.order_by("pk").values_list("code", "name")),
        list(PointType.objects.order_by("pk").values_list("code", "name")),
        list(ChecklistItem.objects.order_by("pk").values_list("text", "position")),
    )


@pytest.mark.parametrize(
    ("role", "unit_key"),
    [(role, ROLE_HOMES[role]) for role in NON_ADMIN_ROLES]
    # A city admin seated in a district office is not the city office.
    + [(Role.CITY_ADMIN, "420302")],
)
def test_only_city_admins_change_the_registry(registry, city, role, unit_key):
    user = city.user(role, unit_key)
    before = _snapshot()
    for attempt in _attempts(registry, city):
        with pytest.raises(PermissionDeniedError):
            attempt(user)
    assert _snapshot() == before
    assert (
        not AuditEvent.objects.filter(action__startswith="evaluation.")
        .exclude(action="evaluation.point_create", actor__isnull=True)
        .exists()
    )


# -- the workbook ------------------------------------------------------------------------------
def test_import_creates_new_codes_and_updates_existing_ones(registry, city, admin):
    Unit.objects.filter(pk=city.units["dept"].pk).update(short_name="城管委")
    existing = market_point(registry)
    upload = workbook(
        [
            row("P-NEW", name="新市场", kind="market", unit="城管委", address="人民路 1 号"),
            row(
                existing.code,
                name="武当1社区农贸市场(改)",
                kind="农贸市场",
                where=ZHANGWAN,
                unit=city.units["420303001001"].name,
                paired="市城管执法委",
            ),
        ]
    )
    report = services.point_import(upload=upload, actor=admin)
    assert report.applied
    assert (report.total, report.ok, report.bad, report.created, report.updated) == (2, 2, 0, 1, 1)
    new = Point.objects.get(code="P-NEW")
    assert (new.name, new.point_type.code, new.unit_id, new.address) == (
        "新市场",
        "MARKET",
        city.units["dept"].pk,
        "人民路 1 号",
    )
    assert new.territory.code == "420302001001001"
    moved = Point.objects.get(pk=existing.pk)
    assert moved.name == "武当1社区农贸市场(改)"
    assert moved.district.code == "420303"
    assert moved.paired_unit_id == city.units["dept"].pk
    event = AuditEvent.objects.get(action="evaluation.point_import")
    assert (event.data["created"], event.data["updated"]) == (1, 1)


def test_import_reports_exactly_the_bad_rows_and_saves_nothing(registry, city, admin):
    Unit.objects.filter(pk__in=[city.units["420302"].pk, city.units["420303"].pk]).update(
        short_name="区政府"
    )
    PointType.objects.filter(code="ROAD").update(is_active=False)
    upload = workbook(
        [
            row("P-1"),  # 2: good
            row("P-2", where=OUTSIDE),  # 3: outside the city
            row("P-3", kind="菜市场"),  # 4: unknown type
            row("P-4", unit="不存在的单位"),  # 5: unknown unit
            row("P-1", name="重复"),  # 6: duplicate code in the file
            row("P-5", lng="一百一十"),  # 7: not a number
            row("P-6", unit="区政府"),  # 8: ambiguous short name
            row("P-7", lat=110.02, lng=32.02),  # 9: columns swapped
            row("P-8", kind="ROAD"),  # 10: deactivated type
            row("P-9", paired="无此单位"),  # 11: unknown paired unit
            row("", name=""),  # 12: code and name missing
            row("P-10", where=ZHANGWAN),  # 13: good
        ]
    )
    before = Point.objects.count()
    report = services.point_import(upload=upload, actor=admin)
    assert not report.applied
    assert (report.total, report.ok, report.bad) == (12, 2, 10)
    assert [bad.number for bad in report.bad_rows] == [3, 4, 5, 6, 7, 8, 9, 10, 11, 12]
    messages = {bad.number: " ".join(bad.messages) for bad in report.bad_rows}
    assert "第 3 行“经度”" in messages[3] and "不在本市范围内" in messages[3]
    assert "第 4 行“点位类型”:未知的点位类型“菜市场”" in messages[4]
    assert "第 5 行“责任单位”:单位“不存在的单位”不存在" in messages[5]
    assert "第 6 行“点位编号”:与第 2 行重复" in messages[6]
    assert "第 7 行“经度”" in messages[7]
    assert "第 8 行“责任单位”:简称“区政府”对应多个单位" in messages[8]
    assert "第 9 行“纬度”" in messages[9] and "填反" in messages[9]
    assert "第 10 行“点位类型”:点位类型“ROAD”已停用" in messages[10]
    assert "第 11 行“包联单位”" in messages[11]
    assert "第 12 行“点位编号”:不能为空" in messages[12]
    assert "第 12 行“点位名称”:不能为空" in messages[12]
    assert Point.objects.count() == before
    assert not AuditEvent.objects.filter(action="evaluation.point_import").exists()


def test_a_deactivated_type_or_unit_is_kept_only_where_the_point_has_it(registry, city, admin):
    road = registry.types["ROAD"]
    kept = registry.points["ROAD-420302001001"]
    Point.objects.filter(point_type=road).exclude(pk=kept.pk).update(is_active=False)
    Point.objects.filter(pk=kept.pk).update(is_active=False)
    services.point_type_update(point_type_id=road.pk, actor=admin, is_active=False)
    Unit.objects.filter(pk=kept.unit_id).update(is_active=False)
    unit_name = Unit.objects.get(pk=kept.unit_id).name
    upload = workbook(
        [
            row(kept.code, name="改名", kind="ROAD", where=(kept.lat, kept.lng), unit=unit_name),
            row("P-NEW", kind="主次干道"),
            row("P-NEW2", unit=unit_name),
        ]
    )
    report = services.point_import(upload=upload, actor=admin)
    assert [bad.number for bad in report.bad_rows] == [3, 4]
    assert "点位类型“主次干道”已停用" in report.bad_rows[0].messages[0]
    assert f"单位“{unit_name}”已停用" in report.bad_rows[1].messages[0]
    report = services.point_import(upload=upload, actor=admin, skip_bad_rows=True)
    assert (report.created, report.updated) == (0, 1)
    assert Point.objects.get(pk=kept.pk).name == "改名"


def test_import_can_skip_the_bad_rows(registry, admin):
    upload = workbook([row("P-1"), row("P-2", where=OUTSIDE), row("P-3", where=ZHANGWAN)])
    report = services.point_import(upload=upload, actor=admin, skip_bad_rows=True)
    assert report.applied
    assert (report.created, report.updated, report.bad) == (2, 0, 1)
    assert set(Point.objects.filter(code__startswith="P-").values_list("code", flat=True)) == {
        "P-1",
        "P-3",
    }
    event = AuditEvent.objects.get(action="evaluation.point_import")
    assert event.data["skipped_rows"] == [3]


def test_export_round_trips_and_reimport_updates_instead_of_duplicating(registry, city, admin):
    Point.objects.filter(code="ROAD-420302001001").update(paired_unit=city.units["dept"])
    content = services.point_export(Point.objects.all())
    book = load_workbook(io.BytesIO(content))
    sheet = book["点位"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == services.EXPORT_HEADERS
    by_code = {r[0]: r for r in rows[1:]}
    assert len(by_code) == 12
    assert by_code["MARKET-420302001001"][8:] == ("茅箭区", "武当路街道", "武当1社区")
    assert by_code["ROAD-420302001001"][7] == "市城管执法委"

    before = list(Point.objects.order_by("code").values())
    report = services.point_import(upload=SimpleUploadedFile("点位.xlsx", content), actor=admin)
    assert report.applied
    assert (report.total, report.created, report.updated) == (12, 0, 0)
    assert list(Point.objects.order_by("code").values()) == before

    # The same file edited: one name changed, and the row count stays 12.
    sheet.cell(row=2, column=2, value="改过名的点位")
    buffer = io.BytesIO()
    book.save(buffer)
    report = services.point_import(
        upload=SimpleUploadedFile("点位.xlsx", buffer.getvalue()), actor=admin
    )
    assert (report.created, report.updated) == (0, 1)
    assert Point.objects.count() == 12
    assert Point.objects.get(code=rows[1][0]).name == "改过名的点位"


def test_import_reads_gbk_csv_and_keeps_blank_optional_cells(registry, city, admin):
    point = market_point(registry)
    Point.objects.filter(pk=point.pk).update(address="原地址", paired_unit=city.units["dept"])
    lines = [
        ",".join(services.HEADERS),
        f"{point.code},{point.name},农贸市场,,{point.lng},{point.lat},{point.unit.name},",
    ]
    upload = SimpleUploadedFile("点位.csv", "\n".join(lines).encode("gbk"))
    report = services.point_import(upload=upload, actor=admin)
    assert (report.created, report.updated) == (0, 0)
    fresh = Point.objects.get(pk=point.pk)
    assert (fresh.address, fresh.paired_unit_id) == ("原地址", city.units["dept"].pk)


def test_import_refuses_a_file_without_the_columns(registry, admin):
    upload = workbook([("P-1", "名称")], headers=("点位编号", "点位名称"))
    with pytest.raises(ServiceError) as caught:
        services.point_import(upload=upload, actor=admin)
    assert caught.value.field == "file"
    assert "缺少表头" in caught.value.message and "“经度”" in caught.value.message


def test_the_template_lists_the_columns_and_the_types(registry):
    book = load_workbook(io.BytesIO(services.point_template()))
    assert next(book["点位"].iter_rows(values_only=True)) == services.HEADERS
    notes = " ".join(r[0] for r in book["填写说明"].iter_rows(min_row=2, values_only=True))
    assert "农贸市场(MARKET)" in notes and "主次干道(ROAD)" in notes


# -- point types -----------------------------------------------------------------------------
def test_a_city_admin_adds_a_point_type_at_the_end(registry, admin):
    point_type = services.point_type_create(
        code=" park ", name=" 公园广场 ", description="城市公园和广场", actor=admin
    )
    assert (point_type.code, point_type.name, point_type.position) == ("PARK", "公园广场", 2)
    assert AuditEvent.objects.filter(
        action="evaluation.point_type_create", object_id=str(point_type.pk), actor=admin
    ).exists()


@pytest.mark.parametrize(
    ("code", "name", "field", "message"),
    [
        ("MARKET", "新类型", "code", "类型编码“MARKET”已存在"),
        ("NEW", "农贸市场", "name", "类型名称“农贸市场”已存在"),
        ("1ABC", "新类型", "code", "类型编码应以字母开头"),
        ("A" * 13, "新类型", "code", "最多 12 位"),
        ("市场", "新类型", "code", "类型编码应以字母开头"),
        ("", "新类型", "code", "请填写类型编码"),
        ("NEW", "", "name", "请填写类型名称"),
        ("NEW", "名" * 41, "name", "不能超过 40 个字"),
    ],
)
def test_point_type_create_refuses_bad_input(registry, admin, code, name, field, message):
    with pytest.raises(ServiceError) as caught:
        services.point_type_create(code=code, name=name, actor=admin)
    assert caught.value.field == field
    assert message in caught.value.message
    assert PointType.objects.count() == 2


def test_point_type_update_renames_and_audits(registry, admin):
    market = registry.types["MARKET"]
    services.point_type_update(
        point_type_id=market.pk, actor=admin, name="农贸(集贸)市场", position="5"
    )
    market.refresh_from_db()
    assert (market.name, market.position) == ("农贸(集贸)市场", 5)
    event = AuditEvent.objects.get(action="evaluation.point_type_update")
    assert event.data["changed"] == {"name": ["农贸市场", "农贸(集贸)市场"], "position": [0, 5]}


def test_a_type_with_active_points_cannot_be_deactivated(registry, admin):
    road = registry.types["ROAD"]
    with pytest.raises(ServiceError, match="还有 6 个有效点位") as caught:
        services.point_type_update(point_type_id=road.pk, actor=admin, is_active=False)
    assert caught.value.field == "is_active"
    Point.objects.filter(point_type=road).update(is_active=False)
    services.point_type_update(point_type_id=road.pk, actor=admin, is_active=False)
    assert PointType.objects.get(pk=road.pk).is_active is False


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"code": "ROAD"}, "类型编码“ROAD”已存在"),
        ({"name": "主次干道"}, "类型名称“主次干道”已存在"),
        ({"position": "-1"}, "排序应在"),
        ({"position": "第一"}, "排序必须是整数"),
        ({"points": 3}, "不能修改字段"),
    ],
)
def test_point_type_update_refuses_bad_input(registry, admin, changes, message):
    market = registry.types["MARKET"]
    with pytest.raises(ServiceError, match=message):
        services.point_type_update(point_type_id=market.pk, actor=admin, **changes)
    market.refresh_from_db()
    assert (market.code, market.name, market.position) == ("MARKET", "农贸市场", 0)


# -- checklists ----------------------------------------------------------------------------------
def _item(actor, point_type, **overrides):
    fields = {
        "point_type_id": point_type.pk,
        "section": "环境卫生",
        "text": "公益广告不少于 5 处",
        "max_points": "8",
        "deduction": "1.5",
        "category_code": "w0101",
        "actor": actor,
    }
    fields.update(overrides)
    return services.checklist_item_create(**fields)


def test_a_city_admin_adds_a_checklist_item(registry, admin, indicators):
    market = registry.types["MARKET"]
    item = _item(admin, market, indicator_id=indicators["indicator"].pk, na_allowed=True)
    assert (item.position, item.max_points, item.deduction) == (3, Decimal("8"), Decimal("1.5"))
    assert (item.category.code, item.indicator, item.evidence_required, item.na_allowed) == (
        "W0101",
        indicators["indicator"],
        True,
        True,
    )
    event = AuditEvent.objects.get(action="evaluation.checklist_item_create")
    assert event.data["indicator"] == "2.1.3"
    assert event.data["max_points"] == "8.00"


def test_an_item_may_be_placed_at_a_given_position(registry, admin):
    item = _item(admin, registry.types["ROAD"], position=0, section="市容秩序")
    assert item.position == 0


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"max_points": "0"}, "max_points", "分值必须大于 0"),
        ({"max_points": "-2"}, "max_points", "分值必须大于 0"),
        ({"max_points": "十"}, "max_points", "分值必须是数字"),
        ({"max_points": "1.234"}, "max_points", "最多保留 2 位小数"),
        ({"max_points": "100000"}, "max_points", "不能大于"),
        ({"deduction": "0"}, "deduction", "每处扣分必须大于 0"),
        ({"deduction": ""}, "deduction", "每处扣分必须是数字"),
        ({"category_code": ""}, "category", "请选择不合格时的立案类别"),
        ({"category_code": "E9999"}, "category", "未知的案件类别"),
        ({"category_code": "E01"}, "category", "是大类"),
        ({"section": ""}, "section", "请填写分组"),
        ({"text": "  "}, "text", "请填写检查内容"),
        ({"point_type_id": 999999}, "point_type", "点位类型不存在"),
        ({"indicator_id": 999999}, "indicator", "测评指标不存在"),
        ({"position": "上面"}, "position", "排序必须是整数"),
    ],
)
def test_checklist_item_create_refuses_bad_input(registry, admin, overrides, field, message):
    before = ChecklistItem.objects.count()
    with pytest.raises(ServiceError) as caught:
        _item(admin, registry.types["MARKET"], **overrides)
    assert caught.value.field == field
    assert message in caught.value.message
    assert ChecklistItem.objects.count() == before


@pytest.mark.parametrize("level", ["dimension", "item", "standard"])
def test_only_an_indicator_level_entry_may_be_linked(registry, admin, indicators, level):
    with pytest.raises(ServiceError, match="不是测评指标") as caught:
        _item(admin, registry.types["MARKET"], indicator_id=indicators[level].pk)
    assert caught.value.field == "indicator"


def test_the_category_must_be_able_to_open_a_case(registry, admin):
    Category.objects.filter(code="W0101").update(is_active=False)
    with pytest.raises(ServiceError, match="已停用"):
        _item(admin, registry.types["MARKET"])
    Category.objects.filter(code="W0101").update(is_active=True)
    Category.objects.filter(code="W01").update(is_active=False)
    with pytest.raises(ServiceError, match="已停用"):
        _item(admin, registry.types["MARKET"])
    Category.objects.filter(code="W01").update(is_active=True)
    CaseStandard.objects.filter(category__code="W0101").update(is_active=False)
    with pytest.raises(ServiceError, match="尚未设置立结案标准"):
        _item(admin, registry.types["MARKET"])


def test_items_cannot_be_added_to_an_inactive_type(registry, admin):
    road = registry.types["ROAD"]
    PointType.objects.filter(pk=road.pk).update(is_active=False)
    with pytest.raises(ServiceError, match="点位类型不存在或已停用"):
        _item(admin, road)


def test_checklist_item_update_changes_and_audits(registry, admin, indicators):
    item = registry.types["MARKET"].items.get(text="无占道经营")
    services.checklist_item_update(
        item_id=item.pk,
        actor=admin,
        text="无占道经营、出店经营",
        max_points="12",
        deduction=item.deduction,
        category_code="E0502",
        indicator_id=str(indicators["indicator"].pk),
        evidence_required=True,
        na_allowed="on",
    )
    item.refresh_from_db()
    assert (item.text, item.max_points, item.na_allowed, item.indicator_id) == (
        "无占道经营、出店经营",
        Decimal("12.00"),
        True,
        indicators["indicator"].pk,
    )
    event = AuditEvent.objects.get(action="evaluation.checklist_item_update")
    assert set(event.data["changed"]) == {"text", "max_points", "na_allowed", "indicator_id"}
    assert event.data["changed"]["max_points"] == ["10.00", "12.00"]

    services.checklist_item_update(item_id=item.pk, actor=admin, indicator_id=None, is_active=False)
    item.refresh_from_db()
    assert (item.indicator_id, item.is_active) == (None, False)


def test_an_item_keeps_a_category_deactivated_since_until_another_is_picked(registry, admin):
    item = registry.types["MARKET"].items.get(text="无占道经营")
    Category.objects.filter(code__in=["E0502", "W0101"]).update(is_active=False)
    services.checklist_item_update(item_id=item.pk, actor=admin, category_code="E0502", text="新")
    assert ChecklistItem.objects.get(pk=item.pk).text == "新"
    with pytest.raises(ServiceError, match="已停用"):
        services.checklist_item_update(item_id=item.pk, actor=admin, category_code="W0101")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"deduction": "0"}, "每处扣分必须大于 0"),
        ({"max_points": "abc"}, "分值必须是数字"),
        ({"category_code": "B01"}, "是大类"),
        ({"indicator_id": "x"}, "测评指标不存在"),
        ({"point_type_id": 1}, "不能修改字段"),
    ],
)
def test_checklist_item_update_refuses_bad_input(registry, admin, changes, message):
    item = registry.types["MARKET"].items.get(text="无占道经营")
    with pytest.raises(ServiceError, match=message):
        services.checklist_item_update(item_id=item.pk, actor=admin, **changes)
    fresh = ChecklistItem.objects.get(pk=item.pk)
    assert (fresh.deduction, fresh.max_points, fresh.category_id) == (
        item.deduction,
        item.max_points,
        item.category_id,
    )


def _order(point_type):
    return list(point_type.items.order_by("position", "id").values_list("text", flat=True))


def test_moving_an_item_swaps_it_with_its_neighbour_in_the_section(registry, admin):
    market = registry.types["MARKET"]
    # Ties left by earlier edits are numbered first, in their current order.
    ChecklistItem.objects.filter(point_type=market).update(position=0)
    assert _order(market) == ["地面无暴露垃圾", "无乱扔垃圾现象", "无占道经营"]
    second = market.items.get(text="无乱扔垃圾现象")
    services.checklist_item_move(item_id=second.pk, direction="up", actor=admin)
    assert _order(market) == ["无乱扔垃圾现象", "地面无暴露垃圾", "无占道经营"]
    # The first of its section stays where it is; so does the last.
    services.checklist_item_move(item_id=second.pk, direction="up", actor=admin)
    last_of_section = market.items.get(text="地面无暴露垃圾")
    services.checklist_item_move(item_id=last_of_section.pk, direction="down", actor=admin)
    assert _order(market) == ["无乱扔垃圾现象", "地面无暴露垃圾", "无占道经营"]
    assert AuditEvent.objects.filter(action="evaluation.checklist_item_move").count() == 1


def test_moving_needs_a_direction(registry, admin):
    item = registry.types["MARKET"].items.first()
    with pytest.raises(ServiceError, match="移动方向"):
        services.checklist_item_move(item_id=item.pk, direction="left", actor=admin)
    with pytest.raises(ServiceError, match="检查项不存在"):
        services.checklist_item_move(item_id=999999, direction="up", actor=admin)
