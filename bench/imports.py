"""Benchmark: importing a 100,000-row 12345 work-order list, check and commit.

Builds the demo city (territory, units, catalogue, routing rules; no case history) in a
scratch database, writes a realistic 12345 export as GBK CSV: 100,000 rows, most with
coordinates inside the urban grids, a share placed by address only (district / street /
community names inside the address text), a share repeating an earlier row a few metres
away (suspected duplicates) and a few bad rows. Then runs what the worker runs: the
check (dry run) and the commit (checked again, written in batches), timed end to end
from the upload. The baseline, in the same run and database, is a bare ``bulk_create``
of the same 100,000 Case rows, batch by batch, with no locating and no checks.

Runs on SQLite (a scratch file under var/bench/) and on PostgreSQL (a scratch database
next to BENCH_DATABASE_URL's, dropped afterwards).

Target (issue "public channels"): ≥ 2,000 rows/s end to end.

Environment: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/chuangwen_bench),
BENCH_IMPORT_ROWS (100,000), BENCH_IMPORT_BACKENDS (sqlite,postgres).
"""

from __future__ import annotations

import csv
import io
import os
import random
import shutil
import sys
import time
from pathlib import Path

from scratch import run_children

ROOT = Path(__file__).resolve().parents[1]
ROWS = int(os.environ.get("BENCH_IMPORT_ROWS", "100000"))
BACKENDS = os.environ.get("BENCH_IMPORT_BACKENDS", "sqlite,postgres").split(",")
SEED = 20261125
TARGET = 2000
BY_ADDRESS, DUPLICATES, BAD = 0.20, 0.05, 0.01
URBAN = ("420300/420302/", "420300/420303/")
ROADS = ("人民北路", "北京路", "朝阳路", "公园路", "车城西路", "东岳路", "柳林路", "大岭路")
PROBLEMS = (
    "人行道井盖缺失,有行人绊倒风险",
    "小区门口垃圾堆放多日无人清运",
    "路口有流动摊贩占道经营",
    "公交站台广告牌破损",
    "绿化带内有大量烟头纸屑",
    "路灯不亮,夜间出行不便",
    "墙面张贴非法小广告",
    "施工围挡倒伏占用车道",
)
HEADERS = (
    "工单编号",
    "来电时间",
    "来电人",
    "来电号码",
    "诉求内容",
    "问题类别",
    "问题地址",
    "经度",
    "纬度",
    "承办单位",
)


# -- inside the child process ----------------------------------------------------------------
def build_city() -> None:
    from django.core.management import call_command

    from chuangwen.demo.load import load

    call_command("migrate", "--noinput", verbosity=0)
    load(password="Bench-Only-" + os.urandom(6).hex(), stdout=io.StringIO(), cases=0)


def generate_list(rows: int) -> tuple[bytes, int]:
    """The 12345 export as GBK CSV, and how many of its rows are good."""
    from shapely.geometry import Point, shape

    from chuangwen.catalog.models import CaseStandard
    from chuangwen.territory.choices import Level
    from chuangwen.territory.models import TerritoryNode

    rng = random.Random(SEED)
    nodes = TerritoryNode.objects.filter(is_active=True)
    grids = [
        shape(g)
        for path, g in nodes.filter(level=Level.GRID).values_list("path", "geometry")
        if path.startswith(URBAN) and g
    ]
    names = dict(nodes.values_list("id", "name"))
    parents = dict(nodes.values_list("id", "parent_id"))
    communities = [
        pk
        for pk, path in nodes.filter(level=Level.COMMUNITY).values_list("id", "path")
        if path.startswith(URBAN)
    ]
    standards = list(
        CaseStandard.objects.filter(is_active=True).select_related("category").order_by("code")
    )
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADERS)
    placed: list[tuple[str, float, float]] = []
    good = 0
    for i in range(rows):
        ticket = f"2026{i:08d}"
        standard = rng.choice(standards)
        # Offices write the category as a code or as the 小类 name.
        category = standard.category.code if rng.random() < 0.7 else standard.category.name
        description = rng.choice(PROBLEMS)
        lng = lat = ""
        roll = rng.random()
        road = f"{rng.choice(ROADS)}{rng.randint(1, 300)}号"
        if roll < BY_ADDRESS:
            community = rng.choice(communities)
            street = parents[community]
            district = parents[street]
            parts = rng.choice(
                (
                    (names[district], names[street], names[community]),
                    (names[street], names[community]),
                    (names[district], names[street]),
                )
            )
            address = "十堰市" + "".join(parts) + road
        elif roll < BY_ADDRESS + DUPLICATES and placed:
            category, y, x = rng.choice(placed)
            lat, lng = f"{y + rng.uniform(-5e-5, 5e-5):.6f}", f"{x + rng.uniform(-5e-5, 5e-5):.6f}"
            address = road
        else:
            polygon = rng.choice(grids)
            x0, y0, x1, y1 = polygon.bounds
            while True:
                x, y = rng.uniform(x0, x1), rng.uniform(y0, y1)
                if polygon.contains(Point(x, y)):
                    break
            lat, lng = f"{y:.6f}", f"{x:.6f}"
            placed.append((category, y, x))
            address = road
        if rng.random() < BAD:
            description = ""  # a row the commit skips
        else:
            good += 1
        writer.writerow(
            (
                ticket,
                f"2026-11-{rng.randint(1, 24):02d} {rng.randint(8, 20):02d}:{rng.randint(0, 59):02d}",
                rng.choice("王李张刘陈杨赵黄周吴") + rng.choice(("先生", "女士")),
                f"1{rng.randint(3, 9)}{rng.randint(0, 999_999_999):09d}",
                description,
                category,
                address,
                lng,
                lat,
                rng.choice(("市城管执法委", "茅箭区政府", "张湾区政府", "市住建局")),
            )
        )
    return out.getvalue().encode("gbk"), good


