"""Every read of cases, scoped to the reader: lists, detail, history, inbox, map.

The reads live in modules by subject (``lists``, ``detail``, ``intake``, ``public``,
``supervision``, ``satisfaction``); their names are re-exported here, so callers write
``selectors.case_get(...)``.
"""

from .detail import (
    allowed_actions,
    case_events,
    case_get,
    case_taken_from_caller,
    case_timeline,
    duplicates_of,
    pending_postponement,
    photo_get,
    remaining_minutes,
    reporter_view,
)
from .intake import (
    PublicCandidate,
    case_for_existing_ticket,
    case_for_idempotency_key,
    case_id_for_code,
    duplicate_candidates,
    route_for,
)
from .lists import (
    INBOXES,
    CaseFilter,
    case_list,
    case_queryset,
    inbox_counts,
    inbox_q,
    map_points,
    saved_views,
    verifies_somewhere,
)
from .public import (
    PUBLIC_STEPS,
    is_public,
    public_case,
    public_description,
    public_place,
    public_point,
    public_q,
    public_recent,
    public_report_count,
    public_status,
    public_timeline,
)
from .satisfaction import SATISFACTION_GROUPS, SatisfactionRow, reopen_requests, satisfaction_stats
from .supervision import accountability_list, supervision_list

__all__ = [
    "INBOXES",
    "PUBLIC_STEPS",
    "SATISFACTION_GROUPS",
    "CaseFilter",
    "PublicCandidate",
    "SatisfactionRow",
    "accountability_list",
    "allowed_actions",
    "case_events",
    "case_for_existing_ticket",
    "case_for_idempotency_key",
    "case_get",
    "case_id_for_code",
    "case_list",
    "case_queryset",
    "case_taken_from_caller",
    "case_timeline",
    "duplicate_candidates",
    "duplicates_of",
    "inbox_counts",
    "inbox_q",
    "is_public",
    "map_points",
    "pending_postponement",
    "photo_get",
    "public_case",
    "public_description",
    "public_place",
    "public_point",
    "public_q",
    "public_recent",
    "public_report_count",
    "public_status",
    "public_timeline",
    "remaining_minutes",
    "reopen_requests",
    "reporter_view",
    "route_for",
    "satisfaction_stats",
    "saved_views",
    "supervision_list",
    "verifies_somewhere",
]
