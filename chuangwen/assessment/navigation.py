"""考评 and the leaders' dashboard in the main navigation."""

from django.utils.translation import gettext_lazy as _

from chuangwen.core.navigation import NavItem

from .permissions import may_open_dashboard, reads_results

MENU = (
    NavItem(_("考评"), "assessment:rankings", order=400, visible=reads_results),
    NavItem(_("领导驾驶舱"), "assessment:dashboard", order=410, visible=may_open_dashboard),
)
