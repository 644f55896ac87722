"""Every read of cases, scoped to the reader: lists, detail, history, inbox, map."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from chuangwen.catalog.models import Category, RoutingRule
from chuangwen.catalog.routing import choose_unit
from chuangwen.core import clock
from chuangwen.core.bounds import parse_id
from chuangwen.core.privacy import mask_name, mask_phone, public_coordinate, redact
from chuangwen.core.scoping import CHANGE, VIEW, scope_for
from chuangwen.core.workcalendar import get_calendar
from chuangwen.org.models import Membership
from chuangwen.org.selectors import fallback_units
from chuangwen.territory.models import TerritoryNode

from . import permissions
from .choices import (
    DONE_STATUSES,
    NEVER_PUBLIC_STATUSES,
    OPEN_STATUSES,
    Action,
    OverdueLevel,
    PostponeStatus,
    Publicity,
    ReopenRequestStatus,
    Satisfaction,
    Status,
    SupervisionStatus,
)
from .models import (
    Accountability,
    Case,
    CaseEvent,
    CasePhoto,
    CaseRating,
    ReopenRequest,
    SavedView,
    Supervision,
)


# -- routing -------------------------------------------------------------------------------
def _ancestor_paths(path: str) -> list[str]:
    codes = [c for c in path.split("/") if c]
    return ["".join(f"{c}/" for c in codes[: i + 1]) for i in range(len(codes))]


def route_for(category, node):
    """(unit, rule) for a case of the category at the territory node, as ``choose_unit``
    decides it from the rules that may apply there and, when none does, the territory's
    own units (属地兜底).

    ``node`` is a TerritoryNode or the routing index's Link (id and path are enough)."""
    categories = [category.pk] + ([category.parent_id] if category.parent_id else [])
    rules = list(
        RoutingRule.objects.filter(is_active=True, unit__is_active=True)
        .filter(Q(category_id__in=categories) | Q(category__isnull=True))
        .filter(Q(territory__isnull=True) | Q(territory__path__in=_ancestor_paths(node.path)))
        .select_related("unit", "territory")
    )
    owner, fallback = None, {}
    if not rules:  # the fallback is read only when it will be needed
        if not isinstance(node, TerritoryNode):
            node = TerritoryNode.objects.only("id", "path", "owner_unit").get(pk=node.id)
        owner = node.owner_unit if node.owner_unit_id else None
        fallback = {} if owner else fallback_units(node.path.strip("/").split("/"))
    return choose_unit(
        category=category, path=node.path, rules=rules, owner=owner, fallback=fallback
    )


# -- lists ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class CaseFilter:
    status: str = ""
    category: str = ""
    territory: str = ""
    unit: int | None = None
    channel: str = ""
    overdue: bool = False
    date_from: datetime | None = None
    date_to: datetime | None = None
    q: str = ""
    box: str = ""  # inbox: to_sign, in_progress, overdue, to_verify
    # Names of the filters given but unreadable (a date like 2026-02-30, a unit that is no
    # id): they filter nothing, and the page says so instead of ignoring them silently.
    invalid: tuple[str, ...] = ()

    @classmethod
    def from_params(cls, params) -> CaseFilter:
        invalid = []

        def day(name: str, end: bool = False):
            value = (params.get(name) or "").strip()
            if not value:
                return None
            try:
                parsed = datetime.strptime(value, "%Y-%m-%d").date()
            except ValueError:
                invalid.append(name)
                return None
            try:
                if end:
                    parsed += timedelta(days=1)
                moment = datetime.combine(parsed, time.min, tzinfo=get_calendar().tz)
                moment.astimezone(UTC)
            except OverflowError:
                # The first or last day the calendar knows: no case lies beyond it.
                return None
            return moment

        unit = (params.get("unit") or "").strip()
        unit_id = parse_id(unit)
        if unit and unit_id is None:
            invalid.append("unit")
        return cls(
            status=(params.get("status") or "").strip(),
            category=(params.get("category") or "").strip(),
            territory=(params.get("territory") or "").strip(),
            unit=unit_id,
            channel=(params.get("channel") or "").strip(),
            overdue=(params.get("overdue") or "") in ("1", "true", "on"),
            date_from=day("date_from"),
            date_to=day("date_to", end=True),
            q=(params.get("q") or "").strip()[:60],
            box=(params.get("box") or "").strip(),
            invalid=tuple(invalid),
        )


def case_queryset(user, action: str = VIEW) -> QuerySet[Case]:
    return Case.objects.scoped_for(user, action)


