"""Forms of the case pages. They only check that the request is well formed; every rule of
the case loop (what may be done, by whom, with which values) stays in the services, whose
refusals the views show next to the form that caused them."""

from __future__ import annotations

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from chuangwen.core.bounds import id_field, parse_id

from . import permissions
from .choices import AccountabilityKind, Action, Publicity, SupervisionKind

# Actions whose form carries a file input, and the kind of photo it stores.
PHOTO_ACTIONS = {Action.FINISH: "after", Action.VERIFY_OK: "verify", Action.VERIFY_FAIL: "verify"}
# Actions that refuse an empty note in the service; the page marks the field required.
NOTE_REQUIRED = frozenset(
    {
        Action.REJECT,
        Action.SEND_BACK,
        Action.POSTPONE,
        Action.POSTPONE_REJECT,
        Action.VERIFY_FAIL,
        Action.REOPEN,
        Action.CANCEL,
    }
)


def _ids(text: str) -> list[int]:
    return [number for part in (text or "").split(",") if (number := parse_id(part)) is not None]


class ActionForm(forms.Form):
    action = forms.ChoiceField(
        choices=[(a, a) for a in permissions.WORKFLOW_ACTIONS],
        error_messages={"invalid_choice": _("未知的操作。"), "required": _("未知的操作。")},
    )
    # The version the page was rendered with: a step taken meanwhile makes the service
    # answer 409 instead of acting on a case the user has not seen.
    version = forms.IntegerField(
        min_value=1,
        error_messages={
            "required": _("页面已过期,请刷新后重试。"),
            "invalid": _("页面已过期,请刷新后重试。"),
        },
    )
    note = forms.CharField(required=False, strip=True)
    unit = id_field(required=False, error_messages={"invalid": _("请选择责任单位。")})
    value = forms.CharField(required=False, strip=True)
    # merge: one of the duplicates offered, or a case code typed in.
    into = id_field(required=False, error_messages={"invalid": _("请选择要合并到的案件。")})
    into_code = forms.CharField(required=False, strip=True, max_length=20)


class PublicityForm(forms.Form):
    publicity = forms.ChoiceField(
        choices=Publicity.choices,
        error_messages={"invalid_choice": _("请选择公开方式。"), "required": _("请选择公开方式。")},
    )
    public_text = forms.CharField(required=False, strip=True)
    version = forms.IntegerField(
        min_value=1,
        error_messages={
            "required": _("页面已过期,请刷新后重试。"),
            "invalid": _("页面已过期,请刷新后重试。"),
        },
    )


class AccountabilityForm(forms.Form):
    kind = forms.ChoiceField(
        choices=AccountabilityKind.choices,
        error_messages={"invalid_choice": _("请选择问责方式。"), "required": _("请选择问责方式。")},
    )
    unit = id_field(required=False, error_messages={"invalid": _("请选择问责单位。")})
    person_name = forms.CharField(required=False, strip=True)
    points = forms.DecimalField(required=False, error_messages={"invalid": _("扣分须为数字。")})
    reason = forms.CharField(required=False, strip=True)


class SupervisionForm(forms.Form):
    kind = forms.ChoiceField(
        choices=[
            (SupervisionKind.LEADER, SupervisionKind.LEADER.label),
            (SupervisionKind.KEY, SupervisionKind.KEY.label),
        ],
        error_messages={"invalid_choice": _("请选择督办类型。"), "required": _("请选择督办类型。")},
    )
    note = forms.CharField(required=False, strip=True)
    reply_days = forms.IntegerField(
        required=False, error_messages={"invalid": _("回复期限须为整数。")}
    )


class AnswerForm(forms.Form):
    answer = forms.CharField(required=False, strip=True)


class SavedViewForm(forms.Form):
    name = forms.CharField(required=False, strip=True)
    query = forms.CharField(required=False, strip=True)


class ReportForm(forms.Form):
    category = forms.CharField(required=False, strip=True)
    description = forms.CharField(required=False, strip=True)
    address = forms.CharField(required=False, strip=True)
    lat = forms.CharField(required=False, strip=True)
    lng = forms.CharField(required=False, strip=True)
    idempotency_key = forms.CharField(required=False, strip=True, max_length=80)
    # Set when the reporter chose to follow an open case nearby instead of a new one.
    follow_case_id = id_field(required=False)
    # Photos already stored by an earlier attempt that the service refused: the reporter
    # does not have to take them again.
    photo_ids = forms.CharField(required=False)

    def clean(self):
        data = super().clean()
        # The service would refuse these one at a time; the reporter on the street gets
        # every missing piece named at once.
        if not data.get("category"):
            self.add_error("category", _("请选择案件类别。"))
        if not data.get("description"):
            self.add_error("description", _("请填写问题描述。"))
        if not data.get("lat") or not data.get("lng"):
            self.add_error("lat", _("请先定位,或在地图上点选问题位置。"))
        data["photo_ids"] = _ids(data.get("photo_ids", ""))
        if not data.get("idempotency_key"):
            data["idempotency_key"] = uuid.uuid4().hex
        return data
