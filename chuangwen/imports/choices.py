from dataclasses import dataclass

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from chuangwen.cases.choices import Channel


class Source(models.TextChoices):
    """Where a list comes from. The value is also the cases' ``source``: together with
    the 工单编号 it identifies a ticket, so a list imported twice creates nothing new."""

    HOTLINE = "12345", _("12345 热线工单")
    SURVEY = "survey", _("国测/省测反馈")


SOURCE_CHANNEL = {Source.HOTLINE: Channel.HOTLINE, Source.SURVEY: Channel.SURVEY_FEEDBACK}


class JobStatus(models.TextChoices):
    UPLOADED = "uploaded", _("待设置对应关系")
    CHECKING = "checking", _("检查中")
    CHECKED = "checked", _("已检查")
    IMPORTING = "importing", _("导入中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("失败")


# The worker is on these; the page polls while a job is in one of them.
RUNNING_STATUSES = (JobStatus.CHECKING, JobStatus.IMPORTING)


class Mode(models.TextChoices):
    ALL_OR_NOTHING = "all_or_nothing", _("全部导入或全部不导入")
    SKIP_BAD_ROWS = "skip_bad_rows", _("跳过有错误的行")


class Phase(models.TextChoices):
    READING = "reading", _("读取文件")
    VALIDATING = "validating", _("校验与定位")
    DUPLICATES = "duplicates", _("查找重复")
    WRITING = "writing", _("写入案件")


@dataclass(frozen=True)
class Target:
    key: str
    label: str | Promise
    required: bool = False
    # Header names offices use for the column, most specific first; compared without
    # spaces and case.
    guesses: tuple[str, ...] = ()


TARGETS = (
    Target(
        "external_id",
        _("工单编号"),
        required=True,
        guesses=("工单编号", "工单号", "受理编号", "问题编号", "反馈编号", "编号", "单号"),
    ),
    Target(
        "description",
        _("问题描述"),
        required=True,
        guesses=(
            "诉求内容",
            "问题描述",
            "反映内容",
            "来电内容",
            "问题内容",
            "工单内容",
            "具体问题",
            "存在问题",
            "问题详情",
            "内容",
        ),
    ),
    Target(
        "category",
        _("类别"),
        guesses=("类别编码", "问题类别", "案件类别", "问题分类", "问题类型", "小类", "类别"),
    ),
    Target(
        "address",
        _("地址"),
        guesses=("问题地址", "发生地址", "事发地址", "详细地址", "地址", "问题位置", "位置"),
    ),
    Target("lng", _("经度"), guesses=("经度", "lng", "lon", "longitude")),
    Target("lat", _("纬度"), guesses=("纬度", "lat", "latitude")),
    Target("district", _("区县"), guesses=("区县", "所属区县", "县市区", "所属区域", "区域")),
    Target("street", _("街道"), guesses=("街道", "所属街道", "街道(乡镇)", "街道乡镇", "乡镇")),
    Target("community", _("社区"), guesses=("社区", "所属社区", "社区(村)", "社区村", "村")),
    Target(
        "reporter_name",
        _("来电人"),
        guesses=("来电人", "诉求人", "反映人", "来电人姓名", "联系人", "姓名"),
    ),
    Target(
        "reporter_phone",
        _("电话"),
        guesses=("来电号码", "联系电话", "来电电话", "电话", "手机号码", "手机", "联系方式"),
    ),
    Target(
        "reported_time",
        _("原始时间"),
        guesses=("来电时间", "受理时间", "登记时间", "反馈时间", "发现时间", "时间", "日期"),
    ),
)
TARGET_KEYS = tuple(t.key for t in TARGETS)
TARGET_LABELS = {t.key: t.label for t in TARGETS}
# The mapping entry listing the columns kept as they are, in the case's 附加信息.
EXTRA = "extra"
