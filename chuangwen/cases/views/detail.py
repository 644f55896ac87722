"""The case page: the case, its workflow forms and publication, and its evidence photos."""

from __future__ import annotations

import mimetypes

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from chuangwen.core.errors import ServiceError
from chuangwen.core.workcalendar import TimeType
from chuangwen.territory.selectors import feature

from .. import permissions, selectors, services
from ..choices import (
    AccountabilityKind,
    Action,
    OverdueLevel,
    PhotoKind,
    Publicity,
    Satisfaction,
    Status,
    SupervisionKind,
    SupervisionStatus,
)
from ..disclosure import CASE_PAGE, reporter_disclose
from ..forms import NOTE_REQUIRED, PHOTO_ACTIONS, ActionForm, PublicityForm
from ..models import Case
from ._shared import _grouped_units, _unit_choices

CONTINUOUS_TYPES = (TimeType.EMERGENCY_HOURS, TimeType.NATURAL_DAYS)
# What the note of each step is called on its form; the service names it the same way in
# its refusal ("请填写回退理由。").
NOTE_LABELS = {
    Action.REJECT: gettext_lazy("不予受理的理由"),
    Action.SEND_BACK: gettext_lazy("回退理由"),
    Action.POSTPONE: gettext_lazy("延期理由"),
    Action.POSTPONE_REJECT: gettext_lazy("驳回理由"),
    Action.VERIFY_FAIL: gettext_lazy("核查不通过的理由"),
    Action.REOPEN: gettext_lazy("重新立案理由"),
    Action.CANCEL: gettext_lazy("作废理由"),
}


# Steps that turn a case away or back: folded away so the step that moves it on is the
# obvious one, and drawn as a warning.
SECONDARY_ACTIONS = frozenset(NOTE_LABELS) | {Action.MERGE}


def _duration_formats() -> dict[str, str]:
    # Handed to the page as well, so the ticking script words it the same way.
    return {
        "left": _("剩余 %(time)s"),
        "late": _("已超时 %(time)s"),
        "d": _("%(d)s 天 %(h)s 小时 %(m)s 分"),
        "h": _("%(h)s 小时 %(m)s 分"),
        "m": _("%(m)s 分"),
    }


def _duration(minutes: float, continuous: bool, formats: dict[str, str]) -> str:
    total = int(abs(minutes))
    hours, mins = divmod(total, 60)
    if continuous and hours >= 24:
        days, hours = divmod(hours, 24)
        return formats["d"] % {"d": days, "h": hours, "m": mins}
    if hours:
        return formats["h"] % {"h": hours, "m": mins}
    return formats["m"] % {"m": mins}


def countdown(case: Case) -> dict | None:
    """The handling clock as the page shows it: "剩余 3 小时 20 分" or "已超时 …"."""
    remaining = selectors.remaining_minutes(case)
    if remaining is None:
        return None
    continuous = case.time_type in CONTINUOUS_TYPES
    formats = _duration_formats()
    late = remaining < 0
    text = _duration(remaining, continuous, formats)
    return {
        "minutes": round(remaining, 1),
        "late": late,
        "continuous": continuous,
        "text": formats["late" if late else "left"] % {"time": text},
        "formats": formats,
    }


def _event_detail(event) -> str:
    data = event.data or {}
    if event.action == Action.DISPATCH and data.get("unit_name"):
        return _("派遣至 %(unit)s") % {"unit": data["unit_name"]}
    if event.action == Action.SEND_BACK and data.get("unit_name"):
        return _("%(unit)s 回退") % {"unit": data["unit_name"]}
    if event.action == Action.POSTPONE and data.get("value"):
        return _("申请延长 %(value)s") % {"value": data["value"]}
    if event.action == Action.VERIFY_FAIL and data.get("rework"):
        return _("返工 %(n)s") % {"n": data["rework"]}
    if event.action == Action.RATE and data.get("rating") in Satisfaction.values:
        return str(Satisfaction(data["rating"]).label)
    if event.action == Action.MERGE and data.get("into"):
        return _("并入 %(code)s") % {"code": data["into"]}
    return ""


