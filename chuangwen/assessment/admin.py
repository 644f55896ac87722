"""For looking into the assessment data; it changes only through the services, which keep
the audit trail, version the schemes and leave published results frozen."""

from django.contrib import admin

from chuangwen.core.admin import ReadOnlyAdmin

from .models import Appeal, EnteredFigure, Publication, Result, Scheme, SchemeComponent


class SchemeComponentInline(admin.TabularInline):
    model = SchemeComponent
    extra = 0
    can_delete = False
    fields = ("position", "kind", "indicator", "label", "max_points", "rule", "target", "step")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Scheme)
class SchemeAdmin(ReadOnlyAdmin):
    list_display = ("name", "subject_type", "version", "is_current", "created_by", "created_at")
    list_filter = ("subject_type", "is_current")
    inlines = [SchemeComponentInline]


@admin.register(EnteredFigure)
class EnteredFigureAdmin(ReadOnlyAdmin):
    list_display = ("period_key", "subject_type", "subject_id", "kind", "value", "entered_by")
    list_filter = ("period_key", "subject_type", "kind")


@admin.register(Publication)
class PublicationAdmin(ReadOnlyAdmin):
    list_display = ("period_key", "subject_type", "status", "scheme", "computed_at", "published_by")
    list_filter = ("status", "subject_type", "period_kind")
    list_select_related = ("scheme", "published_by")


@admin.register(Result)
class ResultAdmin(ReadOnlyAdmin):
    list_display = ("publication", "subject_name", "total", "rank", "adjustment", "final_rank")
    list_filter = ("publication__subject_type", "publication__period_key")
    search_fields = ("subject_name", "subject_code")
    list_select_related = ("publication",)


@admin.register(Appeal)
class AppealAdmin(ReadOnlyAdmin):
    list_display = (
        "result",
        "component_label",
        "requested_points",
        "status",
        "granted_points",
        "rank_before",
        "rank_after",
    )
    list_filter = ("status",)
    list_select_related = ("result", "result__publication")
