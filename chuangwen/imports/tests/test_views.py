import io

import pytest
from openpyxl import load_workbook

from chuangwen.cases.models import Case
from chuangwen.core.errors import PermissionDeniedError
from chuangwen.imports import services
from chuangwen.imports.choices import JobStatus
from chuangwen.imports.models import ColumnMapping, ImportJob
from chuangwen.org.choices import Role

from .files import csv_upload, hotline_row

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def text(response) -> str:
    return response.content.decode()


def mapping_form(job, **changes) -> dict:
    data = {f"map_{k}": v for k, v in job.mapping.items() if k != "extra"}
    data.update(changes)
    return data


@pytest.fixture
def job(people):
    rows = [hotline_row("GD1"), hotline_row("GD2", description=""), hotline_row("GD3")]
    return services.import_job_create(
        source="12345", upload=csv_upload(rows), actor=people["operator"]
    )


def test_the_whole_journey_through_the_pages(client, people, work):
    client.force_login(people["operator"])
    assert "新建导入" in text(client.get("/imports/"))
    form = text(client.get("/imports/new/"))
    assert 'name="file"' in form and "12345 热线工单" in form and "B0102 污水井盖" in form

    upload = csv_upload([hotline_row("GD1"), hotline_row("GD2", description="")])
    response = client.post("/imports/new/", {"source": "12345", "file": upload})
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/imports/{job.pk}/"
    page = text(client.get(response["Location"]))
    # The mapping step, pre-filled by header guessing.
    assert '<option value="诉求内容" selected>' in page
    assert 'name="map_external_id"' in page
    # Every column is mapped: none is left to keep as additional information.
    assert 'name="extra"' not in page and "文件中的列都已对应到上面的字段。" in page

    response = client.post(f"/imports/{job.pk}/check/", mapping_form(job), **HTMX)
    panel = text(response)
    assert response.status_code == 200 and 'hx-trigger="every 1s"' in panel
    assert "正在检查" in panel
    work()
    panel = text(client.get(f"/imports/{job.pk}/status/", **HTMX))
    assert "every 1s" not in panel  # finished: polling stops
    assert "检查结果(尚未导入)" in panel and "不能为空。" in panel
    assert f"/imports/{job.pk}/errors.xlsx" in panel

    response = client.post(f"/imports/{job.pk}/commit/", {"mode": "skip_bad_rows"}, **HTMX)
    assert "正在导入" in text(response)
    work()
    panel = text(client.get(f"/imports/{job.pk}/status/", **HTMX))
    assert "导入结果" in panel and "有错误的行已跳过。" in panel
    assert list(Case.objects.values_list("external_id", flat=True)) == ["GD1"]

    listing = text(client.get("/imports/"))
    assert "12345工单.csv" in listing and "已完成" in listing


def test_columns_left_over_can_be_kept_as_additional_information(client, people):
    headers = ["工单编号", "诉求内容", "问题地址", "承办单位"]
    job = services.import_job_create(
        source="12345",
        upload=csv_upload([["A", "井盖缺失", "茅箭区武当1社区", "市水务集团"]], headers=headers),
        actor=people["operator"],
        default_category="B0102",
    )
    client.force_login(people["operator"])
    page = text(client.get(f"/imports/{job.pk}/"))
    assert '<input type="checkbox" name="extra" value="承办单位" >' in page
    assert 'name="extra" value="诉求内容"' not in page
    assert '<option value="B0102" selected>' in page  # the default category chosen at upload


