"""For looking into the evaluation data; it changes only through the services and the
product's own pages, which keep the audit trail and freeze running rounds."""

from django.contrib import admin

from chuangwen.core.admin import ReadOnlyAdmin

from .models import Framework, Inspection, Penalty, Point, PointType, Reinspection, Round


@admin.register(Framework)
class FrameworkAdmin(ReadOnlyAdmin):
    list_display = ("name", "kind", "cycle_start", "cycle_end", "is_current")
    list_filter = ("kind", "is_current")


@admin.register(PointType)
class PointTypeAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "position", "is_active")
    search_fields = ("code", "name")


@admin.register(Point)
class PointAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "point_type", "district", "unit", "is_active")
    list_filter = ("point_type", "district", "is_active")
    search_fields = ("code", "name", "address")
    list_select_related = ("point_type", "district", "unit")


@admin.register(Round)
class RoundAdmin(ReadOnlyAdmin):
    list_display = ("name", "kind", "status", "starts_on", "due_on", "seed")
    list_filter = ("kind", "status")


@admin.register(Inspection)
class InspectionAdmin(ReadOnlyAdmin):
    list_display = ("round", "point", "inspector", "status", "score", "max_points")
    list_filter = ("status", "round")
    search_fields = ("point__code", "point__name", "inspector__username")
    list_select_related = ("round", "point", "inspector")


@admin.register(Penalty)
class PenaltyAdmin(ReadOnlyAdmin):
    list_display = ("round", "negative", "subject_level", "territory", "unit", "points")
    list_select_related = ("round", "negative", "territory", "unit")


@admin.register(Reinspection)
class ReinspectionAdmin(ReadOnlyAdmin):
    list_display = ("case", "inspector", "due_on", "status", "done_at")
    list_filter = ("status",)
    list_select_related = ("case", "inspector")
