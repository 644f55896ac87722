import pytest

from chuangwen.core.errors import ServiceError
from chuangwen.imports.reading import guess_mapping, read_headers, read_rows

from .files import csv_upload, hotline_row, xlsx_upload


def data_of(upload) -> bytes:
    upload.seek(0)
    return upload.read()


def test_gbk_csv_is_read_and_its_headers_guessed():
    upload = csv_upload([hotline_row("GD001", address="茅箭区人民北路12号")], encoding="gbk")
    data = data_of(upload)
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")  # really GBK, as Excel on Chinese Windows saves it
    row, headers = read_headers(data, upload.name)
    assert row == 1 and headers[:3] == ["工单编号", "诉求内容", "问题类别"]
    mapping = guess_mapping(headers)
    assert mapping["external_id"] == "工单编号"
    assert mapping["description"] == "诉求内容"
    assert mapping["address"] == "问题地址"
    assert mapping["lng"] == "经度" and mapping["lat"] == "纬度"
    assert mapping["reporter_phone"] == "来电号码"
    assert mapping["reported_time"] == "来电时间"
    assert mapping["extra"] == []
    _headers, rows = read_rows(data, upload.name)
    assert rows == [(2, hotline_row("GD001", address="茅箭区人民北路12号"))]


def test_utf8_csv_with_bom_reads_the_same():
    upload = csv_upload([hotline_row("GD001")], encoding="utf-8-sig")
    headers, rows = read_rows(data_of(upload), upload.name)
    assert headers[0] == "工单编号" and rows[0][1][0] == "GD001"


def test_xlsx_with_a_title_line_numbers_rows_as_excel_shows_them():
    upload = xlsx_upload(
        [
            [
                20261101001,
                "垃圾桶满溢",
                "E0102",
                "张湾区车城路",
                None,
                None,
                "李四",
                13900000000,
                None,
            ]
        ],
        title_row="十堰市12345热线工单导出(2026年11月)",
    )
    data = data_of(upload)
    assert read_headers(data, upload.name)[0] == 2
    headers, rows = read_rows(data, upload.name)
    assert headers[1] == "诉求内容"
    number, cells = rows[0]
    assert number == 3
    # Numbers typed into number cells come back as the office typed them.
    assert cells[0] == "20261101001" and cells[7] == "13900000000"
    assert cells[4] == ""


def test_other_header_names_are_recognised():
    headers = [
        "序号",
        "工单号",
        "反映内容",
        "发生地址",
        "所属区县",
        "街道(乡镇)",
        "社区(村)",
        "承办单位",
    ]
    mapping = guess_mapping(headers)
    assert mapping["external_id"] == "工单号"
    assert mapping["description"] == "反映内容"
    assert mapping["address"] == "发生地址"
    assert mapping["district"] == "所属区县"
    assert mapping["street"] == "街道(乡镇)"
    assert mapping["community"] == "社区(村)"
    assert "category" not in mapping and "lat" not in mapping


def test_a_saved_mapping_wins_over_guessing_where_its_columns_exist():
    headers = ["编号", "单号", "内容", "备注", "承办单位"]
    saved = {
        "external_id": "单号",
        "description": "内容",
        "address": "不存在的列",
        "extra": ["备注"],
    }
    mapping = guess_mapping(headers, saved)
    assert mapping["external_id"] == "单号"
    assert mapping["description"] == "内容"
    assert "address" not in mapping
    assert mapping["extra"] == ["备注"]


def test_repeated_headers_are_told_apart():
    upload = csv_upload([["1", "a", "b"]], headers=["编号", "备注", "备注"])
    _row, headers = read_headers(data_of(upload), upload.name)
    assert headers == ["编号", "备注", "备注(2)"]


def test_row_limit(settings):
    settings.IMPORT_MAX_ROWS = 2
    upload = csv_upload([hotline_row(f"GD{i}") for i in range(3)])
    with pytest.raises(ServiceError, match="数据超过 2 行"):
        read_rows(data_of(upload), upload.name)


def test_size_limit(settings):
    settings.IMPORT_MAX_BYTES = 100
    upload = csv_upload([hotline_row(f"GD{i}") for i in range(10)])
    with pytest.raises(ServiceError, match="文件不能超过"):
        read_headers(data_of(upload), upload.name)


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"%PDF-1.4 \x00\x01\x02", "scan.pdf", "无法读取文件"),
        (b"PK\x03\x04broken", "list.xlsx", "无法读取文件"),
        (b"\n\n", "empty.csv", "没有表头和数据"),
        (b"", "empty.csv", "文件为空"),
    ],
)
def test_unreadable_files_are_refused(content, name, message):
    with pytest.raises(ServiceError, match=message):
        read_headers(content, name)