def _timeline(user, case: Case) -> list[dict]:
    labels = dict(Status.choices)
    return [
        {
            "event": e,
            "actor": actor,
            "from": labels.get(e.from_status, ""),
            "to": labels.get(e.to_status, ""),
            "detail": _event_detail(e),
        }
        for e, actor in selectors.case_timeline(user=user, case=case)
    ]


def _detail_context(request, case: Case, **extra) -> dict:
    user = request.user
    actions = selectors.allowed_actions(user=user, case=case)
    photos = list(case.photos.all())
    supervisions = list(selectors.supervision_list(user=user).filter(case=case))
    reporter = reporter_disclose(user=user, case=case, via=CASE_PAGE)
    nodes = [n for n in (case.street, case.community, case.grid) if n is not None]
    context = {
        "case": case,
        "actions": [
            {
                "code": a,
                "label": Action(a).label,
                "note_label": NOTE_LABELS.get(a, _("意见")),
                "note_required": a in NOTE_REQUIRED,
                "photo": a in PHOTO_ACTIONS,
                "secondary": a in SECONDARY_ACTIONS,
            }
            for a in actions
        ],
        "countdown": countdown(case),
        "reporter": reporter,
        "photo_groups": [
            (label, [p for p in photos if p.kind == kind])
            for kind, label in PhotoKind.choices
            if any(p.kind == kind for p in photos)
        ],
        "has_after_photo": any(p.kind == PhotoKind.AFTER for p in photos),
        "timeline": _timeline(user, case),
        "supervisions": supervisions,
        "answerable": {
            s.pk
            for s in supervisions
            if s.status == SupervisionStatus.OPEN and permissions.acts_for_unit(user, s.unit_id)
        },
        "pending": selectors.pending_postponement(case),
        "duplicate_candidates": (
            selectors.duplicate_candidates(
                user=user,
                category=case.category.code,
                lat=case.lat,
                lng=case.lng,
                exclude_id=case.pk,
            )
            if case.is_open
            else []
        ),
        "merged_reports": list(selectors.duplicates_of(user=user, case=case)),
        "can_supervise": permissions.may(user, Action.SUPERVISE, case)
        and case.is_open
        and case.unit_id is not None,
        "can_hold_accountable": permissions.holds_accountable(user),
        "publicity": {
            "public": selectors.is_public(case),
            "text": selectors.public_description(case),
            "editable": permissions.decides_publicity(user),
            "choices": Publicity.choices,
        },
        "accountabilities": list(selectors.accountability_list(user=user).filter(case=case)),
        "accountability_kinds": AccountabilityKind.choices,
        "supervision_kinds": [
            (SupervisionKind.LEADER, SupervisionKind.LEADER.label),
            (SupervisionKind.KEY, SupervisionKind.KEY.label),
        ],
        "unit_groups": (_grouped_units(_unit_choices(user)) if Action.DISPATCH in actions else []),
        "chain": [n for n in (case.district, case.street, case.community, case.grid) if n],
        "map_features": {"type": "FeatureCollection", "features": [feature(n) for n in nodes]},
        "time_type_label": TimeType(case.time_type).label,
        "overdue_label": OverdueLevel(case.overdue_level).label,
        "failed": "",
        "failed_answer": None,
        "posted": {},
        "error": None,
    }
    context.update(extra)
    return context


def _refused(request, case_id: int, error: ServiceError, *, failed: str, **extra):
    """The detail page again, fresh from the database, with the refusal beside the form."""
    case = selectors.case_get(user=request.user, case_id=case_id, with_geometry=True)
    context = _detail_context(
        request, case, failed=failed, posted=request.POST, error=error, **extra
    )
    return render(request, "cases/case_detail.html", context, status=error.status_code)


