"""Benchmark: the assessment's case indicators for every subject over 1,000,000 cases.

Fills a scratch database with the Shiyan demo city's territory, units and case catalogue
(chuangwen/demo/load.py; no history), 600 field collectors, and 1,000,000 cases spread
over 2025-01-01 .. 2026-12-31 by bulk insert (COPY on PostgreSQL, executemany on
SQLite): a realistic mix of channels, states, deadlines, closings, on-time flags,
rework, send-backs, postponements, cancellations, merges and reopenings, with a
回访 rating for about a third of the closed cases and the verify steps' events (the only
events the indicators read; the other steps' events are not generated).

It then times ``indicators.compute_many`` for all five subject types (district, street,
community, unit, field staff) over the quarter 2026-Q3, median of 5 runs, and reports
``indicators.compute`` called once per type as well (what one ranking page costs). The
baseline, in the same run and database, is one hand-written SQL GROUP BY per subject
type (cases and ratings, or reports and verifications, in one statement); the figures
derived from its counts must equal compute_many()'s and compute()'s, subject by subject.
The measurement includes listing the subjects; the baseline's timing does not.

Targets (issue "assessment"): ≤ 2 s and ≤ 1.5× the hand-written SQL, on PostgreSQL.
SQLite reports its figure too (BENCH_ASSESS_SQLITE_CASES cases, default 1,000,000).

``--keep`` leaves the PostgreSQL database in place (the dashboard benchmark reuses it)
and prints its DATABASE_URL; ``--reuse`` times an existing kept database without
filling it again.

Environment: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/chuangwen_bench;
the scratch database is chuangwen_bench_assessment next to it), BENCH_ASSESS_CASES
(1,000,000), BENCH_ASSESS_SQLITE_CASES (1,000,000), BENCH_ASSESS_REPEAT (5),
BENCH_ASSESS_BACKENDS (sqlite,postgres).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from scratch import cleanup, prepare, scratch_urls

ROOT = Path(__file__).resolve().parents[1]
CASES = int(os.environ.get("BENCH_ASSESS_CASES", "1000000"))
SQLITE_CASES = int(os.environ.get("BENCH_ASSESS_SQLITE_CASES", str(CASES)))
REPEAT = int(os.environ.get("BENCH_ASSESS_REPEAT", "5"))
BACKENDS = os.environ.get("BENCH_ASSESS_BACKENDS", "sqlite,postgres").split(",")
NAME = "assessment"
SEED = 20261125
PERIOD = "2026-Q3"
COLLECTORS = 600
TARGET_S = 2.0
TARGET_RATIO = 1.5


# -- filling ---------------------------------------------------------------------------------
def build_city() -> None:
    """The demo city's territory, units and catalogue, through the demo loader's own steps."""
    import io

    from django.db import transaction

    from chuangwen.demo.catalogue import load_catalogue, load_routing_rules
    from chuangwen.demo.load import build_territory, build_units

    quiet = io.StringIO()
    with transaction.atomic():
        build_territory(quiet)
        build_units(random.Random(SEED))
        load_catalogue(stdout=quiet)
        load_routing_rules(stdout=quiet)


def build_collectors(rng: random.Random) -> dict[int, list[int]]:
    """600 网格员, each a member of a community committee; community id → user ids."""
    from django.contrib.auth.hashers import make_password

    from chuangwen.accounts.models import User
    from chuangwen.org.choices import Role, UnitKind
    from chuangwen.org.models import Membership, Unit

    committees = list(
        Unit.objects.filter(kind=UnitKind.COMMUNITY_COMMITTEE).values_list("id", "territory_id")
    )
    password = make_password(None)
    users = User.objects.bulk_create(
        User(username=f"wgy{n:04d}", full_name=f"网格员{n:04d}", password=password)
        for n in range(COLLECTORS)
    )
    users = list(User.objects.filter(username__startswith="wgy").order_by("username"))
    rng.shuffle(committees)
    Membership.objects.bulk_create(
        Membership(user=user, unit_id=committees[n % len(committees)][0], role=Role.COLLECTOR)
        for n, user in enumerate(users)
    )
    by_community: dict[int, list[int]] = {}
    for n, user in enumerate(users):
        by_community.setdefault(committees[n % len(committees)][1], []).append(user.pk)
    return by_community


CHANNELS = (
    ("field", 0.45),
    ("portal", 0.18),
    ("hotline", 0.15),
    ("inspection", 0.10),
    ("video", 0.05),
    ("assigned", 0.04),
    ("open311", 0.03),
)
TRUSTED = {"field", "inspection", "video", "assigned"}
WALL_FACTOR = {"emergency_hours": 1.0, "work_hours": 3.0, "work_days": 24 * 1.4, "natural_days": 24}
LIMIT_HOURS = {"emergency_hours": 1.0, "work_hours": 1.0, "work_days": 8.0, "natural_days": 24.0}


def _weighted(rng: random.Random, table) -> str:
    draw, total = rng.random(), 0.0
    for value, weight in table:
        total += weight
        if draw < total:
            return value
    return table[-1][0]


def generate(count: int, collectors: dict[int, list[int]]):
    """Yields (case row, verify event rows, rating row or None) in case id order, cases in
    reporting order (as a real table fills). Rows are dicts of column → Python value."""
    from chuangwen.catalog.models import CaseStandard, RoutingRule
    from chuangwen.demo.city import URBAN_DISTRICTS
    from chuangwen.org.choices import UnitKind
    from chuangwen.org.models import Unit
    from chuangwen.territory.choices import Level
    from chuangwen.territory.models import TerritoryNode

    rng = random.Random(SEED)
    nodes = {
        n["id"]: n
        for n in TerritoryNode.objects.values(
            "id", "level", "parent_id", "path", "centroid_lat", "centroid_lng"
        )
    }
    grids = [n for n in nodes.values() if n["level"] == Level.GRID]
    # Urban grids (three city districts and the development zone) see far more cases
    # than the hills.
    urban = [g for g in grids if g["path"].split("/")[1] in URBAN_DISTRICTS]
    committees = dict(
        Unit.objects.filter(kind=UnitKind.COMMUNITY_COMMITTEE).values_list("territory_id", "id")
    )
    departments = list(
        Unit.objects.filter(
            kind__in=(UnitKind.MUNICIPAL_DEPARTMENT, UnitKind.ENTERPRISE)
        ).values_list("id", flat=True)
    )
    ruled = dict(
        RoutingRule.objects.filter(territory__isnull=True, category__isnull=False).values_list(
            "category_id", "unit_id"
        )
    )
    standards = list(
        CaseStandard.objects.filter(is_active=True).values_list(
            "id", "category_id", "category__parent_id", "time_type", "time_value"
        )
    )
    everyone = [u for users in collectors.values() for u in users]
    begin = datetime(2024, 12, 31, 16, 0, tzinfo=UTC)  # 2025-01-01 00:00 in Shiyan
    span = (datetime(2026, 12, 31, 16, 0, tzinfo=UTC) - begin).total_seconds()
    for n in range(count):
        case_id = n + 1
        reported = begin + timedelta(seconds=int(span * (n + rng.random()) / count))
        grid = rng.choice(urban) if rng.random() < 0.8 else rng.choice(grids)
        community = nodes[grid["parent_id"]]
        street = nodes[community["parent_id"]]
        district = nodes[street["parent_id"]]
        standard_id, category_id, major_id, time_type, time_value = rng.choice(standards)
        channel = _weighted(rng, CHANNELS)
        created_by = None
        if channel == "field":
            created_by = rng.choice(collectors.get(community["id"]) or everyone)
        unit_id = ruled.get(category_id) or ruled.get(major_id)
        if unit_id is None:
            unit_id = (
                committees.get(community["id"]) if rng.random() < 0.5 else rng.choice(departments)
            )
        limit_hours = float(time_value) * LIMIT_HOURS[time_type]
        wall_hours = float(time_value) * WALL_FACTOR[time_type]
        row = {
            "id": case_id,
            "code": f"BA{case_id:09d}",
            "description": "基准案件",
            "channel": channel,
            "category_id": category_id,
            "standard_id": standard_id,
            "lat": grid["centroid_lat"] or 32.6,
            "lng": grid["centroid_lng"] or 110.8,
            "grid_id": grid["id"],
            "community_id": community["id"],
            "street_id": street["id"],
            "district_id": district["id"],
            "territory_path": grid["path"],
            "unit_id": None,
            "suggested_unit_id": unit_id,
            "created_by_id": created_by,
            "time_type": time_type,
            "time_value": time_value,
            "reported_at": reported,
            "status": "closed",
        }
        events, rating = [], None
        fate = rng.random()
        if channel not in TRUSTED and fate < 0.05:  # 不予受理
            row.update(status="invalid", closed_at=None)
            yield row, events, rating
            continue
        registered = reported + timedelta(
            seconds=0 if channel in TRUSTED else rng.randint(300, 7200)
        )
        dispatched = registered + timedelta(seconds=rng.randint(0, 3600))
        row.update(registered_at=registered, dispatched_at=dispatched, unit_id=unit_id)
        extension = 0.0
        if rng.random() < 0.05:  # an approved postponement
            extension = limit_hours * rng.choice((0.5, 1.0, 2.0))
        deadline = dispatched + timedelta(hours=wall_hours * (1 + extension / limit_hours))
        row.update(
            deadline=deadline,
            extension_value=extension / LIMIT_HOURS[time_type],
            postpone_count=1 if extension else 0,
            send_back_count=1 if rng.random() < 0.05 else 0,
        )
        if fate < 0.07:
            row.update(status="cancelled", closed_at=None)
            yield row, events, rating
            continue
        if fate < 0.09:
            row.update(status="merged", closed_at=registered, duplicate_of_id=n or None)
            yield row, events, rating
            continue
        # How long handling takes, relative to the limit: most in time, some late.
        stretch = rng.choice((0.2, 0.4, 0.6, 0.8, 0.9, 0.95, 1.1, 1.6, 3.0))
        handled = dispatched + (deadline - dispatched) * stretch
        reworks = 2 if rng.random() < 0.02 else 1 if rng.random() < 0.08 else 0
        row.update(
            rework_count=reworks,
            handle_minutes=float(rng.randint(10, int(limit_hours * 60 * 1.5) + 30)),
        )
        verifier = rng.choice(collectors.get(community["id"]) or everyone)
        for r in range(reworks):
            failed = dispatched + (handled - dispatched) * (r + 1) / (reworks + 1)
            events.append(_verify_event(case_id, "verify_fail", verifier, failed, rng))
        open_draw = rng.random()
        horizon = datetime(2026, 12, 31, 16, 0, tzinfo=UTC)
        if handled > horizon or open_draw < 0.04:  # still being handled
            row.update(status=rng.choice(("dispatched", "in_progress")), closed_at=None)
            yield row, events, rating
            continue
        row.update(handled_at=handled)
        if open_draw < 0.06:  # waiting for verification
            row.update(status="handled", closed_at=None)
            yield row, events, rating
            continue
        closed = handled + timedelta(minutes=rng.choice((20, 60, 120, 240, 600, 1500)))
        event = _verify_event(case_id, "verify_ok", verifier, closed, rng)
        events.append(event)
        row.update(closed_at=closed, closed_on_time=handled <= deadline)
        if rng.random() < 0.01:
            # Reopened after a dissatisfied reporter: registered again, deadline cleared.
            again = closed + timedelta(days=rng.randint(1, 6))
            row.update(
                status="registered",
                closed_at=None,
                closed_on_time=None,
                registered_at=again,
                dispatched_at=None,
                handled_at=None,
                deadline=None,
                reopen_count=1,
            )
            yield row, events, rating
            continue
        if rng.random() < 0.33:
            draw = rng.random()
            rating = {
                "id": case_id,
                "case_id": case_id,
                "handled_case_id": case_id,
                "unit_id": unit_id,
                "category_id": category_id,
                "territory_path": grid["path"],
                "rating": "satisfied" if draw < 0.8 else "basic" if draw < 0.92 else "dissatisfied",
                "comment": "",
                "created_at": closed + timedelta(hours=rng.randint(1, 72)),
            }
        yield row, events, rating


def _verify_event(case_id, action, actor, moment, rng) -> dict:
    return {
        "case_id": case_id,
        "action": action,
        "from_status": "handled",
        "to_status": "closed" if action == "verify_ok" else "in_progress",
        "actor_id": actor,
        "actor_unit_id": None,
        "note": "",
        "data": '{"on_time": %s}' % ("true" if rng.random() < 0.85 else "false"),
        "created_at": moment,
    }


def _columns(model, *, with_id: bool) -> list[tuple[str, object]]:
    """(column, default) of every concrete field, the defaults as the row writer needs them."""
    columns = []
    for field in model._meta.concrete_fields:
        if field.primary_key and not with_id:
            continue
        default = field.get_default() if field.has_default() else None
        if field.get_internal_type() == "JSONField":
            default = "{}"
        elif (
            default is None
            and not field.null
            and field.get_internal_type()
            in (
                "CharField",
                "TextField",
            )
        ):
            default = ""
        columns.append((field.column, default))
    return columns


class Writer:
    """Rows into one table in batches: psycopg COPY on PostgreSQL, executemany on SQLite.
    Each batch is its own statement, so several tables can be filled in turn on one
    connection inside one transaction."""

    def __init__(self, connection, model, *, with_id: bool = True):
        self.connection = connection
        self.table = model._meta.db_table
        self.columns = _columns(model, with_id=with_id)
        self.names = ", ".join(c for c, _ in self.columns)
        self.rows: list[list] = []
        self.count = 0
        self.postgres = connection.vendor == "postgresql"
        self.adapt = connection.ops.adapt_datetimefield_value

    def add(self, row: dict) -> None:
        values = [row.get(column, default) for column, default in self.columns]
        if not self.postgres:
            for i, value in enumerate(values):
                if isinstance(value, datetime):
                    values[i] = self.adapt(value)
                elif value is not None and not isinstance(value, (int, float, str)):
                    values[i] = str(value)
        self.rows.append(values)
        self.count += 1

    def flush(self) -> None:
        if not self.rows:
            return
        if self.postgres:
            with self.connection.connection.cursor() as cursor:
                with cursor.copy(f"COPY {self.table} ({self.names}) FROM STDIN") as copy:
                    for values in self.rows:
                        copy.write_row(values)
        else:
            marks = ", ".join("%s" for _ in self.columns)
            with self.connection.cursor() as cursor:
                cursor.executemany(
                    f"INSERT INTO {self.table} ({self.names}) VALUES ({marks})", self.rows
                )
        self.rows.clear()


def _set_aside_indexes(connection, tables: list[str]) -> list[str]:
    """Drop the tables' plain indexes and return the statements that rebuild them: one
    index build after the load is far cheaper than maintaining 47 indexes row by row.
    Indexes that back constraints (primary and unique keys) stay."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = ANY(%s)"
                " AND indexname NOT IN (SELECT conname FROM pg_constraint)",
                [tables],
            )
        else:
            marks = ", ".join("%s" for _ in tables)
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
                f" AND tbl_name IN ({marks})",
                tables,
            )
        found = cursor.fetchall()
        for name, _ in found:
            cursor.execute(f'DROP INDEX "{name}"')
    return [definition for _, definition in found]


