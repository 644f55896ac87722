import re

from django import forms
from django.utils.translation import gettext_lazy as _

from chuangwen.core.bounds import id_field
from chuangwen.core.errors import ServiceError

from .services import clean_mobile


class PortalReportForm(forms.Form):
    category = forms.CharField(required=False, strip=True)
    description = forms.CharField(required=False, strip=True)
    address = forms.CharField(required=False, strip=True)
    lat = forms.CharField(required=False, strip=True)
    lng = forms.CharField(required=False, strip=True)
    reporter_name = forms.CharField(required=False, strip=True)
    reporter_phone = forms.CharField(required=False, strip=True)
    form_key = forms.CharField(required=False, strip=True)
    website = forms.CharField(required=False, strip=True)
    follow_case_id = id_field(
        required=False, error_messages={"invalid": _("要跟进的案件编号不正确。")}
    )

    def clean(self):
        data = super().clean()
        # The service refuses one thing at a time; a citizen standing in the street gets
        # every missing piece named at once.
        following = data.get("follow_case_id") is not None
        if not data.get("category"):
            self.add_error("category", _("请选择问题类别。"))
        if not data.get("lat") or not data.get("lng"):
            self.add_error("lat", _("请点“定位到我的位置”,或在地图上点选问题所在的位置。"))
        if not data.get("description") and not following:
            self.add_error("description", _("请简要描述看到的问题。"))
        try:
            data["reporter_phone"] = clean_mobile(data.get("reporter_phone"))
        except ServiceError as error:
            self.add_error("reporter_phone", error.message)
        return data


class RateForm(forms.Form):
    rating = forms.CharField(required=False, strip=True)
    comment = forms.CharField(required=False, strip=True)


class ReopenForm(forms.Form):
    reason = forms.CharField(required=False, strip=True)


TOKEN_JUNK = re.compile(r"[\s\-]")


def clean_token(value: str | None) -> str:
    """A tracking code as typed or read out: spaces and dashes between groups dropped."""
    return TOKEN_JUNK.sub("", value or "").upper()[:32]
