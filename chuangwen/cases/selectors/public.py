"""What the public channels may show of cases, and the reporter's view by tracking code."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext as _

from chuangwen.core import clock
from chuangwen.core.privacy import public_coordinate, redact

from ..choices import DONE_STATUSES, NEVER_PUBLIC_STATUSES, Action, Publicity, Satisfaction, Status
from ..models import Case, CaseRating, ReopenRequest

# What the public timeline says of each step: no names, no notes of the office.
PUBLIC_STEPS = {
    Action.REPORT: _("问题已上报"),
    Action.ACCEPT: _("已受理立案"),
    Action.REJECT: _("不予受理"),
    Action.DISPATCH: _("已派遣至责任单位"),
    Action.SIGN: _("责任单位已签收,正在处置"),
    Action.SEND_BACK: _("重新确定责任单位"),
    Action.FINISH: _("责任单位已处置完成,等待核查"),
    Action.POSTPONE_APPROVE: _("处置时限已延长"),
    Action.VERIFY_OK: _("现场核查通过,已结案"),
    Action.VERIFY_FAIL: _("现场核查未通过,责任单位返工"),
    Action.REOPEN: _("重新立案办理"),
    Action.CANCEL: _("案件已作废"),
    Action.MERGE: _("与已有案件合并办理"),
    Action.RATE: _("市民已评价"),
    Action.REOPEN_REQUEST: _("市民申请重新办理"),
    Action.REOPEN_REFUSE: _("重新办理申请未通过"),
}


def public_q(prefix: str = "") -> Q:
    """The cases the public channels may show: those of a channel the office publishes
    (``PUBLIC_CHANNELS``) unless hidden, those the office published by hand, and never a
    rejected or cancelled one. ``prefix`` reaches the case through a relation."""

    def q(**lookups) -> Q:
        return Q(**{f"{prefix}{name}": value for name, value in lookups.items()})

    chosen = q(publicity=Publicity.PUBLIC) | (
        q(publicity=Publicity.AUTO) & q(channel__in=list(settings.PUBLIC_CHANNELS))
    )
    return chosen & ~q(status__in=NEVER_PUBLIC_STATUSES)


def is_public(case: Case) -> bool:
    if case.status in NEVER_PUBLIC_STATUSES or case.publicity == Publicity.HIDDEN:
        return False
    return case.publicity == Publicity.PUBLIC or case.channel in settings.PUBLIC_CHANNELS


def public_description(case: Case) -> str:
    """What the public reads of a case: the office's public text, else the description,
    both with personal data taken out."""
    return redact(case.public_text or case.description)


def public_place(*names: str | None) -> str:
    """A public address stops at the community: the territory names, never the text the
    reporter typed (which may name a flat)."""
    return "".join(name for name in names if name)


def public_point(lat: float, lng: float) -> tuple[float, float]:
    return public_coordinate(lat), public_coordinate(lng)


def public_case(*, token: str) -> Case:
    """A case by its tracking code, for anyone who holds the code."""
    token = (token or "").strip().upper()
    case = (
        Case.objects.select_related("category", "unit", "duplicate_of")
        .filter(public_token=token)
        .order_by("pk")
        .first()
        if token
        else None
    )
    if case is None:
        raise Http404("case")
    return case


def public_timeline(*, case: Case) -> list[dict]:
    """The steps of a case as the public sees them. The unit a case went to is named
    (a public body); people, notes and internal steps are not. A merged report shows its
    own steps, then the original's from the merge on."""
    rows = []
    cases = [case]
    if case.status == Status.MERGED and case.duplicate_of_id:
        cases.append(case.duplicate_of)
    for index, source in enumerate(cases):
        events = source.events.filter(action__in=list(PUBLIC_STEPS)).select_related("case__unit")
        if index:
            since = rows[-1]["time"] if rows else None
            events = events.filter(created_at__gte=since) if since else events
            events = events.exclude(action=Action.MERGE)
        for event in events.order_by("created_at", "id"):
            text = str(PUBLIC_STEPS[event.action])
            if event.action == Action.DISPATCH and event.data.get("unit_name"):
                text = f"{text}:{event.data['unit_name']}"
            if event.action == Action.RATE:
                rating = event.data.get("rating")
                if rating in Satisfaction.values:
                    text = f"{text}:{Satisfaction(rating).label}"
            rows.append(
                {
                    "time": event.created_at,
                    "action": event.action,
                    "text": text,
                    "status": event.to_status,
                }
            )
    return rows


def public_status(case: Case) -> dict:
    """Status words and what the reporter may do now, for the tracking page and Open311."""
    target = case.duplicate_of if case.status == Status.MERGED and case.duplicate_of_id else case
    rating = CaseRating.objects.filter(case=case).first()
    request = ReopenRequest.objects.filter(case=case).first()
    window = timedelta(days=settings.CASE_REOPEN_DAYS)
    closed = target.status == Status.CLOSED
    return {
        "case": target,
        "status": target.status,
        "status_label": Status(target.status).label,
        "done": target.status in DONE_STATUSES,
        "rating": rating,
        "may_rate": closed and rating is None,
        "reopen_request": request,
        "may_request_reopen": closed
        and request is None
        and rating is not None
        and rating.rating == Satisfaction.DISSATISFIED
        and target.closed_at is not None
        and clock.now() - target.closed_at <= window,
    }


def public_recent(*, days: int = 30, limit: int = 500) -> list[dict]:
    """Recent public cases for the public map and list: place, category and status only."""
    since = clock.now() - timedelta(days=days)
    rows = (
        Case.objects.filter(public_q(), reported_at__gte=since)
        .exclude(status=Status.MERGED)
        .order_by("-reported_at", "-id")
        .values_list(
            "code",
            "lat",
            "lng",
            "status",
            "reported_at",
            "closed_at",
            "category__name",
            "district__name",
            "street__name",
            "community__name",
        )[:limit]
    )
    result = []
    for code, lat, lng, status, reported, closed, category, *places in rows:
        lat, lng = public_point(lat, lng)
        result.append(
            {
                "code": code,
                "lat": lat,
                "lng": lng,
                "status": status,
                "status_label": str(Status(status).label),
                "reported_at": reported,
                "closed_at": closed,
                "category": category,
                "place": " ".join(name for name in places if name),
            }
        )
    return result


def public_report_count(*, since: datetime, client_hash: str = "", phone: str = "") -> int:
    """Reports taken in on the public channels since a moment from one address or one
    phone number: what the per-address and per-phone limits count."""
    q = Q()
    if client_hash:
        q |= Q(client_hash=client_hash)
    if phone:
        q |= Q(reporter_phone=phone)
    if not q:
        return 0
    return Case.objects.filter(q, reported_at__gte=since).count()