def bare_bulk_create(case_ids: list[int]) -> float:
    """Seconds to bulk_create the same Case rows again (new codes and tickets)."""
    from django.db import transaction

    from chuangwen.cases.models import Case
    from chuangwen.cases.services.bulk import BATCH_SIZE

    skip = {"id", "code", "external_id", "public_token"}
    fields = [f.attname for f in Case._meta.concrete_fields if f.attname not in skip]
    rows: list[dict] = []
    for first in range(0, len(case_ids), 5000):
        rows.extend(Case.objects.filter(pk__in=case_ids[first : first + 5000]).values(*fields))
    started = time.perf_counter()
    for first in range(0, len(rows), BATCH_SIZE):
        batch = [
            Case(
                **values,
                code=f"X{first + n:010d}",
                external_id=f"bare-{first + n}",
                public_token=f"T{first + n:011d}",
            )
            for n, values in enumerate(rows[first : first + BATCH_SIZE])
        ]
        with transaction.atomic():
            Case.objects.bulk_create(batch)
    return time.perf_counter() - started


def child() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chuangwen.settings")
    import django

    django.setup()
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import connection

    from chuangwen.accounts.models import User
    from chuangwen.cases.models import Case
    from chuangwen.imports import services
    from chuangwen.imports.choices import JobStatus, Mode
    from chuangwen.imports.models import ImportJob

    vendor = "PostgreSQL" if connection.vendor == "postgresql" else "SQLite"
    if connection.vendor == "sqlite":
        # As the embedded default database runs (settings: WAL, synchronous NORMAL).
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
    t0 = time.perf_counter()
    build_city()
    content, good = generate_list(ROWS)
    operator = User.objects.get(username="operator")
    print(
        f"  {vendor}: demo city and a {len(content) / 1e6:.1f} MB GBK list of {ROWS:,} rows"
        f" ready in {time.perf_counter() - t0:.0f} s"
    )

    started = time.perf_counter()
    job = services.import_job_create(
        source="12345", upload=SimpleUploadedFile("12345工单.csv", content), actor=operator
    )
    uploaded = time.perf_counter()
    services.import_job_check(job_id=job.pk, actor=operator, mapping=job.mapping)
    services.import_job_run_check(job_id=job.pk)  # what the worker runs for imports.check
    checked = time.perf_counter()
    job.refresh_from_db()
    if job.status != JobStatus.CHECKED:
        raise SystemExit(f"check failed: {job.failure}")
    services.import_job_commit(job_id=job.pk, actor=operator, mode=Mode.SKIP_BAD_ROWS)
    services.import_job_run_commit(job_id=job.pk)  # what the worker runs for imports.run
    finished = time.perf_counter()
    job = ImportJob.objects.get(pk=job.pk)
    if job.status != JobStatus.DONE:
        raise SystemExit(f"commit failed: {job.failure}")

    total = finished - started
    rate = ROWS / total
    locating = job.summary["locating"]
    by_address = sum(locating["address"].values())
    print(
        f"  {vendor}: {job.total:,} rows: {job.created:,} cases created, {job.error_rows:,} bad"
        f" rows skipped, {job.duplicates:,} suspected duplicates; located by coordinates"
        f" {locating['coordinates']:,}, by address {by_address:,}, unmatched"
        f" {locating['unmatched']:,}"
    )
    print(
        f"  {vendor}: upload {uploaded - started:.1f} s, check {checked - uploaded:.1f} s"
        f" ({ROWS / (checked - uploaded):,.0f} rows/s), commit {finished - checked:.1f} s"
        f" ({ROWS / (finished - checked):,.0f} rows/s)"
    )
    print(
        f"  {vendor}: end to end {total:.1f} s = {rate:,.0f} rows/s"
        f" (target ≥ {TARGET:,}: {'met' if rate >= TARGET else 'MISSED'})"
    )
    if job.created != good:
        raise SystemExit(f"expected {good} cases, the import created {job.created}")

    # The same list again: every ticket is found, nothing is written.
    again_started = time.perf_counter()
    again = services.import_job_create(
        source="12345", upload=SimpleUploadedFile("again.csv", content), actor=operator
    )
    services.import_job_check(job_id=again.pk, actor=operator, mapping=again.mapping)
    services.import_job_run_check(job_id=again.pk)
    again.refresh_from_db()
    print(
        f"  {vendor}: the same list checked again in {time.perf_counter() - again_started:.1f} s:"
        f" {again.existing:,} rows already imported, {again.valid:,} to import"
    )

    case_ids = list(Case.objects.filter(source="12345").order_by("pk").values_list("pk", flat=True))
    bare = bare_bulk_create(case_ids)
    bare_rate = len(case_ids) / bare
    print(
        f"  {vendor}: baseline bare bulk_create of the same {len(case_ids):,} Case rows"
        f" {bare:.1f} s = {bare_rate:,.0f} rows/s; import/baseline ratio {rate / bare_rate:.1%}"
    )


def main() -> None:
    if os.environ.get("BENCH_IMPORT_CHILD"):
        child()
        return
    print(f"Work-order import, {ROWS:,} rows of a 12345 list: check + commit, as the worker runs")
    media = ROOT / "var" / "bench" / "media"
    try:
        run_children(
            __file__,
            name="imports",
            flag="BENCH_IMPORT_CHILD",
            backends=BACKENDS,
            env={"MEDIA_ROOT": str(media), "IMPORT_MAX_ROWS": str(max(ROWS, 200_000))},
        )
    finally:
        shutil.rmtree(media, ignore_errors=True)


if __name__ == "__main__":
    main()
