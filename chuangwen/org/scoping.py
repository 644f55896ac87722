"""Org's answer to core's scoping protocol: memberships are grants, 包联 pairings widen
what a unit reads, and the territory root is the citywide subtree."""

from collections.abc import Iterable, Mapping
from datetime import date

from chuangwen.core.scoping import Grant
from chuangwen.territory import selectors as territory_selectors

from . import selectors
from .choices import ROLE_ACTIONS


class MembershipScopes:
    def grants_for_user(self, user) -> list[Grant]:
        return selectors.grants_for_user(user)

    def paired_paths(self, unit_ids: Iterable[int], *, on: date) -> list[str]:
        return selectors.paired_paths_for_units(unit_ids, on=on)

    def role_actions(self) -> Mapping[str, tuple[str, ...]]:
        return ROLE_ACTIONS

    def root_path(self) -> str | None:
        return territory_selectors.root_path()
