from django.db import models
from django.utils.translation import gettext_lazy as _


class SubjectType(models.TextChoices):
    """Who is assessed. Territories are TerritoryNode rows, units org.Unit rows, field
    staff (网格员/观察员/测评员 …) user accounts."""

    DISTRICT = "district", _("区县")
    STREET = "street", _("街道")
    COMMUNITY = "community", _("社区")
    UNIT = "unit", _("责任单位")
    STAFF = "staff", _("一线人员")


TERRITORY_SUBJECTS = (SubjectType.DISTRICT, SubjectType.STREET, SubjectType.COMMUNITY)
# The subject types the API and the ranking pages publish.
RANKED_SUBJECTS = (*TERRITORY_SUBJECTS, SubjectType.UNIT)


class PeriodKind(models.TextChoices):
    MONTH = "month", _("月度")
    BIMONTH = "bimonth", _("双月")
    QUARTER = "quarter", _("季度")
    YEAR = "year", _("年度")


class ComponentKind(models.TextChoices):
    """Where a scheme component takes its figure from."""

    CASE_INDICATOR = "case_indicator", _("案件指标")
    INSPECTION = "inspection", _("测评得分率")
    SURVEY = "survey", _("群众满意度调查")
    MATERIAL = "material", _("网申材料完整率")
    PENALTY = "penalty", _("负面清单与问责扣分")


# Components whose figure the office enters per subject and period (from the survey
# agency's report, from the materials review) rather than the platform computing it.
ENTERED_KINDS = (ComponentKind.SURVEY, ComponentKind.MATERIAL)


class Rule(models.TextChoices):
    """How a component turns its figure into points."""

    THRESHOLD = "threshold", _("达标得满分,每低 1 个百分点扣分")
    PROPORTIONAL = "proportional", _("按比例得分(满分 × 比率)")
    LOWER_BETTER = "lower_better", _("不超过目标得满分,每超 1 个单位扣分")
    DEDUCTION = "deduction", _("从满分中扣除")


class PublicationStatus(models.TextChoices):
    PUBLISHED = "published", _("已发布")
    WITHDRAWN = "withdrawn", _("已撤回")


class AppealStatus(models.TextChoices):
    PENDING = "pending", _("待审核")
    ACCEPTED = "accepted", _("已采纳")
    PARTIAL = "partial", _("部分采纳")
    REJECTED = "rejected", _("不予采纳")


DECIDED_APPEALS = (AppealStatus.ACCEPTED, AppealStatus.PARTIAL, AppealStatus.REJECTED)
