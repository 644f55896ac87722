"""The case loop's entries of the main navigation."""

from django.utils.translation import gettext_lazy as _

from chuangwen.core.navigation import NavItem

from .permissions import follows_satisfaction, reports_in_field

MENU = (
    NavItem(_("我的待办"), "cases:inbox", order=100),
    NavItem(_("案件"), "cases:list", order=110),
    NavItem(_("案件地图"), "cases:map", order=120),
    NavItem(_("现场上报"), "cases:report", order=130, visible=reports_in_field),
    NavItem(_("回访满意度"), "cases:satisfaction", order=140, visible=follows_satisfaction),
)
