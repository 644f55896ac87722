from django.db import models
from django.utils.translation import gettext_lazy as _


class CategoryKind(models.TextChoices):
    """The three families of the catalogue; the letter starts every code of the family."""

    COMPONENT = "B", _("部件")
    EVENT = "E", _("事件")
    CIVILIZED = "W", _("文明城市")
