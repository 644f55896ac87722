"""The inspector's phone pages (现场测评): my tasks, the capture page, 复查, and the two JSON
endpoints the capture page sends through.

The capture page keeps everything in the browser (IndexedDB, evaluation_field.js) and
sends a finished submission when it can, so the JSON endpoints answer what a retrying
client needs: 200 with the result, a refusal in the API's shape (``detail``, and ``field``
when it names one) with the service's status code (the inspector corrects the form), 401
when the session has expired (the submission waits for the next login), and 404 for an
inspection outside the user's scope.
"""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import timedelta
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from chuangwen.cases import services as case_services
from chuangwen.core.bounds import parse_id
from chuangwen.core.errors import ServiceError
from chuangwen.core.web import json_refusal
from chuangwen.territory.selectors import scope_roots

from .. import selectors, services
from ..choices import InspectionStatus, ReinspectionStatus, Result, RoundStatus
from ..scoring import points_text

EDITABLE = (InspectionStatus.ASSIGNED, InspectionStatus.RETURNED)


# -- helpers -------------------------------------------------------------------------------
def _json_login_required(view):
    """The endpoints are called by a script that retries later: a redirect to the login
    page would read as a success, so an expired session answers 401."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return json_refusal(_("登录已过期,请重新登录后再提交。"), status=401)
        return view(request, *args, **kwargs)

    return wrapped


def _refusal(error: ServiceError) -> JsonResponse:
    return json_refusal(error.message, status=error.status_code, field=error.field)


def _photo_src() -> str:
    # One reverse() for the pattern; the script puts each photo's id in.
    return reverse("cases:photo", args=[0]).replace("/0/", "/{id}/")


def _outline_urls(user) -> list[str]:
    return [reverse("territory:children_geojson", args=[n.code]) for n in scope_roots(user=user)]


def _recorded(inspection) -> list[dict]:
    """The results on record, by section, for the read-only view."""
    src = _photo_src()
    return [
        {
            "name": name,
            "rows": [
                {
                    "text": line.item.text,
                    "result": line.result.result,
                    "result_label": line.result.get_result_display(),
                    "occurrences": line.result.occurrences,
                    "deduction": points_text(line.result.deduction),
                    "max": points_text(line.item.max_points),
                    "note": line.result.note,
                    "photos": [src.replace("{id}", str(p.pk)) for p in line.result.photos.all()],
                    "case": line.result.case,
                }
                for line in lines
            ],
        }
        for name, lines in selectors.inspection_sections(inspection=inspection, recorded_only=True)
    ]


def _labels() -> dict[str, str]:
    """What the script writes on the page, translated here so it follows the language."""
    return {
        "locating": _("正在获取位置…"),
        "located": _("距点位 %(d)s,签到范围 %(r)s 米"),
        "inside": _("已在签到范围内,可以签到。"),
        "outside": _("不在签到范围内:请走近点位后重新定位,或说明原因后继续。"),
        "no_gps": _("无法获取定位:请说明原因后继续。"),
        "no_gps_support": _("此浏览器不支持定位:请说明原因后继续。"),
        "checked_in": _("已签到 %(t)s,距点位 %(d)s"),
        "checked_in_exception": _("已签到 %(t)s(异常:%(reason)s)"),
        "reason_required": _("请填写未能在点位范围内签到的原因。"),
        "metres": _("%(n)s 米"),
        "kilometres": _("%(n)s 公里"),
        "from_you": _("距您 %(d)s"),
        "deduct": _("扣 %(n)s 分"),
        "step_of": _("第 %(n)s / %(total)s 步"),
        "answered": _("已填 %(n)s / %(total)s 项"),
        "score": _("%(score)s / %(max)s 分"),
        "rate": _("得分率 %(rate)s"),
        "no_max": _("全部不适用,不计得分率"),
        "failed_item": _("%(text)s:%(n)s 处,扣 %(d)s 分"),
        "no_failed": _("没有不合格项。"),
        "missing_checkin": _("尚未签到。"),
        "missing_result": _("“%(text)s”尚未填写。"),
        "missing_photo": _("“%(text)s”不合格,须拍照取证。"),
        "photo_too_big": _("照片“%(name)s”超过 %(mb)s MB,请重新拍摄。"),
        "photo_not_image": _("“%(name)s”不是图片。"),
        "photo_lost": _("有照片在此浏览器中已丢失,请重新拍摄。"),
        "photo_refused": _("照片“%(name)s”无法上传:%(error)s"),
        "remove_photo": _("删除这张照片"),
        "photo_failed": _("照片上传失败:%(error)s"),
        "sending": _("正在提交…"),
        "uploading": _("正在上传照片 %(n)s / %(total)s…"),
        "saved_offline": _("已离线保存,联网后自动提交"),
        "waiting_login": _("登录已过期:请重新登录,登录后自动提交。"),
        "last_try": _("最近一次尝试:%(t)s"),
        "queued_at": _("%(t)s 提交"),
        "sent_item": _("%(name)s 已上传:%(score)s"),
        "cases_opened": _("已立案:%(codes)s"),
        "no_cases": _("没有不合格项,未立案。"),
        "refused": _("提交未被接受:%(error)s"),
        "refused_item": _("%(name)s 提交未被接受:%(error)s"),
        "open_to_fix": _("打开修改"),
        "draft": _("填写中"),
        "pending": _("待上传"),
        "no_storage": _("此浏览器无法在本机保存(可能开启了无痕模式):请保持页面打开,联网时提交。"),
        "withdraw_confirm": _("撤回后可修改再提交。确定撤回吗?"),
    }


# -- my tasks ------------------------------------------------------------------------------
def _day_order(day, today, rows) -> tuple:
    """Today first, then earlier days with work left (overdue), then the days ahead, then
    earlier days already done, most recent first."""
    if day == today:
        return (0, 0)
    if day < today and any(r.status in EDITABLE for r in rows):
        return (1, day.toordinal())
    if day > today:
        return (2, day.toordinal())
    return (3, -day.toordinal())


@login_required
@require_GET
def field_home(request):
    user = request.user
    today = selectors.today()
    inspections = list(selectors.field_inspections(user))
    detail = reverse("evaluation:field_inspect", args=[0]).replace("/0/", "/{id}/")
    by_day: dict = defaultdict(list)
    markers = []
    for inspection in inspections:
        open_work = inspection.status in EDITABLE
        inspection.late = open_work and inspection.planned_on < today
        inspection.past_due = open_work and inspection.due_on < today
        inspection.url = detail.replace("{id}", str(inspection.pk))
        by_day[inspection.planned_on].append(inspection)
        point = inspection.point
        markers.append(
            {
                "id": inspection.pk,
                "name": point.name,
                "code": point.code,
                "type": point.point_type.name,
                "lat": point.lat,
                "lng": point.lng,
                "status": inspection.status,
                "status_label": inspection.get_status_display(),
                "late": inspection.late,
                "url": inspection.url,
            }
        )
    days = [
        {
            "day": day,
            "is_today": day == today,
            "is_tomorrow": day == today + timedelta(days=1),
            "late": any(r.late for r in rows),
            "open": sum(r.status in EDITABLE for r in rows),
            "rows": rows,
        }
        for day, rows in sorted(by_day.items(), key=lambda kv: _day_order(kv[0], today, kv[1]))
    ]
    reinspections = list(selectors.field_reinspections(user))
    for task in reinspections:
        task.late = task.due_on < today
        task.is_today = task.due_on == today
    counts = {
        "open": sum(i.status in EDITABLE for i in inspections),
        "today": sum(i.status in EDITABLE and i.planned_on == today for i in inspections),
        "late": sum(i.late for i in inspections),
        "done": sum(i.status not in EDITABLE for i in inspections),
    }
    return render(
        request,
        "evaluation/field_home.html",
        {
            "days": days,
            "counts": counts,
            "today": today,
            "markers": markers,
            "reinspections": reinspections,
            "labels": _labels(),
            "outline_urls": _outline_urls(user),
            "rounds": len({i.round_id for i in inspections}),
        },
    )


# -- the capture page ----------------------------------------------------------------------
@login_required
@require_GET
def field_inspect(request, pk: int):
    user = request.user
    inspection = selectors.inspection_get(user=user, inspection_id=pk)
    mine = inspection.inspector_id == user.pk
    round_open = inspection.round.status == RoundStatus.OPEN
    editable = mine and round_open and inspection.status in EDITABLE
    context = {
        "inspection": inspection,
        "point": inspection.point,
        "mine": mine,
        "editable": editable,
        "round_open": round_open,
        "labels": _labels(),
    }
    if editable:
        form = selectors.inspection_form(inspection)
        for section in form["sections"]:
            for item in section["items"]:
                item["max_text"] = points_text(item["max"])
                item["deduction_text"] = points_text(item["deduction"])
        form["photo_src"] = _photo_src()
        form["photo_max_bytes"] = settings.PHOTO_MAX_BYTES
        context.update(
            form=form,
            item_count=sum(len(s["items"]) for s in form["sections"]),
            summary_step=len(form["sections"]) + 1,
            submit_url=reverse("evaluation:field_submit", args=[inspection.pk]),
            photo_url=reverse("evaluation:field_photo"),
        )
        return render(request, "evaluation/field_inspect.html", context)
    counted = inspection.status in (InspectionStatus.SUBMITTED, InspectionStatus.APPROVED)
    context.update(
        counted=counted,
        sections=_recorded(inspection) if counted else [],
        score=points_text(inspection.score),
        max=points_text(inspection.max_points),
        rate=f"{inspection.score_rate:.1%}" if inspection.score_rate is not None else "",
    )
    return render(request, "evaluation/field_result.html", context)


@_json_login_required
@require_POST
def field_photo(request):
    upload = request.FILES.get("photo")
    if upload is None:
        return json_refusal(_("请选择一张照片。"), status=400, field="photo")
    try:
        photo = case_services.photo_upload(upload=upload, actor=request.user)
    except ServiceError as error:
        return _refusal(error)
    return JsonResponse({"id": photo.pk})


@_json_login_required
@require_POST
def field_submit(request, pk: int):
    # Outside the user's scope the inspection does not exist; said in JSON, so the page
    # shows it rather than retrying for ever.
    try:
        selectors.inspection_get(user=request.user, inspection_id=pk)
    except Http404:
        return json_refusal(_("测评任务不存在。"), status=404)
    try:
        data = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError):
        data = None
    if not isinstance(data, dict):
        return json_refusal(_("提交内容格式不正确。"), status=400)
    results = data.get("results")
    checkin = data.get("checkin")
    note = data.get("note") or ""
    if not isinstance(results, list):
        return json_refusal(_("检查结果格式不正确。"), status=400, field="results")
    if checkin is not None and not isinstance(checkin, dict):
        return json_refusal(_("签到信息格式不正确。"), status=400, field="checkin")
    if not isinstance(note, str):
        return json_refusal(_("总体说明格式不正确。"), status=400, field="note")
    try:
        inspection = services.inspection_submit(
            inspection_id=pk,
            actor=request.user,
            submission_key=str(data.get("submission_key") or ""),
            results=results,
            checkin=checkin,
            note=note,
        )
    except ServiceError as error:
        return _refusal(error)
    return JsonResponse(
        {
            "id": inspection.pk,
            "status": inspection.status,
            "status_label": inspection.get_status_display(),
            "score": str(inspection.score),
            "max": str(inspection.max_points),
            "failed": inspection.failed_count,
            "cases": selectors.inspection_case_codes(inspection=inspection),
            "url": reverse("evaluation:field_inspect", args=[inspection.pk]),
        }
    )


# -- re-inspection -------------------------------------------------------------------------
def _ids(values) -> list[int]:
    ids = []
    for value in values:
        for part in str(value).split(","):
            number = parse_id(part)
            if number is not None and number not in ids:
                ids.append(number)
    return ids


@login_required
def field_reinspect(request, pk: int):
    user = request.user
    task = selectors.reinspection_get(user=user, reinspection_id=pk)
    values = {"result": "", "note": "", "lat": "", "lng": ""}
    photo_ids: list[int] = []
    error = None
    status = 200
    if request.method == "POST":
        values = {name: request.POST.get(name, "").strip() for name in values}
        photo_ids = _ids(request.POST.getlist("photo_ids"))
        try:
            # Pictures sent with the form itself (no script to upload them first).
            for upload in request.FILES.getlist("photos"):
                photo_ids.append(case_services.photo_upload(upload=upload, actor=user).pk)
            if values["result"] not in (Result.PASS, Result.FAIL):
                raise ServiceError(_("请选择复查结果:合格或不合格。"), field="result")
            services.reinspection_record(
                reinspection_id=task.pk,
                actor=user,
                passed=values["result"] == Result.PASS,
                note=values["note"],
                lat=values["lat"] or None,
                lng=values["lng"] or None,
                photo_ids=photo_ids,
            )
        except ServiceError as exc:
            error, status = exc, exc.status_code
            if exc.field == "photo_ids":
                photo_ids = []  # ids the service refuses would block every retry
        else:
            label = _("复查合格") if values["result"] == Result.PASS else _("复查不合格")
            messages.success(
                request,
                _("已记录%(result)s:案件 %(code)s。") % {"result": label, "code": task.case.code},
            )
            return redirect("evaluation:field_home")
    elif request.method != "GET":
        return redirect("evaluation:field_reinspect", pk=pk)
    result = task.result
    src = _photo_src()
    case = task.case
    photos = selectors.reinspection_photos(reinspection=task)
    return render(
        request,
        "evaluation/field_reinspect.html",
        {
            "task": task,
            "case": case,
            "result": result,
            "point": result.inspection.point,
            "pending": task.status == ReinspectionStatus.PENDING,
            "before_photos": [src.replace("{id}", str(i)) for i in photos.before],
            "after_photos": [src.replace("{id}", str(i)) for i in photos.after],
            "done_photos": [src.replace("{id}", str(i)) for i in photos.done],
            "values": values,
            "photo_ids": photo_ids,
            "kept_photos": [(i, src.replace("{id}", str(i))) for i in photo_ids],
            "error": error,
            "late": task.due_on < selectors.today(),
            "labels": _labels(),
            "photo_url": reverse("evaluation:field_photo"),
        },
        status=status,
    )


urlpatterns = [
    path("field/", field_home, name="field_home"),
    path("field/photos/", field_photo, name="field_photo"),
    path("field/<id:pk>/", field_inspect, name="field_inspect"),
    path("field/<id:pk>/submit/", field_submit, name="field_submit"),
    path("field/reinspections/<id:pk>/", field_reinspect, name="field_reinspect"),
]
