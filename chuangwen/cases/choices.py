from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    REPORTED = "reported", _("待受理")
    REGISTERED = "registered", _("已立案")
    DISPATCHED = "dispatched", _("已派遣")
    IN_PROGRESS = "in_progress", _("处置中")
    HANDLED = "handled", _("待核查")
    CLOSED = "closed", _("已结案")
    INVALID = "invalid", _("不予受理")
    CANCELLED = "cancelled", _("已作废")
    MERGED = "merged", _("已合并")


OPEN_STATUSES = (
    Status.REPORTED,
    Status.REGISTERED,
    Status.DISPATCHED,
    Status.IN_PROGRESS,
    Status.HANDLED,
)
# The states in which the responsible unit's clock runs.
HANDLING_STATUSES = (Status.DISPATCHED, Status.IN_PROGRESS)


class Action(models.TextChoices):
    REPORT = "report", _("上报")
    ACCEPT = "accept", _("受理立案")
    REJECT = "reject", _("不予受理")
    DISPATCH = "dispatch", _("派遣")
    SIGN = "sign", _("签收")
    SEND_BACK = "send_back", _("回退")
    FINISH = "finish", _("处置完成")
    POSTPONE = "postpone", _("申请延期")
    POSTPONE_APPROVE = "postpone_approve", _("批准延期")
    POSTPONE_REJECT = "postpone_reject", _("驳回延期")
    VERIFY_OK = "verify_ok", _("核查通过")
    VERIFY_FAIL = "verify_fail", _("核查不通过")
    REOPEN = "reopen", _("重新立案")
    CANCEL = "cancel", _("作废")
    SUPERVISE = "supervise", _("督办")
    ANSWER = "answer", _("督办回复")
    ACCOUNTABILITY = "accountability", _("问责")
    MERGE = "merge", _("合并重复案件")
    RATE = "rate", _("满意度评价")
    REOPEN_REQUEST = "reopen_request", _("申请重新办理")
    REOPEN_REFUSE = "reopen_refuse", _("驳回重新办理申请")
    PUBLICITY = "publicity", _("公开设置")


class Channel(models.TextChoices):
    FIELD = "field", _("网格员/观察员上报")
    PORTAL = "portal", _("市民随手拍")
    OPEN311 = "open311", _("Open311 接口")
    HOTLINE = "hotline", _("12345 热线")
    SURVEY_FEEDBACK = "survey_feedback", _("国测/省测反馈")
    INSPECTION = "inspection", _("测评问题")
    ASSIGNED = "assigned", _("上级交办")
    VIDEO = "video", _("视频巡查")


# Channels on which someone reports for a citizen: the account that submits is not the
# reporter, and no reporter name defaults from it.
THIRD_PARTY_CHANNELS = (Channel.PORTAL, Channel.OPEN311, Channel.HOTLINE, Channel.SURVEY_FEEDBACK)

# Channels whose reports are trusted enough to be registered without a review.
TRUSTED_CHANNELS = (Channel.FIELD, Channel.INSPECTION, Channel.ASSIGNED, Channel.VIDEO)


class PhotoKind(models.TextChoices):
    BEFORE = "before", _("处置前")
    AFTER = "after", _("处置后")
    VERIFY = "verify", _("核查")


class Stage(models.TextChoices):
    ACCEPT = "accept", _("受理")
    DISPATCH = "dispatch", _("派遣")
    HANDLE = "handle", _("处置")
    VERIFY = "verify", _("核查")


# Which stage of the loop each open state is in; closed states are in none.
STATUS_STAGE = {
    Status.REPORTED: Stage.ACCEPT,
    Status.REGISTERED: Stage.DISPATCH,
    Status.DISPATCHED: Stage.HANDLE,
    Status.IN_PROGRESS: Stage.HANDLE,
    Status.HANDLED: Stage.VERIFY,
}


class OverdueLevel(models.IntegerChoices):
    NONE = 0, _("正常")
    YELLOW = 1, _("黄灯")
    RED = 2, _("红灯")


class SupervisionKind(models.TextChoices):
    OVERDUE = "overdue", _("超时督办")
    LEADER = "leader", _("领导督办")
    KEY = "key", _("重点督办")


class SupervisionStatus(models.TextChoices):
    OPEN = "open", _("待回复")
    ANSWERED = "answered", _("已回复")
    # The case closed, was merged or cancelled before anyone answered: the order has
    # nothing left to ask for.
    SETTLED = "settled", _("随案关闭")


class PostponeStatus(models.TextChoices):
    PENDING = "pending", _("待审批")
    APPROVED = "approved", _("已批准")
    REJECTED = "rejected", _("已驳回")


class AccountabilityKind(models.TextChoices):
    INTERVIEW = "interview", _("约谈")
    CIRCULATE = "circulate", _("通报批评")
    DEDUCT = "deduct", _("考核扣分")
    ADMONISH = "admonish", _("诫勉谈话")
    ORDER = "order", _("责令整改")


class Publicity(models.TextChoices):
    """Whether a case appears on the public channels (portal map and list, Open311)."""

    AUTO = "auto", _("按渠道默认")
    PUBLIC = "public", _("公开")
    HIDDEN = "hidden", _("不公开")


# States a case never appears in publicly, whatever the office decided: nothing was
# done, and the report may have been abuse.
NEVER_PUBLIC_STATUSES = (Status.INVALID, Status.CANCELLED)

# States in which a case is finished for the public (Open311 "closed").
DONE_STATUSES = (Status.CLOSED, Status.INVALID, Status.CANCELLED, Status.MERGED)


class Satisfaction(models.TextChoices):
    """回访满意度, as the 12345 hotline asks it."""

    SATISFIED = "satisfied", _("满意")
    BASIC = "basic", _("基本满意")
    DISSATISFIED = "dissatisfied", _("不满意")


class ReopenRequestStatus(models.TextChoices):
    PENDING = "pending", _("待审核")
    APPROVED = "approved", _("已重新立案")
    REFUSED = "refused", _("已驳回")
