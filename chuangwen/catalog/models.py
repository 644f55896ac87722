"""The case catalogue: 大类 and 小类 (案件类别), their 立结案标准, the routing rules
that send a case to its unit, and the citizen form's plain-language groups of 小类.

The tables keep the names they had when the catalogue lived in ``cases`` and
``participation``: moving the code moved no data."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from chuangwen.core.models import TimeStampedModel
from chuangwen.core.scoping import ActionScope, ScopedQuerySet, path_q
from chuangwen.core.workcalendar import TimeType
from chuangwen.org.choices import UnitKind

from .choices import CategoryKind


class Category(TimeStampedModel):
    """Two levels: a 大类 (``parent`` empty, code like ``B01``) and its 小类 (``B0101``).

    The letter names the family (部件 B, 事件 E, 文明城市 W), then 2 + 2 digits as in
    CJ/T 214; the letter keeps 部件 01 01 and 事件 01 01 apart."""

    kind = models.CharField(_("类别"), max_length=1, choices=CategoryKind.choices)
    code = models.CharField(_("编码"), max_length=8, unique=True)
    name = models.CharField(_("名称"), max_length=60)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("大类"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    description = models.CharField(_("说明"), max_length=300, blank=True)
    duplicate_radius_m = models.PositiveIntegerField(_("重复判定半径(米)"), default=50)
    duplicate_window_days = models.PositiveIntegerField(_("重复判定时间窗(天)"), default=7)
    extra_fields = models.JSONField(_("附加字段"), default=list, blank=True)
    position = models.PositiveIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("有效"), default=True)

    class Meta:
        verbose_name = _("案件类别")
        verbose_name_plural = _("案件类别")
        ordering = ["code"]
        db_table = "cases_category"

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def is_major(self) -> bool:
        return self.parent_id is None


class CaseStandard(TimeStampedModel):
    """立结案标准: one row per subcategory and condition."""

    category = models.ForeignKey(
        Category, verbose_name=_("小类"), on_delete=models.PROTECT, related_name="standards"
    )
    code = models.CharField(_("编码"), max_length=12, unique=True)
    condition = models.CharField(_("立案条件"), max_length=300)
    time_type = models.CharField(_("时限类型"), max_length=20, choices=TimeType.choices)
    time_value = models.DecimalField(_("处置时限"), max_digits=6, decimal_places=1)
    close_condition = models.CharField(_("结案条件"), max_length=300)
    unit_kind = models.CharField(
        _("责任单位类型"), max_length=20, choices=UnitKind.choices, blank=True
    )
    position = models.PositiveIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("有效"), default=True)

    class Meta:
        verbose_name = _("立结案标准")
        verbose_name_plural = _("立结案标准")
        ordering = ["category__code", "position", "code"]
        db_table = "cases_casestandard"
        constraints = [
            models.CheckConstraint(condition=Q(time_value__gte=0), name="standard_limit_positive")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.condition}"


class RoutingRule(TimeStampedModel):
    """Category and/or territory → responsible unit. The most specific rule wins:
    category + territory over category alone over territory alone; deeper territory and
    a 小类 over a 大类 break ties."""

    category = models.ForeignKey(
        Category,
        verbose_name=_("类别"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="routing_rules",
    )
    territory = models.ForeignKey(
        "territory.TerritoryNode",
        verbose_name=_("属地"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="routing_rules",
    )
    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("责任单位"), on_delete=models.PROTECT, related_name="+"
    )
    auto_dispatch = models.BooleanField(_("自动派遣"), default=True)
    is_active = models.BooleanField(_("有效"), default=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("派遣规则")
        verbose_name_plural = _("派遣规则")
        db_table = "cases_routingrule"
        constraints = [
            models.CheckConstraint(
                condition=Q(category__isnull=False) | Q(territory__isnull=False),
                name="routing_rule_has_scope",
            ),
            models.UniqueConstraint(
                fields=["category", "territory"],
                condition=Q(is_active=True),
                name="routing_rule_unique_active",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.category or '*'} @ {self.territory or '*'} → {self.unit}"

    @classmethod
    def scope_q(cls, scope: ActionScope, action: str) -> Q:
        return (
            path_q("territory__path", scope.paths)
            | Q(unit_id__in=scope.unit_ids)
            | Q(territory__isnull=True)
        )


class PublicGroup(TimeStampedModel):
    """A plain-language heading of the citizen report form (环境卫生, 道路与井盖 …) over
    the catalogue's 小类: citizens do not know 部件 from 事件, so the form asks in their
    words and files the report under the 小类 they pick. A 小类 may sit in several groups,
    the way people look for it in several places."""

    name = models.CharField(_("分组名称"), max_length=30, unique=True)
    hint = models.CharField(_("提示"), max_length=100, blank=True)
    position = models.PositiveIntegerField(_("排序"), default=0)
    categories = models.ManyToManyField(
        Category,
        verbose_name=_("包含的小类"),
        related_name="public_groups",
        blank=True,
        limit_choices_to={"parent__isnull": False},
        db_table="participation_publicgroup_categories",
    )

    class Meta:
        verbose_name = _("随手拍问题分组")
        verbose_name_plural = _("随手拍问题分组")
        ordering = ["position", "name"]
        db_table = "participation_publicgroup"

    def __str__(self) -> str:
        return self.name
