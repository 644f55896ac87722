from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Open311Config(AppConfig):
    name = "chuangwen.open311"
    label = "open311"
    verbose_name = _("Open311 接口")

    def ready(self):
        from chuangwen.core.middleware import REFUSAL_FORMATS

        from .render import error

        def refuse(request, status: int, message: str):
            return error("xml" if request.path.endswith(".xml") else "json", status, message)

        REFUSAL_FORMATS["/open311/"] = refuse
