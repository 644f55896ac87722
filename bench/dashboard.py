"""Benchmark: the leaders' dashboard with 1,000,000 cases on PostgreSQL.

Reuses the database bench/assessment.py fills (the Shiyan demo city's territory, units and
catalogue, 1,000,000 cases over 2025–2026 with their ratings and verify events): it copies
the kept database (``bench/assessment.py --keep``; built first when it is missing) into a
scratch one, so nothing here changes the assessment benchmark's data. On the copy it adds
what the dashboard reads and that benchmark does not write: each dispatched case's yellow
and red light times (at the deadline and half a time limit after it), the open cases'
lights, the 超时督办 orders the worker would have issued (answered for cases handled
since), a city leader, a district operator and a street operator, and the district and
street rankings of October 2026 published.

With the clock at 2026-11-20 10:00 it then times, through Django's test client with the
leader signed in, 50 requests after 5 of warm-up each (the first request of a process
also computes the past months' figures the dashboard keeps for an hour; it is reported
on its own):

- the dashboard page (``assessment:dashboard``: every figure computed, embedded in the page),
- its JSON (``assessment:dashboard_data``, what the big screen refreshes from),
- the same JSON for the district and the street operator (for information).

The baseline, in the same run and database, is the case list page (``cases:list``) for the
same leader: the platform's everyday page over the same cases.

Target (issue "assessment"): dashboard page p95 ≤ 300 ms.

Environment: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/chuangwen_bench;
the source is chuangwen_bench_assessment next to it, the copy chuangwen_bench_dashboard),
BENCH_DASH_REQUESTS (50), BENCH_DASH_WARMUP (5). ``--keep`` keeps the copy and prints its
DATABASE_URL; ``--reuse`` times a kept copy again without copying and preparing it.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

from scratch import _postgres, scratch_urls

ROOT = Path(__file__).resolve().parents[1]
REQUESTS = int(os.environ.get("BENCH_DASH_REQUESTS", "50"))
WARMUP = int(os.environ.get("BENCH_DASH_WARMUP", "5"))
SOURCE = scratch_urls("assessment")["postgres"]
COPY = scratch_urls("dashboard")["postgres"]
TARGET_MS = 300.0

# Lights and orders as the worker sweeps them (CASE_YELLOW_RATIO 1.0, CASE_RED_RATIO 1.5):
# yellow at the deadline, red half a time limit later, one 超时督办 per step.
LIGHTS_SQL = """
UPDATE cases_case
   SET yellow_at = deadline,
       red_at = deadline + (deadline - dispatched_at) / 2
 WHERE deadline IS NOT NULL AND dispatched_at IS NOT NULL
"""
LEVELS_SQL = """
UPDATE cases_case
   SET overdue_level = CASE WHEN red_at <= %(now)s THEN 2 WHEN yellow_at <= %(now)s THEN 1 END
 WHERE status IN ('dispatched', 'in_progress') AND yellow_at <= %(now)s
"""
ORDERS_SQL = """
INSERT INTO cases_supervision
       (case_id, kind, level, unit_id, superior_unit_id, note, issued_by_id, issued_at,
        reply_due_at, status, answer, answered_by_id, answered_at)
SELECT c.id, 'overdue', step.level, c.unit_id, %(office)s, '案件已超过处置时限,请立即处置并回复。',
       NULL, step.moment, step.moment + interval '3 days',
       CASE WHEN c.handled_at IS NULL OR c.handled_at > %(now)s THEN 'open' ELSE 'answered' END,
       CASE WHEN c.handled_at IS NULL OR c.handled_at > %(now)s THEN '' ELSE '已处置。' END,
       NULL,
       CASE WHEN c.handled_at IS NULL OR c.handled_at > %(now)s THEN NULL
            ELSE GREATEST(c.handled_at, step.moment) END
  FROM cases_case c
  CROSS JOIN LATERAL (VALUES (1, c.yellow_at), (2, c.red_at)) AS step(level, moment)
 WHERE c.unit_id IS NOT NULL AND step.moment <= %(now)s
   AND step.moment < COALESCE(c.handled_at, 'infinity'::timestamptz)
   AND c.status NOT IN ('cancelled', 'merged', 'invalid')
