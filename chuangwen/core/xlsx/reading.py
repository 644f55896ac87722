"""Spreadsheet import and export shared by every part of the product.

Offices keep their lists in Excel and WPS, and save them as .xlsx or as CSV in whatever
encoding their copy of Excel uses (GBK on most Chinese Windows installations). Every
import reads the file the same way, reports bad cells by spreadsheet row number, and
follows one policy (:func:`apply_rows`): nothing is saved while a row is bad, unless the
operator chose to skip bad rows.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import closing
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from itertools import chain, islice
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.db import transaction
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import from_excel
from openpyxl.utils.exceptions import InvalidFileException

from .errors import ServiceError

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Generous for a list typed by people; an upload this size is not a spreadsheet of theirs.
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
MAX_ROWS = 50_000
UNREADABLE = "无法读取文件:请上传 .xlsx 或 .csv 文件。"
SPREADSHEET_EXTENSIONS = {"xlsx", "xlsm", "csv", "txt"}
# Column widths come from this many leading rows, so long exports still stream.
WIDTH_SAMPLE_ROWS = 300
MIN_WIDTH, MAX_WIDTH = 6, 60
EXCEL_MAX_TEXT = 32_767
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_SPACES = re.compile(r"[\s\u3000\xa0]+")


# -- reading ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Column:
    """One expected column. ``required``: the header must be present and every row must
    fill the cell. ``parse`` turns the cell value into the stored value; it raises
    ``ValueError`` or ``ServiceError`` (with a Chinese message) for a bad value."""

    key: str
    header: str
    required: bool = True
    parse: Callable[[object], object] | None = None
    aliases: tuple[str, ...] = ()


@dataclass
class Row:
    number: int  # as Excel shows it, counting the header row
    values: dict[str, Any]
    errors: list[str] = field(default_factory=list)
    raw: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors

    def add_error(self, message: str, *, header: str | None = None) -> None:
        where = f"第 {self.number} 行“{header}”" if header else f"第 {self.number} 行"
        self.errors.append(f"{where}:{message}")


def _normalize_header(value: object) -> str:
    text = _SPACES.sub("", "" if value is None else str(value))
    # Templates mark required columns with an asterisk; the mark is not part of the name.
    return text.strip("*＊").casefold()


def _clean_cell(value: object) -> object:
    if isinstance(value, str):
        return value.strip() or None
    return value


def _upload_bytes(upload) -> bytes:
    if hasattr(upload, "seek"):
        try:
            upload.seek(0)
        except (OSError, ValueError):
            pass
    data = upload.read(MAX_UPLOAD_BYTES + 1)
    if isinstance(data, str):
        data = data.encode("utf-8")
    if not data:
        raise ServiceError("文件为空。", field="file")
    if len(data) > MAX_UPLOAD_BYTES:
        raise ServiceError(
            f"文件不能超过 {MAX_UPLOAD_BYTES // (1024 * 1024)} MB,请拆分后导入。", field="file"
        )
    return data


# Members this small are never worth refusing, whatever their ratio (an empty sheet's
# XML compresses a hundredfold too).
RATIO_FLOOR_BYTES = 1024 * 1024


def check_archive(data: bytes) -> None:
    """Refuse an .xlsx whose members expand out of proportion (a zip bomb), before
    openpyxl inflates any of them. The sizes come from the archive's directory; Python's
    zipfile never inflates a member beyond its stated size, so they cannot lie upwards."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ServiceError(UNREADABLE, field="file") from exc
    ratio = settings.XLSX_MAX_RATIO
    limit = settings.XLSX_MAX_UNCOMPRESSED_MB * 1024 * 1024
    total = 0
    for member in members:
        total += member.file_size
        inflated = member.file_size > RATIO_FLOOR_BYTES and (
            member.file_size > ratio * max(member.compress_size, 1)
        )
        if inflated or total > limit:
            raise ServiceError(
                _(
                    "文件解压后的大小与文件本身极不相称(单个部件超过 %(ratio)s 倍,"
                    "或合计超过 %(mb)s MB),疑为恶意构造的压缩文件,已拒绝读取。"
                    "如确为正常表格,请删除多余的空行和格式后另存为 .xlsx,或拆分后再上传。"
                )
                % {"ratio": f"{ratio:g}", "mb": settings.XLSX_MAX_UNCOMPRESSED_MB},
                field="file",
            )


