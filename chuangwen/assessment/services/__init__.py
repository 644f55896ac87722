"""Every write of the assessment: schemes, entered figures, publications and appeals. Each
runs in one transaction with its audit row.

A publication freezes the draft lines into Result rows; from then on the only thing that
moves a published result is an appeal decision, which adds the granted points beside
the frozen total, re-ranks the publication and keeps the before/after on the appeal."""

from .appeals import (
    appeal_decide,
    appeal_file,
)
from .figures import (
    figure_enter,
    figures_enter,
)
from .publications import (
    publication_publish,
    publication_withdraw,
)
from .schemes import (
    KIND_RULES,
    KINDS_FOR,
    MAX_COMPONENT_POINTS,
    MAX_COMPONENTS,
    MAX_COUNT_TARGET,
    MAX_SCHEME_POINTS,
    MAX_STEP,
    RATE_RULES,
    scheme_save,
)

__all__ = [
    "KINDS_FOR",
    "KIND_RULES",
    "MAX_COMPONENTS",
    "MAX_COMPONENT_POINTS",
    "MAX_COUNT_TARGET",
    "MAX_SCHEME_POINTS",
    "MAX_STEP",
    "RATE_RULES",
    "appeal_decide",
    "appeal_file",
    "figure_enter",
    "figures_enter",
    "publication_publish",
    "publication_withdraw",
    "scheme_save",
]
