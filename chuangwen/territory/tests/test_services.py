import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from chuangwen.core.errors import PermissionDeniedError, ServiceError
from chuangwen.core.models import AuditEvent, OutboxMessage
from chuangwen.org.choices import Role
from chuangwen.territory import routing
from chuangwen.territory.choices import Level, NodeKind
from chuangwen.territory.models import TerritoryNode, TerritoryState
from chuangwen.territory.services import (
    TerritoryImportError,
    territory_assign_owner,
    territory_import_features,
    territory_node_create,
    territory_node_update,
)
from chuangwen.testing.city import CITYWIDE_ROLES, ROLE_HOMES, square

pytestmark = pytest.mark.django_db
SHIYAN = Path(__file__).resolve().parents[1] / "data" / "shiyan_districts.geojson"
BOWTIE = {
    "type": "Polygon",
    "coordinates": [[[110.0, 32.0], [110.1, 32.1], [110.1, 32.0], [110.0, 32.1], [110.0, 32.0]]],
}


def test_create_writes_path_bbox_audit_and_bumps_version(city):
    before = TerritoryState.objects.get(pk=1).version
    node = territory_node_create(
        code="420302001001003",
        name="新建网格",
        level=Level.GRID,
        parent=city.node("420302001001"),
        geometry=square(110.0, 32.0, 110.01, 32.01),
        actor=None,
    )
    assert node.path == "420300/420302/420302001/420302001001/420302001001003/"
    assert (node.min_lng, node.min_lat, node.max_lng, node.max_lat) == pytest.approx(
        (110.0, 32.0, 110.01, 32.01)
    )
    assert node.area_km2 == pytest.approx(1.05, rel=0.02)
    assert AuditEvent.objects.filter(
        action="territory.node_create", object_id=str(node.pk)
    ).exists()
    assert TerritoryState.objects.get(pk=1).version == before + 1
    assert OutboxMessage.objects.filter(topic="territory.changed").exists()


@pytest.mark.parametrize(
    ("code", "level", "parent_code", "message"),
    [
        ("420302009", Level.GRID, "420302", "下级不能是"),
        ("420399001", Level.STREET, "420302", "必须以上级代码"),
        ("4203 02", Level.STREET, "420302", "字母或数字"),
        ("420302001", Level.STREET, "420302", "已存在"),
        ("420399", Level.DISTRICT, None, "必须有上级"),
        ("999999", Level.CITY, None, "已有市级根节点"),
        ("420302003", "province", "420302", "未知层级"),
    ],
)
def test_create_refuses_bad_placement(city, code, level, parent_code, message):
    parent = city.node(parent_code) if parent_code else None
    with pytest.raises(ServiceError, match=message):
        territory_node_create(code=code, name="x", level=level, parent=parent, actor=None)


@pytest.mark.parametrize(
    ("geometry", "message"),
    [
        ({"type": "Point", "coordinates": [110, 32]}, "Polygon"),
        ({"type": "Polygon", "coordinates": "oops"}, "无法解析"),
        (
            {"type": "Polygon", "coordinates": [[[200, 32], [201, 32], [201, 33], [200, 32]]]},
            "超出经纬度",
        ),
        ({"type": "Polygon", "coordinates": []}, "为空"),
    ],
)
def test_create_refuses_bad_geometry(city, geometry, message):
    with pytest.raises(ServiceError, match=message):
        territory_node_create(
            code="420302003",
            name="新街道",
            level=Level.STREET,
            parent=city.node("420302"),
            geometry=geometry,
            actor=None,
        )


def test_create_repairs_a_self_intersecting_polygon(city):
    node = territory_node_create(
        code="420302003",
        name="蝴蝶街道",
        level=Level.STREET,
        parent=city.node("420302"),
        geometry=BOWTIE,
        actor=None,
    )
    assert node.geometry["type"] == "MultiPolygon"
    assert (
        "Self-intersection"
        in AuditEvent.objects.get(action="territory.node_create", object_id=str(node.pk)).data[
            "repaired"
        ]
    )


@pytest.mark.parametrize("role", sorted(set(Role.values) - {Role.CITY_ADMIN}))
def test_only_city_admins_create_nodes(city, role):
    user = city.user(role, ROLE_HOMES[role])
    with pytest.raises(PermissionDeniedError):
        territory_node_create(
            code="420302003", name="x", level=Level.STREET, parent=city.node("420302"), actor=user
        )


def test_update_changes_name_and_owner_with_a_trace(city):
    admin = city.user(Role.CITY_ADMIN, "city")
    grid = city.node("420302001001001")
    territory_node_update(node=grid, actor=admin, name="  新名称  ", owner_unit=city.units["dept"])
    grid.refresh_from_db()
    assert grid.name == "新名称" and grid.owner_unit == city.units["dept"]
    event = AuditEvent.objects.get(action="territory.node_update", object_id=str(grid.pk))
    assert event.actor == admin
    assert event.data["before"]["name"] == "武当1社区第1网格"
    assert event.data["after"]["owner_unit"] == city.units["dept"].pk