def case_list(*, user, filters: CaseFilter | None = None) -> QuerySet[Case]:
    f = filters or CaseFilter()
    qs = (
        case_queryset(user)
        .select_related("category", "unit", "district", "street", "community")
        .defer("district__geometry", "street__geometry", "community__geometry")
    )
    if f.status == "open":
        qs = qs.filter(status__in=OPEN_STATUSES)
    elif f.status in Status.values:
        qs = qs.filter(status=f.status)
    if f.category:
        qs = qs.filter(Q(category__code=f.category) | Q(category__parent__code=f.category))
    if f.territory:
        node = TerritoryNode.objects.filter(code=f.territory).only("path").first()
        qs = qs.filter(territory_path__startswith=node.path) if node else qs.none()
    if f.unit:
        qs = qs.filter(unit_id=f.unit)
    if f.channel:
        qs = qs.filter(channel=f.channel)
    if f.overdue:
        qs = qs.filter(status__in=OPEN_STATUSES, overdue_level__gt=OverdueLevel.NONE)
    if f.date_from:
        qs = qs.filter(reported_at__gte=f.date_from)
    if f.date_to:
        qs = qs.filter(reported_at__lt=f.date_to)
    if f.q:
        qs = qs.filter(
            Q(code__icontains=f.q) | Q(description__icontains=f.q) | Q(address__icontains=f.q)
        )
    if f.box:
        qs = qs.filter(inbox_q(user, f.box))
    return qs


def _unit_ids(user) -> list[int]:
    return sorted(
        {g.unit_id for g in scope_for(user).grants if g.role in permissions.HANDLER_ROLES}
    )


INBOXES = ("to_sign", "in_progress", "overdue", "to_verify")


def inbox_q(user, box: str) -> Q:
    """A unit handler's boxes: cases of their units waiting to be signed, in progress, or
    overdue; operators also get what waits for their verification."""
    units = _unit_ids(user)
    mine = Q(unit_id__in=units)
    if box == "to_sign":
        return mine & Q(status=Status.DISPATCHED)
    if box == "in_progress":
        return mine & Q(status=Status.IN_PROGRESS)
    if box == "overdue":
        return (
            mine
            & Q(status__in=(Status.DISPATCHED, Status.IN_PROGRESS))
            & Q(overdue_level__gt=OverdueLevel.NONE)
        )
    if box == "to_verify" and verifies_somewhere(user):
        return Q(status=Status.HANDLED)
    return Q(pk__in=[])


def verifies_somewhere(user) -> bool:
    """Operators and field staff verify (in their territory, which the list's scoping
    already limits); a unit's handlers never verify their own work."""
    scope = scope_for(user)
    return (
        scope.superuser
        or not scope.for_action(CHANGE).empty
        or any(g.role in permissions.FIELD_ROLES for g in scope.grants)
    )


def case_for_idempotency_key(*, user, key: str) -> Case | None:
    """The case a retried submission already created, if any."""
    if not key or user is None:
        return None
    return Case.objects.filter(created_by=user, idempotency_key=key).order_by("pk").first()


def case_for_existing_ticket(*, source: str, external_id: str) -> Case | None:
    """The case a source's ticket already became (a re-import, a retried Open311 POST)."""
    if not external_id:
        return None
    # The empty-number exclusion matches the partial unique index, which the query uses.
    found = Case.objects.filter(source=source, external_id=external_id).exclude(external_id="")
    return found.order_by("pk").first()


def inbox_counts(*, user) -> dict[str, int]:
    qs = case_queryset(user)
    return qs.aggregate(**{box: Count("pk", filter=inbox_q(user, box)) for box in INBOXES})


def case_taken_from_caller(*, user, case_id: int, version: int | None) -> bool:
    """A case out of the caller's sight that their unit worked on and that changed since
    the version they cite: a step taken meanwhile (a colleague's 退回) moved it away. For
    them that is a conflict, not a wrong id; nobody else learns the case exists."""
    if version is None:
        return False
    units = Membership.objects.filter(user=user, is_active=True).values("unit_id")
    return Case.objects.filter(
        pk=case_id, version__gt=version, events__actor_unit_id__in=units
    ).exists()


def case_get(*, user, case_id: int, with_geometry: bool = False) -> Case:
    case = (
        case_queryset(user)
        .select_related("category__parent", "standard", "unit", "suggested_unit", "routing_rule")
        .filter(pk=case_id)
        .order_by("pk")
        .first()
    )
    if case is None:
        raise Http404("case")
    # The territory chain in one query of its own: joined in, four more relations make
    # the planner's work dominate the lookup.
    fields = ["id", "code", "name", "level", "path"] + (["geometry"] if with_geometry else [])
    ids = [case.grid_id, case.community_id, case.street_id, case.district_id]
    nodes = TerritoryNode.objects.only(*fields).in_bulk([i for i in ids if i])
    for name, node_id in zip(("grid", "community", "street", "district"), ids, strict=True):
        setattr(case, name, nodes.get(node_id))
    return case


