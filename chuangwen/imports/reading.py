"""Reading a work-order list whose columns are not known in advance.

The shared spreadsheet reader (``core.xlsx``) opens the file (XLSX, CSV in UTF-8 or
GBK) and numbers its non-blank rows as Excel does; here the header row is found,
whatever it says. The columns are tied to fields later, by the job's mapping.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from contextlib import closing
from datetime import date, datetime
from itertools import chain, islice

from django.conf import settings
from django.utils.translation import gettext as _

from chuangwen.core.errors import ServiceError
from chuangwen.core.xlsx import at_most, numbered_sheets

from .choices import EXTRA, TARGETS

# A title line ("十堰市12345热线工单导出") often sits above the header; the header is the
# first line with at least two filled cells among the first few.
HEADER_SEARCH_ROWS = 10
HEAD_BYTES = 256 * 1024
_SPACES = re.compile(r"[\s\u3000\xa0]+")


def normalize(header: str) -> str:
    return _SPACES.sub("", header).strip("*＊:：").casefold()


def cell_text(value: object) -> str:
    """A cell as the office typed it: 12.0 in a number cell is "12", dates as dates,
    runs of blanks (line breaks, full-width spaces) as one space."""
    if type(value) is str:
        return " ".join(value.split())
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S").removesuffix(" 00:00:00")
    if isinstance(value, date):
        return value.isoformat()
    return " ".join(str(value).split())


def _header(rows: Iterator[tuple[int, Sequence[object]]]):
    """(header row number, header names, the data rows after it) or None."""
    buffered = list(islice(rows, HEADER_SEARCH_ROWS))
    if not buffered:
        return None
    at = next(
        (
            i
            for i, (_n, cells) in enumerate(buffered)
            if sum(bool(cell_text(c)) for c in cells) >= 2
        ),
        0,
    )
    number, cells = buffered[at]
    return number, _unique_headers(cells), chain(buffered[at + 1 :], rows)


def _unique_headers(cells: Sequence[object]) -> list[str]:
    texts = [cell_text(c) for c in cells]
    while texts and not texts[-1]:
        texts.pop()
    headers, seen = [], {}
    for index, text in enumerate(texts):
        text = text or _("第%(n)s列") % {"n": index + 1}
        count = seen.get(text, 0) + 1
        seen[text] = count
        headers.append(text if count == 1 else f"{text}({count})")
    return headers


def check_size(size: int) -> None:
    if size > settings.IMPORT_MAX_BYTES:
        raise ServiceError(
            _("文件不能超过 %(mb)s MB,请拆分后导入。")
            % {"mb": settings.IMPORT_MAX_BYTES // (1024 * 1024)},
            field="file",
        )
    if size == 0:
        raise ServiceError(_("文件为空。"), field="file")


def _head(data: bytes) -> bytes:
    """The first lines of a text file, enough to find its header: decoding and checking a
    whole 100,000-row export just to show its column names would keep the upload waiting.
    A line break byte never occurs inside a GBK or UTF-8 character, so the cut is clean."""
    if data.startswith((b"PK", b"\xff\xfe", b"\xfe\xff")) or len(data) <= HEAD_BYTES:
        return data
    cut = data.rfind(b"\n", 0, HEAD_BYTES)
    return data[: cut + 1] if cut > 0 else data


def read_headers(data: bytes, name: str) -> tuple[int, list[str]]:
    """(header row number, header names) of the first sheet that has data."""
    check_size(len(data))
    with closing(numbered_sheets(_head(data), name)) as sheets:
        for numbered in sheets:
            found = _header(numbered)
            if found is not None and found[1]:
                return found[0], found[1]
    raise ServiceError(_("文件中没有表头和数据。"), field="file")


def read_rows(data: bytes, name: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The header and every data row (row number, cell texts) of the list."""
    check_size(len(data))
    with closing(numbered_sheets(data, name)) as sheets:
        for numbered in sheets:
            found = _header(numbered)
            if found is None or not found[1]:
                continue
            _header_row, headers, data_rows = found
            return headers, [
                (number, [cell_text(c) for c in cells])
                for number, cells in at_most(data_rows, settings.IMPORT_MAX_ROWS)
            ]
    raise ServiceError(_("文件中没有表头和数据。"), field="file")


def guess_mapping(headers: Sequence[str], saved: dict | None = None) -> dict:
    """Target field → header: the saved mapping where its headers are in this file, else
    the header that looks like the field's usual names."""
    present = {normalize(h): h for h in headers}
    mapping: dict = {}
    used: set[str] = set()
    saved = saved or {}
    for target in TARGETS:
        wanted = saved.get(target.key)
        if isinstance(wanted, str) and normalize(wanted) in present:
            mapping[target.key] = present[normalize(wanted)]
            used.add(mapping[target.key])
    for target in TARGETS:
        if target.key in mapping:
            continue
        for guess in target.guesses:
            header = present.get(normalize(guess))
            if header is not None and header not in used:
                mapping[target.key] = header
                used.add(header)
                break
    extra = saved.get(EXTRA) or []
    mapping[EXTRA] = [
        present[normalize(h)]
        for h in extra
        if isinstance(h, str) and normalize(h) in present and present[normalize(h)] not in used
    ]
    return mapping
