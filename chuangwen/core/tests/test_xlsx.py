import io
from datetime import date, datetime
from decimal import Decimal
from urllib.parse import unquote
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from chuangwen.core.errors import ServiceError
from chuangwen.core.models import CalendarDay
from chuangwen.core.xlsx import (
    UNREADABLE,
    XLSX_CONTENT_TYPE,
    BadRow,
    Column,
    ImportReport,
    Row,
    Sheet,
    apply_rows,
    error_report_xlsx,
    flag_duplicates,
    parse_choice,
    parse_date,
    parse_decimal,
    parse_int,
    parse_text,
    read_rows,
    write_workbook,
    xlsx_response,
)

COLUMNS = [
    Column("code", "编码", parse=parse_text(4)),
    Column("name", "名称", aliases=("小类名称",)),
    Column("limit", "时限", parse=parse_int(low=1, high=72)),
    Column("kind", "时限类型", parse=parse_choice({"工作时": "work_hours", "自然日": "days"})),
    Column("since", "启用日期", required=False, parse=parse_date),
]


def xlsx_upload(sheets, name="标准.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, write_workbook(sheets), content_type=XLSX_CONTENT_TYPE)


def csv_upload(text: str, encoding: str, name="标准.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(encoding), content_type="text/csv")


def test_round_trip_write_then_read():
    content = write_workbook(
        [
            Sheet(
                "立结案标准",
                ("编码", "名称", "时限", "时限类型", "启用日期"),
                [
                    ("0101", "井盖缺失", 2, "工作时", date(2027, 1, 1)),
                    (102, "暴露垃圾", 4.0, "自然日", None),
                ],
            )
        ]
    )
    rows = read_rows(SimpleUploadedFile("标准.xlsx", content), columns=COLUMNS)

    assert [r.number for r in rows] == [2, 3]
    assert all(r.ok for r in rows)
    assert rows[0].values == {
        "code": "0101",
        "name": "井盖缺失",
        "limit": 2,
        "kind": "work_hours",
        "since": date(2027, 1, 1),
    }
    assert rows[1].values == {
        "code": "102",
        "name": "暴露垃圾",
        "limit": 4,
        "kind": "days",
        "since": None,
    }


def test_written_workbook_has_a_bold_frozen_header_and_fitted_columns():
    when = datetime(2027, 10, 1, 1, 30, tzinfo=ZoneInfo("UTC"))
    content = write_workbook(
        [
            Sheet(
                "案件",
                ("编号", "属地", "上报时间", "备注"),
                [("A1", "十堰市茅箭区武当路街道", when, '=HYPERLINK("http://x")')],
            ),
            Sheet("案件", ("x",), []),
        ]
    )
    book = openpyxl.load_workbook(io.BytesIO(content))
    sheet = book["案件"]
    assert book.sheetnames == ["案件", "案件(2)"]
    assert [c.value for c in sheet[1]] == ["编号", "属地", "上报时间", "备注"]
    assert all(c.font.bold for c in sheet[1])
    assert sheet.freeze_panes == "A2"
    # "编号" is 4 wide (+2 padding); 11 CJK characters are 22 wide; 19 for the time.
    assert sheet.column_dimensions["A"].width == 6
    assert sheet.column_dimensions["B"].width == 24
    assert sheet.column_dimensions["C"].width == 21
    # Excel has no time zones: the city's wall-clock time is written.
    assert sheet["C2"].value == datetime(2027, 10, 1, 9, 30)
    # Text that looks like a formula stays text.
    assert sheet["D2"].data_type == "s"
    assert sheet["D2"].value == '=HYPERLINK("http://x")'


HEADER_CSV = "编码,名称,时限,时限类型\n0101,井盖缺失,2,工作时\n0102,暴露垃圾,4,自然日\n"


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "gbk"])
def test_csv_in_utf8_with_or_without_bom_and_in_gbk(encoding):
    rows = read_rows(csv_upload(HEADER_CSV, encoding), columns=COLUMNS)
    assert [(r.number, r.values["code"], r.values["name"], r.values["limit"]) for r in rows] == [
        (2, "0101", "井盖缺失", 2),
        (3, "0102", "暴露垃圾", 4),
    ]
    assert rows[0].values["since"] is None


def test_headers_are_trimmed_aliases_accepted_and_order_free():
    text = " 时限类型 ,小类名称,时限 ,编码*\n工作时,井盖缺失,2,0101\n"
    rows = read_rows(csv_upload(text, "gbk"), columns=COLUMNS)
    assert rows[0].values["name"] == "井盖缺失"
    assert rows[0].values["kind"] == "work_hours"


def test_tab_separated_text_is_read_too():
    text = HEADER_CSV.replace(",", "\t")
    rows = read_rows(csv_upload(text, "utf-8", name="标准.txt"), columns=COLUMNS)
    assert [r.values["code"] for r in rows] == ["0101", "0102"]