def _xlsx_sheets(data: bytes) -> Iterator[Iterator[Sequence[object]]]:
    check_archive(data)
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (
        InvalidFileException,
        zipfile.BadZipFile,
        KeyError,
        OSError,
        ValueError,
        TypeError,
    ) as exc:
        raise ServiceError(UNREADABLE, field="file") from exc
    try:
        for sheet in book.worksheets:
            if not hasattr(sheet, "iter_rows"):  # chart sheets have no cells
                continue
            # Some programs write a wrong used-range; without a reset rows come back cut.
            sheet.reset_dimensions()
            yield sheet.iter_rows(values_only=True)
    finally:
        book.close()


def _decode_text(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encodings: tuple[str, ...] = ("utf-16",)
    elif b"\x00" in data:
        raise ServiceError(UNREADABLE, field="file")
    else:
        encodings = ("utf-8-sig", "gb18030")
    for encoding in encodings:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        # Binary files (PDF, pictures) sometimes decode as GB18030 but are full of
        # control characters that no typed table contains.
        if any(unicodedata.category(ch) == "Cc" and ch not in "\t\r\n" for ch in text):
            raise ServiceError(UNREADABLE, field="file")
        return text
    raise ServiceError(UNREADABLE, field="file")


def _csv_rows(text: str) -> Iterator[Sequence[object]]:
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = max((",", "\t", ";"), key=first.count) if first else ","
    if first and first.count(delimiter) == 0:
        delimiter = ","
    yield from csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)


def _sheets(data: bytes, name: str) -> Iterator[Iterator[Sequence[object]]]:
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if data.startswith(b"\xd0\xcf\x11\xe0") and extension in ("xls", ""):
        raise ServiceError(
            "不支持旧版 .xls 文件,请在 Excel 中另存为 .xlsx 后再上传。", field="file"
        )
    if extension and extension not in SPREADSHEET_EXTENSIONS:
        raise ServiceError(UNREADABLE, field="file")
    if data.startswith(b"PK\x03\x04"):
        yield from _xlsx_sheets(data)
        return
    if extension in ("xlsx", "xlsm"):
        raise ServiceError(UNREADABLE, field="file")
    yield _csv_rows(_decode_text(data))


def _header_map(
    header: Sequence[object], columns: Sequence[Column]
) -> tuple[dict[str, int], list[str]]:
    by_name: dict[str, Column] = {}
    for column in columns:
        for name in (column.header, *column.aliases):
            by_name[_normalize_header(name)] = column
    found: dict[str, int] = {}
    for index, cell in enumerate(header):
        column = by_name.get(_normalize_header(cell))
        if column is None:
            continue
        if column.key in found:
            raise ServiceError(f"表头“{column.header}”出现了不止一次。", field="file")
        found[column.key] = index
    missing = [c.header for c in columns if c.required and c.key not in found]
    return found, missing


def _is_blank(cells: Sequence[object]) -> bool:
    return all(_clean_cell(c) is None for c in cells)


def _message(exc: Exception) -> str:
    text = exc.message if isinstance(exc, ServiceError) else str(exc)
    # Python's own messages ("invalid literal for int()…") mean nothing to the office.
    return text if _CJK.search(text or "") else "格式不正确。"


def _parse_row(number: int, cells: Sequence[object], columns, found) -> Row:
    row = Row(number=number, values={})
    for column in columns:
        index = found.get(column.key)
        value = _clean_cell(cells[index]) if index is not None and index < len(cells) else None
        row.raw[column.key] = value
        if value is None:
            row.values[column.key] = None
            if column.required:
                row.add_error("不能为空。", header=column.header)
            continue
        if column.parse is None:
            row.values[column.key] = value
            continue
        try:
            row.values[column.key] = column.parse(value)
        except (ValueError, TypeError, ServiceError) as exc:
            row.values[column.key] = None
            row.add_error(_message(exc), header=column.header)
    return row


