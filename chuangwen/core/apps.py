from django.apps import AppConfig
from django.urls import register_converter
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "chuangwen.core"
    label = "core"
    verbose_name = _("基础")

    def ready(self):
        from . import navigation
        from .bounds import IdConverter

        # Before any URLconf is read: every app's routes use <id:…> for their ids.
        register_converter(IdConverter, "id")
        navigation.register(*navigation.MENU)
