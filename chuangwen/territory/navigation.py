"""属地地图 in the main navigation, for everyone signed in."""

from django.utils.translation import gettext_lazy as _

from chuangwen.core.navigation import NavItem

MENU = (NavItem(_("属地地图"), "territory:index", order=500),)
