import io
from datetime import date

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from chuangwen.core import workcalendar
from chuangwen.core.errors import PermissionDeniedError, ServiceError
from chuangwen.core.models import AuditEvent, CalendarDay
from chuangwen.core.services import (
    calendar_day_set,
    calendar_schedule_export,
    calendar_schedule_import,
    calendar_schedule_template,
)
from chuangwen.core.xlsx import XLSX_CONTENT_TYPE, Sheet, write_workbook
from chuangwen.org.choices import Role
from chuangwen.testing.city import ROLE_HOMES

pytestmark = pytest.mark.django_db
HEADERS = ("日期", "类型", "名称")
# 2027 National Day as the State Council would publish it: 1–7 October off, the
# Saturdays 25 September and 9 October worked. chinese-calendar has no 2027 data.
NATIONAL_DAY_2027 = [
    (date(2027, 9, 25), "调休上班", "国庆节调休"),
    *[(date(2027, 10, d), "放假", "国庆节") for d in range(1, 8)],
    (date(2027, 10, 9), "上班", "国庆节调休"),
]


def xlsx(rows, headers=HEADERS, name="2027年放假安排.xlsx") -> SimpleUploadedFile:
    content = write_workbook([Sheet("放假安排", headers, rows)])
    return SimpleUploadedFile(name, content, content_type=XLSX_CONTENT_TYPE)


def csv(text: str, encoding="gbk") -> SimpleUploadedFile:
    return SimpleUploadedFile("放假安排.csv", text.encode(encoding), content_type="text/csv")


@pytest.fixture
def admin(city):
    return city.user(Role.CITY_ADMIN, "city")


@pytest.fixture(autouse=True)
def _fresh_calendar(settings):
    settings.CALENDAR_RECHECK_SECONDS = 0
    workcalendar.invalidate()
    yield
    workcalendar.invalidate()


def test_a_years_schedule_changes_the_working_calendar(admin):
    calendar = workcalendar.get_calendar()
    assert date(2027, 10, 4).weekday() == 0 and calendar.is_workday(date(2027, 10, 4))
    assert date(2027, 10, 9).weekday() == 5 and not calendar.is_workday(date(2027, 10, 9))
    assert workcalendar.years_missing_schedule(date(2026, 12, 1)) == [2027]

    report = calendar_schedule_import(upload=xlsx(NATIONAL_DAY_2027), actor=admin)

    assert (report.total, report.ok, report.bad, report.applied) == (9, 9, 0, True)
    assert (report.created, report.updated) == (9, 0)
    calendar = workcalendar.get_calendar()
    assert calendar.is_workday(date(2027, 10, 1)) is False
    assert calendar.is_workday(date(2027, 10, 4)) is False  # a Monday off
    assert calendar.is_workday(date(2027, 9, 25)) is True  # a Saturday worked
    assert calendar.is_workday(date(2027, 10, 9)) is True
    assert calendar.is_workday(date(2027, 10, 8)) is True  # untouched Friday
    assert workcalendar.years_missing_schedule(date(2026, 12, 1)) == []
    day = CalendarDay.objects.get(day=date(2027, 10, 9))
    assert (day.is_workday, day.name, day.is_official_schedule) == (True, "国庆节调休", True)

    # One audit row for the file, none per day.
    assert not AuditEvent.objects.filter(action="core.calendar_day_set").exists()
    event = AuditEvent.objects.get(action="core.calendar_schedule_import")
    assert event.actor == admin
    assert event.summary == "导入2027年放假安排 9 天(新增 9,更新 0)"
    assert event.data["file"] == "2027年放假安排.xlsx"
    assert event.data["changes"][0] == {
        "day": "2027-09-25",
        "before": None,
        "after": {"is_workday": True, "name": "国庆节调休"},
    }


def test_gbk_csv_with_slashed_dates_and_a_second_import_updating_days(admin):
    calendar_day_set(day=date(2027, 2, 8), is_workday=False, name="春节", actor=admin)
    text = "日期,类型,名称\n2027/10/1,休息,国庆节\n2027年10月2日,放假,\n2027-02-08,上班,\n"
    report = calendar_schedule_import(upload=csv(text), actor=admin)
    assert (report.created, report.updated) == (2, 1)
    assert dict(CalendarDay.objects.values_list("day", "is_workday")) == {
        date(2027, 10, 1): False,
        date(2027, 10, 2): False,
        date(2027, 2, 8): True,
    }
    assert workcalendar.get_calendar().is_workday(date(2027, 2, 8)) is True
    changes = AuditEvent.objects.get(action="core.calendar_schedule_import").data["changes"]
    assert changes[0] == {
        "day": "2027-02-08",
        "before": {"is_workday": False, "name": "春节"},
        "after": {"is_workday": True, "name": ""},
    }


