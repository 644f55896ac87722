"""An appeal and a withdrawal of the same publication at the same moment: the
publication's row lock puts one after the other, so no appeal is left pending on a
withdrawn publication. Real concurrency needs real row locks: PostgreSQL only (SQLite
runs one writer at a time)."""

from __future__ import annotations

import contextvars
import threading
import time
from collections.abc import Callable
from unittest import mock

import pytest
from django.db import connection

from chuangwen.assessment import services
from chuangwen.assessment.choices import AppealStatus, PublicationStatus
from chuangwen.assessment.models import Appeal, Publication
from chuangwen.core.errors import ConflictError
from chuangwen.org.choices import Role

from .conftest import SEPTEMBER

pytestmark = pytest.mark.django_db(transaction=True)
PATIENCE = 30  # seconds before a stuck test gives up (never reached when it works)


@pytest.fixture(autouse=True)
def postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")


class Run:
    """A service call in a thread of its own, with its own database connection."""

    def __init__(self, call: Callable[[], object]):
        self.call = call
        self.pid: int | None = None
        self.started = threading.Event()
        self.done = threading.Event()
        self.error: Exception | None = None
        self.value = None
        context = contextvars.copy_context()  # the test's pinned clock
        self.thread = threading.Thread(target=context.run, args=(self._run,))
        self.thread.start()
        assert self.started.wait(PATIENCE)

    def _run(self):
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                self.pid = cursor.fetchone()[0]
            self.started.set()
            self.value = self.call()
        except Exception as exc:  # looked at by the test
            self.error = exc
        finally:
            connection.close()
            self.started.set()
            self.done.set()

    def waits_for_a_lock(self) -> bool:
        """True once the run is blocked on a row lock; False if it finished instead."""
        deadline = time.monotonic() + PATIENCE
        while time.monotonic() < deadline:
            if self.done.is_set():
                return False
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT wait_event_type FROM pg_stat_activity WHERE pid = %s", [self.pid]
                )
                row = cursor.fetchone()
            if row and row[0] == "Lock":
                return True
            time.sleep(0.01)
        raise AssertionError("the run neither finished nor waited for a lock")

    def finish(self):
        self.thread.join(PATIENCE)
        assert not self.thread.is_alive()


class Pause:
    """Holds a service inside its transaction (after its lock) until released."""

    def __init__(self):
        self.inside = threading.Event()
        self.go = threading.Event()

    def hold(self):
        self.inside.set()
        assert self.go.wait(PATIENCE)


@pytest.fixture
def setting(story):
    publication = services.publication_publish(
        period_key=SEPTEMBER, subject_type="district", actor=story.office
    )
    result = publication.results.get(subject_id=story.node("420303").pk)
    return publication, result, story.city.user(Role.DISTRICT_OPERATOR, "420303")


def file_appeal(result, actor):
    return services.appeal_file(
        result_id=result.pk,
        component_position=1,
        requested_points="5",
        reason="按期结案率统计有误",
        actor=actor,
    )


def withdraw(publication, actor):
    return services.publication_withdraw(
        publication_id=publication.pk, actor=actor, reason="数据重算"
    )


def test_a_withdrawal_waits_for_an_appeal_being_filed_and_then_refuses(story, setting):
    publication, result, zhangwan = setting
    pause = Pause()
    real_notify = services.appeals.notify

    def notify_then_pause(**kwargs):  # the appeal's last step inside its transaction
        real_notify(**kwargs)
        pause.hold()

    with mock.patch.object(services.appeals, "notify", notify_then_pause):
        appealing = Run(lambda: file_appeal(result, zhangwan))
        assert pause.inside.wait(PATIENCE)
        withdrawing = Run(lambda: withdraw(publication, story.office))
        waited = withdrawing.waits_for_a_lock()
        pause.go.set()
        appealing.finish()
        withdrawing.finish()
    assert waited
    assert appealing.error is None
    assert isinstance(withdrawing.error, ConflictError)
    assert "申诉待审核" in withdrawing.error.message
    assert Publication.objects.get(pk=publication.pk).status == PublicationStatus.PUBLISHED
    assert list(Appeal.objects.values_list("status", flat=True)) == [AppealStatus.PENDING]


def test_an_appeal_waits_for_a_withdrawal_under_way_and_then_refuses(story, setting):
    publication, result, zhangwan = setting
    pause = Pause()
    real_audit = services.publications.audit

    def audit_then_pause(**kwargs):  # the withdrawal's last step inside its transaction
        row = real_audit(**kwargs)
        if kwargs["action"] == "assessment.withdraw":
            pause.hold()
        return row

    with mock.patch.object(services.publications, "audit", audit_then_pause):
        withdrawing = Run(lambda: withdraw(publication, story.office))
        assert pause.inside.wait(PATIENCE)
        appealing = Run(lambda: file_appeal(result, zhangwan))
        waited = appealing.waits_for_a_lock()
        pause.go.set()
        withdrawing.finish()
        appealing.finish()
    assert waited
    assert withdrawing.error is None
    assert isinstance(appealing.error, ConflictError)
    assert "已撤回" in appealing.error.message
    assert Publication.objects.get(pk=publication.pk).status == PublicationStatus.WITHDRAWN
    assert not Appeal.objects.exists()
