"""Writing workbooks: one worksheet per sheet, bold frozen header, fitted columns, and
text that never turns into a formula; the download response."""

from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from itertools import chain, islice
from urllib.parse import quote

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from .importing import ImportReport

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Column widths come from this many leading rows, so long exports still stream.
WIDTH_SAMPLE_ROWS = 300
MIN_WIDTH, MAX_WIDTH = 6, 60
EXCEL_MAX_TEXT = 32_767


@dataclass
class Sheet:
    title: str
    headers: Sequence[str]
    rows: Iterable[Sequence[object]] = ()


def display_width(value: object) -> int:
    """Characters as Excel lays them out: CJK and full-width characters take two."""
    text = _cell_text(value)
    return max(
        (
            sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line)
            for line in text.split("\n")
        ),
        default=0,
    )


def number_cell(value: Decimal):
    """A decimal for a spreadsheet cell: whole numbers as integers, so 5 is not 5.00."""
    return int(value) if value == value.to_integral_value() else value


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _cell_value(value: object) -> object:
    if value is None or isinstance(value, (bool, int, float, Decimal, date, time)):
        if isinstance(value, datetime) and timezone.is_aware(value):
            # Excel has no time zones: write the city's wall-clock time.
            return timezone.localtime(value).replace(tzinfo=None)
        return value
    text = ILLEGAL_CHARACTERS_RE.sub("", str(value))
    return text[:EXCEL_MAX_TEXT]


def _cell(sheet, value: object) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=_cell_value(value))
    if isinstance(cell.value, str) and cell.value.startswith("="):
        # Text from citizens and units must never turn into a formula when opened.
        cell.data_type = "s"
    return cell


def _sheet_title(title: str, used: set[str]) -> str:
    base = re.sub(r"[\[\]:*?/\\]", "", title).strip("'").strip()[:31] or "Sheet"
    name, n = base, 2
    while name.casefold() in used:
        suffix = f"({n})"
        name, n = base[: 31 - len(suffix)] + suffix, n + 1
    used.add(name.casefold())
    return name


def write_workbook(sheets: Sequence[Sheet]) -> bytes:
    """An .xlsx with one worksheet per ``Sheet``: bold frozen header, fitted columns."""
    book = Workbook(write_only=True)
    used: set[str] = set()
    for spec in sheets or [Sheet("Sheet", ())]:
        sheet = book.create_sheet(_sheet_title(spec.title, used))
        rows = iter(spec.rows)
        head = [list(r) for r in islice(rows, WIDTH_SAMPLE_ROWS)]
        widths = [display_width(h) for h in spec.headers]
        for row in head:
            for index, value in enumerate(row):
                if index >= len(widths):
                    widths.append(0)
                widths[index] = max(widths[index], display_width(value))
        for index, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = min(
                max(width + 2, MIN_WIDTH), MAX_WIDTH
            )
        if spec.headers:
            sheet.freeze_panes = "A2"
            bold = Font(bold=True)
            header = []
            for title in spec.headers:
                cell = _cell(sheet, title)
                cell.font = bold
                header.append(cell)
            sheet.append(header)
        for row in chain(head, rows):
            sheet.append([_cell(sheet, value) for value in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def error_report_xlsx(report: ImportReport) -> bytes:
    """The bad rows of an import, for the operator to fix their file against."""
    rows = [(bad.number, "\n".join(bad.messages)) for bad in report.bad_rows]
    return write_workbook([Sheet("错误行", ("行号", "错误信息"), rows)])


def content_disposition(filename: str) -> str:
    # Old clients read the ASCII name; every current browser takes the RFC 5987 one.
    stem, dot, extension = filename.rpartition(".")
    ascii_stem = re.sub(r"[^A-Za-z0-9._-]+", "_", stem if dot else filename).strip("_")
    fallback = f"{ascii_stem or 'download'}{dot}{extension if dot else ''}"
    fallback = re.sub(r"[^A-Za-z0-9._-]", "_", fallback)
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition(filename)
    return response