BAD_FILE = (
    "日期,类型,名称\n"
    "2027-10-01,放假,国庆节\n"
    "2027-10-32,放假,国庆节\n"
    "2027-10-03,请假,\n"
    "1999-10-04,放假,\n"
    "2027-10-05,放假,国庆节\n"
)


def test_bad_rows_stop_the_whole_import(admin):
    report = calendar_schedule_import(upload=csv(BAD_FILE), actor=admin)
    assert report.applied is False
    assert not CalendarDay.objects.exists()
    assert not AuditEvent.objects.filter(action="core.calendar_schedule_import").exists()
    assert [(b.number, b.messages) for b in report.bad_rows] == [
        (3, ("第 3 行“日期”:日期不存在:2027-10-32。",)),
        (
            4,
            (
                "第 4 行“类型”:“请假”不是有效值,应为 “休息”、“放假”、“上班”、“调休上班”、“补班” 之一。",
            ),
        ),
        (5, ("第 5 行“日期”:日期必须在 2000 年至 2100 年之间。",)),
    ]


def test_skipping_bad_rows_saves_the_good_ones(admin):
    report = calendar_schedule_import(upload=csv(BAD_FILE), actor=admin, skip_bad_rows=True)
    assert report.applied is True
    assert (report.ok, report.bad, report.created) == (2, 3, 2)
    assert sorted(CalendarDay.objects.values_list("day", flat=True)) == [
        date(2027, 10, 1),
        date(2027, 10, 5),
    ]
    event = AuditEvent.objects.get(action="core.calendar_schedule_import")
    assert event.data["skipped_rows"] == [3, 4, 5]


def test_a_date_twice_in_one_file_is_a_row_error(admin):
    rows = [
        (date(2027, 10, 1), "放假", "国庆节"),
        ("2027/10/1", "上班", ""),
        (date(2027, 10, 2), "放假", "国庆节"),
    ]
    report = calendar_schedule_import(upload=xlsx(rows), actor=admin)
    assert report.errors == ["第 3 行“日期”:与第 2 行重复。"]
    assert not CalendarDay.objects.exists()
    report = calendar_schedule_import(upload=xlsx(rows), actor=admin, skip_bad_rows=True)
    assert CalendarDay.objects.get(day=date(2027, 10, 1)).is_workday is False
    assert CalendarDay.objects.count() == 2


def test_missing_columns_and_empty_files_are_refused(admin):
    with pytest.raises(ServiceError, match="缺少表头 “类型”"):
        calendar_schedule_import(upload=csv("日期,名称\n2027-10-01,国庆节\n"), actor=admin)
    template = SimpleUploadedFile("模板.xlsx", calendar_schedule_template())
    with pytest.raises(ServiceError, match="没有数据行"):
        calendar_schedule_import(upload=template, actor=admin)
    with pytest.raises(ServiceError, match="无法读取文件"):
        calendar_schedule_import(
            upload=SimpleUploadedFile("放假.xlsx", b"%PDF-1.4 \x00\x01"), actor=admin
        )


@pytest.mark.parametrize(
    "role",
    [
        Role.CITY_OPERATOR,
        Role.LEADER,
        Role.DISTRICT_OPERATOR,
        Role.STREET_OPERATOR,
        Role.UNIT_HANDLER,
        Role.VOLUNTEER,
    ],
)
def test_only_those_who_configure_may_import(city, role):
    user = city.user(role, ROLE_HOMES[role])
    with pytest.raises(PermissionDeniedError):
        calendar_schedule_import(upload=xlsx(NATIONAL_DAY_2027), actor=user, skip_bad_rows=True)
    assert not CalendarDay.objects.exists()


def test_export_can_be_imported_again(admin):
    calendar_schedule_import(upload=xlsx(NATIONAL_DAY_2027), actor=admin)
    calendar_day_set(
        day=date(2027, 3, 15),
        is_workday=False,
        name="本地停电",
        is_official_schedule=False,
        actor=admin,
    )
    calendar_day_set(day=date(2026, 12, 31), is_workday=False, name="", actor=admin)
    before = list(
        CalendarDay.objects.filter(day__year=2027).values_list(
            "day", "is_workday", "name", "is_official_schedule"
        )
    )

    content = calendar_schedule_export(year=2027)

    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0] == ["日期", "类型", "名称", "来源"]
    assert len(values) == 1 + 10  # 2026-12-31 belongs to another year's export
    assert values[1][0].date() == date(2027, 3, 15)
    assert values[1][1:] == ["放假", "本地停电", "本地调整"]
    assert values[2][1:] == ["调休上班", "国庆节调休", "国务院安排"]
    assert values[3][1:] == ["放假", "国庆节", "国务院安排"]  # a Friday
    assert values[4][1:] == ["休息", "国庆节", "国务院安排"]  # a Saturday

    CalendarDay.objects.filter(day__year=2027).delete()
    report = calendar_schedule_import(
        upload=SimpleUploadedFile("2027年放假安排.xlsx", content), actor=admin
    )
    assert (report.created, report.bad) == (10, 0)
    after = list(
        CalendarDay.objects.filter(day__year=2027).values_list(
            "day", "is_workday", "name", "is_official_schedule"
        )
    )
    assert after == before


