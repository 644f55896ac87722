"""A 小类's extra fields (its Open311 attributes), edited by the office: the service's
checks, the pages, the workbook round trip, and what Open311 then serves."""

import io
import re

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from chuangwen.catalog.extra_fields import fields_version
from chuangwen.catalog.models import Category
from chuangwen.catalog.services import (
    catalog_export,
    catalog_import,
    category_field_delete,
    category_field_move,
    category_field_save,
)
from chuangwen.core.errors import ConflictError, PermissionDeniedError, ServiceError
from chuangwen.core.models import AuditEvent
from chuangwen.org.choices import Role
from chuangwen.testing.city import ROLE_HOMES

pytestmark = pytest.mark.django_db
NON_ADMIN_ROLES = sorted(set(Role.values) - {Role.CITY_ADMIN})

COVER = {
    "code": "cover",
    "label": " 井盖类型 ",
    "type": "singlevaluelist",
    "required": True,
    "help": "看井盖上的字",
    "choices": [{"key": "rain", "label": "雨水井"}, {"key": "sewage", "label": "污水井"}],
}
DEPTH = {"code": "depth", "label": "积水深度", "type": "number", "help": "单位:厘米"}


@pytest.fixture
def admin(city):
    return city.user(Role.CITY_ADMIN, "city")


@pytest.fixture
def minor(catalogue):
    return Category.objects.get(code="B0102")


def test_the_office_adds_edits_moves_and_removes_fields(admin, minor):
    category_field_save(category=minor, field=COVER, actor=admin)
    category_field_save(category=minor, field=DEPTH, actor=admin)
    minor.refresh_from_db()
    assert [(f["code"], f["order"]) for f in minor.extra_fields] == [("cover", 1), ("depth", 2)]
    assert minor.extra_fields[0]["label"] == "井盖类型"
    assert minor.extra_fields[0]["choices"][1] == {"key": "sewage", "label": "污水井"}

    version = fields_version(minor.extra_fields)
    category_field_move(category=minor, code="depth", step=-1, actor=admin, version=version)
    minor.refresh_from_db()
    assert [f["code"] for f in minor.extra_fields] == ["depth", "cover"]

    category_field_save(
        category=minor,
        code="depth",
        field={**DEPTH, "label": "水深", "required": True},
        actor=admin,
    )
    minor.refresh_from_db()
    assert minor.extra_fields[0]["label"] == "水深" and minor.extra_fields[0]["required"]

    category_field_delete(category=minor, code="cover", actor=admin)
    minor.refresh_from_db()
    assert [f["code"] for f in minor.extra_fields] == ["depth"]
    events = AuditEvent.objects.filter(
        action="catalog.category_fields_update", object_id=str(minor.pk)
    )
    assert events.count() == 5
    assert all(e.actor == admin for e in events)


def test_open311_serves_what_the_office_wrote(client, admin, minor):
    category_field_save(category=minor, field=COVER, actor=admin)
    data = client.get("/open311/v2/services/B0102.json").json()
    attribute = data["attributes"][0]
    assert attribute["code"] == "cover"
    assert attribute["datatype"] == "singlevaluelist"
    assert attribute["required"] is True
    assert [v["key"] for v in attribute["values"]] == ["rain", "sewage"]


@pytest.mark.parametrize(
    ("field", "says"),
    [
        ({**DEPTH, "code": "水深"}, "字段编码“水深”无效"),
        ({**DEPTH, "code": "1depth"}, "字段编码“1depth”无效"),
        ({**DEPTH, "code": ""}, "字段编码“”无效"),
        ({**DEPTH, "type": "photo"}, "未知的字段类型“photo”"),
        ({**DEPTH, "label": "  "}, "请填写字段名称"),
        ({**DEPTH, "label": "长" * 61}, "字段名称不能超过 60 个字"),
        ({**DEPTH, "help": "长" * 201}, "填写说明不能超过 200 个字"),
        ({**COVER, "choices": []}, "至少要有一个选项"),
        ({**COVER, "choices": [{"key": "a"}, {"key": "a"}]}, "选项编码“a”重复"),
        ({**COVER, "choices": [{"key": "a b"}]}, "选项编码“a b”无效"),
    ],
)
def test_bad_fields_are_refused_with_a_chinese_message(admin, minor, field, says):
    with pytest.raises(ServiceError, match=says):
        category_field_save(category=minor, field=field, actor=admin)
    minor.refresh_from_db()
    assert minor.extra_fields == []


def test_codes_are_unique_and_majors_take_no_fields(admin, minor):
    category_field_save(category=minor, field=DEPTH, actor=admin)
    with pytest.raises(ServiceError, match="字段编码“depth”已存在"):
        category_field_save(category=minor, field={**DEPTH, "label": "另一个"}, actor=admin)
    with pytest.raises(ServiceError, match="附加字段只能设在小类上"):
        category_field_save(category=minor.parent, field=DEPTH, actor=admin)
    with pytest.raises(ServiceError, match="不存在"):
        category_field_delete(category=minor, code="nothing", actor=admin)


