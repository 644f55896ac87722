"""The leaders' dashboard (领导驾驶舱): every figure it shows, for one viewer's territory.

The viewer's *area* is the territory of their view scope: the whole city for the city
office, their district for a district's leaders and operators, their street for a
street's. The month's case indicators are the assessment's own (``selectors.compute``):
the area's row, or the sum of its rows (the city is the sum of its districts), so the
dashboard and the ranking never disagree about a figure. Stocks (在办, 超时, 督办单),
the map, the lists and the rankings are direct aggregates and capped lists over the
area's cases and the viewer's scope.

A case's light is read from its own times: yellow from ``yellow_at``, red from
``red_at``, while it is being handled (dispatched or in progress), which is what the
worker's sweep marks, without waiting for the sweep.

Every comparison is with the same span of the previous month, from its first day up to
the same whole hour into it: on the 5th at 10:20, 1 October 00:00 to 5 October 10:00,
not a whole month. The stocks of that moment are read back from the cases' timestamps
(reported, dispatched, handled, closed, the lights, the event that ended a rejected,
cancelled or merged case), which is exact except for cases whose deadline was moved or
which were sent back or reopened since.

Every query is an aggregate or a capped list on an index. The figures of a moment that
has passed (the comparison's, the trend's finished months) hardly change, and with a
million cases they are the costly part, so they are kept for an hour: the assessment's
figures of every subject (the same for whoever asks; each viewer takes only their own
area's rows), and the stocks and 督办单 of the comparison's moment per view scope, so
a scope only ever reads what was computed for it. What stands now is read afresh.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, F, Q, QuerySet, Value
from django.db.models.functions import Floor
from django.utils.translation import gettext_lazy as _

from chuangwen.cases import selectors as case_selectors
from chuangwen.cases.choices import (
    HANDLING_STATUSES,
    OPEN_STATUSES,
    Action,
    Status,
)
from chuangwen.cases.models import Case, CaseEvent, Supervision
from chuangwen.core import clock
from chuangwen.core.scoping import VIEW, path_q, scope_for
from chuangwen.core.workcalendar import get_calendar
from chuangwen.territory.choices import LEVEL_ORDER, Level

from .. import indicators, periods, selectors
from ..choices import TERRITORY_SUBJECTS, PeriodKind, SubjectType
from ..models import Publication
from ..periods import Period

TREND_MONTHS = 12
# The map: the latest cases as points, and where cases were reported as a heat grid.
MAP_DAYS = 30
MAP_POINTS = 500
HEAT_CELL_DEGREES = 0.005  # about 500 m × 470 m at Shiyan's latitude
HEAT_CELLS = 2000
LIST_SIZE = 10
# How long the figures of a moment that has passed are kept.
PAST_SECONDS = 3600
RED, YELLOW = 2, 1  # the lights, as OverdueLevel numbers them
# States in which a case left the loop without being closed, and the steps that end it.
ENDED_STATUSES = (Status.INVALID, Status.CANCELLED, Status.MERGED)
ENDING_ACTIONS = (Action.REJECT, Action.CANCEL, Action.MERGE)
# Which level a viewer's rankings show: the one below their own.
LEVEL_BELOW = {
    Level.CITY: SubjectType.DISTRICT,
    Level.DISTRICT: SubjectType.STREET,
    Level.STREET: SubjectType.COMMUNITY,
}
# Counts that add up across territories; the rates are derived again from the sums.
SUMMED = ("reported", "registered", "due", "closed", "on_time", "deferred", "rework", "sent_back")


def refresh_seconds() -> int:
    return max(10, settings.DASHBOARD_REFRESH_SECONDS)


def _scope_key(user) -> str:
    """Names the viewer's view scope (not the viewer): two viewers share kept figures only
    when they may see exactly the same."""
    scope = scope_for(user).for_action(VIEW)
    if scope.citywide:
        return "city"
    text = "|".join(scope.paths) + "#" + ",".join(str(i) for i in sorted(scope.unit_ids))
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def _past(key: str, compute):
    """What ``compute`` gives about a moment that has passed, kept for a while."""
    key = f"dashboard:1:{key}"
    found = cache.get(key)
    if found is None:
        found = compute()
        cache.set(key, found, PAST_SECONDS)
    return found


# -- the viewer's area ------------------------------------------------------------------------
@dataclass(frozen=True)
class Node:
    id: int
    code: str
    name: str
    level: str
    path: str


@dataclass(frozen=True)
class Area:
    """The territory the dashboard speaks for: the city, or the viewer's subtrees."""

    citywide: bool
    nodes: tuple[Node, ...] = ()

    @property
    def name(self) -> str:
        return "、".join(node.name for node in self.nodes)

    @property
    def level(self) -> str | None:
        """The highest level among the area's nodes."""
        if not self.nodes:
            return None
        return min((node.level for node in self.nodes), key=LEVEL_ORDER.index)

    def q(self, field_name: str = "territory_path") -> Q:
        if self.citywide:
            return Q()
        return path_q(field_name, tuple(node.path for node in self.nodes))