@pytest.mark.parametrize(
    ("changes", "message"),
    [({"name": " "}, "名称"), ({"code": "1"}, "不能修改字段"), ({"path": "x"}, "不能修改字段")],
)
def test_update_refuses_bad_input(city, changes, message):
    with pytest.raises(ServiceError, match=message):
        territory_node_update(node=city.node("420302001"), actor=None, **changes)


@pytest.mark.parametrize(
    "role", [Role.STREET_OPERATOR, Role.COMMUNITY_OPERATOR, Role.DISTRICT_OPERATOR]
)
def test_territory_operators_edit_only_inside_their_territory(city, role):
    user = city.user(role, ROLE_HOMES[role])
    inside = city.node("420302001001001")
    outside = city.node("420303001001001")
    territory_node_update(node=inside, actor=user, land_use="green")
    with pytest.raises(PermissionDeniedError):
        territory_node_update(node=outside, actor=user, land_use="green")
    with pytest.raises(PermissionDeniedError):  # boundaries are the city office's business
        territory_node_update(node=inside, actor=user, geometry=square(110.0, 32.0, 110.05, 32.05))


@pytest.mark.parametrize(
    "role",
    sorted(
        set(Role.values)
        - CITYWIDE_ROLES
        - {Role.STREET_OPERATOR, Role.COMMUNITY_OPERATOR, Role.DISTRICT_OPERATOR}
    ),
)
def test_non_operators_cannot_edit_nodes(city, role):
    user = city.user(role, ROLE_HOMES[role])
    with pytest.raises(PermissionDeniedError):
        territory_node_update(node=city.node("420302001001001"), actor=user, land_use="green")


def test_assign_owner_and_restore_fallback(city):
    codes = ["420302001001001", "420302001001002"]
    assert territory_assign_owner(codes=codes, unit=city.units["dept"], actor=None) == 2
    assert set(
        TerritoryNode.objects.filter(code__in=codes).values_list("owner_unit", flat=True)
    ) == {city.units["dept"].pk}
    territory_assign_owner(codes=codes, unit=None, actor=None)
    assert set(
        TerritoryNode.objects.filter(code__in=codes).values_list("owner_unit", flat=True)
    ) == {None}


def test_assign_owner_refuses_non_grids_and_unknown_codes(city):
    with pytest.raises(ServiceError, match="只有单元网格"):
        territory_assign_owner(codes=["420302001"], unit=city.units["dept"], actor=None)
    with pytest.raises(ServiceError, match="不存在"):
        territory_assign_owner(
            codes=["420302001001001", "999"], unit=city.units["dept"], actor=None
        )
    assert TerritoryNode.objects.get(code="420302001001001").owner_unit is None


def test_assign_owner_outside_scope_is_refused(city):
    user = city.user(Role.STREET_OPERATOR, "420302001")
    with pytest.raises(PermissionDeniedError):
        territory_assign_owner(codes=["420303001001001"], unit=city.units["dept"], actor=user)


def _features():
    return json.loads(SHIYAN.read_text(encoding="utf-8"))["features"]


def _import_districts(features=None, **overrides):
    kwargs = {
        "features": _features() if features is None else features,
        "level": Level.DISTRICT,
        "code_field": "adcode",
        "name_field": "name",
        "parent_code": "420300",
        "actor": None,
        **overrides,
    }
    return territory_import_features(**kwargs)


def test_import_of_the_real_districts_repairs_and_reports(db):
    territory_node_create(code="420300", name="十堰市", level=Level.CITY, parent=None, actor=None)
    report = _import_districts()
    assert len(report.created) == 8
    assert {n.code for n in report.repaired} == {
        "420302",
        "420303",
        "420304",
        "420322",
        "420323",
        "420325",
    }
    for note in report.repaired:
        assert note.area_after_km2 == pytest.approx(note.area_before_km2, rel=0.01)
    assert "修复 6 个" in report.lines()[0]
    # A second import updates in place.
    again = _import_districts()
    assert len(again.updated) == 8 and not again.created
    assert TerritoryNode.objects.filter(level=Level.DISTRICT).count() == 8


def test_import_is_all_or_nothing_and_lists_every_bad_feature(db):
    territory_node_create(code="420300", name="十堰市", level=Level.CITY, parent=None, actor=None)
    features = _features()
    features[1]["properties"]["name"] = ""
    features[3]["geometry"] = {"type": "LineString", "coordinates": [[0, 0], [1, 1]]}
    with pytest.raises(TerritoryImportError) as info:
        _import_districts(features)
    assert len(info.value.report.errors) == 2
    assert "第 2 个要素" in info.value.report.errors[0]
    assert "第 4 个要素" in info.value.report.errors[1]
    assert not TerritoryNode.objects.filter(level=Level.DISTRICT).exists()


