from django.contrib import admin

from .audit import audit
from .models import AuditEvent, CalendarDay, JobRun, OutboxMessage
from .services import calendar_day_clear, calendar_day_set


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
    list_display = ("id", "topic", "status", "attempts", "available_at", "delivered_at")
    list_filter = ("status", "topic")


@admin.register(JobRun)
class JobRunAdmin(ReadOnlyAdmin):
    list_display = ("name", "last_started_at", "last_finished_at", "runs", "last_error")


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    """The form where the office enters a year's official holiday schedule (and local
    exceptions); saving goes through the calendar service."""

    list_display = ("day", "is_workday", "name", "is_official_schedule", "updated_at")
    list_filter = ("is_workday", "is_official_schedule")
    date_hierarchy = "day"
    search_fields = ("name",)

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