def _form_error(form) -> ServiceError:
    field, errors = next(iter(form.errors.items()))
    return ServiceError(str(errors[0]), field=field)


@login_required
@require_GET
def case_detail(request, pk: int):
    case = selectors.case_get(user=request.user, case_id=pk, with_geometry=True)
    return render(request, "cases/case_detail.html", _detail_context(request, case))


@login_required
@require_POST
def case_act(request, pk: int):
    case = selectors.case_get(user=request.user, case_id=pk)  # 404 outside the scope
    form = ActionForm(request.POST)
    if not form.is_valid():
        return _refused(request, pk, _form_error(form), failed=request.POST.get("action", ""))
    data = form.cleaned_data
    action = data["action"]
    try:
        photo_ids = []
        # A stale page uploads nothing: the service turns it away with its 409 anyway.
        if action in PHOTO_ACTIONS and data["version"] == case.version:
            photo_ids = [
                services.photo_upload(upload=f, actor=request.user, kind=PHOTO_ACTIONS[action]).pk
                for f in request.FILES.getlist("photos")
            ]
        into_id = data["into"]
        if action == Action.MERGE and data["into_code"]:
            into_id = selectors.case_id_for_code(user=request.user, code=data["into_code"])
        case = services.case_transition(
            case_id=pk,
            action=action,
            actor=request.user,
            note=data["note"],
            version=data["version"],
            unit_id=data["unit"],
            value=data["value"] or None,
            photo_ids=photo_ids,
            into_id=into_id,
        )
    except services.CaseNotFoundError:
        # Another step, taken meanwhile, moved the case out of the user's sight.
        messages.error(request, _("案件已被他人处理,请刷新后重试。"))
        return _back_to(request, pk)
    except ServiceError as error:
        return _refused(request, pk, error, failed=action)
    if action == Action.DISPATCH:
        text = _("已派遣至%(unit)s。") % {"unit": case.unit.name}
    elif action == Action.MERGE:
        text = _("已合并到案件 %(code)s。") % {"code": case.duplicate_of.code}
    else:
        text = _("已完成“%(action)s”。") % {"action": Action(action).label}
    messages.success(request, text)
    return _back_to(request, pk)


def _back_to(request, pk: int):
    """The case again, unless the step took it out of the user's sight (a unit without a
    territory that sends a case back no longer sees it): then their inbox."""
    try:
        selectors.case_get(user=request.user, case_id=pk)
    except Http404:
        return redirect("cases:inbox")
    return redirect("cases:detail", pk=pk)


@login_required
@require_POST
def case_publicity(request, pk: int):
    selectors.case_get(user=request.user, case_id=pk)  # 404 outside the scope
    form = PublicityForm(request.POST)
    if not form.is_valid():
        return _refused(request, pk, _form_error(form), failed="publicity")
    data = form.cleaned_data
    try:
        case = services.case_publicity_set(
            case_id=pk,
            actor=request.user,
            publicity=data["publicity"],
            public_text=data["public_text"],
            version=data["version"],
        )
    except ServiceError as error:
        return _refused(request, pk, error, failed="publicity")
    if selectors.is_public(case):
        messages.success(request, _("案件将在市民随手拍和 Open311 上公开。"))
    else:
        messages.success(request, _("案件不在公开渠道显示。"))
    return redirect("cases:detail", pk=pk)


# -- evidence --------------------------------------------------------------------------------
@login_required
@require_GET
def photo(request, pk: int):
    """Evidence is served only to those who may see its case (or, before it is attached,
    to its uploader): the pictures show people and places, so they are not public media."""
    row = selectors.photo_get(user=request.user, photo_id=pk)
    try:
        handle = row.image.open("rb")
    except FileNotFoundError:
        raise Http404("photo") from None
    content_type = mimetypes.guess_type(row.image.name)[0] or "application/octet-stream"
    response = FileResponse(handle, content_type=content_type)
    response["Cache-Control"] = "private, max-age=86400"
    response["X-Content-Type-Options"] = "nosniff"
    return response