def test_import_with_a_parent_field(city):
    features = [
        {
            "type": "Feature",
            "properties": {"id": "420302001001003", "n": "新网格", "p": "420302001001"},
            "geometry": square(110.0, 32.0, 110.01, 32.01),
        }
    ]
    report = territory_import_features(
        features=features,
        level=Level.GRID,
        code_field="id",
        name_field="n",
        parent_field="p",
        actor=None,
    )
    assert report.created == ["420302001001003"]
    assert TerritoryNode.objects.get(code="420302001001003").parent == city.node("420302001001")


def test_import_refuses_unknown_parent_and_empty_files(city):
    with pytest.raises(ServiceError, match="不存在"):
        _import_districts(parent_code="999999")
    with pytest.raises(ServiceError, match="没有任何要素"):
        _import_districts([])


def test_import_refuses_a_code_repeated_in_the_file(db):
    territory_node_create(code="420300", name="十堰市", level=Level.CITY, parent=None, actor=None)
    features = _features()
    with pytest.raises(TerritoryImportError) as info:
        _import_districts([*features, features[0]])
    assert info.value.report.errors == ["第 9 个要素(茅箭区):代码 420302 在文件中重复出现"]
    assert not TerritoryNode.objects.filter(level=Level.DISTRICT).exists()


def test_import_refused_for_non_admins(city):
    user = city.user(Role.DISTRICT_OPERATOR, "420302")
    with pytest.raises(PermissionDeniedError):
        _import_districts(actor=user)


def test_import_command_prints_the_repair_report(db, capsys):
    territory_node_create(code="420300", name="十堰市", level=Level.CITY, parent=None, actor=None)
    call_command(
        "import_territory",
        str(SHIYAN),
        "--level",
        "district",
        "--code-field",
        "adcode",
        "--name-field",
        "name",
        "--parent",
        "420300",
    )
    out = capsys.readouterr().out
    assert "新建 8 个" in out and "修复 郧西县(420322)" in out


@pytest.mark.parametrize(
    ("content", "message"),
    [("{not json", "cannot read"), ('{"type": "Feature"}', "FeatureCollection")],
)
def test_import_command_fails_clearly(db, tmp_path, content, message):
    bad = tmp_path / "bad.geojson"
    bad.write_text(content, encoding="utf-8")
    with pytest.raises(CommandError, match=message):
        call_command(
            "import_territory",
            str(bad),
            "--level",
            "district",
            "--code-field",
            "adcode",
            "--name-field",
            "name",
        )


def test_export_command_round_trips(city, tmp_path):
    out = tmp_path / "grids.geojson"
    call_command("export_territory", "--root", "420302001", "--level", "grid", "--output", str(out))
    data = json.loads(out.read_text(encoding="utf-8"))
    assert len(data["features"]) == 4
    assert {f["properties"]["code"][:9] for f in data["features"]} == {"420302001"}
    assert data["features"][0]["geometry"]["type"] == "Polygon"


def test_routing_index_follows_territory_changes(city, settings):
    settings.ROUTING_RECHECK_SECONDS = 0
    assert routing.locate(110.5, 32.1) is None
    territory_node_create(
        code="420304",
        name="郧阳区",
        level=Level.DISTRICT,
        parent=city.node("420300"),
        geometry=square(110.4, 32.0, 110.6, 32.2),
        actor=None,
    )
    assert routing.locate(110.5, 32.1).district.name == "郧阳区"
    zone = territory_node_create(
        code="420390",
        name="经开区",
        level=Level.DISTRICT,
        parent=city.node("420300"),
        geometry=square(110.45, 32.05, 110.5, 32.1),
        kind=NodeKind.FUNCTIONAL_ZONE,
        actor=None,
    )
    assert routing.locate(110.47, 32.07).district.code == zone.code
    territory_node_update(node=zone, actor=None, is_active=False)
    assert routing.locate(110.47, 32.07).district.code == "420304"


def test_worker_drops_its_routing_index_when_the_territory_changes(city, settings):
    from chuangwen.core import outbox

    settings.ROUTING_RECHECK_SECONDS = 3600
    outbox.discover()
    index = routing.get_index()
    territory_node_update(node=city.node("420302001"), actor=None, name="武当路街道(新)")
    assert routing.get_index() is index  # within the recheck interval the old copy stays
    outbox.deliver_pending()
    assert routing.get_index() is not index
    assert routing.locate(110.02, 32.02).street.name == "武当路街道(新)"
