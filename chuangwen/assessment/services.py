"""Every write of the assessment: schemes, entered figures, publications and appeals. Each
runs in one transaction with its audit row.

A publication freezes the draft lines into Result rows; from then on the only thing that
moves a published result is an appeal decision, which adds the granted points beside
the frozen total, re-ranks the publication and keeps the before/after on the appeal."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.urls import reverse

from chuangwen.core import clock
from chuangwen.core.audit import audit
from chuangwen.core.errors import ConflictError, PermissionDeniedError, ServiceError
from chuangwen.core.validation import check_version, clean_text
from chuangwen.notifications.services import notify
from chuangwen.org.choices import UnitKind
from chuangwen.org.models import Unit

from . import indicators, periods, scoring, selectors
from .choices import (
    DECIDED_APPEALS,
    ENTERED_KINDS,
    AppealStatus,
    ComponentKind,
    PublicationStatus,
    Rule,
    SubjectType,
)
from .models import Appeal, EnteredFigure, Publication, Result, Scheme, SchemeComponent
from .permissions import configures_schemes, manages_assessment, may_appeal

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


# -- helpers -------------------------------------------------------------------------------
def _actor(actor):
    return actor if getattr(actor, "pk", None) else None


def _decimal(value, *, field: str, label: str, places: int = 2) -> Decimal:
    if isinstance(value, float):
        value = str(value)
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError, TypeError):
        raise ServiceError(f"{label}须为数字。", field=field) from None
    if not number.is_finite():
        raise ServiceError(f"{label}须为数字。", field=field)
    if number != number.quantize(Decimal(1).scaleb(-places)):
        raise ServiceError(f"{label}最多保留 {places} 位小数。", field=field)
    return number.quantize(Decimal(1).scaleb(-places))


def _subject_type(value) -> str:
    if value not in SubjectType.values:
        raise ServiceError("请选择考评对象类型。", field="subject_type")
    return value


def _office_units() -> list[Unit]:
    return list(Unit.objects.filter(kind=UnitKind.CITY_OFFICE, is_active=True))


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
    *, subject_type: str, name: str, note: str = "", components: Sequence[Mapping], actor
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


# -- entered figures -----------------------------------------------------------------------
def _entry_period(period_key, subject_type: str) -> periods.Period:
    period = periods.parse(period_key)
    if period.start > clock.now():
        raise ServiceError("该周期尚未开始,不能录入数据。", field="period")
    if selectors.published(period.key, subject_type) is not None:
        raise ConflictError(f"{period.label}的结果已发布,修改录入数据须先撤回发布。")
    return period


def _enter(*, period, subject_type, subject_id, kind, value, note, actor, now) -> EnteredFigure:
    old = (
        EnteredFigure.objects.select_for_update()
        .filter(period_key=period.key, subject_type=subject_type, subject_id=subject_id, kind=kind)
        .first()
    )
    before = None if old is None else str(old.value)
    figure = old or EnteredFigure(
        period_key=period.key, subject_type=subject_type, subject_id=subject_id, kind=kind
    )
    figure.value = value
    figure.note = note
    figure.entered_by = _actor(actor)
    figure.entered_at = now
    figure.save()
    audit(
        actor=actor,
        action="assessment.figure_enter",
        obj=figure,
        summary=f"{period.label} {ComponentKind(kind).label} {subject_type}:{subject_id} = {value}%",
        data={"before": before, "after": str(value), "note": note},
    )
    return figure


def _entry(kind, value, note) -> tuple[str, Decimal, str]:
    if kind not in ENTERED_KINDS:
        raise ServiceError("只能录入群众满意度调查和网申材料完整率。", field="kind")
    value = _decimal(value, field="value", label="数值")
    if not Decimal(0) <= value <= 100:
        raise ServiceError("数值应在 0 到 100 之间(百分比)。", field="value")
    return kind, value, clean_text(note, field="note", label="来源说明", limit=200)


def figure_enter(
    *, period_key, subject_type: str, subject_id, kind: str, value, note: str = "", actor
) -> EnteredFigure:
    """Enter (or correct) the survey or material figure of one subject for a period."""
    if not manages_assessment(actor):
        raise PermissionDeniedError("只有市创文办可以录入考评数据。")
    subject_type = _subject_type(subject_type)
    kind, value, note = _entry(kind, value, note)
    if str(subject_id).strip() not in {str(s.id) for s in indicators.subjects(subject_type)}:
        raise ServiceError("考评对象不存在。", field="subject")
    with transaction.atomic():
        period = _entry_period(period_key, subject_type)
        return _enter(
            period=period,
            subject_type=subject_type,
            subject_id=int(subject_id),
            kind=kind,
            value=value,
            note=note,
            actor=actor,
            now=clock.now(),
        )


def figures_enter(
    *, period_key, subject_type: str, kind: str, values: Mapping, note: str = "", actor
) -> list[EnteredFigure]:
    """Enter one kind of figure for many subjects at once (subject id → value): the
    survey agency's or the materials review's whole table, all or nothing, as one
    audited write."""
    if not manages_assessment(actor):
        raise PermissionDeniedError("只有市创文办可以录入考评数据。")
    subject_type = _subject_type(subject_type)
    known = {str(s.id): s for s in indicators.subjects(subject_type)}
    wanted: dict[int, Decimal] = {}
    text = ""
    for subject_id, value in values.items():
        subject = known.get(str(subject_id).strip())
        if subject is None:
            raise ServiceError(f"考评对象 {subject_id} 不存在。", field="subject")
        try:
            kind, wanted[subject.id], text = _entry(kind, value, note)
        except ServiceError as error:
            raise ServiceError(f"{subject.name}:{error.message}", field=error.field) from None
    if not wanted:
        raise ServiceError("没有要录入的数据。", field="values")
    with transaction.atomic():
        period = _entry_period(period_key, subject_type)
        now = clock.now()
        existing = {
            f.subject_id: f
            for f in EnteredFigure.objects.select_for_update().filter(
                period_key=period.key,
                subject_type=subject_type,
                kind=kind,
                subject_id__in=list(wanted),
            )
        }
        changes = {}
        fresh, changed = [], []
        for subject_id, value in wanted.items():
            figure = existing.get(subject_id)
            changes[subject_id] = [None if figure is None else str(figure.value), str(value)]
            if figure is None:
                figure = EnteredFigure(
                    period_key=period.key,
                    subject_type=subject_type,
                    subject_id=subject_id,
                    kind=kind,
                )
                fresh.append(figure)
            else:
                changed.append(figure)
            figure.value, figure.note = value, text
            figure.entered_by, figure.entered_at = _actor(actor), now
        EnteredFigure.objects.bulk_create(fresh)
        EnteredFigure.objects.bulk_update(changed, ["value", "note", "entered_by", "entered_at"])
        audit(
            actor=actor,
            action="assessment.figures_enter",
            object_type="assessment.enteredfigure",
            object_id=f"{period.key}/{subject_type}/{kind}",
            summary=(
                f"{period.label} {SubjectType(subject_type).label}{ComponentKind(kind).label}"
                f"批量录入 {len(wanted)} 个对象"
            ),
            data={"note": text, "values": changes},
        )
    return [*fresh, *changed]


# -- publication ---------------------------------------------------------------------------
def publication_publish(*, period_key, subject_type: str, actor, note: str = "") -> Publication:
    """Freeze the period's draft into published results. One standing publication per
    period and subject type: publishing again needs the first withdrawn."""
    if not manages_assessment(actor):
        raise PermissionDeniedError("只有市创文办可以发布考评结果。")
    subject_type = _subject_type(subject_type)
    period = periods.parse(period_key)
    note = clean_text(note, field="note", label="发布说明", limit=500)
    now = clock.now()
    if period.end > now:
        raise ServiceError(f"{period.label}尚未结束,不能发布。", field="period")
    label = SubjectType(subject_type).label
    try:
        with transaction.atomic():
            scheme = (
                Scheme.objects.select_for_update()
                .filter(subject_type=subject_type, is_current=True)
                .first()
            )
            if scheme is None:
                raise ServiceError(f"尚未制定{label}考评方案,不能发布。", field="subject_type")
            if selectors.published(period.key, subject_type) is not None:
                raise ConflictError(f"{period.label}{label}考评结果已发布;如需重新发布,请先撤回。")
            scheme = selectors.scheme_get(scheme.pk)
            missing = selectors.missing_figures(
                period_key=period.key, subject_type=subject_type, scheme=scheme
            )
            if missing:
                parts = [
                    f"{ComponentKind(kind).label} {len(subjects)} 个(如{subjects[0].name})"
                    for kind, subjects in missing.items()
                ]
                raise ConflictError(f"尚有对象未录入数据:{';'.join(parts)}。请录入后再发布。")
            lines = selectors.draft_lines(
                period=period, subject_type=subject_type, as_of=now, scheme=scheme
            )
            if not lines:
                raise ServiceError(f"没有可考评的{label}。", field="subject_type")
            publication = Publication.objects.create(
                period_key=period.key,
                period_kind=period.kind,
                subject_type=subject_type,
                scheme=scheme,
                computed_at=now,
                published_by=_actor(actor),
                published_at=now,
                note=note,
            )
            Result.objects.bulk_create(
                Result(
                    publication=publication,
                    subject_id=line.subject_id,
                    subject_code=line.subject_code[:40],
                    subject_name=line.subject_name[:120],
                    territory_path=line.territory_path or "",
                    unit_id=line.unit_id,
                    indicators=line.indicators,
                    components=[c.as_json() for c in line.components],
                    total=line.total,
                    rank=line.rank,
                    previous_rank=line.previous_rank,
                    final_total=line.total,
                    final_rank=line.rank,
                )
                for line in lines
            )
            audit(
                actor=actor,
                action="assessment.publish",
                obj=publication,
                summary=f"发布{period.label}{label}考评结果({len(lines)} 个对象)",
                data={
                    "period": period.key,
                    "subject_type": subject_type,
                    "scheme": scheme.pk,
                    "scheme_version": scheme.version,
                    "computed_at": now.isoformat(),
                    "first": lines[0].subject_name,
                },
            )
    except IntegrityError:
        raise ConflictError(f"{period.label}{label}考评结果刚被他人发布。") from None
    return publication


def publication_withdraw(*, publication_id, actor, reason: str) -> Publication:
    """Take a publication back (a wrong figure, a late correction): its results stay on
    record under the withdrawn publication, and the period can be published again."""
    if not manages_assessment(actor):
        raise PermissionDeniedError("只有市创文办可以撤回考评结果。")
    reason = clean_text(reason, field="reason", label="撤回理由", limit=500, required=True)
    with transaction.atomic():
        publication = (
            Publication.objects.select_for_update().filter(pk=publication_id).order_by("pk").first()
        )
        if publication is None:
            raise ServiceError("考评结果发布不存在。")
        if publication.status != PublicationStatus.PUBLISHED:
            raise ConflictError("该发布已撤回。")
        pending = Appeal.objects.filter(
            result__publication=publication, status=AppealStatus.PENDING
        ).count()
        if pending:
            raise ConflictError(f"该发布尚有 {pending} 件申诉待审核,请审核后再撤回。")
        now = clock.now()
        publication.status = PublicationStatus.WITHDRAWN
        publication.withdrawn_by = _actor(actor)
        publication.withdrawn_at = now
        publication.withdraw_reason = reason
        publication.save()
        period = periods.parse(publication.period_key)
        audit(
            actor=actor,
            action="assessment.withdraw",
            obj=publication,
            summary=f"撤回{period.label}{publication.get_subject_type_display()}考评结果:{reason}",
            data={"reason": reason},
        )
    return publication


# -- appeals -------------------------------------------------------------------------------
def _component_of(result: Result, position) -> scoring.ComponentScore:
    try:
        wanted = int(position)
    except (TypeError, ValueError):
        wanted = None
    for component in selectors.result_components(result):
        if component.position == wanted:
            return component
    raise ServiceError("请选择要申诉的计分项。", field="component_position")


def appeal_file(*, result_id, component_position, requested_points, reason: str, actor) -> Appeal:
    """申诉 against the points lost on one component of a published result, asking for
    at most what was lost there (less what earlier appeals already restored)."""
    reason = clean_text(reason, field="reason", label="申诉理由", limit=2000, required=True)
    requested = _decimal(requested_points, field="requested_points", label="申请恢复分值")
    if requested <= 0:
        raise ServiceError("申请恢复分值须大于 0。", field="requested_points")
    with transaction.atomic():
        rows = Result.objects.all() if actor is None else Result.objects.scoped_for(actor)
        publication_id = rows.filter(pk=result_id).values_list("publication_id", flat=True).first()
        if publication_id is None:
            raise ServiceError("考评结果不存在。")
        # The publication's row first, as publication_withdraw locks it: a withdrawal
        # under way makes this appeal wait and then see it withdrawn, and a withdrawal
        # asked for meanwhile waits for this appeal and then finds it pending.
        publication = Publication.objects.select_for_update().get(pk=publication_id)
        result = rows.select_for_update(of=("self",)).filter(pk=result_id).order_by("pk").first()
        result.publication = publication
        if not may_appeal(actor, result):
            raise PermissionDeniedError("只有被考评对象可以对本结果提出申诉。")
        if publication.status != PublicationStatus.PUBLISHED:
            raise ConflictError("该考评结果已撤回,不能申诉;重新发布后可对新的结果申诉。")
        component = _component_of(result, component_position)
        if component.lost <= 0:
            raise ServiceError(f"“{component.label}”未失分,无需申诉。", field="component_position")
        earlier = result.appeals.filter(component_position=component.position)
        if earlier.filter(status=AppealStatus.PENDING).exists():
            raise ConflictError(f"“{component.label}”已有待审核的申诉。")
        restored = sum(
            earlier.filter(status__in=DECIDED_APPEALS).values_list("granted_points", flat=True),
            Decimal(0),
        )
        open_points = component.lost - restored
        if open_points <= 0:
            raise ServiceError(
                f"“{component.label}”失分已全部经申诉恢复。", field="component_position"
            )
        if requested > open_points:
            what = "尚未恢复的失分" if restored else "失分"
            raise ServiceError(
                f"申请恢复分值不能超过该项{what} {scoring.number_text(open_points)} 分。",
                field="requested_points",
            )
        appeal = Appeal.objects.create(
            result=result,
            component_position=component.position,
            component_label=component.label[:60],
            requested_points=requested,
            reason=reason,
            filed_by=_actor(actor),
            filed_at=clock.now(),
        )
        period = periods.parse(result.publication.period_key)
        audit(
            actor=actor,
            action="assessment.appeal_file",
            obj=appeal,
            summary=(
                f"{result.subject_name} 对{period.label}“{component.label}”申诉,"
                f"申请恢复 {scoring.number_text(requested)} 分"
            ),
            data={"result": result.pk, "position": component.position, "requested": str(requested)},
        )
        notify(
            units=_office_units(),
            title=f"考评申诉:{result.subject_name}",
            body=f"{period.label}“{component.label}”申请恢复 {scoring.number_text(requested)} 分:{reason[:100]}",
            url=f"{reverse('assessment:appeal_list')}?status={AppealStatus.PENDING}",
            kind="assessment.appeal_filed",
        )
    return appeal


def appeal_decide(
    *, appeal_id, actor, status: str, granted_points=None, note: str = "", version=None
) -> Appeal:
    """The office's review: accepted restores the requested points, partial some of them
    (more than 0, less than requested), rejected none. The result's final total and the
    publication's final ranks follow; the appeal keeps the before and after."""
    if not manages_assessment(actor):
        raise PermissionDeniedError("只有市创文办可以审核申诉。")
    if status not in DECIDED_APPEALS:
        raise ServiceError("请选择审核结论。", field="status")
    note = clean_text(
        note,
        field="note",
        label="审核意见",
        limit=2000,
        required=status in (AppealStatus.PARTIAL, AppealStatus.REJECTED),
    )
    with transaction.atomic():
        appeal = (
            Appeal.objects.select_for_update(of=("self",))
            .select_related("result", "result__publication")
            .filter(pk=appeal_id)
            .order_by("pk")
            .first()
        )
        if appeal is None:
            raise ServiceError("申诉不存在。")
        check_version(appeal, version)
        if appeal.status != AppealStatus.PENDING:
            raise ConflictError(f"该申诉已审核({appeal.get_status_display()})。")
        publication = appeal.result.publication
        if publication.status != PublicationStatus.PUBLISHED:
            raise ConflictError("该考评结果已撤回,不能审核申诉。")
        if status == AppealStatus.ACCEPTED:
            granted = appeal.requested_points
        elif status == AppealStatus.REJECTED:
            granted = Decimal("0.00")
        else:
            if granted_points in (None, ""):
                raise ServiceError("部分采纳须填写核准恢复分值。", field="granted_points")
            granted = _decimal(granted_points, field="granted_points", label="核准恢复分值")
            if not Decimal(0) < granted < appeal.requested_points:
                raise ServiceError(
                    f"部分采纳的核准分值应大于 0 且小于申请的 "
                    f"{scoring.number_text(appeal.requested_points)} 分。",
                    field="granted_points",
                )
        results = list(
            Result.objects.select_for_update().filter(publication=publication).order_by("pk")
        )
        subject = next(r for r in results if r.pk == appeal.result_id)
        appeal.total_before, appeal.rank_before = subject.final_total, subject.final_rank
        subject.adjustment += granted
        subject.final_total = subject.total + subject.adjustment
        ranks = scoring.competition_ranks((r.pk, r.final_total, r.subject_code) for r in results)
        moved = []
        for row in results:
            if row.final_rank != ranks[row.pk] or row is subject:
                row.final_rank = ranks[row.pk]
                moved.append(row)
        Result.objects.bulk_update(moved, ["adjustment", "final_total", "final_rank"])
        now = clock.now()
        appeal.status = status
        appeal.granted_points = granted
        appeal.decided_by = _actor(actor)
        appeal.decided_at = now
        appeal.decision_note = note
        appeal.total_after, appeal.rank_after = subject.final_total, subject.final_rank
        appeal.version += 1
        appeal.save()
        audit(
            actor=actor,
            action="assessment.appeal_decide",
            obj=appeal,
            summary=(
                f"{subject.subject_name}“{appeal.component_label}”申诉"
                f"{AppealStatus(status).label},恢复 {scoring.number_text(granted)} 分,"
                f"名次 {appeal.rank_before} → {appeal.rank_after}"
            ),
            data={
                "status": status,
                "granted": str(granted),
                "total_before": str(appeal.total_before),
                "total_after": str(appeal.total_after),
                "rank_before": appeal.rank_before,
                "rank_after": appeal.rank_after,
                "reranked": [r.pk for r in moved if r is not subject],
            },
        )
        if appeal.filed_by_id:
            notify(
                users=[appeal.filed_by_id],
                title=f"申诉审核结果:{AppealStatus(status).label}",
                body=(
                    f"“{appeal.component_label}”核准恢复 {scoring.number_text(granted)} 分,"
                    f"最终得分 {scoring.number_text(subject.final_total)},"
                    f"名次 {subject.final_rank}。{note}"
                ),
                url=reverse("assessment:result_detail", kwargs={"pk": subject.pk}),
                kind="assessment.appeal_decided",
            )
    return appeal
