import os
import shutil
import tempfile

import pytest

os.environ.setdefault("CHUANGWEN_TESTING", "1")
# Uploaded evidence from tests goes to a scratch folder, never into var/media.
if "MEDIA_ROOT" not in os.environ:
    _SCRATCH_MEDIA = os.environ["MEDIA_ROOT"] = tempfile.mkdtemp(prefix="chuangwen-test-media-")
else:
    _SCRATCH_MEDIA = None
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_sessionfinish(session, exitstatus):
    if _SCRATCH_MEDIA:
        shutil.rmtree(_SCRATCH_MEDIA, ignore_errors=True)


@pytest.fixture(autouse=True)
def _fresh_routing_index():
    """Each test starts without a routing index left over from another test's data."""
    from chuangwen.territory.routing import invalidate

    invalidate()
    yield
    invalidate()


@pytest.fixture(autouse=True)
def _fresh_calendar(settings):
    """Each test loads the working calendar from its own data, and the process does not
    look for changed days in the middle of it (a look is one query more, which would
    make the tests that count queries depend on the wall clock)."""
    from chuangwen.core.workcalendar import invalidate

    settings.CALENDAR_RECHECK_SECONDS = 3600
    invalidate()
    yield
    invalidate()


@pytest.fixture(autouse=True)
def _empty_cache():
    """Figures the dashboard keeps for a while must not carry over between tests."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def city(db):
    from chuangwen.testing.city import build_mini_city

    return build_mini_city()


@pytest.fixture
def token_for():
    from chuangwen.accounts.services import api_token_create

    def make(user):
        _, raw = api_token_create(user=user, name="test", actor=None)
        return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}

    return make


@pytest.fixture
def catalogue(city):
    from chuangwen.testing.cases import build_catalogue

    return build_catalogue(city)


@pytest.fixture
def registry(city, catalogue):
    """Point types, checklists, 12 points and two inspectors (chuangwen/testing/evaluation.py)."""
    from chuangwen.testing.evaluation import build_registry

    return build_registry(city, catalogue)
