from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms.models import BaseInlineFormSet

from chuangwen.accounts.admin import register_user_inline
from chuangwen.core.errors import ServiceError
from chuangwen.core.types import Actor

from .models import Membership, Pairing, Unit
from .services import (
    PAIRING_FIELDS,
    UNIT_FIELDS,
    check_membership_change,
    check_membership_grant,
    check_membership_remove,
    check_pairing,
    check_unit,
    membership_change,
    membership_delete,
    membership_grant,
    membership_revoke,
    pairing_change,
    pairing_create,
    pairing_delete,
    unit_create,
    unit_update,
)

# What a membership form may change on an existing row (is_active: revoke or grant again).
MEMBERSHIP_CHANGES = ("unit", "role", "title")


def _checked(run) -> None:
    """A service's refusal as a form error, before anything is saved."""
    try:
        run()
    except ServiceError as exc:
        if exc.field:
            raise ValidationError({exc.field: exc.message}) from exc
        raise ValidationError(exc.message) from exc


def _may(run) -> bool:
    try:
        run()
    except ServiceError:
        return False
    return True


def check_membership_form(*, actor: Actor, data: dict, current: Membership | None, user) -> None:
    """The checks the services will make, on a membership form's cleaned data."""
    if current is None:
        _checked(
            lambda: check_membership_grant(
                user=user, unit=data["unit"], role=data["role"], actor=actor
            )
        )
        return
    _checked(
        lambda: check_membership_change(
            membership=current, unit=data["unit"], role=data["role"], actor=actor
        )
    )
    if data.get("is_active") and not current.is_active:  # granted again
        _checked(
            lambda: check_membership_grant(
                user=None, unit=data["unit"], role=data["role"], actor=actor
            )
        )


def save_membership(*, actor: Actor, instance: Membership, changed: list[str]) -> Membership:
    """Save a membership form through the services: grant a new one; change, revoke or
    grant again an existing one."""
    if instance.pk is None:
        saved = membership_grant(
            user=instance.user,
            unit=instance.unit,
            role=instance.role,
            title=instance.title,
            actor=actor,
        )
        if not instance.is_active:
            saved = membership_revoke(membership=saved, actor=actor)
        instance.pk = saved.pk
        return saved
    saved = instance
    changes = {f: getattr(instance, f) for f in MEMBERSHIP_CHANGES if f in changed}
    if changes:
        saved = membership_change(membership=instance, actor=actor, **changes)
    if "is_active" in changed:
        if instance.is_active:
            saved = membership_grant(
                user=saved.user, unit=saved.unit, role=saved.role, title=saved.title, actor=actor
            )
        else:
            saved = membership_revoke(membership=saved, actor=actor)
    return saved


class MembershipFormSet(BaseInlineFormSet):
    """The memberships on a user's page, checked and saved through the org services."""

    actor = None

    def clean(self):
        super().clean()
        errors = []
        current = Membership.objects.select_related("unit__territory", "user").in_bulk(
            [f.instance.pk for f in self.forms if f.instance.pk]
        )
        for form in self.forms:
            if not form.has_changed() or not hasattr(form, "cleaned_data"):
                continue
            row = current.get(form.instance.pk)
            try:
                if self._should_delete_form(form):
                    if row is not None:
                        _checked(
                            lambda r=row: check_membership_remove(membership=r, actor=self.actor)
                        )
                    continue
                if not form.cleaned_data.get("unit") or not form.cleaned_data.get("role"):
                    continue  # the form's own required-field errors say it
                check_membership_form(
                    actor=self.actor, data=form.cleaned_data, current=row, user=self.instance
                )
            except ValidationError as exc:
                errors.extend(exc.messages)
        if errors:
            raise ValidationError(errors)

    def save_through_services(self):
        # The admin's history message reads what formset.save() would have recorded.
        self.new_objects, self.changed_objects, self.deleted_objects = [], [], []
        for form in self.deleted_forms:
            if form.instance.pk is not None:
                membership_delete(membership=form.instance, actor=self.actor)
                self.deleted_objects.append(form.instance)
        for form in self.forms:
            if form in self.deleted_forms or not form.has_changed():
                continue
            form.instance.user = self.instance
            adding = form.instance.pk is None
            save_membership(actor=self.actor, instance=form.instance, changed=form.changed_data)
            if adding:
                self.new_objects.append(form.instance)
            else:
                self.changed_objects.append((form.instance, form.changed_data))


class MembershipInline(admin.TabularInline):
    model = Membership
    formset = MembershipFormSet
    extra = 0
    autocomplete_fields = ("unit",)

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.actor = request.user
        return formset


register_user_inline(MembershipInline)


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
class MembershipAdmin(admin.ModelAdmin):
    """Memberships are granted, changed, revoked and deleted through the org services
    (their checks and audit)."""

    list_display = ("user", "unit", "role", "title", "is_active")
    list_filter = ("role", "is_active")
    search_fields = ("user__username", "user__full_name", "unit__name")
    autocomplete_fields = ("user", "unit")
    list_select_related = ("user", "unit")

    def get_readonly_fields(self, request, obj=None):
        return ("user",) if obj is not None else ()

    def has_delete_permission(self, request, obj=None):
        if obj is None:
            return super().has_delete_permission(request)
        allowed = _may(lambda: check_membership_remove(membership=obj, actor=request.user))
        return allowed and super().has_delete_permission(request, obj)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        current = (
            Membership.objects.select_related("unit__territory", "user").get(pk=obj.pk)
            if obj is not None
            else None
        )

        class CheckedForm(form):
            def clean(self):
                data = super().clean()
                if data.get("unit") and data.get("role"):
                    check_membership_form(
                        actor=request.user,
                        data=data,
                        current=current,
                        user=data.get("user") if current is None else current.user,
                    )
                return data

        return CheckedForm

    def save_model(self, request, obj, form, change):
        save_membership(actor=request.user, instance=obj, changed=form.changed_data)

    def delete_model(self, request, obj):
        membership_delete(membership=obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        for membership in queryset.select_related("unit__territory"):
            if not _may(
                lambda m=membership: check_membership_remove(membership=m, actor=request.user)
            ):
                raise PermissionDenied
        for membership in queryset:
            membership_delete(membership=membership, actor=request.user)


@admin.register(Pairing)
class PairingAdmin(admin.ModelAdmin):
    """Pairings are created, changed and deleted through the org services."""

    list_display = ("unit", "territory", "starts_on", "ends_on")
    search_fields = ("unit__name", "territory__name")
    autocomplete_fields = ("unit", "territory")
    list_select_related = ("unit", "territory")

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)

        class CheckedForm(form):
            def clean(self):
                data = super().clean()
                if all(data.get(f) for f in ("unit", "territory", "starts_on", "ends_on")):
                    _checked(
                        lambda: check_pairing(
                            unit=data["unit"],
                            territory=data["territory"],
                            starts_on=data["starts_on"],
                            ends_on=data["ends_on"],
                            pairing=obj,
                        )
                    )
                return data

        return CheckedForm

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if change:
            changes = {f: data[f] for f in form.changed_data if f in PAIRING_FIELDS}
            if changes:
                pairing_change(pairing=obj, actor=request.user, **changes)
            return
        saved = pairing_create(
            unit=data["unit"],
            territory=data["territory"],
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
            note=data.get("note") or "",
            actor=request.user,
        )
        obj.pk = saved.pk

    def delete_model(self, request, obj):
        pairing_delete(pairing=obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        for pairing in queryset:
            pairing_delete(pairing=pairing, actor=request.user)
