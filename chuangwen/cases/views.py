"""The case pages: list, detail with its workflow forms, inbox, map, field report and
supervision orders. Every read goes through ``selectors`` (scoped to the user, 404 outside
the scope) and every write through ``services``; a refusal (``ServiceError``) is shown as a
message on the page that asked, with the status code the service chose."""

from __future__ import annotations

import mimetypes
import uuid
from itertools import groupby

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import models as db
from django.http import FileResponse, Http404, JsonResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from chuangwen.catalog import selectors as catalog
from chuangwen.core.bounds import EARLIEST, LATEST
from chuangwen.core.errors import ServiceError
from chuangwen.core.scoping import VIEW, scope_for
from chuangwen.core.web import is_htmx, json_refusal, list_query
from chuangwen.core.workcalendar import TimeType, get_calendar
from chuangwen.org.choices import UnitKind
from chuangwen.org.models import Unit
from chuangwen.org.selectors import unit_list
from chuangwen.territory.choices import Level
from chuangwen.territory.selectors import feature, node_queryset, scope_roots

from . import permissions, selectors, services
from .choices import (
    AccountabilityKind,
    Action,
    Channel,
    OverdueLevel,
    PhotoKind,
    Publicity,
    Satisfaction,
    Status,
    SupervisionKind,
    SupervisionStatus,
)
from .disclosure import CASE_PAGE, reporter_disclose
from .forms import (
    NOTE_REQUIRED,
    PHOTO_ACTIONS,
    AccountabilityForm,
    ActionForm,
    AnswerForm,
    PublicityForm,
    ReportForm,
    SavedViewForm,
    SupervisionForm,
)
from .models import Case

PAGE_SIZE = 50
INBOX_LABELS = {
    "to_sign": gettext_lazy("待签收"),
    "in_progress": gettext_lazy("处置中"),
    "overdue": gettext_lazy("已超时"),
    "to_verify": gettext_lazy("待核查"),
}
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


# -- UI-only reads: the choices offered by the filter and workflow forms ----------------------
def _territory_options(user) -> list[dict]:
    """Districts and streets for a city-wide user; streets and communities for one whose
    scope starts lower, so the select is never just the user's own node."""
    citywide = scope_for(user).for_action(VIEW).citywide
    levels = (Level.DISTRICT, Level.STREET) if citywide else (Level.STREET, Level.COMMUNITY)
    nodes = node_queryset(user).filter(level__in=levels).only("code", "name", "level", "path")
    return [
        {"code": n.code, "name": n.name, "indent": n.level == levels[1]}
        for n in nodes.order_by("path")
    ]


def _category_options() -> list[dict]:
    options = []
    for major in catalog.category_tree():
        options.append({"code": major.category.code, "name": major.category.name, "major": True})
        options.extend({"code": m.code, "name": m.name, "major": False} for m in major.minors)
    return options


def _grouped_units(units) -> list[tuple[str, list[Unit]]]:
    labels = dict(UnitKind.choices)
    rank = {kind: i for i, kind in enumerate(UnitKind.values)}
    ordered = sorted(units, key=lambda u: (rank.get(u.kind, 99), u.name))
    return [
        (labels.get(kind, kind), list(rows))
        for kind, rows in groupby(ordered, key=lambda u: u.kind)
    ]


FILTER_LABELS = {
    "date_from": gettext_lazy("上报日期从"),
    "date_to": gettext_lazy("上报日期至"),
    "unit": gettext_lazy("责任单位"),
}


def _filter_error(filters: selectors.CaseFilter) -> str:
    if not filters.invalid:
        return ""
    names = "、".join(str(FILTER_LABELS.get(name, name)) for name in filters.invalid)
    return _("筛选条件有误,未生效:%(names)s(日期应为 YYYY-MM-DD 格式的有效日期)。") % {
        "names": names
    }


def _filter_context(request, filters: selectors.CaseFilter) -> dict:
    return {
        "filters": filters,
        "filter_error": _filter_error(filters),
        "raw": request.GET,
        "statuses": Status.choices,
        "channels": Channel.choices,
        "category_options": _category_options(),
        "territory_options": _territory_options(request.user),
        "unit_groups": _grouped_units(_unit_choices(request.user)),
    }


