"""PostgreSQL restarts while citizens' reports come in and the worker delivers.

A private PostgreSQL cluster (never the shared server the rest of the suite uses) serves
a real gunicorn and a real ``manage.py worker``. Client threads post reports to
``POST /api/v1/cases``, each with its own ``Idempotency-Key``, and retry with the same
key whenever an answer does not come back right. Midway the cluster is restarted in
``immediate`` mode (as after a crash: connections cut, transactions in flight lost).

Afterwards nothing is lost or doubled: every key has exactly one case, every outbox
message is delivered, and the 企业微信 robot (a fake one here) received each of its
messages exactly once. The worker noticed the outage and carried on by itself.
"""

from __future__ import annotations

import glob
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connections

ROOT = Path(__file__).resolve().parents[2]
CLIENTS, REPORTS_PER_CLIENT = 4, 30
RESTART_AFTER = CLIENTS * REPORTS_PER_CLIENT // 3
PATIENCE = 90  # seconds: a bound for a busy machine, never a measured duration

pytestmark = pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
    reason="the PostgreSQL run of the suite restarts a PostgreSQL of its own",
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def pg_bindir() -> Path:
    candidates = [os.environ.get("PG_BINDIR", "")]
    if shutil.which("pg_config"):
        candidates.append(
            subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True).stdout.strip()
        )
    candidates += sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)  # Debian
    for candidate in candidates:
        if candidate and (Path(candidate) / "initdb").exists():
            return Path(candidate)
    pytest.fail("PostgreSQL server binaries (initdb, pg_ctl) not found: set PG_BINDIR")


def until(condition, what: str, patience: float = PATIENCE):
    deadline = time.monotonic() + patience
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting for {what}")
        time.sleep(0.1)


class Cluster:
    """A throw-away PostgreSQL cluster in a temporary directory, on a port of its own.
    The server refuses to run as root: as root, it runs as the ``postgres`` user."""

    def __init__(self, bindir: Path, tmp: Path):
        self.bindir, self.tmp = bindir, tmp
        self.data = tmp / "data"
        self.port = free_port()
        self.as_owner: list[str] = []
        if os.geteuid() == 0:
            self.as_owner = ["runuser", "-u", "postgres", "--"]
            shutil.chown(tmp, "postgres", "postgres")

    def server(self, *args: str) -> None:
        subprocess.run(
            [*self.as_owner, str(self.bindir / args[0]), *args[1:]],
            check=True,
            capture_output=True,
            timeout=PATIENCE,
        )

    def create(self) -> None:
        self.server(
            *("initdb", "-D", str(self.data), "-U", "postgres", "-A", "trust", "-E", "UTF8"),
            *("--no-sync", "--no-instructions"),
        )
        options = (
            f"-p {self.port} -k {self.tmp} -c listen_addresses=127.0.0.1 -c fsync=off"
            " -c max_connections=40"
        )
        self.ctl("start", "-o", options)

    def ctl(self, *args: str) -> None:
        self.server("pg_ctl", "-D", str(self.data), "-l", str(self.tmp / "server.log"), "-w", *args)

    def url(self, name: str = "chuangwen") -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"

    def psql(self, *args: str, stdin: bytes | None = None, database: str = "chuangwen") -> None:
        subprocess.run(
            [str(self.bindir / "psql"), "-q", "-v", "ON_ERROR_STOP=1", self.url(database), *args],
            input=stdin,
            check=True,
            capture_output=True,
            timeout=PATIENCE,
        )


def copy_schema(cluster: Cluster) -> None:
    """The migrated schema of the suite's own test database: much quicker than running
    every migration again."""
    source = connections["default"].settings_dict
    where = [
        "-h",
        source.get("HOST") or "127.0.0.1",
        "-p",
        str(source.get("PORT") or 5432),
        "-U",
        source.get("USER") or "postgres",
    ]
    dump = [str(cluster.bindir / "pg_dump"), *where, "--no-owner", "--no-privileges"]
    env = {**os.environ, "PGPASSWORD": source.get("PASSWORD") or ""}
    name = source["NAME"]
    schema = subprocess.run(
        [*dump, "--schema-only", name], env=env, check=True, capture_output=True
    )
    rows = subprocess.run(
        [*dump, "--data-only", "-t", "django_migrations", "-t", "django_content_type", name],
        env=env,
        check=True,
        capture_output=True,
    )
    cluster.psql("-c", "CREATE DATABASE chuangwen", database="postgres")
    cluster.psql(stdin=schema.stdout + rows.stdout)


