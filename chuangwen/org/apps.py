from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgConfig(AppConfig):
    name = "chuangwen.org"
    label = "org"
    verbose_name = _("单位与人员")

    def ready(self):
        from chuangwen.core.navigation import register
        from chuangwen.core.scoping import register_scope_provider
        from chuangwen.core.workbench import register_workbench_context
        from chuangwen.territory.responsibility import register_default_unit

        from .navigation import MENU
        from .scoping import MembershipScopes
        from .selectors import territory_default_unit
        from .workbench import posts_and_territory

        register_scope_provider(MembershipScopes())
        register_workbench_context(posts_and_territory)
        register_default_unit(territory_default_unit)
        register(*MENU)
