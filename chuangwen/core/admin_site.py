"""The Django admin, open to the city office's system administrators only.

``is_staff`` alone is a flag anyone with a user form could set; the site itself also asks
for a city-wide configuration right (a city_admin membership at the city root, or a
superuser), so a staff flag left on a district account, or a membership granted later,
never opens the admin.
"""

from django.contrib.admin import AdminSite
from django.contrib.admin.apps import AdminConfig

from .scoping import CONFIGURE, scope_for


def may_use_admin(user) -> bool:
    if not (user.is_active and user.is_staff):
        return False
    return scope_for(user).for_action(CONFIGURE).citywide


class ChuangwenAdminSite(AdminSite):
    def has_permission(self, request):
        return may_use_admin(request.user)


class ChuangwenAdminConfig(AdminConfig):
    default_site = "chuangwen.core.admin_site.ChuangwenAdminSite"
