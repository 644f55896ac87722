from django.db import models
from django.utils.translation import gettext_lazy as _


class CategoryKind(models.TextChoices):
    """The three families of the catalogue; the letter starts every code of the family."""

    COMPONENT = "B", _("部件")
    EVENT = "E", _("事件")
    CIVILIZED = "W", _("文明城市")


class Datatype(models.TextChoices):
    """The input types GeoReport v2 knows for a service attribute (a 小类's extra field)."""

    STRING = "string", _("单行文本")
    NUMBER = "number", _("数字")
    DATETIME = "datetime", _("日期时间")
    TEXT = "text", _("多行文本")
    SINGLE = "singlevaluelist", _("单选")
    MULTI = "multivaluelist", _("多选")
