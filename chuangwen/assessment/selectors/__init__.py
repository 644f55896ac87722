"""Every read of the assessment: schemes, the figures behind a score, draft and published
results, appeals and trends.

Ranks are always city-wide (a street sees where it stands among all streets); each reader
only gets the lines of subjects inside their own scope. A period with a publication
shows the frozen snapshot; any other period shows a draft computed on the spot.

The case indicators counted in the database (``indicators``) are re-exported here; the
leaders' dashboard is its own module, ``selectors.dashboard``.
"""

from .figures import (
    CASE_TERRITORY_FIELD,
    INSPECTION_FIELD,
    entered_figures,
    inspection_rates,
    missing_figures,
    penalty_points,
)
from .indicators import (
    CASE_COLUMN,
    GOOD_RATINGS,
    INVALID_REPORTS,
    UNASSESSED_UNITS,
    VERIFY_ACTIONS,
    Figures,
    SubjectInfo,
    as_of_moment,
    compute,
    compute_many,
    subjects,
)
from .results import (
    Line,
    Results,
    appeal_get,
    appeals_for,
    draft_lines,
    publication_get,
    publications,
    published,
    result_components,
    result_get,
    results_for,
    trend,
)
from .schemes import (
    board_size,
    current_scheme,
    scheme_get,
    scheme_list,
    subject_type_checked,
    today,
)

__all__ = [
    "CASE_COLUMN",
    "CASE_TERRITORY_FIELD",
    "GOOD_RATINGS",
    "INSPECTION_FIELD",
    "INVALID_REPORTS",
    "UNASSESSED_UNITS",
    "VERIFY_ACTIONS",
    "Figures",
    "Line",
    "Results",
    "SubjectInfo",
    "appeal_get",
    "appeals_for",
    "as_of_moment",
    "board_size",
    "compute",
    "compute_many",
    "current_scheme",
    "draft_lines",
    "entered_figures",
    "inspection_rates",
    "missing_figures",
    "penalty_points",
    "publication_get",
    "publications",
    "published",
    "result_components",
    "result_get",
    "results_for",
    "scheme_get",
    "scheme_list",
    "subject_type_checked",
    "subjects",
    "today",
    "trend",
]
