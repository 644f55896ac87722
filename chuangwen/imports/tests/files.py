"""Lists as offices send them, built in memory for the tests."""

import csv
import io

from django.core.files.uploadedfile import SimpleUploadedFile

from chuangwen.core.xlsx import Sheet, write_workbook

HOTLINE_HEADERS = [
    "工单编号",
    "诉求内容",
    "问题类别",
    "问题地址",
    "经度",
    "纬度",
    "来电人",
    "来电号码",
    "来电时间",
]


def csv_upload(rows, *, headers=HOTLINE_HEADERS, encoding="gbk", name="12345工单.csv"):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headers)
    writer.writerows(rows)
    return SimpleUploadedFile(name, buffer.getvalue().encode(encoding), content_type="text/csv")


def xlsx_upload(rows, *, headers=HOTLINE_HEADERS, name="国测反馈.xlsx", title_row=None):
    sheet_rows = ([[title_row]] if title_row else []) + ([headers] if title_row else []) + rows
    content = write_workbook([Sheet("工单", [] if title_row else headers, sheet_rows)])
    return SimpleUploadedFile(name, content)


def hotline_row(
    number,
    *,
    description="人行道井盖缺失",
    category="B0102",
    address="",
    lng="110.02",
    lat="32.02",
    name="张三",
    phone="13800000000",
    when="2026-11-02 09:00",
):
    return [number, description, category, address, lng, lat, name, phone, when]
