from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chuangwen.core.errors import ServiceError
from chuangwen.core.scoping import CONFIGURE, require

from . import checks, services
from .models import CaseStandard, Category, PublicGroup, RoutingRule


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
                        lambda: checks.check_category_code(
                            kind=data["kind"],
                            code=checks.clean_code(data["code"]),
                            parent=data.get("parent"),
                        )
                    )
                for name, label, high in (
                    ("duplicate_radius_m", "重复判定半径", checks.MAX_RADIUS_M),
                    ("duplicate_window_days", "重复判定时间窗", checks.MAX_WINDOW_DAYS),
                ):
                    if data.get(name) is not None:
                        _checked(
                            lambda n=name, lb=label, h=high: checks.check_whole_number(
                                data[n], label=lb, field=n, low=1, high=h
                            )
                        )
                return data

        return CheckedForm

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if change:
            changes = {
                f: data[f] for f in form.changed_data if f in checks.CATEGORY_FIELDS and f in data
            }
            if changes:
                services.category_update(category=obj, actor=request.user, **changes)
            return
        saved = services.category_create(
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
            services.category_update(category=saved, actor=request.user, **extra)
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
                        lambda: checks.check_standard_code(
                            category=data["category"], code=checks.clean_code(data["code"])
                        )
                    )
                if data.get("time_type") and data.get("time_value") is not None:
                    _checked(lambda: checks.check_time_limit(data["time_type"], data["time_value"]))
                return data

        return CheckedForm

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if change:
            changes = {
                f: data[f] for f in form.changed_data if f in checks.STANDARD_FIELDS and f in data
            }
            if changes:
                services.standard_update(standard=obj, actor=request.user, **changes)
            return
        saved = services.standard_create(
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
            services.standard_update(standard=saved, actor=request.user, is_active=False)
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
        saved = services.routing_rule_create(
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
            services.routing_rule_deactivate(rule=rule, actor=request.user)
            done += 1
        self.message_user(request, f"已停用 {done} 条派遣规则。", messages.SUCCESS)


@admin.register(PublicGroup)
class PublicGroupAdmin(admin.ModelAdmin):
    """Saved through the services, so an admin edit is checked and audited like any other."""

    list_display = ("name", "hint", "position", "category_count")
    search_fields = ("name", "hint", "categories__name", "categories__code")
    ordering = ("position", "name")
    filter_horizontal = ("categories",)

    @admin.display(description=gettext_lazy("小类数"))
    def category_count(self, obj):
        return obj.categories.count()

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)

        class CheckedForm(form):
            def clean(self):
                data = super().clean()
                # The service's refusals, as form errors instead of a failed save.
                try:
                    require(request.user, CONFIGURE)
                except ServiceError as error:
                    raise ValidationError(error.message) from error
                inactive = [c.name for c in data.get("categories") or () if not c.is_active]
                if inactive:
                    raise ValidationError(
                        {
                            "categories": _("以下小类已停用:%(names)s")
                            % {"names": "、".join(inactive)}
                        }
                    )
                return data

        return CheckedForm

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        saved = services.public_group_save(
            actor=request.user,
            name=data["name"],
            hint=data.get("hint", ""),
            position=data.get("position") or 0,
            category_codes=[c.code for c in data.get("categories") or ()],
            group_id=obj.pk if change else None,
        )
        obj.pk = saved.pk
        obj.refresh_from_db()

    def save_related(self, request, form, formsets, change):
        # The service has set the categories; the form's own M2M save would write them again.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def delete_model(self, request, obj):
        services.public_group_delete(actor=request.user, group_id=obj.pk)

    def delete_queryset(self, request, queryset):
        for group in queryset:
            services.public_group_delete(actor=request.user, group_id=group.pk)
