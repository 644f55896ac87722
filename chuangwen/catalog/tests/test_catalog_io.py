"""The 立结案标准 workbook: import, export, round trip, and the import page."""

import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from chuangwen.cases.services import resolve_standard
from chuangwen.catalog.models import CaseStandard, Category
from chuangwen.catalog.services import HEADERS, catalog_export, catalog_import, catalog_template
from chuangwen.core.errors import PermissionDeniedError, ServiceError
from chuangwen.core.models import AuditEvent
from chuangwen.core.xlsx import XLSX_CONTENT_TYPE, Sheet, write_workbook
from chuangwen.demo.catalogue import load_catalogue
from chuangwen.org.choices import Role
from chuangwen.testing.city import ROLE_HOMES

pytestmark = pytest.mark.django_db
NON_ADMIN_ROLES = sorted(set(Role.values) - {Role.CITY_ADMIN})

GOOD_ROWS = [
    # 类别, 大类, 名称, 小类, 名称, 标准, 立案条件, 时限类型, 时限, 结案条件, 单位类型, 半径, 时间窗
    (
        "部件",
        "B02",
        "道路交通",
        "B0204",
        "交通信号灯",
        "B0204-01",
        "信号灯不亮",
        "紧急小时",
        2,
        "恢复运行",
        "市直部门",
        30,
        3,
    ),
    (
        "部件",
        "B02",
        "道路交通",
        "B0204",
        "交通信号灯",
        "B0204-02",
        "倒计时故障",
        "work_hours",
        8,
        "恢复显示",
        "",
        "",
        "",
    ),
    (
        "部件",
        "B02",
        "道路交通",
        "B0207",
        "路名牌",
        "B0207-01",
        "路名牌缺失",
        "工作日",
        1.5,
        "已补装",
        "department",
        "",
        "",
    ),
    (
        "事件",
        "E03",
        "施工管理",
        "E0302",
        "工地扬尘",
        "E0302-01",
        "裸土未覆盖",
        "工作小时",
        4,
        "已覆盖",
        "",
        "",
        "",
    ),
    (
        "文明城市",
        "W03",
        "门前三包",
        "W0301",
        "门前卫生不洁",
        "W0301-01",
        "门前有垃圾",
        "自然日",
        1,
        "已清扫",
        "点位责任单位",
        20,
        "",
    ),
]


@pytest.fixture
def admin(city):
    return city.user(Role.CITY_ADMIN, "city")


def workbook(rows, headers=HEADERS, name="立结案标准.xlsx") -> SimpleUploadedFile:
    content = write_workbook([Sheet("立结案标准", headers, rows)])
    return SimpleUploadedFile(name, content, content_type=XLSX_CONTENT_TYPE)


def read_back(content: bytes) -> list[tuple]:
    sheet = openpyxl.load_workbook(io.BytesIO(content)).worksheets[0]
    return [tuple(row) for row in sheet.iter_rows(values_only=True)]


def test_import_creates_the_catalogue_from_a_good_workbook(admin):
    report = catalog_import(upload=workbook(GOOD_ROWS), actor=admin)
    assert (report.total, report.ok, report.bad, report.applied) == (5, 5, 0, True)
    # 3 大类 + 4 小类 + 5 standards, nothing existed before.
    assert (report.created, report.updated) == (12, 0)
    b0204 = Category.objects.get(code="B0204")
    assert (b0204.kind, b0204.parent.code, b0204.name) == ("B", "B02", "交通信号灯")
    assert (b0204.duplicate_radius_m, b0204.duplicate_window_days) == (30, 3)
    w0301 = Category.objects.get(code="W0301")
    assert (w0301.kind, w0301.duplicate_radius_m, w0301.duplicate_window_days) == ("W", 20, 7)
    rows = {
        s.code: (s.category.code, s.time_type, s.time_value, s.unit_kind, s.position)
        for s in CaseStandard.objects.select_related("category")
    }
    assert rows == {
        "B0204-01": ("B0204", "emergency_hours", Decimal("2.0"), "department", 1),
        "B0204-02": ("B0204", "work_hours", Decimal("8.0"), "", 2),
        "B0207-01": ("B0207", "work_days", Decimal("1.5"), "department", 1),
        "E0302-01": ("E0302", "work_hours", Decimal("4.0"), "", 1),
        "W0301-01": ("W0301", "natural_days", Decimal("1.0"), "point_owner", 1),
    }
    assert resolve_standard("B0204").code == "B0204-01"
    event = AuditEvent.objects.get(action="cases.catalog_import")
    assert event.actor == admin
    assert event.data["created"] == {"major": 3, "minor": 4, "standard": 5}
    assert event.data["skipped_rows"] == []
    assert "立结案标准.xlsx" in event.summary
    # One audit row for the whole file, none per object.
    assert AuditEvent.objects.filter(action__startswith="cases.").count() == 1


