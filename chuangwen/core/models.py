import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def actor_link(label):
    """The person who did something to a record (none for the system and the worker).
    PROTECT: an account that left such a trace cannot be deleted, only deactivated."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=label,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        abstract = True


class AuditEvent(models.Model):
    """One row per write, written by the service inside the write's own transaction."""

    actor = actor_link(_("操作人"))
    action = models.CharField(_("动作"), max_length=80, db_index=True)
    object_type = models.CharField(_("对象类型"), max_length=80)
    object_id = models.CharField(_("对象标识"), max_length=64, blank=True)
    summary = models.CharField(_("摘要"), max_length=500, blank=True)
    data = models.JSONField(_("数据"), default=dict, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("审计记录")
        verbose_name_plural = _("审计记录")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.action} {self.object_type}:{self.object_id}"


class OutboxStatus(models.TextChoices):
    PENDING = "pending", _("待投递")
    SENDING = "sending", _("投递中")
    DELIVERED = "delivered", _("已投递")
    FAILED = "failed", _("投递失败")


class OutboxMessage(models.Model):
    """A side effect promised by a committed write, delivered later by the worker
    (``core.outbox``). A message that exhausted its attempts stays as a dead letter
    (status failed) until the office retries it."""

    topic = models.CharField(_("主题"), max_length=80, db_index=True)
    payload = models.JSONField(_("内容"), default=dict)
    # Sent along to gateways and mail servers, so that a message delivered again after a
    # worker died mid-send is recognised as the same one.
    key = models.UUIDField(_("幂等键"), default=uuid.uuid4, unique=True, editable=False)
    status = models.CharField(
        _("状态"), max_length=16, choices=OutboxStatus.choices, default=OutboxStatus.PENDING
    )
    attempts = models.PositiveIntegerField(_("尝试次数"), default=0)
    # Pending: when the next attempt is due. Sending: when the claim's lease runs out.
    available_at = models.DateTimeField(_("可投递时间"), db_index=True)
    claim_token = models.CharField(max_length=32, blank=True, editable=False)
    last_attempt_at = models.DateTimeField(_("最近尝试时间"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("投递时间"), null=True, blank=True)
    last_error = models.TextField(_("最近错误"), blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("待发消息")
        verbose_name_plural = _("待发消息")
        indexes = [models.Index(fields=["status", "available_at"])]

    def __str__(self) -> str:
        return f"{self.topic} #{self.pk} ({self.status})"


class JobRun(models.Model):
    """When each scheduled job last ran; its row lock keeps two workers from running it twice."""

    name = models.CharField(_("任务"), max_length=80, unique=True)
    last_started_at = models.DateTimeField(_("最近开始"), null=True, blank=True)
    last_finished_at = models.DateTimeField(_("最近结束"), null=True, blank=True)
    last_error = models.TextField(_("最近错误"), blank=True)
    runs = models.PositiveIntegerField(_("运行次数"), default=0)

    class Meta:
        verbose_name = _("定时任务")
        verbose_name_plural = _("定时任务")

    def __str__(self) -> str:
        return self.name


class CalendarDay(models.Model):
    """An administrator's word on one day: part of a year's official schedule (entered
    when the State Council publishes it) or a local exception. It beats every other
    source of the working calendar."""

    day = models.DateField(_("日期"), unique=True)
    is_workday = models.BooleanField(_("是否工作日"))
    name = models.CharField(_("名称"), max_length=40, blank=True, help_text=_("如:春节、调休上班"))
    is_official_schedule = models.BooleanField(
        _("属于国务院公布的放假安排"), default=True, help_text=_("否:本地临时调整")
    )
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("工作日历调整")
        verbose_name_plural = _("工作日历调整")
        ordering = ["-day"]

    def __str__(self) -> str:
        return f"{self.day} {'上班' if self.is_workday else '休息'} {self.name}".strip()
