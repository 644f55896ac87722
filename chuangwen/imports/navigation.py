"""工单导入 in the main navigation, for those its pages let in."""

from django.utils.translation import gettext_lazy as _

from chuangwen.core.navigation import NavItem

from .selectors import may_import

MENU = (NavItem(_("工单导入"), "imports:list", order=200, visible=may_import),)
