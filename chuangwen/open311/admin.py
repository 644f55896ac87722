from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chuangwen.cases.choices import Channel
from chuangwen.core.errors import ServiceError
from chuangwen.core.scoping import CONFIGURE, scope_for
from chuangwen.org.models import Unit

from .choices import KEY_CHANNELS
from .models import Open311Key
from .selectors import keys_for
from .services import open311_key_create, open311_key_revoke


class Open311KeyForm(forms.ModelForm):
    class Meta:
        model = Open311Key
        fields = ("name", "unit", "channel")
        help_texts = {
            "name": gettext_lazy("对接的系统,如“12345 热线平台”"),
            "channel": gettext_lazy("12345 热线平台的密钥选“12345 热线”,其余选“Open311 接口”。"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A saved key is shown read-only: the form then has no fields to narrow.
        if "unit" in self.fields:
            self.fields["unit"].queryset = Unit.objects.filter(is_active=True).order_by("name")
            self.fields["channel"].choices = [(c, Channel(c).label) for c in KEY_CHANNELS]


@admin.register(Open311Key)
class Open311KeyAdmin(admin.ModelAdmin):
    """Keys are created and revoked through the services (checks and audit); the key
    itself appears once, in the message after creating it."""

    form = Open311KeyForm
    list_display = (
        "name",
        "prefix",
        "unit",
        "channel",
        "is_active",
        "created_at",
        "created_by",
        "last_used_at",
    )
    list_filter = ("is_active", "channel")
    search_fields = ("name", "prefix", "unit__name")
    actions = ("revoke",)

    @staticmethod
    def _may_manage(request) -> bool:
        return scope_for(request.user).for_action(CONFIGURE).citywide

    def has_module_permission(self, request):
        return self._may_manage(request)

    def has_view_permission(self, request, obj=None):
        return self._may_manage(request)

    def has_add_permission(self, request):
        return self._may_manage(request)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return keys_for(user=request.user, action=CONFIGURE)

    def get_readonly_fields(self, request, obj=None):
        return self.list_display if obj is not None else ()

    def get_fields(self, request, obj=None):
        return self.list_display if obj is not None else Open311KeyForm.Meta.fields

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        # The form offers only what the service accepts: active units, key channels.
        key, raw = open311_key_create(
            name=data["name"], unit_id=data["unit"].pk, channel=data["channel"], actor=request.user
        )
        obj.pk, obj.prefix, obj.created_at = key.pk, key.prefix, key.created_at
        messages.success(
            request,
            _("密钥“%(name)s”已创建:%(key)s 。它只显示这一次,请立即复制并交给对接方。")
            % {"name": key.name, "key": raw},
        )

    @admin.action(description=gettext_lazy("停用所选密钥"))
    def revoke(self, request, queryset):
        revoked = 0
        for key in queryset:
            try:
                open311_key_revoke(key_id=key.pk, actor=request.user)
            except ServiceError as exc:
                self.message_user(request, f"{key}: {exc.message}", messages.WARNING)
            else:
                revoked += 1
        if revoked:
            self.message_user(
                request, _("已停用 %(n)s 个密钥。") % {"n": revoked}, messages.SUCCESS
            )