def _unit_choices(user):
    """Units the user may pick (to filter by or dispatch to): those of their scope and
    the city-wide directory."""
    return (
        unit_list(user=user).filter(is_active=True).select_related(None).only("id", "name", "kind")
    )


def _outline_urls(user) -> list[str]:
    """GeoJSON of what the user's scope is made of: the districts for the city office,
    the streets (or communities …) below a street or district user's own node."""
    return [reverse("territory:children_geojson", args=[n.code]) for n in scope_roots(user=user)]


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


# -- pages -----------------------------------------------------------------------------------
@login_required
@require_GET
def case_list(request):
    filters = selectors.CaseFilter.from_params(request.GET)
    cases = selectors.case_list(user=request.user, filters=filters)
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    query = list_query(request)
    context = {
        "page": page,
        "query": query,
        "table_url": reverse("cases:list"),
        **_filter_context(request, filters),
    }
    status = 400 if filters.invalid else 200
    if is_htmx(request):
        return render(request, "cases/_case_table.html", context, status=status)
    context["saved_views"] = selectors.saved_views(user=request.user)
    return render(request, "cases/case_list.html", context, status=status)


@login_required
@require_GET
def inbox(request):
    counts = selectors.inbox_counts(user=request.user)
    box = request.GET.get("box") or ""
    if box not in selectors.INBOXES:
        # Open on the first box with work in it, so the page answers "what now?".
        box = next((b for b in selectors.INBOXES if counts.get(b)), selectors.INBOXES[0])
    cases = selectors.case_list(user=request.user, filters=selectors.CaseFilter(box=box))
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "cases/inbox.html",
        {
            "page": page,
            "box": box,
            "query": f"box={box}",
            "tabs": [(b, INBOX_LABELS[b], counts.get(b, 0)) for b in selectors.INBOXES],
        },
    )


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
def case_supervise(request, pk: int):
    selectors.case_get(user=request.user, case_id=pk)
    form = SupervisionForm(request.POST)
    if not form.is_valid():
        return _refused(request, pk, _form_error(form), failed="supervise")
    try:
        order = services.supervision_issue(
            case_id=pk,
            kind=form.cleaned_data["kind"],
            note=form.cleaned_data["note"],
            reply_days=form.cleaned_data["reply_days"] or 1,
            actor=request.user,
        )
    except ServiceError as error:
        return _refused(request, pk, error, failed="supervise")
    messages.success(
        request,
        _("已向%(unit)s下发%(kind)s。")
        % {"unit": order.unit.name, "kind": order.get_kind_display()},
    )
    return redirect("cases:detail", pk=pk)


@login_required
@require_POST
def case_accountability(request, pk: int):
    selectors.case_get(user=request.user, case_id=pk)  # 404 outside the scope
    form = AccountabilityForm(request.POST)
    if not form.is_valid():
        return _refused(request, pk, _form_error(form), failed="accountability")
    data = form.cleaned_data
    try:
        record = services.accountability_record(
            unit_id=data["unit"],
            kind=data["kind"],
            reason=data["reason"],
            points=data["points"] or 0,
            person_name=data["person_name"],
            case_id=pk,
            actor=request.user,
        )
    except ServiceError as error:
        return _refused(request, pk, error, failed="accountability")
    messages.success(
        request,
        _("已记录对%(unit)s的问责:%(kind)s。")
        % {"unit": record.unit.name, "kind": record.get_kind_display()},
    )
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


@login_required
@require_POST
def supervision_answer(request, pk: int):
    order = selectors.supervision_list(user=request.user).filter(pk=pk).first()
    if order is None:
        raise Http404("supervision")
    form = AnswerForm(request.POST)
    form.is_valid()
    try:
        services.supervision_answer(
            supervision_id=pk, answer=form.cleaned_data.get("answer", ""), actor=request.user
        )
    except ServiceError as error:
        return _refused(request, order.case_id, error, failed="answer", failed_answer=pk)
    messages.success(request, _("督办单已回复。"))
    return redirect("cases:detail", pk=order.case_id)


