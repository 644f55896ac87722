"""The main navigation, filtered by what the signed-in user may do."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .admin_site import may_use_admin
from .scoping import scope_for


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url_name: str
    roles: frozenset[str] | None = None  # None: every signed-in user
    admin_only: bool = False  # the Django admin: shown to those it lets in
    # Work lists of one role (an inspector's points): shown to holders of the role only,
    # not to a superuser who merely may see everything.
    holders_only: bool = False


# Who files reports in the field: the case pages offer them the phone form.
REPORTER_ROLES = frozenset(
    {
        "collector",
        "inspector",
        "observer",
        "persuader",
        "city_operator",
        "district_operator",
        "street_operator",
        "community_operator",
    }
)

# Who follows the public's ratings and reviews reopen requests.
SATISFACTION_ROLES = frozenset(
    {"city_admin", "city_operator", "leader", "district_operator", "street_operator"}
)

# Who takes in 12345 work orders and 国测/省测 feedback lists.
IMPORT_ROLES = frozenset({"city_admin", "city_operator", "district_operator"})

# Who follows evaluation rounds (测评): the office plans them, territories and units see
# their results and problems.
EVALUATION_ROLES = frozenset(
    {
        "city_admin",
        "city_operator",
        "leader",
        "district_operator",
        "street_operator",
        "community_operator",
        "unit_handler",
    }
)
# Who reads assessment results (考评): the office scores and publishes, territories and
# units see their rank and appeal.
ASSESSMENT_ROLES = EVALUATION_ROLES
# Who opens the leaders' dashboard: the office, the leaders, district and street offices.
DASHBOARD_ROLES = frozenset(
    {"city_admin", "city_operator", "leader", "district_operator", "street_operator"}
)
# Who walks the points of a round.
FIELD_INSPECTOR_ROLES = frozenset({"inspector", "observer"})

NAV_ITEMS = (
    NavItem(_("工作台"), "core:home"),
    NavItem(_("我的待办"), "cases:inbox"),
    NavItem(_("案件"), "cases:list"),
    NavItem(_("案件地图"), "cases:map"),
    NavItem(_("现场上报"), "cases:report", roles=REPORTER_ROLES),
    NavItem(_("回访满意度"), "cases:satisfaction", roles=SATISFACTION_ROLES),
    NavItem(_("工单导入"), "imports:list", roles=IMPORT_ROLES),
    NavItem(_("测评"), "evaluation:round_list", roles=EVALUATION_ROLES),
    NavItem(_("测评任务"), "evaluation:field_home", roles=FIELD_INSPECTOR_ROLES, holders_only=True),
    NavItem(_("考评"), "assessment:rankings", roles=ASSESSMENT_ROLES),
    NavItem(_("领导驾驶舱"), "assessment:dashboard", roles=DASHBOARD_ROLES),
    NavItem(_("属地地图"), "territory:index"),
    NavItem(_("单位名录"), "org:unit_list"),
    NavItem(_("案件类别"), "catalog:index"),
    NavItem(_("接口文档"), "api:openapi-view", roles=frozenset({"city_admin"})),
    NavItem(_("系统管理"), "admin:index", admin_only=True),
)


def items_for(user, current_path: str = "") -> list[dict]:
    if not user.is_authenticated:
        return []
    roles = scope_for(user).roles
    visible = []
    for item in NAV_ITEMS:
        if item.admin_only and not may_use_admin(user):
            continue
        superuser = user.is_superuser and not item.holders_only
        if item.roles is not None and not (superuser or roles & item.roles):
            continue
        url = reverse(item.url_name)
        matches = current_path == url if url == "/" else current_path.startswith(url)
        visible.append({"label": item.label, "url": url, "active": matches})
    # Items nest (/cases/ holds /cases/inbox/): only the most specific one is current.
    best = max((len(i["url"]) for i in visible if i["active"]), default=0)
    for item in visible:
        item["active"] = item["active"] and len(item["url"]) == best
    return visible
