from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from chuangwen.core.models import TimeStampedModel
from chuangwen.core.scoping import VIEW, ActionScope, ScopedQuerySet, path_q

from .choices import DIRECTORY_KINDS, Role, UnitKind


class Unit(TimeStampedModel):
    name = models.CharField(_("名称"), max_length=120, unique=True)
    short_name = models.CharField(_("简称"), max_length=40, blank=True)
    kind = models.CharField(_("类型"), max_length=20, choices=UnitKind.choices, db_index=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    territory = models.ForeignKey(
        "territory.TerritoryNode",
        verbose_name=_("管辖属地"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="units",
    )
    contact_person = models.CharField(_("联系人"), max_length=40, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=40, blank=True)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    is_active = models.BooleanField(_("有效"), default=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("单位")
        verbose_name_plural = _("单位")
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def scope_q(cls, scope: ActionScope, action: str) -> Q:
        q = path_q("territory__path", scope.paths) | Q(pk__in=scope.unit_ids)
        # The city-wide directory is readable by everyone, never writable by territory staff.
        return q | Q(kind__in=DIRECTORY_KINDS) if action == VIEW else q


class Membership(TimeStampedModel):
    """A user's role in a unit; a user may hold several."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("用户"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField(_("角色"), max_length=24, choices=Role.choices)
    title = models.CharField(_("职务"), max_length=60, blank=True)
    is_active = models.BooleanField(_("有效"), default=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("任职")
        verbose_name_plural = _("任职")
        constraints = [
            models.UniqueConstraint(fields=["user", "unit", "role"], name="membership_unique_role")
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.unit} · {self.get_role_display()}"

    @classmethod
    def scope_q(cls, scope: ActionScope, action: str) -> Q:
        return path_q("unit__territory__path", scope.paths) | Q(unit_id__in=scope.unit_ids)


class Pairing(TimeStampedModel):
    """创文包联: a municipal unit shares responsibility for a community for a period."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("包联单位"), on_delete=models.PROTECT, related_name="pairings"
    )
    territory = models.ForeignKey(
        "territory.TerritoryNode",
        verbose_name=_("包联社区"),
        on_delete=models.PROTECT,
        related_name="pairings",
    )
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"))
    note = models.CharField(_("备注"), max_length=200, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("包联关系")
        verbose_name_plural = _("包联关系")
        ordering = ["-starts_on", "unit__name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="pairing_period_order"
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit} ↔ {self.territory} ({self.starts_on}—{self.ends_on})"

    @classmethod
    def scope_q(cls, scope: ActionScope, action: str) -> Q:
        return path_q("territory__path", scope.paths) | Q(unit_id__in=scope.unit_ids)
