import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from chuangwen.core import outbox
from chuangwen.core.audit import audit, enqueue
from chuangwen.core.models import AuditEvent, JobRun, OutboxMessage, OutboxStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def topic_log():
    received = []

    def ok(payload):
        received.append(payload)

    outbox.handles("test.ok")(ok)
    yield received
    outbox._handlers.pop("test.ok", None)


@pytest.fixture
def failing_topic():
    def boom(payload):
        raise RuntimeError("下游服务不可用")

    outbox.handles("test.fail")(boom)
    yield
    outbox._handlers.pop("test.fail", None)


@pytest.mark.django_db(transaction=True)
def test_audit_and_enqueue_refuse_to_run_outside_a_transaction():
    with pytest.raises(RuntimeError):
        audit(actor=None, action="x", object_type="t")
    with pytest.raises(RuntimeError):
        enqueue(topic="x", payload={})


def test_audit_and_outbox_rows_roll_back_with_the_write():
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        audit(actor=None, action="test.write", object_type="t", object_id=1)
        enqueue(topic="test.ok", payload={"n": 1})
        1 / 0  # noqa: B018
    assert not AuditEvent.objects.filter(action="test.write").exists()
    assert not OutboxMessage.objects.filter(topic="test.ok").exists()


def test_pending_messages_are_delivered_once_in_order(topic_log):
    with transaction.atomic():
        for n in range(3):
            enqueue(topic="test.ok", payload={"n": n})
    assert outbox.deliver_pending() == 3
    assert [p["n"] for p in topic_log] == [0, 1, 2]
    assert outbox.deliver_pending() == 0
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {OutboxStatus.DELIVERED}


def test_a_delayed_message_waits_for_its_time(topic_log):
    with transaction.atomic():
        enqueue(topic="test.ok", payload={}, delay_seconds=60)
    assert outbox.deliver_pending() == 0
    assert outbox.deliver_pending(now=timezone.now() + timedelta(seconds=61)) == 1
    assert len(topic_log) == 1


def test_retry_delays_double_from_the_base_up_to_the_maximum(settings):
    settings.OUTBOX_RETRY_BASE_SECONDS = 30
    settings.OUTBOX_RETRY_MAX_SECONDS = 3600
    delays = [outbox.retry_delay(n).total_seconds() for n in range(1, 10)]
    assert delays == [30, 60, 120, 240, 480, 960, 1920, 3600, 3600]


def test_failures_back_off_exponentially_then_give_up(failing_topic, settings):
    settings.OUTBOX_MAX_ATTEMPTS = 4
    settings.OUTBOX_RETRY_BASE_SECONDS = 10
    settings.OUTBOX_RETRY_MAX_SECONDS = 3600
    with transaction.atomic():
        message = enqueue(topic="test.fail", payload={})
    now = timezone.now()
    waits = []
    for attempt in range(1, 5):
        assert outbox.deliver_pending(now=now) == 1
        message.refresh_from_db()
        assert message.attempts == attempt
        assert message.last_attempt_at == now
        assert "下游服务不可用" in message.last_error
        if attempt < 4:
            assert message.status == OutboxStatus.PENDING
            waits.append((message.available_at - now).total_seconds())
            # Not a moment earlier.
            assert outbox.deliver_pending(now=message.available_at - timedelta(seconds=1)) == 0
            now = message.available_at
    assert waits == [10, 20, 40]
    assert message.status == OutboxStatus.FAILED
    assert outbox.deliver_pending(now=now + timedelta(days=1)) == 0


def test_each_message_has_its_own_key_and_handlers_receive_it():
    received = []

    @outbox.handles("test.keyed")
    def keyed(payload, *, key):
        received.append(key)

    try:
        with transaction.atomic():
            first = enqueue(topic="test.keyed", payload={})
            second = enqueue(topic="test.keyed", payload={})
        outbox.deliver_pending()
    finally:
        outbox._handlers.pop("test.keyed", None)
    assert first.key != second.key
    assert received == [str(first.key), str(second.key)]


