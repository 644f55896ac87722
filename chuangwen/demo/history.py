"""Six months of case history for the demo city, replayed through the case services.

Each case is a small script (a generator) that reports, waits, acts, waits… Scripts run
in the order of their simulated time with the service clock set to that time, and the
overdue sweep runs every simulated hour, so deadlines, stage times, supervision orders
and events are exactly what the product would have produced. Cases whose next step
lies in the future simply stop there: they are the open work of today.
"""

from __future__ import annotations

import heapq
import io
import random
from collections.abc import Generator
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models import Count
from PIL import Image, ImageDraw
from shapely.geometry import Point, shape

from chuangwen.accounts.services import user_create
from chuangwen.cases import selectors, services
from chuangwen.cases.choices import (
    OPEN_STATUSES,
    THIRD_PARTY_CHANNELS,
    Channel,
    PhotoKind,
    Satisfaction,
    Status,
)
from chuangwen.cases.models import Case
from chuangwen.catalog.models import CaseStandard
from chuangwen.core import clock
from chuangwen.core.types import Actor
from chuangwen.core.workcalendar import TimeType, get_calendar
from chuangwen.org.choices import Role, UnitKind
from chuangwen.org.models import Membership, Unit
from chuangwen.org.services import membership_grant
from chuangwen.territory.choices import Level
from chuangwen.territory.models import TerritoryNode

from . import city
from .people import GIVEN, SURNAMES

CHANNELS = (
    (Channel.FIELD, 40),
    (Channel.PORTAL, 18),
    (Channel.HOTLINE, 15),
    (Channel.INSPECTION, 10),
    (Channel.SURVEY_FEEDBACK, 5),
    (Channel.VIDEO, 7),
    (Channel.ASSIGNED, 5),
)
RATING_NOTES = {
    Satisfaction.SATISFIED: "处理很及时,谢谢。",
    Satisfaction.BASIC: "处理了,但用时有点长。",
    Satisfaction.DISSATISFIED: "问题没有彻底解决。",
}
# Events of everyday street life are reported far more often than broken components.
FAMILY_WEIGHT = {"E": 3.0, "W": 2.0, "B": 1.0}
ROADS = (
    "人民北路",
    "北京路",
    "朝阳路",
    "五堰街",
    "车城路",
    "公园路",
    "柳林路",
    "浙江路",
    "东岳路",
    "天津路",
    "重庆路",
    "大岭路",
)
SWEEP_EVERY = timedelta(hours=1)
STALL_WINDOW = timedelta(days=14)
STALL_SHARE = 0.3

Script = Generator[datetime, None, None]