# -- the admin pages -----------------------------------------------------------------------------
@pytest.fixture
def superuser(city):
    return city.user(Role.CITY_ADMIN, "city", is_staff=True, is_superuser=True)


@pytest.fixture
def admin_client(client, superuser):
    client.force_login(superuser)
    return client


IMPORT_URL = "admin:core_calendarday_import"


def test_changelist_links_to_import_and_exports(admin_client):
    CalendarDay.objects.create(day=date(2031, 1, 1), is_workday=False)
    page = admin_client.get(reverse("admin:core_calendarday_changelist")).content.decode()
    assert reverse(IMPORT_URL) in page and "导入放假安排" in page
    assert reverse("admin:core_calendarday_export", args=[2031]) in page
    assert "导出 2031" in page


def test_admin_page_imports_a_file(admin_client):
    page = admin_client.get(reverse(IMPORT_URL))
    assert page.status_code == 200
    text = page.content.decode()
    assert "跳过有错误的行" in text and 'enctype="multipart/form-data"' in text
    assert reverse("admin:core_calendarday_template") in text

    response = admin_client.post(reverse(IMPORT_URL), {"file": xlsx(NATIONAL_DAY_2027)})

    assert response.status_code == 200
    text = response.content.decode()
    assert "共 9 行数据:有效 9 行,有错误 0 行。" in text
    assert "已导入:新增 9 天,更新 0 天。" in text
    assert CalendarDay.objects.count() == 9
    assert workcalendar.get_calendar().is_workday(date(2027, 10, 9)) is True


def test_admin_page_shows_bad_rows_and_offers_the_error_report(admin_client):
    response = admin_client.post(reverse(IMPORT_URL), {"file": csv(BAD_FILE)})
    text = response.content.decode()
    assert "未导入任何数据" in text
    assert "第 4 行“类型”" in text and "第 3 行“日期”:日期不存在:2027-10-32。" in text
    assert not CalendarDay.objects.exists()
    errors = admin_client.get(reverse("admin:core_calendarday_import_errors"))
    assert errors["Content-Type"] == XLSX_CONTENT_TYPE
    sheet = openpyxl.load_workbook(io.BytesIO(errors.content)).active
    assert [c.value for c in sheet[1]] == ["行号", "错误信息"]
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == [3, 4, 5]

    response = admin_client.post(
        reverse(IMPORT_URL), {"file": csv(BAD_FILE), "skip_bad_rows": "on"}
    )
    assert "有错误的行已跳过" in response.content.decode()
    assert CalendarDay.objects.count() == 2


def test_admin_page_reports_an_unreadable_file_and_a_missing_one(admin_client):
    response = admin_client.post(
        reverse(IMPORT_URL), {"file": SimpleUploadedFile("a.csv", b"\x00\x01\x02")}
    )
    assert response.status_code == 400
    assert "无法读取文件:请上传 .xlsx 或 .csv 文件。" in response.content.decode()
    assert admin_client.post(reverse(IMPORT_URL), {}).status_code == 400


def test_export_and_template_downloads(admin_client, superuser):
    calendar_schedule_import(upload=xlsx(NATIONAL_DAY_2027), actor=superuser)
    response = admin_client.get(reverse("admin:core_calendarday_export", args=[2027]))
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    assert "filename*=UTF-8''2027%E5%B9%B4" in response["Content-Disposition"]
    rows = list(openpyxl.load_workbook(io.BytesIO(response.content)).active.values)
    assert len(rows) == 10
    template = admin_client.get(reverse("admin:core_calendarday_template"))
    book = openpyxl.load_workbook(io.BytesIO(template.content))
    assert book.sheetnames == ["放假安排", "填写说明"]
    assert [c.value for c in book["放假安排"][1]] == ["日期", "类型", "名称", "来源"]


def test_staff_without_configure_cannot_open_the_import(client, city):
    # The admin site itself turns them away, before the page's own check.
    user = city.user(Role.CITY_OPERATOR, "city", is_staff=True)
    client.force_login(user)
    assert client.get(reverse(IMPORT_URL)).status_code == 302
    response = client.post(reverse(IMPORT_URL), {"file": xlsx(NATIONAL_DAY_2027)})
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
    assert not CalendarDay.objects.exists()
