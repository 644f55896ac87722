"""Writes of scoring schemes (考评方案) and their components."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal

from django.db import IntegrityError, transaction

from chuangwen.core import clock
from chuangwen.core.audit import audit
from chuangwen.core.errors import ConflictError, PermissionDeniedError, ServiceError
from chuangwen.core.types import Actor
from chuangwen.core.validation import clean_text

from .. import indicators, scoring, selectors
from ..choices import (
    ComponentKind,
    Rule,
    SubjectType,
)
from ..models import Scheme, SchemeComponent
from ..permissions import configures_schemes
from .common import _actor, _decimal, _subject_type

MAX_COMPONENTS = 20
MAX_COMPONENT_POINTS = Decimal(100)
MAX_SCHEME_POINTS = Decimal(1000)
MAX_STEP = Decimal(100)
# LOWER_BETTER targets that are counts or hours: what the target field can hold.
MAX_COUNT_TARGET = Decimal("999999.99")
# Rules each source may use: rates take a threshold or a proportion, counts and other
# lower-is-better figures a ceiling, penalties are deducted.
RATE_RULES = (Rule.THRESHOLD, Rule.PROPORTIONAL)
KIND_RULES = {
    ComponentKind.INSPECTION: RATE_RULES,
    ComponentKind.SURVEY: RATE_RULES,
    ComponentKind.MATERIAL: RATE_RULES,
    ComponentKind.PENALTY: (Rule.DEDUCTION,),
}
# Field staff have no points, surveys, materials or accountability records of their own.
KINDS_FOR = {
    SubjectType.STAFF: (ComponentKind.CASE_INDICATOR,),
}


# -- schemes -------------------------------------------------------------------------------
def _component(i: int, data: Mapping, subject_type: str) -> SchemeComponent:
    where = f"第 {i} 项"
    kind = data.get("kind")
    if kind not in ComponentKind.values:
        raise ServiceError(f"{where}:请选择数据来源。", field="components")
    if kind not in KINDS_FOR.get(subject_type, ComponentKind.values):
        raise ServiceError(
            f"{where}:{SubjectType(subject_type).label}不能使用“{ComponentKind(kind).label}”。",
            field="components",
        )
    rule = data.get("rule")
    if rule not in Rule.values:
        raise ServiceError(f"{where}:请选择计分规则。", field="components")
    code = str(data.get("indicator") or "").strip()
    unit = "%"
    higher_is_better = True
    default_label = ComponentKind(kind).label
    if kind == ComponentKind.CASE_INDICATOR:
        indicator = indicators.BY_CODE.get(code)
        if indicator is None:
            raise ServiceError(f"{where}:案件指标“{code}”不存在。", field="components")
        if subject_type not in indicator.subjects:
            raise ServiceError(
                f"{where}:{SubjectType(subject_type).label}没有“{indicator.name}”这一指标。",
                field="components",
            )
        unit, higher_is_better, default_label = (
            indicator.unit,
            indicator.higher_is_better,
            indicator.name,
        )
        allowed = (
            RATE_RULES
            if higher_is_better and unit == "%"
            else ()
            if higher_is_better
            else (Rule.LOWER_BETTER,)
        )
        if not allowed:
            raise ServiceError(
                f"{where}:“{indicator.name}”是计数指标,不能单独计分,请改用对应的比率指标。",
                field="components",
            )
    else:
        code = ""
        allowed = KIND_RULES[kind]
    if rule not in allowed:
        names = "、".join(str(Rule(r).label) for r in allowed)
        raise ServiceError(
            f"{where}:“{default_label}”只能使用以下计分规则:{names}。", field="components"
        )
    label = clean_text(
        data.get("label") or default_label, field="components", label=f"{where}名称", limit=60
    )
    most = _decimal(data.get("max_points"), field="components", label=f"{where}分值", places=1)
    if not Decimal(0) < most <= MAX_COMPONENT_POINTS:
        raise ServiceError(f"{where}:分值应大于 0 且不超过 100 分。", field="components")
    target = step = None
    if rule in (Rule.THRESHOLD, Rule.LOWER_BETTER):
        if data.get("target") in (None, ""):
            raise ServiceError(f"{where}:请填写目标值。", field="components")
        if data.get("step") in (None, ""):
            raise ServiceError(f"{where}:请填写扣分步长。", field="components")
        target = _decimal(data.get("target"), field="components", label=f"{where}目标值")
        step = _decimal(data.get("step"), field="components", label=f"{where}扣分步长")
        if not Decimal(0) < step <= MAX_STEP:
            raise ServiceError(f"{where}:扣分步长应大于 0 且不超过 100 分。", field="components")
        if rule == Rule.THRESHOLD and not Decimal(0) < target <= 100:
            raise ServiceError(f"{where}:达标率应大于 0% 且不超过 100%。", field="components")
        ceiling = Decimal(100) if unit == "%" else MAX_COUNT_TARGET
        if rule == Rule.LOWER_BETTER and not Decimal(0) <= target <= ceiling:
            raise ServiceError(
                f"{where}:目标值应在 0 到 {scoring.number_text(ceiling)} 之间。",
                field="components",
            )
    return SchemeComponent(
        position=i,
        kind=kind,
        indicator=code,
        label=label,
        max_points=most,
        rule=rule,
        target=target,
        step=step,
    )


def _components(subject_type: str, components: Sequence[Mapping]) -> list[SchemeComponent]:
    if not components:
        raise ServiceError("考评方案至少要有一个计分项。", field="components")
    if len(components) > MAX_COMPONENTS:
        raise ServiceError(f"考评方案最多 {MAX_COMPONENTS} 个计分项。", field="components")
    parsed = [_component(i, data, subject_type) for i, data in enumerate(components, start=1)]
    seen: set[tuple[str, str]] = set()
    for item in parsed:
        key = (item.kind, item.indicator)
        if key in seen:
            what = item.label if item.indicator else ComponentKind(item.kind).label
            raise ServiceError(f"“{what}”在方案中重复出现。", field="components")
        seen.add(key)
    if sum(c.max_points for c in parsed) > MAX_SCHEME_POINTS:
        raise ServiceError("考评方案总分不能超过 1000 分。", field="components")
    return parsed


def scheme_save(
    *, subject_type: str, name: str, note: str = "", components: Sequence[Mapping], actor: Actor
) -> Scheme:
    """A new version of the subject type's scheme, which becomes the current one. Older
    versions stay as they were: publications keep pointing at the one they used."""
    if not configures_schemes(actor):
        raise PermissionDeniedError("只有市创文办系统管理员可以制定考评方案。")
    subject_type = _subject_type(subject_type)
    name = clean_text(name, field="name", label="方案名称", limit=100, required=True)
    note = clean_text(note, field="note", label="说明", limit=2000)
    parsed = _components(subject_type, components)
    try:
        with transaction.atomic():
            versions = list(
                Scheme.objects.select_for_update()
                .filter(subject_type=subject_type)
                .order_by("-version")
                .values_list("version", flat=True)
            )
            previous = Scheme.objects.filter(subject_type=subject_type, is_current=True).first()
            Scheme.objects.filter(subject_type=subject_type, is_current=True).update(
                is_current=False
            )
            scheme = Scheme.objects.create(
                subject_type=subject_type,
                version=(versions[0] if versions else 0) + 1,
                name=name,
                note=note,
                is_current=True,
                created_by=_actor(actor),
                created_at=clock.now(),
            )
            for component in parsed:
                component.scheme = scheme
            SchemeComponent.objects.bulk_create(parsed)
            audit(
                actor=actor,
                action="assessment.scheme_save",
                obj=scheme,
                summary=f"{SubjectType(subject_type).label}考评方案 {name} 第 {scheme.version} 版",
                data={
                    "previous": previous.pk if previous else None,
                    "components": [
                        {
                            "kind": c.kind,
                            "indicator": c.indicator,
                            "label": c.label,
                            "max_points": str(c.max_points),
                            "rule": c.rule,
                            "target": None if c.target is None else str(c.target),
                            "step": None if c.step is None else str(c.step),
                        }
                        for c in parsed
                    ],
                },
            )
    except IntegrityError:
        raise ConflictError("方案刚被他人修改,请刷新后重试。") from None
    return selectors.scheme_get(scheme.pk)
