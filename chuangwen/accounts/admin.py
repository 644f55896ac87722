from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from chuangwen.core.admin import AuditedAdmin
from chuangwen.core.errors import ServiceError

from .models import ApiToken, User
from .services import api_token_revoke


@admin.register(User)
class UserAdmin(AuditedAdmin, BaseUserAdmin):
    list_display = ("username", "full_name", "phone", "is_active", "is_staff", "last_login")
    search_fields = ("username", "full_name", "phone")
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("个人信息", {"fields": ("full_name", "phone", "email")}),
        (
            "权限",
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        ("时间", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("username", "full_name", "phone", "password1", "password2"),
            },
        ),
    )
    # Apps above accounts add their rows of a user here (org: the memberships).
    inlines = ()

    def save_formset(self, request, form, formset, change):
        # An inline whose rows are written by its app's services saves through them.
        save_through_services = getattr(formset, "save_through_services", None)
        if save_through_services is not None:
            save_through_services()
        else:
            super().save_formset(request, form, formset, change)


def register_user_inline(inline) -> None:
    """Show ``inline`` on each user's page (called by the admin module of its app)."""
    if inline not in UserAdmin.inlines:
        UserAdmin.inlines = (*UserAdmin.inlines, inline)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are created with ``manage.py create_api_token`` (the token is shown once)."""

    list_display = (
        "prefix",
        "name",
        "user",
        "created_at",
        "last_used_at",
        "expires_at",
        "revoked_at",
    )
    list_filter = ("revoked_at",)
    search_fields = ("name", "prefix", "user__username")
    readonly_fields = (
        "user",
        "name",
        "prefix",
        "created_at",
        "last_used_at",
        "expires_at",
        "revoked_at",
    )
    exclude = ("key_hash",)
    actions = ("revoke",)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description="吊销所选令牌")
    def revoke(self, request, queryset):
        for token in queryset:
            try:
                api_token_revoke(token=token, actor=request.user)
            except ServiceError as exc:
                self.message_user(request, f"{token}: {exc.message}", messages.WARNING)