def test_a_missing_required_header_is_named():
    with pytest.raises(ServiceError) as caught:
        read_rows(csv_upload("编码,名称\n0101,井盖缺失\n", "utf-8"), columns=COLUMNS)
    assert caught.value.message == "缺少表头 “时限”、“时限类型”。请使用导入模板中的列名。"
    assert caught.value.field == "file"


def test_a_repeated_header_is_refused():
    with pytest.raises(ServiceError, match="表头“名称”出现了不止一次"):
        read_rows(
            csv_upload("编码,名称,小类名称,时限,时限类型\n", "utf-8"),
            columns=COLUMNS,
        )


def test_the_sheet_with_the_headers_is_found_behind_an_instructions_sheet():
    upload = xlsx_upload(
        [
            Sheet("填写说明", ("说明",), [("时限填整数",)]),
            Sheet("数据", ("编码", "名称", "时限", "时限类型"), [("0101", "井盖", 2, "工作时")]),
        ]
    )
    assert [r.values["name"] for r in read_rows(upload, columns=COLUMNS)] == ["井盖"]


def test_cell_errors_are_reported_per_row_without_stopping_the_read():
    def strict(value):
        return int(value)  # Python's own (English) message

    columns = [*COLUMNS, Column("extra", "备注", required=False, parse=strict)]
    text = (
        "编码,名称,时限,时限类型,启用日期,备注\n"
        "0101,井盖缺失,2,工作时,2027/1/1,\n"
        "0102,,八,紧急,2027-02-30,\n"
        "0103,占道经营,100,工作时,,x\n"
    )
    rows = read_rows(csv_upload(text, "utf-8"), columns=columns)

    assert rows[0].ok and rows[0].values["since"] == date(2027, 1, 1)
    assert rows[1].errors == [
        "第 3 行“名称”:不能为空。",
        "第 3 行“时限”:应为整数。",
        "第 3 行“时限类型”:“紧急”不是有效值,应为 “工作时”、“自然日” 之一。",
        "第 3 行“启用日期”:日期不存在:2027-02-30。",
    ]
    assert rows[2].errors == ["第 4 行“时限”:应在 1 至 72 之间。", "第 4 行“备注”:格式不正确。"]
    assert rows[2].values["code"] == "0103"
    assert rows[2].raw["limit"] == "100"


def test_blank_rows_are_skipped_and_numbers_stay_those_excel_shows():
    upload = xlsx_upload(
        [
            Sheet(
                "数据",
                ("编码", "名称", "时限", "时限类型"),
                [
                    ("0101", "井盖", 2, "工作时"),
                    (None, None, None, None),
                    ("", "  ", None, ""),
                    ("0102", "垃圾", 4, "自然日"),
                ],
            )
        ]
    )
    assert [r.number for r in read_rows(upload, columns=COLUMNS)] == [2, 5]
    text = "\n编码,名称,时限,时限类型\n,,,\n0101,井盖,2,工作时\n\n0102,垃圾,4,自然日\n"
    assert [r.number for r in read_rows(csv_upload(text, "utf-8"), columns=COLUMNS)] == [4, 6]


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (b"%PDF-1.7\n\x01\x02\x03 binary \xff\xfe\x00 stream\n%%EOF", "标准.xlsx"),
        (b"%PDF-1.7\n\x01\x02\x03 binary stream\x1b\n%%EOF", "标准.csv"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "标准.csv"),
        (b"just some text", "标准.pdf"),
        (b"PK\x03\x04 this is not a real zip", "标准.xlsx"),
        ("编码,名称\n".encode(), "标准.xlsx"),
    ],
    ids=["pdf-as-xlsx", "pdf-as-csv", "png-as-csv", "pdf-extension", "broken-zip", "csv-as-xlsx"],
)
def test_files_that_are_not_spreadsheets_are_refused(content, name):
    with pytest.raises(ServiceError) as caught:
        read_rows(SimpleUploadedFile(name, content), columns=COLUMNS)
    assert caught.value.message == UNREADABLE == "无法读取文件:请上传 .xlsx 或 .csv 文件。"


def test_a_word_document_is_not_a_workbook():
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    with pytest.raises(ServiceError, match="无法读取文件"):
        read_rows(SimpleUploadedFile("标准.xlsx", buffer.getvalue()), columns=COLUMNS)


def test_old_xls_files_get_a_hint():
    with pytest.raises(ServiceError, match=r"另存为 \.xlsx"):
        read_rows(
            SimpleUploadedFile("标准.xls", b"\xd0\xcf\x11\xe0" + b"\0" * 100), columns=COLUMNS
        )


def test_an_empty_upload_is_refused():
    with pytest.raises(ServiceError, match="文件为空"):
        read_rows(SimpleUploadedFile("标准.csv", b""), columns=COLUMNS)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2027-10-01", date(2027, 10, 1)),
        ("2027/10/1", date(2027, 10, 1)),
        ("2027.1.5", date(2027, 1, 5)),
        ("2027年10月1日", date(2027, 10, 1)),
        ("20271001", date(2027, 10, 1)),
        ("2027-10-01 00:00:00", date(2027, 10, 1)),
        (datetime(2027, 10, 1, 0, 0), date(2027, 10, 1)),
        (date(2027, 10, 1), date(2027, 10, 1)),
        (46661, date(2027, 10, 1)),  # an Excel serial day in a "General" cell
    ],
)
def test_dates_in_the_forms_offices_type_them(value, expected):
    assert parse_date(value) == expected


