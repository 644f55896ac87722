"""Cell parsers for :class:`~chuangwen.core.xlsx.reading.Column`: each turns what the
office typed into the stored value, or raises ``ValueError`` with a Chinese message."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from openpyxl.utils.datetime import from_excel

from .reading import SPACES

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
    table = {SPACES.sub("", word): result for word, result in choices.items()}

    def parse(value: object) -> object:
        word = SPACES.sub("", str(value))
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