class Cast:
    """The people who act in the history: the demo logins, and one handler account
    per responsible unit (created without a password, as staff entered in bulk are)."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        by_name = {m.user.username: m.user for m in Membership.objects.select_related("user")}
        self.operator = by_name["operator"]
        self.reporters = [
            by_name[n] for n in ("collector", "observer", "inspector") if n in by_name
        ]
        self.inspector = by_name.get("inspector", self.operator)
        self.leader = by_name.get("leader")
        self.handlers: dict[int, object] = {}
        for m in Membership.objects.filter(
            role__in=[
                Role.UNIT_HANDLER,
                Role.DISTRICT_OPERATOR,
                Role.STREET_OPERATOR,
                Role.COMMUNITY_OPERATOR,
            ]
        ).select_related("user"):
            self.handlers.setdefault(m.unit_id, m.user)

    def handler(self, unit: Unit):
        if unit.pk not in self.handlers:
            user = user_create(
                username=f"staff{unit.pk:04d}",
                password=None,
                full_name=self.rng.choice(SURNAMES) + self.rng.choice(GIVEN),
                actor=None,
            )
            role = (
                Role.UNIT_HANDLER
                if unit.kind
                in (UnitKind.MUNICIPAL_DEPARTMENT, UnitKind.ENTERPRISE, UnitKind.POINT_OWNER)
                else {
                    UnitKind.DISTRICT_GOVERNMENT: Role.DISTRICT_OPERATOR,
                    UnitKind.STREET_OFFICE: Role.STREET_OPERATOR,
                    UnitKind.COMMUNITY_COMMITTEE: Role.COMMUNITY_OPERATOR,
                }.get(unit.kind, Role.UNIT_HANDLER)
            )
            membership_grant(user=user, unit=unit, role=role, title="案件处置专员", actor=None)
            self.handlers[unit.pk] = user
        return self.handlers[unit.pk]


def demo_pictures(rng: random.Random) -> dict[str, list[bytes]]:
    """A few distinct pictures: cluttered scenes before, tidy ones after."""

    def picture(seed: int, tidy: bool) -> bytes:
        r = random.Random(seed)
        image = Image.new("RGB", (480, 360), (200, 205, 210) if tidy else (150, 140, 120))
        draw = ImageDraw.Draw(image)
        draw.rectangle((0, 240, 480, 360), fill=(120, 120, 125))
        for _ in range(3 if tidy else 25):
            x, y = r.randint(0, 440), r.randint(150, 330)
            colour = (
                (60, 150, 80)
                if tidy
                else (r.randint(80, 255), r.randint(40, 200), r.randint(0, 120))
            )
            draw.ellipse((x, y, x + r.randint(10, 40), y + r.randint(8, 30)), fill=colour)
        buffer = io.BytesIO()
        image.save(buffer, "JPEG", quality=80)
        return buffer.getvalue()

    return {
        PhotoKind.BEFORE: [picture(rng.randint(0, 10**6), False) for _ in range(6)],
        PhotoKind.AFTER: [picture(rng.randint(0, 10**6), True) for _ in range(4)],
    }


class History:
    def __init__(self, *, rng: random.Random, now: datetime, days: int):
        self.rng = rng
        self.now = now
        self.start = now - timedelta(days=days)
        self.cast = Cast(rng)
        self.calendar = get_calendar()
        self.photos = demo_pictures(rng)
        self.standards = list(
            CaseStandard.objects.filter(is_active=True).select_related("category")
        )
        self.weights = [
            FAMILY_WEIGHT.get(s.category.code[0], 1.0) * (2 if s.position <= 1 else 1)
            for s in self.standards
        ]
        self.grids = self._grids()
        self.fallback_unit = Unit.objects.filter(
            kind=UnitKind.MUNICIPAL_DEPARTMENT, name__contains="城市管理执法"
        ).first()
        self.counts: dict[str, int] = {}
        self.tickets = 0
        # Recent reports from the public, some of which the next citizen reports again.
        self.recent: list[tuple[CaseStandard, float, float]] = []

    def _grids(self):
        urban = [f"{city.CITY_CODE}/{code}/" for code in city.URBAN_DISTRICTS]
        grids = []
        for node in TerritoryNode.objects.filter(level=Level.GRID, is_active=True).select_related(
            "parent__parent"
        ):
            if any(node.path.startswith(p) for p in urban) and node.parent.parent.name.endswith(
                "街道"
            ):
                grids.append(shape(node.geometry))
        return grids

    def point(self) -> tuple[float, float]:
        polygon = self.rng.choice(self.grids)
        x0, y0, x1, y1 = polygon.bounds
        for _ in range(50):
            x, y = self.rng.uniform(x0, x1), self.rng.uniform(y0, y1)
            if polygon.contains(Point(x, y)):
                return y, x
        centre = polygon.representative_point()
        return centre.y, centre.x

    def later(
        self, t: datetime, minutes_low: float, minutes_high: float, *, working: bool = True
    ) -> datetime:
        minutes = self.rng.uniform(minutes_low, minutes_high)
        if working:
            return self.calendar.deadline(t, minutes / 60, "work_hours")
        return t + timedelta(minutes=minutes)

    def photo(self, kind: str, actor: Actor) -> int:
        content = self.rng.choice(self.photos[kind])
        upload = SimpleUploadedFile("photo.jpg", content, content_type="image/jpeg")
        return services.photo_upload(upload=upload, actor=actor, kind=kind).pk

    # -- one case's life ----------------------------------------------------------------------
    def script(self, t: datetime) -> Script:
        rng = self.rng
        # Some of the last fortnight's cases are left lying by their unit: today's backlog.
        stalls = t > self.now - STALL_WINDOW and rng.random() < STALL_SHARE
        channel = rng.choices([c for c, _ in CHANNELS], [w for _, w in CHANNELS])[0]
        standard = rng.choices(self.standards, self.weights)[0]
        actor = None
        if channel == Channel.FIELD:
            actor = rng.choice(self.cast.reporters)
        elif channel == Channel.INSPECTION:
            actor = self.cast.inspector
        elif channel in (Channel.VIDEO, Channel.ASSIGNED):
            actor = self.cast.operator
        lat, lng = self.point()
        public = channel in THIRD_PARTY_CHANNELS
        repeat = public and self.recent and rng.random() < 0.05
        if repeat:  # the same problem again, a few metres off
            standard, lat, lng = rng.choice(self.recent[-40:])
            lat, lng = lat + rng.uniform(-1e-4, 1e-4), lng + rng.uniform(-1e-4, 1e-4)
        elif public:
            self.recent.append((standard, lat, lng))
        if channel == Channel.HOTLINE:
            self.tickets += 1
        with clock.at(t):
            photo_ids = [self.photo(PhotoKind.BEFORE, actor)] if actor is not None else []
            case = services.case_report(
                category=standard.code,
                description=f"{standard.condition}。{rng.choice(('请尽快处理。', '影响市民出行。', '群众反映强烈。', '已持续数日。', ''))}",
                lat=lat,
                lng=lng,
                address=f"{rng.choice(ROADS)}{rng.randint(1, 300)}号附近",
                channel=channel,
                reporter_name="" if actor else rng.choice(SURNAMES) + rng.choice(GIVEN),
                reporter_phone=""
                if actor
                else f"1{rng.choice('35789')}{rng.randint(100000000, 999999999)}",
                photo_ids=photo_ids,
                source="12345" if channel == Channel.HOTLINE else "",
                external_id=f"12345-{t:%Y%m%d}-{self.tickets:05d}"
                if channel == Channel.HOTLINE
                else "",
                actor=actor,
            ).case
        op = self.cast.operator
        if case.status == Status.REPORTED:
            t = self.later(t, 5, 90)
            yield t
            if repeat:  # the operator sees the earlier report and merges this one into it
                found = selectors.duplicate_candidates(
                    user=op,
                    category=standard.category.code,
                    lat=lat,
                    lng=lng,
                    exclude_id=case.pk,
                )
                if found:
                    services.case_merge(
                        case_id=case.pk, into_id=found[0].id, actor=op, note="同一问题重复上报"
                    )
                    return
            if rng.random() < 0.05:
                services.case_reject(
                    case_id=case.pk, actor=op, note="经核实不属于城市管理问题,不予受理。"
                )
                return
            services.case_accept(case_id=case.pk, actor=op)
        if rng.random() < 0.02:
            t = self.later(t, 10, 240)
            yield t
            services.case_cancel(case_id=case.pk, actor=op, note="与已有案件重复,作废。")
            return
        for round_ in range(2):  # a second round when the case is reopened
            case.refresh_from_db()
            if case.status == Status.REGISTERED:
                t = self.later(t, 5, 120)
                yield t
                unit = case.suggested_unit or self.fallback_unit
                services.case_dispatch(case_id=case.pk, actor=op, unit_id=unit.pk)
            case.refresh_from_db()
            unit = case.unit
            # Emergency limits run day and night, and so do the crews that answer them.
            t = self.later(t, 5, 60, working=case.time_type != TimeType.EMERGENCY_HOURS)
            yield t
            if rng.random() < 0.05 and case.send_back_count == 0:
                services.case_send_back(
                    case_id=case.pk,
                    actor=self.cast.handler(unit),
                    note="经现场核实,该问题不属于本单位职责范围,请重新派遣。",
                )
                t = self.later(t, 10, 120)
                yield t
                other = (
                    self.fallback_unit
                    if unit != self.fallback_unit
                    else case.suggested_unit or unit
                )
                services.case_dispatch(case_id=case.pk, actor=op, unit_id=other.pk, note="重新派遣")
                case.refresh_from_db()
                unit = case.unit
                t = self.later(t, 5, 120)
                yield t
            if stalls and rng.random() < 0.25:
                return  # not even signed for yet: today's 待签收 and overdue work
            handler = self.cast.handler(unit)
            services.case_sign(case_id=case.pk, actor=handler)
            case.refresh_from_db()
            if stalls:
                return  # signed, then left lying: the sweep lights it yellow, then red
            if rng.random() < 0.05:
                t = self.later(t, 30, 120)
                yield t
                services.case_postpone(
                    case_id=case.pk,
                    actor=handler,
                    value=case.time_value,
                    note="需协调多个部门或等待材料到货,申请延期。",
                )
                t = self.later(t, 20, 120)
                yield t
                if rng.random() < 0.8:
                    services.case_postpone_decide(
                        case_id=case.pk, actor=op, approve=True, note="同意延期"
                    )
                else:
                    services.case_postpone_decide(
                        case_id=case.pk, actor=op, approve=False, note="理由不充分,请按期办结"
                    )
                case.refresh_from_db()
            for attempt in range(3):
                limit = float(case.time_value + case.extension_value)
                share = rng.uniform(1.05, 2.4) if rng.random() < 0.08 else rng.uniform(0.15, 0.95)
                finish_at = self.calendar.deadline(
                    case.dispatched_at, limit * share, case.time_type
                )
                t = max(finish_at, t + timedelta(minutes=10))
                yield t
                services.case_finish(
                    case_id=case.pk,
                    actor=handler,
                    photo_ids=[self.photo(PhotoKind.AFTER, handler)],
                    note="已按标准处置完毕。",
                )
                t = self.later(t, 20, 300)
                yield t
                verifier = (
                    self.cast.reporters[0]
                    if case.territory_path.startswith("420300/420302/420302001/")
                    and self.cast.reporters
                    else op
                )
                if attempt < 2 and rng.random() < 0.12:
                    services.case_verify(
                        case_id=case.pk,
                        actor=verifier,
                        ok=False,
                        note="现场核查未整改到位,请返工。",
                    )
                    case.refresh_from_db()
                    continue
                services.case_verify(
                    case_id=case.pk, actor=verifier, ok=True, note="现场核查已整改到位。"
                )
                break
            if public and round_ == 0:  # one callback per report
                reopened = yield from self.callback(case, t)
                if reopened:
                    continue
                return
            if round_ == 0 and rng.random() < 0.03:
                t = self.later(t, 60, 2000, working=False)
                yield t
                services.case_reopen(case_id=case.pk, actor=op, note="现场复查问题复现,重新立案。")
                continue
            return

    def callback(self, case: Case, t: datetime) -> Generator[datetime, None, bool]:
        """回访: most citizens rate the result; a dissatisfied one may ask to reopen, and
        the office reviews the request. Yields the moments; returns whether it reopened."""
        rng = self.rng
        if rng.random() < 0.2:  # not reached on the phone
            return False
        t = self.later(t, 60, 1500)
        yield t
        rating = rng.choices(list(Satisfaction), [80, 14, 6])[0]
        services.case_rate(token=case.public_token, rating=rating, comment=RATING_NOTES[rating])
        if rating != Satisfaction.DISSATISFIED or rng.random() < 0.3:
            return False
        # The call may come after a long holiday, when the reopen window has closed.
        closed_at = services.handled_case(Case.objects.get(pk=case.pk)).closed_at
        if closed_at and clock.now() - closed_at > timedelta(days=settings.CASE_REOPEN_DAYS):
            return False
        services.reopen_request_submit(token=case.public_token, reason="问题没有解决,请重新处理。")
        t = self.later(t, 30, 600)
        yield t
        request = case.reopen_requests.get()
        approve = rng.random() < 0.6
        services.reopen_request_decide(
            request_id=request.pk,
            approve=approve,
            actor=self.cast.operator,
            note="" if approve else "经回访核实,问题已按标准处置,申请不予支持。",
        )
        return approve

    # -- the run ------------------------------------------------------------------------------
    def report_times(self, count: int) -> list[datetime]:
        span = (self.now - self.start).total_seconds()
        times = []
        while len(times) < count:
            moment = self.start + timedelta(seconds=self.rng.uniform(0, span))
            local = moment.astimezone(self.calendar.tz)
            # Reports come in daytime, fewer at weekends.
            if not 7 <= local.hour < 21:
                continue
            if local.weekday() >= 5 and self.rng.random() < 0.4:
                continue
            times.append(moment)
        return sorted(times)

    def run(self, count: int) -> int:
        queue: list[tuple[datetime, int, Script]] = []
        serial = 0
        for moment in self.report_times(count):
            heapq.heappush(queue, (moment, serial, self.script(moment)))
            serial += 1
        next_sweep = self.start + SWEEP_EVERY
        steps = 0
        while queue:
            moment, serial, script = heapq.heappop(queue)
            while next_sweep <= moment:
                with clock.at(next_sweep):
                    services.supervise_overdue(now=next_sweep)
                next_sweep += SWEEP_EVERY
            with clock.at(moment):
                try:
                    wake = next(script)
                except StopIteration:
                    continue
            steps += 1
            if wake <= self.now:
                heapq.heappush(queue, (wake, serial, script))
        with clock.at(self.now):
            services.supervise_overdue(now=self.now)
        return steps


def settle_notifications() -> None:
    """Months of notices would all arrive unread at once; people have long since read
    those about finished cases. What concerns open cases stays in their bell."""
    from chuangwen.notifications.models import Notification
    from chuangwen.notifications.services import notification_mark_read

    open_urls = {
        f"/cases/{pk}/"
        for pk in Case.objects.filter(status__in=OPEN_STATUSES).values_list("pk", flat=True)
    }
    read: dict[int, list[int]] = {}
    for pk, user_id, url in Notification.objects.filter(read_at__isnull=True).values_list(
        "pk", "recipient_id", "url"
    ):
        if url not in open_urls:
            read.setdefault(user_id, []).append(pk)
    users = get_user_model().objects.in_bulk(list(read))
    for user_id, ids in read.items():
        notification_mark_read(user=users[user_id], ids=ids)


def load_history(*, stdout, seed: int = 2026, count: int = 3000, days: int = 182) -> None:
    if Case.objects.exists() or not CaseStandard.objects.exists():
        return
    rng = random.Random(seed)
    with transaction.atomic():
        history = History(rng=rng, now=clock.now(), days=days)
        history.run(count)
        settle_notifications()
    counts = dict(
        Case.objects.values_list("status").annotate(n=Count("pk")).values_list("status", "n")
    )
    summary = "、".join(
        f"{Status(s).label} {n}" for s, n in sorted(counts.items(), key=lambda i: -i[1])
    )
    stdout.write(f"案件历史:近 {days} 天 {sum(counts.values())} 件({summary})")