def test_import_updates_by_code_and_keeps_blank_optional_cells(catalogue, admin):
    manhole = Category.objects.get(code="B0102")
    Category.objects.filter(pk=manhole.pk).update(duplicate_radius_m=40)
    CaseStandard.objects.filter(code="B0102-02").update(unit_kind="enterprise")
    rows = [
        (
            "部件",
            "B01",
            "公用设施",
            "B0102",
            "污水井盖",
            "B0102-01",
            "井盖缺失、移位",
            "紧急小时",
            2,
            "恢复原状",
            "",
            "",
            "",
        ),
        (
            "部件",
            "B01",
            "公用设施",
            "B0102",
            "污水井盖",
            "B0102-02",
            "井盖破损、松动",
            "工作小时",
            6,
            "恢复原状",
            "",
            "",
            "",
        ),
        (
            "部件",
            "B01",
            "公用设施",
            "B0102",
            "污水井盖",
            "B0102-03",
            "井盖响动",
            "工作日",
            1,
            "恢复原状",
            "",
            "",
            "",
        ),
    ]
    report = catalog_import(upload=workbook(rows), actor=admin)
    assert (report.created, report.updated) == (1, 1)
    updated = CaseStandard.objects.get(code="B0102-02")
    assert (updated.condition, updated.time_value, updated.unit_kind) == (
        "井盖破损、松动",
        Decimal("6.0"),
        "enterprise",
    )
    manhole.refresh_from_db()
    assert manhole.duplicate_radius_m == 40
    assert CaseStandard.objects.get(code="B0102-03").position == 3
    assert CaseStandard.objects.get(code="B0102-01").time_value == Decimal("2.0")


def bad_workbook_rows():
    rows = [list(r) for r in GOOD_ROWS]
    rows[1][7] = "三小时"  # row 3: unknown time type
    rows[3][3] = "E0402"  # row 5: 小类 not under its 大类 E03
    rows[4][8] = "两天"  # row 6: limit is not a number
    return [tuple(r) for r in rows]


def test_three_bad_rows_are_reported_by_number_and_nothing_is_saved(admin):
    report = catalog_import(upload=workbook(bad_workbook_rows()), actor=admin)
    assert [bad.number for bad in report.bad_rows] == [3, 5, 6]
    assert (report.total, report.ok, report.applied) == (5, 2, False)
    messages = dict((bad.number, " ".join(bad.messages)) for bad in report.bad_rows)
    assert "第 3 行“时限类型”" in messages[3] and "三小时" in messages[3]
    assert "第 5 行“小类编码”" in messages[5] and "E03" in messages[5]
    assert "第 6 行“处置时限”" in messages[6] and "应为数字" in messages[6]
    assert not Category.objects.exists()
    assert not CaseStandard.objects.exists()
    assert not AuditEvent.objects.filter(action="cases.catalog_import").exists()


