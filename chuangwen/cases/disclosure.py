"""Showing a reporter's identity leaves a trace.

The city office sees who reported a case and their phone number (handlers see them
masked). Every time the unmasked details leave the database for someone, an audit row
records who saw whose details, by case code and channel, never the details themselves.
"""

from __future__ import annotations

from django.db import transaction

from chuangwen.core.audit import audit

from .models import Case
from .selectors import reporter_view

# Where the details were shown, as the audit row names it.
CASE_PAGE = "case_page"
CASE_API = "case_api"


def reporter_disclose(*, user, case: Case, via: str) -> dict:
    """The reporter as ``user`` may see them (``reporter_view``); unmasked details are
    audited in their own transaction before they are handed out."""
    shown = reporter_view(user=user, case=case)
    fields = [key for key in ("name", "phone") if shown[key]]
    if shown["masked"] or not fields:
        return shown
    with transaction.atomic():
        audit(
            actor=user,
            action="cases.reporter_view",
            obj=case,
            summary=f"{user.get_username()} 查看案件 {case.code} 的上报人信息",
            data={"code": case.code, "via": via, "fields": fields},
        )
    return shown
