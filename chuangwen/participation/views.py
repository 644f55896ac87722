"""The citizen portal (市民随手拍): no login, a phone in one hand. Views parse the request,
call a service or a selector, and answer with a page of the portal's own shell."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from chuangwen.cases import selectors as case_selectors
from chuangwen.cases import services as case_services
from chuangwen.cases.choices import HANDLING_STATUSES, ReopenRequestStatus, Satisfaction
from chuangwen.catalog import selectors as catalog_selectors
from chuangwen.core.bounds import parse_int
from chuangwen.core.errors import ServiceError
from chuangwen.core.http import client_hash
from chuangwen.core.throttling import RateLimit, limited
from chuangwen.territory.models import TerritoryNode
from chuangwen.territory.selectors import city_name

from . import selectors, services
from .forms import PortalReportForm, RateForm, ReopenForm, clean_token

# Where a service's complaint about a field shows up on the report form.
REPORT_FIELDS = {
    "lng": "lat",
    "photo": "photos",
    "photo_ids": "photos",
    "follow_case_id": "form",
    "idempotency_key": "form",
    "external_id": "form",
    "channel": "form",
}
FORM_FIELDS = (
    "category",
    "description",
    "address",
    "lat",
    "lng",
    "reporter_name",
    "reporter_phone",
    "form_key",
)
# The session key of the last receipt, shown by the "submitted" page.
RECEIPT_KEY = "participation_receipt"
# The portal's feeds, per client address: the map's points, the outlines, nearby cases.
FEEDS = RateLimit("PUBLIC_FEED_RATE")


def _render(request, template: str, context: dict | None = None, status: int = 200):
    context = {"city": city_name(), **(context or {})}
    return render(request, f"participation/{template}", context, status=status)


def _not_found(request, token: str = ""):
    return _render(request, "not_found.html", {"code": clean_token(token)}, status=404)


def _local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


# -- home ------------------------------------------------------------------------------------
@require_GET
def home(request):
    return _render(
        request,
        "home.html",
        {
            "recent": case_selectors.public_recent(days=selectors.RECENT_DAYS, limit=6),
            "counts": selectors.recent_counts(),
            "days": selectors.RECENT_DAYS,
        },
    )


# -- report ----------------------------------------------------------------------------------
def _report_context(values: dict, errors: dict, nearby=(), limited: bool = False) -> dict:
    groups = catalog_selectors.picker_groups()
    chosen = values.get("category", "")
    # The first group offering the chosen 小类 opens with it checked (it may sit in several).
    chosen_group = next(
        (i for i, g in enumerate(groups) if any(o.code == chosen for o in g.options)), None
    )
    return {
        "values": values,
        "errors": errors,
        "limited": limited,
        "groups": groups,
        "chosen_group": chosen_group,
        "category_name": selectors.category_label(values.get("category", "")),
        "nearby": nearby,
        "max_photos": services.MAX_PHOTOS,
        "centre": selectors.city_centre(),
        "label_located": _("已定位,精度约 %(m)s 米"),
    }


def _nearby(category: str, lat, lng) -> list:
    return case_selectors.duplicate_candidates(user=None, category=category, lat=lat, lng=lng)


@require_http_methods(["GET", "POST"])
def report(request):
    if request.method == "GET":
        values = {"form_key": uuid.uuid4().hex}
        return _render(request, "report.html", _report_context(values, {}))
    form = PortalReportForm(request.POST)
    form.is_valid()
    data = form.cleaned_data
    # Shown again as typed: a refused report must not cost the citizen what they wrote.
    values = {name: request.POST.get(name, "").strip() for name in FORM_FIELDS}
    values["form_key"] = values["form_key"] or uuid.uuid4().hex
    uploads = request.FILES.getlist("photos")
    errors = {REPORT_FIELDS.get(f, f): str(errs[0]) for f, errs in form.errors.items()}
    following = data.get("follow_case_id") is not None
    if len(uploads) > services.MAX_PHOTOS:
        errors["photos"] = _("最多上传 %(n)s 张照片。") % {"n": services.MAX_PHOTOS}
    elif not uploads and not following:
        errors["photos"] = _("请至少拍摄或选择 1 张现场照片。")
    status = 400
    # The honeypot goes to the service whatever else is wrong: it answers "accepted".
    if not errors or data.get("website"):
        try:
            receipt = services.portal_report(
                category=data.get("category", ""),
                description=data.get("description", ""),
                lat=data.get("lat"),
                lng=data.get("lng"),
                reporter_phone=data.get("reporter_phone", ""),
                reporter_name=data.get("reporter_name", ""),
                address=data.get("address", ""),
                uploads=uploads,
                follow_case_id=data.get("follow_case_id"),
                form_key=data.get("form_key", ""),
                website=data.get("website", ""),
                client_hash=client_hash(request),
            )
        except ServiceError as error:
            errors[REPORT_FIELDS.get(error.field, error.field) or "form"] = error.message
            status = error.status_code
        else:
            errors = {}
    if errors:
        if uploads and "photos" not in errors:
            errors["photos_again"] = _("浏览器不会保留上次选择的照片,请重新选择。")
        nearby = _nearby(values["category"], values["lat"], values["lng"])
        context = _report_context(values, errors, nearby, limited=status == 429)
        return _render(request, "report.html", context, status=status)
    followed = receipt.followed
    request.session[RECEIPT_KEY] = {
        "token": receipt.token,
        "followed": followed.code if followed else "",
    }
    return redirect("participation:done")


@require_GET
def report_done(request):
    receipt = request.session.get(RECEIPT_KEY)
    if not receipt:
        return redirect("participation:report")
    token = receipt["token"]
    return _render(
        request,
        "done.html",
        {
            "token": token,
            "token_groups": [token[i : i + 4] for i in range(0, len(token), 4)],
            "followed": receipt.get("followed", ""),
        },
    )


@limited(FEEDS)
@require_GET
def report_nearby(request):
    """Open cases of the chosen kind near the chosen point, offered to follow instead."""
    category = request.GET.get("category", "")
    nearby = _nearby(category, request.GET.get("lat"), request.GET.get("lng"))
    return _render(
        request,
        "_nearby.html",
        {"nearby": nearby, "category_name": selectors.category_label(category)},
    )


# -- tracking --------------------------------------------------------------------------------
@require_GET
def track(request):
    token = clean_token(request.GET.get("code"))
    if token:
        return redirect("participation:track_case", token=token)
    error = _("请输入查询码。") if "code" in request.GET else ""
    return _render(request, "track.html", {"error": error})


def _place(case) -> str:
    ids = [i for i in (case.district_id, case.street_id) if i]
    names = dict(TerritoryNode.objects.filter(pk__in=ids).values_list("pk", "name"))
    return " ".join(names[i] for i in ids if i in names)


def _track_context(case, errors: dict | None = None, values: dict | None = None) -> dict:
    state = case_selectors.public_status(case)
    target = state["case"]
    request_row = state["reopen_request"]
    return {
        "case": case,
        "target": target,
        "state": state,
        "merged": target.pk != case.pk,
        "place": _place(case),
        "deadline": target.deadline if target.status in HANDLING_STATUSES else None,
        "timeline": case_selectors.public_timeline(case=case),
        "refused": request_row is not None and request_row.status == ReopenRequestStatus.REFUSED,
        "ratings": Satisfaction.choices,
        "errors": errors or {},
        "values": values or {},
    }


def _public_case(token: str):
    return case_selectors.public_case(token=clean_token(token))


@require_GET
def track_case(request, token: str):
    try:
        case = _public_case(token)
    except Http404:
        return _not_found(request, token)
    return _render(request, "track_case.html", _track_context(case))


def _track_post(request, token: str, form_class, run, field: str, done: str):
    try:
        case = _public_case(token)
    except Http404:
        return _not_found(request, token)
    form = form_class(request.POST)
    form.is_valid()
    try:
        run(case, form.cleaned_data)
    except ServiceError as error:
        errors = {field: error.message}
        context = _track_context(case, errors=errors, values=form.cleaned_data)
        return _render(request, "track_case.html", context, status=error.status_code)
    messages.success(request, done)
    url = reverse("participation:track_case", args=[case.public_token])
    return redirect(f"{url}#{field}-result")


@require_POST
def rate(request, token: str):
    return _track_post(
        request,
        token,
        RateForm,
        lambda case, data: case_services.case_rate(
            token=case.public_token, rating=data["rating"], comment=data["comment"]
        ),
        "rating",
        _("感谢您的评价!"),
    )


@require_POST
def reopen(request, token: str):
    return _track_post(
        request,
        token,
        ReopenForm,
        lambda case, data: case_services.reopen_request_submit(
            token=case.public_token, reason=data["reason"]
        ),
        "reopen",
        _("申请已提交,创文办工作人员审核后会重新派遣办理,审核结果将显示在本页。"),
    )


# -- recent cases ------------------------------------------------------------------------------
@require_GET
def case_map(request):
    return _render(
        request,
        "map.html",
        {
            "legend": selectors.status_groups(),
            "days": selectors.RECENT_DAYS,
            "centre": selectors.city_centre(),
            # Formatted by the page's script: "%" would need escaping in a template tag.
            "label_count": _("共 %(n)s 个问题"),
        },
    )


@limited(FEEDS)
@require_GET
def cases_json(request):
    groups = {s: key for key, _label, statuses in selectors.status_groups() for s in statuses}
    points = [
        {
            "lat": row["lat"],
            "lng": row["lng"],
            "status": row["status"],
            "group": groups.get(row["status"], "waiting"),
            "status_label": row["status_label"],
            "category": row["category"],
            "place": row["place"],
            "reported_at": _local(row["reported_at"]),
            "closed_at": _local(row["closed_at"]),
        }
        for row in case_selectors.public_recent(days=selectors.RECENT_DAYS)
    ]
    response = JsonResponse({"count": len(points), "points": points})
    response["Cache-Control"] = "public, max-age=60"
    return response


@require_GET
def case_list(request):
    number = request.GET.get("page", "1")
    page = selectors.recent_page(number=parse_int(number, low=1) or 1)
    return _render(request, "cases.html", {"page": page, "days": selectors.RECENT_DAYS})


@limited(FEEDS)
@require_GET
def districts(request):
    response = JsonResponse(selectors.districts_geojson())
    response["Cache-Control"] = "public, max-age=3600"
    return response
