from django.contrib import admin

from chuangwen.core.admin import AuditedAdmin

from .models import Membership, Pairing, Unit


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ("user",)


@admin.register(Unit)
class UnitAdmin(AuditedAdmin):
    list_display = ("name", "kind", "territory", "parent", "contact_person", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("name", "short_name")
    autocomplete_fields = ("parent", "territory")
    list_select_related = ("territory", "parent")


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