NODE_FIELDS = ("id", "code", "name", "level", "path")


def area_for(user) -> Area:
    from chuangwen.territory.models import TerritoryNode

    scope = scope_for(user).for_action(VIEW)
    if scope.citywide:
        root = (
            TerritoryNode.objects.filter(level=Level.CITY, parent__isnull=True)
            .values(*NODE_FIELDS)
            .first()
        )
        return Area(citywide=True, nodes=(Node(**root),) if root else ())
    rows = TerritoryNode.objects.filter(path__in=scope.paths).order_by("path").values(*NODE_FIELDS)
    return Area(citywide=False, nodes=tuple(Node(**row) for row in rows))


# -- moments -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Moments:
    """Now, the month it falls in, and the same point into the previous month."""

    now: datetime
    month: Period
    previous: Period
    previous_at: datetime

    @classmethod
    def at(cls, now: datetime) -> Moments:
        month = periods.containing(now.astimezone(get_calendar().tz).date(), PeriodKind.MONTH)
        previous = month.previous()
        hours = timedelta(hours=(now - month.start) // timedelta(hours=1))
        return cls(
            now=now,
            month=month,
            previous=previous,
            previous_at=min(previous.end, previous.start + hours),
        )


# -- case indicators ----------------------------------------------------------------------------
def _summed(rows: list[dict]) -> dict:
    raw = {key: sum(row.get(key) or 0 for row in rows) for key in SUMMED}
    # compute() hands out the satisfaction rate and the mean handling time, not their
    # numerators; both come back from each row's rounded figure (the rating count exactly
    # while a territory has fewer than 10,000 ratings in the month).
    raw["rated"] = sum(row.get("rated") or 0 for row in rows)
    raw["satisfied"] = sum(
        round((row.get("satisfaction_rate") or 0) * (row.get("rated") or 0) / 100) for row in rows
    )
    raw["handle_minutes"] = sum(
        (row.get("avg_handle_hours") or 0) * 60 * (row.get("closed") or 0) for row in rows
    )
    return indicators.case_figures(raw)


def _computed(
    subject_type: str, start: datetime, end: datetime, as_of: datetime, *, past: bool
) -> dict:
    """Every subject's figures, as ``selectors.compute`` gives them; those of a moment
    that has passed (``past``) are kept. They are the city's, not a viewer's: each
    viewer then takes only the rows of their own area."""

    def compute():
        return selectors.compute(subject_type=subject_type, start=start, end=end, as_of=as_of)

    if not past:
        return compute()
    moments = ":".join(m.isoformat() for m in (start, end, as_of))
    return _past(f"compute:{subject_type}:{moments}", compute)


def case_figures(
    area: Area, start: datetime, end: datetime, as_of: datetime, *, past: bool = False
) -> dict:
    """The assessment's case indicators of the area over [start, end) as of ``as_of``
    (``past``: a moment that has passed, whose figures may be kept)."""
    if area.citywide:
        rows = list(_computed(SubjectType.DISTRICT, start, end, as_of, past=past).values())
    else:
        by_level: dict[str, list[int]] = defaultdict(list)
        for node in area.nodes:
            if node.level in TERRITORY_SUBJECTS:
                by_level[node.level].append(node.id)
        rows = []
        for level, ids in by_level.items():
            figures = _computed(level, start, end, as_of, past=past)
            rows.extend(figures[i] for i in ids if i in figures)
    if len(rows) == 1:
        return rows[0]
    return _summed(rows)


# -- KPIs ----------------------------------------------------------------------------------------
@dataclass
class Kpi:
    code: str
    label: str
    unit: str  # 件 or %
    value: int | float | None
    previous: int | float | None
    # Which way is good news; None where neither is (more reports may mean more found).
    higher_is_better: bool | None
    parts: list[tuple[str, int | float | None]] = field(default_factory=list)

    @property
    def change(self) -> int | float | None:
        return indicators.change(self.value, self.previous)

    @property
    def tone(self) -> str:
        """good, bad or flat: how the change reads; empty when it has no direction."""
        change = self.change
        if change is None or self.higher_is_better is None:
            return ""
        if change == 0:
            return "flat"
        return "good" if (change > 0) == self.higher_is_better else "bad"


def _stocks_now(area: Area, now: datetime) -> dict[str, int]:
    """Open cases and lit ones now: three counts the status indexes answer alone."""
    cases = Case.objects.filter(area.q())
    handling = cases.filter(status__in=HANDLING_STATUSES)
    red = handling.filter(red_at__lte=now).count()
    # Red comes after yellow on every case: the lit ones less the red ones are yellow.
    lit = handling.filter(yellow_at__lte=now).count()
    return {
        "open": cases.filter(status__in=OPEN_STATUSES).count(),
        "red": red,
        "yellow": lit - red,
    }


def _stocks_at(area: Area, moment: datetime) -> dict[str, int]:
    """The same stocks as they stood at an earlier moment, read back from timestamps."""
    # Rejected, cancelled and merged cases keep no end time of their own: their last
    # event has it, and the (action, created_at) index finds the few since the moment.
    ended_since = CaseEvent.objects.filter(
        action__in=ENDING_ACTIONS, created_at__gte=moment
    ).values("case_id")
    open_then = Q(reported_at__lt=moment) & (
        Q(status__in=OPEN_STATUSES)
        | Q(status=Status.CLOSED, closed_at__gte=moment)
        | Q(status__in=ENDED_STATUSES, pk__in=ended_since)
    )
    handling = Q(dispatched_at__lte=moment) & (
        Q(handled_at__isnull=True) | Q(handled_at__gt=moment)
    )
    red = handling & Q(red_at__lte=moment)
    return Case.objects.filter(area.q(), open_then).aggregate(
        open=Count("pk"),
        red=Count("pk", filter=red),
        yellow=Count("pk", filter=handling & Q(yellow_at__lte=moment) & ~red),
    )


def _supervisions_then(user, moment: datetime) -> int:
    """The viewer's 督办单 that were open at an earlier moment."""
    return (
        case_selectors.supervision_list(user=user)
        .select_related(None)
        .filter(issued_at__lt=moment)
        .filter(Q(answered_at__isnull=True) | Q(answered_at__gte=moment))
        .count()
    )


def kpis(
    *,
    area: Area,
    moments: Moments,
    current: dict,
    previous: dict,
    then_stock: dict,
    orders_now: int,
    orders_then: int,
) -> list[Kpi]:
    now_stock = _stocks_now(area, moments.now)
    return [
        Kpi("reported", _("上报数"), "件", current["reported"], previous["reported"], None),
        Kpi("registered", _("立案数"), "件", current["registered"], previous["registered"], None),
        Kpi(
            "close_rate",
            _("结案率"),
            "%",
            current["close_rate"],
            previous["close_rate"],
            True,
            [(_("结案"), current["closed"]), (_("应结案"), current["due"])],
        ),
        Kpi(
            "on_time_rate",
            _("按期结案率"),
            "%",
            current["on_time_rate"],
            previous["on_time_rate"],
            True,
            [(_("按期"), current["on_time"]), (_("缓办"), current["deferred"])],
        ),
        Kpi("open", _("在办案件"), "件", now_stock["open"], then_stock["open"], False),
        Kpi(
            "overdue",
            _("超时案件"),
            "件",
            now_stock["red"] + now_stock["yellow"],
            then_stock["red"] + then_stock["yellow"],
            False,
            [(_("红灯"), now_stock["red"]), (_("黄灯"), now_stock["yellow"])],
        ),
        Kpi("supervisions", _("待回复督办单"), "件", orders_now, orders_then, False),
        Kpi(
            "satisfaction_rate",
            _("回访满意率"),
            "%",
            current["satisfaction_rate"],
            previous["satisfaction_rate"],
            True,
            [(_("评价"), current["rated"])],
        ),
    ]


# -- trend ---------------------------------------------------------------------------------------
@dataclass
class TrendPoint:
    period: Period
    reported: int
    closed: int
    due: int
    on_time_rate: float | None


def trend(area: Area, moments: Moments, current: dict) -> list[TrendPoint]:
    """Month by month, oldest first, up to the current month (its figures so far); a
    finished month's figures as they stood at its end."""
    months = periods.recent(moments.month.first_day, PeriodKind.MONTH, TREND_MONTHS)[::-1]
    points = []
    for month in months:
        if month == moments.month:
            figures = current
        else:
            figures = case_figures(area, month.start, month.end, month.end, past=True)
        points.append(
            TrendPoint(
                period=month,
                reported=figures["reported"],
                closed=figures["closed"],
                due=figures["due"],
                on_time_rate=figures["on_time_rate"],
            )
        )
    return points


# -- map -----------------------------------------------------------------------------------------
@dataclass
class MapData:
    points: list[dict]
    truncated: bool
    heat: list[tuple[float, float, int]]
    days: int = MAP_DAYS


def _recent(area: Area, moments: Moments) -> QuerySet[Case]:
    since = moments.now - timedelta(days=MAP_DAYS)
    return Case.objects.filter(area.q(), reported_at__gte=since, reported_at__lte=moments.now)


def map_data(area: Area, moments: Moments) -> MapData:
    """The latest cases of the last MAP_DAYS days (at most MAP_POINTS), and every case of
    those days counted on a grid of HEAT_CELL_DEGREES cells for the heat layer."""
    rows = list(
        _recent(area, moments)
        .exclude(status__in=ENDED_STATUSES)
        .order_by("-reported_at", "-id")
        .values_list("id", "code", "lat", "lng", "status", "overdue_level", "category__name")[
            : MAP_POINTS + 1
        ]
    )
    points = [
        {
            "id": pk,
            "code": code,
            "lat": round(lat, 5),
            "lng": round(lng, 5),
            "status": status,
            "overdue": level,
            "category": category,
        }
        for pk, code, lat, lng, status, level, category in rows[:MAP_POINTS]
    ]
    cell = Value(HEAT_CELL_DEGREES)
    cells = (
        _recent(area, moments)
        .annotate(row=Floor(F("lat") / cell), column=Floor(F("lng") / cell))
        .values("row", "column")
        .annotate(n=Count("pk"))
        .order_by("-n", "row", "column")[:HEAT_CELLS]
    )
    heat = [
        (
            round((c["row"] + 0.5) * HEAT_CELL_DEGREES, 5),
            round((c["column"] + 0.5) * HEAT_CELL_DEGREES, 5),
            c["n"],
        )
        for c in cells
    ]
    return MapData(points=points, truncated=len(rows) > MAP_POINTS, heat=heat)


# -- rankings ------------------------------------------------------------------------------------
@dataclass
class Board:
    """The latest published results of the level below the viewer: best and worst."""

    subject_type: str
    publication: Publication
    period: Period
    subject_count: int
    top: list[selectors.Line]
    bottom: list[selectors.Line]


def _latest_publication(user, subject_type: str) -> Publication | None:
    recent = list(selectors.publications(user=user).filter(subject_type=subject_type)[:24])
    if not recent:
        return None
    # The period that ended last; of two ending together (September and Q3), the later
    # publication.
    return max(recent, key=lambda p: (periods.parse(p.period_key).end, p.published_at))


def board(*, user, area: Area) -> Board | None:
    subject_type = LEVEL_BELOW.get(area.level) if area.level else None
    if subject_type is None:
        return None
    publication = _latest_publication(user, subject_type)
    if publication is None:
        return None
    results = selectors.results_for(
        user=user, period_key=publication.period_key, subject_type=subject_type
    )
    lines, size = results.lines, selectors.board_size()
    return Board(
        subject_type=subject_type,
        publication=publication,
        period=results.period,
        subject_count=results.subject_count,
        top=lines[:size],
        # The worst ones that are not on the best list already, worst last.
        bottom=lines[size:][-size:],
    )


# -- lists ---------------------------------------------------------------------------------------
def overdue_cases(area: Area, moments: Moments) -> list[Case]:
    """Cases being handled past their deadline, red before yellow, each the longest lit
    first; ``light`` on each says which. One short ordered index scan per light and
    status, so it costs the same however many cases are late."""
    now = moments.now
    found: list[Case] = []
    for light, field_name in ((RED, "red_at"), (YELLOW, "yellow_at")):
        rows: list[Case] = []
        for status in HANDLING_STATUSES:
            lit = Case.objects.filter(area.q(), status=status, **{f"{field_name}__lte": now})
            if light == YELLOW:
                lit = lit.filter(red_at__gt=now)
            rows += list(
                lit.select_related("category", "unit")
                .only(
                    "id",
                    "code",
                    "address",
                    "deadline",
                    "yellow_at",
                    "red_at",
                    "status",
                    "category__name",
                    "unit__name",
                )
                .order_by(field_name, "id")[:LIST_SIZE]
            )
        rows.sort(key=lambda case: (getattr(case, field_name), case.pk))
        for case in rows:
            case.light = light
        found += rows
        if len(found) >= LIST_SIZE:
            break
    return found[:LIST_SIZE]


def open_supervisions(user) -> tuple[list[Supervision], int]:
    """The viewer's open 督办单, the one whose reply is due first on top, and how many
    there are: the first few rows in that order, then a plain count (city-wide it reads
    only the (status, reply due) index, where a window over every open order did not)."""
    orders = case_selectors.supervision_list(user=user, open_only=True)
    order = (F("reply_due_at").asc(nulls_last=True), F("issued_at").desc(), F("id").desc())
    fields = ("id", "kind", "level", "issued_at", "reply_due_at", "case__id", "case__code")
    fields += ("unit__name", "superior_unit__name")
    listed = list(orders.only(*fields).order_by(*order)[:LIST_SIZE])
    if not listed:
        return [], 0
    return listed, orders.select_related(None).order_by().count()


# -- everything ----------------------------------------------------------------------------------
@dataclass
class Dashboard:
    area: Area
    moments: Moments
    kpis: list[Kpi]
    trend: list[TrendPoint]
    map: MapData
    board: Board | None
    overdue: list[Case]
    supervisions: list[Supervision]


def dashboard_for(*, user, now: datetime | None = None) -> Dashboard:
    moments = Moments.at(now or clock.now())
    area, scope_key = area_for(user), _scope_key(user)
    month, previous, then = moments.month, moments.previous, moments.previous_at
    current = case_figures(area, month.start, month.end, moments.now)
    before = case_figures(area, previous.start, previous.end, then, past=True)
    # The stocks and the orders of that moment are the viewer's scope's own.
    then_stock = _past(f"stocks:{scope_key}:{then.isoformat()}", lambda: _stocks_at(area, then))
    orders_then = _past(
        f"orders:{scope_key}:{then.isoformat()}", lambda: _supervisions_then(user, then)
    )
    orders, orders_now = open_supervisions(user)
    return Dashboard(
        area=area,
        moments=moments,
        kpis=kpis(
            area=area,
            moments=moments,
            current=current,
            previous=before,
            then_stock=then_stock,
            orders_now=orders_now,
            orders_then=orders_then,
        ),
        trend=trend(area, moments, current),
        map=map_data(area, moments),
        board=board(user=user, area=area),
        overdue=overdue_cases(area, moments),
        supervisions=orders,
    )
