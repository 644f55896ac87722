"""Scratch databases for the benchmarks that fill their own: a SQLite file under
var/bench/ and a PostgreSQL database next to BENCH_DATABASE_URL's, each made empty before
the run and dropped after it. Each backend runs the benchmark in a child process whose
DATABASE_URL points at its scratch database."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[1]
BASE_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/chuangwen_bench"
)


def scratch_urls(name: str) -> dict[str, str]:
    sqlite = ROOT / "var" / "bench" / f"{name}.sqlite3"
    postgres = urlparse(BASE_URL)._replace(path=f"/chuangwen_bench_{name}").geturl()
    return {"sqlite": f"sqlite:///{sqlite}", "postgres": postgres}


def _sqlite_files(url: str) -> list[Path]:
    path = Path(urlparse(url).path)
    return [Path(f"{path}{suffix}") for suffix in ("", "-wal", "-shm")]


def _postgres(url: str, *statements: str) -> None:
    import psycopg

    parts = urlparse(url)
    with psycopg.connect(parts._replace(path="/postgres").geturl(), autocommit=True) as conn:
        for statement in statements:
            conn.execute(statement.format(name=parts.path.lstrip("/")))


def prepare(backend: str, url: str) -> None:
    if backend == "sqlite":
        files = _sqlite_files(url)
        files[0].parent.mkdir(parents=True, exist_ok=True)
        for file in files:
            file.unlink(missing_ok=True)
        return
    _postgres(url, 'DROP DATABASE IF EXISTS "{name}"', 'CREATE DATABASE "{name}"')


def cleanup(backend: str, url: str) -> None:
    if backend == "sqlite":
        for file in _sqlite_files(url):
            file.unlink(missing_ok=True)
        return
    _postgres(url, 'DROP DATABASE IF EXISTS "{name}"')


def run_children(
    script: str, *, name: str, flag: str, backends: list[str], env: dict | None = None
) -> None:
    """Run ``script`` once per backend with ``flag`` set, against a fresh scratch database."""
    python = str(ROOT / ".venv" / "bin" / "python")
    for backend, url in scratch_urls(name).items():
        if backend not in backends:
            continue
        prepare(backend, url)
        child_env = {
            **os.environ,
            flag: "1",
            "DATABASE_URL": url,
            "CHUANGWEN_TESTING": "1",
            "LOG_LEVEL": "WARNING",
            **(env or {}),
        }
        try:
            subprocess.run([python, script], env=child_env, check=True, cwd=ROOT)
        finally:
            cleanup(backend, url)