def read_rows(upload, *, columns: Sequence[Column]) -> list[Row]:
    """The data rows of an uploaded .xlsx or .csv, matched to ``columns`` by header.

    The header is the first non-blank row of the first sheet that has every required
    column. Blank rows are skipped. Bad cells become the row's ``errors``; a file that
    cannot be read or lacks a required header raises ``ServiceError`` (field ``file``).
    """
    data = _upload_bytes(upload)
    name = str(getattr(upload, "name", "") or "")
    first_missing: list[str] | None = None
    # closing(): the workbook is released even when the first matching sheet returns early.
    with closing(_sheets(data, name)) as sheets:
        try:
            for sheet in sheets:
                numbered = (
                    (n, cells) for n, cells in enumerate(sheet, start=1) if not _is_blank(cells)
                )
                header = next(numbered, None)
                if header is None:
                    continue
                found, missing = _header_map(header[1], columns)
                if missing:
                    first_missing = missing if first_missing is None else first_missing
                    continue
                rows = []
                for number, cells in numbered:
                    if len(rows) >= MAX_ROWS:
                        raise ServiceError(f"数据超过 {MAX_ROWS} 行,请拆分后导入。", field="file")
                    rows.append(_parse_row(number, cells, columns, found))
                return rows
        except (csv.Error, zipfile.BadZipFile, SyntaxError, ValueError, OSError) as exc:
            # A damaged part inside an .xlsx (bad XML, missing member) shows up only here.
            raise ServiceError(UNREADABLE, field="file") from exc
    if first_missing is None:
        raise ServiceError("文件中没有表头和数据。", field="file")
    names = "、".join(f"“{h}”" for h in first_missing)
    raise ServiceError(f"缺少表头 {names}。请使用导入模板中的列名。", field="file")


def flag_duplicates(rows: Iterable[Row], *, key: str, header: str) -> None:
    """Mark later rows whose ``key`` value repeats an earlier row's."""
    seen: dict[object, int] = {}
    for row in rows:
        value = row.values.get(key)
        if value is None:
            continue
        if value in seen:
            row.add_error(f"与第 {seen[value]} 行重复。", header=header)
        else:
            seen[value] = row.number


# -- cell parsers ------------------------------------------------------------------------------
_DATE_TEXT = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")


