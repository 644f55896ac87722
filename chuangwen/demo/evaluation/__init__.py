"""The demo city's evaluation (测评): the sample framework, the point types with their
checklists, the points, more inspectors, and two rounds played through the services."""

from .framework import sample_framework_workbook, seed_framework
from .inspectors import seed_inspectors
from .point_types import seed_point_types
from .points import (
    COMMUNITY_TYPES,
    DEPARTMENT_OF,
    MARKET_OWNER,
    QUOTAS,
    STREET_TYPES,
    plan_points,
    seed_points,
)
from .rounds import seed_rounds

__all__ = [
    "COMMUNITY_TYPES",
    "DEPARTMENT_OF",
    "MARKET_OWNER",
    "QUOTAS",
    "STREET_TYPES",
    "plan_points",
    "sample_framework_workbook",
    "seed_framework",
    "seed_inspectors",
    "seed_point_types",
    "seed_points",
    "seed_rounds",
]
