from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImportsConfig(AppConfig):
    name = "chuangwen.imports"
    label = "imports"
    verbose_name = _("工单导入")

    def ready(self):
        from chuangwen.core.navigation import register

        from .navigation import MENU

        register(*MENU)
