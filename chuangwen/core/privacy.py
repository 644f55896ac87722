"""Personal data shown to people who should not have all of it."""

from __future__ import annotations

import re

# Mainland mobile numbers, also inside longer text (a gateway may echo them in an error).
_PHONE = re.compile(r"(?<!\d)(\+?86)?(1\d{2})\d{4}(\d{4})(?!\d)")


def _masked(match: re.Match) -> str:
    return f"{match.group(1) or ''}{match.group(2)}****{match.group(3)}"


def mask_phone(phone: str) -> str:
    """138****1234; other numbers keep at most their last four digits."""
    number = (phone or "").strip()
    if not number:
        return ""
    if _PHONE.fullmatch(number):
        return _PHONE.sub(_masked, number)
    return f"****{number[-4:]}" if len(number) >= 8 else "****"


def mask_phones_in(text: str) -> str:
    return _PHONE.sub(_masked, text)


def mask_name(name: str) -> str:
    """王** for 王小明: the surname stays, so a handler can still address the reporter."""
    name = (name or "").strip()
    return name[0] + "*" * (len(name) - 1) if name else ""


# -- text that goes out to the public ---------------------------------------------------------
_CN_DIGITS = "0-9零〇一二三四五六七八九十百"
# A room after the unit: 502室, 5楼502, 七层702户.
_ROOM = rf"\s*(?:[{_CN_DIGITS}]+\s*(?:楼|层)\s*)?[{_CN_DIGITS}]+\s*(?:室|号|户)?"
_PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼使领"
# What a description may hold about a person, each with the words that replace it. Order
# matters: the structured patterns run before the catch-all for long numbers.
_REDACTIONS: tuple[tuple[re.Pattern, str], ...] = (
    (re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"), "[邮箱]"),
    # 18-digit resident ID numbers may end in X; 15-digit ones are caught as numbers below.
    (re.compile(r"(?<![0-9A-Za-z])\d{17}[0-9Xx](?![0-9A-Za-z])"), "[身份证号]"),
    (
        re.compile(
            rf"[{_PROVINCES}]\s*[A-HJ-NP-Z]\s*[·•.\-\s]?\s*[A-HJ-NP-Z0-9]{{4}}[A-HJ-NP-Z0-9挂学警港澳]"
            r"(?:[A-HJ-NP-Z0-9](?![A-Za-z0-9]))?",
            re.IGNORECASE,
        ),
        "[车牌号]",
    ),
    # Flat-level addresses: building, unit and room (25号3单元502室, 5栋2单元301, 3-2-501,
    # 七楼702室), or a room number on its own.
    (
        re.compile(
            rf"[{_CN_DIGITS}]+\s*(?:号楼|号院|栋|幢|座|号)\s*[{_CN_DIGITS}]+\s*单元(?:{_ROOM})?"
            rf"|[{_CN_DIGITS}]+\s*单元{_ROOM}"
        ),
        "[门牌号]",
    ),
    (
        re.compile(rf"(?:[{_CN_DIGITS}]+\s*(?:楼|层)\s*)?(?<![0-9])[0-9]{{3,4}}\s*(?:室|户)"),
        "[门牌号]",
    ),
    (re.compile(r"(?<![\d-])\d{1,3}-\d{1,2}-\d{3,4}(?![\d-])"), "[门牌号]"),
    # Any run of seven digits or more, possibly grouped (138 1234 5678, 0719-8123456,
    # 6222 0212 3456 7890): phone, bank card, old ID, account numbers. Dates (2026-12-07)
    # and times stay, as their groups are shorter.
    (
        re.compile(r"(?<![0-9A-Za-z])(?:\+?86[-\s]?)?\d{3,}(?:[-\s]\d{3,})*(?![0-9A-Za-z])"),
        "",
    ),
    (
        re.compile(
            r"(姓名|联系人|户主|车主|业主|我叫|本人叫)(\s*[::是为]?\s*)[\u4e00-\u9fa5]{2,3}"
        ),
        r"\1\2[姓名]",
    ),
    (re.compile(r"[\u4e00-\u9fa5](?=先生|女士|小姐|师傅|大爷|大妈|阿姨)"), "某"),
)


def _number_word(match: re.Match) -> str:
    text = match.group(0)
    digits = re.sub(r"\D", "", text)
    if len(digits) < 7:
        return text
    if len(digits) in (15, 18):
        return "[身份证号]"
    if len(digits) >= 16:
        return "[银行卡号]"
    return "[电话]"


def redact(text: str) -> str:
    """``text`` with the personal data the public must not read replaced by words
    saying what was there: phone numbers, ID and bank card numbers, plates, flat-level
    addresses, e-mail addresses and names given as such."""
    text = text or ""
    for pattern, replacement in _REDACTIONS:
        text = pattern.sub(replacement or _number_word, text)
    return text


# Public coordinates: three decimals are about 110 m north-south and 95 m east-west here,
# enough to find the street, not the doorway.
PUBLIC_COORDINATE_DECIMALS = 3


def public_coordinate(value: float) -> float:
    return round(value, PUBLIC_COORDINATE_DECIMALS)