def test_skip_bad_rows_saves_the_rest(admin):
    report = catalog_import(upload=workbook(bad_workbook_rows()), actor=admin, skip_bad_rows=True)
    assert [bad.number for bad in report.bad_rows] == [3, 5, 6]
    assert report.applied
    assert sorted(CaseStandard.objects.values_list("code", flat=True)) == ["B0204-01", "B0207-01"]
    assert sorted(Category.objects.values_list("code", flat=True)) == [
        "B02",
        "B0204",
        "B0207",
    ]
    event = AuditEvent.objects.get(action="cases.catalog_import")
    assert event.data["skipped_rows"] == [3, 5, 6]
    assert "跳过错误行 3 行" in event.summary


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        (0, "设施", "未知的类别"),
        (1, "B1", "大类编码“B1”格式不正确"),
        (1, "E02", "必须以字母 B 开头"),
        (3, "B020", "小类编码“B020”格式不正确"),
        (5, "B0204-1", "格式不正确"),
        (5, "B0207-09", "标准编码“B0207-09”格式不正确"),
        (8, 0, "必须大于 0"),
        (8, 1000, "最多 720"),
        (8, "1.25", "1 位小数"),
        (10, "部委", "未知的责任单位类型"),
        (11, "五十", "应为整数"),
        (12, 0, "应在 1 至 365 之间"),
        (6, "", "不能为空"),
    ],
)
def test_each_kind_of_bad_cell_is_named(admin, column, value, message):
    row = list(GOOD_ROWS[0])
    row[column] = value
    report = catalog_import(upload=workbook([tuple(row)]), actor=admin)
    assert [bad.number for bad in report.bad_rows] == [2]
    assert message in report.bad_rows[0].messages[0], report.bad_rows[0].messages
    assert not Category.objects.exists()


def test_rows_that_contradict_each_other_are_refused(admin):
    rows = [list(r) for r in GOOD_ROWS]
    rows[1][2] = "交通设施"  # the same 大类 B02 named differently
    rows.append(list(GOOD_ROWS[2]))  # the same 标准编码 twice
    rows.append(
        [
            "部件",
            "B02",
            "道路交通",
            "B0204",
            "交通信号灯",
            "B0204-03",
            "x",
            "自然日",
            1,
            "y",
            "",
            99,
            "",
        ]
    )
    report = catalog_import(upload=workbook([tuple(r) for r in rows]), actor=admin)
    messages = {bad.number: " ".join(bad.messages) for bad in report.bad_rows}
    assert sorted(messages) == [3, 7, 8]
    assert "大类 B02 在第 2 行为“道路交通”" in messages[3]
    assert "与第 4 行重复" in messages[7]
    assert "小类 B0204 在第 2 行为“30”" in messages[8]


def test_export_then_import_changes_nothing(admin):
    load_catalogue(stdout=io.StringIO())
    before_categories = dict(Category.objects.values_list("code", "updated_at"))
    before_standards = dict(CaseStandard.objects.values_list("code", "updated_at"))
    content = catalog_export()
    rows = read_back(content)
    assert rows[0] == HEADERS
    assert len(rows) - 1 == CaseStandard.objects.count()
    by_code = {r[5]: r for r in rows[1:]}
    assert by_code["B0101-01"] == (
        "部件",
        "B01",
        "公用设施",
        "B0101",
        "上水井盖",
        "B0101-01",
        "井盖缺失、移位,存在安全隐患",
        "紧急小时",
        2,
        "井盖已补装或复位,平稳牢固,临时警示设施已撤除",
        "企业/公用事业单位",
        50,
        7,
    )
    assert by_code["E0201-01"][7:9] == ("工作日", 1)

    report = catalog_import(upload=SimpleUploadedFile("导出.xlsx", content), actor=admin)
    assert (report.total, report.bad, report.created, report.updated) == (len(rows) - 1, 0, 0, 0)
    assert dict(Category.objects.values_list("code", "updated_at")) == before_categories
    assert dict(CaseStandard.objects.values_list("code", "updated_at")) == before_standards
    assert read_back(catalog_export()) == rows


