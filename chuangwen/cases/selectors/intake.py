"""Reads that intake and merging need: routing, earlier submissions, likely duplicates."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

from chuangwen.catalog.models import Category, RoutingRule
from chuangwen.catalog.routing import choose_unit
from chuangwen.org.selectors import fallback_units
from chuangwen.territory.models import TerritoryNode

from ..choices import Status
from ..models import Case
from .lists import case_queryset


def _ancestor_paths(path: str) -> list[str]:
    codes = [c for c in path.split("/") if c]
    return ["".join(f"{c}/" for c in codes[: i + 1]) for i in range(len(codes))]


def route_for(category, node):
    """(unit, rule) for a case of the category at the territory node, as ``choose_unit``
    decides it from the rules that may apply there and, when none does, the territory's
    own units (属地兜底).

    ``node`` is a TerritoryNode or the routing index's Link (id and path are enough)."""
    categories = [category.pk] + ([category.parent_id] if category.parent_id else [])
    rules = list(
        RoutingRule.objects.filter(is_active=True, unit__is_active=True)
        .filter(Q(category_id__in=categories) | Q(category__isnull=True))
        .filter(Q(territory__isnull=True) | Q(territory__path__in=_ancestor_paths(node.path)))
        .select_related("unit", "territory")
    )
    owner, fallback = None, {}
    if not rules:  # the fallback is read only when it will be needed
        if not isinstance(node, TerritoryNode):
            node = TerritoryNode.objects.only("id", "path", "owner_unit").get(pk=node.id)
        owner = node.owner_unit if node.owner_unit_id else None
        fallback = {} if owner else fallback_units(node.path.strip("/").split("/"))
    return choose_unit(
        category=category, path=node.path, rules=rules, owner=owner, fallback=fallback
    )


def case_for_idempotency_key(*, user, key: str) -> Case | None:
    """The case a retried submission already created, if any."""
    if not key or user is None:
        return None
    return Case.objects.filter(created_by=user, idempotency_key=key).order_by("pk").first()


def case_for_existing_ticket(*, source: str, external_id: str) -> Case | None:
    """The case a source's ticket already became (a re-import, a retried Open311 POST)."""
    if not external_id:
        return None
    # The empty-number exclusion matches the partial unique index, which the query uses.
    found = Case.objects.filter(source=source, external_id=external_id).exclude(external_id="")
    return found.order_by("pk").first()


@dataclass(frozen=True)
class PublicCandidate:
    """What the portal may say of an open case near a citizen's report: how far, of
    which kind (the category the citizen chose) and how far along, and the id to
    follow it by; never its code, text, address or time."""

    id: int
    distance_m: float
    status: str

    @property
    def status_label(self) -> str:
        return str(Status(self.status).label)


def duplicate_candidates(
    *, user, category, lat, lng, exclude_id: int | None = None, limit: int = 5
) -> list:
    """Open cases a report at (lat, lng) probably repeats; ``category`` is a 小类 code or
    a standard code. Staff (``user``) get the cases of their scope; the public
    (``user=None``) gets ``PublicCandidate`` rows of any case. Nothing (not an error)
    when the input does not name a place and a category yet: the form asks before the
    report is complete."""
    from ..duplicates import find_duplicates

    code = (category or "").split("-")[0].strip()
    try:
        lat, lng = float(lat), float(lng)
    except (TypeError, ValueError):
        return []
    # Not a place on Earth (inf, nan, 1e999 from a hand-made URL): nothing is near it.
    if not (-90 <= lat <= 90 and -180 <= lng <= 180):
        return []
    found = Category.objects.filter(code=code, parent__isnull=False, is_active=True).first()
    if found is None:
        return []
    within = None if user is None else case_queryset(user)
    rows = find_duplicates(
        category=found, lat=lat, lng=lng, exclude_id=exclude_id, limit=limit, within=within
    )
    if user is None:
        return [PublicCandidate(r.id, r.distance_m, r.status) for r in rows]
    return rows


def case_id_for_code(*, user, code: str) -> int:
    """The id of a case the user can see, by its code (what an operator types in)."""
    found = case_queryset(user).filter(code=code.strip().upper()).values_list("pk", flat=True)
    pk = found.order_by().first()
    if pk is None:
        from chuangwen.core.errors import ServiceError

        raise ServiceError(f"未找到编号为 {code} 的案件。", field="into_code")
    return pk
