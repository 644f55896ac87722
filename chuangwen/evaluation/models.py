"""测评: frameworks, point types with their checklists, points, rounds and inspections.

A round freezes the checklists it uses (``RoundItem``) when it starts, so editing a
checklist later changes the next round, never a running one. Scores live on the
inspection (computed from its item results when it is submitted) and roll up at read.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from chuangwen.core.models import TimeStampedModel, actor_link
from chuangwen.core.scoping import VIEW, ActionScope, ScopedQuerySet, path_q
from chuangwen.territory.models import chain_link

from .choices import (
    EntryLevel,
    FrameworkKind,
    InspectionStatus,
    Method,
    ReinspectionStatus,
    Result,
    RoundKind,
    RoundStatus,
    SubjectLevel,
)

POINTS = {"max_digits": 7, "decimal_places": 2}


class Framework(TimeStampedModel):
    """One edition of a 测评体系, valid for a three-year cycle."""

    kind = models.CharField(_("类型"), max_length=20, choices=FrameworkKind.choices)
    name = models.CharField(_("名称"), max_length=120)
    cycle_start = models.PositiveSmallIntegerField(_("周期起始年"))
    cycle_end = models.PositiveSmallIntegerField(_("周期结束年"))
    note = models.CharField(_("说明"), max_length=500, blank=True)
    is_current = models.BooleanField(_("现行版本"), default=False)

    class Meta:
        verbose_name = _("测评体系")
        verbose_name_plural = _("测评体系")
        ordering = ["-cycle_start", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "cycle_start"], name="framework_cycle_unique"),
            models.CheckConstraint(
                condition=Q(cycle_end__gte=models.F("cycle_start")), name="framework_cycle_order"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}({self.cycle_start}—{self.cycle_end})"


class FrameworkEntry(models.Model):
    """A dimension, item, indicator or standard of a framework: one tree, four levels."""

    framework = models.ForeignKey(
        Framework, verbose_name=_("测评体系"), on_delete=models.CASCADE, related_name="entries"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="children",
    )
    level = models.CharField(_("层级"), max_length=12, choices=EntryLevel.choices)
    code = models.CharField(_("编号"), max_length=20)
    name = models.CharField(_("条目内容"), max_length=500)
    method = models.CharField(_("测评方法"), max_length=10, choices=Method.choices, blank=True)
    points = models.DecimalField(_("分值"), default=0, **POINTS)
    position = models.PositiveIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("测评体系条目")
        verbose_name_plural = _("测评体系条目")
        ordering = ["framework", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="framework_entry_code")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name[:40]}"


class NegativeItem(models.Model):
    """负面清单: an event that costs the subject concerned points outright."""

    framework = models.ForeignKey(
        Framework, verbose_name=_("测评体系"), on_delete=models.CASCADE, related_name="negatives"
    )
    code = models.CharField(_("编号"), max_length=20)
    text = models.CharField(_("情形"), max_length=500)
    penalty = models.DecimalField(_("扣分"), **POINTS)
    subject_level = models.CharField(
        _("扣分对象"), max_length=12, choices=SubjectLevel.choices, default=SubjectLevel.DISTRICT
    )
    position = models.PositiveIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("负面清单")
        verbose_name_plural = _("负面清单")
        ordering = ["framework", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="negative_item_code")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.text[:40]}"


class PointType(TimeStampedModel):
    code = models.CharField(_("编码"), max_length=12, unique=True)
    name = models.CharField(_("名称"), max_length=40, unique=True)
    description = models.CharField(_("说明"), max_length=300, blank=True)
    position = models.PositiveIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("有效"), default=True)

    class Meta:
        verbose_name = _("点位类型")
        verbose_name_plural = _("点位类型")
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return self.name


class ChecklistItem(TimeStampedModel):
    point_type = models.ForeignKey(
        PointType, verbose_name=_("点位类型"), on_delete=models.CASCADE, related_name="items"
    )
    section = models.CharField(_("分组"), max_length=40, help_text=_("检查页面按分组分屏"))
    position = models.PositiveIntegerField(_("排序"), default=0)
    text = models.CharField(_("检查内容"), max_length=300)
    indicator = models.ForeignKey(
        FrameworkEntry,
        verbose_name=_("对应测评指标"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="checklist_items",
    )
    max_points = models.DecimalField(_("分值"), **POINTS)
    deduction = models.DecimalField(_("每处扣分"), **POINTS)
    category = models.ForeignKey(
        "catalog.Category",
        verbose_name=_("不合格时立案类别"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    evidence_required = models.BooleanField(_("须拍照取证"), default=True)
    na_allowed = models.BooleanField(_("允许不适用"), default=False)
    is_active = models.BooleanField(_("有效"), default=True)

    class Meta:
        verbose_name = _("检查项")
        verbose_name_plural = _("检查项")
        ordering = ["point_type", "position", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(max_points__gt=0), name="checklist_max_positive"),
            models.CheckConstraint(
                condition=Q(deduction__gt=0), name="checklist_deduction_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.point_type} · {self.text[:40]}"


class Point(TimeStampedModel):
    """点位: a place inspectors check, owned by a responsible unit."""

    code = models.CharField(_("编号"), max_length=24, unique=True)
    name = models.CharField(_("名称"), max_length=120)
    point_type = models.ForeignKey(
        PointType, verbose_name=_("点位类型"), on_delete=models.PROTECT, related_name="points"
    )
    address = models.CharField(_("地址"), max_length=200, blank=True)
    lat = models.FloatField(_("纬度"))
    lng = models.FloatField(_("经度"))
    territory = models.ForeignKey(
        "territory.TerritoryNode",
        verbose_name=_("所在属地"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    territory_path = models.CharField(_("属地路径"), max_length=255, db_index=True)
    community = chain_link(_("社区"))
    street = chain_link(_("街道"))
    district = chain_link(_("区县"))
    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("责任单位"), on_delete=models.PROTECT, related_name="+"
    )
    paired_unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("包联单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    is_active = models.BooleanField(_("有效"), default=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("点位")
        verbose_name_plural = _("点位")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @classmethod
    def scope_q(cls, scope: ActionScope, action: str) -> Q:
        return (
            path_q("territory_path", scope.paths)
            | Q(unit_id__in=scope.unit_ids)
            | Q(paired_unit_id__in=scope.unit_ids)
        )


class Round(TimeStampedModel):
    """A 测评轮次: which points are checked, by whom, until when."""

    name = models.CharField(_("名称"), max_length=120)
    kind = models.CharField(_("类型"), max_length=12, choices=RoundKind.choices)
    framework = models.ForeignKey(
        Framework,
        verbose_name=_("测评体系"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="rounds",
    )
    status = models.CharField(
        _("状态"), max_length=10, choices=RoundStatus.choices, default=RoundStatus.DRAFT
    )
    starts_on = models.DateField(_("开始日期"))
    due_on = models.DateField(_("截止日期"))
    seed = models.PositiveIntegerField(_("抽样种子"), default=0)
    checkin_radius_m = models.PositiveIntegerField(_("签到距离(米)"))
    previous = models.ForeignKey(
        "self",
        verbose_name=_("对比轮次"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.CharField(_("说明"), max_length=500, blank=True)
    created_by = actor_link(_("创建人"))
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    version = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("测评轮次")
        verbose_name_plural = _("测评轮次")
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(due_on__gte=models.F("starts_on")), name="round_period_order"
            )
        ]

    def __str__(self) -> str:
        return self.name


class SamplingRule(models.Model):
    """ "30 % of 农贸市场 in each district": drawn with the round's seed, reproducibly."""

    round = models.ForeignKey(
        Round, verbose_name=_("测评轮次"), on_delete=models.CASCADE, related_name="rules"
    )
    point_type = models.ForeignKey(
        PointType, verbose_name=_("点位类型"), on_delete=models.PROTECT, related_name="+"
    )
    percent = models.PositiveSmallIntegerField(_("抽取比例(%)"))
    minimum = models.PositiveSmallIntegerField(_("每组至少"), default=1)
    per = models.CharField(
        _("分组"),
        max_length=12,
        choices=[(SubjectLevel.DISTRICT, _("每个区县")), (SubjectLevel.STREET, _("每个街道"))],
        default=SubjectLevel.DISTRICT,
    )

    class Meta:
        verbose_name = _("抽样规则")
        verbose_name_plural = _("抽样规则")
        ordering = ["round", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(percent__gte=1, percent__lte=100), name="sampling_percent_range"
            )
        ]

    def __str__(self) -> str:
        return f"{self.point_type} {self.percent}%"


