"""Every read of the Open311 endpoint. It shows published cases only (cases.selectors
``public_q``): their category, progress, the place down to the community, a point rounded
to about 100 m and the text with personal data redacted; never a reporter, a photo or a
tracking token (except to whoever already holds it)."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal

from django.db.models import Count, Exists, Max, Min, OuterRef, Prefetch, QuerySet
from django.utils.translation import gettext as _

from chuangwen.cases.choices import DONE_STATUSES, Action, Satisfaction, Status
from chuangwen.cases.models import Case, CaseEvent
from chuangwen.cases.selectors import (
    PUBLIC_STEPS,
    public_description,
    public_place,
    public_point,
    public_q,
)
from chuangwen.catalog.choices import CategoryKind
from chuangwen.catalog.models import CaseStandard, Category
from chuangwen.core.scoping import VIEW
from chuangwen.core.workcalendar import TimeType
from chuangwen.org.choices import UnitKind
from chuangwen.org.models import Unit

from .definitions import LIST_TYPES, attributes_of
from .models import Open311Key
from .w3c import format_datetime

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
FORMATS = ["text/xml", "application/json"]


def hash_key(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


# -- keys ----------------------------------------------------------------------------------
def key_for(raw: str) -> Open311Key | None:
    """The key a client presents, active or not (a revoked key gets its own answer)."""
    raw = (raw or "").strip()
    if not raw:
        return None
    return Open311Key.objects.select_related("unit").filter(key_hash=hash_key(raw)).first()


def keys_for(*, user, action: str = VIEW) -> QuerySet[Open311Key]:
    return (
        Open311Key.objects.scoped_for(user, action)
        .select_related("unit", "created_by")
        .order_by("-created_at", "-id")
    )


def posts_since(*, key: Open311Key, since: datetime) -> tuple[int, datetime | None]:
    """How many reports the key submitted since a moment, and the first of them."""
    found = Case.objects.filter(source=key.source, reported_at__gte=since).aggregate(
        n=Count("pk"), first=Min("reported_at")
    )
    return found["n"], found["first"]


# -- discovery and services ----------------------------------------------------------------
def _city_office() -> Unit | None:
    return Unit.objects.filter(kind=UnitKind.CITY_OFFICE, is_active=True).order_by("pk").first()


def discovery(*, url: str) -> dict:
    moments = [
        Category.objects.aggregate(at=Max("updated_at"))["at"],
        CaseStandard.objects.aggregate(at=Max("updated_at"))["at"],
    ]
    moments = [m for m in moments if m is not None]
    # The spec's changeset tells clients when to refresh cached service lists.
    changeset = format_datetime(max(moments)) if moments else None
    office = _city_office()
    parts = (
        (office.name, office.contact_person, office.contact_phone, office.address)
        if office
        else (_("市创文办"),)
    )
    contact = " ".join(part for part in parts if part)
    return {
        "changeset": changeset,
        "contact": contact,
        "key_service": _(
            "提交上报需要 API 密钥,由%(office)s发放:请说明使用单位、用途和对接的系统。"
        )
        % {"office": contact},
        "endpoints": [
            {
                "specification": SPECIFICATION,
                "url": url,
                "changeset": changeset,
                "type": "production",
                "formats": FORMATS,
            }
        ],
    }


def service_categories() -> QuerySet[Category]:
    """The 小类 a report may name: active, under an active 大类, with an active standard."""
    standards = CaseStandard.objects.filter(is_active=True).order_by("position", "code")
    return (
        Category.objects.filter(parent__isnull=False, is_active=True, parent__is_active=True)
        .filter(Exists(standards.filter(category=OuterRef("pk"))))
        .select_related("parent")
        .prefetch_related(Prefetch("standards", queryset=standards, to_attr="active_standards"))
        .order_by("code")
    )


def service_category(code: str) -> Category | None:
    code = (code or "").strip().upper()
    return service_categories().filter(code=code).first() if code else None


def _service(category: Category) -> dict:
    conditions = [s.condition for s in category.active_standards]
    description = category.description or _("立案条件:%(conditions)s") % {
        "conditions": ";".join(conditions)
    }
    keywords = [category.parent.name, str(CategoryKind(category.kind).label), *conditions]
    return {
        "service_code": category.code,
        "service_name": category.name,
        "description": description,
        "metadata": bool(category.extra_fields),
        "type": "realtime",
        "keywords": ",".join(dict.fromkeys(k for k in keywords if k)),
        "group": category.parent.name,
    }


def service_list() -> list[dict]:
    return [_service(c) for c in service_categories()]


def service_definition(category: Category) -> dict:
    """Raises ServiceError when the category's extra fields are malformed."""
    attributes = []
    for attribute in attributes_of(category.extra_fields):
        row = {
            "variable": attribute.variable,
            "code": attribute.code,
            "datatype": attribute.datatype,
            "required": attribute.required,
            "datatype_description": attribute.datatype_description,
            "order": attribute.order,
            "description": attribute.label,
        }
        if attribute.datatype in LIST_TYPES:
            row["values"] = [{"key": key, "name": name} for key, name in attribute.values]
        attributes.append(row)
    return {"service_code": category.code, "attributes": attributes}


# -- service requests ----------------------------------------------------------------------
def _number(value: Decimal) -> str:
    return format(value.normalize(), "f")


def service_notice(case: Case) -> str:
    return _("受理后派遣责任单位处置,处置时限 %(value)s %(unit)s,自派遣时起算。") % {
        "value": _number(case.time_value + case.extension_value),
        "unit": TimeType(case.time_type).label,
    }


