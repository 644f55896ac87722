from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentConfig(AppConfig):
    name = "chuangwen.assessment"
    label = "assessment"
    verbose_name = _("考评")

    def ready(self):
        from chuangwen.core.navigation import register

        from .navigation import MENU

        register(*MENU)