@login_required
@require_GET
def supervision_list(request):
    open_only = request.GET.get("open") == "1"
    orders = selectors.supervision_list(user=request.user, open_only=open_only).order_by(
        db.Case(
            db.When(status=SupervisionStatus.OPEN, then=db.Value(0)),
            default=db.Value(1),
            output_field=db.IntegerField(),
        ),
        "-issued_at",
        "-id",
    )
    page = Paginator(orders, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "open_only": open_only, "query": list_query(request)}
    return render(request, "cases/supervision_list.html", context)


def _month_range(text: str):
    """The first moments of a month ("2026-11") and of the next, in the city's time zone."""
    from datetime import datetime

    tz = get_calendar().tz
    try:
        start = datetime.strptime(text, "%Y-%m").replace(tzinfo=tz)
    except ValueError:
        return None, None
    # The calendar's first and last years have no month before or after them to compare.
    if not EARLIEST.year <= start.year < LATEST.year:
        return None, None
    end = (
        start.replace(year=start.year + 1, month=1)
        if start.month == 12
        else start.replace(month=start.month + 1)
    )
    return start, end


@login_required
@require_GET
def satisfaction(request):
    """回访满意率 and reopen requests per unit or category, for a month or all time."""
    by = request.GET.get("by", "unit")
    if by not in selectors.SATISFACTION_GROUPS:
        by = "unit"
    month = request.GET.get("month", "").strip()
    since, until = _month_range(month) if month else (None, None)
    rows = selectors.satisfaction_stats(user=request.user, by=by, since=since, until=until)
    total = selectors.SatisfactionRow(None, _("合计"))
    for row in rows:
        for name in ("rated", "satisfied", "basic", "dissatisfied", "reopen_requests", "reopened"):
            setattr(total, name, getattr(total, name) + getattr(row, name))
    context = {
        "rows": rows,
        "total": total,
        "by": by,
        "month": month if since else "",
        "month_error": bool(month) and since is None,
        "pending": selectors.reopen_requests(user=request.user, pending_only=True)[:50],
        "can_decide": permissions.operates_somewhere(request.user),
    }
    return render(request, "cases/satisfaction.html", context)


@login_required
@require_POST
def reopen_request_decide(request, pk: int):
    if not selectors.reopen_requests(user=request.user).filter(pk=pk).exists():
        raise Http404("reopen request")
    approve = request.POST.get("decision") == "approve"
    try:
        decided = services.reopen_request_decide(
            request_id=pk, approve=approve, actor=request.user, note=request.POST.get("note", "")
        )
    except ServiceError as error:
        messages.error(request, error.message)
        return redirect(reverse("cases:satisfaction") + "#reopen-requests")
    code = decided.target.code
    if approve:
        messages.success(request, _("已批准,案件 %(code)s 重新立案。") % {"code": code})
    else:
        messages.success(request, _("已驳回案件 %(code)s 的重新办理申请。") % {"code": code})
    return redirect(reverse("cases:satisfaction") + "#reopen-requests")


@login_required
@require_GET
def case_map(request):
    filters = selectors.CaseFilter.from_params(request.GET)
    return render(
        request,
        "cases/case_map.html",
        {
            "outline_urls": _outline_urls(request.user),
            "query": list_query(request),
            "label_count": _("共 %(n)s 件案件"),
            "label_truncated": _("只显示前 %(n)s 件,请缩小筛选范围。"),
            "table_url": reverse("cases:map"),
            **_filter_context(request, filters),
        },
        status=400 if filters.invalid else 200,
    )


@login_required
@require_GET
def map_json(request):
    filters = selectors.CaseFilter.from_params(request.GET)
    if filters.invalid:
        return json_refusal(_filter_error(filters), status=400, field=filters.invalid[0])
    limit = 5000
    points = selectors.map_points(user=request.user, filters=filters, limit=limit)
    labels = dict(Status.choices)
    # One reverse() for the pattern instead of one per point: there may be thousands.
    detail = reverse("cases:detail", args=[0]).replace("/0/", "/{id}/")
    for point in points:
        point["status_label"] = str(labels.get(point["status"], point["status"]))
        point["url"] = detail.replace("{id}", str(point["id"]))
    return JsonResponse({"count": len(points), "truncated": len(points) >= limit, "points": points})


