from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chuangwen.core.errors import ServiceError
from chuangwen.core.scoping import CONFIGURE, require

from . import services
from .models import PublicGroup


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