@pytest.mark.parametrize("value", ["10/01/2027", "明天", "2027-13-01", -5, True])
def test_dates_that_are_not_dates(value):
    with pytest.raises(ValueError, match="日期"):
        parse_date(value)


def test_number_parsers():
    assert parse_decimal(low=Decimal(0))("1.5") == Decimal("1.5")
    with pytest.raises(ValueError, match="不能小于 0"):
        parse_decimal(low=Decimal(0))("-1")
    with pytest.raises(ValueError, match="应为数字"):
        parse_decimal()("NaN")
    assert parse_int(high=10)(7.0) == 7
    with pytest.raises(ValueError, match="应为整数"):
        parse_int()(7.5)


def test_duplicates_are_flagged_on_the_later_row():
    rows = [Row(number=n, values={"code": c}) for n, c in [(2, "01"), (3, "02"), (4, "01")]]
    flag_duplicates(rows, key="code", header="编码")
    assert [r.errors for r in rows] == [[], [], ["第 4 行“编码”:与第 2 行重复。"]]


# -- the import policy -------------------------------------------------------------------------
def policy_rows() -> list[Row]:
    good = [Row(number=n, values={"n": n}) for n in (2, 3, 5)]
    bad = Row(number=4, values={"n": None})
    bad.add_error("应为整数。", header="时限")
    return [good[0], good[1], bad, good[2]]


class Recorder:
    def __init__(self):
        self.calls: list[list[int]] = []

    def __call__(self, rows):
        self.calls.append([r.number for r in rows])
        return len(rows) - 1, 1


@pytest.mark.django_db
def test_one_bad_row_stops_the_whole_import():
    save = Recorder()
    report = apply_rows(policy_rows(), skip_bad_rows=False, save=save)
    assert save.calls == []
    assert (report.total, report.ok, report.bad, report.applied) == (4, 3, 1, False)
    assert (report.created, report.updated) == (0, 0)
    assert report.errors == ["第 4 行“时限”:应为整数。"]
    assert "未导入任何数据" in report.as_text()


@pytest.mark.django_db
def test_skipping_bad_rows_saves_the_good_ones():
    save = Recorder()
    report = apply_rows(policy_rows(), skip_bad_rows=True, save=save)
    assert save.calls == [[2, 3, 5]]
    assert (report.created, report.updated, report.applied) == (2, 1, True)
    assert report.as_dict() == {
        "total": 4,
        "ok": 3,
        "bad": 1,
        "created": 2,
        "updated": 1,
        "applied": True,
        "skip_bad_rows": True,
        "bad_rows": [{"number": 4, "messages": ["第 4 行“时限”:应为整数。"]}],
    }
    text = report.as_text()
    assert "新增 2 条,更新 1 条" in text and "已跳过" in text and "第 4 行" in text


@pytest.mark.django_db
def test_a_clean_file_is_saved_and_nothing_when_every_row_is_bad():
    save = Recorder()
    report = apply_rows([r for r in policy_rows() if r.ok], skip_bad_rows=False, save=save)
    assert save.calls == [[2, 3, 5]] and report.applied and report.bad == 0
    only_bad = [r for r in policy_rows() if not r.ok]
    report = apply_rows(only_bad, skip_bad_rows=True, save=save)
    assert len(save.calls) == 1 and not report.applied
    with pytest.raises(ServiceError, match="没有数据行"):
        apply_rows([], skip_bad_rows=True, save=save)


@pytest.mark.django_db
def test_a_save_that_fails_half_way_leaves_nothing_behind():
    def save(rows):
        CalendarDay.objects.create(day=date(2027, 10, 1), is_workday=False)
        raise ServiceError("第二行与已有数据冲突。")

    with pytest.raises(ServiceError):
        apply_rows(policy_rows()[:2], skip_bad_rows=False, save=save)
    assert not CalendarDay.objects.exists()


def test_error_report_lists_the_bad_rows():
    report = ImportReport(total=3, ok=2)
    report.bad_rows.append(BadRow(7, ("甲", "乙")))
    book = openpyxl.load_workbook(io.BytesIO(error_report_xlsx(report)))
    sheet = book.active
    assert sheet.title == "错误行"
    assert [[c.value for c in row] for row in sheet.iter_rows()] == [
        ["行号", "错误信息"],
        [7, "甲\n乙"],
    ]


def test_download_keeps_a_chinese_file_name():
    response = xlsx_response(b"PK...", "2027年放假安排.xlsx")
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="2027.xlsx"; ')
    encoded = disposition.split("filename*=UTF-8''", 1)[1]
    assert unquote(encoded) == "2027年放假安排.xlsx"
    assert encoded.isascii()
    assert response.content == b"PK..."
    assert 'filename="download.xlsx"' in xlsx_response(b"", "放假安排.xlsx")["Content-Disposition"]
