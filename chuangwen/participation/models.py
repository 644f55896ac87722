from django.db import models
from django.utils.translation import gettext_lazy as _

from chuangwen.core.models import TimeStampedModel


class PublicGroup(TimeStampedModel):
    """A plain-language heading of the citizen report form (环境卫生, 道路与井盖 …) over
    the catalogue's 小类: citizens do not know 部件 from 事件, so the form asks in their
    words and files the report under the 小类 they pick. A 小类 may sit in several groups,
    the way people look for it in several places."""

    name = models.CharField(_("分组名称"), max_length=30, unique=True)
    hint = models.CharField(_("提示"), max_length=100, blank=True)
    position = models.PositiveIntegerField(_("排序"), default=0)
    categories = models.ManyToManyField(
        "cases.Category",
        verbose_name=_("包含的小类"),
        related_name="public_groups",
        blank=True,
        limit_choices_to={"parent__isnull": False},
    )

    class Meta:
        verbose_name = _("随手拍问题分组")
        verbose_name_plural = _("随手拍问题分组")
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name