def test_an_atomic_handler_commits_with_the_delivery_and_rolls_back_with_its_failure(settings):
    settings.OUTBOX_MAX_ATTEMPTS = 2
    calls = []

    @outbox.handles("test.db", atomic=True)
    def write(payload):
        calls.append(payload["n"])
        audit(actor=None, action="test.db_write", object_type="t", object_id=payload["n"])
        if payload["n"] == 2:
            raise RuntimeError("约束冲突")

    try:
        with transaction.atomic():
            good = enqueue(topic="test.db", payload={"n": 1})
            bad = enqueue(topic="test.db", payload={"n": 2})
        assert outbox.deliver_pending() == 2
    finally:
        outbox._handlers.pop("test.db", None)
    good.refresh_from_db()
    bad.refresh_from_db()
    assert calls == [1, 2]
    assert good.status == OutboxStatus.DELIVERED
    assert bad.status == OutboxStatus.PENDING and "约束冲突" in bad.last_error
    # The failed handler's write went with its transaction; the good one's stayed.
    assert list(
        AuditEvent.objects.filter(action="test.db_write").values_list("object_id", flat=True)
    ) == ["1"]


def test_a_topic_cannot_mix_atomic_and_outside_handlers():
    from django.core.exceptions import ImproperlyConfigured

    outbox.handles("test.mixed")(lambda payload: None)
    try:
        with pytest.raises(ImproperlyConfigured):
            outbox.handles("test.mixed", atomic=True)(lambda payload: None)
    finally:
        outbox._handlers.pop("test.mixed", None)


def test_a_claim_whose_worker_died_is_taken_over_when_its_lease_runs_out(topic_log, settings):
    """Claimed, then the worker vanished before recording anything: the message waits out
    the lease, then goes out with the same key."""
    settings.OUTBOX_LEASE_SECONDS = 300
    with transaction.atomic():
        message = enqueue(topic="test.ok", payload={"n": 1})
    now = timezone.now()
    claim = outbox._claim(now)  # what a worker does before it sends
    assert claim.key == str(message.key) and claim.attempts == 1
    message.refresh_from_db()
    assert message.status == OutboxStatus.SENDING
    # Meanwhile no other worker touches it.
    assert outbox.deliver_pending(now=now + timedelta(seconds=299)) == 0
    assert outbox.deliver_pending(now=now + timedelta(seconds=301)) == 1
    message.refresh_from_db()
    assert message.status == OutboxStatus.DELIVERED and message.attempts == 2
    assert topic_log == [{"n": 1}]
    # The first worker's late result changes nothing: its claim is over.
    outbox._record(claim, "TimeoutError: too late", now)
    message.refresh_from_db()
    assert message.status == OutboxStatus.DELIVERED and message.last_error == ""


def test_a_message_that_stops_every_worker_ends_as_a_dead_letter(topic_log, settings):
    settings.OUTBOX_MAX_ATTEMPTS = 2
    settings.OUTBOX_LEASE_SECONDS = 60
    with transaction.atomic():
        message = enqueue(topic="test.ok", payload={})
    now = timezone.now()
    for _ in range(2):  # two workers die mid-send
        assert outbox._claim(now)
        now += timedelta(seconds=61)
    assert outbox.deliver_pending(now=now) == 1
    message.refresh_from_db()
    assert message.status == OutboxStatus.FAILED
    assert "投递中断" in message.last_error
    assert topic_log == []


def test_recording_a_result_waits_for_the_database_to_come_back(topic_log, monkeypatch):
    """The message went out; the database was away when the worker wanted to say so."""
    from django.db import OperationalError

    real = outbox._record
    failures = iter([OperationalError("server closed the connection unexpectedly")])

    def flaky(*args):
        for exc in failures:
            raise exc
        return real(*args)

    monkeypatch.setattr(outbox, "_record", flaky)
    monkeypatch.setattr(outbox, "reset_connections", lambda: None)  # keep the test's transaction
    monkeypatch.setattr(outbox.time, "sleep", lambda seconds: None)
    with transaction.atomic():
        message = enqueue(topic="test.ok", payload={})
    assert outbox.deliver_pending() == 1
    message.refresh_from_db()
    assert message.status == OutboxStatus.DELIVERED and message.attempts == 1
    assert len(topic_log) == 1


