"""Create the demo catalogue and routing rules through the catalogue services."""

from __future__ import annotations

from chuangwen.catalog.choices import CategoryKind
from chuangwen.catalog.models import CaseStandard, Category, RoutingRule
from chuangwen.catalog.services import category_create, routing_rule_create, standard_create
from chuangwen.org.choices import UnitKind
from chuangwen.org.models import Unit
from chuangwen.territory.models import TerritoryNode

from .components import COMPONENTS
from .events import CIVILIZED, DUPLICATE_RADIUS, EVENTS
from .rules import MAOJIAN, RULES

FAMILIES = (
    (CategoryKind.COMPONENT, COMPONENTS),
    (CategoryKind.EVENT, EVENTS),
    (CategoryKind.CIVILIZED, CIVILIZED),
)


def load_catalogue(*, stdout) -> bool:
    """Create the demo catalogue; on a database that has categories, change nothing.

    Returns whether anything was created."""
    if Category.objects.exists():
        return False
    majors = minors = standards = 0
    for kind, groups in FAMILIES:
        letter = CategoryKind(kind).value
        for (major_code, major_name), subs in groups.items():
            major = category_create(
                kind=kind, code=f"{letter}{major_code}", name=major_name, actor=None
            )
            majors += 1
            for minor_code, minor_name, rows in subs:
                code = f"{major.code}{minor_code}"
                minor = category_create(
                    kind=kind,
                    code=code,
                    name=minor_name,
                    parent=major,
                    duplicate_radius_m=DUPLICATE_RADIUS.get(code, 50),
                    actor=None,
                )
                minors += 1
                for i, (condition, time_type, value, close, unit_kind) in enumerate(rows, 1):
                    standard_create(
                        category=minor,
                        code=f"{code}-{i:02d}",
                        condition=condition,
                        time_type=time_type,
                        time_value=value,
                        close_condition=close,
                        unit_kind=unit_kind,
                        actor=None,
                    )
                    standards += 1
    stdout.write(f"案件类别:{majors} 个大类,{minors} 个小类,{standards} 条立结案标准")
    return True


def load_routing_rules(*, stdout) -> bool:
    """Create the demo's routing rules; if any rule exists, change nothing.

    Returns whether anything was created."""
    if RoutingRule.objects.exists():
        return False
    categories = {c.code: c for c in Category.objects.all()}
    units = {u.name: u for u in Unit.objects.filter(is_active=True)}
    maojian = TerritoryNode.objects.filter(code=MAOJIAN).first()
    district_gov = Unit.objects.filter(
        kind=UnitKind.DISTRICT_GOVERNMENT, territory__code=MAOJIAN, is_active=True
    ).first()
    made = auto = 0
    skipped = []
    for category_code, territory_code, unit_name, auto_dispatch, note in RULES:
        unit = district_gov if unit_name == MAOJIAN else units.get(unit_name)
        territory = maojian if territory_code else None
        category = categories.get(category_code)
        if unit is None or category is None or (territory_code and territory is None):
            skipped.append(category_code)
            continue
        routing_rule_create(
            category=category,
            territory=territory,
            unit=unit,
            auto_dispatch=auto_dispatch,
            note=note,
            actor=None,
        )
        made += 1
        auto += auto_dispatch
    stdout.write(f"派遣规则:{made} 条(自动派遣 {auto} 条,仅建议 {made - auto} 条)")
    if skipped:
        stdout.write(f"未建派遣规则(缺少单位、属地或类别):{', '.join(skipped)}")
    return bool(made)


def counts() -> dict[str, int]:
    return {
        "majors": Category.objects.filter(parent__isnull=True).count(),
        "minors": Category.objects.filter(parent__isnull=False).count(),
        "standards": CaseStandard.objects.count(),
        "rules": RoutingRule.objects.count(),
    }
