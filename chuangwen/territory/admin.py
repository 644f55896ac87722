import json

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from chuangwen.core.admin import ReadOnlyAdmin
from chuangwen.core.errors import ServiceError
from chuangwen.core.geo import parse_polygonal

from .models import TerritoryNode, TerritoryState
from .services import territory_node_update

EDITABLE = ("name", "land_use", "management_level", "owner_unit", "is_active")


class TerritoryNodeForm(forms.ModelForm):
    geometry = forms.JSONField(
        label="边界(GeoJSON 几何)", required=False, widget=forms.Textarea(attrs={"rows": 6})
    )

    class Meta:
        model = TerritoryNode
        fields = (*EDITABLE, "geometry")

    def clean_geometry(self):
        value = self.cleaned_data.get("geometry")
        if value in (None, ""):
            return None
        if isinstance(value, str):
            value = json.loads(value)
        try:
            parse_polygonal(value)
        except ServiceError as exc:
            raise ValidationError(exc.message) from exc
        return value


@admin.register(TerritoryNode)
class TerritoryNodeAdmin(admin.ModelAdmin):
    """Nodes are added by import (``manage.py import_territory``); edits go through the
    territory service, which audits them and refreshes the routing index."""

    form = TerritoryNodeForm
    list_display = ("code", "name", "level", "kind", "land_use", "owner_unit", "is_active")
    list_filter = ("level", "kind", "land_use", "management_level", "is_active")
    search_fields = ("code", "name")
    autocomplete_fields = ("owner_unit",)
    readonly_fields = (
        "code",
        "level",
        "kind",
        "parent",
        "path",
        "area_km2",
        "centroid_lng",
        "centroid_lat",
    )
    fields = (*readonly_fields, *EDITABLE, "geometry")
    list_select_related = ("owner_unit",)
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        changes = {f: form.cleaned_data[f] for f in form.changed_data if f in EDITABLE}
        geometry = form.cleaned_data["geometry"] if "geometry" in form.changed_data else None
        territory_node_update(node=obj, actor=request.user, geometry=geometry, **changes)


@admin.register(TerritoryState)
class TerritoryStateAdmin(ReadOnlyAdmin):
    list_display = ("version", "changed_at")