class RoundItem(models.Model):
    """A checklist item as it stood when the round started."""

    round = models.ForeignKey(
        Round, verbose_name=_("测评轮次"), on_delete=models.CASCADE, related_name="items"
    )
    point_type = models.ForeignKey(
        PointType, verbose_name=_("点位类型"), on_delete=models.PROTECT, related_name="+"
    )
    source = models.ForeignKey(
        ChecklistItem,
        verbose_name=_("来源检查项"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    section = models.CharField(_("分组"), max_length=40)
    position = models.PositiveIntegerField(_("排序"), default=0)
    text = models.CharField(_("检查内容"), max_length=300)
    indicator_code = models.CharField(_("指标编号"), max_length=20, blank=True)
    indicator_name = models.CharField(_("指标"), max_length=500, blank=True)
    max_points = models.DecimalField(_("分值"), **POINTS)
    deduction = models.DecimalField(_("每处扣分"), **POINTS)
    category = models.ForeignKey(
        "catalog.Category",
        verbose_name=_("不合格时立案类别"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    evidence_required = models.BooleanField(_("须拍照取证"))
    na_allowed = models.BooleanField(_("允许不适用"))

    class Meta:
        verbose_name = _("轮次检查项")
        verbose_name_plural = _("轮次检查项")
        ordering = ["round", "point_type", "position", "id"]

    def __str__(self) -> str:
        return self.text[:40]


class Inspection(TimeStampedModel):
    """One point in one round: who checks it, when, and what they found."""

    round = models.ForeignKey(
        Round, verbose_name=_("测评轮次"), on_delete=models.CASCADE, related_name="inspections"
    )
    point = models.ForeignKey(
        Point, verbose_name=_("点位"), on_delete=models.PROTECT, related_name="inspections"
    )
    inspector = actor_link(_("测评员"))
    status = models.CharField(
        _("状态"),
        max_length=10,
        choices=InspectionStatus.choices,
        default=InspectionStatus.ASSIGNED,
        db_index=True,
    )
    planned_on = models.DateField(_("计划日期"))
    due_on = models.DateField(_("截止日期"))
    route_order = models.PositiveIntegerField(_("路线顺序"), default=0)
    checked_in_at = models.DateTimeField(_("签到时间"), null=True, blank=True)
    checkin_lat = models.FloatField(_("签到纬度"), null=True, blank=True)
    checkin_lng = models.FloatField(_("签到经度"), null=True, blank=True)
    checkin_distance_m = models.FloatField(_("签到距离(米)"), null=True, blank=True)
    checkin_exception = models.CharField(_("签到异常说明"), max_length=300, blank=True)
    submission_key = models.CharField(_("提交标识"), max_length=64, blank=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    reviewed_by = actor_link(_("审核人"))
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    review_note = models.CharField(_("审核意见"), max_length=500, blank=True)
    note = models.CharField(_("总体说明"), max_length=1000, blank=True)
    # Computed from the item results when submitted; N/A items count in neither.
    full_points = models.DecimalField(_("满分"), default=0, **POINTS)
    max_points = models.DecimalField(_("应得分"), default=0, **POINTS)
    deducted = models.DecimalField(_("扣分"), default=0, **POINTS)
    score = models.DecimalField(_("得分"), default=0, **POINTS)
    failed_count = models.PositiveIntegerField(_("不合格项"), default=0)
    version = models.PositiveIntegerField(default=0)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("点位测评")
        verbose_name_plural = _("点位测评")
        ordering = ["round", "inspector", "route_order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["round", "point"], name="inspection_round_point")
        ]

    def __str__(self) -> str:
        return f"{self.round} · {self.point}"

    @classmethod
    def scope_q(cls, scope: ActionScope, action: str) -> Q:
        q = (
            path_q("point__territory_path", scope.paths)
            | Q(point__unit_id__in=scope.unit_ids)
            | Q(point__paired_unit_id__in=scope.unit_ids)
        )
        if action == VIEW and scope.user_id:
            q |= Q(inspector_id=scope.user_id)
        return q

    @property
    def score_rate(self) -> float | None:
        return float(self.score / self.max_points) if self.max_points else None

    @property
    def is_counted(self) -> bool:
        return self.status in (InspectionStatus.SUBMITTED, InspectionStatus.APPROVED)


class ItemResult(models.Model):
    inspection = models.ForeignKey(
        Inspection, verbose_name=_("点位测评"), on_delete=models.CASCADE, related_name="results"
    )
    item = models.ForeignKey(
        RoundItem, verbose_name=_("检查项"), on_delete=models.PROTECT, related_name="results"
    )
    result = models.CharField(_("结果"), max_length=4, choices=Result.choices)
    occurrences = models.PositiveIntegerField(_("问题处数"), default=0)
    deduction = models.DecimalField(_("扣分"), default=0, **POINTS)
    note = models.CharField(_("说明"), max_length=500, blank=True)
    photos = models.ManyToManyField(
        "cases.CasePhoto", verbose_name=_("照片"), blank=True, related_name="+"
    )
    case = models.OneToOneField(
        "cases.Case",
        verbose_name=_("问题案件"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="evaluation_result",
    )

    class Meta:
        verbose_name = _("检查结果")
        verbose_name_plural = _("检查结果")
        ordering = ["inspection", "item__position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["inspection", "item"], name="item_result_unique")
        ]

    def __str__(self) -> str:
        return f"{self.item} {self.get_result_display()}"


class Penalty(TimeStampedModel):
    """A negative-list penalty recorded against one subject in one round."""

    round = models.ForeignKey(
        Round, verbose_name=_("测评轮次"), on_delete=models.CASCADE, related_name="penalties"
    )
    negative = models.ForeignKey(
        NegativeItem, verbose_name=_("负面清单情形"), on_delete=models.PROTECT, related_name="+"
    )
    subject_level = models.CharField(_("扣分对象"), max_length=12, choices=SubjectLevel.choices)
    territory = models.ForeignKey(
        "territory.TerritoryNode",
        verbose_name=_("属地"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("责任单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    points = models.DecimalField(_("扣分"), **POINTS)
    note = models.CharField(_("事实说明"), max_length=500)
    recorded_by = actor_link(_("登记人"))

    class Meta:
        verbose_name = _("负面清单扣分")
        verbose_name_plural = _("负面清单扣分")
        ordering = ["round", "-created_at"]

    def __str__(self) -> str:
        return f"{self.negative} −{self.points}"


class Reinspection(TimeStampedModel):
    """复查: after a problem case's deadline, someone goes back to see whether it is fixed."""

    result = models.OneToOneField(
        ItemResult,
        verbose_name=_("检查结果"),
        on_delete=models.CASCADE,
        related_name="reinspection",
    )
    case = models.ForeignKey(
        "cases.Case", verbose_name=_("问题案件"), on_delete=models.PROTECT, related_name="+"
    )
    inspector = actor_link(_("复查人"))
    due_on = models.DateField(_("复查日期"))
    status = models.CharField(
        _("状态"),
        max_length=10,
        choices=ReinspectionStatus.choices,
        default=ReinspectionStatus.PENDING,
        db_index=True,
    )
    note = models.CharField(_("复查说明"), max_length=500, blank=True)
    lat = models.FloatField(_("复查纬度"), null=True, blank=True)
    lng = models.FloatField(_("复查经度"), null=True, blank=True)
    photos = models.ManyToManyField(
        "cases.CasePhoto", verbose_name=_("照片"), blank=True, related_name="+"
    )
    reminded_at = models.DateTimeField(_("提醒时间"), null=True, blank=True)
    done_at = models.DateTimeField(_("复查时间"), null=True, blank=True)
    done_by = actor_link(_("完成人"))

    class Meta:
        verbose_name = _("复查任务")
        verbose_name_plural = _("复查任务")
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return f"复查 {self.case_id} {self.due_on}"