"""
SCHEME = [
    {
        "kind": "case_indicator",
        "indicator": "on_time_rate",
        "label": "按期结案率",
        "max_points": "60",
        "rule": "threshold",
        "target": "90",
        "step": "1",
    },
    {
        "kind": "case_indicator",
        "indicator": "close_rate",
        "label": "结案率",
        "max_points": "40",
        "rule": "proportional",
    },
]


def _copy() -> None:
    """A fresh copy of the assessment benchmark's kept database (built when missing)."""
    import psycopg

    source = urlparse(SOURCE).path.lstrip("/")
    admin = urlparse(SOURCE)._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        found = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (source,)).fetchone()
    if not found:
        print(f"  {source} is missing: building it with bench/assessment.py --keep")
        env = {**os.environ, "BENCH_ASSESS_BACKENDS": "postgres", "BENCH_ASSESS_REPEAT": "1"}
        python = str(ROOT / ".venv" / "bin" / "python")
        subprocess.run(
            [python, str(ROOT / "bench" / "assessment.py"), "--keep"], env=env, check=True
        )
    _postgres(
        COPY,
        'DROP DATABASE IF EXISTS "{name}"',
        f'CREATE DATABASE "{{name}}" TEMPLATE "{source}"',
    )


def prepare(now) -> dict:
    from django.core.management import call_command
    from django.db import connection, transaction

    from chuangwen.assessment import services
    from chuangwen.org.choices import Role, UnitKind
    from chuangwen.org.models import Unit
    from chuangwen.org.services import membership_grant
    from chuangwen.testing.factories import UserFactory

    call_command("migrate", "--noinput", verbosity=0)
    office = Unit.objects.get(kind=UnitKind.CITY_OFFICE)
    district = Unit.objects.filter(
        kind=UnitKind.DISTRICT_GOVERNMENT, territory__code="420302"
    ).first()
    street = (
        Unit.objects.filter(
            kind=UnitKind.STREET_OFFICE, territory__path__startswith=district.territory.path
        )
        .order_by("territory__code")
        .first()
    )
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(LIGHTS_SQL)
        cursor.execute(LEVELS_SQL, {"now": now})
        cursor.execute(ORDERS_SQL, {"now": now, "office": office.pk})
        orders = cursor.rowcount
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    people = {}
    for key, role, unit in (
        ("leader", Role.LEADER, office),
        ("district", Role.DISTRICT_OPERATOR, district),
        ("street", Role.STREET_OPERATOR, street),
    ):
        user = UserFactory(username=f"bench_{key}")
        membership_grant(user=user, unit=unit, role=role, actor=None)
        people[key] = user
    admin = UserFactory(username="bench_admin", is_superuser=True)
    operator = UserFactory(username="bench_office")
    membership_grant(user=operator, unit=office, role=Role.CITY_OPERATOR, actor=None)
    started = time.perf_counter()
    for subject_type in ("district", "street"):
        services.scheme_save(
            subject_type=subject_type, name="月度考评方案", components=SCHEME, actor=admin
        )
        services.publication_publish(
            period_key="2026-10", subject_type=subject_type, actor=operator
        )
    published = time.perf_counter() - started
    return {
        "people": people,
        "orders": orders,
        "published": published,
        "names": (district.territory.name, street.territory.name),
    }


def reused() -> dict:
    from chuangwen.accounts.models import User
    from chuangwen.org.models import Membership

    people = {
        key: User.objects.get(username=f"bench_{key}") for key in ("leader", "district", "street")
    }
    names = tuple(
        Membership.objects.filter(user=people[key]).values_list("unit__territory__name", flat=True)[
            0
        ]
        for key in ("district", "street")
    )
    return {"people": people, "orders": 0, "published": 0.0, "names": names}


def timed(client, url: str) -> list[float]:
    for _ in range(WARMUP):
        t0 = time.perf_counter()
        assert client.get(url).status_code == 200
        timed.first.setdefault(url, (time.perf_counter() - t0) * 1000)
    timings = []
    for _ in range(REQUESTS):
        t0 = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - t0) * 1000)
        assert response.status_code == 200, response.status_code
    return timings