def test_csv_in_gbk_imports(admin):
    lines = [",".join(HEADERS[:10])]
    lines += [",".join(str(cell) for cell in row[:10]) for row in GOOD_ROWS[:2]]
    upload = SimpleUploadedFile("标准.csv", "\r\n".join(lines).encode("gbk"), "text/csv")
    report = catalog_import(upload=upload, actor=admin)
    assert (report.total, report.bad, report.applied) == (2, 0, True)
    standard = CaseStandard.objects.get(code="B0204-01")
    assert (standard.condition, standard.category.name, standard.category.parent.name) == (
        "信号灯不亮",
        "交通信号灯",
        "道路交通",
    )
    assert standard.category.duplicate_radius_m == 50  # the optional column is absent


@pytest.mark.parametrize("role", NON_ADMIN_ROLES)
def test_only_city_admins_import(city, role):
    user = city.user(role, ROLE_HOMES[role])
    with pytest.raises(PermissionDeniedError):
        catalog_import(upload=workbook(GOOD_ROWS), actor=user)
    assert not Category.objects.exists()


def test_files_that_are_not_a_catalogue_are_refused(admin):
    with pytest.raises(ServiceError, match="缺少表头"):
        catalog_import(
            upload=workbook([("部件", "B01")], headers=("类别", "大类编码")), actor=admin
        )
    with pytest.raises(ServiceError, match="没有数据行"):
        catalog_import(upload=SimpleUploadedFile("模板.xlsx", catalog_template()), actor=admin)
    with pytest.raises(ServiceError, match="无法读取文件"):
        catalog_import(upload=SimpleUploadedFile("a.pdf", b"%PDF-1.4 \x00\x01"), actor=admin)
    template = openpyxl.load_workbook(io.BytesIO(catalog_template()))
    assert [s.title for s in template.worksheets] == ["立结案标准", "附加字段", "填写说明"]
    assert next(template.worksheets[0].iter_rows(values_only=True)) == HEADERS


# -- the page ----------------------------------------------------------------------------
def test_import_page_shows_the_report_and_offers_the_error_file(client, city):
    client.force_login(city.user(Role.CITY_ADMIN, "city"))
    response = client.post(reverse("catalog:import"), {"file": workbook(bad_workbook_rows())})
    page = response.content.decode()
    assert response.status_code == 200
    assert "未导入任何数据" in page
    assert "第 5 行“小类编码”" in page and reverse("catalog:import_errors") in page
    errors = client.get(reverse("catalog:import_errors"))
    assert errors["Content-Type"] == XLSX_CONTENT_TYPE
    assert [r[0] for r in read_back(errors.content)] == ["行号", 3, 5, 6]
    assert not Category.objects.exists()

    response = client.post(
        reverse("catalog:import"),
        {"file": workbook(bad_workbook_rows()), "skip_bad_rows": "on"},
    )
    page = response.content.decode()
    assert "有错误的行已跳过" in page
    assert Category.objects.filter(code="B0207").exists()

    response = client.post(reverse("catalog:import"), {"file": workbook(GOOD_ROWS)})
    assert "已全部导入" in response.content.decode()
    assert client.get(reverse("catalog:import_errors")).status_code == 404


def test_import_page_explains_unreadable_files(client, city):
    client.force_login(city.user(Role.CITY_ADMIN, "city"))
    response = client.post(
        reverse("catalog:import"), {"file": SimpleUploadedFile("x.pdf", b"%PDF-1.4 \x00")}
    )
    assert response.status_code == 400 and "无法读取文件" in response.content.decode()
    response = client.post(reverse("catalog:import"), {})
    assert response.status_code == 400 and "请选择要导入的文件" in response.content.decode()


def test_export_and_template_downloads(client, city, catalogue):
    client.force_login(city.user(Role.CITY_ADMIN, "city"))
    response = client.get(reverse("catalog:export"))
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    assert "attachment" in response["Content-Disposition"]
    codes = [r[5] for r in read_back(response.content)[1:]]
    assert codes == ["B0102-01", "B0102-02", "E0102-01", "E0502-01", "W0101-01"]
    response = client.get(reverse("catalog:template"))
    assert read_back(response.content) == [HEADERS]
