from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from chuangwen.core.models import actor_link
from chuangwen.core.scoping import ActionScope, ScopedQuerySet

from .choices import RUNNING_STATUSES, JobStatus, Mode, Phase, Source


class ColumnMapping(models.Model):
    """How one kind of list names its columns: target field → column header. Shared by
    everyone who imports that source; the default one pre-fills the mapping step."""

    source = models.CharField(_("来源"), max_length=20, choices=Source.choices)
    name = models.CharField(_("名称"), max_length=60)
    mapping = models.JSONField(_("对应关系"), default=dict)
    is_default = models.BooleanField(_("默认"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("创建人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("列对应关系")
        verbose_name_plural = _("列对应关系")
        ordering = ["source", "-is_default", "name"]
        constraints = [
            models.UniqueConstraint(fields=["source", "name"], name="column_mapping_unique_name"),
            models.UniqueConstraint(
                fields=["source"], condition=Q(is_default=True), name="column_mapping_one_default"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_source_display()} · {self.name}"


def upload_path(instance, filename: str) -> str:
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "csv"
    return f"imports/{instance.sha256[:2]}/{instance.sha256}.{extension}"


class ImportJob(models.Model):
    """One uploaded list on its way: mapping → check (dry run) → commit, each step run by
    the worker. The counters and lists are the last step's findings."""

    source = models.CharField(_("来源"), max_length=20, choices=Source.choices)
    status = models.CharField(
        _("状态"), max_length=16, choices=JobStatus.choices, default=JobStatus.UPLOADED
    )
    phase = models.CharField(_("环节"), max_length=16, choices=Phase.choices, blank=True)
    mode = models.CharField(_("导入方式"), max_length=20, choices=Mode.choices, blank=True)
    # Emptied when the retention period (IMPORT_FILE_RETENTION_DAYS) is over: the list
    # holds citizens' phone numbers. The job and its findings stay.
    file = models.FileField(_("文件"), upload_to=upload_path, max_length=200, blank=True)
    file_removed_at = models.DateTimeField(_("源文件删除时间"), null=True, blank=True)
    filename = models.CharField(_("文件名"), max_length=200)
    sha256 = models.CharField(_("文件摘要"), max_length=64)
    headers = models.JSONField(_("表头"), default=list)
    header_row = models.PositiveIntegerField(_("表头行号"), default=1)
    mapping = models.JSONField(_("对应关系"), default=dict, blank=True)
    default_category = models.CharField(_("默认类别"), max_length=16, blank=True)
    total = models.PositiveIntegerField(_("数据行数"), default=0)
    processed = models.PositiveIntegerField(_("已处理"), default=0)
    valid = models.PositiveIntegerField(_("可导入"), default=0)
    created = models.PositiveIntegerField(_("新建案件"), default=0)
    existing = models.PositiveIntegerField(_("已导入过"), default=0)
    duplicates = models.PositiveIntegerField(_("疑似重复"), default=0)
    error_rows = models.PositiveIntegerField(_("错误行数"), default=0)
    errors = models.JSONField(_("错误"), default=list, blank=True)
    summary = models.JSONField(_("检查结果"), default=dict, blank=True)
    failure = models.CharField(_("失败原因"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上传人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    requested_by = actor_link(_("最近操作人"))
    # The worker's claim on the job: a run stamps its own token and a heartbeat with every
    # batch; a run whose heartbeat went stale is taken over by the next worker.
    run_token = models.CharField(max_length=32, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    checked_at = models.DateTimeField(_("检查时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("导入任务")
        verbose_name_plural = _("导入任务")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "heartbeat_at"], name="import_job_running")]

    def __str__(self) -> str:
        return f"{self.get_source_display()} · {self.filename}"

    @classmethod
    def scope_q(cls, scope: ActionScope, action: str) -> Q:
        # Only the city office sees every job (a city-wide scope never reaches here).
        return Q(created_by_id=scope.user_id)

    @property
    def running(self) -> bool:
        return self.status in RUNNING_STATUSES

    @property
    def percent(self) -> int:
        if not self.total:
            return 0
        return min(100, round(100 * self.processed / self.total))