timed.first = {}


def p(values: list[float], q: int) -> float:
    return statistics.quantiles(values, n=100)[q - 1]


def child() -> None:
    """Runs inside a process whose DATABASE_URL is the copy."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chuangwen.settings")
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from chuangwen.cases.choices import OPEN_STATUSES
    from chuangwen.cases.models import Case, Supervision
    from chuangwen.core import clock
    from chuangwen.testing.cases import at

    now = at(2026, 11, 20, 10, 0)
    started = time.perf_counter()
    if os.environ.get("BENCH_DASH_REUSE"):
        setup = reused()
    else:
        with clock.at(now):
            setup = prepare(now)
    print(
        f"  PostgreSQL: {Case.objects.count():,} cases"
        f" ({Case.objects.filter(status__in=OPEN_STATUSES).count():,} open,"
        f" {Case.objects.filter(overdue_level__gt=0, status__in=OPEN_STATUSES).count():,} lit),"
        f" {Supervision.objects.count():,} 督办单 ({setup['orders']:,} added);"
        f" prepared in {time.perf_counter() - started:.0f} s"
        f" (publishing October took {setup['published']:.1f} s)"
    )
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
    clients = {}
    for key, user in setup["people"].items():
        clients[key] = Client()
        clients[key].force_login(user)
    page = reverse("assessment:dashboard")
    data = reverse("assessment:dashboard_data")
    runs = [
        ("dashboard page, city leader", "leader", page),
        ("dashboard JSON, city leader", "leader", data),
        (f"dashboard JSON, district operator ({setup['names'][0]})", "district", data),
        (f"dashboard JSON, street operator ({setup['names'][1]})", "street", data),
        ("baseline: case list page, city leader", "leader", reverse("cases:list")),
    ]
    results = {}
    with clock.at(now):
        for label, who, url in runs:
            results[label] = timed(clients[who], url)
    base = results[runs[-1][0]]
    print(
        f"  PostgreSQL {version}, {REQUESTS} requests after {WARMUP} of warm-up,"
        f" clock at {now:%Y-%m-%d %H:%M}"
    )
    print(
        f"  first request of the process (computes the kept past figures):"
        f" dashboard page {timed.first[page]:.0f} ms"
    )
    for label, timings in results.items():
        line = f"  {label}: p50 {p(timings, 50):.0f} ms, p95 {p(timings, 95):.0f} ms"
        if timings is not base:
            line += f"; p95 {p(timings, 95) / p(base, 95):.1f}× the baseline"
        print(line)
    page_p95 = p(results[runs[0][0]], 95)
    print(
        f"  target: dashboard page p95 ≤ {TARGET_MS:.0f} ms:"
        f" {'met' if page_p95 <= TARGET_MS else 'MISSED'} ({page_p95:.0f} ms)"
    )


def main() -> None:
    if os.environ.get("BENCH_DASH_CHILD"):
        child()
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--keep", action="store_true", help="keep the copied database")
    parser.add_argument("--reuse", action="store_true", help="time a kept copy again")
    options = parser.parse_args()
    print("Leaders' dashboard, 1,000,000 cases (bench/assessment.py's database), PostgreSQL")
    if not options.reuse:
        _copy()
    env = {
        **os.environ,
        "BENCH_DASH_CHILD": "1",
        "BENCH_DASH_REUSE": "1" if options.reuse else "",
        "DATABASE_URL": COPY,
        "CHUANGWEN_TESTING": "1",
        "LOG_LEVEL": "WARNING",
    }
    try:
        subprocess.run(
            [str(ROOT / ".venv" / "bin" / "python"), __file__], env=env, check=True, cwd=ROOT
        )
    finally:
        if options.keep or options.reuse:
            print(f"  kept: DATABASE_URL={COPY}")
        else:
            _postgres(COPY, 'DROP DATABASE IF EXISTS "{name}"')


if __name__ == "__main__":
    main()
