from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from chuangwen.cases.choices import Channel
from chuangwen.core.models import actor_link
from chuangwen.core.scoping import VIEW, ActionScope, ScopedQuerySet


class Open311Key(models.Model):
    """An outside system's key for submitting reports. Only a hash is stored: the key
    itself is shown once, when it is created."""

    name = models.CharField(_("名称"), max_length=80)
    prefix = models.CharField(_("密钥前缀"), max_length=12, db_index=True)
    key_hash = models.CharField(_("密钥摘要"), max_length=64, unique=True)
    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("所属单位"), on_delete=models.PROTECT, related_name="+"
    )
    channel = models.CharField(
        _("来源渠道"), max_length=20, choices=Channel.choices, default=Channel.OPEN311
    )
    is_active = models.BooleanField(_("有效"), default=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    created_by = actor_link(_("创建人"))
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("Open311 密钥")
        verbose_name_plural = _("Open311 密钥")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name}({self.prefix}…)"

    @property
    def source(self) -> str:
        """What the cases this key submits carry as their ``source``."""
        return f"open311:{self.pk}"

    @classmethod
    def scope_q(cls, scope: ActionScope, action: str) -> Q:
        # A unit may see the keys issued to it; managing keys is for the city office only.
        return Q(unit_id__in=scope.unit_ids) if action == VIEW else Q(pk__in=[])
