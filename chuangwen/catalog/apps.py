from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "chuangwen.catalog"
    label = "catalog"
    verbose_name = _("案件类别")

    def ready(self):
        from chuangwen.core.navigation import register

        from .navigation import MENU

        register(*MENU)