def parse_date(value: object) -> date:
    """A date from an Excel date cell, an Excel serial number, or text such as
    2027-10-01, 2027/10/1, 2027.10.1 or 2027年10月1日."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        # Excel serial days (a date column formatted as "General"); only plausible years.
        if 1 <= value < 2958466:
            converted = from_excel(value)
            if isinstance(converted, datetime):
                return converted.date()
        raise ValueError("日期格式不正确,应为 2027-10-01 或 2027/10/1。")
    text = str(value).strip()
    text = text.split(" ", 1)[0] if re.match(r"^\d{4}-\d{2}-\d{2} \d", text) else text
    match = _DATE_TEXT.match(text) or re.match(r"^(\d{4})(\d{2})(\d{2})$", text)
    if match:
        try:
            return date(*(int(part) for part in match.groups()))
        except ValueError:
            raise ValueError(f"日期不存在:{text}。") from None
    raise ValueError("日期格式不正确,应为 2027-10-01 或 2027/10/1。")


def parse_choice(choices: dict[str, object]) -> Callable[[object], object]:
    """A parser accepting the given words (spaces ignored) and returning their values."""
    table = {_SPACES.sub("", word): result for word, result in choices.items()}

    def parse(value: object) -> object:
        word = _SPACES.sub("", str(value))
        if word not in table:
            allowed = "、".join(f"“{w}”" for w in choices)
            raise ValueError(f"“{word}”不是有效值,应为 {allowed} 之一。")
        return table[word]

    return parse


def parse_text(max_length: int) -> Callable[[object], str]:
    def parse(value: object) -> str:
        # A code typed into a number cell comes back as 12.0; the office typed "12".
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        text = str(value).strip()
        if len(text) > max_length:
            raise ValueError(f"不能超过 {max_length} 个字。")
        return text

    return parse


def _check_range(number, low, high) -> None:
    if low is not None and high is not None and not low <= number <= high:
        raise ValueError(f"应在 {low} 至 {high} 之间。")
    if low is not None and number < low:
        raise ValueError(f"不能小于 {low}。")
    if high is not None and number > high:
        raise ValueError(f"不能大于 {high}。")


def parse_int(*, low: int | None = None, high: int | None = None) -> Callable[[object], int]:
    def parse(value: object) -> int:
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, (int, str)):
            raise ValueError("应为整数。")
        try:
            number = int(str(value).strip())
        except ValueError:
            raise ValueError("应为整数。") from None
        _check_range(number, low, high)
        return number

    return parse


def parse_decimal(*, low: Decimal | None = None, high: Decimal | None = None):
    def parse(value: object) -> Decimal:
        if isinstance(value, bool):
            raise ValueError("应为数字。")
        try:
            number = Decimal(str(value).strip())
        except InvalidOperation:
            raise ValueError("应为数字。") from None
        if not number.is_finite():
            raise ValueError("应为数字。")
        _check_range(number, low, high)
        return number

    return parse


# -- the import policy ---------------------------------------------------------------------------
@dataclass(frozen=True)
class BadRow:
    number: int
    messages: tuple[str, ...]


@dataclass
class ImportReport:
    total: int = 0
    ok: int = 0
    bad_rows: list[BadRow] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    applied: bool = False
    skip_bad_rows: bool = False

    @property
    def bad(self) -> int:
        return len(self.bad_rows)

    @property
    def errors(self) -> list[str]:
        return [message for row in self.bad_rows for message in row.messages]

    def as_text(self) -> str:
        lines = [f"共 {self.total} 行数据:有效 {self.ok} 行,有错误 {self.bad} 行。"]
        if self.applied:
            lines.append(f"已导入:新增 {self.created} 条,更新 {self.updated} 条。")
            if self.bad:
                lines.append("有错误的行已跳过。")
        elif self.bad and not self.skip_bad_rows:
            lines.append("因存在错误行,未导入任何数据。请修正后重新导入,或选择跳过有错误的行。")
        else:
            lines.append("没有可导入的行。")
        lines.extend(self.errors)
        return "\n".join(lines)

    def as_dict(self) -> dict[str, Any]:
        return {
            "total": self.total,
            "ok": self.ok,
            "bad": self.bad,
            "created": self.created,
            "updated": self.updated,
            "applied": self.applied,
            "skip_bad_rows": self.skip_bad_rows,
            "bad_rows": [{"number": r.number, "messages": list(r.messages)} for r in self.bad_rows],
        }


def apply_rows(
    rows: Sequence[Row],
    *,
    skip_bad_rows: bool,
    save: Callable[[list[Row]], tuple[int, int]],
) -> ImportReport:
    """The one import policy: ``save(good_rows) -> (created, updated)`` runs (in one
    transaction) only when every row is good, or when the operator chose to skip the bad
    ones. Call it after every check, including those across rows, has marked its rows."""
    if not rows:
        raise ServiceError("文件中没有数据行。", field="file")
    good = [row for row in rows if row.ok]
    report = ImportReport(
        total=len(rows),
        ok=len(good),
        bad_rows=[BadRow(row.number, tuple(row.errors)) for row in rows if not row.ok],
        skip_bad_rows=skip_bad_rows,
    )
    if (report.bad and not skip_bad_rows) or not good:
        return report
    with transaction.atomic():
        report.created, report.updated = save(good)
    report.applied = True
    return report


# -- writing -----------------------------------------------------------------------------------
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