def test_the_error_report_downloads_as_a_workbook(client, people, job, work):
    services.import_job_check(job_id=job.pk, actor=people["operator"], mapping=job.mapping)
    work()
    client.force_login(people["operator"])
    response = client.get(f"/imports/{job.pk}/errors.xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("行号", "错误信息")
    assert rows[1] == (3, "问题描述(诉求内容):不能为空。")


def test_a_refused_mapping_is_shown_with_what_was_chosen(client, people, job):
    client.force_login(people["operator"])
    data = mapping_form(job, map_description="", map_address="来电人", map_reporter_name="")
    response = client.post(f"/imports/{job.pk}/check/", data, **HTMX)
    assert response.status_code == 400
    panel = text(response)
    assert "请指定“问题描述”对应的列。" in panel
    assert '<option value="来电人" selected>' in panel
    # Without HTMX the whole page comes back, with the same refusal.
    response = client.post(f"/imports/{job.pk}/check/", data)
    assert response.status_code == 400 and "<html" in text(response)
    job.refresh_from_db()
    assert job.status == JobStatus.UPLOADED


def test_a_refused_upload_says_why(client, people):
    client.force_login(people["operator"])
    response = client.post("/imports/new/", {"source": "12345"})
    assert response.status_code == 400 and "请选择要导入的文件" in text(response)


def test_all_or_nothing_with_errors_is_refused_on_the_page(client, people, job, work):
    services.import_job_check(job_id=job.pk, actor=people["operator"], mapping=job.mapping)
    work()
    client.force_login(people["operator"])
    response = client.post(f"/imports/{job.pk}/commit/", {"mode": "all_or_nothing"}, **HTMX)
    assert response.status_code == 400 and "1 行错误" in text(response)
    assert not Case.objects.exists()


@pytest.mark.parametrize(
    "path", ["/imports/", "/imports/new/", "/imports/mappings/", "/imports/{pk}/"]
)
def test_people_without_the_right_get_the_refusal_page(client, city, people, job, path):
    client.force_login(city.user(Role.LEADER, "city"))
    response = client.get(path.format(pk=job.pk))
    assert response.status_code == 403
    assert "只有创文办受理员、系统管理员和区级管理员可以导入工单" in text(response)


def test_another_district_does_not_see_the_job(client, people, job):
    mine = services.import_job_create(
        source="12345", upload=csv_upload([hotline_row("Z")]), actor=people["zhangwan"]
    )
    client.force_login(people["zhangwan"])
    assert client.get(f"/imports/{job.pk}/").status_code == 404
    assert client.get(f"/imports/{job.pk}/errors.xlsx").status_code == 404
    assert client.post(f"/imports/{job.pk}/commit/", {"mode": "skip_bad_rows"}).status_code == 404
    listing = text(client.get("/imports/"))
    assert f"/imports/{mine.pk}/" in listing and f"/imports/{job.pk}/" not in listing


def test_mappings_are_saved_from_the_check_and_managed_on_their_page(client, people, job, work):
    client.force_login(people["operator"])
    data = mapping_form(job, save_mapping="on", mapping_name="12345 标准导出", mapping_default="on")
    data["extra"] = ["来电时间"]
    client.post(f"/imports/{job.pk}/check/", data, **HTMX)
    saved = ColumnMapping.objects.get()
    assert saved.is_default and saved.mapping["description"] == "诉求内容"
    page = text(client.get("/imports/mappings/"))
    assert "12345 标准导出" in page and "问题描述 ← 诉求内容" in page

    other = services.column_mapping_save(
        source="12345", name="旧版导出", mapping=saved.mapping, actor=people["operator"]
    )
    client.post(f"/imports/mappings/{other.pk}/default/")
    saved.refresh_from_db()
    other.refresh_from_db()
    assert other.is_default and not saved.is_default

    # A district operator may not delete what the city office saved.
    client.force_login(people["district"])
    response = client.post(f"/imports/mappings/{other.pk}/delete/", follow=True)
    assert "只能删除自己保存的列对应关系" in text(response)
    client.force_login(people["operator"])
    client.post(f"/imports/mappings/{other.pk}/delete/")
    assert list(ColumnMapping.objects.values_list("name", flat=True)) == ["12345 标准导出"]


def test_mapping_services_refuse_bad_input_and_outsiders(city, people):
    operator = people["operator"]
    with pytest.raises(services.ServiceError, match="名称"):
        services.column_mapping_save(
            source="12345", name=" ", mapping={"external_id": "编号"}, actor=operator
        )
    with pytest.raises(services.ServiceError, match="空的"):
        services.column_mapping_save(source="12345", name="空", mapping={}, actor=operator)
    with pytest.raises(PermissionDeniedError):
        services.column_mapping_save(
            source="12345",
            name="x",
            mapping={"external_id": "编号"},
            actor=city.user(Role.COLLECTOR, "420302001"),
        )
    assert not ColumnMapping.objects.exists()


# -- the office's saved mappings are the office's ----------------------------------------
OFFICE_MAPPING = {"external_id": "工单编号", "description": "诉求内容", "address": "问题地址"}
OFFICE_ROLES = {Role.CITY_ADMIN, Role.CITY_OPERATOR}


@pytest.fixture
def office_default(people):
    return services.column_mapping_save(
        source="12345",
        name="默认",
        mapping=OFFICE_MAPPING,
        actor=people["operator"],
        is_default=True,
    )


@pytest.mark.parametrize("role", sorted(set(Role.values) - OFFICE_ROLES))
def test_others_cannot_overwrite_or_delete_the_office_mapping(city, office_default, role):
    from chuangwen.testing.city import ROLE_HOMES

    user = city.user(role, ROLE_HOMES[role])
    mine = {"external_id": "单号", "description": "内容", "address": "地点"}
    with pytest.raises(PermissionDeniedError):
        services.column_mapping_save(source="12345", name="默认", mapping=mine, actor=user)
    with pytest.raises(PermissionDeniedError):
        services.column_mapping_delete(mapping_id=office_default.pk, actor=user)
    with pytest.raises(PermissionDeniedError):
        services.column_mapping_set_default(mapping_id=office_default.pk, actor=user)
    with pytest.raises(PermissionDeniedError):
        services.column_mapping_save(
            source="12345", name="我的", mapping=mine, actor=user, is_default=True
        )
    office_default.refresh_from_db()
    assert office_default.mapping == {**OFFICE_MAPPING, "extra": []}
    assert office_default.is_default
    assert list(ColumnMapping.objects.values_list("name", flat=True)) == ["默认"]


def test_a_district_operator_keeps_their_own_mappings(people, office_default):
    district = people["district"]
    mine = {"external_id": "单号", "description": "内容", "address": "地点"}
    saved = services.column_mapping_save(
        source="12345", name="茅箭区", mapping=mine, actor=district
    )
    replaced = services.column_mapping_save(
        source="12345", name="茅箭区", mapping={**mine, "address": "位置"}, actor=district
    )
    assert replaced.pk == saved.pk and replaced.mapping["address"] == "位置"
    assert not replaced.is_default
    # Another district's operator may not touch it either.
    with pytest.raises(PermissionDeniedError):
        services.column_mapping_delete(mapping_id=saved.pk, actor=people["zhangwan"])
    services.column_mapping_delete(mapping_id=saved.pk, actor=district)
    assert list(ColumnMapping.objects.values_list("name", flat=True)) == ["默认"]
    # Once the office makes a district's mapping the default, it is everyone's.
    theirs = services.column_mapping_save(
        source="12345", name="茅箭区", mapping=mine, actor=district
    )
    services.column_mapping_set_default(mapping_id=theirs.pk, actor=people["operator"])
    with pytest.raises(PermissionDeniedError, match="默认对应关系只能由创文办删除"):
        services.column_mapping_delete(mapping_id=theirs.pk, actor=district)


def test_the_district_pages_offer_no_way_to_change_the_office_mapping(
    client, people, office_default
):
    district = people["district"]
    client.force_login(district)
    rows = [hotline_row("GD1")]
    job = services.import_job_create(source="12345", upload=csv_upload(rows), actor=district)
    panel = text(client.get(f"/imports/{job.pk}/"))
    assert 'name="save_mapping"' in panel and 'name="mapping_default"' not in panel
    # The form's name defaults to the office's "默认": saving it is refused, not overwritten.
    data = mapping_form(job, save_mapping="on", mapping_name="默认", mapping_default="on")
    response = client.post(f"/imports/{job.pk}/check/", data, **HTMX)
    assert response.status_code == 403 and "创文办" in text(response)
    office_default.refresh_from_db()
    assert office_default.mapping == {**OFFICE_MAPPING, "extra": []}
    page = text(client.get("/imports/mappings/"))
    assert f"/imports/mappings/{office_default.pk}/delete/" not in page
    assert "设为默认" not in page
    client.force_login(people["operator"])
    page = text(client.get("/imports/mappings/"))
    assert f"/imports/mappings/{office_default.pk}/delete/" in page
