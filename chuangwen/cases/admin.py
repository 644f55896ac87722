from django.contrib import admin, messages
from django.core.exceptions import ValidationError

from chuangwen.core.admin import ReadOnlyAdmin
from chuangwen.core.errors import ServiceError

from . import catalog
from .models import (
    Accountability,
    Case,
    CaseEvent,
    CasePhoto,
    CaseRating,
    CaseStandard,
    Category,
    Postponement,
    ReopenRequest,
    RoutingRule,
    SavedView,
    Supervision,
)


def _checked(run):
    """Run a catalogue check inside a form's clean(): a refusal becomes a form error."""
    try:
        return run()
    except ServiceError as exc:
        if exc.field:
            raise ValidationError({exc.field: exc.message}) from exc
        raise ValidationError(exc.message) from exc


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    """Categories are created and edited through the catalogue services (their checks and
    audit); they are deactivated, never deleted, because cases point at them."""

    list_display = (
        "code",
        "name",
        "kind",
        "parent",
        "duplicate_radius_m",
        "duplicate_window_days",
        "is_active",
    )
    list_filter = ("kind", "is_active")
    search_fields = ("code", "name")
    list_select_related = ("parent",)
    autocomplete_fields = ("parent",)
    exclude = ("extra_fields",)

    def get_readonly_fields(self, request, obj=None):
        # Codes are the identity the import and the API match on.
        return ("kind", "code", "parent") if obj is not None else ()

    def has_delete_permission(self, request, obj=None):
        return False

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)

        class CheckedForm(form):
            def clean(self):
                data = super().clean()
                if obj is None and data.get("kind") and data.get("code"):
                    _checked(
                        lambda: catalog.check_category_code(
                            kind=data["kind"],
                            code=catalog.clean_code(data["code"]),
                            parent=data.get("parent"),
                        )
                    )
                for name, label, high in (
                    ("duplicate_radius_m", "重复判定半径", catalog.MAX_RADIUS_M),
                    ("duplicate_window_days", "重复判定时间窗", catalog.MAX_WINDOW_DAYS),
                ):
                    if data.get(name) is not None:
                        _checked(
                            lambda n=name, lb=label, h=high: catalog.check_whole_number(
                                data[n], label=lb, field=n, low=1, high=h
                            )
                        )
                return data

        return CheckedForm

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if change:
            changes = {
                f: data[f] for f in form.changed_data if f in catalog.CATEGORY_FIELDS and f in data
            }
            if changes:
                catalog.category_update(category=obj, actor=request.user, **changes)
            return
        saved = catalog.category_create(
            kind=data["kind"],
            code=data["code"],
            name=data["name"],
            parent=data.get("parent"),
            description=data.get("description") or "",
            duplicate_radius_m=data["duplicate_radius_m"],
            duplicate_window_days=data["duplicate_window_days"],
            actor=request.user,
        )
        extra = {"position": data.get("position") or 0, "is_active": data.get("is_active", True)}
        if extra != {"position": 0, "is_active": True}:
            catalog.category_update(category=saved, actor=request.user, **extra)
        obj.pk = saved.pk


@admin.register(CaseStandard)
class CaseStandardAdmin(admin.ModelAdmin):
    list_display = (
        "code",
        "category",
        "condition",
        "time_type",
        "time_value",
        "unit_kind",
        "position",
        "is_active",
    )
    list_filter = ("category__kind", "time_type", "unit_kind", "is_active")
    search_fields = ("code", "condition", "category__name")
    list_select_related = ("category",)
    autocomplete_fields = ("category",)

    def get_readonly_fields(self, request, obj=None):
        return ("category", "code") if obj is not None else ()

    def has_delete_permission(self, request, obj=None):
        return False

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)

        class CheckedForm(form):
            def clean(self):
                data = super().clean()
                if obj is None and data.get("category") and data.get("code"):
                    _checked(
                        lambda: catalog.check_standard_code(
                            category=data["category"], code=catalog.clean_code(data["code"])
                        )
                    )
                if data.get("time_type") and data.get("time_value") is not None:
                    _checked(
                        lambda: catalog.check_time_limit(data["time_type"], data["time_value"])
                    )
                return data

        return CheckedForm

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if change:
            changes = {
                f: data[f] for f in form.changed_data if f in catalog.STANDARD_FIELDS and f in data
            }
            if changes:
                catalog.standard_update(standard=obj, actor=request.user, **changes)
            return
        saved = catalog.standard_create(
            category=data["category"],
            code=data["code"],
            condition=data["condition"],
            time_type=data["time_type"],
            time_value=data["time_value"],
            close_condition=data["close_condition"],
            unit_kind=data.get("unit_kind") or "",
            position=data.get("position") or 0,
            actor=request.user,
        )
        if not data.get("is_active", True):
            catalog.standard_update(standard=saved, actor=request.user, is_active=False)
        obj.pk = saved.pk


@admin.register(RoutingRule)
class RoutingRuleAdmin(admin.ModelAdmin):
    """A rule is never edited in place: cases remember the rule that routed them, so a
    change is a new rule after the old one is deactivated."""

    list_display = ("category", "territory", "unit", "auto_dispatch", "is_active", "note")
    list_filter = ("auto_dispatch", "is_active", "category__kind")
    search_fields = ("category__code", "category__name", "territory__name", "unit__name")
    list_select_related = ("category", "territory", "unit")
    autocomplete_fields = ("category", "territory", "unit")
    actions = ("deactivate",)

    def get_readonly_fields(self, request, obj=None):
        if obj is not None:
            return ("category", "territory", "unit", "auto_dispatch", "is_active", "note")
        return ("is_active",)

    def has_delete_permission(self, request, obj=None):
        return False

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)

        class CheckedForm(form):
            def clean(self):
                data = super().clean()
                if obj is None:
                    category, territory = data.get("category"), data.get("territory")
                    if category is None and territory is None:
                        raise ValidationError("派遣规则至少要指定案件类别或属地之一。")
                    if RoutingRule.objects.filter(
                        is_active=True, category=category, territory=territory
                    ).exists():
                        raise ValidationError("该类别和属地已有有效的派遣规则,请先停用。")
                return data

            def validate_unique(self):
                # The service reports clashes in Chinese; the constraint's own message
                # would name the database index.
                pass

        return CheckedForm

    def save_model(self, request, obj, form, change):
        if change:
            return
        data = form.cleaned_data
        saved = catalog.routing_rule_create(
            category=data.get("category"),
            territory=data.get("territory"),
            unit=data["unit"],
            auto_dispatch=data.get("auto_dispatch", True),
            note=data.get("note") or "",
            actor=request.user,
        )
        obj.pk = saved.pk

    @admin.action(description="停用所选派遣规则")
    def deactivate(self, request, queryset):
        done = 0
        for rule in queryset.filter(is_active=True):
            catalog.routing_rule_deactivate(rule=rule, actor=request.user)
            done += 1
        self.message_user(request, f"已停用 {done} 条派遣规则。", messages.SUCCESS)


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
