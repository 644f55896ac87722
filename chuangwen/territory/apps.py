from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TerritoryConfig(AppConfig):
    name = "chuangwen.territory"
    label = "territory"
    verbose_name = _("属地")

    def ready(self):
        from chuangwen.core.navigation import register

        from .navigation import MENU

        register(*MENU)
