import pytest

from chuangwen.core.outbox import deliver_pending, discover
from chuangwen.org.choices import Role


@pytest.fixture
def people(city, catalogue):
    return {
        "operator": city.user(Role.CITY_OPERATOR, "city"),
        "admin": city.user(Role.CITY_ADMIN, "city"),
        "district": city.user(Role.DISTRICT_OPERATOR, "420302"),
        "zhangwan": city.user(Role.DISTRICT_OPERATOR, "420303"),
    }


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
