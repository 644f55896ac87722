"""Assessment: schemes (how a subject's points are earned), figures the office enters,
published results (frozen snapshots, one row per subject) and appeals against them.

Draft results are not stored: they are computed on demand from the cases, the inspection
rounds and the entered figures. Publishing freezes them; afterwards only a reviewed
appeal changes a published result, and it does so by adding its granted points next to
the frozen total, never by rewriting it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from chuangwen.core.models import actor_link
from chuangwen.core.scoping import ActionScope, ScopedQuerySet, path_q

from .choices import AppealStatus, ComponentKind, PeriodKind, PublicationStatus, Rule, SubjectType


class Scheme(models.Model):
    """考评方案 for one subject type. Versioned: a change makes a new version, so a
    published result always points at the exact rules it was scored by."""

    subject_type = models.CharField(_("考评对象"), max_length=12, choices=SubjectType.choices)
    version = models.PositiveIntegerField(_("版本"))
    name = models.CharField(_("方案名称"), max_length=100)
    note = models.TextField(_("说明"), blank=True)
    is_current = models.BooleanField(_("现行"), default=False)
    created_by = actor_link(_("制定人"))
    created_at = models.DateTimeField(_("制定时间"))

    class Meta:
        verbose_name = _("考评方案")
        verbose_name_plural = _("考评方案")
        ordering = ["subject_type", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["subject_type", "version"], name="assessment_scheme_version"
            ),
            models.UniqueConstraint(
                fields=["subject_type"],
                condition=Q(is_current=True),
                name="assessment_scheme_one_current",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"


class SchemeComponent(models.Model):
    """One scoring component of a scheme: where its figure comes from and how the
    figure becomes points (``rule`` with ``target`` and ``step``), out of ``max_points``."""

    scheme = models.ForeignKey(
        Scheme, verbose_name=_("方案"), on_delete=models.CASCADE, related_name="components"
    )
    position = models.PositiveSmallIntegerField(_("顺序"), default=0)
    kind = models.CharField(_("来源"), max_length=16, choices=ComponentKind.choices)
    indicator = models.CharField(_("案件指标"), max_length=32, blank=True)
    label = models.CharField(_("名称"), max_length=60)
    max_points = models.DecimalField(_("分值"), max_digits=6, decimal_places=1)
    rule = models.CharField(_("计分规则"), max_length=16, choices=Rule.choices)
    # THRESHOLD: the rate (%) that earns full points; LOWER_BETTER: the most allowed.
    target = models.DecimalField(_("目标值"), max_digits=8, decimal_places=2, null=True, blank=True)
    # Points lost per percentage point below (THRESHOLD) or per unit above (LOWER_BETTER).
    step = models.DecimalField(_("扣分步长"), max_digits=6, decimal_places=2, null=True, blank=True)

    class Meta:
        verbose_name = _("方案组成")
        verbose_name_plural = _("方案组成")
        ordering = ["scheme", "position", "id"]

    def __str__(self) -> str:
        return f"{self.label} ({self.max_points})"


class EnteredFigure(models.Model):
    """A figure the office enters for a subject and period: the survey agency's
    satisfaction rate, the materials review's completeness rate (both in %)."""

    period_key = models.CharField(_("考评周期"), max_length=8)
    subject_type = models.CharField(_("考评对象"), max_length=12, choices=SubjectType.choices)
    subject_id = models.PositiveIntegerField(_("对象"))
    kind = models.CharField(_("类别"), max_length=16, choices=ComponentKind.choices)
    value = models.DecimalField(_("数值(%)"), max_digits=5, decimal_places=2)
    note = models.CharField(_("来源说明"), max_length=200, blank=True)
    entered_by = actor_link(_("录入人"))
    entered_at = models.DateTimeField(_("录入时间"))

    class Meta:
        verbose_name = _("录入数据")
        verbose_name_plural = _("录入数据")
        ordering = ["period_key", "subject_type", "subject_id", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["period_key", "subject_type", "subject_id", "kind"],
                name="assessment_figure_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.period_key} {self.subject_type}:{self.subject_id} {self.kind}={self.value}"


class Publication(models.Model):
    """The published results of one subject type for one period: a frozen snapshot."""

    period_key = models.CharField(_("考评周期"), max_length=8, db_index=True)
    period_kind = models.CharField(_("周期类型"), max_length=8, choices=PeriodKind.choices)
    subject_type = models.CharField(_("考评对象"), max_length=12, choices=SubjectType.choices)
    scheme = models.ForeignKey(
        Scheme, verbose_name=_("考评方案"), on_delete=models.PROTECT, related_name="publications"
    )
    status = models.CharField(
        _("状态"),
        max_length=10,
        choices=PublicationStatus.choices,
        default=PublicationStatus.PUBLISHED,
    )
    # The moment the figures were taken: cases changed later do not move them.
    computed_at = models.DateTimeField(_("数据截至"))
    published_by = actor_link(_("发布人"))
    published_at = models.DateTimeField(_("发布时间"))
    note = models.CharField(_("发布说明"), max_length=500, blank=True)
    withdrawn_by = actor_link(_("撤回人"))
    withdrawn_at = models.DateTimeField(_("撤回时间"), null=True, blank=True)
    withdraw_reason = models.CharField(_("撤回理由"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("考评结果发布")
        verbose_name_plural = _("考评结果发布")
        ordering = ["-period_key", "subject_type", "-published_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["period_key", "subject_type"],
                condition=Q(status=PublicationStatus.PUBLISHED),
                name="assessment_one_published",
            )
        ]

    def __str__(self) -> str:
        return f"{self.period_key} {self.get_subject_type_display()}"


class Result(models.Model):
    """One subject's published result. ``total`` and ``rank`` are frozen at publication;
    ``adjustment`` is the sum of points granted on appeal, ``final_total`` and
    ``final_rank`` what the ranking shows after it."""

    publication = models.ForeignKey(
        Publication, verbose_name=_("发布"), on_delete=models.CASCADE, related_name="results"
    )
    subject_id = models.PositiveIntegerField(_("对象"))
    subject_code = models.CharField(_("对象编码"), max_length=40, blank=True)
    subject_name = models.CharField(_("对象名称"), max_length=120)
    # Who may read the row: a territory subject's path, a unit's (or a person's) unit.
    territory_path = models.CharField(_("属地路径"), max_length=255, blank=True, db_index=True)
    unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    indicators = models.JSONField(_("案件指标"), default=dict)
    # [{position, kind, label, figure, points, max_points, explanation}, …]
    components = models.JSONField(_("得分明细"), default=list)
    total = models.DecimalField(_("发布得分"), max_digits=7, decimal_places=2)
    rank = models.PositiveIntegerField(_("发布名次"))
    previous_rank = models.PositiveIntegerField(_("上期名次"), null=True, blank=True)
    adjustment = models.DecimalField(_("申诉调整"), max_digits=7, decimal_places=2, default=0)
    final_total = models.DecimalField(_("最终得分"), max_digits=7, decimal_places=2)
    final_rank = models.PositiveIntegerField(_("最终名次"))

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("考评结果")
        verbose_name_plural = _("考评结果")
        ordering = ["publication", "final_rank", "subject_code"]
        constraints = [
            models.UniqueConstraint(
                fields=["publication", "subject_id"], name="assessment_result_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.subject_name} {self.final_total}"

    @classmethod
    def scope_q(cls, scope: ActionScope, action: str) -> Q:
        # A field staff member's result is about a person: the office reads it, not
        # whoever oversees the territory or the unit the person works in.
        return (path_q("territory_path", scope.paths) | Q(unit_id__in=scope.unit_ids)) & ~Q(
            publication__subject_type=SubjectType.STAFF
        )

    @property
    def rank_change(self) -> int | None:
        """Places gained since the previous period (positive: moved up)."""
        if self.previous_rank is None:
            return None
        return self.previous_rank - self.final_rank


class Appeal(models.Model):
    """申诉: a subject contests the points lost on one component of a published result.
    Only the office's review changes the result, by the points it grants."""

    result = models.ForeignKey(
        Result, verbose_name=_("考评结果"), on_delete=models.CASCADE, related_name="appeals"
    )
    component_position = models.PositiveSmallIntegerField(_("申诉项"))
    component_label = models.CharField(_("申诉项名称"), max_length=60)
    requested_points = models.DecimalField(_("申请恢复分值"), max_digits=6, decimal_places=2)
    reason = models.TextField(_("申诉理由"))
    status = models.CharField(
        _("状态"), max_length=10, choices=AppealStatus.choices, default=AppealStatus.PENDING
    )
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("申诉人"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    filed_at = models.DateTimeField(_("申诉时间"))
    granted_points = models.DecimalField(
        _("核准恢复分值"), max_digits=6, decimal_places=2, default=0
    )
    decided_by = actor_link(_("审核人"))
    decided_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    decision_note = models.TextField(_("审核意见"), blank=True)
    # The result's final total and rank before and after the decision: the visible trace.
    total_before = models.DecimalField(
        _("调整前得分"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    total_after = models.DecimalField(
        _("调整后得分"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    rank_before = models.PositiveIntegerField(_("调整前名次"), null=True, blank=True)
    rank_after = models.PositiveIntegerField(_("调整后名次"), null=True, blank=True)
    version = models.PositiveIntegerField(_("版本"), default=1)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("申诉")
        verbose_name_plural = _("申诉")
        ordering = ["-filed_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["result", "component_position"],
                condition=Q(status=AppealStatus.PENDING),
                name="assessment_appeal_one_pending",
            ),
            models.CheckConstraint(
                condition=Q(requested_points__gt=0) & Q(granted_points__gte=0),
                name="assessment_appeal_points",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.result} {self.component_label} {self.get_status_display()}"

    @classmethod
    def scope_q(cls, scope: ActionScope, action: str) -> Q:
        return (
            path_q("result__territory_path", scope.paths) | Q(result__unit_id__in=scope.unit_ids)
        ) & ~Q(result__publication__subject_type=SubjectType.STAFF)