# -- field report ------------------------------------------------------------------------------
def _report_context(request, form_values: dict, errors: dict, photo_ids: list[int]) -> dict:
    return {
        "values": form_values,
        "errors": errors,
        "tree": catalog.category_tree(),
        "kept_photos": photo_ids,
        "label_located": _("已定位,精度约 %(m)s 米"),
        "outline_urls": _outline_urls(request.user),
    }


# Where the service's complaint about a field shows up on the report form.
REPORT_FIELDS = {"photo_ids": "photos", "lng": "lat", "idempotency_key": "form"}


@login_required
def report(request):
    if request.method == "GET":
        values = {"idempotency_key": uuid.uuid4().hex}
        return render(request, "cases/report.html", _report_context(request, values, {}, []))
    if request.method != "POST":
        return redirect("cases:report")
    form = ReportForm(request.POST)
    form.is_valid()
    data = form.cleaned_data
    # Shown again as typed: a refused report must not cost the reporter their input.
    values = {name: request.POST.get(name, "").strip() for name in ReportForm.base_fields}
    values["idempotency_key"] = data["idempotency_key"]
    photo_ids = list(data["photo_ids"])
    errors = {field: str(errs[0]) for field, errs in form.errors.items()}
    # A double tap is answered before its photos are stored a second time.
    existing = selectors.case_for_idempotency_key(user=request.user, key=data["idempotency_key"])
    if existing is not None:
        return redirect("cases:detail", pk=existing.pk)
    status = 400
    try:
        # Stored first, even when the rest of the form is refused: the ids ride along in
        # the re-shown form and the reporter does not have to take the pictures again.
        for upload in request.FILES.getlist("photos"):
            photo_ids.append(
                services.photo_upload(upload=upload, actor=request.user, kind=PhotoKind.BEFORE).pk
            )
    except ServiceError as error:
        errors["photos"] = error.message
        status = error.status_code
    if not errors:
        try:
            intake = services.case_report(
                category=data["category"],
                description=data["description"],
                lat=data["lat"],
                lng=data["lng"],
                address=data["address"],
                actor=request.user,
                channel=Channel.FIELD,
                photo_ids=photo_ids,
                idempotency_key=data["idempotency_key"],
                follow_case_id=data["follow_case_id"],
            )
        except ServiceError as error:
            field = REPORT_FIELDS.get(error.field, error.field)
            errors[field or "form"] = error.message
            status = error.status_code
            if error.field == "photo_ids":
                photo_ids = []  # kept ids the service refuses would block every retry
    if errors:
        context = _report_context(request, values, errors, photo_ids)
        return render(request, "cases/report.html", context, status=status)
    case = intake.case
    if case.duplicate_of_id:
        text = _("已记录您的上报(%(code)s),并入案件 %(into)s 一并办理。")
        messages.success(request, text % {"code": case.code, "into": case.duplicate_of.code})
    messages.success(request, _("上报成功,案件编号 %(code)s。") % {"code": case.code})
    return redirect("cases:detail", pk=case.pk)


@login_required
@require_GET
def report_nearby(request):
    """Open cases of the chosen kind near the chosen point, offered to follow."""
    nearby = selectors.duplicate_candidates(
        user=request.user,
        category=request.GET.get("category", ""),
        lat=request.GET.get("lat"),
        lng=request.GET.get("lng"),
    )
    return render(request, "cases/_nearby.html", {"nearby": nearby})


# -- saved views -------------------------------------------------------------------------------
@login_required
@require_POST
def saved_view_save(request):
    form = SavedViewForm(request.POST)
    form.is_valid()
    # Re-encoded, so what is stored and redirected to is a query string and nothing else.
    query = QueryDict(form.cleaned_data.get("query", "").lstrip("?")).urlencode()
    try:
        view = services.saved_view_save(
            user=request.user, name=form.cleaned_data.get("name", ""), query=query
        )
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("已保存筛选“%(name)s”。") % {"name": view.name})
        query = view.query
    url = reverse("cases:list")
    return redirect(f"{url}?{query}" if query else url)


@login_required
@require_POST
def saved_view_delete(request, pk: int):
    if not selectors.saved_views(user=request.user).filter(pk=pk).exists():
        raise Http404("saved view")  # another user's filter does not exist for this one
    try:
        services.saved_view_delete(user=request.user, view_id=pk)
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("已删除该筛选。"))
    return redirect("cases:list")


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