def fill(count: int) -> dict[str, int]:
    from django.db import connection, transaction

    from chuangwen.cases.models import Case, CaseEvent, CaseRating

    now = datetime(2026, 12, 31, 16, 0, tzinfo=UTC)
    started = time.perf_counter()
    build_city()
    collectors = build_collectors(random.Random(SEED))
    print(f"  demo city and {COLLECTORS} collectors built in {time.perf_counter() - started:.0f} s")
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # The generated rows refer only to rows that exist: checking 13 foreign keys
            # per case at commit would triple the filling time and measure nothing.
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL session_replication_role = replica")
        tables = [m._meta.db_table for m in (Case, CaseEvent, CaseRating)]
        rebuild = _set_aside_indexes(connection, tables)
        writers = (
            Writer(connection, Case),
            Writer(connection, CaseEvent, with_id=False),
            Writer(connection, CaseRating),
        )
        cases, events, ratings = writers
        for row, evs, rating in generate(count, collectors):
            row.setdefault("updated_at", now)
            cases.add(row)
            for event in evs:
                events.add(event)
            if rating:
                ratings.add(rating)
            if len(cases.rows) >= 50_000:
                for writer in writers:  # cases first: the others refer to them
                    writer.flush()
        for writer in writers:
            writer.flush()
        with connection.cursor() as cursor:
            for statement in rebuild:
                cursor.execute(statement)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                for model in (Case, CaseRating):
                    name = model._meta.db_table
                    cursor.execute(
                        f"SELECT setval(pg_get_serial_sequence('{name}', 'id'),"
                        f" (SELECT COALESCE(MAX(id), 1) FROM {name}))"
                    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {"cases": cases.count, "events": events.count, "ratings": ratings.count}


# -- the baseline: one hand-written GROUP BY per subject type --------------------------------
CASE_SQL = """
SELECT subject,
       SUM(reported), SUM(registered), SUM(due), SUM(closed), SUM(on_time), SUM(deferred),
       SUM(rework), SUM(sent_back), SUM(handle_minutes), SUM(rated), SUM(satisfied)
FROM (
    SELECT {column} AS subject,
           CASE WHEN reported_at >= %(s)s AND reported_at < %(t)s THEN 1 ELSE 0 END AS reported,
           CASE WHEN registered_at >= %(s)s AND registered_at < %(t)s
                 AND status NOT IN ('cancelled', 'merged') THEN 1 ELSE 0 END AS registered,
           CASE WHEN deadline >= %(s)s AND deadline < %(t)s
                 AND status NOT IN ('cancelled', 'merged') THEN 1 ELSE 0 END AS due,
           CASE WHEN deadline >= %(s)s AND deadline < %(t)s
                 AND status NOT IN ('cancelled', 'merged') AND closed_at < %(t)s
                THEN 1 ELSE 0 END AS closed,
           CASE WHEN deadline >= %(s)s AND deadline < %(t)s
                 AND status NOT IN ('cancelled', 'merged') AND closed_at < %(t)s
                 AND closed_on_time = %(yes)s THEN 1 ELSE 0 END AS on_time,
           CASE WHEN deadline >= %(s)s AND deadline < %(t)s
                 AND status NOT IN ('cancelled', 'merged') AND extension_value > 0
                 AND (closed_at IS NULL OR closed_at >= %(t)s) THEN 1 ELSE 0 END AS deferred,
           CASE WHEN deadline >= %(s)s AND deadline < %(t)s
                 AND status NOT IN ('cancelled', 'merged') AND rework_count > 0
                THEN 1 ELSE 0 END AS rework,
           CASE WHEN registered_at >= %(s)s AND registered_at < %(t)s
                 AND status NOT IN ('cancelled', 'merged') AND send_back_count > 0
                THEN 1 ELSE 0 END AS sent_back,
           CASE WHEN deadline >= %(s)s AND deadline < %(t)s
                 AND status NOT IN ('cancelled', 'merged') AND closed_at < %(t)s
                THEN handle_minutes ELSE 0 END AS handle_minutes,
           0 AS rated, 0 AS satisfied
    FROM cases_case
    WHERE {column} IS NOT NULL
      AND ((reported_at >= %(s)s AND reported_at < %(t)s)
        OR (registered_at >= %(s)s AND registered_at < %(t)s)
        OR (deadline >= %(s)s AND deadline < %(t)s))
    UNION ALL
    SELECT {rating_subject}, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,
           CASE WHEN r.rating IN ('satisfied', 'basic') THEN 1 ELSE 0 END
    FROM cases_caserating r {rating_join}
    WHERE r.created_at >= %(s)s AND r.created_at < %(t)s
) figures
GROUP BY subject
"""

STAFF_SQL = """
SELECT subject, SUM(reported), SUM(valid_reports), SUM(verified), SUM(verified_on_time)
FROM (
    SELECT created_by_id AS subject, 1 AS reported,
           CASE WHEN registered_at IS NOT NULL AND status NOT IN ('invalid', 'merged')
                THEN 1 ELSE 0 END AS valid_reports,
           0 AS verified, 0 AS verified_on_time
    FROM cases_case
    WHERE channel = 'field' AND created_by_id IS NOT NULL
      AND reported_at >= %(s)s AND reported_at < %(t)s
    UNION ALL
    SELECT actor_id, 0, 0, 1, CASE WHEN {on_time} THEN 1 ELSE 0 END
    FROM cases_caseevent
    WHERE action IN ('verify_ok', 'verify_fail') AND actor_id IS NOT NULL
      AND created_at >= %(s)s AND created_at < %(t)s
) figures
GROUP BY subject
"""


def baseline(subject_type: str, start: datetime, until: datetime, path_length: dict) -> dict:
    from django.db import connection

    from chuangwen.assessment import indicators

    adapt = connection.ops.adapt_datetimefield_value
    params = {"s": adapt(start), "t": adapt(until), "yes": True}
    with connection.cursor() as cursor:
        if subject_type == "staff":
            on_time = (
                "data -> 'on_time' = 'true'::jsonb"
                if connection.vendor == "postgresql"
                else "json_extract(data, '$.on_time') = 1"
            )
            cursor.execute(STAFF_SQL.format(on_time=on_time), params)
            keys = indicators.RAW_STAFF_KEYS
        else:
            if subject_type == "unit":
                rating_subject, rating_join = "r.unit_id", ""
            else:
                # Node paths of one level have one length here: the ancestor at that level
                # is the rating's path cut to it, which joins by equality.
                rating_subject = "n.id"
                rating_join = (
                    "JOIN territory_territorynode n ON n.level = %(level)s"
                    " AND n.path = substr(r.territory_path, 1, %(length)s)"
                )
                params.update(level=subject_type, length=path_length[subject_type])
            column = "unit_id" if subject_type == "unit" else f"{subject_type}_id"
            sql = CASE_SQL.format(
                column=column, rating_subject=rating_subject, rating_join=rating_join
            )
            cursor.execute(sql, params)
            keys = indicators.RAW_CASE_KEYS
        rows = cursor.fetchall()
    derive = indicators.staff_figures if subject_type == "staff" else indicators.case_figures
    counts = {row[0]: dict(zip(keys, row[1:], strict=True)) for row in rows}
    return {s.id: derive(counts.get(s.id, {})) for s in indicators.subjects(subject_type)}


# -- the run ---------------------------------------------------------------------------------
def child() -> None:
    """Runs inside a process whose DATABASE_URL is the scratch database."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chuangwen.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from chuangwen.assessment import indicators, periods
    from chuangwen.assessment.choices import SubjectType
    from chuangwen.cases.models import Case, CaseEvent, CaseRating
    from chuangwen.territory.models import TerritoryNode

    vendor = "PostgreSQL" if connection.vendor == "postgresql" else "SQLite"
    count = SQLITE_CASES if connection.vendor == "sqlite" else CASES
    if os.environ.get("BENCH_ASSESS_REUSE"):
        sizes = {
            "cases": Case.objects.count(),
            "events": CaseEvent.objects.count(),
            "ratings": CaseRating.objects.count(),
        }
        print(f"  {vendor}: reusing {sizes['cases']:,} cases")
    else:
        call_command("migrate", "--noinput", verbosity=0)
        started = time.perf_counter()
        sizes = fill(count)
        print(
            f"  {vendor}: {sizes['cases']:,} cases, {sizes['events']:,} verify events,"
            f" {sizes['ratings']:,} ratings filled in {time.perf_counter() - started:.0f} s"
        )
    period = periods.parse(PERIOD)
    start, end = period.start, period.end
    types = list(SubjectType.values)
    path_length = {}
    for level in ("district", "street", "community"):
        lengths = set(
            len(p) for p in TerritoryNode.objects.filter(level=level).values_list("path", flat=True)
        )
        assert len(lengths) == 1, f"{level} paths differ in length: {lengths}"
        path_length[level] = lengths.pop()

    def measured() -> dict:
        return indicators.compute_many(subject_types=types, start=start, end=end, as_of=end)

    def one_by_one() -> dict:
        return {
            t: indicators.compute(subject_type=t, start=start, end=end, as_of=end) for t in types
        }

    def base() -> dict:
        return {t: baseline(t, start, end, path_length) for t in types}

    timings, base_timings, single_timings = [], [], []
    for _ in range(REPEAT):
        t0 = time.perf_counter()
        ours = measured()
        timings.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        theirs = base()
        base_timings.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        singles = one_by_one()
        single_timings.append(time.perf_counter() - t0)
    agree = ours == theirs == singles
    subjects = sum(len(v) for v in ours.values())
    in_period = Case.objects.filter(reported_at__gte=start, reported_at__lt=end).count()
    median, base_median = statistics.median(timings), statistics.median(base_timings)
    ratio = median / base_median
    print(
        f"  {vendor}: {PERIOD} ({in_period:,} cases reported in it), {subjects:,} subjects"
        f" of 5 types ({', '.join(f'{t} {len(ours[t])}' for t in types)})"
    )
    met = median <= TARGET_S and ratio <= TARGET_RATIO
    verdict = f"target ≤ {TARGET_S:.0f} s and ≤ {TARGET_RATIO}×: {'met' if met else 'MISSED'}"
    if connection.vendor != "postgresql":
        verdict = f"for reference; the target (≤ {TARGET_S:.0f} s) is PostgreSQL's"
    print(
        f"  {vendor}: compute_many() for all subjects median {median:.3f} s,"
        f" best {min(timings):.3f} s;"
        f" hand-written SQL median {base_median:.3f} s; ratio {ratio:.2f}× ({verdict})"
    )
    print(
        f"  {vendor}: compute() called once per subject type (5 passes) median"
        f" {statistics.median(single_timings):.3f} s"
    )
    print(f"  {vendor}: figures agree with the SQL: {'yes' if agree else 'NO'}")
    if not agree:
        for t in types:
            for subject_id, values in ours[t].items():
                if theirs[t].get(subject_id) != values:
                    print(f"    {t} {subject_id}: {values} != {theirs[t].get(subject_id)}")
                    break
        sys.exit(1)


def main() -> None:
    if os.environ.get("BENCH_ASSESS_CHILD"):
        child()
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--keep", action="store_true", help="keep the PostgreSQL database for other benchmarks"
    )
    parser.add_argument(
        "--reuse", action="store_true", help="time a kept PostgreSQL database without refilling"
    )
    options = parser.parse_args()
    print(f"Assessment case indicators, {CASES:,} cases over 2025–2026, period {PERIOD}")
    python = str(ROOT / ".venv" / "bin" / "python")
    for backend, url in scratch_urls(NAME).items():
        if backend not in BACKENDS:
            continue
        reuse = options.reuse and backend == "postgres"
        if not reuse:
            prepare(backend, url)
        env = {
            **os.environ,
            "BENCH_ASSESS_CHILD": "1",
            "BENCH_ASSESS_REUSE": "1" if reuse else "",
            "DATABASE_URL": url,
            "CHUANGWEN_TESTING": "1",
            "LOG_LEVEL": "WARNING",
        }
        keep = (options.keep or options.reuse) and backend == "postgres"
        try:
            subprocess.run([python, __file__], env=env, check=True, cwd=ROOT)
        finally:
            if keep:
                print(f"  kept: DATABASE_URL={url}")
            else:
                cleanup(backend, url)


if __name__ == "__main__":
    main()
