"""What several case pages share: the page size and the choices their forms offer."""

from __future__ import annotations

from itertools import groupby

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chuangwen.catalog import selectors as catalog
from chuangwen.core.scoping import VIEW, scope_for
from chuangwen.org.choices import UnitKind
from chuangwen.org.models import Unit
from chuangwen.org.selectors import unit_list
from chuangwen.territory.choices import Level
from chuangwen.territory.selectors import node_queryset, scope_roots

from .. import selectors
from ..choices import Channel, Status

PAGE_SIZE = 50


# -- UI-only reads: the choices offered by the filter and workflow forms ----------------------
def _territory_options(user) -> list[dict]:
    """Districts and streets for a city-wide user; streets and communities for one whose
    scope starts lower, so the select is never just the user's own node."""
    citywide = scope_for(user).for_action(VIEW).citywide
    levels = (Level.DISTRICT, Level.STREET) if citywide else (Level.STREET, Level.COMMUNITY)
    nodes = node_queryset(user).filter(level__in=levels).only("code", "name", "level", "path")
    return [
        {"code": n.code, "name": n.name, "indent": n.level == levels[1]}
        for n in nodes.order_by("path")
    ]


def _category_options() -> list[dict]:
    options = []
    for major in catalog.category_tree():
        options.append({"code": major.category.code, "name": major.category.name, "major": True})
        options.extend({"code": m.code, "name": m.name, "major": False} for m in major.minors)
    return options


def _grouped_units(units) -> list[tuple[str, list[Unit]]]:
    labels = dict(UnitKind.choices)
    rank = {kind: i for i, kind in enumerate(UnitKind.values)}
    ordered = sorted(units, key=lambda u: (rank.get(u.kind, 99), u.name))
    return [
        (labels.get(kind, kind), list(rows))
        for kind, rows in groupby(ordered, key=lambda u: u.kind)
    ]


FILTER_LABELS = {
    "date_from": gettext_lazy("上报日期从"),
    "date_to": gettext_lazy("上报日期至"),
    "unit": gettext_lazy("责任单位"),
}


def _filter_error(filters: selectors.CaseFilter) -> str:
    if not filters.invalid:
        return ""
    names = "、".join(str(FILTER_LABELS.get(name, name)) for name in filters.invalid)
    return _("筛选条件有误,未生效:%(names)s(日期应为 YYYY-MM-DD 格式的有效日期)。") % {
        "names": names
    }


def _filter_context(request, filters: selectors.CaseFilter) -> dict:
    return {
        "filters": filters,
        "filter_error": _filter_error(filters),
        "raw": request.GET,
        "statuses": Status.choices,
        "channels": Channel.choices,
        "category_options": _category_options(),
        "territory_options": _territory_options(request.user),
        "unit_groups": _grouped_units(_unit_choices(request.user)),
    }


def _unit_choices(user):
    """Units the user may pick (to filter by or dispatch to): those of their scope and
    the city-wide directory."""
    return (
        unit_list(user=user).filter(is_active=True).select_related(None).only("id", "name", "kind")
    )


def _outline_urls(user) -> list[str]:
    """GeoJSON of what the user's scope is made of: the districts for the city office,
    the streets (or communities …) below a street or district user's own node."""
    return [reverse("territory:children_geojson", args=[n.code]) for n in scope_roots(user=user)]
