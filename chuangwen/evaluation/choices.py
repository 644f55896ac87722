from django.db import models
from django.utils.translation import gettext_lazy as _


class FrameworkKind(models.TextChoices):
    MODEL_CITY = "model_city", _("全国文明城市典范城市")
    CIVILIZED_CITY = "civilized_city", _("全国文明城市")


class EntryLevel(models.TextChoices):
    """The four levels of a framework, from the widest to the most concrete."""

    DIMENSION = "dimension", _("测评项目")
    ITEM = "item", _("测评内容")
    INDICATOR = "indicator", _("测评指标")
    STANDARD = "standard", _("测评标准")


# Which level each level hangs under.
PARENT_LEVEL = {
    EntryLevel.DIMENSION: None,
    EntryLevel.ITEM: EntryLevel.DIMENSION,
    EntryLevel.INDICATOR: EntryLevel.ITEM,
    EntryLevel.STANDARD: EntryLevel.INDICATOR,
}


class Method(models.TextChoices):
    FIELD = "field", _("实地考察")
    SURVEY = "survey", _("问卷调查")
    MATERIAL = "material", _("材料审核")
    DATA = "data", _("数据分析")


class SubjectLevel(models.TextChoices):
    """Whom a score or a penalty is about."""

    POINT = "point", _("点位")
    COMMUNITY = "community", _("社区")
    STREET = "street", _("街道")
    DISTRICT = "district", _("区县")
    UNIT = "unit", _("责任单位")
    POINT_TYPE = "point_type", _("点位类型")


# The subjects a negative-list penalty may fall on.
PENALTY_LEVELS = (
    SubjectLevel.COMMUNITY,
    SubjectLevel.STREET,
    SubjectLevel.DISTRICT,
    SubjectLevel.UNIT,
)


class RoundKind(models.TextChoices):
    BIMONTHLY = "bimonthly", _("双月测评")
    UNANNOUNCED = "unannounced", _("明察暗访")
    MOCK = "mock", _("模拟测评")


class RoundStatus(models.TextChoices):
    DRAFT = "draft", _("筹备中")
    OPEN = "open", _("测评中")
    CLOSED = "closed", _("已结束")


class InspectionStatus(models.TextChoices):
    ASSIGNED = "assigned", _("待检查")
    SUBMITTED = "submitted", _("待审核")
    RETURNED = "returned", _("已退回")
    APPROVED = "approved", _("已审核")


# Inspections whose results count: submitted (awaiting review) or approved.
COUNTED_STATUSES = (InspectionStatus.SUBMITTED, InspectionStatus.APPROVED)


class Result(models.TextChoices):
    PASS = "pass", _("合格")
    FAIL = "fail", _("不合格")
    NA = "na", _("不适用")


class ReinspectionStatus(models.TextChoices):
    PENDING = "pending", _("待复查")
    PASSED = "passed", _("复查合格")
    FAILED = "failed", _("复查不合格")
    CANCELLED = "cancelled", _("已取消")
