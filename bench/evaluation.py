"""Benchmark: scoring and roll-up of an evaluation round of 1,000 inspections × 15 items.

Fills a scratch database with the mini test city (2 districts, 3 streets, 6 communities),
one point type with a 15-item checklist, 1,000 points spread over the communities and a
round in which every point has been inspected (15,000 item results, about one in eight
failed, a few N/A). Stored scores start at zero, so the measured step recomputes all of
them. It then times, as the office's 统一核算 does:

- ``round_rescore``: every point's score from its item results (written back), and
- ``round_results`` at all six levels (district, street, community, unit, point type,
  point), each ranked over the round.

The baseline, in the same run and database, is one SQL aggregate that computes the same
1,000 point scores from the item results (chuangwen/testing/evaluation.py, which the
tests use as their independent path); the benchmark checks they agree.

Target (issue "evaluation"): ≤ 2 s on PostgreSQL and SQLite.

Environment: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/chuangwen_bench),
BENCH_EVAL_INSPECTIONS (1,000), BENCH_EVAL_ITEMS (15), BENCH_EVAL_REPEAT (5),
BENCH_EVAL_BACKENDS (sqlite,postgres).
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import time
from pathlib import Path

from scratch import run_children

ROOT = Path(__file__).resolve().parents[1]
INSPECTIONS = int(os.environ.get("BENCH_EVAL_INSPECTIONS", "1000"))
ITEMS = int(os.environ.get("BENCH_EVAL_ITEMS", "15"))
REPEAT = int(os.environ.get("BENCH_EVAL_REPEAT", "5"))
BACKENDS = os.environ.get("BENCH_EVAL_BACKENDS", "sqlite,postgres").split(",")
SEED = 20261125
TARGET_S = 2.0


def fill():
    from datetime import date
    from decimal import Decimal

    from django.db import transaction

    from chuangwen.catalog.choices import CategoryKind
    from chuangwen.catalog.models import Category
    from chuangwen.evaluation.choices import InspectionStatus, Result, RoundStatus
    from chuangwen.evaluation.models import (
        Inspection,
        ItemResult,
        Point,
        PointType,
        Round,
        RoundItem,
    )
    from chuangwen.territory.choices import Level
    from chuangwen.testing.city import build_mini_city

    rng = random.Random(SEED)
    with transaction.atomic():
        city = build_mini_city()
        parent = Category.objects.create(kind=CategoryKind.EVENT, code="E01", name="市容环境")
        category = Category.objects.create(
            kind=CategoryKind.EVENT, code="E0102", name="暴露垃圾", parent=parent
        )
        point_type = PointType.objects.create(code="MARKET", name="农贸市场")
        communities = [n for n in city.nodes.values() if n.level == Level.COMMUNITY]
        points = []
        for i in range(INSPECTIONS):
            community = communities[i % len(communities)]
            points.append(
                Point(
                    code=f"P{i:05d}",
                    name=f"点位{i}",
                    point_type=point_type,
                    lat=rng.uniform(community.min_lat, community.max_lat),
                    lng=rng.uniform(community.min_lng, community.max_lng),
                    territory=community,
                    territory_path=community.path,
                    community=community,
                    street=community.parent,
                    district=community.parent.parent,
                    unit=city.units[community.code],
                )
            )
        Point.objects.bulk_create(points, batch_size=1000)
        round_ = Round.objects.create(
            name="基准测评",
            kind="bimonthly",
            status=RoundStatus.OPEN,
            starts_on=date(2026, 11, 2),
            due_on=date(2026, 11, 13),
            checkin_radius_m=200,
        )
        items = RoundItem.objects.bulk_create(
            RoundItem(
                round=round_,
                point_type=point_type,
                section=f"第{1 + n // 5}组",
                position=n,
                text=f"检查项{n}",
                max_points=Decimal(rng.choice((4, 5, 6, 8, 10))),
                deduction=Decimal(rng.choice((1, 2, 3))),
                category=category,
                evidence_required=True,
                na_allowed=n % 5 == 4,
            )
            for n in range(ITEMS)
        )
        inspections = Inspection.objects.bulk_create(
            (
                Inspection(
                    round=round_,
                    point=point,
                    status=InspectionStatus.SUBMITTED,
                    planned_on=round_.starts_on,
                    due_on=round_.due_on,
                )
                for point in points
            ),
            batch_size=1000,
        )
        results = []
        for inspection in inspections:
            for item in items:
                draw = rng.random()
                if item.na_allowed and draw < 0.1:
                    result, places = Result.NA, 0
                elif draw > 0.875:
                    result, places = Result.FAIL, rng.choice((1, 1, 2, 3, 5))
                else:
                    result, places = Result.PASS, 0
                results.append(
                    ItemResult(inspection=inspection, item=item, result=result, occurrences=places)
                )
        ItemResult.objects.bulk_create(results, batch_size=2000)
    return round_


def child() -> None:
    """Runs inside a process whose DATABASE_URL is the scratch database."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chuangwen.settings")
    import django

    django.setup()
    from decimal import Decimal

    from django.core.management import call_command
    from django.db import connection

    from chuangwen.evaluation import selectors, services
    from chuangwen.evaluation.models import Inspection, ItemResult
    from chuangwen.testing.evaluation import point_scores_by_sql

    call_command("migrate", "--noinput", verbosity=0)
    started = time.perf_counter()
    round_ = fill()
    filled = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")

    def baseline() -> dict[int, Decimal]:
        return point_scores_by_sql(round_.pk)

    def measured() -> None:
        services.round_rescore(round_id=round_.pk, actor=None)
        for level in selectors.RESULT_LEVELS:
            selectors.round_results(round_=round_, level=level, user=None)

    timings, base = [], []
    for attempt in range(REPEAT):
        if attempt:  # every run recomputes every score, as on the first
            Inspection.objects.filter(round=round_).update(score=0, max_points=0)
        t0 = time.perf_counter()
        measured()
        timings.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        expected = baseline()
        base.append(time.perf_counter() - t0)
    stored = dict(Inspection.objects.filter(round=round_).values_list("pk", "score"))
    agree = stored == expected
    vendor = "PostgreSQL" if connection.vendor == "postgresql" else "SQLite"
    best, median = min(timings), statistics.median(timings)
    print(
        f"  {vendor}: {len(stored):,} inspections, {ItemResult.objects.count():,} item results"
        f" filled in {filled:.1f} s"
    )
    print(
        f"  {vendor}: scoring + roll-up at 6 levels median {median:.3f} s, best {best:.3f} s"
        f" (target ≤ {TARGET_S:.0f} s: {'met' if median <= TARGET_S else 'MISSED'})"
    )
    print(
        f"  {vendor}: baseline single SQL aggregate of the point scores median"
        f" {statistics.median(base):.3f} s; ratio {median / statistics.median(base):.1f}×;"
        f" scores agree with the aggregate: {'yes' if agree else 'NO'}"
    )
    if not agree:
        sys.exit(1)


def main() -> None:
    if os.environ.get("BENCH_EVAL_CHILD"):
        child()
        return
    print(f"Evaluation scoring and roll-up, {INSPECTIONS:,} inspections × {ITEMS} items")
    run_children(__file__, name="evaluation", flag="BENCH_EVAL_CHILD", backends=BACKENDS)


if __name__ == "__main__":
    main()
