"""Every write to a case: intake, each workflow step, supervision and accountability.

Each step locks the case row, checks state, version and permission, records the time
spent in the stage it closes, writes a ``CaseEvent`` and an outbox row, all in one
transaction. Side effects (mail, SMS, robots) go through the outbox after commit.

The writes live in modules by subject (``intake``, ``workflow``, ``public``, ``photos``,
``supervision``, ``accountability``, ``saved_views``, ``bulk``); their public names are
re-exported here, so callers write ``services.case_report(...)``.
"""

from ._common import MAX_DESCRIPTION, MAX_NOTE, CaseNotFoundError
from .accountability import accountability_record
from .bulk import BatchDone, BulkResult, BulkRow, case_report_many, taken_tickets
from .intake import (
    CODE_ALPHABET,
    Intake,
    OutsideCityError,
    case_report,
    new_public_token,
    resolve_standard,
)
from .photos import photo_upload
from .public import (
    case_publicity_set,
    case_rate,
    handled_case,
    reopen_request_decide,
    reopen_request_submit,
)
from .saved_views import saved_view_delete, saved_view_save
from .supervision import (
    SETTLING_STATUSES,
    superior_of,
    supervise_overdue,
    supervision_answer,
    supervision_issue,
)
from .workflow import (
    POSTPONE_ACTIONS,
    STAGE_FIELD,
    Transition,
    case_accept,
    case_cancel,
    case_dispatch,
    case_finish,
    case_merge,
    case_postpone,
    case_postpone_decide,
    case_reject,
    case_reopen,
    case_send_back,
    case_sign,
    case_transition,
    case_verify,
    stage_limit,
)

__all__ = [
    "CODE_ALPHABET",
    "MAX_DESCRIPTION",
    "MAX_NOTE",
    "POSTPONE_ACTIONS",
    "SETTLING_STATUSES",
    "STAGE_FIELD",
    "BatchDone",
    "BulkResult",
    "BulkRow",
    "CaseNotFoundError",
    "Intake",
    "OutsideCityError",
    "Transition",
    "accountability_record",
    "case_accept",
    "case_cancel",
    "case_dispatch",
    "case_finish",
    "case_merge",
    "case_postpone",
    "case_postpone_decide",
    "case_publicity_set",
    "case_rate",
    "case_reject",
    "case_reopen",
    "case_report",
    "case_report_many",
    "case_send_back",
    "case_sign",
    "case_transition",
    "case_verify",
    "handled_case",
    "new_public_token",
    "photo_upload",
    "reopen_request_decide",
    "reopen_request_submit",
    "resolve_standard",
    "saved_view_delete",
    "saved_view_save",
    "stage_limit",
    "superior_of",
    "supervise_overdue",
    "supervision_answer",
    "supervision_issue",
    "taken_tickets",
]
