import pytest

from chuangwen.core.outbox import deliver_pending, discover
from chuangwen.testing.people import people_fixture

people = people_fixture("operator", "admin", "district", "zhangwan")


@pytest.fixture
def work(django_capture_on_commit_callbacks):
    """What `manage.py worker` does with the pending messages, runs included (they start
    once the delivery commits, which the test transaction only pretends)."""
    discover()

    def run() -> int:
        handled = 0
        while True:
            with django_capture_on_commit_callbacks(execute=True):
                delivered = deliver_pending()
            if not delivered:
                return handled
            handled += delivered

    return run