def case_events(*, case: Case) -> QuerySet[CaseEvent]:
    return case.events.select_related("actor", "actor_unit").order_by("created_at", "id")


def case_timeline(*, user, case: Case) -> list[tuple[CaseEvent, str]]:
    """Each event with the name to show for its actor. The reporter's own steps (上报, a
    trusted channel's 自动立案) would otherwise reveal the name reporter_view masks."""
    reporter = reporter_view(user=user, case=case)
    rows = []
    for event in case_events(case=case):
        if not event.actor_id:
            name = _("系统")
        elif reporter["masked"] and event.actor_id == case.reporter_id:
            name = reporter["name"] or _("上报人")
        else:
            name = event.actor.full_name or event.actor.get_username()
        rows.append((event, name))
    return rows


def pending_postponement(case: Case):
    return case.postponements.filter(status=PostponeStatus.PENDING).first()


def allowed_actions(*, user, case: Case) -> list[str]:
    # Only a case being handled can have an extension request waiting.
    pending = case.status in (Status.IN_PROGRESS, Status.HANDLED) and (
        pending_postponement(case) is not None
    )
    return permissions.allowed_actions(user, case, pending_postponement=pending)


def reporter_view(*, user, case: Case) -> dict:
    """Reporter identity for the city office; a masked phone for everyone else."""
    if permissions.sees_reporter(user):
        return {"name": case.reporter_name, "phone": case.reporter_phone, "masked": False}
    return {
        "name": mask_name(case.reporter_name),
        "phone": mask_phone(case.reporter_phone),
        "masked": True,
    }


def remaining_minutes(case: Case, now: datetime | None = None) -> float | None:
    """Time left on the handling clock, in the case's own time type; negative when late."""
    if case.deadline is None or case.status not in (Status.DISPATCHED, Status.IN_PROGRESS):
        return None
    now = now or clock.now()
    calendar = get_calendar()
    if now <= case.deadline:
        return calendar.elapsed_minutes(now, case.deadline, case.time_type)
    return -calendar.elapsed_minutes(case.deadline, now, case.time_type)


def photo_get(*, user, photo_id: int) -> CasePhoto:
    """A photo of a case the user can see, or one they uploaded that waits for its case;
    any other answers 404."""
    photo = (
        CasePhoto.objects.filter(pk=photo_id)
        .filter(Q(case__in=case_queryset(user)) | Q(case__isnull=True, uploaded_by=user))
        .only("id", "case_id", "uploaded_by_id", "image")
        .first()
    )
    if photo is None:
        raise Http404("photo")
    return photo


def supervision_list(*, user, open_only: bool = False) -> QuerySet[Supervision]:
    qs = Supervision.objects.scoped_for(user).select_related("case", "unit", "superior_unit")
    return qs.filter(status=SupervisionStatus.OPEN) if open_only else qs


def accountability_list(*, user) -> QuerySet[Accountability]:
    return Accountability.objects.scoped_for(user).select_related("unit", "case", "decided_by")


def saved_views(*, user) -> QuerySet[SavedView]:
    return SavedView.objects.filter(user=user)


def map_points(*, user, filters: CaseFilter | None = None, limit: int = 5000) -> list[dict]:
    rows = case_list(user=user, filters=filters).values_list(
        "pk", "code", "lat", "lng", "status", "overdue_level", "category__name"
    )[:limit]
    return [
        {
            "id": pk,
            "code": code,
            "lat": lat,
            "lng": lng,
            "status": status,
            "overdue": level,
            "category": name,
        }
        for pk, code, lat, lng, status, level, name in rows
    ]


# -- duplicates ----------------------------------------------------------------------------
@dataclass(frozen=True)
class PublicCandidate:
    """What the portal may say of an open case near a citizen's report: how far, of
    which kind (the category the citizen chose) and how far along, and the id to
    follow it by; never its code, text, address or time."""

    id: int
    distance_m: float
    status: str

    @property
    def status_label(self) -> str:
        return str(Status(self.status).label)


