import base64

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .audit import audit
from .errors import PermissionDeniedError, ServiceError
from .models import AuditEvent, CalendarDay, JobRun, OutboxMessage, OutboxStatus
from .scoping import CONFIGURE, scope_for
from .services import (
    calendar_day_clear,
    calendar_day_set,
    calendar_schedule_export,
    calendar_schedule_import,
    calendar_schedule_template,
    outbox_message_retry,
)
from .xlsx import error_report_xlsx, xlsx_response

# The last import's error report, kept for its download link.
SCHEDULE_ERRORS_KEY = "core.calendar_schedule_errors"


class AuditedAdmin(admin.ModelAdmin):
    """Admin edits leave the same audit trail as service calls (inside the admin's
    transaction)."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        audit(
            actor=request.user,
            action=f"admin.{'change' if change else 'add'}",
            obj=obj,
            summary=f"后台{'修改' if change else '新建'} {obj}",
            data={"fields": list(form.changed_data)},
        )

    def delete_model(self, request, obj):
        audit(actor=request.user, action="admin.delete", obj=obj, summary=f"后台删除 {obj}")
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            audit(actor=request.user, action="admin.delete", obj=obj, summary=f"后台删除 {obj}")
        super().delete_queryset(request, queryset)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "actor", "action", "object_type", "object_id", "summary")
    list_filter = ("action", "object_type")
    search_fields = ("summary", "object_id", "actor__username")
    date_hierarchy = "created_at"


@admin.register(OutboxMessage)
class OutboxMessageAdmin(ReadOnlyAdmin):
    list_display = (
        "id",
        "topic",
        "status",
        "attempts",
        "available_at",
        "last_attempt_at",
        "delivered_at",
    )
    list_filter = ("status", "topic")
    search_fields = ("key",)
    actions = ("retry_dead_letters",)

    @admin.action(description=gettext_lazy("重新投递所选的投递失败消息"))
    def retry_dead_letters(self, request, queryset):
        retried = 0
        for pk in queryset.filter(status=OutboxStatus.FAILED).values_list("pk", flat=True):
            try:
                outbox_message_retry(message_id=pk, actor=request.user)
            except ServiceError as exc:
                self.message_user(request, f"#{pk}:{exc.message}", level=messages.ERROR)
                return
            retried += 1
        self.message_user(request, _("已重新排队 %(n)s 条消息。") % {"n": retried})


@admin.register(JobRun)
class JobRunAdmin(ReadOnlyAdmin):
    list_display = ("name", "last_started_at", "last_finished_at", "runs", "last_error")


class ScheduleImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("文件"),
        help_text=gettext_lazy("Excel(.xlsx)或 CSV 文件"),
        widget=forms.FileInput(attrs={"accept": ".xlsx,.csv"}),
    )
    skip_bad_rows = forms.BooleanField(
        label=gettext_lazy("跳过有错误的行"),
        required=False,
        help_text=gettext_lazy("不勾选时,只要有一行出错,整个文件都不会导入。"),
    )


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    """The form where the office enters a year's official holiday schedule (and local
    exceptions); saving goes through the calendar service."""

    list_display = ("day", "is_workday", "name", "is_official_schedule", "updated_at")
    list_filter = ("is_workday", "is_official_schedule")
    date_hierarchy = "day"
    search_fields = ("name",)
    change_list_template = "admin/core/calendarday/change_list.html"

    def get_urls(self):
        name = f"{self.opts.app_label}_{self.opts.model_name}"
        wrap = self.admin_site.admin_view
        # Before the default URLs: their "<object_id>/" pattern would take these paths.
        return [
            path("import/", wrap(self.import_view), name=f"{name}_import"),
            path("import/errors/", wrap(self.import_errors_view), name=f"{name}_import_errors"),
            path("export/<int:year>/", wrap(self.export_view), name=f"{name}_export"),
            path("template/", wrap(self.template_view), name=f"{name}_template"),
            *super().get_urls(),
        ]

    @staticmethod
    def may_import(user) -> bool:
        return scope_for(user).for_action(CONFIGURE).citywide

    def schedule_years(self) -> list[int]:
        this_year = timezone.localdate().year
        entered = {d.year for d in CalendarDay.objects.dates("day", "year")}
        return sorted(entered | {this_year, this_year + 1})

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "schedule_years": self.schedule_years(),
            "may_import": self.may_import(request.user),
        }
        return super().changelist_view(request, extra_context=extra_context)

    def import_view(self, request):
        # The service decides who may import; the page only spares others a form that
        # would be refused.
        if not self.may_import(request.user):
            raise PermissionDenied
        form = ScheduleImportForm(request.POST or None, request.FILES or None)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("导入放假安排"),
            "form": form,
            "template_url": reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_template"),
        }
        status = 200
        if request.method == "POST":
            request.session.pop(SCHEDULE_ERRORS_KEY, None)
            if form.is_valid():
                try:
                    report = calendar_schedule_import(
                        upload=form.cleaned_data["file"],
                        actor=request.user,
                        skip_bad_rows=form.cleaned_data["skip_bad_rows"],
                    )
                except PermissionDeniedError as exc:
                    context["error"], status = exc.message, 403
                except ServiceError as exc:
                    context["error"], status = exc.message, 400
                else:
                    context["report"] = report
                    if report.bad_rows:
                        request.session[SCHEDULE_ERRORS_KEY] = base64.b64encode(
                            error_report_xlsx(report)
                        ).decode("ascii")
            else:
                status = 400
        return TemplateResponse(
            request, "admin/core/calendarday/import.html", context, status=status
        )

    def import_errors_view(self, request):
        if not self.may_import(request.user):
            raise PermissionDenied
        encoded = request.session.get(SCHEDULE_ERRORS_KEY)
        if not encoded:
            raise Http404(_("没有可下载的错误报告。"))
        return xlsx_response(base64.b64decode(encoded), "放假安排导入错误报告.xlsx")

    def export_view(self, request, year: int):
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        if not 2000 <= year <= 2100:
            raise Http404
        return xlsx_response(calendar_schedule_export(year=year), f"{year}年放假安排.xlsx")

    def template_view(self, request):
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        return xlsx_response(calendar_schedule_template(), "放假安排导入模板.xlsx")

    def save_model(self, request, obj, form, change):
        saved = calendar_day_set(
            day=obj.day,
            is_workday=obj.is_workday,
            name=obj.name,
            is_official_schedule=obj.is_official_schedule,
            actor=request.user,
        )
        obj.pk = saved.pk

    def delete_model(self, request, obj):
        calendar_day_clear(day=obj.day, actor=request.user)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            calendar_day_clear(day=obj.day, actor=request.user)
