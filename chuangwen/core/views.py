import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import connection
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from chuangwen.core import outbox, selectors
from chuangwen.core.errors import ServiceError
from chuangwen.core.scoping import CONFIGURE, scope_for
from chuangwen.core.services import outbox_message_retry
from chuangwen.core.workbench import workbench_context
from chuangwen.core.workcalendar import years_missing_schedule

log = logging.getLogger(__name__)


@require_GET
@never_cache
def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # the point of the check is to report any failure
        # The answer is public: the error's text (hosts, users, paths) goes to the log only.
        log.exception("health check: the database did not answer")
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@login_required
def home(request):
    configures = scope_for(request.user).for_action(CONFIGURE).citywide
    return render(
        request,
        "core/home.html",
        {
            **workbench_context(request.user),
            "calendar_missing": years_missing_schedule(timezone.localdate()) if configures else [],
            "dead_letters": selectors.dead_letters(user=request.user).count() if configures else 0,
        },
    )


DEAD_LETTERS_PER_PAGE = 50


def _recipients(payload: dict) -> int | None:
    for field in ("phones", "emails"):
        if isinstance(payload.get(field), list):
            return len(payload[field])
    return None


@login_required
@require_GET
def dead_letters(request):
    """Messages the worker gave up on, for the city office to look into and send again."""
    if not selectors.can_manage_outbox(request.user):
        raise Http404("dead letters")
    outbox.discover()  # the topics' names for the office
    page = Paginator(selectors.dead_letters(user=request.user), DEAD_LETTERS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    rows = [
        {
            "message": m,
            "label": outbox.topic_label(m.topic),
            "title": str(m.payload.get("title") or "") if isinstance(m.payload, dict) else "",
            "recipients": _recipients(m.payload) if isinstance(m.payload, dict) else None,
        }
        for m in page
    ]
    return render(request, "core/dead_letters.html", {"page": page, "rows": rows})


@login_required
@require_POST
def dead_letter_retry(request, message_id: int):
    if not selectors.can_manage_outbox(request.user):
        raise Http404("dead letters")
    try:
        message = outbox_message_retry(message_id=message_id, actor=request.user)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, _("消息 #%(id)s 已重新排队,工作进程将尽快投递。") % {"id": message.pk}
        )
    return redirect("core:dead_letters")