def duplicate_candidates(
    *, user, category, lat, lng, exclude_id: int | None = None, limit: int = 5
) -> list:
    """Open cases a report at (lat, lng) probably repeats; ``category`` is a 小类 code or
    a standard code. Staff (``user``) get the cases of their scope; the public
    (``user=None``) gets ``PublicCandidate`` rows of any case. Nothing (not an error)
    when the input does not name a place and a category yet: the form asks before the
    report is complete."""
    from .duplicates import find_duplicates

    code = (category or "").split("-")[0].strip()
    try:
        lat, lng = float(lat), float(lng)
    except (TypeError, ValueError):
        return []
    # Not a place on Earth (inf, nan, 1e999 from a hand-made URL): nothing is near it.
    if not (-90 <= lat <= 90 and -180 <= lng <= 180):
        return []
    found = Category.objects.filter(code=code, parent__isnull=False, is_active=True).first()
    if found is None:
        return []
    within = None if user is None else case_queryset(user)
    rows = find_duplicates(
        category=found, lat=lat, lng=lng, exclude_id=exclude_id, limit=limit, within=within
    )
    if user is None:
        return [PublicCandidate(r.id, r.distance_m, r.status) for r in rows]
    return rows


def case_id_for_code(*, user, code: str) -> int:
    """The id of a case the user can see, by its code (what an operator types in)."""
    found = case_queryset(user).filter(code=code.strip().upper()).values_list("pk", flat=True)
    pk = found.order_by().first()
    if pk is None:
        from chuangwen.core.errors import ServiceError

        raise ServiceError(f"未找到编号为 {code} 的案件。", field="into_code")
    return pk


def duplicates_of(*, user, case: Case) -> QuerySet[Case]:
    """Reports merged into ``case``, as far as the user can see them."""
    return case_queryset(user).filter(duplicate_of=case).order_by("reported_at", "id")


# -- the public ------------------------------------------------------------------------------
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


# -- satisfaction and reopening ----------------------------------------------------------
SATISFACTION_GROUPS = {
    "unit": ("unit_id", "unit__name"),
    "category": ("category_id", "category__name"),
}


@dataclass
class SatisfactionRow:
    key: int | None
    name: str
    rated: int = 0
    satisfied: int = 0
    basic: int = 0
    dissatisfied: int = 0
    reopen_requests: int = 0
    reopened: int = 0

    @property
    def rate(self) -> float | None:
        """回访满意率: 满意 and 基本满意 over all ratings."""
        return (self.satisfied + self.basic) / self.rated if self.rated else None


def satisfaction_stats(
    *, user, by: str = "unit", since: datetime | None = None, until: datetime | None = None
) -> list[SatisfactionRow]:
    """Ratings and reopen requests per unit or per category, within the user's scope."""
    if by not in SATISFACTION_GROUPS:
        raise ValueError(by)
    key, name = SATISFACTION_GROUPS[by]
    ratings = CaseRating.objects.scoped_for(user)
    requests = ReopenRequest.objects.scoped_for(user)
    if since:
        ratings = ratings.filter(created_at__gte=since)
        requests = requests.filter(requested_at__gte=since)
    if until:
        ratings = ratings.filter(created_at__lt=until)
        requests = requests.filter(requested_at__lt=until)
    rows: dict = {}

    def row(pk, label):
        return rows.setdefault(pk, SatisfactionRow(pk, label or _("未派遣")))

    counted = ratings.values(key, name).annotate(
        rated=Count("pk"),
        satisfied=Count("pk", filter=Q(rating=Satisfaction.SATISFIED)),
        basic=Count("pk", filter=Q(rating=Satisfaction.BASIC)),
        dissatisfied=Count("pk", filter=Q(rating=Satisfaction.DISSATISFIED)),
    )
    for item in counted.order_by():
        r = row(item[key], item[name])
        r.rated, r.satisfied = item["rated"], item["satisfied"]
        r.basic, r.dissatisfied = item["basic"], item["dissatisfied"]
    target_key, target_name = f"target__{key}", f"target__{name}"
    if by == "unit":  # reopening takes the unit off the case: count the one that handled it
        target_key, target_name = "target__suggested_unit_id", "target__suggested_unit__name"
    asked = requests.values(target_key, target_name).annotate(
        asked=Count("pk"),
        approved=Count("pk", filter=Q(status=ReopenRequestStatus.APPROVED)),
    )
    for item in asked.order_by():
        r = row(item[target_key], item[target_name])
        r.reopen_requests, r.reopened = item["asked"], item["approved"]
    return sorted(rows.values(), key=lambda r: (-(r.rated), r.name))


def reopen_requests(*, user, pending_only: bool = False) -> QuerySet[ReopenRequest]:
    qs = ReopenRequest.objects.scoped_for(user).select_related(
        "case", "target__category", "target__suggested_unit", "decided_by"
    )
    if pending_only:
        qs = qs.filter(status=ReopenRequestStatus.PENDING)
    return qs
