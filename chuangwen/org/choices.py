from django.db import models
from django.utils.translation import gettext_lazy as _

from chuangwen.core.scoping import CHANGE, CONFIGURE, EXPORT, VIEW


class UnitKind(models.TextChoices):
    CITY_OFFICE = "city_office", _("市创文办")
    MUNICIPAL_DEPARTMENT = "department", _("市直部门")
    ENTERPRISE = "enterprise", _("企业/公用事业单位")
    DISTRICT_GOVERNMENT = "district_gov", _("区县政府/管委会")
    STREET_OFFICE = "street_office", _("街道办事处/乡镇政府")
    COMMUNITY_COMMITTEE = "community", _("社区居委会/村委会")
    POINT_OWNER = "point_owner", _("点位责任单位")
    VOLUNTEER_ORG = "volunteer_org", _("志愿服务组织")


# Units every government user may look up in the directory: they serve the whole city.
DIRECTORY_KINDS = (UnitKind.CITY_OFFICE, UnitKind.MUNICIPAL_DEPARTMENT, UnitKind.ENTERPRISE)


class Role(models.TextChoices):
    CITY_ADMIN = "city_admin", _("创文办系统管理员")
    CITY_OPERATOR = "city_operator", _("创文办受理/派遣员")
    LEADER = "leader", _("领导")
    DISTRICT_OPERATOR = "district_operator", _("区级管理员")
    STREET_OPERATOR = "street_operator", _("街道管理员")
    COMMUNITY_OPERATOR = "community_operator", _("社区管理员")
    UNIT_HANDLER = "unit_handler", _("责任单位处置人员")
    INSPECTOR = "inspector", _("测评员")
    OBSERVER = "observer", _("文明观察员")
    COLLECTOR = "collector", _("网格员/信息采集员")
    PERSUADER = "persuader", _("文明劝导员")
    VOLUNTEER = "volunteer", _("志愿者")


# Roles that read the case loop only as far as their own reports go: a volunteer helps
# in a street, and is not one of the people who follow every case in it.
OWN_REPORTS_ONLY_ROLES = frozenset({Role.VOLUNTEER})

_ALL = (VIEW,)
_READERS = (VIEW, EXPORT)
_OPERATORS = (VIEW, EXPORT, CHANGE)

# Which actions each role may take inside its scope.
ROLE_ACTIONS: dict[str, tuple[str, ...]] = {
    Role.CITY_ADMIN: (VIEW, EXPORT, CHANGE, CONFIGURE),
    Role.CITY_OPERATOR: _OPERATORS,
    Role.LEADER: _READERS,
    Role.DISTRICT_OPERATOR: _OPERATORS,
    Role.STREET_OPERATOR: _OPERATORS,
    Role.COMMUNITY_OPERATOR: _OPERATORS,
    Role.UNIT_HANDLER: _READERS,
    Role.INSPECTOR: _ALL,
    Role.OBSERVER: _ALL,
    Role.COLLECTOR: _ALL,
    Role.PERSUADER: _ALL,
    Role.VOLUNTEER: _ALL,
}
