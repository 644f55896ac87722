"""The worker outlives a database that goes away, and several workers send each message
once."""

import logging
import threading
import time
from collections import Counter
from datetime import timedelta

import pytest
from django.db import InterfaceError, OperationalError, connection, connections, transaction

from chuangwen.core import outbox
from chuangwen.core.audit import enqueue
from chuangwen.core.models import OutboxMessage, OutboxStatus
from chuangwen.core.worker import Worker, reconnect_delay

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL (several connections, SKIP LOCKED)"
)
WAIT_SECONDS = 60  # an upper bound for a busy machine, never a measured duration


def wait_for(condition, what: str):
    deadline = time.monotonic() + WAIT_SECONDS
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting for {what}")
        time.sleep(0.05)


@pytest.fixture
def sent():
    """A topic whose handler records each key it was given, from any thread."""
    keys: list[str] = []
    lock = threading.Lock()

    def send(payload, *, key):
        with lock:
            keys.append(key)

    outbox.handles("test.sent")(send)
    yield keys
    outbox._handlers.pop("test.sent", None)


def test_reconnect_delays_double_up_to_the_maximum(settings):
    settings.WORKER_RECONNECT_MAX_SECONDS = 30
    assert [reconnect_delay(n) for n in range(1, 8)] == [1, 2, 4, 8, 16, 30, 30]


@pytest.mark.django_db(transaction=True)
def test_the_worker_carries_on_through_database_errors(sent, monkeypatch, caplog):
    with transaction.atomic():
        message = enqueue(topic="test.sent", payload={})
    real = outbox.deliver_pending
    errors = iter(
        [
            OperationalError("server closed the connection unexpectedly"),
            InterfaceError("connection already closed"),
        ]
    )

    def flaky(**kwargs):
        for exc in errors:
            raise exc
        return real(**kwargs)

    monkeypatch.setattr(outbox, "deliver_pending", flaky)
    worker = Worker(poll=0.5)
    with caplog.at_level(logging.INFO, logger="chuangwen.worker"):
        waits = [worker.step(), worker.step(), worker.step()]
    assert waits == [1, 2, 0.5]
    assert worker.failures == 0
    message.refresh_from_db()
    assert message.status == OutboxStatus.DELIVERED
    assert sent == [str(message.key)]
    text = caplog.text
    assert "OperationalError" in text and "InterfaceError" in text
    assert "reachable again after 2 failed passes" in text


@pytest.mark.django_db(transaction=True)
def test_a_failing_pass_of_any_kind_does_not_end_the_worker(monkeypatch):
    passes = []

    def broken(**kwargs):
        passes.append(1)
        if len(passes) == 1:
            raise RuntimeError("bug in a job")
        return 0

    monkeypatch.setattr(outbox, "deliver_pending", broken)
    monkeypatch.setattr(outbox, "run_due_jobs", lambda **kwargs: [])
    worker = Worker(poll=0.5)
    assert worker.step() == 1
    assert worker.step() == 0.5
    assert len(passes) == 2


def _run_in_thread(worker: Worker) -> threading.Thread:
    def target():
        try:
            worker.run()
        finally:
            connections.close_all()  # this thread's own connection

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    return thread


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_the_worker_reconnects_after_its_backend_is_killed(sent, caplog):
    pids: list[int] = []

    def record_pid(now):
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            pids.append(cursor.fetchone()[0])

    outbox.scheduled("test.pid", every=timedelta(0))(record_pid)
    worker = Worker(poll=0.1)
    try:
        with caplog.at_level(logging.INFO, logger="chuangwen.worker"):
            thread = _run_in_thread(worker)
            wait_for(lambda: pids, "the worker's first pass")
            victim = pids[-1]
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_terminate_backend(%s)", [victim])
                assert cursor.fetchone()[0] is True
            with transaction.atomic():
                message = enqueue(topic="test.sent", payload={})
            wait_for(
                lambda: OutboxMessage.objects.get(pk=message.pk).status == OutboxStatus.DELIVERED,
                "the message after the reconnect",
            )
    finally:
        worker.stop.set()
        thread.join(WAIT_SECONDS)
        outbox._jobs.pop("test.pid", None)
    assert not thread.is_alive()
    assert sent == [str(message.key)]
    assert pids[-1] != victim  # a new backend
    assert "database unavailable" in caplog.text


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_workers_racing_send_each_message_exactly_once(sent):
    with transaction.atomic():
        messages = [enqueue(topic="test.sent", payload={"n": n}) for n in range(120)]
    start = threading.Barrier(2)
    handled: dict[str, int] = {}

    def drain(name: str):
        try:
            start.wait()
            total = 0
            while done := outbox.deliver_pending(limit=5):
                total += done
            handled[name] = total
        finally:
            connections.close_all()

    threads = [threading.Thread(target=drain, args=(name,)) for name in ("a", "b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(WAIT_SECONDS)
    assert sum(handled.values()) == 120
    counts = Counter(sent)
    assert set(counts) == {str(m.key) for m in messages}
    assert set(counts.values()) == {1}
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {OutboxStatus.DELIVERED}
