"""The Redis cache (hub/cache.py): one client per connection pool, shared by every call and thread,
instead of a new client object per call; values still round-trip as with Django's own backend."""

import threading

import pytest
from django.conf import settings
from django.core.cache import cache, caches

from hub.cache import SharedClientRedisCache

pytestmark = pytest.mark.skipif(not settings.REDIS_URL, reason="the embedded default has no Redis")


def test_every_call_reuses_one_client():
    assert isinstance(caches["default"], SharedClientRedisCache)
    backend = caches["default"]._cache
    client = backend.get_client()
    assert backend.get_client("some-key") is client
    assert backend.get_client(write=True) is client  # one server: reads and writes share the pool


def test_values_round_trip_from_several_threads():
    errors = []

    def worker(number):
        try:
            for step in range(50):
                key = f"cache-test:{number}:{step}"
                cache.set(key, {"n": number, "step": step}, 30)
                assert cache.get(key) == {"n": number, "step": step}
                assert cache.get_many([key, "cache-test:absent"]) == {key: {"n": number, "step": step}}
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(number,)) for number in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert cache.add("cache-test:added", 1, 30) and not cache.add("cache-test:added", 2, 30)
    assert cache.incr("cache-test:added") == 2


def test_backend_objects_share_the_pool_and_client():
    """Under ASGI each request gets its own backend object (caches are context-local): a pool per object
    would open a new Redis connection per request."""
    first = SharedClientRedisCache(settings.CACHES["default"]["LOCATION"], {})
    second = SharedClientRedisCache(settings.CACHES["default"]["LOCATION"], {})
    assert first is not second
    assert first._cache is second._cache
    assert first._cache.get_client() is second._cache.get_client()
    assert first._cache._get_connection_pool(False) is second._cache._get_connection_pool(False)
    other_options = SharedClientRedisCache(settings.CACHES["default"]["LOCATION"], {"OPTIONS": {"db": 3}})
    assert other_options._cache._get_connection_pool(False) is not first._cache._get_connection_pool(False)