@dataclass
class Robot:
    """A fake 企业微信 robot: takes every post, remembers each Idempotency-Key."""

    keys: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    url: str = ""

    def start(self) -> ThreadingHTTPServer:
        robot = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                with robot.lock:
                    robot.keys.append(self.headers.get("Idempotency-Key", ""))
                body = b'{"errcode": 0, "errmsg": "ok"}'
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format, *args):
                pass

        httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{httpd.server_address[1]}/cgi-bin/webhook/send?key=test"
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        return httpd


@dataclass
class Tally:
    requests: int = 0
    retries: int = 0
    created: int = 0  # 201
    found_again: int = 0  # 200: a retry whose first attempt had in fact been taken in
    case_ids: dict[str, int] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)


def report(base: str, token: str, key: str, tally: Tally) -> None:
    body = json.dumps(
        {"category": "B0102", "description": f"井盖缺失({key})", "lat": 32.02, "lng": 110.02}
    ).encode()
    deadline = time.monotonic() + PATIENCE
    first = True
    while True:
        with tally.lock:
            tally.requests += 1
            tally.retries += 0 if first else 1
        first = False
        request = urllib.request.Request(
            f"{base}/api/v1/cases",
            data=body,
            method="POST",
            headers={
                "Authorization": f"Bearer {token}",
                "Idempotency-Key": key,
                "Content-Type": "application/json",
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=15) as answer:
                status, payload = answer.status, json.loads(answer.read())
        except urllib.error.HTTPError as exc:
            if exc.code < 500:  # a refusal is the test's failure, not the restart's
                raise AssertionError(f"{key}: HTTP {exc.code} {exc.read()[:300]!r}") from None
            status, payload = None, None
        except (urllib.error.URLError, OSError, ValueError):
            status, payload = None, None  # a cut connection, a garbled answer
        if status in (200, 201):
            with tally.lock:
                tally.case_ids[key] = payload["id"]
                if status == 201:
                    tally.created += 1
                else:
                    tally.found_again += 1
            return
        if time.monotonic() > deadline:
            raise AssertionError(f"report {key} never got through")
        time.sleep(0.2)


def query(url: str, sql: str) -> list[tuple]:
    import psycopg

    with psycopg.connect(url, connect_timeout=10) as conn:
        return conn.execute(sql).fetchall()


def stop(process: subprocess.Popen) -> int | None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            return process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
    return process.returncode


# django_db: the suite's test database exists (its schema is copied), nothing is written.
@pytest.mark.django_db
def test_intake_and_delivery_survive_a_postgres_restart():
    tmp = Path(tempfile.mkdtemp(prefix="cw-pg-restart-"))
    cluster = Cluster(pg_bindir(), tmp)
    robot = Robot()
    httpd = robot.start()
    processes: list[subprocess.Popen] = []
    logs = []
    started = False
    try:
        cluster.create()
        started = True
        copy_schema(cluster)
        env = {
            **os.environ,
            "DATABASE_URL": cluster.url(),
            "CHUANGWEN_VAR_DIR": str(tmp / "var"),
            "WECOM_WEBHOOK_URL": robot.url,
            "NO_PROXY": "127.0.0.1,localhost",
            "no_proxy": "127.0.0.1,localhost",
            # Quick turns for a short test: reconnect within a second, a message whose
            # worker was cut off is taken over after 15 s, a failed one retried after 1 s.
            "WORKER_RECONNECT_MAX_SECONDS": "1",
            "OUTBOX_LEASE_SECONDS": "15",
            "OUTBOX_RETRY_BASE_SECONDS": "1",
            # The city is built while the servers start, and a web process looks for a
            # changed territory at most every 2 s: here it looks at every request, so
            # the first reports cannot meet an index built before the city was there.
            "ROUTING_RECHECK_SECONDS": "0",
            "PYTHONUNBUFFERED": "1",
        }
        for name in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy"):
            env.pop(name, None)
        web_port = free_port()
        base = f"http://127.0.0.1:{web_port}"
        web_log = open(tmp / "web.log", "wb")
        worker_log = open(tmp / "worker.log", "wb")
        logs += [web_log, worker_log]
        processes.append(
            subprocess.Popen(
                [
                    *(sys.executable, "-m", "gunicorn", "-c", "python:chuangwen.gunicorn_conf"),
                    *("chuangwen.wsgi:application", "--bind", f"127.0.0.1:{web_port}"),
                    *("--workers", "2", "--timeout", "60"),
                ],
                cwd=ROOT,
                env=env,
                stdout=web_log,
                stderr=subprocess.STDOUT,
            )
        )
        processes.append(
            subprocess.Popen(
                [sys.executable, "manage.py", "worker", "--poll", "0.2"],
                cwd=ROOT,
                env=env,
                stdout=worker_log,
                stderr=subprocess.STDOUT,
            )
        )
        web, worker = processes
        # The city is built while the servers start; they notice the new territory
        # themselves, as they would after any change.
        seeded = subprocess.run(
            [
                sys.executable,
                "manage.py",
                "shell",
                "-c",
                "from chuangwen.testing.intake import seed; seed()",
            ],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            text=True,
            timeout=PATIENCE,
        )
        token = json.loads(seeded.stdout.strip().splitlines()[-1])["token"]

        def healthy() -> bool:
            try:
                with urllib.request.urlopen(f"{base}/healthz", timeout=2) as answer:
                    return answer.status == 200
            except (urllib.error.URLError, OSError):
                return False

        until(healthy, "gunicorn")

        tally = Tally()
        keys = [f"restart-{c}-{n}" for c in range(CLIENTS) for n in range(REPORTS_PER_CLIENT)]
        failures: list[BaseException] = []

        def client(number: int) -> None:
            try:
                for n in range(REPORTS_PER_CLIENT):
                    report(base, token, f"restart-{number}-{n}", tally)
            except BaseException as exc:  # reported by the main thread
                failures.append(exc)

        threads = [threading.Thread(target=client, args=(c,)) for c in range(CLIENTS)]
        for thread in threads:
            thread.start()
        until(lambda: len(tally.case_ids) >= RESTART_AFTER or failures, "the first reports")
        cluster.ctl("restart", "-m", "immediate")
        restarted_at_reports = len(tally.case_ids)
        for thread in threads:
            thread.join(PATIENCE)
        assert not failures, failures
        assert restarted_at_reports < len(keys), "the restart came after the last report"

        url = cluster.url()

        def drained() -> bool:
            (left,) = query(
                url, "SELECT count(*) FROM core_outboxmessage WHERE status <> 'delivered'"
            )[0]
            return left == 0

        until(drained, "the worker to deliver every message")

        # -- nothing lost, nothing doubled ----------------------------------------------------
        per_key = dict(
            query(
                url,
                "SELECT idempotency_key, count(*) FROM cases_case"
                " WHERE idempotency_key LIKE 'restart-%' GROUP BY idempotency_key",
            )
        )
        duplicates = sum(n - 1 for n in per_key.values())
        assert set(per_key) == set(keys) and duplicates == 0
        stored = dict(query(url, "SELECT idempotency_key, id FROM cases_case"))
        assert all(stored[key] == case_id for key, case_id in tally.case_ids.items())
        assert tally.created + tally.found_again == len(keys)

        statuses = dict(query(url, "SELECT status, count(*) FROM core_outboxmessage GROUP BY 1"))
        wecom = {
            str(key)
            for (key,) in query(
                url, "SELECT key FROM core_outboxmessage WHERE topic = 'notifications.wecom'"
            )
        }
        received = Counter(robot.keys)
        lost = len(wecom - set(received))
        doubled = sum(n - 1 for n in received.values())
        assert len(wecom) == len(keys)  # one 派遣 notice per report
        assert set(statuses) == {"delivered"}
        assert lost == 0 and doubled == 0 and set(received) == wecom

        # -- the worker noticed and carried on by itself -----------------------------------
        assert worker.poll() is None, "the worker stopped"
        assert web.poll() is None
        assert tally.retries > 0, "no request ever failed: the restart was not felt"
        assert stop(worker) == 0
        worker_log.close()
        log = (tmp / "worker.log").read_text(errors="replace")
        assert "database unavailable" in log
        print(
            f"\nRESTART requests={tally.requests} retries={tally.retries}"
            f" cases={len(per_key)} created={tally.created} found_again={tally.found_again}"
            f" duplicates={duplicates} messages={sum(statuses.values())}"
            f" wecom_sent={len(received)} lost={lost} duplicated={doubled}"
        )
    finally:
        for process in processes:
            stop(process)
        for handle in logs:
            handle.close()
        httpd.shutdown()
        httpd.server_close()
        if started:
            try:
                cluster.ctl("stop", "-m", "immediate")
            except subprocess.CalledProcessError:
                pass
        shutil.rmtree(tmp, ignore_errors=True)
