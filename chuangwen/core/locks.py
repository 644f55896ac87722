"""Locks on names, held until the transaction ends: for counting and inserting without a
race where no row exists yet to lock (reports per sender, submissions per key)."""

from __future__ import annotations

import hashlib

from django.db import connection, transaction


def _number(key: str) -> int:
    # A signed 64-bit number, as PostgreSQL's advisory locks take.
    return int.from_bytes(hashlib.sha256(key.encode()).digest()[:8], "big", signed=True)


def hold(*keys: str) -> None:
    """Wait for, then hold until commit or rollback, one lock per key.

    PostgreSQL takes transaction-level advisory locks, in a fixed order so that two
    callers naming the same keys cannot deadlock. SQLite needs nothing: its writers
    (IMMEDIATE transactions) already run one at a time."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("hold() must run inside the transaction it protects")
    if connection.vendor != "postgresql":
        return
    numbers = sorted({_number(key) for key in keys if key})
    with connection.cursor() as cursor:
        for number in numbers:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [number])
