from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _

from .services import user_password_change


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's form checks the old password; the service sets and audits the new one."""

    template_name = "accounts/password_change.html"

    def form_valid(self, form):
        user = user_password_change(
            user=self.request.user,
            new_password=form.cleaned_data["new_password1"],
            actor=self.request.user,
        )
        update_session_auth_hash(self.request, user)
        messages.success(self.request, _("密码已修改。"))
        return redirect("core:home")
