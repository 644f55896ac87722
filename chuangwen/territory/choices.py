from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    CITY = "city", _("市")
    DISTRICT = "district", _("区县")
    STREET = "street", _("街道/乡镇")
    COMMUNITY = "community", _("社区/村")
    GRID = "grid", _("单元网格")


LEVEL_ORDER = [Level.CITY, Level.DISTRICT, Level.STREET, Level.COMMUNITY, Level.GRID]


def child_level(level: str) -> str | None:
    index = LEVEL_ORDER.index(Level(level))
    return LEVEL_ORDER[index + 1] if index + 1 < len(LEVEL_ORDER) else None


class NodeKind(models.TextChoices):
    ADMINISTRATIVE = "admin", _("行政区划")
    FUNCTIONAL_ZONE = "zone", _("功能区")


class LandUse(models.TextChoices):
    RESIDENTIAL = "residential", _("居住区")
    COMMERCIAL = "commercial", _("商业区")
    INDUSTRIAL = "industrial", _("工业区")
    PUBLIC_SERVICE = "public", _("行政办公与公共服务")
    EDUCATION = "education", _("文教区")
    GREEN = "green", _("公园绿地")
    TRANSPORT = "transport", _("道路交通")
    RURAL = "rural", _("农村与山林")


class ManagementLevel(models.TextChoices):
    KEY = "1", _("一级(重点区域)")
    MAJOR = "2", _("二级")
    GENERAL = "3", _("三级")