def test_an_edit_made_on_an_older_list_is_refused(admin, minor):
    stale = fields_version(minor.extra_fields)
    category_field_save(category=minor, field=DEPTH, actor=admin, version=stale)
    with pytest.raises(ConflictError):
        category_field_save(category=minor, field=COVER, actor=admin, version=stale)
    minor.refresh_from_db()
    assert [f["code"] for f in minor.extra_fields] == ["depth"]


@pytest.mark.parametrize("role", NON_ADMIN_ROLES)
def test_only_city_admins_edit_fields(city, minor, role):
    user = city.user(role, ROLE_HOMES[role])
    with pytest.raises(PermissionDeniedError):
        category_field_save(category=minor, field=DEPTH, actor=user)


@pytest.mark.parametrize("role", NON_ADMIN_ROLES)
def test_the_pages_refuse_everyone_but_city_admins(client, city, minor, role):
    client.force_login(city.user(role, ROLE_HOMES[role]))
    assert client.get(reverse("catalog:fields", args=["B0102"])).status_code == 403
    response = client.post(reverse("catalog:field_add", args=["B0102"]), {**DEPTH})
    assert response.status_code == 403
    minor.refresh_from_db()
    assert minor.extra_fields == []


def test_the_pages_add_edit_move_and_delete(client, admin, minor):
    client.force_login(admin)
    index = client.get(reverse("catalog:index"))
    assert reverse("catalog:fields", args=["B0102"]) in index.content.decode()
    add = reverse("catalog:field_add", args=["B0102"])
    assert client.get(add).status_code == 200
    response = client.post(
        add,
        {
            "code": "cover",
            "label": "井盖类型",
            "type": "singlevaluelist",
            "required": "on",
            "choices": "rain=雨水井\nsewage=污水井",
            "version": fields_version([]),
        },
    )
    assert response.status_code == 302
    client.post(add, {**DEPTH})
    minor.refresh_from_db()
    assert minor.extra_fields[0]["choices"] == COVER["choices"]
    assert minor.extra_fields[0]["required"] is True

    page = client.get(reverse("catalog:fields", args=["B0102"])).content.decode()
    assert "井盖类型" in page and "雨水井" in page

    # The move is sent with the version the page shows, as the browser sends it.
    version = re.search(r'name="version" value="([0-9a-f]+)"', page).group(1)
    assert version == fields_version(minor.extra_fields)
    move = reverse("catalog:field_move", args=["B0102", "depth"])
    response = client.post(
        move, {"direction": "up", "version": version}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert 'id="catalog-fields"' in response.content.decode()
    minor.refresh_from_db()
    assert [f["code"] for f in minor.extra_fields] == ["depth", "cover"]
    # The page still showing the old order is turned away.
    response = client.post(move, {"direction": "down", "version": version})
    assert response.status_code == 409

    edit = reverse("catalog:field_edit", args=["B0102", "depth"])
    assert "积水深度" in client.get(edit).content.decode()
    response = client.post(edit, {**DEPTH, "type": "list"})
    assert response.status_code == 400
    assert "未知的字段类型" in response.content.decode()

    delete = reverse("catalog:field_delete", args=["B0102", "cover"])
    assert client.post(delete, headers={"HX-Request": "true"}).status_code == 200
    minor.refresh_from_db()
    assert [f["code"] for f in minor.extra_fields] == ["depth"]
    assert client.get(reverse("catalog:field_edit", args=["B0102", "cover"])).status_code == 404
    assert client.get(reverse("catalog:fields", args=["B01"])).status_code == 404


def test_the_workbook_carries_the_fields_there_and_back(admin, minor):
    category_field_save(category=minor, field=COVER, actor=admin)
    category_field_save(category=minor, field=DEPTH, actor=admin)
    minor.refresh_from_db()
    before = minor.extra_fields
    content = catalog_export()
    sheet = openpyxl.load_workbook(io.BytesIO(content))["附加字段"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1] == (
        "B0102",
        "cover",
        "井盖类型",
        "单选",
        "是",
        "看井盖上的字",
        "rain=雨水井;sewage=污水井",
    )

    Category.objects.filter(pk=minor.pk).update(extra_fields=[])
    report = catalog_import(upload=SimpleUploadedFile("立结案标准.xlsx", content), actor=admin)
    assert report.applied
    minor.refresh_from_db()
    assert minor.extra_fields == before
    # Importing the same file again changes nothing.
    report = catalog_import(upload=SimpleUploadedFile("立结案标准.xlsx", content), actor=admin)
    assert (report.created, report.updated) == (0, 0)


def test_a_bad_fields_sheet_refuses_the_import(admin, minor):
    book = openpyxl.load_workbook(io.BytesIO(catalog_export()))
    sheet = book["附加字段"]
    sheet.append(("B0102", "kind", "种类", "单选", "否", "", ""))
    sheet.append(("B9999", "depth", "深度", "数字", "否", "", ""))
    buffer = io.BytesIO()
    book.save(buffer)
    with pytest.raises(ServiceError, match="至少要有一个选项") as refused:
        catalog_import(upload=SimpleUploadedFile("a.xlsx", buffer.getvalue()), actor=admin)
    assert "小类 B9999 不存在" in refused.value.message
    minor.refresh_from_db()
    assert minor.extra_fields == []
