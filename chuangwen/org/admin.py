from django.contrib import admin
from django.core.exceptions import ValidationError

from chuangwen.core.admin import AuditedAdmin
from chuangwen.core.errors import ServiceError

from .models import Membership, Pairing, Unit
from .services import UNIT_FIELDS, check_unit, unit_create, unit_update


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ("user",)


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    """Units are created and edited through the org services (their checks and audit)."""

    list_display = ("name", "kind", "territory", "parent", "contact_person", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("name", "short_name")
    autocomplete_fields = ("parent", "territory")
    list_select_related = ("territory", "parent")

    def get_readonly_fields(self, request, obj=None):
        return ("kind", "territory") if obj is not None else ()

    def has_delete_permission(self, request, obj=None):
        return False  # units are deactivated, never deleted: cases and scores point at them

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)

        class CheckedForm(form):
            def clean(self):
                data = super().clean()
                try:
                    check_unit(
                        name=data.get("name", ""),
                        kind=data.get("kind", obj.kind if obj else ""),
                        territory=data.get("territory", obj.territory if obj else None),
                        parent=data.get("parent"),
                    )
                except ServiceError as exc:
                    raise ValidationError(exc.message) from exc
                return data

        return CheckedForm

    def save_model(self, request, obj, form, change):
        if change:
            changes = {f: form.cleaned_data[f] for f in form.changed_data if f in UNIT_FIELDS}
            unit_update(unit=obj, actor=request.user, **changes)
        else:
            fields = {
                f: form.cleaned_data.get(f) or ""
                for f in ("short_name", "contact_person", "contact_phone", "address")
            }
            saved = unit_create(
                name=form.cleaned_data["name"],
                kind=form.cleaned_data["kind"],
                territory=form.cleaned_data.get("territory"),
                parent=form.cleaned_data.get("parent"),
                actor=request.user,
                **fields,
            )
            obj.pk = saved.pk


@admin.register(Membership)
class MembershipAdmin(AuditedAdmin):
    list_display = ("user", "unit", "role", "title", "is_active")
    list_filter = ("role", "is_active")
    search_fields = ("user__username", "user__full_name", "unit__name")
    autocomplete_fields = ("user", "unit")
    list_select_related = ("user", "unit")


@admin.register(Pairing)
class PairingAdmin(AuditedAdmin):
    list_display = ("unit", "territory", "starts_on", "ends_on")
    search_fields = ("unit__name", "territory__name")
    autocomplete_fields = ("unit", "territory")
    list_select_related = ("unit", "territory")
