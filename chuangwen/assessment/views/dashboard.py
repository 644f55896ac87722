"""The leaders' dashboard (领导驾驶舱) and its big-screen mode, and the JSON both pages
refresh from.

Both pages and the JSON carry the same payload: ``payload`` turns what ``dashboard``
read into numbers the charts take and texts the tiles show (formatted here, in Chinese,
so the script only places them). The pages embed it, so the first paint needs no second
request; the script then asks the JSON endpoint again every DASHBOARD_REFRESH_SECONDS."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from chuangwen.cases.choices import OverdueLevel, Status, SupervisionKind
from chuangwen.core import clock
from chuangwen.core.web import json_refusal
from chuangwen.territory.selectors import city_name, scope_roots

from ..choices import SubjectType
from ..permissions import may_open_dashboard
from ..scoring import number_text
from ..selectors import dashboard
from .common import refused

REFUSAL = gettext_lazy("领导驾驶舱只对市创文办、领导和区、街道管理员开放。")


# -- formatting ----------------------------------------------------------------------------------
def _count(value) -> str:
    return "—" if value is None else f"{value:,}"


def _rate(value) -> str:
    return "—" if value is None else f"{value:.2f}%"


def _value_text(kpi: dashboard.Kpi, value) -> str:
    return _rate(value) if kpi.unit == "%" else _count(value)


def _change_text(kpi: dashboard.Kpi) -> str:
    change = kpi.change
    if change is None:
        return _("上月同期无数据")
    sign = "+" if change > 0 else ("−" if change < 0 else "±")
    if kpi.unit == "%":
        return _("较上月同期 %(sign)s%(n)s 个百分点") % {"sign": sign, "n": f"{abs(change):.2f}"}
    return _("较上月同期 %(sign)s%(n)s 件") % {"sign": sign, "n": f"{abs(change):,}"}


def _local(moment, pattern: str = "%Y-%m-%d %H:%M") -> str:
    return timezone.localtime(moment).strftime(pattern) if moment else ""


def _case_url_pattern() -> str:
    # One reverse() for the pattern instead of one per case: the map may carry hundreds.
    return reverse("cases:detail", args=[0]).replace("/0/", "/{id}/")


# -- the payload ---------------------------------------------------------------------------------
def _kpis(data: dashboard.Dashboard) -> list[dict]:
    tiles = []
    for kpi in data.kpis:
        tiles.append(
            {
                "code": kpi.code,
                "label": str(kpi.label),
                "unit": kpi.unit,
                "value": kpi.value,
                "text": _value_text(kpi, kpi.value),
                "previous": kpi.previous,
                "previous_text": _value_text(kpi, kpi.previous),
                "change": kpi.change,
                "change_text": _change_text(kpi),
                "tone": kpi.tone,
                "parts": [
                    {"label": str(label), "text": _count(value)} for label, value in kpi.parts
                ],
            }
        )
    return tiles


def _trend(data: dashboard.Dashboard) -> dict:
    return {
        "labels": [p.period.label for p in data.trend],
        # The axis names the year only where it starts, and at the first month shown.
        "short": [
            p.period.label
            if p.period.index == 1 or i == 0
            else _("%(m)s月") % {"m": p.period.index}
            for i, p in enumerate(data.trend)
        ],
        "reported": [p.reported for p in data.trend],
        "closed": [p.closed for p in data.trend],
        "due": [p.due for p in data.trend],
        "on_time_rate": [p.on_time_rate for p in data.trend],
    }


def _map(data: dashboard.Dashboard) -> dict:
    detail = _case_url_pattern()
    labels = dict(Status.choices)
    points = []
    for point in data.map.points:
        points.append(
            {
                **point,
                "status_label": str(labels.get(point["status"], point["status"])),
                "url": detail.replace("{id}", str(point["id"])),
            }
        )
    return {
        "points": points,
        "truncated": data.map.truncated,
        "heat": data.map.heat,
        "heat_max": max((n for _lat, _lng, n in data.map.heat), default=0),
        "days": data.map.days,
    }


def _board(data: dashboard.Dashboard) -> dict | None:
    board = data.board
    if board is None:
        return None
    subject_label = str(SubjectType(board.subject_type).label)

    def line(item) -> dict:
        return {
            "rank": item.final_rank,
            "name": item.subject_name,
            "total": number_text(item.final_total),
            "change": item.rank_change,
            "url": reverse("assessment:result_detail", args=[item.result_id])
            if item.result_id
            else "",
        }

    query = urlencode({"period": board.period.key, "type": board.subject_type})
    return {
        "title": _("%(period)s%(subject)s考评")
        % {
            "period": board.period.label,
            "subject": subject_label,
        },
        "subject_label": subject_label,
        "count": board.subject_count,
        "published": _local(board.publication.published_at, "%Y-%m-%d"),
        "url": f"{reverse('assessment:rankings')}?{query}",
        "top": [line(item) for item in board.top],
        "bottom": [line(item) for item in board.bottom],
    }


def _overdue(data: dashboard.Dashboard) -> dict:
    detail = _case_url_pattern()
    light = dict(OverdueLevel.choices)
    total = next(k for k in data.kpis if k.code == "overdue")
    return {
        "count": total.value,
        "url": f"{reverse('cases:list')}?{urlencode({'overdue': '1'})}",
        "rows": [
            {
                "code": case.code,
                "url": detail.replace("{id}", str(case.pk)),
                "category": case.category.name,
                "address": case.address,
                "unit": case.unit.name if case.unit_id else "",
                "deadline": _local(case.deadline, "%m-%d %H:%M"),
                "level": case.light,
                "light": str(light[case.light]),
            }
            for case in data.overdue
        ],
    }


def _supervisions(data: dashboard.Dashboard) -> dict:
    detail = _case_url_pattern()
    kinds = dict(SupervisionKind.choices)
    now = data.moments.now
    total = next(k for k in data.kpis if k.code == "supervisions")
    return {
        "count": total.value,
        "url": f"{reverse('cases:supervisions')}?{urlencode({'open': '1'})}",
        "rows": [
            {
                "kind": str(kinds.get(order.kind, order.kind)),
                "level": order.level,
                "code": order.case.code,
                "url": detail.replace("{id}", str(order.case_id)),
                "unit": order.unit.name,
                "issued": _local(order.issued_at, "%m-%d %H:%M"),
                "reply_due": _local(order.reply_due_at, "%m-%d %H:%M"),
                "late": bool(order.reply_due_at and order.reply_due_at < now),
            }
            for order in data.supervisions
        ],
    }


def payload(user) -> dict:
    data = dashboard.dashboard_for(user=user, now=clock.now())
    moments = data.moments
    return {
        "generated_at": moments.now.isoformat(),
        "generated_text": _local(moments.now, "%Y-%m-%d %H:%M:%S"),
        "area": data.area.name or city_name(),
        "month": moments.month.label,
        "compare": _("对比上月同期:%(start)s 至 %(end)s")
        % {
            "start": _local(moments.previous.start, "%m月%d日"),
            "end": _local(moments.previous_at, "%m月%d日 %H:%M"),
        },
        "kpis": _kpis(data),
        "trend": _trend(data),
        "map": _map(data),
        "board": _board(data),
        "overdue": _overdue(data),
        "supervisions": _supervisions(data),
    }


def _labels() -> dict[str, str]:
    """The words the script writes, translated here; "%(n)s" placeholders are its to fill."""
    return {
        "failed": _("刷新失败,%(n)s 秒后重试。"),
        "expired": _("登录已过期,请重新登录后查看最新数据。"),
        "updated": _("数据更新于 %(time)s"),
        "points": _(
            "散点:近 %(days)s 天最近上报的 %(n)s 件;热力图:近 %(days)s 天全部上报,约 500 米网格。"
        ),
        "reported": _("上报"),
        "closed": _("结案"),
        "due": _("应结案"),
        "on_time": _("按期结案率"),
        "open_case": _("查看案件"),
        "rank": _("第 %(n)s 名"),
        "of": _("共 %(n)s 个"),
        "up": _("↑%(n)s"),
        "down": _("↓%(n)s"),
        "points_unit": _("分"),
        "none_overdue": _("没有超时案件。"),
        "none_orders": _("没有待回复的督办单。"),
        "no_board": _("还没有发布的考评结果。"),
        "no_bottom": _("参评对象不多,不另列黑榜。"),
        "reply_due": _("回复期限"),
        "deadline": _("时限"),
        "late": _("已逾期"),
        "more": _("全部 %(n)s 件 ›"),
        "published": _("%(date)s 发布"),
    }


# -- views ---------------------------------------------------------------------------------------
def _page(request, template: str):
    if not may_open_dashboard(request.user):
        return refused(request, str(REFUSAL))
    return render(
        request,
        template,
        {
            "data": payload(request.user),
            "city": city_name(),
            "refresh_seconds": dashboard.refresh_seconds(),
            "labels": _labels(),
            "outline_urls": [
                reverse("territory:children_geojson", args=[node.code])
                for node in scope_roots(user=request.user)
            ],
        },
    )


@login_required
@require_GET
@never_cache
def dashboard_page(request):
    return _page(request, "assessment/dashboard.html")


@login_required
@require_GET
@never_cache
def bigscreen(request):
    return _page(request, "assessment/dashboard_screen.html")


@require_GET
@never_cache
def dashboard_data(request):
    # A page left open on a wall outlives its session: answer in JSON, not with the
    # login page, so the screen can say so and keep its last figures.
    if not request.user.is_authenticated:
        return json_refusal(_("登录已过期,请重新登录。"), status=401)
    if not may_open_dashboard(request.user):
        return json_refusal(REFUSAL, status=403)
    return JsonResponse(payload(request.user))


urlpatterns = [
    path("dashboard/", dashboard_page, name="dashboard"),
    path("dashboard/screen/", bigscreen, name="bigscreen"),
    path("dashboard/data.json", dashboard_data, name="dashboard_data"),
]
