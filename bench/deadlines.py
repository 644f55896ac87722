"""Benchmark: deadline computation on the official working calendar, mixed time types.

The calendar answers through a table of cumulative working minutes per day and a
binary search. The baseline, in the same run, walks the calendar period by period from
the start (the obvious implementation); both must agree on every deadline.

Target (issue "case closed loop"): ≥ 100,000 deadlines/s for mixed time types.
"""

from __future__ import annotations

import os
import random
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chuangwen.settings")
os.environ.setdefault("CHUANGWEN_TESTING", "1")

import django

django.setup()

from chuangwen.core.workcalendar import TimeType, WorkCalendar, parse_periods  # noqa: E402

TZ = ZoneInfo("Asia/Shanghai")
CASES = 200_000
BASELINE_CASES = 5_000


def walk(cal: WorkCalendar, start: datetime, value: float, time_type: str) -> datetime:
    """Period-by-period reference implementation."""
    minutes = cal.limit_minutes(value, time_type)
    if time_type in (TimeType.EMERGENCY_HOURS, TimeType.NATURAL_DAYS):
        return start + timedelta(minutes=minutes)
    local = start.astimezone(TZ)
    day = local.date()
    while True:
        if cal.is_workday(day):
            midnight = datetime(day.year, day.month, day.day, tzinfo=TZ)
            for s, e in cal.periods:
                begin = max(midnight + timedelta(minutes=s), local)
                end = midnight + timedelta(minutes=e)
                if begin >= end:
                    continue
                available = (end - begin).total_seconds() / 60
                if minutes <= available:
                    return begin + timedelta(minutes=minutes)
                minutes -= available
        day += timedelta(days=1)


def main() -> int:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    rng = random.Random(2026)
    cal = WorkCalendar(periods=parse_periods("08:00-12:00,14:00-18:00"))
    types = list(TimeType)
    base = datetime(2025, 1, 1, tzinfo=TZ)
    cases = [
        (
            base + timedelta(minutes=rng.randrange(0, 2 * 365 * 24 * 60)),
            rng.choice([0.5, 1, 2, 4, 8, 24, 3, 5, 10]),
            rng.choice(types),
        )
        for _ in range(CASES)
    ]
    for start, value, time_type in cases[:BASELINE_CASES]:  # warm up and cross-check
        if value and cal.deadline(start, value, time_type) != walk(cal, start, value, time_type):
            raise SystemExit(f"mismatch at {start} {value} {time_type}")

    started = time.perf_counter()
    for start, value, time_type in cases:
        cal.deadline(start, value, time_type)
    rate = CASES / (time.perf_counter() - started)

    started = time.perf_counter()
    for start, value, time_type in cases[:BASELINE_CASES]:
        walk(cal, start, value, time_type)
    baseline = BASELINE_CASES / (time.perf_counter() - started)

    print(f"work calendar : {rate:12,.0f} deadlines/s  ({CASES:,} mixed cases, one core)")
    print(f"period walk   : {baseline:12,.0f} deadlines/s  (baseline, same run, same answers)")
    print(f"ratio         : {rate / baseline:12,.1f}×")
    print(f"target ≥ 100,000/s: {'met' if rate >= 100_000 else 'MISSED'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
