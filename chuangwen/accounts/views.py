from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.db import transaction
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from chuangwen.core.audit import audit


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("core:home")

    def form_valid(self, form):
        with transaction.atomic():
            response = super().form_valid(form)
            audit(
                actor=self.request.user,
                action="accounts.password_change",
                obj=self.request.user,
                summary="修改登录密码",
            )
        messages.success(self.request, _("密码已修改。"))
        return response
