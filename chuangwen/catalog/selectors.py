"""Every read of the catalogue: the tree of the pickers and the catalogue page, the list
the API serves and the citizen form's groups. The catalogue names no place and no
person, so every signed-in user reads all of it."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Prefetch, Q

from .checks import clean_code
from .models import CaseStandard, Category, PublicGroup


# -- reads -------------------------------------------------------------------------------
def _active_standards() -> Prefetch:
    return Prefetch(
        "standards",
        queryset=CaseStandard.objects.filter(is_active=True).order_by("position", "code"),
        to_attr="active_standards",
    )


@dataclass
class MajorNode:
    category: Category
    minors: list[Category] = field(default_factory=list)


def category_tree(*, search: str = "", kind: str | None = None) -> list[MajorNode]:
    """Active 大类 → 小类 → standards (each 小类 carries ``active_standards``), for pickers
    and the catalogue page. ``search`` matches codes, names and conditions; a matching
    大类 keeps all its 小类."""
    search = (search or "").strip()
    minors_qs = (
        Category.objects.filter(parent__isnull=False, is_active=True, parent__is_active=True)
        .prefetch_related(_active_standards())
        .order_by("position", "code")
    )
    majors_qs = Category.objects.filter(parent__isnull=True, is_active=True)
    if kind:
        minors_qs = minors_qs.filter(kind=kind)
        majors_qs = majors_qs.filter(kind=kind)
    tree = {m.pk: MajorNode(category=m) for m in majors_qs.order_by("position", "code")}
    matching_majors: set[int] = set()
    if search:
        code = search.upper()
        matching_majors = {
            pk
            for pk, node in tree.items()
            if search in node.category.name or node.category.code == code
        }
        minors_qs = minors_qs.filter(
            Q(parent_id__in=matching_majors)
            | Q(code__startswith=code)
            | Q(name__icontains=search)
            | Q(standards__code__startswith=code, standards__is_active=True)
            | Q(standards__condition__icontains=search, standards__is_active=True)
        ).distinct()
    for minor in minors_qs:
        if minor.parent_id in tree:
            tree[minor.parent_id].minors.append(minor)
    return [node for pk, node in tree.items() if not search or node.minors or pk in matching_majors]


def category_list_for_api(
    *, kind: str | None = None, parent: str | None = None, q: str = ""
) -> list[Category]:
    """Active categories in code order, 大类 and 小类 together; each carries
    ``active_standards`` (the first is the default) and its parent. Two queries."""
    qs = (
        Category.objects.filter(is_active=True)
        .filter(Q(parent__isnull=True) | Q(parent__is_active=True))
        .select_related("parent")
        .prefetch_related(_active_standards())
        .order_by("code")
    )
    if kind:
        qs = qs.filter(kind=kind)
    if parent:
        qs = qs.filter(parent__code=clean_code(parent))
    if q and q.strip():
        qs = qs.filter(name__icontains=q.strip())
    return list(qs)


# -- the report form's category picker -------------------------------------------------------
@dataclass(frozen=True)
class PickerOption:
    code: str
    name: str
    search: str  # the words the search box matches: names and 立案条件


@dataclass
class PickerGroup:
    name: str
    hint: str
    options: list[PickerOption] = field(default_factory=list)


def _option(minor: Category, major_name: str, group_name: str) -> PickerOption:
    conditions = " ".join(s.condition for s in minor.active_standards)
    words = f"{minor.name} {major_name} {group_name} {conditions} {minor.code}"
    return PickerOption(code=minor.code, name=minor.name, search=words.lower())


def picker_groups() -> list[PickerGroup]:
    """The plain-language groups of the form with the 小类 a citizen may report (active,
    with an active standard). Without groups configured, the 大类 of the catalogue."""
    standards = Prefetch(
        "standards",
        queryset=CaseStandard.objects.filter(is_active=True).order_by("position", "code"),
        to_attr="active_standards",
    )
    minors = (
        Category.objects.filter(is_active=True, parent__is_active=True, parent__isnull=False)
        .select_related("parent")
        .prefetch_related(standards)
        .order_by("position", "code")
    )
    groups = list(
        PublicGroup.objects.prefetch_related(Prefetch("categories", queryset=minors)).order_by(
            "position", "name"
        )
    )
    result = []
    for group in groups:
        options = [
            _option(minor, minor.parent.name, group.name)
            for minor in group.categories.all()
            if minor.active_standards
        ]
        if options:
            result.append(PickerGroup(group.name, group.hint, options))
    if result:
        return result
    for major in category_tree():
        options = [
            _option(minor, major.category.name, "")
            for minor in major.minors
            if minor.active_standards
        ]
        if options:
            result.append(PickerGroup(major.category.name, major.category.description, options))
    return result


def minor_by_code(code: str) -> Category | None:
    """A 小类 (active or not) by its code, with its 大类."""
    return (
        Category.objects.select_related("parent")
        .filter(code=clean_code(code), parent__isnull=False)
        .first()
    )
