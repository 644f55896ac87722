"""Reading the spreadsheets offices upload.

Offices keep their lists in Excel and WPS, and save them as .xlsx or as CSV in whatever
encoding their copy of Excel uses (GBK on most Chinese Windows installations). Every
import opens the file the same way (:func:`numbered_sheets`: the non-blank rows of each
sheet with the row numbers Excel shows) and, where its columns are known in advance,
matches them by header (:func:`read_rows`), reporting bad cells by row number.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from ..errors import ServiceError

# Generous for a list typed by people; an upload this size is not a spreadsheet of theirs.
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
MAX_ROWS = 50_000
UNREADABLE = "无法读取文件:请上传 .xlsx 或 .csv 文件。"
SPREADSHEET_EXTENSIONS = {"xlsx", "xlsm", "csv", "txt"}
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
SPACES = re.compile(r"[\s\u3000\xa0]+")


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
    text = SPACES.sub("", "" if value is None else str(value))
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


def upload_name(upload) -> str:
    """The file name the office's upload came with ("" when it has none)."""
    return str(getattr(upload, "name", "") or "")


def numbered_sheets(data: bytes, name: str) -> Iterator[Iterator[tuple[int, Sequence[object]]]]:
    """Each sheet of an .xlsx (a CSV is one sheet) as its non-blank rows, each with its
    row number as Excel shows it. A file that cannot be read raises ``ServiceError``
    (field ``file``), also when the damage shows only while its rows are read."""
    sheets = _sheets(data, name)
    with closing(sheets), _unreadable_when_damaged():
        for sheet in sheets:
            yield _numbered(sheet)


def _numbered(sheet: Iterator[Sequence[object]]) -> Iterator[tuple[int, Sequence[object]]]:
    # A damaged part inside an .xlsx (bad XML, missing member) shows up only here.
    with _unreadable_when_damaged():
        for number, cells in enumerate(sheet, start=1):
            if not _is_blank(cells):
                yield number, cells


@contextmanager
def _unreadable_when_damaged():
    """Whatever the parsers raise on a broken file, the office is told it is unreadable."""
    try:
        yield
    except ServiceError:
        raise
    except Exception as exc:
        raise ServiceError(UNREADABLE, field="file") from exc


def at_most(rows: Iterable, limit: int) -> Iterator:
    """``rows`` as they come, refusing the file once there are more than ``limit``."""
    for count, row in enumerate(rows, start=1):
        if count > limit:
            raise ServiceError(_("数据超过 %(n)s 行,请拆分后导入。") % {"n": limit}, field="file")
        yield row


def read_rows(upload, *, columns: Sequence[Column]) -> list[Row]:
    """The data rows of an uploaded .xlsx or .csv, matched to ``columns`` by header.

    The header is the first non-blank row of the first sheet that has every required
    column. Blank rows are skipped. Bad cells become the row's ``errors``; a file that
    cannot be read or lacks a required header raises ``ServiceError`` (field ``file``).
    """
    data = _upload_bytes(upload)
    first_missing: list[str] | None = None
    # closing(): the workbook is released even when the first matching sheet returns early.
    with closing(numbered_sheets(data, upload_name(upload))) as sheets:
        for numbered in sheets:
            header = next(numbered, None)
            if header is None:
                continue
            found, missing = _header_map(header[1], columns)
            if missing:
                first_missing = missing if first_missing is None else first_missing
                continue
            return [
                _parse_row(number, cells, columns, found)
                for number, cells in at_most(numbered, MAX_ROWS)
            ]
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
