from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from chuangwen.catalog.models import CaseStandard, Category, RoutingRule
from chuangwen.core.models import actor_link
from chuangwen.core.scoping import VIEW, ActionScope, ScopedQuerySet, path_q
from chuangwen.core.workcalendar import TimeType
from chuangwen.org.choices import OWN_REPORTS_ONLY_ROLES
from chuangwen.territory.models import chain_link

from .choices import (
    OPEN_STATUSES,
    STATUS_STAGE,
    AccountabilityKind,
    Action,
    Channel,
    OverdueLevel,
    PhotoKind,
    PostponeStatus,
    Publicity,
    ReopenRequestStatus,
    Satisfaction,
    Status,
    SupervisionKind,
    SupervisionStatus,
)


class Case(models.Model):
    code = models.CharField(_("案件编号"), max_length=20, unique=True)
    status = models.CharField(
        _("状态"), max_length=16, choices=Status.choices, default=Status.REPORTED, db_index=True
    )
    # Bumped by every transition; a client that read version n may only act on version n.
    version = models.PositiveIntegerField(_("版本"), default=1)
    channel = models.CharField(_("来源渠道"), max_length=20, choices=Channel.choices)
    category = models.ForeignKey(
        Category, verbose_name=_("类别"), on_delete=models.PROTECT, related_name="cases"
    )
    standard = models.ForeignKey(
        CaseStandard, verbose_name=_("立结案标准"), on_delete=models.PROTECT, related_name="+"
    )
    description = models.TextField(_("问题描述"))
    address = models.CharField(_("地址"), max_length=200, blank=True)
    lat = models.FloatField(_("纬度"))
    lng = models.FloatField(_("经度"))
    # The territory chain at the time of the report, kept so later boundary edits do not
    # move history between districts.
    grid = chain_link(_("单元网格"))
    community = chain_link(_("社区"))
    street = chain_link(_("街道"))
    district = chain_link(_("区县"))
    territory_path = models.CharField(_("属地路径"), max_length=255, db_index=True)
    unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("责任单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
    )
    suggested_unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("建议责任单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    routing_rule = models.ForeignKey(
        RoutingRule,
        verbose_name=_("派遣规则"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Reporter: visible to the city office only; everyone else sees a masked phone.
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上报人账号"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reported_cases",
    )
    reporter_name = models.CharField(_("上报人"), max_length=40, blank=True)
    reporter_phone = models.CharField(_("上报人电话"), max_length=20, blank=True)
    created_by = actor_link(_("录入账号"))
    idempotency_key = models.CharField(_("幂等键"), max_length=80, blank=True)
    # Where the report came from beyond its channel: an Open311 key, an import source.
    # With ``external_id`` (the source's own ticket number) it makes a re-import a no-op.
    source = models.CharField(_("来源"), max_length=40, blank=True)
    external_id = models.CharField(_("外部编号"), max_length=60, blank=True)
    # What the public uses to follow the case (portal tracking code, Open311 token);
    # unlike the case code it cannot be guessed.
    public_token = models.CharField(_("查询码"), max_length=16, blank=True)
    # A keyed hash of the reporting client's address, for per-address limits on the
    # public channels; the address itself is not kept.
    client_hash = models.CharField(_("来源标识"), max_length=64, blank=True)
    # Values of the category's extra fields (Open311 attributes, import columns).
    extra = models.JSONField(_("附加信息"), default=dict, blank=True)
    # The public channels show a case by its channel unless the office decided otherwise,
    # and then with ``public_text`` when the office wrote one, else the description
    # with personal data taken out.
    publicity = models.CharField(
        _("公开"), max_length=8, choices=Publicity.choices, default=Publicity.AUTO
    )
    public_text = models.TextField(_("公开描述"), blank=True)
    duplicate_of = models.ForeignKey(
        "self",
        verbose_name=_("重复于"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="duplicates",
    )

    # Time limit, frozen from the standard when the case is registered.
    time_type = models.CharField(_("时限类型"), max_length=20, choices=TimeType.choices)
    time_value = models.DecimalField(_("处置时限"), max_digits=6, decimal_places=1)
    extension_value = models.DecimalField(_("延期时长"), max_digits=6, decimal_places=1, default=0)

    reported_at = models.DateTimeField(_("上报时间"), db_index=True)
    registered_at = models.DateTimeField(_("立案时间"), null=True, blank=True)
    dispatched_at = models.DateTimeField(_("派遣时间"), null=True, blank=True)
    signed_at = models.DateTimeField(_("签收时间"), null=True, blank=True)
    handled_at = models.DateTimeField(_("处置完成时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("结案时间"), null=True, blank=True, db_index=True)
    # The current stage's start and limit (accept, dispatch, handle or verify).
    stage_started_at = models.DateTimeField(_("环节开始"), null=True, blank=True)
    stage_deadline = models.DateTimeField(_("环节时限"), null=True, blank=True)
    # The handling deadline and the supervision ladder's thresholds.
    deadline = models.DateTimeField(_("处置时限截止"), null=True, blank=True)
    yellow_at = models.DateTimeField(_("黄灯时间"), null=True, blank=True)
    red_at = models.DateTimeField(_("红灯时间"), null=True, blank=True)
    overdue_level = models.PositiveSmallIntegerField(
        _("超时等级"), choices=OverdueLevel.choices, default=OverdueLevel.NONE
    )
    closed_on_time = models.BooleanField(_("按期办结"), null=True, blank=True)
    # Working minutes spent in each stage, summed over rework rounds.
    accept_minutes = models.FloatField(_("受理用时(工作分钟)"), default=0)
    dispatch_minutes = models.FloatField(_("派遣用时(工作分钟)"), default=0)
    handle_minutes = models.FloatField(_("处置用时(工作分钟)"), default=0)
    verify_minutes = models.FloatField(_("核查用时(工作分钟)"), default=0)
    rework_count = models.PositiveIntegerField(_("返工次数"), default=0)
    send_back_count = models.PositiveIntegerField(_("回退次数"), default=0)
    postpone_count = models.PositiveIntegerField(_("延期次数"), default=0)
    reopen_count = models.PositiveIntegerField(_("重新立案次数"), default=0)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("案件")
        verbose_name_plural = _("案件")
        ordering = ["-reported_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["created_by", "idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="case_idempotency_key_unique",
            ),
            models.UniqueConstraint(
                fields=["source", "external_id"],
                condition=~Q(external_id=""),
                name="case_source_external_id_unique",
            ),
            models.UniqueConstraint(
                fields=["public_token"],
                condition=~Q(public_token=""),
                name="case_public_token_unique",
            ),
        ]
        indexes = [
            # Duplicate lookup: same category, a narrow band of latitude.
            models.Index(fields=["category", "lat"], name="case_dup_lookup"),
            models.Index(fields=["client_hash", "reported_at"], name="case_client_recent"),
            models.Index(fields=["reporter_phone", "reported_at"], name="case_phone_recent"),
            models.Index(fields=["status", "yellow_at"], name="case_status_yellow"),
            models.Index(fields=["status", "red_at"], name="case_status_red"),
            models.Index(fields=["unit", "status"], name="case_unit_status"),
            models.Index(fields=["category", "status", "reported_at"], name="case_cat_status"),
            # The assessment's period figures select cases registered or due in a period.
            models.Index(fields=["registered_at"], name="case_registered_at"),
            models.Index(fields=["deadline"], name="case_deadline"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.category.name if self.category_id else ''}".strip()

    scope_ignores_roles = OWN_REPORTS_ONLY_ROLES

    @classmethod
    def scope_q(cls, scope: ActionScope, action: str) -> Q:
        q = path_q("territory_path", scope.paths) | Q(unit_id__in=scope.unit_ids)
        if action == VIEW and scope.user_id:
            q |= Q(reporter_id=scope.user_id)
        return q

    @property
    def stage(self) -> str:
        """The current stage, which the state decides (empty once the case is done)."""
        return STATUS_STAGE.get(self.status, "")

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class CaseEvent(models.Model):
    """Every step of a case, written in the step's own transaction; never changed."""

    case = models.ForeignKey(
        Case, verbose_name=_("案件"), on_delete=models.CASCADE, related_name="events"
    )
    action = models.CharField(_("动作"), max_length=20, choices=Action.choices)
    from_status = models.CharField(_("原状态"), max_length=16, blank=True)
    to_status = models.CharField(_("新状态"), max_length=16, blank=True)
    actor = actor_link(_("操作人"))
    actor_unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("操作单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    note = models.TextField(_("意见"), blank=True)
    data = models.JSONField(_("数据"), default=dict, blank=True)
    created_at = models.DateTimeField(_("时间"))

    class Meta:
        verbose_name = _("案件流转记录")
        verbose_name_plural = _("案件流转记录")
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["case", "created_at"], name="case_event_case_time"),
            # The assessment counts each field staff member's verifications in a period.
            models.Index(fields=["action", "created_at"], name="case_event_action_time"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.action} {self.created_at:%Y-%m-%d %H:%M}"


def photo_path(instance, filename: str) -> str:
    # Named by content: the same picture uploaded twice is stored once.
    return f"cases/{instance.sha256[:2]}/{instance.sha256}.{filename.rsplit('.', 1)[-1]}"


class CasePhoto(models.Model):
    case = models.ForeignKey(
        Case,
        verbose_name=_("案件"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="photos",
    )
    kind = models.CharField(_("类型"), max_length=10, choices=PhotoKind.choices)
    image = models.ImageField(_("图片"), upload_to=photo_path)
    width = models.PositiveIntegerField(_("宽"), default=0)
    height = models.PositiveIntegerField(_("高"), default=0)
    sha256 = models.CharField(_("校验值"), max_length=64)
    # Kept from the stripped EXIF: where and when the picture says it was taken.
    taken_at = models.DateTimeField(_("拍摄时间"), null=True, blank=True)
    gps_lat = models.FloatField(_("拍摄纬度"), null=True, blank=True)
    gps_lng = models.FloatField(_("拍摄经度"), null=True, blank=True)
    uploaded_by = actor_link(_("上传人"))
    created_at = models.DateTimeField(_("上传时间"))

    class Meta:
        verbose_name = _("案件照片")
        verbose_name_plural = _("案件照片")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.sha256[:8]}"


class Postponement(models.Model):
    """延期: requested by the unit, decided by an operator; approval moves the deadline."""

    case = models.ForeignKey(
        Case, verbose_name=_("案件"), on_delete=models.CASCADE, related_name="postponements"
    )
    value = models.DecimalField(_("申请延长"), max_digits=6, decimal_places=1)
    reason = models.CharField(_("理由"), max_length=500)
    status = models.CharField(
        _("状态"), max_length=10, choices=PostponeStatus.choices, default=PostponeStatus.PENDING
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("申请人"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("申请时间"))
    decided_by = actor_link(_("审批人"))
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    decision_note = models.CharField(_("审批意见"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("延期申请")
        verbose_name_plural = _("延期申请")
        ordering = ["-requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(status=PostponeStatus.PENDING),
                name="postponement_one_pending",
            )
        ]

    def __str__(self) -> str:
        return f"{self.case_id} +{self.value} ({self.get_status_display()})"


class CaseRating(models.Model):
    """回访满意度: the reporter's rating of a finished case, one per case.

    Unit and category are copied from the case that was handled (the original, when the
    rated case was merged into it), so the statistics stay put when a case moves on."""

    case = models.OneToOneField(
        Case, verbose_name=_("案件"), on_delete=models.CASCADE, related_name="rating"
    )
    handled_case = models.ForeignKey(
        Case, verbose_name=_("办理案件"), on_delete=models.CASCADE, related_name="+"
    )
    unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("责任单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    category = models.ForeignKey(
        Category, verbose_name=_("类别"), on_delete=models.PROTECT, related_name="+"
    )
    territory_path = models.CharField(_("属地路径"), max_length=255, db_index=True)
    rating = models.CharField(_("满意度"), max_length=16, choices=Satisfaction.choices)
    comment = models.CharField(_("评价意见"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("评价时间"), db_index=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("满意度评价")
        verbose_name_plural = _("满意度评价")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.get_rating_display()}"

    scope_ignores_roles = OWN_REPORTS_ONLY_ROLES

    @classmethod
    def scope_q(cls, scope: ActionScope, action: str) -> Q:
        return path_q("territory_path", scope.paths) | Q(unit_id__in=scope.unit_ids)


class ReopenRequest(models.Model):
    """A dissatisfied reporter's request to handle a closed case again; an operator
    reviews it, and only an approval reopens the case."""

    case = models.ForeignKey(
        Case, verbose_name=_("申请案件"), on_delete=models.CASCADE, related_name="reopen_requests"
    )
    # The case that is reopened: the rated case itself or the original it was merged into.
    target = models.ForeignKey(
        Case, verbose_name=_("重新办理案件"), on_delete=models.CASCADE, related_name="+"
    )
    reason = models.CharField(_("申请理由"), max_length=500)
    status = models.CharField(
        _("状态"),
        max_length=10,
        choices=ReopenRequestStatus.choices,
        default=ReopenRequestStatus.PENDING,
    )
    requested_at = models.DateTimeField(_("申请时间"))
    decided_by = actor_link(_("审核人"))
    decided_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    decision_note = models.CharField(_("审核意见"), max_length=500, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("重新办理申请")
        verbose_name_plural = _("重新办理申请")
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["case"], name="reopen_request_once"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.get_status_display()}"

    scope_ignores_roles = OWN_REPORTS_ONLY_ROLES

    @classmethod
    def scope_q(cls, scope: ActionScope, action: str) -> Q:
        return path_q("target__territory_path", scope.paths)


class Supervision(models.Model):
    """督办单 to the responsible unit and its superior."""

    case = models.ForeignKey(
        Case, verbose_name=_("案件"), on_delete=models.CASCADE, related_name="supervisions"
    )
    kind = models.CharField(_("督办类型"), max_length=10, choices=SupervisionKind.choices)
    level = models.PositiveSmallIntegerField(
        _("等级"), choices=OverdueLevel.choices, default=OverdueLevel.NONE
    )
    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("被督办单位"), on_delete=models.PROTECT, related_name="+"
    )
    superior_unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("抄送上级单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    note = models.TextField(_("督办要求"))
    # The dispatch an overdue order is about: each dispatch (after a send-back, a
    # redispatch or a reopening) runs its own ladder.
    dispatched_at = models.DateTimeField(_("派遣时间"), null=True, blank=True)
    issued_by = actor_link(_("督办人"))
    issued_at = models.DateTimeField(_("督办时间"))
    reply_due_at = models.DateTimeField(_("回复期限"), null=True, blank=True)
    status = models.CharField(
        _("状态"),
        max_length=10,
        choices=SupervisionStatus.choices,
        default=SupervisionStatus.OPEN,
    )
    answer = models.TextField(_("回复"), blank=True)
    answered_by = actor_link(_("回复人"))
    answered_at = models.DateTimeField(_("回复时间"), null=True, blank=True)
    settled_at = models.DateTimeField(_("随案关闭时间"), null=True, blank=True)
    settled_reason = models.CharField(_("关闭原因"), max_length=40, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("督办单")
        verbose_name_plural = _("督办单")
        ordering = ["-issued_at", "-id"]
        constraints = [
            # The worker's guarantee: one 超时督办 per dispatch and ladder step, however
            # many sweeps race or restart.
            models.UniqueConstraint(
                fields=["case", "dispatched_at", "level"],
                condition=Q(kind=SupervisionKind.OVERDUE),
                name="supervision_overdue_once_per_dispatch",
            )
        ]
        # The dashboard counts and lists the orders still waiting for an answer.
        indexes = [models.Index(fields=["status", "reply_due_at"], name="supervision_status_due")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.case_id}"

    scope_ignores_roles = OWN_REPORTS_ONLY_ROLES

    @classmethod
    def scope_q(cls, scope: ActionScope, action: str) -> Q:
        return (
            path_q("case__territory_path", scope.paths)
            | Q(unit_id__in=scope.unit_ids)
            | Q(superior_unit_id__in=scope.unit_ids)
        )


class Accountability(models.Model):
    """问责: a consequence for a unit (and possibly a person) tied to cases."""

    case = models.ForeignKey(
        Case,
        verbose_name=_("案件"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="accountabilities",
    )
    supervision = models.ForeignKey(
        Supervision,
        verbose_name=_("督办单"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="accountabilities",
    )
    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("问责单位"), on_delete=models.PROTECT, related_name="+"
    )
    person_name = models.CharField(_("问责对象"), max_length=40, blank=True)
    kind = models.CharField(_("问责方式"), max_length=12, choices=AccountabilityKind.choices)
    points = models.DecimalField(_("扣分"), max_digits=5, decimal_places=1, default=0)
    reason = models.TextField(_("事由"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("决定人"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("决定时间"))

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("问责记录")
        verbose_name_plural = _("问责记录")
        ordering = ["-decided_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(points__gte=0), name="accountability_points")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.unit_id}"

    scope_ignores_roles = OWN_REPORTS_ONLY_ROLES

    @classmethod
    def scope_q(cls, scope: ActionScope, action: str) -> Q:
        return path_q("case__territory_path", scope.paths) | Q(unit_id__in=scope.unit_ids)


class SavedView(models.Model):
    """A user's named filter of the case list."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("用户"),
        on_delete=models.CASCADE,
        related_name="saved_case_views",
    )
    name = models.CharField(_("名称"), max_length=40)
    query = models.CharField(_("筛选条件"), max_length=1000)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("保存的筛选")
        verbose_name_plural = _("保存的筛选")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["user", "name"], name="saved_view_unique_name")
        ]

    def __str__(self) -> str:
        return self.name
