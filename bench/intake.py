"""Benchmark: case intake over HTTP with the production server on PostgreSQL.

Sets up a PostgreSQL database with the demo city (territory, units, catalogue, routing
rules; no history), starts gunicorn as `make demo` does, and lets 8 concurrent clients
POST /api/v1/cases for 30 s with a field collector's token (random points in the urban
grids, random 小类, a fresh Idempotency-Key each). Then, in the same run, inserts the
same rows with plain psycopg, one row per transaction, as the baseline.

Targets (issue "case closed loop"): ≥ 300 cases/s, p99 ≤ 150 ms, and ≥ 25 % of the raw
insert rate.

Environment: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/chuangwen_bench),
BENCH_SECONDS (30), BENCH_CLIENTS (8), BENCH_WEB_WORKERS (3).
"""

from __future__ import annotations

import http.client
import json
import os
import random
import secrets
import signal
import statistics
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[1]
PY = str(ROOT / ".venv" / "bin" / "python")
URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/chuangwen_bench")
SECONDS = float(os.environ.get("BENCH_SECONDS", "30"))
CLIENTS = int(os.environ.get("BENCH_CLIENTS", "8"))
WORKERS = int(os.environ.get("BENCH_WEB_WORKERS", "3"))
PORT = 8765
SEED = 20261125

ENV = {
    **os.environ,
    "DATABASE_URL": URL,
    "DJANGO_SETTINGS_MODULE": "chuangwen.settings",
    "SECRET_KEY": secrets.token_urlsafe(40),
    "DEBUG": "0",
    "CHUANGWEN_HTTPS": "0",
    "CHUANGWEN_TESTING": "",
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    "LOG_LEVEL": "WARNING",
    # The benchmark measures intake, not the rate limits: one client at 300 reports a
    # second is far past what a real caller is allowed.
    "API_RATE_PER_ADDRESS": "",
    "API_RATE_PER_CALLER": "",
}


def manage(*args: str, capture: bool = False) -> str:
    result = subprocess.run(
        [PY, str(ROOT / "manage.py"), *args],
        env=ENV,
        cwd=ROOT,
        check=True,
        text=True,
        stdout=subprocess.PIPE if capture else subprocess.DEVNULL,
    )
    return result.stdout or ""


def prepare_database() -> None:
    import psycopg

    parts = urlparse(URL)
    name = parts.path.lstrip("/")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')
    manage("migrate", "--noinput", "-v0")
    manage(
        "load_demo", "--cases", "0", "--quiet", "--password", "Bench-Only-" + secrets.token_hex(8)
    )
    with psycopg.connect(URL, autocommit=True) as conn:
        # Each run starts from an empty case table, as the baseline does.
        conn.execute(
            "TRUNCATE cases_caseevent, cases_casephoto, cases_postponement, cases_accountability,"
            " cases_supervision, cases_case, notifications_notification, core_outboxmessage"
            " RESTART IDENTITY CASCADE"
        )


def sample_inputs(n: int) -> tuple[list[tuple[float, float]], list[str]]:
    import psycopg
    from shapely.geometry import Point, shape

    rng = random.Random(SEED)
    with psycopg.connect(URL) as conn:
        grids = [
            shape(json.loads(g) if isinstance(g, str) else g)
            for (g,) in conn.execute(
                "SELECT geometry FROM territory_territorynode WHERE level = 'grid'"
                " AND (path LIKE '420300/420302/%%' OR path LIKE '420300/420303/%%')"
            )
        ]
        codes = [c for (c,) in conn.execute("SELECT code FROM cases_casestandard WHERE is_active")]
    points = []
    while len(points) < n:
        polygon = rng.choice(grids)
        x0, y0, x1, y1 = polygon.bounds
        x, y = rng.uniform(x0, x1), rng.uniform(y0, y1)
        if polygon.contains(Point(x, y)):
            points.append((y, x))
    return points, codes


def start_server() -> subprocess.Popen:
    server = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "-c",
            "python:chuangwen.gunicorn_conf",
            "chuangwen.wsgi:application",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--workers",
            str(WORKERS),
            "--log-level",
            "warning",
        ],
        env=ENV,
        cwd=ROOT,
    )
    for _ in range(100):
        try:
            conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("gunicorn did not start")


