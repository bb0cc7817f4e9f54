"""Rows built once for the tests of a module that only read them, instead of once per test.

The input fuzz and every-page language tests (tests/test_input_fuzz.py, tests/test_language_leftovers.py)
each need the same world of objects, and building it cost seconds per test. A module-scoped fixture
builds it inside a transaction of its own (`rows_kept`), which stays open while the module's tests run:
each test's own transaction (pytest-django's `db`) is then a savepoint inside it, so whatever a test
writes is rolled back after it as before, and the world is rolled back when the module ends. Nothing is
committed, so other tests and other workers never see it.

The cache is emptied after every test (conftest.py), but some of the world lives there (a counselor
online for chat: counseling/presence.py): `Kept.restore_cache` puts back what the cache held when the
world was built, before each test.

Only for database tests of one module (`django_db`, not transactional: a transactional test empties
the tables, which it could not while this transaction is open); pytest tears a module-scoped fixture
down before the worker turns to another module.
"""

import contextlib

from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from django.db import transaction


class Kept:
    def __init__(self):
        self._cache = None

    def keep_cache(self) -> None:
        """Remember the cache's entries as they are now (with their remaining lifetimes)."""
        cache = caches["default"]
        if isinstance(cache, RedisCache):
            client = cache._cache.get_client(write=True)
            self._cache = [(key, client.pttl(key), client.dump(key)) for key in client.scan_iter()]
        elif isinstance(cache, LocMemCache):
            with cache._lock:
                self._cache = (dict(cache._cache), dict(cache._expire_info))

    def restore_cache(self) -> None:
        if self._cache is None:
            return
        cache = caches["default"]
        if isinstance(cache, RedisCache):
            client = cache._cache.get_client(write=True)
            for key, ttl, value in self._cache:
                if value is not None:  # gone between SCAN and DUMP
                    client.restore(key, max(ttl, 0), value, replace=True)
        else:
            entries, expiries = self._cache
            with cache._lock:
                cache._cache.update(entries)
                cache._expire_info.update(expiries)


@contextlib.contextmanager
def rows_kept(django_db_blocker):
    """An open transaction for a module's shared rows, rolled back at its end. Build the rows inside
    `django_db_blocker.unblock()`; the context yields a `Kept` for the cache."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
    try:
        yield Kept()
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
