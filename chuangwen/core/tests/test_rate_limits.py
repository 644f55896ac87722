"""Rate limits: per address and per caller on /api/v1, per address on Open311 reads and
writes and on the portal's feeds; 429 with Retry-After; counts shared through the cache;
and the portal's and Open311's own limits, which count rows, race-free."""

import threading

import pytest
from django.core.cache import cache
from django.db import connection

from chuangwen.cases.models import Case
from chuangwen.org.choices import Role
from chuangwen.testing.cases import MAOJIAN
from chuangwen.testing.images import jpeg

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(city, catalogue):
    return city.user(Role.CITY_OPERATOR, "city")


def _statuses(get, n):
    return [get().status_code for _ in range(n)]


def test_the_api_limits_each_caller(client, officer, token_for, settings, city):
    settings.API_RATE_PER_CALLER = "3/min"
    mine, other = token_for(officer), token_for(city.user(Role.LEADER, "city"))
    assert _statuses(lambda: client.get("/api/v1/categories", **mine), 4) == [200, 200, 200, 429]
    refused = client.get("/api/v1/categories", **mine)
    assert refused.status_code == 429
    assert refused.json() == {"detail": "请求过于频繁,请稍后再试。"}
    assert 1 <= int(refused["Retry-After"]) <= 60
    # Another token from the same address has its own count.
    assert client.get("/api/v1/categories", **other).status_code == 200


def test_the_api_limits_each_address_behind_the_proxy(client, officer, token_for, settings, city):
    settings.API_RATE_PER_ADDRESS = "2/min"
    settings.TRUSTED_PROXY_HOPS = 1
    tokens = [token_for(city.user(Role.LEADER, "city")) for _ in range(3)]

    def from_address(address, auth):
        return client.get(
            "/api/v1/categories", HTTP_X_FORWARDED_FOR=f"1.2.3.4, {address}", **auth
        ).status_code

    # Each caller is new, the address is not: the third request from it is refused.
    assert [from_address("10.0.0.7", t) for t in tokens] == [200, 200, 429]
    # The address the proxy saw decides, not the proxy's own.
    assert from_address("10.0.0.8", tokens[0]) == 200


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_open311_reads_are_limited_in_the_specs_format(client, catalogue, settings, fmt):
    settings.OPEN311_READ_RATE = "2/min"
    url = f"/open311/v2/services.{fmt}"
    assert _statuses(lambda: client.get(url), 3) == [200, 200, 429]
    refused = client.get(url)
    assert refused.status_code == 429 and int(refused["Retry-After"]) >= 1
    body = refused.content.decode()
    assert "429" in body and "请求过于频繁" in body
    if fmt == "xml":
        assert body.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<errors>')


def test_open311_writes_are_limited_per_address(client, catalogue, settings, city):
    from chuangwen.open311.services import open311_key_create

    settings.OPEN311_WRITE_RATE = "1/min"
    _key, raw = open311_key_create(name="App", unit_id=city.units["city"].pk, actor=None)
    data = {"api_key": raw, "service_code": "B0102", "lat": MAOJIAN[0], "long": MAOJIAN[1]}
    assert client.post("/open311/v2/requests.json", data).status_code == 200
    assert client.post("/open311/v2/requests.json", data).status_code == 429
    assert Case.objects.count() == 1
    # Reads are counted apart.
    assert client.get("/open311/v2/services.json").status_code == 200


@pytest.mark.parametrize(
    "url",
    ["/public/cases.json", "/public/districts.geojson", "/public/report/nearby?category=B0102"],
)
def test_the_portals_feeds_are_limited(client, catalogue, settings, url):
    settings.PUBLIC_FEED_RATE = "2/min"
    assert _statuses(lambda: client.get(url), 3) == [200, 200, 429]
    refused = client.get(url)
    assert refused["Retry-After"] and "请求过于频繁" in refused.json()["detail"]


def test_an_empty_rate_switches_a_limit_off(client, officer, token_for, settings):
    settings.API_RATE_PER_CALLER = ""
    settings.API_RATE_PER_ADDRESS = ""
    auth = token_for(officer)
    assert set(_statuses(lambda: client.get("/api/v1/categories", **auth), 30)) == {200}


def test_counts_live_in_the_shared_cache(client, officer, token_for, settings):
    """With REDIS_URL the counts are in Redis, where every gunicorn worker reads them."""
    import redis

    url = "redis://127.0.0.1:6379/15"
    server = redis.Redis.from_url(url)
    server.flushdb()
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": "chuangwen-test",
        }
    }
    settings.API_RATE_PER_CALLER = "2/min"
    try:
        auth = token_for(officer)
        assert _statuses(lambda: client.get("/api/v1/categories", **auth), 2) == [200, 200]
        keys = [k.decode() for k in server.keys("*ratelimit:api_rate_per_caller:*")]
        assert len(keys) == 1
        # A second worker's connection sees the same count.
        from django.core.cache import caches

        caches.close_all()
        assert client.get("/api/v1/categories", **auth).status_code == 429
    finally:
        cache.clear()
        server.flushdb()


# -- the portal's own limits, under parallel posts ----------------------------------------------
def _portal_report(n: int):
    from chuangwen.participation.services import portal_report

    return portal_report(
        category="E0102",
        description=f"暴露垃圾 {n}",
        lat=MAOJIAN[0],
        lng=MAOJIAN[1],
        reporter_phone=f"1390000{n:04d}",
        client_hash="same-network",
        uploads=[jpeg(name=f"p{n}.jpg")],
    )


def _race(target, n: int):
    barrier = threading.Barrier(n)
    outcomes, failures = [], []

    def run(i):
        try:
            barrier.wait()
            target(i)
            outcomes.append("ok")
        except Exception as exc:
            outcomes.append(getattr(exc, "status_code", None))
            if getattr(exc, "status_code", None) != 429:
                failures.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes, failures


@pytest.mark.django_db(transaction=True)
def test_parallel_portal_posts_cannot_pass_the_address_limit(city, catalogue, settings):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite runs one writer at a time; the race needs PostgreSQL")
    settings.PORTAL_REPORTS_PER_ADDRESS_HOUR = 3
    outcomes, failures = _race(_portal_report, 8)
    assert not failures
    assert outcomes.count("ok") == 3 and outcomes.count(429) == 5
    assert Case.objects.filter(client_hash="same-network").count() == 3


@pytest.mark.django_db(transaction=True)
def test_parallel_open311_posts_cannot_pass_the_key_limit(city, catalogue, settings):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite runs one writer at a time; the race needs PostgreSQL")
    from chuangwen.open311.services import open311_key_create, open311_request_submit

    settings.OPEN311_POSTS_PER_KEY_HOUR = 2
    key, _raw = open311_key_create(name="App", unit_id=city.units["city"].pk, actor=None)

    def submit(i):
        open311_request_submit(
            key=key, service_code="B0102", lat=str(MAOJIAN[0]), long=str(MAOJIAN[1])
        )

    outcomes, failures = _race(submit, 6)
    assert not failures
    assert outcomes.count("ok") == 2 and outcomes.count(429) == 4
    assert Case.objects.filter(source=key.source).count() == 2