def _step_text(action: str, data: dict) -> str:
    # Word for word what cases.selectors.public_timeline says of the step.
    text = str(PUBLIC_STEPS[action])
    if action == Action.DISPATCH and data.get("unit_name"):
        text = f"{text}:{data['unit_name']}"
    if action == Action.RATE and data.get("rating") in Satisfaction.values:
        text = f"{text}:{Satisfaction(data['rating']).label}"
    return text


def _latest_steps(cases: list[Case]) -> dict[int, str]:
    """Each case's latest public step, as its public timeline ends (a merged report goes
    on with the steps of the case it was merged into), in one query for all."""
    originals = {
        c.pk: c.duplicate_of_id for c in cases if c.status == Status.MERGED and c.duplicate_of_id
    }
    events = defaultdict(list)
    rows = (
        CaseEvent.objects.filter(
            case_id__in={c.pk for c in cases} | set(originals.values()),
            action__in=list(PUBLIC_STEPS),
        )
        .order_by("created_at", "id")
        .values_list("case_id", "action", "data", "created_at")
    )
    for case_id, action, data, created_at in rows:
        events[case_id].append((action, data, created_at))
    latest = {}
    for case in cases:
        own = events.get(case.pk, [])
        last = own[-1] if own else None
        if case.pk in originals:
            since = last[2] if last else None
            later = [
                e
                for e in events.get(originals[case.pk], [])
                if e[0] != Action.MERGE and (since is None or e[2] >= since)
            ]
            last = later[-1] if later else last
        if last is not None:
            latest[case.pk] = _step_text(last[0], last[1])
    return latest


def request_rows(cases: list[Case]) -> list[dict]:
    notes = _latest_steps(cases)
    rows = []
    for case in cases:
        # A merged report is closed; the case it joined is the one being handled.
        handled = case.duplicate_of if case.status == Status.MERGED and case.duplicate_of else case
        done = case.status in DONE_STATUSES
        lat, lng = public_point(case.lat, case.lng)
        rows.append(
            {
                "service_request_id": case.code,
                "status": "closed" if done else "open",
                "status_notes": notes.get(case.pk),
                "service_name": case.category.name,
                "service_code": case.category.code,
                "description": public_description(case),
                "agency_responsible": handled.unit.name if handled.unit else None,
                "service_notice": service_notice(case),
                "requested_datetime": format_datetime(case.reported_at),
                "updated_datetime": format_datetime(
                    case.closed_at if done and case.closed_at else case.updated_at
                ),
                "expected_datetime": format_datetime(handled.deadline),
                "address": public_place(
                    *(n.name if n else None for n in (case.district, case.street, case.community))
                ),
                "address_id": None,
                "zipcode": None,
                "lat": lat,
                "long": lng,
                "media_url": None,
            }
        )
    return rows


def _cases() -> QuerySet[Case]:
    """The published cases: everything Open311 shows comes from here."""
    return (
        Case.objects.filter(public_q())
        .select_related("category", "unit", "district", "street", "community", "duplicate_of__unit")
        .defer("district__geometry", "street__geometry", "community__geometry")
    )


def search_requests(
    *,
    codes: Iterable[str] = (),
    service_codes: Iterable[str] = (),
    start: datetime | None = None,
    end: datetime | None = None,
    statuses: Iterable[str] = (),
    limit: int = 1000,
) -> list[Case]:
    """Newest first. Named requests (``codes``) are found whatever the other filters."""
    cases = _cases()
    codes = list(codes)
    if codes:
        return list(cases.filter(code__in=codes).order_by("-reported_at", "-id")[:limit])
    if start is not None:
        cases = cases.filter(reported_at__gte=start)
    if end is not None:
        cases = cases.filter(reported_at__lte=end)
    service_codes = list(service_codes)
    if service_codes:
        cases = cases.filter(category__code__in=service_codes)
    statuses = set(statuses)
    if statuses == {"open"}:
        cases = cases.exclude(status__in=DONE_STATUSES)
    elif statuses == {"closed"}:
        cases = cases.filter(status__in=DONE_STATUSES)
    return list(cases.order_by("-reported_at", "-id")[:limit])


def request_by_code(code: str) -> Case | None:
    code = (code or "").strip().upper()
    return _cases().filter(code=code).first() if code else None


def known_service_codes(codes: Iterable[str]) -> set[str]:
    """Which of the codes name a 小类, current or retired (old requests keep theirs)."""
    return set(
        Category.objects.filter(code__in=list(codes), parent__isnull=False).values_list(
            "code", flat=True
        )
    )


def request_for_token(token: str) -> Case | None:
    token = (token or "").strip().upper()
    if not token:
        return None
    return Case.objects.filter(public_token=token).only("code", "public_token").first()


def request_updates(
    *, start: datetime, end: datetime, codes: Iterable[str] = (), limit: int = 1000
) -> list[dict]:
    """Public steps in a time window, oldest first: a client that gets ``limit`` rows
    asks again from the last one's time."""
    events = CaseEvent.objects.filter(
        public_q("case__"),
        action__in=list(PUBLIC_STEPS),
        created_at__gte=start,
        created_at__lte=end,
    )
    codes = list(codes)
    if codes:
        events = events.filter(case__code__in=codes)
    rows = events.order_by("created_at", "id").values_list(
        "id", "case__code", "action", "data", "to_status", "created_at"
    )[:limit]
    return [
        {
            "update_id": str(pk),
            "service_request_id": code,
            "status": "closed" if to_status in DONE_STATUSES else "open",
            "updated_datetime": format_datetime(created_at),
            "description": _step_text(action, data),
            "media_url": None,
        }
        for pk, code, action, data, to_status, created_at in rows
    ]
