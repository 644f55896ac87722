import os

import pytest

os.environ.setdefault("CHUANGWEN_TESTING", "1")
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _fresh_routing_index():
    """Each test starts without a routing index left over from another test's data."""
    from chuangwen.territory.routing import invalidate

    invalidate()
    yield
    invalidate()


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