def test_a_failing_message_does_not_block_the_next(failing_topic, topic_log):
    with transaction.atomic():
        enqueue(topic="test.fail", payload={})
        enqueue(topic="test.ok", payload={"after": True})
    outbox.deliver_pending()
    assert topic_log == [{"after": True}]


def test_scheduled_job_runs_once_per_interval():
    calls = []
    outbox.scheduled("test.job", every=timedelta(hours=1))(calls.append)
    try:
        now = timezone.now()
        assert "test.job" in outbox.run_due_jobs(now=now)
        assert "test.job" not in outbox.run_due_jobs(now=now + timedelta(minutes=59))
        assert "test.job" in outbox.run_due_jobs(now=now + timedelta(minutes=61))
        assert len(calls) == 2
        assert JobRun.objects.get(name="test.job").runs == 2
    finally:
        outbox._jobs.pop("test.job", None)


def test_a_failing_job_is_recorded_and_waits_for_its_next_interval():
    def broken(now):
        raise RuntimeError("disk full")

    outbox.scheduled("test.broken", every=timedelta(hours=1))(broken)
    try:
        now = timezone.now()
        assert "test.broken" in outbox.run_due_jobs(now=now)
        row = JobRun.objects.get(name="test.broken")
        assert row.last_error == "RuntimeError: disk full" and row.last_finished_at is not None
        # The claim stands: a second worker does not retry it before the interval.
        assert "test.broken" not in outbox.run_due_jobs(now=now + timedelta(minutes=5))
    finally:
        outbox._jobs.pop("test.broken", None)


def test_prune_job_deletes_only_old_delivered_messages(settings):
    from chuangwen.core.handlers import prune_delivered_outbox

    settings.OUTBOX_RETENTION_DAYS = 30
    now = timezone.now()
    with transaction.atomic():
        old = enqueue(topic="a", payload={})
        recent = enqueue(topic="b", payload={})
        pending = enqueue(topic="c", payload={})
    OutboxMessage.objects.filter(pk=old.pk).update(
        status=OutboxStatus.DELIVERED, delivered_at=now - timedelta(days=31)
    )
    OutboxMessage.objects.filter(pk=recent.pk).update(
        status=OutboxStatus.DELIVERED, delivered_at=now - timedelta(days=1)
    )
    assert prune_delivered_outbox(now) == 1
    assert set(OutboxMessage.objects.values_list("pk", flat=True)) == {recent.pk, pending.pk}


def test_worker_once_delivers_and_exits(topic_log):
    with transaction.atomic():
        enqueue(topic="test.ok", payload={"via": "worker"})
    call_command("worker", "--once")
    assert topic_log == [{"via": "worker"}]


@pytest.mark.django_db(transaction=True)
def test_worker_process_stops_cleanly_on_sigterm(tmp_path):
    """The long-running worker exits 0 soon after SIGTERM."""
    root = Path(__file__).resolve().parents[3]
    env = {**os.environ, "WORKER_POLL_SECONDS": "0.2", "CHUANGWEN_VAR_DIR": str(tmp_path)}
    env.pop("DATABASE_URL", None)  # its own throw-away SQLite database
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "-v0"], cwd=root, env=env, check=True, timeout=120
    )
    proc = subprocess.Popen(
        [sys.executable, "manage.py", "worker"],
        cwd=root,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 30
        line = proc.stdout.readline()
        while "worker started" not in line and time.monotonic() < deadline:
            line = proc.stdout.readline()
        assert "worker started" in line
        proc.send_signal(signal.SIGTERM)
        out, _ = proc.communicate(timeout=15)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0
    assert "worker stopped" in out
