"""What the home page (工作台) shows of the user's posts and territory."""

from chuangwen.territory.choices import Level
from chuangwen.territory.selectors import level_counts, scope_roots

from .selectors import memberships_of, unit_kind_counts


def posts_and_territory(user) -> dict:
    counts = level_counts(user=user)
    return {
        "memberships": memberships_of(user),
        "roots": scope_roots(user=user),
        "level_counts": [(Level(level).label, n) for level, n in counts.items() if n],
        "unit_total": sum(unit_kind_counts(user=user).values()),
    }
