"""An .xlsx that expands out of all proportion (a zip bomb) is refused before openpyxl
reads it, in the one reader every spreadsheet upload goes through."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from chuangwen.core.errors import ServiceError
from chuangwen.core.xlsx import Column, Sheet, check_archive, read_rows, write_workbook
from chuangwen.org.choices import Role

REFUSED = "解压后的大小与文件本身极不相称"
COLUMNS = [Column("name", "名称")]


def inflated(book: bytes, *, padding_mb: int = 8) -> bytes:
    """The workbook with whitespace after the first sheet's root element: still a valid
    workbook openpyxl reads, but its sheet expands a thousandfold."""
    source = zipfile.ZipFile(io.BytesIO(book))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data += b" " * (padding_mb * 1024 * 1024)
            target.writestr(item.filename, data)
    return out.getvalue()


def workbook(headers=("名称",), rows=(("人民路",),)) -> bytes:
    return write_workbook([Sheet("Sheet1", headers, rows)])


def upload(data: bytes, name: str = "清单.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def test_the_inflated_workbook_is_otherwise_readable(settings):
    """Without the check openpyxl would read it: the refusal below is the check's."""
    settings.XLSX_MAX_RATIO = 10_000
    rows = read_rows(upload(inflated(workbook())), columns=COLUMNS)
    assert [r.values["name"] for r in rows] == ["人民路"]


def test_a_zip_bomb_is_refused_with_a_clear_message():
    with pytest.raises(ServiceError) as refused:
        read_rows(upload(inflated(workbook())), columns=COLUMNS)
    assert REFUSED in refused.value.message
    assert refused.value.field == "file"


def test_ordinary_workbooks_pass():
    check_archive(workbook(rows=[(f"第{n}条街道",) for n in range(5000)]))
    # A small part compressing very well is not a bomb.
    check_archive(inflated(workbook(), padding_mb=0))


def test_the_total_uncompressed_size_is_capped(settings):
    settings.XLSX_MAX_UNCOMPRESSED_MB = 1
    many = workbook(rows=[(f"第{n}条街道,编号 {n * 7919}",) for n in range(40_000)])
    with pytest.raises(ServiceError) as refused:
        read_rows(upload(many), columns=COLUMNS)
    assert REFUSED in refused.value.message
    settings.XLSX_MAX_UNCOMPRESSED_MB = 1024
    assert len(read_rows(upload(many), columns=COLUMNS)) == 40_000


def test_a_broken_archive_is_unreadable_not_a_crash():
    with pytest.raises(ServiceError) as refused:
        check_archive(b"PK\x03\x04" + b"\x00" * 100)
    assert "无法读取文件" in refused.value.message


@pytest.mark.django_db
@pytest.mark.parametrize(
    "entry",
    ["work_orders", "catalogue", "framework", "points", "calendar", "import_rows"],
)
def test_every_xlsx_import_refuses_it(city, entry):
    admin = city.user(Role.CITY_ADMIN, "city")
    bomb = upload(inflated(workbook(headers=("工单编号", "问题描述", "地址"))))
    with pytest.raises(ServiceError) as refused:
        if entry == "work_orders":
            from chuangwen.imports.services import import_job_create

            import_job_create(source="12345", upload=bomb, actor=admin)
        elif entry == "import_rows":
            from chuangwen.imports.reading import read_rows as read_list

            read_list(bomb.read(), "清单.xlsx")
        elif entry == "catalogue":
            from chuangwen.catalog.services import catalog_import

            catalog_import(upload=bomb, actor=admin)
        elif entry == "framework":
            from chuangwen.evaluation.services import framework_import

            framework_import(
                upload=bomb, actor=admin, kind="model_city", name="测评体系", cycle_start=2027
            )
        elif entry == "points":
            from chuangwen.evaluation.services import point_import

            point_import(upload=bomb, actor=admin)
        else:
            from chuangwen.core.services import calendar_schedule_import

            calendar_schedule_import(upload=bomb, actor=admin)
    assert REFUSED in refused.value.message, refused.value.message
    from chuangwen.imports.models import ImportJob

    assert not ImportJob.objects.exists()
