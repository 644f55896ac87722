"""Benchmark: the duplicate lookup every intake makes, with 1,000,000 open cases.

Fills a scratch database with the demo catalogue and 1,000,000 open cases reported over
the last week (inside the duplicate window: the worst case) at points spread over the
urban districts, then times ``cases.duplicates.find_duplicates`` for 3,000 reports at
random points and categories, half of them within metres of an existing case. The
baseline, in the same run and database, is a primary-key fetch of one case row.

Runs on SQLite (a scratch file under var/bench/) and on PostgreSQL (a scratch database
next to BENCH_DATABASE_URL's, dropped afterwards).

Target (issue "public channels"): p99 ≤ 20 ms.

Environment: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/chuangwen_bench),
BENCH_DUP_CASES (1,000,000), BENCH_DUP_LOOKUPS (3,000), BENCH_DUP_BACKENDS (sqlite,postgres).
"""

from __future__ import annotations

import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

from scratch import run_children

ROOT = Path(__file__).resolve().parents[1]
CASES = int(os.environ.get("BENCH_DUP_CASES", "1000000"))
LOOKUPS = int(os.environ.get("BENCH_DUP_LOOKUPS", "3000"))
BACKENDS = os.environ.get("BENCH_DUP_BACKENDS", "sqlite,postgres").split(",")
SEED = 20261125
# The urban core of 茅箭区 and 张湾区, where most reports are made.
AREA = (32.55, 110.70, 32.70, 110.90)
BATCH = 5000


def child() -> None:
    """Runs inside a process whose DATABASE_URL is the scratch database."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chuangwen.settings")
    import django

    django.setup()
    import io
    from datetime import timedelta

    from django.core.management import call_command
    from django.db import connection, transaction

    from chuangwen.cases.choices import Channel, Status
    from chuangwen.cases.duplicates import find_duplicates
    from chuangwen.cases.models import Case
    from chuangwen.catalog.models import CaseStandard
    from chuangwen.core import clock
    from chuangwen.demo.catalogue import load_catalogue

    call_command("migrate", "--noinput", verbosity=0)
    load_catalogue(stdout=io.StringIO())
    standards = list(
        CaseStandard.objects.filter(category__parent__isnull=False).select_related("category")
    )
    rng = random.Random(SEED)
    now = clock.now()
    lat0, lng0, lat1, lng1 = AREA
    started = time.perf_counter()
    points = []
    # Rows go in with plain executemany: the ORM's per-row work would make filling the
    # table take far longer than the measurement.
    template = Case(
        code="",
        status=Status.DISPATCHED,
        channel=Channel.PORTAL,
        category_id=standards[0].category_id,
        standard_id=standards[0].pk,
        description="bench",
        lat=0.0,
        lng=0.0,
        territory_path="420300/420302/",
        time_type=standards[0].time_type,
        time_value=standards[0].time_value,
        reported_at=now,
    )
    fields = [f for f in Case._meta.concrete_fields if not f.primary_key]
    columns = [f.column for f in fields]
    constant = [f.get_db_prep_save(f.pre_save(template, True), connection) for f in fields]
    at = {
        name: columns.index(name)
        for name in (
            "code",
            "category_id",
            "standard_id",
            "lat",
            "lng",
            "reported_at",
            "time_type",
            "time_value",
        )
    }
    sql = (
        f"INSERT INTO cases_case ({', '.join(connection.ops.quote_name(c) for c in columns)})"
        f" VALUES ({', '.join(['%s'] * len(columns))})"
    )
    copy_sql = f"COPY cases_case ({', '.join(columns)}) FROM STDIN"
    if connection.vendor == "postgresql":  # COPY takes plain values; JSON as text
        constant = [json.dumps(v.obj) if hasattr(v, "obj") else v for v in constant]
    date_field = Case._meta.get_field("reported_at")
    value_field = Case._meta.get_field("time_value")
    for first in range(0, CASES, BATCH):
        rows = []
        for i in range(first, min(first + BATCH, CASES)):
            standard = rng.choice(standards)
            lat, lng = rng.uniform(lat0, lat1), rng.uniform(lng0, lng1)
            if i % 500 == 0:
                points.append((standard.category, lat, lng))
            row = list(constant)
            row[at["code"]] = f"B{i:011d}"
            row[at["category_id"]] = standard.category_id
            row[at["standard_id"]] = standard.pk
            row[at["lat"]], row[at["lng"]] = lat, lng
            row[at["time_type"]] = standard.time_type
            row[at["time_value"]] = value_field.get_db_prep_save(standard.time_value, connection)
            row[at["reported_at"]] = date_field.get_db_prep_save(
                now - timedelta(seconds=rng.uniform(0, 6.5 * 86400)), connection
            )
            rows.append(row)
        with transaction.atomic(), connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(copy_sql) as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                cursor.executemany(sql, rows)
    filled = time.perf_counter() - started
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE cases_case")
    else:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    # Half the reports within metres of an existing case, half anywhere.
    probes = []
    for i in range(LOOKUPS):
        if i % 2 == 0:
            category, lat, lng = rng.choice(points)
            probes.append(
                (category, lat + rng.uniform(-2e-4, 2e-4), lng + rng.uniform(-2e-4, 2e-4))
            )
        else:
            probes.append(
                (rng.choice(standards).category, rng.uniform(lat0, lat1), rng.uniform(lng0, lng1))
            )
    for category, lat, lng in probes[:100]:  # warm the caches the way a running server has
        find_duplicates(category=category, lat=lat, lng=lng, now=now)
    timings, found = [], 0
    for category, lat, lng in probes:
        t0 = time.perf_counter()
        found += bool(find_duplicates(category=category, lat=lat, lng=lng, now=now))
        timings.append((time.perf_counter() - t0) * 1000)
    ids = list(Case.objects.values_list("pk", flat=True)[: LOOKUPS * 10 : 10])
    base = []
    for pk in ids:
        t0 = time.perf_counter()
        Case.objects.filter(pk=pk).values_list("pk", "code", "lat", "lng").first()
        base.append((time.perf_counter() - t0) * 1000)

    def p(values, q):
        return statistics.quantiles(values, n=100)[q - 1]

    vendor = "PostgreSQL" if connection.vendor == "postgresql" else "SQLite"
    print(f"  {vendor}: {Case.objects.count():,} open cases filled in {filled:.0f} s")
    print(
        f"  {vendor}: duplicate lookup p50 {p(timings, 50):.2f} ms, p95 {p(timings, 95):.2f} ms,"
        f" p99 {p(timings, 99):.2f} ms (target p99 ≤ 20 ms: "
        f"{'met' if p(timings, 99) <= 20 else 'MISSED'}); {found} of {len(probes)} found a duplicate"
    )
    print(
        f"  {vendor}: baseline primary-key fetch p99 {p(base, 99):.2f} ms;"
        f" lookup/baseline p99 ratio {p(timings, 99) / p(base, 99):.1f}×"
    )


def main() -> None:
    if os.environ.get("BENCH_DUP_CHILD"):
        child()
        return
    print(f"Duplicate lookup at intake, {CASES:,} open cases, {LOOKUPS:,} lookups")
    run_children(__file__, name="duplicates", flag="BENCH_DUP_CHILD", backends=BACKENDS)


if __name__ == "__main__":
    main()
