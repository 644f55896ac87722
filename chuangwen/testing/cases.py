"""A small case catalogue and a few units on top of the mini city, for case tests.

B0102 污水井盖   B0102-01 井盖缺失、移位 → 2 emergency hours (default)
                 B0102-02 井盖破损 → 4 working hours
E0102 暴露垃圾   E0102-01 → 4 working hours
E0502 占道经营   E0502-01 → 2 emergency hours
W0101 乱扔垃圾   W0101-01 → 1 working day

rules: B0102 anywhere → 水务集团 (auto); E0102 in 茅箭区 → 茅箭区政府 (auto);
       E05 (大类) anywhere → 城管执法委 (suggestion only); W0101: none (属地兜底)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from chuangwen.cases import services
from chuangwen.cases.choices import PhotoKind, Status
from chuangwen.cases.models import CasePhoto
from chuangwen.catalog.choices import CategoryKind
from chuangwen.catalog.models import CaseStandard, Category, RoutingRule
from chuangwen.core import clock
from chuangwen.core.workcalendar import TimeType
from chuangwen.org.choices import UnitKind
from chuangwen.org.services import unit_create

from .city import MiniCity

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(*args) -> datetime:
    """A moment in the city's local time: at(2026, 11, 2, 9, 0)."""
    return datetime(*args, tzinfo=SHANGHAI)


# Inside 茅箭区, street 420302001, community 001, grid 001 of the mini city (lat, lng).
MAOJIAN = (32.02, 110.02)
ZHANGWAN = (32.02, 110.25)


@dataclass
class Catalogue:
    categories: dict[str, Category]
    standards: dict[str, CaseStandard]
    water: object


def _category(kind, code, name, parent=None):
    return Category.objects.create(kind=kind, code=code, name=name, parent=parent)


def _standard(category, code, condition, time_type, value, unit_kind=""):
    return CaseStandard.objects.create(
        category=category,
        code=code,
        condition=condition,
        time_type=time_type,
        time_value=value,
        close_condition="恢复原状",
        unit_kind=unit_kind,
        position=int(code[-2:]),
    )


def build_catalogue(city: MiniCity) -> Catalogue:
    cats: dict[str, Category] = {}
    cats["B01"] = _category(CategoryKind.COMPONENT, "B01", "公用设施")
    cats["B0102"] = _category(CategoryKind.COMPONENT, "B0102", "污水井盖", cats["B01"])
    cats["E01"] = _category(CategoryKind.EVENT, "E01", "市容环境")
    cats["E0102"] = _category(CategoryKind.EVENT, "E0102", "暴露垃圾", cats["E01"])
    cats["E05"] = _category(CategoryKind.EVENT, "E05", "街面秩序")
    cats["E0502"] = _category(CategoryKind.EVENT, "E0502", "占道经营", cats["E05"])
    cats["W01"] = _category(CategoryKind.CIVILIZED, "W01", "不文明行为")
    cats["W0101"] = _category(CategoryKind.CIVILIZED, "W0101", "乱扔垃圾", cats["W01"])
    std = {
        s.code: s
        for s in (
            _standard(cats["B0102"], "B0102-01", "井盖缺失、移位", TimeType.EMERGENCY_HOURS, 2),
            _standard(cats["B0102"], "B0102-02", "井盖破损", TimeType.WORK_HOURS, 4),
            _standard(cats["E0102"], "E0102-01", "暴露垃圾", TimeType.WORK_HOURS, 4),
            _standard(cats["E0502"], "E0502-01", "占道经营", TimeType.EMERGENCY_HOURS, 2),
            _standard(cats["W0101"], "W0101-01", "乱扔垃圾", TimeType.WORK_DAYS, 1),
        )
    }
    water = unit_create(
        name="市水务集团",
        kind=UnitKind.ENTERPRISE,
        territory=city.node("420300"),
        actor=None,
    )
    city.units["water"] = water
    RoutingRule.objects.create(category=cats["B0102"], unit=water, auto_dispatch=True)
    RoutingRule.objects.create(
        category=cats["E0102"],
        territory=city.node("420302"),
        unit=city.units["420302"],
        auto_dispatch=True,
    )
    RoutingRule.objects.create(category=cats["E05"], unit=city.units["dept"], auto_dispatch=False)
    return Catalogue(categories=cats, standards=std, water=water)


def after_photo(user) -> CasePhoto:
    """An "after" photo row waiting to be attached by ``case_finish`` (no file behind it)."""
    return CasePhoto.objects.create(
        kind=PhotoKind.AFTER,
        sha256="ab" * 32,
        uploaded_by=user,
        image="cases/x.jpg",
        created_at=clock.now(),
    )


def close_case(case, people):
    """Take a case to 结案 as the city would: the operator accepts and dispatches (when it
    waits for that), the water company signs and finishes with an after-photo, the
    collector verifies. ``people`` holds "operator", "water" and "collector"."""
    operator, water = people["operator"], people["water"]
    case.refresh_from_db()
    if case.status == Status.REPORTED:
        services.case_accept(case_id=case.pk, actor=operator)
        services.case_dispatch(case_id=case.pk, actor=operator, unit_id=case.suggested_unit_id)
    services.case_sign(case_id=case.pk, actor=water)
    services.case_finish(case_id=case.pk, actor=water, photo_ids=[after_photo(water).pk])
    return services.case_verify(case_id=case.pk, actor=people["collector"], ok=True)
