"""The main navigation: a registry the apps fill with their own entries when they are
ready, each guarded by the same check its pages use. Core keeps only the mechanism."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .admin_site import may_use_admin


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url_name: str
    # Place in the menu: lower comes first (the apps leave gaps between theirs).
    order: int
    # Who is offered the entry; None: every signed-in user.
    visible: Callable[[object], bool] | None = None


_items: dict[str, NavItem] = {}


def register(*items: NavItem) -> None:
    """Add entries to the menu (from an app's ``ready()``); one entry per URL name."""
    for item in items:
        _items[item.url_name] = item


def registered() -> list[NavItem]:
    return sorted(_items.values(), key=lambda item: item.order)


def items_for(user, current_path: str = "") -> list[dict]:
    if not user.is_authenticated:
        return []
    visible = []
    for item in registered():
        if item.visible is not None and not item.visible(user):
            continue
        url = reverse(item.url_name)
        matches = current_path == url if url == "/" else current_path.startswith(url)
        visible.append({"label": item.label, "url": url, "active": matches})
    # Items nest (/cases/ holds /cases/inbox/): only the most specific one is current.
    best = max((len(i["url"]) for i in visible if i["active"]), default=0)
    for item in visible:
        item["active"] = item["active"] and len(item["url"]) == best
    return visible


# Core's own entries, the first and the last (registered by CoreConfig.ready()).
MENU = (
    NavItem(_("工作台"), "core:home", order=0),
    NavItem(_("系统管理"), "admin:index", order=1000, visible=may_use_admin),
)
