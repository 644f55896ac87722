from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "chuangwen.cases"
    label = "cases"
    verbose_name = _("案件闭环")

    def ready(self):
        from chuangwen.core.navigation import register

        from .navigation import MENU

        register(*MENU)