def run_clients(token: str, points, codes, seconds: float) -> tuple[list[float], int, float]:
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    stop_at = time.perf_counter() + seconds

    def client(index: int) -> None:
        rng = random.Random(SEED + index)
        conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
        mine: list[float] = []
        bad = 0
        while time.perf_counter() < stop_at:
            lat, lng = rng.choice(points)
            body = json.dumps(
                {
                    "category": rng.choice(codes),
                    "description": "压力测试:路面问题",
                    "lat": lat,
                    "lng": lng,
                    "address": "测试地址",
                }
            )
            headers = {
                "Authorization": f"Bearer {token}",
                "Content-Type": "application/json",
                "Idempotency-Key": str(uuid.uuid4()),
            }
            started = time.perf_counter()
            conn.request("POST", "/api/v1/cases", body=body, headers=headers)
            response = conn.getresponse()
            response.read()
            elapsed = time.perf_counter() - started
            if response.status == 201:
                mine.append(elapsed)
            else:
                bad += 1
        with lock:
            latencies.extend(mine)
            errors[0] += bad

    started = time.perf_counter()
    threads = [threading.Thread(target=client, args=(i,)) for i in range(CLIENTS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return latencies, errors[0], time.perf_counter() - started


def raw_inserts(limit_seconds: float) -> tuple[int, float]:
    """The same rows again, inserted with plain psycopg, one row per transaction."""
    import psycopg

    with psycopg.connect(URL) as conn:
        columns = [
            c
            for (c,) in conn.execute(
                "SELECT column_name FROM information_schema.columns"
                " WHERE table_name = 'cases_case' AND column_name <> 'id' ORDER BY ordinal_position"
            )
        ]
        rows = conn.execute(f"SELECT {', '.join(columns)} FROM cases_case ORDER BY id").fetchall()
    code_at, key_at = columns.index("code"), columns.index("idempotency_key")
    sql = (
        f"INSERT INTO cases_case ({', '.join(columns)}) VALUES ({', '.join(['%s'] * len(columns))})"
    )
    done = 0
    with psycopg.connect(URL, autocommit=True) as conn:
        started = time.perf_counter()
        for row in rows:
            values = list(row)
            values[code_at] = "R" + secrets.token_hex(6)
            values[key_at] = ""
            conn.execute(sql, values)
            done += 1
            if time.perf_counter() - started > limit_seconds:
                break
        elapsed = time.perf_counter() - started
    return done, elapsed


def main() -> int:
    print(
        f"intake benchmark: PostgreSQL, gunicorn {WORKERS} workers, {CLIENTS} clients, {SECONDS:.0f} s"
    )
    prepare_database()
    token = (
        manage("create_api_token", "collector", "--name", "bench", capture=True).strip().split()[-1]
    )
    points, codes = sample_inputs(5000)
    server = start_server()
    try:
        # Warm-up, not counted: every worker has built its routing index and connection.
        run_clients(token, points, codes, 3)
        latencies, errors, elapsed = run_clients(token, points, codes, SECONDS)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    count = len(latencies)
    rate = count / elapsed
    ordered = sorted(latencies)
    p50 = statistics.median(ordered) * 1000
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000
    raw_count, raw_elapsed = raw_inserts(limit_seconds=min(SECONDS, 20))
    raw_rate = raw_count / raw_elapsed
    print(f"  HTTP intake        {rate:10.0f} cases/s   ({count} cases, {errors} failed)")
    print(f"  latency            p50 {p50:.1f} ms   p99 {p99:.1f} ms")
    print(f"  raw psycopg insert {raw_rate:10.0f} rows/s   (one row per transaction)")
    print(f"  ratio              {rate / raw_rate:10.1%} of the raw insert rate")
    ok = rate >= 300 and p99 <= 150 and rate / raw_rate >= 0.25 and errors == 0
    print("  targets ≥ 300 cases/s, p99 ≤ 150 ms, ≥ 25 %: " + ("met" if ok else "NOT met"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
