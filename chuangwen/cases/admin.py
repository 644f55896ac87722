from django.contrib import admin

from chuangwen.core.admin import ReadOnlyAdmin

from .models import (
    Accountability,
    Case,
    CaseEvent,
    CasePhoto,
    CaseRating,
    Postponement,
    ReopenRequest,
    SavedView,
    Supervision,
)


# Cases and what hangs off them change only through the workflow's services (each step
# locked, checked and recorded); the admin shows them for support and audit.
class CaseEventInline(admin.TabularInline):
    model = CaseEvent
    extra = 0
    can_delete = False
    fields = ("created_at", "action", "from_status", "to_status", "actor", "actor_unit", "note")
    readonly_fields = fields
    ordering = ("created_at", "id")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Case)
class CaseAdmin(ReadOnlyAdmin):
    list_display = (
        "code",
        "status",
        "category",
        "unit",
        "channel",
        "reported_at",
        "deadline",
        "overdue_level",
    )
    list_filter = ("status", "channel", "overdue_level", "category__kind")
    search_fields = ("code", "description", "address", "external_id")
    date_hierarchy = "reported_at"
    list_select_related = ("category", "unit")
    raw_id_fields = ("grid", "community", "street", "district", "duplicate_of")
    # The reporter's identity is read on the case page, where each look is audited.
    exclude = ("reporter_name", "reporter_phone")
    inlines = [CaseEventInline]


@admin.register(Supervision)
class SupervisionAdmin(ReadOnlyAdmin):
    list_display = ("case", "kind", "level", "unit", "superior_unit", "issued_at", "status")
    list_filter = ("kind", "level", "status")
    search_fields = ("case__code", "unit__name", "note")
    list_select_related = ("case", "unit", "superior_unit")


@admin.register(Accountability)
class AccountabilityAdmin(ReadOnlyAdmin):
    list_display = ("unit", "kind", "points", "case", "decided_at", "decided_by")
    list_filter = ("kind",)
    search_fields = ("unit__name", "person_name", "reason", "case__code")
    list_select_related = ("unit", "case", "decided_by")


@admin.register(Postponement)
class PostponementAdmin(ReadOnlyAdmin):
    list_display = ("case", "value", "status", "requested_at", "decided_at")
    list_filter = ("status",)
    search_fields = ("case__code", "reason")


@admin.register(CasePhoto)
class CasePhotoAdmin(ReadOnlyAdmin):
    list_display = ("case", "kind", "width", "height", "taken_at", "uploaded_by", "created_at")
    list_filter = ("kind",)
    search_fields = ("case__code", "sha256")


@admin.register(SavedView)
class SavedViewAdmin(ReadOnlyAdmin):
    list_display = ("user", "name", "query", "created_at")
    search_fields = ("user__username", "name")


@admin.register(CaseEvent)
class CaseEventAdmin(ReadOnlyAdmin):
    list_display = (
        "case",
        "created_at",
        "action",
        "from_status",
        "to_status",
        "actor",
        "actor_unit",
    )
    list_filter = ("action",)
    search_fields = ("case__code", "note")
    list_select_related = ("case", "actor", "actor_unit")


@admin.register(CaseRating)
class CaseRatingAdmin(ReadOnlyAdmin):
    list_display = ("case", "rating", "unit", "category", "created_at")
    list_filter = ("rating",)
    search_fields = ("case__code", "comment")
    list_select_related = ("case", "unit", "category")


@admin.register(ReopenRequest)
class ReopenRequestAdmin(ReadOnlyAdmin):
    list_display = ("target", "case", "status", "requested_at", "decided_by", "decided_at")
    list_filter = ("status",)
    search_fields = ("case__code", "target__code", "reason")
    list_select_related = ("case", "target", "decided_by")
