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
