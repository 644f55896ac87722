import logging

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from chuangwen.core.scoping import CONFIGURE, scope_for
from chuangwen.core.workcalendar import years_missing_schedule
from chuangwen.org.selectors import memberships_of, unit_kind_counts
from chuangwen.territory.choices import Level
from chuangwen.territory.selectors import level_counts, scope_roots

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
    counts = level_counts(user=request.user)
    configures = scope_for(request.user).for_action(CONFIGURE).citywide
    return render(
        request,
        "core/home.html",
        {
            "memberships": memberships_of(request.user),
            "roots": scope_roots(user=request.user),
            "level_counts": [(Level(level).label, n) for level, n in counts.items() if n],
            "unit_total": sum(unit_kind_counts(user=request.user).values()),
            "calendar_missing": years_missing_schedule(timezone.localdate()) if configures else [],
        },
    )
