"""Every write of the evaluation. Rounds: planning, starting, inspecting, reviewing,
penalties, re-inspections. Each runs in one transaction with its audit row; failed items
become cases through the case services inside the same transaction, so an inspection is
never submitted without its problem cases, nor a case opened for an unsaved result.

The registry the rounds draw on (points, the point workbook, point types and their
checklists) and the 测评体系 editions are written here too."""

from .checklists import (
    checklist_item_create,
    checklist_item_move,
    checklist_item_update,
    point_type_create,
    point_type_update,
)
from .frameworks import (
    CYCLE_YEARS,
    ENTRY_COLUMNS,
    ENTRY_HEADERS,
    ENTRY_SHEET,
    FIRST_YEAR,
    LAST_YEAR,
    LEVEL_ORDER,
    LEVEL_WORDS,
    MAX_POINTS,
    METHOD_WORDS,
    NEGATIVE_COLUMNS,
    NEGATIVE_HEADERS,
    NEGATIVE_SHEET,
    NOTES,
    NOTES_SHEET,
    SUBJECT_WORDS,
    framework_export,
    framework_import,
    framework_set_current,
    framework_template,
)
from .inspections import (
    MAX_OCCURRENCES,
    inspection_review,
    inspection_submit,
)
from .penalties import (
    penalty_record,
)
from .points import (
    point_create,
    point_update,
)
from .registry_import import (
    COLUMNS,
    COORDINATE_DECIMALS,
    COORDINATE_TOLERANCE,
    EXPORT_HEADERS,
    HEADERS,
    SHEET_TITLE,
    point_export,
    point_import,
    point_template,
)
from .reinspections import (
    reinspection_record,
    reinspections_sweep,
)
from .rounds import (
    inspection_reassign,
    round_close,
    round_create,
    round_discard,
    round_rescore,
    round_start,
)

__all__ = [
    "COLUMNS",
    "COORDINATE_DECIMALS",
    "COORDINATE_TOLERANCE",
    "CYCLE_YEARS",
    "ENTRY_COLUMNS",
    "ENTRY_HEADERS",
    "ENTRY_SHEET",
    "EXPORT_HEADERS",
    "FIRST_YEAR",
    "HEADERS",
    "LAST_YEAR",
    "LEVEL_ORDER",
    "LEVEL_WORDS",
    "MAX_OCCURRENCES",
    "MAX_POINTS",
    "METHOD_WORDS",
    "NEGATIVE_COLUMNS",
    "NEGATIVE_HEADERS",
    "NEGATIVE_SHEET",
    "NOTES",
    "NOTES_SHEET",
    "SHEET_TITLE",
    "SUBJECT_WORDS",
    "checklist_item_create",
    "checklist_item_move",
    "checklist_item_update",
    "framework_export",
    "framework_import",
    "framework_set_current",
    "framework_template",
    "inspection_reassign",
    "inspection_review",
    "inspection_submit",
    "penalty_record",
    "point_create",
    "point_export",
    "point_import",
    "point_template",
    "point_type_create",
    "point_type_update",
    "point_update",
    "reinspection_record",
    "reinspections_sweep",
    "round_close",
    "round_create",
    "round_discard",
    "round_rescore",
    "round_start",
]
