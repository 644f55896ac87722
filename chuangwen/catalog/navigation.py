"""The catalogue's entry of the main navigation: every signed-in user reads it."""

from django.utils.translation import gettext_lazy as _

from chuangwen.core.navigation import NavItem

# The category catalogue comes after the directory of units.
MENU = (NavItem(_("案件类别"), "catalog:index", order=700),)
