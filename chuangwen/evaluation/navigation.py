"""测评 in the main navigation: the rounds, and an inspector's own work list."""

from django.utils.translation import gettext_lazy as _

from chuangwen.core.navigation import NavItem

from .permissions import follows_rounds, walks_points

MENU = (
    NavItem(_("测评"), "evaluation:round_list", order=300, visible=follows_rounds),
    NavItem(_("测评任务"), "evaluation:field_home", order=310, visible=walks_points),
)
