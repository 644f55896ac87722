from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from chuangwen.core.web import is_htmx, is_safe_url, list_query, next_url

from . import selectors, services

PAGE_SIZE = 30


def _back(request) -> str:
    return next_url(request, reverse("notifications:list"))


@login_required
@require_GET
def notification_list(request):
    unread_only = request.GET.get("unread") == "1"
    rows = selectors.notification_list(request.user, unread_only=unread_only)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/notification_list.html",
        {"page": page, "unread_only": unread_only, "query": list_query(request)},
    )


@login_required
@require_POST
def mark_all_read(request):
    changed = services.notification_mark_read(user=request.user)
    if changed:
        text = ngettext("已将 %(n)s 条通知标为已读。", "已将 %(n)s 条通知标为已读。", changed)
        messages.success(request, text % {"n": changed})
    return redirect(_back(request))


@login_required
@require_POST
def mark_read(request, pk: int):
    selectors.notification_get(request.user, pk)  # 404 unless it is the user's own
    services.notification_mark_read(user=request.user, ids=[pk])
    if is_htmx(request):
        notification = selectors.notification_get(request.user, pk)
        return render(request, "notifications/_read.html", {"n": notification})
    return redirect(_back(request))


@login_required
@require_POST
def open_notification(request, pk: int):
    """Following a notice's link marks it read on the way."""
    notification = selectors.notification_get(request.user, pk)
    services.notification_mark_read(user=request.user, ids=[pk])
    target = notification.url if is_safe_url(request, notification.url) else ""
    target = target or reverse("notifications:list")
    if is_htmx(request):
        # An XHR cannot be redirected for the browser; htmx navigates on this header.
        response = HttpResponse()
        response["HX-Redirect"] = target
        return response
    return redirect(target)
