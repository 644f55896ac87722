from django.contrib import admin

from chuangwen.core.admin import ReadOnlyAdmin

from .models import ColumnMapping, ImportJob


@admin.register(ImportJob)
class ImportJobAdmin(ReadOnlyAdmin):
    """For looking into a stuck or failed import; jobs change only through the services."""

    list_display = (
        "created_at",
        "source",
        "filename",
        "status",
        "total",
        "created",
        "existing",
        "error_rows",
        "created_by",
    )
    list_filter = ("source", "status")
    search_fields = ("filename", "sha256", "created_by__username")
    list_select_related = ("created_by",)
    date_hierarchy = "created_at"
    exclude = ("errors", "summary")


@admin.register(ColumnMapping)
class ColumnMappingAdmin(ReadOnlyAdmin):
    list_display = ("source", "name", "is_default", "created_by", "updated_at")
    list_filter = ("source", "is_default")
    list_select_related = ("created_by",)
